// Client timeline chart (客户时间节点图): phases as bars and milestones as diamonds on a
// time axis, coloured by status, drawn with an ECharts custom series.
"use strict";

const COLOURS = { done: "#2fb344", done_late: "#ae3ec9", on_track: "#206bc4", at_risk: "#f59f00", late: "#d63939" };
const DAY_MS = 86400000;

function time(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return Date.UTC(y, m - 1, d);
}

function start() {
  const element = document.querySelector("[data-timeline-chart]");
  if (!element || !window.echarts) return;
  const data = JSON.parse(document.getElementById("timeline-data").textContent);
  const chinese = document.documentElement.lang.startsWith("zh");
  const rows = data.rows;
  const text = data.text;
  if (!rows.length) {
    element.hidden = true;
    return;
  }
  element.style.height = Math.max(240, 110 + rows.length * 34) + "px";
  const chart = window.echarts.init(element, null, { renderer: "svg" });
  const items = rows.map((row, index) => ({
    value: [index, time(row.start || row.finish), time(row.finish || row.start) + DAY_MS, row.baseline ? time(row.baseline) : null],
    row,
    itemStyle: { color: COLOURS[row.status] },
  }));
  const monthLabel = (value) => {
    const date = new Date(value);
    const m = date.getUTCMonth() + 1;
    if (chinese) return m === 1 ? `${date.getUTCFullYear()}年${m}月` : `${m}月`;
    const name = date.toLocaleString("en", { month: "short", timeZone: "UTC" });
    return m === 1 ? `${name} ${date.getUTCFullYear()}` : name;
  };
  const today = time(data.today);
  const render = (params, api) => {
    const index = api.value(0);
    const item = items[params.dataIndex];
    const [x1, y] = api.coord([api.value(1), index]);
    const [x2] = api.coord([api.value(2), index]);
    const colour = COLOURS[item.row.status];
    const children = [];
    if (item.row.baseline) {
      const [bx] = api.coord([api.value(3) + DAY_MS / 2, index]);
      children.push({ type: "polygon", shape: { points: [[bx, y - 7], [bx + 7, y], [bx, y + 7], [bx - 7, y]] }, style: { fill: "none", stroke: "#9aa0ac", lineWidth: 1.5 } });
    }
    if (item.row.kind === "phase") {
      children.push({ type: "rect", shape: { x: x1, y: y - 9, width: Math.max(3, x2 - x1), height: 18, r: 3 }, style: { fill: colour } });
      children.push({ type: "text", style: { x: x2 + 6, y, text: item.row.note, fill: "#1d273b", verticalAlign: "middle", fontSize: 12 } });
    } else {
      const [cx] = api.coord([api.value(2) - DAY_MS / 2, index]);
      children.push({ type: "polygon", shape: { points: [[cx, y - 10], [cx + 10, y], [cx, y + 10], [cx - 10, y]] }, style: { fill: colour } });
      children.push({ type: "text", style: { x: cx + 14, y, text: item.row.note, fill: "#1d273b", verticalAlign: "middle", fontSize: 12 } });
    }
    return { type: "group", children };
  };
  const tooltip = (params) => {
    const row = items[params.dataIndex].row;
    const lines = [`<strong>${row.name.replace(/</g, "&lt;")}</strong>`];
    if (row.start) lines.push(`${text.start}: ${row.start}`);
    if (row.finish) lines.push(`${text.finish}: ${row.finish}`);
    if (row.baseline) lines.push(`${text.baseline}: ${row.baseline}`);
    lines.push(`${text.status}: ${data.labels[row.status]}`);
    lines.push(`${text.slip}: ${row.slip}`);
    lines.push(`${text.buffer}: ${row.buffer}`);
    return lines.join("<br>");
  };
  const times = items.flatMap((i) => [i.value[1], i.value[2], i.value[3]].filter((v) => v !== null)).concat([today]);
  chart.setOption({
    title: { text: data.title, left: 0, textStyle: { fontSize: 15 } },
    animation: false,
    grid: { left: 220, right: 330, top: 60, bottom: 30 },
    tooltip: { trigger: "item", formatter: tooltip },
    xAxis: {
      type: "time",
      position: "top",
      min: Math.min(...times) - 7 * DAY_MS,
      max: Math.max(...times) + 14 * DAY_MS,
      splitLine: { show: true, lineStyle: { color: "#e6e7e9" } },
      axisLabel: { formatter: monthLabel, hideOverlap: true },
      minInterval: 28 * DAY_MS,
    },
    yAxis: {
      type: "category",
      inverse: true,
      data: rows.map((r) => r.name),
      axisTick: { show: false },
      axisLabel: { width: 200, overflow: "truncate" },
    },
    series: [
      {
        type: "custom",
        renderItem: render,
        encode: { x: [1, 2], y: 0 },
        data: items,
        markLine: {
          silent: true,
          symbol: "none",
          lineStyle: { color: "#d63939", type: "dashed", width: 2 },
          label: { formatter: `${text.today} ${data.today}`, color: "#d63939" },
          data: [{ xAxis: today }],
        },
      },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
  element.dataset.timelineReady = "1";
}

if (document.readyState === "complete") start();
else window.addEventListener("load", start);
