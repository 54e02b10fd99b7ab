// The renderer's mirror of the outbox (state/outbox.ts), filled at start from `outbox.list` and
// kept by `outbox.changed` through sync.ts; and the calendar's time rules (outbox-time.ts).
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { makeApi } from '../../../src/renderer/api';
import type { Bridge } from '../../../src/renderer/bridge';
import { calendarLocale, dualTime, weekDays, whenForDrop, dayKey } from '../../../src/renderer/components/outbox-time';
import { openDatabase } from '../../../src/renderer/db/database';
import {
  attentionCount,
  outboxJobChanged,
  outboxListed,
  outboxListStarted,
  resetOutbox,
  useOutboxStore,
} from '../../../src/renderer/state/outbox';
import { startSync } from '../../../src/renderer/state/sync';
import type { EventChannel } from '../../../src/shared/ipc/channels';
import type { PublishJob } from '../../../src/shared/outbox';
import { everyState, job, NEW_YORK, PARIS, target, X } from './outbox-fixtures';

afterEach(() => resetOutbox());

const at = (j: PublishJob, updatedAt: string): PublishJob => ({
  ...j,
  targets: j.targets.map((t) => ({ ...t, updatedAt })),
});

describe('the outbox mirror', () => {
  it('is filled from outbox.list at start and kept by outbox.changed', async () => {
    const handlers = new Map<string, (p: unknown) => void>();
    const listed = everyState();
    const bridge: Bridge = {
      invoke: async (channel) => {
        switch (channel) {
          case 'layout.get':
            return { ok: true, value: { decks: [{ id: 'd', name: 'Sandbox', columns: [] }], activeDeckId: 'd' } };
          case 'settings.get':
            return { ok: true, value: { language: 'en' } };
          case 'outbox.list':
            return { ok: true, value: listed };
          default:
            return { ok: true, value: [] };
        }
      },
      on: (channel: EventChannel, handler) => {
        handlers.set(channel, handler);
        return () => handlers.delete(channel);
      },
      onConnection: () => undefined,
    };
    const db = openDatabase('outbox-sync');
    const stop = startSync(bridge, makeApi(bridge), db);
    for (let i = 0; i < 100 && !useOutboxStore.getState().loaded; i++) await new Promise((r) => setTimeout(r, 10));
    expect(Object.keys(useOutboxStore.getState().jobs).sort()).toEqual(listed.map((j) => j.id).sort());
    expect(attentionCount(useOutboxStore.getState().jobs)).toBe(3);
    // The held post is sent now: its target no longer needs the CM.
    const held = listed.find((j) => j.id === 'job-held')!;
    handlers.get('outbox.changed')!(
      at({ ...held, targets: [{ ...held.targets[0]!, state: 'sending' }] }, '2027-03-29T06:01:00.000Z'),
    );
    expect(useOutboxStore.getState().jobs['job-held']!.targets[0]!.state).toBe('sending');
    expect(attentionCount(useOutboxStore.getState().jobs)).toBe(2);
    stop();
    db.close();
    await db.delete();
  });

  it('never replaces a newer copy with an older one, and keeps what was told while the list was on its way', () => {
    const a = job('job-a', 'A', [target(X, 'scheduled')], '2027-03-30T09:00');
    const b = job('job-b', 'B', [target(X, 'scheduled')], '2027-03-30T10:00');
    outboxJobChanged(at(a, '2027-03-29T06:00:00.000Z'));
    const mark = outboxListStarted();
    // While the list is on its way: A is sent, B is made.
    outboxJobChanged(at({ ...a, targets: [{ ...a.targets[0]!, state: 'sent' }] }, '2027-03-29T06:05:00.000Z'));
    outboxJobChanged(at(b, '2027-03-29T06:06:00.000Z'));
    // The list was taken before both.
    outboxListed([at(a, '2027-03-29T06:00:00.000Z')], mark);
    const jobs = useOutboxStore.getState().jobs;
    expect(jobs['job-a']!.targets[0]!.state).toBe('sent');
    expect(Object.keys(jobs).sort()).toEqual(['job-a', 'job-b']);
    // An event older than what is shown changes nothing.
    outboxJobChanged(at(a, '2027-03-29T05:00:00.000Z'));
    expect(useOutboxStore.getState().jobs['job-a']!.targets[0]!.state).toBe('sent');
    // The next list, with B removed elsewhere, is the truth again.
    outboxListed([at(a, '2027-03-29T06:05:00.000Z')], outboxListStarted());
    expect(Object.keys(useOutboxStore.getState().jobs)).toEqual(['job-a']);
  });
});

describe('calendar times', () => {
  it('drops on a day of the month keep the audience’s wall-clock time across DST changes', () => {
    // 09:00 New York on Friday 12 March 2027 (EST, 14:00Z) dropped on Monday 15 (EDT since the 14th).
    const due = '2027-03-12T14:00:00.000Z';
    expect(whenForDrop(due, NEW_YORK, { day: '2027-03-15' }, PARIS)).toEqual({
      kind: 'at',
      local: '2027-03-15T09:00',
      zone: NEW_YORK,
    });
    // Dropped where it was: nothing to move.
    expect(whenForDrop(due, NEW_YORK, { day: '2027-03-12' }, PARIS)).toBeNull();
    expect(whenForDrop(due, NEW_YORK, { day: '2027-03-12', hour: 15 }, PARIS)).toBeNull();
  });

  it('drops on an hour in a Paris DST gap move forward by the gap, as the scheduler does', () => {
    // 02:30 does not exist in Paris on 28 March 2027: 03:30 CEST (01:30Z), 21:30 the day before in New York.
    expect(whenForDrop('2027-03-26T08:30:00.000Z', NEW_YORK, { day: '2027-03-28', hour: 2 }, PARIS)).toEqual({
      kind: 'at',
      local: '2027-03-27T21:30',
      zone: NEW_YORK,
    });
  });

  it('weeks start on the locale’s first day: Sunday in the US, Monday in Britain and in French', () => {
    const first = (language: string, locale: string) =>
      dayKey(weekDays('2027-03-31', PARIS, calendarLocale(language, locale))[0]!);
    expect(first('en', 'en-US')).toBe('2027-03-28');
    expect(first('en', 'en-GB')).toBe('2027-03-29');
    expect(first('fr', 'en-US')).toBe('2027-03-29');
    expect(first('en', 'de-DE')).toBe('2027-03-28');
  });

  it('says the audience’s day when it is not the CM’s', () => {
    const locale = calendarLocale('en', 'en-GB');
    expect(dualTime('2027-03-29T00:00:00.000Z', NEW_YORK, PARIS, locale)).toBe('02:00 Paris · Sun 20:00 New York');
    expect(dualTime('2027-03-29T07:00:00.000Z', PARIS, PARIS, locale)).toBe('09:00');
  });
});
