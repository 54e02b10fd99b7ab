import { describe, expect, it } from 'vitest';
import type { MetricValues } from '../../../src/shared/analytics';
import { engagementRate, followersAt, formulaOf } from '../../../src/shared/engagement';

const none: MetricValues = {
  likes: null,
  reposts: null,
  replies: null,
  quotes: null,
  bookmarks: null,
  impressions: null,
  linkClicks: null,
  profileClicks: null,
};
const values = (v: Partial<MetricValues>): MetricValues => ({ ...none, ...v });

describe('engagement rate', () => {
  it('X: every engagement over impressions when all are known', () => {
    const r = engagementRate(
      'x',
      values({
        likes: 40,
        replies: 5,
        reposts: 10,
        quotes: 2,
        bookmarks: 3,
        linkClicks: 30,
        profileClicks: 10,
        impressions: 2000,
      }),
      null,
    );
    expect(r.formula).toBe('impressions');
    expect(r.engagements).toBe(100);
    expect(r.denominator).toBe(2000);
    expect(r.rate).toBeCloseTo(0.05);
    expect(r.missing).toEqual([]);
    expect(r.reason).toBeNull();
  });

  it('X after 30 days: the owner-only clicks are unknown, counted out and named', () => {
    const r = engagementRate(
      'x',
      values({ likes: 40, replies: 5, reposts: 10, quotes: 2, bookmarks: 3, impressions: 1200 }),
      null,
    );
    expect(r.rate).toBeCloseTo(60 / 1200);
    expect(r.parts).toEqual(['likes', 'replies', 'reposts', 'quotes', 'bookmarks']);
    expect(r.missing).toEqual(['linkClicks', 'profileClicks']);
  });

  it('X from an archive (likes and reposts only): no rate, because no impressions are known', () => {
    const r = engagementRate('x', values({ likes: 12, reposts: 3 }), {
      followers: 500,
      day: '2019-01-01',
      estimated: false,
    });
    expect(r.rate).toBeNull();
    expect(r.reason).toBe('no-impressions');
    expect(r.formula).toBe('impressions');
    expect(r.engagements).toBe(15);
  });

  it('X with zero impressions has no rate rather than an infinite one', () => {
    expect(engagementRate('x', values({ likes: 0, impressions: 0 }), null).reason).toBe('zero-impressions');
  });

  it('Bluesky: likes, reposts, replies and quotes over followers at posting time; impressions are not used', () => {
    const r = engagementRate('bluesky', values({ likes: 20, reposts: 5, replies: 3, quotes: 2, impressions: 99999 }), {
      followers: 1000,
      day: '2026-11-30',
      estimated: false,
    });
    expect(r.formula).toBe('followers');
    expect(r.rate).toBeCloseTo(0.03);
    expect(r.denominator).toBe(1000);
    expect(r.estimated).toBe(false);
  });

  it('Mastodon before 4.5 (no quote count): rated on what is known, the quotes named as missing', () => {
    const r = engagementRate('mastodon', values({ likes: 8, reposts: 2, replies: 0 }), 200);
    expect(r.rate).toBeCloseTo(10 / 200);
    expect(r.missing).toEqual(['quotes']);
  });

  it('Sandbox is rated like Bluesky and Mastodon', () => {
    expect(formulaOf('sandbox')).toBe('followers');
    expect(engagementRate('sandbox', values({ likes: 1, reposts: 1, replies: 1, quotes: 1 }), 40).rate).toBeCloseTo(
      0.1,
    );
  });

  it('follower-based: no follower count known, or none yet observed, gives no rate and says why', () => {
    expect(engagementRate('bluesky', values({ likes: 3 }), null).reason).toBe('no-followers');
    expect(engagementRate('mastodon', values({ likes: 3 }), 0).reason).toBe('zero-followers');
    const never = engagementRate('bluesky', null, 100);
    expect(never.reason).toBe('no-counts');
    expect(never.missing).toEqual(['likes', 'reposts', 'replies', 'quotes']);
  });

  it('an estimated follower count makes the rate an estimate', () => {
    const r = engagementRate('bluesky', values({ likes: 10 }), { followers: 100, day: '2026-12-01', estimated: true });
    expect(r.rate).toBeCloseTo(0.1);
    expect(r.estimated).toBe(true);
  });
});

describe('followers at posting time', () => {
  const counts = [
    { day: '2026-11-01', followers: 100 },
    { day: '2026-11-10', followers: 150 },
    { day: '2026-11-20', followers: 220 },
  ];

  it('takes the last count on or before the posting day', () => {
    expect(followersAt(counts, Date.parse('2026-11-15T12:00:00Z'))).toEqual({
      followers: 150,
      day: '2026-11-10',
      estimated: false,
    });
    expect(followersAt(counts, Date.parse('2026-11-20T23:59:00Z'))?.followers).toBe(220);
    expect(followersAt(counts, Date.parse('2027-03-01T00:00:00Z'))?.followers).toBe(220);
  });

  it('uses the posting day in UTC, as the counts are dated', () => {
    // 00:30 on the 10th in UTC (the 9th in New York): the count of the 10th applies.
    expect(followersAt(counts, Date.parse('2026-11-10T00:30:00Z'))?.followers).toBe(150);
    expect(followersAt(counts, Date.parse('2026-11-09T23:30:00Z'))?.followers).toBe(100);
  });

  it('before the first count, takes the earliest one and flags it estimated', () => {
    expect(followersAt(counts, Date.parse('2025-06-01T00:00:00Z'))).toEqual({
      followers: 100,
      day: '2026-11-01',
      estimated: true,
    });
  });

  it('answers null without any count', () => {
    expect(followersAt([], Date.now())).toBeNull();
  });
});
