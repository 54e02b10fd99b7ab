// masto's failures (and fetch's) → the shared taxonomy. Messages are plain English for logs; the
// server's own error text is kept where it helps the user (422), never a token or a header.
import { MastoDeserializeError, MastoHttpError, MastoTimeoutError, MastoUnexpectedError } from 'masto';
import { ColonnadeError } from '../../../shared/errors';

const OFFLINE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN']);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

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

/** `instance` names the server in messages (its host, never a URL with a token). */
export function toColonnadeError(err: unknown, instance: string): ColonnadeError {
  if (err instanceof ColonnadeError) return err;
  if (err instanceof MastoHttpError) {
    const detail = err.description ? `${err.message}: ${err.description}` : err.message;
    switch (true) {
      case err.statusCode === 401:
        return new ColonnadeError('auth-expired', `${instance} no longer accepts this sign-in. Reconnect the account.`);
      case err.statusCode === 403:
        return new ColonnadeError('not-allowed', `${instance} does not allow this: ${detail}`);
      case err.statusCode === 404 || err.statusCode === 410:
        return new ColonnadeError('not-found', `${instance} cannot find that (it may have been deleted).`);
      case err.statusCode === 422 || err.statusCode === 400:
        return new ColonnadeError('invalid', `${instance} refused it: ${detail}`);
      case err.statusCode === 429: {
        const resetAt = resetFromHeaders(responseHeadersOf(err));
        return new ColonnadeError(
          'rate-limited',
          `${instance} asks to slow down${resetAt ? ` until ${resetAt}` : ''}.`,
          resetAt ? { resetAt } : {},
        );
      }
      case err.statusCode >= 500:
        return new ColonnadeError('transient', `${instance} had a problem (${err.statusCode}). Trying again later.`);
      default:
        return new ColonnadeError('invalid', `${instance} answered ${err.statusCode}: ${detail}`);
    }
  }
  if (err instanceof MastoTimeoutError) {
    return new ColonnadeError('transient', `${instance} took too long to answer.`);
  }
  if (err instanceof MastoDeserializeError) {
    return new ColonnadeError('invalid', `${instance} answered something that is not valid Mastodon data.`);
  }
  if (err instanceof MastoUnexpectedError) {
    // masto says "may be down" when an error page is not JSON (a proxy's 502 page, for instance).
    return /may be down/i.test(err.message)
      ? new ColonnadeError('transient', `${instance} seems to be down or behind a failing proxy.`)
      : new ColonnadeError('invalid', `${instance} answered something that is not valid Mastodon data.`);
  }
  const code = networkCode(err);
  if (code && OFFLINE_CODES.has(code)) {
    return new ColonnadeError('offline', `Cannot reach ${instance}. Check the connection or the instance address.`);
  }
  if (code && TRANSIENT_CODES.has(code)) {
    return new ColonnadeError('transient', `The connection to ${instance} broke. Trying again later.`);
  }
  if (err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return new ColonnadeError('transient', `${instance} took too long to answer.`);
  }
  if (err instanceof TypeError && /fetch failed/i.test(err.message)) {
    return new ColonnadeError('offline', `Cannot reach ${instance}.`);
  }
  if (err instanceof SyntaxError) {
    return new ColonnadeError('invalid', `${instance} answered something that is not valid Mastodon data.`);
  }
  return new ColonnadeError('transient', `Talking to ${instance} failed unexpectedly.`);
}
