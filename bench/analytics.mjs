// analytics: the analytics archive at the size issue 9 sets (100,000 own posts with 30 snapshots
// each, in Dexie, in Chromium), and what a CM waits for on it.
//
// The renderer's analytics modules (src/renderer/analytics: archive store, series codec, query
// engine; the app's Dexie schema, src/renderer/db/database.ts) are bundled unchanged with Vite
// into a page of their own (bench/lib/analytics-page.js), served on 127.0.0.1 and run in headless
// Chromium on a fresh profile folder. Set-up (not part of the figures): BENCH_ANALYTICS_POSTS
// (default 100,000) posts over 5 years and 6 profiles (X, Bluesky, Mastodon), each with 30
// observations (hourly for 2 days, then daily, weekly: 8 counts on X, 4 elsewhere, link and
// profile clicks only within 30 days), ingested BENCH_ANALYTICS_BATCH posts (default 500) per
// transaction through `AnalyticsArchive.ingest`, plus each profile's daily follower count. Then
// the page is reloaded (a fresh JS heap, as after a restart) and the query engine loads.
//
//   filterSortMs   engagement rate ≥ 2 % (about two posts in three) sorted by rate, highest first:
//                  `AnalyticsIndex.query` on the loaded index, median of BENCH_ANALYTICS_RUNS
//                  (default 15) runs after 3 warm-up runs (target: under 50 ms). The index keeps
//                  each sort order until the archive changes; `filterSortColdMs` is the median
//                  when the order is made again first (as right after an ingest).
//   storageMB      the origin's IndexedDB folder(s) on disk in the browser's profile folder, after
//                  the browser is closed: the space the files take (st_blocks, as du counts),
//                  in MB of 10^6 bytes (target: under 200). `storageEstimateMB`: what
//                  navigator.storage.estimate() said before closing (Chromium's own accounting).
//   loadMs         reading the whole archive into the query engine after the reload (every post:
//                  no index was kept yet); loadLongestTaskMs the longest main-thread task meanwhile.
//   keepMs         the index keeping its columns in the archive (`AnalyticsIndex.keep`, one row);
//                  keepLongestTaskMs the longest task meanwhile.
//   loadKeptMs     loading again in a fresh page: from the kept columns (one row read, rates worked
//                  out again); loadKeptLongestTaskMs the longest task meanwhile.
//   ingestMs       the set-up's ingest time (all posts, snapshots and follower counts).
//   chartMs        a year's daily chart (365 points × 4 series) drawn by the renderer's chart code
//                  (uPlot), median of 15 runs after 5 (bench/lib/analytics-chart.mjs, which also
//                  gives chartFrameMs, to the next frame, and chartColdMs, the first run).
//   import50kMs    a generated 50,000-item X archive (45,000 own posts) imported by the renderer's
//                  importer in Chromium, its worker writing into a fresh copy of the app's Dexie
//                  database, the page's index following: median of 3 runs, each on a fresh database
//                  (bench/lib/analytics-import.mjs; each run's time in importRunsMs).
//   longestTaskMs  the longest main-thread task over 50 ms ('longtask' entries) on that page during
//                  those imports; 0 when none (each run's in importLongTasks).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { measureChart } from './lib/analytics-chart.mjs';
import { measureImport } from './lib/analytics-import.mjs';
import { startStaticServer } from './lib/static-server.mjs';
import { CHROMIUM_ARGS, ROOT, envInt, findOrProvideChromium, median, round1 } from './lib/support.mjs';

const STEP_TIMEOUT_MS = 30 * 60_000;
const THRESHOLD = 0.02;
const WARMUP = 3;
const MB = 1e6;

/** The page's script: the analytics modules and their dependencies in one ES module. */
async function bundlePage() {
  const output = await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    build: {
      write: false,
      minify: true,
      target: 'es2023',
      lib: { entry: path.join(ROOT, 'bench/lib/analytics-page.js'), formats: ['es'], fileName: 'analytics-page' },
    },
  });
  const outputs = Array.isArray(output) ? output : [output];
  const chunks = outputs.flatMap((o) => o.output).filter((o) => o.type === 'chunk');
  if (chunks.length !== 1) throw new Error(`The page bundled into ${chunks.length} scripts, not one.`);
  return chunks[0].code;
}

/** Bytes the files under `dir` take on disk (st_blocks × 512, as du) and their apparent size. */
function sizeOnDisk(dir) {
  let blocks = 0;
  let bytes = 0;
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) {
        const st = fs.statSync(p);
        blocks += st.blocks * 512;
        bytes += st.size;
      }
    }
  };
  walk(dir);
  return { blocks, bytes };
}

/** The origin's IndexedDB folders in a Chromium profile folder (LevelDB and blob folders). */
function indexedDbFolders(userDataDir, origin) {
  const host = new URL(origin);
  const stem = `${host.protocol.replace(':', '')}_${host.hostname}_${host.port}`;
  const found = [];
  const walk = (d, depth) => {
    if (depth > 6 || !fs.existsSync(d)) return;
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const p = path.join(d, entry.name);
      if (entry.name.startsWith(`${stem}.indexeddb`) || (d.endsWith('IndexedDB') && entry.name.includes(stem))) {
        found.push(p);
      } else walk(p, depth + 1);
    }
  };
  walk(userDataDir, 0);
  return found;
}

export async function run({ log = console.log } = {}) {
  const config = {
    posts: envInt('BENCH_ANALYTICS_POSTS', 100_000),
    batch: envInt('BENCH_ANALYTICS_BATCH', 500),
    runs: envInt('BENCH_ANALYTICS_RUNS', 15),
    seed: envInt('BENCH_SEED', 42),
  };
  log('bundling the analytics modules into a page…');
  const script = await bundlePage();
  const server = await startStaticServer();
  server.files.set('/', {
    type: 'text/html; charset=utf-8',
    body: '<!doctype html><meta charset="utf-8"><title>Analytics bench</title><script type="module" src="/analytics-page.js"></script>',
  });
  server.files.set('/analytics-page.js', { type: 'text/javascript; charset=utf-8', body: script });
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonnade-bench-analytics-'));
  const executablePath = findOrProvideChromium(log);
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      args: CHROMIUM_ARGS,
      headless: true,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    const pageErrors = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    const ready = async () => {
      await page.goto(server.origin);
      await page.waitForFunction(() => window.analyticsBenchReady === true);
    };
    await ready();

    log(`generating ${config.posts} posts × 30 observations, ${config.batch} posts per ingest…`);
    const generated = await page.evaluate((c) => window.analyticsBench.generate(c), config);
    log(
      `ingested ${generated.newPosts} posts, ${generated.newPoints} observations, ` +
        `${generated.newFollowerCounts} follower counts in ${round1(generated.ingestMs / 1000)} s`,
    );
    if (generated.newPosts !== config.posts || generated.newPoints !== config.posts * 30) {
      throw new Error(`Expected ${config.posts} posts and ${config.posts * 30} observations in the archive.`);
    }

    await page.evaluate(() => window.analyticsBench.close());
    await page.reload();
    await ready();
    const loaded = await page.evaluate(() => window.analyticsBench.load());
    log(
      `query engine loaded ${loaded.size} posts in ${round1(loaded.loadMs)} ms (every post read; ` +
        `longest task ${round1(loaded.longestTaskMs)} ms)`,
    );
    // The index keeps its columns in the archive (the app does so 5 s after it settles).
    const kept = await page.evaluate(() => window.analyticsBench.keep());
    if (!kept.kept) throw new Error('The index did not keep its columns in the archive.');
    log(`index kept in ${round1(kept.keepMs)} ms (longest task ${round1(kept.longestTaskMs)} ms)`);

    const timed = await page.evaluate((c) => window.analyticsBench.filterSort(c), {
      threshold: THRESHOLD,
      warmup: WARMUP,
      runs: config.runs,
    });
    if (!timed.sorted) throw new Error('The filtered rows are not all above the threshold, highest rate first.');
    log(
      `rate ≥ ${THRESHOLD * 100} %, by rate: ${timed.matches} posts; warm median ${round1(median(timed.warm))} ms, ` +
        `cold median ${round1(median(timed.cold))} ms; top ${timed.top?.id} (${timed.top?.formula})`,
    );

    // Opening the analytics again (a fresh page): the index from its kept columns.
    await page.evaluate(() => window.analyticsBench.close());
    await page.reload();
    await ready();
    const reloaded = await page.evaluate(() => window.analyticsBench.load());
    if (reloaded.size !== loaded.size)
      throw new Error(`The kept index holds ${reloaded.size} posts, not ${loaded.size}.`);
    log(
      `query engine loaded ${reloaded.size} posts from its kept columns in ${round1(reloaded.loadMs)} ms ` +
        `(longest task ${round1(reloaded.longestTaskMs)} ms)`,
    );

    // chartMs: the charts' block (bench/lib/analytics-chart.mjs; a page of its own, same browser).
    const chart = await measureChart({ context, server, log });

    // import50kMs, longestTaskMs: the import's block (bench/lib/analytics-import.mjs; a page of its
    // own, same browser, databases of its own, deleted after each run). Served from another
    // origin: its IndexedDB is another folder, so what the imports leave on disk is not counted
    // in storageMB.
    const importServer = await startStaticServer();
    const imported = await measureImport({ context, server: importServer, log }).finally(() => importServer.close());

    const estimate = await page.evaluate(() => window.analyticsBench.estimate());
    const counts = await page.evaluate(() => window.analyticsBench.counts());
    await page.evaluate(() => window.analyticsBench.close());
    await context.close();
    context = undefined;

    const folders = indexedDbFolders(userDataDir, server.origin);
    if (folders.length === 0) throw new Error(`No IndexedDB folder for ${server.origin} under ${userDataDir}.`);
    const disk = folders.map(sizeOnDisk).reduce((a, b) => ({ blocks: a.blocks + b.blocks, bytes: a.bytes + b.bytes }));
    log(
      `IndexedDB on disk: ${round1(disk.blocks / MB)} MB (files ${round1(disk.bytes / MB)} MB) in ` +
        folders.map((f) => path.basename(f)).join(', '),
    );
    if (pageErrors.length) log(`page errors: ${pageErrors.join(' | ')}`);

    return {
      // FIGURES: the line first (other helpers replace the nulls with their measures).
      posts: counts.ownPosts,
      filterSortMs: round1(median(timed.warm)),
      chartMs: chart.chartMs,
      storageMB: round1(disk.blocks / MB),
      import50kMs: imported.import50kMs,
      longestTaskMs: imported.longestTaskMs,
      // Beside them.
      filterSortColdMs: round1(median(timed.cold)),
      chartFrameMs: chart.chartFrameMs,
      chartColdMs: chart.chartColdMs,
      importRunsMs: imported.importRunsMs,
      importLongTasks: imported.importLongTasks,
      importAnnounceMaxMs: imported.importAnnounceMaxMs,
      filterSortMatches: timed.matches,
      storageFilesMB: round1(disk.bytes / MB),
      storageEstimateMB: round1(estimate.usage / MB),
      storageMeasure: 'IndexedDB folders on disk after closing the browser (st_blocks)',
      loadMs: Math.round(loaded.loadMs),
      loadLongestTaskMs: round1(loaded.longestTaskMs),
      loadKeptMs: Math.round(reloaded.loadMs),
      loadKeptLongestTaskMs: round1(reloaded.longestTaskMs),
      keepMs: Math.round(kept.keepMs),
      keepLongestTaskMs: round1(kept.longestTaskMs),
      ingestMs: Math.round(generated.ingestMs),
      snapshots: generated.newPoints,
      followerCounts: counts.followerCounts,
      chromium: await chromiumVersion(executablePath),
      pageErrors: pageErrors.length,
    };
  } finally {
    await context?.close().catch(() => {});
    await server.close();
    fs.rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  }
}

async function chromiumVersion(executablePath) {
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  try {
    return browser.version();
  } finally {
    await browser.close();
  }
}
