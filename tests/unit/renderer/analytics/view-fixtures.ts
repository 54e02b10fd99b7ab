// The analytics view's and column's tests: a small archive with one post per case the CM must
// see said (a rate with missing parts, a whole rate, no impressions from an X archive, followers
// counted after posting, a count a network does not give), through the archive's one way in.
import { archiveOf } from '../../../../src/renderer/analytics/archive-store';
import type { ColonnadeDb } from '../../../../src/renderer/db/database';
import { followers, ownPost, snapshot } from './fixtures';

/**
 * Five posts, one per case: an X post with impressions but no click counts (6.0 %), an X post
 * with every count (1.5 %), an X post known from an archive only (no impressions: no rate), a
 * Bluesky post whose followers were first counted after it (3.0 %, estimated), and a Mastodon
 * post without quotes (4.0 %).
 */
export async function seedArchive(db: ColonnadeDb) {
  await archiveOf(db).ingest({
    posts: [
      ownPost('1', '2026-02-20T10:00:00Z', {
        network: 'x',
        profileId: 'x:cm',
        handle: 'brand',
        text: 'Launch day #launch',
        hashtags: ['launch'],
        hasMedia: true,
        url: 'https://x.com/brand/status/1',
      }),
      ownPost('2', '2026-02-22T10:00:00Z', { network: 'x', profileId: 'x:cm', handle: 'brand', text: 'Quiet Tuesday' }),
      ownPost('3', '2024-05-01T10:00:00Z', {
        network: 'x',
        profileId: 'x:cm',
        handle: 'brand',
        text: 'Old archive post',
      }),
      ownPost('4', '2026-02-25T10:00:00Z', {
        network: 'bluesky',
        profileId: 'bluesky:cm',
        handle: 'brand.bsky.social',
        text: 'Bluesky thread #launch',
        hashtags: ['Launch'],
      }),
      ownPost('5', '2026-02-10T10:00:00Z', {
        network: 'mastodon',
        profileId: 'mastodon:cm',
        handle: 'brand@mastodon.social',
        text: 'مرحبا Mastodon',
        isReply: true,
      }),
    ],
    snapshots: [
      snapshot('x:1', '2026-02-21T10:00:00Z', {
        likes: 40,
        reposts: 10,
        replies: 5,
        quotes: 2,
        bookmarks: 3,
        impressions: 1000,
      }),
      snapshot('x:2', '2026-02-23T10:00:00Z', {
        likes: 20,
        reposts: 2,
        replies: 2,
        quotes: 0,
        bookmarks: 0,
        impressions: 2000,
        linkClicks: 4,
        profileClicks: 2,
      }),
      snapshot('x:3', '2025-01-22T05:46:38Z', { likes: 12, reposts: 3 }, 'x-archive'),
      snapshot('bluesky:4', '2026-02-26T10:00:00Z', { likes: 10, reposts: 3, replies: 1, quotes: 1 }),
      snapshot('mastodon:5', '2026-02-11T10:00:00Z', { likes: 4, reposts: 2, replies: 2 }),
    ],
    followers: [followers('bluesky:cm', '2026-02-26', 500), followers('mastodon:cm', '2026-02-01', 200)],
  });
}
