// Client analysis chart (ECharts): clients by RFM segment. Data from a json_script block.
(function () {
  "use strict";
  const COLOURS = { champions: "#2fb344", loyal: "#74b816", big_spenders: "#206bc4", new: "#4299e1", at_risk: "#d63939", hibernating: "#9aa0ac", attention: "#f59f00", none: "#dadfe5" };
  function start() {
    const element = document.querySelector("[data-analysis-chart]");
    const source = document.getElementById("analysis-charts");
    if (!window.echarts || !element || !source) return;
    const rows = JSON.parse(source.textContent).segments;
    const chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: rows.map((r) => r.label), axisLabel: { interval: 0 } },
      series: [{ type: "bar", data: rows.map((r) => ({ value: r.count, itemStyle: { color: COLOURS[r.value] } })), label: { show: true, position: "right" } }],
    });
    window.addEventListener("resize", () => chart.resize());
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
