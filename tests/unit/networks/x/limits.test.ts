// Which of X's limits a 429 hit, and when it lifts. Beside the 15-minute window
// (x-rate-limit-*), the Free and Basic plans allow so many posts per user and per app in 24
// hours (x-user-limit-24hour-*, x-app-limit-24hour-*; plhery/node-twitter-api-v2#553,
// 10up/autoshare-for-twitter#308 "have to wait 24 hours"). A spent 24-hour allowance binds: the
// CM must read when posting works again, not a time 15 minutes away.
import type { ClientRequest, IncomingMessage } from 'node:http';
import { ApiResponseError } from 'twitter-api-v2';
import { describe, expect, it } from 'vitest';
import { toColonnadeError } from '../../../../src/main/networks/x/client';
import { ColonnadeError } from '../../../../src/shared/errors';
import type { XEmulator } from '../../../emulators/x';
import { rig, stubX, useEmulator } from './harness';

const TOO_MANY = { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 };
const now = Math.floor(Date.now() / 1000);
const WINDOW_RESET = now + 15 * 60;
const DAY_RESET = now + 20 * 3600;
const iso = (s: number) => new Date(s * 1000).toISOString();

function tooMany(headers: Record<string, string>, body: Record<string, unknown> = TOO_MANY) {
  return new ApiResponseError('Request failed with code 429', {
    code: 429,
    data: body as never,
    headers,
    request: {} as ClientRequest,
    response: {} as IncomingMessage,
  });
}

const windowHeaders = (remaining: number) => ({
  'x-rate-limit-limit': '100',
  'x-rate-limit-remaining': String(remaining),
  'x-rate-limit-reset': String(WINDOW_RESET),
});
const day = (who: 'user' | 'app', remaining: number, reset = DAY_RESET, limit = 17) => ({
  [`x-${who}-limit-24hour-limit`]: String(limit),
  [`x-${who}-limit-24hour-remaining`]: String(remaining),
  [`x-${who}-limit-24hour-reset`]: String(reset),
});

describe('X 429s say which limit and when it lifts', () => {
  it('the account’s 24-hour posts spent: x-daily-post-limit, reset at the 24-hour reset', () => {
    const err = toColonnadeError(tooMany({ ...windowHeaders(99), ...day('user', 0) }), 'posting');
    expect(err).toMatchObject({
      code: 'rate-limited',
      reason: 'x-daily-post-limit',
      resetAt: iso(DAY_RESET),
      params: { limit: '17', feature: 'posting' },
    });
  });

  it('the app’s 24-hour allowance spent: x-app-daily-limit, at the app’s reset', () => {
    const err = toColonnadeError(tooMany({ ...windowHeaders(99), ...day('user', 5), ...day('app', 0) }), 'posting');
    expect(err).toMatchObject({ reason: 'x-app-daily-limit', resetAt: iso(DAY_RESET) });
  });

  it('both spent: the later reset binds, and says whose it is', () => {
    const later = DAY_RESET + 3600;
    const err = toColonnadeError(tooMany({ ...day('user', 0), ...day('app', 0, later) }), 'posting');
    expect(err).toMatchObject({ reason: 'x-app-daily-limit', resetAt: iso(later) });
    const mine = toColonnadeError(tooMany({ ...day('user', 0, later), ...day('app', 0) }), 'posting');
    expect(mine).toMatchObject({ reason: 'x-daily-post-limit', resetAt: iso(later) });
  });

  it('another feature’s 24-hour allowance (likes) names the feature', () => {
    const err = toColonnadeError(tooMany({ ...windowHeaders(10), ...day('user', 0, DAY_RESET, 200) }), 'likes');
    expect(err).toMatchObject({
      reason: 'x-daily-limit',
      resetAt: iso(DAY_RESET),
      params: { feature: 'likes', limit: '200' },
    });
  });

  it('the 15-minute window with 24-hour posts left: rate-limited at the window’s reset', () => {
    const err = toColonnadeError(tooMany({ ...windowHeaders(0), ...day('user', 4) }), 'posting');
    expect(err).toMatchObject({ reason: 'rate-limited', resetAt: iso(WINDOW_RESET) });
  });

  it('a monthly usage cap gives no 15-minute reset (it lifts next month); a daily one its 24-hour reset', () => {
    const monthly = toColonnadeError(
      tooMany(windowHeaders(50), {
        title: 'UsageCapExceeded',
        detail: 'Usage cap exceeded: Monthly product cap',
        period: 'Monthly',
        scope: 'Product',
        type: 'https://api.twitter.com/2/problems/usage-capped',
      }),
      'search',
    );
    expect(monthly).toMatchObject({ code: 'rate-limited', reason: 'x-usage-capped', resetAt: undefined });
    const daily = toColonnadeError(
      tooMany(
        { ...windowHeaders(50), ...day('app', 0) },
        {
          title: 'UsageCapExceeded',
          detail: 'Usage cap exceeded: Daily product cap',
          period: 'Daily',
          scope: 'Product',
          type: 'https://api.twitter.com/2/problems/usage-capped',
        },
      ),
      'search',
    );
    expect(daily).toMatchObject({ reason: 'x-app-daily-limit', resetAt: iso(DAY_RESET) });
  });

  it('reads the 24-hour headers of a live 429 whose body is about:blank (through the adapter)', async () => {
    const s = await stubX(({ method, url }) =>
      method === 'POST' && url.pathname === '/2/tweets'
        ? { status: 429, headers: { ...windowHeaders(99), ...day('user', 0) }, body: TOO_MANY }
        : undefined,
    );
    try {
      const err = (await s.adapter
        .publish({ text: 'Doors open at 9', idempotencyKey: 'k-24h' })
        .catch((e: unknown) => e)) as ColonnadeError;
      expect(err).toBeInstanceOf(ColonnadeError);
      expect(err).toMatchObject({ code: 'rate-limited', reason: 'x-daily-post-limit', resetAt: iso(DAY_RESET) });
      // Not retried as if it were a passing failure.
      expect(s.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    } finally {
      await s.close();
    }
  });
});

describe('X 24-hour limits against the emulator', () => {
  let emu: XEmulator;
  useEmulator({ homePosts: 10 }, (e) => {
    emu = e;
  });

  it('the third post of a 2-a-day plan is refused until 24 hours after the first, not for 15 minutes', async () => {
    emu.control.setDailyLimit('POST /2/tweets', 2, 'user');
    const { adapter } = rig(emu);
    const first = Date.now();
    await adapter.publish({ text: 'Morning, everyone', idempotencyKey: 'd1' });
    await adapter.publish({ text: 'Lunch specials are up', idempotencyKey: 'd2' });
    const err = (await adapter
      .publish({ text: 'One more thing', idempotencyKey: 'd3' })
      .catch((e: unknown) => e)) as ColonnadeError;
    expect(err).toMatchObject({ code: 'rate-limited', reason: 'x-daily-post-limit', params: { limit: '2' } });
    const resetMs = Date.parse(err.resetAt ?? '');
    expect(resetMs - first).toBeGreaterThan(23.9 * 3600_000);
    expect(resetMs - first).toBeLessThanOrEqual(24 * 3600_000 + 2000);
    expect(emu.state.timeline((t) => t.text === 'One more thing')).toHaveLength(0);
  });
});
