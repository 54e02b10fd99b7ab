// One archive import, from the picked file to the archive store: opens the file, tells which
// network's archive it is, lets that network's reader go through it, and hands its posts to the
// store in batches. Runs in the import worker (import.worker.ts); tests and the bench run it
// in-process with any ArchiveSink.
import type { FollowerCount, MetricSnapshot, OwnPost } from '../../../shared/analytics';
import { openArchive, type ArchiveSource } from './archive-source';
import { isMastodonArchive, isOutboxText, readMastodonArchive } from './mastodon-archive';
import type { ArchiveIdentity, ReadContext } from './read-context';
import {
  ArchiveImportError,
  type ArchiveSink,
  type ImportProblem,
  type ImportProgress,
  type ImportReport,
  type ImportRunOptions,
} from './types';
import { isXArchive, isXPostsText, readXArchive } from './x-archive';

/** Posts per batch: the page's share of storing one (Dexie puts, structured clone) stays < 50 ms. */
export const DEFAULT_BATCH_SIZE = 500;
/**
 * Batches handed to the store and not yet answered. The store (Dexie, on the page) is the slow
 * side: with 2, the page sat idle while the worker read the next part; 8 keeps it busy (50,000
 * posts in Chromium: 10.4 s → 7.8–8.9 s) at the cost of 4,000 posts waiting in messages.
 */
const MAX_IN_FLIGHT = 8;
/** Problems kept in a report; more are counted. */
export const MAX_PROBLEMS = 200;
/** Bytes read between two progress reports while a file is read. */
const BYTES_BETWEEN_REPORTS = 1 << 20;

type Reader = (source: ArchiveSource, ctx: ReadContext) => Promise<void>;

async function chooseReader(source: ArchiveSource, file: Blob): Promise<Reader> {
  if (source.kind === 'zip') {
    if (isXArchive(source)) return readXArchive;
    if (isMastodonArchive(source)) return readMastodonArchive;
    throw new ArchiveImportError('not-an-archive', `${source.name} is neither an X nor a Mastodon archive`);
  }
  const start = await file.slice(0, 4096).text();
  if (isXPostsText(start)) return readXArchive;
  if (isOutboxText(start)) return readMastodonArchive;
  throw new ArchiveImportError('not-an-archive', `${source.name} is neither an X posts file nor a Mastodon outbox`);
}

/**
 * Imports the archive (or posts file) `file` into `sink`. Resolves to the report (what was kept,
 * what was already there, what could not be read); rejects with ArchiveImportError when nothing
 * can be imported at all (see ImportErrorCode), or with the signal's AbortError when cancelled
 * (batches already handed to the store stay there: importing again completes them).
 */
export async function runImport(
  file: Blob,
  name: string,
  sink: ArchiveSink,
  options: ImportRunOptions = {},
): Promise<ImportReport> {
  const now = options.now ?? (() => Date.now());
  const started = now();
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const { signal, onProgress } = options;
  signal?.throwIfAborted();

  const problems: ImportProblem[] = [];
  let problemsOmitted = 0;
  let identity: ArchiveIdentity | null = null;
  const counts = { postsRead: 0, imported: 0, duplicates: 0, updated: 0, reposts: 0, privates: 0, snapshots: 0 };
  const progress: ImportProgress = {
    phase: 'reading',
    file: name,
    bytesDone: 0,
    bytesTotal: 0,
    itemsDone: 0,
    itemsTotal: null,
    postsRead: 0,
    postsSaved: 0,
  };
  let itemsCounted = 0;
  let manifestCounted = false;
  let bytesBefore = 0;
  let lastReportedBytes = -Infinity;
  const report = () => onProgress?.({ ...progress });

  let posts: OwnPost[] = [];
  let snapshots: MetricSnapshot[] = [];
  let followers: FollowerCount[] = [];
  const inFlight: Array<Promise<void>> = [];
  let storeFailure: unknown = null;

  const flush = async () => {
    if (storeFailure !== null) throw storeFailed(storeFailure);
    if (posts.length === 0 && snapshots.length === 0 && followers.length === 0) return;
    const batch = { posts, snapshots, followers };
    posts = [];
    snapshots = [];
    followers = [];
    inFlight.push(
      sink.ingest(batch).then(
        (result) => {
          counts.imported += result.newPosts;
          counts.duplicates += result.duplicatePosts;
          counts.updated += result.updatedPosts ?? 0;
          progress.postsSaved += batch.posts.length;
          report();
        },
        (error: unknown) => {
          storeFailure ??= error;
        },
      ),
    );
    progress.phase = 'importing';
    report();
    while (inFlight.length >= MAX_IN_FLIGHT) await inFlight.shift();
    if (storeFailure !== null) throw storeFailed(storeFailure);
  };

  const addProblem = (problem: ImportProblem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
    else problemsOmitted += 1;
  };

  const ctx: ReadContext = {
    signal,
    knownProfiles: options.knownProfiles ?? [],
    plan({ bytesTotal, itemsTotal }) {
      progress.bytesTotal = bytesTotal;
      if (itemsTotal !== null) {
        progress.itemsTotal = itemsTotal;
        manifestCounted = true;
      }
      report();
    },
    reading(path, bytesDone) {
      progress.file = path;
      progress.phase = 'reading';
      progress.bytesDone = bytesBefore + bytesDone;
      if (progress.bytesDone - lastReportedBytes >= BYTES_BETWEEN_REPORTS) {
        lastReportedBytes = progress.bytesDone;
        report();
      }
    },
    read(path, size) {
      bytesBefore += size;
      progress.file = path;
      progress.bytesDone = bytesBefore;
      lastReportedBytes = bytesBefore;
      report();
    },
    itemsFound(count) {
      if (manifestCounted) return;
      itemsCounted += count;
      progress.itemsTotal = itemsCounted;
    },
    identify(who) {
      identity = who;
      followers.push(...who.followers);
    },
    async post(post, snapshot) {
      if (!identity) throw new Error('An archive reader handed a post before saying whose archive it is');
      progress.itemsDone += 1;
      progress.postsRead += 1;
      counts.postsRead += 1;
      posts.push(post);
      if (snapshot) {
        snapshots.push(snapshot);
        counts.snapshots += 1;
      }
      if (posts.length >= batchSize) await flush();
    },
    repost() {
      progress.itemsDone += 1;
      counts.reposts += 1;
    },
    privateMessage() {
      progress.itemsDone += 1;
      counts.privates += 1;
    },
    badItem(where, why, params) {
      progress.itemsDone += 1;
      addProblem({ where, why, ...(params ? { params } : {}) });
    },
    problem(where, why, params) {
      addProblem({ where, why, ...(params ? { params } : {}) });
    },
  };

  const source = await openArchive(file, name);
  // An incomplete download: what was before the cut is read; the report says the rest is missing.
  if (source.incomplete && !source.incomplete.allEntries) {
    const { completeEntries, cutEntry } = source.incomplete;
    addProblem({
      where: { file: name },
      why: 'zip-incomplete',
      params: { count: completeEntries, ...(cutEntry ? { entry: cutEntry } : {}) },
    });
  }
  try {
    const read = await chooseReader(source, file);
    await read(source, ctx);
    await flush();
    await Promise.all(inFlight);
    if (storeFailure !== null) throw storeFailed(storeFailure);
  } finally {
    await source.close().catch(() => undefined);
  }
  const who = identity as ArchiveIdentity | null;
  if (!who) throw new ArchiveImportError('no-posts-file', `${name} has no posts Colonnade can read`);
  report();
  return {
    network: who.network,
    profile: who.profile,
    observedAt: who.observedAt,
    postsRead: counts.postsRead,
    postsImported: counts.imported,
    duplicates: counts.duplicates,
    postsUpdated: counts.updated,
    skippedReposts: counts.reposts,
    skippedPrivate: counts.privates,
    snapshots: counts.snapshots,
    problems,
    problemsOmitted,
    durationMs: now() - started,
  };
}

function storeFailed(error: unknown): ArchiveImportError {
  if (error instanceof ArchiveImportError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ArchiveImportError('store-failed', `The analytics archive refused posts: ${message}`, { detail: message });
}
