// A profile's weekly posting slots ("Mon–Fri 9:00 and 12:30" in its audience's zone) as instants:
// for the queue (main takes the next free slot) and the calendar (the renderer draws them).
//
// croner expands each slot into the wall-clock times of a week: one 5-part pattern per slot
// ("30 12 * * 1,2,3,4,5"), read with `utcOffset: 0`, a clock without DST, so croner only does the
// calendar. zonedToInstant then places each wall-clock time in the schedule's zone. croner's own
// `timezone` option is not used for that: for a time in a spring-forward gap it runs "at the first
// valid time after the gap" (croner README, "DST handling"; `_runAt` in dist/croner.js), so a
// 02:30 Paris slot would go out at 03:00, while a time chosen with "Schedule at…" moves by the
// length of the gap (03:30, RFC 5545 §3.3.5); a slot and a chosen time must agree. (It is also
// three times slower: 42 µs a run against 15 µs, measured on Node 24.)
import { Cron } from 'croner';
import { ColonnadeError } from '../errors';
import { PostingSlotSchema, type PostingSchedule, type PostingSlot } from '../outbox';
import { assertKnownZone, formatLocal, instantToZoned, parseLocal, zonedToInstant } from './zoned-time';

const DAY = 24 * 60 * 60_000;
const WEEK = 7 * DAY;
/** Monday 1 January 2024, 00:00, as a floating time: the week croner expands the slots in. */
const REFERENCE_MONDAY = Date.UTC(2024, 0, 1);
/** 1 January 1970 was a Thursday: (days since the epoch + 3) modulo 7 is 0 on a Monday. */
const MONDAY_SHIFT = 3;
/** The first floating time past LocalDateTimeSchema's range (year 10000). */
const END_OF_TIME = Date.UTC(10_000, 0, 1);

/**
 * Throws ColonnadeError `invalid` unless `schedule` can be saved:
 * - reason `unknown-zone` (params.zone): the zone is not one the runtime knows;
 * - reason `slot-invalid` (params.time): a slot's days are not ISO weekdays 1–7 or its time is not
 *   "HH:MM" (what PostingSlotSchema checks, for callers that did not parse it);
 * - reason `slot-duplicate` (params.time): two slots, or one slot twice, name the same weekday at
 *   the same time ("Mon–Fri 9:00" and "Mon 9:00").
 * An empty schedule is valid (the profile has no queue).
 */
export function validateSchedule(schedule: PostingSchedule): void {
  assertKnownZone(schedule.zone);
  const seen = new Set<string>();
  for (const slot of schedule.slots) {
    if (!PostingSlotSchema.safeParse(slot).success) {
      throw new ColonnadeError('invalid', 'A posting slot is not a valid weekday and time.', {
        reason: 'slot-invalid',
        params: { time: String(slot.time).slice(0, 20) },
      });
    }
    for (const day of slot.days) {
      const key = `${day} ${slot.time}`;
      if (seen.has(key)) {
        throw new ColonnadeError('invalid', `Two posting slots are at ${slot.time} on the same day.`, {
          reason: 'slot-duplicate',
          params: { time: slot.time },
        });
      }
      seen.add(key);
    }
  }
}

const templates = new Map<string, readonly number[]>();

/**
 * The wall-clock times of one week of slots, in ms after Monday 00:00, ascending, each once.
 * Throws `invalid` reason `slot-invalid` for a slot PostingSlotSchema refuses.
 */
function weekTemplate(slots: readonly PostingSlot[]): readonly number[] {
  const key = JSON.stringify(slots);
  const cached = templates.get(key);
  if (cached) return cached;
  const offsets = new Set<number>();
  for (const slot of slots) {
    if (!PostingSlotSchema.safeParse(slot).success) {
      throw new ColonnadeError('invalid', 'A posting slot is not a valid weekday and time.', {
        reason: 'slot-invalid',
        params: { time: String(slot.time).slice(0, 20) },
      });
    }
    const [hour, minute] = slot.time.split(':').map(Number) as [number, number];
    const days = [...new Set(slot.days)];
    const cron = new Cron(`${minute} ${hour} * * ${days.join(',')}`, { utcOffset: 0, mode: '5-part' });
    // Runs strictly after the reference, so start a second before Monday 00:00.
    for (const run of cron.nextRuns(days.length, new Date(REFERENCE_MONDAY - 1_000))) {
      const offset = run.getTime() - REFERENCE_MONDAY;
      if (offset >= 0 && offset < WEEK) offsets.add(offset);
    }
  }
  const template = [...offsets].sort((a, b) => a - b);
  if (templates.size >= 200) templates.clear();
  templates.set(key, template);
  return template;
}

/**
 * Every slot instant at or after `fromMs`, ascending, each once, in weeks of wall-clock time.
 * Instants can come out of wall-clock order (a 02:30 slot moved to 03:30 by a gap follows a 03:15
 * slot), so each week's instants wait until no later week can give an earlier one: a wall-clock
 * time's instant is at most a day before it (offsets are under +15:00).
 */
function* slotInstants(schedule: PostingSchedule, fromMs: number): Generator<number, void, undefined> {
  assertKnownZone(schedule.zone);
  const template = weekTemplate(schedule.slots);
  if (template.length === 0 || !Number.isFinite(fromMs)) return;
  // A slot that is due at or after fromMs is on fromMs's local date, or the day before when a gap
  // moved it past midnight: start on the Monday on or before that day.
  const localFrom = parseLocal(instantToZoned(fromMs, schedule.zone).local) ?? 0;
  const daysSinceEpoch = Math.floor((localFrom - DAY) / DAY);
  let week = (daysSinceEpoch - ((((daysSinceEpoch + MONDAY_SHIFT) % 7) + 7) % 7)) * DAY;
  let pending: number[] = [];
  let last = -Infinity;
  for (; week < END_OF_TIME; week += WEEK) {
    for (const offset of template) {
      const local = formatLocal(week + offset);
      if (local === null) continue;
      const at = zonedToInstant(local, schedule.zone).at;
      if (at >= fromMs) pending.push(at);
    }
    pending.sort((a, b) => a - b);
    const settled = week + WEEK - DAY;
    let i = 0;
    for (; i < pending.length && pending[i]! < settled; i++) {
      const at = pending[i]!;
      if (at !== last) yield at;
      last = at;
    }
    pending = pending.slice(i);
  }
  for (const at of pending) {
    if (at !== last) yield at;
    last = at;
  }
}

/**
 * The instants (ms since the epoch) of every slot of `schedule` in [fromMs, toMs), ascending, each
 * once: two slots naming the same day and time give one instant.
 *
 * DST follows zonedToInstant (RFC 5545 §3.3.5): a slot in a spring-forward gap (02:30 Paris on
 * 2027-03-28) goes out moved forward by the gap (03:30 local); a slot in a fall-back overlap
 * (02:30 Paris on 2027-10-31) goes out once, at its first occurrence.
 *
 * Throws ColonnadeError `invalid`: reason `unknown-zone` for the schedule's zone, `slot-invalid`
 * for a malformed slot. Duplicates are not refused here (see validateSchedule).
 */
export function slotsBetween(schedule: PostingSchedule, fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  for (const at of slotInstants(schedule, fromMs)) {
    if (at >= toMs) break;
    out.push(at);
  }
  return out;
}

/**
 * The free slots strictly after `fromMs`, ascending: slot instants (as slotsBetween) not in
 * `taken`, the instants in ms of the jobs already in the profile's queue. For adding many posts
 * to a queue in one pass: each value is free and later than the one before.
 *
 * Ends when `horizonDays` days pass with no slot after `fromMs` or after the last slot walked
 * (an empty schedule ends at once); a long queue (10,000 taken slots, years of them) does
 * not end it. Cost: one conversion per slot walked, taken ones included; no work per taken
 * instant that is not a slot. Throws as slotsBetween.
 */
export function* freeSlotsAfter(
  schedule: PostingSchedule,
  fromMs: number,
  taken: ReadonlySet<number>,
  horizonDays = 366,
): Generator<number, void, undefined> {
  const horizon = horizonDays * DAY;
  let limit = fromMs + horizon;
  for (const at of slotInstants(schedule, Math.floor(fromMs) + 1)) {
    if (at > limit) return;
    if (!taken.has(at)) yield at;
    limit = at + horizon;
  }
}

/**
 * The queue's next free slot: the first slot instant (ms since the epoch) strictly after `fromMs`
 * that is not in `taken` (the due instants of the jobs already in the profile's queue), or null
 * when there is none within `horizonDays` days (an empty schedule). See freeSlotsAfter for the
 * horizon and the cost, slotsBetween for DST and the errors.
 */
export function nextFreeSlot(
  schedule: PostingSchedule,
  fromMs: number,
  taken: ReadonlySet<number>,
  horizonDays = 366,
): number | null {
  for (const at of freeSlotsAfter(schedule, fromMs, taken, horizonDays)) return at;
  return null;
}
