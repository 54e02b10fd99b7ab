// The whole core (accounts, layout, the monitor engine) with the real network modules against
// the X and Mastodon emulators: a hashtag column on a deck that is not shown sees a post made by
// another account within its own polling interval, and Mastodon's hashtag stream delivers with
// no poll at all, a dropped stream being caught up by polling.
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/app-core';
import type { ColumnStatus, FeedDelivery } from '../../../src/shared/ipc/contract';
import type { Account, Layout } from '../../../src/shared/model';
import { mastodonNetwork, xNetwork } from '../../../src/main/networks/registry';
import { memoryPorts } from '../../doubles/ports';
import { startXEmulator, type XEmulator } from '../../emulators/x';
import { startMastodonEmulator, type MastodonEmulator } from '../../emulators/mastodon';

async function call<T = unknown>(core: Core, channel: string, payload: unknown = {}): Promise<T> {
  const result = await core.dispatch(channel, payload);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(what: string, ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

interface Rig {
  core: Core;
  ports: ReturnType<typeof memoryPorts>;
  deliveries: FeedDelivery[];
  statuses: ColumnStatus[];
  /** Statuses before this index are not looked at by nextPollOf. */
  mark: number;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function rig(networks: Parameters<typeof createCore>[1]): Promise<Rig> {
  const ports = memoryPorts();
  const core = await createCore(ports, networks);
  cleanups.push(() => core.stop());
  const r: Rig = { core, ports, deliveries: [], statuses: [], mark: 0 };
  core.subscribe((channel, payload) => {
    if (channel === 'feed.delivery') {
      const d = payload as FeedDelivery;
      r.deliveries.push(d);
      // The renderer stores and acknowledges at once.
      void core.dispatch('events.ack', { upTo: d.seq });
    }
    if (channel === 'column.status') r.statuses.push(payload as ColumnStatus);
  });
  return r;
}

/** Adds a hashtag column to the first deck, then shows another deck: the column is hidden. */
async function hiddenHashtagColumn(r: Rig, profileId: string, tag: string): Promise<string> {
  r.mark = r.statuses.length;
  const deckId = (await call<Layout>(r.core, 'layout.get')).decks[0]!.id;
  const layout = await call<Layout>(r.core, 'column.add', {
    deckId,
    spec: { kind: 'hashtag', profileId, query: tag },
  });
  const columnId = layout.decks[0]!.columns.at(-1)!.id;
  await call(r.core, 'deck.create', { name: 'Elsewhere' });
  return columnId;
}

const textsIn = (r: Rig, columnId: string) =>
  r.deliveries
    .filter((d) => d.columnId === columnId)
    .flatMap((d) => d.entries.flatMap((e) => (e.post ? [e.post.text] : [])));

/** Lets the engine's polls run until the column's status says when it polls next. */
async function nextPollOf(r: Rig, columnId: string): Promise<number> {
  const seen = r.mark;
  await until('a poll of the column', () => r.statuses.slice(seen).some((s) => s.columnId === columnId && s.nextAt));
  const s = r.statuses
    .slice(seen)
    .filter((x) => x.columnId === columnId && x.nextAt)
    .at(-1)!;
  expect(s.state).toBe('live');
  return Date.parse(s.nextAt!);
}

/** Moves the fake clock to `at`, letting HTTP answers arrive between steps. */
async function advanceTo(r: Rig, at: number): Promise<void> {
  while (r.ports.clock.now() < at) {
    await r.ports.clock.advance(Math.min(5_000, at - r.ports.clock.now()));
    await sleep(5);
  }
  await r.ports.clock.advance(0);
}

describe('monitors against the X emulator', () => {
  it('a hashtag column on a deck that is not shown sees another account’s post within its polling interval', async () => {
    const r = await rig({ networks: [xNetwork] });
    const emu: XEmulator = await startXEmulator({ now: r.ports.clock.now });
    cleanups.push(() => emu.close());
    const keys = emu.control.issueOAuth1();
    const account = await call<Account>(r.core, 'accounts.connect', {
      request: { network: 'x', method: 'x-oauth1', ...keys, apiBase: emu.url },
    });
    const columnId = await hiddenHashtagColumn(r, account.id, 'IFPower');
    // The first poll (the column's first page), then the next is planned.
    let next = await nextPollOf(r, columnId);
    r.ports.clock.time += 1_000; // posted a second later
    emu.control.addTweet({ authorId: '1500000000000000010', text: 'Big news for #IFPower fans' });
    await advanceTo(r, next);
    await until('the post in the hidden column', () => textsIn(r, columnId).some((t) => t.includes('Big news')));
    // Its next polls go on while hidden (the interval holds for a hidden, quiet column).
    next = await nextPollOf(r, columnId);
    expect(next).toBeGreaterThan(r.ports.clock.now());
    expect(emu.violations).toEqual([]);
  });
});

describe('monitors against the X emulator: a hashtag nobody used yet', () => {
  it('an empty first page still gives a position: 60 posts made after it all arrive', async () => {
    const r = await rig({ networks: [xNetwork] });
    const emu: XEmulator = await startXEmulator({ now: r.ports.clock.now });
    cleanups.push(() => emu.close());
    const keys = emu.control.issueOAuth1();
    const account = await call<Account>(r.core, 'accounts.connect', {
      request: { network: 'x', method: 'x-oauth1', ...keys, apiBase: emu.url },
    });
    const columnId = await hiddenHashtagColumn(r, account.id, 'BrandNewTag');
    const next = await nextPollOf(r, columnId);
    for (let i = 1; i <= 60; i++) {
      r.ports.clock.time += 1_000;
      emu.control.addTweet({ authorId: '1500000000000000010', text: `Number ${i} #BrandNewTag` });
    }
    await advanceTo(r, Math.max(next, r.ports.clock.now()));
    await until('all 60', () => new Set(textsIn(r, columnId)).size === 60);
    expect(emu.violations).toEqual([]);
  });
});

describe('monitors against the Mastodon emulator', () => {
  async function connected(): Promise<{ r: Rig; emu: MastodonEmulator; account: Account }> {
    const r = await rig({ networks: [mastodonNetwork] });
    const emu = await startMastodonEmulator();
    cleanups.push(async () => {
      expect(emu.violations).toEqual([]);
      await emu.close();
    });
    const account = await call<Account>(r.core, 'accounts.connect', {
      request: { network: 'mastodon', method: 'mastodon-token', instanceUrl: emu.url, accessToken: emu.issueToken() },
    });
    return { r, emu, account };
  }

  it('a hashtag column on a deck that is not shown sees another account’s post within its polling interval', async () => {
    const { r, emu, account } = await connected();
    emu.hangStreaming(true); // no stream: polling alone
    const columnId = await hiddenHashtagColumn(r, account.id, 'IFPower');
    const next = await nextPollOf(r, columnId);
    emu.postAs('alice', 'Launch day #IFPower');
    await advanceTo(r, next);
    await until('the post in the hidden column', () => textsIn(r, columnId).some((t) => t.includes('Launch day')));
  });

  it('an empty first page still gives a position: 60 posts made after it all arrive', async () => {
    const { r, emu, account } = await connected();
    emu.hangStreaming(true); // polling alone
    const columnId = await hiddenHashtagColumn(r, account.id, 'BrandNewTag');
    const next = await nextPollOf(r, columnId);
    for (let i = 1; i <= 60; i++) emu.postAs('alice', `Number ${i} #BrandNewTag`);
    await advanceTo(r, next);
    await until('all 60', () => new Set(textsIn(r, columnId)).size === 60);
  });

  it('the hashtag stream delivers with no poll; a dropped stream is caught up by polling', async () => {
    const { r, emu, account } = await connected();
    const columnId = await hiddenHashtagColumn(r, account.id, 'IFPower');
    await nextPollOf(r, columnId);
    await until('the stream open', () => emu.openStreams() > 0);
    const polls = () => emu.requests.filter((q) => q.path.includes('/timelines/tag/')).length;
    const before = polls();
    // The clock does not move: no poll can happen, only the stream can bring it.
    emu.postAs('alice', 'Streamed #IFPower');
    await until('the streamed post', () => textsIn(r, columnId).some((t) => t.includes('Streamed')));
    expect(polls()).toBe(before);

    // The stream drops; what is posted meanwhile arrives by the catch-up poll the drop starts.
    emu.hangStreaming(true);
    expect(emu.dropStreams()).toBeGreaterThan(0);
    for (let i = 1; i <= 3; i++) emu.postAs('alice', `While down ${i} #IFPower`);
    await r.ports.clock.advance(0);
    await until('the catch-up', () =>
      [1, 2, 3].every((i) => textsIn(r, columnId).some((t) => t.includes(`While down ${i}`))),
    );
    expect(polls()).toBeGreaterThan(before);
  });
});
