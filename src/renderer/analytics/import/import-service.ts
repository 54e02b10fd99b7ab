// The worker's side of an archive import: answers one `start` message by running the import
// (run-import.ts) into the analytics archive. When `start` names the page's Dexie database, the
// worker stores each batch there itself, on its own connection (`AnalyticsArchive.write`, the
// page's code), and posts the rows it committed (`stored`) for the page's listeners: the page
// does no writing. Otherwise each batch goes to the page, which stores it and answers `ingested`.
// Written against a message port so tests can drive it over a MessageChannel; import.worker.ts
// serves it on the worker's own scope.
import { openDatabase } from '../../db/database';
import { AnalyticsArchive } from '../archive-store';
import { runImport } from './run-import';
import {
  ArchiveImportError,
  type ArchiveBatch,
  type ArchiveSink,
  type IngestResult,
  type PageToWorker,
  type WorkerToPage,
} from './types';

/** What the import needs of a port: the worker's global scope, or a MessagePort. */
export interface ImportPort {
  postMessage(message: WorkerToPage): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<PageToWorker>) => void): void;
  /** MessagePort only: starts delivery to `addEventListener` listeners. */
  start?(): void;
}

function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error instanceof DOMException && error.name === 'AbortError');
}

/**
 * Serves imports on `port`: one per `start` (a worker serves one; a second `start` while one runs
 * is refused with `failed`). `cancel` stops the run at its next item and answers `cancelled`.
 * The last word (`done`, `failed`, `cancelled`) comes once no write of the worker's is under way,
 * so every batch it committed has been told (`stored`) before it: what was saved before a cancel
 * stays, and the page hears of all of it.
 */
export function serveImports(port: ImportPort): void {
  let running = false;
  let controller = new AbortController();
  const waiting = new Map<number, { resolve: (r: IngestResult) => void; reject: (e: Error) => void }>();
  let seq = 0;

  port.addEventListener('message', (event) => {
    const message = event.data;
    switch (message.type) {
      case 'ingested':
        waiting.get(message.seq)?.resolve(message.result);
        waiting.delete(message.seq);
        return;
      case 'ingest-failed':
        waiting.get(message.seq)?.reject(new Error(message.message));
        waiting.delete(message.seq);
        return;
      case 'cancel':
        controller.abort();
        for (const { reject } of waiting.values()) reject(new DOMException('Import cancelled', 'AbortError'));
        waiting.clear();
        return;
      case 'start': {
        if (running) {
          port.postMessage({
            type: 'failed',
            code: 'worker-failed',
            message: 'An import is already running',
            params: {},
          });
          return;
        }
        running = true;
        controller = new AbortController();
        const { signal } = controller;
        const writes = new Set<Promise<unknown>>();
        let sink: ArchiveSink;
        let close = () => {};
        if (message.database !== undefined) {
          const db = openDatabase(message.database);
          const archive = new AnalyticsArchive(db);
          close = () => db.close();
          sink = {
            async ingest(batch: ArchiveBatch): Promise<IngestResult> {
              // After a cancel no batch starts; those under way finish (and are told).
              signal.throwIfAborted();
              const write = archive.write(batch).then(({ result, change }) => {
                if (change.posts.length || change.followers.length) port.postMessage({ type: 'stored', change });
                return result;
              });
              writes.add(write);
              write.then(
                () => writes.delete(write),
                () => writes.delete(write),
              );
              return write;
            },
          };
        } else {
          sink = {
            ingest: (batch: ArchiveBatch) =>
              new Promise<IngestResult>((resolve, reject) => {
                seq += 1;
                waiting.set(seq, { resolve, reject });
                port.postMessage({ type: 'batch', seq, batch });
              }),
          };
        }
        runImport(message.file, message.name, sink, {
          knownProfiles: message.knownProfiles,
          ...(message.batchSize ? { batchSize: message.batchSize } : {}),
          signal,
          onProgress: (progress) => port.postMessage({ type: 'progress', progress }),
        })
          .then(
            (report): WorkerToPage => ({ type: 'done', report }),
            (error: unknown): WorkerToPage => {
              if (isAbort(error, signal)) return { type: 'cancelled' };
              if (error instanceof ArchiveImportError) {
                return { type: 'failed', code: error.code, message: error.message, params: error.params };
              }
              const text = error instanceof Error ? error.message : String(error);
              return { type: 'failed', code: 'worker-failed', message: text, params: { detail: text } };
            },
          )
          .then(async (last) => {
            // A cancel or a failure leaves writes under way: they end (committed and told, or not at all) first.
            await Promise.allSettled([...writes]);
            close();
            port.postMessage(last);
          })
          .finally(() => {
            running = false;
          });
        return;
      }
    }
  });
  port.start?.();
}
