// The renderer's analytics sync against the whole core over an in-memory transport: what main's
// collector delivers is stored, then acknowledged; a store that fails is not acknowledged and is
// stored on the next try; a window closed while deliveries arrive gets them all when it opens.
import { describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/app-core';
import { makeApi } from '../../../src/renderer/api';
import type { Bridge } from '../../../src/renderer/bridge';
import { startAnalyticsSync } from '../../../src/renderer/analytics/sync';
import type { IngestBatch } from '../../../src/renderer/analytics/archive-store';
import type { AnalyticsStatus } from '../../../src/shared/analytics-collection';
import { memoryPorts } from '../../doubles/ports';

/** The contract over a direct call to the core: what the preload or the WebSocket gives. */
function bridgeTo(core: Core): Bridge {
  return {
    invoke: (channel, payload) => core.dispatch(channel, payload),
    on: (channel, handler) => core.subscribe((c, p) => c === channel && handler(p)),
    onConnection: () => undefined,
  };
}

/** A store that keeps what it is given (and can be told to fail). */
function sink() {
  const stored: IngestBatch[] = [];
  let failures = 0;
  return {
    stored,
    failNext: (n: number) => void (failures = n),
    ingest: async (batch: IngestBatch) => {
      if (failures > 0) {
        failures--;
        throw new Error('QuotaExceededError');
      }
      stored.push(batch);
      return {};
    },
    posts: () => new Set(stored.flatMap((b) => b.posts ?? []).map((p) => p.id)),
  };
}

const until = async (what: string, check: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never: ${what}`);
};

const pendingOf = async (core: Core) => {
  const r = await core.dispatch('analytics.pending', {});
  return r.ok ? (r.value as { deliveries: unknown[] }).deliveries.length : -1;
};

describe('analytics sync (renderer)', () => {
  it('stores what main delivers, acknowledges after storing, and retries a store that failed', async () => {
    const ports = memoryPorts();
    const core = await createCore(ports);
    const bridge = bridgeTo(core);
    const store = sink();
    const statuses: AnalyticsStatus[] = [];
    store.failNext(1);
    const stop = startAnalyticsSync(bridge, makeApi(bridge), store, (s) => statuses.push(...s), { retryMs: 20 });
    await ports.clock.advance(61_000); // the practice profile's backfill
    const expected = ((await core.dispatch('analytics.statuses', {})) as { value: AnalyticsStatus[] }).value[0]!.posts;
    // The first store failed: nothing was acknowledged past it, and the retry stored it all.
    await until('every post stored', () => store.posts().size === expected);
    await until('everything acknowledged', async () => (await pendingOf(core)) === 0);
    expect(statuses.some((s) => s.backfill?.state === 'done')).toBe(true);
    stop();
    core.stop();
  });

  it('a window opened after the deliveries gets every one of them from main', async () => {
    const ports = memoryPorts();
    // Small backfill pages: many deliveries, more than one page of `analytics.pending`.
    const core = await createCore(ports, { analytics: { backfillPage: 5 } });
    await ports.clock.advance(90_000); // delivered while no window listens
    const first = (await core.dispatch('analytics.pending', {})) as { ok: true; value: { more: boolean } };
    expect(first.value.more).toBe(true); // more than one page of pending deliveries
    const bridge = bridgeTo(core);
    const store = sink();
    const stop = startAnalyticsSync(bridge, makeApi(bridge), store);
    const expected = ((await core.dispatch('analytics.statuses', {})) as { value: AnalyticsStatus[] }).value[0]!.posts;
    await until('every post stored', () => store.posts().size === expected);
    await until('everything acknowledged', async () => (await pendingOf(core)) === 0);
    stop();
    core.stop();
  });
});
