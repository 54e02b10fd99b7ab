// A JSON document with a schema version and migrations, on top of a DocumentStore.
// A corrupt file, a file from a newer Colonnade, or one that no longer fits the schema is moved
// aside (kept, never silently replaced), logged in plain words, and the app starts from defaults.
import type { z } from 'zod';
import { CorruptDocumentError, type DocumentStore, type Logger } from './ports';

const DAMAGED = 'the file is damaged (not valid JSON)';
const NEWER = 'the file was written by a newer Colonnade';

export interface VersionedDocumentSpec<T> {
  name: string;
  schema: z.ZodType<T>;
  /** The version this build writes. Versions start at 1. */
  version: number;
  /** migrations[n] turns the data of version n into version n + 1. */
  migrations: Record<number, (data: unknown) => unknown>;
  defaults: () => T;
}

/** Why a document was moved aside, in words the UI translates (notices.why.<key>). */
export type ResetWhy = 'damaged' | 'newer' | 'unreadable';

/** What the app tells the user when a document was moved aside and started again from defaults. */
export interface DocumentReset {
  /** The document's name ('settings', 'layout', 'accounts', 'usage', 'sandbox'…). */
  name: string;
  why: ResetWhy;
  /** Where the old file was kept (the path DocumentStore.moveAside answered). */
  keptAs: string;
}

export interface VersionedDocument<T> {
  get(): T;
  set(value: T): void;
}

/**
 * Opens (reading, migrating, validating) a versioned document. A corrupt file, one from a newer
 * Colonnade, or one that does not fit the schema is moved aside, logged, reported to `onReset`
 * (for the notice the UI shows), and replaced by `spec.defaults()`.
 */
export function openVersionedDocument<T>(
  store: DocumentStore,
  spec: VersionedDocumentSpec<T>,
  log: Logger,
  onReset?: (reset: DocumentReset) => void,
): VersionedDocument<T> {
  const aside = (reason: string, why: ResetWhy = 'unreadable'): T => {
    const where = store.moveAside(reason);
    log.warn(`${spec.name}: ${reason}. The old file was kept as ${where}; starting with defaults.`);
    onReset?.({ name: spec.name, why, keptAs: where });
    const fresh = spec.defaults();
    write(fresh);
    return fresh;
  };
  const write = (value: T) => store.write({ schemaVersion: spec.version, data: value as unknown });

  const load = (): T => {
    let raw: unknown;
    try {
      raw = store.read();
    } catch (err) {
      if (err instanceof CorruptDocumentError) return aside(DAMAGED, 'damaged');
      throw err;
    }
    if (raw === undefined) {
      const fresh = spec.defaults();
      write(fresh);
      return fresh;
    }
    const doc = raw as { schemaVersion?: unknown; data?: unknown };
    const version = doc.schemaVersion;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
      return aside('the file has no schema version');
    }
    if (version > spec.version) {
      return aside(`${NEWER} (schema ${version}, this one reads up to ${spec.version})`, 'newer');
    }
    let data = doc.data;
    for (let v = version; v < spec.version; v++) {
      const migrate = spec.migrations[v];
      if (!migrate) return aside(`no migration from schema ${v}`);
      try {
        data = migrate(data);
      } catch {
        return aside(`migration from schema ${v} failed`);
      }
    }
    const parsed = spec.schema.safeParse(data);
    if (!parsed.success) return aside('the file does not match what Colonnade expects');
    if (version !== spec.version) {
      log.info(`${spec.name}: upgraded from schema ${version} to ${spec.version}`);
      write(parsed.data);
    }
    return parsed.data;
  };

  let current = load();
  return {
    get: () => current,
    set: (value) => {
      current = spec.schema.parse(value);
      write(current);
    },
  };
}

/** The kind of a reason this module gave DocumentStore.moveAside (for a store that only sees the words). */
export function resetWhy(reason: string): ResetWhy {
  return reason === DAMAGED ? 'damaged' : reason.startsWith(NEWER) ? 'newer' : 'unreadable';
}
