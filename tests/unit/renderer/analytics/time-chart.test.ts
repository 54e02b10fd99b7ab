// The time axis uPlot is given: a sensible range around the data however few points there are
// (uPlot's own range for a single x spans 1,000 days), and ticks no finer than a bar's period.
import type uPlot from 'uplot';
import { describe, expect, it } from 'vitest';
import type { ChartSpec } from '../../../../src/renderer/components/analytics/chart-data';
import { timeChartOptions } from '../../../../src/renderer/components/analytics/time-chart';

const ZONE = 'Europe/Paris';
const OPTIONS = { width: 800, height: 200, zone: ZONE, language: 'en' };
const DAY_S = 86_400;

/** The x range uPlot would get for `spec`, called as uPlot calls it with one point (max = min + 86,400,000 s). */
function xRange(spec: ChartSpec): [number, number] {
  const options = timeChartOptions(spec, OPTIONS);
  const range = options.scales!.x!.range as (u: uPlot, min: number, max: number, key: string) => [number, number];
  const min = spec.x[0]! / 1000;
  const max = spec.x.length === 1 ? min + 86_400_000 : spec.x[spec.x.length - 1]! / 1000;
  return range({} as uPlot, min, max, 'x');
}

const line = (values: number[], bars = false): ChartSpec['lines'][number] => ({
  key: 'likes',
  label: 'Likes',
  color: '#f07b8c',
  values,
  axis: 'left',
  ...(bars ? { bars: true } : {}),
});

describe('the time axis of a chart', () => {
  it('shows a hashtag’s single day of posts as a bar between the day before and the day after', () => {
    const day = Date.parse('2026-11-30T00:00:00+01:00') / 1000;
    const spec: ChartSpec = { x: [day * 1000], period: 'day', lines: [line([51], true)] };
    expect(xRange(spec)).toEqual([day - DAY_S, day + DAY_S]);
    // Ticks a day apart at least: no "06:00" under a bar that stands for a whole day.
    const axis = timeChartOptions(spec, OPTIONS).axes![0]!;
    expect(Math.min(...(axis.incrs as number[]))).toBe(DAY_S);
  });

  it('centres a post’s single observation on a day', () => {
    const at = Date.parse('2026-11-30T08:48:00+01:00');
    expect(xRange({ x: [at], lines: [line([3])] })).toEqual([at / 1000 - DAY_S / 2, at / 1000 + DAY_S / 2]);
    // uPlot's own steps for observations (hours within a day).
    expect(timeChartOptions({ x: [at], lines: [line([3])] }, OPTIONS).axes![0]!.incrs).toBeUndefined();
  });

  it('shows an overview’s single week with a week either side', () => {
    const monday = Date.parse('2026-11-30T00:00:00+01:00') / 1000;
    expect(xRange({ x: [monday * 1000], period: 'week', lines: [line([4])] })).toEqual([
      monday - 7 * DAY_S,
      monday + 7 * DAY_S,
    ]);
  });
});
