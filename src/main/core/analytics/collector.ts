// The metrics collector (issue 9, "Collection"): observes the counts of the CM's own posts on a
// schedule dense while a post is young (shared/analytics-collection.ts `nextSnapshotAt`), reads
// each profile's follower count once a day, and backfills each profile's history through its
// timeline. Own posts come from the outbox's sends, from the monitors' deliveries whose author is
// one of the CM's profiles, and from backfill.
//
// It is a client of the monitors' request engine (DESIGN: "One engine for everything that reads on
// a schedule"): it draws from the same per-account rate budget (`budget(profileId)`), with a lower
// priority than columns: it asks only while the window keeps more than half of its limit spare
// and the engine's pace allows a request (so a shown column never waits for analytics), and it
// stops for an X account whose monthly budget is spent and slows down with the budget's pace.
//
// Snapshots reach the renderer as numbered deliveries (`analytics.delivery`), made durable in the
// journal before they leave and kept until the renderer acknowledges its Dexie commit, across a
// renderer reload and a restart of main. An observation whose counts did not change is not
// delivered again (the series keeps each change, and its time): the history stays compact.
import type { NetworkAdapter, OwnMetrics, OwnPostRef, RateBucket } from '../../../shared/adapter';
import type {
  AnalyticsDelivery,
  FollowerCount,
  MetricSnapshot,
  MetricValues,
  OwnPost,
  PostGone,
} from '../../../shared/analytics';
import {
  hashtagsOfText,
  nextSnapshotAt,
  ownerMetricsWanted,
  ownPostOf,
  valuesOfMetrics,
  type AnalyticsStatus,
  type BackfillStatus,
} from '../../../shared/analytics-collection';
import { ColonnadeError, toAppError, type AppError } from '../../../shared/errors';
import type { NetworkId, Post, TimelineEntry } from '../../../shared/model';
import { partsFor, type PublishJob } from '../../../shared/outbox';
import type { RateBudget } from '../monitors/budget';
import type { Clock, JournalStore, Logger } from '../ports';
import { DueQueue } from './due-queue';
import { AnalyticsRegistry, countsChanged, type BackfillRecord, type Change, type TrackedPost } from './registry';

/** How often the collector looks for due observations (ms). */
export const TICK_MS = 60_000;
/** …and while a backfill has pages left. */
export const BACKFILL_TICK_MS = 5_000;
/** After a wake (resume, back online, a profile connected), the round waits this long: columns read first. */
export const WAKE_DELAY_MS = 10_000;
/** Share of each rate window the collector leaves to the columns (and the CM's own actions). */
export const COLUMNS_SHARE = 0.5;
/** Requests of counts one profile makes per round at most. */
export const MAX_REQUESTS_PER_ROUND = 20;
/** Timeline pages one backfill reads per round at most. */
export const BACKFILL_PAGES_PER_ROUND = 20;
/** Entries asked per backfill page (each adapter caps it at what its network serves). */
export const BACKFILL_PAGE = 100;
/** X's user timeline reaches a profile's latest 3,200 posts (docs.x.com, Timelines). */
export const X_TIMELINE_REACH = 3_200;
/**
 * Post ids one counts request carries where the adapter's metrics bucket does not say
 * (`RateBucket.idsPerRequest`): X GET /2/tweets takes 100 ids (spec: `ids` maxItems 100),
 * Bluesky app.bsky.feed.getPosts 25 (lexicon `uris` maxLength 25), Mastodon 20 (4.3+).
 */
const IDS_PER_REQUEST: Record<NetworkId, number> = { x: 100, bluesky: 25, mastodon: 20, sandbox: 100 };
/** Deliveries `pending` answers at once (the renderer asks again while `more`). */
export const PENDING_PAGE = 20;
/** The journal is folded into a snapshot once it holds more rows than this (or than posts kept). */
const COMPACT_AFTER_ROWS = 20_000;
const MAX_BACKOFF_MS = 30 * 60_000;
/** A follower count that could not be read is tried again after this long. */
const FOLLOWERS_RETRY_MS = 3_600_000;
/** Snapshots per delivery at most (the contract allows 5,000). */
const SNAPSHOTS_PER_DELIVERY = 1_000;
const POSTS_PER_DELIVERY = 500;

/** One of the CM's profiles, as the collector needs it. */
export interface OwnProfile {
  id: string;
  network: NetworkId;
  /** The handle its timeline and profile page are read by (without '@'). */
  handle: string;
}

export interface AnalyticsCollectorDeps {
  clock: Clock;
  log: Logger;
  /** The `analytics` journal (registry, backfills, unacknowledged deliveries). */
  journal: JournalStore;
  adapterFor(profileId: string): NetworkAdapter | undefined;
  /** The CM's profiles now: their posts are her own. */
  profiles(): readonly OwnProfile[];
  /** The profile's rate budget, shared with the monitors (MonitorEngine.budget). */
  budget(profileId: string): RateBudget;
  /** Why a profile must not read now (a spent X monthly budget), or null. */
  paused?(profileId: string): AppError | null;
  /** How much slower a profile must read (the X monthly budget's pace), or null. */
  slowdown?(profileId: string): { factor: number; reason: string } | null;
  /** What a read learnt of an account's sign-in (auth-expired: Accounts says reconnect). */
  health?(profileId: string, error: AppError | null): void;
  /** Sends a delivery to the renderer (event `analytics.delivery`). */
  deliver(delivery: AnalyticsDelivery): void;
  /** A profile's collection status changed (event `analytics.status`). */
  status?(status: AnalyticsStatus): void;
  /** Uniform in [0, 1): the jitter of back-offs. */
  random?: () => number;
}

export interface AnalyticsOptions {
  tickMs?: number;
  backfillTickMs?: number;
  backfillPage?: number;
  backfillPagesPerRound?: number;
  maxRequestsPerRound?: number;
  columnsShare?: number;
  /** Backfill each profile when it is first seen (default true). */
  autoBackfill?: boolean;
}

interface ProfileRun {
  /** Post ids due, oldest due first, from `head` on (a deque: taking a batch costs the batch). */
  due: string[];
  head: number;
  /** The ids of `due` still to observe (one observed by another way leaves this set only). */
  dueSet: Set<string>;
  queue: DueQueue;
  busy: boolean;
  failures: number;
  /** No round before this (a back-off, a rate-limit reset, the X budget's pace). */
  notBefore: number;
  waiting: AppError | null;
  followersTriedAt: number;
  /** The backfill's total was asked of the profile's page in this run. */
  totalTried: boolean;
  /** The last status sent (JSON), so an unchanged one is not sent again. */
  lastStatus: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The next delay of a profile's back-off after `failures` failures in a row (ms, with jitter). */
function backoffMs(failures: number, random: () => number): number {
  const base = Math.min(MAX_BACKOFF_MS, 60_000 * 2 ** Math.min(failures, 6));
  return Math.round(base * (0.5 + 0.5 * random()));
}

export class AnalyticsCollector {
  private readonly registry: AnalyticsRegistry;
  private readonly runs = new Map<string, ProfileRun>();
  private readonly options: Required<AnalyticsOptions>;
  private timer: unknown;
  private online = true;
  private stopped = false;
  private round: Promise<void> | null = null;

  constructor(
    private readonly deps: AnalyticsCollectorDeps,
    options: AnalyticsOptions = {},
  ) {
    this.registry = new AnalyticsRegistry(deps.log);
    this.options = {
      tickMs: options.tickMs ?? TICK_MS,
      backfillTickMs: options.backfillTickMs ?? BACKFILL_TICK_MS,
      backfillPage: options.backfillPage ?? BACKFILL_PAGE,
      backfillPagesPerRound: options.backfillPagesPerRound ?? BACKFILL_PAGES_PER_ROUND,
      maxRequestsPerRound: options.maxRequestsPerRound ?? MAX_REQUESTS_PER_ROUND,
      columnsShare: options.columnsShare ?? COLUMNS_SHARE,
      autoBackfill: options.autoBackfill ?? true,
    };
  }

  // ---- life ------------------------------------------------------------------------------------

  /**
   * Loads the journal (posts, backfills, unacknowledged deliveries), plans every post's next
   * observation and arms the timer. Answers what was loaded.
   */
  start(): { posts: number; pending: number; unreadable: number } {
    const { snapshot, records, torn, unreadable } = this.deps.journal.load();
    const loaded = this.registry.load(snapshot, records);
    if (torn || unreadable) this.deps.log.warn('analytics: journal lines left out', { torn, unreadable });
    for (const t of this.registry.posts.values()) this.plan(t);
    this.compact();
    // The first round soon (after the columns' first reads): a new profile's history and the
    // practice profile's analytics should not wait a whole tick.
    this.arm(Math.min(WAKE_DELAY_MS, this.options.tickMs));
    return { ...loaded, unreadable: loaded.unreadable + unreadable };
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Offline: no request is made; back online: a round soon (`wake`). */
  setOnline(online: boolean): void {
    const was = this.online;
    this.online = online;
    if (online && !was) this.wake();
  }

  /**
   * After sleep, coming back online or a (re)connection: back-offs forgotten, and a round soon
   * (WAKE_DELAY_MS: the columns' catch-up reads go first).
   */
  wake(profileId?: string): void {
    for (const [id, run] of this.runs) {
      if (profileId && id !== profileId) continue;
      run.failures = 0;
      run.notBefore = 0;
    }
    this.arm(WAKE_DELAY_MS);
  }

  /** A profile was connected: its backfill starts (unless it has one) and a round runs soon (`wake`). */
  profileConnected(profileId: string): void {
    const p = this.deps.profiles().find((x) => x.id === profileId);
    if (p && this.options.autoBackfill && !this.registry.profile(p.id, p.network).backfill) {
      void this.startBackfill(p, false).catch((err: unknown) =>
        this.deps.log.warn('analytics: the backfill could not start', { profileId, error: String(err) }),
      );
    }
    this.wake(profileId);
  }

  private arm(ms: number): void {
    if (this.stopped) return;
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = undefined;
      void this.collectNow().finally(() => {
        if (this.timer === undefined) this.arm(this.backfilling() ? this.options.backfillTickMs : this.options.tickMs);
      });
    }, ms);
  }

  private backfilling(): boolean {
    for (const rec of this.registry.profiles.values()) if (rec.backfill?.state === 'running') return true;
    return false;
  }

  /**
   * One round for every profile now: follower counts due, due observations and backfill pages,
   * as far as each profile's budget allows. A round already under way is joined.
   */
  collectNow(): Promise<void> {
    this.round ??= this.runRound().finally(() => {
      this.round = null;
    });
    return this.round;
  }

  private async runRound(): Promise<void> {
    const profiles = this.deps.profiles();
    if (this.options.autoBackfill) {
      for (const p of profiles) {
        if (!this.registry.profile(p.id, p.network).backfill) await this.startBackfill(p, false);
      }
    }
    await Promise.all(profiles.map((p) => this.roundFor(p)));
    // Profiles no longer connected keep their posts; they say why nothing is collected.
    const connected = new Set(profiles.map((p) => p.id));
    for (const [id, rec] of this.registry.profiles) {
      if (connected.has(id)) continue;
      const run = this.run(id);
      const waiting: AppError = {
        code: 'not-found',
        message: 'That profile is not connected.',
        reason: 'profile-not-connected',
      };
      if (run.waiting?.reason !== waiting.reason) {
        run.waiting = waiting;
        this.emitStatus(id, rec.network);
      }
    }
  }

  // ---- sources of own posts ---------------------------------------------------------------------

  /**
   * Entries the monitors delivered: the posts whose author is one of the CM's profiles are her
   * own and are collected from now on (their first observation is due at once).
   */
  met(entries: readonly TimelineEntry[]): void {
    const own = new Set(this.deps.profiles().map((p) => p.id));
    const posts: Post[] = [];
    for (const e of entries) if (e.post && !e.gap && own.has(e.post.author.id)) posts.push(e.post);
    if (!posts.length) return;
    const change = this.registerPosts(posts, null);
    if (change) this.commitSoon(change);
  }

  /**
   * The CM deleted one of her posts from Colonnade (`post.act` delete succeeded): it is no longer
   * collected, and the archive is told it is gone, now (rather than at its next observation).
   * A post the collector does not follow is ignored.
   */
  deleted(postId: string): void {
    if (!this.registry.posts.has(postId)) return;
    const at = this.deps.clock.now();
    this.commitSoon({ op: 'change', at, gone: [postId], delivery: this.delivery([], [], [], [{ postId, at }]) });
  }

  /**
   * A publish job changed: each part it sent is one of the CM's own posts, collected from now on.
   * Its OwnPost is made from the job (the network's own version replaces it once met), with a
   * first observation at its sending time: nothing yet (source `outbox`).
   */
  sent(job: PublishJob): void {
    const now = this.deps.clock.now();
    const added: NonNullable<Change['added']> = [];
    const posts: OwnPost[] = [];
    const snapshots: MetricSnapshot[] = [];
    const profiles = new Map(this.deps.profiles().map((p) => [p.id, p]));
    for (const t of job.targets) {
      const parts = partsFor(job.content, t.network);
      t.parts.forEach((sentPart, i) => {
        const id = sentPart.postId;
        const part = parts[i];
        if (!id || !part || this.registry.posts.has(id) || added.some((a) => a[0] === id)) return;
        const createdAt = Date.parse(sentPart.sentAt ?? t.updatedAt) || now;
        const sameNetwork = (ref: string | undefined) => ref !== undefined && ref.startsWith(`${t.network}:`);
        added.push([id, t.profileId, createdAt, 0]);
        posts.push({
          id,
          network: t.network,
          profileId: t.profileId,
          handle: (profiles.get(t.profileId)?.handle ?? '').replace(/^@+/, '').slice(0, 300),
          createdAt,
          text: part.text.slice(0, 100_000),
          hashtags: hashtagsOfText(part.text),
          hasMedia: part.media.length > 0,
          isReply: i > 0 || sameNetwork(job.content.replyTo),
          isQuote: i === 0 && sameNetwork(job.content.quoteOf),
          url: sentPart.url ? sentPart.url.slice(0, 2000) : null,
        });
        const zero = t.network === 'x' || t.network === 'bluesky' ? 0 : null;
        snapshots.push({
          postId: id,
          at: createdAt,
          source: 'outbox',
          values: {
            likes: 0,
            reposts: 0,
            replies: 0,
            quotes: t.network === 'mastodon' ? null : 0,
            bookmarks: zero,
            impressions: t.network === 'x' ? 0 : null,
            linkClicks: null,
            profileClicks: null,
          },
        });
      });
    }
    if (!added.length) return;
    this.commitSoon({ op: 'change', at: now, added, delivery: this.delivery(posts, snapshots, []) });
  }

  /**
   * The change registering `posts` (own posts as the network shows them): new ones added, ones
   * registered from a sent job upgraded to the network's version. With `source`, their counts are
   * recorded as an observation (a backfill page carries them), else the first is due at once.
   */
  private registerPosts(posts: readonly Post[], source: 'backfill' | null): Change | null {
    const now = this.deps.clock.now();
    const added: NonNullable<Change['added']> = [];
    const upgraded: string[] = [];
    const checked: string[] = [];
    const own: OwnPost[] = [];
    const snapshots: MetricSnapshot[] = [];
    const seen = new Set<string>();
    for (const post of posts) {
      if (seen.has(post.id)) continue;
      seen.add(post.id);
      const tracked = this.registry.posts.get(post.id);
      if (!tracked) {
        const createdAt = Date.parse(post.createdAt);
        if (!Number.isFinite(createdAt)) continue;
        added.push([post.id, post.author.id, createdAt, 1]);
        own.push(ownPostOf(post));
      } else if (!tracked.fromNetwork) {
        upgraded.push(post.id);
        own.push(ownPostOf(post));
      }
      if (source) {
        const values = valuesOfMetrics(post.network, post.metrics);
        checked.push(post.id);
        if (countsChanged(tracked?.last ?? null, values)) snapshots.push({ postId: post.id, at: now, values, source });
      }
    }
    if (!added.length && !upgraded.length && !checked.length) return null;
    return {
      op: 'change',
      at: now,
      ...(added.length ? { added } : {}),
      ...(upgraded.length ? { upgraded } : {}),
      ...(checked.length ? { checked } : {}),
      ...(own.length || snapshots.length ? { delivery: this.delivery(own, snapshots, []) } : {}),
    };
  }

  // ---- deliveries ---------------------------------------------------------------------------------

  /** A delivery without its number (numbered when committed); split by `commit` if large. */
  private delivery(
    posts: OwnPost[],
    snapshots: MetricSnapshot[],
    followers: FollowerCount[],
    gone: PostGone[] = [],
  ): AnalyticsDelivery {
    return { seq: 0, posts, snapshots, followers, ...(gone.length ? { gone } : {}) };
  }

  /**
   * Deliveries not yet acknowledged after `after` (a sequence number; 0: all), at most
   * PENDING_PAGE of them, oldest first; `more` when others follow.
   */
  pending(after = 0): { deliveries: AnalyticsDelivery[]; more: boolean } {
    const rest = this.registry.pending.filter((d) => d.seq > after);
    return { deliveries: rest.slice(0, PENDING_PAGE), more: rest.length > PENDING_PAGE };
  }

  /** The renderer stored every delivery up to `upTo`: they are forgotten (made durable). */
  ack(upTo: number): void {
    if (upTo <= this.registry.acked) return;
    this.registry.ack(upTo);
    void this.deps.journal
      .append([{ op: 'ack', upTo }])
      .then(() => this.compactIfDue())
      .catch((err: unknown) =>
        this.deps.log.error('analytics: an acknowledgement could not be saved', { error: String(err) }),
      );
  }

  private commitSoon(change: Change): void {
    void this.commit(change).catch((err: unknown) =>
      this.deps.log.error('analytics: a change could not be saved', { error: String(err) }),
    );
  }

  /**
   * Applies a change, makes it durable, then sends its delivery (numbered here; a large one is
   * split into several changes, each with its own number).
   */
  private async commit(change: Change): Promise<void> {
    const parts: Change[] = [];
    const d = change.delivery;
    if (
      d &&
      (d.snapshots.length > SNAPSHOTS_PER_DELIVERY || d.posts.length > POSTS_PER_DELIVERY || d.followers.length > 1000)
    ) {
      const rest: Change = { ...change };
      delete rest.delivery;
      parts.push(rest);
      for (let i = 0; i < Math.max(d.posts.length, 1); i += POSTS_PER_DELIVERY) {
        parts.push({
          op: 'change',
          at: change.at,
          delivery: this.delivery(
            d.posts.slice(i, i + POSTS_PER_DELIVERY),
            [],
            i === 0 ? d.followers : [],
            i === 0 ? (d.gone ?? []) : [],
          ),
        });
      }
      for (let i = 0; i < d.snapshots.length; i += SNAPSHOTS_PER_DELIVERY) {
        parts.push({
          op: 'change',
          at: change.at,
          delivery: this.delivery([], d.snapshots.slice(i, i + SNAPSHOTS_PER_DELIVERY), []),
        });
      }
    } else {
      parts.push(change);
    }
    const sent: AnalyticsDelivery[] = [];
    for (const part of parts) {
      const pd = part.delivery;
      if (pd && !pd.posts.length && !pd.snapshots.length && !pd.followers.length && !pd.gone?.length)
        delete part.delivery;
      else if (pd) {
        pd.seq = this.registry.nextSeq();
        sent.push(pd);
      }
      this.registry.apply(part);
      // New posts and observed ones get their next observation planned.
      for (const id of [...(part.added ?? []).map((a) => a[0]), ...(part.checked ?? [])]) {
        const t = this.registry.posts.get(id);
        if (!t) continue;
        this.runs.get(t.profileId)?.dueSet.delete(id);
        this.plan(t);
      }
    }
    try {
      await this.deps.journal.append(parts);
    } finally {
      for (const delivery of sent) this.deps.deliver(delivery);
    }
    this.compactIfDue();
  }

  private compactIfDue(): void {
    if (this.registry.rowsSinceCompact > Math.max(COMPACT_AFTER_ROWS, this.registry.posts.size)) this.compact();
  }

  private compact(): void {
    this.deps.journal.compact(this.registry.snapshot());
    this.registry.rowsSinceCompact = 0;
  }

  // ---- planning -----------------------------------------------------------------------------------

  private run(profileId: string): ProfileRun {
    let run = this.runs.get(profileId);
    if (!run) {
      run = {
        due: [],
        head: 0,
        dueSet: new Set(),
        queue: new DueQueue(),
        busy: false,
        failures: 0,
        notBefore: 0,
        waiting: null,
        followersTriedAt: -Infinity,
        totalTried: false,
        lastStatus: '',
      };
      this.runs.set(profileId, run);
    }
    return run;
  }

  /** Puts a post's next observation in its profile's queue. */
  private plan(t: TrackedPost): void {
    this.run(t.profileId).queue.push({ at: nextSnapshotAt(t.network, t.createdAt, t.lastAt), id: t.id });
  }

  /** Moves the profile's posts due by `now` from its queue to its due list (in due order). */
  private collectDue(profileId: string, now: number): ProfileRun {
    const run = this.run(profileId);
    for (let top = run.queue.peek(); top && top.at <= now; top = run.queue.peek()) {
      run.queue.pop();
      const t = this.registry.posts.get(top.id);
      if (!t || run.dueSet.has(t.id) || nextSnapshotAt(t.network, t.createdAt, t.lastAt) !== top.at) continue;
      run.due.push(t.id);
      run.dueSet.add(t.id);
    }
    if (run.head > 1_000 && run.head * 2 > run.due.length) {
      run.due = run.due.slice(run.head);
      run.head = 0;
    }
    return run;
  }

  /** When the profile's next observation is planned (ms), or null. */
  private nextAt(profileId: string): number | null {
    const run = this.run(profileId);
    if (run.dueSet.size) return this.deps.clock.now();
    for (let top = run.queue.peek(); top; top = run.queue.peek()) {
      const t = this.registry.posts.get(top.id);
      if (t && !run.dueSet.has(t.id) && nextSnapshotAt(t.network, t.createdAt, t.lastAt) === top.at) return top.at;
      run.queue.pop();
    }
    return null;
  }

  // ---- budget ---------------------------------------------------------------------------------------

  /**
   * Whether the collector may make one more request of `bucket` now: the engine's pace allows it
   * (not spent, not paced: columns go first) and the window keeps more than `columnsShare` of its
   * limit spare after it, beyond the reserve for the CM's own actions.
   */
  private mayRequest(budget: RateBudget, bucket: RateBucket): boolean {
    if (budget.checkAll(bucket).why !== null) return false;
    const limit = Math.min(bucket.limit, ...(bucket.also ?? []).map((b) => b.limit));
    return budget.headroomAll(bucket).usable > Math.ceil(limit * this.options.columnsShare);
  }

  // ---- one profile's round --------------------------------------------------------------------------

  private async roundFor(p: OwnProfile): Promise<void> {
    const run = this.run(p.id);
    if (run.busy || this.stopped) return;
    const now = this.deps.clock.now();
    this.collectDue(p.id, now);
    run.busy = true;
    try {
      const adapter = this.deps.adapterFor(p.id);
      if (!this.online) {
        run.waiting = { code: 'offline', message: 'This computer is offline.', reason: 'offline-paused' };
        return;
      }
      if (!adapter) {
        run.waiting = { code: 'not-found', message: 'That profile is not connected.', reason: 'profile-not-connected' };
        return;
      }
      const paused = this.deps.paused?.(p.id) ?? null;
      if (paused) {
        run.waiting = paused;
        return;
      }
      if (now < run.notBefore) return;
      const slow = this.deps.slowdown?.(p.id) ?? null;
      const factor = slow && slow.factor > 1 ? slow.factor : 1;
      if (factor > 1) run.notBefore = now + Math.round(this.options.tickMs * factor);
      run.waiting = null;
      await this.followersFor(p, adapter, run);
      await this.snapshotsFor(p, adapter, run, Math.max(1, Math.floor(this.options.maxRequestsPerRound / factor)));
      await this.backfillFor(p, adapter, run);
      run.failures = 0;
      this.deps.health?.(p.id, null);
    } catch (err) {
      this.failed(p, run, err);
    } finally {
      run.busy = false;
      this.emitStatus(p.id, p.network);
    }
  }

  private failed(p: OwnProfile, run: ProfileRun, err: unknown): void {
    const error = toAppError(err);
    const now = this.deps.clock.now();
    run.failures++;
    run.waiting = error;
    if (!(err instanceof ColonnadeError))
      this.deps.log.error('analytics: a round failed', { profileId: p.id, error: String(err) });
    else this.deps.log.warn('analytics: a round failed', { profileId: p.id, code: error.code, reason: error.reason });
    if (error.code === 'rate-limited') {
      const reset = error.resetAt ? Date.parse(error.resetAt) : NaN;
      run.notBefore = Number.isFinite(reset) ? Math.max(reset, now + 1_000) : now + 60_000;
      return;
    }
    if (error.code === 'auth-expired') this.deps.health?.(p.id, error);
    run.notBefore = now + backoffMs(run.failures, this.deps.random ?? Math.random);
  }

  /** The profile's follower count, once per UTC day (its profile page: `ProfileDetails.followers`). */
  private async followersFor(p: OwnProfile, adapter: NetworkAdapter, run: ProfileRun): Promise<void> {
    const now = this.deps.clock.now();
    const day = utcDay(now);
    const rec = this.registry.profile(p.id, p.network);
    if (rec.followers?.day === day || now - run.followersTriedAt < FOLLOWERS_RETRY_MS) return;
    const bucket = adapter.rateBucket('user');
    const budget = this.deps.budget(p.id);
    if (!this.mayRequest(budget, bucket)) return;
    run.followersTriedAt = now;
    budget.takeAll(bucket);
    let followers: number | null;
    let posts: number | null;
    try {
      const details = await adapter.profile(p.handle);
      followers = details.followers;
      posts = details.posts;
    } catch (err) {
      const code = err instanceof ColonnadeError ? err.code : 'internal';
      if (code === 'rate-limited' || code === 'auth-expired' || code === 'offline') throw err;
      this.deps.log.warn('analytics: the follower count could not be read', { profileId: p.id, error: String(err) });
      return;
    }
    const backfill =
      rec.backfill && rec.backfill.total === null && posts !== null ? { ...rec.backfill, total: posts } : undefined;
    if (followers === null && !backfill) return;
    const at = this.deps.clock.now();
    await this.commit({
      op: 'change',
      at,
      profile: {
        id: p.id,
        network: p.network,
        ...(followers !== null ? { followers: { day, count: followers, at } } : {}),
        ...(backfill ? { backfill } : {}),
      },
      ...(followers !== null ? { delivery: this.delivery([], [], [{ profileId: p.id, day, followers, at }]) } : {}),
    });
  }

  /**
   * Observes the profile's due posts, batched as its network allows, within the budget: X posts
   * under 30 days old apart (they ask for the owner-only metrics).
   */
  private async snapshotsFor(
    p: OwnProfile,
    adapter: NetworkAdapter,
    run: ProfileRun,
    maxRequests: number,
  ): Promise<void> {
    const bucket = adapter.rateBucket('metrics');
    const per = Math.max(1, bucket.idsPerRequest ?? IDS_PER_REQUEST[p.network]);
    const budget = this.deps.budget(p.id);
    let requests = 0;
    while (run.dueSet.size && requests < maxRequests) {
      if (!this.mayRequest(budget, bucket)) {
        run.waiting = {
          code: 'rate-limited',
          message: 'Waiting for the rate budget the columns share.',
          reason: 'rate-budget',
        };
        return;
      }
      const batch = this.takeBatch(run, per, this.deps.clock.now());
      if (!batch.length) break;
      budget.takeAll(bucket);
      requests++;
      let result: OwnMetrics;
      try {
        result = await this.ownMetrics(
          adapter,
          batch.map((t) => ({ id: t.id, createdAt: t.createdAt })),
        );
      } catch (err) {
        // Not observed: back at the front of the due list.
        run.due.splice(run.head, 0, ...batch.map((t) => t.id));
        throw err;
      }
      const at = this.deps.clock.now();
      const snapshots: MetricSnapshot[] = [];
      for (const t of batch) {
        const values = result.values.get(t.id);
        if (values && countsChanged(t.last, values)) snapshots.push({ postId: t.id, at, values, source: 'collector' });
        if (!values && !result.gone.includes(t.id))
          this.deps.log.info('analytics: the network did not answer about a post', { postId: t.id });
      }
      const taken = new Set(batch.map((t) => t.id));
      const gone = result.gone.filter((id) => taken.has(id));
      await this.commit({
        op: 'change',
        at,
        checked: [...taken],
        ...(gone.length ? { gone } : {}),
        profile: { id: p.id, network: p.network, lastCollectedAt: at },
        ...(snapshots.length || gone.length
          ? {
              delivery: this.delivery(
                [],
                snapshots,
                [],
                gone.map((postId) => ({ postId, at })),
              ),
            }
          : {}),
      });
    }
  }

  /**
   * The next batch of due posts, taken off the front of the due list: up to `per` posts asked the
   * same way as the first (X: with the owner-only metrics under 30 days, without after), the
   * others left in place, in order.
   */
  private takeBatch(run: ProfileRun, per: number, now: number): TrackedPost[] {
    const ids = run.due;
    let i = run.head;
    const batch: TrackedPost[] = [];
    const other: string[] = [];
    let owner: boolean | null = null;
    while (i < ids.length && batch.length < per) {
      const id = ids[i++]!;
      const t = this.registry.posts.get(id);
      if (!t || !run.dueSet.has(id)) continue;
      const wants = ownerMetricsWanted(t.network, t.createdAt, now);
      owner ??= wants;
      if (wants === owner) batch.push(t);
      else other.push(id);
    }
    for (let k = other.length - 1; k >= 0; k--) ids[--i] = other[k]!;
    run.head = i;
    if (run.head >= ids.length) {
      run.due = [];
      run.head = 0;
    }
    return batch;
  }

  /** `ownMetrics`, or for an adapter without it the counts `refreshMetrics` gives. */
  private async ownMetrics(adapter: NetworkAdapter, refs: OwnPostRef[]): Promise<OwnMetrics> {
    if (adapter.ownMetrics) return adapter.ownMetrics(refs);
    const { metrics, gone } = await adapter.refreshMetrics(refs.map((r) => r.id));
    const values = new Map<string, MetricValues>();
    for (const [id, m] of metrics) values.set(id, valuesOfMetrics(adapter.network, m));
    return { values, gone };
  }

  // ---- backfill ---------------------------------------------------------------------------------------

  /**
   * Starts (or with `restart`, starts again from the newest post) a profile's backfill; one that
   * is running goes on. Answers its status.
   */
  async backfill(profileId: string, restart = false): Promise<AnalyticsStatus> {
    const p = this.deps.profiles().find((x) => x.id === profileId);
    if (!p)
      throw new ColonnadeError('not-found', 'That profile is not connected.', { reason: 'profile-not-connected' });
    await this.startBackfill(p, restart);
    this.arm(0);
    return this.status(p.id, p.network);
  }

  private async startBackfill(p: OwnProfile, restart: boolean): Promise<void> {
    const current = this.registry.profile(p.id, p.network).backfill;
    if (current && (current.state === 'running' || (!restart && current.state === 'done'))) return;
    if (current?.state === 'failed' && !restart) return;
    const now = iso(this.deps.clock.now());
    this.run(p.id).totalTried = false;
    const backfill: BackfillRecord = {
      state: 'running',
      scanned: 0,
      ownPosts: 0,
      total: null,
      reachedBack: null,
      limit: null,
      error: null,
      startedAt: now,
      updatedAt: now,
      cursor: null,
    };
    await this.commit({ op: 'change', at: this.deps.clock.now(), profile: { id: p.id, network: p.network, backfill } });
    this.emitStatus(p.id, p.network);
  }

  /** Reads the backfill's next pages, within the budget of the profile's timeline reads. */
  private async backfillFor(p: OwnProfile, adapter: NetworkAdapter, run: ProfileRun): Promise<void> {
    const bucket = adapter.rateBucket('user');
    const budget = this.deps.budget(p.id);
    for (let pages = 0; pages < this.options.backfillPagesPerRound; pages++) {
      const rec = this.registry.profile(p.id, p.network).backfill;
      if (!rec || rec.state !== 'running' || this.stopped) return;
      if (!this.mayRequest(budget, bucket)) {
        run.waiting ??= {
          code: 'rate-limited',
          message: 'Waiting for the rate budget the columns share.',
          reason: 'rate-budget',
        };
        return;
      }
      if (rec.total === null && !run.totalTried) {
        // How many posts the profile has (its page's count): the backfill's progress is against it.
        run.totalTried = true;
        budget.takeAll(bucket);
        const total = await adapter.profile(p.handle).then(
          (d) => d.posts,
          (err: unknown) => {
            const code = err instanceof ColonnadeError ? err.code : 'internal';
            if (code === 'rate-limited' || code === 'auth-expired' || code === 'offline') throw err;
            return null;
          },
        );
        if (total !== null) {
          await this.commit({
            op: 'change',
            at: this.deps.clock.now(),
            profile: { id: p.id, network: p.network, backfill: { ...rec, total } },
          });
        }
        continue;
      }
      budget.takeAll(bucket);
      let page;
      try {
        page = await adapter.readTimeline({
          kind: 'user',
          query: p.handle,
          cursor: rec.cursor,
          direction: 'older',
          limit: this.options.backfillPage,
        });
      } catch (err) {
        const error = toAppError(err);
        // Refused for good (the plan excludes user timelines, the profile is gone): said, stopped.
        const final = error.code === 'not-allowed' || error.code === 'not-found' || error.code === 'invalid';
        await this.commit({
          op: 'change',
          at: this.deps.clock.now(),
          profile: {
            id: p.id,
            network: p.network,
            backfill: { ...rec, state: final ? 'failed' : 'running', error, updatedAt: iso(this.deps.clock.now()) },
          },
        });
        if (final) return;
        throw err;
      }
      const posts = page.items.flatMap((e) => (e.post && !e.gap ? [e] : []));
      const own = posts.filter((e) => !e.repostedBy && e.post!.author.id === p.id).map((e) => e.post!);
      const change = this.registerPosts(own, 'backfill') ?? { op: 'change' as const, at: this.deps.clock.now() };
      const scanned = rec.scanned + posts.length;
      const oldest = own.reduce<string | null>((m, x) => (m === null || x.createdAt < m ? x.createdAt : m), null);
      const reachedBack = oldest && (!rec.reachedBack || oldest < rec.reachedBack) ? oldest : rec.reachedBack;
      const done = page.older === null;
      const cut = done && p.network === 'x' && rec.total !== null && rec.total > scanned;
      const next: BackfillRecord = {
        ...rec,
        state: done ? 'done' : 'running',
        scanned,
        ownPosts: rec.ownPosts + own.length,
        reachedBack: reachedBack ? new Date(Date.parse(reachedBack)).toISOString() : null,
        limit: cut
          ? {
              code: 'not-allowed',
              message: `X serves only a profile's latest ${X_TIMELINE_REACH} posts: import the X archive for older ones.`,
              reason: 'x-timeline-limit',
              params: { count: String(X_TIMELINE_REACH) },
            }
          : null,
        error: null,
        cursor: page.older,
        updatedAt: iso(this.deps.clock.now()),
      };
      await this.commit({ ...change, profile: { id: p.id, network: p.network, backfill: next } });
      this.emitStatus(p.id, p.network);
      if (done) {
        this.deps.log.info('analytics: backfill done', {
          profileId: p.id,
          scanned,
          ownPosts: next.ownPosts,
          limit: cut,
        });
        return;
      }
    }
  }

  // ---- status -----------------------------------------------------------------------------------------

  /** Every profile's collection status: the connected ones, and those with posts kept. */
  statuses(): AnalyticsStatus[] {
    const out = new Map<string, AnalyticsStatus>();
    for (const p of this.deps.profiles()) out.set(p.id, this.status(p.id, p.network));
    for (const [id, rec] of this.registry.profiles) if (!out.has(id)) out.set(id, this.status(id, rec.network));
    return [...out.values()];
  }

  private status(profileId: string, network: NetworkId): AnalyticsStatus {
    const rec = this.registry.profile(profileId, network);
    const run = this.run(profileId);
    const next = this.nextAt(profileId);
    const b = rec.backfill;
    const backfill: BackfillStatus | null = b
      ? {
          state: b.state,
          scanned: b.scanned,
          ownPosts: b.ownPosts,
          total: b.total,
          reachedBack: b.reachedBack,
          limit: b.limit,
          error: b.error,
          startedAt: b.startedAt,
          updatedAt: b.updatedAt,
        }
      : null;
    return {
      profileId,
      network: rec.network,
      posts: this.registry.countOf(profileId),
      lastCollectedAt: rec.lastCollectedAt === null ? null : iso(rec.lastCollectedAt),
      nextAt: next === null ? null : iso(next),
      due: run.dueSet.size,
      waiting: run.waiting,
      followers: rec.followers
        ? { day: rec.followers.day, count: rec.followers.count, at: iso(rec.followers.at) }
        : null,
      backfill,
    };
  }

  /** Sends the profile's status when it changed since the last one sent. */
  private emitStatus(profileId: string, network: NetworkId): void {
    const status = this.status(profileId, network);
    const run = this.run(profileId);
    const json = JSON.stringify(status);
    if (json === run.lastStatus) return;
    run.lastStatus = json;
    this.deps.status?.(status);
  }
}
