// Wall-clock times and instants as a CM sees them: 9:00 Paris is 9:00 Paris in winter and summer,
// a time that does not exist moves forward by the gap, a time that happens twice is the first one
// (RFC 5545 §3.3.5), in zones with odd offsets and odd DST, whatever the computer's own zone.
import { describe, expect, it } from 'vitest';
import { ColonnadeError } from '../../../../src/shared/errors';
import { DueSchema } from '../../../../src/shared/outbox';
import {
  dueAt,
  instantToZoned,
  isKnownZone,
  refreshDue,
  zonedToInstant,
} from '../../../../src/shared/schedule/zoned-time';

const HOUR = 3_600_000;
const utc = (iso: string) => Date.parse(iso);
const at = (local: string, zone: string) => zonedToInstant(local, zone).at;
const iso = (ms: number) => new Date(ms).toISOString();

function refusal(fn: () => unknown): { code: string; reason: string | undefined } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ColonnadeError);
    const e = err as ColonnadeError;
    return { code: e.code, reason: e.reason };
  }
  throw new Error('expected a refusal');
}

describe('9:00 Paris stays 9:00 Paris across the DST changes', () => {
  it('moves one hour in UTC across the March change (2027-03-28)', () => {
    const saturday = at('2027-03-27T09:00', 'Europe/Paris');
    const sunday = at('2027-03-28T09:00', 'Europe/Paris');
    const monday = at('2027-03-29T09:00', 'Europe/Paris');
    expect(iso(saturday)).toBe('2027-03-27T08:00:00.000Z');
    expect(iso(sunday)).toBe('2027-03-28T07:00:00.000Z');
    expect(iso(monday)).toBe('2027-03-29T07:00:00.000Z');
    expect(sunday - saturday).toBe(23 * HOUR);
    for (const t of [saturday, sunday, monday]) expect(instantToZoned(t, 'Europe/Paris').local).toMatch(/T09:00$/);
    expect(instantToZoned(saturday, 'Europe/Paris').offsetMinutes).toBe(60);
    expect(instantToZoned(sunday, 'Europe/Paris').offsetMinutes).toBe(120);
  });

  it('moves one hour back in UTC across the October change (2027-10-31)', () => {
    const saturday = at('2027-10-30T09:00', 'Europe/Paris');
    const sunday = at('2027-10-31T09:00', 'Europe/Paris');
    expect(iso(saturday)).toBe('2027-10-30T07:00:00.000Z');
    expect(iso(sunday)).toBe('2027-10-31T08:00:00.000Z');
    expect(sunday - saturday).toBe(25 * HOUR);
    expect(instantToZoned(sunday, 'Europe/Paris')).toEqual({ local: '2027-10-31T09:00', offsetMinutes: 60 });
  });
});

describe('times the DST changes skip or repeat (RFC 5545 §3.3.5)', () => {
  it('moves a time in the spring-forward gap forward by the gap: 02:30 Paris goes out at 03:30', () => {
    const r = zonedToInstant('2027-03-28T02:30', 'Europe/Paris');
    expect(r.shifted).toBe('gap');
    expect(iso(r.at)).toBe('2027-03-28T01:30:00.000Z');
    expect(instantToZoned(r.at, 'Europe/Paris').local).toBe('2027-03-28T03:30');
    // The gap starts at 02:00 sharp; 01:59 and 03:00 exist.
    expect(zonedToInstant('2027-03-28T01:59', 'Europe/Paris').shifted).toBeNull();
    expect(zonedToInstant('2027-03-28T02:00', 'Europe/Paris').shifted).toBe('gap');
    expect(zonedToInstant('2027-03-28T03:00', 'Europe/Paris')).toEqual({ at: utc('2027-03-28T01:00Z'), shifted: null });
  });

  it('takes the first of a time that happens twice: 02:30 Paris on 2027-10-31 is 02:30 CEST', () => {
    const r = zonedToInstant('2027-10-31T02:30', 'Europe/Paris');
    expect(r).toEqual({ at: utc('2027-10-31T00:30Z'), shifted: null });
    expect(instantToZoned(r.at, 'Europe/Paris')).toEqual({ local: '2027-10-31T02:30', offsetMinutes: 120 });
    // The second 02:30, an hour later, is CET.
    expect(instantToZoned(r.at + HOUR, 'Europe/Paris')).toEqual({ local: '2027-10-31T02:30', offsetMinutes: 60 });
  });

  it("gives the RFC's own New York examples", () => {
    // "TZID=America/New_York:20071104T013000 indicates November 4, 2007 at 1:30 A.M. EDT"
    expect(iso(at('2007-11-04T01:30', 'America/New_York'))).toBe('2007-11-04T05:30:00.000Z');
    // "TZID=America/New_York:20070311T023000 indicates March 11, 2007 at 3:30 A.M. EDT"
    const gap = zonedToInstant('2007-03-11T02:30', 'America/New_York');
    expect(gap).toEqual({ at: utc('2007-03-11T07:30Z'), shifted: 'gap' });
    expect(instantToZoned(gap.at, 'America/New_York')).toEqual({ local: '2007-03-11T03:30', offsetMinutes: -240 });
  });

  it('moves by 30 minutes in Lord Howe, whose DST is half an hour', () => {
    // 2027-10-03 02:00 → 02:30 (+10:30 → +11:00); 2027-04-04 02:00 → 01:30 (+11:00 → +10:30).
    const gap = zonedToInstant('2027-10-03T02:15', 'Australia/Lord_Howe');
    expect(gap.shifted).toBe('gap');
    expect(instantToZoned(gap.at, 'Australia/Lord_Howe')).toEqual({ local: '2027-10-03T02:45', offsetMinutes: 660 });
    const twice = at('2027-04-04T01:45', 'Australia/Lord_Howe');
    expect(iso(twice)).toBe('2027-04-03T14:45:00.000Z');
    expect(instantToZoned(twice + 30 * 60_000, 'Australia/Lord_Howe')).toEqual({
      local: '2027-04-04T01:45',
      offsetMinutes: 630,
    });
  });

  it('handles Chatham (+12:45, +13:45 in summer), whose changes are at 02:45 local', () => {
    const gap = zonedToInstant('2027-09-26T02:50', 'Pacific/Chatham');
    expect(gap).toEqual({ at: utc('2027-09-25T14:05Z'), shifted: 'gap' });
    expect(instantToZoned(gap.at, 'Pacific/Chatham')).toEqual({ local: '2027-09-26T03:50', offsetMinutes: 825 });
    expect(iso(at('2027-04-04T02:50', 'Pacific/Chatham'))).toBe('2027-04-03T13:05:00.000Z');
    expect(instantToZoned(utc('2027-04-03T14:05Z'), 'Pacific/Chatham')).toEqual({
      local: '2027-04-04T02:50',
      offsetMinutes: 765,
    });
  });

  it('gives the same instants whatever zone the computer itself is in', () => {
    const saved = process.env.TZ;
    const seen = new Set<string>();
    try {
      for (const system of ['UTC', 'Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata']) {
        process.env.TZ = system;
        seen.add(
          [
            at('2027-10-31T02:30', 'Europe/Paris'),
            at('2027-11-07T01:30', 'America/New_York'),
            at('2027-04-04T01:45', 'Australia/Lord_Howe'),
            at('2027-04-04T02:50', 'Pacific/Chatham'),
            at('2027-03-28T02:30', 'Europe/Paris'),
          ].join(),
        );
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
    expect(seen.size).toBe(1);
  });
});

describe('round trips', () => {
  const days: [string, string][] = [
    ['America/New_York', '2027-03-14'],
    ['America/New_York', '2027-11-07'],
    ['Asia/Kolkata', '2027-03-28'],
    ['Australia/Lord_Howe', '2027-10-03'],
    ['Australia/Lord_Howe', '2027-04-04'],
    ['Pacific/Chatham', '2027-09-26'],
    ['Pacific/Chatham', '2027-04-04'],
    ['Europe/Paris', '2027-03-28'],
    ['Europe/Paris', '2027-10-31'],
  ];

  it.each(days)('every quarter hour of %s on %s reads back as itself, unless in a gap', (zone, day) => {
    let gaps = 0;
    for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
      const local = `${day}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
      const r = zonedToInstant(local, zone);
      const back = instantToZoned(r.at, zone).local;
      if (r.shifted) {
        gaps++;
        expect(back > local).toBe(true);
      } else {
        expect(back).toBe(local);
      }
    }
    // A spring-forward day skips its gap (an hour, or 30 minutes in Lord Howe); other days none.
    const expected: Record<string, number> = {
      'America/New_York 2027-03-14': 4,
      'Australia/Lord_Howe 2027-10-03': 2,
      'Pacific/Chatham 2027-09-26': 4,
      'Europe/Paris 2027-03-28': 4,
    };
    expect(gaps).toBe(expected[`${zone} ${day}`] ?? 0);
  });

  it.each(days)('every instant around %s on %s is found again from its wall-clock time', (zone, day) => {
    const start = utc(`${day}T00:00Z`) - 24 * HOUR;
    for (let t = start; t < start + 72 * HOUR; t += 15 * 60_000) {
      const { local } = instantToZoned(t, zone);
      const found = zonedToInstant(local, zone);
      expect(found.shifted).toBeNull();
      // The same instant, or the first occurrence of a repeated time (earlier, same wall clock).
      if (found.at !== t) {
        expect(found.at).toBeLessThan(t);
        expect(instantToZoned(found.at, zone).local).toBe(local);
      }
    }
  });

  it('reads Kolkata at +05:30 all year, without DST', () => {
    for (const local of ['2027-01-15T09:00', '2027-07-15T09:00']) {
      const t = at(local, 'Asia/Kolkata');
      expect(instantToZoned(t, 'Asia/Kolkata')).toEqual({ local, offsetMinutes: 330 });
    }
    expect(iso(at('2027-07-15T09:00', 'Asia/Kolkata'))).toBe('2027-07-15T03:30:00.000Z');
  });

  it('drops seconds when reading an instant, without rounding up', () => {
    expect(instantToZoned(utc('2027-06-01T07:00:59.999Z'), 'Europe/Paris').local).toBe('2027-06-01T09:00');
  });
});

describe('refusals', () => {
  it('knows IANA zones and their aliases, not offsets or made-up names', () => {
    for (const zone of ['Europe/Paris', 'UTC', 'Asia/Calcutta', 'America/Indiana/Knox', 'Etc/GMT+5']) {
      expect(isKnownZone(zone)).toBe(true);
    }
    for (const zone of ['Europe/Atlantis', '+05:30', '-03:00', '', 'Paris']) expect(isKnownZone(zone)).toBe(false);
  });

  it('refuses an unknown zone with the reason unknown-zone', () => {
    expect(refusal(() => zonedToInstant('2027-03-29T09:00', 'Europe/Atlantis'))).toEqual({
      code: 'invalid',
      reason: 'unknown-zone',
    });
    expect(refusal(() => instantToZoned(0, 'Mars/Olympus_Mons')).reason).toBe('unknown-zone');
    expect(refusal(() => dueAt('2027-03-29T09:00', '+02:00')).reason).toBe('unknown-zone');
  });

  it('refuses malformed or impossible local times with the reason invalid-date', () => {
    for (const local of [
      '2027-02-29T09:00',
      '2027-04-31T09:00',
      '2027-03-29 09:00',
      '2027-03-29T24:00',
      '2027-03-29T09:60',
      '2027-3-29T09:00',
      '2027-03-29T09:00:00',
      '2027-03-29T09:00Z',
      '',
    ]) {
      expect({ local, ...refusal(() => zonedToInstant(local, 'Europe/Paris')) }).toEqual({
        local,
        code: 'invalid',
        reason: 'invalid-date',
      });
    }
    expect(zonedToInstant('2028-02-29T09:00', 'Europe/Paris').shifted).toBeNull();
    expect(refusal(() => instantToZoned(Number.NaN, 'Europe/Paris')).reason).toBe('invalid-date');
  });
});

describe('due times', () => {
  it('builds a Due the outbox schema accepts, with the ISO instant', () => {
    const due = dueAt('2027-03-29T09:00', 'Europe/Paris', true);
    expect(due).toEqual({
      at: '2027-03-29T07:00:00.000Z',
      local: '2027-03-29T09:00',
      zone: 'Europe/Paris',
      slot: true,
    });
    expect(DueSchema.parse(due)).toEqual(due);
    expect(dueAt('2027-03-29T09:00', 'Europe/Paris')).not.toHaveProperty('slot');
  });

  it('keeps the chosen wall-clock time in a gap, the instant being an hour later', () => {
    expect(dueAt('2027-03-28T02:30', 'Europe/Paris')).toEqual({
      at: '2027-03-28T01:30:00.000Z',
      local: '2027-03-28T02:30',
      zone: 'Europe/Paris',
    });
  });

  it('recomputes a stale instant from the wall-clock time (9:00 Paris stays 9:00 Paris)', () => {
    // Saved when the tz data (or an older Colonnade) still had Paris on winter time in late March.
    const stale = { at: '2027-03-29T08:00:00.000Z', local: '2027-03-29T09:00', zone: 'Europe/Paris', slot: true };
    expect(refreshDue(stale)).toEqual({ ...stale, at: '2027-03-29T07:00:00.000Z' });
    const fresh = dueAt('2027-03-29T09:00', 'Europe/Paris');
    expect(refreshDue(fresh)).toBe(fresh);
    // The same instant written without milliseconds is not a change.
    const short = { ...fresh, at: '2027-03-29T07:00:00Z' };
    expect(refreshDue(short)).toBe(short);
  });
});
