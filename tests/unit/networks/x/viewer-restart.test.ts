// The whole core with the real X module: a post the CM liked and reposted through Colonnade still
// shows liked and reposted after a restart (X timelines carry no viewer state; the account's
// memory document keeps her own actions).
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createCore, type Core } from '../../../../src/main/core/app-core';
import { xNetwork } from '../../../../src/main/networks/registry';
import type { Account, Layout, Page, TimelineEntry } from '../../../../src/shared/model';
import { memoryPorts } from '../../../doubles/ports';
import { startXEmulator, type XEmulator } from '../../../emulators/x';

let ports: ReturnType<typeof memoryPorts>;
let emu: XEmulator;
const cores: Core[] = [];

beforeEach(async () => {
  ports = memoryPorts();
  emu = await startXEmulator({ now: ports.clock.now, homePosts: 20 });
});
afterEach(async () => {
  for (const core of cores.splice(0)) core.stop();
  await emu.close();
  expect(emu.violations).toEqual([]);
});

async function call<T = unknown>(core: Core, channel: string, payload: unknown = {}): Promise<T> {
  const result = await core.dispatch(channel, payload);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

async function start(): Promise<Core> {
  const core = await createCore(ports, { networks: [xNetwork] });
  cores.push(core);
  return core;
}

async function home(core: Core, columnId: string): Promise<TimelineEntry[]> {
  const page = await call<Page<TimelineEntry>>(core, 'column.fetch', { columnId, direction: 'older', cursor: null });
  return page.items;
}

it('shows what the CM liked and reposted after a restart', async () => {
  const core = await start();
  const keys = emu.control.issueOAuth1();
  const account = await call<Account>(core, 'accounts.connect', {
    request: { network: 'x', method: 'x-oauth1', ...keys, apiBase: emu.url },
  });
  const deckId = (await call<Layout>(core, 'layout.get')).decks[0]!.id;
  const layout = await call<Layout>(core, 'column.add', { deckId, spec: { kind: 'home', profileId: account.id } });
  const columnId = layout.decks[0]!.columns.at(-1)!.id;

  const target = emu.control.addTweet({ authorId: '1500000000000000010', text: 'Like and share me' });
  const before = (await home(core, columnId)).find((e) => e.key === `x:${target.id}`)!;
  expect(before.post!.viewer).toBeUndefined();
  await call(core, 'post.act', { profileId: account.id, postId: `x:${target.id}`, action: 'like' });
  await call(core, 'post.act', { profileId: account.id, postId: `x:${target.id}`, action: 'repost' });
  core.stop();
  cores.splice(0);

  const restarted = await start();
  const items = await home(restarted, columnId);
  const shown = items.filter((e) => e.post?.id === `x:${target.id}`);
  // The post itself and her own retweet of it (at the top, reposted by her).
  expect(shown.map((e) => e.repostedBy?.handle ?? null)).toEqual(['colonnade_hq', null]);
  for (const e of shown) expect(e.post!.viewer).toEqual({ liked: true, reposted: true });
});
