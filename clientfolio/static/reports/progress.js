// The slip of a report's next milestones against the first baseline (working days),
// as a horizontal bar chart; its data is also the table under it.
function draw() {
  const element = document.querySelector("[data-report-slip]");
  const source = document.getElementById("report-slip-data");
  if (!element || !source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const chart = window.echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    title: { text: data.title, textStyle: { fontSize: 13 } },
    grid: { left: 8, right: 48, top: 36, bottom: 8, containLabel: true },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (items) => {
        const row = data.rows[items[0].dataIndex];
        return `${row.name.replace(/</g, "&lt;")}<br>${data.text.baseline} ${row.baseline || "—"} · ${data.text.forecast} ${row.finish || "—"}<br>${row.slip_text}`;
      },
    },
    xAxis: { type: "value", minInterval: 1, axisLabel: { formatter: (v) => `${v}` } },
    yAxis: { type: "category", inverse: true, data: data.rows.map((r) => r.name) },
    series: [
      {
        type: "bar",
        data: data.rows.map((r) => ({ value: r.slip, itemStyle: { color: r.slip > 0 ? "#d63939" : "#2fb344" } })),
        label: { show: true, position: "right", formatter: (p) => `${p.value}` },
      },
    ],
  });
  element.dataset.ready = "1";
  window.addEventListener("resize", () => chart.resize());
}

if (document.readyState === "complete") draw();
else window.addEventListener("load", draw);
