// In-memory doubles of the core's ports, for tests that run the core without files or timers.
import {
  CorruptDocumentError,
  type Clock,
  type DocumentStore,
  type DocumentStores,
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

export function memoryPorts(
  overrides: Partial<Ports> = {},
): Ports & { clock: FakeClock; log: MemoryLogger; documents: MemoryDocuments } {
  return {
    clock: new FakeClock(),
    log: new MemoryLogger(),
    documents: new MemoryDocuments(),
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
