// The whole core (accounts, columns, publishing) with the real X module against the X emulator,
// both on one fake clock, with access tokens living 60 seconds: the account stays connected
// through an hour and a restart, never presents a refresh token twice, says "needs reconnect"
// when X refuses the renewal, and its columns wake at once when it is reconnected.
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/app-core';
import { xNetwork } from '../../../src/main/networks/registry';
import type { ColumnStatus } from '../../../src/shared/ipc/contract';
import type { Account, Layout } from '../../../src/shared/model';
import { memoryPorts } from '../../doubles/ports';
import { startXEmulator, type XEmulator } from '../../emulators/x';
import { postNow, sentPost } from '../../support/post-now';

const CLIENT_ID = 'deck-app';
type Ports = ReturnType<typeof memoryPorts>;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, ok: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

async function call<T = unknown>(core: Core, channel: string, payload: unknown = {}): Promise<T> {
  const result = await core.dispatch(channel, payload);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

interface Deck {
  core: Core;
  statuses: ColumnStatus[];
  accountEvents: Account[][];
  authorizeUrls: string[];
}

let ports: Ports;
let emu: XEmulator;
let port: number;
const cores: Core[] = [];

beforeEach(async () => {
  ports = memoryPorts();
  port = await freePort();
  emu = await startXEmulator({
    now: ports.clock.now,
    accessTokenTtlSec: 60,
    clients: [{ clientId: CLIENT_ID, redirectUri: `http://127.0.0.1:${port}/callback` }],
  });
});
afterEach(async () => {
  for (const core of cores.splice(0)) core.stop();
  await emu.close();
  expect(emu.violations).toEqual([]);
});

async function start(): Promise<Deck> {
  const core = await createCore(ports, { networks: [xNetwork] });
  cores.push(core);
  const deck: Deck = { core, statuses: [], accountEvents: [], authorizeUrls: [] };
  core.subscribe((channel, payload) => {
    if (channel === 'column.status') deck.statuses.push(payload as ColumnStatus);
    if (channel === 'accounts.changed') deck.accountEvents.push(payload as Account[]);
    if (channel === 'accounts.authorize') deck.authorizeUrls.push((payload as { url: string }).url);
  });
  return deck;
}

/** Signs in through the browser flow: the authorize page, then the loopback callback. */
async function connect(deck: Deck): Promise<Account> {
  const seen = deck.authorizeUrls.length;
  const pending = call<Account>(deck.core, 'accounts.connect', {
    request: { network: 'x', method: 'x-oauth2', clientId: CLIENT_ID, callbackPort: port, apiBase: emu.url },
  });
  await until('the authorize page', () => deck.authorizeUrls.length > seen);
  const page = await fetch(deck.authorizeUrls.at(-1)!, { redirect: 'manual' });
  expect(page.status).toBe(302);
  await (await fetch(page.headers.get('location')!)).text();
  return pending;
}

async function addColumns(deck: Deck, profileId: string): Promise<string[]> {
  const deckId = (await call<Layout>(deck.core, 'layout.get')).decks[0]!.id;
  const ids: string[] = [];
  for (const kind of ['home', 'mentions']) {
    const layout = await call<Layout>(deck.core, 'column.add', { deckId, spec: { kind, profileId } });
    ids.push(layout.decks[0]!.columns.at(-1)!.id);
  }
  return ids;
}

/** The deck's timers all armed again: every poll under way has finished. */
async function settle(armed: number): Promise<void> {
  await until('the polls to finish', () => ports.clock.pending() >= armed);
}

/** Refresh tokens presented to X, and those presented more than once. */
function presented(): { all: string[]; repeated: string[] } {
  const all = emu.control.refreshTokensPresented();
  return { all, repeated: all.filter((t, i) => all.indexOf(t) !== i) };
}

function lastStatus(deck: Deck, columnId: string): ColumnStatus | undefined {
  return deck.statuses.filter((s) => s.columnId === columnId).at(-1);
}

async function health(deck: Deck, accountId: string): Promise<Account['health']['state'] | undefined> {
  return (await call<Account[]>(deck.core, 'accounts.list')).find((a) => a.id === accountId)?.health.state;
}

/** The credentials the accounts document holds for the account (decrypted as main does). */
async function stored(accountId: string): Promise<{ refreshToken: string; accessToken: string; refusedAt?: number }> {
  const doc = JSON.parse(ports.documents.files.get('accounts')!) as {
    data: { accounts: { id: string; credentials: string }[] };
  };
  const record = doc.data.accounts.find((a) => a.id === accountId)!;
  return JSON.parse(await ports.secrets.decrypt(record.credentials)) as {
    refreshToken: string;
    accessToken: string;
  };
}

const timelineReads = () => emu.requests.filter((r) => /\/timelines\/reverse_chronological$/.test(r.path)).length;

describe('an X account with 60-second access tokens', () => {
  it('stays connected through an hour of columns and posting, and after a restart, presenting each refresh token once', async () => {
    const deck = await start();
    const account = await connect(deck);
    expect(account).toMatchObject({ network: 'x', health: { state: 'connected' }, connectedWith: 'x-oauth2' });
    const columns = await addColumns(deck, account.id);
    await until('both columns live', () => columns.every((c) => lastStatus(deck, c)?.state === 'live'));
    const armed = ports.clock.pending();

    let posted = 0;
    for (let second = 10; second <= 3600; second += 10) {
      await ports.clock.advance(10_000);
      await settle(armed);
      if (second % 300 === 0) {
        // Posted now through the outbox, as the composer does; sent before the hour goes on.
        const text = `Update number ${second / 300} from the deck`;
        const post = await sentPost(deck.core, await postNow(deck.core, { profileId: account.id, text }, ports.clock));
        expect(post.text).toBe(text);
        posted++;
      }
    }

    const errors = deck.statuses.filter((s) => s.state !== 'live');
    expect(errors).toEqual([]);
    expect(deck.accountEvents.flat().filter((a) => a.id === account.id && a.health.state !== 'connected')).toEqual([]);
    expect(await health(deck, account.id)).toBe('connected');
    expect(posted).toBe(12);
    // Home read all hour long: a quiet column polls at most every 2 minutes (twice X's 60 s pace).
    expect(timelineReads()).toBeGreaterThanOrEqual(30);
    const { all, repeated } = presented();
    expect(repeated).toEqual([]);
    expect(emu.control.grantsRevokedForReuse()).toBe(0);
    // 60 s tokens: a renewal before (nearly) every poll of the hour, none presented twice.
    expect(all.length).toBeGreaterThanOrEqual(30);

    // The stored pair is the live one: a restart (a new core on the same files) goes on with it.
    const before = await stored(account.id);
    expect(all).not.toContain(before.refreshToken);
    deck.core.stop();
    const again = await start();
    await until('the columns live again', () => columns.every((c) => lastStatus(again, c)?.state === 'live'));
    const armedAgain = ports.clock.pending();
    for (let i = 0; i < 18; i++) {
      await ports.clock.advance(10_000);
      await settle(armedAgain);
    }
    const after = presented();
    expect(after.all).toContain(before.refreshToken);
    expect(after.repeated).toEqual([]);
    expect(again.statuses.filter((s) => s.state !== 'live')).toEqual([]);
    expect(await health(again, account.id)).toBe('connected');
  }, 120_000);

  it('keeps the pair renewed while connecting, not the spent one', async () => {
    const deck = await start();
    // X refuses the first access token at once: the account check renews the pair while connecting.
    emu.control.refuseNextIssuedAccessTokens(1);
    const account = await connect(deck);
    expect(presented().all).toHaveLength(1);
    const kept = await stored(account.id);
    expect(kept.refreshToken).not.toBe(presented().all[0]);

    const columns = await addColumns(deck, account.id);
    await until('both columns live', () => columns.every((c) => lastStatus(deck, c)?.state === 'live'));
    const armed = ports.clock.pending();
    for (let i = 0; i < 12; i++) {
      await ports.clock.advance(10_000);
      await settle(armed);
    }
    expect(presented().all[1]).toBe(kept.refreshToken);
    expect(presented().repeated).toEqual([]);
    expect(await health(deck, account.id)).toBe('connected');
  });

  it('a refused renewal: "needs reconnect" on the account and in its columns, the token never presented again; reconnecting wakes the columns at once', async () => {
    const deck = await start();
    const account = await connect(deck);
    const columns = await addColumns(deck, account.id);
    await until('both columns live', () => columns.every((c) => lastStatus(deck, c)?.state === 'live'));
    const armed = ports.clock.pending();

    // The user removes the app in X's settings: the grant is revoked.
    const live = emu.requests.filter((r) => r.auth).at(-1)!.auth!;
    emu.control.revoke(live);
    const refusedToken = (await stored(account.id)).refreshToken;
    for (let i = 0; i < 60; i++) {
      await ports.clock.advance(10_000);
      await settle(armed);
    }
    expect(await health(deck, account.id)).toBe('needs-reconnect');
    for (const c of columns) {
      expect(lastStatus(deck, c)).toMatchObject({
        state: 'error',
        error: { code: 'auth-expired', reason: 'x-refresh-refused' },
      });
    }
    expect(presented().all.filter((t) => t === refusedToken)).toHaveLength(1);
    expect(await stored(account.id)).toMatchObject({ refusedAt: expect.any(Number) });

    // Reconnect: both columns poll within a second of "Connected", not after their back-off.
    const reads = timelineReads();
    const statuses = deck.statuses.length;
    const reconnected = await connect(deck);
    expect(reconnected).toMatchObject({ id: account.id, health: { state: 'connected' } });
    const connectedAt = ports.clock.now();
    await ports.clock.advance(1_000);
    await until('the columns live again', () =>
      columns.every((c) => deck.statuses.slice(statuses).some((s) => s.columnId === c && s.state === 'live')),
    );
    expect(ports.clock.now() - connectedAt).toBeLessThanOrEqual(1_000);
    expect(timelineReads()).toBeGreaterThan(reads);
    expect(await health(deck, account.id)).toBe('connected');
    expect(presented().all.filter((t) => t === refusedToken)).toHaveLength(1);
  }, 60_000);
});
