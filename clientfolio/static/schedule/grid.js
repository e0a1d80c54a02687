// The plan grid: the task tree typed the way MS Project's grid is, without the mouse.
// A cell cursor moves with the arrow keys; typing or F2 edits, Enter saves and goes down
// (Enter on a row adds one below it), Esc cancels, Tab / Shift+Tab indent and outdent,
// Ctrl+Z undoes the last change, Ctrl+V pastes rows from a spreadsheet, ? shows the keys.
// Each edit goes to the grid API (schedule/api/grid.py), which recomputes the schedule;
// the dates it moved are patched into the rows. Loaded as a module (strict CSP).
"use strict";

const COLUMNS = ["row", "wbs", "name", "duration", "start", "finish", "constraint", "owner", "predecessors"];
const EDITABLE = new Set(["name", "duration", "constraint", "owner", "predecessors"]);
const CLEARABLE = new Set(["constraint", "owner", "predecessors"]);
const NAME = COLUMNS.indexOf("name");

function escapeText(text) {
  return String(text ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

function format(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, key) => String(values[key] ?? ""));
}

function csrfToken() {
  try {
    return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  } catch (error) {
    return "";
  }
}

class PlanGrid {
  constructor(root, config) {
    this.root = root;
    this.config = config;
    this.text = config.text;
    this.body = root.querySelector("[data-grid-body]");
    this.message = root.querySelector("[data-grid-message]");
    this.people = new Map(config.people.map((p) => [p.id, p]));
    this.cursor = { row: 0, col: NAME };
    this.editor = null; // { input, original, rowIndex, col }
    this.draftAfter = undefined; // a task id (or null for the top) while a new row is being typed in the middle
    this.busy = false;
    this.setRows(config.rows);
    this.setUndo(config.undo);
    this.setFinish(config.finish);
    this.body.addEventListener("keydown", (event) => this.keydown(event));
    this.body.addEventListener("click", (event) => this.click(event));
    this.body.addEventListener("dblclick", (event) => {
      if (event.target.closest("td")) this.startEdit();
    });
    this.body.addEventListener("paste", (event) => this.paste(event));
    // The focus of the cell cursor: a transparent input in the current cell, so that
    // typing (an input method's composition included) lands somewhere and starts an edit.
    this.typer = document.createElement("input");
    this.typer.type = "text";
    this.typer.className = "cf-grid-typer";
    this.typer.setAttribute("autocomplete", "off");
    this.typer.addEventListener("compositionstart", () => this.typer.classList.add("cf-grid-composing"));
    this.typer.addEventListener("compositionend", () => this.typed());
    this.typer.addEventListener("input", (event) => {
      if (!event.isComposing) this.typed();
    });
    root.querySelector("[data-grid-help]").addEventListener("click", () => this.help());
    root.querySelector("[data-grid-undo]")?.addEventListener("click", () => this.undo());
    root.querySelectorAll("[data-grid-move]").forEach((button) =>
      button.addEventListener("click", () => this.move(button.dataset.gridMove)),
    );
    document.addEventListener("keydown", (event) => {
      if (event.key === "?" && !this.editor && !event.target.closest("input, textarea, select, dialog, [data-plan-grid]")) {
        event.preventDefault();
        this.help();
      }
    });
    this.render();
    this.root.dataset.gridReady = "1";
  }

  // --- the model ------------------------------------------------------------------------

  setRows(rows) {
    this.rows = rows;
    this.byId = new Map(rows.map((row, index) => [row.id, index]));
  }

  lines() {
    // The rows as drawn: the tasks, a row being inserted, and the blank row at the end.
    const lines = this.rows.map((row) => ({ task: row }));
    if (this.draftAfter !== undefined) {
      const at = this.draftAfter === null ? 0 : this.byId.get(this.draftAfter) + 1;
      lines.splice(at, 0, { draft: true, after: this.draftAfter });
    }
    if (this.config.can_add) {
      const last = this.rows.length ? this.rows[this.rows.length - 1].id : null;
      lines.push({ draft: true, after: last, blank: true });
    }
    return lines;
  }

  setUndo(undo) {
    this.undoInfo = undo;
    const button = this.root.querySelector("[data-grid-undo]");
    if (!button) return;
    button.disabled = !undo;
    button.querySelector("[data-grid-undo-label]").textContent = undo
      ? format(this.text.undo_what, { label: undo.label })
      : this.text.nothing_to_undo;
  }

  setFinish(finish) {
    this.root.querySelector("[data-grid-finish]").textContent = finish || "—";
  }

  // --- drawing ---------------------------------------------------------------------------

  render() {
    this.drawn = this.lines();
    this.body.innerHTML = this.drawn.map((line, index) => this.lineHtml(line, index)).join("");
    this.cursor.row = Math.max(0, Math.min(this.cursor.row, this.drawn.length - 1));
    this.focusCursor(false);
  }

  lineHtml(line, index) {
    if (line.draft) {
      const cells = COLUMNS.map((col) => {
        const content = col === "name" ? `<span class="text-secondary">${escapeText(line.blank ? this.text.new_row : "")}</span>` : "";
        return `<td data-col="${col}"${col === "name" ? ' class="cf-grid-name"' : ""}>${content}</td>`;
      });
      return `<tr class="cf-grid-draft" data-index="${index}" aria-rowindex="${index + 2}">${cells.join("")}</tr>`;
    }
    const task = line.task;
    const classes = [task.summary ? "cf-grid-summary" : "", task.critical ? "cf-grid-critical" : ""].join(" ").trim();
    const cells = COLUMNS.map((col) => `<td data-col="${col}" class="${this.cellClass(col)}">${this.cellHtml(task, col)}</td>`);
    return `<tr data-id="${task.id}" data-index="${index}" aria-rowindex="${index + 2}"${classes ? ` class="${classes}"` : ""}>${cells.join("")}</tr>`;
  }

  cellClass(col) {
    return { row: "cf-grid-num", wbs: "cf-grid-wbs", name: "cf-grid-name", duration: "cf-grid-duration", start: "cf-grid-date", finish: "cf-grid-date" }[col] || "";
  }

  cellHtml(task, col) {
    switch (col) {
      case "row":
        return String(task.row);
      case "name": {
        const mark = task.milestone ? '<i class="ti ti-diamond cf-grid-milestone" aria-hidden="true"></i> ' : "";
        return `<span class="cf-grid-indent" style="padding-left:${task.level * 1.25}rem">${mark}${escapeText(task.name)}</span>`;
      }
      case "duration":
        return `${task.duration}${this.text.days ? " " + escapeText(this.text.days) : ""}`;
      case "owner":
        return escapeText(task.owner_name);
      default:
        return escapeText(task[col] ?? "");
    }
  }

  redrawTask(id) {
    const index = this.drawn.findIndex((line) => line.task && line.task.id === id);
    if (index < 0) return;
    const tr = this.body.children[index];
    const fresh = document.createElement("tbody");
    fresh.innerHTML = this.lineHtml(this.drawn[index], index);
    tr.replaceWith(fresh.firstElementChild);
  }

  cell(rowIndex, col) {
    return this.body.children[rowIndex]?.children[col] || null;
  }

  focusCursor(scroll = true) {
    this.body.querySelectorAll("td.cf-grid-cursor").forEach((td) => td.classList.remove("cf-grid-cursor"));
    const td = this.cell(this.cursor.row, this.cursor.col);
    if (!td || this.editor) return;
    td.classList.add("cf-grid-cursor");
    const line = this.drawn[this.cursor.row];
    const label = line?.task ? `${this.text.row} ${line.task.row}, ${this.text[COLUMNS[this.cursor.col]] || ""}: ${td.textContent}` : this.text.new_row;
    this.typer.setAttribute("aria-label", label);
    this.typer.value = "";
    this.typer.classList.remove("cf-grid-composing");
    if (this.typer.parentElement !== td) td.appendChild(this.typer);
    if (this.root.contains(document.activeElement) || scroll || document.activeElement === document.body) this.typer.focus({ preventScroll: !scroll });
    if (scroll) td.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  typed() {
    // Text arrived in the cursor's cell (a key, an input method, a paste of one word).
    const text = this.typer.value;
    if (!text || this.editor) return;
    this.typer.value = "";
    this.typer.classList.remove("cf-grid-composing");
    if (COLUMNS[this.cursor.col] === "owner" || !this.config.can_edit) return this.startEdit();
    this.startEdit(text);
  }

  say(message, kind = "info") {
    this.message.textContent = message;
    this.message.className = `alert alert-${kind} py-2 mb-2`;
    this.message.hidden = !message;
  }

  flash(id, cols) {
    const index = this.drawn.findIndex((line) => line.task && line.task.id === id);
    if (index < 0) return;
    for (const col of cols) {
      const td = this.cell(index, COLUMNS.indexOf(col));
      if (!td) continue;
      td.classList.add("cf-grid-changed");
      setTimeout(() => td.classList.remove("cf-grid-changed"), 1600);
    }
  }

  // --- keys ------------------------------------------------------------------------------

  click(event) {
    const td = event.target.closest("td");
    if (!td || this.editor) return;
    this.cursor = { row: Number(td.parentElement.dataset.index), col: [...td.parentElement.children].indexOf(td) };
    this.focusCursor(false);
    this.typer.focus({ preventScroll: true });
  }

  keydown(event) {
    if (this.editor) return this.editorKey(event);
    if (this.busy) {
      event.preventDefault();
      return;
    }
    const { key } = event;
    const ctrl = event.ctrlKey || event.metaKey;
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1], PageUp: [-20, 0], PageDown: [20, 0] };
    if (event.altKey && event.shiftKey && (key === "ArrowUp" || key === "ArrowDown")) {
      event.preventDefault();
      return this.move(key === "ArrowUp" ? "up" : "down");
    }
    if (moves[key] && !event.altKey) {
      event.preventDefault();
      const [dr, dc] = moves[key];
      return this.go(this.cursor.row + dr, this.cursor.col + dc);
    }
    if (key === "Home" || key === "End") {
      event.preventDefault();
      const col = key === "Home" ? 0 : COLUMNS.length - 1;
      return this.go(ctrl ? (key === "Home" ? 0 : this.drawn.length - 1) : this.cursor.row, col);
    }
    if (key === "Tab") {
      event.preventDefault();
      return this.move(event.shiftKey ? "outdent" : "indent");
    }
    if (ctrl && key.toLowerCase() === "z") {
      event.preventDefault();
      return this.undo();
    }
    if (key === "Enter") {
      event.preventDefault();
      const line = this.drawn[this.cursor.row];
      if (line?.draft) return this.startEdit();
      return this.insertBelow();
    }
    if (key === "F2") {
      event.preventDefault();
      return this.startEdit();
    }
    if ((key === "Delete" || key === "Backspace") && CLEARABLE.has(COLUMNS[this.cursor.col])) {
      event.preventDefault();
      const line = this.drawn[this.cursor.row];
      if (line?.task) return this.save(line.task, COLUMNS[this.cursor.col], "");
      return;
    }
    if (key === "Escape" && this.draftAfter !== undefined) {
      this.draftAfter = undefined;
      return this.render();
    }
    if (key === "?") {
      event.preventDefault();
      return this.help();
    }
    // Other printable keys go into the typer, whose input event starts the edit.
  }

  go(row, col) {
    this.cursor = {
      row: Math.max(0, Math.min(this.drawn.length - 1, row)),
      col: Math.max(0, Math.min(COLUMNS.length - 1, col)),
    };
    this.focusCursor();
  }

  editorKey(event) {
    const { key } = event;
    if (key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      return this.cancelEdit();
    }
    if (key === "Enter") {
      event.preventDefault();
      return this.commit(1);
    }
    if (key === "Tab") {
      event.preventDefault();
      return this.commit(0, event.shiftKey ? "outdent" : "indent");
    }
    if ((key === "ArrowUp" || key === "ArrowDown") && this.editor.input.tagName === "INPUT") {
      event.preventDefault();
      return this.commit(key === "ArrowUp" ? -1 : 1);
    }
  }

  // --- editing ---------------------------------------------------------------------------

  startEdit(typed) {
    if (!this.config.can_edit) return this.say(this.text.read_only, "secondary");
    const col = COLUMNS[this.cursor.col];
    const line = this.drawn[this.cursor.row];
    if (!line) return;
    if (line.draft && col !== "name") {
      this.cursor.col = NAME;
      this.focusCursor();
      return this.startEdit(typed);
    }
    if (!EDITABLE.has(col)) return;
    const td = this.cell(this.cursor.row, this.cursor.col);
    const original = line.task ? this.editValue(line.task, col) : "";
    let input;
    if (col === "owner") {
      input = document.createElement("select");
      input.className = "form-select form-select-sm";
      const team = this.config.people.filter((p) => p.on_team);
      const others = this.config.people.filter((p) => !p.on_team);
      const option = (p) => `<option value="${p.id}">${escapeText(p.name)}</option>`;
      input.innerHTML =
        `<option value="">${escapeText(this.text.nobody)}</option>` +
        `<optgroup label="${escapeText(this.text.team)}">${team.map(option).join("")}</optgroup>` +
        (others.length ? `<optgroup label="${escapeText(this.text.not_on_team)}">${others.map(option).join("")}</optgroup>` : "");
      input.value = original;
    } else {
      input = document.createElement("input");
      input.type = "text";
      input.className = "form-control form-control-sm";
      input.value = typed !== undefined ? typed : original;
      input.setAttribute("aria-label", this.text[col] || col);
    }
    input.dataset.gridEditor = col;
    td.classList.remove("is-invalid");
    td.textContent = "";
    td.appendChild(input);
    this.editor = { input, original, rowIndex: this.cursor.row, col, td };
    input.focus();
    if (input.tagName === "INPUT") {
      const end = input.value.length;
      input.setSelectionRange(end, end);
    }
  }

  editValue(task, col) {
    if (col === "owner") return task.owner ? String(task.owner) : "";
    if (col === "duration") return String(task.duration);
    return String(task[col] ?? "");
  }

  cancelEdit() {
    const editor = this.editor;
    this.editor = null;
    this.clearError();
    const line = this.drawn[editor.rowIndex];
    if (line?.draft && !line.blank) {
      this.draftAfter = undefined;
      return this.render();
    }
    if (line?.task) this.redrawTask(line.task.id);
    else this.render();
    this.focusCursor();
  }

  async commit(down, then) {
    const editor = this.editor;
    const value = editor.input.value;
    const line = this.drawn[editor.rowIndex];
    if (line.draft) {
      if (!value.trim()) return this.cancelEdit();
      return this.createRow(line, value, down);
    }
    if (value === editor.original) {
      this.editor = null;
      this.redrawTask(line.task.id);
      this.go(editor.rowIndex + down, this.cursor.col);
      if (then) await this.move(then);
      return;
    }
    const ok = await this.save(line.task, editor.col, value, editor);
    if (ok) {
      this.go(editor.rowIndex + down, this.cursor.col);
      if (then) await this.move(then);
    }
  }

  showError(td, message) {
    this.clearError();
    td.classList.add("is-invalid");
    const tip = document.createElement("div");
    tip.className = "cf-grid-error";
    tip.id = "cf-grid-error";
    tip.setAttribute("role", "alert");
    tip.textContent = message;
    td.appendChild(tip);
    const input = td.querySelector("[data-grid-editor]");
    if (input) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", "cf-grid-error");
      input.focus();
    }
    this.say(`${this.text.error} ${message}`, "danger");
  }

  clearError() {
    this.root.querySelectorAll(".cf-grid-error").forEach((tip) => tip.remove());
    this.root.querySelectorAll("td.is-invalid").forEach((td) => td.classList.remove("is-invalid"));
  }

  async request(url, body) {
    this.busy = true;
    this.root.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
        body: JSON.stringify(body || {}),
      });
      const data = await response.json().catch(() => ({}));
      return { status: response.status, ok: response.ok, data };
    } catch (error) {
      return { status: 0, ok: false, data: { detail: this.text.network } };
    } finally {
      this.busy = false;
      this.root.removeAttribute("aria-busy");
    }
  }

  firstError(data, field) {
    const value = data[field] || data.detail || data.non_field_errors || Object.values(data).find(Array.isArray);
    return Array.isArray(value) ? value.join(" ") : String(value || this.text.error);
  }

  async save(task, col, value, editor) {
    this.say(this.text.saving, "secondary");
    const answer = await this.request(this.config.api.cell, { task: task.id, version: task.version, field: col, value });
    if (answer.status === 409 && answer.data.current) {
      // Someone else saved the task: show their row, keep what was typed in the editor.
      this.rows[this.byId.get(task.id)] = answer.data.current;
      const stale = this.drawn.find((l) => l.task && l.task.id === task.id);
      if (stale) stale.task = answer.data.current;
      if (editor) {
        editor.td.querySelector(".cf-grid-error")?.remove();
        this.showError(editor.td, answer.data.detail);
      } else {
        this.redrawTask(task.id);
        this.say(answer.data.detail, "warning");
      }
      return false;
    }
    if (answer.status === 400 && answer.data.code === "not_on_team") {
      return this.offerTeam(task, answer.data, value, editor);
    }
    if (!answer.ok) {
      const message = this.firstError(answer.data, col);
      if (editor) this.showError(editor.td, message);
      else this.say(`${this.text.error} ${message}`, "danger");
      return false;
    }
    this.editor = null;
    this.clearError();
    this.applyEdit(answer.data);
    return true;
  }

  applyEdit(data) {
    const task = data.task;
    const index = this.byId.get(task.id);
    const old = this.rows[index];
    this.rows[index] = task;
    const line = this.drawn.find((l) => l.task && l.task.id === task.id);
    if (line) line.task = task;
    this.redrawTask(task.id);
    const changedCols = ["start", "finish", "duration", "constraint", "owner", "predecessors", "name"].filter((c) => old[c] !== task[c]);
    this.flash(task.id, changedCols);
    for (const change of data.changed) {
      const at = this.byId.get(change.id);
      if (at === undefined) continue;
      const row = this.rows[at];
      const before = { start: row.start, finish: row.finish, duration: row.duration };
      if ("start" in change) row.start = change.start;
      if ("finish" in change) row.finish = change.finish;
      if ("is_critical" in change) row.critical = change.is_critical;
      if ("duration" in change) row.duration = change.duration;
      this.redrawTask(change.id);
      this.flash(change.id, ["start", "finish", "duration"].filter((c) => before[c] !== row[c]));
    }
    this.setFinish(data.finish);
    this.setUndo(data.undo);
    const moved = data.changed.filter((c) => "start" in c || "finish" in c).length;
    this.say(this.text.saved + (moved ? " " + format(this.text.moved, { count: moved }) : ""), "success");
    this.focusCursor();
  }

  applyFull(data, focusId, col) {
    this.editor = null;
    this.draftAfter = undefined;
    this.clearError();
    this.setRows(data.rows);
    this.setFinish(data.finish);
    this.setUndo(data.undo);
    this.render();
    if (focusId !== undefined && this.byId.has(focusId)) {
      this.cursor.row = this.byId.get(focusId);
      if (col !== undefined) this.cursor.col = col;
    }
    this.focusCursor();
  }

  // --- rows ------------------------------------------------------------------------------

  insertBelow() {
    if (!this.config.can_add) return this.say(this.text.read_only, "secondary");
    const line = this.drawn[this.cursor.row];
    this.draftAfter = line?.task ? line.task.id : null;
    this.render();
    this.cursor = { row: this.cursor.row + 1, col: NAME };
    this.focusCursor();
    this.startEdit();
  }

  async createRow(line, name, down) {
    this.say(this.text.saving, "secondary");
    const answer = await this.request(this.config.api.row, { after: line.after, name });
    if (!answer.ok) {
      this.showError(this.editor.td, this.firstError(answer.data, "name"));
      return;
    }
    const blank = line.blank;
    this.applyFull(answer.data, answer.data.created, NAME);
    if (blank && down > 0) this.go(this.drawn.length - 1, NAME);
    else if (down) this.go(this.cursor.row + down, NAME);
    this.say(this.text.saved, "success");
  }

  async move(direction) {
    if (!this.config.can_edit) return this.say(this.text.read_only, "secondary");
    const line = this.drawn[this.cursor.row];
    if (!line?.task) return;
    const col = this.cursor.col;
    this.say(this.text.saving, "secondary");
    const answer = await this.request(this.config.api.move, { task: line.task.id, version: line.task.version, direction });
    if (answer.status === 409) {
      this.say(answer.data.detail, "warning");
      return this.reload(line.task.id);
    }
    if (!answer.ok) {
      const td = this.cell(this.cursor.row, NAME);
      return this.showError(td, this.firstError(answer.data, "name"));
    }
    this.applyFull(answer.data, line.task.id, col);
    this.say(this.text.saved, "success");
  }

  async undo() {
    if (!this.config.can_edit) return;
    const line = this.drawn[this.cursor.row];
    this.say(this.text.saving, "secondary");
    const answer = await this.request(this.config.api.undo, {});
    if (!answer.ok) {
      this.say(this.firstError(answer.data, "detail"), answer.status === 404 ? "secondary" : "warning");
      if (answer.status === 409) this.reload(line?.task?.id);
      return;
    }
    this.applyFull(answer.data, line?.task?.id);
    this.say(format(this.text.undone, { label: answer.data.undone }), "success");
  }

  async reload(focusId) {
    const response = await fetch(this.config.api.grid, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!response.ok) return;
    const data = await response.json();
    this.people = new Map(data.people.map((p) => [p.id, p]));
    this.config.people = data.people;
    this.applyFull(data, focusId);
  }

  async paste(event) {
    if (this.editor || !this.config.can_add) return;
    const text = event.clipboardData?.getData("text/plain") || "";
    if (!text) return;
    event.preventDefault();
    const line = this.drawn[this.cursor.row];
    const single = !text.replace(/\r?\n$/, "").includes("\n") && !text.includes("\t");
    if (single && line?.task && EDITABLE.has(COLUMNS[this.cursor.col])) {
      return this.save(line.task, COLUMNS[this.cursor.col], text.trim());
    }
    const after = line?.task ? line.task.id : line?.after ?? null;
    this.say(this.text.saving, "secondary");
    const answer = await this.request(this.config.api.paste, { after, text });
    if (!answer.ok) {
      const problems = Object.entries(answer.data.rows || {}).map(([row, messages]) =>
        format(this.text.paste_row, { row, message: messages.join(" ") }),
      );
      this.message.className = "alert alert-danger py-2 mb-2";
      this.message.hidden = false;
      this.message.innerHTML = `<strong>${escapeText(this.text.paste_failed)}</strong> ${escapeText(answer.data.detail || "")}` +
        (problems.length ? `<ul class="mb-0">${problems.map((p) => `<li>${escapeText(p)}</li>`).join("")}</ul>` : "");
      return;
    }
    this.applyFull(answer.data, answer.data.created[0], NAME);
    this.say(format(this.text.pasted, { count: answer.data.created.length }), "success");
  }

  // --- the team --------------------------------------------------------------------------

  offerTeam(task, data, value, editor) {
    const dialog = this.root.querySelector("[data-grid-team]");
    const name = data.user_name;
    if (!this.config.can_add_member) {
      if (editor) this.showError(editor.td, `${data.owner.join(" ")} ${format(this.text.ask_manager, { name })}`);
      return Promise.resolve(false);
    }
    dialog.querySelector("[data-grid-team-text]").textContent = data.owner.join(" ");
    const roles = dialog.querySelector("[data-grid-team-role]");
    roles.innerHTML = this.config.roles.map(([v, label]) => `<option value="${v}">${escapeText(label)}</option>`).join("");
    return new Promise((resolve) => {
      dialog.addEventListener(
        "close",
        async () => {
          if (dialog.returnValue !== "add") {
            if (editor) editor.input.focus();
            return resolve(false);
          }
          const answer = await this.request(this.config.api.team, { user: data.user, role: roles.value });
          if (!answer.ok) {
            if (editor) this.showError(editor.td, this.firstError(answer.data, "user"));
            return resolve(false);
          }
          const person = this.people.get(data.user);
          if (person) person.on_team = true;
          const ok = await this.save(task, "owner", value, editor);
          if (ok) {
            this.say(format(this.text.member_added, { name }) + " " + this.text.saved, "success");
            this.go(editor ? editor.rowIndex + 1 : this.cursor.row, this.cursor.col);
          }
          resolve(false);
        },
        { once: true },
      );
      dialog.returnValue = "";
      dialog.showModal();
    });
  }

  help() {
    const dialog = this.root.querySelector("[data-grid-shortcuts]");
    dialog.addEventListener("close", () => this.focusCursor(), { once: true });
    dialog.showModal();
  }
}

function start() {
  const root = document.querySelector("[data-plan-grid]");
  if (!root) return;
  const config = JSON.parse(document.getElementById("grid-config").textContent);
  root.planGrid = new PlanGrid(root, config);
  root.planGrid.typer.focus({ preventScroll: true });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
