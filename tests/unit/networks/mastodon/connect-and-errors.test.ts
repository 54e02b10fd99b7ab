// Connecting a Mastodon account (OAuth with PKCE, out-of-band code, pasted token) and what the
// user is told when the instance refuses, throttles, breaks or cannot be reached.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../../src/main/core/ports';
import {
  beginMastodonOAuth,
  completeMastodonOAuth,
  connectMastodonToken,
  createMastodonAdapter,
  normalizeInstanceUrl,
  OOB_REDIRECT,
  registerMastodonApp,
} from '../../../../src/main/networks/mastodon';
import { MemoryLogger } from '../../../doubles/ports';
import { failure, postsOf, setup, startEmulator } from './support';

const REDIRECT = 'http://127.0.0.1:53682/callback';

/** The browser step: the emulator approves at once and redirects; we read where to. */
async function authorize(url: string): Promise<URL> {
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location') ?? '');
}

describe('Connecting Mastodon', () => {
  it('registers the app, signs in with PKCE and gets a working token', async () => {
    const emulator = await startEmulator();
    const app = await registerMastodonApp(emulator.url, REDIRECT);
    const begin = beginMastodonOAuth({ instanceUrl: emulator.url, clientId: app.clientId, redirectUri: REDIRECT });
    const authorizeUrl = new URL(begin.url);
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizeUrl.searchParams.get('code_challenge')).not.toBe(begin.codeVerifier);
    const callback = await authorize(begin.url);
    expect(callback.origin + callback.pathname).toBe(REDIRECT);
    expect(callback.searchParams.get('state')).toBe(begin.state);

    const credentials = await completeMastodonOAuth(begin, callback.searchParams, app.clientSecret);
    expect(credentials).toMatchObject({
      instanceUrl: emulator.url,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
    });
    const adapter = createMastodonAdapter(credentials, {
      clock: systemClock,
      log: new MemoryLogger(),
      saveCredentials: async () => {},
    });
    expect((await adapter.verify()).handle).toBe(`colonnade_team@${emulator.domain}`);
  });

  it('refuses a callback from another attempt and a code exchanged without the right verifier', async () => {
    const emulator = await startEmulator();
    const app = await registerMastodonApp(emulator.url, REDIRECT);
    const begin = beginMastodonOAuth({ instanceUrl: emulator.url, clientId: app.clientId, redirectUri: REDIRECT });
    const callback = await authorize(begin.url);
    const forged = new URLSearchParams(callback.searchParams);
    forged.set('state', 'someone-else');
    expect((await failure(completeMastodonOAuth(begin, forged, app.clientSecret))).code).toBe('invalid');
    const stolen = { ...begin, codeVerifier: 'a'.repeat(64) };
    const refused = await failure(completeMastodonOAuth(stolen, callback.searchParams, app.clientSecret));
    expect(refused.code).toBe('invalid');
    expect(refused.message).toContain('PKCE');
    const denied = await failure(completeMastodonOAuth(begin, { error: 'access_denied' }, app.clientSecret));
    expect(denied.code).toBe('not-allowed');
  });

  it('accepts the code pasted from the out-of-band page', async () => {
    const emulator = await startEmulator();
    const app = await registerMastodonApp(emulator.url, OOB_REDIRECT);
    const begin = beginMastodonOAuth({ instanceUrl: emulator.url, clientId: app.clientId, redirectUri: OOB_REDIRECT });
    const page = await (await fetch(begin.url)).text();
    const code = /value="([^"]+)"/.exec(page)?.[1] ?? '';
    const credentials = await completeMastodonOAuth(begin, ` ${code} `, app.clientSecret);
    expect(credentials.accessToken.length).toBeGreaterThan(10);
  });

  it('checks a pasted token before keeping it', async () => {
    const emulator = await startEmulator();
    const token = emulator.issueToken('alice');
    const credentials = await connectMastodonToken(`${emulator.url}/`, `  ${token}\n`);
    expect(credentials).toEqual({ instanceUrl: emulator.url, accessToken: token });
    const wrong = await failure(connectMastodonToken(emulator.url, 'not-a-token'));
    expect(wrong.code).toBe('auth-expired');
    expect(wrong.message).not.toContain('not-a-token');
  });

  it('reads instance addresses the way people type them, and refuses plain http elsewhere', () => {
    expect(normalizeInstanceUrl('mastodon.social')).toBe('https://mastodon.social');
    expect(normalizeInstanceUrl('https://mastodon.social/@someone')).toBe('https://mastodon.social');
    expect(normalizeInstanceUrl('@me@fosstodon.org')).toBe('https://fosstodon.org');
    expect(normalizeInstanceUrl('http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000');
    expect(normalizeInstanceUrl('localhost:3000')).toBe('https://localhost:3000'); // host:port, not a scheme
    expect(() => normalizeInstanceUrl('javascript:alert(1)')).toThrow(/https/);
    expect(() => normalizeInstanceUrl('http://mastodon.social')).toThrow(/https/);
  });
});

describe('Mastodon failures in words', () => {
  it('says the sign-in expired when the token is revoked (401)', async () => {
    const { adapter, emulator, credentials, log } = await setup();
    await adapter.verify();
    emulator.revokeToken(credentials.accessToken);
    const err = await failure(adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 }));
    expect(err.code).toBe('auth-expired');
    expect(log.text()).not.toContain(credentials.accessToken);
    expect(err.message).not.toContain(credentials.accessToken);
  });

  it('says it is not allowed when the account is suspended (403)', async () => {
    const { adapter, emulator } = await setup();
    emulator.suspend('colonnade_team');
    const err = await failure(adapter.verify());
    expect(err.code).toBe('not-allowed');
    expect(err.message).toContain('Your login is currently disabled');
  });

  it('says not found for a deleted status (404)', async () => {
    const { adapter } = await setup();
    // Global ids carry the instance's domain: take it from a post the adapter returned.
    const [known] = postsOf(await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 1 }));
    const missing = known!.id.replace(/[^/]+$/, '123456789');
    expect(missing).toMatch(/^mastodon:[^/]+\/123456789$/);
    expect((await failure(adapter.act(missing, 'like'))).code).toBe('not-found');
  });

  it('passes on the instance’s own words when it refuses a post (422)', async () => {
    const { adapter } = await setup({ maxCharacters: 50 });
    const err = await failure(adapter.publish({ text: 'x'.repeat(51), idempotencyKey: 'too-long' }));
    expect(err.code).toBe('invalid');
    expect(err.message).toContain('Text character limit of 50 exceeded');
  });

  it('says when to come back once the budget is spent (429)', async () => {
    const { adapter, emulator } = await setup();
    emulator.setRateLimit(3, 60_000);
    await adapter.verify(); // instance + verify_credentials: 2 of 3
    await adapter.lists();
    const err = await failure(adapter.lists());
    expect(err.code).toBe('rate-limited');
    expect(err.resetAt).toBe(adapter.rateLimit()?.resetAt);
    expect(Date.parse(err.resetAt ?? '')).toBeGreaterThan(Date.now());
    expect(adapter.rateLimit()?.remaining).toBe(0);
  });

  it('calls server errors transient, JSON (503) or a proxy page (502)', async () => {
    const { adapter, emulator } = await setup();
    await adapter.verify();
    emulator.failNext({ status: 503, pathIncludes: '/timelines/home', error: 'Service Unavailable' });
    expect((await failure(adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 }))).code).toBe(
      'transient',
    );
    emulator.failNext({ status: 502, pathIncludes: '/timelines/home', html: true });
    expect((await failure(adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 }))).code).toBe(
      'transient',
    );
    expect((await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 })).items).toHaveLength(5);
  });

  it('calls an answer that is not Mastodon data invalid', async () => {
    const { adapter, emulator } = await setup();
    await adapter.verify();
    emulator.malformNext('/timelines/home');
    expect((await failure(adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 }))).code).toBe('invalid');
  });

  it('says offline when nothing answers at the address', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const adapter = createMastodonAdapter(
      { instanceUrl: `http://127.0.0.1:${port}`, accessToken: 'secret-token' },
      { clock: systemClock, log: new MemoryLogger(), saveCredentials: async () => {} },
    );
    const err = await failure(adapter.verify());
    expect(err.code).toBe('offline');
    expect(err.message).not.toContain('secret-token');
  });
});
