// Mastodon for Colonnade.
//
// Library: masto (v8) rather than megalodon. masto's entity and method types are written from
// Mastodon's own entities and API, it is maintained for current Mastodon (4.5 quotes, v2 media,
// v2 instance). Hashtag streaming uses the built-in WebSocket (Node 22+, as in Electron's main
// process) directly: masto's streaming client reconnects silently after a drop, and a drop must be
// seen so the column catches up (see MastodonAdapter.stream).
// megalodon spreads itself over several server kinds (Pleroma, Misskey...) and its types are its
// own abstraction of them, which is more surface than a Mastodon-only adapter needs.
//
// Status HTML is turned into plain text with htmlparser2 (see html.ts).
export { createMastodonAdapter, MastodonAdapter, type AdapterContext, type MastodonAdapterOptions } from './adapter';
export {
  beginMastodonOAuth,
  completeMastodonOAuth,
  connectMastodonToken,
  DEFAULT_SCOPES,
  MastodonCredentialsSchema,
  normalizeInstanceUrl,
  OOB_REDIRECT,
  registerMastodonApp,
  type MastodonApp,
  type MastodonCredentials,
  type MastodonOAuthBegin,
} from './connect';
export { htmlToPlainText } from '../../../shared/mastodon-html';
