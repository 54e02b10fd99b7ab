// What Colonnade keeps for a Bluesky account (encrypted at rest by the caller).
import { z } from 'zod';

export const DEFAULT_BLUESKY_SERVICE = 'https://bsky.social';

export const BlueskySessionSchema = z.object({
  did: z.string().startsWith('did:'),
  handle: z.string().min(1),
  accessJwt: z.string().min(1),
  refreshJwt: z.string().min(1),
});
export type BlueskySession = z.infer<typeof BlueskySessionSchema>;

export const BlueskyCredentialsSchema = z.object({
  /** The user's PDS or an entryway (https://bsky.social); the agent then follows the PDS their DID names. */
  service: z.url({ protocol: /^https?$/ }).default(DEFAULT_BLUESKY_SERVICE),
  /** Handle (without '@'), DID or email. */
  identifier: z.string().trim().min(1),
  /** An app password (Settings → Privacy and security → App passwords), never the account password. */
  appPassword: z.string().min(1),
  /** The latest session, saved whenever it is created or refreshed (refresh tokens are single-use). */
  session: BlueskySessionSchema.optional(),
});
export type BlueskyCredentials = z.infer<typeof BlueskyCredentialsSchema>;

export const BlueskyConnectSchema = BlueskyCredentialsSchema.omit({ session: true });
export type BlueskyConnectRequest = z.input<typeof BlueskyConnectSchema>;
