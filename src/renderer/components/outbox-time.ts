// Times for the Outbox view and its calendar: the CM's zone (the computer's), each target's
// audience zone (its due zone), the calendar's weeks and months, and where a dragged post lands.
// Weeks and months are date-fns's in the CM's zone (@date-fns/tz's TZDate, so the computer's own
// zone never leaks in), starting on the locale's first day: Monday in French and British English,
// Sunday in American English (date-fns locales' `weekStartsOn`). Wall-clock times go to instants
// and back through src/shared/schedule/zoned-time, the scheduler's own rules (RFC 5545 for DST gaps).
import { TZDate, tz } from '@date-fns/tz';
import {
  addDays,
  addMonths,
  addWeeks,
  eachDayOfInterval,
  endOfMonth,
  endOfWeek,
  format,
  startOfMonth,
  startOfWeek,
  type Locale,
} from 'date-fns';
import { enAU, enCA, enGB, enIE, enIN, enNZ, enUS, enZA, fr } from 'date-fns/locale';
import type { When } from '../../shared/outbox';
import { formatLocal, instantToZoned, parseLocal, zonedToInstant } from '../../shared/schedule/zoned-time';

const DAY = 24 * 60 * 60_000;

/** The CM's zone: the computer's (an IANA name; "UTC" when the runtime says none). */
export function systemZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const ENGLISH: Record<string, Locale> = {
  US: enUS,
  GB: enGB,
  AU: enAU,
  CA: enCA,
  IE: enIE,
  IN: enIN,
  NZ: enNZ,
  ZA: enZA,
};

/**
 * The date-fns locale of the calendar: French for a French UI; for an English UI, the English of
 * the computer's region (`systemLocale`, a BCP 47 tag such as "en-GB"), American English when the
 * region is not one date-fns has or none is given. It decides the first day of the week and the
 * day and month names.
 */
export function calendarLocale(language: string, systemLocale?: string): Locale {
  if (language === 'fr') return fr;
  const tag = systemLocale ?? (typeof navigator === 'undefined' ? 'en-US' : navigator.language);
  let region: string | undefined;
  try {
    region = new Intl.Locale(tag).maximize().region;
  } catch {
    region = undefined;
  }
  return (region && tag.toLowerCase().startsWith('en') && ENGLISH[region]) || enUS;
}

/** A zone as a person names it: its city ("America/New_York" → "New York"); "UTC" as it is. */
export function zoneCity(zone: string): string {
  const last = zone.split('/').at(-1) ?? zone;
  return last.replace(/_/g, ' ');
}

/** An instant (ISO or ms) in `zone`, formatted with a date-fns `pattern` in `locale`. */
export function formatIn(at: string | number, zone: string, pattern: string, locale: Locale): string {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  return format(new TZDate(ms, zone), pattern, { locale });
}

/** The wall-clock time of an instant in `zone`: its day "YYYY-MM-DD", hour and minute. */
export function wallClock(
  at: string | number,
  zone: string,
): { day: string; hour: number; minute: number; local: string } {
  const { local } = instantToZoned(typeof at === 'number' ? at : Date.parse(at), zone);
  return { local, day: local.slice(0, 10), hour: Number(local.slice(11, 13)), minute: Number(local.slice(14, 16)) };
}

/**
 * A due time as the CM reads it: "09:00 Paris · 03:00 New York" when the audience's zone (`dueZone`)
 * is not hers (`cmZone`), else "09:00". `withDay` puts the day first in her zone ("Mon 29 Mar, …").
 */
export function dualTime(at: string, dueZone: string, cmZone: string, locale: Locale, withDay = false): string {
  const mine = formatIn(at, cmZone, withDay ? 'EEE d MMM, HH:mm' : 'HH:mm', locale);
  if (dueZone === cmZone) return mine;
  const theirs = formatIn(at, dueZone, 'HH:mm', locale);
  const theirDay = wallClock(at, dueZone).day;
  // Their day, when it is not hers: "23:30 Paris · 17:30 New York" but "01:00 Paris · Sun 19:00 New York".
  const sameDay = wallClock(at, cmZone).day === theirDay;
  const theirsText = sameDay ? theirs : `${formatIn(at, dueZone, 'EEE', locale)} ${theirs}`;
  return `${mine} ${zoneCity(cmZone)} · ${theirsText} ${zoneCity(dueZone)}`;
}

/** "YYYY-MM-DD" of a date in its own zone (a TZDate's). */
export const dayKey = (d: Date): string => format(d, 'yyyy-MM-dd');

/** Noon of a day "YYYY-MM-DD" in `zone` (noon: never in a DST change). */
export function dayIn(day: string, zone: string): TZDate {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new TZDate(y, m - 1, d, 12, 0, zone);
}

/** The seven days of the week holding `anchor` ("YYYY-MM-DD") in `zone`, from the locale's first day. */
export function weekDays(anchor: string, zone: string, locale: Locale): TZDate[] {
  const start = startOfWeek(dayIn(anchor, zone), { locale });
  return Array.from({ length: 7 }, (_, i) => addDays(start, i));
}

/** The weeks (rows of seven days) that show the month holding `anchor`, from the locale's first day. */
export function monthWeeks(anchor: string, zone: string, locale: Locale): TZDate[][] {
  const day = dayIn(anchor, zone);
  const days = eachDayOfInterval(
    { start: startOfWeek(startOfMonth(day), { locale }), end: endOfWeek(endOfMonth(day), { locale }) },
    { in: tz(zone) },
  );
  const weeks: TZDate[][] = [];
  for (let i = 0; i < days.length; i += 7) weeks.push(days.slice(i, i + 7));
  return weeks;
}

/** `anchor` moved by `n` weeks or months (the calendar's Previous and Next). */
export function shiftAnchor(anchor: string, zone: string, view: 'week' | 'month', n: number): string {
  const day = dayIn(anchor, zone);
  return dayKey(view === 'week' ? addWeeks(day, n) : addMonths(day, n));
}

/** Where a post is dropped in the calendar: a day and hour (week view), or a day (month view). */
export type CalendarDrop = { day: string; hour?: number };

/**
 * Where a post due at `at` (ISO) in its audience's zone `zone` goes when dropped on `drop` of the
 * CM's calendar (in `cmZone`), as `outbox.reschedule` takes it: `{ kind: 'at', local, zone }`,
 * the job keeping its zone. Null when it lands where it was.
 * - On an hour of a day (week view): that hour of that day in the CM's zone, the minutes kept
 *   (09:30 dropped on the 14:00 row is 14:30), told in the audience's zone.
 * - On a day (month view): the same wall-clock time in the audience's zone, as many days later
 *   (or sooner) as the CM's calendar moved it: 9:00 New York stays 9:00 New York, whatever the
 *   DST dates between.
 * A wall-clock time that a DST change skips moves forward by the gap (the scheduler's rule).
 */
export function whenForDrop(at: string, zone: string, drop: CalendarDrop, cmZone: string): When | null {
  const mine = wallClock(at, cmZone);
  if (drop.hour === undefined) {
    const days = Math.round(((parseLocal(`${drop.day}T00:00`) ?? 0) - (parseLocal(`${mine.day}T00:00`) ?? 0)) / DAY);
    if (days === 0) return null;
    const theirs = wallClock(at, zone).local;
    const local = formatLocal((parseLocal(theirs) ?? 0) + days * DAY);
    return local ? { kind: 'at', local, zone } : null;
  }
  if (drop.day === mine.day && drop.hour === mine.hour) return null;
  const two = (n: number) => String(n).padStart(2, '0');
  const { at: instant } = zonedToInstant(`${drop.day}T${two(drop.hour)}:${two(mine.minute)}`, cmZone);
  return { kind: 'at', local: instantToZoned(instant, zone).local, zone };
}

/**
 * The local date and time ("YYYY-MM-DD", "HH:MM") a post at `at` shows in `zone`, for the Move
 * dialog's fields. With no time (a post sent as soon as possible) or one already passed (a post
 * missed while Colonnade was closed), the next whole hour from `now` (ms).
 */
export function fieldsFor(at: string | null, zone: string, now: number): { date: string; time: string } {
  const due = at ? Date.parse(at) : NaN;
  const ms = due > now ? due : Math.ceil((now + 60_000) / 3_600_000) * 3_600_000;
  const { local } = instantToZoned(ms, zone);
  return { date: local.slice(0, 10), time: local.slice(11, 16) };
}
