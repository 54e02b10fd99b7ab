// Every failure of @atproto/api (or of fetch underneath) as a ColonnadeError, in plain words and
// without anything secret (no tokens, no passwords, no request bodies). Each carries a `reason`
// (a key of the UI's `reasons.*` translations) with its `params`, and the server's own `message`
// as `detail`.
//
// XRPC error bodies are `{ error, message }` (atproto spec, "XRPC": error responses). The names
// below are the ones the lexicons declare (com.atproto.server.createSession: AccountTakedown,
// AuthFactorTokenRequired; app.bsky.feed.getAuthorFeed: BlockedActor, BlockedByActor;
// com.atproto.repo.getRecord: RecordNotFound…) plus the generic ones of @atproto/xrpc-server
// (InvalidRequest, AuthenticationRequired, ExpiredToken, InvalidToken, RateLimitExceeded,
// InternalServerError, UpstreamFailure, NotEnoughResources, UpstreamTimeout).
import { XRPCError } from '@atproto/api';
import { ColonnadeError } from '../../../shared/errors';
import { isDeadline } from './http';

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
const TRANSIENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
/** undici's own waits (300 s for the headers, 300 s between body chunks): a timeout too. */
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const AUTH_ERRORS = new Set(['ExpiredToken', 'InvalidToken', 'AuthenticationRequired', 'AuthRequired', 'AuthMissing']);
const NOT_FOUND_ERRORS = new Set(['NotFound', 'RecordNotFound', 'RepoNotFound']);
const PROFILE_NOT_FOUND_ERRORS = new Set(['ProfileNotFound', 'ActorNotFound']);
const UNAVAILABLE_ACCOUNT_ERRORS = new Set(['RepoTakendown', 'RepoDeactivated', 'RepoSuspended']);
/** @atproto/xrpc's ResponseType.InvalidResponse: the answer did not match the lexicon. */
const INVALID_RESPONSE_STATUS = 2;
/** @atproto/xrpc's ResponseType.Unknown: no HTTP answer at all. */
const NO_RESPONSE_STATUS = 1;

/** What the failing call was about, to name it in the words (e.g. who blocked whom). */
export interface ErrorContext {
  /** What to call the service ("Bluesky", "that server"). */
  what?: string;
  /** The account the call was about, as shown ("@bob.test"). */
  actor?: string;
}

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

/**
 * True for @atproto/xrpc's XRPCInvalidResponseError: the server answered, but the body failed the
 * lexicon's validation. Its `responseBody` is the parsed answer (so a page can be read item by item).
 */
export function isInvalidResponse(err: unknown): err is XRPCError & { responseBody: unknown } {
  return err instanceof XRPCError && err.status === INVALID_RESPONSE_STATUS && 'responseBody' in err;
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

/** Anything shaped like a JWT (a session token) in a server's words is cut out. */
const JWT = /eyJ[\w-]*\.[\w-]*(\.[\w-]*)?/g;

/** The server's own `message`, when it said more than the error's name; tokens redacted. */
export function detailOf(err: XRPCError): string | undefined {
  const message = err.message?.trim();
  if (!message || message === err.error || /^fetch failed$/i.test(message)) return undefined;
  return message.replace(JWT, '[token]');
}

/** The DID an AppView names in "Requester is blocked by actor: did:plc:…". */
function didIn(message: string | undefined): string | undefined {
  return /did:[a-z]+:[\w.%:-]+/.exec(message ?? '')?.[0];
}

/**
 * Maps a failure to the shared taxonomy with a reason:
 * - the request's deadline ran out (http.ts `deadlineFetch`: connected, no whole answer within
 *   REQUEST_DEADLINE_MS), or undici's own header or body wait → transient `timeout`;
 * - no answer (ECONNREFUSED, ENOTFOUND…) → offline `unreachable`; a connection broken off → transient `connection-broken`;
 * - 429 / RateLimitExceeded → rate-limited `rate-limited` with `resetAt` from `ratelimit-reset` (epoch seconds);
 * - ExpiredToken, InvalidToken, AuthenticationRequired (what remains after the session's one refresh
 *   and re-login failed) → auth-expired `session-expired`;
 * - AccountTakedown / AccountDeactivated (this account) → not-allowed `account-takedown` / `account-deactivated`;
 * - BlockedActor / BlockedByActor → not-allowed `blocking` / `blocked-by` with `{ name }` (the other account);
 * - RepoTakendown, RepoDeactivated, RepoSuspended (another account) → not-found `account-unavailable` `{ name }`;
 * - RecordNotFound, NotFound, 404 → not-found `deleted`; "Profile not found", ActorNotFound → `profile-not-found`;
 *   "Unable to resolve handle" / HandleNotFound → not-found `unknown-handle`; UnknownList, UnknownFeed likewise;
 * - an answer that fails the lexicon → invalid with no reason (Colonnade could not read it);
 * - other 400s → invalid `invalid-request`; 413 → invalid `too-large`; 403 → not-allowed `forbidden`;
 * - 5xx (InternalServerError, UpstreamFailure, NotEnoughResources, UpstreamTimeout) → transient `server-error`.
 */
export function toColonnadeError(err: unknown, now: number, context: ErrorContext = {}): ColonnadeError {
  if (err instanceof ColonnadeError) return err;
  const what = context.what ?? 'Bluesky';
  const sys = systemErrorCode(err);
  if (isDeadline(err) || (sys && TIMEOUT_CODES.has(sys))) {
    return new ColonnadeError('transient', `${what} took too long to answer; Colonnade will try again.`, {
      reason: 'timeout',
    });
  }
  if (sys && OFFLINE_CODES.has(sys)) {
    return new ColonnadeError('offline', `Colonnade cannot reach ${what}: check the address and the connection.`, {
      reason: 'unreachable',
    });
  }
  if (sys && TRANSIENT_CODES.has(sys)) {
    return new ColonnadeError('transient', `The connection to ${what} broke off; try again.`, {
      reason: 'connection-broken',
    });
  }
  if (!(err instanceof XRPCError) || err.status === NO_RESPONSE_STATUS) {
    const message = err instanceof Error ? err.message : '';
    if (/fetch failed|network|ECONN/i.test(message)) {
      return new ColonnadeError('offline', `Colonnade cannot reach ${what}: check the address and the connection.`, {
        reason: 'unreachable',
      });
    }
    return new ColonnadeError('transient', `${what} answered in a way Colonnade did not expect; try again.`, {
      reason: 'unexpected-answer',
    });
  }
  const { status, error } = err;
  const detail = detailOf(err);
  const extra = (reason: string, params?: Record<string, string>) => ({
    reason,
    ...(params ? { params } : {}),
    ...(detail ? { detail } : {}),
  });
  const name = context.actor ?? didIn(err.message) ?? 'that account';

  if (status === INVALID_RESPONSE_STATUS) {
    return new ColonnadeError('invalid', `${what} sent something Colonnade could not read.`, detail ? { detail } : {});
  }
  if (status === 429 || error === 'RateLimitExceeded') {
    return new ColonnadeError('rate-limited', `${what} asks Colonnade to slow down for a while.`, {
      resetAt: resetAtOf(err, now),
      ...extra('rate-limited'),
    });
  }
  if (error === 'AccountTakedown') {
    return new ColonnadeError('not-allowed', `${what} has taken this account down.`, extra('account-takedown'));
  }
  if (error === 'AccountDeactivated') {
    return new ColonnadeError('not-allowed', 'This Bluesky account is deactivated.', extra('account-deactivated'));
  }
  if (error === 'AuthFactorTokenRequired') {
    return new ColonnadeError(
      'invalid',
      'Bluesky asks for the code it emailed: that is the account password. Use an app password instead.',
      { field: 'appPassword', ...extra('two-factor-required') },
    );
  }
  if (isAuthFailure(err)) {
    return new ColonnadeError(
      'auth-expired',
      `${what} no longer accepts this account's session or app password: reconnect it.`,
      extra('session-expired'),
    );
  }
  if (error === 'BlockedByActor') {
    return new ColonnadeError('not-allowed', `${name} has blocked this account.`, extra('blocked-by', { name }));
  }
  if (error === 'BlockedActor') {
    return new ColonnadeError('not-allowed', `This account has blocked ${name}.`, extra('blocking', { name }));
  }
  if (UNAVAILABLE_ACCOUNT_ERRORS.has(error)) {
    return new ColonnadeError(
      'not-found',
      `${name} is not available on Bluesky.`,
      extra('account-unavailable', { name }),
    );
  }
  if (error === 'HandleNotFound' || /unable to resolve handle/i.test(err.message)) {
    return new ColonnadeError('not-found', `No Bluesky account is called ${name}.`, extra('unknown-handle', { name }));
  }
  if (PROFILE_NOT_FOUND_ERRORS.has(error) || /profile not found|actor not found/i.test(err.message)) {
    return new ColonnadeError(
      'not-found',
      `No Bluesky account is called ${name}.`,
      extra('profile-not-found', { name }),
    );
  }
  if (error === 'UnknownList' || error === 'UnknownFeed' || /list not found|unknown feed/i.test(err.message)) {
    return new ColonnadeError('not-found', `${what} cannot find that list or feed.`, extra('list-not-found'));
  }
  if (NOT_FOUND_ERRORS.has(error) || status === 404) {
    return new ColonnadeError('not-found', `${what} cannot find that (it may have been deleted).`, extra('deleted'));
  }
  if (status === 403) {
    return new ColonnadeError('not-allowed', `${what} does not allow this for this account.`, extra('forbidden'));
  }
  if (status === 413) {
    return new ColonnadeError('invalid', `${what} refused the request as too large.`, extra('too-large'));
  }
  if (status === 400) {
    return new ColonnadeError('invalid', `${what} refused the request as invalid.`, extra('invalid-request'));
  }
  if (status >= 500) {
    return new ColonnadeError('transient', `${what} is having trouble right now; try again.`, extra('server-error'));
  }
  return new ColonnadeError(
    'transient',
    `${what} answered with an unexpected error; try again.`,
    extra('server-error'),
  );
}
