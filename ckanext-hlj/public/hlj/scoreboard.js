// Charts of the openness scoreboard (templates/hlj/scoreboard/*.html) with Apache ECharts: organisations' and
// regions' scores as bars, and the monthly trend of the score and its measures. The data sits in a JSON script
// element; the tables hold every figure, so the page works without this script.
(function () {
  "use strict";

  function percent(value) { return value === null || value === undefined ? null : Math.round(value * 1000) / 10; }

  function scores(element, rows, label) {
    var chart = window.echarts.init(element);
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 48, right: 24, bottom: 96 },
      xAxis: { type: "category", data: rows.map(function (r) { return r.title; }), axisLabel: { interval: 0, rotate: rows.length > 6 ? 40 : 0 } },
      yAxis: { type: "value", min: 0, max: 100 },
      series: [{ name: label, type: "bar", data: rows.map(function (r) { return r.score; }) }]
    });
    return chart;
  }

  function months(element, data) {
    var chart = window.echarts.init(element);
    var keys = ["timeliness", "reprint", "interpretation"];
    var series = [{ name: data.score, type: "line", data: data.months.map(function (m) { return m.score; }) }];
    keys.forEach(function (key) {
      series.push({
        name: data.labels[key], type: "line", lineStyle: { type: "dashed" },
        data: data.months.map(function (m) { return percent(m[key]); })
      });
    });
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 24, bottom: 32 },
      xAxis: { type: "category", data: data.months.map(function (m) { return m.month; }) },
      yAxis: { type: "value", min: 0, max: 100 },
      series: series
    });
    return chart;
  }

  function draw() {
    var source = document.getElementById("hlj-scoreboard-chart-data");
    if (!window.echarts || !source) { return; }
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll(".hlj-chart").forEach(function (element) {
      var kind = element.dataset.chart;
      if (kind === "organizations") { charts.push(scores(element, data.organizations, data.score)); }
      else if (kind === "regions") { charts.push(scores(element, data.regions, data.score)); }
      else if (kind === "months") { charts.push(months(element, data)); }
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
