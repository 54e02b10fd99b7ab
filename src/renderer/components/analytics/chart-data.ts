// What the analytics charts show (issue 9), shaped from the archive and the query engine: a post's
// metric history, a profile's periods, best times to post, and the words and CSV files that say
// the same as each chart (a chart is a canvas: screen readers get the data as text and tables).
// Pure functions; no uPlot and no React here (./time-chart.ts draws, the components render).
import Papa from 'papaparse';
import { TZDate, tzOffset } from '@date-fns/tz';
import { addDays, addMonths, addWeeks } from 'date-fns';
import { METRIC_NAMES, type MetricName, type SnapshotSource } from '../../../shared/analytics';
import type { EngagementFormula } from '../../../shared/engagement';
import type { SeriesPoint } from '../../analytics/series-codec';
import { byFormulaOf, type PeriodStats, type TimeCell } from '../../analytics/query';

/** One line (or bar series) of a time chart. */
export interface ChartLine {
  /** Stable name (a metric, "likesPerPost"…): the CSS class of its legend swatch and the CSV column. */
  key: string;
  /** As the legend says it, in the UI's language. */
  label: string;
  /** Canvas colour (CSS colour string). */
  color: string;
  /** One value per x, null where unknown (the line spans the gap). */
  values: Array<number | null>;
  /** Which y axis: counts left, impressions (another magnitude) right. */
  axis: 'left' | 'right';
  /** Bars (a count per period) instead of a line. */
  bars?: boolean;
  /** A dashed line (the right axis' series, told apart without colour). */
  dashed?: boolean;
}

/** The length of the periods a chart's x values start (a bar per day, a point per week…). */
export type ChartPeriod = 'day' | 'week' | 'month';

/** A chart over time: x as instants (ms since the epoch, ascending) and its lines. */
export interface ChartSpec {
  x: number[];
  /**
   * Each x is the start of a period this long in the CM's zone (posts per day, likes per post by
   * week): the axis leaves a period of room either side and ticks no finer. Without, the x are
   * observations at any instant (a post's history).
   */
  period?: ChartPeriod;
  lines: ChartLine[];
  /** The left axis counts whole things (posts): no tick between integers. */
  wholeNumbers?: boolean;
  /** Axis titles, in the UI's language. */
  leftLabel?: string;
  rightLabel?: string;
}

/**
 * Each series' colour, chosen to be told apart on the app's dark panel (#171b22) and by people
 * with the common colour-vision deficiencies (the Okabe–Ito palette's hues, lightened for a dark
 * background); the right-axis series is dashed as well.
 */
export const SERIES_COLORS = {
  likes: '#f07b8c',
  reposts: '#4fc29a',
  replies: '#56b4e9',
  quotes: '#e6b34a',
  bookmarks: '#c79ce6',
  impressions: '#c0c6d2',
  linkClicks: '#d98a4e',
  profileClicks: '#8fb3ff',
  posts: '#56b4e9',
} as const satisfies Record<MetricName | 'posts', string>;

/** The counts a post's history chart draws against the left axis. */
export const HISTORY_COUNTS = ['likes', 'reposts', 'replies', 'quotes'] as const satisfies readonly MetricName[];
/** The counts a post's history chart can draw: the left axis' and impressions on the right. */
export const HISTORY_METRICS = [...HISTORY_COUNTS, 'impressions'] as const satisfies readonly MetricName[];
export type HistoryMetric = (typeof HISTORY_METRICS)[number];

/** A post's history as its chart draws it. */
export interface HistoryShape {
  /** Observation times, ms since the epoch, ascending. */
  x: number[];
  /** Each chart metric's value per observation (null where that observation did not know it). */
  values: Record<HistoryMetric, Array<number | null>>;
  /** The chart metrics known at least once, in `HISTORY_METRICS` order: the lines drawn. */
  known: HistoryMetric[];
  /** The chart metrics never known (Mastodon's quotes before 4.5, impressions off X…). */
  unknown: HistoryMetric[];
}

/**
 * A post's observations (`AnalyticsArchive.series`: time order, then source order) shaped for its
 * chart. Two observations in the same second (two sources) are one x: the later source's known
 * counts win, the earlier's fill what it did not know.
 */
export function historyShape(points: readonly SeriesPoint[]): HistoryShape {
  const x: number[] = [];
  const values = Object.fromEntries(HISTORY_METRICS.map((m) => [m, [] as Array<number | null>])) as Record<
    HistoryMetric,
    Array<number | null>
  >;
  for (const p of points) {
    const last = x.length - 1;
    if (last >= 0 && x[last] === p.at) {
      for (const m of HISTORY_METRICS) if (p.values[m] !== null) values[m][last] = p.values[m];
      continue;
    }
    x.push(p.at);
    for (const m of HISTORY_METRICS) values[m].push(p.values[m]);
  }
  const known = HISTORY_METRICS.filter((m) => values[m].some((v) => v !== null));
  return { x, values, known, unknown: HISTORY_METRICS.filter((m) => !known.includes(m)) };
}

/** How one count went over a post's history: its first and last known values, and when. */
export interface MetricChange {
  metric: HistoryMetric;
  first: number;
  firstAt: number;
  last: number;
  lastAt: number;
}

/** First and last known value of each chart metric known at least once (`HISTORY_METRICS` order). */
export function historyChanges(shape: HistoryShape): MetricChange[] {
  const out: MetricChange[] = [];
  for (const metric of shape.known) {
    const vs = shape.values[metric];
    const i = vs.findIndex((v) => v !== null);
    let j = vs.length - 1;
    while (j > i && vs[j] === null) j--;
    out.push({ metric, first: vs[i]!, firstAt: shape.x[i]!, last: vs[j]!, lastAt: shape.x[j]! });
  }
  return out;
}

// ---- the time axis ------------------------------------------------------------------------------

const HOUR_MS = 3_600_000;

/** `ms` moved by `n` periods in `zone`'s calendar (a day across a change of clocks lasts 23 or 25 h). */
export function addPeriods(ms: number, period: ChartPeriod, n: number, zone: string): number {
  const d = new TZDate(ms, zone);
  return (period === 'day' ? addDays(d, n) : period === 'week' ? addWeeks(d, n) : addMonths(d, n)).getTime();
}

/**
 * The time axis' range, `[from, to]` in ms since the epoch, for a chart's x values (`ChartSpec.x`,
 * ascending), so that its data sits inside with room around it, however few points there are:
 * - x as the starts of periods (`period`: a bar per day, a point per week or month): from one
 *   period before the first to one period after the last, in `zone`'s calendar; a single period
 *   is centred, with its neighbours either side;
 * - x as observations at any instant (a post's history): a single one centred on a day (12 hours
 *   either side); several, their span with 5 % of it (at least an hour) either side.
 * uPlot's own range for a single x is 1,000 days wide: one day in milliseconds taken as seconds.
 * Null without x.
 */
export function timeRange(x: readonly number[], zone: string, period?: ChartPeriod): [number, number] | null {
  if (x.length === 0) return null;
  const first = x[0]!;
  const last = x[x.length - 1]!;
  if (period) return [addPeriods(first, period, -1, zone), addPeriods(last, period, 1, zone)];
  if (first === last) return [first - 12 * HOUR_MS, first + 12 * HOUR_MS];
  const pad = Math.max(HOUR_MS, (last - first) * 0.05);
  return [first - pad, last + pad];
}

const DAY_S = 86_400;
/** uPlot's month and year (its time ticks fall on the first of a month, of a year, at these). */
const MONTH_S = 30 * DAY_S;
const YEAR_S = 365 * DAY_S;
const YEARS = [1, 2, 5, 10, 25, 50, 100].map((n) => n * YEAR_S);
const MONTHS = [1, 2, 3, 4, 6].map((n) => n * MONTH_S);

/**
 * The steps between the time axis' ticks uPlot may choose for a chart of `period`s (seconds, as
 * uPlot's `Axis.incrs`): never finer than the period (no "06:00" under a bar standing for a day),
 * and a week's ticks on its first day. Undefined for observations (uPlot's own steps).
 */
export function timeTickSteps(period: ChartPeriod | undefined): number[] | undefined {
  switch (period) {
    case 'day':
      return [1, 2, 3, 7, 14].map((n) => n * DAY_S).concat(MONTHS, YEARS);
    case 'week':
      return [7 * DAY_S, 14 * DAY_S, ...MONTHS, ...YEARS];
    case 'month':
      return [...MONTHS, ...YEARS];
    default:
      return undefined;
  }
}

// ---- CSV --------------------------------------------------------------------------------------

/**
 * An instant as ISO 8601 with the zone's offset at that instant ("2026-11-03T10:00:00+01:00"), as
 * the CSV files write times: read the same in any spreadsheet, and exact.
 *
 * @throws RangeError for a zone the runtime does not know.
 */
export function isoInZone(ms: number, zone: string): string {
  const offset = tzOffset(zone, new Date(ms));
  if (Number.isNaN(offset)) throw new RangeError(`Unknown time zone: ${zone}`);
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  if (offset === 0) return `${local}Z`;
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${offset < 0 ? '-' : '+'}${hh}:${mm}`;
}

/** A UTF-8 byte-order mark: spreadsheets then read the file as UTF-8 (accents, emoji). */
const BOM = '\ufeff';
/** Cells starting with these are escaped with `'` by papaparse: a spreadsheet would run them as formulas. */
const FORMULA_START = /^[=+\-@\t\r]/;

function csv(fields: string[], rows: Array<Array<string | number>>): string {
  return BOM + Papa.unparse({ fields, data: rows }, { newline: '\r\n', escapeFormulae: FORMULA_START });
}

/** The CSV column of each metric (snake case: stable across languages, as the other exports). */
const CSV_METRIC: Record<MetricName, string> = {
  likes: 'likes',
  reposts: 'reposts',
  replies: 'replies',
  quotes: 'quotes',
  bookmarks: 'bookmarks',
  impressions: 'impressions',
  linkClicks: 'link_clicks',
  profileClicks: 'profile_clicks',
};

/**
 * A post's whole series as CSV (papaparse; UTF-8 with a byte-order mark, CRLF): one row per
 * observation in time order, columns `post_id`, `time` (ISO 8601 with `zone`'s offset),
 * `time_utc`, `source` (collector, backfill, x-archive, mastodon-archive, outbox) and every count
 * of METRIC_NAMES (empty where that observation did not know it).
 */
export function historyCsv(postId: string, points: readonly SeriesPoint[], zone: string): string {
  return csv(
    ['post_id', 'time', 'time_utc', 'source', ...METRIC_NAMES.map((m) => CSV_METRIC[m])],
    points.map((p) => [
      postId,
      isoInZone(p.at, zone),
      new Date(p.at).toISOString(),
      p.source,
      ...METRIC_NAMES.map((m) => p.values[m] ?? ''),
    ]),
  );
}

/**
 * Periods (`AnalyticsIndex.periods`) as CSV: `period` (its label: a week's first day or a month),
 * `start` (ISO 8601 in `zone`), `posts`, `rated_posts`, `average_engagement_rate` (a fraction:
 * 0.034 is 3.4 %), `formulas` (impressions, followers, or both joined by "+"),
 * `likes_per_post`, `likes_known`, `reposts_per_post`, `reposts_known`; empty where unknown.
 */
export function periodsCsv(periods: readonly PeriodStats[], zone: string): string {
  return csv(
    [
      'period',
      'start',
      'posts',
      'rated_posts',
      'average_engagement_rate',
      'formulas',
      'likes_per_post',
      'likes_known',
      'reposts_per_post',
      'reposts_known',
    ],
    periods.map((p) => [
      p.label,
      isoInZone(p.start, zone),
      p.posts,
      p.rated,
      p.averageRate ?? '',
      p.formulas.join('+'),
      p.likesPerPost ?? '',
      p.likesKnown,
      p.repostsPerPost ?? '',
      p.repostsKnown,
    ]),
  );
}

/** Volume per period as CSV: `period`, `start` (ISO 8601 in `zone`), `posts`. */
export function volumeCsv(
  volume: ReadonlyArray<{ label: string; start: number; posts: number }>,
  zone: string,
): string {
  return csv(
    ['period', 'start', 'posts'],
    volume.map((v) => [v.label, isoInZone(v.start, zone), v.posts]),
  );
}

// ---- overview figures -------------------------------------------------------------------------

/** What a set of periods adds up to: the figures of every post in them. */
export interface Totals {
  posts: number;
  rated: number;
  /** Mean rate of the rated posts (fraction), null when none is rated. */
  averageRate: number | null;
  formulas: EngagementFormula[];
  /** Per formula (query.ts `PeriodStats.byFormula`): what to show when formulas are mixed. */
  byFormula: PeriodStats['byFormula'];
  likesPerPost: number | null;
  likesKnown: number;
  repostsPerPost: number | null;
  repostsKnown: number;
}

/**
 * The figures of all the posts in `periods` together: exact means (each period's mean weighted
 * by the posts it averaged), not a mean of means.
 */
export function totalsOf(periods: readonly PeriodStats[]): Totals {
  let posts = 0;
  let rated = 0;
  let rateSum = 0;
  let impressionsRated = 0;
  let impressionsSum = 0;
  let likesKnown = 0;
  let likes = 0;
  let repostsKnown = 0;
  let reposts = 0;
  const formulas = new Set<EngagementFormula>();
  for (const p of periods) {
    posts += p.posts;
    rated += p.rated;
    rateSum += (p.averageRate ?? 0) * p.rated;
    const x = p.byFormula.impressions;
    if (x) {
      impressionsRated += x.rated;
      impressionsSum += x.averageRate * x.rated;
    }
    likesKnown += p.likesKnown;
    likes += (p.likesPerPost ?? 0) * p.likesKnown;
    repostsKnown += p.repostsKnown;
    reposts += (p.repostsPerPost ?? 0) * p.repostsKnown;
    for (const f of p.formulas) formulas.add(f);
  }
  return {
    posts,
    rated,
    averageRate: rated ? rateSum / rated : null,
    formulas: (['impressions', 'followers'] as const).filter((f) => formulas.has(f)),
    byFormula: byFormulaOf(impressionsRated, impressionsSum, rated, rateSum),
    likesPerPost: likesKnown ? likes / likesKnown : null,
    likesKnown,
    repostsPerPost: repostsKnown ? reposts / repostsKnown : null,
    repostsKnown,
  };
}

// ---- best times -------------------------------------------------------------------------------

/** A cell needs this many rated posts before it can be called a best time (fewer is luck). */
export const MIN_RATED_FOR_BEST = 3;

/**
 * The best times to post: the `limit` cells of `bestTimes` with the highest mean engagement rate
 * among those with at least `minRated` rated posts (ties: more posts first, then earlier in the
 * week). Empty when no cell has enough.
 */
export function bestCells(cells: readonly TimeCell[], limit = 3, minRated = MIN_RATED_FOR_BEST): TimeCell[] {
  return cells
    .filter((c) => c.averageRate !== null && c.rated >= minRated)
    .sort((a, b) => b.averageRate! - a.averageRate! || b.rated - a.rated || a.weekday - b.weekday || a.hour - b.hour)
    .slice(0, limit);
}

/**
 * A heat level from 0 to 4 for each cell (the heatmap's colour steps): 0 without a rated post,
 * else 1–4 by the cell's mean rate as a share of the highest cell's.
 */
export function heatLevels(cells: readonly TimeCell[]): number[] {
  const max = Math.max(0, ...cells.map((c) => c.averageRate ?? 0));
  return cells.map((c) => {
    if (c.averageRate === null) return 0;
    if (max <= 0) return 1;
    return Math.min(4, 1 + Math.floor((c.averageRate / max) * 4 - 1e-9));
  });
}

/** "09:00–10:00": the hour a cell covers. */
export function hourSpan(hour: number): string {
  const hh = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
  return `${hh(hour)}–${hh(hour + 1)}`;
}

/** Which translated word names a snapshot source (keys of `analyticsCharts.sources`). */
export const SOURCE_KEYS: Readonly<Record<SnapshotSource, string>> = {
  collector: 'collector',
  backfill: 'backfill',
  'x-archive': 'xArchive',
  'mastodon-archive': 'mastodonArchive',
  outbox: 'outbox',
};

/**
 * A file name made of `parts` joined by '-': letters, digits, '.', '-' and '_' kept, anything else
 * (':' of an id, '/', spaces) made '_' so the name is valid on every system.
 */
export function fileName(parts: readonly string[], extension: string): string {
  const base = parts
    .map((p) => p.replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^[_.-]+|[_.-]+$/g, ''))
    .filter((p) => p !== '')
    .join('-');
  return `${base || 'chart'}.${extension}`;
}
