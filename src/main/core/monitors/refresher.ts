// Count refreshes, out of the same budget as reading: only posts on screen, the CM's own posts
// and the young posts of columns with an engagement alert rule (which must see counts move with
// the window hidden), batched per account (the adapters batch per request: X 100 ids, Bluesky 25, Mastodon
// 4.3+ `GET /api/v1/statuses?id[]=`), less often as a post ages. On X, where every read is
// billed, refreshes may spend at most a quarter of what reading new posts spends (so count
// refreshes stay under a fifth of the billed reads).
import type { NetworkAdapter } from '../../../shared/adapter';
import type { Column, Metrics, Post } from '../../../shared/model';
import type { Clock, Logger } from '../ports';
import type { RateBudget } from './budget';
import { sourcesOf } from './sources';

/** How often the refresher looks for due posts, per account. */
export const REFRESH_TICK_MS = 60_000;
/** Posts remembered per account for refreshing (the newest met). */
const KEEP_POSTS = 5_000;
/** Ids passed to one `refreshMetrics` call at most. */
const MAX_IDS_PER_ROUND = 300;
/** Own posts are refreshed while younger than this (older ones only when on screen). */
const OWN_POSTS_FOR_MS = 7 * 86_400_000;
/**
 * Posts of a column with an engagement alert rule are refreshed while younger than this: a post
 * gathers most of its engagement in its first day.
 */
export const WATCHED_FOR_MS = 86_400_000;
/** Billed networks: count refreshes may read at most this share of what timelines read. */
const BILLED_REFRESH_RATIO = 0.25;
/** …but at least this many posts an hour, so counts on screen never freeze entirely. */
const BILLED_REFRESH_FLOOR = 20;

/**
 * How long a post's counts stay fresh enough, by its age: 2 minutes in its first hour, 10 until
 * 6 hours, 30 until a day, 3 hours until a week, 12 hours after. Counts move fastest early.
 */
export function refreshInterval(ageMs: number): number {
  const h = 3_600_000;
  if (ageMs < h) return 2 * 60_000;
  if (ageMs < 6 * h) return 10 * 60_000;
  if (ageMs < 24 * h) return 30 * 60_000;
  if (ageMs < 7 * 24 * h) return 3 * h;
  return 12 * h;
}

interface Tracked {
  createdAt: number;
  refreshedAt: number;
  own: boolean;
  /** Met in a column with an engagement alert rule (see `watch`). */
  watched?: boolean;
}

interface AccountState {
  posts: Map<string, Tracked>;
  timer: unknown;
  busy: boolean;
  /** Billed networks: [time, posts read] of timeline reads and of refreshes, last hour. */
  timelineReads: Array<[number, number]>;
  refreshReads: Array<[number, number]>;
}

export interface RefresherDeps {
  clock: Clock;
  log: Logger;
  adapterFor(profileId: string): NetworkAdapter | undefined;
  networkOf(profileId: string): string | undefined;
  budget(profileId: string): RateBudget;
  call<T>(p: Promise<T>): Promise<T>;
  deliver(profileId: string, metrics: Map<string, Metrics>, removed: string[]): void;
}

export class CountRefresher {
  private readonly accounts = new Map<string, AccountState>();
  /** What each column shows on screen now (its last report; none once hidden). */
  private readonly onScreen = new Map<string, Set<string>>();
  private stopped = false;

  constructor(private readonly deps: RefresherDeps) {}

  /** The accounts whose columns exist: one refresh loop each. */
  follow(columns: readonly Column[]): void {
    const wanted = new Set(columns.flatMap((c) => sourcesOf(c).map((s) => s.profileId)));
    const ids = new Set(columns.map((c) => c.id));
    for (const id of this.onScreen.keys()) if (!ids.has(id)) this.onScreen.delete(id);
    for (const [id, a] of this.accounts) {
      if (!wanted.has(id)) {
        if (a.timer !== undefined) this.deps.clock.clearTimeout(a.timer);
        this.accounts.delete(id);
      }
    }
    for (const id of wanted) this.account(id);
  }

  stop(): void {
    this.stopped = true;
    for (const a of this.accounts.values()) if (a.timer !== undefined) this.deps.clock.clearTimeout(a.timer);
    this.accounts.clear();
  }

  /** Posts a reader of this account delivered (new posts are fresh: they were just read). */
  met(profileId: string, posts: readonly Post[]): void {
    const a = this.account(profileId);
    const now = this.deps.clock.now();
    let read = 0;
    for (const p of posts) {
      read++;
      a.posts.delete(p.id);
      a.posts.set(p.id, {
        createdAt: Date.parse(p.createdAt) || now,
        refreshedAt: now,
        own: p.author.id === profileId,
      });
    }
    a.timelineReads.push([now, read]);
    while (a.posts.size > KEEP_POSTS) a.posts.delete(a.posts.keys().next().value!);
  }

  /**
   * Posts delivered to a column with an engagement alert rule: their counts are refreshed while
   * they are younger than WATCHED_FOR_MS, on screen or not, so the rule can fire with the window
   * hidden. Call after `met` (only posts met are tracked).
   */
  watch(profileId: string, postIds: readonly string[]): void {
    const a = this.accounts.get(profileId);
    if (!a) return;
    for (const id of postIds) {
      const t = a.posts.get(id);
      if (t) t.watched = true;
    }
  }

  /**
   * Posts on screen in a column, as the renderer reports them when they change: they stay on
   * screen until the next report (`shown: false` when the window is hidden or the deck not shown).
   */
  visible(column: Column, postIds: readonly string[], shown: boolean, createdAt?: readonly string[]): void {
    if (shown && postIds.length) this.onScreen.set(column.id, new Set(postIds));
    else this.onScreen.delete(column.id);
    if (!shown || !createdAt) return;
    // Posts the renderer kept from before Colonnade restarted were never met in this run: they
    // are tracked now, under the column's profile on their network, and refreshed at once.
    for (const [i, id] of postIds.entries()) {
      if (this.tracked(id)) continue;
      const network = id.split(':')[0];
      const profileId = (column.monitor?.profileIds ?? [column.profileId]).find(
        (p) => this.deps.networkOf(p) === network,
      );
      const a = profileId ? this.accounts.get(profileId) : undefined;
      const at = Date.parse(createdAt[i] ?? '');
      if (!a || !Number.isFinite(at)) continue;
      a.posts.set(id, { createdAt: at, refreshedAt: 0, own: false });
      while (a.posts.size > KEEP_POSTS) a.posts.delete(a.posts.keys().next().value!);
    }
  }

  private tracked(postId: string): boolean {
    for (const a of this.accounts.values()) if (a.posts.has(postId)) return true;
    return false;
  }

  private isOnScreen(postId: string): boolean {
    for (const ids of this.onScreen.values()) if (ids.has(postId)) return true;
    return false;
  }

  /** The ids due for a refresh now, most urgent (youngest, on screen) first. */
  due(profileId: string): string[] {
    const a = this.accounts.get(profileId);
    if (!a) return [];
    const now = this.deps.clock.now();
    const due: Array<[string, number]> = [];
    for (const [id, t] of a.posts) {
      const age = now - t.createdAt;
      const wanted =
        (t.own && age < OWN_POSTS_FOR_MS) || (t.watched === true && age < WATCHED_FOR_MS) || this.isOnScreen(id);
      if (wanted && now - t.refreshedAt >= refreshInterval(age)) due.push([id, age]);
    }
    return due.sort((x, y) => x[1] - y[1]).map(([id]) => id);
  }

  private account(profileId: string): AccountState {
    let a = this.accounts.get(profileId);
    if (!a) {
      a = { posts: new Map(), timer: undefined, busy: false, timelineReads: [], refreshReads: [] };
      this.accounts.set(profileId, a);
      this.arm(profileId, a);
    }
    return a;
  }

  private arm(profileId: string, a: AccountState): void {
    if (this.stopped) return;
    a.timer = this.deps.clock.setTimeout(() => void this.tick(profileId, a), REFRESH_TICK_MS);
  }

  private async tick(profileId: string, a: AccountState): Promise<void> {
    a.timer = undefined;
    if (this.accounts.get(profileId) !== a) return;
    try {
      await this.round(profileId, a);
    } catch (err) {
      this.deps.log.warn('counts could not be refreshed', { profileId, error: String(err) });
    }
    if (this.accounts.get(profileId) === a) this.arm(profileId, a);
  }

  private async round(profileId: string, a: AccountState): Promise<void> {
    const adapter = this.deps.adapterFor(profileId);
    if (!adapter || a.busy) return;
    let ids = this.due(profileId);
    if (!ids.length) return;
    const now = this.deps.clock.now();
    const bucket = adapter.rateBucket('metrics');
    const budget = this.deps.budget(profileId);
    if (budget.checkAll(bucket).why === 'spent') return;
    const perRequest = bucket.idsPerRequest ?? 20;
    // Within the bucket's headroom, keeping half of it for reading new posts.
    const requests = Math.max(1, Math.floor(budget.headroomAll(bucket).usable / 2));
    ids = ids.slice(0, Math.min(MAX_IDS_PER_ROUND, requests * perRequest));
    if (this.deps.networkOf(profileId) === 'x') {
      const hour = now - 3_600_000;
      a.timelineReads = a.timelineReads.filter(([t]) => t > hour);
      a.refreshReads = a.refreshReads.filter(([t]) => t > hour);
      const read = a.timelineReads.reduce((n, [, c]) => n + c, 0);
      const spent = a.refreshReads.reduce((n, [, c]) => n + c, 0);
      const allowed = Math.max(BILLED_REFRESH_FLOOR, Math.floor(read * BILLED_REFRESH_RATIO)) - spent;
      if (allowed <= 0) return;
      ids = ids.slice(0, allowed);
    }
    a.busy = true;
    try {
      for (let i = 0; i < ids.length; i += perRequest) budget.takeAll(bucket);
      const result = await this.deps.call(adapter.refreshMetrics(ids));
      a.refreshReads.push([now, ids.length]);
      for (const id of ids) {
        const t = a.posts.get(id);
        if (t) t.refreshedAt = now;
      }
      for (const id of result.gone) a.posts.delete(id);
      this.deps.deliver(profileId, result.metrics, result.gone);
    } finally {
      a.busy = false;
    }
  }
}
