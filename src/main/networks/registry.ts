// The networks accounts can be connected on, as NetworkModules for the accounts service: how each
// connects (OAuth through a loopback callback, keys, app passwords, pasted tokens) and builds its
// adapter. Both hosts (Electron, headless) use this list. Each network's code (and its library:
// twitter-api-v2, @atproto/api, masto) loads on first use, so a start without accounts of a
// network does not pay for it.
import type { ConnectRequest } from '../../shared/accounts';
import { ColonnadeError } from '../../shared/errors';
import type { BlueskyCredentials } from './bluesky';
import type { MastodonCredentials } from './mastodon';
import type { ConnectIo, NetworkModule } from './module';
import { startLoopbackCallback } from './oauth-loopback';
import type { XCredentials } from './x';

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

const loadX = () => import('./x');
const loadBluesky = () => import('./bluesky');
const loadMastodon = () => import('./mastodon');

export const xNetwork: NetworkModule<XCredentials> = {
  network: 'x',
  parseCredentials: async (raw) => (await loadX()).XCredentialsSchema.parse(raw),
  server: (c) => c.apiBase,
  connectMethod: (c) => (c.kind === 'oauth1' ? 'x-oauth1' : 'x-oauth2'),
  createAdapter: async (credentials, ctx) => (await loadX()).createXAdapter(credentials, ctx),
  connect: async (request, io) => {
    const x = await loadX();
    if (request.method === 'x-oauth1') {
      const { appKey, appSecret, accessToken, accessSecret, apiBase } = request;
      return x.connectXOAuth1({ appKey, appSecret, accessToken, accessSecret, ...(apiBase ? { apiBase } : {}) });
    }
    if (request.method !== 'x-oauth2') return wrongMethod(request);
    return browserSignIn(io, request.callbackPort, async (redirectUri) => {
      const begin = x.beginXOAuth2({
        clientId: request.clientId,
        clientSecret: request.clientSecret || undefined,
        apiBase: request.apiBase,
        redirectUri,
        scopes: x.X_SCOPES,
      });
      return { url: begin.url, finish: (query) => x.completeXOAuth2(begin, query, io.clock.now) };
    });
  },
};

export const mastodonNetwork: NetworkModule<MastodonCredentials> = {
  network: 'mastodon',
  parseCredentials: async (raw) => (await loadMastodon()).MastodonCredentialsSchema.parse(raw),
  server: (c) => c.instanceUrl,
  connectMethod: (c) => (c.clientId ? 'mastodon-oauth' : 'mastodon-token'),
  createAdapter: async (credentials, ctx) => (await loadMastodon()).createMastodonAdapter(credentials, ctx),
  connect: async (request, io) => {
    const mastodon = await loadMastodon();
    if (request.method === 'mastodon-token')
      return mastodon.connectMastodonToken(request.instanceUrl, request.accessToken);
    if (request.method !== 'mastodon-oauth') return wrongMethod(request);
    return browserSignIn(io, request.callbackPort, async (redirectUri) => {
      const app = await mastodon.registerMastodonApp(request.instanceUrl, redirectUri);
      const begin = mastodon.beginMastodonOAuth({
        instanceUrl: request.instanceUrl,
        clientId: app.clientId,
        redirectUri,
      });
      return { url: begin.url, finish: (query) => mastodon.completeMastodonOAuth(begin, query, app.clientSecret) };
    });
  },
};

export const blueskyNetwork: NetworkModule<BlueskyCredentials> = {
  network: 'bluesky',
  parseCredentials: async (raw) => (await loadBluesky()).BlueskyCredentialsSchema.parse(raw),
  server: (c) => c.service,
  connectMethod: () => 'bluesky-app-password',
  createAdapter: async (credentials, ctx) => (await loadBluesky()).createBlueskyAdapter(credentials, ctx),
  connect: async (request, io) => {
    if (request.method !== 'bluesky-app-password') return wrongMethod(request);
    const { service, identifier, appPassword } = request;
    return (await loadBluesky()).connectBluesky({ service, identifier, appPassword }, { now: io.clock.now });
  },
};

/** Every network Colonnade can connect accounts on. */
export const NETWORKS: readonly NetworkModule[] = [
  xNetwork,
  blueskyNetwork,
  mastodonNetwork,
] as readonly NetworkModule[];
