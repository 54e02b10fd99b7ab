// The X adapter's page positions. Opaque to the rest of the app (at most 2,048 characters, the
// shared CursorSchema); persisted by the engine, so every form once written stays readable.
import { z } from 'zod';
import { ColonnadeError } from '../../../shared/errors';

const SnowflakeSchema = z.string().regex(/^[0-9]{1,19}$/);
const InstantMsSchema = z.number().int().nonnegative().max(8_640_000_000_000_000);

/** Where a 'newer' read starts: only entries newer than `id` are answered. */
export const SinceSchema = z.object({
  /** The newest entry the column holds (a post's or a repost's own id). */
  id: SnowflakeSchema,
  /** When that entry was made (ms since the epoch): tells, before asking, that X search no longer reaches it. */
  at: InstantMsSchema.optional(),
  /** When the column last read everything up to now (ms), for search: a quiet query's position stays fresh. */
  seen: InstantMsSchema.optional(),
  /** Lists (no `since_id` on X): how many new entries the last poll met, to size the first page. */
  hint: z.number().int().nonnegative().max(100).optional(),
});
export type Since = z.infer<typeof SinceSchema>;

/** The rest of a 'newer' read that arrived in more than one page (`Page.between`). */
export const BetweenSchema = z.object({
  /** The read's first cursor: entries at or below its id are already held. */
  since: SinceSchema,
  /** The read's first page's `newer` (every page of the read answers it). */
  top: SinceSchema,
  /** X's `next_token` / `pagination_token` for the next page down. */
  token: z.string().min(1).max(1000),
  /**
   * `since`: X bounds the read (`since_id` sent). `scan`: X cannot (lists have no `since_id`;
   * search no longer reaches the cursor's post): pages are read down until an entry at or
   * below `since.id`, which is left out.
   */
  mode: z.enum(['since', 'scan']),
  /** How many posts the next page asks for (lists grow it page after page). */
  size: z.number().int().min(1).max(100),
  /** Set when X serves nothing older than this instant (ISO) and the read started before it. */
  horizon: z.string().optional(),
});
export type Between = z.infer<typeof BetweenSchema>;

/**
 * One position: `older` pages back below an id (`until_id`) or by X's token (lists); `since` starts
 * a 'newer' read; `between` continues one.
 */
export type XCursor =
  | { kind: 'older'; untilId: string }
  | { kind: 'older-token'; token: string }
  | { kind: 'since'; since: Since }
  | { kind: 'between'; between: Between };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
const unb64 = (text: string): unknown => JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));

/**
 * Forms: `u:<id>` (older below an id), `p:<token>` (older by token), `s:<id>` (since an id, as
 * versions before 'newer' paging wrote it), `n:<base64url JSON of Since>`, `b:<base64url JSON of
 * Between>`.
 */
export function encodeCursor(cursor: XCursor): string {
  switch (cursor.kind) {
    case 'older':
      return `u:${cursor.untilId}`;
    case 'older-token':
      return `p:${cursor.token}`;
    case 'since':
      return `n:${b64(cursor.since)}`;
    case 'between':
      return `b:${b64(cursor.between)}`;
  }
}

/** Reads a cursor this adapter wrote; anything else is `invalid`. */
export function decodeCursor(text: string): XCursor {
  const bad = () => new ColonnadeError('invalid', 'That page position is not valid for X.');
  const mark = text.slice(0, 2);
  const rest = text.slice(2);
  if (text.length > 2048) throw bad();
  if (mark === 'u:' && SnowflakeSchema.safeParse(rest).success) return { kind: 'older', untilId: rest };
  if (mark === 'p:' && rest.length > 0) return { kind: 'older-token', token: rest };
  if (mark === 's:' && SnowflakeSchema.safeParse(rest).success) return { kind: 'since', since: { id: rest } };
  if (mark === 'n:' || mark === 'b:') {
    let raw: unknown;
    try {
      raw = unb64(rest);
    } catch {
      throw bad();
    }
    if (mark === 'n:') {
      const since = SinceSchema.safeParse(raw);
      if (since.success) return { kind: 'since', since: since.data };
    } else {
      const between = BetweenSchema.safeParse(raw);
      if (between.success) return { kind: 'between', between: between.data };
    }
  }
  throw bad();
}
