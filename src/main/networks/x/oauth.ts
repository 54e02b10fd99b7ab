// Connecting an X account: OAuth 2.0 with PKCE through a loopback callback, or OAuth 1.0a keys.
import { ApiPartialResponseError, ApiResponseError, TwitterApi } from 'twitter-api-v2';
import { ColonnadeError } from '../../../shared/errors';
import { notAServer } from '../server-probe';
import {
  DEFAULT_API_BASE,
  DEFAULT_AUTHORIZE_BASE,
  XCredentialsSchema,
  clientSettings,
  toColonnadeError,
  userClient,
  type XCredentials,
} from './client';
import { XUserResponseSchema } from './normalize';

export interface XOAuth2BeginOptions {
  clientId: string;
  clientSecret?: string | undefined;
  /** API base URL (default https://api.x.com). */
  apiBase?: string | undefined;
  /** Where the authorize page lives (default https://x.com; the API base when that is not X's). */
  authorizeBase?: string | undefined;
  /** Must match the callback URL registered for the app exactly (http://127.0.0.1:PORT/...). */
  redirectUri: string;
  scopes: string[];
}

export interface XOAuth2Begin {
  /** Open this in the browser. */
  url: string;
  state: string;
  codeVerifier: string;
  clientId: string;
  clientSecret?: string | undefined;
  apiBase: string;
  redirectUri: string;
}

/** Scopes Colonnade needs; offline.access gives the refresh token. */
export const X_SCOPES = [
  'tweet.read',
  'tweet.write',
  'users.read',
  'like.write',
  'list.read',
  'media.write',
  'offline.access',
];

const appClient = (clientId: string, clientSecret: string | undefined, apiBase: string) =>
  new TwitterApi({ clientId, ...(clientSecret ? { clientSecret } : {}) }, clientSettings(apiBase));

export function beginXOAuth2(options: XOAuth2BeginOptions): XOAuth2Begin {
  const apiBase = (options.apiBase ?? DEFAULT_API_BASE).replace(/\/+$/, '');
  const authorizeBase = options.authorizeBase ?? (apiBase === DEFAULT_API_BASE ? DEFAULT_AUTHORIZE_BASE : apiBase);
  const scopes = [...new Set([...options.scopes, 'offline.access'])];
  const link = appClient(options.clientId, options.clientSecret, apiBase).generateOAuth2AuthLink(options.redirectUri, {
    scope: scopes,
  });
  const url = new URL(link.url);
  const base = new URL(authorizeBase);
  url.protocol = base.protocol;
  url.host = base.host;
  return {
    url: url.toString(),
    state: link.state,
    codeVerifier: link.codeVerifier,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    apiBase,
    redirectUri: options.redirectUri,
  };
}

/**
 * Finishes the OAuth 2.0 flow with the query the browser brought back to the loopback callback:
 * exchanges the code (POST /2/oauth2/token, grant_type=authorization_code) for the first pair.
 * `now` is the app's clock (ms), which dates the pair (`issuedAt`, `expiresAt`) for the refresh
 * margin. Store exactly what this answers: its refresh token is the only live one of the grant.
 */
export async function completeXOAuth2(
  begin: XOAuth2Begin,
  callbackQuery: URLSearchParams,
  now: () => number = Date.now,
): Promise<XCredentials> {
  if (callbackQuery.get('state') !== begin.state) {
    throw new ColonnadeError('invalid', 'The answer from X does not belong to this sign-in. Try connecting again.');
  }
  if (callbackQuery.get('error')) {
    throw new ColonnadeError('not-allowed', 'X did not grant access to the account.');
  }
  const code = callbackQuery.get('code');
  if (!code) throw new ColonnadeError('invalid', 'X did not send a sign-in code. Try connecting again.');
  try {
    const result = await appClient(begin.clientId, begin.clientSecret, begin.apiBase).loginWithOAuth2({
      code,
      codeVerifier: begin.codeVerifier,
      redirectUri: begin.redirectUri,
    });
    if (!result.refreshToken) {
      throw new ColonnadeError('invalid', 'X did not grant offline access; Colonnade needs it to stay signed in.');
    }
    const issuedAt = now();
    return XCredentialsSchema.parse({
      kind: 'oauth2',
      clientId: begin.clientId,
      ...(begin.clientSecret ? { clientSecret: begin.clientSecret } : {}),
      accessToken: result.accessToken,
      refreshToken: result.refreshToken,
      expiresAt: issuedAt + result.expiresIn * 1000,
      issuedAt,
      apiBase: begin.apiBase,
    });
  } catch (err) {
    if (notFromX(err)) throw notAServer('X', begin.apiBase, 'apiBase');
    throw toColonnadeError(err, 'signing-in');
  }
}

export interface XOAuth1Keys {
  appKey: string;
  appSecret: string;
  accessToken: string;
  accessSecret: string;
  apiBase?: string | undefined;
}

/**
 * True when a failed first call was not answered by an X API server: X answers every error as
 * JSON (problem details, `application/problem+json`, or v1.1 `{ errors }`) and serves users/me
 * and oauth2/token at every base, so an HTML page, a 404 or 405 there, or a body that is not
 * JSON at all, comes from some other web server at that address.
 */
function notFromX(err: unknown): boolean {
  if (err instanceof ApiPartialResponseError) return err.responseError instanceof SyntaxError;
  if (!(err instanceof ApiResponseError)) return false;
  const type = String(err.headers?.['content-type'] ?? '');
  return err.code === 404 || err.code === 405 || !/json/i.test(type);
}

/** Checks OAuth 1.0a keys with users/me and answers them as credentials. */
export async function connectXOAuth1(keys: XOAuth1Keys): Promise<XCredentials> {
  const creds = XCredentialsSchema.parse({ kind: 'oauth1', ...keys, apiBase: keys.apiBase ?? DEFAULT_API_BASE });
  let raw: unknown;
  try {
    raw = await userClient(creds).v2.get('users/me');
  } catch (err) {
    if (notFromX(err)) throw notAServer('X', creds.apiBase, 'apiBase');
    throw toColonnadeError(err, 'account-check');
  }
  if (!XUserResponseSchema.safeParse(raw).data?.data) {
    if (creds.apiBase !== DEFAULT_API_BASE) throw notAServer('X', creds.apiBase, 'apiBase');
    throw new ColonnadeError('invalid', 'X answered the account check with data Colonnade does not understand.');
  }
  return creds;
}
