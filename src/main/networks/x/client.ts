// twitter-api-v2 wiring: the credential schema, a plugin that points the library at the account's
// API base URL (it has no base-URL setting), and the mapping of its errors to the shared taxonomy.
import http from 'node:http';
import {
  ApiPartialResponseError,
  ApiRequestError,
  ApiResponseError,
  TwitterApi,
  type ITwitterApiClientPlugin,
  type TwitterApiReadWrite,
  type TwitterRateLimit,
} from 'twitter-api-v2';
import { z } from 'zod';
import { ColonnadeError } from '../../../shared/errors';

export const DEFAULT_API_BASE = 'https://api.x.com';
export const DEFAULT_AUTHORIZE_BASE = 'https://x.com';

const ApiBaseSchema = z
  .url({ protocol: /^https?$/ })
  .transform((u) => u.replace(/\/+$/, ''))
  .default(DEFAULT_API_BASE);

export const XOAuth2CredentialsSchema = z.object({
  kind: z.literal('oauth2'),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1).optional(),
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  /** When the access token expires (ms since the epoch). */
  expiresAt: z.number().int(),
  apiBase: ApiBaseSchema,
});

export const XOAuth1CredentialsSchema = z.object({
  kind: z.literal('oauth1'),
  appKey: z.string().min(1),
  appSecret: z.string().min(1),
  accessToken: z.string().min(1),
  accessSecret: z.string().min(1),
  apiBase: ApiBaseSchema,
});

export const XCredentialsSchema = z.discriminatedUnion('kind', [XOAuth2CredentialsSchema, XOAuth1CredentialsSchema]);
export type XCredentials = z.infer<typeof XCredentialsSchema>;
export type XOAuth2Credentials = z.infer<typeof XOAuth2CredentialsSchema>;

/** Hosts twitter-api-v2 calls, all moved to the API base. */
const API_HOSTS = new Set([
  'api.x.com',
  'upload.x.com',
  'stream.x.com',
  'api.twitter.com',
  'upload.twitter.com',
  'stream.twitter.com',
]);

function retarget(url: URL, base: URL): void {
  if (!API_HOSTS.has(url.hostname)) return;
  url.protocol = base.protocol;
  url.host = base.host;
  const prefix = base.pathname.replace(/\/+$/, '');
  if (prefix) url.pathname = prefix + url.pathname;
}

export interface RateLimitSink {
  (limit: TwitterRateLimit): void;
}

/** The plugin that points every request (REST, media, OAuth, streams) at `apiBase`. */
export function baseUrlPlugin(apiBase: string, onRateLimit?: RateLimitSink): ITwitterApiClientPlugin {
  const base = new URL(apiBase);
  const isDefault = base.origin === DEFAULT_API_BASE && base.pathname === '/';
  return {
    onBeforeRequest({ computedParams }) {
      if (!isDefault) retarget(computedParams.url, base);
    },
    onBeforeStreamRequestConfig({ params }) {
      if (isDefault) return;
      const url = new URL(params.url.startsWith('http') ? params.url : `https://${params.url}`);
      retarget(url, base);
      params.url = url.toString();
    },
    onAfterRequest({ response }) {
      if (response.rateLimit && onRateLimit) onRateLimit(response.rateLimit);
    },
    onResponseError({ error }) {
      if (error.rateLimit && onRateLimit) onRateLimit(error.rateLimit);
    },
  };
}

/** Settings for a TwitterApi client on `apiBase`: the plugin, and a plain-http agent where needed. */
export function clientSettings(apiBase: string, onRateLimit?: RateLimitSink) {
  const plain = new URL(apiBase).protocol === 'http:';
  return {
    plugins: [baseUrlPlugin(apiBase, onRateLimit)],
    // twitter-api-v2 always calls https.request; an http.Agent makes it speak plain http.
    ...(plain ? { httpAgent: new http.Agent({ keepAlive: true }) } : {}),
  };
}

export function userClient(creds: XCredentials, onRateLimit?: RateLimitSink): TwitterApiReadWrite {
  const settings = clientSettings(creds.apiBase, onRateLimit);
  const api =
    creds.kind === 'oauth2'
      ? new TwitterApi(creds.accessToken, settings)
      : new TwitterApi(
          {
            appKey: creds.appKey,
            appSecret: creds.appSecret,
            accessToken: creds.accessToken,
            accessSecret: creds.accessSecret,
          },
          settings,
        );
  return api.readWrite;
}

const NETWORK_DOWN = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

function problemOf(data: unknown): { type?: string; reason?: string; detail?: string; error?: string } {
  return typeof data === 'object' && data !== null ? (data as Record<string, string>) : {};
}

/**
 * Maps anything twitter-api-v2 (or our response checks) threw to the shared taxonomy.
 * `feature` names what was being done, in words ("search", "your home timeline").
 */
export function toColonnadeError(err: unknown, feature: string): ColonnadeError {
  if (err instanceof ColonnadeError) return err;
  if (err instanceof z.ZodError) {
    return new ColonnadeError('invalid', `X answered ${feature} with data Colonnade does not understand.`);
  }
  if (err instanceof ApiResponseError) {
    const p = problemOf(err.data);
    switch (true) {
      case err.code === 401:
        return new ColonnadeError('auth-expired', 'X no longer accepts this account’s sign-in. Reconnect it.');
      case err.code === 403 && (p.reason === 'client-not-enrolled' || (p.type ?? '').endsWith('client-forbidden')):
        return new ColonnadeError('not-allowed', `Your X plan does not include ${feature}.`);
      case err.code === 403:
        return new ColonnadeError('not-allowed', `X does not allow this account ${feature}.`);
      case err.code === 429: {
        const reset = err.rateLimit?.reset ?? Number(err.headers?.['x-rate-limit-reset']);
        const resetAt = Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000).toISOString() : undefined;
        return new ColonnadeError(
          'rate-limited',
          `X asks Colonnade to slow down on ${feature}.`,
          resetAt ? { resetAt } : {},
        );
      }
      case err.code === 404:
        return new ColonnadeError('not-found', `X could not find what ${feature} needs.`);
      case err.code === 400 && p.error === 'invalid_grant':
        return new ColonnadeError('auth-expired', 'X no longer accepts this account’s sign-in. Reconnect it.');
      case err.code >= 500:
        return new ColonnadeError('transient', `X had a problem with ${feature}. Colonnade will try again.`);
      default:
        return new ColonnadeError('invalid', `X refused ${feature}${p.detail ? `: ${p.detail}` : '.'}`);
    }
  }
  if (err instanceof ApiPartialResponseError) {
    if (err.responseError instanceof SyntaxError) {
      return new ColonnadeError('invalid', `X answered ${feature} with data Colonnade does not understand.`);
    }
    return new ColonnadeError('transient', `The connection to X broke during ${feature}.`);
  }
  if (err instanceof ApiRequestError) {
    // twitter-api-v2 1.29 stores the cause as `error` but reads it back as `requestError`.
    const options = (err as unknown as { _options?: { error?: unknown; requestError?: unknown } })._options;
    const cause = (options?.requestError ?? options?.error) as NodeJS.ErrnoException | undefined;
    const code = cause?.code ?? '';
    if (NETWORK_DOWN.has(code)) return new ColonnadeError('offline', 'X cannot be reached. Check the connection.');
    return new ColonnadeError('transient', `The connection to X broke during ${feature}.`);
  }
  return new ColonnadeError('transient', `Something went wrong talking to X during ${feature}.`);
}
