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
import { REQUEST_DEADLINE_MS } from '../../../shared/adapter';
import { ColonnadeError } from '../../../shared/errors';
import { problemType, readProblems } from './problems';

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
  /** When X issued the access token (ms since the epoch); with expiresAt, its lifetime. */
  issuedAt: z.number().int().optional(),
  /**
   * When X refused to renew the sign-in with `refreshToken` (ms since the epoch). That refresh
   * token is never presented again: the account needs reconnecting (see token-keeper.ts).
   */
  refusedAt: z.number().int().optional(),
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

/**
 * Told the 15-minute window (`x-rate-limit-*`) of every response that states one, success or
 * error, with the endpoint it belongs to (`path` as the library was asked for it, `/2/...`,
 * before the API base moved it).
 */
export interface RateLimitSink {
  (limit: TwitterRateLimit, endpoint: { method: string; path: string }): void;
}

/** What a client built by `clientSettings` reports and how long it waits. */
export interface ClientHooks {
  onRateLimit?: RateLimitSink | undefined;
  /**
   * How long a request may stay unanswered before it fails as a timeout, in milliseconds
   * (default REQUEST_DEADLINE_MS, 30 s). twitter-api-v2 hands `requestOptions.timeout` to
   * `https.request` and, when it is set, destroys the request with "Request timeout." once the
   * socket has been idle that long (request-handler.helper.js, `timeoutErrorHandler`).
   */
  deadlineMs?: number | undefined;
}

/** The message twitter-api-v2 destroys a request with when its `timeout` passes (see ClientHooks). */
const LIBRARY_TIMEOUT = 'Request timeout.';

/**
 * The plugin that points every request (REST, media, OAuth, streams) at `apiBase`, gives every
 * request a deadline, and reports rate-limit windows.
 */
export function baseUrlPlugin(apiBase: string, hooks: ClientHooks = {}): ITwitterApiClientPlugin {
  const base = new URL(apiBase);
  const isDefault = base.origin === DEFAULT_API_BASE && base.pathname === '/';
  const deadline = hooks.deadlineMs ?? REQUEST_DEADLINE_MS;
  const report = (limit: TwitterRateLimit | undefined, method: string | undefined, url: URL) => {
    if (limit && hooks.onRateLimit)
      hooks.onRateLimit(limit, { method: (method ?? 'GET').toUpperCase(), path: url.pathname });
  };
  return {
    onBeforeRequest({ computedParams, requestOptions }) {
      requestOptions.timeout = deadline;
      if (!isDefault) retarget(computedParams.url, base);
    },
    onBeforeStreamRequestConfig({ params }) {
      if (isDefault) return;
      const url = new URL(params.url.startsWith('http') ? params.url : `https://${params.url}`);
      retarget(url, base);
      params.url = url.toString();
    },
    onAfterRequest({ response, computedParams, url }) {
      report(response.rateLimit, computedParams.method, url);
    },
    onResponseError({ error, computedParams, url }) {
      report(error.rateLimit, computedParams.method, url);
    },
  };
}

/** Settings for a TwitterApi client on `apiBase`: the plugin, and a plain-http agent where needed. */
export function clientSettings(apiBase: string, hooks: ClientHooks = {}) {
  const plain = new URL(apiBase).protocol === 'http:';
  return {
    plugins: [baseUrlPlugin(apiBase, hooks)],
    // twitter-api-v2 always calls https.request; an http.Agent makes it speak plain http.
    ...(plain ? { httpAgent: new http.Agent({ keepAlive: true }) } : {}),
  };
}

export function userClient(creds: XCredentials, hooks: ClientHooks = {}): TwitterApiReadWrite {
  const settings = clientSettings(creds.apiBase, hooks);
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

/**
 * An X error body, read loosely: a Problem (RFC 7807; the spec's `components/schemas/Problem`
 * union, plus the types the live API sends that the spec no longer lists: `about:blank` with
 * `title`/`detail`/`status`, `client-forbidden` with `reason`, `usage-capped` with
 * `period`/`scope`, `unsupported-authentication`, `conflict`, the stream types), or an OAuth
 * 2.0 error of the token endpoint (RFC 6749 §5.2: `error`, `error_description`).
 * `type` is the last part of the problem's URI (`https://api.x.com/2/problems/<type>`).
 */
interface XProblem {
  type: string;
  reason?: string;
  detail?: string;
  /** `errors[].message` of an invalid-request (one per refused parameter). */
  messages: string[];
  error?: string;
  /** usage-capped: `Daily` or `Monthly`. */
  period?: string;
}

function problemOf(data: unknown): XProblem {
  const o = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const str = (key: string): string | undefined => (typeof o[key] === 'string' ? (o[key] as string) : undefined);
  const errors = Array.isArray(o['errors']) ? (o['errors'] as unknown[]) : [];
  const messages = readProblems(errors).flatMap((e) => e.message ?? e.detail ?? []);
  const type = problemType(o['type']);
  const detail = str('detail') ?? str('error_description');
  const reason = str('reason');
  const error = str('error');
  const period = str('period');
  return {
    type,
    messages,
    ...(detail === undefined ? {} : { detail }),
    ...(reason === undefined ? {} : { reason }),
    ...(error === undefined ? {} : { error }),
    ...(period === undefined ? {} : { period }),
  };
}

/** Refusals X words only in `detail` (any problem type), by what they say: reason and code. */
const REFUSALS_BY_WORDS: { words: RegExp; code: ColonnadeError['code']; reason: string; message: string }[] = [
  {
    // 403 about:blank "You are not allowed to create a Tweet with duplicate content."
    words: /duplicate content/i,
    code: 'invalid',
    reason: 'duplicate-post',
    message: 'X refuses a post with the same text as one this account just posted.',
  },
  {
    // "Your Tweet text is too long." (400 invalid-request; also worded with the text's length)
    words: /too long|text.{0,40}\blength\b|\blength\b.{0,40}text/i,
    code: 'invalid',
    reason: 'too-long',
    message: 'X refuses this post: its text is too long.',
  },
  {
    // 403 "You attempted to reply to a Tweet that is deleted or not visible to you."
    words: /deleted or not visible/i,
    code: 'not-found',
    reason: 'x-deleted-or-hidden',
    message: 'That post is deleted or not visible to this account.',
  },
  {
    // 403 "Your client app is not configured with the appropriate oauth1 app permissions for this endpoint."
    words: /app permissions/i,
    code: 'not-allowed',
    reason: 'x-app-permissions',
    message: 'The X developer app does not have the permissions this needs (read and write).',
  },
];

/**
 * What was being done when X refused: each key is a key of the UI's `features` translations
 * (sent as `params.feature`), each value the English words of the error's message (which stays
 * in the logs): "Your X plan does not include search."
 */
export const X_FEATURES = {
  home: 'your home timeline',
  mentions: 'mentions',
  search: 'search',
  'user-timelines': 'user timelines',
  lists: 'lists',
  column: 'this column',
  'account-check': 'checking the account',
  'media-alt': 'describing images',
  posting: 'posting',
  'media-upload': 'uploading media',
  metrics: 'metrics',
  deleting: 'deleting posts',
  likes: 'likes',
  reposts: 'reposts',
  'sign-in': 'renewing the sign-in',
  'signing-in': 'signing in',
  'quoted-posts': 'reading quoted posts',
  'recent-posts': 'checking your recent posts',
  threads: 'reading conversations',
  profiles: 'reading profiles',
} as const;

/** What was being done, as a key of `X_FEATURES` (and of the UI's `features` translations). */
export type XFeature = keyof typeof X_FEATURES;

/** One of X's limits as its response headers give it: `reset` in epoch seconds. */
interface HeaderLimit {
  limit: number | undefined;
  remaining: number;
  reset: number;
}

/**
 * The limit `x-<name>-{limit,remaining,reset}` of an error's headers, or undefined when X did not
 * send it (or sent something that is not a number).
 */
function headerLimit(err: ApiResponseError, name: string): HeaderLimit | undefined {
  const read = (part: string): number | undefined => {
    const raw = err.headers?.[`x-${name}-${part}`];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined || value.trim() === '') return undefined;
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  };
  const remaining = read('remaining');
  const reset = read('reset');
  if (remaining === undefined || reset === undefined || reset <= 0) return undefined;
  return { limit: read('limit'), remaining, reset };
}

/** Which of X's limits a refusal hit: the account's or the app's 24-hour allowance, or the 15-minute window. */
interface LimitHit {
  scope: 'user-day' | 'app-day' | 'window';
  /** When it lifts (ISO instant), when X said. */
  resetAt?: string;
  /** How many requests the limit allows, when X said. */
  limit?: number;
}

const isoOf = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString();

/**
 * The limit a 429 hit and when it lifts. Beside the 15-minute window (`x-rate-limit-*`), X
 * sends the 24-hour allowances where they apply (docs.x.com "Rate limits": POST /2/tweets on
 * the Free and Basic plans): `x-user-limit-24hour-*` per user and `x-app-limit-24hour-*` per
 * developer app, each with `remaining` and `reset` (epoch seconds). A spent 24-hour allowance
 * binds: its reset is when posting is possible again, not the window's (plhery/node-twitter-
 * api-v2#553). twitter-api-v2 reads them into `rateLimit.userDay` / `rateLimit.day` only when
 * the 15-minute headers came too, so they are read from the error's headers here. When both are
 * spent, the later reset binds.
 */
export function limitHit(err: ApiResponseError): LimitHit {
  const days = (
    [
      ['user-day', headerLimit(err, 'user-limit-24hour')],
      ['app-day', headerLimit(err, 'app-limit-24hour')],
    ] as const
  ).filter((d): d is readonly ['user-day' | 'app-day', HeaderLimit] => d[1] !== undefined && d[1].remaining <= 0);
  const binding = days.sort((a, b) => b[1].reset - a[1].reset)[0];
  if (binding) {
    const [scope, day] = binding;
    return { scope, resetAt: isoOf(day.reset), ...(day.limit === undefined ? {} : { limit: day.limit }) };
  }
  const reset = err.rateLimit?.reset ?? Number(err.headers?.['x-rate-limit-reset']);
  return {
    scope: 'window',
    ...(Number.isFinite(reset) && reset > 0 ? { resetAt: isoOf(reset) } : {}),
  };
}

type Make = (
  code: ColonnadeError['code'],
  message: string,
  reason: string,
  extra?: { resetAt?: string | undefined; params?: Record<string, string> },
) => ColonnadeError;

/** A maker of errors for `feature` (named in `params.feature`) carrying X's `detail`. */
function maker(feature: XFeature, detail: string | undefined): Make {
  const base = { feature };
  return (code, message, reason, extra = {}) =>
    new ColonnadeError(code, message, {
      reason,
      params: { ...base, ...(extra.params ?? {}) },
      ...(detail ? { detail } : {}),
      ...(extra.resetAt ? { resetAt: extra.resetAt } : {}),
    });
}

/**
 * A problem by its type (the spec's `Problem` union, components/schemas, plus the types the live
 * API adds), or undefined for `about:blank` and types X may add later (then the HTTP status
 * decides). The same mapping serves error answers and the `errors[]` of 200 answers.
 */
function byType(p: XProblem, key: XFeature, make: Make): ColonnadeError | undefined {
  const feature = X_FEATURES[key];
  const detail = p.detail ?? p.messages[0];
  switch (p.type) {
    case 'client-forbidden':
      return p.reason === 'official-client-forbidden'
        ? make('not-allowed', `X does not allow this app ${feature}.`, 'x-official-client-forbidden')
        : make('not-allowed', `Your X plan does not include ${feature}.`, 'x-plan-excludes');
    case 'unsupported-authentication':
      return make(
        'not-allowed',
        `X does not accept this kind of sign-in for ${feature}.`,
        'x-unsupported-authentication',
      );
    case 'not-authorized-for-resource':
      return make('not-allowed', `X does not allow this account ${feature}.`, 'x-not-authorized');
    case 'not-authorized-for-field':
    case 'field-unauthorized':
      return make('not-allowed', `X does not show this account some data ${feature} needs.`, 'x-field-not-authorized');
    case 'disallowed-resource':
      return make('not-allowed', `X does not allow ${feature} on this.`, 'x-disallowed');
    case 'resource-not-found':
      return make('not-found', `X could not find what ${feature} needs.`, 'x-not-found');
    case 'resource-unavailable':
      return make('not-found', `What ${feature} needs is not available on X (suspended or withheld).`, 'x-unavailable');
    case 'field-hydration-failure':
    case 'internal-error':
      return make('transient', `X had a problem with ${feature}. Colonnade will try again.`, 'server-error');
    case 'operational-disconnect':
    case 'client-disconnected':
    case 'streaming-connection':
      return make('transient', `X closed the connection during ${feature}.`, 'connection-broken');
    case 'conflict':
      return make('invalid', `X refused ${feature}: it conflicts with the account’s current state.`, 'x-conflict');
    case 'rule-cap':
    case 'invalid-rules':
    case 'duplicate-rules':
    case 'noncompliant-rules':
      return make('invalid', `X refused the search rules of ${feature}.`, 'x-stream-rules');
    case 'invalid-request':
      return make('invalid', `X refused ${feature}${detail ? `: ${detail}` : '.'}`, 'invalid-request');
  }
  return undefined;
}

/**
 * A Problem X put in the `errors[]` of a 200 answer (spec `Problem`: `type`, `detail`,
 * `resource_type`…), in the shared taxonomy by its type, with X's `detail`. For answers whose
 * `errors[]` are about what was asked for (see the adapter's `refusalOf`, which first words the
 * refusals about a user or a list it can name).
 */
export function problemError(problem: unknown, feature: XFeature): ColonnadeError {
  const p = problemOf(problem);
  const make = maker(feature, p.detail ?? p.messages[0]);
  return byType(p, feature, make) ?? make('invalid', `X refused ${X_FEATURES[feature]}.`, 'invalid-request');
}

/**
 * An X error answer in the shared taxonomy, with a `reason` (a key of the UI's `reasons`
 * translations) and X's own words as `detail`. Refusals X words in `detail` come first (a 403
 * "duplicate content" is a duplicate post, not a missing permission), then the limits of a 429
 * (which one: see `limitHit`), then the problem type, then the HTTP status for `about:blank`
 * and types X may add later.
 */
function fromResponse(err: ApiResponseError, key: XFeature): ColonnadeError {
  const feature = X_FEATURES[key];
  const p = problemOf(err.data);
  const detail = p.detail ?? p.messages[0];
  const make = maker(key, detail);
  const status = err.code;

  if (p.error) {
    // OAuth 2.0 token endpoint (RFC 6749 §5.2); the refresh itself is handled in token-keeper.ts.
    if (p.error === 'invalid_client' || p.error === 'unauthorized_client')
      return make(
        'auth-expired',
        'X no longer accepts this developer app’s keys. Reconnect the account.',
        'x-app-refused',
      );
    return make('auth-expired', 'X refused the sign-in. Reconnect the account.', 'x-sign-in-refused');
  }
  const words = [p.detail ?? '', ...p.messages].join('\n');
  const known = REFUSALS_BY_WORDS.find((r) => r.words.test(words));
  if (known && status !== 401 && status !== 429 && status < 500) {
    const e = make(known.code, known.message, known.reason);
    // X's limit for accounts without a subscription (the composer's rule, textRules).
    if (known.reason !== 'too-long') return e;
    return new ColonnadeError(e.code, e.message, {
      reason: e.reason,
      detail: e.detail,
      params: { max: '280', unit: 'characters' },
    });
  }

  if (status === 401) {
    return make('auth-expired', 'X no longer accepts this account’s sign-in. Reconnect it.', 'session-expired');
  }
  if (p.type === 'usage-capped' && p.period !== 'Daily') {
    // The plan's monthly cap: neither the 15-minute window nor a 24-hour reset says when it lifts.
    return make('rate-limited', `The X app has used up its plan’s posts for now (${feature}).`, 'x-usage-capped');
  }
  if (status === 429 || p.type === 'usage-capped') {
    const hit = limitHit(err);
    const limit: Record<string, string> = hit.limit === undefined ? {} : { limit: String(hit.limit) };
    if (hit.scope === 'user-day') {
      const posting = key === 'posting';
      return make(
        'rate-limited',
        posting
          ? 'This account has used up its X posts for 24 hours.'
          : `This account has used up its X allowance for ${feature} for 24 hours.`,
        posting ? 'x-daily-post-limit' : 'x-daily-limit',
        { resetAt: hit.resetAt, params: limit },
      );
    }
    if (hit.scope === 'app-day') {
      return make(
        'rate-limited',
        `The X developer app has used up its allowance for ${feature} for 24 hours, for every account using it.`,
        'x-app-daily-limit',
        { resetAt: hit.resetAt, params: limit },
      );
    }
    if (p.type === 'usage-capped') {
      // The plan's daily cap without the 24-hour headers: the 15-minute window is not when it lifts.
      return make('rate-limited', `The X app has used up its plan’s posts for now (${feature}).`, 'x-usage-capped');
    }
    return make('rate-limited', `X asks Colonnade to slow down on ${feature}.`, 'rate-limited', {
      resetAt: hit.resetAt,
    });
  }
  const typed = byType(p, key, make);
  if (typed) return typed;
  // about:blank, and types X may add later: by the HTTP status.
  if (status === 402)
    return make('not-allowed', `The X developer account has no credit left for ${feature}.`, 'x-payment-required');
  if (status === 403) return make('not-allowed', `X does not allow this account ${feature}.`, 'forbidden');
  if (status === 404) return make('not-found', `X could not find what ${feature} needs.`, 'x-not-found');
  if (status === 409)
    return make('invalid', `X refused ${feature}: it conflicts with the account’s current state.`, 'x-conflict');
  if (status >= 500)
    return make('transient', `X had a problem with ${feature}. Colonnade will try again.`, 'server-error');
  return make('invalid', `X refused ${feature}${detail ? `: ${detail}` : '.'}`, 'invalid-request');
}

/**
 * Maps anything twitter-api-v2 (or our response checks) threw to the shared taxonomy.
 * `key` names what was being done (a key of `X_FEATURES`: its words go into the message, the key
 * into `params.feature`). Every error
 * body X documents carries a `reason` (see `fromResponse`); `invalid` without a reason is kept
 * for answers Colonnade cannot read at all.
 */
export function toColonnadeError(err: unknown, key: XFeature): ColonnadeError {
  if (err instanceof ColonnadeError) return err;
  const feature = X_FEATURES[key];
  if (err instanceof z.ZodError) {
    return new ColonnadeError('invalid', `X answered ${feature} with data Colonnade does not understand.`);
  }
  if (err instanceof ApiResponseError) return fromResponse(err, key);
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
    if (cause?.message === LIBRARY_TIMEOUT || code === 'ETIMEDOUT') {
      return new ColonnadeError('transient', `X took too long to answer during ${feature}.`, {
        reason: 'timeout',
        params: { feature: key },
      });
    }
    return new ColonnadeError('transient', `The connection to X broke during ${feature}.`);
  }
  return new ColonnadeError('transient', `Something went wrong talking to X during ${feature}.`);
}
