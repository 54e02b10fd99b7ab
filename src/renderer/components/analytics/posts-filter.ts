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

/** A number typed in a field ("2,5" as "2.5" too), or undefined when empty or not a number. */
export function numberOf(text: string): number | undefined {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : undefined;
}

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

/**
 * The bounds of the form that no post can meet: a minimum above its maximum (`rate`, a count's
 * name) or a "from" day after the "to" day (`dates`). The form says each beside its fields.
 */
export function reversedBounds(form: FilterForm): Array<'rate' | 'dates' | MetricName> {
  const out: Array<'rate' | 'dates' | MetricName> = [];
  const reversed = (min: string, max: string) => {
    const a = numberOf(min);
    const b = numberOf(max);
    return a !== undefined && b !== undefined && a > b;
  };
  if (reversed(form.rateMin, form.rateMax)) out.push('rate');
  if (/^\d{4}-\d{2}-\d{2}$/.test(form.from) && /^\d{4}-\d{2}-\d{2}$/.test(form.to) && form.from > form.to)
    out.push('dates');
  for (const m of METRIC_NAMES) if (reversed(form.counts[m].min, form.counts[m].max)) out.push(m);
  return out;
}

/** The engine's filter for what the form says (`zone`: the CM's IANA zone, for the days). */
export function filterOf(form: FilterForm, zone: string): AnalyticsFilter {
  const filter: AnalyticsFilter = {};
  const pct = (text: string) => {
    const n = numberOf(text);
    return n === undefined ? undefined : n / 100;
  };
  const rate = rangeOf(pct(form.rateMin), pct(form.rateMax));
  if (rate) filter.rate = rate;
  const counts: NonNullable<AnalyticsFilter['counts']> = {};
  for (const m of METRIC_NAMES) {
    const r = rangeOf(numberOf(form.counts[m].min), numberOf(form.counts[m].max));
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

/** A number as the form shows it (no exponent, no trailing float noise: 0.025 → "2.5" percent). */
const fieldOf = (n: number | undefined, scale = 1) =>
  n === undefined ? '' : String(Number((n * scale).toPrecision(12)));

/** The form for an engine's filter (a saved view's), in `zone`. */
export function formOf(filter: AnalyticsFilter, zone: string): FilterForm {
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
