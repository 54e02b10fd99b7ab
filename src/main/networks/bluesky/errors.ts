// Every failure of @atproto/api (or of fetch underneath) as a ColonnadeError, in plain words
// and without anything secret (no tokens, no passwords, no request bodies).
import { XRPCError } from '@atproto/api';
import { ColonnadeError } from '../../../shared/errors';

const OFFLINE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT']);
const AUTH_ERRORS = new Set(['ExpiredToken', 'InvalidToken', 'AuthenticationRequired', 'AuthRequired', 'AuthMissing']);
const NOT_ALLOWED_ERRORS = new Set(['AccountTakedown', 'AccountDeactivated', 'RepoTakendown', 'RepoDeactivated']);
const NOT_FOUND_ERRORS = new Set([
  'NotFound',
  'RecordNotFound',
  'RepoNotFound',
  'ProfileNotFound',
  'ActorNotFound',
  'UnknownList',
  'UnknownFeed',
]);

/** The first system error code (ECONNREFUSED…) anywhere in an error's causes. */
export function systemErrorCode(err: unknown, depth = 0): string | undefined {
  if (depth > 6 || typeof err !== 'object' || err === null) return undefined;
  const { code, cause, errors } = err as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return code;
  const fromCause = systemErrorCode(cause, depth + 1);
  if (fromCause) return fromCause;
  if (Array.isArray(errors)) {
    for (const e of errors) {
      const c = systemErrorCode(e, depth + 1);
      if (c) return c;
    }
  }
  return undefined;
}

/** True when the server said the session (or password) is no good. */
export function isAuthFailure(err: unknown): boolean {
  return err instanceof XRPCError && (err.status === 401 || AUTH_ERRORS.has(err.error));
}

function header(err: XRPCError, name: string): string | undefined {
  const headers = err.headers ?? {};
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

/** When a 429 lifts: `ratelimit-reset` (epoch seconds), else `retry-after`, else a minute from now. */
export function resetAtOf(err: XRPCError, now: number): string {
  const reset = Number(header(err, 'ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) return new Date(reset * 1000).toISOString();
  const retryAfter = Number(header(err, 'retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return new Date(now + retryAfter * 1000).toISOString();
  return new Date(now + 60_000).toISOString();
}

export function toColonnadeError(err: unknown, now: number, what = 'Bluesky'): ColonnadeError {
  if (err instanceof ColonnadeError) return err;
  const sys = systemErrorCode(err);
  if (sys && OFFLINE_CODES.has(sys)) {
    return new ColonnadeError('offline', `Colonnade cannot reach ${what}: check the connection.`);
  }
  if (sys && TRANSIENT_CODES.has(sys)) {
    return new ColonnadeError('transient', `The connection to ${what} broke off; try again.`);
  }
  if (!(err instanceof XRPCError)) {
    if (err instanceof TypeError && /fetch failed/i.test(err.message)) {
      return new ColonnadeError('offline', `Colonnade cannot reach ${what}: check the connection.`);
    }
    return new ColonnadeError('transient', `${what} answered in a way Colonnade did not expect; try again.`);
  }
  const { status, error } = err;
  if (status === 429 || error === 'RateLimitExceeded') {
    return new ColonnadeError('rate-limited', `${what} asks Colonnade to slow down for a while.`, {
      resetAt: resetAtOf(err, now),
    });
  }
  if (isAuthFailure(err)) {
    return new ColonnadeError('auth-expired', `${what} no longer accepts this account's app password: reconnect it.`);
  }
  if (NOT_ALLOWED_ERRORS.has(error) || status === 403) {
    return new ColonnadeError('not-allowed', `${what} does not allow this for this account.`);
  }
  if (status === 404 || NOT_FOUND_ERRORS.has(error)) {
    return new ColonnadeError('not-found', `${what} cannot find that (it may have been deleted).`);
  }
  if (status === 400 || status === 413) {
    return new ColonnadeError('invalid', `${what} refused the request as invalid.`);
  }
  if (status >= 500 || status === 1 /* no response */) {
    return new ColonnadeError('transient', `${what} is having trouble right now; try again.`);
  }
  return new ColonnadeError('transient', `${what} answered with an unexpected error; try again.`);
}
