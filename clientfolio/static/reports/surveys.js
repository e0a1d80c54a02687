// The satisfaction trend: CSAT (left axis, 1–5) and NPS (right axis, −100..100) by month,
// with the exact values and the number of answers in the tooltip.
function drawTrend() {
  const element = document.querySelector("[data-survey-trend]");
  const source = document.getElementById("survey-trend-data");
  if (!element || !source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const chart = window.echarts.init(element, null, { renderer: "svg" });
  const fixed = (value, digits) => (value === null || value === undefined ? "—" : Number(value).toFixed(digits));
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    grid: { left: 40, right: 48, top: 32, bottom: 28 },
    legend: { top: 0, data: [data.text.csat, data.text.nps] },
    tooltip: {
      trigger: "axis",
      formatter: (items) => {
        const i = items[0].dataIndex;
        return `${data.periods[i]}<br>${data.text.csat}: ${fixed(data.csat[i], 2)}<br>${data.text.nps}: ${fixed(data.nps[i], 1)}<br>${data.answers[i]} ${data.text.answers}`;
      },
    },
    xAxis: { type: "category", data: data.periods, boundaryGap: data.periods.length < 2 },
    yAxis: [
      { type: "value", min: 1, max: 5, interval: 1 },
      { type: "value", min: -100, max: 100, interval: 50, splitLine: { show: false } },
    ],
    series: [
      { type: "line", name: data.text.csat, data: data.csat, yAxisIndex: 0, symbolSize: 8, lineStyle: { width: 2, color: "#206bc4" }, itemStyle: { color: "#206bc4" }, label: { show: true, position: "top" } },
      { type: "bar", name: data.text.nps, data: data.nps, yAxisIndex: 1, barMaxWidth: 24, itemStyle: { color: "#8fb8e8" } },
    ],
  });
  element.dataset.ready = "1";
  window.addEventListener("resize", () => chart.resize());
}

if (document.readyState === "complete") drawTrend();
else window.addEventListener("load", drawTrend);
