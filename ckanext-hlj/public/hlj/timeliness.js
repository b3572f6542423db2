// Charts of the timeliness page (templates/hlj/timeliness/page.html) with Apache ECharts: per rule, a stacked bar
// of each organisation's counts by state with its on-time rate, and the same by month. The data sits in a JSON
// script element next to each chart, so the page works (as tables) without this script.
(function () {
  "use strict";
  var COLOURS = { on_time: "#3b8f4e", late: "#e0a100", pending: "#8a9aa9", overdue: "#c0392b" };
  var STATES = ["on_time", "late", "pending", "overdue"];

  function bars(element, names, rows, labels, rateLabel) {
    var chart = window.echarts.init(element);
    var series = STATES.map(function (state) {
      return {
        name: labels[state], type: "bar", stack: "count", itemStyle: { color: COLOURS[state] },
        data: rows.map(function (row) { return row[state]; })
      };
    });
    series.push({
      name: rateLabel, type: "line", yAxisIndex: 1,
      data: rows.map(function (row) { return row.on_time_rate === null ? null : Math.round(row.on_time_rate * 1000) / 10; })
    });
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 48, bottom: 64 },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0 } },
      yAxis: [{ type: "value", minInterval: 1 }, { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }],
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function draw() {
    if (!window.echarts) { return; }
    document.querySelectorAll(".hlj-timeliness-rule").forEach(function (section) {
      var source = section.querySelector(".hlj-chart-data");
      if (!source) { return; }
      var data = JSON.parse(source.textContent);
      section.querySelectorAll(".hlj-chart").forEach(function (element) {
        if (element.dataset.chart === "organizations") {
          bars(element, data.organizations.map(function (o) { return o.title; }), data.organizations, data.labels, data.rate);
        } else if (data.months.length) {
          bars(element, data.months.map(function (m) { return m.month; }), data.months, data.labels, data.rate);
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
