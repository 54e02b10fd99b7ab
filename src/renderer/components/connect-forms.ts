// The connect forms of the Accounts dialog: which ways each network connects, the defaults, and
// what "Reconnect" prefills for an account.
import { DEFAULT_CALLBACK_PORT, type ConnectMethod, type ConnectRequest } from '../../shared/accounts';
import type { Account } from '../../shared/model';

export type Network = ConnectRequest['network'];
export type Field =
  | 'clientId'
  | 'clientSecret'
  | 'callbackPort'
  | 'apiBase'
  | 'appKey'
  | 'appSecret'
  | 'accessToken'
  | 'accessSecret'
  | 'service'
  | 'identifier'
  | 'appPassword'
  | 'instanceUrl';

export const METHODS: Record<Network, ConnectMethod[]> = {
  x: ['x-oauth2', 'x-oauth1'],
  bluesky: ['bluesky-app-password'],
  mastodon: ['mastodon-oauth', 'mastodon-token'],
};

/**
 * The method the form shows for `network`: the one last chosen for it in this dialog (switching to
 * Bluesky and back to Mastodon keeps "Access token"), else the network's first (its usual) one.
 */
export function methodFor(chosen: Partial<Record<Network, ConnectMethod>>, network: Network): ConnectMethod {
  const kept = chosen[network];
  return kept && METHODS[network].includes(kept) ? kept : METHODS[network][0]!;
}

export const DEFAULTS: Partial<Record<Field, string>> = {
  callbackPort: String(DEFAULT_CALLBACK_PORT),
  service: 'https://bsky.social',
};

/**
 * The form "Reconnect" opens for an account: the method it was connected with (a pasted token,
 * OAuth 1.0a keys, an app password: that same form, not the network's first one), prefilled
 * with what is known and not secret: the instance or service, the Bluesky handle, a non-default
 * X API base.
 */
export function reconnectForm(account: Account): { method: ConnectMethod; values: Partial<Record<Field, string>> } {
  const network = account.network as Network;
  const methods = METHODS[network] ?? [];
  const method = account.connectedWith && methods.includes(account.connectedWith) ? account.connectedWith : methods[0]!;
  const server = account.server ?? '';
  const values: Partial<Record<Field, string>> = { ...DEFAULTS };
  if (method === 'mastodon-oauth' || method === 'mastodon-token') values.instanceUrl = server;
  if (method === 'bluesky-app-password') {
    if (server) values.service = server;
    values.identifier = account.profile.handle;
  }
  if (
    (method === 'x-oauth1' || method === 'x-oauth2') &&
    server &&
    !/^https:\/\/api\.(x|twitter)\.com\/?$/.test(server)
  ) {
    values.apiBase = server;
  }
  return { method, values };
}
