// Wall-clock times in a time zone and the instants they name, for the scheduler (main) and the
// composer and calendar (renderer): pure functions over the runtime's tz database (Intl), the same
// in Node and Chromium.
//
// Offsets come from @date-fns/tz's `tzOffset` (Intl "longOffset", independent of the computer's
// own zone). Its `TZDate` constructor is not used to read a wall-clock time: in a fall-back
// overlap it picks the first or the second occurrence depending on the computer's zone (checked
// with TZ=Europe/Paris and TZ=UTC on 2027-10-31T02:30 Paris), and a job must not move by an hour
// with the CM's laptop.
import { tzOffset } from '@date-fns/tz';
import { ColonnadeError } from '../errors';
import type { Due } from '../outbox';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

const known = new Map<string, boolean>();

/**
 * True when `zone` is an IANA time-zone name the runtime's tz database knows ("Europe/Paris",
 * "UTC", "America/Indiana/Knox", aliases such as "Asia/Calcutta"; case-insensitive as in Intl).
 * Offsets ("+05:30"), which Intl also accepts, are refused: they carry no DST rules.
 */
export function isKnownZone(zone: string): boolean {
  const cached = known.get(zone);
  if (cached !== undefined) return cached;
  let ok = typeof zone === 'string' && zone.length > 0 && zone.length <= 64 && !/^[+\-\u2212]/.test(zone);
  if (ok) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
    } catch {
      ok = false;
    }
  }
  if (known.size >= 1_000) known.clear();
  known.set(zone, ok);
  return ok;
}

function unknownZone(zone: string): ColonnadeError {
  return new ColonnadeError('invalid', `Unknown time zone: ${zone.slice(0, 64)}`, {
    reason: 'unknown-zone',
    params: { zone: zone.slice(0, 64) },
  });
}

function invalidDate(local: string): ColonnadeError {
  return new ColonnadeError('invalid', `Not a valid date and time: ${String(local).slice(0, 40)}`, {
    reason: 'invalid-date',
  });
}

/** Throws ColonnadeError `invalid`, reason `unknown-zone` (params.zone), unless isKnownZone(zone). */
export function assertKnownZone(zone: string): void {
  if (typeof zone !== 'string' || !isKnownZone(zone)) throw unknownZone(String(zone));
}

/** The zone's offset from UTC at `at`, in ms (positive east of Greenwich; whole seconds). */
function offsetMs(zone: string, at: number): number {
  return Math.round(tzOffset(zone, new Date(at)) * MINUTE);
}

/**
 * "YYYY-MM-DDTHH:mm" read as if it were UTC ("floating" time, ms), or null when malformed or not a
 * calendar date (2027-02-30). Years 0000–0099 are taken literally (Date.UTC would add 1900).
 */
export function parseLocal(local: string): number | null {
  const m = typeof local === 'string' ? LOCAL.exec(local) : null;
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, 0, 0);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  if (h !== date.getUTCHours() || mi !== date.getUTCMinutes()) return null;
  return date.getTime();
}

/** A floating time (ms, see parseLocal) as "YYYY-MM-DDTHH:mm", or null outside years 0000–9999. */
export function formatLocal(floating: number): string | null {
  if (!Number.isFinite(floating)) return null;
  const date = new Date(floating);
  const y = date.getUTCFullYear();
  if (Number.isNaN(y) || y < 0 || y > 9999) return null;
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${String(y).padStart(4, '0')}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}` +
    `T${two(date.getUTCHours())}:${two(date.getUTCMinutes())}`
  );
}

/**
 * The instant a wall-clock time names in a zone.
 *
 * - `local`: "YYYY-MM-DDTHH:mm" (LocalDateTimeSchema); `zone`: an IANA name ("Europe/Paris").
 * - Returns `at`, the instant in ms since the epoch, and `shifted`: `'gap'` when `local` does not
 *   exist in the zone, else null.
 *
 * The rule for the two DST discontinuities is RFC 5545 §3.3.5 (iCalendar DATE-TIME with TZID; its
 * §3.3.10 applies it to recurrence instances, our posting slots), which is also Temporal's
 * `disambiguation: 'compatible'`:
 * - a time that occurs twice (fall back: 2027-10-31T02:30 Europe/Paris) names its FIRST
 *   occurrence, the earlier instant (02:30 CEST, 00:30Z);
 * - a time that does not occur (spring forward: 2027-03-28T02:30 Europe/Paris) "is interpreted
 *   using the UTC offset before the gap", so it moves forward by the length of the gap: 03:30
 *   CEST (01:30Z), `shifted: 'gap'`. Lord Howe's 30-minute gap moves it 30 minutes.
 *
 * Throws ColonnadeError `invalid` with reason `unknown-zone` (params.zone) for a zone the runtime
 * does not know, and reason `invalid-date` for a malformed `local` or one that is not a calendar
 * date (2027-02-30T09:00).
 */
export function zonedToInstant(local: string, zone: string): { at: number; shifted: 'gap' | null } {
  assertKnownZone(zone);
  const floating = parseLocal(local);
  if (floating === null) throw invalidDate(local);
  // The offsets in force a day before, at, and a day after: a wall-clock time is valid with an
  // offset when that offset is the one in force at the instant it gives.
  const before = offsetMs(zone, floating - DAY);
  const candidates = new Set([before, offsetMs(zone, floating), offsetMs(zone, floating + DAY)]);
  let first: number | null = null;
  for (const offset of candidates) {
    const at = floating - offset;
    if (offsetMs(zone, at) === offset && (first === null || at < first)) first = at;
  }
  if (first !== null) return { at: first, shifted: null };
  return { at: floating - before, shifted: 'gap' };
}

/**
 * The wall-clock time at an instant in a zone.
 *
 * - `at`: ms since the epoch (seconds and ms are dropped from `local`, not rounded).
 * - Returns `local` "YYYY-MM-DDTHH:mm" and `offsetMinutes`, the zone's offset from UTC at that
 *   instant in minutes, positive east of Greenwich (Paris in summer 120, Kolkata 330, Chatham in
 *   winter 765, New York in winter -300; historical offsets with seconds are rounded).
 *
 * Throws ColonnadeError `invalid`: reason `unknown-zone` for an unknown zone, `invalid-date` when
 * `at` is not finite or its year is outside 0000–9999.
 */
export function instantToZoned(at: number, zone: string): { local: string; offsetMinutes: number } {
  assertKnownZone(zone);
  if (!Number.isFinite(at)) throw invalidDate(String(at));
  const offset = offsetMs(zone, at);
  const local = formatLocal(at + offset);
  if (local === null) throw invalidDate(String(at));
  return { local, offsetMinutes: Math.round(offset / MINUTE) };
}

/**
 * A target's due time for a wall-clock time in a zone (see zonedToInstant for the DST rule):
 * `{ at: ISO instant, local, zone, slot? }`, `local` kept as the CM chose it (in a gap, `at` is
 * the moved-forward instant), `slot: true` when it was taken from the profile's queue.
 * Throws as zonedToInstant.
 */
export function dueAt(local: string, zone: string, slot?: boolean): Due {
  const { at } = zonedToInstant(local, zone);
  return { at: new Date(at).toISOString(), local, zone, ...(slot === undefined ? {} : { slot }) };
}

/**
 * `due` with `at` computed again from its `local` and `zone`, so 9:00 Paris stays 9:00 Paris when
 * the tz database changes (a country drops DST) or a job saved by an older Colonnade is loaded.
 * Returns `due` itself when nothing changed. Throws as zonedToInstant (a zone the runtime no
 * longer knows).
 */
export function refreshDue(due: Due): Due {
  const at = zonedToInstant(due.local, due.zone).at;
  return at === Date.parse(due.at) ? due : { ...due, at: new Date(at).toISOString() };
}
