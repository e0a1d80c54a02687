// Risk matrix (风险矩阵) as an ECharts heat map and a risk's score trend as a line chart.
"use strict";

function hexToRgba(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

function openCell(element, data, probability, impact) {
  const url = `?${data.base_query}probability=${probability}&impact=${impact}`;
  const target = element.dataset.target;
  if (window.htmx && target === "#cell-risks" && document.querySelector(target)) {
    window.htmx.ajax("GET", url, { target, swap: "outerHTML" }).then(() => {
      window.history.pushState({}, "", url);
    });
    return;
  }
  window.location.href = url;
}

function drawMatrix() {
  const element = document.querySelector("[data-risk-matrix]");
  const source = document.getElementById("risk-matrix-data");
  if (!element || !source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const text = data.text;
  const chart = window.echarts.init(element, null, { renderer: "svg" });
  const items = data.cells.map(([x, y, count, score, level]) => ({
    value: [x, y, count],
    score,
    level,
    itemStyle: {
      color: hexToRgba(data.colours[level], count ? 0.9 : 0.22),
      borderColor: "#fff",
      borderWidth: 2,
    },
    label: { color: count ? "#fff" : "#6c7a91", fontWeight: count ? "bold" : "normal" },
  }));
  const ticks = ["1", "2", "3", "4", "5"];
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    grid: { left: 56, right: 12, top: 12, bottom: 48 },
    tooltip: {
      formatter: (p) =>
        `${text.probability} ${p.value[1] + 1} × ${text.impact} ${p.value[0] + 1}<br>` +
        `${text.score} ${p.data.score} · ${text.level} ${data.levels[p.data.level]}<br>` +
        `${text.risks}: ${p.value[2]}`,
    },
    xAxis: { type: "category", data: ticks, name: text.impact, nameLocation: "middle", nameGap: 28, splitArea: { show: false } },
    yAxis: { type: "category", data: ticks, name: text.probability, nameLocation: "middle", nameGap: 36, splitArea: { show: false } },
    series: [
      {
        type: "heatmap",
        data: items,
        label: { show: true, fontSize: 15, formatter: (p) => (p.value[2] ? String(p.value[2]) : "·") },
        emphasis: { itemStyle: { borderColor: "#1d273b", borderWidth: 2 } },
      },
    ],
  });
  chart.on("click", (p) => {
    if (p.value[2]) openCell(element, data, p.value[1] + 1, p.value[0] + 1);
  });
  element.dataset.ready = "1";
  window.addEventListener("resize", () => chart.resize());
}

function drawTrend() {
  const element = document.querySelector("[data-risk-trend]");
  const source = document.getElementById("risk-trend-data");
  if (!element || !source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const [low, medium, high] = data.thresholds;
  const chart = window.echarts.init(element, null, { renderer: "svg" });
  const band = (from, to, level) => [
    { yAxis: from, itemStyle: { color: hexToRgba(data.colours[level], 0.08) }, label: { show: false } },
    { yAxis: to },
  ];
  const dateLabel = (iso) => iso.slice(0, 10);
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    grid: { left: 40, right: 16, top: 16, bottom: 36 },
    tooltip: {
      trigger: "axis",
      formatter: (items) => {
        const p = items[0].data.point;
        const note = p.note ? `<br>${p.note.replace(/</g, "&lt;")}` : "";
        return `${p.at.slice(0, 16).replace("T", " ")}<br>${data.text.score} ${p.score} (${data.text.probability} ${p.probability} × ${data.text.impact} ${p.impact})${note}`;
      },
    },
    xAxis: { type: "category", data: data.points.map((p) => dateLabel(p.at)), boundaryGap: data.points.length < 2 },
    yAxis: { type: "value", min: 0, max: 25, interval: 5 },
    series: [
      {
        type: "line",
        name: data.text.score,
        data: data.points.map((p) => ({ value: p.score, point: p })),
        symbolSize: 8,
        lineStyle: { width: 2, color: "#206bc4" },
        itemStyle: { color: "#206bc4" },
        label: { show: true, position: "top" },
        markArea: {
          silent: true,
          data: [band(0, low, "low"), band(low, medium, "medium"), band(medium, high, "high"), band(high, 25, "critical")],
        },
      },
    ],
  });
  element.dataset.ready = "1";
  window.addEventListener("resize", () => chart.resize());
}

function start() {
  drawMatrix();
  drawTrend();
}

if (document.readyState === "complete") start();
else window.addEventListener("load", start);
