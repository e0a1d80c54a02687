// Clientfolio Gantt chart: a focused SVG Gantt drawn from schedule:gantt_data.
// Rows and days are virtualised: only what is in view is drawn, so a project of
// thousands of tasks renders at once. Edits (drag to move, resize, drag progress)
// are POSTed to schedule:gantt_update and the chart reloads from the server.
"use strict";

const ROW = 28;
const HEADER = 46;
const TREE = 360;
// On a narrow screen the task column shrinks to the WBS codes, so the bars have room
// (a phone showed none); a button shows the whole column again.
const TREE_NARROW = 56;
const NARROW = 576;
const ZOOM = { day: 28, week: 9, month: 3 };
const DAY_MS = 86400000;
const SVG_NS = "http://www.w3.org/2000/svg";

function dayNumber(iso) {
  if (!iso) return null;
  const [y, m, d] = iso.split("-").map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}

function isoOf(number) {
  return new Date(number * DAY_MS).toISOString().slice(0, 10);
}

function escapeText(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

function csrfToken() {
  try {
    return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  } catch (error) {
    return "";
  }
}

class Gantt {
  constructor(root, config) {
    this.root = root;
    this.config = config;
    this.text = config.text;
    this.zoom = "day";
    this.collapsed = new Set();
    this.drag = null;
    this.scroller = root.querySelector("[data-gantt-scroller]");
    this.spacer = root.querySelector("[data-gantt-spacer]");
    this.svg = root.querySelector("[data-gantt-svg]");
    this.message = root.querySelector("[data-gantt-message]");
    this.monthFormat = new Intl.DateTimeFormat(config.language, { month: "short", timeZone: "UTC" });
    this.chinese = String(config.language).startsWith("zh");
    this.treeOpen = null; // null: as the screen width suggests
    this.treeW = this.treeWidth();
    this.treeToggle = root.querySelector("[data-gantt-tree-toggle]");
    if (this.treeToggle) this.treeToggle.addEventListener("click", () => this.toggleTree());
    this.updateTreeToggle();
    this.scroller.addEventListener("scroll", () => this.schedule());
    window.addEventListener("resize", () => {
      const width = this.treeWidth();
      if (width !== this.treeW) {
        this.treeW = width;
        this.updateTreeToggle();
        if (this.data) this.flatten();
      }
      this.schedule();
    });
    this.notice = root.querySelector("[data-gantt-notice]");
    if (this.notice && config.editable) {
      this.notice.querySelector("[data-gantt-undo]").addEventListener("click", () => this.undo());
      document.addEventListener("keydown", (event) => {
        if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z" && !event.target.closest("input, textarea, select")) {
          event.preventDefault();
          this.undo();
        }
      });
    }
    this.svg.addEventListener("pointerdown", (event) => this.pointerDown(event));
    this.svg.addEventListener("click", (event) => this.click(event));
    root.querySelectorAll("[data-gantt-zoom]").forEach((button) => {
      button.addEventListener("click", () => this.setZoom(button.dataset.ganttZoom));
    });
  }

  treeWidth() {
    const open = this.treeOpen === null ? this.scroller.clientWidth >= NARROW : this.treeOpen;
    return open ? Math.min(TREE, Math.max(200, this.scroller.clientWidth - 120)) : TREE_NARROW;
  }

  toggleTree() {
    this.treeOpen = this.treeW === TREE_NARROW;
    this.treeW = this.treeWidth();
    this.updateTreeToggle();
    this.flatten();
    this.render();
  }

  updateTreeToggle() {
    if (!this.treeToggle) return;
    const open = this.treeW !== TREE_NARROW;
    this.treeToggle.setAttribute("aria-pressed", String(open));
    this.treeToggle.querySelector("[data-gantt-tree-label]").textContent = open ? this.text.hide_tasks : this.text.show_tasks;
    this.root.classList.toggle("cf-gantt-tree-collapsed", !open);
  }

  async load(keepScroll) {
    const response = await fetch(this.config.data, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!response.ok) {
      this.say(this.text.error, "danger");
      return;
    }
    const data = await response.json();
    this.setData(data);
    if (!keepScroll) this.scrollToToday();
    this.render();
    this.root.dataset.ganttReady = String(Date.now());
  }

  setData(data) {
    this.data = data;
    this.first = dayNumber(data.range[0]);
    this.last = dayNumber(data.range[1]);
    this.today = dayNumber(data.today);
    this.off = new Set(data.calendar.off.map(dayNumber));
    this.makeup = new Set(data.calendar.makeup.map(dayNumber));
    this.names = data.calendar.names;
    this.byId = new Map();
    this.children = new Map();
    for (const task of data.tasks) {
      task.s = dayNumber(task.start);
      task.f = dayNumber(task.finish);
      task.bs = dayNumber(task.bstart);
      task.bf = dayNumber(task.bfinish);
      this.byId.set(task.id, task);
      if (task.parent) {
        if (!this.children.has(task.parent)) this.children.set(task.parent, []);
        this.children.get(task.parent).push(task.id);
      }
    }
    this.successorsOf = new Map();
    for (const link of data.links) {
      if (!this.successorsOf.has(link[0])) this.successorsOf.set(link[0], []);
      this.successorsOf.get(link[0]).push(link);
    }
    this.flatten();
    const empty = this.root.querySelector("[data-gantt-empty]");
    if (empty) empty.hidden = data.tasks.length > 0;
  }

  flatten() {
    // Visible rows in WBS order, skipping the subtasks of collapsed summaries.
    this.rows = [];
    this.rowOf = new Map();
    let hiddenBelow = null;
    for (const task of this.data.tasks) {
      if (hiddenBelow !== null) {
        if (task.level > hiddenBelow) continue;
        hiddenBelow = null;
      }
      this.rowOf.set(task.id, this.rows.length);
      this.rows.push(task);
      if (this.collapsed.has(task.id)) hiddenBelow = task.level;
    }
    const width = this.treeW + (this.last - this.first + 1) * this.dw();
    this.spacer.style.width = width + "px";
    this.spacer.style.height = HEADER + this.rows.length * ROW + 20 + "px";
  }

  dw() {
    return ZOOM[this.zoom];
  }

  x(day) {
    return this.treeW + (day - this.first) * this.dw() - this.scroller.scrollLeft;
  }

  setZoom(zoom) {
    const centre = this.first + (this.scroller.scrollLeft + (this.scroller.clientWidth - this.treeW) / 2) / this.dw();
    this.zoom = zoom;
    this.root.querySelectorAll("[data-gantt-zoom]").forEach((b) => b.classList.toggle("active", b.dataset.ganttZoom === zoom));
    this.flatten();
    this.scroller.scrollLeft = Math.max(0, (centre - this.first) * this.dw() - (this.scroller.clientWidth - this.treeW) / 2);
    this.render();
  }

  scrollToToday() {
    // Today, if the plan runs through it; otherwise the plan's first bar.
    const starts = this.data.tasks.map((t) => t.s).filter((s) => s !== null);
    const finishes = this.data.tasks.map((t) => t.f).filter((f) => f !== null);
    let day = this.today;
    if (starts.length && (this.today < Math.min(...starts) || this.today > Math.max(...finishes))) {
      day = Math.min(...starts);
    }
    this.scroller.scrollLeft = Math.max(0, (day - this.first - 3) * this.dw());
  }

  schedule() {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = null;
      if (!this.drag) this.render();
    });
  }

  say(message, kind) {
    this.message.textContent = message;
    this.message.className = "alert alert-" + kind + " py-2 mb-2";
    this.message.hidden = !message;
  }

  // --- drawing --------------------------------------------------------------------------

  render() {
    if (!this.data) return;
    const width = this.scroller.clientWidth;
    const height = this.scroller.clientHeight;
    this.svg.setAttribute("width", width);
    this.svg.setAttribute("height", height);
    this.svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    const top = this.scroller.scrollTop;
    const firstRow = Math.max(0, Math.floor(top / ROW));
    const lastRow = Math.min(this.rows.length - 1, Math.ceil((top + height - HEADER) / ROW));
    const firstDay = this.first + Math.floor(this.scroller.scrollLeft / this.dw());
    const lastDay = Math.min(this.last, firstDay + Math.ceil((width - this.treeW) / this.dw()) + 1);
    const y = (row) => HEADER + row * ROW - top;
    const parts = [
      '<defs><marker id="cf-g-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" class="cf-g-arrowhead"/></marker></defs>',
    ];
    // Non-working days and make-up workdays.
    if (this.dw() >= 8) {
      for (let day = firstDay; day <= lastDay; day++) {
        const cls = this.off.has(day) ? "cf-g-off" : this.makeup.has(day) ? "cf-g-makeup" : null;
        if (cls) parts.push(`<rect class="${cls}" x="${this.x(day)}" y="${HEADER}" width="${this.dw()}" height="${height - HEADER}"/>`);
      }
    }
    // Row stripes and bars.
    for (let row = firstRow; row <= lastRow; row++) {
      const task = this.rows[row];
      if (row % 2) parts.push(`<rect class="cf-g-stripe" x="${this.treeW}" y="${y(row)}" width="${width}" height="${ROW}"/>`);
      parts.push(this.bar(task, y(row)));
    }
    parts.push(this.arrows(firstRow, lastRow, y));
    // Today.
    if (this.today >= firstDay - 1 && this.today <= lastDay) {
      const tx = this.x(this.today) + this.dw() / 2;
      parts.push(`<line class="cf-g-today" x1="${tx}" x2="${tx}" y1="${HEADER}" y2="${height}"><title>${escapeText(this.text.today + " " + this.data.today)}</title></line>`);
    }
    parts.push(this.header(firstDay, lastDay, width));
    parts.push(this.tree(firstRow, lastRow, y, height));
    this.svg.innerHTML = parts.join("");
  }

  bar(task, top) {
    if (task.s === null || task.f === null) return "";
    const dw = this.dw();
    const x1 = this.x(task.s);
    const x2 = this.x(task.f + 1);
    const title = `<title>${escapeText(`${task.wbs} ${task.name}\n${this.text.start}: ${task.start}  ${this.text.finish}: ${task.finish}\n${this.text.duration}: ${task.duration} ${this.text.days} · ${this.text.progress}: ${task.percent}%` + (task.float !== null ? ` · ${this.text.float}: ${task.float}` : "") + (task.bfinish ? `\n${this.text.baseline}: ${task.bstart} → ${task.bfinish}` : ""))}</title>`;
    const out = [];
    if (task.bs !== null && task.bf !== null) {
      const bx1 = this.x(task.bs);
      const bx2 = task.milestone ? bx1 + dw : this.x(task.bf + 1);
      out.push(`<rect class="cf-g-baseline" x="${bx1}" y="${top + ROW - 7}" width="${Math.max(2, bx2 - bx1)}" height="4"/>`);
    }
    const state = task.critical ? "critical" : "normal";
    const editable = this.config.editable && !task.summary;
    if (task.milestone) {
      const cx = x1 + dw / 2;
      const cy = top + ROW / 2 - 2;
      const r = 8;
      out.push(`<g class="cf-g-task cf-g-milestone cf-g-${state}${editable ? " cf-g-editable" : ""}" data-id="${task.id}" data-critical="${task.critical}" data-part="move"><path d="M${cx},${cy - r} L${cx + r},${cy} L${cx},${cy + r} L${cx - r},${cy} Z"/>${title}</g>`);
      out.push(`<text class="cf-g-label" x="${cx + r + 4}" y="${cy + 4}">${escapeText(task.name)} ${task.finish.slice(5)}</text>`);
      return out.join("");
    }
    const width = Math.max(2, x2 - x1);
    if (task.summary) {
      const h = 8;
      const by = top + 7;
      out.push(`<g class="cf-g-task cf-g-summary" data-id="${task.id}"><path d="M${x1},${by} h${width} v${h + 4} l-5,-4 H${x1 + 5} l-5,4 Z"/>${title}</g>`);
      out.push(`<text class="cf-g-label" x="${x2 + 6}" y="${top + 17}">${escapeText(task.name)}</text>`);
      return out.join("");
    }
    const by = top + 5;
    const h = ROW - 14;
    const done = (width * task.percent) / 100;
    out.push(`<g class="cf-g-task cf-g-${state}${editable ? " cf-g-editable" : ""}" data-id="${task.id}" data-critical="${task.critical}">`);
    out.push(`<rect class="cf-g-bar" data-part="move" x="${x1}" y="${by}" width="${width}" height="${h}" rx="3"/>`);
    out.push(`<rect class="cf-g-done" data-part="move" x="${x1}" y="${by}" width="${done}" height="${h}" rx="3"/>`);
    if (editable) {
      out.push(`<rect class="cf-g-handle" data-part="resize" x="${x1 + width - 5}" y="${by}" width="7" height="${h}"/>`);
      out.push(`<path class="cf-g-progress" data-part="progress" d="M${x1 + done},${by + h - 1} l5,7 h-10 z"/>`);
    }
    out.push(title + "</g>");
    out.push(`<text class="cf-g-label" x="${x2 + 6}" y="${top + 17}">${escapeText(task.name)}</text>`);
    return out.join("");
  }

  arrows(firstRow, lastRow, y) {
    const out = [];
    for (const link of this.data.links) {
      const a = this.rowOf.get(link[0]);
      const b = this.rowOf.get(link[1]);
      if (a === undefined || b === undefined) continue;
      if (Math.max(a, b) < firstRow || Math.min(a, b) > lastRow) continue;
      const from = this.byId.get(link[0]);
      const to = this.byId.get(link[1]);
      if (from.s === null || to.s === null) continue;
      const kind = link[2];
      const fromEnd = kind === "FS" || kind === "FF";
      const toEnd = kind === "FF" || kind === "SF";
      const x1 = fromEnd ? this.x(from.f + 1) : this.x(from.s);
      const x2 = toEnd ? this.x(to.f + 1) : this.x(to.s);
      const y1 = y(a) + ROW / 2 - 2;
      const y2 = y(b) + ROW / 2 - 2;
      const out1 = fromEnd ? x1 + 6 : x1 - 6;
      let d;
      if ((!toEnd && x2 - 6 >= out1) || (toEnd && x2 + 6 <= out1)) {
        d = `M${x1},${y1} H${out1} V${y2} H${x2}`;
      } else {
        const mid = y2 + (y2 > y1 ? -ROW / 2 : ROW / 2);
        const in2 = toEnd ? x2 + 6 : x2 - 6;
        d = `M${x1},${y1} H${out1} V${mid} H${in2} V${y2} H${x2}`;
      }
      const critical = from.critical && to.critical ? " cf-g-link-critical" : "";
      out.push(`<path class="cf-g-link${critical}" d="${d}" marker-end="url(#cf-g-arrow)"/>`);
    }
    return out.join("");
  }

  header(firstDay, lastDay, width) {
    const out = [`<rect class="cf-g-header" x="0" y="0" width="${width}" height="${HEADER}"/>`];
    const dw = this.dw();
    let lastMonth = null;
    for (let day = firstDay; day <= lastDay; day++) {
      const date = new Date(day * DAY_MS);
      const month = date.getUTCFullYear() * 12 + date.getUTCMonth();
      const x = this.x(day);
      if (month !== lastMonth) {
        const label = this.chinese
          ? `${date.getUTCFullYear()}年${date.getUTCMonth() + 1}月`
          : `${this.monthFormat.format(date)} ${date.getUTCFullYear()}`;
        out.push(`<line class="cf-g-tick" x1="${x}" x2="${x}" y1="0" y2="${HEADER}"/>`);
        // A month that began left of the view keeps its label at the edge, unless the
        // next month's label would run into it.
        const next = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
        const room = this.x(Math.round(next.getTime() / DAY_MS)) - Math.max(x, this.treeW);
        if (date.getUTCDate() === 1 || room > 90) out.push(`<text class="cf-g-month" x="${Math.max(x, this.treeW) + 4}" y="17">${label}</text>`);
        lastMonth = month;
      }
      const weekday = date.getUTCDay();
      const iso = isoOf(day);
      if (this.zoom === "day") {
        const cls = this.off.has(day) ? " cf-g-day-off" : this.makeup.has(day) ? " cf-g-day-makeup" : "";
        const name = this.names[iso] || (this.makeup.has(day) ? this.text.makeup : "");
        out.push(`<text class="cf-g-day${cls}" x="${x + dw / 2}" y="38">${date.getUTCDate()}${name ? `<title>${escapeText(iso + " " + name)}</title>` : ""}</text>`);
        if (this.makeup.has(day)) out.push(`<text class="cf-g-makeup-mark" x="${x + dw / 2}" y="27">${this.chinese ? "班" : "W"}</text>`);
      } else if (this.zoom === "week" && weekday === 1) {
        out.push(`<line class="cf-g-tick" x1="${x}" x2="${x}" y1="24" y2="${HEADER}"/><text class="cf-g-day" x="${x + 3}" y="40" text-anchor="start">${date.getUTCDate()}</text>`);
      }
    }
    out.push(`<line class="cf-g-rule" x1="0" x2="${width}" y1="${HEADER - 0.5}" y2="${HEADER - 0.5}"/>`);
    return out.join("");
  }

  tree(firstRow, lastRow, y, height) {
    const out = [`<rect class="cf-g-tree" x="0" y="0" width="${this.treeW}" height="${height}"/>`];
    for (let row = firstRow; row <= lastRow; row++) {
      const task = this.rows[row];
      const top = y(row);
      if (top + ROW < HEADER) continue;
      const indent = 74 + task.level * 14;
      const critical = task.critical ? " cf-g-tree-critical" : "";
      out.push(`<g class="cf-g-row" data-row-id="${task.id}">`);
      out.push(`<text class="cf-g-wbs" x="10" y="${top + 18}">${escapeText(task.wbs)}</text>`);
      if (this.children.has(task.id) && this.treeW !== TREE_NARROW) {
        const open = !this.collapsed.has(task.id);
        out.push(`<text class="cf-g-toggle" data-toggle="${task.id}" x="${indent - 14}" y="${top + 18}">${open ? "▾" : "▸"}</text>`);
      }
      if (this.treeW === TREE_NARROW) {
        out.push(`<title>${escapeText(task.wbs + " " + task.name)}</title></g>`);
        continue;
      }
      const room = Math.max(6, Math.floor((this.treeW - indent - 8) / 13));
      const limit = Math.min(24, room);
      const name = task.name.length > limit ? task.name.slice(0, limit - 1) + "…" : task.name;
      const weight = task.summary ? " cf-g-tree-summary" : "";
      out.push(`<text class="cf-g-name${weight}${critical}" x="${indent}" y="${top + 18}">${task.milestone ? "◆ " : ""}${escapeText(name)}<title>${escapeText(task.wbs + " " + task.name)}</title></text></g>`);
    }
    out.push(`<rect class="cf-g-tree-head-bg" x="0" y="0" width="${this.treeW}" height="${HEADER}"/>`);
    out.push(`<text class="cf-g-tree-head" x="10" y="30">WBS</text>` + (this.treeW === TREE_NARROW ? "" : `<text class="cf-g-tree-head" x="74" y="30">${escapeText(this.text.task)}</text>`));
    out.push(`<line class="cf-g-rule" x1="${this.treeW - 0.5}" x2="${this.treeW - 0.5}" y1="0" y2="${height}"/>`);
    return out.join("");
  }

  // --- interaction ----------------------------------------------------------------------

  click(event) {
    const toggle = event.target.closest("[data-toggle]");
    if (!toggle) return;
    const id = Number(toggle.dataset.toggle);
    if (this.collapsed.has(id)) this.collapsed.delete(id);
    else this.collapsed.add(id);
    this.flatten();
    this.render();
  }

  pointerDown(event) {
    const group = event.target.closest(".cf-g-editable");
    if (!group || event.button !== 0) return;
    const part = event.target.dataset.part || "move";
    const task = this.byId.get(Number(group.dataset.id));
    event.preventDefault();
    this.drag = { task, part, group, startX: event.clientX, delta: 0 };
    group.classList.add("cf-g-dragging");
    const move = (e) => this.pointerMove(e);
    const up = (e) => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      this.pointerUp(e);
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
  }

  pointerMove(event) {
    const drag = this.drag;
    if (!drag) return;
    drag.delta = event.clientX - drag.startX;
    if (drag.part === "move") {
      drag.group.setAttribute("transform", `translate(${drag.delta},0)`);
    } else {
      const bar = drag.group.querySelector(drag.part === "resize" ? ".cf-g-bar" : ".cf-g-done");
      const base = drag.part === "resize"
        ? (drag.task.f - drag.task.s + 1) * this.dw()
        : ((drag.task.f - drag.task.s + 1) * this.dw() * drag.task.percent) / 100;
      bar.setAttribute("width", Math.max(2, base + drag.delta));
    }
  }

  workingDays(from, to) {
    let count = 0;
    for (let day = from; day <= to; day++) if (!this.off.has(day)) count++;
    return count;
  }

  async pointerUp() {
    const drag = this.drag;
    this.drag = null;
    if (!drag) return;
    drag.group.classList.remove("cf-g-dragging");
    const days = Math.round(drag.delta / this.dw());
    const task = drag.task;
    let action = drag.part;
    let value;
    if (action === "move") {
      if (days === 0) return this.render();
      value = isoOf(task.s + days);
    } else if (action === "resize") {
      const end = Math.max(task.s, task.f + days);
      value = Math.max(1, this.workingDays(task.s, end));
      if (value === task.duration) return this.render();
    } else {
      const width = (task.f - task.s + 1) * this.dw();
      value = Math.max(0, Math.min(100, Math.round(task.percent + (drag.delta / width) * 100)));
      if (value === task.percent) return this.render();
    }
    await this.send({ task: task.id, version: task.version, action, value });
  }

  async send(change) {
    this.say(this.text.loading, "secondary");
    let response;
    try {
      response = await fetch(this.config.update, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
        body: JSON.stringify(change),
      });
    } catch (error) {
      this.say(this.text.error, "danger");
      return this.render();
    }
    const body = await response.json().catch(() => ({}));
    if (response.status === 409) this.say(this.text.stale, "warning");
    else if (!response.ok) this.say(`${this.text.error} ${body.error || ""}`, "danger");
    else this.say(this.text.saved, "success");
    if (response.ok) this.showNotice(body.notice || "", body.undo);
    await this.load(true);
  }

  showNotice(message, undo) {
    // A drag that moved a bar added a constraint: say so, with Undo (issue 14).
    if (!this.notice) return;
    this.undoInfo = undo || null;
    this.notice.hidden = !message;
    this.notice.querySelector("[data-gantt-notice-text]").textContent = message;
    const button = this.notice.querySelector("[data-gantt-undo]");
    button.hidden = !undo;
  }

  async undo() {
    this.say(this.text.loading, "secondary");
    let response;
    try {
      response = await fetch(this.config.undo, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
        body: "{}",
      });
    } catch (error) {
      this.say(this.text.error, "danger");
      return;
    }
    const body = await response.json().catch(() => ({}));
    this.showNotice("", null);
    if (response.ok) this.say(this.text.undone.replace("%(label)s", body.undone || ""), "success");
    else this.say(body.detail || this.text.error, response.status === 409 ? "warning" : "danger");
    await this.load(true);
  }
}

function start() {
  const root = document.querySelector("[data-gantt]");
  if (!root) return;
  const config = JSON.parse(document.getElementById("gantt-config").textContent);
  const gantt = new Gantt(root, config);
  root.gantt = gantt;
  gantt.load(false);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
