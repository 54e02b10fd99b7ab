// The analytics archive in Dexie (issue 9): the CM's own posts, every observation of their counts
// and each profile's follower counts by day, kept forever. Owner: the renderer. Writers: main's
// deliveries (collector, backfill: `AnalyticsDelivery`) through the page's `AnalyticsArchive.ingest`,
// and the archive importers through `write` on the import worker's own connection to the same
// database (import/import-service.ts), which posts what it committed to the page's `announce`;
// the query engine (./query.ts) mirrors it in memory and follows `subscribe`, which hears both.
// Nothing is overwritten: a series only gains points.
//
// Tables (database.ts, v6–v7): `ownPosts` (a post, its latest counts and its whole series, packed by
// ./series-codec.ts: one row per post, so an ingest writes one row per post it touches),
// `pendingSeries` (observations of posts not known yet: they join their post's row when it comes),
// `followerCounts`, `analyticsViews`; v7: `analyticsCache` (the archive's version, which every
// write that changes rows bumps in its transaction, and the query index's columns as of a version,
// see query.ts). IndexedDB in Chromium costs about as much per request as per kilobyte, so the
// layout keeps requests few: one row per post, and the posts an ingest finds new are told apart
// with one key-range read instead of a read per post.
import { z } from 'zod';
import {
  FollowerCountSchema,
  MetricSnapshotSchema,
  OwnPostSchema,
  PostGoneSchema,
  type FollowerCount,
  type MetricSnapshot,
  type MetricValues,
  type OwnPost,
  type PostGone,
} from '../../shared/analytics';
import { ColonnadeError } from '../../shared/errors';
import type { Table } from 'dexie';
import type { ColonnadeDb } from '../db/database';
import { decodeSeries, encodeSeries, latestOf, mergePoints, type SeriesPoint } from './series-codec';

/** An own post as `ownPosts` stores it. */
export interface ArchivedPost extends OwnPost {
  /** `hashtags` as matched: each once, `normalizeTag`ged (the query engine's hashtag column). */
  tags: string[];
  /** Each count's latest known value (`latestOf`), null before any observation. */
  latest: MetricValues | null;
  /** When the latest observation was made (ms since the epoch), null before any. */
  latestAt: number | null;
  /** How many observations the post's series holds. */
  points: number;
  /** Every observation (`encodeSeries` bytes), null before any. */
  series: Uint8Array | null;
}

/** Observations of a post the archive does not hold yet (`pendingSeries`). */
export interface PendingSeries {
  postId: string;
  /** `encodeSeries` bytes. */
  data: Uint8Array;
}

/** What one `ingest` call brings: any of these, in any order of arrival. */
export interface IngestBatch {
  posts?: readonly OwnPost[];
  snapshots?: readonly MetricSnapshot[];
  followers?: readonly FollowerCount[];
  /** Posts the network says no longer exist: their rows get `goneAt` (the first time said). */
  gone?: readonly PostGone[];
}

/** What an ingest did. Ingesting the same batch again answers zeros except the duplicates. */
export interface IngestResult {
  /** Posts the archive did not hold. */
  newPosts: number;
  /** Posts it held that the batch made richer (longer text, a url, a flag, a hashtag). */
  updatedPosts: number;
  /** Posts it held with nothing new. */
  duplicatePosts: number;
  /** Observations at a time and source the post's series did not hold. */
  newPoints: number;
  /** Observations it held already (same post, second and source). */
  duplicatePoints: number;
  /** Follower counts for a profile and day the archive did not hold. */
  newFollowerCounts: number;
  /** Follower counts for a profile and day it held (the stored one stays). */
  duplicateFollowerCounts: number;
}

/** What `write` did: the counts an `ingest` answers, and the rows its listeners would hear. */
export interface WriteOutcome {
  result: IngestResult;
  change: ArchiveChange;
}

/**
 * A post row written, as listeners hear of it: the row without its text, url, hashtags as spelled
 * and series (what the analytics index keeps; read the rest with `posts` or `series`). Leaving
 * them out keeps an import's messages from its worker to the page small.
 */
export type ChangedPost = Omit<ArchivedPost, 'text' | 'url' | 'hashtags' | 'series'>;

/** What an ingest wrote, as listeners receive it after the commit. */
export interface ArchiveChange {
  /** Post rows written (new, richer, or with new counts). */
  posts: ChangedPost[];
  /** Follower counts added. */
  followers: FollowerCount[];
  /**
   * The archive's version once this was committed (each write that changes rows adds one, see
   * `version`): tells which of two writes of a post is the later when they are heard out of order
   * (the import worker's, posted to the page, and the page's own). Absent in a change made by hand.
   */
  version?: number;
}

/** The listeners' view of a written row (see ChangedPost). */
export function changedPost(row: ArchivedPost): ChangedPost {
  const { text: _text, url: _url, hashtags: _hashtags, series: _series, ...rest } = row;
  return rest;
}

/**
 * A row of `analyticsCache` (database.ts v7): under VERSION_KEY the archive's version; under
 * INDEX_KEY the analytics index's columns (`data`, query.ts IndexSnapshot) as of `version`.
 */
export interface AnalyticsCacheRow {
  key: string;
  version: number;
  data?: unknown;
}

const VERSION_KEY = 'version';
const INDEX_KEY = 'index';

/** A hashtag as matched: without '#', NFC, lower case ("#Été" and "été" are one tag). */
export function normalizeTag(tag: string): string {
  return tag.replace(/^#+/, '').normalize('NFC').toLowerCase();
}

/** Each tag of `hashtags` once, normalized, in first-seen order. */
export function tagsOf(hashtags: readonly string[]): string[] {
  return [...new Set(hashtags.map(normalizeTag).filter((t) => t !== ''))];
}

/**
 * A post known twice (collected, then found in an archive, or the reverse) as one: the richest of
 * each field. Text: the longer. Url: the stored one, else the incoming. Media, reply, quote: true
 * when either says so. Hashtags: both, each once (case-insensitively, first spelling kept).
 * Handle: the incoming one (the latest delivered), unless empty. Id, network, author and time stay.
 */
export function mergePost(stored: OwnPost | undefined, incoming: OwnPost): OwnPost {
  if (!stored) return incoming;
  const hashtags = [...stored.hashtags];
  const seen = new Set(stored.hashtags.map(normalizeTag));
  for (const h of incoming.hashtags) {
    const key = normalizeTag(h);
    if (!seen.has(key)) {
      seen.add(key);
      hashtags.push(h);
    }
  }
  return {
    id: stored.id,
    network: stored.network,
    profileId: stored.profileId,
    handle: incoming.handle !== '' ? incoming.handle : stored.handle,
    createdAt: stored.createdAt,
    text: incoming.text.length > stored.text.length ? incoming.text : stored.text,
    hashtags,
    hasMedia: stored.hasMedia || incoming.hasMedia,
    isReply: stored.isReply || incoming.isReply,
    isQuote: stored.isQuote || incoming.isQuote,
    url: stored.url ?? incoming.url,
    goneAt: earliest(stored.goneAt, incoming.goneAt),
  };
}

/** The earlier of two optional times (a post is gone from the first time the network said so). */
function earliest(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a == null) return b ?? null;
  if (b == null) return a;
  return Math.min(a, b);
}

function samePost(a: OwnPost, b: OwnPost): boolean {
  return (
    a.handle === b.handle &&
    a.text === b.text &&
    a.hasMedia === b.hasMedia &&
    a.isReply === b.isReply &&
    a.isQuote === b.isQuote &&
    a.url === b.url &&
    (a.goneAt ?? null) === (b.goneAt ?? null) &&
    a.hashtags.length === b.hashtags.length &&
    a.hashtags.every((h, i) => h === b.hashtags[i])
  );
}

/** The OwnPost fields of a stored row (without the archive's own). */
function ownPostOf(row: ArchivedPost): OwnPost {
  return {
    id: row.id,
    network: row.network,
    profileId: row.profileId,
    handle: row.handle,
    createdAt: row.createdAt,
    text: row.text,
    hashtags: row.hashtags,
    hasMedia: row.hasMedia,
    isReply: row.isReply,
    isQuote: row.isQuote,
    url: row.url,
    goneAt: row.goneAt ?? null,
  };
}

const BatchSchema = z.object({
  posts: z.array(OwnPostSchema).default([]),
  snapshots: z.array(MetricSnapshotSchema).default([]),
  followers: z.array(FollowerCountSchema).default([]),
  gone: z.array(PostGoneSchema).default([]),
});

/** The batch as validated; a refused one is a `bad-request` naming the first bad field. */
function checked(batch: IngestBatch): z.infer<typeof BatchSchema> {
  const parsed = BatchSchema.safeParse(batch);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') ?? '';
  throw new ColonnadeError('bad-request', `Analytics refused: ${field} ${issue?.message ?? ''}`.trim(), {
    field,
    reason: 'analytics-invalid',
    params: { field },
  });
}

const EMPTY_RESULT: IngestResult = {
  newPosts: 0,
  updatedPosts: 0,
  duplicatePosts: 0,
  newPoints: 0,
  duplicatePoints: 0,
  newFollowerCounts: 0,
  duplicateFollowerCounts: 0,
};

/** A range read stops after this many keys per id asked (then the ids are split in two). */
const RANGE_KEYS_PER_ID = 4;
/** Ids read one by one rather than by range when this few. */
const FEW_IDS = 8;

/**
 * The rows of `table` (keyed by a string) among `sortedIds`. A read per id costs about as much in
 * Chromium as a write, and a batch is often mostly new posts, so the stored keys between the
 * batch's first and last id are read at once (a batch from an archive is a stretch of time: its
 * ids are close); when that range holds many other rows (a batch across networks), the ids are
 * split in two and each half tried the same way, down to a few ids, read one by one. Then rows
 * are read for the ids found only.
 */
async function readExisting<T, I>(table: Table<T, string, I>, sortedIds: readonly string[]): Promise<Map<string, T>> {
  const candidates: string[] = [];
  const narrow = async (ids: readonly string[]): Promise<void> => {
    if (ids.length <= FEW_IDS) {
      candidates.push(...ids);
      return;
    }
    const limit = ids.length * RANGE_KEYS_PER_ID + 16;
    const keys = (await table
      .where(':id')
      .between(ids[0]!, ids[ids.length - 1]!, true, true)
      .limit(limit)
      .primaryKeys()) as string[];
    if (keys.length < limit) {
      const asked = new Set(ids);
      for (const k of keys) if (asked.has(k)) candidates.push(k);
      return;
    }
    const half = ids.length >>> 1;
    await Promise.all([narrow(ids.slice(0, half)), narrow(ids.slice(half))]);
  };
  await narrow(sortedIds);
  const found = new Map<string, T>();
  if (candidates.length === 0) return found;
  const rows = await table.bulkGet(candidates);
  candidates.forEach((id, i) => {
    const row = rows[i];
    if (row !== undefined) found.set(id, row);
  });
  return found;
}

/** The archive's reads and its one way in. */
export class AnalyticsArchive {
  private readonly listeners = new Set<(change: ArchiveChange) => void>();

  constructor(readonly db: ColonnadeDb) {}

  /**
   * Stores what a delivery or an import brings, in one Dexie transaction (all of it, or nothing):
   * new posts, posts merged with what was known (`mergePost`), observations merged into each
   * post's series (`mergePoints`: times to the whole second; a second and source already held is a
   * duplicate), and follower counts for days not yet held. Idempotent: the same batch twice adds
   * nothing the second time. Observations may come before their post and posts before theirs.
   * Listeners (`subscribe`) hear what was written once it is committed.
   *
   * Keep batches to what `AnalyticsDeliverySchema` allows (1,000 posts, 5,000 observations) so the
   * window never waits long: the merge runs on the calling thread.
   *
   * @throws ColonnadeError `bad-request` (reason `analytics-invalid`, `field` such as
   *   `snapshots.3.values.likes`) when an item breaks the shared schemas (src/shared/analytics.ts):
   *   nothing is written; Dexie's errors (quota, closed database) as they come;
   *   DamagedSeriesError when a stored series cannot be read.
   */
  async ingest(batch: IngestBatch): Promise<IngestResult> {
    const { result, change } = await this.write(batch);
    this.announce(change);
    return result;
  }

  /**
   * Stores `batch` exactly as `ingest` does (same transaction, same merge, same errors) but tells
   * no listener: for a writer on its own connection to the database, whose page hears the change
   * another way. The archive import's worker (import/import-service.ts) writes here and posts
   * `change` to the page, whose archive `announce`s it. Answers the counts and the rows written.
   */
  async write(batch: IngestBatch): Promise<WriteOutcome> {
    const { posts, snapshots, followers, gone } = checked(batch);
    const result = { ...EMPTY_RESULT };
    const change: ArchiveChange = { posts: [], followers: [] };
    if (posts.length + snapshots.length + followers.length + gone.length === 0) return { result, change };

    const incomingPosts = new Map<string, OwnPost>();
    for (const p of posts) {
      const earlier = incomingPosts.get(p.id);
      // The same post twice in one batch: its second copy is a duplicate (whose richer fields count).
      if (earlier) result.duplicatePosts++;
      incomingPosts.set(p.id, mergePost(earlier, p));
    }
    const incomingPoints = new Map<string, SeriesPoint[]>();
    for (const s of snapshots) {
      const list = incomingPoints.get(s.postId);
      const point = { at: s.at, source: s.source, values: s.values };
      if (list) list.push(point);
      else incomingPoints.set(s.postId, [point]);
    }
    const goneAt = new Map<string, number>();
    for (const g of gone) goneAt.set(g.postId, earliest(goneAt.get(g.postId), g.at)!);
    const ids = [...new Set([...incomingPosts.keys(), ...incomingPoints.keys(), ...goneAt.keys()])].sort();
    const db = this.db;

    await db.transaction('rw', [db.ownPosts, db.pendingSeries, db.followerCounts, db.analyticsCache], async () => {
      const storedPosts = await readExisting(db.ownPosts, ids);
      const unknown = ids.filter((id) => !storedPosts.has(id));
      const pending = unknown.length ? await readExisting(db.pendingSeries, unknown) : new Map<string, PendingSeries>();
      const postRows: ArchivedPost[] = [];
      const pendingRows: PendingSeries[] = [];
      const pendingDone: string[] = [];
      for (const id of ids) {
        const stored = storedPosts.get(id);
        const incoming = incomingPosts.get(id);
        const newPoints = incomingPoints.get(id);
        const heldBytes = stored ? stored.series : (pending.get(id)?.data ?? null);
        let series: SeriesPoint[] | null = null;
        let seriesChanged = false;
        if (newPoints) {
          const merged = mergePoints(heldBytes ? decodeSeries(heldBytes) : [], newPoints);
          result.newPoints += merged.added;
          result.duplicatePoints += merged.duplicates;
          if (merged.changed) {
            series = merged.points;
            seriesChanged = true;
          }
        }
        let post = incoming ? mergePost(stored && ownPostOf(stored), incoming) : stored && ownPostOf(stored);
        // Gone, said of a post the archive does not hold: nothing to mark (its observations, if
        // any, wait as usual).
        const goneSince = goneAt.get(id);
        if (post && goneSince !== undefined) post = { ...post, goneAt: earliest(post.goneAt, goneSince) };
        if (!post) {
          // Observations of a post not known yet: kept aside until its row comes.
          if (seriesChanged) pendingRows.push({ postId: id, data: encodeSeries(series!) });
          continue;
        }
        if (incoming) {
          if (!stored) result.newPosts++;
          else if (samePost(stored, post)) result.duplicatePosts++;
          else result.updatedPosts++;
        }
        const postChanged = !stored || !samePost(stored, post);
        if (!postChanged && !seriesChanged) continue;
        // A new post whose observations came first takes them into its row.
        if (!stored && pending.has(id)) {
          pendingDone.push(id);
          if (!series) series = decodeSeries(pending.get(id)!.data);
        }
        const latest = series ? latestOf(series) : null;
        postRows.push({
          ...post,
          tags: tagsOf(post.hashtags),
          latest: series ? (latest?.values ?? null) : (stored?.latest ?? null),
          latestAt: series ? (latest?.at ?? null) : (stored?.latestAt ?? null),
          points: series ? series.length : (stored?.points ?? 0),
          series: series ? (series.length ? encodeSeries(series) : null) : (stored?.series ?? null),
        });
      }
      if (postRows.length) await db.ownPosts.bulkPut(postRows);
      if (pendingRows.length) await db.pendingSeries.bulkPut(pendingRows);
      if (pendingDone.length) await db.pendingSeries.bulkDelete(pendingDone);
      change.posts = postRows.map(changedPost);

      if (followers.length) {
        const byKey = new Map<string, FollowerCount>();
        for (const f of followers) {
          const key = `${f.profileId}\u0000${f.day}`;
          if (byKey.has(key)) result.duplicateFollowerCounts++;
          else byKey.set(key, f);
        }
        const unique = [...byKey.values()];
        const stored = await db.followerCounts.bulkGet(unique.map((f) => [f.profileId, f.day] as [string, string]));
        const added = unique.filter((_, i) => stored[i] === undefined);
        result.duplicateFollowerCounts += unique.length - added.length;
        result.newFollowerCounts += added.length;
        if (added.length) await db.followerCounts.bulkAdd(added);
        change.followers = added;
      }
      if (change.posts.length || change.followers.length) {
        const held = await db.analyticsCache.get(VERSION_KEY);
        change.version = (held?.version ?? 0) + 1;
        await db.analyticsCache.put({ key: VERSION_KEY, version: change.version });
      }
    });
    return { result, change };
  }

  /**
   * Tells the listeners (`subscribe`) of rows committed to this archive's database: by `ingest`,
   * or by another connection to the same database (the import worker's `write`, posted to the
   * page). The one way listeners hear of changes. A change with no row is not told.
   */
  announce(change: ArchiveChange): void {
    if (change.posts.length === 0 && change.followers.length === 0) return;
    for (const listener of [...this.listeners]) listener(change);
  }

  /** The archive's version: how many writes changed its rows (0 before any). */
  async version(): Promise<number> {
    return (await this.db.analyticsCache.get(VERSION_KEY))?.version ?? 0;
  }

  /**
   * The archive's version and the analytics index's cache, read in one transaction: the cache
   * reflects the archive when its `version` is the archive's. The version counts the writes that
   * changed rows (0 before any); `cached` is undefined when no index was kept.
   */
  async indexCache(): Promise<{ version: number; cached: AnalyticsCacheRow | undefined }> {
    const table = this.db.analyticsCache;
    const [held, cached] = await this.db.transaction('r', table, () => table.bulkGet([VERSION_KEY, INDEX_KEY]));
    return { version: held?.version ?? 0, cached };
  }

  /**
   * Keeps the analytics index's columns (`data`) as of archive version `version`, in place of
   * the ones kept before, unless the archive has moved past `version` meanwhile (they would never
   * be used). Answers whether they were kept.
   */
  async keepIndexCache(version: number, data: unknown): Promise<boolean> {
    const table = this.db.analyticsCache;
    return this.db.transaction('rw', table, async () => {
      if (((await table.get(VERSION_KEY))?.version ?? 0) !== version) return false;
      await table.put({ key: INDEX_KEY, version, data });
      return true;
    });
  }

  /** The Dexie database's name: another connection (the import worker's) opens it with `openDatabase(name)`. */
  get databaseName(): string {
    return this.db.name;
  }

  /** Calls `listener` after each ingest that wrote something; answers the unsubscribe. */
  subscribe(listener: (change: ArchiveChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A post's observations in time order (then source order), for its history chart; empty when
   * none is stored. @throws DamagedSeriesError when the stored bytes cannot be read.
   */
  async series(postId: string): Promise<SeriesPoint[]> {
    const post = await this.db.ownPosts.get(postId);
    const bytes = post ? post.series : ((await this.db.pendingSeries.get(postId))?.data ?? null);
    return bytes ? decodeSeries(bytes) : [];
  }

  /** Post rows by id, in the same order (undefined where the archive holds none): a table's visible rows. */
  async posts(ids: readonly string[]): Promise<Array<ArchivedPost | undefined>> {
    return this.db.ownPosts.bulkGet([...ids]);
  }

  /** Follower counts, of one profile or all, sorted by profile then day (as `followersAt` needs them). */
  async followerCounts(profileId?: string): Promise<FollowerCount[]> {
    if (profileId === undefined) return this.db.followerCounts.toArray();
    return this.db.followerCounts.where('[profileId+day]').between([profileId, ''], [profileId, '\uffff']).toArray();
  }

  /**
   * Reads every post row, `chunk` at a time in id order, handing each chunk to `onChunk` before
   * reading the next: one read transaction per chunk, so the window stays responsive while a
   * large archive loads. Answers how many rows were read.
   */
  async scanPosts(onChunk: (rows: ArchivedPost[]) => void, chunk = 1000): Promise<number> {
    let read = 0;
    let after: string | null = null;
    for (;;) {
      const rows: ArchivedPost[] =
        after === null
          ? await this.db.ownPosts.orderBy(':id').limit(chunk).toArray()
          : await this.db.ownPosts.where(':id').above(after).limit(chunk).toArray();
      if (rows.length === 0) return read;
      onChunk(rows);
      read += rows.length;
      after = rows[rows.length - 1]!.id;
      if (rows.length < chunk) return read;
    }
  }
}

const archives = new WeakMap<ColonnadeDb, AnalyticsArchive>();

/**
 * The one archive of a database for the whole page: the delivery sync, imports and the views
 * all write and read through it, so `subscribe` hears every write the page makes.
 */
export function archiveOf(db: ColonnadeDb): AnalyticsArchive {
  let archive = archives.get(db);
  if (!archive) {
    archive = new AnalyticsArchive(db);
    archives.set(db, archive);
  }
  return archive;
}
