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

/** Each source's cursor by source key; null: that source reached the end of its history. */
const CompositeSchema = z.object({ m: z.record(z.string(), z.string().nullable()) });

/**
 * One page of a column's history: `older` from `cursor` (null: the newest page). For a monitor
 * column the page merges every source's page, newest first, each entry marked with the profile
 * that met it and kept only when it matches the monitor; its cursor is composite (a source at the
 * end of its history stays at null). Throws not-found when a profile is gone, invalid for a cursor
 * this column did not make.
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
  let cursors: Record<string, string | null> = {};
  if (req.cursor) {
    try {
      cursors = CompositeSchema.parse(JSON.parse(req.cursor)).m;
    } catch {
      throw new ColonnadeError('invalid', 'That page position does not belong to this column.');
    }
  }
  const next: Record<string, string | null> = {};
  const items: TimelineEntry[] = [];
  let skipped = 0;
  const results = await Promise.allSettled(
    sources.map(async (s) => {
      if (req.cursor && !(s.key in cursors)) return null; // added later: its first page came live
      const cursor = cursors[s.key] ?? null;
      if (req.cursor && cursor === null) return null; // at the end of its history
      const adapter = adapterFor(s.profileId);
      if (!adapter) throw new ColonnadeError('not-found', 'A profile of this column is no longer connected.');
      const page = await adapter.readTimeline({
        kind: s.kind,
        query: s.query,
        cursor,
        direction: 'older',
        limit: HISTORY_PAGE,
      });
      return { source: s, page };
    }),
  );
  let failure: unknown = null;
  for (const [i, r] of results.entries()) {
    const s = sources[i]!;
    if (r.status === 'rejected') {
      failure ??= r.reason;
      next[s.key] = req.cursor ? (cursors[s.key] ?? null) : null; // tried again next time
      continue;
    }
    if (!r.value) {
      if (s.key in cursors) next[s.key] = cursors[s.key] ?? null;
      continue;
    }
    const { page } = r.value;
    next[s.key] = page.older;
    skipped += page.skipped ?? 0;
    for (const e of page.items) {
      if (!e.post || !matchesMonitor(e.post, monitor)) continue;
      if (items.some((x) => x.key === e.key)) continue;
      items.push({ ...e, via: s.profileId });
    }
  }
  // Every source failed: say why rather than answer an empty page that looks like the end.
  if (failure && results.every((r) => r.status === 'rejected')) throw failure;
  items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const more = Object.values(next).some((c) => c !== null);
  return {
    items,
    older: more ? JSON.stringify({ m: next }) : null,
    newer: null,
    ...(skipped ? { skipped } : {}),
  };
}
