// How main collects the analytics of the CM's own posts (issue 9): when each post's counts are
// observed (a pure schedule, dense while a post is young), and what main says about collection
// and backfill per profile (`analytics.status`). Owner: main (src/main/core/analytics); the
// renderer shows these statuses and keeps what `analytics.delivery` brings (analytics.ts).
import { z } from 'zod';
import { AppErrorSchema } from './errors';
import { InstantSchema, NetworkIdSchema, type NetworkId, type Metrics, type Post } from './model';
import type { MetricValues, OwnPost } from './analytics';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** Hourly snapshots while a post is younger than this (its first two days: counts move fastest). */
export const HOURLY_UNTIL_MS = 48 * HOUR_MS;
/** Daily snapshots until a post is this old (a month), weekly after. */
export const DAILY_UNTIL_MS = 30 * DAY_MS;
export const WEEKLY_MS = 7 * DAY_MS;
/**
 * X serves a post's owner-only metrics (`non_public_metrics`: link and profile clicks) only while
 * it is younger than 30 days (docs.x.com, "Timelines: integrate": "All non_public_metrics,
 * organic_metrics, and promoted_metrics are only available for Posts created in the last 30 days").
 */
export const OWNER_METRICS_WINDOW_MS = 30 * DAY_MS;
/** The last harvest of X's owner-only metrics is this long before their window closes. */
export const OWNER_METRICS_LAST_CALL_MS = 6 * HOUR_MS;
/** Owner-only metrics are not asked this close to the end of their window (clocks differ). */
export const OWNER_METRICS_MARGIN_MS = 15 * 60_000;

/**
 * Whether a snapshot at `at` (ms) of a post made at `createdAt` (ms) asks for the owner-only
 * metrics: X only, while the post is younger than 30 days less a 15-minute margin for clock skew.
 */
export function ownerMetricsWanted(network: NetworkId, createdAt: number, at: number): boolean {
  return network === 'x' && at - createdAt < OWNER_METRICS_WINDOW_MS - OWNER_METRICS_MARGIN_MS;
}

/**
 * When a post's counts are next observed (ms since the epoch), given when it was posted and when
 * they were last observed (null: never, so at once: `createdAt`). The points are anchored on the
 * posting time: every hour for the first 48 hours, every day until day 30, every week after. On
 * X one more point, 6 hours before day 30, harvests the owner-only metrics a last time. Points
 * missed while Colonnade was closed are not made up one by one: the next is the first point
 * after the last observation (due at once when it is past).
 */
export function nextSnapshotAt(network: NetworkId, createdAt: number, lastAt: number | null): number {
  if (lastAt === null) return createdAt;
  const age = lastAt - createdAt;
  let next: number;
  if (age < HOURLY_UNTIL_MS) {
    next = createdAt + Math.max(1, Math.floor(age / HOUR_MS) + 1) * HOUR_MS;
  } else if (age < DAILY_UNTIL_MS) {
    next = createdAt + HOURLY_UNTIL_MS + (Math.floor((age - HOURLY_UNTIL_MS) / DAY_MS) + 1) * DAY_MS;
  } else {
    next = createdAt + DAILY_UNTIL_MS + (Math.floor((age - DAILY_UNTIL_MS) / WEEKLY_MS) + 1) * WEEKLY_MS;
  }
  if (network === 'x') {
    const lastCall = createdAt + OWNER_METRICS_WINDOW_MS - OWNER_METRICS_LAST_CALL_MS;
    if (lastAt < lastCall && lastCall < next) next = lastCall;
  }
  return next;
}

/** Every metric unknown: what a snapshot starts from. */
export const NO_VALUES: MetricValues = {
  likes: null,
  reposts: null,
  replies: null,
  quotes: null,
  bookmarks: null,
  impressions: null,
  linkClicks: null,
  profileClicks: null,
};

/**
 * A post's counts as a column carries them (`Post.metrics`), as analytics values: likes, reposts
 * and replies; quotes except on Mastodon (a count of 0 there may mean "not published", before
 * Mastodon 4.5); impressions where the network has them (X). The rest is unknown.
 */
export function valuesOfMetrics(network: NetworkId, m: Metrics): MetricValues {
  return {
    ...NO_VALUES,
    likes: m.likes,
    reposts: m.reposts,
    replies: m.replies,
    quotes: network === 'mastodon' ? null : m.quotes,
    impressions: m.impressions,
    bookmarks: m.bookmarks ?? null,
  };
}

const HASHTAG = /(?:^|[^\p{L}\p{N}_&/])#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)/gu;

/** Hashtags of a text as written, without '#', each once (case-insensitively), at most 500. */
export function hashtagsOfText(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const m of text.matchAll(HASHTAG)) {
    const tag = m[1]!.slice(0, 300);
    if (seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    out.push(tag);
    if (out.length >= 500) break;
  }
  return out;
}

/** One of the CM's own posts as the analytics keep it, from the post as the network shows it. */
export function ownPostOf(post: Post): OwnPost {
  const tags = post.entities.filter((e) => e.kind === 'hashtag').map((e) => e.value);
  const seen = new Set<string>();
  const hashtags = tags.filter((t) => !seen.has(t.toLowerCase()) && seen.add(t.toLowerCase()));
  return {
    id: post.id,
    network: post.network,
    profileId: post.author.id,
    handle: post.author.handle.replace(/^@+/, '').slice(0, 300),
    createdAt: Date.parse(post.createdAt),
    text: post.text.slice(0, 100_000),
    hashtags: (hashtags.length ? hashtags : hashtagsOfText(post.text)).map((t) => t.slice(0, 300)).slice(0, 500),
    hasMedia: post.media.length > 0,
    isReply: post.replyTo !== undefined,
    isQuote: post.quote !== undefined || post.quoteUnavailable !== undefined,
    url: post.url ? post.url.slice(0, 2000) : null,
  };
}

/**
 * A profile's backfill: its posts read back through its timeline as far as the network serves
 * (Bluesky and Mastodon: everything; X: the latest 3,200), page by page, resumable.
 */
export const BackfillStatusSchema = z.object({
  /** `running` (or waiting for budget between pages), `done` (reached the end), `failed` (see `error`). */
  state: z.enum(['running', 'done', 'failed']),
  /** Timeline entries read so far: the profile's posts and its reposts of others. */
  scanned: z.number().int().nonnegative(),
  /** The profile's own posts found (reposts of others' posts are left out). */
  ownPosts: z.number().int().nonnegative(),
  /**
   * What the profile's page said it had posted when the backfill began (X `tweet_count` and
   * Mastodon `statuses_count` count reposts too; Bluesky's `postsCount` does not), or null where
   * the network does not say. Progress is `scanned / total`, at most 1.
   */
  total: z.number().int().nonnegative().nullable(),
  /** The oldest own post reached so far (ISO). */
  reachedBack: InstantSchema.nullable(),
  /**
   * Why the history stops short of the profile's first post although the backfill is done: X
   * serves only a profile's latest 3,200 posts (reason `x-timeline-limit`; older ones come from
   * the X archive import). Null when nothing is out of reach.
   */
  limit: AppErrorSchema.nullable(),
  /** The last failure (a page that could not be read); the backfill goes on by itself unless `failed`. */
  error: AppErrorSchema.nullable(),
  startedAt: InstantSchema,
  updatedAt: InstantSchema,
});
export type BackfillStatus = z.infer<typeof BackfillStatusSchema>;

/** What main says about one profile's analytics collection. */
export const AnalyticsStatusSchema = z.object({
  profileId: z.string().min(1).max(300),
  network: NetworkIdSchema,
  /** Own posts whose counts are collected. */
  posts: z.number().int().nonnegative(),
  /** When counts of this profile's posts were last observed (ISO), or null. */
  lastCollectedAt: InstantSchema.nullable(),
  /** The next observation planned (ISO), or null when nothing is planned. */
  nextAt: InstantSchema.nullable(),
  /** Posts whose observation is due and not made yet (waiting for the rate budget, the network…). */
  due: z.number().int().nonnegative(),
  /**
   * Why collection waits, in the taxonomy with a `reasons` key: the rate budget shared with the
   * columns (`rate-budget`), the X monthly budget (`monthly-budget`), offline (`offline-paused`),
   * the profile not connected (`profile-not-connected`) or the network's refusal. Null: running.
   */
  waiting: AppErrorSchema.nullable(),
  /** The last daily follower count: its UTC day, the count, when it was read (ISO). */
  followers: z.object({ day: z.iso.date(), count: z.number().int().nonnegative(), at: InstantSchema }).nullable(),
  backfill: BackfillStatusSchema.nullable(),
});
export type AnalyticsStatus = z.infer<typeof AnalyticsStatusSchema>;
