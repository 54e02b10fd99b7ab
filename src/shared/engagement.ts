// Engagement rate (issue 9): one number per post, always with the formula that made it and what
// it could not count. Pure functions shared by the renderer's analytics and anything main reports.
//
// Source of the rules: /work/shared/notes/networks.md, "Engagement rate":
// - X Analytics and Buffer define it as engagements / impressions, engagements summing likes,
//   replies, reposts, quotes, bookmarks, link clicks and profile clicks (only what the API returns
//   for the post's age: link and profile clicks are owner-only metrics served for 30 days).
// - Bluesky and Mastodon publish no impressions, so the honest rate there is interactions /
//   followers at the time of posting. The Sandbox simulates neither and is rated the same way.
import type { FollowerCount, MetricName, MetricValues } from './analytics';
import type { NetworkId } from './model';

/** Which denominator a rate uses: X's impressions, or the author's followers at posting time. */
export type EngagementFormula = 'impressions' | 'followers';

/** Why a post has no rate. */
export type NoRateReason =
  /** The formula is impressions-based and no impression count is known (an X archive import). */
  | 'no-impressions'
  /** Impressions known, but zero: nobody saw the post yet, a rate would divide by zero. */
  | 'zero-impressions'
  /** The formula is follower-based and no follower count of the author is known. */
  | 'no-followers'
  /** The author had no followers at posting time. */
  | 'zero-followers'
  /** None of the counts the formula sums is known. */
  | 'no-counts';

/** The counts each formula sums, in the order they are shown. */
export const ENGAGEMENT_PARTS: Readonly<Record<EngagementFormula, readonly MetricName[]>> = {
  impressions: ['likes', 'replies', 'reposts', 'quotes', 'bookmarks', 'linkClicks', 'profileClicks'],
  followers: ['likes', 'reposts', 'replies', 'quotes'],
};

/** The formula a network's posts are rated with: impressions on X, followers elsewhere. */
export function formulaOf(network: NetworkId): EngagementFormula {
  return network === 'x' ? 'impressions' : 'followers';
}

/** A profile's follower count taken as its count when a post was made (`followersAt`). */
export interface FollowersAtPosting {
  followers: number;
  /** The day of the count used (UTC date, "2026-11-30"). */
  day: string;
  /**
   * True when no count was taken on or before the posting day and the earliest later one stands
   * in for it: the rate is then an estimate (followers grow, so it is likely too low).
   */
  estimated: boolean;
}

/** A post's engagement rate and how it was obtained. */
export interface EngagementRate {
  /** engagements / denominator as a fraction (0.034 is 3.4 %), or null (see `reason`). */
  rate: number | null;
  formula: EngagementFormula;
  /** The numerator: the sum of the known `parts`. */
  engagements: number;
  /** The counts summed (known ones only), in `ENGAGEMENT_PARTS` order. */
  parts: MetricName[];
  /** The counts the formula sums that were unknown: the rate is partial when this is not empty. */
  missing: MetricName[];
  /** Impressions or followers at posting time; null when unknown. */
  denominator: number | null;
  /** The follower count stood in for one at posting time (`FollowersAtPosting.estimated`). */
  estimated: boolean;
  /** Why `rate` is null; null when there is a rate. */
  reason: NoRateReason | null;
}

/**
 * The engagement rate of a post of `network` with its latest known counts `values` (null: no
 * observation yet) and its author's follower count at posting time (`followersAt`'s answer, a
 * plain count, or null when none is known; ignored on X).
 *
 * - X: (likes + replies + reposts + quotes + bookmarks + linkClicks + profileClicks) / impressions,
 *   counting only the known parts (the others are listed in `missing`). X Analytics' and Buffer's
 *   definition (networks.md, "Engagement rate").
 * - Bluesky, Mastodon, Sandbox: (likes + reposts + replies + quotes) / followers at posting time,
 *   known parts only: these networks publish no impressions (networks.md).
 *
 * Never throws. The rate is null, with a `reason`, when the denominator is unknown or zero or when
 * no part of the numerator is known.
 */
export function engagementRate(
  network: NetworkId,
  values: MetricValues | null,
  followersAtPosting: FollowersAtPosting | number | null,
): EngagementRate {
  const formula = formulaOf(network);
  const parts: MetricName[] = [];
  const missing: MetricName[] = [];
  let engagements = 0;
  for (const name of ENGAGEMENT_PARTS[formula]) {
    const v = values?.[name] ?? null;
    if (v === null) missing.push(name);
    else {
      parts.push(name);
      engagements += v;
    }
  }
  let denominator: number | null;
  let estimated = false;
  if (formula === 'impressions') denominator = values?.impressions ?? null;
  else if (typeof followersAtPosting === 'number') denominator = followersAtPosting;
  else {
    denominator = followersAtPosting?.followers ?? null;
    estimated = followersAtPosting?.estimated ?? false;
  }
  let reason: NoRateReason | null = null;
  if (denominator === null) reason = formula === 'impressions' ? 'no-impressions' : 'no-followers';
  else if (denominator <= 0) reason = formula === 'impressions' ? 'zero-impressions' : 'zero-followers';
  else if (parts.length === 0) reason = 'no-counts';
  return {
    rate: reason === null ? engagements / denominator! : null,
    formula,
    engagements,
    parts,
    missing,
    denominator,
    estimated,
    reason,
  };
}

/** The UTC date ("2026-11-30") of an instant in ms since the epoch, as `FollowerCount.day` is written. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The author's follower count at the time of a post made at `instant` (ms since the epoch):
 * the last count whose day is on or before the posting day (UTC dates, as `FollowerCount.day`),
 * else the earliest count after it, flagged `estimated`; null when `counts` is empty.
 *
 * @param counts one profile's counts, sorted by `day` ascending, one per day (as the archive's
 *   `followerCounts` keeps them). Binary search: O(log n).
 */
export function followersAt(
  counts: ReadonlyArray<Pick<FollowerCount, 'day' | 'followers'>>,
  instant: number,
): FollowersAtPosting | null {
  if (counts.length === 0) return null;
  const day = utcDay(instant);
  // The first index whose day is after the posting day.
  let lo = 0;
  let hi = counts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (counts[mid]!.day <= day) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0) {
    const c = counts[lo - 1]!;
    return { followers: c.followers, day: c.day, estimated: false };
  }
  const c = counts[0]!;
  return { followers: c.followers, day: c.day, estimated: true };
}
