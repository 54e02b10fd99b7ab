// How the renderer asks main to connect an account. These payloads carry what the user typed
// (keys, app passwords) into main, once; nothing secret ever travels back (see AccountSchema).
import { z } from 'zod';

/**
 * Hosts where plain http:// is allowed: this computer (tests, a local instance, a proxy), where
 * nothing crosses the network in clear. Mastodon's rule in Colonnade, now every server address's.
 */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * True for an address a password or token may be sent to: https, or http on a loopback host
 * (`LOOPBACK_HOSTS`). `url` is a WHATWG URL (its `hostname` lowercased, IPv6 in brackets).
 */
export function isSecureOrLoopback(url: { readonly protocol: string; readonly hostname: string }): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}

/**
 * The WHATWG URL parser, as Node and Chromium both have it (this folder is built without the DOM
 * or Node types, so it is named here by the little it is used for).
 */
const WebUrl = (globalThis as unknown as { URL: new (input: string) => { protocol: string; hostname: string } }).URL;

const parsed = (u: string) => {
  try {
    return new WebUrl(u);
  } catch {
    return null;
  }
};

/**
 * A server address as people type it: "mastodon.social" or "bsky.social" (no scheme) gets
 * https:// in front; then it must be a full http(s) address (`address-scheme` otherwise), and
 * plain http only on this computer (`address-http-remote`: the password, app password or token
 * would cross the network in clear). `example` names the reason key whose words give an example
 * of that network's address (`address-full-bluesky`: "like https://bsky.social").
 */
const httpUrl = (example: 'address-full-x' | 'address-full-bluesky' | 'address-full-mastodon') =>
  z.preprocess(
    (value) => (typeof value === 'string' ? withScheme(value) : value),
    z
      .string()
      .url(example) // keys of the UI's `reasons`, translated there
      .refine((u) => /^https?:\/\//i.test(u), 'address-scheme')
      .refine((u) => {
        const url = parsed(u);
        return url === null || url.protocol !== 'http:' || isSecureOrLoopback(url);
      }, 'address-http-remote'),
  );

/**
 * " mastodon.social " → "https://mastodon.social", "localhost:3000" → "https://localhost:3000";
 * an address with a scheme ("http://…", "ftp://…", "javascript:…") or empty stays as typed,
 * trimmed. A `host:port` start is a host, not a scheme.
 */
export function withScheme(typed: string): string {
  const trimmed = typed.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !/^[^/:?#]+:\d+(?:[/?#]|$)/.test(trimmed);
  if (trimmed === '' || scheme) return trimmed;
  return `https://${trimmed.replace(/^\/+/, '')}`;
}
const Secret = z.string().trim().min(1, 'field-required').max(4096);
/** Loopback port for OAuth callbacks; X needs it registered exactly in the developer app. */
const CallbackPort = z.number().int().min(1024).max(65535);

export const DEFAULT_CALLBACK_PORT = 53682;

export const ConnectRequestSchema = z.discriminatedUnion('method', [
  z
    .object({
      network: z.literal('x'),
      method: z.literal('x-oauth2'),
      clientId: Secret,
      clientSecret: z.string().trim().max(4096).optional(),
      callbackPort: CallbackPort.default(DEFAULT_CALLBACK_PORT),
      /** Advanced: point the account at a proxy or a test server instead of api.x.com. */
      apiBase: httpUrl('address-full-x').optional(),
    })
    .strict(),
  z
    .object({
      network: z.literal('x'),
      method: z.literal('x-oauth1'),
      appKey: Secret,
      appSecret: Secret,
      accessToken: Secret,
      accessSecret: Secret,
      apiBase: httpUrl('address-full-x').optional(),
    })
    .strict(),
  z
    .object({
      network: z.literal('bluesky'),
      method: z.literal('bluesky-app-password'),
      service: httpUrl('address-full-bluesky').default('https://bsky.social'),
      identifier: z.string().trim().min(1, 'handle-required').max(256),
      appPassword: Secret,
    })
    .strict(),
  z
    .object({
      network: z.literal('mastodon'),
      method: z.literal('mastodon-oauth'),
      instanceUrl: httpUrl('address-full-mastodon'),
      callbackPort: CallbackPort.default(DEFAULT_CALLBACK_PORT),
    })
    .strict(),
  z
    .object({
      network: z.literal('mastodon'),
      method: z.literal('mastodon-token'),
      instanceUrl: httpUrl('address-full-mastodon'),
      accessToken: Secret,
    })
    .strict(),
]);
export type ConnectRequest = z.infer<typeof ConnectRequestSchema>;
export type ConnectMethod = ConnectRequest['method'];
/** How an account was connected: "Reconnect" offers the same form again. */
export const ConnectMethodSchema = z.enum([
  'x-oauth2',
  'x-oauth1',
  'bluesky-app-password',
  'mastodon-oauth',
  'mastodon-token',
] as const satisfies readonly ConnectMethod[]);
