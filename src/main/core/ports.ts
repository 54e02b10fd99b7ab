// The core's view of the outside world. The Electron shell and the headless host each plug in
// their own implementations; tests use the in-memory doubles in tests/doubles.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Thrown by a DocumentStore whose file exists but cannot be parsed. */
export class CorruptDocumentError extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`The file ${path} cannot be read`, { cause });
    this.name = 'CorruptDocumentError';
  }
}

/**
 * Why a document was moved aside, as the notice says it (the UI translates notices.why.<key>):
 * `damaged` (not valid JSON), `newer` (written by a newer Colonnade), `unreadable` (no schema
 * version, no migration, or data that does not fit the schema).
 */
export type ResetWhy = 'damaged' | 'newer' | 'unreadable';

/** One persisted JSON document (a file): electron-store in the app, conf in the headless host. */
export interface DocumentStore {
  /** The stored document, or undefined when there is none; throws CorruptDocumentError. */
  read(): unknown;
  /** Replace the document atomically. */
  write(document: Record<string, unknown>): void;
  /**
   * Move the current file aside (kept for the user), answering where it went. `reason` is the
   * plain words for logs and the note kept beside the file; `why` its kind, for the user's notice.
   */
  moveAside(reason: string, why: ResetWhy): string;
  /** Remove the document's file (nothing is kept); reading then answers undefined. No file: nothing to do. */
  delete(): void;
}

export interface DocumentStores {
  open(name: string): DocumentStore;
}

/**
 * An append-only journal of JSON records over a snapshot (the outbox): a change is one small
 * append, made durable (fsync) before the caller acts on it, and `compact` folds the journal into
 * a new snapshot now and then. Files in the app and the headless host; memory in tests.
 */
export interface JournalStore {
  /**
   * The snapshot (undefined when none) and the records appended after it, in order. A last record
   * cut short by a crash mid-write is left out and counted in `torn`; a record that is not JSON
   * anywhere else is left out and counted in `unreadable` (with its line kept aside by the store).
   */
  load(): { snapshot: unknown; records: unknown[]; torn: number; unreadable: number };
  /** Appends records; the promise resolves once they are on disk. Appends made together are written together. */
  append(records: readonly unknown[]): Promise<void>;
  /** Replaces snapshot and journal with `snapshot`, atomically (a crash leaves the old or the new). */
  compact(snapshot: unknown): void;
}

export interface JournalStores {
  open(name: string): JournalStore;
}

/** Files kept by content (media staged for scheduled posts): the id is the SHA-256 of the bytes, hex. */
export interface BlobStore {
  /** Stores the bytes (once per content) and answers their id. */
  put(bytes: Uint8Array): Promise<string>;
  /** The bytes, or null when no such blob is kept. */
  get(id: string): Promise<Uint8Array | null>;
  delete(id: string): Promise<void>;
  /** Every id kept. */
  list(): Promise<string[]>;
  /**
   * A blob written piece by piece (a large video staged in chunks), kept on disk rather than in
   * memory until whole. Absent: the caller holds the bytes and calls `put`.
   */
  open?(): Promise<BlobWriter>;
}

/** A blob being written (BlobStore.open): appended to in order, then kept under its SHA-256 or dropped. */
export interface BlobWriter {
  /** Appends `bytes` after what was written. */
  write(bytes: Uint8Array): Promise<void>;
  /** Keeps the blob under its SHA-256 and answers it; when that is not `expected`, keeps nothing and answers null. */
  commit(expected: string): Promise<string | null>;
  /** Drops what was written. */
  abort(): Promise<void>;
}

/** Encrypts secrets at rest (safeStorage in the app). Used by accounts from issue 3 on. */
export interface SecretStore {
  /** False on Linux without a keyring, where the ciphertext is only obfuscated. */
  isStrong(): Promise<boolean>;
  encrypt(plain: string): Promise<string>;
  decrypt(cipher: string): Promise<string>;
}

/** One desktop notification (an alert of a column, a failed scheduled post…). */
export interface DesktopNotification {
  title: string;
  body: string;
  /** Play the system's notification sound. */
  sound: boolean;
  /** Called when the CM clicks the notification. */
  onClick?: () => void;
}

/** Desktop notifications and the tray badge: Electron's in the app, the log and the page in the headless host. */
export interface Notifier {
  notify(notification: DesktopNotification): void;
  /** Unseen alerts on the tray icon / dock (0 clears it). */
  badge(count: number): void;
}

/** The computer's sleep: monitors catch up after it (Electron `powerMonitor` 'resume'). */
export interface PowerEvents {
  onResume(listener: () => void): () => void;
}

export interface OnlineStatus {
  isOnline(): boolean;
  onChange(listener: (online: boolean) => void): () => void;
}

export interface Ports {
  clock: Clock;
  log: Logger;
  documents: DocumentStores;
  journals: JournalStores;
  blobs: BlobStore;
  secrets: SecretStore;
  notifier: Notifier;
  online: OnlineStatus;
  power: PowerEvents;
  /** Bring the app's window to the front (a clicked notification); absent where there is none. */
  showWindow?(): void;
  /** Open an http(s) page in the user's browser (OAuth authorization pages). */
  openExternal(url: string): void;
  /** The OS's preferred languages, best first. */
  osLocales(): string[];
  host: 'electron' | 'headless';
  version: string;
  platform: string;
  /** Seed of the Sandbox world; fixed in tests so they can rely on its content. */
  sandboxSeed?: number | undefined;
}
