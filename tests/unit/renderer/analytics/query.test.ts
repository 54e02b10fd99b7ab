import { describe, expect, it } from 'vitest';
import { AnalyticsArchive } from '../../../../src/renderer/analytics/archive-store';
import { AnalyticsIndex, type AnalyticsFilter, type AnalyticsSort } from '../../../../src/renderer/analytics/query';
import type { MetricValues, OwnPost } from '../../../../src/shared/analytics';
import { followers, openDb, ownPost, snapshot } from './fixtures';

/** Posts with their latest counts, and the followers of each profile, in a fresh archive. */
async function archiveWith(
  items: Array<[OwnPost, Partial<MetricValues> | null]>,
  counts = [followers('bluesky:cm', '2026-01-01', 1000)],
) {
  const archive = new AnalyticsArchive(openDb());
  await archive.ingest({
    posts: items.map(([p]) => p),
    snapshots: items
      .filter(([, v]) => v !== null)
      .map(([p, v]) => snapshot(p.id, new Date(p.createdAt + 86_400_000).toISOString(), v!)),
    followers: counts,
  });
  return archive;
}

const bsky = (id: string, at: string, over: Partial<OwnPost> = {}) => ownPost(id, at, over);
const x = (id: string, at: string, over: Partial<OwnPost> = {}) =>
  ownPost(id, at, { network: 'x', profileId: 'x:42', handle: 'cm_x', ...over });

async function indexed(items: Array<[OwnPost, Partial<MetricValues> | null]>) {
  const archive = await archiveWith(items);
  return { archive, index: await AnalyticsIndex.load(archive, { chunk: 2 }) };
}

const ids = (index: AnalyticsIndex, filter: AnalyticsFilter = {}, sort?: AnalyticsSort) =>
  [...index.query(filter, sort)].map((r) => index.idAt(r));

describe('the analytics query engine', () => {
  // Rates with 1,000 followers (Bluesky) or the impressions given (X).
  const items: Array<[OwnPost, Partial<MetricValues> | null]> = [
    [bsky('a', '2026-11-02T08:00:00Z', { hashtags: ['IFPower'] }), { likes: 50, reposts: 10, replies: 0, quotes: 0 }], // 6 %
    [bsky('b', '2026-11-03T08:00:00Z', { hasMedia: true }), { likes: 10, reposts: 0, replies: 0, quotes: 0 }], // 1 %
    [bsky('c', '2026-11-04T08:00:00Z', { isReply: true }), { likes: 30, reposts: 0, replies: 0, quotes: 0 }], // 3 %
    [x('d', '2026-11-05T08:00:00Z', { hashtags: ['ifpower'], hasMedia: true }), { likes: 40, impressions: 500 }], // 8 %
    [x('e', '2026-11-06T08:00:00Z'), { likes: 12, reposts: 3 }], // archive-like: no impressions, no rate
    [bsky('f', '2026-11-07T08:00:00Z'), null], // never observed
  ];

  it('filters by engagement rate and sorts by it, highest first, posts without a rate left out', async () => {
    const { index } = await indexed(items);
    expect(ids(index, { rate: { min: 0.02 } }, { key: 'rate', dir: 'desc' })).toEqual([
      'x:d',
      'bluesky:a',
      'bluesky:c',
    ]);
    expect(ids(index, { rate: { min: 0.02, max: 0.07 } }, { key: 'rate', dir: 'asc' })).toEqual([
      'bluesky:c',
      'bluesky:a',
    ]);
  });

  it('puts posts whose value is unknown last, in both directions', async () => {
    const { index } = await indexed(items);
    expect(ids(index, {}, { key: 'rate', dir: 'desc' })).toEqual([
      'x:d',
      'bluesky:a',
      'bluesky:c',
      'bluesky:b',
      'bluesky:f',
      'x:e',
    ]);
    expect(ids(index, {}, { key: 'rate', dir: 'asc' })).toEqual([
      'bluesky:b',
      'bluesky:c',
      'bluesky:a',
      'x:d',
      'x:e',
      'bluesky:f',
    ]);
    expect(ids(index, {}, { key: 'impressions', dir: 'desc' })[0]).toBe('x:d');
  });

  it('orders equal counts by posting time', async () => {
    const { index } = await indexed([
      [bsky('old', '2026-01-01T08:00:00Z'), { likes: 5 }],
      [bsky('new', '2026-06-01T08:00:00Z'), { likes: 5 }],
      [bsky('top', '2026-03-01T08:00:00Z'), { likes: 9 }],
    ]);
    expect(ids(index, {}, { key: 'likes', dir: 'desc' })).toEqual(['bluesky:top', 'bluesky:new', 'bluesky:old']);
    expect(ids(index, {}, { key: 'likes', dir: 'asc' })).toEqual(['bluesky:old', 'bluesky:new', 'bluesky:top']);
  });

  it('sorts rates that differ only in the ninth digit, and times within one second, exactly', async () => {
    const { index } = await indexed([
      [x('higher', '2026-01-01T08:00:00.100Z'), { likes: 123_456_790, impressions: 1_000_000_000 }],
      [x('lower', '2026-01-01T08:00:00.900Z'), { likes: 123_456_789, impressions: 1_000_000_000 }],
      [x('same-second', '2026-01-01T08:00:00.500Z'), { likes: 1, impressions: 1_000_000_000 }],
    ]);
    expect(ids(index, {}, { key: 'rate', dir: 'desc' })).toEqual(['x:higher', 'x:lower', 'x:same-second']);
    expect(ids(index, {}, { key: 'createdAt', dir: 'asc' })).toEqual(['x:higher', 'x:same-second', 'x:lower']);
  });

  it('filters by counts, dates, networks, profiles, hashtag, media and replies', async () => {
    const { index } = await indexed(items);
    const byDate: AnalyticsSort = { key: 'createdAt', dir: 'asc' };
    expect(ids(index, { counts: { likes: { min: 30 } } }, byDate)).toEqual(['bluesky:a', 'bluesky:c', 'x:d']);
    expect(ids(index, { counts: { reposts: { max: 3 } } }, byDate)).toEqual(['bluesky:b', 'bluesky:c', 'x:e']);
    expect(
      ids(index, { from: Date.parse('2026-11-03T00:00:00Z'), to: Date.parse('2026-11-05T08:00:00Z') }, byDate),
    ).toEqual(['bluesky:b', 'bluesky:c']);
    expect(ids(index, { networks: ['x'] }, byDate)).toEqual(['x:d', 'x:e']);
    expect(ids(index, { profiles: ['bluesky:cm'] }, byDate)).toEqual([
      'bluesky:a',
      'bluesky:b',
      'bluesky:c',
      'bluesky:f',
    ]);
    expect(ids(index, { profiles: ['nobody'] })).toEqual([]);
    expect(ids(index, { hashtag: '#IFPOWER' }, byDate)).toEqual(['bluesky:a', 'x:d']);
    expect(ids(index, { hashtag: 'unused' })).toEqual([]);
    expect(ids(index, { hasMedia: true }, byDate)).toEqual(['bluesky:b', 'x:d']);
    expect(ids(index, { hasMedia: false, isReply: false }, byDate)).toEqual(['bluesky:a', 'x:e', 'bluesky:f']);
    expect(ids(index, { isReply: true })).toEqual(['bluesky:c']);
    expect(index.count({ networks: ['bluesky'], hasMedia: false })).toBe(3);
  });

  it('shows a row with its rate, the formula and what it could not count', async () => {
    const { index } = await indexed(items);
    const d = index.row(index.rowOf('x:d')!);
    expect(d).toMatchObject({ id: 'x:d', network: 'x', handle: 'cm_x', hasMedia: true, tags: ['ifpower'] });
    expect(d.engagement).toMatchObject({ formula: 'impressions', rate: 0.08 });
    expect(d.engagement.missing).toEqual(['replies', 'reposts', 'quotes', 'bookmarks', 'linkClicks', 'profileClicks']);
    const e = index.row(index.rowOf('x:e')!);
    expect(e.engagement).toMatchObject({ rate: null, reason: 'no-impressions' });
    const a = index.row(index.rowOf('bluesky:a')!);
    expect(a.engagement).toMatchObject({ formula: 'followers', denominator: 1000 });
    expect(a.followers).toEqual({ followers: 1000, day: '2026-01-01', estimated: false });
  });

  it('follows the archive: new posts, new counts and new follower counts change the answers', async () => {
    const { archive, index } = await indexed(items);
    let heard = 0;
    index.subscribe(() => heard++);
    await archive.ingest({
      posts: [bsky('g', '2026-11-08T08:00:00Z')],
      snapshots: [
        snapshot('bluesky:g', '2026-11-09T08:00:00Z', { likes: 100, reposts: 0, replies: 0, quotes: 0 }),
        snapshot('bluesky:b', '2026-11-20T08:00:00Z', { likes: 90 }),
      ],
    });
    expect(heard).toBe(1);
    expect(index.size).toBe(7);
    expect(ids(index, { rate: { min: 0.05 } }, { key: 'rate', dir: 'desc' })).toEqual([
      'bluesky:g',
      'bluesky:b',
      'x:d',
      'bluesky:a',
    ]);
    // A follower count taken before November: Bluesky rates use it from then on.
    await archive.ingest({ followers: [followers('bluesky:cm', '2026-10-31', 2000)] });
    expect(index.row(index.rowOf('bluesky:g')!).engagement.rate).toBeCloseTo(0.05);
    expect(ids(index, { rate: { min: 0.05 } }, { key: 'rate', dir: 'desc' })).toEqual(['x:d', 'bluesky:g']);
  });

  it('lists the profiles and hashtags it holds', async () => {
    const { index } = await indexed(items);
    expect(index.profiles()).toEqual([
      { profileId: 'bluesky:cm', handle: 'cm.example', network: 'bluesky', posts: 4 },
      { profileId: 'x:42', handle: 'cm_x', network: 'x', posts: 2 },
    ]);
    expect(index.hashtags()).toEqual([{ tag: 'ifpower', posts: 2 }]);
  });

  it('answers the top posts by rate', async () => {
    const { index } = await indexed(items);
    expect([...index.top({}, 'rate', 2)].map((r) => index.idAt(r))).toEqual(['x:d', 'bluesky:a']);
  });
});

describe('analytics over time, in the CM’s zone', () => {
  const week: Array<[OwnPost, Partial<MetricValues> | null]> = [
    // Sunday 29 November, 23:30 UTC: Monday 30 November 00:30 in Paris.
    [bsky('1', '2026-11-29T23:30:00Z'), { likes: 20, reposts: 4, replies: 0, quotes: 0 }], // 2.4 %
    // Monday 30 November, 08:00 UTC: 09:00 in Paris.
    [bsky('2', '2026-11-30T08:00:00Z'), { likes: 40, reposts: 0, replies: 0, quotes: 0 }], // 4 %
    // Tuesday 1 December, 08:00 UTC: 09:00 in Paris, and December there.
    [bsky('3', '2026-12-01T08:00:00Z'), { likes: 10, reposts: 2 }], // 1.2 %
    // Monday 13 July, 08:00 UTC: 10:00 in Paris (summer time).
    [bsky('4', '2026-07-13T08:00:00Z'), null],
  ];

  it('counts posts and averages their rate, reposts and likes per week, weeks cut in the zone', async () => {
    const { index } = await indexed(week);
    const weeks = index.periods({ from: Date.parse('2026-11-16T00:00:00Z') }, { period: 'week', zone: 'Europe/Paris' });
    expect(weeks.map((w) => [w.label, w.posts])).toEqual([
      ['2026-11-16', 0],
      ['2026-11-23', 0],
      ['2026-11-30', 3],
    ]);
    const last = weeks[2]!;
    expect(last.start).toBe(Date.parse('2026-11-29T23:00:00Z'));
    expect(last.averageRate).toBeCloseTo((0.024 + 0.04 + 0.012) / 3);
    expect(last.formulas).toEqual(['followers']);
    expect(last.likesPerPost).toBeCloseTo(70 / 3);
    expect(last.repostsPerPost).toBeCloseTo(2);
    // In UTC the Sunday post belongs to the week before.
    const utc = index.periods({ from: Date.parse('2026-11-23T00:00:00Z') }, { period: 'week', zone: 'UTC' });
    expect(utc.map((w) => w.posts)).toEqual([1, 2]);
  });

  it('cuts months in the zone and says when counts are partial', async () => {
    const { index } = await indexed(week);
    const months = index.periods({}, { period: 'month', zone: 'Europe/Paris' });
    expect(months.map((m) => m.label)).toEqual(['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12']);
    expect(months.map((m) => m.posts)).toEqual([1, 0, 0, 0, 2, 1]);
    expect(months[0]).toMatchObject({ rated: 0, averageRate: null, likesKnown: 0, likesPerPost: null });
    expect(months[4]!.start).toBe(Date.parse('2026-10-31T23:00:00Z'));
    const inNewYork = index.periods({}, { period: 'month', zone: 'America/New_York' });
    expect(inNewYork.find((m) => m.label === '2026-11')?.posts).toBe(2);
    expect(inNewYork.find((m) => m.label === '2026-12')?.posts).toBe(1);
  });

  it('finds the best hours and days to post from the posting hour and weekday in the zone', async () => {
    const { index } = await indexed(week);
    const cells = index.bestTimes({}, 'Europe/Paris');
    expect(cells).toHaveLength(168);
    const at = (weekday: number, hour: number) => cells.find((c) => c.weekday === weekday && c.hour === hour)!;
    expect(at(1, 0)).toMatchObject({ posts: 1, rated: 1 });
    expect(at(1, 9)).toMatchObject({ posts: 1, rated: 1 });
    expect(at(1, 9).averageRate).toBeCloseTo(0.04);
    expect(at(2, 9).posts).toBe(1);
    expect(at(1, 10)).toMatchObject({ posts: 1, rated: 0, averageRate: null });
    expect(cells.reduce((n, c) => n + c.posts, 0)).toBe(4);
  });

  it('refuses a zone that does not exist', async () => {
    const { index } = await indexed(week);
    expect(() => index.bestTimes({}, 'Mars/Olympus')).toThrow(RangeError);
    expect(() => index.periods({}, { period: 'week', zone: 'Mars/Olympus' })).toThrow(RangeError);
  });
});
