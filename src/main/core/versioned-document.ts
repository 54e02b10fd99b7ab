// A JSON document with a schema version and migrations, on top of a DocumentStore.
// A corrupt file, a file from a newer Colonnade, or one that no longer fits the schema is moved
// aside (kept, never silently replaced), logged in plain words, and the app starts from defaults.
import type { z } from 'zod';
import { CorruptDocumentError, type DocumentStore, type Logger, type ResetWhy } from './ports';

export interface VersionedDocumentSpec<T> {
  name: string;
  schema: z.ZodType<T>;
  /** The version this build writes. Versions start at 1. */
  version: number;
  /** migrations[n] turns the data of version n into version n + 1. */
  migrations: Record<number, (data: unknown) => unknown>;
  defaults: () => T;
}

export interface VersionedDocument<T> {
  get(): T;
  set(value: T): void;
}

/**
 * Opens (reading, migrating, validating) a versioned document. A corrupt file, one from a newer
 * Colonnade, or one that does not fit the schema is moved aside with its reason and kind
 * (`DocumentStore.moveAside(reason, why)`: the core turns that into the notice the UI shows),
 * logged, and replaced by `spec.defaults()`.
 */
export function openVersionedDocument<T>(
  store: DocumentStore,
  spec: VersionedDocumentSpec<T>,
  log: Logger,
): VersionedDocument<T> {
  const aside = (reason: string, why: ResetWhy = 'unreadable'): T => {
    const where = store.moveAside(reason, why);
    log.warn(`${spec.name}: ${reason}. The old file was kept as ${where}; starting with defaults.`);
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
      if (err instanceof CorruptDocumentError) return aside('the file is damaged (not valid JSON)', 'damaged');
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
      return aside(
        `the file was written by a newer Colonnade (schema ${version}, this one reads up to ${spec.version})`,
        'newer',
      );
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
