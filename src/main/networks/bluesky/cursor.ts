// Page positions, opaque to everyone else: base64url JSON.
//   older: the server's own cursor, to continue back through history;
//   newer: what the newest page started with (its first items' keys and their time), to tell
//          what arrived since. Bluesky's timelines have no "since" parameter.
import { ColonnadeError } from '../../../shared/errors';

export type CursorState = { older: string } | { newerThan: { at: string; keys: string[] } };

export function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

export function decodeCursor(cursor: string): CursorState {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null) {
      const v = value as Record<string, unknown>;
      if (typeof v.older === 'string') return { older: v.older };
      const n = v.newerThan as { at?: unknown; keys?: unknown } | undefined;
      if (n && typeof n.at === 'string' && Array.isArray(n.keys) && n.keys.every((k) => typeof k === 'string')) {
        return { newerThan: { at: n.at, keys: n.keys as string[] } };
      }
    }
  } catch {
    // fall through
  }
  throw new ColonnadeError('invalid', 'That page position is not valid for Bluesky.');
}
