// The metrics collector with the real X and Mastodon adapters against their emulators: the
// counts it collects match what the server holds after another account likes, reposts (and
// quotes) the CM's posts; X's owner-only metrics come for posts under 30 days old only; and an X
// backfill stops at the 3,200 posts X serves, saying so.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createXAdapter, type XCredentials } from '../../../src/main/networks/x';
import { createMastodonAdapter } from '../../../src/main/networks/mastodon';
import { systemClock } from '../../../src/main/core/ports';
import type { NetworkAdapter, RateWindow } from '../../../src/shared/adapter';
import { DAY_MS, HOUR_MS } from '../../../src/shared/analytics-collection';
import { entryOf } from '../../../src/shared/model';
import { startXEmulator, ME_ID, ME_USERNAME, type XEmulator } from '../../emulators/x';
import { OWNER_USERNAME, startMastodonEmulator, type MastodonEmulator } from '../../emulators/mastodon';
import { MemoryLogger } from '../../doubles/ports';
import { collectorRig } from '../../support/analytics-rig';

const CLIENT = { clientId: 'colonnade-test-client', redirectUri: 'http://127.0.0.1:53682/x/callback' };
/** Another account of the X emulator's world (ada_makes). */
const ADA = '1500000000000000010';

function xAdapter(emu: XEmulator, userId: string, onRateWindow?: (w: RateWindow) => void): NetworkAdapter {
  const pair = emu.control.issueOAuth2({ userId });
  const creds: XCredentials = {
    kind: 'oauth2',
    clientId: CLIENT.clientId,
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    expiresAt: pair.expiresAt,
    apiBase: emu.url,
  };
  return createXAdapter(creds, {
    clock: systemClock,
    log: new MemoryLogger(),
    saveCredentials: async () => undefined,
    ...(onRateWindow ? { onRateWindow } : {}),
  });
}

describe('analytics against the X emulator', () => {
  let emu: XEmulator;
  beforeAll(async () => {
    emu = await startXEmulator({ clients: [CLIENT] });
  });
  afterAll(async () => {
    await emu?.close();
  });
  afterEach(() => {
    expect(emu.violations.splice(0)).toEqual([]);
  });

  it('collects the counts X has after another account likes and reposts, with link and profile clicks under 30 days only', async () => {
    const rig = collectorRig(xAdapter(emu, ME_ID), { id: `x:${ME_ID}`, network: 'x', handle: ME_USERNAME });
    const me = xAdapter(emu, ME_ID);
    const young = await me.publish({ text: 'Our launch notes are out #launch', idempotencyKey: 'analytics-x-0001' });
    const old = emu.control.addTweet({
      authorId: ME_ID,
      text: 'An old announcement',
      createdAt: Date.now() - 40 * DAY_MS,
    });
    const oldPost = (await me.readTimeline({ kind: 'user', query: ME_USERNAME, direction: 'older', limit: 100 })).items
      .map((e) => e.post!)
      .find((p) => p.id === `x:${old.id}`)!;
    expect(oldPost).toBeDefined();
    rig.collector.met([entryOf(young), entryOf(oldPost)]);
    await rig.clock.advance(60_000);
    await rig.collector.collectNow();
    expect(rig.latest(young.id)).toMatchObject({ likes: 0, reposts: 0 });

    // Another account likes and reposts both; X counts clicks on the young post's link and profile.
    const ada = xAdapter(emu, ADA);
    for (const post of [young, oldPost]) {
      await ada.act(post.id, 'like');
      await ada.act(post.id, 'repost');
    }
    const youngOnX = emu.state.tweets.get(young.nativeId)!;
    youngOnX.linkClicks = 7;
    youngOnX.profileClicks = 2;
    youngOnX.bookmarks = 3;
    emu.state.tweets.get(old.id)!.linkClicks = 5;

    // An hour on, the young post is observed again; the old one only at its next weekly point.
    await rig.clock.advance(HOUR_MS);
    await rig.collector.collectNow();
    expect(rig.latest(oldPost.id)).toMatchObject({ likes: 0, reposts: 0 });
    await rig.clock.advance(7 * DAY_MS);
    await rig.collector.collectNow();
    expect(rig.latest(young.id)).toEqual({
      likes: youngOnX.likes.size,
      reposts: youngOnX.retweets.size,
      replies: youngOnX.replies,
      quotes: youngOnX.quotes,
      bookmarks: 3,
      impressions: youngOnX.impressions,
      linkClicks: 7,
      profileClicks: 2,
    });
    expect(youngOnX.likes.size).toBe(1);
    expect(youngOnX.retweets.size).toBe(1);
    const oldOnX = emu.state.tweets.get(old.id)!;
    expect(rig.latest(oldPost.id)).toMatchObject({
      likes: oldOnX.likes.size,
      reposts: oldOnX.retweets.size,
      linkClicks: null,
      profileClicks: null,
    });
    // The owner-only fields were asked for the young post only (X refuses them for older ones).
    const withOwnerFields = emu.served.filter(
      (s) => s.endpoint === 'GET /2/tweets' && (s.query.get('tweet.fields') ?? '').includes('non_public_metrics'),
    );
    expect(withOwnerFields.flatMap((s) => s.ids)).toContain(young.nativeId);
    expect(withOwnerFields.flatMap((s) => s.ids)).not.toContain(old.id);
    rig.collector.stop();
  });

  it('refuses owner-only metrics as X does: for another account’s post, and for the CM’s posts older than 30 days', async () => {
    const me = xAdapter(emu, ME_ID);
    const old = emu.control.addTweet({ authorId: ME_ID, text: 'Old news', createdAt: Date.now() - 31 * DAY_MS });
    const theirs = emu.control.addTweet({ authorId: ADA, text: 'Ada’s post' });
    const res = await fetch(`${emu.url}/2/tweets?ids=${old.id},${theirs.id}&tweet.fields=non_public_metrics`, {
      headers: { authorization: `Bearer ${emu.control.issueOAuth2({ userId: ME_ID }).accessToken}` },
    });
    const body = (await res.json()) as { data?: unknown[]; errors: Array<{ type: string; resource_id: string }> };
    expect(res.status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors.map((e) => [e.resource_id, e.type.split('/').at(-1)])).toEqual([
      [old.id, 'not-authorized-for-field'],
      [theirs.id, 'not-authorized-for-field'],
    ]);
    // The adapter asks them only where X serves them, so both posts still get their counts.
    const got = await me.ownMetrics!([
      { id: `x:${old.id}`, createdAt: old.createdAt },
      { id: `x:${theirs.id}`, createdAt: theirs.createdAt },
    ]);
    expect(got.values.get(`x:${old.id}`)).toMatchObject({ likes: 0, linkClicks: null });
    // A post whose age the caller got wrong is refused the fields, then read without them.
    const misdated = await me.ownMetrics!([{ id: `x:${old.id}`, createdAt: Date.now() - DAY_MS }]);
    expect(misdated.values.get(`x:${old.id}`)).toMatchObject({ likes: 0, linkClicks: null });
  });

  it('backfills the latest 3,200 posts X serves and says that older ones are out of reach', async () => {
    const base = Date.now() - 5 * DAY_MS;
    for (let i = 0; i < 3_300; i++)
      emu.control.addTweet({ authorId: ME_ID, text: `Archive post ${i} #backfill`, createdAt: base + i * 60_000 });
    // The newest was bookmarked and seen: the page X serves says so (public_metrics).
    const newestTweet = emu.state.timeline((t) => t.authorId === ME_ID)[0]!;
    newestTweet.bookmarks = 7;
    newestTweet.impressions = 900;
    const rig = collectorRig(
      xAdapter(emu, ME_ID, (w) => rig.budget.observe(w)),
      { id: `x:${ME_ID}`, network: 'x', handle: ME_USERNAME },
      { backfillPagesPerRound: 100 },
    );
    await rig.collector.backfill(rig.profileId);
    const status = await rig.backfillToEnd();
    const total = emu.state.timeline((t) => t.authorId === ME_ID).length;
    expect(total).toBeGreaterThan(3_200);
    expect(status.backfill).toMatchObject({
      state: 'done',
      scanned: 3_200,
      ownPosts: 3_200,
      total,
      limit: { reason: 'x-timeline-limit', params: { count: '3200' } },
    });
    const posts = new Set(rig.deliveries.flatMap((d) => d.posts.map((p) => p.id)));
    expect(posts.size).toBe(3_200);
    expect(status.posts).toBe(3_200);
    // What it read is X's newest 3,200: the first seeded posts are beyond them.
    const newest = emu.state.timeline((t) => t.authorId === ME_ID).slice(0, 3_200);
    expect([...posts].sort()).toEqual(newest.map((t) => `x:${t.id}`).sort());
    // Each backfilled post came with its counts as the page showed them.
    expect(rig.deliveries.flatMap((d) => d.snapshots).filter((s) => s.source === 'backfill')).toHaveLength(3_200);
    // Bookmarks and impressions as the page gave them: the rate is whole at once, not at the next round.
    const first = rig.deliveries
      .flatMap((d) => d.snapshots)
      .find((s) => s.source === 'backfill' && s.postId === `x:${newestTweet.id}`);
    expect(first?.values).toMatchObject({ bookmarks: 7, impressions: 900 });
    rig.collector.stop();
  });
});

describe('analytics against the Mastodon emulator', () => {
  let emu: MastodonEmulator;
  beforeAll(async () => {
    emu = await startMastodonEmulator();
  });
  afterAll(async () => {
    await emu?.close();
  });
  afterEach(() => {
    expect(emu.violations.splice(0)).toEqual([]);
  });

  const adapterAs = (username: string) =>
    createMastodonAdapter(
      { instanceUrl: emu.url, accessToken: emu.issueToken(username) },
      { clock: systemClock, log: new MemoryLogger(), saveCredentials: async () => undefined },
    );

  it('collects the counts the instance has after another account favourites, boosts and quotes', async () => {
    const me = adapterAs(OWNER_USERNAME);
    const profile = await me.verify();
    const rig = collectorRig(me, { id: profile.id, network: 'mastodon', handle: profile.handle });
    const post = await me.publish({ text: 'Our community call is on Thursday', idempotencyKey: 'analytics-m-0001' });
    rig.collector.met([entryOf(post)]);
    await rig.clock.advance(60_000);
    await rig.collector.collectNow();
    expect(rig.latest(post.id)).toMatchObject({ likes: 0, reposts: 0, quotes: 0 });

    const alice = adapterAs('alice');
    await alice.act(post.id, 'like');
    await alice.act(post.id, 'repost');
    emu.postWith('bob', 'Worth a listen', { quoteOf: post.nativeId });
    await rig.clock.advance(HOUR_MS);
    await rig.collector.collectNow();
    expect(rig.latest(post.id)).toEqual({
      likes: emu.favouritedBy(post.nativeId).length,
      reposts: emu.boostedBy(post.nativeId).length,
      replies: 0,
      quotes: 1,
      bookmarks: null,
      impressions: null,
      linkClicks: null,
      profileClicks: null,
    });
    expect(emu.favouritedBy(post.nativeId)).toHaveLength(1);
    expect(emu.boostedBy(post.nativeId)).toHaveLength(1);
    // Read by ids in one request (Mastodon 4.3+: GET /api/v1/statuses?id[]=).
    expect(emu.requests.some((r) => r.path === '/api/v1/statuses' && r.method === 'GET')).toBe(true);
    rig.collector.stop();
  });
});
