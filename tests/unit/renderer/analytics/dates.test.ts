// Dates in the analytics view: one way of writing them everywhere it shows one (the posts table,
// a post's details, the charts' axes, legends and summaries), in the computer's regional format
// when it is a form of the UI's language, on a 24-hour clock.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  dateLocale,
  dateTimeFormat,
  formatDate,
  formatDateTime,
  formatDay,
  formatMonth,
  timeTickLabels,
  weekdayNames,
} from '../../../../src/renderer/components/analytics/dates';
import { timeChartOptions } from '../../../../src/renderer/components/analytics/time-chart';

/** The computer's language and region, as the browser (Electron) reports it. */
const computer = (language: string) => vi.stubGlobal('navigator', { language });
afterEach(() => vi.unstubAllGlobals());

const ZONE = 'Europe/Paris';
const AT = Date.parse('2026-11-30T07:48:00Z'); // 08:48 in Paris
const s = (iso: string) => Date.parse(iso) / 1000;

describe('the locale of the analytics’ dates', () => {
  it('is the computer’s when it speaks the UI’s language, else the UI’s', () => {
    expect(dateLocale('en', 'en-GB')).toBe('en-GB');
    expect(dateLocale('fr', 'fr-CA')).toBe('fr-CA');
    expect(dateLocale('fr', 'en-GB')).toBe('fr');
    expect(dateLocale('en', 'de-DE')).toBe('en');
  });
});

describe('one way of writing a date across the view', () => {
  it('on a British computer, day first in the table, the axis, the legend and the words', () => {
    computer('en-GB');
    // The table's cell and the summaries.
    expect(dateTimeFormat('en', ZONE).format(AT)).toBe('30 Nov 2026, 08:48');
    expect(formatDateTime(AT, 'en', ZONE)).toBe('30 Nov 2026, 08:48');
    expect(formatDate(AT, 'en', ZONE)).toBe('30 Nov 2026');
    expect(formatMonth(AT, 'en', ZONE)).toBe('November 2026');
    // A follower count's day, in a rate's note.
    expect(formatDay('2026-02-26', 'en')).toBe('26 Feb 2026');
    // The chart's axis (days) and its legend (a bar per day says its day).
    expect(timeTickLabels([s('2026-11-29T23:00:00Z'), s('2026-11-30T23:00:00Z')], 86_400, 'en', ZONE)).toEqual([
      '30 Nov\n2026',
      '1 Dec',
    ]);
    const options = timeChartOptions(
      {
        x: [AT],
        period: 'day',
        lines: [{ key: 'posts', label: 'Posts', color: '#56b4e9', values: [3], axis: 'left', bars: true }],
      },
      { width: 600, height: 200, zone: ZONE, language: 'en' },
    );
    const legend = options.series[0]!.value as (u: unknown, v: number) => string;
    expect(legend(null, AT / 1000)).toBe('30 Nov 2026');
  });

  it('on an American computer, month first everywhere, still on a 24-hour clock', () => {
    computer('en-US');
    expect(formatDateTime(AT, 'en', ZONE)).toBe('Nov 30, 2026, 08:48');
    expect(formatDateTime(AT, 'en', ZONE, 'full')).toBe('Monday, November 30, 2026 at 08:48');
    expect(timeTickLabels([s('2026-11-30T06:00:00Z')], 3600, 'en', ZONE)).toEqual(['Nov 30\n07:00']);
  });

  it('in French, whatever the computer’s English', () => {
    computer('en-GB');
    expect(formatDateTime(AT, 'fr', ZONE)).toBe('30 nov. 2026, 08:48');
    expect(formatDay('2026-02-26', 'fr')).toBe('26 févr. 2026');
    expect(formatDay('not a day', 'fr')).toBe('not a day');
  });
});

describe('time axis labels in the CM zone', () => {
  it('writes hours, with the date where the day changes in the zone (not in UTC)', () => {
    computer('en-US');
    // 22:00 and 23:00 UTC on 2 Nov are 23:00 on 2 Nov and 00:00 on 3 Nov in Paris.
    const ticks = [s('2026-11-02T21:00:00Z'), s('2026-11-02T22:00:00Z'), s('2026-11-02T23:00:00Z')];
    expect(timeTickLabels(ticks, 3600, 'en', ZONE)).toEqual(['Nov 2\n22:00', '23:00', 'Nov 3\n00:00']);
  });

  it('writes months with the year at the first tick and at a new year, in French too', () => {
    computer('fr-FR');
    const ticks = [s('2026-11-01T00:00:00Z'), s('2026-12-01T00:00:00Z'), s('2027-01-01T00:00:00Z')];
    expect(timeTickLabels(ticks, 31 * 86400, 'fr', 'UTC')).toEqual(['nov.\n2026', 'déc.', 'janv.\n2027']);
  });

  it('names the weekdays Monday first in the UI language', () => {
    computer('en-GB');
    expect(weekdayNames('en')[0]).toBe('Monday');
    expect(weekdayNames('fr', 'long')[6]).toBe('dimanche');
  });
});
