// The renderer's one analytics archive and one analytics index (issue 9), shared by the full
// analytics view, the Analytics columns and whatever stores into the archive.
//
// Owner of the data: the archive in Dexie (src/renderer/analytics/archive-store.ts). There is one
// `AnalyticsArchive` per database (archive-store.ts `archiveOf`): its `subscribe` tells listeners
// of every ingest, so the writers (main's deliveries through analytics/sync.ts, archive imports)
// and the readers share that one object. The index (src/renderer/analytics/query.ts) mirrors the archive in
// memory; it is loaded once, on first use (loading 100,000 posts takes seconds: chunk by chunk,
// one IndexedDB read each, the window stays responsive and the progress is shown), and follows
// the archive's ingests from then on.
import { createContext, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import type { AnalyticsArchive, ArchivedPost } from '../../analytics/archive-store';
import { importArchive, type ImportArchiveOptions } from '../../analytics/import/import-archive';
import type { ImportReport } from '../../analytics/import/types';
import { AnalyticsIndex } from '../../analytics/query';

/** Where the shared index is: loading (posts read of `total`), ready, or failed. */
export interface IndexState {
  index: AnalyticsIndex | null;
  /** Posts read so far while loading. */
  read: number;
  /** Posts the archive holds (counted before loading), null until counted. */
  total: number | null;
  /** Why loading failed (then `retry`). */
  error: unknown;
}

/** Posts read per IndexedDB request while loading (each a short read transaction). */
const LOAD_CHUNK = 2000;

class IndexLoader {
  state: IndexState = { index: null, read: 0, total: null, error: null };
  private running: Promise<void> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly archive: AnalyticsArchive) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = () => this.state;

  private set(next: Partial<IndexState>) {
    this.state = { ...this.state, ...next };
    for (const l of [...this.listeners]) l();
  }

  /** Starts loading unless loaded or loading. */
  start(): void {
    if (this.running || this.state.index) return;
    this.set({ error: null, read: 0 });
    const archive = this.archive;
    // The index reads the archive through `scanPosts`; this view of the archive counts what it
    // reads for the progress bar (the archive itself, its listeners included, is unchanged).
    const counted = Object.create(archive) as AnalyticsArchive;
    counted.scanPosts = (onChunk: (rows: ArchivedPost[]) => void, chunk?: number) =>
      archive.scanPosts((rows) => {
        onChunk(rows);
        this.set({ read: this.state.read + rows.length });
      }, chunk);
    this.running = (async () => {
      try {
        this.set({ total: await archive.db.ownPosts.count() });
        const index = await AnalyticsIndex.load(counted, { chunk: LOAD_CHUNK });
        this.set({ index, total: index.size, read: index.size });
      } catch (error) {
        console.error('The analytics could not be loaded', error);
        this.set({ error });
      } finally {
        this.running = null;
      }
    })();
  }
}

const loaders = new WeakMap<AnalyticsArchive, IndexLoader>();

function loaderFor(archive: AnalyticsArchive): IndexLoader {
  let loader = loaders.get(archive);
  if (!loader) {
    loader = new IndexLoader(archive);
    loaders.set(archive, loader);
  }
  return loader;
}

/** How often, at most, a change to the index renders the views again (ms): an import brings a batch every few ms. */
export const CHANGES_EVERY_MS = 250;

/**
 * The shared index of `archive`, loading it on first use. Re-renders while it loads (progress),
 * when it is ready, and after changes to it (ingests), at most every CHANGES_EVERY_MS so that a
 * large import does not query and sort again for each of its batches: read `index.version` to
 * depend on it.
 */
export function useAnalyticsIndex(archive: AnalyticsArchive): IndexState & { retry(): void } {
  const loader = loaderFor(archive);
  const state = useSyncExternalStore(loader.subscribe, loader.getState);
  useEffect(() => loader.start(), [loader]);
  const index = state.index;
  const [, setSeen] = useState(-1);
  useEffect(() => {
    if (!index) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    const off = index.subscribe(() => {
      if (timer !== null) return;
      timer = setTimeout(
        () => {
          timer = null;
          last = Date.now();
          setSeen(index.version);
        },
        Math.max(0, last + CHANGES_EVERY_MS - Date.now()),
      );
    });
    return () => {
      off();
      if (timer !== null) clearTimeout(timer);
    };
  }, [index]);
  return { ...state, retry: () => loader.start() };
}

/** Imports an archive file into the analytics archive (import-archive.ts `importArchive`'s shape). */
export type ArchiveImporter = (file: File, options: ImportArchiveOptions) => Promise<ImportReport>;

/**
 * How the view imports archives: in a Web Worker (`importArchive`) in the app; tests give an
 * importer that runs in-process (run-import.ts), where no worker can start.
 */
export const ArchiveImporterContext = createContext<ArchiveImporter>(importArchive);

export const useArchiveImporter = () => useContext(ArchiveImporterContext);
