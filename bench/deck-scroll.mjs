// deck-scroll: a deck of 10 Sandbox columns, each holding 10,000 timeline entries in Dexie, in
// headless Chromium through the headless host: how soon it paints, how smoothly every column
// scrolls, how much JS heap it holds, against the same deck without virtualization.
//
// Set-up (not timed): a fresh host (seed 42), a new deck of 10 Sandbox columns added over the
// host's IPC WebSocket; the page opens it (each column fetches its first page from main), then
// each column's Dexie cache is filled with BENCH_DECK_POSTS (default 10,000) entries made by the
// Sandbox world (bench/lib/sandbox-posts.mjs: authors, avatars, hashtags, links, images, reposts,
// quotes, polls; every column its own posts), written straight into the app's IndexedDB stores
// (`posts` and `entries`, src/renderer/db/database.ts). Avatars are 96 px PNGs on a local HTTP
// server, as a network's CDN serves them (bench/lib/static-server.mjs). The window is 1920×1080 at
// device scale 1 (five columns in view); Chromium is headless without GPU, as in CI.
//
//   firstPaintMs      page reload → every column of the deck shows a post (performance.now() in
//                     the page, from navigation start: boot, the host's answers, Dexie reads,
//                     React and react-virtuoso). Median of BENCH_RUNS reloads (default 3), with
//                     Min and Max.
//   p95FrameMs        each column in turn is scrolled into view, then moved BENCH_SCROLL_PX
//                     (default 60) down per frame for BENCH_SCROLL_FRAMES frames (default 200),
//                     as a steady fling would; the intervals between requestAnimationFrame
//                     callbacks of every column together, 95th percentile. Chromium runs with its
//                     frame-rate cap off (bench/lib/frames.mjs), so an interval is what the frame
//                     cost; target: under 16.7 ms (one 60 Hz frame). `frames` has p50, p99, max,
//                     the share of frames over 16.7 ms, frames of 50 ms or more; `perColumnP95Ms`;
//                     `longAnimationFrames` where the frames of 50 ms or more went (scripts by
//                     invoker, style and layout). Older entries load from Dexie as the list nears
//                     its end, inside these frames; `scrolledPxPerColumn` falls short of
//                     frames × step when the list's end held the scroll back.
//   heapMB            V8's used JS heap after a forced garbage collection, once every column has
//                     been scrolled (CDP Runtime.getHeapUsage); target: under 300 MB.
//                     heapAfterPaintMB: the same right after the first paint; domHeapMB (Blink's
//                     garbage-collected heap: the DOM), heapWithDomMB (both) and domNodes beside it.
//   baseline…         the same deck WITHOUT virtualization: the app's own deck markup (its
//                     column chrome and the post articles React rendered, captured from the page
//                     above, BENCH_BASELINE_CAPTURE (default 60) distinct articles per column)
//                     under the app's stylesheet, each column's feed holding BENCH_BASELINE_POSTS
//                     (default 1,000) of them, repeated, as plain elements in normal flow: no
//                     React, no virtual list. Ten columns of 10,000 would be 100,000 articles
//                     (about 4.5 million DOM nodes, some 5 GB of DOM heap at the rate measured):
//                     not buildable here, so the baseline holds fewer, said in
//                     baselinePostsPerColumn. baselineRenderMs: inserting them to their first
//                     frame. Scrolled and measured exactly as the app's deck, once its images
//                     have loaded. Its JS heap is nearly empty (no app): compare heapWithDomMB.
//   p95VsBaseline     p95FrameMs / baselineP95FrameMs (below 1: the virtual deck scrolls smoother).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { FRAME_60HZ_MS, UNLOCKED_FRAME_ARGS, frameStats, longFrameStats, scrollAndTime } from './lib/frames.mjs';
import { connectHost } from './lib/host-ipc.mjs';
import { sandboxEntries } from './lib/sandbox-posts.mjs';
import { startStaticServer } from './lib/static-server.mjs';
import {
  CHROMIUM_ARGS,
  envInt,
  findOrProvideChromium,
  performance,
  round1,
  spread,
  startHarness,
  stopStrayHosts,
} from './lib/support.mjs';

const PROFILE = 'sandbox:practice';
/** Ten columns a CM might keep side by side (their own posts come from the world, see above). */
const COLUMN_SPECS = [
  { kind: 'home' },
  { kind: 'mentions' },
  { kind: 'hashtag', query: 'IFPower' },
  { kind: 'hashtag', query: 'ebike' },
  { kind: 'hashtag', query: 'LaunchDay' },
  { kind: 'search', query: 'battery' },
  { kind: 'user', query: 'voltcycle' },
  { kind: 'list', query: 'competitors', label: 'Competitors' },
  { kind: 'hashtag', query: 'UrbanMobility' },
  { kind: 'hashtag', query: 'GreenCommute' },
];
const VIEWPORT = { width: 1920, height: 1080 };
const ENGLISH = { LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8', LC_MESSAGES: 'en_US.UTF-8' };
/** Entries per IndexedDB transaction (and per trip into the page) while seeding. */
const SEED_CHUNK = 2_000;
const STEP_TIMEOUT_MS = 60_000;
const HEAP_TARGET_MB = 300;
const BASELINE_PATH = '/baseline.html';
const MB = 1024 * 1024;
/** Avatars' size in pixels: a 40 px avatar at 2x, as networks serve thumbnails. */
const AVATAR_PX = 96;

export async function run({ log = console.log } = {}) {
  const config = {
    postsPerColumn: envInt('BENCH_DECK_POSTS', 10_000),
    runs: envInt('BENCH_RUNS', 3),
    frames: envInt('BENCH_SCROLL_FRAMES', 200),
    stepPx: envInt('BENCH_SCROLL_PX', 60),
    baselinePosts: envInt('BENCH_BASELINE_POSTS', 1_000),
    baselineCapture: envInt('BENCH_BASELINE_CAPTURE', 60),
  };
  const executablePath = findOrProvideChromium(log);
  const browser = await chromium.launch({
    executablePath,
    args: [...CHROMIUM_ARGS, ...UNLOCKED_FRAME_ARGS],
    headless: true,
  });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonnade-bench-'));
  let harness;
  let host;
  let files;
  try {
    harness = await startHarness({ dataDir, seed: 42, env: ENGLISH });
    host = await connectHost(harness.url);
    files = await startStaticServer();
    const columnIds = await buildDeck(host, log);
    const source = await sandboxEntries({ avatarOrigin: files.origin, seed: 42 });

    // The app's Content-Security-Policy lets images come from https: addresses; the avatars' server
    // here is plain http on 127.0.0.1, so the page is told to skip CSP (nothing else changes).
    const context = await browser.newContext({
      locale: 'en-US',
      viewport: VIEWPORT,
      deviceScaleFactor: 1,
      bypassCSP: true,
    });
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');

    await page.goto(harness.url, { timeout: STEP_TIMEOUT_MS });
    await waitForDeck(page, columnIds, pageErrors);
    const entriesPerColumn = await seed(page, columnIds, source, config.postsPerColumn, log);
    // Avatars as a network serves them: small raster images (drawn from the Sandbox's SVG).
    for (const [where, png] of await rasterize(page, source.avatars, AVATAR_PX)) {
      files.files.set(where, { type: 'image/png', body: png });
    }

    // ---- the app's deck ----
    const paints = [];
    for (let i = 1; i <= config.runs; i++) {
      await page.reload({ timeout: STEP_TIMEOUT_MS });
      paints.push(await waitForDeck(page, columnIds, pageErrors));
      log(`first paint ${i}/${config.runs}: ${round1(paints.at(-1))} ms`);
    }
    const afterPaint = await heap(cdp);
    log(`heap after paint: ${afterPaint.jsMB} MB JS, ${afterPaint.domNodes} DOM nodes`);
    const app = await scrollDeck(page, columnIds, config, (i, r) =>
      log(`column ${i + 1}/${columnIds.length}: p95 ${r.stats.p95} ms, ${r.scrolledPx} px, ${r.articles} articles`),
    );
    const afterScroll = await heap(cdp);
    log(
      `app deck: p95 ${app.stats.p95} ms over ${app.stats.frames} frames; heap ${afterScroll.jsMB} MB JS, ` +
        `${afterScroll.domNodes} DOM nodes`,
    );
    if (pageErrors.length) log(`page errors: ${pageErrors.join(' | ')}`);

    // ---- the baseline: the same deck without virtualization ----
    const template = await captureDeck(page, columnIds, config.baselineCapture);
    const distinct = Math.min(...template.columns.map((c) => c.articles.length));
    log(`baseline: ${template.columns.reduce((n, c) => n + c.articles.length, 0)} distinct articles captured`);
    await page.close();
    const baseline = await runBaseline(context, files, template, columnIds, config, log);
    await context.close();

    const p95 = app.stats.p95;
    return {
      columns: columnIds.length,
      postsPerColumn: config.postsPerColumn,
      entriesPerColumnMin: Math.min(...entriesPerColumn),
      ...spread('firstPaintMs', paints),
      p95FrameMs: p95,
      frameTargetMs: round1(FRAME_60HZ_MS),
      p95WithinTarget: p95 < FRAME_60HZ_MS,
      heapMB: afterScroll.jsMB,
      heapTargetMB: HEAP_TARGET_MB,
      heapWithinTarget: afterScroll.jsMB < HEAP_TARGET_MB,
      heapAfterPaintMB: afterPaint.jsMB,
      domHeapMB: afterScroll.domMB,
      heapWithDomMB: round1(afterScroll.jsMB + afterScroll.domMB),
      domNodes: afterScroll.domNodes,
      frames: app.stats,
      perColumnP95Ms: app.perColumn.map((c) => c.stats.p95),
      scrolledPxPerColumn: app.perColumn.map((c) => c.scrolledPx),
      scrollPxPerFrame: config.stepPx,
      framesPerColumn: config.frames,
      longAnimationFrames: app.longFrames,
      baselineP95FrameMs: baseline.scroll.stats.p95,
      baselineFrames: baseline.scroll.stats,
      baselineLongAnimationFrames: baseline.scroll.longFrames,
      baselinePostsPerColumn: config.baselinePosts,
      baselineDistinctArticlesPerColumn: distinct,
      baselineRenderMs: baseline.renderMs,
      baselineHeapMB: baseline.heap.jsMB,
      baselineDomHeapMB: baseline.heap.domMB,
      baselineHeapWithDomMB: round1(baseline.heap.jsMB + baseline.heap.domMB),
      baselineDomNodes: baseline.heap.domNodes,
      p95VsBaseline: round1(p95 / baseline.scroll.stats.p95),
      baseline:
        `the app's own deck markup and stylesheet, ${config.baselinePosts} post articles per column ` +
        `(${distinct}+ distinct ones captured from the app, repeated) as plain elements: no React, no virtual list`,
      viewport: `${VIEWPORT.width}x${VIEWPORT.height}`,
      deviceScaleFactor: 1,
      chromium: browser.version(),
      pageErrors: pageErrors.length,
    };
  } finally {
    host?.close();
    await files?.close();
    await browser.close().catch(() => {});
    await harness?.stop();
    const strays = stopStrayHosts();
    if (strays.length) log(`stopped ${strays.length} host(s) left running: ${strays.join(', ')}`);
    fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
  }
}

// ---- set-up ------------------------------------------------------------------------------------

/** A new deck (made active) of the ten columns, on the Sandbox profile; answers their ids in order. */
async function buildDeck(host, log) {
  const accounts = await host.call('accounts.list');
  if (!accounts.some((a) => a.profile.id === PROFILE)) throw new Error(`No Sandbox profile (${PROFILE}) in the host.`);
  let layout = await host.call('deck.create', { name: 'Bench: 10 columns' });
  const deckId = layout.activeDeckId;
  for (const spec of COLUMN_SPECS) {
    layout = await host.call('column.add', { deckId, spec: { ...spec, profileId: PROFILE } });
  }
  const ids = layout.decks.find((d) => d.id === deckId).columns.map((c) => c.id);
  log(`deck of ${ids.length} Sandbox columns made`);
  return ids;
}

/**
 * Fills each column's cache with `count` entries, in chunks of SEED_CHUNK, through the page's own
 * IndexedDB (the schema is the app's: it opened the database first). Answers each column's
 * entry count afterwards (its count plus what the column fetched from main when it opened).
 */
async function seed(page, columnIds, source, count, log) {
  const t0 = performance.now();
  const cachedAt = Date.now();
  for (const [i, columnId] of columnIds.entries()) {
    const entries = source.columnEntries(i, count);
    for (let from = 0; from < entries.length; from += SEED_CHUNK) {
      // As one JSON string: Playwright's own argument serialization is ten times slower on this much data.
      const json = JSON.stringify(entries.slice(from, from + SEED_CHUNK));
      await page.evaluate(storeChunk, { columnId, json, cachedAt });
    }
    log(`seeded column ${i + 1}/${columnIds.length} (${round1((performance.now() - t0) / 1000)} s)`);
  }
  const counts = await page.evaluate(countEntries, columnIds);
  log(`Dexie holds ${counts.join(', ')} entries per column`);
  for (const [i, n] of counts.entries()) {
    if (n < count) throw new Error(`Column ${i + 1} holds ${n} entries, not ${count}.`);
  }
  return counts;
}

/** Runs in the page: one readwrite transaction storing posts (once) and entries as database.ts does. */
async function storeChunk({ columnId, json, cachedAt }) {
  const entries = JSON.parse(json);
  window.__benchDb ??= await new Promise((resolve, reject) => {
    const request = indexedDB.open('colonnade');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const db = window.__benchDb;
  for (const store of ['posts', 'entries']) {
    if (!db.objectStoreNames.contains(store)) throw new Error(`The app's database has no "${store}" store.`);
  }
  const tx = db.transaction(['posts', 'entries'], 'readwrite', { durability: 'relaxed' });
  const posts = tx.objectStore('posts');
  const rows = tx.objectStore('entries');
  for (const e of entries) {
    if (e.post) posts.put({ ...e.post, cachedAt });
    rows.put({
      columnId,
      key: e.key,
      at: new Date(e.at).toISOString(),
      postId: e.post?.id ?? null,
      ...(e.repostedBy ? { repostedBy: e.repostedBy } : {}),
      ...(e.notification ? { notification: e.notification } : {}),
    });
  }
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/** Runs in the page: each column's entry count, by the `[columnId+at]` index. */
async function countEntries(columnIds) {
  const db = window.__benchDb;
  const tx = db.transaction('entries');
  const index = tx.objectStore('entries').index('[columnId+at]');
  return Promise.all(
    columnIds.map(
      (id) =>
        new Promise((resolve, reject) => {
          const request = index.count(IDBKeyRange.bound([id], [id, []]));
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        }),
    ),
  );
}

/** Each SVG of `svgs` (a Map from path to SVG text) as a `px`-square PNG, drawn by the page: [path, Buffer][]. */
async function rasterize(page, svgs, px) {
  const pngs = await page.evaluate(
    async ({ entries, px }) => {
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = px;
      const g = canvas.getContext('2d');
      const out = [];
      for (const [url, svg] of entries) {
        const img = new Image();
        img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
        await img.decode();
        g.clearRect(0, 0, px, px);
        g.drawImage(img, 0, 0, px, px);
        out.push([url, canvas.toDataURL('image/png').split(',')[1]]);
      }
      return out;
    },
    { entries: [...svgs], px },
  );
  return pngs.map(([url, base64]) => [url, Buffer.from(base64, 'base64')]);
}

// ---- measuring ---------------------------------------------------------------------------------

/** Waits until every column shows a post; answers that moment in the page (ms from navigation start). */
async function waitForDeck(page, columnIds, pageErrors) {
  try {
    const handle = await page.waitForFunction(deckPainted, columnIds, { polling: 'raf', timeout: STEP_TIMEOUT_MS });
    return await handle.jsonValue();
  } catch (err) {
    const extra = pageErrors.length ? `\npage errors:\n${pageErrors.join('\n')}` : '';
    throw new Error(`The deck did not show posts in every column: ${err.message}${extra}`, { cause: err });
  }
}

/** Runs in the page: performance.now() once every column's feed shows an article with a size, else false. */
function deckPainted(columnIds) {
  const painted = columnIds.every((id) => {
    const section = document.querySelector(`section[data-column-id="${CSS.escape(id)}"]`);
    return [...(section?.querySelectorAll('[role="feed"] article') ?? [])].some((el) => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.height > 0;
    });
  });
  return painted ? performance.now() : false;
}

/** Scrolls every column in turn (bench/lib/frames.mjs scrollAndTime); per column and overall statistics. */
async function scrollDeck(page, columnIds, config, report, scrollerIn = '[data-virtuoso-scroller]') {
  const perColumn = [];
  for (const [i, id] of columnIds.entries()) {
    const result = await page.evaluate(scrollAndTime, {
      scrollerSelector: `section[data-column-id="${id}"] ${scrollerIn}`,
      frames: config.frames,
      stepPx: config.stepPx,
    });
    const column = { ...result, stats: frameStats(result.intervals) };
    perColumn.push(column);
    report?.(i, column);
  }
  const all = perColumn.flatMap((c) => c.intervals);
  const long = perColumn.every((c) => c.longFrames) ? perColumn.flatMap((c) => c.longFrames) : null;
  return { stats: frameStats(all), perColumn, longFrames: longFrameStats(long) };
}

/** JS heap after a full garbage collection, Blink's (DOM) heap and the DOM node count. */
async function heap(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = await cdp.send('Runtime.getHeapUsage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name) => metrics.find((m) => m.name === name)?.value ?? null;
  return {
    jsMB: round1(usage.usedSize / MB),
    domMB: round1(usage.embedderHeapUsedSize / MB),
    domNodes: metric('Nodes'),
  };
}

// ---- the baseline ------------------------------------------------------------------------------

/**
 * The deck's markup as the app rendered it: the page's root with each column's virtual list taken
 * out, and up to `perColumn` distinct post articles per column, met by paging each column from its
 * top one screen at a time (not timed).
 */
async function captureDeck(page, columnIds, perColumn) {
  return page.evaluate(
    async ({ columnIds, perColumn }) => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      const columns = [];
      for (const id of columnIds) {
        const section = document.querySelector(`section[data-column-id="${CSS.escape(id)}"]`);
        const scroller = section.querySelector('[data-virtuoso-scroller]');
        const seen = new Map();
        scroller.scrollTop = 0;
        for (let step = 0; step < 200 && seen.size < perColumn; step++) {
          for (let f = 0; f < 3; f++) await frame();
          for (const article of section.querySelectorAll('[role="feed"] article')) {
            const key = article.dataset.entryKey ?? String(seen.size);
            if (!seen.has(key) && seen.size < perColumn) seen.set(key, article.outerHTML);
          }
          const before = scroller.scrollTop;
          scroller.scrollTop += scroller.clientHeight;
          if (scroller.scrollTop === before) break;
        }
        scroller.scrollTop = 0;
        columns.push({ id, articles: [...seen.values()] });
      }
      const root = document.getElementById('root').cloneNode(true);
      for (const body of root.querySelectorAll('section[data-column-id] .column-body')) {
        const label = body.querySelector('[role="feed"]')?.getAttribute('aria-label') ?? '';
        const scroller = document.createElement('div');
        scroller.dataset.benchScroller = '';
        scroller.style.cssText = 'height: 100%; outline: none; overflow-y: auto; position: relative;';
        const feed = document.createElement('div');
        feed.setAttribute('role', 'feed');
        feed.setAttribute('aria-label', label);
        scroller.append(feed);
        body.replaceChildren(scroller);
      }
      const stylesheets = [...document.querySelectorAll('link[rel="stylesheet"]')].map((l) => l.href);
      return { root: root.innerHTML, lang: document.documentElement.lang, stylesheets, columns };
    },
    { columnIds, perColumn },
  );
}

/**
 * The non-virtualized deck: a page (from `server`, bench/lib/static-server.mjs) with the app's
 * stylesheet (from the host) and deck markup, each feed filled with `baselinePosts` articles;
 * once its images have loaded, the same scroll and heap measures as the app's deck.
 */
async function runBaseline(context, server, template, columnIds, config, log) {
  const links = template.stylesheets.map((href) => `<link rel="stylesheet" href="${href}">`).join('');
  server.files.set(BASELINE_PATH, {
    type: 'text/html; charset=utf-8',
    body:
      `<!doctype html><html lang="${template.lang}"><head><meta charset="utf-8"><title>Baseline</title>${links}</head>` +
      `<body><div id="root">${template.root}</div></body></html>`,
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(`${server.origin}${BASELINE_PATH}`, { timeout: STEP_TIMEOUT_MS });
  const renderMs = await page.evaluate(
    async ({ columns, count }) => {
      const t0 = performance.now();
      for (const { id, articles } of columns) {
        const feed = document.querySelector(`section[data-column-id="${CSS.escape(id)}"] [role="feed"]`);
        const parts = [];
        for (let i = 0; i < count; i++) parts.push(`<div>${articles[i % articles.length]}</div>`);
        feed.innerHTML = parts.join('');
      }
      document.body.getBoundingClientRect();
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      return performance.now() - t0;
    },
    { columns: template.columns, count: config.baselinePosts },
  );
  log(`baseline: ${config.baselinePosts} articles per column rendered in ${round1(renderMs)} ms`);
  // Every image loaded and decoded first: the scroll measures the deck, not the network.
  await page.evaluate(() => Promise.all([...document.images].map((img) => img.decode().catch(() => {}))));
  const scroll = await scrollDeck(
    page,
    columnIds,
    config,
    (i, r) => log(`baseline column ${i + 1}/${columnIds.length}: p95 ${r.stats.p95} ms, ${r.scrolledPx} px`),
    '[data-bench-scroller]',
  );
  const usage = await heap(cdp);
  log(`baseline: p95 ${scroll.stats.p95} ms; heap ${usage.jsMB} MB JS, ${usage.domNodes} DOM nodes`);
  await page.close();
  return { renderMs: round1(renderMs), scroll, heap: usage };
}
