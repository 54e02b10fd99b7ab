// A zip whose central directory is lost (an incomplete download: the directory is at the end),
// read by walking its LOCAL file headers from the start, so that an import keeps the entries that
// are complete and the text of the last one up to the cut.
//
// The walk reads the Blob in slices, never the whole file: an entry whose local header gives its
// size is stepped over without reading its data; an entry written with a data descriptor
// (general-purpose flag bit 3: sizes 0 in the local header, as zip.js and streaming writers do)
// is scanned in chunks for its descriptor, which is recognised only when the compressed size it
// gives is the distance from the entry's data (a "PK\x07\x08" inside compressed data is not taken
// for one). Entries are inflated with fflate's streaming `Inflate` when read; a cut one yields
// what its data up to the cut inflates to.
//
// fflate's own streaming `Unzip` was not used: it ends an entry with a data descriptor at the
// first "PK\x03\x04" / "PK\x07\x08" / "PK\x01\x02" found in its bytes without checking the sizes
// (node_modules/fflate/esm/browser.js, Unzip.prototype.push: `if (dd) sc_1 = -1 - z64;` then the
// scan `if (sig == 0x4034B50) ... else if (oc) { if (sig == 0x8074B50) ... }`), which multi-GB
// media makes likely, and it hands every entry's bytes through (it cannot step over media).
import { Inflate } from 'fflate';

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const DESCRIPTOR = 0x08074b50;
/** Bytes read at a time when scanning for a data descriptor or inflating an entry. */
const CHUNK = 4 << 20;

/** One entry found by the walk. */
export interface WalkedEntry {
  path: string;
  method: number;
  /** Where its (compressed) data starts in the file, and how many of its bytes the file holds. */
  dataStart: number;
  dataLength: number;
  /** Uncompressed size when known (local header or data descriptor), else null. */
  size: number | null;
  modified: number | null;
  /** False for the last entry when the file ends inside its data. */
  complete: boolean;
  directory: boolean;
  encrypted: boolean;
}

export interface WalkResult {
  entries: WalkedEntry[];
  /** Bytes of the file the walk understood (up to the end of the last complete entry). */
  bytesRead: number;
  /** The walk ended on the central directory's first header: every entry was read, none is missing. */
  reachedDirectory: boolean;
}

async function bytesAt(blob: Blob, start: number, length: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(start, start + length).arrayBuffer());
}

const u16 = (b: Uint8Array, at: number) => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
const u32 = (b: Uint8Array, at: number) => (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;
const u64 = (b: Uint8Array, at: number) => u32(b, at) + u32(b, at + 4) * 2 ** 32;

/** A DOS date and time (local time, as zip writers store it), ms since the epoch; null if invalid. */
function dosDate(date: number, time: number): number | null {
  const day = date & 0x1f;
  const month = (date >> 5) & 0x0f;
  if (day === 0 || month === 0 || month > 12) return null;
  const at = new Date(1980 + (date >> 9), month - 1, day, time >> 11, (time >> 5) & 0x3f, (time & 0x1f) * 2);
  return Number.isFinite(at.getTime()) ? at.getTime() : null;
}

/** The sizes of a Zip64 extra field (0x0001), for those the header marks 0xffffffff. */
function zip64Sizes(extra: Uint8Array, usize: number, csize: number): { usize: number; csize: number; zip64: boolean } {
  for (let at = 0; at + 4 <= extra.length;) {
    const id = u16(extra, at);
    const length = u16(extra, at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const end = field + length;
      if (usize === 0xffffffff && field + 8 <= end) {
        usize = u64(extra, field);
        field += 8;
      }
      if (csize === 0xffffffff && field + 8 <= end) csize = u64(extra, field);
      return { usize, csize, zip64: true };
    }
    at += 4 + length;
  }
  return { usize, csize, zip64: false };
}

/**
 * Where the data of an entry written with a data descriptor ends: the descriptor's offset, its
 * length and the uncompressed size it gives; null when the file ends first. A descriptor is
 * "PK\x07\x08", CRC, compressed and uncompressed sizes (4 bytes each, 8 with Zip64), the
 * signature being optional: it is taken only where its compressed size is the distance from
 * `dataStart` (and, without signature, a header follows it).
 */
async function findDescriptor(
  blob: Blob,
  dataStart: number,
  zip64: boolean,
  signal?: AbortSignal,
): Promise<{ end: number; length: number; size: number } | null> {
  const sizeBytes = zip64 ? 8 : 4;
  const readSize = (b: Uint8Array, at: number) => (zip64 ? u64(b, at) : u32(b, at));
  const withSig = 4 + 4 + 2 * sizeBytes;
  const noSig = 4 + 2 * sizeBytes;
  // Chunks overlap by a descriptor and a signature, so one across two chunks is seen.
  const overlap = withSig + 4;
  for (let start = dataStart; start < blob.size; start += CHUNK) {
    signal?.throwIfAborted();
    const chunk = await bytesAt(blob, start, CHUNK + overlap);
    for (let k = chunk.indexOf(0x50); k !== -1 && k < CHUNK; k = chunk.indexOf(0x50, k + 1)) {
      if (k + 4 > chunk.length) break;
      const sig = u32(chunk, k);
      const at = start + k;
      if (sig === DESCRIPTOR && k + withSig <= chunk.length && readSize(chunk, k + 8) === at - dataStart) {
        return { end: at, length: withSig, size: readSize(chunk, k + 8 + sizeBytes) };
      }
      if ((sig === LOCAL_HEADER || sig === CENTRAL_HEADER) && at - noSig >= dataStart) {
        const q = k - noSig;
        const d = q >= 0 ? chunk : await bytesAt(blob, at - noSig, noSig);
        const base = q >= 0 ? q : 0;
        if (readSize(d, base + 4) === at - noSig - dataStart) {
          return { end: at - noSig, length: noSig, size: readSize(d, base + 4 + sizeBytes) };
        }
      }
    }
  }
  // A file cut just after a descriptor without signature (no header follows it to check).
  const last = blob.size - noSig;
  if (last >= dataStart) {
    const tail = await bytesAt(blob, last, noSig);
    if (readSize(tail, 4) === last - dataStart)
      return { end: last, length: noSig, size: readSize(tail, 4 + sizeBytes) };
  }
  return null;
}

/**
 * The entries of a zip found by walking its local headers from the start, up to the first thing
 * that is not one (its central directory, or the cut). The last one is `complete: false` when the
 * file ends inside its data; a header cut short is left out.
 */
export async function walkLocalHeaders(blob: Blob, signal?: AbortSignal): Promise<WalkResult> {
  const entries: WalkedEntry[] = [];
  const utf8 = new TextDecoder('utf-8');
  let p = 0;
  let bytesRead = 0;
  let reachedDirectory = false;
  while (p + 4 <= blob.size) {
    signal?.throwIfAborted();
    const header = await bytesAt(blob, p, Math.min(30, blob.size - p));
    if (u32(header, 0) === CENTRAL_HEADER) {
      reachedDirectory = true;
      break;
    }
    if (u32(header, 0) !== LOCAL_HEADER || header.length < 30) break;
    const flags = u16(header, 6);
    const method = u16(header, 8);
    const nameLength = u16(header, 26);
    const extraLength = u16(header, 28);
    const dataStart = p + 30 + nameLength + extraLength;
    if (dataStart > blob.size) break;
    const nameAndExtra = await bytesAt(blob, p + 30, nameLength + extraLength);
    // Names are UTF-8 (flag bit 11) in the archives read here; older ones are ASCII.
    const path = utf8.decode(nameAndExtra.subarray(0, nameLength));
    const sizes = zip64Sizes(nameAndExtra.subarray(nameLength), u32(header, 22), u32(header, 18));
    const base = {
      path,
      method,
      dataStart,
      modified: dosDate(u16(header, 12), u16(header, 10)),
      directory: path.endsWith('/'),
      encrypted: (flags & 1) !== 0,
    };
    const described = (flags & 8) !== 0 && sizes.csize === 0;
    if (!described) {
      const end = dataStart + sizes.csize;
      if (end > blob.size) {
        entries.push({ ...base, dataLength: blob.size - dataStart, size: sizes.usize, complete: false });
        break;
      }
      entries.push({ ...base, dataLength: sizes.csize, size: sizes.usize, complete: true });
      bytesRead = end;
      p = end;
      if (flags & 8) {
        // A descriptor follows (sizes given in the header too): step over it, signature or not.
        const after = await bytesAt(blob, end, 4);
        p += (u32(after, 0) === DESCRIPTOR ? 4 : 0) + 4 + (sizes.zip64 ? 16 : 8);
      }
      continue;
    }
    const descriptor = await findDescriptor(blob, dataStart, sizes.zip64, signal);
    if (!descriptor) {
      entries.push({ ...base, dataLength: blob.size - dataStart, size: null, complete: false });
      break;
    }
    entries.push({ ...base, dataLength: descriptor.end - dataStart, size: descriptor.size, complete: true });
    p = descriptor.end + descriptor.length;
    bytesRead = p;
  }
  return { entries, bytesRead, reachedDirectory };
}

/**
 * The text (UTF-8) of a walked entry, read in chunks: a complete entry whole (rejecting when its
 * data is damaged), a cut one up to the cut. `onBytes` gets the uncompressed bytes so far.
 */
export async function readWalkedEntry(
  blob: Blob,
  entry: WalkedEntry,
  options: { signal?: AbortSignal; onBytes?: (done: number) => void } = {},
): Promise<string> {
  const { signal, onBytes } = options;
  if (entry.encrypted) throw new Error(`${entry.path} is encrypted`);
  if (entry.method !== 0 && entry.method !== 8) {
    throw new Error(`${entry.path} uses compression method ${entry.method}, which cannot be read`);
  }
  const decoder = new TextDecoder('utf-8');
  const parts: string[] = [];
  let done = 0;
  const take = (data: Uint8Array) => {
    done += data.length;
    parts.push(decoder.decode(data, { stream: true }));
  };
  let ended = false;
  const inflate =
    entry.method === 8
      ? new Inflate((data, final) => {
          take(data);
          if (final) ended = true;
        })
      : null;
  const end = entry.dataStart + entry.dataLength;
  for (let start = entry.dataStart; start < end; start += CHUNK) {
    signal?.throwIfAborted();
    const chunk = await bytesAt(blob, start, Math.min(CHUNK, end - start));
    const last = start + CHUNK >= end;
    if (inflate) {
      if (ended) break;
      try {
        inflate.push(chunk, last && entry.complete);
      } catch (error) {
        // A cut entry's data may end anywhere: keep what it inflated to.
        if (entry.complete) throw error;
        break;
      }
    } else take(chunk);
    onBytes?.(done);
  }
  if (inflate && entry.complete && !ended) throw new Error(`${entry.path}: its compressed data ends early`);
  parts.push(decoder.decode());
  return parts.join('');
}
