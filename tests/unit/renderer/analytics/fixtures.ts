// Analytics tests: own posts, observations and follower counts as main and the importers deliver
// them, and a fresh Dexie database on fake-indexeddb per test.
import type { FollowerCount, MetricSnapshot, MetricValues, OwnPost } from '../../../../src/shared/analytics';

export { manualClock, openDb } from '../drafts/db';

export const NO_COUNTS: MetricValues = {
  likes: null,
  reposts: null,
  replies: null,
  quotes: null,
  bookmarks: null,
  impressions: null,
  linkClicks: null,
  profileClicks: null,
};

/** An own post; `id` is its native id on `network` (the post's id is `${network}:${id}`). */
export function ownPost(id: string, createdAt: string, over: Partial<OwnPost> = {}): OwnPost {
  const network = over.network ?? 'bluesky';
  return {
    id: `${network}:${id}`,
    network,
    profileId: `${network}:cm`,
    handle: 'cm.example',
    createdAt: Date.parse(createdAt),
    text: `Post ${id}`,
    hashtags: [],
    hasMedia: false,
    isReply: false,
    isQuote: false,
    url: null,
    ...over,
  };
}

export function snapshot(
  postId: string,
  at: string,
  values: Partial<MetricValues>,
  source: MetricSnapshot['source'] = 'collector',
): MetricSnapshot {
  return { postId, at: Date.parse(at), source, values: { ...NO_COUNTS, ...values } };
}

export function followers(profileId: string, day: string, count: number): FollowerCount {
  return { profileId, day, followers: count, at: Date.parse(`${day}T06:00:00Z`) };
}
