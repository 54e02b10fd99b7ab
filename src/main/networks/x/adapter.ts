// The X network adapter, on twitter-api-v2 against the account's API base URL.
import type { TwitterApiReadWrite, TwitterRateLimit } from 'twitter-api-v2';
import { z } from 'zod';
import {
  REQUEST_DEADLINE_MS,
  type ListInfo,
  type MetricsRefresh,
  type OwnMetrics,
  type OwnPostRef,
  type NetworkAdapter,
  type PostAction,
  type PublishRequest,
  type RateLimitState,
  type TextRules,
  type TimelineRequest,
} from '../../../shared/adapter';
import { ColonnadeError } from '../../../shared/errors';
import { firstMediaRefusal, X_MEDIA_RULES, type MediaRules } from '../../../shared/media-rules';
import { exceededLimit, measureText, tooLongParams, xPostText, xRefusedCharacters } from '../../../shared/text-length';
import {
  type ColumnKind,
  type Metrics,
  type Page,
  type Post,
  type Profile,
  type ProfileDetails,
  threadNote,
  type ThreadNote,
  type ThreadView,
  type TimelineEntry,
} from '../../../shared/model';
import type { AdapterContext as NetworkAdapterContext } from '../module';
import { ApiResponseError } from 'twitter-api-v2';
import {
  problemError,
  toColonnadeError,
  userClient,
  type RateLimitSink,
  type XCredentials,
  type XFeature,
} from './client';
import { decodeCursor, encodeCursor, type Between, type Since, type XCursor } from './cursors';
import { uploadXMedia } from './media-upload';
import { UploadMeter } from '../upload-progress';
import { bucketOfEndpoint, bucketOfKind } from './rate-buckets';
import { readProblems } from './problems';
import { describeProblems, refusalOf, type Target } from './refusals';
import { TokenKeeper } from './token-keeper';
import {
  TWEET_QUERY,
  Unreadable,
  XTimelineSchema,
  XTweetSchema,
  XUserDetailsSchema,
  XUserResponseSchema,
  createdAtOf,
  decodeXText,
  indexIncludes,
  isSameText,
  mergeIncluded,
  metricsOf,
  missingQuotes,
  rawIdOf,
  toEntries,
  toPost,
  toProfile,
  toProfileDetails,
  type Included,
  type XTimeline,
  type XTweet,
} from './normalize';
import { ViewerMemory } from './viewer-memory';
import { readOwnMetrics } from './own-metrics';

/** What the app gives the adapter (see networks/module.ts). */
export type AdapterContext = NetworkAdapterContext<XCredentials>;

/**
 * What the app gives the X adapter: `onReads` reports how many posts each response returned (X
 * bills per post read), `onRateWindow` every 15-minute window a response states.
 */
export interface XAdapterContext extends AdapterContext {
  /**
   * How long a request may stay unanswered before it fails as a timeout (`transient`, reason
   * `timeout`), in milliseconds: REQUEST_DEADLINE_MS (30 s) unless a test needs less.
   */
  requestDeadlineMs?: number | undefined;
}

/** What a 'newer' read is for (the cost meter bills count refreshes apart). */
type ReadPurpose = 'timeline' | 'counts';

export { REFRESH_MARGIN_MS } from './token-keeper';

const COLUMN_KINDS: ColumnKind[] = ['home', 'mentions', 'notifications', 'hashtag', 'search', 'user', 'list'];

/** How far X's clock and ours may differ when looking for a post made since a time. */
/** Pages of 100 of the profile's own posts looked through for an uncertain send. */
const RECENT_PAGES = 5;
const CLOCK_SKEW_MS = 5 * 60_000;

/** Smallest and largest max_results each timeline endpoint takes. */
const PAGE_BOUNDS = {
  home: [1, 100],
  mentions: [5, 100],
  user: [5, 100],
  search: [10, 100],
  list: [1, 100],
} as const;

/** What a column's read is called in errors (a key of `X_FEATURES`). */
const FEATURE: Partial<Record<ColumnKind, XFeature>> = {
  home: 'home',
  mentions: 'mentions',
  notifications: 'mentions',
  hashtag: 'search',
  search: 'search',
  user: 'user-timelines',
  list: 'lists',
};

/**
 * How far back X recent search reaches: "the last 7 days" (docs.x.com, Search Posts: recent
 * search; spec: `start_time` "Must be within the last 7 days").
 */
const SEARCH_WINDOW_MS = 7 * 24 * 3_600_000;

/** How a column kind reads on X. */
interface Route {
  feature: XFeature;
  path: string;
  /** Smallest and largest max_results the endpoint takes. */
  bounds: readonly [number, number];
  extra: Record<string, string>;
  tokenParam: 'pagination_token' | 'next_token';
  /** X takes since_id and until_id (not on lists). */
  ids: boolean;
  /** X recent search: nothing older than 7 days. */
  window: boolean;
  /** What the column asks X for: an answer refused about it is a refusal, else a page (see refusals.ts). */
  target: Target | null;
}

/**
 * X's answer to a `since_id` older than recent search reaches (7 days): 400 invalid-request with
 * `errors[].parameters.since_id` and the message "'since_id' must be a tweet id created after
 * 2026-06-22T16:35Z. Please use a 'since_id' that is larger than …" (the live API, as reported
 * in rooteco/tweetscape#421 and seen by other clients; the spec says only "Must be within the
 * last 7 days" of `start_time`). `after` is that instant (ISO), when X gave one.
 */
class SinceTooOld extends ColonnadeError {
  constructor(readonly after: string | undefined) {
    super('invalid', 'X search no longer reaches that far back.', { reason: 'invalid-request' });
  }
}

function sinceTooOld(err: unknown): SinceTooOld | null {
  if (!(err instanceof ApiResponseError) || err.code !== 400) return null;
  const errors = (err.data as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return null;
  for (const e of errors) {
    if (typeof e !== 'object' || e === null) continue;
    const o = e as { parameters?: unknown; message?: unknown };
    const params = typeof o.parameters === 'object' && o.parameters !== null ? o.parameters : {};
    if (!('since_id' in params)) continue;
    const words = typeof o.message === 'string' ? o.message : '';
    const at = /created after (\d{4}-\d{2}-\d{2}T[0-9:.]+Z)/.exec(words)?.[1];
    const ms = at ? Date.parse(at) : NaN;
    return new SinceTooOld(Number.isFinite(ms) ? new Date(ms).toISOString() : undefined);
  }
  return null;
}

/**
 * How many pages of the conversation search one thread reads: 2 of 100 posts (X bills each post
 * it serves; replies beyond them are counted in `more` from X's reply counts).
 */
const THREAD_SEARCH_PAGES = 2;
/** How many posts above the one shown a thread reads at most (each one X did not serve yet is a look-up). */
const THREAD_MAX_ANCESTORS = 40;
/** Authors with how the account relates to them (spec `UserConnectionStatus`), to rank replies. */
const THREAD_USER_FIELDS = `${TWEET_QUERY['user.fields']},connection_status`;
/** What a profile page shows (spec `UserFieldsParameter`), read by `toProfileDetails`. */
const PROFILE_USER_FIELDS =
  'name,username,profile_image_url,description,entities,protected,verified,verified_type,parody,profile_banner_url,public_metrics,connection_status,withheld';

const XUserDetailsResponseSchema = z.object({
  data: XUserDetailsSchema.optional(),
  errors: z.array(z.unknown()).optional(),
});

/** The post a post replies to (its `replied_to` reference), if any. */
const repliedTo = (t: XTweet): string | undefined => t.referenced_tweets?.find((r) => r.type === 'replied_to')?.id;
const isRepost = (t: XTweet): boolean => t.referenced_tweets?.some((r) => r.type === 'retweeted') ?? false;
/** The readable posts of a `data` array. */
const tweetsOf = (data: readonly unknown[] | undefined): XTweet[] =>
  (data ?? []).flatMap((d) => {
    const r = XTweetSchema.safeParse(d);
    return r.success ? [r.data] : [];
  });

/**
 * Why X did not serve the post a thread is about, from its `errors[]` (spec `Problem`): deleted
 * (`resource-not-found`, or no word about it at all) is not-found with reason `post-gone`; any
 * other problem (a suspended author's `resource-unavailable`, a protected one's
 * `not-authorized-for-resource`) as `problemError` words it.
 */
function threadRefusal(errors: readonly unknown[] | undefined, id: string): ColonnadeError {
  const problems = readProblems(errors);
  const p =
    problems.find((e) => e.resourceType === 'tweet' && e.ids.includes(id)) ?? problems.find((e) => e.ids.includes(id));
  if (!p || p.type === 'resource-not-found') {
    return new ColonnadeError('not-found', 'That post is no longer on X.', {
      reason: 'post-gone',
      ...(p?.detail ? { detail: p.detail } : {}),
    });
  }
  return problemError({ type: p.type, ...(p.detail ? { detail: p.detail } : {}) }, 'threads');
}

/** Why a post above the one shown is missing, from X's partial error about it (its problem `type`). */
function missingAncestorNote(inc: Included, id: string): ThreadNote {
  switch (inc.errors.get(id)?.type) {
    case 'resource-not-found':
      return threadNote('thread-ancestor-deleted');
    case 'not-authorized-for-resource':
      return threadNote('thread-x-ancestor-protected');
    default:
      return threadNote('thread-x-ancestor-unavailable');
  }
}

const ListsSchema = z.object({
  data: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
  meta: z.object({ next_token: z.string().optional() }).optional(),
  errors: z.array(z.unknown()).optional(),
});
const CreatedSchema = z.object({ data: z.object({ id: z.string(), text: z.string() }) });
const ActionSchema = z.object({
  data: z.record(z.string(), z.unknown()).optional(),
  errors: z.array(z.unknown()).optional(),
});

const nativeId = (postId: string): string => {
  const m = /^x:([0-9]{1,19})$/.exec(postId);
  if (!m?.[1]) throw new ColonnadeError('not-found', 'That post is not an X post.');
  return m[1];
};

export class XAdapter implements NetworkAdapter {
  readonly network = 'x' as const;
  /** The account's sign-in (OAuth 2.0 pair kept fresh, or OAuth 1.0a keys): see token-keeper.ts. */
  private readonly keeper: TokenKeeper;
  /** The client for the access token it was made with. */
  private client: { accessToken: string; api: TwitterApiReadWrite } | null = null;
  private me: Profile | null = null;
  private lastRate: RateLimitState | null = null;
  private readonly userIds = new Map<string, string>();
  /**
   * Publishes whose outcome is unknown, by idempotency key, with when the first attempt started
   * (ms): look for the post (made since then) before sending again.
   */
  private readonly uncertain = new Map<string, number>();
  /** The CM's own likes and reposts, which X timelines do not carry (see viewer-memory.ts). */
  private readonly viewer: ViewerMemory;

  constructor(
    credentials: XCredentials,
    private readonly ctx: XAdapterContext,
  ) {
    this.viewer = new ViewerMemory(ctx.memory, ctx.log);
    this.keeper = new TokenKeeper(credentials, {
      clock: ctx.clock,
      log: ctx.log,
      save: (next) => ctx.saveCredentials(next),
    });
  }

  // ---- plumbing ---------------------------------------------------------------------------

  /** Every window a response states: the latest for `rateLimit()`, and the engine told its bucket. */
  private readonly onRateLimit: RateLimitSink = (r: TwitterRateLimit, endpoint) => {
    const resetAt = new Date(r.reset * 1000).toISOString();
    this.lastRate = { limit: r.limit, remaining: r.remaining, resetAt };
    this.ctx.onRateWindow?.({
      bucket: bucketOfEndpoint(endpoint.method, endpoint.path),
      limit: r.limit,
      remaining: r.remaining,
      resetAt,
    });
  };

  private clientFor(creds: XCredentials): TwitterApiReadWrite {
    if (this.client?.accessToken !== creds.accessToken) {
      this.client = {
        accessToken: creds.accessToken,
        api: userClient(creds, {
          onRateLimit: this.onRateLimit,
          deadlineMs: this.ctx.requestDeadlineMs ?? REQUEST_DEADLINE_MS,
        }),
      };
    }
    return this.client.api;
  }

  /**
   * Runs one call with credentials fit for it, mapping every failure to the shared taxonomy.
   * A 401 on an OAuth 2.0 token renews the pair once (TokenKeeper.afterRejection) and retries the
   * call once; a second 401 is `auth-expired` with reason `x-token-refused`.
   */
  private async call<T>(feature: XFeature, fn: (api: TwitterApiReadWrite) => Promise<T>): Promise<T> {
    let creds: XCredentials;
    try {
      creds = await this.keeper.current();
    } catch (err) {
      throw toColonnadeError(err, feature);
    }
    try {
      return await fn(this.clientFor(creds));
    } catch (err) {
      if (!(err instanceof ApiResponseError && err.code === 401)) throw toColonnadeError(err, feature);
      let retry: XCredentials | null;
      try {
        retry = await this.keeper.afterRejection(creds.accessToken);
      } catch (renewal) {
        throw toColonnadeError(renewal, feature);
      }
      if (!retry) throw toColonnadeError(err, feature);
      try {
        return await fn(this.clientFor(retry));
      } catch (again) {
        if (again instanceof ApiResponseError && again.code === 401) {
          throw new ColonnadeError('auth-expired', 'X no longer accepts this account’s sign-in. Reconnect it.', {
            reason: 'x-token-refused',
          });
        }
        throw toColonnadeError(again, feature);
      }
    }
  }

  private async myId(): Promise<string> {
    if (!this.me) this.me = await this.verify();
    return this.me.id.slice(2);
  }

  /**
   * Tells the cost meter the posts of one answer: each post once, the account's own apart
   * (X bills them at the owned-read price), and what they were read for.
   */
  private countReads(t: XTimeline, me: string, purpose: ReadPurpose): void {
    const data = t.data ?? [];
    if (!data.length || !this.ctx.onReads) return;
    const own = data.filter((p) => typeof p === 'object' && p !== null && (p as XTweet).author_id === me).length;
    this.ctx.onReads({ posts: data.length - own, ownPosts: own, purpose });
  }

  /** One GET of posts; with `since`, X's refusal of a too old `since_id` is thrown as SinceTooOld. */
  private async getTimeline(
    feature: XFeature,
    path: string,
    query: Record<string, string | number>,
    options: { since?: boolean } = {},
  ): Promise<XTimeline> {
    const me = await this.myId();
    const raw = await this.call(feature, async (api) => {
      try {
        return await api.v2.get(path, { ...TWEET_QUERY, ...query });
      } catch (err) {
        throw (options.since && sinceTooOld(err)) || err;
      }
    });
    const parsed = (() => {
      try {
        return XTimelineSchema.parse(raw);
      } catch (err) {
        throw toColonnadeError(err, feature);
      }
    })();
    this.countReads(parsed, me, 'timeline');
    return parsed;
  }

  // ---- NetworkAdapter ---------------------------------------------------------------------

  async verify(): Promise<Profile> {
    const raw = await this.call('account-check', (api) =>
      api.v2.get('users/me', { 'user.fields': 'name,username,profile_image_url' }),
    );
    const parsed = XUserResponseSchema.safeParse(raw);
    if (parsed.success && !parsed.data.data) {
      const refusal = refusalOf(parsed.data.errors, { type: 'user' }, 'account-check');
      if (refusal) throw refusal;
    }
    if (!parsed.success || !parsed.data.data) {
      throw new ColonnadeError('invalid', 'X answered the account check with data Colonnade does not understand.');
    }
    this.me = toProfile(parsed.data.data);
    return this.me;
  }

  columnKinds(): ColumnKind[] {
    return [...COLUMN_KINDS];
  }

  textRules(): TextRules {
    return { counting: 'weighted', maxLength: 280, maxImages: 4, maxAltLength: 1000 };
  }

  /** X's documented media limits (media-rules.ts): images and GIFs are sent, videos not yet. */
  mediaRules(): MediaRules {
    return X_MEDIA_RULES;
  }

  pollIntervalMs(kind: ColumnKind): number {
    // Every read is billed: poll gently. Search and lists change slowest for most brands.
    return kind === 'home' || kind === 'mentions' || kind === 'notifications' ? 60_000 : 120_000;
  }

  rateLimit(): RateLimitState | null {
    return this.lastRate;
  }

  /** See rate-buckets.ts: X's per-user 15-minute windows, by endpoint family. */
  rateBucket(of: ColumnKind | 'metrics'): { bucket: string; limit: number; windowMs: number } {
    return bucketOfKind(of);
  }

  private async userIdFor(handle: string): Promise<string> {
    const key = handle.toLowerCase();
    const known = this.userIds.get(key);
    if (known) return known;
    const missing = () =>
      new ColonnadeError('not-found', `There is no @${handle} on X.`, {
        reason: 'profile-not-found',
        params: { name: `@${handle}` },
      });
    if (!/^[A-Za-z0-9_]{1,15}$/.test(handle)) throw missing();
    const raw = await this.call('user-timelines', (api) => api.v2.get(`users/by/username/${handle}`));
    const parsed = XUserResponseSchema.safeParse(raw);
    if (!parsed.success) throw new ColonnadeError('invalid', 'X answered with data Colonnade does not understand.');
    // A suspended account answers `resource-unavailable`, an unknown one `resource-not-found`.
    if (!parsed.data.data) throw refusalOf(parsed.data.errors, { type: 'user', handle }, 'user-timelines') ?? missing();
    this.userIds.set(key, parsed.data.data.id);
    return parsed.data.data.id;
  }

  /** How a column kind reads on X: endpoint, page bounds, query, and what X takes to page. */
  private async routeOf(kind: ColumnKind, query: string, me: string): Promise<Route> {
    const self: Target = { type: 'user', id: me, ...(this.me ? { handle: this.me.handle } : {}) };
    const feature = FEATURE[kind] ?? 'column';
    const base = { feature, extra: {}, tokenParam: 'pagination_token', ids: true, window: false } as const;
    switch (kind) {
      case 'home':
        return { ...base, path: `users/${me}/timelines/reverse_chronological`, bounds: PAGE_BOUNDS.home, target: self };
      case 'mentions':
      case 'notifications':
        return { ...base, path: `users/${me}/mentions`, bounds: PAGE_BOUNDS.mentions, target: self };
      case 'hashtag':
      case 'search': {
        let q: string;
        if (kind === 'hashtag') {
          const tag = query.replace(/^#+/, '');
          if (!tag) throw new ColonnadeError('invalid', 'A hashtag column needs a hashtag.');
          q = `#${tag} -is:retweet`;
        } else {
          if (!query) throw new ColonnadeError('invalid', 'A search column needs keywords.');
          q = /(^|\s)-?is:retweet\b/.test(query) ? query : `${query} -is:retweet`;
        }
        return {
          ...base,
          path: 'tweets/search/recent',
          bounds: PAGE_BOUNDS.search,
          extra: { query: q },
          tokenParam: 'next_token',
          window: true,
          target: null,
        };
      }
      case 'user': {
        const handle = query.replace(/^@+/, '');
        const id = await this.userIdFor(handle);
        return { ...base, path: `users/${id}/tweets`, bounds: PAGE_BOUNDS.user, target: { type: 'user', id, handle } };
      }
      case 'list':
        if (!/^[0-9]{1,19}$/.test(query))
          throw new ColonnadeError('not-found', 'That X list does not exist.', { reason: 'list-not-found' });
        return {
          ...base,
          path: `lists/${query}/tweets`,
          bounds: PAGE_BOUNDS.list,
          ids: false,
          target: { type: 'list', id: query },
        };
      case 'scheduled':
      case 'drafts':
      case 'analytics':
      case 'monitor':
        // A monitor column is read by the engine as searches on each of its profiles.
        throw new ColonnadeError('invalid', 'Scheduled posts, drafts and monitors are not network timelines.');
    }
  }

  /**
   * A page of a column, newest first. 'older' (and 'newer' without a cursor) reads the newest
   * page or pages back (`u:` until_id, `p:` X's token on lists). 'newer' with a cursor reads
   * what arrived since it, one page at a time (see `readNewer`).
   */
  async readTimeline(req: TimelineRequest): Promise<Page<TimelineEntry>> {
    const query = (req.query ?? '').trim();
    const me = await this.myId();
    const route = await this.routeOf(req.kind, query, me);
    const cursor = req.cursor ? decodeCursor(req.cursor) : null;
    const limit = Math.max(1, Math.floor(req.limit));
    if (cursor?.kind === 'since' || cursor?.kind === 'between') {
      if (req.direction !== 'newer') throw new ColonnadeError('invalid', 'That page position is not valid for X.');
      return this.readNewer(req, route, me, cursor, limit);
    }
    if (req.direction === 'newer' && cursor)
      throw new ColonnadeError('invalid', 'That page position is not valid for X.');

    const maxResults = Math.min(route.bounds[1], Math.max(route.bounds[0], limit));
    const params: Record<string, string | number> = { ...route.extra, max_results: maxResults };
    if (cursor?.kind === 'older') params['until_id'] = cursor.untilId;
    if (cursor?.kind === 'older-token') params[route.tokenParam] = cursor.token;
    const t = await this.fetchPage(req, route, params);
    const data = t.data ?? [];
    const sliced = data.slice(0, limit);
    const read = await this.entriesOf(req, t, sliced, me);
    const ids = sliced.map(rawIdOf).filter((id): id is string => id !== null);
    let older: string | null = null;
    const lastId = ids[ids.length - 1];
    if (lastId && (sliced.length < data.length || t.meta?.next_token)) {
      // Lists page only by X's token (and are never cut short: their smallest page is 1).
      if (route.ids) older = encodeCursor({ kind: 'older', untilId: lastId });
      else if (t.meta?.next_token) older = encodeCursor({ kind: 'older-token', token: t.meta.next_token });
    }
    const newest = sliced.find((p) => rawIdOf(p) !== null);
    // An empty newest page (a hashtag nobody used yet) still answers where "newer" starts: the
    // post id X would give now, so what is posted before the next poll is all read then.
    const top = newest
      ? this.positionOf(route, newest, 0)
      : !cursor
        ? {
            id: snowflakeAt(this.ctx.clock.now()),
            at: this.ctx.clock.now(),
            ...(route.window ? { seen: this.ctx.clock.now() } : {}),
            ...(route.ids ? {} : { hint: 0 }),
          }
        : null;
    return {
      items: read.entries,
      older,
      newer: cursor || !top ? null : encodeCursor({ kind: 'since', since: top }),
      ...(read.skipped.length ? { skipped: read.skipped.length } : {}),
    };
  }

  /**
   * The position after reading `newest` (a raw post of X): its id and time, when the column last
   * read up to now (search), and for lists how many new entries this read met.
   */
  private positionOf(route: Route, newest: unknown, arrived: number): Since {
    const id = rawIdOf(newest)!;
    const parsed = XTweetSchema.safeParse(newest);
    const at = parsed.success ? createdAtOf(parsed.data) : null;
    return {
      id,
      ...(at === null ? {} : { at }),
      ...(route.window ? { seen: this.ctx.clock.now() } : {}),
      ...(route.ids ? {} : { hint: Math.min(100, arrived) }),
    };
  }

  /**
   * One page of what arrived since a cursor, newest first, reading no post the column holds
   * where X allows it:
   * - `since_id` with X's `next_token`/`pagination_token` (home, mentions, user posts, search):
   *   every page holds only newer posts; `between` continues until X has no next page.
   * - Lists take no `since_id`: pages are read down with X's token until a post at or below the
   *   cursor (left out). X bills that one post (and the rest of its page): the first page asks
   *   for as many posts as arrived last time plus one (`hint`), each next page for twice as
   *   many, so a quiet list re-reads one post per poll and a busy one a page at most.
   * - Recent search serves only the last 7 days: when the cursor's post is older (known from its
   *   time, or from X refusing `since_id`), pages are read down without `since_id` until X has
   *   no more (or a post at or below the cursor); each page then carries `horizon`, the instant
   *   X reaches back to, unless the column had read everything up to a time within the window
   *   (`seen`: nothing is missing) or a page met the cursor.
   * Every page of one read answers the same `newer`: its first page's newest entry (or the
   * cursor itself when nothing arrived).
   */
  private async readNewer(
    req: TimelineRequest,
    route: Route,
    me: string,
    cursor: Extract<XCursor, { kind: 'since' | 'between' }>,
    limit: number,
  ): Promise<Page<TimelineEntry>> {
    const [min, max] = route.bounds;
    const pageMax = Math.min(max, Math.max(min, limit));
    const now = this.ctx.clock.now();
    const windowStart = now - SEARCH_WINDOW_MS;
    let since: Since;
    let top: Since | null = null;
    let mode: Between['mode'];
    let size: number;
    let token: string | undefined;
    let horizon: string | undefined;
    if (cursor.kind === 'between') {
      ({ since, top, mode, size, token, horizon } = cursor.between);
    } else {
      since = cursor.since;
      mode = 'since';
      size = pageMax;
      if (!route.ids) {
        mode = 'scan';
        size = Math.min(pageMax, Math.max(min, (since.hint ?? 0) + 1));
      } else if (route.window && since.at !== undefined && since.at <= windowStart) {
        mode = 'scan';
        if (Math.max(since.at, since.seen ?? 0) < windowStart) horizon = new Date(windowStart).toISOString();
      }
    }
    const params: Record<string, string | number> = { ...route.extra, max_results: size };
    if (mode === 'since') params['since_id'] = since.id;
    if (token) params[route.tokenParam] = token;
    let t: XTimeline;
    try {
      t = await this.fetchPage(req, route, params, route.window && mode === 'since');
    } catch (err) {
      if (!(err instanceof SinceTooOld)) throw err;
      // X search no longer reaches the cursor's post: read down without since_id (see above).
      mode = 'scan';
      horizon = err.after ?? new Date(windowStart).toISOString();
      delete params['since_id'];
      t = await this.fetchPage(req, route, params);
    }
    const data = t.data ?? [];
    const held = (p: unknown) => {
      const id = rawIdOf(p);
      return id !== null && BigInt(id) <= BigInt(since.id);
    };
    const fresh = data.filter((p) => !held(p));
    const metCursor = fresh.length < data.length;
    const next = t.meta?.next_token;
    const more = !metCursor && next !== undefined;
    const read = await this.entriesOf(req, t, fresh, me);

    if (!top) {
      const newest = fresh.find((p) => rawIdOf(p) !== null);
      top = newest
        ? this.positionOf(route, newest, fresh.length)
        : {
            ...since,
            ...(route.window ? { seen: now } : {}),
            ...(route.ids ? {} : { hint: 0 }),
          };
    }
    const between: Between | null =
      more && next
        ? {
            since,
            top,
            token: next,
            mode,
            size: route.ids ? size : Math.min(pageMax, size * 2),
            ...(horizon ? { horizon } : {}),
          }
        : null;
    return {
      items: read.entries,
      older: null,
      newer: encodeCursor({ kind: 'since', since: top }),
      between: between ? encodeCursor({ kind: 'between', between }) : null,
      ...(horizon && !metCursor ? { horizon } : {}),
      ...(read.skipped.length ? { skipped: read.skipped.length } : {}),
    };
  }

  /** One page of posts for a column; refusals about what it asks for are thrown (refusals.ts). */
  private async fetchPage(
    req: TimelineRequest,
    route: Route,
    params: Record<string, string | number>,
    since = false,
  ): Promise<XTimeline> {
    const t = await this.getTimeline(route.feature, route.path, params, { since });
    if (t.errors?.length && !t.data?.length) {
      // Only errors: a refusal when one is about what the column asks for (a protected or
      // suspended account, a missing list), else partial errors and an empty page.
      const refusal = refusalOf(t.errors, route.target, route.feature);
      if (refusal) {
        if (req.kind === 'user' && refusal.code === 'not-found')
          this.userIds.delete((req.query ?? '').trim().replace(/^@+/, '').toLowerCase());
        throw refusal;
      }
      this.ctx.log.warn('x: an answer without posts named other things it could not include', {
        kind: req.kind,
        errors: describeProblems(t.errors),
      });
    }
    return t;
  }

  /** The entries of `data` (raw posts of `t`), with the quoted posts X did not include looked up. */
  private async entriesOf(req: TimelineRequest, t: XTimeline, data: readonly unknown[], me: string) {
    const inc = await this.included(t, data);
    const read = toEntries(data, inc, {
      me,
      viewer: (id) => this.viewer.of(id),
      notifications: req.kind === 'notifications',
      now: this.ctx.clock.now(),
    });
    for (const skipped of read.skipped) {
      this.ctx.log.warn('x: a post could not be read and was left out', {
        id: skipped.id,
        why: skipped.why,
        kind: req.kind,
      });
    }
    return read;
  }

  /**
   * The includes of a page, completed: X expands referenced posts one level deep, so the post a
   * reposted post quotes is looked up here (one `GET /2/tweets`, billed like any read). When
   * that lookup fails the quotes read as unavailable; the page still shows.
   */
  private async included(t: XTimeline, data: readonly unknown[]): Promise<Included> {
    const inc = indexIncludes(t.includes, t.errors);
    const tweets = data.flatMap((d) => {
      const r = XTweetSchema.safeParse(d);
      return r.success ? [r.data] : [];
    });
    const missing = missingQuotes(tweets, inc).slice(0, 100);
    if (!missing.length) return inc;
    try {
      const more = await this.getTimeline('quoted-posts', 'tweets', { ids: missing.join(',') });
      const found = (more.data ?? []).flatMap((d) => {
        const r = XTweetSchema.safeParse(d);
        return r.success ? [r.data] : [];
      });
      mergeIncluded(inc, indexIncludes(more.includes, more.errors), found);
    } catch (err) {
      this.ctx.log.warn('x: quoted posts could not be looked up', { ids: missing, error: String(err) });
    }
    return inc;
  }

  /**
   * Counts from GET /2/tweets?ids= (100 ids a request). A post is gone when X answers it in
   * `errors[]` (spec `Problem`, per id, `resource_type: tweet`) with type `…/resource-not-found`
   * (deleted) or `…/resource-unavailable` (its author suspended); `…/not-authorized-for-resource`
   * (a protected author) only withholds it from this account, and it stays.
   */
  async refreshMetrics(postIds: readonly string[]): Promise<MetricsRefresh> {
    const metrics = new Map<string, Metrics>();
    const gone: string[] = [];
    const ids = postIds.flatMap((id) => (/^x:[0-9]{1,19}$/.test(id) ? [id.slice(2)] : []));
    const me = await this.myId();
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100);
      const raw = await this.call('metrics', (api) =>
        api.v2.get('tweets', { ids: chunk.join(','), 'tweet.fields': 'public_metrics,author_id' }),
      );
      const parsed = XTimelineSchema.safeParse(raw);
      if (!parsed.success)
        throw new ColonnadeError('invalid', 'X answered metrics with data Colonnade does not understand.');
      this.countReads(parsed.data, me, 'counts');
      const answered = new Set<string>();
      for (const item of parsed.data.data ?? []) {
        const tweet = XTweetSchema.safeParse(item);
        if (!tweet.success) continue;
        answered.add(tweet.data.id);
        if (tweet.data.public_metrics) metrics.set(`x:${tweet.data.id}`, metricsOf(tweet.data));
      }
      for (const [id, error] of indexIncludes(undefined, parsed.data.errors).errors) {
        const missing = error.resourceType === 'tweet' && chunk.includes(id) && !answered.has(id);
        if (missing && (error.type === 'resource-not-found' || error.type === 'resource-unavailable'))
          gone.push(`x:${id}`);
      }
    }
    return { metrics, gone };
  }

  /**
   * Counts of the account's own posts for the analytics (own-metrics.ts): public counts with
   * bookmarks, and the owner-only link and profile clicks of posts under 30 days old. Billed as
   * count refreshes of own posts (`onReads`, purpose `counts`).
   */
  async ownMetrics(posts: readonly OwnPostRef[]): Promise<OwnMetrics> {
    const me = await this.myId();
    return readOwnMetrics(posts, {
      now: this.ctx.clock.now(),
      lookup: async (query) => {
        const raw = await this.call('metrics', (api) => api.v2.get('tweets', query));
        const parsed = XTimelineSchema.safeParse(raw);
        if (!parsed.success)
          throw new ColonnadeError('invalid', 'X answered metrics with data Colonnade does not understand.');
        this.countReads(parsed.data, me, 'counts');
        return parsed.data;
      },
    });
  }

  async lists(): Promise<ListInfo[]> {
    const me = await this.myId();
    const raw = await this.call('lists', (api) =>
      api.v2.get(`users/${me}/owned_lists`, { max_results: 100, 'list.fields': 'name,description,private' }),
    );
    const parsed = ListsSchema.safeParse(raw);
    if (!parsed.success)
      throw new ColonnadeError('invalid', 'X answered lists with data Colonnade does not understand.');
    if (!parsed.data.data?.length) {
      const self: Target = { type: 'user', id: me, ...(this.me ? { handle: this.me.handle } : {}) };
      const refusal = refusalOf(parsed.data.errors, self, 'lists');
      if (refusal) throw refusal;
    }
    return (parsed.data.data ?? []).map((l) => ({ id: l.id, name: l.name, kind: 'list' as const }));
  }

  /**
   * A post in its conversation, as X serves it to this account:
   * - The post: `GET /2/tweets?ids=` (expansions bring the post it replies to). Gone: see
   *   `threadRefusal` (`post-gone` for a deleted post).
   * - Its replies: recent search `conversation_id:<root>` (docs.x.com "Conversation ID": every
   *   reply, at any depth, carries the id of the post that started the conversation), at most
   *   THREAD_SEARCH_PAGES pages of 100, skipped when X counts no reply to the post. Recent search
   *   serves 7 days: for an older post a note says so (`thread-x-search-window`). A plan without
   *   search, or a spent search window, leaves the replies out with a note instead of failing the
   *   thread (`thread-x-search-not-in-plan`, `thread-x-search-rate-limited`).
   * - What it replies to: the `replied_to` chain walked up from what the answers included, each
   *   post not yet served looked up (`GET /2/tweets?ids=`, which brings its own parent too), at
   *   most THREAD_MAX_ANCESTORS (then `thread-ancestors-cut`); a deleted or hidden one ends the
   *   walk with a note (missingAncestorNote).
   * Replies form a tree by `replied_to` (depth 1 = a direct reply), each reply followed by its own
   * replies, as X groups replies "by sub-conversations"; siblings in X's ranking as its Help
   * Center words it ("About conversations on Twitter", support.twitter.com/articles/20174577,
   * archived 2017-02-15): "we consider factors such as if the original Tweet author has replied,
   * or if a reply is from someone you follow". So: the post author's own replies, then the
   * replies the post author answered, then replies from accounts this one follows
   * (`connection_status`), then oldest first. `more` counts what X counts and did not serve: for
   * the post and each reply shown, its `reply_count` (direct replies only, as the same Help
   * Center page says) less the replies shown under it.
   * Every post read is billed (`onReads`, purpose `timeline`).
   */
  async thread(postId: string): Promise<ThreadView> {
    const id = nativeId(postId);
    const now = this.ctx.clock.now();
    const inc = indexIncludes(undefined);
    const notes: ThreadNote[] = [];
    const read = async (feature: XFeature, path: string, query: Record<string, string | number>) => {
      const t = await this.getTimeline(feature, path, { ...query, 'user.fields': THREAD_USER_FIELDS });
      mergeIncluded(inc, indexIncludes(t.includes, t.errors), tweetsOf(t.data));
      return t;
    };

    const first = await read('threads', 'tweets', { ids: id });
    const target = tweetsOf(first.data).find((t) => t.id === id);
    if (!target) throw threadRefusal(first.errors, id);

    const replyCount = target.public_metrics?.reply_count;
    if (replyCount !== 0) {
      try {
        let token: string | undefined;
        for (let page = 0; page < THREAD_SEARCH_PAGES; page++) {
          const t = await read('search', 'tweets/search/recent', {
            query: `conversation_id:${target.conversation_id ?? id}`,
            max_results: 100,
            ...(token ? { next_token: token } : {}),
          });
          token = t.meta?.next_token;
          if (!token) break;
        }
      } catch (err) {
        const e = toColonnadeError(err, 'search');
        if (e.code === 'not-allowed') notes.push(threadNote('thread-x-search-not-in-plan'));
        else if (e.code === 'rate-limited') notes.push(threadNote('thread-x-search-rate-limited'));
        else throw e;
      }
      const created = createdAtOf(target);
      if (created !== null && created < now - SEARCH_WINDOW_MS) notes.push(threadNote('thread-x-search-window'));
    }

    const ancestors: XTweet[] = [];
    const seen = new Set([id]);
    let parentId = repliedTo(target);
    while (parentId && !seen.has(parentId)) {
      if (ancestors.length >= THREAD_MAX_ANCESTORS) {
        notes.push(threadNote('thread-ancestors-cut'));
        break;
      }
      seen.add(parentId);
      if (!inc.tweets.has(parentId) && !inc.errors.has(parentId)) await read('threads', 'tweets', { ids: parentId });
      const parent = inc.tweets.get(parentId);
      if (!parent) {
        notes.push(missingAncestorNote(inc, parentId));
        break;
      }
      ancestors.unshift(parent);
      parentId = repliedTo(parent);
    }

    // The replies below the post, as a tree, in X's order (see above).
    const children = new Map<string, XTweet[]>();
    for (const t of inc.tweets.values()) {
      const parent = repliedTo(t);
      if (!parent || isRepost(t) || seen.has(t.id)) continue;
      const list = children.get(parent) ?? [];
      list.push(t);
      children.set(parent, list);
    }
    const op = target.author_id;
    const answered = new Map<string, boolean>();
    const opAnswered = (t: XTweet): boolean => {
      const known = answered.get(t.id);
      if (known !== undefined) return known;
      answered.set(t.id, false);
      const yes = (children.get(t.id) ?? []).some((c) => (op !== undefined && c.author_id === op) || opAnswered(c));
      answered.set(t.id, yes);
      return yes;
    };
    const followed = (t: XTweet) =>
      (t.author_id && inc.users.get(t.author_id)?.connection_status?.includes('following')) || false;
    const rank = (t: XTweet) => [
      op !== undefined && t.author_id === op ? 0 : 1,
      opAnswered(t) ? 0 : 1,
      followed(t) ? 0 : 1,
      createdAtOf(t) ?? 0,
    ];
    const inOrder = (list: readonly XTweet[]) =>
      [...list].sort((a, b) => {
        const [ra, rb] = [rank(a), rank(b)];
        for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
        return BigInt(a.id) < BigInt(b.id) ? -1 : 1;
      });
    const below: { tweet: XTweet; depth: number; parent: XTweet }[] = [];
    const walk = (parent: XTweet, depth: number) => {
      for (const child of inOrder(children.get(parent.id) ?? [])) {
        if (seen.has(child.id)) continue;
        seen.add(child.id);
        below.push({ tweet: child, depth, parent });
        walk(child, depth + 1);
      }
    };
    walk(target, 1);

    // Quoted posts X did not include (posts it included are expanded one level only).
    const quotedMissing = [
      ...new Set(
        [target, ...ancestors, ...below.map((b) => b.tweet)].flatMap((t) => {
          const q = t.referenced_tweets?.find((r) => r.type === 'quoted')?.id;
          return q && !inc.tweets.has(q) && !inc.errors.has(q) ? [q] : [];
        }),
      ),
    ].slice(0, 100);
    if (quotedMissing.length) {
      try {
        await read('quoted-posts', 'tweets', { ids: quotedMissing.join(',') });
      } catch (err) {
        this.ctx.log.warn('x: quoted posts could not be looked up', { ids: quotedMissing, error: String(err) });
      }
    }

    const opts = { viewer: (pid: string) => this.viewer.of(pid), now };
    const asPost = (t: XTweet): Post | null => {
      try {
        return toPost(t, inc, opts);
      } catch (err) {
        if (!(err instanceof Unreadable)) throw err;
        this.ctx.log.warn('x: a post of a conversation could not be read and was left out', {
          id: t.id,
          why: err.message,
        });
        return null;
      }
    };
    const post = asPost(target);
    if (!post)
      throw new ColonnadeError('invalid', 'X answered the conversation with data Colonnade does not understand.');
    const shownUnder = new Map<string, number>();
    const replies: ThreadView['replies'] = [];
    for (const b of below) {
      const p = asPost(b.tweet);
      if (!p) continue;
      replies.push({ post: p, depth: b.depth });
      shownUnder.set(b.parent.id, (shownUnder.get(b.parent.id) ?? 0) + 1);
    }
    const shown = [target, ...below.map((b) => b.tweet)];
    const more = shown.reduce(
      (sum, t) => sum + Math.max(0, (t.public_metrics?.reply_count ?? 0) - (shownUnder.get(t.id) ?? 0)),
      0,
    );
    return {
      ancestors: ancestors.flatMap((t) => asPost(t) ?? []),
      post,
      replies,
      more,
      ...(notes.length ? { notes } : {}),
    };
  }

  /**
   * A profile page: `GET /2/users/by/username/:username` with PROFILE_USER_FIELDS (bio, counts,
   * protected, verified, the account's relation), see `toProfileDetails`. An unknown handle is
   * not-found `profile-not-found`; a suspended account `x-suspended` (refusals.ts). A protected
   * account's profile is shown (flag `locked`): only its posts are refused.
   */
  async profile(handle: string): Promise<ProfileDetails> {
    const name = handle.trim().replace(/^@+/, '');
    const missing = () =>
      new ColonnadeError('not-found', `There is no @${name} on X.`, {
        reason: 'profile-not-found',
        params: { name: `@${name}` },
      });
    if (!/^[A-Za-z0-9_]{1,15}$/.test(name)) throw missing();
    const raw = await this.call('profiles', (api) =>
      api.v2.get(`users/by/username/${name}`, { 'user.fields': PROFILE_USER_FIELDS }),
    );
    const parsed = XUserDetailsResponseSchema.safeParse(raw);
    if (!parsed.success)
      throw new ColonnadeError('invalid', 'X answered the profile with data Colonnade does not understand.');
    const user = parsed.data.data;
    if (!user) throw refusalOf(parsed.data.errors, { type: 'user', handle: name }, 'profiles') ?? missing();
    this.userIds.set(name.toLowerCase(), user.id);
    return toProfileDetails(user);
  }

  /**
   * Likes, reposts (and undoes them) or deletes a post. A repost entry's post is the original,
   * so these act on the original. What X accepted is remembered (viewer-memory.ts): the post
   * shows liked or reposted in every later read, also after a restart.
   */
  async act(postId: string, action: PostAction): Promise<void> {
    const id = nativeId(postId);
    const me = await this.myId();
    const feature: XFeature = action === 'delete' ? 'deleting' : action.endsWith('like') ? 'likes' : 'reposts';
    const raw = await this.call(feature, (api) => {
      switch (action) {
        case 'like':
          return api.v2.post(`users/${me}/likes`, { tweet_id: id });
        case 'unlike':
          return api.v2.delete(`users/${me}/likes/${id}`);
        case 'repost':
          return api.v2.post(`users/${me}/retweets`, { tweet_id: id });
        case 'unrepost':
          return api.v2.delete(`users/${me}/retweets/${id}`);
        case 'delete':
          return api.v2.delete(`tweets/${id}`);
      }
    });
    const parsed = ActionSchema.safeParse(raw);
    if (!parsed.success) throw new ColonnadeError('invalid', 'X answered with data Colonnade does not understand.');
    if (!parsed.data.data && parsed.data.errors?.length) {
      // Deleted (`resource-not-found`) reads as deleted; a protected or suspended author as X says.
      throw (
        refusalOf(parsed.data.errors, { type: 'tweet', id }, feature) ??
        new ColonnadeError('not-found', 'That post is no longer on X.', { reason: 'deleted' })
      );
    }
    this.viewer.record(id, action);
  }

  /**
   * The post of `request` if X already has it: one of the profile's 20 latest posts, made since
   * `since` (less five minutes of clock skew), with the same decoded text (links expanded, see
   * normalize `isSameText`), the same reply target, quote and number of images. Used before
   * sending again after an uncertain send (X has no idempotency key).
   */
  private async findRecent(request: PublishRequest, since: number): Promise<Post | null> {
    const me = await this.myId();
    const replyTo = request.replyTo ? nativeId(request.replyTo) : undefined;
    const quoteOf = request.quoteOf ? nativeId(request.quoteOf) : undefined;
    // Every post of the profile made since then (X Snowflake ids order by time: `since_id` of that
    // instant), page after page: after a crash, many other posts may have gone out meanwhile.
    let token: string | undefined;
    for (let page = 0; page < RECENT_PAGES; page++) {
      const t = await this.getTimeline('recent-posts', `users/${me}/tweets`, {
        max_results: 100,
        since_id: snowflakeAt(since - CLOCK_SKEW_MS),
        ...(token ? { pagination_token: token } : {}),
      });
      const found = this.sameAmong(t, me, request, since, replyTo, quoteOf);
      if (found) return found;
      token = t.meta?.next_token;
      if (!token) break;
    }
    return null;
  }

  private sameAmong(
    t: XTimeline,
    me: string,
    request: PublishRequest,
    since: number,
    replyTo: string | undefined,
    quoteOf: string | undefined,
  ): Post | null {
    const inc = indexIncludes(t.includes, t.errors);
    for (const raw of t.data ?? []) {
      const parsed = XTweetSchema.safeParse(raw);
      if (!parsed.success) continue;
      const tweet = parsed.data;
      const at = createdAtOf(tweet);
      if (at !== null && at < since - CLOCK_SKEW_MS) continue;
      const refs = tweet.referenced_tweets ?? [];
      if (refs.some((r) => r.type === 'retweeted')) continue;
      if (refs.find((r) => r.type === 'replied_to')?.id !== replyTo) continue;
      if (refs.find((r) => r.type === 'quoted')?.id !== quoteOf) continue;
      if ((tweet.attachments?.media_keys?.length ?? 0) !== (request.media?.length ?? 0)) continue;
      if (!isSameText(tweet, request.text)) continue;
      const post = toEntries([raw], inc, { me, viewer: (id) => this.viewer.of(id) }).entries[0]?.post;
      if (post) return post;
    }
    return null;
  }

  /**
   * Posts `request.text` (without the byte order marks that start it: `xPostText`). Refused
   * before sending, as X would refuse them: a text holding a character X refuses (twitter-text's
   * invalid characters, see text-length.ts) is `invalid` with reason `invalid-character` and
   * params `code` (`U+FEFF`), `character` (the key of its name), `position` (1-based, in
   * characters); a text over 280 weighted characters is `too-long` with `{ max, unit, length }`
   * (`measureText` with `textRules()`, as main's own check measures it).
   */
  async publish(input: PublishRequest): Promise<Post> {
    const request: PublishRequest = { ...input, text: xPostText(input.text) };
    const refused = xRefusedCharacters(request.text)[0];
    if (refused) {
      throw new ColonnadeError(
        'invalid',
        `X refuses posts containing the character ${refused.code} (${refused.name}); this one has it at character ${refused.position}.`,
        {
          reason: 'invalid-character',
          params: { code: refused.code, character: refused.key, position: String(refused.position) },
        },
      );
    }
    // X's count (text-length.ts): twitter-text's weights, every emoji sequence 2.
    const tooLong = exceededLimit(measureText(request.text, this.textRules()));
    if (tooLong) {
      throw new ColonnadeError(
        'invalid',
        `X posts are at most ${tooLong.max} characters (this one counts ${tooLong.length}).`,
        { field: 'text', reason: 'too-long', params: tooLongParams(tooLong) },
      );
    }
    const media = request.media ?? [];
    if (media.length > 4) {
      throw new ColonnadeError('invalid', 'X posts carry at most 4 images.', {
        reason: 'too-many-images',
        params: { max: '4' },
      });
    }
    if (!request.text && media.length === 0) {
      throw new ColonnadeError('invalid', 'A post needs text or an image.', { reason: 'post-empty' });
    }
    // X's media limits: 5 MB images, 15 MB GIFs, videos of 0.5 s to 20 minutes, a GIF or a video alone.
    const mediaRefused = firstMediaRefusal(media, X_MEDIA_RULES, 'X');
    if (mediaRefused) {
      const { message, reason, params } = mediaRefused;
      throw new ColonnadeError('invalid', message, { field: 'media', reason, params });
    }

    const key = request.idempotencyKey;
    // An uncertain earlier attempt: this run's, or one the outbox wrote down before a crash.
    const earlier = this.uncertain.get(key) ?? request.uncertainSince;
    if (earlier !== undefined) {
      const found = await this.findRecent(request, earlier);
      if (found) {
        this.uncertain.delete(key);
        return found;
      }
    }
    const started = earlier ?? this.ctx.clock.now();

    const mediaIds: string[] = [];
    const meter = new UploadMeter(
      media.reduce((n, m) => n + m.data.byteLength, 0),
      request.onProgress,
    );
    const uploads = {
      call: <T>(fn: (api: TwitterApiReadWrite) => Promise<T>) => this.call('media-upload', fn),
      clock: this.ctx.clock,
      meter,
    };
    for (const m of media) {
      const id = await uploadXMedia(uploads, m.data, m.mimeType);
      if (m.alt) {
        await this.call('media-alt', (api) =>
          api.v2.createMediaMetadata(id, { alt_text: { text: m.alt.slice(0, 1000) } }),
        );
      }
      mediaIds.push(id);
    }
    const body: Record<string, unknown> = { text: request.text };
    if (request.replyTo) body['reply'] = { in_reply_to_tweet_id: nativeId(request.replyTo) };
    if (request.quoteOf) body['quote_tweet_id'] = nativeId(request.quoteOf);
    if (mediaIds.length) body['media'] = { media_ids: mediaIds };

    const attempts = 3;
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) {
        // X has no idempotency key: the last send may have landed. Look before sending again.
        const found = await this.findRecent(request, started);
        if (found) {
          this.uncertain.delete(key);
          return found;
        }
      }
      try {
        const raw = await this.call('posting', (api) => api.v2.post('tweets', body));
        const created = CreatedSchema.safeParse(raw);
        if (!created.success)
          throw new ColonnadeError('invalid', 'X answered the post with data Colonnade does not understand.');
        this.uncertain.delete(key);
        return await this.lookupOwn(created.data.data.id, created.data.data.text);
      } catch (err) {
        const e = toColonnadeError(err, 'posting');
        if (e.reason === 'duplicate-post' && (attempt > 1 || earlier !== undefined)) {
          // X refuses the same text twice: the uncertain send landed after all (X may show it late).
          const found = await this.findRecent(request, started);
          if (found) {
            this.uncertain.delete(key);
            return found;
          }
        }
        if (e.code !== 'transient') throw e;
        this.uncertain.set(key, started);
        this.ctx.log.warn('x: post send uncertain', { attempt });
        if (attempt >= attempts) throw e;
      }
    }
  }

  /** The post as X now shows it (falls back to what the create call answered, decoded). */
  private async lookupOwn(id: string, text: string): Promise<Post> {
    const me = await this.myId();
    const t = await this.getTimeline('posting', 'tweets', { ids: id });
    const inc = await this.included(t, t.data ?? []);
    const post = toEntries(t.data ?? [], inc, { me, viewer: (pid) => this.viewer.of(pid) }).entries[0]?.post;
    if (post) return post;
    const author = this.me ?? (await this.verify());
    return {
      id: `x:${id}`,
      network: 'x',
      nativeId: id,
      author,
      text: decodeXText(text),
      entities: [],
      media: [],
      createdAt: new Date(this.ctx.clock.now()).toISOString(),
      url: `https://x.com/${author.handle}/status/${id}`,
      metrics: { likes: 0, reposts: 0, replies: 0, quotes: 0, impressions: null },
    };
  }
}

/**
 * The smallest post id X gives at `ms` (a Snowflake: milliseconds since X's epoch, 2010-11-04
 * 01:42:54.657 UTC, shifted 22 bits left; developer.x.com "Twitter IDs").
 */
export function snowflakeAt(ms: number): string {
  return ((BigInt(Math.max(ms, 1288834974657)) - 1288834974657n) << 22n).toString();
}
