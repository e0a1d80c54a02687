// The task tree: collapsible summary rows, and inline edits whose refusals (400, 409)
// are shown in place. Loaded as a module; no inline scripts (strict CSP).

const collapsed = new Set();

function applyCollapse() {
  document.querySelectorAll("#task-rows tr[data-wbs]").forEach((row) => {
    const wbs = row.dataset.wbs;
    const hidden = [...collapsed].some((prefix) => wbs.startsWith(prefix + "."));
    row.classList.toggle("d-none", hidden);
  });
  document.querySelectorAll("[data-toggle-wbs]").forEach((button) => {
    const open = !collapsed.has(button.dataset.toggleWbs);
    button.setAttribute("aria-expanded", String(open));
    button.classList.toggle("cf-collapsed", !open);
  });
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-toggle-wbs]");
  if (!button) return;
  const wbs = button.dataset.toggleWbs;
  if (collapsed.has(wbs)) collapsed.delete(wbs);
  else collapsed.add(wbs);
  applyCollapse();
});

// A refused inline edit answers 400 or 409 with the form row: swap it in anyway.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  if ((status === 400 || status === 409) && event.detail.target.closest("#task-tree, #my-tasks")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

document.addEventListener("htmx:afterSettle", applyCollapse);

// Moves the server refused come back as a "cf-notice" event with the message.
document.body.addEventListener("cf-notice", (event) => {
  const message = event.detail && event.detail.value;
  if (!message) return;
  let box = document.getElementById("task-notice");
  if (!box) {
    box = document.createElement("div");
    box.id = "task-notice";
    box.className = "alert alert-danger";
    box.setAttribute("role", "alert");
    document.getElementById("task-table").before(box);
  }
  box.textContent = message;
});
