// Connecting a Mastodon account: register Colonnade with the instance (per instance: Mastodon
// has no global client ids), OAuth 2 authorization code with PKCE (S256), or a pasted access token.
// Tokens never appear in errors or logs.
import { createHash, randomBytes } from 'node:crypto';
import { createOAuthAPIClient, createRestAPIClient } from 'masto';
import { z } from 'zod';
import { isSecureOrLoopback, withScheme } from '../../../shared/accounts';
import { ColonnadeError } from '../../../shared/errors';
import { answersAs, notAServer } from '../server-probe';
import { toColonnadeError } from './errors';
import { parseAccount } from './normalize';

export const MastodonCredentialsSchema = z.object({
  /** https://host (http only for loopback, which tests and local instances use). */
  instanceUrl: z.url(),
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  accessToken: z.string().min(1),
});
export type MastodonCredentials = z.infer<typeof MastodonCredentialsSchema>;

export const OOB_REDIRECT = 'urn:ietf:wg:oauth:2.0:oob';
export const DEFAULT_SCOPES = 'read write';
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * "mastodon.social", "https://mastodon.social/", "https://mastodon.social/@me" → https://mastodon.social.
 * Plain http is refused except on loopback: the token would cross the network in clear.
 */
export function normalizeInstanceUrl(input: string): string {
  const trimmed = input.trim().replace(/^@?[^@\s/]+@(?=[^@\s/]+\.[^@\s/]+$)/, '');
  let url: URL;
  try {
    url = new URL(withScheme(trimmed));
  } catch {
    throw new ColonnadeError('invalid', `"${input}" is not a Mastodon instance address.`, { field: 'instanceUrl' });
  }
  if (!isSecureOrLoopback(url)) {
    throw new ColonnadeError('invalid', 'Mastodon instances are reached over https.', { field: 'instanceUrl' });
  }
  return url.origin;
}

const hostOf = (instanceUrl: string) => new URL(instanceUrl).host;

/**
 * True for an instance document: /api/v2/instance has `domain`, /api/v1/instance (older Mastodon,
 * GoToSocial, Pleroma, Akkoma) `uri`; an instance in limited federation mode answers either with
 * Mastodon's JSON `{ error }` (app/controllers/api/v1/instances_controller.rb requires a user there).
 */
const isInstance = (body: unknown) =>
  typeof body === 'object' &&
  body !== null &&
  ['domain', 'uri', 'error'].some((k) => typeof (body as Record<string, unknown>)[k] === 'string');

/**
 * A failure of the first call to an address the user just typed, in words: when the address
 * answered but not as Mastodon does (a web site's 404 page, another API's JSON), asks
 * /api/v2/instance then /api/v1/instance what it is, and says `not-a-server` when neither is an
 * instance document. An address nobody answers on stays `unreachable` (naming the field).
 */
async function firstCallFailure(err: unknown, instanceUrl: string): Promise<ColonnadeError> {
  const mapped = toColonnadeError(err, hostOf(instanceUrl));
  if (mapped.code === 'offline') {
    return new ColonnadeError(mapped.code, mapped.message, {
      field: 'instanceUrl',
      ...(mapped.reason ? { reason: mapped.reason } : {}),
      ...(mapped.params ? { params: mapped.params } : {}),
    });
  }
  if (mapped.code === 'rate-limited' || mapped.reason === 'timeout') return mapped;
  for (const path of ['/api/v2/instance', '/api/v1/instance']) {
    const answer = await answersAs(instanceUrl, path, isInstance);
    if (answer !== false) return mapped;
  }
  return notAServer('Mastodon', instanceUrl, 'instanceUrl');
}

export interface MastodonApp {
  clientId: string;
  clientSecret: string;
}

/** Registers Colonnade as an app on the instance (POST /api/v1/apps). */
export async function registerMastodonApp(
  instanceUrl: string,
  redirectUri: string,
  scopes: string = DEFAULT_SCOPES,
): Promise<MastodonApp> {
  const url = normalizeInstanceUrl(instanceUrl);
  const client = createRestAPIClient({ url, timeout: REQUEST_TIMEOUT_MS });
  try {
    const app = await client.v1.apps.create({
      clientName: 'Colonnade',
      redirectUris: [redirectUri],
      scopes,
      website: 'https://colonnade.app',
    });
    const parsed = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1) }).safeParse(app);
    if (!parsed.success) {
      throw new ColonnadeError('invalid', `${hostOf(url)} did not register Colonnade properly.`);
    }
    return parsed.data;
  } catch (err) {
    throw await firstCallFailure(err, url);
  }
}

export interface MastodonOAuthBegin {
  /** Where to send the user's browser. */
  url: string;
  state: string;
  /** PKCE secret: kept in main until the callback, never sent anywhere but the token endpoint. */
  codeVerifier: string;
  instanceUrl: string;
  clientId: string;
  redirectUri: string;
  scopes: string;
}

/** The authorize URL with a fresh state and PKCE (S256) challenge. */
export function beginMastodonOAuth(params: {
  instanceUrl: string;
  clientId: string;
  redirectUri: string;
  scopes?: string | undefined;
}): MastodonOAuthBegin {
  const instanceUrl = normalizeInstanceUrl(params.instanceUrl);
  const scopes = params.scopes ?? DEFAULT_SCOPES;
  const state = randomBytes(24).toString('base64url');
  const codeVerifier = randomBytes(48).toString('base64url');
  const challenge = createHash('sha256').update(codeVerifier).digest('base64url');
  const url = new URL('/oauth/authorize', instanceUrl);
  url.searchParams.set('client_id', params.clientId);
  url.searchParams.set('redirect_uri', params.redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', scopes);
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return {
    url: url.toString(),
    state,
    codeVerifier,
    instanceUrl,
    clientId: params.clientId,
    redirectUri: params.redirectUri,
    scopes,
  };
}

function queryOf(callback: URLSearchParams | Record<string, string | undefined> | string): URLSearchParams {
  if (callback instanceof URLSearchParams) return callback;
  if (typeof callback === 'string') {
    const q = callback.includes('?') ? callback.slice(callback.indexOf('?') + 1) : callback;
    // A bare code pasted from the out-of-band page.
    return q.includes('=') ? new URLSearchParams(q) : new URLSearchParams({ code: q.trim() });
  }
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(callback)) if (v !== undefined) out.set(k, v);
  return out;
}

/**
 * Exchanges the code from the callback (or pasted from the out-of-band page) for a token, and
 * checks it works. Refuses a callback whose state is not the one begin made.
 */
export async function completeMastodonOAuth(
  begin: MastodonOAuthBegin,
  callbackQuery: URLSearchParams | Record<string, string | undefined> | string,
  clientSecret: string,
): Promise<MastodonCredentials> {
  const host = hostOf(begin.instanceUrl);
  const query = queryOf(callbackQuery);
  const error = query.get('error');
  if (error) {
    throw new ColonnadeError(
      error === 'access_denied' ? 'not-allowed' : 'invalid',
      error === 'access_denied'
        ? `Access was not granted on ${host}.`
        : `${host} did not authorize Colonnade (${error}).`,
    );
  }
  const oob = begin.redirectUri === OOB_REDIRECT;
  if (!oob && query.get('state') !== begin.state) {
    throw new ColonnadeError('invalid', 'That sign-in answer does not belong to this connection attempt.');
  }
  const code = query.get('code');
  if (!code) throw new ColonnadeError('invalid', `${host} sent no authorization code.`);

  const oauth = createOAuthAPIClient({ url: begin.instanceUrl, timeout: REQUEST_TIMEOUT_MS });
  let accessToken: string;
  try {
    // masto's types predate PKCE; the extra field goes through its snake_case serializer as is.
    const params = {
      grantType: 'authorization_code' as const,
      clientId: begin.clientId,
      clientSecret,
      redirectUri: begin.redirectUri,
      code,
      codeVerifier: begin.codeVerifier,
      scope: begin.scopes,
    };
    const token = await oauth.token.create(params);
    const parsed = z.object({ accessToken: z.string().min(1) }).safeParse(token);
    if (!parsed.success) throw new ColonnadeError('invalid', `${host} sent no access token.`);
    accessToken = parsed.data.accessToken;
  } catch (err) {
    const mapped = toColonnadeError(err, host);
    // A refused code is the sign-in failing, not an old session expiring.
    throw mapped.code === 'auth-expired'
      ? new ColonnadeError('invalid', `${host} refused the sign-in. Try connecting again.`, {
          ...(mapped.detail ? { detail: mapped.detail } : {}),
        })
      : mapped;
  }
  const credentials: MastodonCredentials = {
    instanceUrl: begin.instanceUrl,
    clientId: begin.clientId,
    clientSecret,
    accessToken,
  };
  await verifyToken(credentials.instanceUrl, accessToken);
  return credentials;
}

async function verifyToken(instanceUrl: string, accessToken: string) {
  const host = hostOf(instanceUrl);
  const client = createRestAPIClient({ url: instanceUrl, accessToken, timeout: REQUEST_TIMEOUT_MS });
  try {
    return parseAccount(await client.v1.accounts.verifyCredentials(), host);
  } catch (err) {
    throw toColonnadeError(err, host);
  }
}

/** A token pasted by the user (Preferences → Development on the instance), checked before use. */
export async function connectMastodonToken(instanceUrl: string, accessToken: string): Promise<MastodonCredentials> {
  const url = normalizeInstanceUrl(instanceUrl);
  const token = accessToken.trim();
  if (!token) throw new ColonnadeError('invalid', 'Paste the access token first.', { field: 'accessToken' });
  await verifyToken(url, token).catch(async (err: unknown) => {
    throw await firstCallFailure(err, url);
  });
  return { instanceUrl: url, accessToken: token };
}
