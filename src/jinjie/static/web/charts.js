// 统计分析: draws each report chart with ECharts (served by the application) from the JSON the page
// carries in <script type="application/json"> (Django's json_script). No inline script, no eval:
// every element with data-chart="ID" is drawn from the JSON element #ID, {kind, title, data}.
// Tooltips are drawn on the canvas (renderMode "richText"), not as HTML, so nothing needs an
// inline style attribute (the pages' Content-Security-Policy allows none).
(function () {
  "use strict";
  if (!window.echarts) return;

  var PALETTE = ["#0d3b7a", "#b3261e", "#2e7d32", "#c77800", "#6a1b9a", "#00838f", "#5d4037",
    "#3f51b5", "#d81b60", "#7cb342", "#8d6e63", "#546e7a"];
  var TEXT = { fontFamily: "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif" };

  function withUnit(unit) {
    return function (value) {
      if (value === null || value === undefined || value === "-") return "—";
      return (typeof value === "number" ? value.toLocaleString("zh-CN") : value) + (unit ? " " + unit : "");
    };
  }

  function base(data) {
    return {
      color: PALETTE,
      textStyle: TEXT,
      animation: false,
      aria: { enabled: true },
      tooltip: { renderMode: "richText", confine: true, valueFormatter: withUnit(data.unit) },
      legend: { type: "scroll", top: 0 },
      grid: { left: 16, right: 24, top: 64, bottom: 16, containLabel: true }
    };
  }

  function categoryAxis(categories) {
    var many = categories.length > 6;
    return {
      type: "category", data: categories,
      axisLabel: { interval: 0, rotate: many ? 30 : 0, width: 120, overflow: "truncate" }
    };
  }

  function bars(data, stacked) {
    var option = base(data);
    option.tooltip.trigger = "axis";
    option.tooltip.axisPointer = { type: "shadow" };
    option.xAxis = categoryAxis(data.categories);
    option.yAxis = { type: "value", name: data.unit };
    option.series = data.series.map(function (s) {
      return { name: s.name, type: "bar", data: s.data, stack: stacked ? "total" : undefined,
        emphasis: { focus: "series" }, barMaxWidth: 48 };
    });
    return option;
  }

  var BUILDERS = {
    stacked_bar: function (data) { return bars(data, true); },
    grouped_bar: function (data) { return bars(data, false); },
    lines: function (data) {
      var option = base(data);
      option.tooltip.trigger = "axis";
      option.xAxis = { type: "category", data: data.categories, boundaryGap: false };
      option.yAxis = { type: "value", name: data.unit, min: 0 };
      option.series = data.series.map(function (s) {
        return { name: s.name, type: "line", data: s.data, connectNulls: false, symbolSize: 6,
          lineStyle: { type: s.dashed ? "dashed" : "solid" } };
      });
      return option;
    },
    sankey: function (data) {
      var option = base(data);
      option.tooltip.trigger = "item";
      delete option.legend;
      option.series = [{
        type: "sankey", left: 8, right: 96, top: 16, bottom: 16, nodeGap: 10, draggable: false,
        layoutIterations: 32, emphasis: { focus: "adjacency" },
        data: data.nodes.map(function (name) { return { name: name }; }),
        links: data.links,
        lineStyle: { color: "gradient", opacity: 0.35 },
        label: { fontSize: 12 }
      }];
      return option;
    },
    boxplot: function (data) {
      var option = base(data);
      option.tooltip.trigger = "item";
      delete option.legend;
      option.xAxis = categoryAxis(data.categories);
      option.yAxis = { type: "value", name: data.unit, min: 0 };
      option.series = [{ name: "现职级已任月数", type: "boxplot", data: data.boxes,
        itemStyle: { color: "#e8eef8", borderColor: "#0d3b7a" } }];
      return option;
    },
    heatmap: function (data) {
      var option = base(data);
      option.tooltip.trigger = "item";
      option.tooltip.formatter = function (p) {
        var cell = data.cells[p.dataIndex];
        return data.y[cell[1]] + " · " + data.x[cell[0]] + "\n未达到 " + cell[3] + " / " + cell[4] + " 人（" +
          (cell[2] === null ? "—" : cell[2] + "%") + "）";
      };
      delete option.legend;
      option.grid.top = 16;
      option.grid.bottom = 64;
      option.xAxis = categoryAxis(data.x);
      option.xAxis.splitArea = { show: true };
      option.yAxis = { type: "category", data: data.y, splitArea: { show: true } };
      option.visualMap = { min: 0, max: 100, calculable: false, orient: "horizontal", left: "center", bottom: 0,
        text: ["100%", "0%"], inRange: { color: ["#f3f5f8", "#f5d36b", "#b3261e"] } };
      option.series = [{ type: "heatmap", data: data.cells.map(function (c) { return [c[0], c[1], c[2]]; }),
        label: { show: true, formatter: function (p) { return p.value[2] === null ? "" : p.value[2] + "%"; } } }];
      return option;
    }
  };

  var drawn = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    var build = BUILDERS[spec.kind];
    if (!build) return;
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(build(spec.data));
    el.setAttribute("data-rendered", spec.kind);
    drawn.push(chart);
  });

  function resize() { drawn.forEach(function (chart) { chart.resize(); }); }
  window.addEventListener("resize", resize);
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);
})();
