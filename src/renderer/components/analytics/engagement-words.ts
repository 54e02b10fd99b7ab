// A post's engagement rate in the CM's words (issue 9: "the formula shown next to it", "partial
// data is said, not hidden"): the rate, the formula with its denominator ("interactions / 1,204
// followers", "engagements / 12,000 impressions"), why there is no rate, and what the rate could
// not count. Used by the posts table, the post's details, the CSV export and the Analytics column.
// The rules themselves are src/shared/engagement.ts's.
import type { TFunction } from 'i18next';
import type { MetricName, SnapshotSource } from '../../../shared/analytics';
import type { EngagementFormula } from '../../../shared/engagement';
import type { AnalyticsRow } from '../../analytics/query';
import { formatDay } from './dates';

// Formatters are made once per language and kind: a table's rows and a 100,000-post export use
// the same few (making one costs about as much as formatting a few hundred numbers).
const formatters = new Map<string, Intl.NumberFormat | Intl.ListFormat>();
function formatter<T extends Intl.NumberFormat | Intl.ListFormat>(key: string, make: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f;
}

// Words that do not change from row to row ("no impressions known: X archive", "link clicks
// unknown") are looked up once per translation function: i18next's `t` costs a few microseconds,
// which a 100,000-row export pays several times per row otherwise.
const said = new WeakMap<TFunction, Map<string, string>>();
function once(t: TFunction, key: string, make: () => string): string {
  let words = said.get(t);
  if (!words) {
    words = new Map();
    said.set(t, words);
  }
  let text = words.get(key);
  if (text === undefined) {
    text = make();
    words.set(key, text);
  }
  return text;
}

const marksOf = new Map<string, { decimal: string; group: string }>();
/**
 * The decimal and grouping marks `language` writes numbers with ("fr": "," and U+202F; "en": "."
 * and ","), from Intl, once per language: the filters read typed numbers by them, the CSV export
 * writes decimals and picks its separator by them.
 */
export function numberMarks(language: string): { decimal: string; group: string } {
  let marks = marksOf.get(language);
  if (!marks) {
    const parts = formatter(`number:${language}`, () => new Intl.NumberFormat(language)).formatToParts(12345.6);
    marks = {
      decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
      group: parts.find((p) => p.type === 'group')?.value ?? ',',
    };
    marksOf.set(language, marks);
  }
  return marks;
}

/** A rate (a fraction: 0.034) as the language writes a percentage ("3.4%", "3,4 %", "0.13%", "0%"). */
export function formatRate(rate: number, language: string): string {
  // 0 is "0%"; under 1 % two significant digits (0.063 %, 0.13 %: what a threshold typed from it
  // keeps), else one decimal (6.0 %).
  const kind = rate === 0 ? 'zero' : Math.abs(rate) < 0.01 ? 'small' : 'decimal';
  return formatter(`percent:${kind}:${language}`, () =>
    kind === 'zero'
      ? new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 })
      : kind === 'small'
        ? new Intl.NumberFormat(language, { style: 'percent', maximumSignificantDigits: 2 })
        : new Intl.NumberFormat(language, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  ).format(rate);
}

/**
 * A number as the words show it, rounded to `digits` decimals: the count i18next picks a plural
 * form by, so that a mean of 0.96 likes written "1" says "1 like per post" and 1.5 says "likes"
 * (in French "1,5 partage": CLDR's French "one" covers 0 ≤ n < 2).
 */
export function shownNumber(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** "likes and link clicks", in the UI's language. */
export function metricList(t: TFunction, language: string, names: readonly MetricName[]): string {
  return formatter(`list:${language}`, () => new Intl.ListFormat(language, { type: 'conjunction' })).format(
    names.map((n) => t(`analyticsView.metric.${n}`)),
  );
}

/** What a post's rate is, in words. */
export interface RateWords {
  /** The rate ("3.2%"), or null when there is none (`formula` then says why). */
  rate: string | null;
  /** "interactions / 1,204 followers", "engagements / 12,000 impressions", or why no rate. */
  formula: string;
  /** What the rate could not count, or stands in for ("followers estimated", "link clicks unknown"). */
  notes: string[];
}

/** The formula in general, for a header's tooltip and the help ("engagements / impressions"). */
export function formulaName(t: TFunction, formula: EngagementFormula): string {
  return once(t, `formula:${formula}`, () => t(`analyticsView.rate.formula.${formula}`));
}

/**
 * The words for `row`'s engagement rate. `sources`: where the post's counts came from (its
 * series' sources), when known: an X post whose counts all come from an X archive has no
 * impressions because archives carry none, and that is said.
 */
export function rateWords(
  t: TFunction,
  language: string,
  row: Pick<AnalyticsRow, 'engagement' | 'followers'>,
  sources: readonly SnapshotSource[] | null = null,
): RateWords {
  const e = row.engagement;
  const numbers = formatter(`number:${language}`, () => new Intl.NumberFormat(language));
  if (e.rate === null) {
    let why: string;
    switch (e.reason) {
      case 'no-impressions':
        why =
          sources && sources.length > 0 && sources.every((s) => s === 'x-archive')
            ? 'noImpressionsArchive'
            : 'noImpressions';
        break;
      case 'zero-impressions':
        why = 'zeroImpressions';
        break;
      case 'no-followers':
        why = 'noFollowers';
        break;
      case 'zero-followers':
        why = 'zeroFollowers';
        break;
      default:
        why = 'noCounts';
    }
    return { rate: null, formula: once(t, `why:${why}`, () => t(`analyticsView.rate.why.${why}`)), notes: [] };
  }
  const denominator = e.denominator ?? 0;
  const formula =
    e.formula === 'impressions'
      ? t('analyticsView.rate.ofImpressions', { count: denominator, impressions: numbers.format(denominator) })
      : t('analyticsView.rate.ofFollowers', { count: denominator, followers: numbers.format(denominator) });
  const notes: string[] = [];
  if (e.estimated && row.followers)
    notes.push(t('analyticsView.rate.estimated', { day: formatDay(row.followers.day, language) }));
  if (e.missing.length > 0) {
    notes.push(
      once(t, `unknown:${language}:${e.missing.join(',')}`, () =>
        t('analyticsView.rate.unknown', { names: metricList(t, language, e.missing), count: e.missing.length }),
      ),
    );
  }
  return { rate: formatRate(e.rate, language), formula, notes };
}

/** The sources of a series, each once, in the order first met. */
export function sourcesOf(points: ReadonlyArray<{ source: SnapshotSource }>): SnapshotSource[] {
  return [...new Set(points.map((p) => p.source))];
}
