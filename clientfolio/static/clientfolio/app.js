// Clientfolio: small behaviours shared by every page. No inline scripts (strict CSP).
(function () {
  "use strict";

  // "/" focuses the search box, unless the user is typing somewhere.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    const tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) return;
    const box = document.querySelector("[data-hotkey='/']");
    if (box) { event.preventDefault(); box.focus(); box.select(); }
  });

  // Forms and buttons with data-confirm ask before they act.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    const submitter = event.submitter;
    const message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);

  // "Select all" checkbox of a table; the export button sends the selected rows.
  document.addEventListener("change", function (event) {
    const box = event.target;
    if (box.matches("[data-select-all]")) {
      document.querySelectorAll(box.dataset.selectAll).forEach(function (row) { row.checked = box.checked; });
    }
    if (box.matches("[data-autosubmit]")) {
      if (window.htmx && box.form && box.form.hasAttribute("hx-get")) return;
      box.form.requestSubmit();
    }
  });

  // Filters send only what is set, so bookmarked URLs stay short and readable.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb !== "get") return;
    const params = event.detail.parameters;
    const keys = params instanceof FormData ? Array.from(params.keys()) : Object.keys(params);
    keys.forEach(function (key) {
      const value = params instanceof FormData ? params.get(key) : params[key];
      if (value === "" || value === null) {
        if (params instanceof FormData) params.delete(key); else delete params[key];
      }
    });
  });

  // The language switch returns to the page as it is now (htmx may have changed the URL).
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.classList || !form.classList.contains("cf-language")) return;
    const next = form.querySelector("input[name='next']");
    if (next) next.value = window.location.pathname + window.location.search;
  });

  // Export buttons carry the current filters and any selected rows.
  document.addEventListener("click", function (event) {
    const link = event.target.closest("[data-export]");
    if (!link) return;
    event.preventDefault();
    const url = new URL(link.href, window.location.href);
    const params = new URLSearchParams(window.location.search);
    params.delete("page");
    params.set("format", link.dataset.export);
    document.querySelectorAll("input[name='id']:checked").forEach(function (row) { params.append("id", row.value); });
    url.search = params.toString();
    window.location.href = url.toString();
  });
})();
