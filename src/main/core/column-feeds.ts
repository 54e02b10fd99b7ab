// Keeps the active deck's columns live: polls each column's network for what is newer than its
// cursor and refreshes the counts of its recent posts, within the adapter's pace, and reports each
// column's state (live, or the error that stopped it, in the shared taxonomy).
import type { NetworkAdapter } from '../../shared/adapter';
import { ColonnadeError, toAppError, type AppError } from '../../shared/errors';
import type { ColumnStatus, FeedDelivery } from '../../shared/ipc/contract';
import type { Column, TimelineEntry } from '../../shared/model';
import type { Clock, Logger } from './ports';

/** Counts are refreshed for this many of a column's newest posts. */
const METRICS_WINDOW = 40;
const PAGE = 50;
const MAX_BACKOFF_MS = 5 * 60_000;

interface Feed {
  column: Column;
  newer: string | null;
  recent: string[];
  timer: unknown;
  failures: number;
  stopped: boolean;
}

export interface ColumnFeedsDeps {
  clock: Clock;
  log: Logger;
  adapterFor(profileId: string): NetworkAdapter | undefined;
  deliver(delivery: Omit<FeedDelivery, 'seq'>): void;
  status(status: ColumnStatus): void;
  /** What the network answered for a profile: null for success, else the error (account health). */
  outcome?(profileId: string, error: AppError | null): void;
  /** Why a profile must not poll now (a spent budget), or null. */
  paused?(profileId: string): AppError | null;
}

/** The ids of the posts a page of entries carries (a follow notification carries none). */
export function postIdsOf(entries: readonly TimelineEntry[]): string[] {
  const ids: string[] = [];
  for (const e of entries) if (e.post && !ids.includes(e.post.id)) ids.push(e.post.id);
  return ids;
}

/** How often a paused column looks whether it may resume. */
const PAUSE_CHECK_MS = 60_000;

export class ColumnFeeds {
  private readonly feeds = new Map<string, Feed>();

  constructor(private readonly deps: ColumnFeedsDeps) {}

  /** Follow exactly these columns: start new ones, stop removed ones, keep the rest running. */
  follow(columns: readonly Column[]): void {
    const wanted = new Map(columns.map((c) => [c.id, c]));
    for (const [id, feed] of this.feeds) {
      const next = wanted.get(id);
      if (
        !next ||
        next.query !== feed.column.query ||
        next.kind !== feed.column.kind ||
        next.profileId !== feed.column.profileId
      ) {
        this.stopFeed(feed);
        this.feeds.delete(id);
      }
    }
    for (const column of columns) {
      if (this.feeds.has(column.id)) continue;
      const feed: Feed = { column, newer: null, recent: [], timer: undefined, failures: 0, stopped: false };
      this.feeds.set(column.id, feed);
      void this.poll(feed);
    }
  }

  stop(): void {
    for (const feed of this.feeds.values()) this.stopFeed(feed);
    this.feeds.clear();
  }

  /** A page the renderer fetched itself also tells us where "newer" starts. */
  notePage(columnId: string, newer: string | null, postIds: readonly string[]): void {
    const feed = this.feeds.get(columnId);
    if (!feed) return;
    if (!feed.newer && newer) feed.newer = newer;
    this.remember(feed, postIds);
  }

  private stopFeed(feed: Feed): void {
    feed.stopped = true;
    if (feed.timer !== undefined) this.deps.clock.clearTimeout(feed.timer);
  }

  private remember(feed: Feed, postIds: readonly string[]): void {
    const merged = [...postIds, ...feed.recent.filter((id) => !postIds.includes(id))];
    feed.recent = merged.slice(0, METRICS_WINDOW);
  }

  private async poll(feed: Feed): Promise<void> {
    const adapter = this.deps.adapterFor(feed.column.profileId);
    const { clock } = this.deps;
    if (!adapter) {
      this.deps.status({
        columnId: feed.column.id,
        state: 'error',
        error: { code: 'not-found', message: 'The profile of this column is no longer connected.' },
      });
      return;
    }
    const pause = this.deps.paused?.(feed.column.profileId) ?? null;
    if (pause) {
      this.deps.status({ columnId: feed.column.id, state: 'paused', error: pause });
      feed.timer = clock.setTimeout(() => void this.poll(feed), PAUSE_CHECK_MS);
      return;
    }
    let delay = adapter.pollIntervalMs(feed.column.kind);
    try {
      const page = await adapter.readTimeline({
        kind: feed.column.kind,
        query: feed.column.query,
        cursor: feed.newer,
        direction: 'newer',
        limit: PAGE,
      });
      const first = feed.newer === null;
      const pageIds = postIdsOf(page.items);
      const known = feed.recent.filter((id) => !pageIds.includes(id));
      const counts = known.length > 0 ? await adapter.refreshMetrics(known) : new Map();
      if (feed.stopped) return;
      if (page.newer) feed.newer = page.newer;
      this.remember(feed, pageIds);
      const metrics = [...counts].map(([postId, m]) => ({ postId, metrics: m }));
      if (page.items.length > 0 || metrics.length > 0) {
        this.deps.deliver({
          columnId: feed.column.id,
          entries: page.items,
          metrics,
          ...(first ? { older: page.older } : {}),
        });
      }
      feed.failures = 0;
      this.deps.outcome?.(feed.column.profileId, null);
      this.deps.status({
        columnId: feed.column.id,
        state: 'live',
        checkedAt: new Date(clock.now()).toISOString(),
        ...(page.skipped ? { skipped: page.skipped } : {}),
      });
    } catch (err) {
      if (feed.stopped) return;
      const error: AppError = toAppError(err);
      if (!(err instanceof ColonnadeError)) {
        this.deps.log.error('column poll failed', { columnId: feed.column.id, error: String(err) });
      }
      feed.failures++;
      delay = Math.min(MAX_BACKOFF_MS, delay * 2 ** Math.min(feed.failures, 8));
      if (error.code === 'rate-limited' && error.resetAt) {
        delay = Math.max(1_000, Date.parse(error.resetAt) - clock.now());
      }
      this.deps.outcome?.(feed.column.profileId, error);
      this.deps.status({ columnId: feed.column.id, state: 'error', error });
    }
    if (!feed.stopped) feed.timer = clock.setTimeout(() => void this.poll(feed), delay);
  }
}
