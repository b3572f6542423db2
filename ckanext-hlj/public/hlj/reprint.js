// Charts of the reprint page (templates/hlj/reprint/page.html) with Apache ECharts: per site, stacked verdict counts
// with coverage and on-time rate; by month, the same trend; and how long reprints took. The data sits in a JSON
// script element, the tables next to the charts hold every figure, so the page works without this script.
(function () {
  "use strict";
  var COLOURS = { on_time: "#3b8f4e", late: "#e0a100", missing: "#c0392b", pending: "#8a9aa9" };
  var STATES = ["on_time", "late", "missing", "pending"];

  function percent(value) { return value === null ? null : Math.round(value * 1000) / 10; }

  function stacked(element, names, rows, data) {
    var chart = window.echarts.init(element);
    var series = STATES.map(function (state) {
      return {
        name: data.labels[state], type: "bar", stack: "count", itemStyle: { color: COLOURS[state] },
        data: rows.map(function (row) { return row[state]; })
      };
    });
    series.push({ name: data.coverage, type: "line", yAxisIndex: 1, data: rows.map(function (r) { return percent(r.coverage); }) });
    series.push({ name: data.rate, type: "line", yAxisIndex: 1, data: rows.map(function (r) { return percent(r.on_time_rate); }) });
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 48, bottom: 64 },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0 } },
      yAxis: [{ type: "value", minInterval: 1 }, { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }],
      series: series
    });
    return chart;
  }

  function histogram(element, data) {
    var chart = window.echarts.init(element);
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 48, right: 24, bottom: 32 },
      xAxis: { type: "category", data: data.lags.map(function (b) { return b.label; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: data.reprints, type: "bar", data: data.lags.map(function (b) { return b.count; }) }]
    });
    return chart;
  }

  function draw() {
    var source = document.getElementById("hlj-reprint-chart-data");
    if (!window.echarts || !source) { return; }
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll(".hlj-chart").forEach(function (element) {
      var kind = element.dataset.chart;
      if (kind === "sites") {
        charts.push(stacked(element, data.sites.map(function (s) { return s.site; }), data.sites, data));
      } else if (kind === "months") {
        charts.push(stacked(element, data.months.map(function (m) { return m.period; }), data.months, data));
      } else if (kind === "lags") {
        charts.push(histogram(element, data));
      }
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
