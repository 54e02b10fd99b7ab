// Bluesky for Colonnade: connect with an app password, then the adapter.
import { CredentialSession } from '@atproto/api';
import type { NetworkAdapter } from '../../../shared/adapter';
import { ColonnadeError } from '../../../shared/errors';
import { BlueskyAdapter, type AdapterContext } from './adapter';
import {
  BlueskyConnectSchema,
  BlueskyCredentialsSchema,
  type BlueskyConnectRequest,
  type BlueskyCredentials,
} from './credentials';
import { isAuthFailure, toColonnadeError } from './errors';

export { BlueskyAdapter, type AdapterContext } from './adapter';
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
 * Signs in once with the handle (or email, or DID) and an app password, and answers the
 * credentials to keep. Refuses the account's main password: an app password can be revoked on
 * its own and cannot change the account's email, password or deletion.
 */
export async function connectBluesky(
  request: BlueskyConnectRequest,
  options: { fetch?: typeof globalThis.fetch; now?: () => number } = {},
): Promise<BlueskyCredentials> {
  const parsed = BlueskyConnectSchema.safeParse(request);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') ?? undefined;
    throw new ColonnadeError('invalid', 'Enter a Bluesky server address, a handle and an app password.', {
      ...(field ? { field } : {}),
    });
  }
  const { service, appPassword } = parsed.data;
  const identifier = parsed.data.identifier.replace(/^@/, '');
  const session = new CredentialSession(new URL(service), options.fetch ?? globalThis.fetch);
  let res: Awaited<ReturnType<CredentialSession['login']>>;
  try {
    res = await session.login({ identifier, password: appPassword });
  } catch (err) {
    if (isAuthFailure(err)) {
      throw new ColonnadeError('invalid', 'Bluesky did not accept this handle and app password.', {
        field: 'appPassword',
      });
    }
    throw toColonnadeError(err, (options.now ?? Date.now)());
  }
  if (scopeOf(res.data.accessJwt) === 'com.atproto.access') {
    await session.logout();
    throw new ColonnadeError(
      'invalid',
      'That is the account password. Create an app password in Bluesky (Settings → Privacy and security → App passwords) and use it here.',
      { field: 'appPassword' },
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
export function createBlueskyAdapter(credentials: BlueskyCredentials, ctx: AdapterContext): NetworkAdapter {
  return new BlueskyAdapter(BlueskyCredentialsSchema.parse(credentials), ctx);
}
