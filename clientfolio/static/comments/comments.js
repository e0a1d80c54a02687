// Comments: suggest team members after "@" in a comment box, Ctrl+Enter posts, and the
// thread also takes htmx answers that refuse (400 input, 403 not allowed, 409 stale),
// which carry the reason and keep what was typed. No inline scripts (strict CSP).
(function () {
  "use strict";
  if (window.cfComments) return; // loaded once per page, even when threads are swapped
  window.cfComments = true;

  // "@" at the start or after a character that is not part of a name, then the name so
  // far (the same alphabet as clientfolio/comments/mentions.py).
  const TYPED = /(?:^|[^\p{L}\p{N}_@])@([\p{L}\p{N}_.+\-]*)$/u;
  const WAIT_MS = 120;
  let menu = null; // { box, list, items, active, start }
  let timer = null;
  let asked = 0;

  function close() {
    if (menu) menu.list.remove();
    menu = null;
  }

  function typedBefore(box) {
    const before = box.value.slice(0, box.selectionStart);
    const found = TYPED.exec(before);
    if (!found) return null;
    return { query: found[1], start: before.length - found[1].length - 1 };
  }

  function pick(index) {
    if (!menu || !menu.items[index]) return;
    const box = menu.box;
    const insert = menu.items[index].insert + " ";
    const end = box.selectionStart;
    box.value = box.value.slice(0, menu.start) + insert + box.value.slice(end);
    const caret = menu.start + insert.length;
    box.setSelectionRange(caret, caret);
    close();
    box.focus();
  }

  function highlight(index) {
    if (!menu) return;
    menu.active = (index + menu.items.length) % menu.items.length;
    menu.list.querySelectorAll("[role='option']").forEach(function (option, n) {
      option.classList.toggle("active", n === menu.active);
      option.setAttribute("aria-selected", n === menu.active ? "true" : "false");
    });
  }

  function show(box, start, people) {
    close();
    if (!people.length) return;
    const list = document.createElement("div");
    list.className = "dropdown-menu show cf-mention-menu";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", box.dataset.mentionLabel || "@");
    people.forEach(function (person, index) {
      const option = document.createElement("button");
      option.type = "button";
      option.className = "dropdown-item";
      option.setAttribute("role", "option");
      option.dataset.username = person.username;
      const name = document.createElement("span");
      name.textContent = person.name;
      const handle = document.createElement("span");
      handle.className = "text-secondary ms-2";
      handle.textContent = "@" + person.username;
      option.append(name, handle);
      // mousedown, not click: the box must not lose its caret first.
      option.addEventListener("mousedown", function (event) {
        event.preventDefault();
        pick(index);
      });
      list.append(option);
    });
    box.parentElement.append(list);
    menu = { box: box, list: list, items: people, active: 0, start: start };
    highlight(0);
  }

  function suggest(box) {
    const typed = typedBefore(box);
    if (!typed) { close(); return; }
    const ticket = ++asked;
    const url = new URL(box.dataset.mentionUrl, window.location.href);
    url.searchParams.set("q", typed.query);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (answer) {
        if (ticket !== asked || document.activeElement !== box) return; // typed on since
        show(box, typed.start, answer.results || []);
      })
      .catch(function () { close(); });
  }

  document.addEventListener("input", function (event) {
    const box = event.target;
    if (!box.matches || !box.matches("textarea[data-mention-url]")) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { suggest(box); }, WAIT_MS);
  });

  document.addEventListener("keydown", function (event) {
    const box = event.target;
    if (!box.matches || !box.matches("textarea[data-mention-url]")) return;
    if (menu && menu.box === box) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        highlight(menu.active + (event.key === "ArrowDown" ? 1 : -1));
        return;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        pick(menu.active);
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        close();
        return;
      }
    }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && box.form) {
      event.preventDefault();
      box.form.requestSubmit();
    }
  });

  document.addEventListener("focusout", function (event) {
    if (menu && event.target === menu.box) window.setTimeout(close, 150);
  });

  // Refusals inside a thread are answered with the thread itself: show them.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const status = event.detail.xhr.status;
    const target = event.detail.target;
    if (!target || !target.closest || !target.closest("[data-comments]")) return;
    if (status === 400 || status === 403 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // After a swap, the box being edited takes the focus.
  document.addEventListener("htmx:afterSettle", function (event) {
    close();
    const box = document.querySelector("[data-comments] textarea[data-autofocus]");
    if (box) {
      box.focus();
      box.setSelectionRange(box.value.length, box.value.length);
    }
  });
})();
