// Reading a column's history on demand (the renderer scrolling back). A column of one timeline
// asks its adapter; a monitor column reads each of its sources and merges them by time, with a
// composite cursor holding each source's own.
import { z } from 'zod';
import type { NetworkAdapter } from '../../../shared/adapter';
import { ColonnadeError } from '../../../shared/errors';
import type { Column, Cursor, Page, TimelineEntry } from '../../../shared/model';
import { matchesMonitor, sourcesOf } from './sources';

/** Entries per page when scrolling back. */
export const HISTORY_PAGE = 40;

/**
 * Where one source of a monitor column continues: `c` its own cursor (null: its newest page);
 * `b` the oldest instant already given from it and `k` the keys given at that instant, so a page
 * read again from `c` leaves out what was given (entries at or above `b`). Null: that source
 * reached the end of its history. A source absent from the position reads from its newest page.
 * A plain string (the form first deliveries and earlier versions wrote) is a cursor.
 */
const SourcePositionSchema = z.union([
  z.string(),
  z.null(),
  z.object({ c: z.string().nullable(), b: z.string().optional(), k: z.array(z.string()).max(500).optional() }),
]);
type SourcePosition = { c: string | null; b?: string; k?: string[] };

/** A monitor column's page position: each source's position by source key. */
const CompositeSchema = z.object({ m: z.record(z.string(), SourcePositionSchema) });

/** The composite position `cursor` holds (plain cursors as `{c}`), or null when it is in another form. */
function compositeOf(cursor: string): Record<string, SourcePosition | null> | null {
  try {
    const parsed = CompositeSchema.safeParse(JSON.parse(cursor));
    if (!parsed.success) return null;
    return Object.fromEntries(
      Object.entries(parsed.data.m).map(([key, v]) => [key, typeof v === 'string' ? { c: v } : v]),
    );
  } catch {
    return null;
  }
}

/**
 * The position a monitor column's history continues from after a first page that `sourceKeys`
 * (its sources one reader covers) answered with `older`: those sources continue from there,
 * the others from their newest page.
 */
export function compositeCursor(sourceKeys: readonly string[], older: Cursor | null): Cursor {
  return JSON.stringify({ m: Object.fromEntries(sourceKeys.map((k) => [k, older])) });
}

/**
 * One page of a column's history: `older` from `cursor` (null: the newest page). For a monitor
 * column the page merges every source's page, newest first, each entry marked with the profile
 * that met it and kept only when it matches the monitor; its cursor is composite (a source at the
 * end of its history stays at null; a position in another form reads every source from its
 * newest page). Throws not-found when a profile is gone, and the first source's error when every
 * source failed.
 */
export async function readColumnHistory(
  column: Column,
  req: { direction: 'older' | 'newer'; cursor: Cursor | null },
  adapterFor: (profileId: string) => NetworkAdapter | undefined,
): Promise<Page<TimelineEntry>> {
  if (!column.monitor) {
    const adapter = adapterFor(column.profileId);
    if (!adapter) throw new ColonnadeError('not-found', 'The profile of this column is no longer connected.');
    return adapter.readTimeline({
      kind: column.kind,
      query: column.query,
      cursor: req.cursor,
      direction: req.direction,
      limit: HISTORY_PAGE,
    });
  }
  const monitor = column.monitor;
  const sources = sourcesOf(column);
  // A position this column's first delivery or an earlier version wrote in another form (a
  // source's own cursor) reads every source from its newest page: what is already held is
  // stored again, not lost, and paging goes on from there.
  const positions: Record<string, SourcePosition | null> = req.cursor ? (compositeOf(req.cursor) ?? {}) : {};
  const results = await Promise.allSettled(
    sources.map(async (s) => {
      const position = s.key in positions ? positions[s.key]! : { c: null };
      if (position === null) return null; // at the end of its history
      const adapter = adapterFor(s.profileId);
      // A profile no longer connected has nothing more to give here (the column's status says why).
      if (!adapter) return null;
      const page = await adapter.readTimeline({
        kind: s.kind,
        query: s.query,
        cursor: position.c,
        direction: 'older',
        limit: HISTORY_PAGE,
      });
      return page;
    }),
  );

  // How far down each source with more history is known: the oldest entry of its page (a source
  // that failed: what it gave before). Below the highest of these, a source might still hold
  // posts not read yet; entries down there wait for the next page, so the column never shows a
  // stretch of one network's posts that looks like everything there was.
  const read = new Map<string, { page: Page<TimelineEntry>; fresh: TimelineEntry[] }>();
  let failure: unknown = null;
  let watermark: string | null = null;
  const lower = (at: string | undefined) => {
    if (at !== undefined && (watermark === null || at > watermark)) watermark = at;
  };
  for (const [i, r] of results.entries()) {
    const s = sources[i]!;
    const position = s.key in positions ? positions[s.key]! : { c: null };
    if (r.status === 'rejected') {
      failure ??= r.reason;
      // Nothing known below what it gave before; never read: nothing below its top either.
      lower(position?.b ?? '\uffff');
      continue;
    }
    const page = r.value;
    if (!page || position === null) continue;
    const given = new Set(position.k ?? []);
    const fresh = page.items.filter(
      (e) => position.b === undefined || e.at < position.b || (e.at === position.b && !given.has(e.key)),
    );
    read.set(s.key, { page, fresh });
    if (page.older !== null)
      lower(page.items.reduce<string | undefined>((m, e) => (m === undefined || e.at < m ? e.at : m), undefined));
  }

  const items: TimelineEntry[] = [];
  const next: Record<string, SourcePosition | null> = {};
  let skipped = 0;
  for (const s of sources) {
    const position = s.key in positions ? positions[s.key]! : { c: null };
    const got = read.get(s.key);
    if (!got) {
      // Failed (tried again from the same place), ended, or not connected (ended here).
      const failed = results[sources.indexOf(s)]?.status === 'rejected';
      if (failed) {
        if (s.key in positions) next[s.key] = position;
      } else next[s.key] = null;
      continue;
    }
    const { page, fresh } = got;
    skipped += page.skipped ?? 0;
    const kept = watermark === null ? fresh : fresh.filter((e) => e.at >= watermark!);
    for (const e of kept) {
      if (!e.post || !matchesMonitor(e.post, monitor)) continue;
      if (items.some((x) => x.key === e.key)) continue;
      items.push({ ...e, via: s.profileId });
    }
    const oldest = kept.reduce<string | undefined>((m, e) => (m === undefined || e.at < m ? e.at : m), undefined);
    const b = oldest ?? position?.b;
    const k =
      b === undefined
        ? []
        : [...(b === position?.b ? (position?.k ?? []) : []), ...kept.filter((e) => e.at === b).map((e) => e.key)];
    if (kept.length === fresh.length) {
      // All of this page given: on to the next one (the end when there is none).
      next[s.key] = page.older === null ? null : { c: page.older, ...(b !== undefined ? { b, k } : {}) };
    } else {
      // Some of it waits below the watermark: the same page again, leaving out what was given.
      next[s.key] = { c: position?.c ?? null, ...(b !== undefined ? { b, k } : {}) };
    }
  }
  const more = sources.some((s) => !(s.key in next) || next[s.key] !== null);
  // Nothing to show because a source failed: say why rather than an empty page.
  if (failure && items.length === 0) throw failure;
  items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return {
    items,
    older: more ? JSON.stringify({ m: next }) : null,
    newer: null,
    ...(skipped ? { skipped } : {}),
  };
}
