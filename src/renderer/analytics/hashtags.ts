// Hashtag analytics (issue 9, "hashtag analytics for monitored hashtags: volume over time, top
// posts, top contributors") from what the deck's monitors collected: the posts cached for the
// Monitor and Hashtag columns (Dexie `entries` and `posts`, ../db/database.ts). Nothing is asked
// of the networks: the figures cover what the columns met while the app ran, from the first post
// cached to the last, and say how many gaps (posts that could not be loaded) lie in between.
// Owner of the data: the columns (state/sync.ts stores their deliveries); this only reads.
import Dexie from 'dexie';
import { zonedToInstant } from '../../shared/schedule/zoned-time';
import { tzOffset } from '@date-fns/tz';
import { NETWORKS, type Layout, type NetworkId, type Post, type Profile } from '../../shared/model';
import type { CachedPost, ColonnadeDb } from '../db/database';

/** A hashtag as compared: NFKC, lower case, without '#' (as main's monitors match, core/monitors/sources.ts). */
export const foldTag = (tag: string): string =>
  tag
    .replace(/^[#＃]+/u, '')
    .normalize('NFKC')
    .toLocaleLowerCase('und');

/**
 * The hashtags a post carries, folded: its hashtag entities, else (a network that gave none) the
 * `#words` of its text. The same rule as main's `hashtagsOf` (src/main/core/monitors/sources.ts),
 * which the renderer cannot import.
 */
export function hashtagsOf(post: Pick<Post, 'entities' | 'text'>): Set<string> {
  const tags = new Set(post.entities.filter((e) => e.kind === 'hashtag').map((e) => foldTag(e.value)));
  if (tags.size === 0) {
    for (const m of post.text.matchAll(/(?:^|[^\p{L}\p{N}_])#([\p{L}\p{M}\p{N}_]+)/gu)) tags.add(foldTag(m[1]!));
  }
  return tags;
}

/** A hashtag the deck monitors, and the columns that collect it. */
export interface MonitoredHashtag {
  /** `foldTag`ged: how posts are matched. */
  key: string;
  /** As the CM wrote it first (without '#'). */
  tag: string;
  /** Columns collecting it: Monitor columns watching it, Hashtag columns on it. */
  columns: Array<{ id: string; kind: 'monitor' | 'hashtag' }>;
}

/**
 * The hashtags the layout's columns monitor, across every deck: each Monitor column's hashtags and
 * each Hashtag column's tag, once per tag (folded), in the order the decks list them.
 */
export function monitoredHashtags(layout: Pick<Layout, 'decks'> | null): MonitoredHashtag[] {
  const byKey = new Map<string, MonitoredHashtag>();
  const add = (tag: string, id: string, kind: 'monitor' | 'hashtag') => {
    const key = foldTag(tag);
    if (key === '') return;
    let found = byKey.get(key);
    if (!found) {
      found = { key, tag: tag.replace(/^[#＃]+/u, ''), columns: [] };
      byKey.set(key, found);
    }
    if (!found.columns.some((c) => c.id === id)) found.columns.push({ id, kind });
  };
  for (const deck of layout?.decks ?? []) {
    for (const column of deck.columns) {
      if (column.kind === 'monitor') for (const tag of column.monitor?.hashtags ?? []) add(tag, column.id, 'monitor');
      else if (column.kind === 'hashtag' && column.query) add(column.query, column.id, 'hashtag');
    }
  }
  return [...byKey.values()];
}

/** What the cache holds for one monitored hashtag. */
export interface HashtagPosts {
  hashtag: MonitoredHashtag;
  /** The cached posts carrying it (each once, whichever columns met it), newest first. */
  posts: CachedPost[];
  /** Gap markers in its columns: stretches of posts the columns could not load. */
  gaps: number;
}

/**
 * Reads, for each of `hashtags`, the posts its columns cached. A Hashtag column's posts are all
 * counted (the network's search found them by the tag); a Monitor column's are counted when they
 * carry the tag (`hashtagsOf`: the monitor also brings keyword matches and its other tags'). One
 * read transaction.
 */
export async function readHashtagPosts(
  db: ColonnadeDb,
  hashtags: readonly MonitoredHashtag[],
): Promise<HashtagPosts[]> {
  const columnIds = [...new Set(hashtags.flatMap((h) => h.columns.map((c) => c.id)))];
  return db.transaction('r', db.entries, db.posts, async () => {
    const postIdsOf = new Map<string, string[]>();
    const gapsOf = new Map<string, number>();
    for (const columnId of columnIds) {
      const rows = await db.entries
        .where('[columnId+at]')
        .between([columnId, Dexie.minKey], [columnId, Dexie.maxKey])
        .toArray();
      postIdsOf.set(
        columnId,
        rows.flatMap((r) => (r.postId ? [r.postId] : [])),
      );
      gapsOf.set(columnId, rows.filter((r) => r.gap).length);
    }
    const ids = [...new Set([...postIdsOf.values()].flat())];
    const posts = new Map<string, CachedPost>();
    for (const p of await db.posts.bulkGet(ids)) if (p) posts.set(p.id, p);
    const tagsOf = new Map<string, Set<string>>();
    const carries = (post: CachedPost, key: string) => {
      let tags = tagsOf.get(post.id);
      if (!tags) {
        tags = hashtagsOf(post);
        tagsOf.set(post.id, tags);
      }
      return tags.has(key);
    };
    return hashtags.map((hashtag) => {
      const found = new Map<string, CachedPost>();
      let gaps = 0;
      for (const column of hashtag.columns) {
        gaps += gapsOf.get(column.id) ?? 0;
        for (const id of postIdsOf.get(column.id) ?? []) {
          const post = posts.get(id);
          if (!post || found.has(id)) continue;
          if (column.kind === 'hashtag' || carries(post, hashtag.key)) found.set(id, post);
        }
      }
      const list = [...found.values()].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
      return { hashtag, posts: list, gaps };
    });
  });
}

/** One period of a hashtag's volume. */
export interface VolumePoint {
  /** The period's first instant (midnight of its first day in the zone), ms since the epoch. */
  start: number;
  /** Its first day in the zone, "2026-11-30". */
  label: string;
  posts: number;
}

/** Someone who posted with the tag, and how often. */
export interface Contributor {
  author: Profile;
  posts: number;
  /** Likes + reposts of their posts with the tag. */
  engagement: number;
}

/** A hashtag's figures over what the cache holds. */
export interface HashtagStats {
  posts: number;
  /** The oldest and newest cached post's time (ms since the epoch); null without posts. */
  from: number | null;
  to: number | null;
  /** Posts per day or week, every period from the first to the last (empty ones too), oldest first. */
  volume: VolumePoint[];
  /** The posts with the most likes + reposts (then the newest), at most `top`. */
  top: Post[];
  /** Authors by posts with the tag (then by likes + reposts, then handle), at most `contributors`. */
  contributors: Contributor[];
  /** Distinct authors. */
  authors: number;
  /** Networks the posts came from, in the model's order. */
  networks: NetworkId[];
}

export interface HashtagStatsOptions {
  /** IANA zone the days are cut in. */
  zone: string;
  period: 'day' | 'week';
  /** First day of a week: 0 Sunday … 6 Saturday (default 1, Monday, as ISO 8601). */
  weekStartsOn?: number;
  top?: number;
  contributors?: number;
}

const DAY = 86_400_000;
const mod = (a: number, b: number) => ((a % b) + b) % b;

/**
 * Volume, top posts and top contributors of `posts` (one hashtag's, `readHashtagPosts`).
 * Engagement is the post's latest counts as cached: likes + reposts.
 *
 * @throws RangeError for a zone the runtime does not know.
 */
export function hashtagStats(posts: readonly Post[], options: HashtagStatsOptions): HashtagStats {
  const { zone } = options;
  if (Number.isNaN(tzOffset(zone, new Date(0)))) throw new RangeError(`Unknown time zone: ${zone}`);
  const weekStartsOn = options.weekStartsOn ?? 1;
  const times = posts.map((p) => Date.parse(p.createdAt));
  const localDay = (ms: number) => Math.floor((ms + tzOffset(zone, new Date(ms)) * 60_000) / DAY);
  // 1970-01-01 (day 0) was a Thursday (weekday 4, Sunday 0).
  const periodOf = (day: number) => (options.period === 'week' ? day - mod(mod(day + 4, 7) - weekStartsOn, 7) : day);
  const counts = new Map<number, number>();
  let first = Infinity;
  let last = -Infinity;
  for (const ms of times) {
    if (Number.isNaN(ms)) continue;
    first = Math.min(first, ms);
    last = Math.max(last, ms);
    const key = periodOf(localDay(ms));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const volume: VolumePoint[] = [];
  if (first <= last) {
    const step = options.period === 'week' ? 7 : 1;
    for (let key = periodOf(localDay(first)); key <= periodOf(localDay(last)); key += step) {
      const label = new Date(key * DAY).toISOString().slice(0, 10);
      volume.push({ start: zonedToInstant(`${label}T00:00`, zone).at, label, posts: counts.get(key) ?? 0 });
    }
  }
  const engagement = (p: Post) => p.metrics.likes + p.metrics.reposts;
  const top = posts
    .map((p, i) => ({ p, at: times[i]! }))
    .sort((a, b) => engagement(b.p) - engagement(a.p) || b.at - a.at)
    .slice(0, options.top ?? 10)
    .map((e) => e.p);
  const byAuthor = new Map<string, Contributor>();
  for (const p of posts) {
    const c = byAuthor.get(p.author.id);
    if (c) {
      c.posts++;
      c.engagement += engagement(p);
    } else byAuthor.set(p.author.id, { author: p.author, posts: 1, engagement: engagement(p) });
  }
  const contributors = [...byAuthor.values()]
    .sort(
      (a, b) =>
        b.posts - a.posts ||
        b.engagement - a.engagement ||
        (a.author.handle < b.author.handle ? -1 : a.author.handle > b.author.handle ? 1 : 0),
    )
    .slice(0, options.contributors ?? 10);
  const networks = new Set(posts.map((p) => p.network));
  return {
    posts: posts.length,
    from: first <= last ? first : null,
    to: first <= last ? last : null,
    volume,
    top,
    contributors,
    authors: byAuthor.size,
    networks: NETWORKS.filter((n) => networks.has(n)),
  };
}
