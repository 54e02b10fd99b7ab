// The networks accounts can be connected on, as NetworkModules for the accounts service: how each
// connects (OAuth through a loopback callback, keys, app passwords, pasted tokens) and builds its
// adapter. Both hosts (Electron, headless) use this list.
import { ColonnadeError } from '../../shared/errors';
import type { ConnectRequest } from '../../shared/accounts';
import { BlueskyCredentialsSchema, connectBluesky, createBlueskyAdapter, type BlueskyCredentials } from './bluesky';
import {
  beginMastodonOAuth,
  completeMastodonOAuth,
  connectMastodonToken,
  createMastodonAdapter,
  MastodonCredentialsSchema,
  registerMastodonApp,
  type MastodonCredentials,
} from './mastodon';
import type { ConnectIo, NetworkModule } from './module';
import { startLoopbackCallback } from './oauth-loopback';
import {
  beginXOAuth2,
  completeXOAuth2,
  connectXOAuth1,
  createXAdapter,
  X_SCOPES,
  XCredentialsSchema,
  type XCredentials,
} from './x';

/** How long a browser sign-in may take before Colonnade gives up waiting. */
const AUTHORIZE_TIMEOUT_MS = 10 * 60_000;
const CALLBACK_PATH = '/callback';

/** Runs a browser sign-in: listen on the loopback port, show the page, wait for the callback. */
async function browserSignIn<T>(
  io: ConnectIo,
  port: number,
  flow: (redirectUri: string) => Promise<{ url: string; finish(query: URLSearchParams): Promise<T> }>,
): Promise<T> {
  const loopback = await startLoopbackCallback({ port, path: CALLBACK_PATH, timeoutMs: AUTHORIZE_TIMEOUT_MS });
  try {
    const { url, finish } = await flow(loopback.redirectUri);
    io.authorize(url);
    const cancelled = new Promise<never>((_, reject) => {
      const abort = () => reject(new ColonnadeError('invalid', 'Connection cancelled.'));
      if (io.signal.aborted) abort();
      io.signal.addEventListener('abort', abort, { once: true });
    });
    const query = await Promise.race([loopback.result, cancelled]);
    if (query.get('error')) {
      throw new ColonnadeError('not-allowed', `The network refused the sign-in (${query.get('error')}).`);
    }
    return await finish(query);
  } finally {
    loopback.close();
  }
}

const wrongMethod = (request: ConnectRequest): never => {
  throw new ColonnadeError('invalid', `Unknown way to connect: ${request.method}.`);
};

export const xNetwork: NetworkModule<XCredentials> = {
  network: 'x',
  credentialsSchema: XCredentialsSchema,
  server: (c) => c.apiBase,
  createAdapter: (credentials, ctx) => createXAdapter(credentials, ctx),
  connect: async (request, io) => {
    if (request.method === 'x-oauth1') {
      const { appKey, appSecret, accessToken, accessSecret, apiBase } = request;
      return connectXOAuth1({ appKey, appSecret, accessToken, accessSecret, ...(apiBase ? { apiBase } : {}) });
    }
    if (request.method !== 'x-oauth2') return wrongMethod(request);
    return browserSignIn(io, request.callbackPort, async (redirectUri) => {
      const begin = beginXOAuth2({
        clientId: request.clientId,
        clientSecret: request.clientSecret || undefined,
        apiBase: request.apiBase,
        redirectUri,
        scopes: X_SCOPES,
      });
      return { url: begin.url, finish: (query) => completeXOAuth2(begin, query, io.clock.now) };
    });
  },
};

export const mastodonNetwork: NetworkModule<MastodonCredentials> = {
  network: 'mastodon',
  credentialsSchema: MastodonCredentialsSchema,
  server: (c) => c.instanceUrl,
  createAdapter: (credentials, ctx) => createMastodonAdapter(credentials, ctx),
  connect: async (request, io) => {
    if (request.method === 'mastodon-token') return connectMastodonToken(request.instanceUrl, request.accessToken);
    if (request.method !== 'mastodon-oauth') return wrongMethod(request);
    return browserSignIn(io, request.callbackPort, async (redirectUri) => {
      const app = await registerMastodonApp(request.instanceUrl, redirectUri);
      const begin = beginMastodonOAuth({ instanceUrl: request.instanceUrl, clientId: app.clientId, redirectUri });
      return { url: begin.url, finish: (query) => completeMastodonOAuth(begin, query, app.clientSecret) };
    });
  },
};

export const blueskyNetwork: NetworkModule<BlueskyCredentials> = {
  network: 'bluesky',
  credentialsSchema: BlueskyCredentialsSchema,
  server: (c) => c.service,
  createAdapter: (credentials, ctx) => createBlueskyAdapter(credentials, ctx),
  connect: async (request, io) => {
    if (request.method !== 'bluesky-app-password') return wrongMethod(request);
    const { service, identifier, appPassword } = request;
    return connectBluesky({ service, identifier, appPassword }, { now: io.clock.now });
  },
};

/** Every network Colonnade can connect accounts on. */
export const NETWORKS: readonly NetworkModule[] = [
  xNetwork,
  blueskyNetwork,
  mastodonNetwork,
] as readonly NetworkModule[];
