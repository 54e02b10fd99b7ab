// A profile's weekly posting slots as the CM sees them in the queue and the calendar: the next
// free slot, the wall clock kept across DST changes, a slot in a gap or an overlap once, and a
// queue of 10,000 posts.
import { describe, expect, it } from 'vitest';
import { ColonnadeError } from '../../../../src/shared/errors';
import type { PostingSchedule } from '../../../../src/shared/outbox';
import { freeSlotsAfter, nextFreeSlot, slotsBetween, validateSchedule } from '../../../../src/shared/schedule/slots';
import { instantToZoned, zonedToInstant } from '../../../../src/shared/schedule/zoned-time';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEKDAYS = [1, 2, 3, 4, 5];
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

/** "Mon–Fri 9:00 and 12:30" in Paris. */
const OFFICE: PostingSchedule = {
  zone: 'Europe/Paris',
  slots: [
    { days: WEEKDAYS, time: '09:00' },
    { days: WEEKDAYS, time: '12:30' },
  ],
};
const paris = (local: string) => zonedToInstant(local, 'Europe/Paris').at;
const local = (at: number, zone = 'Europe/Paris') => instantToZoned(at, zone).local;
const iso = (ms: number) => new Date(ms).toISOString();
const NONE: ReadonlySet<number> = new Set();

function refusal(fn: () => unknown): { code: string; reason: string | undefined; params: unknown } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ColonnadeError);
    const e = err as ColonnadeError;
    return { code: e.code, reason: e.reason, params: e.params };
  }
  throw new Error('expected a refusal');
}

describe('the next free slot of "Mon–Fri 9:00 and 12:30" in Paris', () => {
  const fridayAfternoon = paris('2027-06-11T13:00'); // a Friday

  it('is Monday 9:00 from a Friday at 13:00', () => {
    const next = nextFreeSlot(OFFICE, fridayAfternoon, NONE);
    expect(local(next!)).toBe('2027-06-14T09:00');
    expect(iso(next!)).toBe('2027-06-14T07:00:00.000Z');
  });

  it('is Monday 12:30 when Monday 9:00 is taken', () => {
    const taken = new Set([paris('2027-06-14T09:00')]);
    expect(local(nextFreeSlot(OFFICE, fridayAfternoon, taken)!)).toBe('2027-06-14T12:30');
  });

  it('is strictly after the given time: from Friday 12:30 sharp, the next is Monday 9:00', () => {
    expect(local(nextFreeSlot(OFFICE, paris('2027-06-11T12:30'), NONE)!)).toBe('2027-06-14T09:00');
    expect(local(nextFreeSlot(OFFICE, paris('2027-06-11T12:29'), NONE)!)).toBe('2027-06-11T12:30');
  });

  it('ignores taken instants that are not slots', () => {
    const taken = new Set([paris('2027-06-14T09:01'), paris('2027-06-13T09:00')]);
    expect(local(nextFreeSlot(OFFICE, fridayAfternoon, taken)!)).toBe('2027-06-14T09:00');
  });

  it('gives successive free slots in one pass, skipping the taken ones', () => {
    const taken = new Set([paris('2027-06-14T12:30'), paris('2027-06-15T09:00')]);
    const free: string[] = [];
    for (const at of freeSlotsAfter(OFFICE, fridayAfternoon, taken)) {
      free.push(local(at));
      if (free.length === 4) break;
    }
    expect(free).toEqual(['2027-06-14T09:00', '2027-06-15T12:30', '2027-06-16T09:00', '2027-06-16T12:30']);
  });

  it('lists a week of the calendar: ten slots, in order', () => {
    const week = slotsBetween(OFFICE, paris('2027-06-14T00:00'), paris('2027-06-21T00:00'));
    expect(week.map((at) => local(at))).toEqual([
      '2027-06-14T09:00',
      '2027-06-14T12:30',
      '2027-06-15T09:00',
      '2027-06-15T12:30',
      '2027-06-16T09:00',
      '2027-06-16T12:30',
      '2027-06-17T09:00',
      '2027-06-17T12:30',
      '2027-06-18T09:00',
      '2027-06-18T12:30',
    ]);
    // [from, to): a slot exactly at `from` is in, one exactly at `to` is out.
    expect(slotsBetween(OFFICE, paris('2027-06-14T09:00'), paris('2027-06-14T12:30'))).toEqual([
      paris('2027-06-14T09:00'),
    ]);
  });
});

describe('slots across the DST changes', () => {
  it('keeps 9:00 Paris at 9:00 across the March change, one hour earlier in UTC', () => {
    const slots = slotsBetween(OFFICE, paris('2027-03-26T00:00'), paris('2027-03-30T00:00'));
    expect(slots.map((at) => local(at))).toEqual([
      '2027-03-26T09:00',
      '2027-03-26T12:30',
      '2027-03-29T09:00',
      '2027-03-29T12:30',
    ]);
    expect(slots.map(iso)).toEqual([
      '2027-03-26T08:00:00.000Z',
      '2027-03-26T11:30:00.000Z',
      '2027-03-29T07:00:00.000Z',
      '2027-03-29T10:30:00.000Z',
    ]);
    // From Friday 13:00 before the change, the next slot is Monday 9:00 summer time.
    expect(iso(nextFreeSlot(OFFICE, paris('2027-03-26T13:00'), NONE)!)).toBe('2027-03-29T07:00:00.000Z');
  });

  it('keeps 9:00 Paris at 9:00 across the October change, one hour later in UTC', () => {
    const daily: PostingSchedule = { zone: 'Europe/Paris', slots: [{ days: EVERY_DAY, time: '09:00' }] };
    const slots = slotsBetween(daily, paris('2027-10-30T00:00'), paris('2027-11-01T00:00'));
    expect(slots.map((at) => local(at))).toEqual(['2027-10-30T09:00', '2027-10-31T09:00']);
    expect(slots.map(iso)).toEqual(['2027-10-30T07:00:00.000Z', '2027-10-31T08:00:00.000Z']);
    expect(slots[1]! - slots[0]!).toBe(25 * HOUR);
  });

  const night: PostingSchedule = { zone: 'Europe/Paris', slots: [{ days: EVERY_DAY, time: '02:30' }] };

  it('sends a 02:30 slot at 03:30 on the spring-forward day, once', () => {
    const slots = slotsBetween(night, Date.parse('2027-03-27T00:00Z'), Date.parse('2027-03-30T00:00Z'));
    expect(slots.map((at) => local(at))).toEqual(['2027-03-27T02:30', '2027-03-28T03:30', '2027-03-29T02:30']);
    expect(iso(slots[1]!)).toBe('2027-03-28T01:30:00.000Z');
    // The same instant as "Schedule at… 02:30" that day, so a slot and a chosen time agree.
    expect(slots[1]).toBe(zonedToInstant('2027-03-28T02:30', 'Europe/Paris').at);
  });

  it('sends a 02:30 slot once on the fall-back day, at the first 02:30', () => {
    const slots = slotsBetween(night, Date.parse('2027-10-30T00:00Z'), Date.parse('2027-11-01T00:00Z'));
    expect(slots.map(iso)).toEqual(['2027-10-30T00:30:00.000Z', '2027-10-31T00:30:00.000Z']);
    // Between the two 02:30s, the next slot is the next day's, not the second 02:30.
    const between = Date.parse('2027-10-31T01:00Z');
    expect(local(nextFreeSlot(night, between, NONE)!)).toBe('2027-11-01T02:30');
  });

  it('orders a slot moved by the gap after a later slot of the same night', () => {
    const both: PostingSchedule = {
      zone: 'Europe/Paris',
      slots: [
        { days: [7], time: '02:30' },
        { days: [7], time: '03:15' },
      ],
    };
    const slots = slotsBetween(both, paris('2027-03-28T00:00'), paris('2027-03-29T00:00'));
    expect(slots.map((at) => local(at))).toEqual(['2027-03-28T03:15', '2027-03-28T03:30']);
  });

  it('moves a Chatham 02:50 slot by the gap (02:45 → 03:45) and a Lord Howe one by 30 minutes', () => {
    const chatham: PostingSchedule = { zone: 'Pacific/Chatham', slots: [{ days: [7], time: '02:50' }] };
    const c = slotsBetween(chatham, Date.parse('2027-09-20T00:00Z'), Date.parse('2027-10-04T00:00Z'));
    expect(c.map((at) => local(at, 'Pacific/Chatham'))).toEqual(['2027-09-26T03:50', '2027-10-03T02:50']);
    const lordHowe: PostingSchedule = { zone: 'Australia/Lord_Howe', slots: [{ days: [7], time: '02:15' }] };
    const l = slotsBetween(lordHowe, Date.parse('2027-09-27T00:00Z'), Date.parse('2027-10-11T00:00Z'));
    expect(l.map((at) => local(at, 'Australia/Lord_Howe'))).toEqual(['2027-10-03T02:45', '2027-10-10T02:15']);
  });

  it('keeps slots in New York and Kolkata at their wall-clock times all year', () => {
    const ny: PostingSchedule = { zone: 'America/New_York', slots: [{ days: [1], time: '08:00' }] };
    const mondays = slotsBetween(ny, Date.parse('2027-01-01T00:00Z'), Date.parse('2028-01-01T00:00Z'));
    expect(mondays).toHaveLength(52);
    expect(new Set(mondays.map((at) => local(at, 'America/New_York').slice(11)))).toEqual(new Set(['08:00']));
    expect(new Set(mondays.map((at) => new Date(at).getUTCHours()))).toEqual(new Set([12, 13]));
    const kolkata: PostingSchedule = { zone: 'Asia/Kolkata', slots: [{ days: WEEKDAYS, time: '18:45' }] };
    const evenings = slotsBetween(kolkata, Date.parse('2027-01-01T00:00Z'), Date.parse('2028-01-01T00:00Z'));
    expect(evenings).toHaveLength(261);
    expect(new Set(evenings.map((at) => iso(at).slice(11, 16)))).toEqual(new Set(['13:15']));
  });
});

describe('rules that overlap, empty schedules and refusals', () => {
  it('counts two rules naming the same day and time once', () => {
    const twice: PostingSchedule = {
      zone: 'Europe/Paris',
      slots: [
        { days: WEEKDAYS, time: '09:00' },
        { days: [1, 1], time: '09:00' },
      ],
    };
    const week = slotsBetween(twice, paris('2027-06-14T00:00'), paris('2027-06-21T00:00'));
    expect(week).toHaveLength(5);
    expect(new Set(week).size).toBe(5);
  });

  it('has no slot in an empty schedule', () => {
    const empty: PostingSchedule = { zone: 'Europe/Paris', slots: [] };
    expect(nextFreeSlot(empty, paris('2027-06-11T13:00'), NONE)).toBeNull();
    expect(slotsBetween(empty, 0, Date.parse('2030-01-01T00:00Z'))).toEqual([]);
    expect(() => validateSchedule(empty)).not.toThrow();
  });

  it('gives up after the horizon when no slot is free within it', () => {
    const mondays: PostingSchedule = { zone: 'Europe/Paris', slots: [{ days: [1], time: '09:00' }] };
    const from = paris('2027-06-11T13:00');
    expect(nextFreeSlot(mondays, from, NONE, 2)).toBeNull();
    expect(local(nextFreeSlot(mondays, from, NONE, 3)!)).toBe('2027-06-14T09:00');
  });

  it('accepts a schedule it can save', () => {
    expect(() => validateSchedule(OFFICE)).not.toThrow();
  });

  it('refuses an unknown zone with the reason unknown-zone', () => {
    const atlantis = { ...OFFICE, zone: 'Europe/Atlantis' };
    expect(refusal(() => validateSchedule(atlantis))).toMatchObject({ code: 'invalid', reason: 'unknown-zone' });
    expect(refusal(() => nextFreeSlot(atlantis, 0, NONE)).reason).toBe('unknown-zone');
    expect(refusal(() => slotsBetween(atlantis, 0, DAY)).reason).toBe('unknown-zone');
  });

  it('refuses two slots on the same day at the same time with the reason slot-duplicate', () => {
    const twice: PostingSchedule = {
      zone: 'Europe/Paris',
      slots: [
        { days: WEEKDAYS, time: '09:00' },
        { days: [5, 6], time: '09:00' },
      ],
    };
    expect(refusal(() => validateSchedule(twice))).toEqual({
      code: 'invalid',
      reason: 'slot-duplicate',
      params: { time: '09:00' },
    });
    const sameDayTwice: PostingSchedule = { zone: 'Europe/Paris', slots: [{ days: [3, 3], time: '12:30' }] };
    expect(refusal(() => validateSchedule(sameDayTwice)).reason).toBe('slot-duplicate');
  });

  it('refuses a slot that is not a weekday and a time with the reason slot-invalid', () => {
    for (const slot of [
      { days: [0], time: '09:00' },
      { days: [8], time: '09:00' },
      { days: [1], time: '9:00' },
      { days: [1], time: '24:00' },
    ]) {
      const schedule: PostingSchedule = { zone: 'Europe/Paris', slots: [slot] };
      expect(refusal(() => validateSchedule(schedule)).reason).toBe('slot-invalid');
      expect(refusal(() => slotsBetween(schedule, 0, DAY)).reason).toBe('slot-invalid');
    }
  });
});

describe('a queue of 10,000 posts on one profile', () => {
  // Ten slots a week: 10,000 posts fill the queue for about nineteen years.
  const from = paris('2027-06-11T13:00');
  const slots = slotsBetween(OFFICE, from, from + 20 * 366 * DAY).slice(0, 10_001);

  it('finds the first free slot after 10,000 taken ones', () => {
    expect(slots).toHaveLength(10_001);
    const taken = new Set(slots.slice(0, 10_000));
    const next = nextFreeSlot(OFFICE, from, taken);
    expect(next).toBe(slots[10_000]);
    expect(local(next!).slice(11)).toMatch(/^(09:00|12:30)$/);
  });

  it('finds a hole left in the middle of the queue (a post cancelled)', () => {
    const taken = new Set(slots.slice(0, 10_000));
    taken.delete(slots[6_543]!);
    expect(nextFreeSlot(OFFICE, from, taken)).toBe(slots[6_543]);
  });

  it('walks the slots in order, each once', () => {
    for (let i = 1; i < slots.length; i++) expect(slots[i]!).toBeGreaterThan(slots[i - 1]!);
  });
});
