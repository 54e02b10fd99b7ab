// The X network adapter, on twitter-api-v2 against the account's API base URL.
import type { TwitterApiReadWrite, TwitterRateLimit } from 'twitter-api-v2';
import * as twitterTextModule from 'twitter-text';
import { z } from 'zod';
import type {
  ListInfo,
  NetworkAdapter,
  PostAction,
  PublishRequest,
  RateLimitState,
  TextRules,
  TimelineRequest,
} from '../../../shared/adapter';
import { ColonnadeError } from '../../../shared/errors';
import { entryOf, type ColumnKind, type Metrics, type Page, type Post, type Profile, type TimelineEntry } from '../../../shared/model';
import type { AdapterContext as NetworkAdapterContext } from '../module';
import { TwitterApi } from 'twitter-api-v2';
import { clientSettings, toColonnadeError, userClient, type XCredentials, type XOAuth2Credentials } from './client';
import {
  TWEET_QUERY,
  XTimelineSchema,
  XUserResponseSchema,
  expandedText,
  metricsOf,
  toPosts,
  toProfile,
  type XTimeline,
} from './normalize';

// twitter-text is CommonJS: under Node's ESM its functions sit on the default export.
const twitterText =
  (twitterTextModule as unknown as { default?: typeof twitterTextModule }).default ?? twitterTextModule;

/** What the app gives the adapter (see networks/module.ts). */
export type AdapterContext = NetworkAdapterContext<XCredentials>;

/** onReads reports how many posts each response returned (X bills per post read). */
export type XAdapterContext = AdapterContext;

/** Refresh an OAuth 2.0 access token this long before it expires. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

const COLUMN_KINDS: ColumnKind[] = ['home', 'mentions', 'notifications', 'hashtag', 'search', 'user', 'list'];

/** Smallest and largest max_results each timeline endpoint takes. */
const PAGE_BOUNDS = {
  home: [1, 100],
  mentions: [5, 100],
  user: [5, 100],
  search: [10, 100],
  list: [1, 100],
} as const;

const FEATURE: Record<string, string> = {
  home: 'your home timeline',
  mentions: 'mentions',
  notifications: 'mentions',
  hashtag: 'search',
  search: 'search',
  user: 'user timelines',
  list: 'lists',
};

/** Opaque cursors: u:<id> pages back below an id, p:<token> follows X's token, s:<id> asks what is newer. */
const CursorSchema = z.string().regex(/^(u|s):[0-9]{1,19}$|^p:.+$/);

const ListsSchema = z.object({
  data: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
  meta: z.object({ next_token: z.string().optional() }).optional(),
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
  private creds: XCredentials;
  private client: TwitterApiReadWrite | null = null;
  private refreshing: Promise<void> | null = null;
  private me: Profile | null = null;
  private lastRate: RateLimitState | null = null;
  private readonly userIds = new Map<string, string>();
  /** Idempotency keys of publishes whose outcome is unknown: look before sending again. */
  private readonly uncertain = new Set<string>();

  constructor(
    credentials: XCredentials,
    private readonly ctx: XAdapterContext,
  ) {
    this.creds = credentials;
  }

  // ---- plumbing ---------------------------------------------------------------------------

  private readonly onRateLimit = (r: TwitterRateLimit) => {
    this.lastRate = { limit: r.limit, remaining: r.remaining, resetAt: new Date(r.reset * 1000).toISOString() };
  };

  /** Refreshes the OAuth 2.0 pair once for all concurrent callers, saving it before use. */
  private refresh(creds: XOAuth2Credentials): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const api = new TwitterApi(
          { clientId: creds.clientId, ...(creds.clientSecret ? { clientSecret: creds.clientSecret } : {}) },
          clientSettings(creds.apiBase),
        );
        const result = await api.refreshOAuth2Token(creds.refreshToken);
        const next: XOAuth2Credentials = {
          ...creds,
          accessToken: result.accessToken,
          refreshToken: result.refreshToken ?? creds.refreshToken,
          expiresAt: this.ctx.clock.now() + result.expiresIn * 1000,
        };
        await this.ctx.saveCredentials(next);
        this.creds = next;
        this.client = null;
        this.ctx.log.info('x: access token refreshed', { expiresAt: new Date(next.expiresAt).toISOString() });
      } catch (err) {
        throw toColonnadeError(err, 'renewing the sign-in');
      }
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async api(): Promise<TwitterApiReadWrite> {
    if (this.refreshing) await this.refreshing;
    const creds = this.creds;
    if (creds.kind === 'oauth2' && creds.expiresAt - this.ctx.clock.now() < REFRESH_MARGIN_MS) {
      await this.refresh(creds);
    }
    this.client ??= userClient(this.creds, this.onRateLimit);
    return this.client;
  }

  /** Runs one call with a fresh client, mapping every failure to the shared taxonomy. */
  private async call<T>(feature: string, fn: (api: TwitterApiReadWrite) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.api());
    } catch (err) {
      throw toColonnadeError(err, feature);
    }
  }

  private async myId(): Promise<string> {
    if (!this.me) this.me = await this.verify();
    return this.me.id.slice(2);
  }

  private countReads(t: XTimeline, me: string): void {
    const data = t.data ?? [];
    if (!data.length || !this.ctx.onReads) return;
    this.ctx.onReads({ posts: data.length, ownPosts: data.filter((p) => p.author_id === me).length });
  }

  private async getTimeline(feature: string, path: string, query: Record<string, string | number>): Promise<XTimeline> {
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
    const raw = await this.call('checking the account', (api) =>
      api.v2.get('users/me', { 'user.fields': 'name,username,profile_image_url' }),
    );
    const parsed = XUserResponseSchema.safeParse(raw);
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
    if (!/^[A-Za-z0-9_]{1,15}$/.test(handle)) throw new ColonnadeError('not-found', `There is no @${handle} on X.`);
    const raw = await this.call('user timelines', (api) => api.v2.get(`users/by/username/${handle}`));
    const parsed = XUserResponseSchema.safeParse(raw);
    if (!parsed.success) throw new ColonnadeError('invalid', 'X answered with data Colonnade does not understand.');
    if (!parsed.data.data) throw new ColonnadeError('not-found', `There is no @${handle} on X.`);
    this.userIds.set(key, parsed.data.data.id);
    return parsed.data.data.id;
  }

  async readTimeline(req: TimelineRequest): Promise<Page<TimelineEntry>> {
    const query = (req.query ?? '').trim();
    const feature = FEATURE[req.kind] ?? 'this column';
    const me = await this.myId();
    let path: string;
    let bounds: readonly [number, number];
    let extra: Record<string, string> = {};
    let tokenParam: 'pagination_token' | 'next_token' = 'pagination_token';
    let supportsIds = true;
    switch (req.kind) {
      case 'home':
        path = `users/${me}/timelines/reverse_chronological`;
        bounds = PAGE_BOUNDS.home;
        break;
      case 'mentions':
      case 'notifications':
        path = `users/${me}/mentions`;
        bounds = PAGE_BOUNDS.mentions;
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
        const id = await this.userIdFor(query.replace(/^@+/, ''));
        path = `users/${id}/tweets`;
        bounds = PAGE_BOUNDS.user;
        break;
      }
      case 'list':
        if (!/^[0-9]{1,19}$/.test(query)) throw new ColonnadeError('not-found', 'That X list does not exist.');
        path = `lists/${query}/tweets`;
        bounds = PAGE_BOUNDS.list;
        supportsIds = false;
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
    if (t.errors?.length && !t.data) {
      const what =
        req.kind === 'user' ? `There is no @${query.replace(/^@+/, '')} on X.` : 'That X list does not exist.';
      throw new ColonnadeError('not-found', what);
    }
    let data = t.data ?? [];
    if (newer && !supportsIds) data = data.filter((p) => BigInt(p.id) > BigInt(value));
    const sliced = data.slice(0, limit);
    const items = toPosts(sliced, t.includes, this.ctx.clock.now()).map((p) => entryOf(p));
    const newestId = sliced[0]?.id ?? (newer ? value : null);

    let older: string | null = null;
    const last = sliced[sliced.length - 1];
    if (!newer && last && (sliced.length < data.length || t.meta?.next_token)) {
      // Lists page only by X's token (and are never cut short: their smallest page is 1).
      if (supportsIds) older = `u:${last.id}`;
      else if (t.meta?.next_token) older = `p:${t.meta.next_token}`;
    }
    const newerCursor = newestId ? `s:${newestId}` : null;
    return { items, older, newer: req.direction === 'older' && req.cursor ? null : newerCursor };
  }

  async refreshMetrics(postIds: readonly string[]): Promise<Map<string, Metrics>> {
    const out = new Map<string, Metrics>();
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
      for (const tweet of parsed.data.data ?? []) {
        if (tweet.public_metrics) out.set(`x:${tweet.id}`, metricsOf(tweet));
      }
    }
    return out;
  }

  async lists(): Promise<ListInfo[]> {
    const me = await this.myId();
    const raw = await this.call('lists', (api) =>
      api.v2.get(`users/${me}/owned_lists`, { max_results: 100, 'list.fields': 'name,description,private' }),
    );
    const parsed = ListsSchema.safeParse(raw);
    if (!parsed.success)
      throw new ColonnadeError('invalid', 'X answered lists with data Colonnade does not understand.');
    return (parsed.data.data ?? []).map((l) => ({ id: l.id, name: l.name, kind: 'list' as const }));
  }

  async act(postId: string, action: PostAction): Promise<void> {
    const id = nativeId(postId);
    const me = await this.myId();
    const feature = action === 'delete' ? 'deleting posts' : action.endsWith('like') ? 'likes' : 'reposts';
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
    if (!parsed.data.data && parsed.data.errors?.length)
      throw new ColonnadeError('not-found', 'That post is no longer on X.');
  }

  /** The profile's recent post with this text, if X has it (used before retrying a send). */
  private async findRecent(text: string): Promise<Post | null> {
    const me = await this.myId();
    const t = await this.getTimeline('checking your recent posts', `users/${me}/tweets`, { max_results: 20 });
    const match = (t.data ?? []).find((p) => p.text === text || expandedText(p) === text);
    return match ? (toPosts([match], t.includes, this.ctx.clock.now())[0] ?? null) : null;
  }

  async publish(request: PublishRequest): Promise<Post> {
    const parsed = twitterText.parseTweet(request.text);
    if (request.text && !parsed.valid) {
      throw new ColonnadeError(
        'invalid',
        `X posts are at most 280 characters (this one counts ${parsed.weightedLength}).`,
      );
    }
    const media = request.media ?? [];
    if (media.length > 4) throw new ColonnadeError('invalid', 'X posts carry at most 4 images.');
    if (!request.text && media.length === 0) throw new ColonnadeError('invalid', 'A post needs text or an image.');

    if (this.uncertain.has(request.idempotencyKey)) {
      const found = await this.findRecent(request.text);
      if (found) {
        this.uncertain.delete(request.idempotencyKey);
        return found;
      }
    }

    const mediaIds: string[] = [];
    for (const m of media) {
      const id = await this.call('uploading images', (api) =>
        api.v2.uploadMedia(Buffer.from(m.data), { media_type: m.mimeType as 'image/png' }),
      );
      if (m.alt) {
        await this.call('describing images', (api) =>
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
        const found = await this.findRecent(request.text);
        if (found) {
          this.uncertain.delete(request.idempotencyKey);
          return found;
        }
      }
      try {
        const raw = await this.call('posting', (api) => api.v2.post('tweets', body));
        const created = CreatedSchema.safeParse(raw);
        if (!created.success)
          throw new ColonnadeError('invalid', 'X answered the post with data Colonnade does not understand.');
        this.uncertain.delete(request.idempotencyKey);
        return await this.lookupOwn(created.data.data.id, created.data.data.text);
      } catch (err) {
        const e = toColonnadeError(err, 'posting');
        if (e.code !== 'transient') throw e;
        this.uncertain.add(request.idempotencyKey);
        this.ctx.log.warn('x: post send uncertain', { attempt });
        if (attempt >= attempts) throw e;
      }
    }
  }

  /** The post as X now shows it (falls back to what the create call answered). */
  private async lookupOwn(id: string, text: string): Promise<Post> {
    const t = await this.getTimeline('posting', 'tweets', { ids: id });
    const post = toPosts(t.data ?? [], t.includes, this.ctx.clock.now())[0];
    if (post) return post;
    const me = this.me ?? (await this.verify());
    return {
      id: `x:${id}`,
      network: 'x',
      nativeId: id,
      author: me,
      text,
      entities: [],
      media: [],
      createdAt: new Date(this.ctx.clock.now()).toISOString(),
      url: `https://x.com/${me.handle}/status/${id}`,
      metrics: { likes: 0, reposts: 0, replies: 0, quotes: 0, impressions: null },
    };
  }
}
