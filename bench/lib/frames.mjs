// Frame timing for scrolling benchmarks in Chromium: a page function that scrolls one element a
// fixed distance per frame while it records requestAnimationFrame intervals, and the statistics.
//
// Chromium normally holds frames to the display's rate (60 Hz headless), so rAF intervals read
// 16.7 ms whenever a frame fits and only show how many frames were dropped. Launched with
// UNLOCKED_FRAME_ARGS, it starts the next frame as soon as the last one is done: each interval is
// then what that frame cost (input and scroll handling, script, style, layout, paint, compositing),
// and "p95 under 16.7 ms" reads directly as "95% of frames would fit one 60 Hz frame".
import { round1 } from './support.mjs';

/** Chromium switches that lift the frame-rate cap (cc and display schedulers) and vsync. */
export const UNLOCKED_FRAME_ARGS = ['--disable-frame-rate-limit', '--disable-gpu-vsync'];

/** One frame at 60 Hz, in ms. */
export const FRAME_60HZ_MS = 1000 / 60;

/**
 * Runs in the page. Brings `scrollerSelector`'s element into view (its nearest scrolling
 * ancestors scroll it there), waits two frames, then for `frames` frames moves its scrollTop down
 * by `stepPx` in each requestAnimationFrame callback, as a steady fling would.
 *
 * @returns `{ intervals }` (ms between consecutive rAF timestamps, `frames` of them),
 *   `scrolledPx` (how far it actually moved: less when the list's end held it back while it
 *   loaded more), `longFrames` (the long-animation-frame entries, frames of 50 ms or more, where
 *   Chromium reports them, else null: `{ duration, styleAndLayout, scripts: [{ invoker, duration, forcedStyleAndLayout }] }`
 *   in ms, see https://w3c.github.io/long-animation-frames/) and `articles` (how many `article`
 *   elements the element holds at the end).
 * @throws when the selector matches nothing.
 */
export async function scrollAndTime({ scrollerSelector, frames, stepPx }) {
  const scroller = document.querySelector(scrollerSelector);
  if (!scroller) throw new Error(`Nothing to scroll at ${scrollerSelector}`);
  scroller.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  await nextFrame();
  await nextFrame();

  let longFrames = null;
  let observer;
  // Where each long frame went: scripts (by what invoked them), then style and layout.
  const describe = (entry) => ({
    duration: entry.duration,
    styleAndLayout: entry.styleAndLayoutStart > 0 ? entry.startTime + entry.duration - entry.styleAndLayoutStart : 0,
    scripts: entry.scripts.map((s) => ({
      invoker: `${s.invokerType} ${s.invoker}`,
      duration: s.duration,
      forcedStyleAndLayout: s.forcedStyleAndLayoutDuration ?? 0,
    })),
  });
  if (PerformanceObserver.supportedEntryTypes?.includes('long-animation-frame')) {
    longFrames = [];
    observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longFrames.push(describe(entry));
    });
    observer.observe({ type: 'long-animation-frame' });
  }
  const startTop = scroller.scrollTop;
  const intervals = [];
  await new Promise((resolve) => {
    let last = null;
    const frame = (t) => {
      if (last !== null) intervals.push(t - last);
      last = t;
      if (intervals.length >= frames) return resolve();
      scroller.scrollTop += stepPx;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  if (observer) {
    for (const entry of observer.takeRecords()) longFrames.push(describe(entry));
    observer.disconnect();
  }
  return {
    intervals,
    scrolledPx: Math.round(scroller.scrollTop - startTop),
    longFrames,
    articles: scroller.querySelectorAll('article').length,
  };
}

/** The `p`-th percentile (0–100) of `values`, nearest-rank (the smallest value with p% at or below it). */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/**
 * Summary of frame intervals (ms): p50, p95, p99, max, the share of frames over one 60 Hz frame
 * (0–1, three decimals) and how many took 50 ms or more; every time rounded to one decimal.
 */
export function frameStats(intervals) {
  const over = intervals.filter((ms) => ms > FRAME_60HZ_MS).length;
  return {
    frames: intervals.length,
    p50: round1(percentile(intervals, 50)),
    p95: round1(percentile(intervals, 95)),
    p99: round1(percentile(intervals, 99)),
    max: round1(Math.max(...intervals)),
    over60HzShare: Math.round((over / intervals.length) * 1000) / 1000,
    over50ms: intervals.filter((ms) => ms >= 50).length,
  };
}

/**
 * Summary of long-animation-frame entries (as scrollAndTime returns them): how many, their p95
 * and total duration, the time in scripts (and how much of it was style and layout forced by a
 * script), in the frame's own style and layout, and the `top` script invokers by total time (ms,
 * one decimal). Null stays null (Chromium without the API).
 */
export function longFrameStats(entries, top = 5) {
  if (!entries) return null;
  const sum = (values) => values.reduce((a, b) => a + b, 0);
  const byInvoker = new Map();
  for (const script of entries.flatMap((e) => e.scripts)) {
    byInvoker.set(script.invoker, (byInvoker.get(script.invoker) ?? 0) + script.duration);
  }
  return {
    count: entries.length,
    p95Ms: entries.length
      ? round1(
          percentile(
            entries.map((e) => e.duration),
            95,
          ),
        )
      : 0,
    totalMs: round1(sum(entries.map((e) => e.duration))),
    scriptMs: round1(sum(entries.flatMap((e) => e.scripts.map((s) => s.duration)))),
    forcedStyleAndLayoutMs: round1(sum(entries.flatMap((e) => e.scripts.map((s) => s.forcedStyleAndLayout)))),
    styleAndLayoutMs: round1(sum(entries.map((e) => e.styleAndLayout))),
    topScripts: [...byInvoker]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([invoker, ms]) => ({ invoker, ms: round1(ms) })),
  };
}
