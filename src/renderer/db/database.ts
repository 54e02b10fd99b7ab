// The renderer's own data. Owner: the renderer (Dexie / IndexedDB).
// v1: the post cache of every column. v2: entries indexed by post (a deleted post leaves every
// column at once). v3: timeline entries (design: "Posts and timeline entries"): a column holds
// entries keyed by the network's entry key and ordered by the time each entered the timeline (a
// repost's time, a notification's time); posts stay shared in `posts`, updated in place. v4: each
// column's reading position (`readPositions`), so unread markers and "N new posts" survive a
// reload and a restart; entries may be gap markers (`gap`) and say which profile met them (`via`).
// v5: drafts (../drafts): `drafts`, their history (`draftVersions`) and their media's bytes
// (`draftMedia`), so a draft survives a crash, offline, before its media reach main.
// v6: the analytics archive (../analytics): the CM's own posts with their metric history packed in
// the same row (`ownPosts`), observations of posts not known yet (`pendingSeries`), follower
// counts by day (`followerCounts`) and saved table views (`analyticsViews`).
// v7: `analyticsCache`: the analytics archive's version (bumped by each write to it) and the
// analytics index's columns as of a version, so opening the analytics reads one row, not every post.
// Each schema version gets an upgrade test in tests/unit/renderer.
import Dexie, { type EntityTable } from 'dexie';
import type { Metrics, Post, Profile, TimelineEntry } from '../../shared/model';
import type { FollowerCount } from '../../shared/analytics';
import type { AnalyticsCacheRow, ArchivedPost, PendingSeries } from '../analytics/archive-store';
import type { AnalyticsView } from '../analytics/views';
import type { Draft, DraftMedia, DraftVersion } from '../drafts/draft';

export interface CachedPost extends Post {
  /** When this copy was last written (ms since epoch). */
  cachedAt: number;
}

/** How one column met a post (or, for a follow, met nobody's post): a stored `TimelineEntry`. */
export interface ColumnEntry {
  columnId: string;
  /** Unique within the column (`TimelineEntry.key`). */
  key: string;
  /** When the entry entered the timeline, as `Date.toISOString()` (so strings sort as instants). */
  at: string;
  /** The post shown, in `posts`; null for an entry without a post (a follow). */
  postId: string | null;
  repostedBy?: Profile;
  notification?: TimelineEntry['notification'];
  /** A gap marker (with `postId: null`): entries main could not load between two instants. */
  gap?: TimelineEntry['gap'];
  /** Cross-network columns: the CM's profile (id) that met the entry. */
  via?: string;
}

/** An entry as a column shows it: the stored entry with its post read from `posts`. */
export interface ShownEntry {
  key: string;
  at: string;
  post: CachedPost | null;
  repostedBy?: Profile;
  notification?: TimelineEntry['notification'];
  gap?: TimelineEntry['gap'];
  via?: string;
  /** Shown although the column's filters hide it (the reader asked to see what they hid). */
  filtered?: true;
}

/**
 * A column's reading position: entries that entered the timeline after `at` (an ISO instant, as
 * `ColumnEntry.at`) are unread. It only moves forward (`advanceReadPosition`), except when the
 * column is cleared.
 */
export interface ReadPosition {
  columnId: string;
  at: string;
}

/** How far back a column's cache reaches, and whether history ended there. */
export interface ColumnCursor {
  columnId: string;
  older: string | null;
  reachedEnd: boolean;
  /** When the reader cleared the column (ISO instant): history is not paged back into past it. */
  clearedAt?: string;
}

export type ColonnadeDb = Dexie & {
  posts: EntityTable<CachedPost, 'id'>;
  entries: Dexie.Table<ColumnEntry, [string, string]>;
  columnCursors: EntityTable<ColumnCursor, 'columnId'>;
  readPositions: EntityTable<ReadPosition, 'columnId'>;
  drafts: EntityTable<Draft, 'id'>;
  draftVersions: EntityTable<DraftVersion, 'id'>;
  draftMedia: EntityTable<DraftMedia, 'id'>;
  ownPosts: EntityTable<ArchivedPost, 'id'>;
  pendingSeries: EntityTable<PendingSeries, 'postId'>;
  followerCounts: Dexie.Table<FollowerCount, [string, string]>;
  analyticsViews: EntityTable<AnalyticsView, 'id'>;
  analyticsCache: EntityTable<AnalyticsCacheRow, 'key'>;
};

export const DB_NAME = 'colonnade';

/** The v1/v2 row: a post's place in a column, by post (kept for the upgrade). */
interface LegacyColumnEntry {
  columnId: string;
  postId: string;
  createdAt: string;
}

export function openDatabase(name = DB_NAME): ColonnadeDb {
  const db = new Dexie(name) as ColonnadeDb;
  db.version(1).stores({
    posts: '&id, network, createdAt, [network+createdAt]',
    columnEntries: '&[columnId+postId], [columnId+createdAt]',
    columnCursors: '&columnId',
  });
  db.version(2).stores({
    columnEntries: '&[columnId+postId], [columnId+createdAt], postId',
  });
  // IndexedDB cannot change a store's key, so v3 moves the rows to a new store: an old entry was
  // a plain post met at its own time (key = post id, at = createdAt). "Reposted by" was stored on
  // the shared post row, so no column can tell whose it was: it is dropped.
  db.version(3)
    .stores({
      columnEntries: null,
      entries: '&[columnId+key], [columnId+at], postId',
    })
    .upgrade(async (tx) => {
      const old = (await tx.table('columnEntries').toArray()) as LegacyColumnEntry[];
      await tx.table('entries').bulkPut(
        old.map((e): ColumnEntry => ({
          columnId: e.columnId,
          key: e.postId,
          at: instant(e.createdAt),
          postId: e.postId,
        })),
      );
      await tx
        .table('posts')
        .toCollection()
        .modify((p: Record<string, unknown>) => {
          delete p.repostedBy;
        });
    });
  // A new table only: every v3 row stays as it is (gap markers and `via` are new optional fields).
  db.version(4).stores({ readPositions: '&columnId' });
  // New tables only. Drafts listed newest first by `updatedAt`; a draft's versions in order by
  // `[draftId+id]` (id auto-incremented); media bytes by SHA-256, `addedAt` for the orphan purge.
  db.version(5).stores({
    drafts: '&id, updatedAt',
    draftVersions: '++id, [draftId+id]',
    draftMedia: '&id, addedAt',
  });
  // New tables only. Own posts by author and time (a profile's overview; Dexie also answers
  // `where('profileId')` from it) and by hashtag (`tags`: normalized, multi-entry); by network
  // through the id's prefix (`where('id').startsWith('x:')`). Each index is one more write per
  // post (a `createdAt` index cost a fifth of an import's time in Chromium): filters, sorts and
  // date ranges across profiles are the in-memory query engine's (../analytics/query.ts).
  // Pending series and follower counts by key.
  db.version(6).stores({
    ownPosts: '&id, [profileId+createdAt], *tags',
    pendingSeries: '&postId',
    followerCounts: '&[profileId+day]',
    analyticsViews: '&id, name',
  });
  // A new table only, by key: 'version' (a counter) and 'index' (query.ts `IndexSnapshot`).
  db.version(7).stores({ analyticsCache: '&key' });
  // The hashtag index of own posts goes: nothing reads it (hashtag filters and analytics are the
  // query engine's), and each hashtag of each post was one more index write (a 50,000-post import
  // spent about a tenth of its time there). Rows keep `tags` for the engine.
  db.version(8).stores({ ownPosts: '&id, [profileId+createdAt]' });
  return db;
}

/** An ISO instant in the one form that sorts as time (`2026-11-25T08:00:00.000Z`). */
function instant(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString();
}

/** Notification actors kept per entry (the shared model's maximum). */
const MAX_ACTORS = 100;

/**
 * The stored entry after `incoming` arrives with the key of `stored`: the new one replaces the
 * old, except that a notification group merges: actors unique by id, most recent first (the
 * entry with the later `at` is the more recent), count = max(old count, new count, actors),
 * and the group keeps the later of the two times.
 */
export function mergeEntry(stored: ColumnEntry | undefined, incoming: ColumnEntry): ColumnEntry {
  if (!stored?.notification || !incoming.notification || stored.notification.kind !== incoming.notification.kind) {
    return incoming;
  }
  const newer = incoming.at >= stored.at ? incoming : stored;
  const older = newer === incoming ? stored : incoming;
  const actors: Profile[] = [];
  const seen = new Set<string>();
  for (const a of [...newer.notification!.actors, ...older.notification!.actors]) {
    if (seen.has(a.id)) continue;
    seen.add(a.id);
    actors.push(a);
  }
  const count = Math.max(stored.notification.count, incoming.notification.count, actors.length);
  return {
    ...incoming,
    at: newer.at,
    postId: incoming.postId ?? stored.postId,
    notification: { ...incoming.notification, actors: actors.slice(0, MAX_ACTORS), count },
  };
}

/**
 * Store timeline entries for a column, apply fresh counts and forget removed posts, in one
 * transaction. Each entry's post replaces the shared row in `posts` (every column sees it); an
 * entry with a key the column already holds replaces it (notification groups merge, see
 * `mergeEntry`); a post in `removed` leaves every column, even one stored by this same call.
 */
export async function storeColumnEntries(
  db: ColonnadeDb,
  columnId: string,
  entries: readonly TimelineEntry[],
  metrics: ReadonlyArray<{ postId: string; metrics: Metrics }> = [],
  removed: readonly string[] = [],
  now = Date.now(),
): Promise<void> {
  await db.transaction('rw', db.posts, db.entries, async () => {
    if (entries.length > 0) {
      const posts = new Map<string, CachedPost>();
      const rows = new Map<string, ColumnEntry>();
      for (const e of entries) {
        if (e.post) posts.set(e.post.id, { ...e.post, cachedAt: now });
        const row: ColumnEntry = {
          columnId,
          key: e.key,
          at: instant(e.at),
          postId: e.post?.id ?? null,
          ...(e.repostedBy ? { repostedBy: e.repostedBy } : {}),
          ...(e.notification ? { notification: e.notification } : {}),
          ...(e.gap ? { gap: e.gap } : {}),
          ...(e.via ? { via: e.via } : {}),
        };
        rows.set(e.key, mergeEntry(rows.get(e.key), row));
      }
      const keys = [...rows.keys()];
      const stored = await db.entries.bulkGet(keys.map((k) => [columnId, k] as [string, string]));
      await db.posts.bulkPut([...posts.values()]);
      await db.entries.bulkPut(keys.map((k, i) => mergeEntry(stored[i], rows.get(k)!)));
    }
    for (const { postId, metrics: m } of metrics) {
      await db.posts.update(postId, { metrics: m, cachedAt: now });
    }
    await forgetPosts(db, removed);
  });
}

const ofColumn = (db: ColonnadeDb, columnId: string) =>
  db.entries.where('[columnId+at]').between([columnId, Dexie.minKey], [columnId, Dexie.maxKey]);

/** The shown form of stored rows, with their posts; an entry whose post is no longer cached is left out. */
async function withPosts(db: ColonnadeDb, rows: readonly ColumnEntry[]): Promise<ShownEntry[]> {
  const ids = rows.map((r) => r.postId).filter((id): id is string => id !== null);
  const posts = new Map((await db.posts.bulkGet(ids)).filter((p) => p !== undefined).map((p) => [p.id, p]));
  const out: ShownEntry[] = [];
  for (const r of rows) {
    const post = r.postId === null ? null : posts.get(r.postId);
    if (post === undefined) continue;
    out.push({
      key: r.key,
      at: r.at,
      post,
      ...(r.repostedBy ? { repostedBy: r.repostedBy } : {}),
      ...(r.notification ? { notification: r.notification } : {}),
      ...(r.gap ? { gap: r.gap } : {}),
      ...(r.via ? { via: r.via } : {}),
    });
  }
  return out;
}

/**
 * The newest `limit` entries of a column, newest `at` first, each with its post. An entry whose
 * post is no longer cached is left out.
 */
export async function columnEntries(db: ColonnadeDb, columnId: string, limit: number): Promise<ShownEntry[]> {
  return (await readColumn(db, columnId, limit)).entries;
}

/** What a column shows: its entries, and how many its filters hid among those read. */
export interface ColumnRead {
  entries: ShownEntry[];
  /** Entries the filters hid, among all read to find `entries` (newer than the last one shown). */
  hidden: number;
}

/** Rows read from IndexedDB at a time while filters hide some. */
const SCAN = 200;

/**
 * The newest `limit` entries of a column that `keep` keeps (all when absent), newest first, with
 * the count of entries it hid on the way. Reads on until `limit` entries are kept or the column's
 * cache ends, so a column whose filters hide most posts still fills. With `showHidden`, hidden
 * entries are shown too, marked `filtered`, and still counted.
 */
export async function readColumn(
  db: ColonnadeDb,
  columnId: string,
  limit: number,
  keep?: (entry: ShownEntry) => boolean,
  showHidden = false,
): Promise<ColumnRead> {
  if (!keep)
    return { entries: await withPosts(db, await ofColumn(db, columnId).reverse().limit(limit).toArray()), hidden: 0 };
  const entries: ShownEntry[] = [];
  let hidden = 0;
  for (let offset = 0; entries.length < limit; offset += SCAN) {
    const rows = await ofColumn(db, columnId).reverse().offset(offset).limit(SCAN).toArray();
    for (const entry of await withPosts(db, rows)) {
      if (entries.length >= limit) break;
      if (keep(entry)) entries.push(entry);
      else {
        hidden++;
        if (showHidden) entries.push({ ...entry, filtered: true });
      }
    }
    if (rows.length < SCAN) break;
  }
  return { entries, hidden };
}

/**
 * Where a page of a column's entries lies, by the time each entry entered the timeline (`at`,
 * ISO instants): `upper` (exclusive; null: no bound, the newest) and, for a page whose extent is
 * fixed, `lower` (inclusive). Without `lower` the page is open at the bottom and holds `count`
 * entries (see `readColumnPage`).
 */
export interface PageBounds {
  upper: string | null;
  /** `upper` is in the page too: a page read from the reading position down (entries at it included). */
  includeUpper?: boolean;
  lower?: string | null;
  /** Entries kept (or shown, with `showHidden`) that an open page reads down to. */
  count: number;
}

/** One page of a column as read: what it shows and hid, and where it ends. */
export interface PageRead extends ColumnRead {
  /**
   * The `at` of the page's oldest entry read: the page holds every entry from there to `upper`,
   * and the next page starts below it. Null when the page reached the end of the column's cache
   * (or, fixed, when its `lower` was null).
   */
  lower: string | null;
  /** Entries read, hidden or not (what IndexedDB answered). */
  scanned: number;
}

/**
 * One page of a column, newest first, as `readColumn` shows a column (filtered by `keep`, hidden
 * entries shown and marked with `showHidden`, entries whose post is no longer cached left out),
 * so that a long column is read, and kept live, a page at a time: a change to one page (a
 * delivery, a like, counts refreshed) reads that page again, not the whole column, and scrolling
 * on reads only the next page. Pages are told apart by `at` alone (the `[columnId+at]` index),
 * so entries that share an `at` always fall in the same page.
 *
 * - Fixed (`lower` given): every entry with `lower <= at < upper` (`lower` null: no bound).
 * - Open: entries below `upper`, newest first, until `count` are kept, then the rest of those
 *   that share the last one's `at`; `lower` answers where it stopped (null: the cache's end).
 */
export async function readColumnPage(
  db: ColonnadeDb,
  columnId: string,
  bounds: PageBounds,
  keep?: (entry: ShownEntry) => boolean,
  showHidden = false,
): Promise<PageRead> {
  const top = bounds.upper === null ? Dexie.maxKey : bounds.upper;
  const withTop = bounds.upper === null || bounds.includeUpper === true;
  const entries: ShownEntry[] = [];
  let hidden = 0;
  const take = (entry: ShownEntry) => {
    if (!keep || keep(entry)) entries.push(entry);
    else {
      hidden++;
      if (showHidden) entries.push({ ...entry, filtered: true });
    }
  };
  if (bounds.lower !== undefined) {
    const bottom = bounds.lower === null ? Dexie.minKey : bounds.lower;
    const rows = await db.entries
      .where('[columnId+at]')
      .between([columnId, bottom], [columnId, top], true, withTop)
      .reverse()
      .toArray();
    for (const entry of await withPosts(db, rows)) take(entry);
    return { entries, hidden, lower: bounds.lower, scanned: rows.length };
  }
  // Open: read down from `upper` in steps; a step starts at the last `at` read (included, so
  // entries that share it are not skipped) and leaves out the keys already read at that `at`.
  const tied = new Set<string>();
  let from: string | typeof Dexie.maxKey = top;
  let includeFrom = withTop;
  let last: string | null = null;
  let stopAt: string | null = null;
  let scanned = 0;
  for (;;) {
    const want = Math.max(SCAN_STEP, bounds.count - entries.length + 1) + tied.size;
    const read = await db.entries
      .where('[columnId+at]')
      .between([columnId, Dexie.minKey], [columnId, from], true, includeFrom)
      .reverse()
      .limit(want)
      .toArray();
    const rows = read.filter((r) => !tied.has(r.key));
    const shown = await withPosts(db, rows);
    let next = 0;
    for (const row of rows) {
      // Counted in full: what follows is older than the last entry the page needed.
      if (stopAt !== null && row.at !== stopAt) return { entries, hidden, lower: stopAt, scanned };
      if (row.at !== last) {
        tied.clear();
        last = row.at;
      }
      tied.add(row.key);
      scanned++;
      const entry = shown[next]?.key === row.key ? shown[next++] : undefined;
      if (entry) take(entry);
      if (stopAt === null && entries.length >= bounds.count) stopAt = row.at;
    }
    // The cache's end: nothing older to read.
    if (read.length < want || last === null) return { entries, hidden, lower: stopAt, scanned };
    from = last;
    includeFrom = true;
  }
}

/** What waits above a column's reading position (`countNewer`). */
export interface NewerCount {
  /** The position counted from (`after`). */
  after: string;
  /** Entries the list would show once they are revealed (posts and notifications, no gap marker). */
  shown: number;
  /** Entries among them that the filters hide (shown too, and counted in `shown`, with `showHidden`). */
  hidden: number;
}

/**
 * How many of a column's entries entered the timeline after `after` (an ISO instant, exclusive),
 * counted as the list would show them (`readColumnPage`): kept by `keep` (all when absent), plus
 * the hidden ones with `showHidden`. Gap markers are not posts and are not counted. The whole
 * range is counted, however long (the "N new posts" marker says the true number after a long
 * absence); without `keep` it is counted on the `[columnId+at]` index alone, no post read (an
 * entry's post leaves the cache only with the entry, `forgetPosts`).
 */
export async function countNewer(
  db: ColonnadeDb,
  columnId: string,
  after: string,
  keep?: (entry: ShownEntry) => boolean,
  showHidden = false,
): Promise<NewerCount> {
  const newer = () =>
    db.entries.where('[columnId+at]').between([columnId, after], [columnId, Dexie.maxKey], false, true);
  if (!keep) {
    // Gap markers are stored under the key `gap:<id>` (`closeGaps`): few, read by key.
    const [all, gaps] = await Promise.all([
      newer().count(),
      db.entries
        .where('[columnId+key]')
        .between([columnId, 'gap:'], [columnId, 'gap:\uffff'])
        .filter((e) => e.at > after)
        .count(),
    ]);
    return { after, shown: all - gaps, hidden: 0 };
  }
  let shown = 0;
  let hidden = 0;
  for (const entry of await withPosts(db, await newer().toArray())) {
    if (entry.gap) continue;
    if (keep(entry)) shown++;
    else {
      hidden++;
      if (showHidden) shown++;
    }
  }
  return { after, shown, hidden };
}

/** Rows an open page reads at a time (more when it still needs more entries than that). */
const SCAN_STEP = 50;

/**
 * `next` (a column's entries as just read) with every entry that equals one of `previous` (the
 * last read, by key) replaced by that earlier object, and `previous` itself when nothing changed:
 * what is shown keeps its identity across reads, so a re-read after a delivery or a longer window
 * renders again only the entries that changed (PostCard is memoized on its props). Equality is
 * by value (`sameData`): a post's `cachedAt` is not a version (a like updates it in place).
 */
export function reuseUnchanged(previous: readonly ShownEntry[] | undefined, next: ShownEntry[]): ShownEntry[] {
  if (!previous || previous.length === 0) return next;
  const byKey = new Map<string, ShownEntry>();
  for (const e of previous) byKey.set(e.key, e);
  let same = previous.length === next.length;
  const out = next.map((e, i) => {
    const old = byKey.get(e.key);
    const kept = old !== undefined && sameData(old, e) ? old : e;
    if (kept !== previous[i]) same = false;
    return kept;
  });
  return same ? (previous as ShownEntry[]) : out;
}

/**
 * Deep equality of structured-clone data as IndexedDB answers it (plain objects, arrays, strings,
 * numbers, booleans, null): the same keys with equal values, in any order; `undefined` and a
 * missing key are the same.
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let defined = 0;
  for (const k in x) {
    if (x[k] === undefined) continue;
    defined++;
    if (!sameData(x[k], y[k])) return false;
  }
  for (const k in y) if (y[k] !== undefined) defined--;
  return defined === 0;
}

/**
 * What scrolling to the end of a column's list does next: show more of what the cache holds
 * (while the list shows as many entries as its limit, the cache may hold more), fetch the page
 * before the cache from the network, or nothing (history reached its beginning and everything
 * cached is shown). Reaching the beginning never stops the cache paging.
 */
export function olderStep(shown: number, limit: number, reachedEnd: boolean): 'show-more' | 'fetch' | 'end' {
  if (shown >= limit) return 'show-more';
  return reachedEnd ? 'end' : 'fetch';
}

/** How many entries a column's cache holds. */
export async function countColumnEntries(db: ColonnadeDb, columnId: string): Promise<number> {
  return ofColumn(db, columnId).count();
}

/**
 * Remove posts (by id) from the cache and from every column that shows them: a post deleted on
 * its network, by the user or as the network says (`FeedDelivery.removed`). Ids not cached are
 * ignored; none: nothing to do.
 */
export async function forgetPosts(db: ColonnadeDb, postIds: readonly string[]): Promise<void> {
  if (postIds.length === 0) return;
  await db.transaction('rw', db.posts, db.entries, async () => {
    await db.entries
      .where('postId')
      .anyOf([...postIds])
      .delete();
    await db.posts.bulkDelete([...postIds]);
  });
}

/** Drop a removed column's entries, cursor and reading position (posts other columns hold stay). */
export async function forgetColumn(db: ColonnadeDb, columnId: string): Promise<void> {
  await db.transaction('rw', db.entries, db.columnCursors, db.readPositions, async () => {
    await ofColumn(db, columnId).delete();
    await db.columnCursors.delete(columnId);
    await db.readPositions.delete(columnId);
  });
}

/**
 * Empty a column ("Clear column"): its entries leave it (posts other columns hold stay), its
 * history is not paged back into again (the cursor ends here), and everything cleared counts as
 * read. New entries arrive as before. Answers how many entries were removed.
 */
export async function clearColumn(db: ColonnadeDb, columnId: string, now = Date.now()): Promise<number> {
  return db.transaction('rw', db.entries, db.columnCursors, db.readPositions, async () => {
    const newest = await ofColumn(db, columnId).last();
    const removed = await ofColumn(db, columnId).delete();
    await db.columnCursors.put({ columnId, older: null, reachedEnd: true, clearedAt: new Date(now).toISOString() });
    if (newest) await db.readPositions.put({ columnId, at: newest.at });
    return removed;
  });
}

/** Gap markers (by gap id) that main filled or gave up: their entries (`gap:<id>`) leave the column. */
export async function closeGaps(db: ColonnadeDb, columnId: string, gapIds: readonly string[]): Promise<void> {
  if (gapIds.length === 0) return;
  await db.entries.bulkDelete(gapIds.map((id) => [columnId, `gap:${id}`] as [string, string]));
}

/** The column's reading position (an ISO instant), or null before it has one. */
export async function readPosition(db: ColonnadeDb, columnId: string): Promise<string | null> {
  return (await db.readPositions.get(columnId))?.at ?? null;
}

/**
 * Move the reading position forward to `at` (entries up to `at` are read); a position already
 * later stays. Answers the position now stored.
 */
export async function advanceReadPosition(db: ColonnadeDb, columnId: string, at: string): Promise<string> {
  return db.transaction('rw', db.readPositions, async () => {
    const stored = await db.readPositions.get(columnId);
    if (stored && stored.at >= at) return stored.at;
    await db.readPositions.put({ columnId, at: instant(at) });
    return instant(at);
  });
}

/**
 * "Mark all read": the reading position moves to the column's newest entry (filtered out or
 * not). Answers the position, or null for an empty column (nothing to read).
 */
export async function markColumnRead(db: ColonnadeDb, columnId: string): Promise<string | null> {
  const newest = await ofColumn(db, columnId).last();
  return newest ? advanceReadPosition(db, columnId, newest.at) : readPosition(db, columnId);
}

/** How many of a column's entries are newer than its reading position (all when it has none). */
export async function countUnread(db: ColonnadeDb, columnId: string, after: string | null): Promise<number> {
  if (after === null) return countColumnEntries(db, columnId);
  return db.entries.where('[columnId+at]').between([columnId, after], [columnId, Dexie.maxKey], false, true).count();
}
