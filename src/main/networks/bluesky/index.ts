// Bluesky for Colonnade: connect with an app password, then the adapter.
import { Agent, CredentialSession, XRPCError } from '@atproto/api';
import type { NetworkAdapter } from '../../../shared/adapter';
import { ColonnadeError } from '../../../shared/errors';
import { BlueskyAdapter, type AdapterContext, type BlueskyAdapterOptions } from './adapter';
import {
  BlueskyConnectSchema,
  BlueskyCredentialsSchema,
  type BlueskyConnectRequest,
  type BlueskyCredentials,
} from './credentials';
import { answersAs, notAServer } from '../server-probe';
import { isAuthFailure, toColonnadeError } from './errors';
import { deadlineFetch } from './http';

export { BlueskyAdapter, type AdapterContext, type BlueskyAdapterOptions } from './adapter';
export {
  BlueskyConnectSchema,
  BlueskyCredentialsSchema,
  DEFAULT_BLUESKY_SERVICE,
  type BlueskyConnectRequest,
  type BlueskyCredentials,
  type BlueskySession,
} from './credentials';

/** The `scope` claim of a session's access token (no signature check: only to tell password kinds apart). */
function scopeOf(accessJwt: string): string | undefined {
  try {
    const payload: unknown = JSON.parse(Buffer.from(accessJwt.split('.')[1] ?? '', 'base64url').toString('utf8'));
    const scope = (payload as { scope?: unknown }).scope;
    return typeof scope === 'string' ? scope : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True for what an atproto service answers at com.atproto.server.describeServer: its `did`
 * (lexicons/com/atproto/server/describeServer.json), or an XRPC error body `{ error }`.
 */
const isAtprotoService = (body: unknown) =>
  typeof body === 'object' &&
  body !== null &&
  ['did', 'error'].some((k) => typeof (body as Record<string, unknown>)[k] === 'string');

/** An XRPC failure whose body was not JSON (an HTML page): not an atproto server's own answer. */
const notXrpcAnswer = (err: unknown) =>
  err instanceof XRPCError &&
  !Object.entries(err.headers ?? {}).some(([k, v]) => k.toLowerCase() === 'content-type' && /json/i.test(v ?? ''));

/**
 * App passwords are four groups of four letters or digits ("abcd-2345-efgh-6789"): what
 * com.atproto.server.createAppPassword makes (pds account-manager/helpers/password.ts).
 */
export const APP_PASSWORD_SHAPE = /^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/i;

/**
 * Why a sign-in was refused, in words. The PDS answers the same 401 AuthenticationRequired
 * "Invalid identifier or password" for an unknown handle and for a wrong password
 * (pds api/com/atproto/server/createSession.ts, account-manager `login`); so a handle is then
 * resolved (com.atproto.identity.resolveHandle answers InvalidRequest "Unable to resolve handle"
 * when no account has it), and a password that is not shaped like an app password is said to be
 * probably the account password (an old one: the current one signs in, and is refused after).
 */
async function refusedSignIn(
  err: unknown,
  service: string,
  identifier: string,
  password: string,
  fetchFn: typeof globalThis.fetch,
): Promise<ColonnadeError> {
  const detail = err instanceof Error && err.message ? err.message : undefined;
  const withDetail = detail ? { detail } : {};
  const name = `@${identifier}`;
  const isHandle = !identifier.includes('@') && !identifier.startsWith('did:');
  if (isHandle) {
    const resolves = await new Agent(new CredentialSession(new URL(service), fetchFn)).com.atproto.identity
      .resolveHandle({ handle: identifier })
      .then(
        () => true,
        (e: unknown) => (e instanceof XRPCError && e.status === 400 ? false : null),
      );
    if (resolves === false) {
      return new ColonnadeError('invalid', `No Bluesky account is called ${name} on this server.`, {
        field: 'identifier',
        reason: 'unknown-handle',
        params: { name },
        ...withDetail,
      });
    }
  }
  if (!APP_PASSWORD_SHAPE.test(password.trim())) {
    return new ColonnadeError(
      'invalid',
      'Bluesky refused this password, and it is not an app password (they look like xxxx-xxxx-xxxx-xxxx): it may be the account password. Create an app password and use it here.',
      { field: 'appPassword', reason: 'not-an-app-password', params: { name }, ...withDetail },
    );
  }
  return new ColonnadeError('invalid', `Bluesky did not accept this app password for ${name}.`, {
    field: 'appPassword',
    reason: 'wrong-app-password',
    params: { name },
    ...withDetail,
  });
}

/**
 * Signs in once with the handle (or email, or DID) and an app password, and answers the
 * credentials to keep. Refuses the account's main password (the session's token then has the
 * scope `com.atproto.access`, not `com.atproto.appPass`): an app password can be revoked on its
 * own and cannot change the account's email, password or deletion. Errors (ColonnadeError,
 * code `invalid` with `field` unless the server cannot be reached): reasons `unknown-handle`,
 * `wrong-app-password`, `not-an-app-password`, `account-password`, `two-factor-required`
 * (AuthFactorTokenRequired: only the account password asks for the emailed code),
 * `account-takedown`, `unreachable` (offline).
 */
export async function connectBluesky(
  request: BlueskyConnectRequest,
  options: { fetch?: typeof globalThis.fetch; now?: () => number; deadlineMs?: number } = {},
): Promise<BlueskyCredentials> {
  const parsed = BlueskyConnectSchema.safeParse(request);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') ?? undefined;
    throw new ColonnadeError('invalid', 'Enter a Bluesky server address, a handle and an app password.', {
      ...(field ? { field } : {}),
      reason: 'bluesky-fields',
    });
  }
  const { service, appPassword } = parsed.data;
  const identifier = parsed.data.identifier.replace(/^@/, '');
  // Each request of the sign-in gives up after REQUEST_DEADLINE_MS (http.ts), said as a timeout.
  const fetchFn = deadlineFetch(options.fetch ?? globalThis.fetch, {
    ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
  });
  const session = new CredentialSession(new URL(service), fetchFn);
  let res: Awaited<ReturnType<CredentialSession['login']>>;
  try {
    res = await session.login({ identifier, password: appPassword });
  } catch (err) {
    const mapped = toColonnadeError(err, (options.now ?? Date.now)(), { what: 'that server', actor: `@${identifier}` });
    // An address that answers, but not as an atproto server (any web site's 404 or HTML page):
    // asked what it is before any words about the account ("deleted", "wrong password").
    // A server that did not answer in time is not asked again (another deadline to wait out).
    const silent = mapped.code === 'offline' || mapped.reason === 'timeout';
    if (!silent && mapped.code !== 'rate-limited' && (notXrpcAnswer(err) || !isAuthFailure(err))) {
      const describes = '/xrpc/com.atproto.server.describeServer';
      if ((await answersAs(service, describes, isAtprotoService, fetchFn)) === false) {
        throw notAServer('Bluesky', service, 'service');
      }
    }
    if (isAuthFailure(err)) throw await refusedSignIn(err, service, identifier, appPassword, fetchFn);
    if (mapped.code === 'offline') {
      throw new ColonnadeError('offline', 'Colonnade cannot reach that server; check the address.', {
        field: 'service',
        reason: 'unreachable',
        params: { server: new URL(service).host },
      });
    }
    throw mapped;
  }
  if (scopeOf(res.data.accessJwt) === 'com.atproto.access') {
    await session.logout().catch(() => undefined);
    throw new ColonnadeError(
      'invalid',
      'That is the account password. Create an app password in Bluesky (Settings → Privacy and security → App passwords) and use it here.',
      { field: 'appPassword', reason: 'account-password' },
    );
  }
  return BlueskyCredentialsSchema.parse({
    service,
    identifier,
    appPassword,
    session: {
      did: res.data.did,
      handle: res.data.handle,
      accessJwt: res.data.accessJwt,
      refreshJwt: res.data.refreshJwt,
    },
  });
}

/** The adapter for stored credentials; it signs in lazily, on its first call. */
export function createBlueskyAdapter(
  credentials: BlueskyCredentials,
  ctx: AdapterContext,
  options: BlueskyAdapterOptions = {},
): NetworkAdapter {
  return new BlueskyAdapter(BlueskyCredentialsSchema.parse(credentials), ctx, options);
}
