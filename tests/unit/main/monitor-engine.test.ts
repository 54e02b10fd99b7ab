import { describe, expect, it } from 'vitest';
import type { NetworkAdapter } from '../../../src/shared/adapter';
import { ColonnadeError } from '../../../src/shared/errors';
import type { ColumnStatus, FeedDelivery } from '../../../src/shared/ipc/contract';
import type { Column, TimelineEntry } from '../../../src/shared/model';
import { CALL_DEADLINE_MS, MonitorEngine, type MonitorEngineDeps } from '../../../src/main/core/monitors/engine';
import { readColumnHistory } from '../../../src/main/core/monitors/history';
import { columnFilters } from '../../../src/shared/filters';
import { FakeNetwork } from '../../doubles/fake-network';
import { FakeClock, MemoryDocuments, MemoryLogger } from '../../doubles/ports';
import { TimelineNetwork } from '../../doubles/timeline-network';

const col = (id: string, extra: Partial<Column> = {}): Column => ({
  id,
  kind: 'hashtag',
  profileId: 'mastodon:cm',
  query: 'IFPower',
  width: 340,
  ...extra,
});

/** A monitor column 'mon' over `profileIds` (the first is the column's), watching `hashtags`. */
const monitorColumn = (profileIds: string[], hashtags: string[], exclude: string[] = []): Column => ({
  id: 'mon',
  kind: 'monitor',
  profileId: profileIds[0]!,
  width: 340,
  monitor: { hashtags, keywords: [], exclude, profileIds },
});

/** An engine over one or more fake networks, recording what it delivers; the renderer acknowledges at once unless told not to. */
function rig(opts: {
  clock: FakeClock;
  networks: TimelineNetwork[];
  documents?: MemoryDocuments;
  ack?: boolean;
  extra?: Partial<MonitorEngineDeps>;
}) {
  const documents = opts.documents ?? new MemoryDocuments();
  const deliveries: FeedDelivery[] = [];
  const statuses: ColumnStatus[] = [];
  const log = new MemoryLogger();
  let seq = 0;
  const adapters = new Map<string, NetworkAdapter>(opts.networks.map((n) => [n.profileId, n.adapter()]));
  const engine: MonitorEngine = new MonitorEngine({
    clock: opts.clock,
    log,
    random: () => 0.5,
    adapterFor: (id) => adapters.get(id),
    networkOf: (id) => id.split(':')[0],
    positions: documents.open('monitors'),
    deliver: (d) => {
      const full = { ...d, seq: ++seq };
      deliveries.push(full);
      if (opts.ack !== false) queueMicrotask(() => engine.acknowledged(full.seq));
      return full.seq;
    },
    status: (s) => statuses.push(s),
    ...opts.extra,
  });
  for (const n of opts.networks) n.onWindow = (w) => engine.budget(n.profileId).observe(w);
  /** Post ids delivered to a column, each once, in delivery order. */
  const ids = (columnId: string) => [
    ...new Set(
      deliveries
        .filter((d) => d.columnId === columnId)
        .flatMap((d) => d.entries.flatMap((e) => (e.post ? [e.post.id] : []))),
    ),
  ];
  const gaps = (columnId: string) => {
    const open = new Map<string, TimelineEntry>();
    for (const d of deliveries.filter((x) => x.columnId === columnId)) {
      for (const e of d.entries) if (e.gap) open.set(e.gap.id, e);
      for (const g of d.closedGaps ?? []) open.delete(g);
    }
    return [...open.values()];
  };
  return { engine, deliveries, statuses, log, documents, ids, gaps };
}

describe('the monitor engine: nothing missed', () => {
  it('51 and then 500 posts between two polls all arrive, and no held post is read again', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock);
    net.burst(10, ['IFPower']);
    const r = rig({ clock, networks: [net] });
    r.engine.follow([col('c1')], ['c1']);
    await clock.advance(0);
    expect(r.ids('c1')).toHaveLength(10);

    net.burst(51, ['IFPower']);
    const served = net.postsServed;
    await clock.advance(120_000);
    expect(r.ids('c1')).toHaveLength(61);
    // Only the 51 new posts were read to find them.
    expect(net.postsServed - served).toBe(51);

    net.burst(500, ['IFPower']);
    await clock.advance(120_000);
    expect(r.ids('c1')).toHaveLength(561);
    expect(r.gaps('c1')).toEqual([]);
    r.engine.stop();
  });

  it('a restart continues from the persisted position: 150 posts made while closed all arrive, none re-read', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock);
    const documents = new MemoryDocuments();
    net.burst(20, ['IFPower']);
    const first = rig({ clock, networks: [net], documents });
    first.engine.follow([col('c1')], ['c1']);
    await clock.advance(0);
    first.engine.stop();

    await clock.advance(3_600_000); // closed for an hour
    net.burst(150, ['IFPower']);
    const served = net.postsServed;
    const second = rig({ clock, networks: [net], documents });
    second.engine.follow([col('c1')], ['c1']);
    await clock.advance(0);
    expect(second.ids('c1')).toHaveLength(150);
    expect(net.postsServed - served).toBe(150);
    // The column was seeded before the restart: no second "first page" with its own cursor.
    expect(second.deliveries.some((d) => d.older !== undefined)).toBe(false);
    second.engine.stop();
  });

  it('what the renderer never stored is read again after a crash (positions persist only once acknowledged)', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock);
    const documents = new MemoryDocuments();
    net.burst(5, ['IFPower']);
    const first = rig({ clock, networks: [net], documents });
    first.engine.follow([col('c1')], ['c1']);
    await clock.advance(0);
    // From now on the renderer stores nothing (it crashed), and then main crashes too.
    const stillAcked = rig({ clock, networks: [net], documents, ack: false });
    first.engine.stop();
    stillAcked.engine.follow([col('c1')], ['c1']);
    net.burst(30, ['IFPower']);
    await clock.advance(120_000);
    expect(stillAcked.ids('c1')).toHaveLength(30);
    stillAcked.engine.stop();

    const third = rig({ clock, networks: [net], documents });
    third.engine.follow([col('c1')], ['c1']);
    await clock.advance(0);
    expect(third.ids('c1')).toHaveLength(30); // delivered again: nothing lost
    third.engine.stop();
  });

  it('an 8-hour sleep: on resume every post arrives; beyond the catch-up pages a gap marker, filled in the background', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock, { limit: 10_000 });
    net.burst(3, ['IFPower']);
    const r = rig({ clock, networks: [net] });
    r.engine.follow([col('c1')], ['c1']);
    await clock.advance(0);
    // The laptop sleeps: no timer fires for 8 hours; 1,200 posts meanwhile.
    clock.time += 8 * 3_600_000;
    net.burst(1_200, ['IFPower']);
    r.engine.wakeAll();
    await clock.advance(0);
    // 20 pages of 50 at once, then a marker for the rest, which later polls fill.
    expect(r.ids('c1').length).toBeGreaterThanOrEqual(1_000);
    await clock.advance(10 * 60_000);
    expect(r.ids('c1')).toHaveLength(1_203);
    expect(r.gaps('c1')).toEqual([]);
    r.engine.stop();
  });

  it('a gap the rate budget left fills by itself, even under a window of three requests', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock, { limit: 3, windowMs: 15 * 60_000, stateWindows: true, maxPage: 40 });
    const documents = new MemoryDocuments();
    net.burst(5, ['IFPower']);
    const first = rig({ clock, networks: [net], documents });
    first.engine.follow([col('c1')], ['c1']);
    await clock.advance(0);
    first.engine.stop();
    await clock.advance(3_600_000);
    net.burst(300, ['IFPower']);
    const second = rig({ clock, networks: [net], documents });
    second.engine.follow([col('c1')], ['c1']);
    await clock.advance(60_000);
    expect(second.gaps('c1').map((g) => g.gap?.why)).toEqual(['budget']);
    await clock.advance(4 * 3_600_000);
    expect(second.ids('c1')).toHaveLength(300);
    expect(second.gaps('c1')).toEqual([]);
    expect(net.responses429).toBe(0);
    second.engine.stop();
  });

  it('where the network serves less than the outage, a gap marker says so in the column', async () => {
    const clock = new FakeClock();
    const sevenDays = 7 * 86_400_000;
    const net = new TimelineNetwork(clock, { network: 'x', profileId: 'x:cm', horizonMs: sevenDays });
    net.burst(5, ['IFPower']);
    const r = rig({ clock, networks: [net] });
    const column = col('c1', { profileId: 'x:cm' });
    r.engine.follow([column], ['c1']);
    await clock.advance(0);
    r.engine.stop();
    clock.time += 10 * 86_400_000; // away ten days
    net.burst(40, ['IFPower']);
    const again = rig({ clock, networks: [net], documents: r.documents });
    again.engine.follow([column], ['c1']);
    await clock.advance(0);
    expect(again.ids('c1')).toHaveLength(40);
    const [gap] = again.gaps('c1');
    expect(gap?.gap).toMatchObject({ why: 'horizon', from: expect.any(String) });
    // It lies below the oldest post loaded above it.
    const oldest = again.deliveries
      .flatMap((d) => d.entries)
      .filter((e) => e.post)
      .map((e) => e.at)
      .sort()[0]!;
    expect(gap!.at < oldest).toBe(true);
    await expect(again.engine.loadGap('c1', gap!.gap!.id)).rejects.toMatchObject({ reason: 'gap-beyond-horizon' });
    again.engine.stop();
  });

  it('"Load them" fills a gap left by a failure half-way and the marker leaves', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock, { limit: 100_000 });
    net.burst(2, ['IFPower']);
    const r = rig({ clock, networks: [net] });
    r.engine.follow([col('c1')], ['c1']);
    await clock.advance(0);
    net.burst(120, ['IFPower']);
    // The second page of the catch-up fails.
    const adapter = net.adapter();
    let reads = 0;
    const flaky: NetworkAdapter = {
      ...adapter,
      readTimeline: async (req) => {
        if (req.direction === 'newer' && ++reads === 2) throw new ColonnadeError('transient', '503');
        return adapter.readTimeline(req);
      },
    };
    const r2 = rig({ clock, networks: [], documents: r.documents, extra: { adapterFor: () => flaky } });
    r.engine.stop();
    r2.engine.follow([col('c1')], ['c1']);
    await clock.advance(0);
    expect(r2.ids('c1')).toHaveLength(50);
    const [gap] = r2.gaps('c1');
    expect(gap?.gap?.why).toBe('failed');
    expect(r2.statuses.at(-1)).toMatchObject({ state: 'error', error: { code: 'transient' } });
    await r2.engine.loadGap('c1', gap!.gap!.id);
    expect(r2.ids('c1')).toHaveLength(120);
    expect(r2.gaps('c1')).toEqual([]);
    r2.engine.stop();
  });
});

describe('the monitor engine: first pages', () => {
  it('a second column of the same timeline gets its own first page; a column the renderer lost is seeded again', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock);
    net.burst(60, ['IFPower']);
    const r = rig({ clock, networks: [net] });
    r.engine.follow([col('c1')], ['c1']);
    await clock.advance(0);
    const firsts = () => r.deliveries.filter((d) => d.older !== undefined).map((d) => d.columnId);
    expect(firsts()).toEqual(['c1']);
    r.engine.follow([col('c1'), col('c2')], ['c1', 'c2']);
    await clock.advance(0);
    expect(firsts()).toEqual(['c1', 'c2']);
    expect(r.ids('c2')).toHaveLength(50);
    // Polls go on without first pages…
    await clock.advance(10 * 60_000);
    expect(firsts()).toEqual(['c1', 'c2']);
    // …until the renderer says it holds nothing of c1 (cleared storage).
    r.engine.reseed('c1');
    await clock.advance(0);
    expect(firsts()).toEqual(['c1', 'c2', 'c1']);
    expect(r.deliveries.at(-1)).toMatchObject({ columnId: 'c1', older: expect.any(String) });
    r.engine.stop();
  });
});

describe('the monitor engine: budgets and faults', () => {
  it('ten columns of one Mastodon account stay under 300 requests per 5 minutes, with room to post, and no 429', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock, {
      limit: 300,
      windowMs: 300_000,
      stateWindows: true,
      pollIntervalMs: 5_000,
    });
    const columns = Array.from({ length: 10 }, (_, i) => col(`c${i}`, { query: `tag${i}` }));
    const r = rig({ clock, networks: [net] });
    r.engine.follow(
      columns,
      columns.map((c) => c.id),
    );
    for (let minute = 0; minute < 60; minute++) {
      net.post('hello', { tags: [`tag${minute % 10}`] });
      await clock.advance(60_000);
    }
    expect(net.responses429).toBe(0);
    // Requests per 5-minute window: at most the limit minus the reserve for the CM's own actions.
    const perWindow = new Map<number, number>();
    for (const q of net.requests) {
      const w = Math.floor((q.at - net.requests[0]!.at) / 300_000);
      perWindow.set(w, (perWindow.get(w) ?? 0) + 1);
    }
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(300 - 45);
    // Every post reached its column.
    for (let i = 0; i < 10; i++) expect(r.ids(`c${i}`)).toHaveLength(6);
    r.engine.stop();
  });

  it('a page counts against the paging window and the per-token window: a tight token window (8 a minute) is never overrun', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock, {
      limit: 8,
      windowMs: 60_000,
      stateWindows: true,
      pollIntervalMs: 5_000,
      pagingWindow: { limit: 300, windowMs: 900_000 },
    });
    const columns = Array.from({ length: 14 }, (_, i) => col(`c${i}`, { query: `tag${i}` }));
    const r = rig({ clock, networks: [net] });
    r.engine.follow(
      columns,
      columns.map((c) => c.id),
    );
    for (let minute = 0; minute < 30; minute++) {
      net.post('hello', { tags: [`tag${minute % 14}`] });
      await clock.advance(60_000);
    }
    expect(net.responses429).toBe(0);
    // Every post still reaches its column, later.
    await clock.advance(30 * 60_000);
    for (let i = 0; i < 14; i++) expect(r.ids(`c${i}`).length).toBeGreaterThanOrEqual(2);
    r.engine.stop();
  });

  it('a 429 on one bucket: no request before its reset, then polling resumes; the account is not marked', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock);
    const health: Array<string | null> = [];
    const r = rig({ clock, networks: [net], extra: { health: (_, e) => health.push(e?.code ?? null) } });
    const resetAt = new Date(clock.now() + 90_000).toISOString();
    net.failNext = new ColonnadeError('rate-limited', 'Too many requests', { resetAt });
    r.engine.follow([col('c1')], ['c1']);
    await clock.advance(0);
    expect(r.statuses.at(-1)).toMatchObject({ state: 'error', error: { code: 'rate-limited', resetAt } });
    const before = net.requests.length;
    await clock.advance(89_000);
    expect(net.requests.length).toBe(before);
    await clock.advance(1_000);
    expect(net.requests.length).toBe(before + 1);
    expect(r.statuses.at(-1)?.state).toBe('live');
    expect(health).not.toContain('rate-limited');
    r.engine.stop();
  });

  it('accounts that share a server’s limit (Bluesky: per IP) share one budget: a 429 holds both', async () => {
    const clock = new FakeClock();
    const a = new TimelineNetwork(clock, { network: 'bluesky', profileId: 'bluesky:a', pollIntervalMs: 15_000 });
    const b = new TimelineNetwork(clock, { network: 'bluesky', profileId: 'bluesky:b', pollIntervalMs: 15_000 });
    const r = rig({ clock, networks: [a, b], extra: { budgetKey: () => 'bluesky@pds.example' } });
    r.engine.follow([col('ca', { profileId: 'bluesky:a' }), col('cb', { profileId: 'bluesky:b' })], ['ca', 'cb']);
    await clock.advance(0);
    expect(r.engine.budget('bluesky:a')).toBe(r.engine.budget('bluesky:b'));
    const resetAt = new Date(clock.now() + 120_000).toISOString();
    a.failNext = new ColonnadeError('rate-limited', 'Too many requests', { resetAt });
    await clock.advance(60_000);
    const bBefore = b.requests.length;
    await clock.advance(50_000); // still before the reset
    expect(b.requests.length).toBe(bBefore);
    await clock.advance(60_000);
    expect(b.requests.length).toBeGreaterThan(bBefore);
    r.engine.stop();
  });

  it('a server that accepts and never answers is a timeout in the column, in words, and is retried', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock);
    net.hang = true;
    const r = rig({ clock, networks: [net] });
    r.engine.follow([col('c1')], ['c1']);
    await clock.advance(CALL_DEADLINE_MS);
    expect(r.statuses.at(-1)).toMatchObject({ state: 'error', error: { code: 'transient', reason: 'timeout' } });
    net.hang = false;
    net.post('back', { tags: ['IFPower'] });
    await clock.advance(10 * 60_000);
    expect(r.ids('c1')).toHaveLength(1);
    r.engine.stop();
  });

  it('backs off with jitter on failures (no request storm), and logs what is not the taxonomy', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock, { pollIntervalMs: 1_000 });
    const r = rig({ clock, networks: [net] });
    net.failNext = new TypeError('boom');
    r.engine.follow([col('c1')], ['c1']);
    await clock.advance(0);
    expect(r.statuses.at(-1)).toMatchObject({ state: 'error', error: { code: 'internal' } });
    expect(r.log.text()).toContain('boom');
    const nextAt = Date.parse(r.statuses.at(-1)!.nextAt!);
    // 1 s × 2¹ × jitter 0.75 (random 0.5).
    expect(nextAt - clock.now()).toBe(1_500);
    r.engine.stop();
  });

  it('a connection broken off is retried within seconds, then says what the server is; a second one backs off', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock, { pollIntervalMs: 30_000 });
    const r = rig({ clock, networks: [net] });
    net.failNext = new ColonnadeError('transient', 'closed', { reason: 'connection-broken' });
    r.engine.follow([col('c1')], ['c1']);
    await clock.advance(0);
    expect(r.statuses.at(-1)).toMatchObject({ state: 'error', error: { reason: 'connection-broken' } });
    // 3 s × jitter 0.75, not 30 s × 2¹: the column does not say "having trouble" for a minute.
    expect(Date.parse(r.statuses.at(-1)!.nextAt!) - clock.now()).toBe(2_250);
    net.failNext = new ColonnadeError('offline', 'gone', { reason: 'unreachable' });
    await clock.advance(2_250);
    expect(r.statuses.at(-1)).toMatchObject({ state: 'error', error: { code: 'offline' } });
    // The second failure in a row backs off as usual: 30 s × 2² × 0.75.
    expect(Date.parse(r.statuses.at(-1)!.nextAt!) - clock.now()).toBe(90_000);
    r.engine.stop();
  });

  it('"Check now" reads a column at once, not more than every 10 s, and not past a spent rate window', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock, { pollIntervalMs: 120_000 });
    const r = rig({ clock, networks: [net] });
    r.engine.follow([col('c1')], ['c1']);
    await clock.advance(0);
    const first = net.requests.length;
    net.post('fresh', { tags: ['IFPower'] });
    await clock.advance(1_000);
    expect(r.ids('c1')).toHaveLength(0); // the next scheduled poll is minutes away
    expect(r.engine.refresh('c1')).toBe(1);
    await clock.advance(0);
    expect(r.ids('c1')).toHaveLength(1);
    expect(net.requests.length).toBe(first + 1);
    // Held down: no second request within 10 s.
    expect(r.engine.refresh('c1')).toBe(0);
    await clock.advance(0);
    expect(net.requests.length).toBe(first + 1);
    // An unknown column wakes nothing.
    expect(r.engine.refresh('nope')).toBe(0);
    // A spent window: the check waits for the reset, as a scheduled poll would.
    net.failNext = new ColonnadeError('rate-limited', 'Too many requests', {
      resetAt: new Date(clock.now() + 15 * 60_000 + 10_000).toISOString(),
    });
    await clock.advance(10_000);
    expect(r.engine.refresh('c1')).toBe(1);
    await clock.advance(0);
    const limited = net.requests.length;
    expect(r.statuses.at(-1)).toMatchObject({ error: { code: 'rate-limited' } });
    await clock.advance(10_000);
    expect(r.engine.refresh('c1')).toBe(1);
    await clock.advance(0);
    expect(net.requests.length).toBe(limited);
    expect(r.statuses.at(-1)).toMatchObject({ state: 'paused' });
    r.engine.stop();
  });

  it('offline pauses every column without a request; coming back catches up at once', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock);
    const r = rig({ clock, networks: [net] });
    r.engine.follow([col('c1')], ['c1']);
    await clock.advance(0);
    r.engine.setOnline(false);
    expect(r.statuses.at(-1)).toMatchObject({ state: 'paused', error: { code: 'offline' } });
    const before = net.requests.length;
    net.burst(70, ['IFPower']);
    await clock.advance(30 * 60_000);
    expect(net.requests.length).toBe(before);
    r.engine.setOnline(true);
    await clock.advance(0);
    expect(r.ids('c1')).toHaveLength(70);
    r.engine.stop();
  });

  it('columns on every deck are followed; hidden ones poll less often than shown ones', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock, { pollIntervalMs: 60_000, limit: 100_000 });
    const r = rig({ clock, networks: [net] });
    r.engine.follow([col('shown', { query: 'a' }), col('hidden', { query: 'b' })], ['shown']);
    await clock.advance(60 * 60_000);
    const count = (q: string) => net.requests.filter((x) => x.query === q).length;
    expect(count('b')).toBeGreaterThan(5);
    expect(count('a')).toBeGreaterThan(count('b') * 2);
    net.post('on a hidden deck', { tags: ['b'] });
    await clock.advance(12 * 60_000);
    expect(r.ids('hidden')).toHaveLength(1);
    r.engine.stop();
  });

  it('a column that comes on screen is read at the shown pace at once, not after the rest of a hidden wait', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock, { pollIntervalMs: 60_000, limit: 100_000 });
    const r = rig({ clock, networks: [net] });
    const columns = [col('first', { query: 'a' }), col('second', { query: 'b' })];
    r.engine.follow(columns, ['first']);
    await clock.advance(10 * 60_000);
    // The second deck is shown; a post comes just after.
    r.engine.follow(columns, ['second']);
    net.post('now on screen', { tags: ['b'] });
    // A quiet column's shown pace: twice the adapter's (2 minutes), not three times that.
    await clock.advance(121_000);
    expect(r.ids('second')).toHaveLength(1);
    r.engine.stop();
  });
});

describe('the monitor engine: merging and cross-network columns', () => {
  it('X hashtag columns of one account are read as one OR-ed search, each post routed to its hashtags', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock, { network: 'x', profileId: 'x:cm' });
    const columns = ['IFPower', 'Brand', 'Launch'].map((tag, i) => col(`c${i}`, { profileId: 'x:cm', query: tag }));
    const r = rig({ clock, networks: [net] });
    r.engine.follow(
      columns,
      columns.map((c) => c.id),
    );
    await clock.advance(0);
    net.post('one', { tags: ['IFPower'] });
    net.post('two', { tags: ['brand', 'launch'] });
    net.post('three', { tags: ['Launch'] });
    const before = net.requests.length;
    await clock.advance(10 * 60_000);
    const polls = net.requests.slice(before);
    expect(new Set(polls.map((p) => p.query))).toEqual(new Set(['(#Brand OR #IFPower OR #Launch)']));
    expect(r.ids('c0')).toEqual(['x:1']);
    expect(r.ids('c1')).toEqual(['x:2']);
    expect(r.ids('c2').sort()).toEqual(['x:2', 'x:3']);
    r.engine.stop();
  });

  it('a monitor column merges one query over two networks, marks each post with its profile; exclusions are hidden by the column', async () => {
    const clock = new FakeClock();
    const x = new TimelineNetwork(clock, { network: 'x', profileId: 'x:cm' });
    const m = new TimelineNetwork(clock, { network: 'mastodon', profileId: 'mastodon:cm' });
    const monitor = monitorColumn(['x:cm', 'mastodon:cm'], ['IFPower'], ['spam']);
    const r = rig({ clock, networks: [x, m] });
    r.engine.follow([monitor], ['mon']);
    await clock.advance(0);
    x.post('on x', { tags: ['IFPower'] });
    m.post('on mastodon', { tags: ['ifpower'] });
    m.post('buy spam now', { tags: ['IFPower'] });
    await clock.advance(10 * 60_000);
    const entries = r.deliveries.filter((d) => d.columnId === 'mon').flatMap((d) => d.entries);
    expect(entries.map((e) => [e.post?.text, e.via])).toEqual(
      expect.arrayContaining([
        ['on x #IFPower', 'x:cm'],
        ['on mastodon #ifpower', 'mastodon:cm'],
      ]),
    );
    // The exclusion is the column's to hide and count (shared/filters.ts), not main's to drop.
    const spam = entries.find((e) => e.post?.text.includes('spam'));
    expect(spam).toBeDefined();
    const filters = columnFilters(monitor);
    expect(filters.keep(spam!)).toBe(false);
    expect(entries.filter((e) => e.post && filters.keep(e))).toHaveLength(2);
    r.engine.stop();
  });
});

describe('the monitor engine: each post once', () => {
  it('a post two sources of a monitor meet is delivered to the column once', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock);
    const monitor = monitorColumn(['mastodon:cm'], ['IFPower', 'Launch']);
    const r = rig({ clock, networks: [net] });
    r.engine.follow([monitor], ['mon']);
    await clock.advance(0);
    net.post('both tags', { tags: ['IFPower', 'Launch'] });
    await clock.advance(10 * 60_000);
    const times = r.deliveries
      .filter((d) => d.columnId === 'mon')
      .flatMap((d) => d.entries)
      .filter((e) => e.post?.text.startsWith('both tags')).length;
    expect(times).toBe(1);
    r.engine.stop();
  });

  it('a stream that keeps dropping as it opens is tried less and less often, and polling carries the column', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock);
    let opened = 0;
    const base = net.adapter();
    const flaky: NetworkAdapter = {
      ...base,
      stream: (_req, sink) => {
        opened++;
        queueMicrotask(() => sink.down(new ColonnadeError('transient', 'closed')));
        return { close: () => undefined };
      },
    };
    const r = rig({ clock, networks: [net], extra: { adapterFor: () => flaky } });
    r.engine.follow([col('c1')], ['c1']);
    await clock.advance(0);
    for (let i = 0; i < 60; i++) await clock.advance(60_000);
    // 30 s, 1, 2, 4, 8, 16 and 30 minutes apart: a handful of tries in an hour, not one a poll.
    expect(opened).toBeLessThanOrEqual(8);
    net.post('still arrives', { tags: ['IFPower'] });
    await clock.advance(2 * 60_000);
    expect(r.ids('c1')).toContain('mastodon:1');
    r.engine.stop();
  });

  it('a stream that accepts and brings nothing is found deaf by its safety poll, and the column polls at its pace', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock);
    let streams = 0;
    let closed = 0;
    const base = net.adapter();
    const deaf: NetworkAdapter = {
      ...base,
      stream: () => {
        streams++;
        return { close: () => void closed++ };
      },
    };
    const r = rig({ clock, networks: [net], extra: { adapterFor: () => deaf } });
    r.engine.follow([col('c1')], ['c1']);
    await clock.advance(0);
    expect(streams).toBe(1);
    await clock.advance(30_000);
    net.post('missed by the stream', { tags: ['IFPower'] });
    await clock.advance(4 * 60_000 + 31_000); // the stream's safety poll
    expect(r.ids('c1')).toContain('mastodon:1');
    expect(closed).toBe(1);
    // From now on, the column's own pace (30 s here), not a poll every 5 minutes.
    const at = clock.now();
    net.post('after', { tags: ['IFPower'] });
    await clock.advance(2 * 60_000);
    expect(r.ids('c1')).toContain('mastodon:2');
    const polls = net.requests.filter((q) => q.at > at && q.kind === 'hashtag').length;
    expect(polls).toBeGreaterThanOrEqual(2);
    r.engine.stop();
  });
});

describe('the monitor engine: a monitor column’s history', () => {
  it('pages back from the position its first delivery gave, through every source, down to the end', async () => {
    const clock = new FakeClock();
    const x = new TimelineNetwork(clock, { network: 'x', profileId: 'x:cm' });
    const m = new TimelineNetwork(clock, { network: 'mastodon', profileId: 'mastodon:cm' });
    x.burst(130, ['IFPower']);
    m.burst(90, ['IFPower']);
    const monitor = monitorColumn(['x:cm', 'mastodon:cm'], ['IFPower']);
    const r = rig({ clock, networks: [x, m] });
    r.engine.follow([monitor], ['mon']);
    await clock.advance(0);
    // The renderer keeps the first `older` it is given (sync.ts) and pages back from it.
    const first = r.deliveries.find((d) => d.columnId === 'mon' && d.older !== undefined);
    expect(first?.older).toEqual(expect.any(String));
    const adapters = new Map([
      ['x:cm', x.adapter()],
      ['mastodon:cm', m.adapter()],
    ]);
    const held = new Set(r.ids('mon'));
    let cursor = first!.older ?? null;
    for (let pages = 0; cursor !== null && pages < 20; pages++) {
      const page = await readColumnHistory(monitor, { direction: 'older', cursor }, (id) => adapters.get(id));
      for (const e of page.items) if (e.post) held.add(e.post.id);
      cursor = page.older;
    }
    expect(cursor).toBeNull();
    expect(held.size).toBe(220);
    // A position written in another form (a source’s own cursor) reads from the newest pages.
    const again = await readColumnHistory(monitor, { direction: 'older', cursor: 'u:123' }, (id) => adapters.get(id));
    expect(again.items.length).toBeGreaterThan(0);
    expect(new Set(again.items.map((e) => e.via))).toEqual(new Set(['x:cm', 'mastodon:cm']));
    r.engine.stop();
  });
});

describe('the monitor engine: a monitor column’s history has no stretch that looks like all there was', () => {
  it('a busy network and a quiet one: every page holds every post of both down to its oldest', async () => {
    const clock = new FakeClock();
    const x = new TimelineNetwork(clock, { network: 'x', profileId: 'x:cm' });
    const m = new TimelineNetwork(clock, { network: 'mastodon', profileId: 'mastodon:cm' });
    const now = clock.now();
    for (let i = 0; i < 600; i++) x.post(`x ${i}`, { tags: ['IFPower'], at: now - (600 - i) * 60_000 }); // one a minute
    for (let i = 0; i < 10; i++) m.post(`m ${i}`, { tags: ['IFPower'], at: now - (10 - i) * 3_600_000 - 30_000 }); // one an hour
    const monitor = monitorColumn(['x:cm', 'mastodon:cm'], ['IFPower']);
    const adapters = new Map([
      ['x:cm', x.adapter()],
      ['mastodon:cm', m.adapter()],
    ]);
    const shown = new Map<string, string>(); // id → at
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await readColumnHistory(monitor, { direction: 'older', cursor }, (id) => adapters.get(id));
      for (const e of page.items) if (e.post) shown.set(e.post.id, e.at);
      cursor = page.older;
      pages++;
      // Down to the oldest post shown, nothing of either network is missing.
      const oldest = [...shown.values()].sort()[0]!;
      const expected = [...x.posts, ...m.posts].filter((p) => p.createdAt >= oldest).map((p) => p.id);
      expect(expected.filter((id) => !shown.has(id))).toEqual([]);
    } while (cursor !== null && pages < 40);
    expect(cursor).toBeNull();
    expect(shown.size).toBe(610);

    // One network failing on a page: the page says why instead of skipping that network's posts,
    // and the same position works once it answers again.
    const first = await readColumnHistory(monitor, { direction: 'older', cursor: null }, (id) => adapters.get(id));
    m.failNext = new ColonnadeError('transient', 'Mastodon is down.');
    await expect(
      readColumnHistory(monitor, { direction: 'older', cursor: first.older }, (id) => adapters.get(id)),
    ).rejects.toMatchObject({ code: 'transient' });
    const again = await readColumnHistory(monitor, { direction: 'older', cursor: first.older }, (id) =>
      adapters.get(id),
    );
    expect(again.items.length).toBeGreaterThan(0);
  });
});

describe('the monitor engine: a column’s status from all its profiles', () => {
  it('a monitor column says each profile in trouble, and one profile’s success never hides another’s failure', async () => {
    const clock = new FakeClock();
    const x = new TimelineNetwork(clock, { network: 'x', profileId: 'x:cm' });
    const m = new TimelineNetwork(clock, { network: 'mastodon', profileId: 'mastodon:cm' });
    const monitor = monitorColumn(['x:cm', 'mastodon:cm', 'bluesky:gone'], ['IFPower']);
    const signedOut = { code: 'auth-expired' as const, message: 'Reconnect.' };
    const r = rig({
      clock,
      networks: [x, m],
      extra: { paused: (id) => (id === 'mastodon:cm' ? signedOut : null) },
    });
    r.engine.follow([monitor], ['mon']);
    await clock.advance(0);
    await clock.advance(60_000); // X polls again, live
    const last = r.statuses.filter((s) => s.columnId === 'mon').at(-1)!;
    expect(last.state).toBe('error');
    expect(last.profileId).toBe('bluesky:gone');
    expect(last.profiles).toEqual([
      expect.objectContaining({ profileId: 'mastodon:cm', state: 'paused', error: signedOut }),
      expect.objectContaining({
        profileId: 'bluesky:gone',
        state: 'error',
        error: expect.objectContaining({ reason: 'profile-not-connected' }),
      }),
    ]);
    // The same, asked at once by a renderer that reloaded.
    expect(r.engine.statuses()).toEqual([last]);
    r.engine.stop();
  });

  it('a column of one profile keeps its plain status, naming the profile', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock);
    const r = rig({ clock, networks: [net] });
    r.engine.follow([col('c1')], ['c1']);
    await clock.advance(0);
    const last = r.statuses.filter((s) => s.columnId === 'c1').at(-1)!;
    expect(last).toMatchObject({ state: 'live', profileId: 'mastodon:cm' });
    expect(last.profiles).toBeUndefined();
    r.engine.stop();
  });
});

describe('the monitor engine: accounts', () => {
  it('wakes a profile’s readers at once on reconnect, and only the signed-out ones after a health recovery', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock, { pollIntervalMs: 1_000 });
    const r = rig({ clock, networks: [net] });
    net.failNext = new ColonnadeError('auth-expired', 'Reconnect it.');
    r.engine.follow([col('c1', { kind: 'home', query: undefined }), col('c2', { query: 'other' })], ['c1', 'c2']);
    await clock.advance(0);
    const c1 = () => r.statuses.filter((s) => s.columnId === 'c1').at(-1);
    expect(c1()).toMatchObject({ state: 'error', error: { code: 'auth-expired' } });
    const before = net.requests.length;
    r.engine.wake('mastodon:cm', 'signed-out');
    await clock.advance(0);
    expect(net.requests.length - before).toBe(1);
    expect(c1()?.state).toBe('live');
    r.engine.stop();
  });

  it('a profile removed from Accounts: its live stream closes at once, nothing more arrives, and the column says why', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock);
    const base = net.adapter();
    let sink: Parameters<NonNullable<NetworkAdapter['stream']>>[1] | null = null;
    let closed = 0;
    const streaming: NetworkAdapter = {
      ...base,
      stream: (_req, s) => {
        sink = s;
        return { close: () => void closed++ };
      },
    };
    let connected = true;
    const r = rig({ clock, networks: [net], extra: { adapterFor: () => (connected ? streaming : undefined) } });
    r.engine.follow([col('c1')], ['c1']);
    await clock.advance(0);
    expect(sink).not.toBeNull();
    connected = false;
    r.engine.profileRemoved('mastodon:cm');
    await clock.advance(0);
    expect(closed).toBe(1);
    // A post the server still pushes down a socket that has not closed yet is not shown.
    const late = net.post('after removal', { tags: ['IFPower'] });
    sink!.entry({ key: late.id, at: late.createdAt, post: late });
    await clock.advance(10 * 60_000);
    expect(r.ids('c1')).not.toContain(late.id);
    expect(r.statuses.filter((s) => s.columnId === 'c1').at(-1)).toMatchObject({
      state: 'error',
      error: { reason: 'profile-not-connected' },
    });
    r.engine.stop();
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
    const r = rig({ clock, networks: [], extra: { adapterFor: () => adapter } });
    r.engine.follow([col('c1', { kind: 'home', query: undefined })], ['c1']);
    await clock.advance(0);
    r.engine.visible('c1', ['mastodon:1'], true);
    fake.deleted.add('mastodon:1');
    await clock.advance(3 * 60_000);
    expect(r.deliveries.filter((d) => d.removed).map((d) => d.removed)).toEqual([['mastodon:1']]);
    expect(asked).toEqual([['mastodon:1']]);
    await clock.advance(30 * 60_000);
    expect(asked).toHaveLength(1);
    r.engine.stop();
  });

  it('refreshes counts only of posts on screen and own posts, less often as they age', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock);
    const r = rig({ clock, networks: [net] });
    net.post('mine', { tags: ['IFPower'], author: 'cm' });
    net.post('theirs on screen', { tags: ['IFPower'] });
    net.post('theirs off screen', { tags: ['IFPower'] });
    r.engine.follow([col('c1')], ['c1']);
    await clock.advance(0);
    r.engine.visible('c1', ['mastodon:2'], true);
    await clock.advance(3 * 60_000);
    expect(net.refreshAsked.flat().sort()).toEqual(['mastodon:1', 'mastodon:2']);
    // After two hours on screen, a post is refreshed every 10 minutes, not every 2.
    net.refreshAsked = [];
    for (let i = 0; i < 120; i++) {
      r.engine.visible('c1', ['mastodon:2'], true);
      await clock.advance(60_000);
    }
    const times = net.refreshAsked.filter((ids) => ids.includes('mastodon:2')).length;
    expect(times).toBeGreaterThan(8);
    expect(times).toBeLessThan(40);
    r.engine.stop();
  });

  it('after a restart, posts the renderer kept and shows are refreshed too, each through its network’s profile', async () => {
    const clock = new FakeClock();
    const x = new TimelineNetwork(clock, { network: 'x', profileId: 'x:cm' });
    const m = new TimelineNetwork(clock, { network: 'mastodon', profileId: 'mastodon:cm' });
    const documents = new MemoryDocuments();
    const monitor = monitorColumn(['x:cm', 'mastodon:cm'], ['IFPower']);
    const first = rig({ clock, networks: [x, m], documents });
    x.post('on X', { tags: ['IFPower'] });
    m.post('on Mastodon', { tags: ['IFPower'] });
    first.engine.follow([monitor], ['mon']);
    await clock.advance(0);
    first.engine.stop();
    // Colonnade restarts; the renderer still holds both posts and shows them.
    await clock.advance(20 * 60_000);
    const again = rig({ clock, networks: [x, m], documents });
    again.engine.follow([monitor], ['mon']);
    await clock.advance(0);
    x.refreshAsked = [];
    m.refreshAsked = [];
    const createdAt = new Date(clock.now() - 20 * 60_000).toISOString();
    again.engine.visible('mon', ['x:1', 'mastodon:1'], true, [createdAt, createdAt]);
    await clock.advance(3 * 60_000);
    expect(x.refreshAsked.flat()).toContain('x:1');
    expect(m.refreshAsked.flat()).toContain('mastodon:1');
    again.engine.stop();
  });

  it('a column with an engagement alert rule keeps its young posts’ counts fresh while nobody looks', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock);
    const counted: string[] = [];
    const r = rig({
      clock,
      networks: [net],
      extra: { counted: (m) => counted.push(...[...m].filter(([, c]) => c.likes >= 50).map(([id]) => id)) },
    });
    const rule: Column['alerts'] = {
      enabled: true,
      when: 'engagement',
      accounts: [],
      minEngagement: 50,
      burstPosts: 10,
      burstMinutes: 10,
      sound: false,
      quietHours: null,
    };
    r.engine.follow([col('watched', { alerts: rule }), col('plain', { query: 'Other' })], []); // no deck shown
    await clock.advance(0);
    const [hot] = net.burst(1, ['IFPower']);
    const [other] = net.burst(1, ['Other']);
    await clock.advance(2 * 60_000);
    net.counts.set(hot!.id, { likes: 80, reposts: 3, replies: 1, quotes: 0, impressions: null });
    await clock.advance(5 * 60_000);
    expect(counted).toContain(hot!.id);
    // A column without such a rule is not refreshed off screen.
    expect(net.refreshAsked.flat()).not.toContain(other!.id);
    // Past a day, the watched post is no longer asked about.
    await clock.advance(25 * 3_600_000);
    net.refreshAsked = [];
    await clock.advance(2 * 3_600_000);
    expect(net.refreshAsked.flat()).not.toContain(hot!.id);
    r.engine.stop();
  });
});
