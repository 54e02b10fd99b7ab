import { describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/app-core';
import { UsageService } from '../../../src/main/core/usage-service';
import type { AccountUsage, ColumnStatus } from '../../../src/shared/ipc/contract';
import type { Layout } from '../../../src/shared/model';
import { FakeNetwork } from '../../doubles/fake-network';
import { FakeClock, MemoryDocuments, MemoryLogger, memoryPorts } from '../../doubles/ports';

async function call<T = unknown>(core: Core, channel: string, payload: unknown = {}): Promise<T> {
  const result = await core.dispatch(channel, payload);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

describe('the X cost meter', () => {
  it('counts reads per day and month and estimates their cost at editable prices', () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 30, 23, 0));
    const changed: string[] = [];
    const usage = new UsageService(new MemoryDocuments().open('usage'), new MemoryLogger(), clock, (id) =>
      changed.push(id),
    );
    usage.record('x:1', { posts: 100, ownPosts: 10, purpose: 'timeline' });
    clock.time += 2 * 3_600_000; // into December: a new day and a new month
    usage.record('x:1', { posts: 40, ownPosts: 0, purpose: 'timeline' });
    const none = { posts: 0, ownPosts: 0, cost: 0 };
    expect(usage.usage('x:1')).toEqual({
      accountId: 'x:1',
      today: { posts: 40, ownPosts: 0, cost: 0.2, counts: none },
      month: { posts: 40, ownPosts: 0, cost: 0.2, counts: none },
      prices: { post: 0.005, ownPost: 0.001 },
      monthlyBudget: null,
      paused: false,
    });
    clock.time -= 2 * 3_600_000;
    // 100 other people's posts at $0.005 and 10 of the account's own at $0.001, each once.
    expect(usage.usage('x:1').month).toEqual({ posts: 100, ownPosts: 10, cost: 0.51, counts: none });
    const repriced = usage.configure('x:1', { prices: { post: 0.01, ownPost: 0 } });
    expect(repriced.month.cost).toBe(1);
    expect(changed.length).toBe(3);
  });

  it('bills each post once at its price, and shows what count refreshes cost apart', () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 12, 9, 0));
    const usage = new UsageService(new MemoryDocuments().open('usage'), new MemoryLogger(), clock, () => {});
    // What the X adapter reports for a page of 536 posts, 177 of them the CM's own…
    usage.record('x:1', { posts: 359, ownPosts: 177, purpose: 'timeline' });
    // …and a count refresh of 100 posts shown, 60 of them hers.
    usage.record('x:1', { posts: 40, ownPosts: 60, purpose: 'counts' });
    const today = usage.usage('x:1').today;
    expect(today.posts + today.ownPosts).toBe(636);
    expect(today).toEqual({
      posts: 399,
      ownPosts: 237,
      cost: 2.232, // 399 × $0.005 + 237 × $0.001
      counts: { posts: 40, ownPosts: 60, cost: 0.26 }, // 40 × $0.005 + 60 × $0.001
    });
  });

  it('reads a schema-1 meter, where own posts were counted in posts too, without counting them twice', () => {
    const documents = new MemoryDocuments();
    const store = documents.open('usage');
    store.write({
      schemaVersion: 1,
      data: {
        accounts: {
          'x:1': {
            // 536 posts served, 177 of them the CM's own: schema 1 showed 713 and billed 177 twice.
            days: { '2026-11-12': { posts: 536, ownPosts: 177 }, '2026-11-11': { posts: 10, ownPosts: 0 } },
            prices: { post: 0.005, ownPost: 0.001 },
            monthlyBudget: 5,
          },
        },
      },
    });
    const log = new MemoryLogger();
    const usage = new UsageService(store, log, new FakeClock(Date.UTC(2026, 10, 12, 18, 0)), () => {});
    const meter = usage.usage('x:1');
    expect(meter.today).toMatchObject({ posts: 359, ownPosts: 177, cost: 1.972 });
    expect(meter.today.posts + meter.today.ownPosts).toBe(536);
    expect(meter.month).toMatchObject({ posts: 369, ownPosts: 177 });
    expect(meter.monthlyBudget).toBe(5);
    expect(documents.aside.size).toBe(0);
    expect((store.read() as { schemaVersion: number }).schemaVersion).toBe(2);
  });

  it('pauses the polling of an X account whose monthly budget is spent, and says so in its columns', async () => {
    const x = new FakeNetwork('x');
    x.validTokens.add('tok');
    const ports = memoryPorts();
    const core = await createCore(ports, { networks: [x.module()] });
    const statuses: ColumnStatus[] = [];
    const usageEvents: AccountUsage[] = [];
    core.subscribe((channel, payload) => {
      if (channel === 'column.status') statuses.push(payload as ColumnStatus);
      if (channel === 'usage.changed') usageEvents.push(payload as AccountUsage);
    });
    await call(core, 'accounts.connect', {
      request: { network: 'x', method: 'x-oauth1', appKey: 'a', appSecret: 'b', accessToken: 'tok', accessSecret: 'c' },
      allowWeakStorage: true,
    });
    await call(core, 'usage.configure', { accountId: 'x:tok', monthlyBudget: 1 });
    const deck = (await call<Layout>(core, 'layout.get')).decks[0]!;
    const layout = await call<Layout>(core, 'column.add', {
      deckId: deck.id,
      spec: { kind: 'home', profileId: 'x:tok' },
    });
    const columnId = layout.decks[0]!.columns.at(-1)!.id;

    // Each poll reads 100 posts = $0.50: the second one spends the $1 budget. (The fake account
    // allows 300 requests per 5 minutes, shared by the column and count refreshes: a poll every
    // 2.4 s at most.)
    await ports.clock.advance(3_000);
    const [meter] = await call<AccountUsage[]>(core, 'usage.get');
    expect(meter).toMatchObject({ accountId: 'x:tok', month: { posts: 200, cost: 1 }, monthlyBudget: 1, paused: true });
    expect(usageEvents.at(-1)?.paused).toBe(true);
    await ports.clock.advance(10_000);
    expect((await call<AccountUsage[]>(core, 'usage.get'))[0]!.month.posts).toBe(200);
    expect(statuses.filter((s) => s.columnId === columnId).at(-1)).toMatchObject({
      state: 'paused',
      error: {
        reason: 'monthly-budget',
        message: "The monthly X budget of $1.00 is spent: this account's columns stopped polling.",
      },
    });

    // Raising the budget lets the column resume at its next check.
    await call(core, 'usage.configure', { accountId: 'x:tok', monthlyBudget: 1000 });
    await ports.clock.advance(60_000);
    expect(statuses.filter((s) => s.columnId === columnId).at(-1)?.state).toBe('live');
    expect(await core.dispatch('usage.configure', { accountId: 'sandbox:practice', monthlyBudget: 3 })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    core.stop();
  });
});
