// The chart part of the analytics bench (bench/lib/analytics-chart.mjs bundles this with Vite and
// serves it on 127.0.0.1): the renderer's own chart code (src/renderer/components/analytics/
// time-chart.ts: uPlot with the app's axes, zone and legend), driven through `window.chartBench`.
import 'uplot/dist/uPlot.min.css';
import { createTimeChart } from '../../src/renderer/components/analytics/time-chart.ts';

const DAY = 86_400_000;
/** The year's last day (the chart ends here). */
const END = Date.parse('2026-11-30T23:00:00Z');
const COLORS = ['#f07b8c', '#4fc29a', '#56b4e9', '#e6b34a'];

/** mulberry32: the same year on every run. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A year of daily points (`days`) × `series` lines: counts that wander, one null in fifty. */
function yearSpec(days, series) {
  const rand = random(9);
  const x = Array.from({ length: days }, (_, i) => END - (days - 1 - i) * DAY);
  const lines = Array.from({ length: series }, (_, s) => {
    let v = 50 + s * 40;
    return {
      key: `s${s}`,
      label: `Series ${s + 1}`,
      color: COLORS[s % COLORS.length],
      axis: 'left',
      values: x.map(() => {
        v = Math.max(0, v + (rand() - 0.5) * 12);
        return rand() < 0.02 ? null : Math.round(v * 10) / 10;
      }),
    };
  });
  return { x, lines, leftLabel: 'Per post' };
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));

window.chartBench = {
  /**
   * Draws a year's daily chart (`days` × `series`) `warmup + runs` times, each into a fresh
   * element, as the analytics view does when it shows one. Each run answers `drawMs`: from the
   * call to uPlot's `draw` hook after its first full draw (options, DOM, scales, axes, lines on
   * the canvas, legend), and `frameMs`: to the next animation frame after that (style, layout and
   * paint of the page included). The chart stays on screen until the next run replaces it.
   */
  async run({ days, series, warmup, runs, width, height }) {
    const spec = yearSpec(days, series);
    const host = document.getElementById('chart');
    const results = [];
    let chart = null;
    for (let i = 0; i < warmup + runs; i++) {
      chart?.destroy();
      host.replaceChildren();
      await nextFrame();
      let drawn;
      const done = new Promise((resolve) => {
        drawn = resolve;
      });
      let drawAt = 0;
      const t0 = performance.now();
      chart = createTimeChart(host, spec, {
        width,
        height,
        zone: 'Europe/Paris',
        language: 'en',
        onDraw: () => {
          if (drawAt === 0) {
            drawAt = performance.now();
            drawn();
          }
        },
      });
      await done;
      await nextFrame();
      const frameAt = performance.now();
      if (i >= warmup) results.push({ drawMs: drawAt - t0, frameMs: frameAt - t0 });
    }
    // What was drawn, checked once outside the timing: the canvas holds the lines' colour.
    const canvas = host.querySelector('canvas');
    const ctx = canvas.getContext('2d');
    const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let coloured = 0;
    for (let p = 0; p < pixels.length; p += 4) {
      if (Math.abs(pixels[p] - 0xf0) < 24 && Math.abs(pixels[p + 1] - 0x7b) < 24 && Math.abs(pixels[p + 2] - 0x8c) < 24)
        coloured++;
    }
    return {
      results,
      points: spec.x.length,
      series: spec.lines.length,
      coloured,
      canvas: [canvas.width, canvas.height],
    };
  },
};
window.chartBenchReady = true;
