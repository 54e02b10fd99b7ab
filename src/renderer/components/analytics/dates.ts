// Dates in the analytics view (issue 9): one way of writing them wherever the view shows one (the
// posts table, a post's details, the charts' axes, legends and summaries, their data tables, the
// words of the CSV files and the Analytics column), so "25 Nov 2026" in the table is "25 Nov" on
// the chart's axis and not "Nov 25". The CSV files' time columns stay ISO 8601 (chart-data.ts
// `isoInZone`, posts-csv.ts `isoIn`): a spreadsheet reads those, not people.
//
// The locale is the computer's regional format when it is a form of the UI's language (en-GB for
// English on a British computer: "25 Nov 2026, 08:31"), else the UI's language itself; the clock
// is 24-hour in both languages, as everywhere else in the app (../time.ts writes "HH:mm").

/**
 * The locale dates are written in: `system` (the computer's, navigator.language by default) when
 * it is a form of `language` (the UI's: "en", "fr"), else `language`.
 */
export function dateLocale(language: string, system?: string): string {
  const computer = system ?? (typeof navigator !== 'undefined' ? navigator.language : undefined);
  const base = (tag: string) => tag.toLowerCase().split('-')[0];
  return computer && base(computer) === base(language) ? computer : language;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * An `Intl.DateTimeFormat` in the analytics' locale (`dateLocale(language)`) and IANA `zone`,
 * made once per locale, zone and options (building one costs about as much as formatting a few
 * hundred dates). @throws RangeError for a zone the runtime does not know.
 */
export function zonedFormat(language: string, zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return formatIn(dateLocale(language), zone, options);
}

function formatIn(locale: string, zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}\u0000${zone}\u0000${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone });
    formats.set(key, f);
  }
  return f;
}

/**
 * An instant (ms since the epoch) as a date and time in `zone`: "25 Nov 2026, 08:31" (`medium`,
 * tables, legends, summaries) or "Wednesday 25 November 2026 at 08:31" (`full`, a post's title).
 */
export function formatDateTime(
  ms: number,
  language: string,
  zone: string,
  style: 'medium' | 'full' = 'medium',
): string {
  return dateTimeFormat(language, zone, style).format(ms);
}

/** The formatter behind `formatDateTime`, for a caller writing many dates (a table's rows). */
export function dateTimeFormat(
  language: string,
  zone: string,
  style: 'medium' | 'full' = 'medium',
): Intl.DateTimeFormat {
  return zonedFormat(language, zone, { dateStyle: style, timeStyle: 'short', hourCycle: 'h23' });
}

/** An instant (ms) as the day it falls on in `zone`: "25 Nov 2026". */
export function formatDate(ms: number, language: string, zone: string): string {
  return zonedFormat(language, zone, { dateStyle: 'medium' }).format(ms);
}

/** A calendar day "YYYY-MM-DD" (a follower count's day) as `formatDate` writes it; anything else as it is. */
export function formatDay(day: string, language: string): string {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
  return Number.isNaN(ms) ? day : formatDate(ms, language, 'UTC');
}

/** The month an instant (ms) falls in, in `zone`: "November 2026", "novembre 2026". */
export function formatMonth(ms: number, language: string, zone: string): string {
  return zonedFormat(language, zone, { month: 'long', year: 'numeric' }).format(ms);
}

const DAY_S = 86_400;

/**
 * The x axis' tick labels for uPlot (`Axis.values`: ticks in seconds since the epoch, `step` the
 * seconds between them) in `zone`: hours within a day ("09:00", the day above it on the first tick
 * and where the day changes), days ("3 Nov", the year below on the first tick and at a new year),
 * months ("Nov", likewise), years.
 */
export function timeTickLabels(ticks: readonly number[], step: number, language: string, zone: string): string[] {
  const day = zonedFormat(language, zone, { day: 'numeric', month: 'short' });
  const year = zonedFormat(language, zone, { year: 'numeric' });
  const month = zonedFormat(language, zone, { month: 'short' });
  const time = zonedFormat(language, zone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  // A key for the day in the zone (not shown): the same in any locale.
  const dayKey = formatIn('en-CA', zone, { year: 'numeric', month: '2-digit', day: '2-digit' });
  let previousDay = '';
  let previousYear = '';
  return ticks.map((t, i) => {
    const ms = t * 1000;
    if (step >= 365 * DAY_S - DAY_S) return year.format(ms);
    const y = year.format(ms);
    const newYear = i === 0 || y !== previousYear;
    previousYear = y;
    if (step >= 28 * DAY_S) return newYear ? `${month.format(ms)}\n${y}` : month.format(ms);
    if (step >= DAY_S) return newYear ? `${day.format(ms)}\n${y}` : day.format(ms);
    const d = dayKey.format(ms);
    const newDay = i === 0 || d !== previousDay;
    previousDay = d;
    return newDay ? `${day.format(ms)}\n${time.format(ms)}` : time.format(ms);
  });
}

/** The names of the ISO weekdays 1 (Monday) … 7 (Sunday) in the analytics' locale. */
export function weekdayNames(language: string, width: 'long' | 'short' = 'long'): string[] {
  const f = zonedFormat(language, 'UTC', { weekday: width });
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, i) => f.format(Date.UTC(2024, 0, 1 + i)));
}
