// Portfolio dashboard charts (ECharts): projects by phase and health, milestone slip,
// receivables by age, satisfaction per month. Data come from json_script blocks; nothing runs inline (CSP).
(function () {
  "use strict";
  function read(id) {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }
  const COLOURS = { red: "#d63939", amber: "#f59f00", green: "#2fb344", grey: "#9aa0ac" };
  const grid = { left: 8, right: 24, top: 36, bottom: 8, containLabel: true };
  function money(value) {
    return "¥" + Number(value).toLocaleString(document.documentElement.lang || "en", { maximumFractionDigits: 0 });
  }
  function phases(data, text) {
    return {
      grid, legend: { top: 0 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: data.phases.map((row) => row.phase), axisLabel: { interval: 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: ["red", "amber", "green", "grey"].map((key) => ({
        name: text[key], type: "bar", stack: "health", color: COLOURS[key],
        data: data.phases.map((row) => row[key]),
        label: { show: true, formatter: (p) => (p.value ? p.value : "") },
      })),
    };
  }
  function milestones(data, text) {
    return {
      grid: { ...grid, top: 8 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v) => "+" + v },
      xAxis: { type: "value", name: text.days, nameLocation: "end", minInterval: 1 },
      yAxis: { type: "category", data: data.milestones.map((m) => m.name), axisLabel: { interval: 0, width: 180, overflow: "truncate" } },
      series: [{ name: text.days, type: "bar", color: COLOURS.red, data: data.milestones.map((m) => m.slip), label: { show: true, position: "right" } }],
    };
  }
  function ageing(data, text) {
    return {
      grid: { ...grid, top: 8 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: money },
      xAxis: { type: "category", data: data.ageing.labels, axisLabel: { interval: 0 } },
      yAxis: { type: "value", axisLabel: { formatter: (v) => (v >= 10000 ? v / 10000 + "万" : v) } },
      series: [{
        name: text.outstanding, type: "bar",
        data: data.ageing.values.map((v, i) => ({ value: Number(v), itemStyle: { color: i === 0 ? COLOURS.grey : i < 2 ? COLOURS.amber : COLOURS.red } })),
      }],
    };
  }
  function satisfaction(data, text) {
    const rows = data.satisfaction;
    const fixed = (digits) => (v) => (v === null || v === undefined ? "—" : Number(v).toFixed(digits));
    return {
      grid: { ...grid, top: 36 },
      legend: { top: 0 },
      tooltip: {
        trigger: "axis",
        formatter: (items) => {
          const row = rows[items[0].dataIndex];
          return [row.month, text.answers + ": " + row.answers, text.csat + ": " + fixed(2)(row.csat), text.nps + ": " + fixed(1)(row.nps)].join("<br>");
        },
      },
      xAxis: { type: "category", data: rows.map((r) => r.month) },
      yAxis: [
        { type: "value", name: text.csat, min: 1, max: 5, interval: 1, nameTextStyle: { align: "left" } },
        { type: "value", name: text.nps, min: -100, max: 100, interval: 50, splitLine: { show: false }, nameTextStyle: { align: "right" } },
      ],
      series: [
        { name: text.csat, type: "line", color: "#206bc4", connectNulls: true, data: rows.map((r) => r.csat), label: { show: true, formatter: (p) => fixed(1)(p.value) } },
        { name: text.nps, type: "line", yAxisIndex: 1, color: "#f59f00", connectNulls: true, data: rows.map((r) => r.nps) },
      ],
    };
  }
  function start() {
    if (!window.echarts) return;
    const data = read("portfolio-charts");
    const text = read("portfolio-chart-text") || {};
    if (!data) return;
    const builders = { phases, milestones, ageing, satisfaction };
    const charts = [];
    document.querySelectorAll("[data-portfolio-chart]").forEach((element) => {
      const build = builders[element.dataset.portfolioChart];
      if (!build) return;
      const chart = window.echarts.init(element, null, { renderer: "canvas" });
      chart.setOption(build(data, text));
      charts.push(chart);
    });
    window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
