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
    usage.record('x:1', { posts: 100, ownPosts: 10 });
    clock.time += 2 * 3_600_000; // into December: a new day and a new month
    usage.record('x:1', { posts: 40, ownPosts: 0 });
    expect(usage.usage('x:1')).toEqual({
      accountId: 'x:1',
      today: { posts: 40, ownPosts: 0, cost: 0.2 },
      month: { posts: 40, ownPosts: 0, cost: 0.2 },
      prices: { post: 0.005, ownPost: 0.001 },
      monthlyBudget: null,
      paused: false,
    });
    clock.time -= 2 * 3_600_000;
    expect(usage.usage('x:1').month).toEqual({ posts: 100, ownPosts: 10, cost: 0.51 });
    const repriced = usage.configure('x:1', { prices: { post: 0.01, ownPost: 0 } });
    expect(repriced.month.cost).toBe(1);
    expect(changed.length).toBe(3);
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

    // Each poll reads 100 posts = $0.50: the second one spends the $1 budget.
    await ports.clock.advance(1_500);
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
