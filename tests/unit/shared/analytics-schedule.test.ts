// When the collector observes a post's counts: dense while it is young, sparse later, and on X a
// last harvest of the owner-only metrics before their 30-day window closes.
import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  HOUR_MS,
  nextSnapshotAt,
  ownerMetricsWanted,
  ownPostOf,
  hashtagsOfText,
} from '../../../src/shared/analytics-collection';
import type { NetworkId, Post } from '../../../src/shared/model';

const T0 = Date.UTC(2026, 10, 1, 9, 30);

/** Every observation a post gets over `days`, when each is made as soon as it is due. */
function observations(network: NetworkId, days: number): number[] {
  const out: number[] = [];
  let last: number | null = null;
  for (;;) {
    const at = nextSnapshotAt(network, T0, last);
    if (at > T0 + days * DAY_MS) return out;
    out.push(at - T0);
    last = at;
  }
}

describe('snapshot schedule', () => {
  it('observes at once, then every hour for two days, every day until day 30, every week after', () => {
    const seen = observations('bluesky', 60);
    expect(seen[0]).toBe(0);
    const firstTwoDays = seen.filter((t) => t > 0 && t <= 48 * HOUR_MS);
    expect(firstTwoDays).toEqual(Array.from({ length: 48 }, (_, i) => (i + 1) * HOUR_MS));
    const toDay30 = seen.filter((t) => t > 48 * HOUR_MS && t <= 30 * DAY_MS);
    expect(toDay30).toEqual(Array.from({ length: 28 }, (_, i) => (i + 3) * DAY_MS));
    expect(seen.filter((t) => t > 30 * DAY_MS)).toEqual([37 * DAY_MS, 44 * DAY_MS, 51 * DAY_MS, 58 * DAY_MS]);
  });

  it('on X, adds a last harvest of the owner-only metrics six hours before day 30, and asks for them until then', () => {
    const seen = observations('x', 40);
    const lastCall = 30 * DAY_MS - 6 * HOUR_MS;
    expect(seen).toContain(lastCall);
    expect(observations('mastodon', 40)).not.toContain(lastCall);
    // Every observation before the window closes asks for them; none after.
    const asked = seen.filter((t) => ownerMetricsWanted('x', T0, T0 + t));
    expect(asked.at(-1)).toBe(lastCall);
    expect(seen.filter((t) => t > lastCall).every((t) => !ownerMetricsWanted('x', T0, T0 + t))).toBe(true);
    expect(ownerMetricsWanted('bluesky', T0, T0 + HOUR_MS)).toBe(false);
  });

  it('does not make up observations missed while the app was closed: the next is the first point after the last', () => {
    // Last observed at hour 3, the app closed until day 5: due at once (hour 4 is past), then daily.
    expect(nextSnapshotAt('bluesky', T0, T0 + 3 * HOUR_MS)).toBe(T0 + 4 * HOUR_MS);
    const back = T0 + 5 * DAY_MS + 2 * HOUR_MS;
    expect(nextSnapshotAt('bluesky', T0, back)).toBe(T0 + 6 * DAY_MS);
    // An observation between two points moves to the next point, never sooner.
    expect(nextSnapshotAt('bluesky', T0, T0 + 90 * 60_000)).toBe(T0 + 2 * HOUR_MS);
  });
});

describe('own posts as the analytics keep them', () => {
  it('takes hashtags, media, reply and quote from the post', () => {
    const post = {
      id: 'bluesky:at://did:plc:cora/app.bsky.feed.post/3k',
      network: 'bluesky',
      nativeId: 'at://did:plc:cora/app.bsky.feed.post/3k',
      author: {
        id: 'bluesky:did:plc:cora',
        network: 'bluesky',
        handle: 'cora.test',
        displayName: 'Cora',
        avatarUrl: null,
        url: null,
      },
      text: 'Launch #IFPower #ifpower and #Café',
      entities: [],
      media: [],
      createdAt: new Date(T0).toISOString(),
      url: 'https://bsky.app/profile/cora.test/post/3k',
      metrics: { likes: 1, reposts: 0, replies: 0, quotes: 0, impressions: null },
      replyTo: 'bluesky:at://did:plc:x/app.bsky.feed.post/1',
    } satisfies Post;
    expect(ownPostOf(post)).toMatchObject({
      profileId: 'bluesky:did:plc:cora',
      handle: 'cora.test',
      createdAt: T0,
      hashtags: ['IFPower', 'Café'],
      hasMedia: false,
      isReply: true,
      isQuote: false,
    });
    expect(hashtagsOfText('a#b #1 #x_1 https://e.com/#frag')).toEqual(['x_1']);
  });
});
