// The X network adapter, on twitter-api-v2 against the account's API base URL.
import type { TwitterApiReadWrite, TwitterRateLimit } from 'twitter-api-v2';
import { z } from 'zod';
import type {
  ListInfo,
  MetricsRefresh,
  NetworkAdapter,
  PostAction,
  PublishRequest,
  RateLimitState,
  TextRules,
  TimelineRequest,
} from '../../../shared/adapter';
import { ColonnadeError } from '../../../shared/errors';
import { exceededLimit, measureText, tooLongParams, xPostText, xRefusedCharacters } from '../../../shared/text-length';
import {
  type ColumnKind,
  type Metrics,
  type Page,
  type Post,
  type Profile,
  type TimelineEntry,
} from '../../../shared/model';
import type { AdapterContext as NetworkAdapterContext } from '../module';
import { ApiResponseError } from 'twitter-api-v2';
import { toColonnadeError, userClient, type XCredentials, type XFeature } from './client';
import { describeProblems, refusalOf, type Target } from './refusals';
import { TokenKeeper } from './token-keeper';
import {
  TWEET_QUERY,
  XTimelineSchema,
  XTweetSchema,
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
  toProfile,
  type Included,
  type XTimeline,
  type XTweet,
} from './normalize';
import { ViewerMemory } from './viewer-memory';

/** What the app gives the adapter (see networks/module.ts). */
export type AdapterContext = NetworkAdapterContext<XCredentials>;

/** onReads reports how many posts each response returned (X bills per post read). */
export type XAdapterContext = AdapterContext;

export { REFRESH_MARGIN_MS } from './token-keeper';

const COLUMN_KINDS: ColumnKind[] = ['home', 'mentions', 'notifications', 'hashtag', 'search', 'user', 'list'];

/** How far X's clock and ours may differ when looking for a post made since a time. */
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

/** Opaque cursors: u:<id> pages back below an id, p:<token> follows X's token, s:<id> asks what is newer. */
const CursorSchema = z.string().regex(/^(u|s):[0-9]{1,19}$|^p:.+$/);

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

  private readonly onRateLimit = (r: TwitterRateLimit) => {
    this.lastRate = { limit: r.limit, remaining: r.remaining, resetAt: new Date(r.reset * 1000).toISOString() };
  };

  private clientFor(creds: XCredentials): TwitterApiReadWrite {
    if (this.client?.accessToken !== creds.accessToken) {
      this.client = { accessToken: creds.accessToken, api: userClient(creds, this.onRateLimit) };
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

  private countReads(t: XTimeline, me: string): void {
    const data = t.data ?? [];
    if (!data.length || !this.ctx.onReads) return;
    const own = data.filter((p) => typeof p === 'object' && p !== null && (p as XTweet).author_id === me).length;
    this.ctx.onReads({ posts: data.length, ownPosts: own });
  }

  private async getTimeline(
    feature: XFeature,
    path: string,
    query: Record<string, string | number>,
  ): Promise<XTimeline> {
    const me = await this.myId();
    const raw = await this.call(feature, (api) => api.v2.get(path, { ...TWEET_QUERY, ...query }));
    const parsed = (() => {
      try {
        return XTimelineSchema.parse(raw);
      } catch (err) {
        throw toColonnadeError(err, feature);
      }
    })();
    this.countReads(parsed, me);
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

  pollIntervalMs(kind: ColumnKind): number {
    // Every read is billed: poll gently. Search and lists change slowest for most brands.
    return kind === 'home' || kind === 'mentions' || kind === 'notifications' ? 60_000 : 120_000;
  }

  rateLimit(): RateLimitState | null {
    return this.lastRate;
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

  async readTimeline(req: TimelineRequest): Promise<Page<TimelineEntry>> {
    const query = (req.query ?? '').trim();
    const feature = FEATURE[req.kind] ?? 'column';
    const me = await this.myId();
    let path: string;
    let bounds: readonly [number, number];
    let extra: Record<string, string> = {};
    let tokenParam: 'pagination_token' | 'next_token' = 'pagination_token';
    let supportsIds = true;
    /** What the column asks X for: an answer refused about it is a refusal, else a page (see refusals.ts). */
    let target: Target | null = null;
    const self: Target = { type: 'user', id: me, ...(this.me ? { handle: this.me.handle } : {}) };
    switch (req.kind) {
      case 'home':
        path = `users/${me}/timelines/reverse_chronological`;
        bounds = PAGE_BOUNDS.home;
        target = self;
        break;
      case 'mentions':
      case 'notifications':
        path = `users/${me}/mentions`;
        bounds = PAGE_BOUNDS.mentions;
        target = self;
        break;
      case 'hashtag': {
        const tag = query.replace(/^#+/, '');
        if (!tag) throw new ColonnadeError('invalid', 'A hashtag column needs a hashtag.');
        path = 'tweets/search/recent';
        bounds = PAGE_BOUNDS.search;
        extra = { query: `#${tag} -is:retweet` };
        tokenParam = 'next_token';
        break;
      }
      case 'search':
        if (!query) throw new ColonnadeError('invalid', 'A search column needs keywords.');
        path = 'tweets/search/recent';
        bounds = PAGE_BOUNDS.search;
        extra = { query: /(^|\s)-?is:retweet\b/.test(query) ? query : `${query} -is:retweet` };
        tokenParam = 'next_token';
        break;
      case 'user': {
        const handle = query.replace(/^@+/, '');
        const id = await this.userIdFor(handle);
        path = `users/${id}/tweets`;
        bounds = PAGE_BOUNDS.user;
        target = { type: 'user', id, handle };
        break;
      }
      case 'list':
        if (!/^[0-9]{1,19}$/.test(query))
          throw new ColonnadeError('not-found', 'That X list does not exist.', { reason: 'list-not-found' });
        path = `lists/${query}/tweets`;
        bounds = PAGE_BOUNDS.list;
        supportsIds = false;
        target = { type: 'list', id: query };
        break;
      case 'scheduled':
      case 'drafts':
        throw new ColonnadeError('invalid', 'Scheduled posts and drafts are not network timelines.');
    }
    const limit = Math.max(1, Math.floor(req.limit));
    const maxResults = Math.min(bounds[1], Math.max(bounds[0], limit));
    const cursor = req.cursor ? CursorSchema.safeParse(req.cursor) : null;
    if (cursor && !cursor.success) throw new ColonnadeError('invalid', 'That page position is not valid for X.');
    const [mark, value] = cursor?.success ? [cursor.data.slice(0, 1), cursor.data.slice(2)] : ['', ''];
    const params: Record<string, string | number> = { ...extra, max_results: maxResults };
    const newer = req.direction === 'newer' && mark === 's';
    if (newer && supportsIds) params['since_id'] = value;
    else if (!newer && mark === 'u') params['until_id'] = value;
    else if (!newer && mark === 'p') params[tokenParam] = value;

    const t = await this.getTimeline(feature, path, params);
    if (t.errors?.length && !t.data?.length) {
      // Only errors: a refusal when one is about what the column asks for (a protected or
      // suspended account, a missing list), else partial errors and an empty page.
      const refusal = refusalOf(t.errors, target, feature);
      if (refusal) {
        if (req.kind === 'user' && refusal.code === 'not-found')
          this.userIds.delete(query.replace(/^@+/, '').toLowerCase());
        throw refusal;
      }
      this.ctx.log.warn('x: an answer without posts named other things it could not include', {
        kind: req.kind,
        errors: describeProblems(t.errors),
      });
    }
    let data = t.data ?? [];
    if (newer && !supportsIds) {
      data = data.filter((p) => {
        const id = rawIdOf(p);
        return id !== null && BigInt(id) > BigInt(value);
      });
    }
    const sliced = data.slice(0, limit);
    const inc = await this.included(t, sliced);
    const read = toEntries(sliced, inc, {
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
    const ids = sliced.map(rawIdOf).filter((id): id is string => id !== null);
    const newestId = ids[0] ?? (newer ? value : null);

    let older: string | null = null;
    const lastId = ids[ids.length - 1];
    if (!newer && lastId && (sliced.length < data.length || t.meta?.next_token)) {
      // Lists page only by X's token (and are never cut short: their smallest page is 1).
      if (supportsIds) older = `u:${lastId}`;
      else if (t.meta?.next_token) older = `p:${t.meta.next_token}`;
    }
    const newerCursor = newestId ? `s:${newestId}` : null;
    return {
      items: read.entries,
      older,
      newer: req.direction === 'older' && req.cursor ? null : newerCursor,
      ...(read.skipped.length ? { skipped: read.skipped.length } : {}),
    };
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
      this.countReads(parsed.data, me);
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
    const t = await this.getTimeline('recent-posts', `users/${me}/tweets`, { max_results: 20 });
    const inc = indexIncludes(t.includes, t.errors);
    const replyTo = request.replyTo ? nativeId(request.replyTo) : undefined;
    const quoteOf = request.quoteOf ? nativeId(request.quoteOf) : undefined;
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

    const key = request.idempotencyKey;
    const earlier = this.uncertain.get(key);
    if (earlier !== undefined) {
      const found = await this.findRecent(request, earlier);
      if (found) {
        this.uncertain.delete(key);
        return found;
      }
    }
    const started = earlier ?? this.ctx.clock.now();

    const mediaIds: string[] = [];
    for (const m of media) {
      const id = await this.call('media-upload', (api) =>
        api.v2.uploadMedia(Buffer.from(m.data), { media_type: m.mimeType as 'image/png' }),
      );
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
