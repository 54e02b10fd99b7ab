// The import as the page runs it: importArchive on the page side, the worker's service on the
// other side of a real MessageChannel (messages are structured-cloned as between a page and its
// Worker), the archive store on the page, or (the analytics archive) the worker writing the
// page's database itself on its own connection, on fake-indexeddb.
// fake-indexeddb before Dexie loads (import-service.ts opens the worker's own connection with it).
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AnalyticsArchive, type ArchiveChange } from '../../../../../src/renderer/analytics/archive-store';
import { importArchive, type ImportWorker } from '../../../../../src/renderer/analytics/import/import-archive';
import { serveImports, type ImportPort } from '../../../../../src/renderer/analytics/import/import-service';
import {
  ArchiveImportError,
  type ImportProgress,
  type PageToWorker,
} from '../../../../../src/renderer/analytics/import/types';
import {
  buildXArchiveZip,
  generatedRetweets,
  generateXArchive,
  generateXTweets,
} from '../../../../support/archive-fixtures';
import { AnalyticsIndex } from '../../../../../src/renderer/analytics/query';
import { openDb } from '../fixtures';
import { MemorySink } from './memory-sink';

const ACCOUNT = { accountId: '1400000000000000001', username: 'colonnade_cm' };
const open: MessageChannel[] = [];

/** A worker double: serveImports on the far port of a MessageChannel. */
function channelWorker(seen: PageToWorker[] = []): ImportWorker & { terminated: boolean } {
  const channel = new MessageChannel();
  open.push(channel);
  serveImports(channel.port2 as unknown as ImportPort);
  const worker = {
    terminated: false,
    postMessage(message: PageToWorker) {
      seen.push(message);
      channel.port1.postMessage(message);
    },
    addEventListener(type: string, listener: (event: never) => void) {
      if (type === 'message') {
        channel.port1.addEventListener('message', listener as (event: MessageEvent) => void);
        channel.port1.start();
      }
    },
    terminate() {
      worker.terminated = true;
      channel.port1.close();
    },
  };
  return worker;
}

afterEach(() => {
  for (const channel of open.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

async function xArchive(n: number): Promise<File> {
  const bytes = await buildXArchiveZip({
    ...ACCOUNT,
    generationDate: '2025-01-22T05:46:38.082Z',
    parts: [generateXTweets(n, ACCOUNT)],
  });
  return new File([bytes as Uint8Array<ArrayBuffer>], 'twitter-2025-01-22.zip', { type: 'application/zip' });
}

describe('importing through the worker', () => {
  it('stores every batch the worker sends, reports progress, and resolves to the report', async () => {
    const store = new MemorySink();
    const progress: ImportProgress[] = [];
    const worker = channelWorker();
    const report = await importArchive(await xArchive(120), {
      store,
      batchSize: 25,
      onProgress: (p) => progress.push(p),
      createWorker: () => worker,
    });
    const own = 120 - generatedRetweets(120);
    expect(report).toMatchObject({ network: 'x', postsRead: own, postsImported: own, skippedReposts: 12 });
    expect(store.posts.size).toBe(own);
    expect(store.batches.length).toBe(Math.ceil(own / 25));
    expect(progress.at(-1)).toMatchObject({ itemsDone: 120, itemsTotal: 120 });
    expect(worker.terminated).toBe(true);
  });

  it('stops when cancelled: the promise rejects at once and no batch is stored after', async () => {
    const store = new MemorySink();
    const controller = new AbortController();
    const seen: PageToWorker[] = [];
    store.before = () => {
      if (store.batches.length === 1) controller.abort();
    };
    const outcome = importArchive(await xArchive(300), {
      store,
      batchSize: 20,
      signal: controller.signal,
      createWorker: () => channelWorker(seen),
    });
    await expect(outcome).rejects.toMatchObject({ name: 'AbortError' });
    const storedThen = store.batches.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.batches.length).toBe(storedThen);
    expect(store.posts.size).toBeLessThan(300 - 30);
    expect(seen.some((m) => m.type === 'cancel')).toBe(true);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    let started = false;
    const outcome = importArchive(new Blob(['x']), {
      store: new MemorySink(),
      signal: controller.signal,
      createWorker: () => {
        started = true;
        return channelWorker();
      },
    });
    await expect(outcome).rejects.toMatchObject({ name: 'AbortError' });
    expect(started).toBe(false);
  });

  it('says the archive could not be stored when the store refuses a batch', async () => {
    const store = new MemorySink();
    store.before = () => {
      throw new Error('QuotaExceededError');
    };
    const error = await importArchive(await xArchive(30), { store, createWorker: () => channelWorker() }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ArchiveImportError);
    expect(error).toMatchObject({ code: 'store-failed' });
  });

  it('passes on why an archive cannot be imported', async () => {
    const error = await importArchive(new File(['not an archive'], 'notes.txt'), {
      store: new MemorySink(),
      createWorker: () => channelWorker(),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ArchiveImportError', code: 'not-an-archive' });
  });

  it('imports an archive of 50,000 posts in two parts, all of them, in batches', async () => {
    const file = new File([await generateXArchive(50_000)], 'twitter-50k.zip');
    const store = new MemorySink();
    let reports = 0;
    const report = await importArchive(file, {
      store,
      onProgress: () => (reports += 1),
      createWorker: () => channelWorker(),
    });
    expect(report).toMatchObject({
      postsRead: 45_000,
      postsImported: 45_000,
      skippedReposts: 5_000,
      snapshots: 45_000,
      problems: [],
    });
    expect(store.posts.size).toBe(45_000);
    expect(Math.max(...store.batches.map((b) => b.posts.length))).toBe(500);
    expect(reports).toBeGreaterThan(90);
  }, 120_000);
});

describe('importing into the analytics archive, written by the worker', () => {
  /** The page's archive on a fresh database, whose own `ingest` must not be used by an import. */
  function pageArchive() {
    const archive = new AnalyticsArchive(openDb());
    const pageIngest = vi.spyOn(archive, 'ingest');
    const heard: ArchiveChange[] = [];
    archive.subscribe((change) => heard.push(change));
    return { archive, pageIngest, heard };
  }

  it("stores in the page's database from the worker's side, and the page's index takes in every post", async () => {
    const { archive, pageIngest, heard } = pageArchive();
    const index = await AnalyticsIndex.load(archive);
    const seen: PageToWorker[] = [];
    let lateIndex: Promise<AnalyticsIndex> | null = null;
    const report = await importArchive(await xArchive(400), {
      store: archive,
      batchSize: 30,
      createWorker: () => channelWorker(seen),
      // An index that starts loading halfway (the view opened during the import) misses nothing either.
      onProgress: (p) => {
        if (p.postsSaved >= 150 && !lateIndex) lateIndex = AnalyticsIndex.load(archive);
      },
    });
    const own = 400 - generatedRetweets(400);
    expect(report).toMatchObject({ network: 'x', postsRead: own, postsImported: own, duplicates: 0 });
    expect(seen[0]).toMatchObject({ type: 'start', database: archive.db.name });
    expect(pageIngest).not.toHaveBeenCalled();
    expect(seen.some((m) => m.type === 'ingested')).toBe(false);
    expect(await archive.db.ownPosts.count()).toBe(own);
    expect(index.size).toBe(own);
    expect(heard.flatMap((c) => c.posts).length).toBe(own);
    expect(lateIndex).not.toBeNull();
    const late = await lateIndex!;
    expect(late.size).toBe(own);
    // The rows as the table shows them: the archive's counts are there.
    const stored = (await archive.db.ownPosts.toArray()).sort((a, b) => (a.id < b.id ? -1 : 1))[5]!;
    const row = index.row(index.rowOf(stored.id)!);
    expect(row.latest.likes).toBe(stored.latest?.likes);
    expect(row.latest.likes).not.toBeNull();
    index.dispose();
    late.dispose();
  });

  it('adds nothing when the same archive is imported again', async () => {
    const { archive, heard } = pageArchive();
    const file = await xArchive(200);
    const own = 200 - generatedRetweets(200);
    await importArchive(file, { store: archive, batchSize: 40, createWorker: () => channelWorker() });
    const index = await AnalyticsIndex.load(archive);
    const version = index.version;
    heard.length = 0;
    const again = await importArchive(file, { store: archive, batchSize: 40, createWorker: () => channelWorker() });
    expect(again).toMatchObject({ postsRead: own, postsImported: 0, duplicates: own, postsUpdated: 0 });
    expect(heard).toEqual([]);
    expect(index.size).toBe(own);
    expect(index.version).toBe(version);
    expect(await archive.db.ownPosts.count()).toBe(own);
    expect(await archive.db.pendingSeries.count()).toBe(0);
    index.dispose();
  });

  it('keeps what was saved when cancelled, and the index holds exactly that; importing again completes it', async () => {
    const { archive } = pageArchive();
    const index = await AnalyticsIndex.load(archive);
    const controller = new AbortController();
    const worker = channelWorker();
    const file = await xArchive(600);
    const own = 600 - generatedRetweets(600);
    const outcome = importArchive(file, {
      store: archive,
      batchSize: 20,
      signal: controller.signal,
      createWorker: () => worker,
      onProgress: (p) => {
        if (p.postsSaved >= 100) controller.abort();
      },
    });
    await expect(outcome).rejects.toMatchObject({ name: 'AbortError' });
    // The worker ends the writes it had under way, tells them, then stops.
    await vi.waitFor(() => expect(worker.terminated).toBe(true));
    const saved = await archive.db.ownPosts.count();
    expect(saved).toBeGreaterThanOrEqual(100);
    expect(saved).toBeLessThan(own);
    expect(index.size).toBe(saved);
    const ids = new Set(await archive.db.ownPosts.toCollection().primaryKeys());
    for (let r = 0; r < index.size; r++) expect(ids.has(index.idAt(r))).toBe(true);

    const rest = await importArchive(file, { store: archive, createWorker: () => channelWorker() });
    expect(rest).toMatchObject({ postsImported: own - saved, duplicates: saved });
    expect(index.size).toBe(own);
    index.dispose();
  });
});
