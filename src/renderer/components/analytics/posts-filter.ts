// The posts table's filter as its form holds it (what the CM typed, as text) and as the query
// engine takes it (src/renderer/analytics/query.ts `AnalyticsFilter`), both ways: a saved view
// stores the engine's filter, and applying it fills the form again. Rates are typed in percent,
// dates are days in the CM's zone (from the first instant of the "from" day to the end of the "to"
// day), and a field left empty sets no condition. Plus the summary of what passes a filter.
import { METRIC_NAMES, type MetricName } from '../../../shared/analytics';
import type { NetworkId } from '../../../shared/model';
import { instantToZoned, zonedToInstant } from '../../../shared/schedule/zoned-time';
import type { AnalyticsFilter, AnalyticsIndex, Range } from '../../analytics/query';
import { totalsOf, type Totals } from './chart-data';
import { numberMarks } from './engagement-words';

/** Yes, no, or either. */
export type Tristate = '' | 'yes' | 'no';

export interface FilterForm {
  /** Engagement rate bounds in percent ("2.5"). */
  rateMin: string;
  rateMax: string;
  counts: Record<MetricName, { min: string; max: string }>;
  /** Days "YYYY-MM-DD" in the CM's zone, both inclusive. */
  from: string;
  to: string;
  network: '' | NetworkId;
  /** A `Profile.id`, or '' for all. */
  profile: string;
  hashtag: string;
  media: Tristate;
  reply: Tristate;
}

export const EMPTY_FORM: FilterForm = {
  rateMin: '',
  rateMax: '',
  counts: Object.fromEntries(METRIC_NAMES.map((m) => [m, { min: '', max: '' }])) as FilterForm['counts'],
  from: '',
  to: '',
  network: '',
  profile: '',
  hashtag: '',
  media: '',
  reply: '',
};

/**
 * A number as the CM typed it in `language`: "2,5" in French and "2.5" anywhere are 2.5; spaces
 * (also no-break ones) and the language's grouping mark between thousands are left out ("1,000" in
 * English, "1 000" in French); with both "," and "." the last one is the decimal mark. Answers
 * undefined for an empty field and NaN for text that is not a number.
 */
export function numberOf(text: string, language = 'en'): number | undefined {
  let s = text.replace(/[\s\u00a0\u202f']/gu, '');
  if (s === '') return undefined;
  const { group } = numberMarks(language);
  const comma = s.lastIndexOf(',');
  const dot = s.lastIndexOf('.');
  if (comma >= 0 && dot >= 0) {
    // Both: the last is the decimal mark, the other groups.
    const decimal = comma > dot ? ',' : '.';
    s = s
      .split(decimal === ',' ? '.' : ',')
      .join('')
      .replace(decimal, '.');
  } else if (comma >= 0 || dot >= 0) {
    const mark = comma >= 0 ? ',' : '.';
    // The language's grouping mark between groups of three ("1,000", "12,500,000"): grouping.
    const grouping = mark === group && new RegExp(`^-?\\d{1,3}(\\${mark}\\d{3})+$`).test(s);
    s = grouping ? s.split(mark).join('') : s.split(mark).length === 2 ? s.replace(mark, '.') : 'x';
  }
  const n = /^-?(\d+\.?\d*|\.\d+)$/.test(s) ? Number(s) : NaN;
  return Number.isFinite(n) ? n : NaN;
}

/** A field's number for the engine: undefined when empty or not a number (said beside it). */
const bound = (text: string, language: string) => {
  const n = numberOf(text, language);
  return n === undefined || Number.isNaN(n) ? undefined : n;
};

function rangeOf(min: number | undefined, max: number | undefined): Range | undefined {
  if (min === undefined && max === undefined) return undefined;
  return { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

/** The first instant of day `day` ("YYYY-MM-DD") in `zone`, or undefined when it is not a date. */
function dayStart(day: string, zone: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  try {
    return zonedToInstant(`${day}T00:00`, zone).at;
  } catch {
    return undefined;
  }
}

/** The day after `day` ("YYYY-MM-DD"). */
function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The day ("YYYY-MM-DD") an instant falls on in `zone`. */
export function dayIn(at: number, zone: string): string {
  return instantToZoned(at, zone).local.slice(0, 10);
}

/** What is wrong with one bound of the form, said beside its fields. */
export interface BoundProblem {
  /** The engagement rate, the posting days, or a count. */
  what: 'rate' | 'dates' | MetricName;
  /** `reversed`: the minimum is above the maximum (from after to); `not-a-number`: `value` is not one. */
  problem: 'reversed' | 'not-a-number';
  /** The field marked invalid. */
  field: 'min' | 'max';
  value?: string;
}

/**
 * The bounds of the form that set no condition or that no post can meet: text that is not a
 * number in `language`, a minimum above its maximum, a "from" day after the "to" day.
 */
export function boundProblems(form: FilterForm, language = 'en'): BoundProblem[] {
  const out: BoundProblem[] = [];
  const range = (what: BoundProblem['what'], min: string, max: string) => {
    const a = numberOf(min, language);
    const b = numberOf(max, language);
    if (Number.isNaN(a)) out.push({ what, problem: 'not-a-number', field: 'min', value: min.trim() });
    else if (Number.isNaN(b)) out.push({ what, problem: 'not-a-number', field: 'max', value: max.trim() });
    else if (a !== undefined && b !== undefined && a > b) out.push({ what, problem: 'reversed', field: 'max' });
  };
  range('rate', form.rateMin, form.rateMax);
  if (/^\d{4}-\d{2}-\d{2}$/.test(form.from) && /^\d{4}-\d{2}-\d{2}$/.test(form.to) && form.from > form.to)
    out.push({ what: 'dates', problem: 'reversed', field: 'max' });
  for (const m of METRIC_NAMES) range(m, form.counts[m].min, form.counts[m].max);
  return out;
}

/**
 * The engine's filter for what the form says (`zone`: the CM's IANA zone, for the days;
 * `language`: how she writes numbers). A field that is not a number sets no condition.
 */
export function filterOf(form: FilterForm, zone: string, language = 'en'): AnalyticsFilter {
  const filter: AnalyticsFilter = {};
  const pct = (text: string) => {
    const n = bound(text, language);
    return n === undefined ? undefined : n / 100;
  };
  const rate = rangeOf(pct(form.rateMin), pct(form.rateMax));
  if (rate) filter.rate = rate;
  const counts: NonNullable<AnalyticsFilter['counts']> = {};
  for (const m of METRIC_NAMES) {
    const r = rangeOf(bound(form.counts[m].min, language), bound(form.counts[m].max, language));
    if (r) counts[m] = r;
  }
  if (Object.keys(counts).length > 0) filter.counts = counts;
  const from = dayStart(form.from, zone);
  if (from !== undefined) filter.from = from;
  const to = /^\d{4}-\d{2}-\d{2}$/.test(form.to) ? dayStart(nextDay(form.to), zone) : undefined;
  if (to !== undefined) filter.to = to;
  if (form.network) filter.networks = [form.network];
  if (form.profile) filter.profiles = [form.profile];
  const tag = form.hashtag.trim().replace(/^[#＃]+/u, '');
  if (tag) filter.hashtag = tag;
  if (form.media) filter.hasMedia = form.media === 'yes';
  if (form.reply) filter.isReply = form.reply === 'yes';
  return filter;
}

/** The form for an engine's filter (a saved view's), in `zone`, its numbers written in `language`. */
export function formOf(filter: AnalyticsFilter, zone: string, language = 'en'): FilterForm {
  // No exponent, no trailing float noise (0.025 → "2.5" percent), the language's decimal mark.
  const { decimal } = numberMarks(language);
  const fieldOf = (n: number | undefined, scale = 1) =>
    n === undefined ? '' : String(Number((n * scale).toPrecision(12))).replace('.', decimal);
  const counts = { ...EMPTY_FORM.counts };
  for (const m of METRIC_NAMES) {
    const r = filter.counts?.[m];
    counts[m] = { min: fieldOf(r?.min), max: fieldOf(r?.max) };
  }
  return {
    rateMin: fieldOf(filter.rate?.min, 100),
    rateMax: fieldOf(filter.rate?.max, 100),
    counts,
    from: filter.from !== undefined ? dayIn(filter.from, zone) : '',
    // `to` is exclusive: the day before it is the last one in.
    to: filter.to !== undefined ? dayIn(filter.to - 1, zone) : '',
    network: filter.networks?.length === 1 ? filter.networks[0]! : '',
    profile: filter.profiles?.length === 1 ? filter.profiles[0]! : '',
    hashtag: filter.hashtag ?? '',
    media: filter.hasMedia === undefined ? '' : filter.hasMedia ? 'yes' : 'no',
    reply: filter.isReply === undefined ? '' : filter.isReply ? 'yes' : 'no',
  };
}

/** What the posts passing a filter did on average (chart-data.ts `Totals`). */
export type FilteredSummary = Totals;

/**
 * The averages of the posts passing `filter`, from the engine's monthly periods (one pass over
 * the rows, no row objects made): mean rate of the rated posts, mean likes and reposts of the
 * posts whose counts are known.
 */
export function summarize(
  index: AnalyticsIndex,
  filter: AnalyticsFilter,
  zone: string,
  posts: number,
): FilteredSummary {
  return { ...totalsOf(posts > 0 ? index.periods(filter, { period: 'month', zone }) : []), posts };
}
