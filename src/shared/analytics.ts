// The analytics archive's model (issue 9): the CM's own posts, every observation of their counts
// (a series, never overwritten), and each profile's follower counts by day. Main collects
// (metrics collector, backfill) and delivers to the renderer's Dexie with acknowledgement; the
// renderer also writes what an archive import brings. Both sides take their types from here.
//
// Keys never depend on Colonnade's account ids: an account removed and connected again, or a
// profile known only from an imported archive, keeps its history. A profile is `Profile.id`
// (`${network}:${nativeId}`: X user id, Bluesky DID, Mastodon account id@instance host); a post is
// `Post.id` (`${network}:${nativeId}`).
import { z } from 'zod';
import { NetworkIdSchema } from './model';

/**
 * The counts one observation saw. Null is "not known at that time", never zero:
 * - `impressions`: X only (`public_metrics.impression_count`); Bluesky and Mastodon publish none.
 * - `bookmarks`: X (`public_metrics.bookmark_count`) and Bluesky (`bookmarkCount` of
 *   app.bsky.feed.defs#postView, @atproto/api 0.21); Mastodon does not publish them.
 * - `quotes`: X and Bluesky (`quoteCount`); Mastodon's `quotes_count` exists from 4.5 (null before).
 * - `linkClicks`, `profileClicks`: X owner-only metrics (`non_public_metrics.url_link_clicks`,
 *   `user_profile_clicks`), served for the owner's posts within 30 days of posting only.
 * An archive import gives likes and reposts only (X `favorite_count`, `retweet_count`).
 */
export const MetricValuesSchema = z.object({
  likes: z.number().int().nonnegative().nullable(),
  reposts: z.number().int().nonnegative().nullable(),
  replies: z.number().int().nonnegative().nullable(),
  quotes: z.number().int().nonnegative().nullable(),
  bookmarks: z.number().int().nonnegative().nullable(),
  impressions: z.number().int().nonnegative().nullable(),
  linkClicks: z.number().int().nonnegative().nullable(),
  profileClicks: z.number().int().nonnegative().nullable(),
});
export type MetricValues = z.infer<typeof MetricValuesSchema>;
export const METRIC_NAMES = [
  'likes',
  'reposts',
  'replies',
  'quotes',
  'bookmarks',
  'impressions',
  'linkClicks',
  'profileClicks',
] as const satisfies ReadonlyArray<keyof MetricValues>;
export type MetricName = (typeof METRIC_NAMES)[number];

/** Where an observation came from: the collector, a backfill page, an archive import, a send. */
export const SnapshotSourceSchema = z.enum(['collector', 'backfill', 'x-archive', 'mastodon-archive', 'outbox']);
export type SnapshotSource = z.infer<typeof SnapshotSourceSchema>;

/** One observation of a post's counts, at `at` (ms since the epoch, UTC). */
export const MetricSnapshotSchema = z.object({
  postId: z.string().min(1).max(300),
  at: z.number().int().nonnegative(),
  values: MetricValuesSchema,
  source: SnapshotSourceSchema,
});
export type MetricSnapshot = z.infer<typeof MetricSnapshotSchema>;

/**
 * One of the CM's own posts, as the analytics keep it. Reposts of others' posts are not own
 * posts (their counts are the original's) and are not kept; quotes and replies are.
 */
export const OwnPostSchema = z.object({
  /** `Post.id`: `${network}:${nativeId}`. */
  id: z.string().min(1).max(300),
  network: NetworkIdSchema,
  /** `Profile.id` of the author. */
  profileId: z.string().min(1).max(300),
  /** The author's handle when last seen (without '@'), for display and filters. */
  handle: z.string().max(300),
  /** Posting time, ms since the epoch (UTC). */
  createdAt: z.number().int(),
  text: z.string().max(100_000),
  /** Hashtags without '#', as written (case kept); matching is case-insensitive. */
  hashtags: z.array(z.string().max(300)).max(500),
  /** Carries images, video or GIFs. */
  hasMedia: z.boolean(),
  /** Replies to a post (its own or someone else's). */
  isReply: z.boolean(),
  isQuote: z.boolean(),
  /** The post on the network, when known. */
  url: z.string().max(2000).nullable(),
  /**
   * When the network first answered that the post no longer exists (deleted, or its account gone),
   * ms since the epoch; absent or null while it exists. Its history is kept, its counts as last seen.
   */
  goneAt: z.number().int().nonnegative().nullable().optional(),
});
export type OwnPost = z.infer<typeof OwnPostSchema>;

/** A profile's follower count on a day (its zone-free UTC date, "2026-11-30"). */
export const FollowerCountSchema = z.object({
  profileId: z.string().min(1).max(300),
  day: z.iso.date(),
  followers: z.number().int().nonnegative(),
  at: z.number().int().nonnegative(),
});
export type FollowerCount = z.infer<typeof FollowerCountSchema>;

/** The network answered that a post no longer exists, at `at` (ms since the epoch). */
export const PostGoneSchema = z.object({ postId: z.string().min(1).max(300), at: z.number().int().nonnegative() });
export type PostGone = z.infer<typeof PostGoneSchema>;

/**
 * What main delivers to the renderer's archive (event `analytics.delivery`): new or updated own
 * posts, new observations, follower counts, and posts the network says are gone (`gone`, absent
 * when none). The renderer acknowledges `seq` after its Dexie
 * commit; main keeps (and persists) what is not acknowledged.
 */
export const AnalyticsDeliverySchema = z.object({
  seq: z.number().int().positive(),
  posts: z.array(OwnPostSchema).max(1000),
  snapshots: z.array(MetricSnapshotSchema).max(5000),
  followers: z.array(FollowerCountSchema).max(1000),
  gone: z.array(PostGoneSchema).max(5000).optional(),
});
export type AnalyticsDelivery = z.infer<typeof AnalyticsDeliverySchema>;
