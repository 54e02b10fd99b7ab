// import50kMs and longestTaskMs of the analytics bench (issue 9: "import of a 50,000-post X archive
// (target: under 10 s) without a main-thread task over 50 ms"): a generated X data archive of
// 50,000 items (tests/support/archive-fixtures.ts `generateXArchive`: 45,000 own posts and 5,000
// retweets in two parts of data/tweets.js, 1 MB of media; the zip is made here, in Node, and
// served) imported by the renderer's own importer in Chromium, in its Web Worker, into the app's
// Dexie database, in a page of its own (./analytics-import-page.js, bundled with Vite with the
// worker, served by the bench's static server) laid out as the analytics view during an import.
//
//   import50kMs     median over `runs` imports, each into a fresh database, of the time from
//                   `importArchive` to its report (every post stored and the page told).
//   longestTaskMs   the longest 'longtask' entry (PerformanceObserver: tasks over 50 ms) on the
//                   page during any of those imports; 0 when there was none.
//   importRunsMs, importLongTasks  each run's time and its long tasks (ms), for the record.
//   importAnnounceMaxMs  the longest the page spent telling one batch's rows to the index.
//   importLongTasksCpuMs  for each of those long tasks, the main thread's own CPU time in it (from
//                   a Chromium trace, category disabled-by-default-devtools.timeline: RunTask's
//                   thread duration): on a machine short of cores a task is long in wall time
//                   while its thread waits (a young-generation GC waiting for its helper threads).
import path from 'node:path';
import { build } from 'vite';
import { generatedRetweets, generateXArchive } from '../../tests/support/archive-fixtures.ts';
import { ROOT, median, round1 } from './support.mjs';

const ARCHIVE_ITEMS = 50_000;

/** The page's script and the import worker's, bundled in memory: every output file by its name. */
async function bundle() {
  const output = await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    build: {
      write: false,
      minify: true,
      target: 'es2023',
      lib: { entry: path.join(ROOT, 'bench/lib/analytics-import-page.js'), formats: ['es'], fileName: 'import-page' },
    },
  });
  const items = (Array.isArray(output) ? output : [output]).flatMap((o) => o.output);
  const chunks = items.filter((o) => o.type === 'chunk');
  if (chunks.length !== 1) throw new Error(`The import page bundled into ${chunks.length} scripts, not one.`);
  // The worker is an asset the page's script names from the origin's root (`/assets/…`).
  const assets = items.filter((o) => o.type === 'asset');
  if (!assets.some((a) => a.fileName.includes('import.worker'))) {
    throw new Error(`The import page bundled without its worker (${assets.map((a) => a.fileName).join(', ')}).`);
  }
  return { script: chunks[0].code, assets: assets.map((a) => ({ path: `/${a.fileName}`, body: a.source })) };
}

/** Starts a Chromium trace of the tasks of every thread; `stop()` answers its events. */
async function startTrace(context, page) {
  const cdp = await context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    categories: 'disabled-by-default-devtools.timeline,blink.user_timing',
    transferMode: 'ReportEvents',
  });
  return {
    async stop() {
      await cdp.send('Tracing.end');
      await complete;
      await cdp.detach();
      return events;
    },
  };
}

/**
 * The thread CPU time (ms) of each task over 50 ms of wall time on the import page's main thread
 * during the import, in a trace: the thread and span are those of the page's marks
 * `colonnade-import-start` and `colonnade-import-end`.
 */
function longTasksCpu(events) {
  const mark = (name) => events.find((e) => e.name === name && e.cat?.includes('blink.user_timing'));
  const start = mark('colonnade-import-start');
  const end = mark('colonnade-import-end');
  if (!start || !end) throw new Error("The trace lacks the import page's marks.");
  return events
    .filter(
      (e) =>
        e.ph === 'X' &&
        e.name === 'RunTask' &&
        e.dur > 50_000 &&
        e.pid === start.pid &&
        e.tid === start.tid &&
        e.ts + e.dur >= start.ts &&
        e.ts <= end.ts,
    )
    .map((e) => (typeof e.tdur === 'number' ? round1(e.tdur / 1000) : null));
}

/**
 * Measures the import in a new page of `context` (a Playwright browser context) served by
 * `server` (bench/lib/static-server.mjs), `runs` times (default 3). Answers the figures above.
 *
 * @throws Error when an import does not store every own post of the archive, or the index on the
 *   page does not hold them all.
 */
export async function measureImport({ context, server, runs = 3, log = () => {} }) {
  log(`generating an X archive of ${ARCHIVE_ITEMS} items…`);
  const zip = Buffer.from(await (await generateXArchive(ARCHIVE_ITEMS)).arrayBuffer());
  const own = ARCHIVE_ITEMS - generatedRetweets(ARCHIVE_ITEMS);
  log('bundling the importer and its worker into a page…');
  const { script, assets } = await bundle();
  server.files.set('/import/page.js', { type: 'text/javascript; charset=utf-8', body: script });
  for (const { path: at, body } of assets) {
    server.files.set(at, {
      type: at.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'application/octet-stream',
      body: typeof body === 'string' ? body : Buffer.from(body),
    });
  }
  server.files.set('/import/archive.zip', { type: 'application/zip', body: zip });
  server.files.set('/import/', {
    type: 'text/html; charset=utf-8',
    body: '<!doctype html><meta charset="utf-8"><title>Import bench</title><script type="module" src="/import/page.js"></script>',
  });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  try {
    const results = [];
    for (let run = 0; run < runs; run++) {
      // A fresh page and JS heap per run, as when the CM opens the analytics view to import.
      await page.goto(`${server.origin}/import/`);
      await page.waitForFunction(() => window.importBenchReady === true);
      const trace = await startTrace(context, page);
      const r = await page.evaluate((c) => window.importBench.run(c), {
        url: '/import/archive.zip',
        database: `colonnade-import-bench-${run}`,
      });
      r.longTasksCpu = longTasksCpu(await trace.stop());
      if (r.postsImported !== own || r.stored !== own || r.indexSize !== own) {
        throw new Error(
          `Run ${run + 1}: expected ${own} posts imported, stored and in the index; ` +
            `got ${r.postsImported}, ${r.stored} and ${r.indexSize}.`,
        );
      }
      log(
        `import of ${ARCHIVE_ITEMS} items (${own} own posts, ${round1(zip.length / 1e6)} MB zip), run ${run + 1}: ` +
          `${Math.round(r.importMs)} ms; long tasks ${r.longTasks.length ? r.longTasks.join(', ') + ' ms' : 'none'}` +
          (r.longTasksCpu.length ? ` (main thread's CPU in them: ${r.longTasksCpu.join(', ')} ms)` : '') +
          '; ' +
          `page per batch ≤ ${round1(r.announceMaxMs)} ms (${r.announced} batches), ${r.queries} table queries`,
      );
      results.push(r);
    }
    if (pageErrors.length) throw new Error(`The import page failed: ${pageErrors.join(' | ')}`);
    return {
      import50kMs: Math.round(median(results.map((r) => r.importMs))),
      longestTaskMs: round1(Math.max(0, ...results.map((r) => r.longestTaskMs))),
      importRunsMs: results.map((r) => Math.round(r.importMs)),
      importLongTasks: results.map((r) => r.longTasks),
      importLongTasksCpuMs: results.map((r) => r.longTasksCpu),
      importAnnounceMaxMs: round1(Math.max(...results.map((r) => r.announceMaxMs))),
    };
  } finally {
    await page.close();
  }
}
