// An X API v2 protocol emulator on plain node:http with in-memory state. Every request it
// receives and every response it sends is checked against the official OpenAPI description
// (see spec-validator.ts); `violations` collects what does not match, `drift` counts the known
// renames between the live API and the spec. The OAuth 2.0 endpoints (authorize page, token)
// are not in the spec; they are checked by hand here.
//
// Latency: `control.setLatency({ beforeMs, afterMs })` slows every request down, as a distant or
// busy server does: the emulator waits `beforeMs` after reading a request before acting on it,
// then `afterMs` after acting before it answers. A client that dies during `afterMs` never learns
// that its post was made (what the outbox's fault-injection test kills the core in the middle of).
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as twitterTextModule from 'twitter-text';
import { SpecValidator, type Violation } from './spec-validator';
import {
  ME_ID,
  XState,
  codePoints,
  extractEntities,
  type XEntity,
  type XMedia,
  type XTweet,
  type XUser,
} from './state';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface XEmulatorClient {
  clientId: string;
  clientSecret?: string;
  /** The one callback URL registered for the app; must match exactly. */
  redirectUri: string;
}

export interface XEmulatorOptions {
  /** The emulator's clock (ms since epoch); used for created_at, token expiry and rate windows. */
  now?: () => number;
  seed?: number;
  /** Roughly how many posts the signed-in user's home timeline holds (default 160). */
  homePosts?: number;
  clients?: XEmulatorClient[];
  /**
   * Lifetime of access tokens in seconds (X: 7200), counted on `now`: with a fake clock, a test
   * lives through many lifetimes in moments.
   */
  accessTokenTtlSec?: number;
  /** Seconds FINALIZE and STATUS tell a client to wait while a GIF or video is processed (default 1). */
  mediaCheckAfterSecs?: number;
}

export type FaultMode =
  /** 200 with a body that is not JSON. */
  | 'malformed'
  /** 503 without doing anything. */
  | 'server-error'
  /** Do the work, then answer 503 (the caller cannot know it happened). */
  | 'commit-then-error'
  /** Do the work, then drop the connection without an answer. */
  | 'commit-then-drop'
  /** Accept the request and never answer (the connection stays open until the emulator closes). */
  | 'no-answer';

interface Fault {
  endpoint: string;
  mode: FaultMode;
}

/** One authorization (a sign-in) and every token pair refreshed from it share a grant id. */
interface AccessToken {
  userId: string;
  clientId: string;
  grant: string;
  expiresAt: number;
  scopes: string[];
  revoked: boolean;
}

interface RefreshToken {
  userId: string;
  clientId: string;
  grant: string;
  scopes: string[];
  used: boolean;
  revoked: boolean;
}

interface AuthCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  scopes: string[];
  used: boolean;
}

interface OAuth1Token {
  userId: string;
  appKey: string;
  appSecret: string;
  accessSecret: string;
}

interface Reply {
  status: number;
  body: Json;
  type?: string;
  headers?: Record<string, string>;
}

interface Ctx {
  method: string;
  path: string;
  endpoint: string;
  params: string[];
  query: URLSearchParams;
  body: Record<string, unknown> | undefined;
  userId: string;
}

// twitter-text is CommonJS: under Node's ESM its functions sit on the default export.
const twitterText =
  (twitterTextModule as unknown as { default?: typeof twitterTextModule }).default ?? twitterTextModule;
const { parseTweet } = twitterText;
/** Every RGI emoji sequence (the `v` flag: the project targets ES2023, so built at run time). */
const RGI_EMOJI = new RegExp('\\p{RGI_Emoji}', 'gv');
const WINDOW_SEC = 15 * 60;
const DAY_SEC = 24 * 3600;
/**
 * X's per-user limits per 15 minutes (docs.x.com "X API Rate Limits"; lists: "List Posts lookup"),
 * counted per token as X counts them for user tokens; any other endpoint allows 900.
 */
const DEFAULT_LIMITS: Record<string, number> = {
  'GET /2/users/{id}/timelines/reverse_chronological': 180,
  'GET /2/users/{id}/mentions': 300,
  'GET /2/users/{id}/tweets': 900,
  'GET /2/tweets/search/recent': 300,
  'GET /2/lists/{id}/tweets': 900,
  'GET /2/tweets': 5000,
  'POST /2/tweets': 100,
};
/** X recent search serves the last 7 days. */
const SEARCH_WINDOW_MS = 7 * 24 * 3600_000;

const problem = (status: number, title: string, detail: string): Reply => ({
  status,
  type: 'application/problem+json',
  body: { title, detail, type: 'about:blank', status },
});

const notFound = (resourceType: string, parameter: string, value: string): JsonObject => ({
  value,
  detail: `Could not find ${resourceType} with ${parameter}: [${value}].`,
  title: 'Not Found Error',
  resource_type: resourceType,
  parameter,
  resource_id: value,
  type: 'https://api.x.com/2/problems/resource-not-found',
});

/** A suspended account, as X answers it (spec `ResourceUnavailableProblem`). */
const suspended = (value: string): JsonObject => ({
  detail: `User has been suspended: [${value}].`,
  title: 'Forbidden',
  resource_type: 'user',
  resource_id: value,
  type: 'https://api.x.com/2/problems/resource-unavailable',
});

/** What the caller may not see (spec `NotAuthorizedForResourceProblem`): a protected account, a private list. */
const notAuthorized = (resourceType: 'user' | 'list' | 'tweet', parameter: string, value: string): JsonObject => ({
  resource_id: value,
  parameter,
  resource_type: resourceType,
  section: 'data',
  title: 'Authorization Error',
  value,
  detail: `Sorry, you are not authorized to see the ${resourceType === 'tweet' ? 'Tweet' : resourceType === 'user' ? 'user' : 'List'} with id: [${value}].`,
  type: 'https://api.x.com/2/problems/not-authorized-for-resource',
});

/** How many of a user's latest posts `GET /2/users/{id}/tweets` reaches (docs.x.com, Timelines: 3,200). */
export const USER_TIMELINE_REACH = 3_200;
/** X serves owner-only metrics for posts created in the last 30 days (docs.x.com, Timelines: integrate). */
const OWNER_METRICS_DAYS = 30;

/**
 * An owner-only field asked for a post it is not served for (another's post, or one older than 30
 * days): the post is left out of `data` and named here (spec `NotAuthorizedForFieldProblem`).
 */
const fieldRefused = (id: string, field: string): JsonObject => ({
  value: id,
  detail: `Sorry, you are not authorized to access '${field}' on the Tweet with ids: [${id}].`,
  title: 'Field Authorization Error',
  resource_type: 'tweet',
  parameter: 'tweet.fields',
  resource_id: id,
  field,
  section: 'data',
  type: 'https://api.x.com/2/problems/not-authorized-for-field',
});

const fieldsOf = (query: URLSearchParams, name: string) =>
  new Set(
    (query.get(name) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const token = (bytes = 24) => randomBytes(bytes).toString('base64url');

/**
 * X's escaping of post text: `&`, `<` and `>` as HTML entities, nothing else; entity indices
 * stay counted in code points of the text as written (the adapter checks both ways).
 */
const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** X's `display_url`: no scheme nor `www.`, cut with `…` past 26 characters. */
function displayUrl(url: string): string {
  const bare = url.replace(/^https?:\/\//, '').replace(/^www\./, '');
  const chars = Array.from(bare);
  return chars.length > 26 ? chars.slice(0, 25).join('') + '…' : bare;
}

/** X Premium long posts: over this weighted length a post's `text` is cut and `note_tweet` holds it. */
const LONG_POST_LIMIT = 280;
/** Where X cuts the `text` of a long post (weighted characters, then back to a blank). */
const LONG_POST_CUT = 270;

/**
 * Code points of a long post's text that X sends in `text` (cut before a word, at most 270
 * weighted characters), or null for a post of 280 or fewer (the appended media link not counted).
 */
function longPostCut(t: XTweet): number | null {
  const typed = codePoints(t.text);
  const mediaLink = t.entities.find((e) => e.mediaKey);
  const own = mediaLink ? typed.slice(0, mediaLink.start) : typed;
  if (parseTweet(own.join('').trimEnd()).weightedLength <= LONG_POST_LIMIT) return null;
  let lo = 0;
  let hi = own.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (parseTweet(own.slice(0, mid).join('')).weightedLength <= LONG_POST_CUT) lo = mid;
    else hi = mid - 1;
  }
  const blank = own
    .slice(0, lo + 1)
    .join('')
    .search(/\s\S*$/);
  const cut = blank > 0 ? codePoints(own.join('').slice(0, blank)).length : lo;
  return codePoints(own.slice(0, cut).join('').trimEnd()).length;
}

/** Pagination tokens: opaque to clients, here the id of the last post returned, in base 36. */
const encodePage = (id: string) => `p${BigInt(id).toString(36)}`;
function decodePage(token: string): bigint | null {
  if (!/^p[0-9a-z]+$/.test(token)) return null;
  let n = 0n;
  for (const ch of token.slice(1)) n = n * 36n + BigInt(parseInt(ch, 36));
  return n;
}

function parseMultipart(raw: Buffer, boundary: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = raw.indexOf(delimiter);
  while (pos !== -1) {
    const start = pos + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const headerEnd = raw.indexOf('\r\n\r\n', start);
    if (headerEnd === -1) break;
    const headers = raw.subarray(start, headerEnd).toString();
    const next = raw.indexOf(delimiter, headerEnd);
    if (next === -1) break;
    const content = raw.subarray(headerEnd + 4, next - 2);
    const name = /name="([^"]+)"/.exec(headers)?.[1];
    if (name) {
      const isBinary = /content-type:\s*application\/octet-stream/i.test(headers);
      if (isBinary) out[name] = content;
      else {
        const text = content.toString();
        out[name] = /^\d+$/.test(text) ? Number(text) : text;
      }
    }
    pos = next;
  }
  return out;
}

/** Width and height of a PNG, or null when the bytes are not one. */
function pngSize(data: Buffer): { width: number; height: number } | null {
  if (data.length < 24 || data.readUInt32BE(0) !== 0x89504e47) return null;
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

export interface XEmulator {
  url: string;
  close(): Promise<void>;
  /** Requests or responses that did not match the spec (should stay empty). */
  violations: Violation[];
  /** Known renames between the live API and the spec, counted per name. */
  drift: Map<string, number>;
  state: XState;
  /** Every request received, in order (method and path). */
  requests: { method: string; path: string; endpoint: string; auth?: string }[];
  /**
   * The posts each successful answer served in `data` (what X bills as posts read), in order:
   * the endpoint, the query it was asked with, and the posts' ids.
   */
  served: { endpoint: string; query: URLSearchParams; ids: string[] }[];
  control: XEmulatorControl;
}

export interface XEmulatorControl {
  /** Issues an OAuth 2.0 token pair for a user (default: the seeded signed-in user). */
  issueOAuth2(options?: { userId?: string; clientId?: string; ttlSec?: number }): {
    accessToken: string;
    refreshToken: string;
    expiresAt: number;
  };
  /** Issues OAuth 1.0a user keys for a user. */
  issueOAuth1(userId?: string): { appKey: string; appSecret: string; accessToken: string; accessSecret: string };
  /** Revokes an access token and the refresh tokens of the same user and app (the user removed the app). */
  revoke(accessToken: string): void;
  /** X stops accepting this one access token before its expiry (its refresh token stays valid). */
  rejectAccessToken(accessToken: string): void;
  /** The next `count` access tokens issued (by code or refresh) are refused from the start. */
  refuseNextIssuedAccessTokens(count: number): void;
  /** Lifetime in seconds of access tokens issued from now on. */
  setAccessTokenTtl(ttlSec: number): void;
  /** Every refresh token presented to the token endpoint, in order (repeats included). */
  refreshTokensPresented(): string[];
  /** How many grants were revoked because a spent refresh token was presented again. */
  grantsRevokedForReuse(): number;
  /** Limit for an endpoint ("GET /2/tweets/search/recent"), per token, per 15-minute window. */
  setRateLimit(endpoint: string, limit: number): void;
  /**
   * A 24-hour allowance for an endpoint ("POST /2/tweets"), per user or for the whole app, as the
   * Free and Basic plans have: `x-user-limit-24hour-*` / `x-app-limit-24hour-*` headers, then 429.
   */
  setDailyLimit(endpoint: string, limit: number, scope: 'user' | 'app'): void;
  /** The app's plan does not include this endpoint: 403 client-not-enrolled. */
  excludeFromPlan(endpoint: string): void;
  /** The next request to `endpoint` fails this way. */
  failNext(endpoint: string, mode: FaultMode): void;
  /**
   * How the next finalized GIF or video is processed: `polls` STATUS answers `in_progress` before
   * the last one says `succeeded`, or `failed` when `failWith` is given (its words are not in the
   * spec's ProcessingInfo, which allows no `error`, so they stay in the emulator). Each call queues
   * one medium; `checkAfterSecs` (default 1) is what FINALIZE and STATUS tell the client to wait.
   */
  setMediaProcessing(next: { polls: number; failWith?: string; checkAfterSecs?: number }): void;
  /**
   * Seeds a post. Any length: one over 280 is a long post (the author's plan allows it), served
   * as X serves them (`text` cut, the whole in `note_tweet`). `replyTo`: the post it answers.
   */
  addTweet(input: {
    authorId: string;
    text: string;
    createdAt?: number;
    replyTo?: string;
    /** The language X detected (`lang`; default `en`). */
    lang?: string;
    /** A poll on the post: its options, how long it is open, and the votes so far. */
    poll?: { options: string[]; durationMinutes: number; votes?: number[] };
  }): XTweet;
  /** `userId` retweets `tweetId` now (or at `createdAt`), as POST /2/users/{id}/retweets does. */
  retweet(userId: string, tweetId: string, createdAt?: number): XTweet;
  /**
   * The next answer of `endpoint` is checked against the spec as usual, then changed by
   * `alter` before it is sent: a server answering outside its spec (a malformed item…).
   */
  alterNext(endpoint: string, alter: (body: JsonObject) => void): void;
  /** How many refresh_token grants succeeded. */
  refreshCount(): number;
  /**
   * Every request from now on waits `beforeMs` (ms) before the emulator acts on it and `afterMs`
   * between acting and answering (see the header); null or zeros: answer at once (the default).
   */
  setLatency(latency: { beforeMs?: number; afterMs?: number } | null): void;
}

export async function startXEmulator(options: XEmulatorOptions = {}): Promise<XEmulator> {
  const now = options.now ?? (() => Date.now());
  const validator = new SpecValidator();
  const state = new XState(now, { seed: options.seed, homePosts: options.homePosts });
  const clients = new Map((options.clients ?? []).map((c) => [c.clientId, c]));
  let ttl = options.accessTokenTtlSec ?? 7200;
  const accessTokens = new Map<string, AccessToken>();
  const refreshTokens = new Map<string, RefreshToken>();
  const codes = new Map<string, AuthCode>();
  const oauth1 = new Map<string, OAuth1Token>();
  const limits = new Map<string, number>(Object.entries(DEFAULT_LIMITS));
  const usage = new Map<string, { windowStart: number; used: number }>();
  const dailyLimits = new Map<string, { scope: 'user' | 'app'; limit: number }>();
  const dailyUsage = new Map<string, { windowStart: number; used: number }>();
  const notInPlan = new Set<string>();
  const faults: Fault[] = [];
  /** How the next finalized GIFs and videos are processed (setMediaProcessing), in order. */
  const mediaProcessing: Array<{ polls: number; failWith?: string | undefined }> = [];
  /** Seconds FINALIZE and STATUS tell the client to wait before asking again. */
  let checkAfterSecs = options.mediaCheckAfterSecs ?? 1;
  /** `MediaUploadResponseData` (FINALIZE) and `GetMediaUploadStatusResponseData` (STATUS) of a medium. */
  const mediaUploadData = (m: XMedia): JsonObject => {
    const data: JsonObject = { id: m.id, media_key: m.mediaKey, size: m.totalBytes, expires_after_secs: 86400 };
    if (m.type === 'photo') data['image'] = { image_type: m.mimeType, w: m.width, h: m.height };
    if (m.type === 'video') data['video'] = { video_type: 'video/mp4' };
    const p = m.processing;
    if (p) {
      const info: JsonObject = { state: p.state };
      if (p.state === 'pending' || p.state === 'in_progress') info['check_after_secs'] = checkAfterSecs;
      if (p.state === 'in_progress') info['progress_percent'] = 50;
      if (p.state === 'succeeded') info['progress_percent'] = 100;
      data['processing_info'] = info;
    }
    return data;
  };
  let latency = { beforeMs: 0, afterMs: 0 };
  const alterations: { endpoint: string; alter: (body: JsonObject) => void }[] = [];
  const requests: XEmulator['requests'] = [];
  const served: XEmulator['served'] = [];
  let refreshes = 0;
  const presented: string[] = [];
  let reuseRevocations = 0;
  let refuseIssued = 0;

  const issue = (userId: string, clientId: string, scopes: string[], ttlSec = ttl, grant = token(8)) => {
    const accessToken = token();
    const refreshToken = token();
    const expiresAt = now() + ttlSec * 1000;
    const revoked = refuseIssued > 0;
    if (revoked) refuseIssued--;
    accessTokens.set(accessToken, { userId, clientId, grant, expiresAt, scopes, revoked });
    refreshTokens.set(refreshToken, { userId, clientId, grant, scopes, used: false, revoked: false });
    return { accessToken, refreshToken, expiresAt, ttlSec };
  };

  /** Presenting a spent refresh token again revokes every token of its grant (X's rotation rule). */
  const revokeGrant = (grant: string) => {
    for (const t of accessTokens.values()) if (t.grant === grant) t.revoked = true;
    for (const t of refreshTokens.values()) if (t.grant === grant) t.revoked = true;
  };

  // ---- serializers -------------------------------------------------------------------------

  /**
   * A user (spec `User`) with the `user.fields` asked for. `viewerId`: the signed-in user, for
   * `connection_status` (spec `UserConnectionStatus`: `following` when the viewer follows them,
   * `followed_by` when they follow the viewer). The bio's links are `t.co` links, with
   * `entities.description.urls` saying where they lead.
   */
  const userJson = (u: XUser, fields: Set<string>, viewerId?: string): JsonObject => {
    const o: JsonObject = { id: u.id, name: u.name, username: u.username };
    const bio = extractEntities(u.description, (url) => state.tco(url));
    if (fields.has('created_at')) o['created_at'] = new Date(u.createdAt).toISOString();
    if (fields.has('description')) o['description'] = bio.text;
    if (fields.has('entities')) {
      const urls = bio.entities.filter((e) => e.kind === 'url');
      if (urls.length) {
        o['entities'] = {
          description: {
            urls: urls.map((e) => ({
              start: e.start,
              end: e.end,
              url: e.value,
              expanded_url: e.expanded ?? e.value,
              display_url: displayUrl(e.expanded ?? e.value),
            })),
          },
        };
      }
    }
    if (fields.has('profile_image_url'))
      o['profile_image_url'] = `https://pbs.twimg.com/profile_images/${u.id}/a_normal.png`;
    if (fields.has('profile_banner_url') && u.bannerUrl) o['profile_banner_url'] = u.bannerUrl;
    if (fields.has('verified')) o['verified'] = u.verified ?? false;
    if (fields.has('verified_type')) o['verified_type'] = u.verifiedType ?? 'none';
    if (fields.has('protected')) o['protected'] = u.protected ?? false;
    if (fields.has('connection_status') && viewerId && viewerId !== u.id) {
      o['connection_status'] = [
        ...(state.follows.get(u.id)?.has(viewerId) ? ['followed_by'] : []),
        ...(state.follows.get(viewerId)?.has(u.id) ? ['following'] : []),
      ];
    }
    if (fields.has('public_metrics')) {
      const followers = [...state.follows.values()].filter((f) => f.has(u.id)).length;
      o['public_metrics'] = {
        followers_count: followers + (u.extraFollowers ?? 0),
        following_count: state.follows.get(u.id)?.size ?? 0,
        tweet_count: state.timeline((t) => t.authorId === u.id).length,
        listed_count: [...state.lists.values()].filter((l) => l.memberIds.includes(u.id)).length,
      };
    }
    return o;
  };

  /** Spec `PostEntities` of `entities` (urls of a note carry no `media_key` in the spec). */
  const entitiesJson = (entities: readonly XEntity[], note = false): JsonObject => {
    const e: JsonObject = {};
    const tags = entities.filter((x) => x.kind === 'hashtag');
    const mentions = entities.filter((x) => x.kind === 'mention');
    const urls = entities.filter((x) => x.kind === 'url');
    if (tags.length) e['hashtags'] = tags.map((x) => ({ start: x.start, end: x.end, tag: x.value }));
    if (mentions.length) {
      e['mentions'] = mentions.map((x) => ({
        start: x.start,
        end: x.end,
        username: x.value,
        ...(state.userByName(x.value) ? { id: state.userByName(x.value)!.id } : {}),
      }));
    }
    if (urls.length) {
      e['urls'] = urls.map((x) => ({
        start: x.start,
        end: x.end,
        url: x.value,
        expanded_url: x.expanded ?? x.value,
        // The link of attached media reads pic.x.com/… and names the medium.
        display_url: x.mediaKey ? `pic.x.com/${x.value.slice(-10)}` : displayUrl(x.expanded ?? x.value),
        ...(x.mediaKey && !note ? { media_key: x.mediaKey } : {}),
      }));
    }
    return e;
  };

  const tweetJson = (t: XTweet, fields: Set<string>): JsonObject => {
    // A long post (over 280, an X Premium "note"): `text` is cut at a word before 270 and
    // carries the entities of that part; the whole text and all its entities are in `note_tweet`.
    const long = longPostCut(t);
    const shown = long === null ? t.text : codePoints(t.text).slice(0, long).join('');
    const o: JsonObject = { id: t.id, text: escapeText(shown), edit_history_tweet_ids: [t.id] };
    if (fields.has('author_id')) o['author_id'] = t.authorId;
    if (fields.has('created_at')) o['created_at'] = new Date(t.createdAt).toISOString();
    if (fields.has('conversation_id')) o['conversation_id'] = t.conversationId ?? t.id;
    if (fields.has('lang')) o['lang'] = t.lang ?? 'en';
    if (fields.has('in_reply_to_user_id') && t.inReplyToUserId) o['in_reply_to_user_id'] = t.inReplyToUserId;
    if (fields.has('referenced_tweets') && t.referenced.length) o['referenced_tweets'] = t.referenced;
    if (fields.has('attachments') && (t.mediaKeys.length || t.poll)) {
      o['attachments'] = {
        ...(t.mediaKeys.length ? { media_keys: t.mediaKeys } : {}),
        ...(t.poll ? { poll_ids: [t.poll.id] } : {}),
      };
    }
    if (fields.has('possibly_sensitive')) o['possibly_sensitive'] = t.sensitive ?? false;
    const shownEntities = long === null ? t.entities : t.entities.filter((x) => x.end <= long);
    if (fields.has('entities') && shownEntities.length) o['entities'] = entitiesJson(shownEntities);
    if (fields.has('note_tweet') && long !== null) {
      o['note_tweet'] = {
        text: escapeText(t.text),
        ...(t.entities.length ? { entities: entitiesJson(t.entities, true) } : {}),
      };
    }
    if (fields.has('display_text_range')) {
      // What X displays: after a reply's leading @mentions, before the appended media link.
      const prefix = t.referenced.some((r) => r.type === 'replied_to')
        ? codePoints(/^(?:@[A-Za-z0-9_]{1,15}\s+)*(?:@[A-Za-z0-9_]{1,15}\s*$)?/.exec(shown)?.[0] ?? '').length
        : 0;
      const end = Math.min(codePoints(state.typedText(t)).length, codePoints(shown).length);
      o['display_text_range'] = [Math.min(prefix, end), end];
    }
    if (fields.has('public_metrics')) {
      o['public_metrics'] = {
        retweet_count: t.retweets.size,
        reply_count: t.replies,
        like_count: t.likes.size,
        quote_count: t.quotes,
        bookmark_count: t.bookmarks,
        impression_count: t.impressions,
      };
    }
    if (fields.has('non_public_metrics')) {
      o['non_public_metrics'] = {
        impression_count: t.impressions,
        url_link_clicks: t.linkClicks ?? 0,
        user_profile_clicks: t.profileClicks ?? 0,
      };
    }
    if (fields.has('organic_metrics')) {
      o['organic_metrics'] = {
        impression_count: t.impressions,
        like_count: t.likes.size,
        reply_count: t.replies,
        retweet_count: t.retweets.size,
        url_link_clicks: t.linkClicks ?? 0,
        user_profile_clicks: t.profileClicks ?? 0,
      };
    }
    return o;
  };

  /**
   * data + includes for a list of posts, honouring tweet.fields, expansions, user/media fields.
   * As X: `referenced_tweets.id` includes the posts the listed ones refer to (one level only),
   * `author_id` the authors of the listed posts, `referenced_tweets.id.author_id` the authors
   * of the included ones; what cannot be included (a deleted post, an unknown user) is named
   * in `errors` (resource-not-found) instead.
   */
  const tweetsPayload = (tweets: XTweet[], query: URLSearchParams, viewerId?: string): JsonObject => {
    const fields = fieldsOf(query, 'tweet.fields');
    const expansions = fieldsOf(query, 'expansions');
    const userFields = fieldsOf(query, 'user.fields');
    const mediaFields = fieldsOf(query, 'media.fields');
    const out: JsonObject = {};
    const errors: Json[] = [];
    if (tweets.length) out['data'] = tweets.map((t) => tweetJson(t, fields));
    const includes: JsonObject = {};
    const referenced: XTweet[] = [];
    if (expansions.has('referenced_tweets.id')) {
      const gone = new Set<string>();
      for (const t of tweets) {
        for (const r of t.referenced) {
          const ref = state.tweets.get(r.id);
          if (ref && !ref.deleted) {
            if (!referenced.includes(ref)) referenced.push(ref);
          } else if (!gone.has(r.id)) {
            gone.add(r.id);
            errors.push(notFound('tweet', 'referenced_tweets.id', r.id));
          }
        }
      }
      if (referenced.length) includes['tweets'] = referenced.map((t) => tweetJson(t, fields));
    }
    const authorIds = [
      ...(expansions.has('author_id') ? tweets.map((t) => t.authorId) : []),
      ...(expansions.has('referenced_tweets.id.author_id') ? referenced.map((t) => t.authorId) : []),
    ];
    if (authorIds.length) {
      const ids = [...new Set(authorIds)];
      const users = ids.map((id) => state.users.get(id)).filter((u): u is XUser => !!u);
      for (const id of ids) if (!state.users.has(id)) errors.push(notFound('user', 'author_id', id));
      if (users.length) includes['users'] = users.map((u) => userJson(u, userFields, viewerId));
    }
    if (expansions.has('attachments.media_keys')) {
      const keys = [...new Set([...tweets, ...referenced].flatMap((t) => t.mediaKeys))];
      const media = [...state.media.values()].filter((m) => keys.includes(m.mediaKey));
      if (media.length) {
        includes['media'] = media.map((m) => {
          const o: JsonObject = { media_key: m.mediaKey, type: m.type };
          // X gives `url` for photos only; a video or GIF has its still in preview_image_url and
          // its files in `variants`.
          if (mediaFields.has('url') && m.type === 'photo') o['url'] = m.url;
          if (mediaFields.has('width')) o['width'] = m.width;
          if (mediaFields.has('height')) o['height'] = m.height;
          if (mediaFields.has('alt_text') && m.altText !== undefined) o['alt_text'] = m.altText;
          if (mediaFields.has('preview_image_url'))
            o['preview_image_url'] =
              m.type === 'photo' ? m.url : `https://pbs.twimg.com/ext_tw_video_thumb/${m.id}/pu/img/still.jpg`;
          if (mediaFields.has('variants') && m.type !== 'photo')
            o['variants'] = [
              {
                content_type: 'video/mp4',
                bit_rate: 832000,
                url: `https://video.twimg.com/ext_tw_video/${m.id}/pu/vid/clip.mp4`,
              },
            ];
          return o;
        });
      }
    }
    if (expansions.has('attachments.poll_ids')) {
      // Spec `Poll`: `id` and `options` always (X's default fields), the rest by `poll.fields`;
      // `voting_status` is `closed` once the poll's time is over.
      const pollFields = fieldsOf(query, 'poll.fields');
      const polls = [...tweets, ...referenced].flatMap((t) => (t.poll ? [t.poll] : []));
      const unique = [...new Map(polls.map((p) => [p.id, p])).values()];
      if (unique.length) {
        includes['polls'] = unique.map((p) => {
          const o: JsonObject = {
            id: p.id,
            options: p.options.map((opt, i) => ({ position: i + 1, label: opt.label, votes: opt.votes })),
          };
          if (pollFields.has('duration_minutes')) o['duration_minutes'] = p.durationMinutes;
          if (pollFields.has('end_datetime')) o['end_datetime'] = new Date(p.endsAt).toISOString();
          if (pollFields.has('voting_status')) o['voting_status'] = now() >= p.endsAt ? 'closed' : 'open';
          return o;
        });
      }
    }
    if (Object.keys(includes).length) out['includes'] = includes;
    if (errors.length) out['errors'] = errors;
    return out;
  };

  /** A timeline page as X pages: since_id/until_id bound it, pagination_token continues it. */
  const page = (
    all: XTweet[],
    ctx: Ctx,
    tokenParam: 'pagination_token' | 'next_token',
    defaultMax: number,
    /** List timelines' meta has no newest_id/oldest_id. */
    idsInMeta = true,
  ): Reply => {
    const q = ctx.query;
    const max = Number(q.get('max_results') ?? defaultMax);
    const since = q.get('since_id');
    const until = q.get('until_id');
    const pageToken = q.get(tokenParam);
    let items = all;
    if (since) items = items.filter((t) => BigInt(t.id) > BigInt(since));
    if (until) items = items.filter((t) => BigInt(t.id) < BigInt(until));
    if (pageToken) {
      const below = decodePage(pageToken);
      if (below === null) {
        return {
          status: 400,
          type: 'application/problem+json',
          body: {
            type: 'https://api.x.com/2/problems/invalid-request',
            title: 'Invalid Request',
            detail: `The \`${tokenParam}\` query parameter value [${pageToken}] is not valid`,
          },
        };
      }
      items = items.filter((t) => BigInt(t.id) < below);
    }
    const slice = items.slice(0, max);
    const body = tweetsPayload(slice, q, ctx.userId);
    const meta: JsonObject = { result_count: slice.length };
    if (slice.length) {
      if (idsInMeta) {
        meta['newest_id'] = slice[0]!.id;
        meta['oldest_id'] = slice[slice.length - 1]!.id;
      }
      if (items.length > slice.length) meta['next_token'] = encodePage(slice[slice.length - 1]!.id);
    }
    body['meta'] = meta;
    return { status: 200, body };
  };

  // ---- search: the query subset the adapter uses -------------------------------------------

  const matchesQuery = (t: XTweet, query: string): boolean => {
    const groups = query
      .replace(/[()]/g, ' ')
      .split(/\s+OR\s+/)
      .map((g) => g.split(/\s+/).filter(Boolean));
    const author = state.users.get(t.authorId);
    const words = t.text.toLowerCase();
    const term = (tok: string): boolean => {
      const lower = tok.toLowerCase();
      if (lower === 'is:retweet') return t.referenced.some((r) => r.type === 'retweeted');
      if (lower === 'is:reply') return t.referenced.some((r) => r.type === 'replied_to');
      if (lower.startsWith('from:')) return author?.username.toLowerCase() === lower.slice(5);
      // docs.x.com "Conversation ID": `conversation_id:` "returns all replies to the original post".
      if (lower.startsWith('conversation_id:')) {
        const root = lower.slice('conversation_id:'.length);
        return t.id !== root && (t.conversationId ?? t.id) === root;
      }
      if (lower.startsWith('#'))
        return t.entities.some((e) => e.kind === 'hashtag' && e.value.toLowerCase() === lower.slice(1));
      if (lower.startsWith('@'))
        return t.entities.some((e) => e.kind === 'mention' && e.value.toLowerCase() === lower.slice(1));
      const phrase = lower.replace(/^"|"$/g, '');
      return words.includes(phrase);
    };
    return groups.some(
      (g) => g.length > 0 && g.every((tok) => (tok.startsWith('-') ? !term(tok.slice(1)) : term(tok))),
    );
  };

  // ---- routes -----------------------------------------------------------------------------

  const forbiddenForUser = (): Reply => ({
    status: 403,
    type: 'application/problem+json',
    body: {
      title: 'Forbidden',
      detail: 'You are not allowed to act for another user.',
      type: 'https://api.x.com/2/problems/not-authorized-for-resource',
      resource_type: 'user',
      resource_id: '',
      section: 'data',
    },
  });

  const routes: Record<string, (ctx: Ctx) => Reply> = {
    'GET /2/users/me': (ctx): Reply => {
      const u = state.users.get(ctx.userId)!;
      return { status: 200, body: { data: userJson(u, fieldsOf(ctx.query, 'user.fields')) } };
    },
    'GET /2/users/by/username/{username}': (ctx): Reply => {
      const name = ctx.params[0] ?? '';
      const u = state.userByName(name);
      if (!u) return { status: 200, body: { errors: [notFound('user', 'username', name)] } };
      if (u.suspended) return { status: 200, body: { errors: [suspended(name)] } };
      return { status: 200, body: { data: userJson(u, fieldsOf(ctx.query, 'user.fields'), ctx.userId) } };
    },
    'GET /2/users/{id}/timelines/reverse_chronological': (ctx): Reply => {
      if (ctx.params[0] !== ctx.userId) return forbiddenForUser();
      return page(state.homeOf(ctx.userId), ctx, 'pagination_token', 100);
    },
    'GET /2/users/{id}/mentions': (ctx): Reply =>
      page(state.mentionsOf(ctx.params[0] ?? ''), ctx, 'pagination_token', 10),
    'GET /2/users/{id}/tweets': (ctx): Reply => {
      const id = ctx.params[0] ?? '';
      const user = state.users.get(id);
      if (!user) return { status: 200, body: { errors: [notFound('user', 'id', id)] } };
      if (user.suspended) return { status: 200, body: { errors: [suspended(id)] } };
      if (user.protected && id !== ctx.userId && !state.follows.get(ctx.userId)?.has(id))
        return { status: 200, body: { errors: [notAuthorized('user', 'id', id)] } };
      // X serves a user's latest 3,200 posts (reposts and replies included); "Requesting Posts
      // beyond these limits returns a successful response with no data" (docs.x.com, Timelines).
      let posts = state.timeline((t) => t.authorId === id).slice(0, USER_TIMELINE_REACH);
      const fields = fieldsOf(ctx.query, 'tweet.fields');
      const privateField = ['non_public_metrics', 'organic_metrics'].find((f) => fields.has(f));
      if (privateField) {
        // Owner-only fields: "the results will automatically adjust to only include Posts from
        // the last 30 days", and only the author's own (others' are refused field by field).
        if (id !== ctx.userId) {
          const errors = posts.slice(0, 10).map((t) => fieldRefused(t.id, privateField));
          return { status: 200, body: { ...(errors.length ? { errors } : {}), meta: { result_count: 0 } } };
        }
        posts = posts.filter((t) => now() - t.createdAt < OWNER_METRICS_DAYS * 24 * 3600_000);
      }
      return page(posts, ctx, 'pagination_token', 10);
    },
    'GET /2/tweets/search/recent': (ctx): Reply => {
      const query = ctx.query.get('query') ?? '';
      const weekAgo = now() - SEARCH_WINDOW_MS;
      const since = ctx.query.get('since_id');
      if (since) {
        // The live API refuses a since_id older than the window (rooteco/tweetscape#421): 400
        // invalid-request naming the parameter, the instant, and the smallest id it would take.
        const known = state.tweets.get(since);
        const before = [...state.tweets.values()].filter((t) => t.createdAt < weekAgo);
        const boundary = before.reduce((m, t) => (BigInt(t.id) > m ? BigInt(t.id) : m), 0n);
        if (known ? known.createdAt < weekAgo : BigInt(since) <= boundary) {
          return {
            status: 400,
            type: 'application/problem+json',
            body: {
              errors: [
                {
                  parameters: { since_id: [since] },
                  message: `'since_id' must be a tweet id created after ${new Date(weekAgo).toISOString().slice(0, 16)}Z. Please use a 'since_id' that is larger than ${boundary}`,
                },
              ],
              title: 'Invalid Request',
              detail: 'One or more parameters to your request was invalid.',
              type: 'https://api.x.com/2/problems/invalid-request',
            },
          };
        }
      }
      const all = state.timeline((t) => t.createdAt >= weekAgo && matchesQuery(t, query));
      // X takes either next_token or pagination_token on search.
      return page(all, ctx, ctx.query.has('pagination_token') ? 'pagination_token' : 'next_token', 10);
    },
    'GET /2/users/{id}/owned_lists': (ctx): Reply => {
      const id = ctx.params[0] ?? '';
      const fields = fieldsOf(ctx.query, 'list.fields');
      const lists = [...state.lists.values()].filter((l) => l.ownerId === id);
      const data = lists.map((l) => {
        const o: JsonObject = { id: l.id, name: l.name };
        if (fields.has('description')) o['description'] = l.description;
        if (fields.has('member_count')) o['member_count'] = l.memberIds.length;
        if (fields.has('private')) o['private'] = false;
        if (fields.has('created_at')) o['created_at'] = new Date(l.createdAt).toISOString();
        return o;
      });
      return { status: 200, body: { ...(data.length ? { data } : {}), meta: { result_count: data.length } } };
    },
    'GET /2/lists/{id}/tweets': (ctx): Reply => {
      const id = ctx.params[0] ?? '';
      const list = state.lists.get(id);
      if (!list) return { status: 200, body: { errors: [notFound('list', 'id', id)] } };
      if (list.private && list.ownerId !== ctx.userId)
        return { status: 200, body: { errors: [notAuthorized('list', 'id', id)] } };
      return page(
        state.timeline((t) => list.memberIds.includes(t.authorId)),
        ctx,
        'pagination_token',
        100,
        false,
      );
    },
    'GET /2/tweets': (ctx): Reply => {
      const ids = (ctx.query.get('ids') ?? '').split(',').filter(Boolean);
      const fields = fieldsOf(ctx.query, 'tweet.fields');
      const privateFields = ['non_public_metrics', 'organic_metrics'].filter((f) => fields.has(f));
      const found: XTweet[] = [];
      const errors: Json[] = [];
      for (const id of ids) {
        const t = state.tweets.get(id);
        if (!t || t.deleted) {
          errors.push(notFound('tweet', 'ids', id));
          continue;
        }
        const ownRecent = t.authorId === ctx.userId && now() - t.createdAt < OWNER_METRICS_DAYS * 24 * 3600_000;
        if (privateFields.length && !ownRecent) {
          errors.push(fieldRefused(id, privateFields[0]!));
          continue;
        }
        found.push(t);
      }
      const body = tweetsPayload(found, ctx.query, ctx.userId);
      const all = [...errors, ...((body['errors'] as Json[] | undefined) ?? [])];
      if (all.length) body['errors'] = all;
      return { status: 200, body };
    },
    'POST /2/tweets': (ctx): Reply => {
      const b = ctx.body ?? {};
      const text = typeof b['text'] === 'string' ? b['text'] : '';
      const reply = b['reply'] as { in_reply_to_tweet_id?: string } | undefined;
      const quoteId = typeof b['quote_tweet_id'] === 'string' ? b['quote_tweet_id'] : undefined;
      const mediaIds = ((b['media'] as { media_ids?: string[] } | undefined)?.media_ids ?? []).map(String);
      // X counts every emoji sequence as 2; twitter-text 3.1's own emoji table predates the newer
      // ones (twitter/twitter-text#369), so each is weighed as one it knows.
      if ((!text && mediaIds.length === 0) || (text && !parseTweet(text.replace(RGI_EMOJI, '😀')).valid)) {
        return {
          status: 400,
          type: 'application/problem+json',
          body: {
            type: 'https://api.x.com/2/problems/invalid-request',
            title: 'Invalid Request',
            // twitter-text's invalid characters make a text invalid whatever its length; X's own
            // words for that refusal are not documented, these are the emulator's.
            detail: !text
              ? 'Your Tweet needs text or media.'
              : twitterText.hasInvalidCharacters(text)
                ? 'Your Tweet text contains characters that are not allowed.'
                : 'Your Tweet text is too long.',
          },
        };
      }
      const parent = reply?.in_reply_to_tweet_id ? state.tweets.get(reply.in_reply_to_tweet_id) : undefined;
      const quoted = quoteId ? state.tweets.get(quoteId) : undefined;
      if ((reply?.in_reply_to_tweet_id && !parent) || (quoteId && !quoted)) {
        return {
          status: 400,
          type: 'application/problem+json',
          body: {
            type: 'https://api.x.com/2/problems/invalid-request',
            title: 'Invalid Request',
            detail: 'The post you are replying to or quoting does not exist.',
          },
        };
      }
      const media = mediaIds.map((id) => state.media.get(id));
      const unprocessed = (m: XMedia | undefined) => m?.processing !== undefined && m.processing.state !== 'succeeded';
      if (media.some((m) => !m || !m.finalized || m.ownerId !== ctx.userId || unprocessed(m))) {
        return {
          status: 400,
          type: 'application/problem+json',
          body: {
            type: 'https://api.x.com/2/problems/invalid-request',
            title: 'Invalid Request',
            detail: 'Your media IDs are invalid.',
          },
        };
      }
      // X refuses a text the user posted already (live API: 403 about:blank, this detail).
      const stored = extractEntities(text, (u) => state.tco(u)).text;
      const dayAgo = now() - 24 * 3600_000;
      const duplicate =
        text !== '' &&
        state
          .timeline(
            (o) =>
              o.authorId === ctx.userId && o.createdAt >= dayAgo && !o.referenced.some((r) => r.type === 'retweeted'),
          )
          .some((o) => state.typedText(o) === stored);
      if (duplicate) return problem(403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.');
      const t = state.addTweet({ authorId: ctx.userId, text });
      state.attachMedia(
        t,
        media.map((m) => m!),
      );
      if (parent) {
        t.referenced.push({ type: 'replied_to', id: parent.id });
        t.inReplyToUserId = parent.authorId;
        t.conversationId = parent.conversationId ?? parent.id;
        parent.replies++;
      }
      if (quoted) {
        t.referenced.push({ type: 'quoted', id: quoted.id });
        quoted.quotes++;
      }
      return { status: 201, body: { data: { id: t.id, text: escapeText(t.text), edit_history_tweet_ids: [t.id] } } };
    },
    'DELETE /2/tweets/{id}': (ctx): Reply => {
      const t = state.tweets.get(ctx.params[0] ?? '');
      if (!t || t.deleted) {
        return { status: 404, type: 'application/problem+json', body: notFound('tweet', 'id', ctx.params[0] ?? '') };
      }
      if (t.authorId !== ctx.userId) return forbiddenForUser();
      t.deleted = true;
      return { status: 200, body: { data: { deleted: true } } };
    },
    'POST /2/users/{id}/likes': (ctx): Reply => {
      if (ctx.params[0] !== ctx.userId) return forbiddenForUser();
      const t = state.tweets.get(String(ctx.body?.['tweet_id'] ?? ''));
      if (!t || t.deleted)
        return { status: 200, body: { errors: [notFound('tweet', 'tweet_id', String(ctx.body?.['tweet_id']))] } };
      t.likes.add(ctx.userId);
      return { status: 200, body: { data: { liked: true } } };
    },
    'DELETE /2/users/{id}/likes/{tweet_id}': (ctx): Reply => {
      if (ctx.params[0] !== ctx.userId) return forbiddenForUser();
      state.tweets.get(ctx.params[1] ?? '')?.likes.delete(ctx.userId);
      return { status: 200, body: { data: { liked: false } } };
    },
    'POST /2/users/{id}/retweets': (ctx): Reply => {
      if (ctx.params[0] !== ctx.userId) return forbiddenForUser();
      const id = String(ctx.body?.['tweet_id'] ?? '');
      const t = state.tweets.get(id);
      if (!t || t.deleted) return { status: 200, body: { errors: [notFound('tweet', 'tweet_id', id)] } };
      const mine = state.timeline(
        (o) => o.authorId === ctx.userId && o.referenced.some((r) => r.type === 'retweeted' && r.id === id),
      )[0];
      const rt = mine ?? state.retweet(ctx.userId, id);
      return { status: 200, body: { data: { retweeted: true, rest_id: rt?.id ?? t.id } } };
    },
    'DELETE /2/users/{id}/retweets/{source_tweet_id}': (ctx): Reply => {
      if (ctx.params[0] !== ctx.userId) return forbiddenForUser();
      state.unretweet(ctx.userId, ctx.params[1] ?? '');
      return { status: 200, body: { data: { retweeted: false } } };
    },
    'POST /2/media/upload/initialize': (ctx): Reply => {
      const b = ctx.body ?? {};
      const m = state.addMedia(ctx.userId, String(b['media_type'] ?? ''), 1, 1, Number(b['total_bytes'] ?? 0));
      const category = String(b['media_category'] ?? '');
      if (category === 'tweet_video' || category === 'amplify_video') {
        m.type = 'video';
        m.mediaKey = `7_${m.id}`;
      } else if (category === 'tweet_gif') {
        m.type = 'animated_gif';
        m.mediaKey = `16_${m.id}`;
      }
      return { status: 200, body: { data: { id: m.id, media_key: m.mediaKey, expires_after_secs: 86400 } } };
    },
    'POST /2/media/upload/{id}/append': (ctx): Reply => {
      const m = state.media.get(ctx.params[0] ?? '');
      const chunk = ctx.body?.['media'];
      if (!m || m.ownerId !== ctx.userId || !(chunk instanceof Buffer)) {
        return problem(400, 'Invalid Request', 'Unknown upload or missing media chunk.');
      }
      if (m.received === 0) {
        const size = pngSize(chunk);
        if (size) {
          m.width = size.width;
          m.height = size.height;
        }
      }
      m.received += chunk.length;
      return { status: 200, body: { data: { expires_at: Math.floor(now() / 1000) + 86400 } } };
    },
    'POST /2/media/upload/{id}/finalize': (ctx): Reply => {
      const m = state.media.get(ctx.params[0] ?? '');
      if (!m || m.ownerId !== ctx.userId || m.received !== m.totalBytes) {
        return problem(400, 'Invalid Request', 'The upload is incomplete.');
      }
      m.finalized = true;
      // GIFs and videos are processed asynchronously (docs.x.com "Chunked media upload": FINALIZE
      // answers processing_info; STATUS until it succeeds or fails).
      if (m.type !== 'photo') {
        const next = mediaProcessing.shift() ?? { polls: 1 };
        m.processing = { state: 'pending', pollsLeft: next.polls, ...(next.failWith ? { error: next.failWith } : {}) };
      }
      return { status: 200, body: { data: mediaUploadData(m) } };
    },
    // GET /2/media/upload?command=STATUS&media_id=: pending → in_progress → succeeded (or failed),
    // one step per poll once `pollsLeft` polls were answered in progress.
    'GET /2/media/upload': (ctx): Reply => {
      const m = state.media.get(ctx.query.get('media_id') ?? '');
      if (!m || m.ownerId !== ctx.userId) return problem(400, 'Invalid Request', 'Unknown media id.');
      const p = m.processing;
      if (p && (p.state === 'pending' || p.state === 'in_progress')) {
        if (p.pollsLeft > 0) {
          p.pollsLeft--;
          p.state = 'in_progress';
        } else p.state = p.error ? 'failed' : 'succeeded';
      }
      return { status: 200, body: { data: mediaUploadData(m) } };
    },
    'POST /2/media/metadata': (ctx): Reply => {
      const b = ctx.body ?? {};
      const m = state.media.get(String(b['id'] ?? ''));
      if (!m || m.ownerId !== ctx.userId) return problem(400, 'Invalid Request', 'Unknown media id.');
      const alt = (b['metadata'] as { alt_text?: { text?: string } } | undefined)?.alt_text?.text;
      if (alt !== undefined) m.altText = alt;
      return {
        status: 200,
        body: { data: { id: m.id, associated_metadata: { alt_text: { text: m.altText ?? '' } } } },
      };
    },
  };

  // ---- OAuth 2.0 (not in the spec) --------------------------------------------------------

  const authorize = (query: URLSearchParams): Reply => {
    const client = clients.get(query.get('client_id') ?? '');
    const redirectUri = query.get('redirect_uri') ?? '';
    const bad = (why: string): Reply => ({
      status: 400,
      type: 'text/html',
      body: `<p>Something went wrong: ${why}</p>`,
    });
    if (!client) return bad('unknown client');
    if (redirectUri !== client.redirectUri) return bad('the callback URL is not the registered one');
    if (query.get('response_type') !== 'code') return bad('response_type must be code');
    const challenge = query.get('code_challenge') ?? '';
    if (!challenge || (query.get('code_challenge_method') ?? '').toLowerCase() !== 's256')
      return bad('PKCE S256 required');
    const state = query.get('state') ?? '';
    if (!state) return bad('state required');
    const code = token();
    codes.set(code, {
      clientId: client.clientId,
      redirectUri,
      challenge,
      scopes: (query.get('scope') ?? '').split(' ').filter(Boolean),
      used: false,
    });
    const target = new URL(redirectUri);
    target.searchParams.set('state', state);
    target.searchParams.set('code', code);
    return { status: 302, type: 'text/html', body: '', headers: { location: target.toString() } };
  };

  const oauthError = (error: string, description: string): Reply => ({
    status: 400,
    body: { error, error_description: description },
  });

  const tokenEndpoint = (req: IncomingMessage, body: Record<string, unknown>): Reply => {
    const clientId = String(body['client_id'] ?? '');
    const client = clients.get(clientId);
    if (!client) return oauthError('invalid_client', 'Missing valid authorization header');
    if (client.clientSecret) {
      const expected =
        'Basic ' +
        Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString(
          'base64',
        );
      if (req.headers.authorization !== expected)
        return {
          status: 401,
          body: { error: 'unauthorized_client', error_description: 'Missing valid authorization header' },
        };
    }
    const answer = (userId: string, scopes: string[], grant?: string): Reply => {
      const pair = issue(userId, clientId, scopes, ttl, grant);
      return {
        status: 200,
        body: {
          token_type: 'bearer',
          expires_in: pair.ttlSec,
          access_token: pair.accessToken,
          scope: scopes.join(' '),
          ...(scopes.includes('offline.access') ? { refresh_token: pair.refreshToken } : {}),
        },
      };
    };
    const grant = body['grant_type'];
    if (grant === 'authorization_code') {
      const code = codes.get(String(body['code'] ?? ''));
      if (!code || code.used || code.clientId !== clientId)
        return oauthError('invalid_grant', 'Value passed for the authorization code was invalid.');
      code.used = true;
      if (String(body['redirect_uri'] ?? '') !== code.redirectUri)
        return oauthError('invalid_grant', 'redirect_uri does not match.');
      const verifier = String(body['code_verifier'] ?? '');
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (challenge !== code.challenge)
        return oauthError('invalid_grant', 'Value passed for the code verifier did not match.');
      return answer(ME_ID, code.scopes);
    }
    if (grant === 'refresh_token') {
      const presentedToken = String(body['refresh_token'] ?? '');
      presented.push(presentedToken);
      const rt = refreshTokens.get(presentedToken);
      // X answers `invalid_request` for a spent, unknown or foreign refresh token, and revokes
      // the whole grant when a spent one comes back (refresh token rotation).
      if (!rt || rt.clientId !== clientId) {
        return oauthError('invalid_request', 'Value passed for the token was invalid.');
      }
      if (rt.used) {
        if (!rt.revoked) reuseRevocations++;
        revokeGrant(rt.grant);
        return oauthError('invalid_request', 'Value passed for the token was invalid.');
      }
      // A token of a grant the user revoked: the RFC 6749 §5.2 answer.
      if (rt.revoked) return oauthError('invalid_grant', 'The grant was revoked.');
      rt.used = true;
      refreshes++;
      return answer(rt.userId, rt.scopes.length ? rt.scopes : ['tweet.read', 'users.read', 'offline.access'], rt.grant);
    }
    return oauthError('unsupported_grant_type', 'grant_type not supported');
  };

  // ---- request handling -------------------------------------------------------------------

  const authenticate = (req: IncomingMessage): { userId: string; key: string } | Reply => {
    const header = req.headers.authorization ?? '';
    if (header.startsWith('Bearer ')) {
      const access = accessTokens.get(header.slice(7));
      if (!access || access.revoked || access.expiresAt <= now()) return problem(401, 'Unauthorized', 'Unauthorized');
      return { userId: access.userId, key: header.slice(7) };
    }
    if (header.startsWith('OAuth ')) {
      const fields = Object.fromEntries(
        [...header.slice(6).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], decodeURIComponent(m[2] ?? '')]),
      );
      const t = oauth1.get(fields['oauth_token'] ?? '');
      if (!t || t.appKey !== fields['oauth_consumer_key'] || !fields['oauth_signature']) {
        return problem(401, 'Unauthorized', 'Unauthorized');
      }
      return { userId: t.userId, key: fields['oauth_token'] ?? '' };
    }
    return problem(401, 'Unauthorized', 'Unauthorized');
  };

  const rateHeaders = (key: string, endpoint: string): { headers: Record<string, string>; exceeded: boolean } => {
    const limit = limits.get(endpoint) ?? 900;
    const id = `${key} ${endpoint}`;
    const t = now();
    let u = usage.get(id);
    if (!u || t >= u.windowStart + WINDOW_SEC * 1000) {
      u = { windowStart: t, used: 0 };
      usage.set(id, u);
    }
    const exceeded = u.used >= limit;
    if (!exceeded) u.used++;
    return {
      exceeded,
      headers: {
        'x-rate-limit-limit': String(limit),
        'x-rate-limit-remaining': String(Math.max(0, limit - u.used)),
        'x-rate-limit-reset': String(Math.ceil((u.windowStart + WINDOW_SEC * 1000) / 1000)),
      },
    };
  };

  /**
   * The 24-hour allowances of the Free and Basic plans (docs.x.com "Rate limits": POST /2/tweets
   * per user and per app), beside the 15-minute window: `x-user-limit-24hour-*` or
   * `x-app-limit-24hour-*` headers (limit, remaining, reset in epoch seconds), a 429 once spent.
   * The window opens at the first request and lasts 24 hours; the app is the emulator's one app.
   */
  const dailyHeaders = (userId: string, endpoint: string): { headers: Record<string, string>; exceeded: boolean } => {
    const rule = dailyLimits.get(endpoint);
    if (!rule) return { headers: {}, exceeded: false };
    const id = `${rule.scope === 'user' ? userId : 'app'} ${endpoint}`;
    const t = now();
    let u = dailyUsage.get(id);
    if (!u || t >= u.windowStart + DAY_SEC * 1000) {
      u = { windowStart: t, used: 0 };
      dailyUsage.set(id, u);
    }
    const exceeded = u.used >= rule.limit;
    if (!exceeded) u.used++;
    const prefix = rule.scope === 'user' ? 'x-user-limit-24hour' : 'x-app-limit-24hour';
    return {
      exceeded,
      headers: {
        [`${prefix}-limit`]: String(rule.limit),
        [`${prefix}-remaining`]: String(Math.max(0, rule.limit - u.used)),
        [`${prefix}-reset`]: String(Math.ceil((u.windowStart + DAY_SEC * 1000) / 1000)),
      },
    };
  };

  const send = (res: ServerResponse, method: string, path: string, reply: Reply, validate: boolean) => {
    const type = reply.type ?? 'application/json';
    if (validate) validator.checkResponse(method, path, reply.status, type, reply.body);
    const payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    const answer = () => {
      if (res.destroyed) return; // the client went away while the answer was held back
      res.writeHead(reply.status, { 'content-type': `${type}; charset=utf-8`, ...(reply.headers ?? {}) });
      res.end(payload);
    };
    if (latency.afterMs > 0) setTimeout(answer, latency.afterMs);
    else answer();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const contentType = req.headers['content-type'];
    let body: Record<string, unknown> | undefined;
    if (raw.length) {
      const type = (contentType ?? '').split(';')[0]?.trim();
      if (type === 'application/json') {
        try {
          body = JSON.parse(raw.toString()) as Record<string, unknown>;
        } catch {
          validator.violations.push({ method, path, direction: 'request', message: 'body is not JSON' });
          return send(res, method, path, problem(400, 'Invalid Request', 'Body is not JSON'), false);
        }
      } else if (type === 'application/x-www-form-urlencoded') {
        body = Object.fromEntries(new URLSearchParams(raw.toString()));
      } else if (type === 'multipart/form-data') {
        body = parseMultipart(raw, /boundary=([^;]+)/.exec(contentType ?? '')?.[1] ?? '');
      } else {
        validator.violations.push({ method, path, direction: 'request', message: `unexpected body type ${type}` });
      }
    }
    if (latency.beforeMs > 0) await new Promise((resolve) => setTimeout(resolve, latency.beforeMs));

    if (method === 'GET' && path === '/i/oauth2/authorize') {
      requests.push({ method, path, endpoint: 'GET /i/oauth2/authorize' });
      return send(res, method, path, authorize(url.searchParams), false);
    }
    if (method === 'POST' && path === '/2/oauth2/token') {
      requests.push({ method, path, endpoint: 'POST /2/oauth2/token' });
      return send(res, method, path, tokenEndpoint(req, body ?? {}), false);
    }

    const op = validator.operationFor(method, path);
    const endpoint = op ? `${method} ${op.template}` : `${method} ${path}`;
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    requests.push({ method, path, endpoint, ...(bearer ? { auth: bearer } : {}) });
    const validBody = body && body['media'] instanceof Buffer ? { ...body, media: '<binary>' } : body;
    if (!validator.checkRequest(method, path, url.searchParams, contentType, validBody)) {
      const last = validator.violations[validator.violations.length - 1];
      return send(
        res,
        method,
        path,
        {
          status: 400,
          type: 'application/problem+json',
          body: {
            type: 'https://api.x.com/2/problems/invalid-request',
            title: 'Invalid Request',
            detail: last?.message ?? 'One or more parameters to your request was invalid.',
          },
        },
        !!op,
      );
    }
    const route = routes[endpoint];
    if (!route || !op)
      return send(res, method, path, problem(404, 'Not Found', 'Sorry, that page does not exist.'), false);

    const auth = authenticate(req);
    if ('status' in auth) return send(res, method, path, auth, true);
    if (notInPlan.has(endpoint)) {
      return send(
        res,
        method,
        path,
        {
          status: 403,
          type: 'application/problem+json',
          body: {
            client_id: '20000001',
            detail:
              'When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project. You can create a project via the developer portal.',
            registration_url: 'https://developer.x.com/en/docs/projects/overview',
            title: 'Client Forbidden',
            required_enrollment: 'Appropriate Level of API Access',
            reason: 'client-not-enrolled',
            type: 'https://api.x.com/2/problems/client-forbidden',
          },
        },
        true,
      );
    }
    const rate = rateHeaders(auth.key, endpoint);
    const day = rate.exceeded ? { headers: {}, exceeded: false } : dailyHeaders(auth.userId, endpoint);
    Object.assign(rate.headers, day.headers);
    if (rate.exceeded || day.exceeded) {
      return send(
        res,
        method,
        path,
        { ...problem(429, 'Too Many Requests', 'Too Many Requests'), headers: rate.headers },
        true,
      );
    }
    const faultIndex = faults.findIndex((f) => f.endpoint === endpoint);
    const fault = faultIndex >= 0 ? faults.splice(faultIndex, 1)[0] : undefined;
    const unavailable = () =>
      send(
        res,
        method,
        path,
        { ...problem(503, 'Service Unavailable', 'Service Unavailable'), headers: rate.headers },
        true,
      );
    if (fault?.mode === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json', ...rate.headers });
      res.end('{"data": [ {"id": "1", "text": "cut sh');
      return;
    }
    if (fault?.mode === 'server-error') {
      return unavailable();
    }
    if (fault?.mode === 'no-answer') return;
    const ctx: Ctx = {
      method,
      path,
      endpoint,
      params: [...(op.regex.exec(path) ?? [])].slice(1).map((p) => decodeURIComponent(p)),
      query: url.searchParams,
      body,
      userId: auth.userId,
    };
    const reply = route(ctx);
    const data =
      typeof reply.body === 'object' && reply.body !== null && !Array.isArray(reply.body)
        ? reply.body['data']
        : undefined;
    if (reply.status === 200 && Array.isArray(data)) {
      const ids = data.flatMap((d) =>
        typeof d === 'object' && d !== null && !Array.isArray(d) && typeof d['text'] === 'string'
          ? [String(d['id'])]
          : [],
      );
      if (ids.length) served.push({ endpoint, query: new URLSearchParams(url.searchParams), ids });
    }
    if (fault?.mode === 'commit-then-error') {
      return unavailable();
    }
    if (fault?.mode === 'commit-then-drop') {
      res.socket?.destroy();
      return;
    }
    const alteration = alterations.findIndex((a) => a.endpoint === endpoint);
    if (alteration >= 0 && typeof reply.body === 'object' && reply.body !== null && !Array.isArray(reply.body)) {
      const { alter } = alterations.splice(alteration, 1)[0]!;
      validator.checkResponse(method, path, reply.status, reply.type ?? 'application/json', reply.body);
      const body = JSON.parse(JSON.stringify(reply.body)) as JsonObject;
      alter(body);
      return send(res, method, path, { ...reply, body, headers: { ...rate.headers, ...(reply.headers ?? {}) } }, false);
    }
    send(res, method, path, { ...reply, headers: { ...rate.headers, ...(reply.headers ?? {}) } }, true);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      validator.violations.push({
        method: req.method ?? '',
        path: req.url ?? '',
        direction: 'response',
        message: `emulator crashed: ${String(err)}`,
      });
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const control: XEmulatorControl = {
    issueOAuth2: (o = {}) => {
      const pair = issue(
        o.userId ?? ME_ID,
        o.clientId ?? [...clients.keys()][0] ?? 'test-client',
        ['tweet.read', 'tweet.write', 'users.read', 'like.write', 'list.read', 'media.write', 'offline.access'],
        o.ttlSec,
      );
      return { accessToken: pair.accessToken, refreshToken: pair.refreshToken, expiresAt: pair.expiresAt };
    },
    issueOAuth1: (userId = ME_ID) => {
      const keys = {
        appKey: token(12),
        appSecret: token(),
        accessToken: `${userId}-${token(12)}`,
        accessSecret: token(),
      };
      oauth1.set(keys.accessToken, {
        userId,
        appKey: keys.appKey,
        appSecret: keys.appSecret,
        accessSecret: keys.accessSecret,
      });
      return keys;
    },
    revoke: (accessToken) => {
      const access = accessTokens.get(accessToken);
      if (!access) return;
      access.revoked = true;
      for (const rt of refreshTokens.values())
        if (rt.userId === access.userId && rt.clientId === access.clientId) rt.revoked = true;
    },
    rejectAccessToken: (accessToken) => {
      const access = accessTokens.get(accessToken);
      if (access) access.revoked = true;
    },
    refuseNextIssuedAccessTokens: (count) => {
      refuseIssued = count;
    },
    setAccessTokenTtl: (ttlSec) => {
      ttl = ttlSec;
    },
    refreshTokensPresented: () => [...presented],
    grantsRevokedForReuse: () => reuseRevocations,
    setRateLimit: (endpoint, limit) => void limits.set(endpoint, limit),
    excludeFromPlan: (endpoint) => void notInPlan.add(endpoint),
    setDailyLimit: (endpoint, limit, scope) => void dailyLimits.set(endpoint, { scope, limit }),
    failNext: (endpoint, mode) => void faults.push({ endpoint, mode }),
    setMediaProcessing: ({ polls, failWith, checkAfterSecs: secs }) => {
      mediaProcessing.push({ polls, failWith });
      if (secs !== undefined) checkAfterSecs = secs;
    },
    addTweet: ({ replyTo, poll, lang, ...input }) => {
      const parent = replyTo === undefined ? undefined : state.tweets.get(replyTo);
      if (replyTo !== undefined && !parent) throw new Error(`There is no post ${replyTo} to reply to.`);
      const t = state.addTweet(input);
      if (lang !== undefined) t.lang = lang;
      if (poll) state.attachPoll(t, poll.options, poll.durationMinutes, poll.votes);
      if (parent) {
        t.referenced.push({ type: 'replied_to', id: parent.id });
        t.inReplyToUserId = parent.authorId;
        t.conversationId = parent.conversationId ?? parent.id;
        parent.replies++;
      }
      return t;
    },
    retweet: (userId, tweetId, createdAt) => {
      const rt = state.retweet(userId, tweetId, createdAt);
      if (!rt) throw new Error(`There is no post ${tweetId} to retweet.`);
      return rt;
    },
    alterNext: (endpoint, alter) => void alterations.push({ endpoint, alter }),
    refreshCount: () => refreshes,
    setLatency: (next) => {
      latency = { beforeMs: next?.beforeMs ?? 0, afterMs: next?.afterMs ?? 0 };
    },
  };

  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    violations: validator.violations,
    drift: validator.drift,
    state,
    requests,
    served,
    control,
  };
}
