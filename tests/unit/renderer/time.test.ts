// Times in a column: compact in a post's header, long in accessible names.
import { describe, expect, it } from 'vitest';
import { formatAge, formatShortAge, formatTime } from '../../../src/renderer/components/time';

const now = Date.parse('2026-03-20T12:00:00.000Z');
const ago = (ms: number) => new Date(now - ms).toISOString();
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('formatShortAge', () => {
  it('says nothing under a minute (the card says “now”)', () => {
    expect(formatShortAge(ago(59_000), 'en', now)).toBeNull();
    expect(formatShortAge(ago(-5 * MIN), 'en', now)).toBeNull(); // a clock ahead of ours
  });

  it('gives minutes, hours and days in the short CLDR units of the UI’s language', () => {
    expect(formatShortAge(ago(MIN), 'en', now)).toBe('1 min');
    expect(formatShortAge(ago(59 * MIN + 59_000), 'en', now)).toBe('59 min');
    expect(formatShortAge(ago(2 * HOUR), 'en', now)).toBe('2 hr');
    expect(formatShortAge(ago(2 * HOUR), 'fr', now)).toBe('2\u202fh');
    expect(formatShortAge(ago(23 * HOUR + 59 * MIN), 'fr', now)).toBe('23\u202fh');
    expect(formatShortAge(ago(3 * DAY), 'en', now)).toBe('3 days');
    expect(formatShortAge(ago(3 * DAY), 'fr', now)).toBe('3\u202fj');
    expect(formatShortAge(ago(MIN), 'fr', now)).toBe('1\u00a0min');
  });

  it('builds one formatter per language and unit, however many ages it gives (every post, every 30 s)', () => {
    const Real = Intl.NumberFormat;
    let built = 0;
    Intl.NumberFormat = class extends Real {
      constructor(...args: ConstructorParameters<typeof Real>) {
        super(...args);
        built++;
      }
    } as typeof Intl.NumberFormat;
    try {
      for (let i = 1; i <= 200; i++) {
        expect(formatShortAge(ago(i * MIN), 'de', now)).toMatch(/^\d+\s(Min|Std)\.$/);
        formatShortAge(ago((i % 6) * DAY + DAY), 'de', now);
      }
    } finally {
      Intl.NumberFormat = Real;
    }
    expect(built).toBe(3); // minute, hour, day
  });

  it('gives the day past a week, with the year when it is not this one', () => {
    expect(formatShortAge('2026-03-12T09:00:00.000Z', 'en', now)).toBe('12 Mar');
    expect(formatShortAge('2026-03-12T09:00:00.000Z', 'fr', now)).toBe('12 mars');
    expect(formatShortAge('2025-12-24T09:00:00.000Z', 'en', now)).toBe('24 Dec 2025');
  });

  it('is never longer than the long form used in accessible names', () => {
    for (const ms of [MIN, 45 * MIN, 5 * HOUR, 6 * DAY, 40 * DAY]) {
      const short = formatShortAge(new Date(Date.now() - ms).toISOString(), 'en')!;
      const long = formatAge(new Date(Date.now() - ms).toISOString(), 'en')!;
      expect(short.length, `${short} / ${long}`).toBeLessThan(long.length);
    }
  });
});

describe('formatTime', () => {
  it('gives the time alone today, and the day with it on another day (a limit that resets tomorrow)', () => {
    const local = (h: number, d = 20) => new Date(2026, 2, d, h, 40).toISOString();
    const today = new Date(2026, 2, 20, 12, 0).getTime();
    expect(formatTime(local(15), 'en', today)).toBe('15:40');
    expect(formatTime(local(5, 21), 'en', today)).toBe('Sat 21 Mar, 05:40');
    expect(formatTime(local(5, 21), 'fr', today)).toBe('sam. 21 mars, 05:40');
  });
});
