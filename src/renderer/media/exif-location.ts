// Removes where a photo was taken from a JPEG kept as it is (one that already suits every
// network), without re-encoding it: the GPS directory of its EXIF (TIFF tag 0x8825, CIPA DC-008
// "Exif 2.3" §4.6.6) is emptied and zeroed, and its XMP packets (which can repeat the position as
// exif:GPSLatitude…) are dropped. Everything else stays, the orientation tag included, so the
// networks still turn the photo the right way. A re-encoded image carries no EXIF at all (canvas
// output), so it needs none of this. Pure: bytes in, bytes out.

const SOI = 0xd8;
const SOS = 0xda;
const EOI = 0xd9;
const APP1 = 0xe1;
const GPS_IFD_TAG = 0x8825;
/** Bytes per value of each TIFF field type (1 BYTE … 12 DOUBLE). */
const TYPE_SIZES: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
};
const EXIF_HEADER = [0x45, 0x78, 0x69, 0x66, 0, 0]; // "Exif\0\0"
const XMP_HEADERS = ['http://ns.adobe.com/xap/1.0/\0', 'http://ns.adobe.com/xmp/extension/\0'];

const startsWith = (bytes: Uint8Array, at: number, prefix: readonly number[]) =>
  prefix.every((b, i) => bytes[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/**
 * `jpeg` without its location (a copy), or null when it holds none (or is no JPEG Colonnade can
 * read, which is then left as it is).
 */
export function withoutLocation(jpeg: Uint8Array): Uint8Array | null {
  if (jpeg[0] !== 0xff || jpeg[1] !== SOI) return null;
  const out = new Uint8Array(jpeg);
  const drop: Array<[number, number]> = [];
  let changed = false;
  let at = 2;
  while (at + 4 <= out.length) {
    if (out[at] !== 0xff) return null;
    const marker = out[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === SOS || marker === EOI) break;
    const length = (out[at + 2]! << 8) | out[at + 3]!;
    const body = at + 4;
    const end = at + 2 + length;
    if (length < 2 || end > out.length) return null;
    if (marker === APP1) {
      if (startsWith(out, body, EXIF_HEADER)) {
        if (emptyGpsDirectory(out, body + EXIF_HEADER.length, end)) changed = true;
      } else if (XMP_HEADERS.some((h) => startsWith(out, body, ascii(h)))) {
        drop.push([at, end]);
      }
    }
    at = end;
  }
  if (!changed && drop.length === 0) return null;
  if (drop.length === 0) return out;
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const [start, end] of drop) {
    parts.push(out.subarray(from, start));
    from = end;
  }
  parts.push(out.subarray(from));
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    joined.set(p, offset);
    offset += p.length;
  }
  return joined;
}

/**
 * Empties the GPS directory of the TIFF structure in `bytes[tiff, end)`: its entries and the
 * values they point at are zeroed and its count set to 0. True when it held any entry.
 */
function emptyGpsDirectory(bytes: Uint8Array, tiff: number, end: number): boolean {
  const little = bytes[tiff] === 0x49 && bytes[tiff + 1] === 0x49;
  const big = bytes[tiff] === 0x4d && bytes[tiff + 1] === 0x4d;
  if (!little && !big) return false;
  const u16 = (o: number) => (little ? bytes[o]! | (bytes[o + 1]! << 8) : (bytes[o]! << 8) | bytes[o + 1]!);
  const u32 = (o: number) =>
    little
      ? (bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16) | (bytes[o + 3]! << 24)) >>> 0
      : ((bytes[o]! << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!) >>> 0;
  const inside = (offset: number, length: number) => offset >= 0 && tiff + offset + length <= end;
  if (u16(tiff + 2) !== 42) return false;
  const ifd0 = u32(tiff + 4);
  if (!inside(ifd0, 2)) return false;
  const count0 = u16(tiff + ifd0);
  let gps: number | null = null;
  for (let i = 0; i < count0; i++) {
    const entry = ifd0 + 2 + i * 12;
    if (!inside(entry, 12)) return false;
    if (u16(tiff + entry) === GPS_IFD_TAG) gps = u32(tiff + entry + 8);
  }
  if (gps === null || !inside(gps, 2)) return false;
  const count = u16(tiff + gps);
  for (let i = 0; i < count; i++) {
    const entry = gps + 2 + i * 12;
    if (!inside(entry, 12)) break;
    const size = (TYPE_SIZES[u16(tiff + entry + 2)] ?? 1) * u32(tiff + entry + 4);
    const valueAt = u32(tiff + entry + 8);
    if (size > 4 && inside(valueAt, size)) bytes.fill(0, tiff + valueAt, tiff + valueAt + size);
    bytes.fill(0, tiff + entry, tiff + entry + 12);
  }
  bytes[tiff + gps] = 0;
  bytes[tiff + gps + 1] = 0;
  return count > 0;
}
