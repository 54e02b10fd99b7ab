// Where each reader stands, persisted in main ("monitors" document) so a restart, a crash or a
// sleep continues from there instead of from the newest page. A position is written only once
// the renderer has acknowledged storing everything read up to it (`Positions.settle`): what main
// read but the renderer never stored is read again from the persisted position after a crash.
import { z } from 'zod';
import type { DocumentStore, Logger } from '../ports';
import { openVersionedDocument, type VersionedDocument } from '../versioned-document';

export const GapStateSchema = z.object({
  id: z.string().min(1).max(100),
  /** The adapter's cursor reading down into the gap (a 'newer' page's `between`); null when the network cannot. */
  between: z.string().nullable(),
  /** The newest entry known below the gap (ISO), or null. */
  from: z.string().nullable(),
  /** The oldest entry loaded above it (ISO). */
  to: z.string(),
  why: z.enum(['horizon', 'budget', 'failed']),
});
export type GapState = z.infer<typeof GapStateSchema>;

export const ReaderStateSchema = z.object({
  /** The adapter's 'newer' cursor: what is newer than this is new. Null before the first read. */
  newer: z.string().nullable(),
  /** The newest entry's time (ISO) at `newer`, for the words of a gap marker. */
  newestAt: z.string().nullable(),
  gaps: z.array(GapStateSchema).max(50),
});
export type ReaderState = z.infer<typeof ReaderStateSchema>;

const DocSchema = z.object({
  readers: z.record(z.string(), ReaderStateSchema),
  /** Columns whose first page was delivered and stored (they page back from their own cursor). */
  seeded: z.record(z.string(), z.literal(true)),
});
type Doc = z.infer<typeof DocSchema>;

export const emptyReaderState = (): ReaderState => ({ newer: null, newestAt: null, gaps: [] });

interface Pending {
  seq: number;
  readerKey: string;
  state: ReaderState;
  seeded: string[];
}

export class Positions {
  private readonly doc: VersionedDocument<Doc>;
  private pending: Pending[] = [];

  constructor(store: DocumentStore, log: Logger) {
    this.doc = openVersionedDocument(
      store,
      {
        name: 'monitors',
        schema: DocSchema,
        version: 1,
        migrations: {},
        defaults: () => ({ readers: {}, seeded: {} }),
      },
      log,
    );
  }

  /** The persisted state of a reader (a copy), or a fresh one. */
  load(readerKey: string): ReaderState {
    const s = this.doc.get().readers[readerKey];
    return s ? structuredClone(s) : emptyReaderState();
  }

  isSeeded(columnId: string): boolean {
    return this.doc.get().seeded[columnId] === true;
  }

  /**
   * Record a reader's new state. With `seq` (the last delivery carrying what was read), it is
   * written once the renderer acknowledges that delivery; without, at once.
   */
  record(readerKey: string, state: ReaderState, seq: number | null, seeded: readonly string[] = []): void {
    const entry: Pending = { seq: seq ?? 0, readerKey, state: structuredClone(state), seeded: [...seeded] };
    if (seq === null && !this.pending.some((p) => p.readerKey === readerKey)) {
      this.write([entry]);
      return;
    }
    // Behind an unacknowledged one of the same reader: written in order, after it.
    if (seq === null) entry.seq = Math.max(...this.pending.filter((p) => p.readerKey === readerKey).map((p) => p.seq));
    this.pending.push(entry);
  }

  /** The renderer stored every delivery up to `upTo`: the states they carried become persistent. */
  settle(upTo: number): void {
    const due = this.pending.filter((p) => p.seq <= upTo);
    if (!due.length) return;
    this.pending = this.pending.filter((p) => p.seq > upTo);
    this.write(due);
  }

  /** The column gets its first page again (the renderer lost what it held). */
  unseed(columnId: string): void {
    const d = this.doc.get();
    if (!d.seeded[columnId]) return;
    const seeded = { ...d.seeded };
    delete seeded[columnId];
    this.doc.set({ ...d, seeded });
  }

  /** Forget what a reader read beyond its persisted position (it will read it again). */
  discard(readerKey: string): void {
    this.pending = this.pending.filter((p) => p.readerKey !== readerKey);
  }

  /** Forget readers and columns that no longer exist. */
  prune(readerKeys: ReadonlySet<string>, columnIds: ReadonlySet<string>): void {
    const d = this.doc.get();
    const readers = Object.fromEntries(Object.entries(d.readers).filter(([k]) => readerKeys.has(k)));
    const seeded = Object.fromEntries(Object.entries(d.seeded).filter(([k]) => columnIds.has(k)));
    if (
      Object.keys(readers).length !== Object.keys(d.readers).length ||
      Object.keys(seeded).length !== Object.keys(d.seeded).length
    ) {
      this.doc.set({ readers, seeded });
    }
  }

  private write(entries: readonly Pending[]): void {
    const d = this.doc.get();
    const readers = { ...d.readers };
    const seeded = { ...d.seeded };
    for (const e of entries) {
      readers[e.readerKey] = e.state;
      for (const c of e.seeded) seeded[c] = true;
    }
    this.doc.set({ readers, seeded });
  }
}
