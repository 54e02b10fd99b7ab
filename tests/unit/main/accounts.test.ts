import { describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/app-core';
import { ColonnadeError } from '../../../src/shared/errors';
import type { Account, Layout } from '../../../src/shared/model';
import type { NetworkAdapter } from '../../../src/shared/adapter';
import type { ColumnStatus } from '../../../src/shared/ipc/contract';
import type { AdapterContext, NetworkModule } from '../../../src/main/networks/module';
import { xNetwork } from '../../../src/main/networks/registry';
import { FakeNetwork } from '../../doubles/fake-network';
import { flush, memoryPorts } from '../../doubles/ports';
import { ME_ID, startXEmulator } from '../../emulators/x';

const TOKEN = 'brand-token-SECRET-123';

async function call<T = unknown>(core: Core, channel: string, payload: unknown = {}): Promise<T> {
  const result = await core.dispatch(channel, payload);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

async function setup(strong = true) {
  const fake = new FakeNetwork();
  fake.validTokens.add(TOKEN);
  const ports = memoryPorts({
    secrets: {
      isStrong: async () => strong,
      // A reversible but unrecognisable encoding, like safeStorage's output.
      encrypt: async (s) => `enc:${Buffer.from(s).toString('base64').split('').reverse().join('')}`,
      decrypt: async (s) => Buffer.from(s.slice(4).split('').reverse().join(''), 'base64').toString(),
    },
  });
  const seen: string[] = [];
  const core = await createCore(ports, { networks: [fake.module()] });
  core.subscribe((channel, payload) => seen.push(JSON.stringify({ channel, payload })));
  const connectToken = (allowWeakStorage = false) =>
    core.dispatch('accounts.connect', {
      request: {
        network: 'mastodon',
        method: 'mastodon-token',
        instanceUrl: 'https://social.example',
        accessToken: TOKEN,
      },
      allowWeakStorage,
    });
  return { fake, ports, core, seen, connectToken };
}

describe('accounts', () => {
  it('connects an account, and no response, event, log line or stored file holds its token', async () => {
    const { core, ports, seen, connectToken } = await setup();
    const result = await connectToken();
    expect(result).toMatchObject({
      ok: true,
      value: {
        id: 'mastodon:brand',
        network: 'mastodon',
        server: 'https://social.example',
        health: { state: 'connected' },
      },
    });
    const accounts = await call<Account[]>(core, 'accounts.list');
    expect(accounts.map((a) => a.id)).toEqual(['sandbox:practice', 'mastodon:brand']);
    expect(accounts[1]!.columnKinds).toEqual(['home', 'hashtag']);

    const deck = (await call<Layout>(core, 'layout.get')).decks[0]!;
    await call(core, 'column.add', { deckId: deck.id, spec: { kind: 'home', profileId: 'mastodon:brand' } });
    await ports.clock.advance(5_000);

    const everything = [
      JSON.stringify(result),
      JSON.stringify(accounts),
      ...seen,
      ports.log.text(),
      ...ports.documents.files.values(),
    ].join('\n');
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain('SECRET');
    expect(seen.some((e) => e.includes('"channel":"accounts.changed"'))).toBe(true);
    core.stop();
  });

  it('asks before storing credentials where the OS has no keyring, and says why', async () => {
    const { core, connectToken } = await setup(false);
    const refused = await connectToken(false);
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'not-allowed',
        field: 'allowWeakStorage',
        message:
          'This computer has no keyring to protect saved passwords, so Colonnade can only obfuscate them on disk.',
      },
    });
    expect((await call<Account[]>(core, 'accounts.list')).length).toBe(1);
    expect((await connectToken(true)).ok).toBe(true);
    core.stop();
  });

  it('keeps accounts across a restart, decrypting them only in main', async () => {
    const { ports, core, fake, connectToken } = await setup();
    await connectToken();
    core.stop();
    const again = await createCore(ports, { networks: [fake.module()] });
    const accounts = await call<Account[]>(again, 'accounts.list');
    expect(accounts.map((a) => [a.id, a.health.state])).toEqual([
      ['sandbox:practice', 'connected'],
      ['mastodon:brand', 'connected'],
    ]);
    expect(await call(again, 'column.lists', { profileId: 'mastodon:brand' })).toEqual([
      { id: '7', name: 'Press', kind: 'list' },
    ]);
    again.stop();
  });

  it('marks an account whose token was revoked as needing reconnection, keeps it and its columns, and reconnects it', async () => {
    const { core, ports, fake, connectToken } = await setup();
    await connectToken();
    const deck = (await call<Layout>(core, 'layout.get')).decks[0]!;
    await call(core, 'column.add', { deckId: deck.id, spec: { kind: 'home', profileId: 'mastodon:brand' } });
    fake.validTokens.delete(TOKEN);
    await ports.clock.advance(3_000);
    const brand = (await call<Account[]>(core, 'accounts.list')).find((a) => a.id === 'mastodon:brand');
    expect(brand?.health).toEqual({ state: 'needs-reconnect' });
    expect((await call<Layout>(core, 'layout.get')).decks[0]!.columns.map((c) => c.profileId)).toContain(
      'mastodon:brand',
    );

    fake.validTokens.add(TOKEN);
    expect((await connectToken()).ok).toBe(true);
    await ports.clock.advance(3_000);
    const after = await call<Account[]>(core, 'accounts.list');
    expect(after.filter((a) => a.id === 'mastodon:brand').map((a) => a.health.state)).toEqual(['connected']);
    core.stop();
  });

  it('shows a rate limit in the column that hit it until it resets, not on the whole account', async () => {
    const { core, ports, fake, connectToken } = await setup();
    await connectToken();
    const deck = (await call<Layout>(core, 'layout.get')).decks[0]!;
    const until = new Date(ports.clock.now() + 60_000).toISOString();
    fake.failNextRead = new ColonnadeError('rate-limited', 'Too many requests', { resetAt: until });
    await call(core, 'column.add', {
      deckId: deck.id,
      spec: { kind: 'hashtag', profileId: 'mastodon:brand', query: 'news' },
    });
    const statuses: ColumnStatus[] = [];
    core.subscribe((channel, payload) => {
      if (channel === 'column.status') statuses.push(payload as ColumnStatus);
    });
    await ports.clock.advance(1);
    const layout = await call<Layout>(core, 'layout.get');
    const columnId = layout.decks[0]!.columns.at(-1)!.id;
    const ofColumn = () => statuses.filter((s) => s.columnId === columnId).at(-1);
    expect(ofColumn()).toMatchObject({ state: 'error', error: { code: 'rate-limited', resetAt: until } });
    // One endpoint's limit: the account itself stays connected (its other columns go on).
    expect((await call<Account[]>(core, 'accounts.list'))[1]!.health).toEqual({ state: 'connected' });
    await ports.clock.advance(61_000);
    expect(ofColumn()?.state).toBe('live');
    core.stop();
  });

  it('stores refreshed credentials encrypted, before they are used', async () => {
    const { core, ports, fake, connectToken } = await setup();
    await connectToken();
    const ctx = fake.contexts.at(-1)!;
    await ctx.saveCredentials({
      instanceUrl: 'https://social.example',
      accessToken: 'rotated-SECRET-2',
      generation: 2,
    });
    const stored = ports.documents.files.get('accounts')!;
    expect(stored).not.toContain('rotated');
    await expect(ctx.saveCredentials({ broken: true } as never)).rejects.toThrow();
    core.stop();
  });

  it('runs an OAuth flow: shows the authorization page, waits for approval, and can be cancelled', async () => {
    const { core, fake, seen } = await setup();
    const oauth = { network: 'mastodon', method: 'mastodon-oauth', instanceUrl: 'https://social.example' };
    const pending = core.dispatch('accounts.connect', { request: oauth });
    await flush();
    expect(
      seen.some(
        (e) => e.includes('"channel":"accounts.authorize"') && e.includes('https://social.example/oauth/authorize'),
      ),
    ).toBe(true);
    fake.approveAs('studio-token');
    expect(await pending).toMatchObject({ ok: true, value: { id: 'mastodon:studio' } });

    const cancelled = core.dispatch('accounts.connect', { request: oauth });
    await flush();
    await call(core, 'accounts.cancel');
    expect(await cancelled).toMatchObject({ ok: false, error: { code: 'invalid', message: 'Connection cancelled.' } });
    core.stop();
  });

  it('removes an account; its columns stay and say the profile is gone', async () => {
    const { core, ports, connectToken } = await setup();
    await connectToken();
    const deck = (await call<Layout>(core, 'layout.get')).decks[0]!;
    await call(core, 'column.add', { deckId: deck.id, spec: { kind: 'home', profileId: 'mastodon:brand' } });
    await call(core, 'accounts.remove', { accountId: 'mastodon:brand' });
    expect((await call<Account[]>(core, 'accounts.list')).map((a) => a.id)).toEqual(['sandbox:practice']);
    expect(ports.documents.files.get('accounts')).not.toContain('mastodon:brand');
    const column = (await call<Layout>(core, 'layout.get')).decks[0]!.columns.at(-1)!;
    expect(
      await core.dispatch('column.fetch', { columnId: column.id, direction: 'older', cursor: null }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: 'The profile of this column is no longer connected.' },
    });
    expect(await core.dispatch('accounts.remove', { accountId: 'mastodon:brand' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    core.stop();
  });

  it('removing an X account deletes what was remembered of the CM’s likes and reposts, and only that', async () => {
    const emu = await startXEmulator();
    try {
      const ports = memoryPorts();
      const core = await createCore(ports, { networks: [xNetwork] });
      const keys = emu.control.issueOAuth1();
      const account = await call<Account>(core, 'accounts.connect', {
        request: { network: 'x', method: 'x-oauth1', ...keys, apiBase: emu.url },
      });
      expect(account.id).toBe(`x:${ME_ID}`);
      const post = emu.control.addTweet({ authorId: '1500000000000000010', text: 'Like me' });
      await call(core, 'post.act', { profileId: account.id, postId: `x:${post.id}`, action: 'like' });
      // The like is remembered on disk (X timelines carry no viewer state)…
      const memory = `memory-x_${ME_ID}`;
      expect(ports.documents.files.get(memory)).toContain(post.id);
      // …beside another account's memory, which is not this account's to delete.
      ports.documents.files.set(
        'memory-x_42',
        JSON.stringify({ viewer: { version: 1, posts: [{ id: '9', liked: true }] } }),
      );

      await call(core, 'accounts.remove', { accountId: account.id });
      expect(ports.documents.files.has(memory)).toBe(false);
      expect(ports.documents.files.has('memory-x_42')).toBe(true);
      expect(emu.violations).toEqual([]);
      core.stop();
    } finally {
      await emu.close();
    }
  });

  it('validates what the user typed, with words they understand', async () => {
    const { core } = await setup();
    const bad = await core.dispatch('accounts.connect', {
      request: { network: 'mastodon', method: 'mastodon-token', instanceUrl: 'mastodon social', accessToken: 'x' },
    });
    expect(bad).toMatchObject({
      ok: false,
      error: {
        code: 'bad-request',
        field: 'request.instanceUrl',
        reason: 'address-full-mastodon',
        message: 'Enter the instance’s address, like https://mastodon.social',
      },
    });
    const unknown = await core.dispatch('accounts.connect', {
      request: { network: 'bluesky', method: 'bluesky-app-password', identifier: 'me', appPassword: 'p' },
    });
    expect(unknown).toMatchObject({
      ok: false,
      error: { code: 'not-allowed', message: 'Colonnade cannot connect bluesky accounts yet.' },
    });
    core.stop();
  });

  it('remembers how each account was connected, so Reconnect offers that form', async () => {
    const { core, fake, connectToken } = await setup();
    await connectToken();
    const oauth = core.dispatch('accounts.connect', {
      request: { network: 'mastodon', method: 'mastodon-oauth', instanceUrl: 'https://social.example' },
    });
    await flush();
    fake.approveAs('studio-token');
    await oauth;
    const accounts = await call<Account[]>(core, 'accounts.list');
    expect(accounts.map((a) => [a.id, a.connectedWith])).toEqual([
      ['sandbox:practice', undefined],
      ['mastodon:brand', 'mastodon-token'],
      ['mastodon:studio', 'mastodon-oauth'],
    ]);
    core.stop();
  });

  it('an account stored before that was recorded gets it from its credentials (X OAuth 1.0a keys)', async () => {
    const ports = memoryPorts();
    const creds = {
      kind: 'oauth1',
      appKey: 'k',
      appSecret: 's',
      accessToken: 't',
      accessSecret: 'a',
      apiBase: 'http://127.0.0.1:9',
    };
    ports.documents.files.set(
      'accounts',
      JSON.stringify({
        schemaVersion: 1,
        data: {
          accounts: [
            {
              id: 'x:42',
              network: 'x',
              profile: { id: 'x:42', network: 'x', handle: 'brand', displayName: 'Brand', avatarUrl: null, url: null },
              server: 'http://127.0.0.1:9',
              health: { state: 'connected' },
              addedAt: '2026-01-01T00:00:00.000Z',
              credentials: await ports.secrets.encrypt(JSON.stringify(creds)),
            },
          ],
        },
      }),
    );
    const core = await createCore(ports, { networks: [xNetwork] });
    const x = (await call<Account[]>(core, 'accounts.list')).find((a) => a.id === 'x:42');
    expect(x?.connectedWith).toBe('x-oauth1');
    core.stop();
  });

  it('stores the credentials renewed while checking the account, and ignores what a replaced connection saves', async () => {
    // A network whose tokens are single-use: checking the account renews them.
    const spent = new Set<string>();
    const contexts: AdapterContext<{ token: string }>[] = [];
    let renewals = 0;
    const rotating: NetworkModule<{ token: string }> = {
      network: 'mastodon',
      parseCredentials: async (raw) => raw as { token: string },
      server: () => 'https://rotating.example',
      connect: async (request) => ({ token: request.method === 'mastodon-token' ? request.accessToken : 'oauth' }),
      createAdapter: async (credentials, ctx) => {
        contexts.push(ctx);
        let creds = credentials;
        const use = async () => {
          if (spent.has(creds.token)) throw new ColonnadeError('auth-expired', 'spent token presented');
          spent.add(creds.token);
          creds = { token: `${creds.token.split('#')[0]}#${++renewals}` };
          await ctx.saveCredentials(creds);
        };
        const adapter: NetworkAdapter = {
          network: 'mastodon',
          verify: async () => {
            await use();
            return {
              id: 'mastodon:brand',
              network: 'mastodon',
              handle: 'brand',
              displayName: 'Brand',
              avatarUrl: null,
              url: null,
            };
          },
          columnKinds: () => ['home'],
          textRules: () => ({ counting: 'characters', maxLength: 500, maxImages: 4, maxAltLength: 1500 }),
          readTimeline: async () => {
            await use();
            return { items: [], older: null, newer: null };
          },
          refreshMetrics: async () => ({ metrics: new Map(), gone: [] }),
          lists: async () => [],
          act: async () => undefined,
          publish: async () => {
            throw new Error('unused');
          },
          pollIntervalMs: () => 60_000,
          rateLimit: () => null,
          rateBucket: () => ({ bucket: 'account', limit: 300, windowMs: 300_000 }),
          thread: async () => {
            throw new Error('unused');
          },
          profile: async () => {
            throw new Error('unused');
          },
        };
        return adapter;
      },
    };
    const ports = memoryPorts();
    const core = await createCore(ports, { networks: [rotating] });
    const request = { network: 'mastodon', method: 'mastodon-token', instanceUrl: 'https://rotating.example' };
    await call(core, 'accounts.connect', { request: { ...request, accessToken: 'first' } });
    const storedToken = async () => {
      const doc = JSON.parse(ports.documents.files.get('accounts')!) as {
        data: { accounts: { credentials: string }[] };
      };
      return (JSON.parse(await ports.secrets.decrypt(doc.data.accounts[0]!.credentials)) as { token: string }).token;
    };
    // The check spent "first": what is stored is its successor, not the spent token.
    expect(await storedToken()).toBe('first#1');
    expect(contexts).toHaveLength(1); // no second adapter holding the spent token

    // Columns read with the stored pair, and a restart goes on from it.
    const deckId = (await call<Layout>(core, 'layout.get')).decks[0]!.id;
    await call(core, 'column.add', { deckId, spec: { kind: 'home', profileId: 'mastodon:brand' } });
    await ports.clock.advance(0);
    expect(await storedToken()).toBe('first#2');
    core.stop();
    const again = await createCore(ports, { networks: [rotating] });
    await ports.clock.advance(0);
    expect(await storedToken()).toBe('first#3');
    expect((await call<Account[]>(again, 'accounts.list'))[1]!.health).toEqual({ state: 'connected' });

    // Reconnected: the old connection's late save must not overwrite the new pair.
    const old = contexts.at(-1)!;
    await call(again, 'accounts.connect', { request: { ...request, accessToken: 'second' } });
    await ports.clock.advance(0);
    const current = await storedToken();
    expect(current).toMatch(/^second#/);
    await old.saveCredentials({ token: 'first#99' });
    expect(await storedToken()).toBe(current);
    again.stop();
  });

  it('reconnecting wakes the account’s columns at once, not after their back-off', async () => {
    const { core, ports, fake, seen, connectToken } = await setup();
    await connectToken();
    const deck = (await call<Layout>(core, 'layout.get')).decks[0]!;
    const layout = await call<Layout>(core, 'column.add', {
      deckId: deck.id,
      spec: { kind: 'home', profileId: 'mastodon:brand' },
    });
    const columnId = layout.decks[0]!.columns.at(-1)!.id;
    fake.validTokens.delete(TOKEN);
    // Signed out for a few minutes: the column's back-off has grown far beyond a second.
    await ports.clock.advance(240_000);
    const statuses = () =>
      seen
        .map((e) => JSON.parse(e) as { channel: string; payload: ColumnStatus })
        .filter((e) => e.channel === 'column.status' && e.payload.columnId === columnId)
        .map((e) => e.payload);
    expect(statuses().at(-1)).toMatchObject({ state: 'error', error: { code: 'auth-expired' } });
    const before = statuses().length;

    fake.validTokens.add(TOKEN);
    expect((await connectToken()).ok).toBe(true);
    await ports.clock.advance(1_000);
    expect(
      statuses()
        .slice(before)
        .map((s) => s.state),
    ).toContain('live');
    core.stop();
  });
});
