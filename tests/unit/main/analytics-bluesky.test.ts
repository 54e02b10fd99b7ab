// The metrics collector with the real Bluesky adapter against a local Bluesky network (PLC, PDS,
// AppView): counts match what the AppView has after another account likes, reposts and
// bookmarks; a profile with a few hundred posts is backfilled page by page, its reposts of others
// left out, and a backfill interrupted goes on from where it stopped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBluesky, createBlueskyAdapter } from '../../../src/main/networks/bluesky';
import type { NetworkAdapter, TimelineRequest } from '../../../src/shared/adapter';
import { HOUR_MS } from '../../../src/shared/analytics-collection';
import { entryOf } from '../../../src/shared/model';
import { recordingContext } from '../../support/bluesky-fixtures';
import { startBlueskyNetwork, type BlueskyTestAccount, type BlueskyTestNetwork } from '../../support/bluesky-network';
import { collectorRig } from '../../support/analytics-rig';

let net: BlueskyTestNetwork;
let cora: BlueskyTestAccount;
let poppy: BlueskyTestAccount;
let dora: BlueskyTestAccount;
const OWN_POSTS = 300;
const REPOSTS = 5;

beforeAll(async () => {
  net = await startBlueskyNetwork();
  [cora, poppy, dora] = await Promise.all([
    net.createAccount('cora'),
    net.createAccount('poppy'),
    net.createAccount('dora'),
  ]);
  // Dora's history: 300 posts written straight into her repository (100 a call), and reposts of
  // poppy's posts among them.
  const start = Date.now() - 30 * 24 * HOUR_MS;
  for (let batch = 0; batch < OWN_POSTS / 100; batch++) {
    await dora.agent.com.atproto.repo.applyWrites({
      repo: dora.did,
      writes: Array.from({ length: 100 }, (_, i) => {
        const n = batch * 100 + i;
        return {
          $type: 'com.atproto.repo.applyWrites#create' as const,
          collection: 'app.bsky.feed.post',
          value: {
            $type: 'app.bsky.feed.post',
            text: `Dora's post number ${n}`,
            createdAt: new Date(start + n * 60 * 60_000).toISOString(),
          },
        };
      }),
    });
  }
  for (let i = 0; i < REPOSTS; i++) await net.repost(dora, await net.post(poppy, `Poppy's news ${i}`));
  await net.sync();
}, 180_000);
afterAll(async () => {
  await net?.close();
}, 60_000);

async function adapterOf(account: BlueskyTestAccount): Promise<NetworkAdapter> {
  const creds = await connectBluesky({
    service: net.pdsUrl,
    identifier: account.handle,
    appPassword: account.password,
  });
  return createBlueskyAdapter(creds, recordingContext());
}

describe('analytics against a local Bluesky network', () => {
  it('collects the counts the AppView has after another account likes, reposts and bookmarks', async () => {
    const adapter = await adapterOf(cora);
    const rig = collectorRig(adapter, { id: `bluesky:${cora.did}`, network: 'bluesky', handle: cora.handle });
    const ref = await net.post(cora, 'Our roadmap for the spring #IFPower');
    await net.sync();
    const post = (await adapter.readTimeline({ kind: 'user', query: cora.handle, direction: 'older', limit: 10 }))
      .items[0]!.post!;
    expect(post.text).toContain('roadmap');
    rig.collector.met([entryOf(post)]);
    await rig.clock.advance(60_000);
    await rig.collector.collectNow();
    expect(rig.latest(post.id)).toMatchObject({ likes: 0, reposts: 0, bookmarks: 0 });

    await net.like(poppy, ref);
    await net.repost(poppy, ref);
    await poppy.agent.app.bsky.bookmark.createBookmark({ uri: ref.uri, cid: ref.cid });
    await net.sync();
    await rig.clock.advance(HOUR_MS);
    await rig.collector.collectNow();

    const onServer = (await poppy.agent.app.bsky.feed.getPosts({ uris: [ref.uri] })).data.posts[0]!;
    expect(onServer).toMatchObject({ likeCount: 1, repostCount: 1, bookmarkCount: 1 });
    expect(rig.latest(post.id)).toEqual({
      likes: onServer.likeCount,
      reposts: onServer.repostCount,
      replies: onServer.replyCount,
      quotes: onServer.quoteCount,
      bookmarks: onServer.bookmarkCount ?? null,
      impressions: null,
      linkClicks: null,
      profileClicks: null,
    });
    rig.collector.stop();
  }, 60_000);

  it('backfills a profile with a few hundred posts, without its reposts, and goes on after an interruption', async () => {
    const adapter = await adapterOf(dora);
    const reads: Array<TimelineRequest['cursor']> = [];
    // The adapter, with every timeline read's cursor written down.
    const counting = new Proxy(adapter, {
      get(target, prop) {
        if (prop === 'readTimeline')
          return (req: TimelineRequest) => {
            reads.push(req.cursor ?? null);
            return target.readTimeline(req);
          };
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const rig = collectorRig(
      counting,
      { id: `bluesky:${dora.did}`, network: 'bluesky', handle: dora.handle },
      { backfillPage: 100, backfillPagesPerRound: 1 },
    );
    await rig.collector.backfill(rig.profileId);
    // One round: the profile's page (followers, and its post count: the backfill's total), then one page.
    await rig.collector.collectNow();
    const first = rig.status().backfill!;
    expect(first).toMatchObject({ state: 'running', scanned: 100, total: OWN_POSTS });
    expect(reads).toEqual([null]);

    // Colonnade quits here; the next run goes on from the page after.
    const before = reads.length;
    rig.restart();
    const done = await rig.backfillToEnd();
    expect(reads[before]).not.toBeNull();
    expect(reads.slice(before)).not.toContain(null);
    expect(done.backfill).toMatchObject({
      state: 'done',
      scanned: OWN_POSTS + REPOSTS,
      ownPosts: OWN_POSTS,
      total: OWN_POSTS,
      limit: null,
      error: null,
    });
    const delivered = rig.deliveries.flatMap((d) => d.posts);
    expect(new Set(delivered.map((p) => p.id)).size).toBe(OWN_POSTS);
    expect(delivered.every((p) => p.profileId === rig.profileId && p.text.startsWith("Dora's post"))).toBe(true);
    expect(done.posts).toBe(OWN_POSTS);
    expect(done.backfill!.reachedBack).toBe(new Date(Math.min(...delivered.map((p) => p.createdAt))).toISOString());
    rig.collector.stop();
  }, 60_000);
});
