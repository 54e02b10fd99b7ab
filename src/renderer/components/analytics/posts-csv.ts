// The posts table to CSV (issue 9, "Export the table and the series to CSV"; a post's series is
// PostHistory's), written by papaparse
// as RFC 4180 (CRLF, quotes where needed) with a UTF-8 byte order mark so spreadsheets read
// accents right, and cells a spreadsheet would run as a formula written with a leading `'`
// (OWASP "CSV injection", as drafts/draft-files.ts). Headers are in the UI's language, and so are
// the separators, as that language's spreadsheets open a .csv: a comma between fields and a dot
// before decimals in English; where the decimal mark is a comma (French), a semicolon between
// fields and a comma before decimals (Excel takes its list separator from the locale). Times are
// ISO 8601 in the CM's zone with its offset ("2025-01-20T13:00:00+01:00"); an unknown count is an
// empty cell, never 0, and the row says which counts were unknown and how its rate was made.
import type { TFunction } from 'i18next';
import Papa from 'papaparse';
import { METRIC_NAMES } from '../../../shared/analytics';
import { NETWORK_NAMES } from '../../../shared/model';
import { instantToZoned } from '../../../shared/schedule/zoned-time';
import type { AnalyticsArchive, ArchivedPost } from '../../analytics/archive-store';
import type { AnalyticsIndex, AnalyticsRow } from '../../analytics/query';
import { decodeSeries } from '../../analytics/series-codec';
import { formulaName, numberMarks, rateWords, sourcesOf } from './engagement-words';

const BOM = '\ufeff';
const FORMULA_START = /^[=+\-@\t\r]/;

const CSV_OPTIONS = { delimiter: ',', newline: '\r\n', escapeFormulae: FORMULA_START } as const;

/**
 * The field separator and decimal mark a spreadsheet in `language` expects: ";" and "," where the
 * language writes decimals with a comma (fr), "," and "." otherwise.
 */
export function csvMarks(language: string): { delimiter: ',' | ';'; decimal: '.' | ',' } {
  return numberMarks(language).decimal === ',' ? { delimiter: ';', decimal: ',' } : { delimiter: ',', decimal: '.' };
}

/** An instant as ISO 8601 in `zone`, with the zone's offset then ("2025-01-20T13:00:05+01:00"). */
export function isoIn(at: number, zone: string): string {
  return zoneClock(zone)(at);
}

/**
 * `isoIn` for many instants in one zone: the zone's offset is read once per UTC day (at its start
 * and end; where they differ, a day with a change of offset, once per quarter hour, on which
 * offsets change), then the local time is arithmetic.
 */
function zoneClock(zone: string): (at: number) => string {
  const DAY = 86_400_000;
  const QUARTER = 900_000;
  const offsetAt = (ms: number) => instantToZoned(ms, zone).offsetMinutes;
  const days = new Map<number, number | null>();
  const quarters = new Map<number, number>();
  const offsetOf = (at: number): number => {
    const day = Math.floor(at / DAY);
    let whole = days.get(day);
    if (whole === undefined) {
      const first = offsetAt(day * DAY);
      whole = first === offsetAt(day * DAY + DAY - 1) ? first : null;
      days.set(day, whole);
    }
    if (whole !== null) return whole;
    const quarter = Math.floor(at / QUARTER);
    let offset = quarters.get(quarter);
    if (offset === undefined) {
      offset = offsetAt(quarter * QUARTER);
      quarters.set(quarter, offset);
    }
    return offset;
  };
  const two = (n: number) => String(n).padStart(2, '0');
  return (at) => {
    const offsetMinutes = offsetOf(at);
    const local = new Date(at + offsetMinutes * 60_000);
    const abs = Math.abs(offsetMinutes);
    return (
      `${String(local.getUTCFullYear()).padStart(4, '0')}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())}` +
      `T${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}` +
      `${offsetMinutes < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`
    );
  };
}

/** A row of the table with what the archive holds of its post (text, url, series). */
export interface ExportRow {
  row: AnalyticsRow;
  post: ArchivedPost | undefined;
}

/** A fraction as a percentage number with up to 4 decimals (0.03214 → 3.214). */
const percent = (rate: number) => Number((rate * 100).toFixed(4));

/** Rows made between two pauses that let the window handle input (see `postsCsv`). */
const ROWS_PER_TURN = 500;
const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * The posts table as CSV, in the order given: one line per post with its time, profile, network,
 * text, hashtags, flags, every count (empty when unknown), the followers at posting, the
 * engagements, the rate in percent (empty when none), its formula and what it could not count
 * ("partial data"), its address and id. Made ROWS_PER_TURN rows at a time, with a pause between,
 * so a 100,000-post export never holds the window for long.
 */
export async function postsCsv(
  t: TFunction,
  language: string,
  zone: string,
  rows: readonly ExportRow[],
): Promise<string> {
  const yes = t('analyticsView.csv.yes');
  const no = t('analyticsView.csv.no');
  const fields = [
    t('analyticsView.csv.date'),
    t('analyticsView.csv.profile'),
    t('analyticsView.csv.network'),
    t('analyticsView.csv.text'),
    t('analyticsView.csv.hashtags'),
    t('analyticsView.csv.media'),
    t('analyticsView.csv.reply'),
    t('analyticsView.csv.quote'),
    t('analyticsView.csv.gone'),
    ...METRIC_NAMES.map((m) => t(`analyticsView.metric.${m}`)),
    t('analyticsView.csv.followers'),
    t('analyticsView.csv.engagements'),
    t('analyticsView.csv.rate'),
    t('analyticsView.csv.formula'),
    t('analyticsView.csv.partial'),
    t('analyticsView.csv.url'),
    t('analyticsView.csv.id'),
  ];
  const time = zoneClock(zone);
  const marks = csvMarks(language);
  const options = { ...CSV_OPTIONS, delimiter: marks.delimiter };
  const decimal = (n: number) => (marks.decimal === ',' ? String(n).replace('.', ',') : n);
  // Written a turn's rows at a time: the header, then each turn's lines.
  const parts = [Papa.unparse([fields], options)];
  let data: unknown[][] = [];
  const flush = () => {
    if (data.length) parts.push(Papa.unparse(data, options));
    data = [];
  };
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % ROWS_PER_TURN === 0) {
      flush();
      await nextTurn();
    }
    const { row, post } = rows[i]!;
    // Where the counts came from matters only to say why an X post has no impressions.
    const sources =
      row.engagement.reason === 'no-impressions' && post?.series ? sourcesOf(decodeSeries(post.series)) : null;
    const words = rateWords(t, language, row, sources);
    const e = row.engagement;
    data.push([
      time(row.createdAt),
      row.handle,
      NETWORK_NAMES[row.network],
      post?.text ?? '',
      row.tags.map((h) => `#${h}`).join(' '),
      row.hasMedia ? yes : no,
      row.isReply ? yes : no,
      row.isQuote ? yes : no,
      row.gone ? yes : no,
      ...METRIC_NAMES.map((m) => row.latest[m] ?? ''),
      row.followers?.followers ?? '',
      e.rate === null ? '' : e.engagements,
      e.rate === null ? '' : decimal(percent(e.rate)),
      formulaName(t, e.formula),
      e.rate === null ? [words.formula, ...words.notes].join('; ') : words.notes.join('; '),
      post?.url ?? '',
      row.id,
    ]);
  }
  flush();
  return BOM + parts.join(options.newline);
}

/** Posts read from the archive per request while exporting (each a short read). */
const EXPORT_CHUNK = 500;

/**
 * The rows `rowNumbers` of `index` (the table's filtered and sorted rows) with their posts from
 * `archive`, read a chunk at a time so the window stays responsive. `signal` stops it.
 */
export async function exportRows(
  index: AnalyticsIndex,
  archive: AnalyticsArchive,
  rowNumbers: Uint32Array,
  signal?: AbortSignal,
): Promise<ExportRow[]> {
  const out: ExportRow[] = [];
  for (let i = 0; i < rowNumbers.length; i += EXPORT_CHUNK) {
    signal?.throwIfAborted();
    const rows = [...rowNumbers.subarray(i, i + EXPORT_CHUNK)].map((r) => index.row(r));
    const posts = await archive.posts(rows.map((r) => r.id));
    rows.forEach((row, k) => out.push({ row, post: posts[k] }));
  }
  return out;
}

/** Saves `text` as a file (the browser's, or Electron's, download). */
export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
