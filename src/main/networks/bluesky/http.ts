// What every request to a Bluesky server goes through: a deadline, and the rate-limit windows
// its answer states.
//
// Rate limits, as Bluesky publishes them (bsky-docs `docs/advanced-guides/rate-limits.md`,
// "Hosted Account (PDS) Limits") and as the PDS enforces them (@atproto/pds `rate-limits.js`,
// `api/com/atproto/server/createSession.js`):
// - every XRPC request, reads proxied to the AppView included: 3,000 per 5 minutes, per IP
//   (`global-ip`);
// - record writes (createRecord, putRecord, deleteRecord, applyWrites): 5,000 points per hour
//   and 35,000 per day per account, a create costing 3, an update 2, a delete 1;
// - com.atproto.server.createSession: 30 per 5 minutes and 300 per day per account.
// The AppView's own limits are unpublished ("generous"). Every answer the PDS rate-limits
// carries the tightest window that applied to it (@atproto/xrpc-server `rate-limiter-http.js`
// `setStatusHeaders`, CombinedRateLimiter: the one with the least remaining): `RateLimit-Limit`,
// `RateLimit-Remaining`, `RateLimit-Reset` (epoch seconds) and `RateLimit-Policy`
// (`<limit>;w=<window seconds>`). A PDS with rate limits off (self-hosted, dev-env) sends none.
import type { RateWindow } from '../../../shared/adapter';
import { REQUEST_DEADLINE_MS } from '../../../shared/adapter';

/** Every read (any column kind, count refreshes, look-ups) draws from the PDS's per-IP budget. */
export const REQUESTS_BUCKET = { bucket: 'requests', limit: 3000, windowMs: 5 * 60_000 } as const;
/** Record writes (posts, likes, reposts, deletions): points per hour (a create costs 3). */
export const WRITES_BUCKET = { bucket: 'writes', limit: 5000, windowMs: 60 * 60_000 } as const;
/** Signing in with the app password (com.atproto.server.createSession). */
export const SIGN_IN_BUCKET = { bucket: 'sign-in', limit: 30, windowMs: 5 * 60_000 } as const;

const WRITE_METHODS = new Set([
  'com.atproto.repo.createRecord',
  'com.atproto.repo.putRecord',
  'com.atproto.repo.deleteRecord',
  'com.atproto.repo.applyWrites',
]);

/** The XRPC method a request URL calls (`/xrpc/<nsid>`), or '' for anything else. */
export function methodOf(url: string): string {
  try {
    const path = new URL(url).pathname;
    return path.startsWith('/xrpc/') ? decodeURIComponent(path.slice('/xrpc/'.length)) : '';
  } catch {
    return '';
  }
}

/**
 * The window an answer's `ratelimit-*` headers state, named with the bucket it belongs to, or
 * null when the answer carries none (or an unreadable one). `ratelimit-reset` is epoch seconds
 * on the PDS; a value under 10⁹ is read as seconds from now, as the IETF draft
 * (draft-polli-ratelimit-headers) has it, in case another server follows the draft. The bucket:
 * createSession answers → `sign-in`; a write whose policy window is longer than 5 minutes (the
 * hourly or daily write points were the tightest) → `writes`; anything else → `requests`.
 */
export function rateWindowOf(headers: Headers, url: string, nowMs: number): RateWindow | null {
  if (!headers.has('ratelimit-limit') || !headers.has('ratelimit-remaining')) return null;
  const limit = Number(headers.get('ratelimit-limit'));
  const remaining = Number(headers.get('ratelimit-remaining'));
  const reset = Number(headers.get('ratelimit-reset') ?? NaN);
  if (![limit, remaining, reset].every(Number.isFinite) || limit <= 0 || remaining < 0 || reset < 0) return null;
  const resetMs = reset < 1e9 ? nowMs + reset * 1000 : reset * 1000;
  const windowS = Number(/;\s*w=(\d+)/.exec(headers.get('ratelimit-policy') ?? '')?.[1]);
  const method = methodOf(url);
  const bucket =
    method === 'com.atproto.server.createSession'
      ? SIGN_IN_BUCKET.bucket
      : WRITE_METHODS.has(method) && windowS > REQUESTS_BUCKET.windowMs / 1000
        ? WRITES_BUCKET.bucket
        : REQUESTS_BUCKET.bucket;
  return { bucket, limit, remaining: Math.min(remaining, limit), resetAt: new Date(resetMs).toISOString() };
}

/** True when `err` (or one of its causes) is a request deadline that ran out (AbortSignal.timeout). */
export function isDeadline(err: unknown, depth = 0): boolean {
  if (depth > 6 || typeof err !== 'object' || err === null) return false;
  if ((err as { name?: unknown }).name === 'TimeoutError') return true;
  return isDeadline((err as { cause?: unknown }).cause, depth + 1);
}

export interface DeadlineFetchOptions {
  /** Milliseconds a request may take, from sending to the last byte of its answer (default 30 s). */
  deadlineMs?: number;
  /** Called with every answer's headers and the URL asked (rate-limit windows). */
  onResponse?(headers: Headers, url: string): void;
}

/**
 * `base` with a deadline on every request: AbortSignal.timeout, joined with the caller's own
 * signal, covers the whole exchange (connecting, waiting for the headers, reading the body, which
 * @atproto/xrpc reads with the same signal). When it runs out, the request fails with a
 * DOMException named TimeoutError (see `isDeadline`), which errors.ts says as a timeout. A
 * com.atproto.repo.uploadBlob with a signal of its own runs on that signal alone.
 */
export function deadlineFetch(
  base: typeof globalThis.fetch,
  { deadlineMs = REQUEST_DEADLINE_MS, onResponse }: DeadlineFetchOptions = {},
): typeof globalThis.fetch {
  return async (input, init) => {
    const own = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    const url = input instanceof Request ? input.url : String(input);
    // A blob upload brings its own deadline (the adapter's, which runs while nothing moves): a
    // large video takes longer than any fixed one.
    const upload = own !== undefined && methodOf(url) === 'com.atproto.repo.uploadBlob';
    const deadline = upload ? undefined : AbortSignal.timeout(deadlineMs);
    const signal = own && deadline ? AbortSignal.any([own, deadline]) : (own ?? deadline);
    const res = await base(input, { ...init, signal });
    onResponse?.(res.headers, url);
    return res;
  };
}
