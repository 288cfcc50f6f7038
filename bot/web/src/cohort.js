// Charts of the officers' cohort view (/officer/cohort), drawn with Apache ECharts
// (bundled by esbuild, so the page works offline). The data comes from the page
// itself (<script type="application/json" id="cohort-data">); every chart has a
// table with the same numbers next to it and a text alternative.
import * as echarts from "echarts/core";
import { BarChart, HeatmapChart } from "echarts/charts";
import {
  AriaComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent,
} from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([BarChart, HeatmapChart, AriaComponent, GridComponent, LegendComponent,
  TooltipComponent, VisualMapComponent, CanvasRenderer]);

const FAIL = "#b3261e";
const PARTIAL = "#c77700";
const FONT = { fontFamily: 'system-ui, "PingFang SC", "Microsoft YaHei", sans-serif', fontSize: 13 };

function chart(id, option) {
  const el = document.getElementById(id);
  if (!el) return null;
  const c = echarts.init(el, null, { renderer: "canvas" });
  c.setOption({ aria: { enabled: true }, textStyle: FONT, animation: false, ...option });
  el.dataset.rendered = "true";
  return c;
}

function draw(data) {
  const charts = [];
  charts.push(chart("chart-distribution", {
    tooltip: {},
    grid: { left: 48, right: 16, top: 24, bottom: 40 },
    xAxis: { type: "category", name: "得分 / score", nameLocation: "middle", nameGap: 28,
      data: data.distribution.map((d) => d.bin) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", name: "企业数 / enterprises", data: data.distribution.map((d) => d.count),
      itemStyle: { color: "#1f5f99" }, label: { show: true, position: "top" } }],
  }));

  const top = data.items.slice(0, 20);
  const labels = top.map((r) => `${r.dimension} · 第${r.item}项 ${r.label}`.slice(0, 34));
  const cells = [];
  top.forEach((r, i) => { cells.push([0, i, r.fail]); cells.push([1, i, r.partial]); });
  const max = Math.max(1, ...top.map((r) => Math.max(r.fail, r.partial)));
  charts.push(chart("chart-heatmap", {
    tooltip: { formatter: (p) => `${labels[p.value[1]]}<br>${p.value[0] ? "基本达标" : "不达标"}: ${p.value[2]}` },
    grid: { left: 260, right: 24, top: 30, bottom: 70 },
    xAxis: { type: "category", data: ["不达标 / not met", "基本达标 / partly met"], position: "top" },
    yAxis: { type: "category", data: labels, inverse: true, axisLabel: { width: 250, overflow: "truncate" } },
    visualMap: { min: 0, max, calculable: false, orient: "horizontal", left: "center", bottom: 8,
      inRange: { color: ["#fff5eb", "#fdae6b", "#a63603"] }, text: ["多 / more", "少 / fewer"] },
    series: [{ type: "heatmap", name: "差距项 / gaps", data: cells, label: { show: true, color: "#000" } }],
  }));
  const heat = document.getElementById("chart-heatmap");
  if (heat) heat.style.height = `${Math.max(260, 110 + top.length * 26)}px`;

  const dims = data.dimensions.filter((d) => data.items.some((r) => r.dimension === d));
  const sum = (d, k) => data.items.filter((r) => r.dimension === d).reduce((a, r) => a + r[k], 0);
  charts.push(chart("chart-dimensions", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: 40 },
    xAxis: { type: "category", data: dims },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { type: "bar", stack: "g", name: "不达标", data: dims.map((d) => sum(d, "fail")), itemStyle: { color: FAIL } },
      { type: "bar", stack: "g", name: "基本达标", data: dims.map((d) => sum(d, "partial")), itemStyle: { color: PARTIAL } },
    ],
  }));

  const moved = data.movement.filter((m) => m.change !== null);
  charts.push(chart("chart-movement", {
    tooltip: {},
    grid: { left: 200, right: 40, top: 16, bottom: 32 },
    xAxis: { type: "value", name: "分数变化 / change" },
    yAxis: { type: "category", inverse: true, data: moved.map((m) => m.name.slice(0, 16)),
      axisLabel: { width: 190, overflow: "truncate" } },
    series: [{ type: "bar", name: "变化 / change", label: { show: true, position: "right" },
      data: moved.map((m) => ({ value: m.change, itemStyle: { color: m.change >= 0 ? "#2e7d32" : FAIL } })) }],
  }));
  window.addEventListener("resize", () => charts.forEach((c) => c && c.resize()));
  document.documentElement.dataset.chartsReady = "true";
}

function start() {
  const el = document.getElementById("cohort-data");
  if (!el) return;
  try {
    draw(JSON.parse(el.textContent));
  } catch (e) {
    document.documentElement.dataset.chartsReady = "error";
    throw e;
  }
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
