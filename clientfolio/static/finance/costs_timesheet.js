// The weekly timesheet: live row, day and week totals; arrow keys up/down move between
// rows of the same day (Tab already moves across the days of a row).
const form = document.getElementById("timesheet");

function number(value) {
  const parsed = parseFloat(String(value).replace(",", "."));
  return Number.isFinite(parsed) ? parsed : 0;
}

function format(value) {
  return String(Math.round(value * 100) / 100);
}

function totals() {
  const cells = form.querySelectorAll("input[data-day]");
  const rows = new Map();
  const days = new Map();
  let week = 0;
  cells.forEach((cell) => {
    const hours = number(cell.value);
    rows.set(cell.dataset.row, (rows.get(cell.dataset.row) || 0) + hours);
    days.set(cell.dataset.day, (days.get(cell.dataset.day) || 0) + hours);
    week += hours;
  });
  form.querySelectorAll(".cf-ts-row-total").forEach((td) => {
    td.textContent = format(rows.get(td.dataset.row) || 0);
  });
  form.querySelectorAll(".cf-ts-day-total").forEach((td) => {
    const total = days.get(td.dataset.day) || 0;
    td.textContent = format(total);
    td.classList.toggle("text-danger", total > 24);
  });
  const weekTotal = document.getElementById("week-total");
  if (weekTotal) weekTotal.textContent = format(week);
}

if (form) {
  form.addEventListener("input", (event) => {
    if (event.target.matches("input[data-day]")) totals();
  });
  form.addEventListener("keydown", (event) => {
    const cell = event.target;
    if (!cell.matches("input[data-day]")) return;
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const row = Number(cell.dataset.row) + (event.key === "ArrowDown" ? 1 : -1);
    const next = form.querySelector(`input[data-row="${row}"][data-day="${cell.dataset.day}"]`);
    if (next) {
      event.preventDefault();
      next.focus();
      next.select();
    }
  });
}
