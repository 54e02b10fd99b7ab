// The import part of the analytics bench (bench/lib/analytics-import.mjs bundles this with Vite,
// the import's Web Worker included, and serves it on 127.0.0.1): the renderer's own archive import
// (src/renderer/analytics/import/import-archive.ts `importArchive`, its worker writing the app's
// Dexie database) with the page as the analytics view has it during an import: the archive, the
// query index following it, and the posts table's query run again at most every 250 ms
// (components/analytics/analytics-services.ts CHANGES_EVERY_MS). Driven through `window.importBench`.
import Dexie from 'dexie';
import { AnalyticsArchive } from '../../src/renderer/analytics/archive-store.ts';
import { importArchive } from '../../src/renderer/analytics/import/import-archive.ts';
import { AnalyticsIndex } from '../../src/renderer/analytics/query.ts';
import { openDatabase } from '../../src/renderer/db/database.ts';

/** As the view: a change renders the table again at most this often (ms). */
const CHANGES_EVERY_MS = 250;

window.importBench = {
  /**
   * Imports the archive at `url` (fetched first, not timed) into a fresh database `database`,
   * deleted after. Answers the time from `importArchive` to its report (ms), the report's counts,
   * what the index and the database hold after, the page's long tasks meanwhile ('longtask'
   * entries: each over 50 ms), and the longest time the page spent telling one batch's rows to
   * its listeners (the index).
   */
  async run({ url, database }) {
    const bytes = await (await fetch(url)).blob();
    const file = new File([bytes], 'twitter-50k.zip', { type: 'application/zip' });
    const db = openDatabase(database);
    const archive = new AnalyticsArchive(db);
    const index = await AnalyticsIndex.load(archive);
    let timer = null;
    let queries = 0;
    const offIndex = index.subscribe(() => {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        index.query({}, { key: 'createdAt', dir: 'desc' });
        queries++;
      }, CHANGES_EVERY_MS);
    });
    let announceMaxMs = 0;
    let announced = 0;
    const announce = archive.announce.bind(archive);
    archive.announce = (change) => {
      const t0 = performance.now();
      announce(change);
      announceMaxMs = Math.max(announceMaxMs, performance.now() - t0);
      announced++;
    };
    const tasks = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) tasks.push({ start: e.startTime, ms: e.duration });
    });
    observer.observe({ type: 'longtask' });
    // A task already under way before the start is not the import's.
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The import's span for the bench's trace (bench/lib/analytics-import.mjs `longTasksCpu`).
    performance.mark('colonnade-import-start');
    const started = performance.now();
    let report;
    let importMs;
    try {
      report = await importArchive(file, { store: archive });
      importMs = performance.now() - started;
      performance.mark('colonnade-import-end');
      // Entries are queued: let the observer hear the last ones.
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const e of observer.takeRecords()) tasks.push({ start: e.startTime, ms: e.duration });
    } finally {
      observer.disconnect();
      offIndex();
      if (timer !== null) clearTimeout(timer);
    }
    const during = tasks.filter((t) => t.start >= started && t.start <= started + importMs);
    const figures = {
      importMs,
      postsRead: report.postsRead,
      postsImported: report.postsImported,
      duplicates: report.duplicates,
      problems: report.problems.length,
      indexSize: index.size,
      stored: await db.ownPosts.count(),
      longTasks: during.map((t) => Math.round(t.ms)),
      longestTaskMs: during.reduce((m, t) => Math.max(m, t.ms), 0),
      announceMaxMs,
      announced,
      queries,
    };
    index.dispose();
    db.close();
    await Dexie.delete(database);
    return figures;
  },
};
window.importBenchReady = true;
