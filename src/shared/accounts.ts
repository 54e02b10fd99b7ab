// How the renderer asks main to connect an account. These payloads carry what the user typed
// (keys, app passwords) into main, once; nothing secret ever travels back (see AccountSchema).
import { z } from 'zod';

/**
 * A server address as people type it: "mastodon.social" or "bsky.social" (no scheme) gets
 * https:// in front; then it must be a full http(s) address. `example` names the reason key whose
 * words give an example of that network's address (`address-full-bluesky`: "like https://bsky.social").
 */
const httpUrl = (example: 'address-full-x' | 'address-full-bluesky' | 'address-full-mastodon') =>
  z.preprocess(
    (value) => (typeof value === 'string' ? withScheme(value) : value),
    z
      .string()
      .url(example) // keys of the UI's `reasons`, translated there
      .refine((u) => /^https?:\/\//i.test(u), 'address-scheme'),
  );

/** " mastodon.social " → "https://mastodon.social"; an address with a scheme (or empty) stays as typed, trimmed. */
export function withScheme(typed: string): string {
  const trimmed = typed.trim();
  if (trimmed === '' || /^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return trimmed;
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
