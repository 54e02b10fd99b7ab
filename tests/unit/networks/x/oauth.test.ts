// Connecting and staying connected: OAuth 2.0 PKCE through the loopback callback, refresh before
// expiry with single-use refresh tokens, and the loopback callback itself.
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ColonnadeError } from '../../../../src/shared/errors';
import {
  REFRESH_MARGIN_MS,
  X_SCOPES,
  beginXOAuth2,
  completeXOAuth2,
  createXAdapter,
  type XCredentials,
} from '../../../../src/main/networks/x';
import { startLoopbackCallback } from '../../../../src/main/networks/oauth-loopback';
import { ME_USERNAME, startXEmulator, type XEmulator } from '../../../emulators/x';
import { CLIENT, clock, memoryLogger, oauth2Creds } from './harness';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let emu: XEmulator;
let port: number;
const redirectPath = '/x/callback';

beforeAll(async () => {
  port = await freePort();
  emu = await startXEmulator({
    clients: [CLIENT, { clientId: 'pkce-app', redirectUri: `http://127.0.0.1:${port}${redirectPath}` }],
  });
});
afterAll(async () => {
  await emu.close();
});
afterEach(() => {
  const violations = emu.violations.splice(0);
  expect(violations).toEqual([]);
});

describe('X OAuth 2.0 with PKCE', () => {
  it('connects through the authorize page and the loopback callback', async () => {
    const loopback = await startLoopbackCallback({ port, path: redirectPath, timeoutMs: 10_000 });
    expect(loopback.redirectUri).toBe(`http://127.0.0.1:${port}/x/callback`);
    const begin = beginXOAuth2({
      clientId: 'pkce-app',
      apiBase: emu.url,
      redirectUri: loopback.redirectUri,
      scopes: ['tweet.read', 'users.read'],
    });
    const url = new URL(begin.url);
    expect(url.origin).toBe(emu.url);
    expect(url.pathname).toBe('/i/oauth2/authorize');
    expect(url.searchParams.get('scope')?.split(' ')).toContain('offline.access');

    // The browser: the authorize page redirects to the loopback, which answers a page.
    const authorize = await fetch(begin.url, { redirect: 'manual' });
    expect(authorize.status).toBe(302);
    const callback = authorize.headers.get('location')!;
    expect(callback.startsWith(loopback.redirectUri + '?')).toBe(true);
    const page = await fetch(callback);
    const html = await page.text();
    expect(html).toContain('You can return to Colonnade');
    expect(html).toContain('Vous pouvez revenir à Colonnade');

    const query = await loopback.result;
    const creds = await completeXOAuth2(begin, query);
    expect(creds).toMatchObject({ kind: 'oauth2', clientId: 'pkce-app', apiBase: emu.url });
    const adapter = createXAdapter(creds, { clock, log: memoryLogger(), saveCredentials: async () => {} });
    expect((await adapter.verify()).handle).toBe(ME_USERNAME);

    // The code is single-use, and a state from another sign-in is refused.
    await expect(completeXOAuth2(begin, query)).rejects.toBeInstanceOf(ColonnadeError);
    const other = new URLSearchParams(query);
    other.set('state', 'forged');
    await expect(completeXOAuth2(begin, other)).rejects.toMatchObject({ code: 'invalid' });
  });

  it('the authorize page refuses a callback URL that is not the registered one', async () => {
    const begin = beginXOAuth2({
      clientId: 'pkce-app',
      apiBase: emu.url,
      redirectUri: `http://localhost:${port}${redirectPath}`,
      scopes: X_SCOPES,
    });
    const res = await fetch(begin.url, { redirect: 'manual' });
    expect(res.status).toBe(400);
  });

  it('a wrong PKCE verifier fails at the token endpoint', async () => {
    const begin = beginXOAuth2({
      clientId: 'pkce-app',
      apiBase: emu.url,
      redirectUri: `http://127.0.0.1:${port}${redirectPath}`,
      scopes: X_SCOPES,
    });
    const res = await fetch(begin.url, { redirect: 'manual' });
    const query = new URL(res.headers.get('location')!).searchParams;
    const err = await completeXOAuth2({ ...begin, codeVerifier: 'x'.repeat(64) }, query).then(
      () => null,
      (e: unknown) => e as ColonnadeError,
    );
    expect(err?.code).toBe('auth-expired');
  });
});

describe('X OAuth 2.0 refresh', () => {
  it('refreshes once for concurrent callers, saves the pair before using it, and the old refresh token is spent', async () => {
    // Expires within the refresh margin: the first call must refresh.
    const creds = oauth2Creds(emu, Math.floor(REFRESH_MARGIN_MS / 1000) - 60);
    const saved: XCredentials[] = [];
    let requestsAtSave = -1;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const adapter = createXAdapter(creds, {
      clock,
      log: memoryLogger(),
      saveCredentials: async (next) => {
        requestsAtSave = emu.requests.length;
        saved.push(next);
        await gate;
      },
    });
    const calls = Promise.all([
      adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 }),
      adapter.readTimeline({ kind: 'mentions', direction: 'older', limit: 5 }),
      adapter.lists(),
    ]);
    // Let the refresh reach saveCredentials, then check nothing used the new token before it was saved.
    await new Promise((resolve) => setImmediate(resolve));
    while (saved.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(emu.requests.length).toBe(requestsAtSave);
    release();
    await calls;

    expect(emu.control.refreshCount()).toBe(1);
    expect(saved).toHaveLength(1);
    const next = saved[0]!;
    expect(next.kind === 'oauth2' && next.refreshToken !== (creds.kind === 'oauth2' ? creds.refreshToken : '')).toBe(
      true,
    );
    const after = emu.requests.slice(requestsAtSave).filter((q) => q.auth);
    expect(after.length).toBeGreaterThanOrEqual(3);
    for (const q of after) expect(q.auth).toBe(next.accessToken);

    // Reusing the spent refresh token fails at the emulator.
    const reuse = await fetch(`${emu.url}/2/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: creds.kind === 'oauth2' ? creds.refreshToken : '',
        client_id: CLIENT.clientId,
      }).toString(),
    });
    // X's answer to a spent refresh token, and the whole grant goes with it (rotation rule).
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({
      error: 'invalid_request',
      error_description: 'Value passed for the token was invalid.',
    });
    expect(emu.control.grantsRevokedForReuse()).toBe(1);
    await expect(adapter.verify()).rejects.toMatchObject({ code: 'auth-expired', reason: 'x-refresh-refused' });
  });

  it('a refresh X refuses is auth-expired, with the reason', async () => {
    const creds = oauth2Creds(emu, 10);
    emu.control.revoke(creds.kind === 'oauth2' ? creds.accessToken : '');
    const adapter = createXAdapter(creds, { clock, log: memoryLogger(), saveCredentials: async () => {} });
    await expect(adapter.verify()).rejects.toMatchObject({ code: 'auth-expired', reason: 'x-refresh-refused' });
  });

  it('the pair X answers to the code is dated, so a 60 s token gets a margin that fits it', async () => {
    const begin = beginXOAuth2({
      clientId: 'pkce-app',
      apiBase: emu.url,
      redirectUri: `http://127.0.0.1:${port}${redirectPath}`,
      scopes: X_SCOPES,
    });
    emu.control.setAccessTokenTtl(60);
    try {
      const res = await fetch(begin.url, { redirect: 'manual' });
      const query = new URL(res.headers.get('location')!).searchParams;
      const at = Date.UTC(2026, 10, 25, 9, 0, 0);
      const creds = await completeXOAuth2(begin, query, () => at);
      expect(creds).toMatchObject({ kind: 'oauth2', issuedAt: at, expiresAt: at + 60_000 });
    } finally {
      emu.control.setAccessTokenTtl(7200);
    }
  });
});

describe('loopback callback', () => {
  it('rejects after the timeout and frees the port', async () => {
    const p = await freePort();
    const loopback = await startLoopbackCallback({ port: p, path: '/cb', timeoutMs: 20 });
    await expect(loopback.result).rejects.toMatchObject({ code: 'invalid' });
    const again = await startLoopbackCallback({ port: p, path: '/cb', timeoutMs: 1000 });
    const res = await fetch(`${again.redirectUri}?code=1&state=2`);
    expect(res.status).toBe(200);
    expect((await again.result).get('code')).toBe('1');
  });
});
