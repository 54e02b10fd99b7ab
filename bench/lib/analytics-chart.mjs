// chartMs of the analytics bench (issue 9: "a year's daily chart render, target under 100 ms"):
// the renderer's chart code (src/renderer/components/analytics/time-chart.ts, uPlot) draws 365
// daily points × 4 series in Chromium, in a page of its own (./analytics-chart-page.js, bundled
// with Vite, served by the bench's static server).
//
//   chartMs       median, over `runs` runs after `warmup` ones, of the time from creating the chart
//                 to uPlot's first full draw (DOM, scales, axes, lines on the canvas, legend).
//   chartFrameMs  the same, to the next animation frame after it (style, layout and paint).
//   chartColdMs   the first run's chartMs (code not yet optimized, fonts measured the first time).
import path from 'node:path';
import { build } from 'vite';
import { ROOT, median, round1 } from './support.mjs';

/** The page's script and stylesheet, bundled in memory. */
async function bundle() {
  const output = await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    build: {
      write: false,
      minify: true,
      target: 'es2023',
      cssCodeSplit: false,
      lib: { entry: path.join(ROOT, 'bench/lib/analytics-chart-page.js'), formats: ['es'], fileName: 'chart-page' },
    },
  });
  const items = (Array.isArray(output) ? output : [output]).flatMap((o) => o.output);
  const chunks = items.filter((o) => o.type === 'chunk');
  if (chunks.length !== 1) throw new Error(`The chart page bundled into ${chunks.length} scripts, not one.`);
  const css = items
    .filter((o) => o.type === 'asset' && o.fileName.endsWith('.css'))
    .map((o) => String(o.source))
    .join('\n');
  return { script: chunks[0].code, css };
}

/**
 * Measures the chart in a new page of `context` (a Playwright browser context) served by `server`
 * (bench/lib/static-server.mjs). `runs` timed runs after `warmup` (defaults 15 and 5).
 * Answers `{ chartMs, chartFrameMs, chartColdMs, chartPoints, chartSeries }`.
 *
 * @throws Error when the canvas shows no line (nothing was drawn).
 */
export async function measureChart({ context, server, runs = 15, warmup = 5, log = () => {} }) {
  log('bundling the chart code into a page…');
  const { script, css } = await bundle();
  server.files.set('/chart/', {
    type: 'text/html; charset=utf-8',
    body:
      '<!doctype html><meta charset="utf-8"><title>Chart bench</title>' +
      '<link rel="stylesheet" href="/chart/page.css">' +
      '<body style="margin:0;background:#171b22"><div id="chart" style="width:960px"></div>' +
      '<script type="module" src="/chart/page.js"></script></body>',
  });
  server.files.set('/chart/page.js', { type: 'text/javascript; charset=utf-8', body: script });
  server.files.set('/chart/page.css', { type: 'text/css; charset=utf-8', body: css });
  const page = await context.newPage();
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${server.origin}/chart/`);
    await page.waitForFunction(() => window.chartBenchReady === true);
    const cold = await page.evaluate((c) => window.chartBench.run(c), {
      days: 365,
      series: 4,
      warmup: 0,
      runs: 1,
      width: 960,
      height: 320,
    });
    await page.reload();
    await page.waitForFunction(() => window.chartBenchReady === true);
    const timed = await page.evaluate((c) => window.chartBench.run(c), {
      days: 365,
      series: 4,
      warmup,
      runs,
      width: 960,
      height: 320,
    });
    if (timed.coloured < 100) throw new Error(`The chart's canvas shows no line (${timed.coloured} pixels of it).`);
    const figures = {
      chartMs: round1(median(timed.results.map((r) => r.drawMs))),
      chartFrameMs: round1(median(timed.results.map((r) => r.frameMs))),
      chartColdMs: round1(cold.results[0].drawMs),
      chartPoints: timed.points,
      chartSeries: timed.series,
    };
    log(
      `a year's daily chart (${timed.points} points × ${timed.series} series, canvas ${timed.canvas.join('×')}): ` +
        `median ${figures.chartMs} ms to drawn, ${figures.chartFrameMs} ms to the next frame; first ${figures.chartColdMs} ms`,
    );
    return figures;
  } finally {
    await page.close();
  }
}
