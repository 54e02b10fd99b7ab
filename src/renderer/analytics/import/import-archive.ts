// The page's side of an archive import: starts the import worker on the picked file, reports
// progress, and resolves to the report. With the analytics archive (a SharedArchiveSink: the page's
// Dexie database) the worker writes the batches into that database itself and the page only tells
// its listeners of each batch's rows (`announce`: the analytics index takes them in); with any
// other store the page stores each batch the worker sends (one `ingest` of at most `batchSize` posts).
import {
  ArchiveImportError,
  isSharedSink,
  type ArchiveSink,
  type ImportProgress,
  type ImportReport,
  type KnownProfile,
  type PageToWorker,
  type WorkerToPage,
} from './types';

/** What the page needs of the import's worker (a Worker; a test double in tests). */
export interface ImportWorker {
  postMessage(message: PageToWorker): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerToPage>) => void): void;
  addEventListener(type: 'error', listener: (event: Event) => void): void;
  terminate(): void;
}

export interface ImportArchiveOptions {
  /**
   * The analytics archive store: `AnalyticsArchive` (archive-store.ts), which the worker writes
   * itself (SharedArchiveSink), or any ArchiveSink, whose `ingest` the page calls per batch.
   */
  store: ArchiveSink;
  /** Progress, about twice per batch (read, saved) and once per file read. */
  onProgress?: (progress: ImportProgress) => void;
  /** Aborting stops the import: the promise rejects with the signal's reason (an AbortError). */
  signal?: AbortSignal;
  /** Connected profiles, to link the archive's account to its Profile.id. */
  knownProfiles?: KnownProfile[];
  /** Posts per batch (default 500). */
  batchSize?: number;
  /** Starts the worker (default: import.worker.ts as a module worker). */
  createWorker?: () => ImportWorker;
}

function defaultWorker(): ImportWorker {
  return new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module', name: 'archive-import' });
}

/**
 * How long a cancelled import's worker may take to end the writes it has under way (and tell
 * them) before it is stopped anyway (ms): a batch is written in well under a second.
 */
const WRITES_END_WITHIN_MS = 30_000;

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('Import cancelled', 'AbortError');
}

/**
 * Imports an X data archive (the .zip, or its data/tweets.js) or a Mastodon archive (the .zip, or
 * its outbox.json) into the analytics archive, in a Web Worker. Resolves to the report (posts
 * read, new, already there, reposts and direct messages left out, problems with where and why);
 * rejects with ArchiveImportError (`code` has words in `archiveImport.error.<code>`) when nothing
 * can be imported, or with the signal's reason when cancelled. Posts stored before a cancel stay
 * (importing again completes the rest: the store counts them as duplicates); the promise rejects
 * at once, and the batches the worker was writing then still end and are told to the store's
 * listeners before the worker stops.
 */
export function importArchive(file: File | Blob, options: ImportArchiveOptions): Promise<ImportReport> {
  const { store, onProgress, signal } = options;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  let worker: ImportWorker;
  try {
    worker = (options.createWorker ?? defaultWorker)();
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return Promise.reject(
      new ArchiveImportError('worker-failed', `The import worker could not start: ${text}`, { detail: text }),
    );
  }
  const name = file instanceof File ? file.name : 'archive';
  const shared = isSharedSink(store) ? store : null;

  return new Promise<ImportReport>((resolve, reject) => {
    let settled = false;
    let stopped = false;
    let stopTimer: ReturnType<typeof setTimeout> | undefined;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      clearTimeout(stopTimer);
      worker.terminate();
    };
    /** Settles the promise; `workerEnded`: the worker said its last word (no write under way). */
    const finish = (outcome: () => void, workerEnded = true) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      // A worker writing the database itself is let end its writes, so the page hears of them.
      if (workerEnded || !shared) stop();
      else stopTimer = setTimeout(stop, WRITES_END_WITHIN_MS);
      outcome();
    };
    const onAbort = () => {
      worker.postMessage({ type: 'cancel' });
      finish(() => reject(abortReason(signal as AbortSignal)), false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    worker.addEventListener('message', (event: MessageEvent<WorkerToPage>) => {
      const message = event.data;
      // Committed by the worker: the page's listeners hear it, even after a cancel.
      if (message.type === 'stored') {
        if (!stopped) shared?.announce(message.change);
        return;
      }
      if (settled) {
        if (message.type === 'done' || message.type === 'failed' || message.type === 'cancelled') stop();
        return;
      }
      switch (message.type) {
        case 'progress':
          onProgress?.(message.progress);
          return;
        case 'batch':
          store.ingest(message.batch).then(
            (result) => {
              if (!settled) worker.postMessage({ type: 'ingested', seq: message.seq, result });
            },
            (error: unknown) => {
              if (!settled) {
                const text = error instanceof Error ? error.message : String(error);
                worker.postMessage({ type: 'ingest-failed', seq: message.seq, message: text });
              }
            },
          );
          return;
        case 'done':
          finish(() => resolve(message.report));
          return;
        case 'failed':
          finish(() => reject(new ArchiveImportError(message.code, message.message, message.params)));
          return;
        case 'cancelled':
          finish(() => reject(new DOMException('Import cancelled', 'AbortError')));
          return;
      }
    });
    worker.addEventListener('error', (event: Event) => {
      const text =
        typeof ErrorEvent !== 'undefined' && event instanceof ErrorEvent ? event.message : 'The import worker stopped';
      if (settled) stop();
      else finish(() => reject(new ArchiveImportError('worker-failed', text, { detail: text })));
    });
    worker.postMessage({
      type: 'start',
      file,
      name,
      knownProfiles: options.knownProfiles ?? [],
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      ...(shared ? { database: shared.databaseName } : {}),
    });
  });
}
