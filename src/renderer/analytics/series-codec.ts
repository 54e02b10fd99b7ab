// A post's metric history, stored compactly: every observation of its counts (a series that only
// grows, issue 9) packed into one small byte array per post. Owner: the renderer's analytics
// archive (./archive-store.ts), which decodes, merges and encodes on ingest; charts decode one
// post's series. Nothing else reads the bytes.
//
// Format 1 (little more than 1 byte per known count per point; a post with 30 X observations
// takes about 300 bytes, where an Int32Array per metric would take 1,100):
//   byte    format (1)
//   varint  number of points
//   per point, in time order (then source order):
//     varint  seconds since the previous point (the first: since the epoch)
//     byte    source (index in SnapshotSourceSchema.options)
//     byte    which counts are known: bit i for METRIC_NAMES[i]
//     per known count, in METRIC_NAMES order: zigzag varint of (count − the last known value of
//       that count in an earlier point, 0 before any)
// Varints are unsigned LEB128 and zigzag maps 0, −1, 1, −2… to 0, 1, 2, 3… (Protocol Buffers'
// encoding, https://protobuf.dev/programming-guides/encoding/), written with arithmetic rather
// than 32-bit operators so counts and times up to 2^53 survive. A dozen lines of our own: the
// `varint` package has no zigzag and allocates an array per number.
import { METRIC_NAMES, SnapshotSourceSchema, type MetricValues, type SnapshotSource } from '../../shared/analytics';

/** One observation as the archive keeps it. */
export interface SeriesPoint {
  /** When it was observed, ms since the epoch, to the whole second (the archive's precision). */
  at: number;
  source: SnapshotSource;
  values: MetricValues;
}

const FORMAT = 1;
const SOURCES = SnapshotSourceSchema.options;
const SOURCE_INDEX = new Map<SnapshotSource, number>(SOURCES.map((s, i) => [s, i]));
const METRICS = METRIC_NAMES.length;
/** Worst case bytes per point: time (8), source (1), mask (1), each count (8). */
const MAX_POINT_BYTES = 10 + METRICS * 8;

/** An instant (ms) at the archive's precision: the whole second it falls in. */
export const toArchiveTime = (ms: number): number => Math.floor(ms / 1000) * 1000;

/** Order of points in a series: by time, then by source. */
export function comparePoints(a: Pick<SeriesPoint, 'at' | 'source'>, b: Pick<SeriesPoint, 'at' | 'source'>): number {
  return a.at - b.at || SOURCE_INDEX.get(a.source)! - SOURCE_INDEX.get(b.source)!;
}

function writeVarint(out: Uint8Array, pos: number, value: number): number {
  let v = value;
  while (v >= 0x80) {
    out[pos++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  out[pos++] = v;
  return pos;
}

const zigzag = (n: number): number => (n >= 0 ? n * 2 : -n * 2 - 1);
const unzigzag = (z: number): number => (z % 2 === 0 ? z / 2 : -(z + 1) / 2);

/** Thrown for bytes that are not a series of this format (a damaged row). */
export class DamagedSeriesError extends Error {
  constructor(detail: string) {
    super(`Damaged metric series: ${detail}`);
    this.name = 'DamagedSeriesError';
  }
}

/**
 * The bytes of a series. `points` must be in `comparePoints` order without two of the same time
 * and source (what `mergePoints` answers); times are taken to the whole second.
 *
 * @returns a Uint8Array of exactly the encoded length (its own buffer: IndexedDB stores a view's
 *   whole buffer).
 * @throws RangeError for points out of order or a count that is not a non-negative safe integer.
 */
export function encodeSeries(points: readonly SeriesPoint[]): Uint8Array {
  const out = new Uint8Array(2 + 10 + points.length * MAX_POINT_BYTES);
  let pos = 0;
  out[pos++] = FORMAT;
  pos = writeVarint(out, pos, points.length);
  const last = new Array<number>(METRICS).fill(0);
  let prevSeconds = 0;
  for (const p of points) {
    const seconds = Math.floor(p.at / 1000);
    if (seconds < prevSeconds) throw new RangeError('Series points out of time order.');
    pos = writeVarint(out, pos, seconds - prevSeconds);
    prevSeconds = seconds;
    out[pos++] = SOURCE_INDEX.get(p.source) ?? 0;
    const maskAt = pos++;
    let mask = 0;
    for (let i = 0; i < METRICS; i++) {
      const v = p.values[METRIC_NAMES[i]!];
      if (v === null) continue;
      if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`Count ${METRIC_NAMES[i]} is ${v}.`);
      mask |= 1 << i;
      pos = writeVarint(out, pos, zigzag(v - last[i]!));
      last[i] = v;
    }
    out[maskAt] = mask;
  }
  return out.slice(0, pos);
}

/**
 * The points of an encoded series, in order.
 *
 * @throws DamagedSeriesError when the bytes are not a complete series of format 1.
 */
export function decodeSeries(data: Uint8Array): SeriesPoint[] {
  let pos = 0;
  const read = (): number => {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = data[pos++];
      if (b === undefined) throw new DamagedSeriesError('it ends in the middle of a number');
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 0x80;
      if (scale > 2 ** 56) throw new DamagedSeriesError('a number is too long');
    }
  };
  if (data[pos++] !== FORMAT) throw new DamagedSeriesError(`format ${data[0]} is not ${FORMAT}`);
  const count = read();
  const points: SeriesPoint[] = [];
  const last = new Array<number>(METRICS).fill(0);
  let seconds = 0;
  for (let n = 0; n < count; n++) {
    seconds += read();
    const source = SOURCES[data[pos++] ?? -1];
    const mask = data[pos++];
    if (source === undefined || mask === undefined) throw new DamagedSeriesError('a point has no source');
    const values = {} as MetricValues;
    for (let i = 0; i < METRICS; i++) {
      const name = METRIC_NAMES[i]!;
      if (mask & (1 << i)) {
        last[i] = last[i]! + unzigzag(read());
        values[name] = last[i]!;
      } else values[name] = null;
    }
    points.push({ at: seconds * 1000, source, values });
  }
  if (pos !== data.length) throw new DamagedSeriesError('bytes follow the last point');
  return points;
}

/** What merging observations into a series did. */
export interface SeriesMerge {
  /** The merged series, in order (`existing` itself when nothing changed). */
  points: SeriesPoint[];
  /** Observations at a time and source the series did not hold. */
  added: number;
  /** Observations at a time and source it held already (not new points). */
  duplicates: number;
  /** Whether `points` differs from `existing` (new points, or unknown counts now known). */
  changed: boolean;
}

/**
 * Merges observations into a series without losing any point: a new time (or the same time from
 * another source) is a new point; the same time and source again is a duplicate, which keeps the
 * stored point's counts and only fills those it did not know. Incoming times are taken to the
 * whole second. `existing` must be in order (as `decodeSeries` answers); `incoming` may be in any.
 */
export function mergePoints(existing: readonly SeriesPoint[], incoming: readonly SeriesPoint[]): SeriesMerge {
  if (incoming.length === 0) return { points: existing as SeriesPoint[], added: 0, duplicates: 0, changed: false };
  const sorted = incoming.map((p) => ({ ...p, at: toArchiveTime(p.at) })).sort(comparePoints);
  const points: SeriesPoint[] = [];
  let added = 0;
  let duplicates = 0;
  let changed = false;
  let i = 0;
  let j = 0;
  while (i < existing.length || j < sorted.length) {
    const a = existing[i];
    const b = sorted[j];
    const order = a === undefined ? 1 : b === undefined ? -1 : comparePoints(a, b);
    if (order < 0) {
      points.push(a!);
      i++;
      continue;
    }
    const last = points[points.length - 1];
    if (order > 0) {
      // Within the incoming ones too, the same time and source twice is one point.
      if (last !== undefined && comparePoints(last, b!) === 0) {
        duplicates++;
        const filled = fillUnknown(last, b!);
        if (filled !== last) {
          points[points.length - 1] = filled;
          changed = true;
        }
      } else {
        points.push(b!);
        added++;
        changed = true;
      }
      j++;
      continue;
    }
    duplicates++;
    const filled = fillUnknown(a!, b!);
    if (filled !== a) changed = true;
    points.push(filled);
    i++;
    j++;
  }
  return changed
    ? { points, added, duplicates, changed }
    : { points: existing as SeriesPoint[], added, duplicates, changed };
}

/** `kept` with the counts it does not know taken from `other` (itself when that adds nothing). */
function fillUnknown(kept: SeriesPoint, other: SeriesPoint): SeriesPoint {
  let values: MetricValues | null = null;
  for (const name of METRIC_NAMES) {
    if (kept.values[name] === null && other.values[name] !== null) {
      values ??= { ...kept.values };
      values[name] = other.values[name];
    }
  }
  return values ? { ...kept, values } : kept;
}

/**
 * The latest known value of each count in a series (`points` in order): per count, the value of
 * the last point that knew it, so an X owner-only count (link clicks, served for 30 days) keeps
 * its last value after the network stops serving it. `at` is the last point's time; null for an
 * empty series.
 */
export function latestOf(points: readonly SeriesPoint[]): { values: MetricValues; at: number } | null {
  const lastPoint = points[points.length - 1];
  if (lastPoint === undefined) return null;
  const values = { ...lastPoint.values };
  let unknown = METRIC_NAMES.filter((n) => values[n] === null);
  for (let k = points.length - 2; k >= 0 && unknown.length > 0; k--) {
    const p = points[k]!;
    unknown = unknown.filter((n) => {
      if (p.values[n] === null) return true;
      values[n] = p.values[n];
      return false;
    });
  }
  return { values, at: lastPoint.at };
}
