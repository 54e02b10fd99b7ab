// The file the CM picked, opened: a zip (X and Mastodon archives) read by random access, or one
// text file (data/tweets.js, outbox.json).
//
// Zips are read with @zip.js/zip.js: it reads the central directory at the end of a Blob and then
// only the entries asked for, so a multi-gigabyte X archive (mostly media) costs the few megabytes
// of its data/*.js files, never the whole file in memory. fflate was the other candidate; it has
// no random access on a Blob (its streaming unzip walks every byte of the media to reach the
// entries), which is why zip.js. It unpacks with the platform's DecompressionStream; its own
// helper workers are off (we already run in a worker, and the renderer's CSP allows no blob:
// workers).
//
// An incomplete download has no central directory: then the zip's local headers are walked from
// the start (local-headers.ts) and the source holds the entries before the cut, the last one cut
// short when the file ends inside it (`incomplete` says so).
import { BlobReader, TextWriter, ZipReader, type Entry, type FileEntry } from '@zip.js/zip.js';
import { readWalkedEntry, walkLocalHeaders } from './local-headers';
import { ArchiveImportError } from './types';

/** One file of the picked archive (or the picked file itself). */
export interface ArchiveFile {
  /** Path inside the zip ("data/tweets.js"), or the picked file's name. */
  path: string;
  /** Uncompressed size, bytes. */
  size: number;
  /** The file's date (the zip entry's, or the picked file's), ms since the epoch; null if unknown. */
  modified: number | null;
  /**
   * The file's text (UTF-8). Rejects with the zip library's error when its data is damaged, and
   * with an AbortError when `signal` aborts. `onBytes` gets the bytes read so far.
   */
  read(options?: { signal?: AbortSignal; onBytes?: (done: number) => void }): Promise<string>;
  /**
   * True for the entry an incomplete zip ends in: `read` gives its text up to the cut (its parser
   * then reports the file cut short), and `size` is what the file holds of it when unknown.
   */
  truncated?: boolean;
}

/** How much of a zip without its central directory (an incomplete download) could be read. */
export interface IncompleteZip {
  /** Entries read whole (files and folders), before the cut. */
  completeEntries: number;
  /** The entry the file ends in (read up to the cut), or null when it ends between entries or in a header. */
  cutEntry: string | null;
  /** Bytes of the file before the cut that were understood, and the file's size. */
  bytesRead: number;
  fileSize: number;
  /** Every entry is there: the file ends in its central directory (only the directory's end is lost). */
  allEntries: boolean;
}

export interface ArchiveSource {
  kind: 'zip' | 'file';
  name: string;
  files: ArchiveFile[];
  /**
   * Set when the zip's central directory could not be read (an incomplete download) and its
   * entries were found by walking it from the start: only those before the cut are in `files`.
   */
  incomplete?: IncompleteZip;
  /** The first file whose path matches `pattern`, if any. */
  find(pattern: RegExp): ArchiveFile | undefined;
  close(): Promise<void>;
}

const ZIP_MAGIC = [0x50, 0x4b]; // "PK": local file header, or end of central directory (empty zip)
const GZIP_MAGIC = [0x1f, 0x8b];

async function head(blob: Blob, length: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(0, length).arrayBuffer());
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((byte, i) => bytes[i] === byte);
}

function makeSource(
  kind: ArchiveSource['kind'],
  name: string,
  files: ArchiveFile[],
  close: () => Promise<void>,
  incomplete?: IncompleteZip,
) {
  return {
    kind,
    name,
    files,
    ...(incomplete ? { incomplete } : {}),
    find: (pattern: RegExp) => files.find((f) => pattern.test(f.path)),
    close,
  } satisfies ArchiveSource;
}

function isFileEntry(entry: Entry): entry is FileEntry {
  return !entry.directory;
}

/**
 * A zip whose central directory cannot be read, by its local headers: the entries before the cut
 * (see local-headers.ts). Throws `zip-damaged` when not one entry holds data to read.
 */
async function openByLocalHeaders(file: Blob, name: string, cause: unknown): Promise<ArchiveSource> {
  let walked: Awaited<ReturnType<typeof walkLocalHeaders>>;
  try {
    walked = await walkLocalHeaders(file);
  } catch (error) {
    throw new ArchiveImportError('zip-damaged', `Cannot open the zip ${name}: ${String(cause)}; ${String(error)}`, {
      file: name,
    });
  }
  const entries = walked.entries.filter((e) => e.complete || e.dataLength > 0);
  if (!entries.some((e) => !e.directory)) {
    throw new ArchiveImportError('zip-damaged', `Cannot open the zip ${name}: ${String(cause)}`, { file: name });
  }
  const cut = entries.find((e) => !e.complete);
  // Only a cut first entry: if its first bytes hold no text, nothing at all can be read.
  if (cut && !entries.some((e) => e.complete)) {
    const start = { ...cut, dataLength: Math.min(cut.dataLength, 1 << 16) };
    const text = await readWalkedEntry(file, start).catch(() => '');
    if (text === '') {
      throw new ArchiveImportError('zip-damaged', `Cannot open the zip ${name}: ${String(cause)}`, { file: name });
    }
  }
  const files = entries
    .filter((e) => !e.directory)
    .map((entry): ArchiveFile => ({
      path: entry.path,
      size: entry.size ?? entry.dataLength,
      modified: entry.modified,
      read: (options) => readWalkedEntry(file, entry, options),
      ...(entry.complete ? {} : { truncated: true }),
    }));
  const incomplete: IncompleteZip = {
    completeEntries: entries.filter((e) => e.complete).length,
    cutEntry: cut?.path ?? null,
    bytesRead: walked.bytesRead,
    fileSize: file.size,
    allEntries: walked.reachedDirectory && !cut,
  };
  return makeSource('zip', name, files, async () => {}, incomplete);
}

/**
 * Opens what the CM picked. Throws ArchiveImportError `tar-gz` for a gzip file (Mastodon archives
 * before zip: they must be extracted first), `zip-damaged` when a zip's directory cannot be read
 * (an incomplete download loses it: it is at the end) and walking its entries from the start
 * finds none to read, `file-unreadable` when the file cannot be read at all. A zip without its
 * directory whose first entries are there opens with those (`incomplete` set).
 */
export async function openArchive(file: Blob, name: string): Promise<ArchiveSource> {
  let magic: Uint8Array;
  try {
    magic = await head(file, 4);
  } catch (error) {
    throw new ArchiveImportError('file-unreadable', `Cannot read ${name}: ${String(error)}`, { file: name });
  }
  if (startsWith(magic, GZIP_MAGIC)) {
    throw new ArchiveImportError('tar-gz', `${name} is gzip-compressed (an older Mastodon archive?)`, { file: name });
  }
  if (startsWith(magic, ZIP_MAGIC)) {
    const reader = new ZipReader(new BlobReader(file), { useWebWorkers: false, strictness: 'tolerant' });
    let entries: Entry[];
    try {
      entries = await reader.getEntries();
    } catch (error) {
      await reader.close().catch(() => undefined);
      return openByLocalHeaders(file, name, error);
    }
    const files = entries.filter(isFileEntry).map((entry): ArchiveFile => ({
      path: entry.filename,
      size: entry.uncompressedSize,
      modified: Number.isFinite(entry.lastModDate.getTime()) ? entry.lastModDate.getTime() : null,
      read: ({ signal, onBytes } = {}) =>
        entry.getData(new TextWriter('utf-8'), {
          useWebWorkers: false,
          ...(signal ? { signal } : {}),
          ...(onBytes
            ? {
                // zip.js reports compressed bytes: scale to the entry's uncompressed size.
                onprogress: (done: number, total: number) => {
                  onBytes(total > 0 ? Math.round((done / total) * entry.uncompressedSize) : 0);
                },
              }
            : {}),
        }),
    }));
    return makeSource('zip', name, files, () => reader.close());
  }
  const modified = 'lastModified' in file && typeof file.lastModified === 'number' ? file.lastModified : null;
  const single: ArchiveFile = {
    path: name,
    size: file.size,
    modified,
    read: async ({ signal } = {}) => {
      signal?.throwIfAborted();
      return file.text();
    },
  };
  return makeSource('file', name, [single], async () => {});
}
