// Page positions, opaque to everyone else: base64url JSON of at most 2,048 characters
// (CursorSchema).
//   older:     the server's own cursor, to continue back through history;
//   newerThan: the top of the timeline when it was last read (a `NewerMark`), to tell what
//              arrived since: Bluesky's timelines have no "since" parameter;
//   between:   a 'newer' read that did not reach its mark in one page: the server's cursor to
//              read the next page down, the mark it pages down to, and how many pages it read.
import { createHash } from 'node:crypto';
import { ColonnadeError } from '../../../shared/errors';

/**
 * The top of a timeline as last read: `keys` are the entries' keys newest first (each stored as
 * `keyDigest`; cursors made before digests hold the keys themselves, and both are recognised),
 * `at` the newest entry's time, `floor` the time of the oldest entry the keys name (ISO instants).
 * Every entry at or above the floor was then among the keys, so an entry at or above the floor
 * whose key is not among them arrived since, even one the AppView indexed late and sorted below
 * an entry already seen. Cursors made before `floor` existed answer it as `at`.
 */
export interface NewerMark {
  at: string;
  keys: string[];
  floor?: string;
}

export type CursorState =
  { older: string } | { newerThan: NewerMark } | { between: { older: string; mark: NewerMark; pages: number } };

/** CursorSchema's longest cursor. */
const MAX_CURSOR = 2048;

/**
 * A short digest of an entry key (10 characters of base64url SHA-256, 60 bits): a mark can name
 * a whole page of entries within the cursor's 2,048 characters. Two keys of one timeline sharing
 * a digest is a one-in-10¹⁴ event among a hundred keys.
 */
export function keyDigest(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 10);
}

/** Whether a mark names this entry key (as a digest, or as the key itself in older cursors). */
export function markNames(mark: NewerMark): (key: string) => boolean {
  const keys = new Set(mark.keys);
  return (key) => keys.has(key) || keys.has(keyDigest(key));
}

const encode = (state: CursorState) => Buffer.from(JSON.stringify(state)).toString('base64url');

/**
 * The cursor for a state. A mark that would not fit in 2,048 characters (a long server cursor
 * beside it) keeps fewer keys, newest first, and the same floor: an entry between the last key
 * kept and the floor may then be answered again (dropped by key downstream), none is lost.
 */
export function encodeCursor(state: CursorState): string {
  let out = encode(state);
  const mark = 'newerThan' in state ? state.newerThan : 'between' in state ? state.between.mark : null;
  while (out.length > MAX_CURSOR && mark && mark.keys.length > 1) {
    mark.floor ??= mark.at;
    mark.keys = mark.keys.slice(0, Math.floor(mark.keys.length * 0.75));
    out = encode(state);
  }
  if (out.length > MAX_CURSOR)
    throw new ColonnadeError('invalid', 'Bluesky answered a page position too long to keep.');
  return out;
}

function markOf(value: unknown): NewerMark | null {
  const n = value as { at?: unknown; keys?: unknown; floor?: unknown } | undefined;
  if (!n || typeof n.at !== 'string' || !Array.isArray(n.keys) || !n.keys.every((k) => typeof k === 'string')) {
    return null;
  }
  if (n.floor !== undefined && typeof n.floor !== 'string') return null;
  return { at: n.at, keys: n.keys as string[], ...(typeof n.floor === 'string' ? { floor: n.floor } : {}) };
}

export function decodeCursor(cursor: string): CursorState {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null) {
      const v = value as Record<string, unknown>;
      if (typeof v.older === 'string') return { older: v.older };
      const newer = markOf(v.newerThan);
      if (newer) return { newerThan: newer };
      const b = v.between as { older?: unknown; mark?: unknown; pages?: unknown } | undefined;
      const mark = markOf(b?.mark);
      if (b && mark && typeof b.older === 'string' && Number.isInteger(b.pages)) {
        return { between: { older: b.older, mark, pages: b.pages as number } };
      }
    }
  } catch {
    // fall through
  }
  throw new ColonnadeError('invalid', 'That page position is not valid for Bluesky.');
}
