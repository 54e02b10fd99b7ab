// Staying signed in to X with OAuth 2.0 when access tokens live 60 seconds and refresh tokens are
// single-use (presenting a spent one revokes the whole grant). The emulator runs on the same fake
// clock as the adapter, so an hour passes in moments.
import { afterEach, describe, expect, it } from 'vitest';
import { ColonnadeError } from '../../../../src/shared/errors';
import { createXAdapter, type XAdapter, type XCredentials } from '../../../../src/main/networks/x';
import { refreshMarginMs, REFRESH_MARGIN_MS, TokenKeeper } from '../../../../src/main/networks/x/token-keeper';
import { FakeClock } from '../../../doubles/ports';
import type { XEmulator } from '../../../emulators/x';
import { memoryLogger, oauth2Creds, useEmulator } from './harness';

const TTL_SEC = 60;
const clock = new FakeClock();
let emu: XEmulator;

useEmulator({ now: clock.now, accessTokenTtlSec: TTL_SEC }, (e) => {
  emu = e;
});
afterEach(() => {
  emu.control.setAccessTokenTtl(TTL_SEC);
});

/** A fresh sign-in (as completeXOAuth2 answers it: dated by the clock). */
function signIn(ttlSec = TTL_SEC): Extract<XCredentials, { kind: 'oauth2' }> {
  const creds = oauth2Creds(emu, ttlSec);
  if (creds.kind !== 'oauth2') throw new Error('oauth2 expected');
  return { ...creds, issuedAt: clock.now() };
}

interface Account {
  adapter: XAdapter;
  saved: XCredentials[];
  log: ReturnType<typeof memoryLogger>;
}

function account(creds: XCredentials, save?: (next: XCredentials) => Promise<void>): Account {
  const saved: XCredentials[] = [];
  const log = memoryLogger();
  const adapter = createXAdapter(creds, {
    clock,
    log,
    saveCredentials: async (next) => {
      if (save) await save(next);
      saved.push(next);
    },
  });
  return { adapter, saved, log };
}

/** Refresh tokens of this sign-in presented to X, and whether any was presented twice. */
function presentedSince(start: number): { all: string[]; repeated: string[] } {
  const all = emu.control.refreshTokensPresented().slice(start);
  return { all, repeated: all.filter((t, i) => all.indexOf(t) !== i) };
}

const caught = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (err: unknown) => err as ColonnadeError,
  );

describe('the refresh margin', () => {
  it('fits the token lifetime: 15 s for a 60 s token, 5 min for X’s 2 h tokens, 5 min when unknown', () => {
    const at = clock.now();
    expect(refreshMarginMs({ issuedAt: at, expiresAt: at + 60_000 })).toBe(15_000);
    expect(refreshMarginMs({ issuedAt: at, expiresAt: at + 7_200_000 })).toBe(REFRESH_MARGIN_MS);
    expect(REFRESH_MARGIN_MS).toBe(300_000);
    expect(refreshMarginMs({ expiresAt: at + 60_000 })).toBe(REFRESH_MARGIN_MS);
  });

  it('a fresh 60 s token is used as it is, not renewed on every call', async () => {
    const start = emu.control.refreshTokensPresented().length;
    const { adapter } = account(signIn());
    await adapter.verify();
    await clock.advance(40_000);
    await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 });
    expect(presentedSince(start).all).toHaveLength(0);
    await clock.advance(10_000); // 10 s left: within the 15 s margin
    await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 });
    expect(presentedSince(start).all).toHaveLength(1);
  });
});

describe('X OAuth 2.0 with 60-second access tokens', () => {
  it('an hour of reading and posting: no reconnect, every refresh token presented once, the last pair stored', async () => {
    const start = emu.control.refreshTokensPresented().length;
    const revoked = emu.control.grantsRevokedForReuse();
    const creds = signIn();
    const { adapter, saved } = account(creds);
    const me = await adapter.verify();
    let reads = 0;
    let posts = 0;
    const errors: string[] = [];
    for (let second = 0; second < 3600; second += 10) {
      await clock.advance(10_000);
      // Columns, a refresh of counts and the publisher, all at once, as the core does.
      const work: Promise<unknown>[] = [
        adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 }).then(() => reads++),
        adapter.readTimeline({ kind: 'mentions', direction: 'older', limit: 5 }).then(() => reads++),
      ];
      if (second % 300 === 0) {
        work.push(
          adapter
            .publish({ text: `Hourly update ${second / 300}`, idempotencyKey: `hour-${second}` })
            .then(() => posts++),
        );
      }
      const results = await Promise.allSettled(work);
      for (const r of results) if (r.status === 'rejected') errors.push(String(r.reason));
    }
    expect(errors).toEqual([]);
    expect(reads).toBe(720);
    expect(posts).toBe(12);
    expect(emu.state.timeline((t) => t.authorId === me.id.slice(2) && t.text.startsWith('Hourly update'))).toHaveLength(
      12,
    );

    const { all, repeated } = presentedSince(start);
    expect(repeated).toEqual([]);
    expect(emu.control.grantsRevokedForReuse()).toBe(revoked);
    // A 60 s token renewed within 15 s of expiry, by calls every 10 s: every 50 s, each saved once.
    expect(all.length).toBe(72);
    expect(saved).toHaveLength(all.length);
    expect(all[0]).toBe(creds.refreshToken);
    // Each refresh presents the token the previous one saved.
    for (let i = 1; i < all.length; i++) {
      const previous = saved[i - 1]!;
      expect(previous.kind === 'oauth2' && previous.refreshToken).toBe(all[i]);
    }
  }, 60_000);

  it('callers arriving together at expiry share one refresh, saved before any of them uses it', async () => {
    const start = emu.control.refreshTokensPresented().length;
    let requestsAtSave = -1;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { adapter, saved } = account(signIn(), async () => {
      requestsAtSave = emu.requests.length;
      await gate;
    });
    await adapter.verify();
    await clock.advance(59_000);
    const calls = Promise.all([
      adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 }),
      adapter.readTimeline({ kind: 'mentions', direction: 'older', limit: 5 }),
      adapter.lists(),
      adapter.publish({ text: 'At the stroke of expiry', idempotencyKey: 'expiry-1' }),
      adapter.verify(),
    ]);
    while (requestsAtSave < 0) await new Promise((resolve) => setTimeout(resolve, 2));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(emu.requests.length).toBe(requestsAtSave);
    release();
    await calls;
    expect(presentedSince(start).all).toHaveLength(1);
    expect(saved).toHaveLength(1);
    const next = saved[0]!;
    const after = emu.requests.slice(requestsAtSave).filter((q) => q.auth);
    expect(after.length).toBeGreaterThanOrEqual(5);
    for (const q of after) expect(q.auth).toBe(next.accessToken);
  });

  it('a 401 on a token that should still be valid: one refresh, then the call succeeds', async () => {
    const start = emu.control.refreshTokensPresented().length;
    const creds = signIn();
    const { adapter, saved } = account(creds);
    emu.control.rejectAccessToken(creds.accessToken);
    const [home, mentions] = await Promise.all([
      adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 }),
      adapter.readTimeline({ kind: 'mentions', direction: 'older', limit: 5 }),
    ]);
    expect(home.items).toHaveLength(5);
    expect(mentions.items.length).toBeGreaterThan(0);
    expect(presentedSince(start).all).toEqual([creds.refreshToken]);
    expect(saved).toHaveLength(1);
  });

  it('a 401 again after the refresh is auth-expired, saying X refused the renewed sign-in', async () => {
    const start = emu.control.refreshTokensPresented().length;
    const creds = signIn();
    const { adapter } = account(creds);
    emu.control.rejectAccessToken(creds.accessToken);
    emu.control.setAccessTokenTtl(0); // what X renews is already dead
    const err = await caught(adapter.verify());
    expect(err).toMatchObject({ code: 'auth-expired', reason: 'x-token-refused' });
    expect(presentedSince(start).all).toHaveLength(1);
  });

  for (const [how, refuse, reason] of [
    [
      'X answers invalid_request (its answer for a spent token)',
      (c: { refreshToken: string }) => presentOutside(c.refreshToken),
      'x-refresh-refused',
    ],
    [
      'X answers invalid_grant (the user revoked the app)',
      (c: { accessToken: string }) => Promise.resolve(emu.control.revoke(c.accessToken)),
      'x-refresh-refused',
    ],
  ] as const) {
    it(`a refused refresh (${how}) is auth-expired, and that token is never presented again, even after a restart`, async () => {
      const creds = signIn();
      const { adapter, saved } = account(creds);
      await refuse(creds);
      await clock.advance(50_000); // within the margin
      const start = emu.control.refreshTokensPresented().length;
      const err = await caught(adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 }));
      expect(err).toBeInstanceOf(ColonnadeError);
      expect(err).toMatchObject({ code: 'auth-expired', reason });
      // Seven more calls (the columns, the publisher…): nothing more reaches the token endpoint.
      for (let i = 0; i < 7; i++) {
        await clock.advance(10_000);
        const again = await caught(adapter.readTimeline({ kind: 'mentions', direction: 'older', limit: 5 }));
        expect(again).toMatchObject({ code: 'auth-expired', reason });
      }
      expect(presentedSince(start).all).toEqual([creds.refreshToken]);
      // The refusal is stored with the credentials: a restart does not present it either.
      const stored = saved.at(-1)!;
      expect(stored).toMatchObject({ refusedAt: expect.any(Number), refreshToken: creds.refreshToken });
      const restarted = account(stored);
      expect(await caught(restarted.adapter.verify())).toMatchObject({ code: 'auth-expired' });
      expect(presentedSince(start).all).toHaveLength(1);
    });
  }

  it('a renewed pair the store cannot take is kept in memory and saved later; the spent token is not presented again', async () => {
    const start = emu.control.refreshTokensPresented().length;
    let failing = true;
    const { adapter, saved, log } = account(signIn(), async () => {
      if (failing) throw new Error('disk full');
    });
    await adapter.verify();
    await clock.advance(50_000);
    await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 });
    expect(saved).toHaveLength(0);
    expect(log.lines.some((l) => l.level === 'error' && l.message.includes('could not be saved'))).toBe(true);
    failing = false;
    await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 });
    expect(saved).toHaveLength(1);
    await clock.advance(50_000);
    await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 });
    expect(presentedSince(start).repeated).toEqual([]);
    expect(presentedSince(start).all).toHaveLength(2);
  });

  it('a stale copy of the credentials never presents a token this process already spent', async () => {
    const start = emu.control.refreshTokensPresented().length;
    const revoked = emu.control.grantsRevokedForReuse();
    const creds = signIn();
    const first = account(creds);
    await clock.advance(50_000);
    await first.adapter.verify();
    const stale = account(creds);
    expect(await caught(stale.adapter.verify())).toMatchObject({ code: 'auth-expired', reason: 'x-refresh-refused' });
    expect(presentedSince(start).all).toEqual([creds.refreshToken]);
    // The grant the first copy holds is untouched.
    await first.adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 });
    expect(emu.control.grantsRevokedForReuse()).toBe(revoked);
  });

  it('OAuth 1.0a keys are held as they are: nothing to renew, a 401 is auth-expired at once', async () => {
    const keys = emu.control.issueOAuth1();
    const keeper = new TokenKeeper(
      { kind: 'oauth1', ...keys, apiBase: emu.url },
      { clock, log: memoryLogger(), save: async () => {} },
    );
    expect(await keeper.current()).toMatchObject({ kind: 'oauth1', accessToken: keys.accessToken });
    expect(await keeper.afterRejection(keys.accessToken)).toBeNull();
  });
});

/** Presents a refresh token outside the app, as a second copy of Colonnade would. */
async function presentOutside(refreshToken: string): Promise<void> {
  const form = (token: string) =>
    fetch(`${emu.url}/2/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: token,
        client_id: 'colonnade-test-client',
      }).toString(),
    });
  expect((await form(refreshToken)).status).toBe(200);
}
