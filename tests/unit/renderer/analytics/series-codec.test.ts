import { describe, expect, it } from 'vitest';
import type { MetricValues } from '../../../../src/shared/analytics';
import {
  DamagedSeriesError,
  decodeSeries,
  encodeSeries,
  latestOf,
  mergePoints,
  type SeriesPoint,
} from '../../../../src/renderer/analytics/series-codec';

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
const point = (at: string, v: Partial<MetricValues>, source: SeriesPoint['source'] = 'collector'): SeriesPoint => ({
  at: Date.parse(at),
  source,
  values: { ...none, ...v },
});

describe('metric series codec', () => {
  it('gives back every point exactly: times, sources, known and unknown counts, counts that fall', () => {
    const points = [
      point('2019-03-01T10:00:00Z', { likes: 12, reposts: 3 }, 'x-archive'),
      point('2026-11-30T08:00:00Z', { likes: 0, reposts: 0, replies: 0, quotes: 0, impressions: 0 }),
      point('2026-11-30T08:00:00Z', { likes: 1 }, 'outbox'),
      point('2026-11-30T09:00:00Z', {
        likes: 250,
        reposts: 40,
        replies: 7,
        quotes: 2,
        bookmarks: 9,
        impressions: 3_000_000_000,
        linkClicks: 55,
        profileClicks: 13,
      }),
      // A like taken back: counts may go down.
      point('2026-12-02T09:00:00Z', { likes: 249, impressions: Number.MAX_SAFE_INTEGER }),
    ];
    expect(decodeSeries(encodeSeries(points))).toEqual(points);
  });

  it('is compact: 30 hourly-then-daily X observations take under 400 bytes', () => {
    const start = Date.parse('2026-11-01T08:00:00Z');
    const points = Array.from({ length: 30 }, (_, i) =>
      point(new Date(start + (i < 24 ? i * 3_600_000 : (i - 23) * 86_400_000)).toISOString(), {
        likes: 10 * i,
        reposts: 2 * i,
        replies: i,
        quotes: 0,
        bookmarks: i,
        impressions: 900 * i,
        linkClicks: i,
        profileClicks: i,
      }),
    );
    const bytes = encodeSeries(points);
    expect(bytes.length).toBeLessThan(400);
    expect(bytes.buffer.byteLength).toBe(bytes.length);
  });

  it('refuses damaged bytes instead of inventing points', () => {
    const bytes = encodeSeries([point('2026-11-30T08:00:00Z', { likes: 300 })]);
    expect(() => decodeSeries(bytes.subarray(0, bytes.length - 1))).toThrow(DamagedSeriesError);
    expect(() => decodeSeries(new Uint8Array([9, 0]))).toThrow(DamagedSeriesError);
  });
});

describe('merging observations', () => {
  const a = point('2026-11-30T08:00:00Z', { likes: 1 });
  const b = point('2026-11-30T09:00:00Z', { likes: 5 });

  it('adds new times in order and never drops an earlier point', () => {
    const c = point('2026-11-30T08:30:00Z', { likes: 3 });
    const merged = mergePoints([a, b], [c]);
    expect(merged.points.map((p) => p.values.likes)).toEqual([1, 3, 5]);
    expect([merged.added, merged.duplicates, merged.changed]).toEqual([1, 0, true]);
  });

  it('counts the same time and source again as a duplicate and keeps the stored counts', () => {
    const again = point('2026-11-30T08:00:00.400Z', { likes: 2, impressions: 90 });
    const merged = mergePoints([a, b], [again, again]);
    expect(merged.added).toBe(0);
    expect(merged.duplicates).toBe(2);
    expect(merged.points).toHaveLength(2);
    // The stored like count stays; only the unknown impressions are filled in.
    expect(merged.points[0]!.values).toMatchObject({ likes: 1, impressions: 90 });
  });

  it('keeps the same time from another source as a point of its own', () => {
    const merged = mergePoints([a], [point('2026-11-30T08:00:00Z', { likes: 1 }, 'x-archive')]);
    expect(merged.points.map((p) => p.source)).toEqual(['collector', 'x-archive']);
  });

  it('answers the stored series itself when nothing is new', () => {
    const stored = [a, b];
    const merged = mergePoints(stored, [a]);
    expect(merged.changed).toBe(false);
    expect(merged.points).toBe(stored);
  });
});

describe('latest values', () => {
  it('takes each count from the last point that knew it (link clicks stop after 30 days)', () => {
    const latest = latestOf([
      point('2026-11-01T08:00:00Z', { likes: 5, impressions: 100, linkClicks: 7 }),
      point('2026-12-15T08:00:00Z', { likes: 9, impressions: 180 }),
    ]);
    expect(latest?.at).toBe(Date.parse('2026-12-15T08:00:00Z'));
    expect(latest?.values).toMatchObject({ likes: 9, impressions: 180, linkClicks: 7, bookmarks: null });
  });

  it('is null for an empty series', () => {
    expect(latestOf([])).toBeNull();
  });
});
