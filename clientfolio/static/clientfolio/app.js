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
