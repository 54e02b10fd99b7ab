// The analytics query engine (issue 9): the whole archive as columns in memory, so filtering and
// sorting 100,000 posts takes a few milliseconds and the posts table can be virtualized over row
// numbers. Owner: the renderer; it mirrors `ownPosts` and `followerCounts` (./archive-store.ts),
// loaded once (`AnalyticsIndex.load`) and kept up to date from the archive's `subscribe`.
// Loading reads every post (seconds at 100,000), so the index keeps its columns in the archive's
// `analyticsCache` (one row, `IndexSnapshot`) once it has settled, tagged with the archive's
// version; the next load reads that row instead when the archive is still at that version.
//
// Layout: one row per post; Float64Array columns for times, counts and engagement rates (NaN for
// unknown), small-integer columns for network, author (an index into a profile table) and flags,
// and each row's hashtags as indexes into a tag table. Sorting uses an order per sort key, made
// once (one native numeric sort, `sortedRows`) and reused until the archive changes; a query then
// walks that order and keeps the rows that pass the filter: O(rows).
import { TZDate, tzOffset, tzScan } from '@date-fns/tz';
import { z } from 'zod';
import { METRIC_NAMES, type FollowerCount, type MetricName, type MetricValues } from '../../shared/analytics';
import {
  engagementRate,
  followersAt,
  type EngagementFormula,
  type EngagementRate,
  type FollowersAtPosting,
} from '../../shared/engagement';
import { NETWORKS, NetworkIdSchema, type NetworkId } from '../../shared/model';
import { normalizeTag, type AnalyticsArchive, type ArchiveChange, type ChangedPost } from './archive-store';

// ---- filters and sorts ------------------------------------------------------------------------

const RangeSchema = z.object({ min: z.number().optional(), max: z.number().optional() });
/** Bounds, both inclusive; either may be absent. A row whose value is unknown is outside any range. */
export type Range = z.infer<typeof RangeSchema>;

/** What the posts table can be sorted by: the engagement rate, the posting time, any count. */
export const SORT_KEYS = ['rate', 'createdAt', ...METRIC_NAMES] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** A filter of the posts table; every condition given must hold (absent: no condition). */
export const AnalyticsFilterSchema = z.object({
  /** Engagement rate as a fraction (0.05 is 5 %); posts without a rate are outside any bound. */
  rate: RangeSchema.optional(),
  /** Latest known counts; a post whose count is unknown is outside the bounds on that count. */
  counts: z.partialRecord(z.enum(METRIC_NAMES), RangeSchema).optional(),
  /** Posted at or after (ms since the epoch). */
  from: z.number().optional(),
  /** Posted before (ms since the epoch, exclusive). */
  to: z.number().optional(),
  /** Any of these networks (empty or absent: all). */
  networks: z.array(NetworkIdSchema).optional(),
  /** By any of these profiles (`Profile.id`; empty or absent: all). */
  profiles: z.array(z.string()).optional(),
  /** Carries this hashtag ('#' optional, case-insensitive). */
  hashtag: z.string().optional(),
  hasMedia: z.boolean().optional(),
  isReply: z.boolean().optional(),
});
export type AnalyticsFilter = z.infer<typeof AnalyticsFilterSchema>;

/**
 * A sort. Rows whose value is unknown (no rate, a count never observed) come last in both
 * directions; equal values go by posting time (in the same direction), then by row.
 */
export const AnalyticsSortSchema = z.object({ key: z.enum(SORT_KEYS), dir: z.enum(['asc', 'desc']) });
export type AnalyticsSort = z.infer<typeof AnalyticsSortSchema>;

// ---- rows -------------------------------------------------------------------------------------

/** A row of the index as the posts table shows it (the text: `AnalyticsArchive.posts`). */
export interface AnalyticsRow {
  /** The row number (stable while the index lives). */
  row: number;
  id: string;
  network: NetworkId;
  profileId: string;
  handle: string;
  createdAt: number;
  hasMedia: boolean;
  isReply: boolean;
  isQuote: boolean;
  /** The network said it no longer exists (deleted): its counts are as last seen. */
  gone: boolean;
  /** Hashtags, normalized (`normalizeTag`). */
  tags: string[];
  /** Latest known counts (null: never observed). */
  latest: MetricValues;
  engagement: EngagementRate;
  /** The author's follower count used for a follower-based rate (null on X, or none known). */
  followers: FollowersAtPosting | null;
}

/** One period of `periods`: what the posts made in it did. */
export interface PeriodStats {
  /** The period's first instant (its first day's midnight in the zone), ms since the epoch. */
  start: number;
  /** "2026-11-30" (a week, by its first day) or "2026-11" (a month), in the zone. */
  label: string;
  posts: number;
  /** Posts with an engagement rate. */
  rated: number;
  /** Mean of the rated posts' rates (fraction), null when none is rated. */
  averageRate: number | null;
  /** The formulas behind `averageRate` (two when networks are mixed: say so beside the number). */
  formulas: EngagementFormula[];
  /**
   * Per formula, its rated posts and their mean rate: rates of different formulas are not
   * comparable (a few percent of impressions, tens of percent of followers), so a mixed period
   * is shown formula by formula.
   */
  byFormula: Partial<Record<EngagementFormula, { rated: number; averageRate: number }>>;
  /** Mean latest likes of the posts whose likes are known; null when none. */
  likesPerPost: number | null;
  /** Posts whose likes are known (fewer than `posts`: the average is partial). */
  likesKnown: number;
  repostsPerPost: number | null;
  repostsKnown: number;
}

/** `PeriodStats.byFormula` from the X posts' rated count and rate sum and all posts' ones. */
export function byFormulaOf(
  impressionsRated: number,
  impressionsSum: number,
  rated: number,
  rateSum: number,
): PeriodStats['byFormula'] {
  const out: PeriodStats['byFormula'] = {};
  if (impressionsRated) out.impressions = { rated: impressionsRated, averageRate: impressionsSum / impressionsRated };
  const followersRated = rated - impressionsRated;
  if (followersRated)
    out.followers = { rated: followersRated, averageRate: (rateSum - impressionsSum) / followersRated };
  return out;
}

/** One cell of `bestTimes`: posts made at an hour of a weekday, in the zone. */
export interface TimeCell {
  /** ISO weekday: 1 Monday … 7 Sunday. */
  weekday: number;
  /** 0–23. */
  hour: number;
  posts: number;
  rated: number;
  /** Mean rate of the rated posts (fraction), null when none. */
  averageRate: number | null;
}

export interface PeriodOptions {
  period: 'week' | 'month';
  /** IANA zone the periods are cut in ("Europe/Paris"). */
  zone: string;
  /** First day of a week: 0 Sunday … 6 Saturday (default 1, Monday, as ISO 8601). */
  weekStartsOn?: number;
}

const MEDIA = 1;
const REPLY = 2;
const QUOTE = 4;
/** The network said the post no longer exists (`OwnPost.goneAt`). */
const GONE = 8;
const NETWORK_INDEX = new Map<NetworkId, number>(NETWORKS.map((n, i) => [n, i]));
const DAY_MS = 86_400_000;
const NO_TAGS: readonly number[] = [];

/**
 * The index's columns as kept in the archive's cache (`AnalyticsArchive.keepIndexCache`): rows
 * 0…n−1 (typed arrays of length n), each row's tags as a slice of `tagList` (`tagStarts`, n + 1
 * offsets), the profile and tag tables, follower counts per profile. Engagement rates are not
 * kept: they are worked out again on load (the formulas may have changed since).
 */
export interface IndexSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  n: number;
  ids: string[];
  createdAt: Float64Array<ArrayBuffer>;
  counts: Record<MetricName, Float64Array<ArrayBuffer>>;
  network: Uint8Array<ArrayBuffer>;
  profile: Uint32Array<ArrayBuffer>;
  flags: Uint8Array<ArrayBuffer>;
  tagStarts: Uint32Array<ArrayBuffer>;
  tagList: Uint32Array<ArrayBuffer>;
  profileIds: string[];
  profileHandles: string[];
  profileNetworks: NetworkId[];
  tagNames: string[];
  followers: Array<[number, FollowerCount[]]>;
}

/** Bump when IndexSnapshot changes shape or meaning: a kept snapshot of another format is read past. */
const SNAPSHOT_FORMAT = 1;
/** How long the index waits after a change before keeping its columns (ms): an import brings a change every few ms. */
export const KEEP_AFTER_MS = 5_000;
/** Rows made ready (id, tags, rate) between two yields to the event loop while a snapshot is read. */
const ROWS_PER_TASK = 10_000;

export interface LoadOptions {
  /** Posts read per IndexedDB request when every post is read (default 1,000). */
  chunk?: number;
  /** Keep the columns in the archive's cache once settled, and read them from there (default true). */
  cache?: boolean;
}

interface Order {
  /** Rows with a value, ascending (ties by posting time), then rows without, oldest first. */
  rows: Uint32Array;
  /** How many rows have a value. */
  known: number;
}

/**
 * The archive in memory. Build with `load`; it follows the archive's ingests until `dispose`.
 * Row numbers are stable for the index's life: a post's row keeps its number when it changes.
 */
export class AnalyticsIndex {
  private n = 0;
  private capacity = 0;
  private ids: string[] = [];
  private readonly rowOfId = new Map<string, number>();
  private createdAt = new Float64Array(0);
  private rate = new Float64Array(0);
  private readonly counts: Record<MetricName, Float64Array> = Object.fromEntries(
    METRIC_NAMES.map((m) => [m, new Float64Array(0)]),
  ) as Record<MetricName, Float64Array>;
  private network = new Uint8Array(0);
  private profile = new Uint32Array(0);
  private flags = new Uint8Array(0);
  private tags: Array<readonly number[]> = [];
  private readonly profileIds: string[] = [];
  private readonly profileHandles: string[] = [];
  private readonly profileNetworks: NetworkId[] = [];
  private readonly profileIndex = new Map<string, number>();
  private readonly tagNames: string[] = [];
  private readonly tagIndex = new Map<string, number>();
  /** Follower counts per profile index, sorted by day. */
  private readonly followers = new Map<number, FollowerCount[]>();
  private orders = new Map<SortKey, Order>();
  private dateRank: Uint32Array | null = null;
  private dateOrder: Order | null = null;
  private readonly listeners = new Set<() => void>();
  private unsubscribe: (() => void) | null = null;
  /** Bumped by every change: a query's answer is current while this has not moved. */
  version = 0;
  /** The archive version each row was read or heard at (a change heard late does not undo a later one). */
  private rowVersion = new Float64Array(0);
  /** Every archive write up to this version is in the index (`ArchiveChange.version`). */
  private through = 0;
  /** Versions heard past `through` (a write heard before an earlier one). */
  private readonly heardAhead = new Set<number>();
  private archive: AnalyticsArchive | null = null;
  private keepTimer: ReturnType<typeof setTimeout> | null = null;
  /** The version of the columns last kept in the cache. */
  private kept = -1;

  /**
   * Reads the whole archive and follows its ingests from then on (changes during the load are
   * applied after it). When the archive's cache holds the index as of the archive's current
   * version (`IndexSnapshot`), that one row is read; otherwise every post (`chunk` at a time, see
   * `AnalyticsArchive.scanPosts`), and the columns are kept in the cache for the next load. With
   * `cache: false`, neither. @throws what the archive's reads throw (Dexie errors).
   */
  static async load(archive: AnalyticsArchive, options: LoadOptions = {}): Promise<AnalyticsIndex> {
    const index = new AnalyticsIndex();
    const useCache = options.cache ?? true;
    const pending: ArchiveChange[] = [];
    let loading = true;
    index.unsubscribe = archive.subscribe((change) => (loading ? pending.push(change) : index.apply(change)));
    let scanned = true;
    try {
      // Every write after `version` is heard (the listener is in place): the index is complete
      // through `version` once what was read is in.
      const { version, cached } = useCache
        ? await archive.indexCache()
        : { version: await archive.version(), cached: undefined };
      if (cached?.version === version && (await index.restore(cached.data, version))) scanned = false;
      else {
        index.addFollowers(await archive.followerCounts());
        await archive.scanPosts((rows) => index.putRows(rows, version), options.chunk);
      }
      index.through = version;
    } catch (err) {
      index.dispose();
      throw err;
    }
    loading = false;
    if (useCache) index.archive = archive;
    // In the order they were written: a row heard twice ends as the later write made it.
    pending.sort((a, b) => (a.version ?? 0) - (b.version ?? 0));
    for (const change of pending) index.apply(change);
    index.changed();
    if (useCache && scanned) index.keepSoon();
    return index;
  }

  /** An empty index (tests, or an archive built by hand with `apply`). */
  static empty(): AnalyticsIndex {
    return new AnalyticsIndex();
  }

  /** Stops following the archive (and keeping the columns in its cache). */
  dispose(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.listeners.clear();
    if (this.keepTimer !== null) clearTimeout(this.keepTimer);
    this.keepTimer = null;
    this.archive = null;
  }

  /**
   * Keeps the columns in the archive's cache now, as of the last version through which every
   * write is in the index (loaded with `cache`; otherwise nothing). Answers whether they were kept:
   * not when nothing changed since the last time, nor when the archive has moved past that
   * version meanwhile (a write not heard yet: the next change keeps them again).
   */
  async keep(): Promise<boolean> {
    if (this.keepTimer !== null) clearTimeout(this.keepTimer);
    this.keepTimer = null;
    const archive = this.archive;
    if (!archive || this.kept === this.through) return false;
    const version = this.through;
    const kept = await archive.keepIndexCache(version, this.snapshot());
    if (kept) this.kept = version;
    return kept;
  }

  /** Calls `listener` after each change applied (re-run the visible query); answers the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How many posts. */
  get size(): number {
    return this.n;
  }

  /**
   * Takes in what an ingest wrote (the archive calls this through `subscribe`). A row already
   * held at a later archive version stays as it is (a write heard out of order).
   */
  apply(change: ArchiveChange): void {
    if (change.followers.length) {
      const touched = this.addFollowers(change.followers);
      for (let r = 0; r < this.n; r++) if (touched.has(this.profile[r]!)) this.rate[r] = this.rateOf(r);
    }
    if (change.posts.length) this.putRows(change.posts, change.version ?? Infinity);
    if (change.version !== undefined && change.version > this.through) {
      this.heardAhead.add(change.version);
      while (this.heardAhead.delete(this.through + 1)) this.through++;
    }
    this.changed();
    if (change.version !== undefined) this.keepSoon();
  }

  // ---- queries --------------------------------------------------------------------------------

  /**
   * The rows (row numbers, for `row` and `idAt`) that pass `filter`, in `sort` order: what a
   * virtualized posts table renders. An unknown profile or hashtag matches nothing.
   */
  query(filter: AnalyticsFilter = {}, sort: AnalyticsSort = { key: 'createdAt', dir: 'desc' }): Uint32Array {
    const test = this.compile(filter);
    const out = new Uint32Array(this.n);
    if (!test) return out.subarray(0, 0);
    const { rows, known } = this.order(sort.key);
    let m = 0;
    if (sort.dir === 'asc') {
      for (let i = 0; i < known; i++) if (test(rows[i]!)) out[m++] = rows[i]!;
    } else {
      for (let i = known - 1; i >= 0; i--) if (test(rows[i]!)) out[m++] = rows[i]!;
    }
    // Unknown values last, newest first when descending.
    if (sort.dir === 'asc') {
      for (let i = known; i < this.n; i++) if (test(rows[i]!)) out[m++] = rows[i]!;
    } else {
      for (let i = this.n - 1; i >= known; i--) if (test(rows[i]!)) out[m++] = rows[i]!;
    }
    return out.subarray(0, m);
  }

  /** How many posts pass `filter`. */
  count(filter: AnalyticsFilter = {}): number {
    const test = this.compile(filter);
    if (!test) return 0;
    let m = 0;
    for (let r = 0; r < this.n; r++) if (test(r)) m++;
    return m;
  }

  /** The `limit` best posts by `key` (highest first) among those passing `filter`. */
  top(filter: AnalyticsFilter = {}, key: SortKey = 'rate', limit = 10): Uint32Array {
    return this.query(filter, { key, dir: 'desc' }).slice(0, limit);
  }

  /** The post id of a row. @throws RangeError for a row the index does not hold. */
  idAt(row: number): string {
    const id = this.ids[row];
    if (id === undefined || row >= this.n) throw new RangeError(`No analytics row ${row}`);
    return id;
  }

  /** A post's row number, or undefined. */
  rowOf(id: string): number | undefined {
    return this.rowOfId.get(id);
  }

  /** A row as the table shows it. @throws RangeError for a row the index does not hold. */
  row(row: number): AnalyticsRow {
    const id = this.idAt(row);
    const latest = this.latestAt(row);
    const network = NETWORKS[this.network[row]!]!;
    const p = this.profile[row]!;
    const followers = network === 'x' ? null : followersAt(this.followers.get(p) ?? [], this.createdAt[row]!);
    const f = this.flags[row]!;
    return {
      row,
      id,
      network,
      profileId: this.profileIds[p]!,
      handle: this.profileHandles[p]!,
      createdAt: this.createdAt[row]!,
      hasMedia: (f & MEDIA) !== 0,
      isReply: (f & REPLY) !== 0,
      isQuote: (f & QUOTE) !== 0,
      gone: (f & GONE) !== 0,
      tags: this.tags[row]!.map((t) => this.tagNames[t]!),
      latest,
      engagement: engagementRate(network, latest, followers),
      followers,
    };
  }

  /** The profiles the archive holds posts of: id, latest handle, network, and how many posts. */
  profiles(): Array<{ profileId: string; handle: string; network: NetworkId; posts: number }> {
    const posts = new Uint32Array(this.profileIds.length);
    for (let r = 0; r < this.n; r++) posts[this.profile[r]!]!++;
    return this.profileIds
      .map((profileId, i) => ({
        profileId,
        handle: this.profileHandles[i]!,
        network: this.profileNetworks[i]!,
        posts: posts[i]!,
      }))
      .filter((p) => p.posts > 0);
  }

  /** The hashtags of the posts passing `filter`, most used first (ties by name), with their use count. */
  hashtags(filter: AnalyticsFilter = {}, limit = 50): Array<{ tag: string; posts: number }> {
    const test = this.compile(filter);
    if (!test) return [];
    const uses = new Uint32Array(this.tagNames.length);
    for (let r = 0; r < this.n; r++) if (test(r)) for (const t of this.tags[r]!) uses[t]!++;
    return this.tagNames
      .map((tag, i) => ({ tag, posts: uses[i]! }))
      .filter((t) => t.posts > 0)
      .sort((a, b) => b.posts - a.posts || (a.tag < b.tag ? -1 : 1))
      .slice(0, limit);
  }

  /**
   * Posts per week or month in `options.zone`, for the posts passing `filter`: count, mean
   * engagement rate, mean likes and reposts per post. Every period from the first to the last
   * (from `filter.from` and to `filter.to` when given) is listed, empty ones too, oldest first.
   *
   * @throws RangeError for a zone that is not an IANA zone (or UTC offset) the runtime knows.
   */
  periods(filter: AnalyticsFilter, options: PeriodOptions): PeriodStats[] {
    const rows = this.query(filter, { key: 'createdAt', dir: 'asc' });
    const first = filter.from ?? (rows.length ? this.createdAt[rows[0]!]! : undefined);
    const last =
      filter.to !== undefined ? filter.to - 1 : rows.length ? this.createdAt[rows[rows.length - 1]!]! : undefined;
    if (first === undefined || last === undefined || last < first) return [];
    const offsetOf = zoneOffsets(options.zone, first, last);
    const weekStartsOn = options.weekStartsOn ?? 1;
    const keyOf = (ms: number): number => {
      const localDay = Math.floor((ms + offsetOf(ms) * 60_000) / DAY_MS);
      if (options.period === 'week') return localDay - mod(mod(localDay + 4, 7) - weekStartsOn, 7);
      const d = new Date(localDay * DAY_MS);
      return d.getUTCFullYear() * 12 + d.getUTCMonth();
    };
    const firstKey = keyOf(first);
    const lastKey = keyOf(last);
    const step = options.period === 'week' ? 7 : 1;
    const buckets = Array.from({ length: Math.floor((lastKey - firstKey) / step) + 1 }, () => ({
      posts: 0,
      rated: 0,
      rateSum: 0,
      formulas: 0,
      impressionsRated: 0,
      impressionsSum: 0,
      likes: 0,
      likesKnown: 0,
      reposts: 0,
      repostsKnown: 0,
    }));
    const likes = this.counts.likes;
    const reposts = this.counts.reposts;
    const xIndex = NETWORK_INDEX.get('x');
    for (const r of rows) {
      const b = buckets[Math.floor((keyOf(this.createdAt[r]!) - firstKey) / step)]!;
      b.posts++;
      const rate = this.rate[r]!;
      if (rate === rate) {
        b.rated++;
        b.rateSum += rate;
        if (this.network[r] === xIndex) {
          b.formulas |= 1;
          b.impressionsRated++;
          b.impressionsSum += rate;
        } else b.formulas |= 2;
      }
      if (likes[r] === likes[r]) {
        b.likes += likes[r]!;
        b.likesKnown++;
      }
      if (reposts[r] === reposts[r]) {
        b.reposts += reposts[r]!;
        b.repostsKnown++;
      }
    }
    return buckets.map((b, i) => {
      const key = firstKey + i * step;
      let start: number;
      let label: string;
      if (options.period === 'week') {
        const d = new Date(key * DAY_MS);
        start = new TZDate(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), options.zone).getTime();
        label = d.toISOString().slice(0, 10);
      } else {
        const year = Math.floor(key / 12);
        const month = key % 12;
        start = new TZDate(year, month, 1, options.zone).getTime();
        label = `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}`;
      }
      const formulas: EngagementFormula[] = [];
      if (b.formulas & 1) formulas.push('impressions');
      if (b.formulas & 2) formulas.push('followers');
      return {
        start,
        label,
        posts: b.posts,
        rated: b.rated,
        averageRate: b.rated ? b.rateSum / b.rated : null,
        formulas,
        byFormula: byFormulaOf(b.impressionsRated, b.impressionsSum, b.rated, b.rateSum),
        likesPerPost: b.likesKnown ? b.likes / b.likesKnown : null,
        likesKnown: b.likesKnown,
        repostsPerPost: b.repostsKnown ? b.reposts / b.repostsKnown : null,
        repostsKnown: b.repostsKnown,
      };
    });
  }

  /**
   * When the CM's posts do best: for each weekday and hour of posting in `zone` (168 cells, Monday
   * 0:00 first), how many posts passing `filter` were made then and their mean engagement rate.
   *
   * @throws RangeError for a zone the runtime does not know.
   */
  bestTimes(filter: AnalyticsFilter, zone: string): TimeCell[] {
    const cells = Array.from({ length: 7 * 24 }, (_, i) => ({
      weekday: Math.floor(i / 24) + 1,
      hour: i % 24,
      posts: 0,
      rated: 0,
      sum: 0,
    }));
    const rows = this.query(filter, { key: 'createdAt', dir: 'asc' });
    if (rows.length === 0) {
      zoneOffsets(zone, 0, 0);
      return cells.map(({ sum: _, ...c }) => ({ ...c, averageRate: null }));
    }
    const offsetOf = zoneOffsets(zone, this.createdAt[rows[0]!]!, this.createdAt[rows[rows.length - 1]!]!);
    for (const r of rows) {
      const ms = this.createdAt[r]!;
      const local = ms + offsetOf(ms) * 60_000;
      const day = Math.floor(local / DAY_MS);
      const isoWeekday = mod(day + 3, 7); // 1970-01-01 was a Thursday: ISO weekday 4, index 3.
      const hour = Math.floor(mod(local, DAY_MS) / 3_600_000);
      const c = cells[isoWeekday * 24 + hour]!;
      c.posts++;
      const rate = this.rate[r]!;
      if (rate === rate) {
        c.rated++;
        c.sum += rate;
      }
    }
    return cells.map(({ sum, ...c }) => ({ ...c, averageRate: c.rated ? sum / c.rated : null }));
  }

  // ---- internals ------------------------------------------------------------------------------

  /** Keeps the columns KEEP_AFTER_MS after the last change (loaded with `cache`). */
  private keepSoon(): void {
    if (!this.archive) return;
    if (this.keepTimer !== null) clearTimeout(this.keepTimer);
    this.keepTimer = setTimeout(() => {
      this.keepTimer = null;
      // A cache not kept is only a slower next load.
      this.keep().catch((err: unknown) => console.warn('The analytics index could not be kept', err));
    }, KEEP_AFTER_MS);
  }

  /** The columns as kept (copies of rows 0…n−1). */
  private snapshot(): IndexSnapshot {
    const n = this.n;
    const tagStarts = new Uint32Array(n + 1);
    let total = 0;
    for (let r = 0; r < n; r++) {
      tagStarts[r] = total;
      total += this.tags[r]!.length;
    }
    tagStarts[n] = total;
    const tagList = new Uint32Array(total);
    for (let r = 0; r < n; r++) tagList.set(this.tags[r]!, tagStarts[r]!);
    return {
      format: SNAPSHOT_FORMAT,
      n,
      ids: this.ids.slice(0, n),
      createdAt: this.createdAt.slice(0, n),
      counts: Object.fromEntries(METRIC_NAMES.map((m) => [m, this.counts[m].slice(0, n)])) as IndexSnapshot['counts'],
      network: this.network.slice(0, n),
      profile: this.profile.slice(0, n),
      flags: this.flags.slice(0, n),
      tagStarts,
      tagList,
      profileIds: [...this.profileIds],
      profileHandles: [...this.profileHandles],
      profileNetworks: [...this.profileNetworks],
      tagNames: [...this.tagNames],
      followers: [...this.followers],
    };
  }

  /**
   * Fills an empty index from a snapshot kept as of archive version `version`; answers false (the
   * index still empty) for one of another format or damaged. Rows are made ready ROWS_PER_TASK
   * at a time, yielding between (the window stays responsive).
   */
  private async restore(data: unknown, version: number): Promise<boolean> {
    const snap = data as Partial<IndexSnapshot> | undefined;
    const n = snap?.n;
    const typed = (a: unknown, kind: typeof Float64Array | typeof Uint32Array | typeof Uint8Array, length: number) =>
      a instanceof kind && a.length === length;
    if (
      !snap ||
      snap.format !== SNAPSHOT_FORMAT ||
      typeof n !== 'number' ||
      !Array.isArray(snap.ids) ||
      snap.ids.length !== n ||
      !typed(snap.createdAt, Float64Array, n) ||
      !METRIC_NAMES.every((m) => typed(snap.counts?.[m], Float64Array, n)) ||
      !typed(snap.network, Uint8Array, n) ||
      !typed(snap.profile, Uint32Array, n) ||
      !typed(snap.flags, Uint8Array, n) ||
      !typed(snap.tagStarts, Uint32Array, n + 1) ||
      !(snap.tagList instanceof Uint32Array) ||
      ![snap.profileIds, snap.profileHandles, snap.profileNetworks, snap.tagNames, snap.followers].every(Array.isArray)
    ) {
      return false;
    }
    this.n = n;
    this.capacity = n;
    this.ids = snap.ids;
    this.createdAt = snap.createdAt!;
    for (const m of METRIC_NAMES) this.counts[m] = snap.counts![m];
    this.network = snap.network!;
    this.profile = snap.profile!;
    this.flags = snap.flags!;
    this.rate = new Float64Array(n);
    this.rowVersion = new Float64Array(n).fill(version);
    const { tagStarts, tagList } = snap as IndexSnapshot;
    this.tags = new Array<readonly number[]>(n);
    this.profileIds.push(...snap.profileIds!);
    this.profileHandles.push(...snap.profileHandles!);
    this.profileNetworks.push(...snap.profileNetworks!);
    this.profileIds.forEach((id, i) => this.profileIndex.set(id, i));
    this.tagNames.push(...snap.tagNames!);
    this.tagNames.forEach((tag, i) => this.tagIndex.set(tag, i));
    for (const [p, list] of snap.followers!) this.followers.set(p, list);
    for (let from = 0; from < n; from += ROWS_PER_TASK) {
      if (from > 0) await new Promise((resolve) => setTimeout(resolve, 0));
      const to = Math.min(n, from + ROWS_PER_TASK);
      for (let r = from; r < to; r++) {
        this.rowOfId.set(this.ids[r]!, r);
        const first = tagStarts[r]!;
        const end = tagStarts[r + 1]!;
        this.tags[r] = end > first ? Array.from(tagList.subarray(first, end)) : NO_TAGS;
        this.rate[r] = this.rateOf(r);
      }
    }
    return true;
  }

  private changed(): void {
    this.orders = new Map();
    // Posting times never change: the date order stands until rows are added.
    if (this.dateOrder && this.dateOrder.rows.length !== this.n) {
      this.dateOrder = null;
      this.dateRank = null;
    }
    this.version++;
    for (const listener of [...this.listeners]) listener();
  }

  private grow(min: number): void {
    if (min <= this.capacity) return;
    const capacity = Math.max(min, this.capacity * 2, 1024);
    const grown = <T extends Float64Array | Uint32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.createdAt = grown(this.createdAt, (k) => new Float64Array(k));
    this.rate = grown(this.rate, (k) => new Float64Array(k));
    for (const m of METRIC_NAMES) this.counts[m] = grown(this.counts[m], (k) => new Float64Array(k));
    this.network = grown(this.network, (k) => new Uint8Array(k));
    this.profile = grown(this.profile, (k) => new Uint32Array(k));
    this.flags = grown(this.flags, (k) => new Uint8Array(k));
    this.rowVersion = grown(this.rowVersion, (k) => new Float64Array(k));
    this.capacity = capacity;
  }

  private profileOf(post: ChangedPost): number {
    let p = this.profileIndex.get(post.profileId);
    if (p === undefined) {
      p = this.profileIds.length;
      this.profileIndex.set(post.profileId, p);
      this.profileIds.push(post.profileId);
      this.profileHandles.push(post.handle);
      this.profileNetworks.push(post.network);
    } else if (post.handle !== '') this.profileHandles[p] = post.handle;
    return p;
  }

  private tagOf(tag: string): number {
    let t = this.tagIndex.get(tag);
    if (t === undefined) {
      t = this.tagNames.length;
      this.tagIndex.set(tag, t);
      this.tagNames.push(tag);
    }
    return t;
  }

  /** Adds or replaces rows (by post id) as of archive version `version`; a row held at a later one stays. */
  private putRows(posts: readonly ChangedPost[], version: number): void {
    this.grow(this.n + posts.length);
    for (const post of posts) {
      let r = this.rowOfId.get(post.id);
      if (r === undefined) {
        r = this.n++;
        this.rowOfId.set(post.id, r);
        this.ids[r] = post.id;
      } else if (this.rowVersion[r]! > version) continue;
      this.rowVersion[r] = version;
      this.createdAt[r] = post.createdAt;
      this.network[r] = NETWORK_INDEX.get(post.network) ?? 0;
      this.profile[r] = this.profileOf(post);
      this.flags[r] =
        (post.hasMedia ? MEDIA : 0) |
        (post.isReply ? REPLY : 0) |
        (post.isQuote ? QUOTE : 0) |
        (post.goneAt != null ? GONE : 0);
      this.tags[r] = post.tags.length ? post.tags.map((t) => this.tagOf(t)) : NO_TAGS;
      for (const m of METRIC_NAMES) this.counts[m][r] = post.latest?.[m] ?? NaN;
      this.rate[r] = this.rateOf(r);
    }
  }

  /** Adds follower counts (a profile and day already held is ignored); answers the profiles touched. */
  private addFollowers(counts: readonly FollowerCount[]): Set<number> {
    const touched = new Set<number>();
    for (const c of counts) {
      let p = this.profileIndex.get(c.profileId);
      if (p === undefined) {
        // A profile known by its followers before any post: its row in the table comes with one.
        p = this.profileIds.length;
        this.profileIndex.set(c.profileId, p);
        this.profileIds.push(c.profileId);
        this.profileHandles.push('');
        this.profileNetworks.push(networkOfProfile(c.profileId));
      }
      const list = this.followers.get(p) ?? [];
      if (!this.followers.has(p)) this.followers.set(p, list);
      // Sorted insert (counts usually come in day order: usually an append).
      let i = list.length;
      while (i > 0 && list[i - 1]!.day > c.day) i--;
      if (i > 0 && list[i - 1]!.day === c.day) continue;
      list.splice(i, 0, c);
      touched.add(p);
    }
    return touched;
  }

  private latestAt(r: number): MetricValues {
    const values = {} as MetricValues;
    for (const m of METRIC_NAMES) {
      const v = this.counts[m][r]!;
      values[m] = v === v ? v : null;
    }
    return values;
  }

  private rateOf(r: number): number {
    const network = NETWORKS[this.network[r]!]!;
    const followers =
      network === 'x' ? null : followersAt(this.followers.get(this.profile[r]!) ?? [], this.createdAt[r]!);
    return engagementRate(network, this.latestAt(r), followers).rate ?? NaN;
  }

  /** The row test for a filter, or null when nothing can match (an unknown profile or hashtag). */
  private compile(filter: AnalyticsFilter): ((r: number) => boolean) | null {
    const conditions: Array<(r: number) => boolean> = [];
    const range = (column: Float64Array, { min, max }: Range) => {
      if (min !== undefined && max !== undefined) conditions.push((r) => column[r]! >= min && column[r]! <= max);
      else if (min !== undefined) conditions.push((r) => column[r]! >= min);
      else if (max !== undefined) conditions.push((r) => column[r]! <= max);
    };
    if (filter.from !== undefined || filter.to !== undefined) {
      const from = filter.from ?? -Infinity;
      const to = filter.to ?? Infinity;
      const createdAt = this.createdAt;
      conditions.push((r) => createdAt[r]! >= from && createdAt[r]! < to);
    }
    if (filter.rate) range(this.rate, filter.rate);
    for (const [name, bounds] of Object.entries(filter.counts ?? {}) as Array<[MetricName, Range | undefined]>) {
      if (bounds) range(this.counts[name], bounds);
    }
    if (filter.networks?.length) {
      const allowed = new Uint8Array(NETWORKS.length);
      for (const n of filter.networks) allowed[NETWORK_INDEX.get(n)!] = 1;
      const network = this.network;
      conditions.push((r) => allowed[network[r]!] === 1);
    }
    if (filter.profiles?.length) {
      const allowed = new Uint8Array(this.profileIds.length);
      let any = false;
      for (const id of filter.profiles) {
        const p = this.profileIndex.get(id);
        if (p === undefined) continue;
        allowed[p] = 1;
        any = true;
      }
      if (!any) return null;
      const profile = this.profile;
      conditions.push((r) => allowed[profile[r]!] === 1);
    }
    if (filter.hashtag !== undefined && normalizeTag(filter.hashtag) !== '') {
      const t = this.tagIndex.get(normalizeTag(filter.hashtag));
      if (t === undefined) return null;
      const tags = this.tags;
      conditions.push((r) => tags[r]!.includes(t));
    }
    if (filter.hasMedia !== undefined || filter.isReply !== undefined) {
      const mask = (filter.hasMedia !== undefined ? MEDIA : 0) | (filter.isReply !== undefined ? REPLY : 0);
      const want = (filter.hasMedia ? MEDIA : 0) | (filter.isReply ? REPLY : 0);
      const flags = this.flags;
      conditions.push((r) => (flags[r]! & mask) === want);
    }
    switch (conditions.length) {
      case 0:
        return () => true;
      case 1:
        return conditions[0]!;
      case 2: {
        const [a, b] = conditions as [(r: number) => boolean, (r: number) => boolean];
        return (r) => a(r) && b(r);
      }
      default:
        return (r) => {
          for (const c of conditions) if (!c(r)) return false;
          return true;
        };
    }
  }

  /** The rows sorted by `key` (cached until the next change; the date order until rows are added). */
  private order(key: SortKey): Order {
    const cached = key === 'createdAt' ? this.dateOrder : this.orders.get(key);
    if (cached) return cached;
    if (key === 'createdAt') {
      this.dateOrder = sortedRows(this.createdAt, this.n, secondsKey, null, null);
      this.dateRank = new Uint32Array(this.n);
      for (let i = 0; i < this.n; i++) this.dateRank[this.dateOrder.rows[i]!] = i;
      return this.dateOrder;
    }
    const dateOrder = this.order('createdAt');
    const order =
      key === 'rate'
        ? sortedRows(this.rate, this.n, rateKey, this.dateRank, dateOrder.rows)
        : sortedRows(this.counts[key], this.n, countKey, this.dateRank, dateOrder.rows);
    this.orders.set(key, order);
    return order;
  }
}

/** Most rows `sortedRows` sorts in one native sort (a row's tie must fit beside a 32-bit key in a float64's 53 bits). */
const MAX_PACKED_ROWS = 2 ** 21;
const F32 = new Float32Array(1);
const F32_BITS = new Uint32Array(F32.buffer);
/** A posting time's sort key: whole seconds since the epoch (until 2106). */
const secondsKey = (ms: number): number => Math.min(Math.max(Math.floor(ms / 1000), 0), 0xffffffff);
/** A rate's sort key: its float32 bits, which order as the numbers do for rates (never negative). */
const rateKey = (rate: number): number => {
  F32[0] = rate;
  return F32_BITS[0]!;
};
/** A count's sort key: the count itself (counts over 4.29 billion tie). */
const countKey = (count: number): number => Math.min(count, 0xffffffff);

/**
 * Rows 0…n−1 ordered by `values` ascending (NaN rows after the others, as unknown), ties by
 * `tieRank` (a rank per row; `rowOfTie` its inverse) or, without, by row number. Each row's 32-bit
 * `keyOf(value)` (ordered as the values, possibly coarser) and its tie are packed into one float64
 * (key × 2^21 + tie, exact below 2^53), so the engine's native numeric sort does the work, about
 * twice as fast as a comparator sort of row numbers (40 ms for 100,000 rows); rows sharing a key
 * are then put in exact order. Past 2^21 rows, a comparator sort.
 */
function sortedRows(
  values: Float64Array,
  n: number,
  keyOf: (value: number) => number,
  tieRank: Uint32Array | null,
  rowOfTie: Uint32Array | null,
): Order {
  const tieOf = (r: number): number => (tieRank ? tieRank[r]! : r);
  const rowAt = (tie: number): number => (rowOfTie ? rowOfTie[tie]! : tie);
  const rows = new Uint32Array(n);
  const unknown: number[] = [];
  let k = 0;
  if (n <= MAX_PACKED_ROWS) {
    const packed = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const v = values[r]!;
      if (v === v) packed[k++] = keyOf(v) * MAX_PACKED_ROWS + tieOf(r);
      else unknown.push(tieOf(r));
    }
    const sorted = packed.subarray(0, k).sort();
    for (let i = 0; i < k; i++) rows[i] = rowAt(sorted[i]! % MAX_PACKED_ROWS);
    // Keys are exact for counts under 4.29 billion, but a rate's float32 and a time's second are
    // not: rows sharing a key are put in their exact order (such runs are short).
    for (let i = 0; i < k;) {
      const key = Math.floor(sorted[i]! / MAX_PACKED_ROWS);
      const first = values[rows[i]!]!;
      let mixed = false;
      let j = i + 1;
      for (; j < k && Math.floor(sorted[j]! / MAX_PACKED_ROWS) === key; j++) mixed ||= values[rows[j]!] !== first;
      if (mixed) rows.subarray(i, j).sort((a, b) => values[a]! - values[b]! || tieOf(a) - tieOf(b));
      i = j;
    }
  } else {
    const known: number[] = [];
    for (let r = 0; r < n; r++) (values[r] === values[r] ? known : unknown).push(r);
    known.sort((a, b) => keyOf(values[a]!) - keyOf(values[b]!) || tieOf(a) - tieOf(b));
    for (const r of known) rows[k++] = r;
    for (let i = 0; i < unknown.length; i++) unknown[i] = tieOf(unknown[i]!);
  }
  unknown.sort((a, b) => a - b);
  for (let i = 0; i < unknown.length; i++) rows[k + i] = rowAt(unknown[i]!);
  return { rows, known: k };
}

const mod = (a: number, b: number): number => ((a % b) + b) % b;

/** The network of a `Profile.id` (`${network}:${nativeId}`); Sandbox when unrecognized. */
function networkOfProfile(profileId: string): NetworkId {
  const prefix = profileId.slice(0, profileId.indexOf(':'));
  return NetworkIdSchema.safeParse(prefix).data ?? 'sandbox';
}

/**
 * A function giving `zone`'s UTC offset (minutes, positive east) at an instant, for instants from
 * `from` to `to` (ms): the offset at `from` and every change up to `to` (tzScan, which finds a
 * change to the hour), looked up by binary search.
 */
function zoneOffsets(zone: string, from: number, to: number): (ms: number) => number {
  const initial = tzOffset(zone, new Date(from));
  if (Number.isNaN(initial)) throw new RangeError(`Unknown time zone: ${zone}`);
  const changes = to > from ? tzScan(zone, { start: new Date(from), end: new Date(to) }) : [];
  if (changes.length === 0) return () => initial;
  const at = changes.map((c) => c.date.getTime());
  const offsets = changes.map((c) => c.offset);
  return (ms) => {
    let lo = 0;
    let hi = at.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (at[mid]! <= ms) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? initial : offsets[lo - 1]!;
  };
}
