// The Kanban board: drag a card to another column to change the task's status. Posts
// the new status with the version the card was loaded at; a refusal (409 when someone
// else changed the task) puts the card back where the server says it is.

const board = document.getElementById("board");

function column(status) {
  return board.querySelector(`.cf-board-cards[data-status="${status}"]`);
}

function recount() {
  board.querySelectorAll(".cf-board-column").forEach((col) => {
    col.querySelector(".cf-count").textContent = col.querySelectorAll(".cf-card").length;
  });
}

function notify(message) {
  const box = document.getElementById("board-notice");
  box.textContent = message;
  box.classList.toggle("d-none", !message);
}

async function moveCard(card, status) {
  const body = new FormData();
  body.append("status", status);
  body.append("version", card.dataset.version);
  let data = {};
  let ok = false;
  try {
    const response = await fetch(card.dataset.url, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": board.dataset.csrf, Accept: "application/json" },
      credentials: "same-origin",
    });
    ok = response.ok;
    data = await response.json();
  } catch (error) {
    data = {};
  }
  if (data.version) card.dataset.version = data.version;
  if (data.status && data.status !== status) column(data.status).prepend(card);
  notify(ok ? "" : data.message || board.dataset.error || "");
  card.classList.remove("cf-saving");
  recount();
}

if (board && board.dataset.editable) {
  let dragged = null;
  board.addEventListener("dragstart", (event) => {
    dragged = event.target.closest(".cf-card");
    if (!dragged) return;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.dataset.task);
    dragged.classList.add("cf-dragging");
  });
  board.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("cf-dragging");
    board.querySelectorAll(".cf-drop").forEach((el) => el.classList.remove("cf-drop"));
  });
  board.addEventListener("dragover", (event) => {
    const target = event.target.closest(".cf-board-column");
    if (!target || !dragged) return;
    event.preventDefault();
    board.querySelectorAll(".cf-drop").forEach((el) => el !== target && el.classList.remove("cf-drop"));
    target.classList.add("cf-drop");
  });
  board.addEventListener("drop", (event) => {
    const target = event.target.closest(".cf-board-column");
    if (!target || !dragged) return;
    event.preventDefault();
    target.classList.remove("cf-drop");
    const cards = target.querySelector(".cf-board-cards");
    const card = dragged;
    dragged = null;
    if (card.parentElement === cards) return;
    cards.prepend(card);
    card.classList.add("cf-saving");
    recount();
    moveCard(card, target.dataset.status);
  });
}
