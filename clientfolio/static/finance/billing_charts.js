// Finance overview charts (ECharts): budget burn, the EVM S-curve and cost by category.
// Data come from json_script blocks; nothing runs inline (CSP).
(function () {
  "use strict";
  function read(id) {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }
  const GREEN = "#2fb344", BLUE = "#206bc4", ORANGE = "#f76707", GREY = "#9aa0ac", RED = "#d63939";
  function number(value) {
    return value === null || value === undefined ? null : Number(value);
  }
  function money(value) {
    if (value === null || value === undefined || Number.isNaN(value)) return "—";
    return "¥" + Number(value).toLocaleString(document.documentElement.lang || "en", { maximumFractionDigits: 0 });
  }
  function compact(value) {
    const chinese = document.documentElement.lang.startsWith("zh");
    const abs = Math.abs(value);
    if (chinese && abs >= 10000) return (value / 10000).toLocaleString("zh", { maximumFractionDigits: 1 }) + "万";
    if (!chinese && abs >= 1000000) return (value / 1000000).toLocaleString("en", { maximumFractionDigits: 1 }) + "M";
    if (!chinese && abs >= 1000) return (value / 1000).toLocaleString("en", { maximumFractionDigits: 0 }) + "k";
    return String(value);
  }
  const axis = { type: "value", axisLabel: { formatter: compact }, splitLine: { lineStyle: { color: "#eef0f3" } } };
  const tooltip = { trigger: "axis", valueFormatter: money };
  const grid = { left: 8, right: 40, top: 36, bottom: 8, containLabel: true };

  function burn(element, data, text) {
    const budget = number(data.budget);
    return {
      grid, tooltip, legend: { top: 0 },
      xAxis: { type: "category", data: data.labels, boundaryGap: false },
      yAxis: axis,
      series: [
        { name: text.actual, type: "line", data: data.actual.map(number), areaStyle: { opacity: 0.12 }, color: ORANGE, symbol: "circle", symbolSize: 5 },
        { name: text.budget, type: "line", data: data.labels.map(() => budget), color: GREY, symbol: "none", lineStyle: { type: "dashed" } },
      ],
    };
  }
  function curve(element, data, text) {
    const todayIndex = data.labels.findIndex((d) => d >= data.today);
    return {
      grid, tooltip, legend: { top: 0 },
      xAxis: { type: "category", data: data.labels, boundaryGap: false },
      yAxis: axis,
      series: [
        { name: text.pv, type: "line", data: data.pv.map(number), color: BLUE, symbol: "none", lineStyle: { type: "dashed", width: 2 },
          markLine: todayIndex >= 0 ? { symbol: "none", silent: true, label: { formatter: text.today }, lineStyle: { color: GREY }, data: [{ xAxis: data.labels[todayIndex] }] } : undefined },
        { name: text.ev, type: "line", data: data.ev.map(number), color: GREEN, symbol: "none", lineStyle: { width: 2 } },
        { name: text.ac, type: "line", data: data.ac.map(number), color: RED, symbol: "none", lineStyle: { width: 2 } },
      ],
    };
  }
  function categories(element, rows, text) {
    return {
      grid, tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: money }, legend: { top: 0 },
      xAxis: { type: "category", data: rows.map((r) => r.name), axisLabel: { interval: 0, fontSize: 11 } },
      yAxis: axis,
      series: [
        { name: text.budget, type: "bar", data: rows.map((r) => number(r.budget)), color: "#a6c8f0", barGap: "10%" },
        { name: text.actual, type: "bar", data: rows.map((r) => number(r.actual)), color: ORANGE },
      ],
    };
  }
  function start() {
    if (!window.echarts) return;
    const data = read("finance-charts");
    const text = read("finance-chart-text") || {};
    if (!data) return;
    const builders = { burn: () => burn(null, data.burn, text), curve: () => curve(null, data.curve, text), categories: () => categories(null, data.categories, text) };
    const charts = [];
    document.querySelectorAll("[data-finance-chart]").forEach((element) => {
      const build = builders[element.dataset.financeChart];
      if (!build) return;
      const chart = window.echarts.init(element, null, { renderer: "canvas" });
      chart.setOption(build());
      charts.push(chart);
    });
    window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
