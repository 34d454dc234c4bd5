// Charts drawn with the locally served ECharts. No inline script (the Content-Security-Policy):
// each chart is an element with data-chart="line" and data-source="<id of a JSON script block>",
// the JSON being {"months": [...], "series": [{"name": ..., "data": [...]}, ...]}.
(function () {
  "use strict";
  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-source"));
    if (!source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(el);  // canvas: no style attributes for the Content-Security-Policy to refuse
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 56 },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", min: 0, max: 100 },
      series: data.series.map(function (s, i) {
        return { name: s.name, type: "line", data: s.data, connectNulls: false, lineStyle: { width: i === 0 ? 3 : 1 }, symbolSize: i === 0 ? 6 : 4 };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.querySelectorAll("[data-chart]").forEach(draw);
})();
