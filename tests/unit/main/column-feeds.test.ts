import { describe, expect, it } from 'vitest';
import type { NetworkAdapter } from '../../../src/shared/adapter';
import { ColonnadeError } from '../../../src/shared/errors';
import type { ColumnStatus } from '../../../src/shared/ipc/contract';
import { ColumnFeeds } from '../../../src/main/core/column-feeds';
import { FakeClock, MemoryLogger } from '../../doubles/ports';

function flakyAdapter(clock: FakeClock, failures: Error[]): NetworkAdapter {
  return {
    network: 'x',
    verify: async () => {
      throw new Error('unused');
    },
    columnKinds: () => ['home'],
    textRules: () => ({ counting: 'weighted', maxLength: 280, maxImages: 4, maxAltLength: 1000 }),
    lists: async () => [],
    act: async () => undefined,
    publish: async () => {
      throw new Error('unused');
    },
    pollIntervalMs: () => 1_000,
    rateLimit: () => null,
    refreshMetrics: async () => new Map(),
    readTimeline: async () => {
      const failure = failures.shift();
      if (failure) throw failure;
      return { items: [], older: null, newer: String(clock.now()) };
    },
  };
}

describe('column feeds', () => {
  it('shows a rate limit in the column and resumes by itself after the reset time', async () => {
    const clock = new FakeClock();
    const resetAt = new Date(clock.now() + 90_000).toISOString();
    const statuses: ColumnStatus[] = [];
    const adapter = flakyAdapter(clock, [new ColonnadeError('rate-limited', 'Too many requests', { resetAt })]);
    const feeds = new ColumnFeeds({
      clock,
      log: new MemoryLogger(),
      adapterFor: () => adapter,
      deliver: () => undefined,
      status: (s) => statuses.push(s),
    });
    feeds.follow([{ id: 'c1', kind: 'home', profileId: 'x:1', width: 340 }]);
    await clock.advance(0);
    expect(statuses.at(-1)).toMatchObject({ state: 'error', error: { code: 'rate-limited', resetAt } });
    await clock.advance(89_000);
    expect(statuses.at(-1)?.state).toBe('error');
    await clock.advance(1_000);
    expect(statuses.at(-1)?.state).toBe('live');
    feeds.stop();
  });

  it('backs off on other errors and maps unknown failures to internal without crashing', async () => {
    const clock = new FakeClock();
    const statuses: ColumnStatus[] = [];
    const log = new MemoryLogger();
    const adapter = flakyAdapter(clock, [new TypeError('boom'), new ColonnadeError('transient', '503')]);
    const feeds = new ColumnFeeds({
      clock,
      log,
      adapterFor: () => adapter,
      deliver: () => undefined,
      status: (s) => statuses.push(s),
    });
    feeds.follow([{ id: 'c1', kind: 'home', profileId: 'x:1', width: 340 }]);
    await clock.advance(0);
    expect(statuses.at(-1)).toMatchObject({ state: 'error', error: { code: 'internal' } });
    expect(log.text()).toContain('column poll failed');
    await clock.advance(2_000);
    expect(statuses.at(-1)).toMatchObject({ state: 'error', error: { code: 'transient' } });
    await clock.advance(4_000);
    expect(statuses.at(-1)?.state).toBe('live');
    feeds.stop();
  });

  it('says so in the column when its profile is gone', async () => {
    const clock = new FakeClock();
    const statuses: ColumnStatus[] = [];
    const feeds = new ColumnFeeds({
      clock,
      log: new MemoryLogger(),
      adapterFor: () => undefined,
      deliver: () => undefined,
      status: (s) => statuses.push(s),
    });
    feeds.follow([{ id: 'c1', kind: 'home', profileId: 'x:gone', width: 340 }]);
    await clock.advance(0);
    expect(statuses).toEqual([
      {
        columnId: 'c1',
        state: 'error',
        error: { code: 'not-found', message: 'The profile of this column is no longer connected.' },
      },
    ]);
  });
});
