// Numbers typed in the analytics filters as a CM writes them in her language: a French "2,5" is
// 2.5 (not 25, as Chromium's number field made it), thousands grouped either way, and text that
// is not a number is said, never read as a different number.
import { describe, expect, it } from 'vitest';
import { formatRate } from '../../../../src/renderer/components/analytics/engagement-words';
import {
  boundProblems,
  EMPTY_FORM,
  filterOf,
  formOf,
  numberOf,
} from '../../../../src/renderer/components/analytics/posts-filter';

describe('numbers typed in the filters', () => {
  it('reads decimals and thousands as each language writes them', () => {
    expect(numberOf('2,5', 'fr')).toBe(2.5);
    expect(numberOf('0,9', 'fr')).toBe(0.9);
    expect(numberOf('1 000', 'fr')).toBe(1000);
    expect(numberOf('1\u202f000,5', 'fr')).toBe(1000.5);
    expect(numberOf('1.000,5', 'fr')).toBe(1000.5);
    expect(numberOf('2.5', 'fr')).toBe(2.5);
    expect(numberOf('2.5', 'en')).toBe(2.5);
    expect(numberOf('1,000', 'en')).toBe(1000);
    expect(numberOf('12,500,000', 'en')).toBe(12_500_000);
    expect(numberOf('1,000.5', 'en')).toBe(1000.5);
    // One comma not between thousands: a decimal mark whoever typed it.
    expect(numberOf('2,5', 'en')).toBe(2.5);
    expect(numberOf(' 40 ', 'en')).toBe(40);
  });

  it('answers undefined for an empty field and NaN for what is not a number', () => {
    expect(numberOf('', 'fr')).toBeUndefined();
    expect(numberOf('  ', 'en')).toBeUndefined();
    for (const text of ['abc', '2,5,1', '1..2', '5%', '1e3', '--1']) expect(numberOf(text, 'en')).toBeNaN();
  });

  it('filters on a French rate and writes a saved view back in French', () => {
    const form = { ...EMPTY_FORM, rateMin: '2,5', counts: { ...EMPTY_FORM.counts, likes: { min: '1 000', max: '' } } };
    const filter = filterOf(form, 'Europe/Paris', 'fr');
    expect(filter.rate).toEqual({ min: 0.025 });
    expect(filter.counts).toEqual({ likes: { min: 1000 } });
    expect(formOf(filter, 'Europe/Paris', 'fr')).toMatchObject({ rateMin: '2,5', counts: { likes: { min: '1000' } } });
    expect(formOf(filter, 'Europe/Paris', 'en')).toMatchObject({ rateMin: '2.5' });
  });

  it('sets no condition for text that is not a number, and says so', () => {
    const form = { ...EMPTY_FORM, rateMin: 'abc', counts: { ...EMPTY_FORM.counts, likes: { min: '5', max: '2' } } };
    expect(filterOf(form, 'UTC', 'en').rate).toBeUndefined();
    expect(boundProblems(form, 'en')).toEqual([
      { what: 'rate', problem: 'not-a-number', field: 'min', value: 'abc' },
      { what: 'likes', problem: 'reversed', field: 'max' },
    ]);
  });
});

describe('rates as the table shows them', () => {
  it('says 0 as 0%, under 1 % two significant digits (what a threshold typed from it keeps), else one decimal', () => {
    expect(formatRate(0, 'en')).toBe('0%');
    expect(formatRate(0.00063, 'en')).toBe('0.063%');
    expect(formatRate(0.00126, 'en')).toBe('0.13%');
    expect(formatRate(0.0018, 'en')).toBe('0.18%');
    expect(formatRate(0.06, 'en')).toBe('6.0%');
    expect(formatRate(0.4, 'fr')).toBe('40,0\u00a0%');
    expect(formatRate(0.0018, 'fr')).toBe('0,18\u00a0%');
    // A post shown "0.18%" passes "min 0.18" and not "min 0.2".
    const rows = [0.0018];
    expect(rows.filter((r) => r >= filterOf({ ...EMPTY_FORM, rateMin: '0.18' }, 'UTC').rate!.min!)).toHaveLength(1);
    expect(rows.filter((r) => r >= filterOf({ ...EMPTY_FORM, rateMin: '0.2' }, 'UTC').rate!.min!)).toHaveLength(0);
  });
});
