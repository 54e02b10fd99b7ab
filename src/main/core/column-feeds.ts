// Keeps the active deck's columns live: polls each column's network for what is newer than its
// cursor and refreshes the counts of its recent posts, within the adapter's pace, delivers the
// posts the network says are gone (`removed`: they leave every column), and reports each column's
// state (live, or the error that stopped it, in the shared taxonomy).
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
  /** A poll is under way. */
  polling: boolean;
  /** Poll again as soon as the one under way ends (it was woken meanwhile). */
  woken: boolean;
  /** The code of the error the last poll ended with, or null after a success. */
  lastError: AppError['code'] | null;
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
      const feed: Feed = {
        column,
        newer: null,
        recent: [],
        timer: undefined,
        failures: 0,
        stopped: false,
        polling: false,
        woken: false,
        lastError: null,
      };
      this.feeds.set(column.id, feed);
      void this.poll(feed);
    }
  }

  stop(): void {
    for (const feed of this.feeds.values()) this.stopFeed(feed);
    this.feeds.clear();
  }

  /**
   * Polls a profile's columns now, forgetting their back-off, so they do not sleep out a delay of
   * up to MAX_BACKOFF_MS after "Connected". `all` (the account was just (re)connected): every
   * column; `signed-out` (its health came back): only the columns whose last poll ended in
   * `auth-expired`. A column whose poll is under way polls again as soon as it ends.
   */
  wake(profileId: string, which: 'all' | 'signed-out' = 'all'): void {
    for (const feed of this.feeds.values()) {
      if (feed.stopped || feed.column.profileId !== profileId) continue;
      if (which === 'signed-out' && feed.lastError !== 'auth-expired') continue;
      feed.failures = 0;
      if (feed.polling) {
        feed.woken = true;
        continue;
      }
      if (feed.timer !== undefined) this.deps.clock.clearTimeout(feed.timer);
      feed.timer = undefined;
      void this.poll(feed);
    }
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

  /** Posts the network says are gone: no column refreshes their counts again. */
  private forget(postIds: readonly string[]): void {
    if (postIds.length === 0) return;
    for (const feed of this.feeds.values()) feed.recent = feed.recent.filter((id) => !postIds.includes(id));
  }

  private remember(feed: Feed, postIds: readonly string[]): void {
    const merged = [...postIds, ...feed.recent.filter((id) => !postIds.includes(id))];
    feed.recent = merged.slice(0, METRICS_WINDOW);
  }

  private async poll(feed: Feed): Promise<void> {
    if (feed.polling || feed.stopped) return;
    feed.polling = true;
    feed.woken = false;
    feed.timer = undefined;
    let delay: number | null;
    try {
      delay = await this.pollOnce(feed);
    } finally {
      feed.polling = false;
    }
    if (feed.stopped || delay === null) return;
    if (feed.woken) delay = 0;
    feed.timer = this.deps.clock.setTimeout(() => void this.poll(feed), delay);
  }

  /** One poll; answers the delay before the next one (null: none, the profile is gone). */
  private async pollOnce(feed: Feed): Promise<number | null> {
    const adapter = this.deps.adapterFor(feed.column.profileId);
    const { clock } = this.deps;
    if (!adapter) {
      this.deps.status({
        columnId: feed.column.id,
        state: 'error',
        error: { code: 'not-found', message: 'The profile of this column is no longer connected.' },
      });
      return null;
    }
    const pause = this.deps.paused?.(feed.column.profileId) ?? null;
    if (pause) {
      this.deps.status({ columnId: feed.column.id, state: 'paused', error: pause });
      return PAUSE_CHECK_MS;
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
      const counts = known.length > 0 ? await adapter.refreshMetrics(known) : { metrics: new Map(), gone: [] };
      if (feed.stopped) return null;
      if (page.newer) feed.newer = page.newer;
      this.remember(feed, pageIds);
      const metrics = [...counts.metrics].map(([postId, m]) => ({ postId, metrics: m }));
      const removed = counts.gone.filter((id) => known.includes(id));
      this.forget(removed);
      if (page.items.length > 0 || metrics.length > 0 || removed.length > 0) {
        this.deps.deliver({
          columnId: feed.column.id,
          entries: page.items,
          metrics,
          ...(removed.length > 0 ? { removed } : {}),
          ...(first ? { older: page.older } : {}),
        });
      }
      feed.failures = 0;
      feed.lastError = null;
      this.deps.outcome?.(feed.column.profileId, null);
      this.deps.status({
        columnId: feed.column.id,
        state: 'live',
        checkedAt: new Date(clock.now()).toISOString(),
        ...(page.skipped ? { skipped: page.skipped } : {}),
      });
    } catch (err) {
      if (feed.stopped) return null;
      if (this.deps.adapterFor(feed.column.profileId) !== adapter) {
        // The account was reconnected while this poll ran on its old connection: what that
        // connection answered says nothing about the new one. Poll again with the new one.
        return 0;
      }
      const error: AppError = toAppError(err);
      feed.lastError = error.code;
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
    return delay;
  }
}
