// The client page's money chart (ECharts): contracted and received per month, one chart
// per currency. Data from json_script blocks; nothing runs inline (CSP).
(function () {
  "use strict";
  function read(id) {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }
  function start() {
    const data = read("client-analysis-data");
    const text = read("client-analysis-text") || {};
    if (!window.echarts || !data) return;
    const lang = document.documentElement.lang || "en";
    const charts = [];
    document.querySelectorAll("[data-client-money]").forEach((element) => {
      const currency = element.dataset.clientMoney;
      const rows = data.money[currency] || [];
      const exact = (v) => Number(v).toLocaleString(lang, { style: "currency", currency, minimumFractionDigits: 2 });
      const chart = window.echarts.init(element, null, { renderer: "canvas" });
      chart.setOption({
        grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
        legend: { top: 0 },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: exact },
        xAxis: { type: "category", data: rows.map((r) => r.month) },
        yAxis: { type: "value", axisLabel: { formatter: (v) => (lang.startsWith("zh") && v >= 10000 ? v / 10000 + "万" : Number(v).toLocaleString(lang)) } },
        series: [
          { name: text.contracted, type: "bar", color: "#9aa0ac", data: rows.map((r) => Number(r.contracted)) },
          { name: text.received, type: "bar", color: "#206bc4", data: rows.map((r) => Number(r.received)) },
        ],
      });
      charts.push(chart);
    });
    window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
