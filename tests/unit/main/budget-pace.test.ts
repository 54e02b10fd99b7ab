import { describe, expect, it } from 'vitest';
import { budgetPace } from '../../../src/main/core/app-core';
import { MonitorEngine } from '../../../src/main/core/monitors/engine';
import type { ColumnStatus } from '../../../src/shared/ipc/contract';
import { FakeClock, MemoryDocuments, MemoryLogger } from '../../doubles/ports';
import { TimelineNetwork } from '../../doubles/timeline-network';

describe('the X monthly budget’s pace', () => {
  const at = (day: number) => Date.UTC(2026, 10, day, 0, 0, 0); // November: 30 days

  it('slows polling in proportion when the budget is spent faster than the month goes', () => {
    // Half the budget spent a quarter into the month (7.5 of 30 days): twice as slow.
    expect(budgetPace({ month: { cost: 50 }, monthlyBudget: 100 }, at(1) + 7.5 * 86_400_000)?.factor).toBeCloseTo(2);
    // On pace or under: no slowdown.
    expect(budgetPace({ month: { cost: 25 }, monthlyBudget: 100 }, at(1) + 15 * 86_400_000)).toBeNull();
    // Never more than 10×; no budget, or the first day of the month: nothing to judge.
    expect(budgetPace({ month: { cost: 99 }, monthlyBudget: 100 }, at(3))?.factor).toBe(10);
    expect(budgetPace({ month: { cost: 99 }, monthlyBudget: null }, at(20))).toBeNull();
    expect(budgetPace({ month: { cost: 99 }, monthlyBudget: 100 }, at(1) + 3_600_000)).toBeNull();
  });

  it('a slowed column says why and when it polls next', async () => {
    const clock = new FakeClock();
    const net = new TimelineNetwork(clock, { network: 'x', profileId: 'x:cm', pollIntervalMs: 60_000 });
    const statuses: ColumnStatus[] = [];
    const engine = new MonitorEngine({
      clock,
      log: new MemoryLogger(),
      adapterFor: () => net.adapter(),
      networkOf: () => 'x',
      positions: new MemoryDocuments().open('monitors'),
      deliver: () => 1,
      status: (s) => statuses.push(s),
      slowdown: () => ({ factor: 3, reason: 'monthly-budget-pace' }),
    });
    engine.follow([{ id: 'c', kind: 'home', profileId: 'x:cm', width: 340 }], ['c']);
    await clock.advance(0);
    const s = statuses.at(-1)!;
    expect(s).toMatchObject({ state: 'live', slowed: 'monthly-budget-pace' });
    // 60 s × 1.5 (nothing new on its first poll) × 3 (the budget's pace).
    expect(Date.parse(s.nextAt!) - clock.now()).toBe(270_000);
    engine.stop();
  });
});
