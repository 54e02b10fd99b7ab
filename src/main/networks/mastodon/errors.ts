// masto's failures (and fetch's) → the shared taxonomy, with a `reason` (a key of the UI's
// `reasons.*` translations) wherever Mastodon documents the refusal, and the server's own words in
// `detail`. Messages are plain English for logs. Never a token or a header in any of them.
//
// Mastodon's error bodies are `{ error, error_description? }` (Error in the API description;
// ValidationError adds `details`). The texts matched here are Mastodon's own:
// app/controllers/api/base_controller.rb (require_user!, rescue_from handlers, Doorkeeper
// renders), app/validators/status_length_validator.rb ("character limit of %{max} exceeded"),
// config/locales/en.yml (media_attachments.validations.too_many), and the documentation's
// "Errors" section of the API guidelines.
import { MastoDeserializeError, MastoHttpError, MastoTimeoutError, MastoUnexpectedError } from 'masto';
import { ColonnadeError, type ErrorCode } from '../../../shared/errors';

const OFFLINE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN']);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);
/** Node's names for a TLS certificate the system does not trust. */
const CERTIFICATE_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_NOT_YET_VALID',
]);

/** The network error code under a fetch failure (`TypeError: fetch failed` → cause.code). */
function networkCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current; depth++) {
    if (typeof current === 'object' && current !== null) {
      const code = (current as { code?: unknown }).code;
      if (typeof code === 'string') return code;
      current = (current as { cause?: unknown }).cause;
    } else break;
  }
  return undefined;
}

/** X-RateLimit-Reset (an ISO date on Mastodon) of a failed response, as an ISO instant. */
export function resetFromHeaders(headers: Headers | undefined): string | undefined {
  const raw = headers?.get('x-ratelimit-reset');
  if (!raw) return undefined;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : new Date(at).toISOString();
}

export function responseHeadersOf(err: MastoHttpError): Headers | undefined {
  return err.cause instanceof Response ? err.cause.headers : undefined;
}

/** What a Mastodon error answer says: the HTTP status and the body's `error` / `error_description`. */
export interface MastodonErrorBody {
  status: number;
  /** `error`: words on the REST API, an OAuth error code (`invalid_grant`) on /oauth. */
  error?: string | undefined;
  /** `error_description`: OAuth's words. */
  description?: string | undefined;
  headers?: Headers | undefined;
}

const OAUTH_CODE = /^[a-z_]+$/;

/**
 * ScheduledStatus's limit refusals (config/locales/en.yml `scheduled_statuses.over_total_limit`
 * and `over_daily_limit`; "toots" and "for that day" in older releases): the limit, and whether
 * it is the per-day one.
 */
const SCHEDULED_LIMIT = /exceeded the limit of (\d+) scheduled (?:posts?|toots?)( for (?:today|that day))?/i;
/** `scheduled_statuses.too_soon` after the attribute's name: "Scheduled at date must be in the future". */
const SCHEDULED_TOO_SOON = /scheduled at\b[^,]*must be in the future/i;
/** ScheduledStatus::MINIMUM_OFFSET (app/models/scheduled_status.rb), in minutes. */
export const SCHEDULE_MINIMUM_OFFSET_MINUTES = 5;

/** The server's own words: an OAuth error's description, or the REST API's `error` text. */
function wordsOf(body: MastodonErrorBody): string | undefined {
  const error = body.error?.trim() || undefined;
  const description = body.description?.trim() || undefined;
  if (error && OAUTH_CODE.test(error)) return description ?? error;
  if (error && description) return `${error}: ${description}`;
  return error ?? description;
}

function make(
  code: ErrorCode,
  message: string,
  reason: string | undefined,
  detail: string | undefined,
  extra: { resetAt?: string | undefined; params?: Record<string, string> | undefined } = {},
): ColonnadeError {
  return new ColonnadeError(code, message, {
    ...(reason ? { reason } : {}),
    ...(detail ? { detail } : {}),
    ...(extra.resetAt ? { resetAt: extra.resetAt } : {}),
    ...(extra.params ? { params: extra.params } : {}),
  });
}

/**
 * An HTTP error answer from a Mastodon server → the taxonomy. `instance` names the server (its
 * host). Known refusals carry a `reason`:
 *
 * - 401 → auth-expired `session-expired` ("The access token is invalid" / "was revoked" / "expired",
 *   "This method requires an authenticated user"); 422 "This method requires an authenticated
 *   user" (a token with no user behind it) likewise.
 * - 403 → not-allowed: `account-disabled` ("Your login is currently disabled"),
 *   `email-unconfirmed`, `account-pending` ("…pending approval"), `mastodon-two-factor`,
 *   `scope-missing` ("This action is outside the authorized scopes"), `forbidden`
 *   ("This action is not allowed", and any other 403).
 * - 404 → not-found `not-found` ("Record not found"); 410 → not-found `gone`.
 * - 422 → invalid: `too-long` with `params.max` and `params.unit` ("Text character limit of 500
 *   exceeded"), `post-empty` ("Text can't be blank"), `too-many-images` with `params.max`
 *   ("Cannot attach more than 4 files"), `duplicate` ("Duplicate record"); for a scheduled post
 *   (ScheduledStatus's validations, app/models/scheduled_status.rb, in config/locales/en.yml's
 *   `scheduled_statuses.*` words) `server-schedule-limit` with `params.limit` ("You have exceeded
 *   the limit of 300 scheduled posts"; with `params.context` `day` for "…of 25 scheduled posts for
 *   today", the UTC day of the post, which picks the UI's `server-schedule-limit_day` words) and
 *   `server-schedule-too-soon` with `params.minutes` ("Scheduled at date must be in the future":
 *   not more than ScheduledStatus::MINIMUM_OFFSET, 5 minutes, ahead); `validation-failed`
 *   otherwise; "Cannot attach files that have not finished processing" → transient
 *   `media-still-processing` (config/locales/en.yml `media_attachments.validations.not_ready`).
 * - 400 → invalid `invalid-request` ("param is missing or the value is empty: status").
 * - 429 → rate-limited `rate-limited` with `resetAt` from X-RateLimit-Reset.
 * - 503 "Remote data could not be fetched" → transient `remote-unreachable`; other 5xx →
 *   transient `server-error`.
 */
export function fromErrorBody(body: MastodonErrorBody, instance: string): ColonnadeError {
  const words = wordsOf(body);
  const text = (body.error ?? '').toLowerCase();
  const status = body.status;
  const server = { server: instance };
  if (status === 401 || (status === 422 && text.includes('requires an authenticated user'))) {
    return make(
      'auth-expired',
      `${instance} no longer accepts this sign-in. Reconnect the account.`,
      'session-expired',
      words,
      { params: server },
    );
  }
  if (status === 403) {
    const reason = text.includes('currently disabled')
      ? 'account-disabled'
      : text.includes('confirmed e-mail')
        ? 'email-unconfirmed'
        : text.includes('pending approval')
          ? 'account-pending'
          : text.includes('two-factor')
            ? 'mastodon-two-factor'
            : text.includes('outside the authorized scopes')
              ? 'scope-missing'
              : 'forbidden';
    return make('not-allowed', `${instance} does not allow this${words ? `: ${words}` : ''}.`, reason, words, {
      params: server,
    });
  }
  if (status === 404) {
    return make('not-found', `${instance} cannot find that (it may have been deleted).`, 'not-found', words);
  }
  if (status === 410) {
    return make('not-found', `${instance} says that is gone.`, 'gone', words, { params: server });
  }
  if (status === 422) {
    // media_attachments.validations.not_ready: an attachment still processing (it will not be
    // for long): worth trying again, unlike the other refusals.
    if (/not finished processing/i.test(body.error ?? '')) {
      return make(
        'transient',
        `${instance} is still processing a medium of this post.`,
        'media-still-processing',
        words,
        {
          params: { network: instance },
        },
      );
    }
    const max = /character limit of (\d+)/i.exec(body.error ?? '')?.[1];
    if (max) {
      return make('invalid', `${instance} refused it: ${words}`, 'too-long', words, {
        params: { max, unit: 'characters' },
      });
    }
    const media = /(?:cannot attach more than|exceed the limit of) (\d+)/i.exec(body.error ?? '')?.[1];
    if (media) {
      return make('invalid', `${instance} refused it: ${words}`, 'too-many-images', words, { params: { max: media } });
    }
    const scheduled = SCHEDULED_LIMIT.exec(body.error ?? '');
    if (scheduled?.[1]) {
      return make('invalid', `${instance} refused to schedule it: ${words}`, 'server-schedule-limit', words, {
        params: { ...server, limit: scheduled[1], ...(scheduled[2] ? { context: 'day' } : {}) },
      });
    }
    if (SCHEDULED_TOO_SOON.test(body.error ?? '')) {
      return make('invalid', `${instance} refused to schedule it: ${words}`, 'server-schedule-too-soon', words, {
        params: { ...server, minutes: String(SCHEDULE_MINIMUM_OFFSET_MINUTES) },
      });
    }
    const reason = /can'?t be blank/i.test(text)
      ? 'post-empty'
      : text.includes('duplicate record')
        ? 'duplicate'
        : 'validation-failed';
    return make('invalid', `${instance} refused it${words ? `: ${words}` : ''}.`, reason, words, { params: server });
  }
  if (status === 400) {
    return make('invalid', `${instance} refused the request${words ? `: ${words}` : ''}.`, 'invalid-request', words);
  }
  if (status === 429) {
    const resetAt = resetFromHeaders(body.headers);
    return make(
      'rate-limited',
      `${instance} asks to slow down${resetAt ? ` until ${resetAt}` : ''}.`,
      'rate-limited',
      words,
      { resetAt, params: server },
    );
  }
  if (status >= 500) {
    const remote = text.includes('remote data could not be fetched') || text.includes('remote ssl certificate');
    return make(
      'transient',
      `${instance} had a problem (${status}). Trying again later.`,
      remote ? 'remote-unreachable' : 'server-error',
      words,
      { params: { ...server, status: String(status) } },
    );
  }
  return make('invalid', `${instance} answered ${status}${words ? `: ${words}` : ''}.`, undefined, words);
}

const unreachable = (instance: string) =>
  make('offline', `Cannot reach ${instance}. Check the connection or the instance address.`, 'unreachable', undefined, {
    params: { server: instance },
  });

/**
 * Any failure while talking to a Mastodon server → the taxonomy. `instance` names the server in
 * messages (its host, never a URL with a token). An address nobody answers on (refused, no such
 * host, no route) is `offline` with reason `unreachable`; a certificate the system does not trust
 * is `offline` with reason `certificate`.
 */
export function toColonnadeError(err: unknown, instance: string): ColonnadeError {
  if (err instanceof ColonnadeError) return err;
  if (err instanceof MastoHttpError) {
    return fromErrorBody(
      { status: err.statusCode, error: err.message, description: err.description, headers: responseHeadersOf(err) },
      instance,
    );
  }
  if (err instanceof MastoTimeoutError) {
    return make('transient', `${instance} took too long to answer.`, 'timeout', undefined, {
      params: { server: instance },
    });
  }
  if (err instanceof MastoDeserializeError) {
    return new ColonnadeError('invalid', `${instance} answered something that is not valid Mastodon data.`);
  }
  if (err instanceof MastoUnexpectedError) {
    // masto says "may be down" when an error page is not JSON (a proxy's 502 page, for instance).
    return /may be down/i.test(err.message)
      ? make('transient', `${instance} seems to be down or behind a failing proxy.`, 'server-error', undefined, {
          params: { server: instance },
        })
      : new ColonnadeError('invalid', `${instance} answered something that is not valid Mastodon data.`);
  }
  const code = networkCode(err);
  if (code && OFFLINE_CODES.has(code)) return unreachable(instance);
  if (code && CERTIFICATE_CODES.has(code)) {
    return make('offline', `The certificate of ${instance} is not trusted.`, 'certificate', undefined, {
      params: { server: instance },
    });
  }
  if (code && TRANSIENT_CODES.has(code)) {
    return make(
      'transient',
      `The connection to ${instance} broke. Trying again later.`,
      'connection-broken',
      undefined,
    );
  }
  if (err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return make('transient', `${instance} took too long to answer.`, 'timeout', undefined, {
      params: { server: instance },
    });
  }
  if (err instanceof TypeError && /fetch failed/i.test(err.message)) return unreachable(instance);
  if (err instanceof SyntaxError) {
    return new ColonnadeError('invalid', `${instance} answered something that is not valid Mastodon data.`);
  }
  return new ColonnadeError('transient', `Talking to ${instance} failed unexpectedly.`);
}
