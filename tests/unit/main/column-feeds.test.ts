import { describe, expect, it } from 'vitest';
import type { NetworkAdapter } from '../../../src/shared/adapter';
import { ColonnadeError } from '../../../src/shared/errors';
import type { ColumnStatus, FeedDelivery } from '../../../src/shared/ipc/contract';
import { ColumnFeeds } from '../../../src/main/core/column-feeds';
import { FakeNetwork } from '../../doubles/fake-network';
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
    refreshMetrics: async () => ({ metrics: new Map(), gone: [] }),
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

  it('wakes a profile’s columns at once on reconnect, instead of sleeping out their back-off', async () => {
    const clock = new FakeClock();
    const statuses: ColumnStatus[] = [];
    const signedOut = () => new ColonnadeError('auth-expired', 'Reconnect it.', { reason: 'x-refresh-refused' });
    const failures: Error[] = Array.from({ length: 100 }, signedOut);
    const adapter = flakyAdapter(clock, failures);
    const other = flakyAdapter(clock, []);
    let reads = 0;
    const counted: NetworkAdapter = {
      ...adapter,
      readTimeline: (r) => {
        reads++;
        return adapter.readTimeline(r);
      },
    };
    const feeds = new ColumnFeeds({
      clock,
      log: new MemoryLogger(),
      adapterFor: (profileId) => (profileId === 'x:1' ? counted : other),
      deliver: () => undefined,
      status: (s) => statuses.push(s),
    });
    feeds.follow([
      { id: 'c1', kind: 'home', profileId: 'x:1', width: 340 },
      { id: 'c2', kind: 'mentions', profileId: 'x:1', width: 340 },
      { id: 'c3', kind: 'home', profileId: 'x:2', width: 340 },
    ]);
    // Signed out for a while: the back-off has grown to minutes (1 s interval, doubling).
    await clock.advance(200_000);
    const byColumn = (id: string) => statuses.filter((s) => s.columnId === id);
    expect(byColumn('c1').at(-1)).toMatchObject({ state: 'error', error: { code: 'auth-expired' } });
    failures.splice(0);
    const before = reads;
    const seen = statuses.length;
    feeds.wake('x:1');
    await clock.advance(0);
    // Both columns of x:1 polled with no time passing; x:2's column was left alone.
    expect(reads - before).toBe(2);
    expect(statuses.slice(seen).map((s) => [s.columnId, s.state])).toEqual([
      ['c1', 'live'],
      ['c2', 'live'],
    ]);
    // And they are back on their normal pace.
    await clock.advance(1_000);
    expect(reads - before).toBe(4);
    feeds.stop();
  });

  it('after a health recovery, wakes only the columns that were signed out', async () => {
    const clock = new FakeClock();
    const statuses: ColumnStatus[] = [];
    const adapter = flakyAdapter(clock, [
      new ColonnadeError('auth-expired', 'Reconnect it.'),
      new ColonnadeError('not-allowed', 'Not in your plan.'),
    ]);
    const feeds = new ColumnFeeds({
      clock,
      log: new MemoryLogger(),
      adapterFor: () => adapter,
      deliver: () => undefined,
      status: (s) => statuses.push(s),
    });
    feeds.follow([
      { id: 'c1', kind: 'home', profileId: 'x:1', width: 340 },
      { id: 'c2', kind: 'search', query: 'x', profileId: 'x:1', width: 340 },
    ]);
    await clock.advance(0);
    const seen = statuses.length;
    feeds.wake('x:1', 'signed-out');
    await clock.advance(0);
    expect(statuses.slice(seen).map((s) => [s.columnId, s.state])).toEqual([['c1', 'live']]);
    feeds.stop();
  });

  it('a column woken while its poll is under way polls again as soon as that poll ends', async () => {
    const clock = new FakeClock();
    let release!: () => void;
    let reads = 0;
    const adapter: NetworkAdapter = {
      ...flakyAdapter(clock, []),
      readTimeline: async () => {
        reads++;
        if (reads === 1) await new Promise<void>((resolve) => (release = resolve));
        return { items: [], older: null, newer: String(reads) };
      },
    };
    const feeds = new ColumnFeeds({
      clock,
      log: new MemoryLogger(),
      adapterFor: () => adapter,
      deliver: () => undefined,
      status: () => undefined,
    });
    feeds.follow([{ id: 'c1', kind: 'home', profileId: 'x:1', width: 340 }]);
    await clock.advance(0);
    feeds.wake('x:1');
    await clock.advance(0);
    expect(reads).toBe(1); // no second poll beside the one under way
    release();
    await clock.advance(0);
    expect(reads).toBe(2);
    feeds.stop();
  });

  it('what a replaced connection answered is not reported: the column polls again with the new one', async () => {
    const clock = new FakeClock();
    const statuses: ColumnStatus[] = [];
    const outcomes: Array<string | null> = [];
    let release!: () => void;
    const old: NetworkAdapter = {
      ...flakyAdapter(clock, []),
      readTimeline: async () => {
        await new Promise<void>((resolve) => (release = resolve));
        throw new ColonnadeError('auth-expired', 'Reconnect it.');
      },
    };
    const fresh = flakyAdapter(clock, []);
    let current = old;
    const feeds = new ColumnFeeds({
      clock,
      log: new MemoryLogger(),
      adapterFor: () => current,
      deliver: () => undefined,
      status: (s) => statuses.push(s),
      outcome: (_, error) => outcomes.push(error?.code ?? null),
    });
    feeds.follow([{ id: 'c1', kind: 'home', profileId: 'x:1', width: 340 }]);
    await clock.advance(0);
    current = fresh; // reconnected while the old connection's poll was under way
    release();
    await clock.advance(0);
    expect(outcomes).toEqual([null]);
    expect(statuses.map((s) => s.state)).toEqual(['live']);
    feeds.stop();
  });

  it('a post the network says is deleted leaves every column, and its counts are not asked again', async () => {
    const clock = new FakeClock();
    const log = new MemoryLogger();
    const fake = new FakeNetwork('mastodon');
    fake.validTokens.add('cm-token');
    const credentials = { instanceUrl: 'https://social.example', accessToken: 'cm-token', generation: 1 };
    const real = await fake.module().createAdapter(credentials, { clock, log, saveCredentials: async () => undefined });
    const asked: string[][] = [];
    const adapter: NetworkAdapter = {
      ...real,
      refreshMetrics: (ids) => {
        asked.push([...ids]);
        return real.refreshMetrics(ids);
      },
    };
    const deliveries: Array<Omit<FeedDelivery, 'seq'>> = [];
    const feeds = new ColumnFeeds({
      clock,
      log,
      adapterFor: () => adapter,
      deliver: (d) => deliveries.push(d),
      status: () => undefined,
    });
    feeds.follow([
      { id: 'c1', kind: 'home', profileId: 'mastodon:cm', width: 340 },
      { id: 'c2', kind: 'hashtag', query: 'news', profileId: 'mastodon:cm', width: 340 },
    ]);
    await clock.advance(0);
    expect(deliveries.map((d) => [d.columnId, d.entries.map((e) => e.post?.id), d.removed])).toEqual([
      ['c1', ['mastodon:1'], undefined],
      ['c2', ['mastodon:1'], undefined],
    ]);

    // While it exists, later polls remove nothing.
    deliveries.length = 0;
    await clock.advance(1_000);
    expect(deliveries.every((d) => d.removed === undefined)).toBe(true);

    fake.deleted.add('mastodon:1');
    deliveries.length = 0;
    asked.length = 0;
    await clock.advance(1_000);
    // The first column that hears it delivers it as removed (the renderer drops it from every column)…
    expect(deliveries).toEqual([{ columnId: 'c1', entries: [], metrics: [], removed: ['mastodon:1'] }]);
    // …and no column asks about it again.
    expect(asked).toEqual([['mastodon:1']]);
    await clock.advance(5_000);
    expect(deliveries).toHaveLength(1);
    expect(asked).toHaveLength(1);
    feeds.stop();
  });
});
