// In-memory doubles of the core's ports, for tests that run the core without files or timers.
import {
  CorruptDocumentError,
  type Clock,
  type DocumentStore,
  type DocumentStores,
  type BlobStore,
  type JournalStore,
  type JournalStores,
  type Logger,
  type Ports,
} from '../../src/main/core/ports';

/** A clock tests move by hand; timers fire in order as time passes. */
export class FakeClock implements Clock {
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 1;
  constructor(public time = Date.UTC(2026, 10, 25, 8, 0, 0)) {}
  now = () => this.time;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, fn, id });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.timers = this.timers.filter((t) => t.id !== handle);
  };
  pending(): number {
    return this.timers.length;
  }
  /** Move time forward, running due timers (and letting their promises settle) in order. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await flush();
      const next = [...this.timers].sort((a, b) => a.at - b.at)[0];
      if (!next || next.at > end) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.time = next.at;
      next.fn();
    }
    this.time = end;
    await flush();
  }
}

export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((r) => setImmediate(r));
}

export class MemoryLogger implements Logger {
  lines: Array<{ level: string; message: string; fields?: Record<string, unknown> | undefined }> = [];
  info = (message: string, fields?: Record<string, unknown>) =>
    void this.lines.push({ level: 'info', message, fields });
  warn = (message: string, fields?: Record<string, unknown>) =>
    void this.lines.push({ level: 'warn', message, fields });
  error = (message: string, fields?: Record<string, unknown>) =>
    void this.lines.push({ level: 'error', message, fields });
  text(): string {
    return this.lines.map((l) => `${l.level} ${l.message} ${JSON.stringify(l.fields ?? {})}`).join('\n');
  }
}

/** Documents kept as JSON strings, so a test can plant a damaged one. */
export class MemoryDocuments implements DocumentStores {
  files = new Map<string, string>();
  aside = new Map<string, string>();
  open(name: string): DocumentStore {
    return {
      read: () => {
        const raw = this.files.get(name);
        if (raw === undefined) return undefined;
        try {
          return JSON.parse(raw) as unknown;
        } catch (err) {
          throw new CorruptDocumentError(`${name}.json`, err);
        }
      },
      write: (doc) => void this.files.set(name, JSON.stringify(doc)),
      moveAside: () => {
        const where = `${name}.json.${this.aside.size + 1}.bad`;
        this.aside.set(where, this.files.get(name) ?? '');
        this.files.delete(name);
        return where;
      },
      delete: () => void this.files.delete(name),
    };
  }
}

/**
 * Journals in memory, as lines of text like the file store's, so a test can cut the last record
 * short (a crash mid-write) or reopen the store as a restarted app would.
 */
export class MemoryJournals implements JournalStores {
  snapshots = new Map<string, string>();
  journals = new Map<string, string>();
  open(name: string): JournalStore {
    let seq = 0;
    return {
      load: () => {
        const snap = this.snapshots.get(name);
        const doc = snap ? (JSON.parse(snap) as { seq: number; data: unknown }) : undefined;
        seq = doc?.seq ?? 0;
        const lines = (this.journals.get(name) ?? '').split('\n');
        const tail = lines.pop() ?? '';
        const records: unknown[] = [];
        let unreadable = 0;
        for (const line of lines) {
          if (!line.trim()) continue;
          try {
            const r = JSON.parse(line) as { s: number; r: unknown };
            seq = Math.max(seq, r.s);
            if (r.s > (doc?.seq ?? 0)) records.push(r.r);
          } catch {
            unreadable++;
          }
        }
        if (tail.trim()) this.journals.set(name, lines.map((l) => `${l}\n`).join(''));
        return { snapshot: doc?.data, records, torn: tail.trim() ? 1 : 0, unreadable };
      },
      append: async (records) => {
        const text = records.map((r) => `${JSON.stringify({ s: ++seq, r })}\n`).join('');
        this.journals.set(name, (this.journals.get(name) ?? '') + text);
      },
      compact: (snapshot) => {
        this.snapshots.set(name, JSON.stringify({ seq, data: snapshot }));
        this.journals.set(name, '');
      },
    };
  }
}

/** Blobs in memory, by the SHA-256 of their bytes. */
export class MemoryBlobs implements BlobStore {
  blobs = new Map<string, Uint8Array>();
  async put(bytes: Uint8Array): Promise<string> {
    const { createHash } = await import('node:crypto');
    const id = createHash('sha256').update(bytes).digest('hex');
    this.blobs.set(id, new Uint8Array(bytes));
    return id;
  }
  async get(id: string): Promise<Uint8Array | null> {
    return this.blobs.get(id) ?? null;
  }
  async delete(id: string): Promise<void> {
    this.blobs.delete(id);
  }
  async list(): Promise<string[]> {
    return [...this.blobs.keys()];
  }
}

export function memoryPorts(
  overrides: Partial<Ports> = {},
): Ports & { clock: FakeClock; log: MemoryLogger; documents: MemoryDocuments } {
  return {
    clock: new FakeClock(),
    log: new MemoryLogger(),
    documents: new MemoryDocuments(),
    journals: new MemoryJournals(),
    blobs: new MemoryBlobs(),
    secrets: {
      isStrong: async () => true,
      encrypt: async (s) => `enc:${Buffer.from(s).toString('base64')}`,
      decrypt: async (s) => Buffer.from(s.slice(4), 'base64').toString(),
    },
    notifier: { notify: () => undefined, badge: () => undefined },
    online: { isOnline: () => true, onChange: () => () => undefined },
    power: { onResume: () => () => undefined },
    openExternal: () => undefined,
    osLocales: () => ['fr-FR', 'en-US'],
    host: 'headless',
    version: '0.0.0-test',
    platform: 'linux',
    sandboxSeed: 42,
    ...overrides,
  } as Ports & { clock: FakeClock; log: MemoryLogger; documents: MemoryDocuments };
}
