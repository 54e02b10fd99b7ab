// What the analytics charts draw and say: a post's history shaped for its chart, its CSV, times in
// the CM's zone, the figures of a period, and the best times to post.
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import {
  bestCells,
  fileName,
  heatLevels,
  historyChanges,
  historyCsv,
  historyShape,
  isoInZone,
  periodsCsv,
  timeRange,
  timeTickSteps,
  totalsOf,
} from '../../../../src/renderer/components/analytics/chart-data';
import type { PeriodStats, TimeCell } from '../../../../src/renderer/analytics/query';
import type { SeriesPoint } from '../../../../src/renderer/analytics/series-codec';
import type { MetricValues } from '../../../../src/shared/analytics';
import { NO_COUNTS } from './fixtures';

const point = (
  at: string,
  values: Partial<MetricValues>,
  source: SeriesPoint['source'] = 'collector',
): SeriesPoint => ({
  at: Date.parse(at),
  source,
  values: { ...NO_COUNTS, ...values },
});

/** Rows of a CSV file as objects (the BOM removed, as a spreadsheet reads it). */
function rowsOf(csv: string): Array<Record<string, string>> {
  expect(csv.startsWith('\ufeff')).toBe(true);
  return Papa.parse<Record<string, string>>(csv.slice(1), { header: true, skipEmptyLines: true }).data;
}

describe("a post's history chart", () => {
  const mastodon = [
    point('2026-11-02T09:00:00Z', { likes: 1, reposts: 0, replies: 0 }),
    point('2026-11-02T10:00:00Z', { likes: 5, reposts: 1, replies: null }),
    point('2026-11-03T10:00:00Z', { likes: 9, reposts: 1, replies: 2 }),
  ];

  it('draws the counts the post ever had, and names those it never had', () => {
    const shape = historyShape(mastodon);
    expect(shape.x).toEqual(mastodon.map((p) => p.at));
    expect(shape.known).toEqual(['likes', 'reposts', 'replies']);
    // Mastodon before 4.5 gives no quotes, and no network but X gives impressions.
    expect(shape.unknown).toEqual(['quotes', 'impressions']);
    // A count one observation missed is a gap the line spans, not a zero.
    expect(shape.values.replies).toEqual([0, null, 2]);
  });

  it('takes two observations of the same second as one point, the later source filling in', () => {
    const shape = historyShape([
      point('2026-11-02T09:00:00Z', { likes: 3, reposts: null }, 'collector'),
      point('2026-11-02T09:00:00Z', { likes: null, reposts: 7 }, 'backfill'),
      point('2026-11-02T10:00:00Z', { likes: 4, reposts: 8 }),
    ]);
    expect(shape.x).toHaveLength(2);
    expect(shape.values.likes).toEqual([3, 4]);
    expect(shape.values.reposts).toEqual([7, 8]);
  });

  it('says each count from its first known value to its last', () => {
    const changes = historyChanges(historyShape(mastodon));
    expect(changes.map((c) => [c.metric, c.first, c.last])).toEqual([
      ['likes', 1, 9],
      ['reposts', 0, 1],
      ['replies', 0, 2],
    ]);
    expect(changes[2]!.lastAt).toBe(Date.parse('2026-11-03T10:00:00Z'));
  });

  it('exports every observation as CSV with times in the zone, in UTC, and empty cells for unknown counts', () => {
    const rows = rowsOf(historyCsv('mastodon:1', mastodon, 'Europe/Paris'));
    expect(rows).toHaveLength(3);
    expect(Object.keys(rows[0]!)).toEqual([
      'post_id',
      'time',
      'time_utc',
      'source',
      'likes',
      'reposts',
      'replies',
      'quotes',
      'bookmarks',
      'impressions',
      'link_clicks',
      'profile_clicks',
    ]);
    expect(rows[1]).toMatchObject({
      post_id: 'mastodon:1',
      time: '2026-11-02T11:00:00+01:00',
      time_utc: '2026-11-02T10:00:00.000Z',
      source: 'collector',
      likes: '5',
      replies: '',
      quotes: '',
    });
  });

  it('writes summer and winter offsets as the zone had them', () => {
    expect(isoInZone(Date.parse('2026-07-01T12:00:00Z'), 'Europe/Paris')).toBe('2026-07-01T14:00:00+02:00');
    expect(isoInZone(Date.parse('2026-07-01T12:00:00Z'), 'America/St_Johns')).toBe('2026-07-01T09:30:00-02:30');
    expect(isoInZone(Date.parse('2026-07-01T12:00:00Z'), 'UTC')).toBe('2026-07-01T12:00:00Z');
    expect(() => isoInZone(0, 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe("the time axis' range", () => {
  const paris = (local: string) => Date.parse(`${local}+01:00`);
  const HOUR = 3_600_000;

  it('puts a single day of posts in the middle of three days, not across years', () => {
    // The Hashtags tab with every post on 30 Nov: uPlot's own range was Jan 2027 to Jul 2029.
    expect(timeRange([paris('2026-11-30T00:00:00')], 'Europe/Paris', 'day')).toEqual([
      paris('2026-11-29T00:00:00'),
      paris('2026-12-01T00:00:00'),
    ]);
  });

  it('pads a run of periods with one period either side, in the zone’s calendar', () => {
    const days = [paris('2026-11-28T00:00:00'), paris('2026-11-29T00:00:00'), paris('2026-11-30T00:00:00')];
    expect(timeRange(days, 'Europe/Paris', 'day')).toEqual([
      paris('2026-11-27T00:00:00'),
      paris('2026-12-01T00:00:00'),
    ]);
    // A single week, across the change of clocks (25 Oct 2026): Mondays at midnight, in summer and winter time.
    expect(timeRange([Date.parse('2026-10-19T00:00:00+02:00')], 'Europe/Paris', 'week')).toEqual([
      Date.parse('2026-10-12T00:00:00+02:00'),
      Date.parse('2026-10-26T00:00:00+01:00'),
    ]);
    // A single month: the month before and the month after.
    expect(timeRange([paris('2026-11-01T00:00:00')], 'Europe/Paris', 'month')).toEqual([
      Date.parse('2026-10-01T00:00:00+02:00'),
      paris('2026-12-01T00:00:00'),
    ]);
  });

  it('centres a single observation on a day, and pads several by a twentieth of their span', () => {
    const at = paris('2026-11-30T08:48:00');
    expect(timeRange([at], 'Europe/Paris')).toEqual([at - 12 * HOUR, at + 12 * HOUR]);
    // Two days of observations: 2.4 hours either side.
    expect(timeRange([at, at + 24 * HOUR, at + 48 * HOUR], 'Europe/Paris')).toEqual([
      at - 2.4 * HOUR,
      at + 50.4 * HOUR,
    ]);
    // Ten minutes of them: at least an hour either side.
    expect(timeRange([at, at + 600_000], 'Europe/Paris')).toEqual([at - HOUR, at + 600_000 + HOUR]);
    expect(timeRange([], 'Europe/Paris')).toBeNull();
  });

  it('never ticks finer than the period a bar or point stands for', () => {
    expect(Math.min(...timeTickSteps('day')!)).toBe(86_400);
    expect(Math.min(...timeTickSteps('week')!)).toBe(7 * 86_400);
    expect(Math.min(...timeTickSteps('month')!)).toBe(30 * 86_400);
    expect(timeTickSteps(undefined)).toBeUndefined();
  });
});

describe('the figures of a period', () => {
  const period = (over: Partial<PeriodStats>): PeriodStats => ({
    start: 0,
    label: '2026-11-02',
    posts: 0,
    rated: 0,
    averageRate: null,
    formulas: [],
    byFormula: {},
    likesPerPost: null,
    likesKnown: 0,
    repostsPerPost: null,
    repostsKnown: 0,
    ...over,
  });

  it('averages every post of the period, not the periods', () => {
    const totals = totalsOf([
      period({
        posts: 1,
        rated: 1,
        averageRate: 0.1,
        formulas: ['followers'],
        byFormula: { followers: { rated: 1, averageRate: 0.1 } },
        likesPerPost: 10,
        likesKnown: 1,
      }),
      period({
        posts: 4,
        rated: 3,
        averageRate: 0.02,
        formulas: ['impressions'],
        byFormula: { impressions: { rated: 3, averageRate: 0.02 } },
        likesPerPost: 2,
        likesKnown: 4,
      }),
      period({ posts: 0 }),
    ]);
    expect(totals.posts).toBe(5);
    expect(totals.rated).toBe(4);
    expect(totals.averageRate).toBeCloseTo((0.1 + 3 * 0.02) / 4);
    expect(totals.likesPerPost).toBeCloseTo((10 + 8) / 5);
    expect(totals.formulas).toEqual(['impressions', 'followers']);
    // Rates of the two formulas are not comparable: each has its own mean.
    expect(totals.byFormula.impressions?.rated).toBe(3);
    expect(totals.byFormula.impressions?.averageRate).toBeCloseTo(0.02);
    expect(totals.byFormula.followers?.rated).toBe(1);
    expect(totals.byFormula.followers?.averageRate).toBeCloseTo(0.1);
    expect(totals.repostsPerPost).toBeNull();
  });

  it('exports the periods as CSV, unknown means left empty', () => {
    const rows = rowsOf(
      periodsCsv(
        [period({ label: '2026-11', start: Date.parse('2026-10-31T23:00:00Z'), posts: 2, rated: 0 })],
        'Europe/Paris',
      ),
    );
    expect(rows[0]).toMatchObject({
      period: '2026-11',
      start: '2026-11-01T00:00:00+01:00',
      posts: '2',
      rated_posts: '0',
      average_engagement_rate: '',
    });
  });
});

describe('best times to post', () => {
  const cells: TimeCell[] = Array.from({ length: 168 }, (_, i) => ({
    weekday: Math.floor(i / 24) + 1,
    hour: i % 24,
    posts: 0,
    rated: 0,
    averageRate: null,
  }));
  const set = (weekday: number, hour: number, rated: number, rate: number | null, posts = rated) =>
    (cells[(weekday - 1) * 24 + hour] = { weekday, hour, posts, rated, averageRate: rate });
  set(2, 9, 5, 0.04); // Tuesday 9:00: 4 % over 5 posts
  set(4, 18, 3, 0.05); // Thursday 18:00: 5 % over 3
  set(6, 3, 1, 0.3); // Saturday 3:00: one lucky post
  set(1, 10, 4, 0.01);
  set(7, 20, 0, null, 6); // Sunday 20:00: six posts, none rated

  it('ranks the hours with enough rated posts, a single lucky post left out', () => {
    expect(bestCells(cells).map((c) => [c.weekday, c.hour])).toEqual([
      [4, 18],
      [2, 9],
      [1, 10],
    ]);
    expect(bestCells(cells, 3, 6)).toEqual([]);
  });

  it('shades each hour by its rate against the best, blank where nothing is rated', () => {
    const levels = heatLevels(cells);
    expect(levels[5 * 24 + 3]).toBe(4); // the highest rate
    expect(levels[3 * 24 + 18]).toBe(1); // 5 % of 30 %
    expect(levels[6 * 24 + 20]).toBe(0); // posts without a rate
    expect(levels[0]).toBe(0);
  });
});

describe('file names', () => {
  it('keeps what every system accepts', () => {
    expect(fileName(['post-history', 'x:1900/2'], 'png')).toBe('post-history-x_1900_2.png');
    expect(fileName(['hashtag', 'été', 'day'], 'csv')).toBe('hashtag-été-day.csv');
    expect(fileName(['', ':'], 'png')).toBe('chart.png');
  });
});
