// The metrics collector with a fake clock and a fake network: the schedule it keeps, the X
// owner-only harvest, deliveries kept until acknowledged across restarts, its registry restored,
// its place behind the columns in the rate budget, and the X monthly budget.
import { describe, expect, it } from 'vitest';
import { AnalyticsCollector, type AnalyticsOptions, type OwnProfile } from '../../../src/main/core/analytics/collector';
import { RateBudget } from '../../../src/main/core/monitors/budget';
import type { NetworkAdapter, OwnPostRef, RateBucket } from '../../../src/shared/adapter';
import type { AnalyticsDelivery, MetricSnapshot } from '../../../src/shared/analytics';
import { DAY_MS, HOUR_MS, ownerMetricsWanted, type AnalyticsStatus } from '../../../src/shared/analytics-collection';
import type { AppError } from '../../../src/shared/errors';
import { entryOf, type NetworkId, type Post, type TimelineEntry } from '../../../src/shared/model';
import type { PublishJob } from '../../../src/shared/outbox';
import { FakeClock, MemoryJournals, MemoryLogger } from '../../doubles/ports';

const WINDOW = 15 * 60_000;

/** A network whose counts the test sets; it records each request the collector makes. */
class FakeServer {
  likes = new Map<string, number>();
  gone = new Set<string>();
  linkClicks = 7;
  /** Each counts request: when, the ids, and which of them were asked with owner-only metrics. */
  calls: Array<{ at: number; ids: string[]; owner: string[] }> = [];
  followers = 120;
  metricsBucket: RateBucket;

  constructor(
    readonly network: NetworkId,
    private readonly clock: FakeClock,
    limit = 5_000,
  ) {
    this.metricsBucket = { bucket: 'lookup', limit, windowMs: WINDOW, idsPerRequest: 100 };
  }

  adapter(): NetworkAdapter {
    const fake: Partial<NetworkAdapter> = {
      network: this.network,
      rateBucket: (of) =>
        of === 'metrics' ? this.metricsBucket : { bucket: 'timeline', limit: 900, windowMs: WINDOW },
      ownMetrics: async (refs: readonly OwnPostRef[]) => {
        const now = this.clock.now();
        const owner = refs.filter((r) => ownerMetricsWanted(this.network, r.createdAt, now)).map((r) => r.id);
        this.calls.push({ at: now, ids: refs.map((r) => r.id), owner });
        const values = new Map();
        for (const r of refs) {
          if (this.gone.has(r.id)) continue;
          const o = owner.includes(r.id);
          values.set(r.id, {
            likes: this.likes.get(r.id) ?? 0,
            reposts: 0,
            replies: 0,
            quotes: 0,
            bookmarks: null,
            impressions: null,
            linkClicks: o ? this.linkClicks : null,
            profileClicks: o ? 1 : null,
          });
        }
        return { values, gone: refs.filter((r) => this.gone.has(r.id)).map((r) => r.id) };
      },
      profile: async (handle: string) => ({
        id: `${this.network}:me`,
        network: this.network,
        handle,
        displayName: 'Me',
        avatarUrl: null,
        url: null,
        bio: '',
        followers: this.followers,
        following: 1,
        posts: 0,
      }),
      readTimeline: async () => ({ items: [], older: null, newer: null }),
    };
    return fake as NetworkAdapter;
  }
}

interface Rig {
  clock: FakeClock;
  journals: MemoryJournals;
  server: FakeServer;
  budget: RateBudget;
  deliveries: AnalyticsDelivery[];
  statuses: AnalyticsStatus[];
  collector: AnalyticsCollector;
  paused: AppError | null;
  restart(): AnalyticsCollector;
}

function rig(network: NetworkId = 'x', options: AnalyticsOptions = {}, limit?: number): Rig {
  const clock = new FakeClock();
  const journals = new MemoryJournals();
  const server = new FakeServer(network, clock, limit);
  const profile: OwnProfile = { id: `${network}:me`, network, handle: 'me' };
  const r = {
    clock,
    journals,
    server,
    budget: new RateBudget(clock.now),
    deliveries: [] as AnalyticsDelivery[],
    statuses: [] as AnalyticsStatus[],
    paused: null as AppError | null,
  } as Rig;
  const make = () => {
    const c = new AnalyticsCollector(
      {
        clock,
        log: new MemoryLogger(),
        journal: journals.open('analytics'),
        adapterFor: () => server.adapter(),
        profiles: () => [profile],
        budget: () => r.budget,
        paused: () => r.paused,
        deliver: (d) => void r.deliveries.push(structuredClone(d)),
        status: (s) => void r.statuses.push(s),
        random: () => 0.5,
      },
      { autoBackfill: false, ...options },
    );
    c.start();
    return c;
  };
  r.collector = make();
  r.restart = () => {
    r.collector.stop();
    r.collector = make();
    return r.collector;
  };
  return r;
}

function ownPost(network: NetworkId, n: number, createdAt: number): Post {
  return {
    id: `${network}:${1000 + n}`,
    network,
    nativeId: String(1000 + n),
    author: { id: `${network}:me`, network, handle: 'me', displayName: 'Me', avatarUrl: null, url: null },
    text: `Post ${n} #launch`,
    entities: [],
    media: [],
    createdAt: new Date(createdAt).toISOString(),
    url: null,
    metrics: { likes: 0, reposts: 0, replies: 0, quotes: 0, impressions: null },
  };
}

const snapshotsOf = (r: Rig, postId: string): MetricSnapshot[] =>
  r.deliveries.flatMap((d) => d.snapshots.filter((s) => s.postId === postId));

describe('metrics collector: schedule', () => {
  it('observes a post hourly for two days, daily to day 30, weekly after, and harvests X link clicks until 6 hours before day 30', async () => {
    const r = rig('x', { tickMs: 15 * 60_000 });
    const t0 = r.clock.now();
    const post = ownPost('x', 1, t0);
    r.collector.met([entryOf(post)]);
    // Likes grow every hour, so every observation is a new snapshot.
    for (let h = 0; h < 40 * 24; h++) {
      r.server.likes.set(post.id, h);
      await r.clock.advance(HOUR_MS);
    }
    const at = r.server.calls.filter((c) => c.ids.includes(post.id)).map((c) => c.at - t0);
    const inFirstTwoDays = at.filter((t) => t <= 48 * HOUR_MS + 15 * 60_000);
    // At once (within the first tick), then one per hour.
    expect(inFirstTwoDays).toHaveLength(49);
    const daily = at.filter((t) => t > 49 * HOUR_MS && t <= 30 * DAY_MS + 15 * 60_000);
    expect(daily).toHaveLength(28 + 1); // days 3…30, and X's last harvest
    // Weekly after: one at day 37, at the first tick once it is due.
    const weekly = at.filter((t) => t > 31 * DAY_MS);
    expect(weekly).toHaveLength(1);
    expect(weekly[0]).toBeGreaterThanOrEqual(37 * DAY_MS);
    expect(weekly[0]).toBeLessThanOrEqual(37 * DAY_MS + 15 * 60_000);

    // The owner-only metrics were asked on every observation until the last harvest, never after.
    const asked = r.server.calls.filter((c) => c.owner.includes(post.id)).map((c) => c.at - t0);
    const lastHarvest = asked.at(-1)!;
    expect(lastHarvest).toBeGreaterThanOrEqual(30 * DAY_MS - 6 * HOUR_MS);
    expect(lastHarvest).toBeLessThan(30 * DAY_MS - 5 * HOUR_MS);
    expect(asked).toHaveLength(at.filter((t) => t <= lastHarvest).length);
    const snaps = snapshotsOf(r, post.id);
    expect(snaps.filter((s) => s.values.linkClicks === 7).at(-1)!.at - t0).toBe(lastHarvest);
    expect(snaps.filter((s) => s.at - t0 > lastHarvest).every((s) => s.values.linkClicks === null)).toBe(true);
    // Daily follower counts, one per UTC day.
    const days = r.deliveries.flatMap((d) => d.followers.map((f) => f.day));
    expect(new Set(days).size).toBe(days.length);
    expect(days.length).toBeGreaterThanOrEqual(40);
    r.collector.stop();
  });

  it('does not deliver an observation whose counts did not change, and stops collecting a post that is gone (telling the archive when)', async () => {
    const r = rig('bluesky');
    const post = ownPost('bluesky', 2, r.clock.now());
    r.collector.met([entryOf(post)]);
    await r.clock.advance(3 * HOUR_MS + 60_000);
    expect(r.server.calls.filter((c) => c.ids.includes(post.id))).toHaveLength(4);
    expect(snapshotsOf(r, post.id)).toHaveLength(1);
    r.server.likes.set(post.id, 3);
    await r.clock.advance(HOUR_MS);
    expect(snapshotsOf(r, post.id).map((s) => s.values.likes)).toEqual([0, 3]);
    r.server.gone.add(post.id);
    const before = r.clock.now();
    await r.clock.advance(HOUR_MS);
    const told = r.deliveries.flatMap((d) => d.gone ?? []);
    expect(told.map((g) => g.postId)).toEqual([post.id]);
    expect(told[0]!.at).toBeGreaterThan(before);
    expect(told[0]!.at).toBeLessThanOrEqual(r.clock.now());
    const asked = r.server.calls.filter((c) => c.ids.includes(post.id)).length;
    await r.clock.advance(5 * HOUR_MS);
    expect(r.server.calls.filter((c) => c.ids.includes(post.id))).toHaveLength(asked);
    expect(r.collector.statuses()[0]!.posts).toBe(0);
    r.collector.stop();
  });
});

describe('metrics collector: deliveries and restarts', () => {
  it('keeps unacknowledged deliveries across a restart, forgets acknowledged ones, and numbers on', async () => {
    const r = rig('bluesky');
    const t0 = r.clock.now();
    r.collector.met([1, 2, 3].map((n) => entryOf(ownPost('bluesky', n, t0))));
    await r.clock.advance(60_000);
    const first = r.deliveries.map((d) => d.seq);
    expect(first.length).toBeGreaterThanOrEqual(2); // the posts, then their first snapshots
    expect(r.collector.pending().deliveries.map((d) => d.seq)).toEqual(first);

    // The renderer stored the first one only; main restarts.
    r.collector.ack(first[0]!);
    r.restart();
    expect(r.collector.pending().deliveries.map((d) => d.seq)).toEqual(first.slice(1));
    expect(r.collector.pending(first[1]!).deliveries.map((d) => d.seq)).toEqual(first.slice(2));
    const kept = r.collector.pending().deliveries.flatMap((d) => d.snapshots.map((s) => s.postId));
    expect(kept.sort()).toEqual(['bluesky:1001', 'bluesky:1002', 'bluesky:1003']);

    // Acknowledged everything, and restarted again: nothing is pending, new numbers go on.
    r.collector.ack(first.at(-1)!);
    r.restart();
    expect(r.collector.pending().deliveries).toEqual([]);
    r.server.likes.set('bluesky:1001', 9);
    await r.clock.advance(HOUR_MS);
    const next = r.deliveries.slice(first.length);
    expect(next.length).toBeGreaterThan(0);
    expect(next[0]!.seq).toBe(first.at(-1)! + 1);
    r.collector.stop();
  });

  it('goes on with each post’s schedule after a restart, and remembers its last counts (no repeat snapshot)', async () => {
    const r = rig('mastodon');
    const post = ownPost('mastodon', 1, r.clock.now());
    r.collector.met([entryOf(post)]);
    await r.clock.advance(HOUR_MS + 60_000); // observed at once and at hour 1
    const calls = r.server.calls.length;
    r.restart();
    await r.clock.advance(30 * 60_000); // hour 1.5: nothing due
    expect(r.server.calls.length).toBe(calls);
    await r.clock.advance(31 * 60_000); // hour 2: due
    expect(r.server.calls.length).toBe(calls + 1);
    // Same counts as before the restart: not delivered again.
    expect(snapshotsOf(r, post.id)).toHaveLength(1);
    r.collector.stop();
  });

  it('registers the posts a sent job made, with a first observation at sending (nothing yet)', async () => {
    const r = rig('bluesky');
    const sentAt = new Date(r.clock.now()).toISOString();
    const job: PublishJob = {
      id: 'job-00000001',
      createdAt: sentAt,
      content: {
        parts: [
          { text: 'Hello #World', media: [] },
          { text: 'and more', media: [] },
        ],
      },
      when: { kind: 'now' },
      targets: [
        {
          profileId: 'bluesky:me',
          network: 'bluesky',
          due: null,
          state: 'sent',
          parts: [
            { key: 'key-00000001', postId: 'bluesky:p1', url: 'https://bsky.app/p1', sentAt },
            { key: 'key-00000002', postId: 'bluesky:p2', url: null, sentAt },
          ],
          attempt: null,
          attempts: 0,
          updatedAt: sentAt,
        },
      ],
    };
    r.collector.sent(job);
    r.collector.sent(job); // the outbox reports a job many times: registered once
    await r.clock.advance(1_000);
    const posts = r.deliveries.flatMap((d) => d.posts);
    expect(posts.map((p) => [p.id, p.hashtags, p.isReply, p.url])).toEqual([
      ['bluesky:p1', ['World'], false, 'https://bsky.app/p1'],
      ['bluesky:p2', [], true, null],
    ]);
    expect(snapshotsOf(r, 'bluesky:p1')).toMatchObject([{ source: 'outbox', values: { likes: 0, reposts: 0 } }]);
    // The next observation is an hour after sending, not at once.
    await r.clock.advance(30 * 60_000);
    expect(r.server.calls).toEqual([]);
    await r.clock.advance(31 * 60_000);
    expect(r.server.calls.flatMap((c) => c.ids).sort()).toEqual(['bluesky:p1', 'bluesky:p2']);
    r.collector.stop();
  });

  it('keeps 5,000 posts compactly (a few dozen bytes each) and loads them all after a restart', async () => {
    const r = rig('bluesky');
    const t0 = r.clock.now() - 400 * DAY_MS;
    const entries: TimelineEntry[] = [];
    for (let n = 0; n < 5_000; n++) {
      const p = ownPost('bluesky', n, t0 + n * 60_000);
      p.id = `bluesky:at://did:plc:abcdefghijklmnopqrstuvwx/app.bsky.feed.post/3k${n.toString(36).padStart(8, '0')}`;
      entries.push(entryOf(p));
    }
    r.collector.met(entries);
    await r.clock.advance(1_000);
    r.restart();
    expect(r.collector.statuses()[0]!.posts).toBe(5_000);
    const snapshot = r.journals.snapshots.get('analytics')!;
    // Pending deliveries (the posts themselves) aside, each post takes a few dozen bytes.
    const doc = JSON.parse(snapshot) as { data: { posts: unknown; pending: unknown } };
    const bytesPerPost = JSON.stringify(doc.data.posts).length / 5_000;
    expect(bytesPerPost).toBeLessThan(40);
    r.collector.stop();
  });
});

describe('metrics collector: budgets', () => {
  it('leaves at least half of each rate window to the columns, and collects once the window resets', async () => {
    const r = rig('mastodon', {}, 40);
    r.server.metricsBucket = { bucket: 'account', limit: 40, windowMs: WINDOW, idsPerRequest: 1 };
    const t0 = r.clock.now();
    r.collector.met(Array.from({ length: 60 }, (_, n) => entryOf(ownPost('mastodon', n, t0))));
    // The columns have used most of the window already.
    for (let i = 0; i < 20; i++) r.budget.take('account', r.server.metricsBucket);
    await r.clock.advance(60_000);
    expect(r.server.calls).toEqual([]);
    expect(r.collector.statuses()[0]).toMatchObject({ due: 60, waiting: { reason: 'rate-budget' } });

    // A new window: the collector takes what is spare, never the columns' half.
    await r.clock.advance(WINDOW);
    expect(r.server.calls.length).toBeGreaterThan(0);
    const { usable } = r.budget.headroom('account', r.server.metricsBucket);
    expect(usable).toBeGreaterThanOrEqual(20);
    expect(r.budget.check('account', r.server.metricsBucket).why).not.toBe('spent');
    // Everything is observed in the end, window after window.
    await r.clock.advance(6 * WINDOW);
    expect(new Set(r.server.calls.flatMap((c) => c.ids)).size).toBe(60);
    r.collector.stop();
  });

  it('stops for an X account whose monthly budget is spent, and says so', async () => {
    const r = rig('x');
    r.paused = { code: 'not-allowed', message: 'The monthly X budget is spent.', reason: 'monthly-budget' };
    r.collector.met([entryOf(ownPost('x', 1, r.clock.now()))]);
    await r.clock.advance(3 * HOUR_MS);
    expect(r.server.calls).toEqual([]);
    expect(r.statuses.at(-1)).toMatchObject({ waiting: { reason: 'monthly-budget' }, due: 1 });
    r.paused = null;
    await r.clock.advance(60_000);
    expect(r.server.calls).toHaveLength(1);
    r.collector.stop();
  });
});
