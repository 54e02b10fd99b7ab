// The whole core with the real Bluesky module against a real local Bluesky network (PLC, PDS,
// AppView): a hashtag column on a deck that is not shown sees a post made by another account
// within its own polling interval, and a monitor column over that profile shows it marked with
// the profile that met it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/app-core';
import type { ColumnStatus, FeedDelivery } from '../../../src/shared/ipc/contract';
import type { Account, Layout } from '../../../src/shared/model';
import { columnFilters } from '../../../src/shared/filters';
import { blueskyNetwork } from '../../../src/main/networks/registry';
import { memoryPorts } from '../../doubles/ports';
import { startBlueskyNetwork, type BlueskyTestAccount, type BlueskyTestNetwork } from '../../support/bluesky-network';

let net: BlueskyTestNetwork;
let cora: BlueskyTestAccount;
let poppy: BlueskyTestAccount;

beforeAll(async () => {
  net = await startBlueskyNetwork();
  cora = await net.createAccount('cora');
  poppy = await net.createAccount('poppy');
}, 120_000);
afterAll(async () => {
  await net?.close();
}, 60_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
async function call<T = unknown>(core: Core, channel: string, payload: unknown = {}): Promise<T> {
  const result = await core.dispatch(channel, payload);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

const cores: Core[] = [];
afterEach(() => {
  for (const c of cores.splice(0)) c.stop();
});

describe('monitors against a local Bluesky network', () => {
  it('a hidden hashtag column and a monitor column see another account’s post within one polling interval', async () => {
    const ports = memoryPorts();
    const core = await createCore(ports, { networks: [blueskyNetwork] });
    cores.push(core);
    const deliveries: FeedDelivery[] = [];
    const statuses: ColumnStatus[] = [];
    core.subscribe((channel, payload) => {
      if (channel === 'feed.delivery') {
        deliveries.push(payload as FeedDelivery);
        void core.dispatch('events.ack', { upTo: (payload as FeedDelivery).seq });
      }
      if (channel === 'column.status') statuses.push(payload as ColumnStatus);
    });
    const account = await call<Account>(core, 'accounts.connect', {
      request: {
        network: 'bluesky',
        method: 'bluesky-app-password',
        service: net.pdsUrl,
        identifier: cora.handle,
        appPassword: cora.password,
      },
    });
    const deckId = (await call<Layout>(core, 'layout.get')).decks[0]!.id;
    await call(core, 'column.add', { deckId, spec: { kind: 'hashtag', profileId: account.id, query: 'IFPower' } });
    const layout = await call<Layout>(core, 'column.add', {
      deckId,
      spec: {
        kind: 'monitor',
        profileId: account.id,
        monitor: { hashtags: ['IFPower'], keywords: [], exclude: ['giveaway'], profileIds: [account.id] },
      },
    });
    const [hashtagId, monitorId] = layout.decks[0]!.columns.slice(-2).map((c) => c.id) as [string, string];
    await call(core, 'deck.create', { name: 'Elsewhere' }); // both columns now hidden

    const planned = (columnId: string) => statuses.filter((s) => s.columnId === columnId && s.nextAt).at(-1);
    await until('the first polls', () => planned(hashtagId)?.state === 'live' && planned(monitorId)?.state === 'live');
    const next = Math.max(Date.parse(planned(hashtagId)!.nextAt!), Date.parse(planned(monitorId)!.nextAt!));

    await net.post(poppy, 'Launch day #IFPower');
    await net.post(poppy, 'Win a giveaway #IFPower');
    await net.sync();
    while (ports.clock.now() < next) {
      await ports.clock.advance(Math.min(5_000, next - ports.clock.now()));
      await sleep(10);
    }
    const texts = (columnId: string) =>
      deliveries.filter((d) => d.columnId === columnId).flatMap((d) => d.entries.filter((e) => e.post));
    await until('the post in both columns', () =>
      [hashtagId, monitorId].every((id) => texts(id).some((e) => e.post!.text.includes('Launch day'))),
    );
    // The monitor marks it with the profile that met it, and leaves out its exclusion.
    expect(texts(monitorId).find((e) => e.post!.text.includes('Launch day'))?.via).toBe(account.id);
    await until('the second post in the hashtag column', () =>
      texts(hashtagId).some((e) => e.post!.text.includes('giveaway')),
    );
    // The exclusion reaches the column hidden (counted, one click to show), never dropped.
    const layoutNow = await call<Layout>(core, 'layout.get');
    const monitorColumn = layoutNow.decks.flatMap((d) => d.columns).find((c) => c.id === monitorId)!;
    await until('the excluded post in the monitor column', () =>
      texts(monitorId).some((e) => e.post!.text.includes('giveaway')),
    );
    const giveaway = texts(monitorId).find((e) => e.post!.text.includes('giveaway'))!;
    expect(columnFilters(monitorColumn).keep(giveaway)).toBe(false);
  }, 120_000);
});
