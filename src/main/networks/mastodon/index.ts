// Mastodon for Colonnade.
//
// Library: masto (v8) rather than megalodon. masto's entity and method types are written from
// Mastodon's own entities and API, it is maintained for current Mastodon (4.5 quotes, v2 media,
// v2 instance), and its streaming client speaks Mastodon's multiplexed WebSocket protocol over the
// built-in WebSocket (Node 22+, as in Electron's main process), with no extra dependency.
// megalodon spreads itself over several server kinds (Pleroma, Misskey...) and its types are its
// own abstraction of them, which is more surface than a Mastodon-only adapter needs.
//
// Status HTML is turned into plain text with htmlparser2 (see html.ts).
export { createMastodonAdapter, MastodonAdapter, type AdapterContext, type HashtagStream } from './adapter';
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
export { htmlToPlainText } from './html';
