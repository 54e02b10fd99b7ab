// The Mastodon adapter: one account on one instance, through masto's REST client (every call in
// its `$raw` form so the rate-limit and Link headers are read) and its streaming client.
import { createRestAPIClient, createStreamingAPIClient, MastoHttpError, type mastodon } from 'masto';
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
import { MastodonCredentialsSchema, type MastodonCredentials } from './connect';
import { responseHeadersOf, toColonnadeError } from './errors';
import { nativeIdOf, parseAccount, parseStatus, toMetrics, toEntry, toPost, toProfile, type StatusData } from './normalize';

/** What the app gives the adapter (see networks/module.ts). */
export type AdapterContext = NetworkAdapterContext<MastodonCredentials>;

interface RawResponse<T> {
  headers: Headers;
  data: T;
}

const COLUMN_KINDS: ColumnKind[] = ['home', 'mentions', 'notifications', 'hashtag', 'search', 'user', 'list'];
const MAX_PAGE = 40;
/** Mastodon answers at most 20 statuses per GET /api/v1/statuses?id[]=. */
const METRICS_BATCH = 20;
const REQUEST_TIMEOUT_MS = 30_000;
/** Media processing: how often and how long to wait for an upload to get its URL. */
const MEDIA_POLL_MS = 1_000;
const MEDIA_POLL_TRIES = 30;
/** Mastodon's default budget: 300 requests per 5 minutes per account. */
const DEFAULT_BUDGET = { requests: 300, windowMs: 5 * 60_000 };
/**
 * Polling may use half the budget; the rest is for paging, actions and publishing. With ten
 * polling columns that is one poll per column every 20 s.
 */
const POLL_SHARE = 0.5;
const ASSUMED_COLUMNS = 10;
/** First version of Mastodon's API (4.5) that takes `quoted_status_id`. */
const QUOTES_API_VERSION = 7;

const DEFAULT_RULES: TextRules = { counting: 'characters', maxLength: 500, maxImages: 4, maxAltLength: 1500 };

const InstanceShape = z.object({
  domain: z.string().min(1),
  apiVersions: z.object({ mastodon: z.coerce.number().nullish() }).nullish(),
  configuration: z.object({
    urls: z.object({ streaming: z.string().nullish() }).nullish(),
    statuses: z.object({
      maxCharacters: z.number().int().positive(),
      maxMediaAttachments: z.number().int().nonnegative(),
    }),
    mediaAttachments: z.object({ descriptionLimit: z.number().int().positive().nullish() }).nullish(),
  }),
});

interface InstanceInfo {
  domain: string;
  apiVersion: number;
  streamingUrl: string;
  rules: TextRules;
}

const NotificationShape = z.object({ id: z.string().min(1), type: z.string(), status: z.unknown().nullish() });
const ListShape = z.object({ id: z.string().min(1), title: z.string() });
const MediaUploadShape = z.object({ id: z.string().min(1), url: z.string().nullish() });

/** Cursors: `max:<id>` pages back, `min:<id>` asks for what came after. Ids come from Link headers. */
function encodeCursor(kind: 'max' | 'min', id: string): string {
  return `${kind}:${id}`;
}

function decodeCursor(cursor: string): { kind: 'max' | 'min'; id: string } {
  const match = /^(max|min):([A-Za-z0-9_-]{1,64})$/.exec(cursor);
  if (!match) throw new ColonnadeError('invalid', 'That page position is not valid for Mastodon.');
  return { kind: match[1] as 'max' | 'min', id: match[2] as string };
}

/** The max_id of rel="next" and the min_id of rel="prev" in a Link header. */
function linkIds(header: string | null): { next?: string; prev?: string } {
  const out: { next?: string; prev?: string } = {};
  if (!header) return out;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?(next|prev)"?/.exec(part);
    if (!match?.[1]) continue;
    try {
      const params = new URL(match[1]).searchParams;
      if (match[2] === 'next') {
        const id = params.get('max_id');
        if (id) out.next = id;
      } else {
        const id = params.get('min_id') ?? params.get('since_id');
        if (id) out.prev = id;
      }
    } catch {
      // A Link we cannot read is the same as none: fall back to the items' own ids.
    }
  }
  return out;
}

function idsOf(items: unknown[]): string[] {
  return items.flatMap((item) => {
    const id = (item as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? [id] : [];
  });
}

export interface HashtagStream {
  close(): void;
}

export class MastodonAdapter implements NetworkAdapter {
  readonly network = 'mastodon' as const;
  private readonly client: mastodon.rest.Client;
  private readonly host: string;
  private instanceInfo: Promise<InstanceInfo> | undefined;
  private cachedRules: TextRules | undefined;
  private lastRateLimit: RateLimitState | null = null;
  private readonly accountIds = new Map<string, string>();

  constructor(
    private readonly credentials: MastodonCredentials,
    private readonly ctx: AdapterContext,
  ) {
    this.client = createRestAPIClient({
      url: credentials.instanceUrl,
      accessToken: credentials.accessToken,
      timeout: REQUEST_TIMEOUT_MS,
    });
    this.host = new URL(credentials.instanceUrl).host;
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private noteRateLimit(headers: Headers | undefined): void {
    const limit = Number(headers?.get('x-ratelimit-limit'));
    const remaining = Number(headers?.get('x-ratelimit-remaining'));
    const reset = Date.parse(headers?.get('x-ratelimit-reset') ?? '');
    if (!Number.isFinite(limit) || !Number.isFinite(remaining) || Number.isNaN(reset) || !headers) return;
    if (!headers.has('x-ratelimit-limit') || !headers.has('x-ratelimit-remaining')) return;
    this.lastRateLimit = { limit, remaining, resetAt: new Date(reset).toISOString() };
  }

  /** One request: headers noted, failures mapped to the shared taxonomy and logged (no secrets). */
  private async request<T>(what: string, send: () => PromiseLike<RawResponse<T>>): Promise<RawResponse<T>> {
    try {
      const response = await send();
      this.noteRateLimit(response.headers);
      return response;
    } catch (err) {
      if (err instanceof MastoHttpError) this.noteRateLimit(responseHeadersOf(err));
      const mapped = toColonnadeError(err, this.host);
      this.ctx.log.warn('Mastodon request failed', {
        instance: this.host,
        what,
        code: mapped.code,
        ...(err instanceof MastoHttpError ? { status: err.statusCode } : {}),
      });
      throw mapped;
    }
  }

  private instance(): Promise<InstanceInfo> {
    this.instanceInfo ??= this.request('instance', () => this.client.v2.instance.fetch.$raw())
      .then(({ data }) => {
        const parsed = InstanceShape.safeParse(data);
        if (!parsed.success)
          throw new ColonnadeError('invalid', `${this.host} describes itself in a way Colonnade cannot read.`);
        const info = parsed.data;
        const streaming = info.configuration.urls?.streaming || this.credentials.instanceUrl.replace(/^http/, 'ws');
        const rules: TextRules = {
          counting: 'characters',
          maxLength: info.configuration.statuses.maxCharacters,
          maxImages: info.configuration.statuses.maxMediaAttachments,
          maxAltLength: info.configuration.mediaAttachments?.descriptionLimit ?? DEFAULT_RULES.maxAltLength,
        };
        this.cachedRules = rules;
        return { domain: info.domain, apiVersion: info.apiVersions?.mastodon ?? 0, streamingUrl: streaming, rules };
      })
      .catch((err: unknown) => {
        // Not cached: the next call asks again.
        this.instanceInfo = undefined;
        throw err;
      });
    return this.instanceInfo;
  }

  private posts(statuses: unknown[], domain: string): TimelineEntry[] {
    const seen = new Set<string>();
    const out: TimelineEntry[] = [];
    for (const raw of statuses) {
      const entry = toEntry(parseStatus(raw, this.host), domain);
      if (seen.has(entry.key)) continue;
      seen.add(entry.key);
      out.push(entry);
    }
    return out;
  }

  // ---- NetworkAdapter -----------------------------------------------------------------------

  async verify(): Promise<Profile> {
    const { domain } = await this.instance();
    const { data } = await this.request('verify', () => this.client.v1.accounts.verifyCredentials.$raw());
    return toProfile(parseAccount(data, this.host), domain);
  }

  columnKinds(): ColumnKind[] {
    return [...COLUMN_KINDS];
  }

  /** The instance's limits once known (verify and every read fetch them), Mastodon's defaults before. */
  textRules(): TextRules {
    return { ...(this.cachedRules ?? DEFAULT_RULES) };
  }

  /** The instance's limits, fetched once and cached. */
  async loadTextRules(): Promise<TextRules> {
    return { ...(await this.instance()).rules };
  }

  async lists(): Promise<ListInfo[]> {
    const { data } = await this.request('lists', () => this.client.v1.lists.list.$raw());
    const parsed = z.array(ListShape).safeParse(data);
    if (!parsed.success) throw new ColonnadeError('invalid', `${this.host} sent lists Colonnade cannot read.`);
    return parsed.data.map((l) => ({ id: l.id, name: l.title, kind: 'list' as const }));
  }

  private async accountIdFor(handle: string, domain: string): Promise<string> {
    const acct = handle.trim().replace(/^@+/, '');
    if (!acct) throw new ColonnadeError('invalid', 'A user column needs a handle.', { field: 'query' });
    // user@this-instance is the local user.
    const key = acct.toLowerCase().endsWith(`@${domain.toLowerCase()}`) ? acct.slice(0, -domain.length - 1) : acct;
    const cached = this.accountIds.get(key.toLowerCase());
    if (cached) return cached;
    try {
      const { data } = await this.request('lookup', () => this.client.v1.accounts.lookup.$raw({ acct: key }));
      const account = parseAccount(data, this.host);
      this.accountIds.set(key.toLowerCase(), account.id);
      return account.id;
    } catch (err) {
      if (err instanceof ColonnadeError && err.code === 'not-found') {
        throw new ColonnadeError('not-found', `There is no @${acct} that ${this.host} knows of.`);
      }
      throw err;
    }
  }

  async readTimeline(req: TimelineRequest): Promise<Page<TimelineEntry>> {
    const { domain } = await this.instance();
    const limit = Math.min(Math.max(Math.floor(req.limit) || 20, 1), MAX_PAGE);
    const position = req.cursor ? decodeCursor(req.cursor) : undefined;
    const params = {
      limit,
      ...(position?.kind === 'max' && req.direction === 'older' ? { maxId: position.id } : {}),
      ...(position && req.direction === 'newer' ? { minId: position.id } : {}),
    };
    const query = (req.query ?? '').trim();

    let response: RawResponse<unknown[]>;
    let statuses: unknown[];
    switch (req.kind) {
      case 'home':
        response = await this.request('home', () => this.client.v1.timelines.home.list.$raw(params));
        statuses = response.data;
        break;
      case 'hashtag': {
        const tag = query.replace(/^#+/, '');
        if (!tag) throw new ColonnadeError('invalid', 'A hashtag column needs a hashtag.', { field: 'query' });
        response = await this.request('hashtag', () => this.client.v1.timelines.tag.$select(tag).list.$raw(params));
        statuses = response.data;
        break;
      }
      case 'list':
        if (!query) throw new ColonnadeError('invalid', 'A list column needs a list.', { field: 'query' });
        response = await this.request('list', () => this.client.v1.timelines.list.$select(query).list.$raw(params));
        statuses = response.data;
        break;
      case 'user': {
        const id = await this.accountIdFor(query, domain);
        response = await this.request('user', () => this.client.v1.accounts.$select(id).statuses.list.$raw(params));
        statuses = response.data;
        break;
      }
      case 'mentions':
      case 'notifications': {
        const types: mastodon.v1.NotificationType[] | undefined = req.kind === 'mentions' ? ['mention'] : undefined;
        response = await this.request(req.kind, () =>
          this.client.v1.notifications.list.$raw({ ...params, ...(types ? { types } : {}) }),
        );
        const parsed = z.array(NotificationShape).safeParse(response.data);
        if (!parsed.success)
          throw new ColonnadeError('invalid', `${this.host} sent notifications Colonnade cannot read.`);
        // Follows and other notifications without a status have no post to show.
        statuses = parsed.data.flatMap((n) => (n.status ? [n.status] : []));
        break;
      }
      case 'search': {
        if (!query) throw new ColonnadeError('invalid', 'A search column needs keywords.', { field: 'query' });
        const searched = await this.request('search', () =>
          this.client.v2.search.list.$raw({ q: query, type: 'statuses', resolve: false, ...params }),
        );
        const found = z.object({ statuses: z.array(z.unknown()) }).safeParse(searched.data);
        if (!found.success)
          throw new ColonnadeError('invalid', `${this.host} sent search results Colonnade cannot read.`);
        statuses = found.data.statuses;
        response = { headers: searched.headers, data: statuses };
        break;
      }
      case 'scheduled':
      case 'drafts':
        throw new ColonnadeError('invalid', 'Scheduled posts and drafts are not network timelines.');
    }

    if (!Array.isArray(response.data))
      throw new ColonnadeError('invalid', `${this.host} sent a timeline Colonnade cannot read.`);
    const items = this.posts(statuses, domain);
    const links = linkIds(response.headers.get('link'));
    const ids = idsOf(response.data);
    const oldest = links.next ?? ids[ids.length - 1];
    const newest = links.prev ?? ids[0];
    if (response.data.length === 0) {
      // Nothing older is the end of history; nothing newer keeps the place for the next poll.
      return { items, older: null, newer: req.direction === 'newer' ? (req.cursor ?? null) : null };
    }
    return {
      items,
      older: oldest ? encodeCursor('max', oldest) : null,
      newer: newest ? encodeCursor('min', newest) : null,
    };
  }

  async refreshMetrics(postIds: readonly string[]): Promise<Map<string, Metrics>> {
    // Answer under the ids we were given (they carry the instance's domain).
    const globalOf = new Map(postIds.flatMap((id) => (nativeIdOf(id) ? [[nativeIdOf(id)!, id] as const] : [])));
    const ids = [...globalOf.keys()];
    const out = new Map<string, Metrics>();
    const record = (raw: unknown) => {
      const status = parseStatus(raw, this.host);
      const global = globalOf.get(status.id);
      if (global) out.set(global, toMetrics(status));
    };
    for (let i = 0; i < ids.length; i += METRICS_BATCH) {
      const batch = ids.slice(i, i + METRICS_BATCH);
      try {
        const { data } = await this.request('metrics', () => this.client.v1.statuses.fetch.$raw({ id: batch }));
        if (!Array.isArray(data))
          throw new ColonnadeError('invalid', `${this.host} sent statuses Colonnade cannot read.`);
        data.forEach(record);
      } catch (err) {
        // Before Mastodon 4.3 there is no batch endpoint: one request per status.
        if (!(err instanceof ColonnadeError) || err.code !== 'not-found') throw err;
        for (const id of batch) {
          try {
            record((await this.request('metrics', () => this.client.v1.statuses.$select(id).fetch.$raw())).data);
          } catch (inner) {
            if (!(inner instanceof ColonnadeError) || inner.code !== 'not-found') throw inner;
          }
        }
      }
    }
    return out;
  }

  private nativeStatusId(postId: string): string {
    const id = nativeIdOf(postId);
    if (!id) throw new ColonnadeError('invalid', 'That post is not a Mastodon post.');
    return id;
  }

  async act(postId: string, action: PostAction): Promise<void> {
    const id = this.nativeStatusId(postId);
    const status = this.client.v1.statuses.$select(id);
    switch (action) {
      case 'like':
        await this.request('like', () => status.favourite.$raw());
        return;
      case 'unlike':
        await this.request('unlike', () => status.unfavourite.$raw());
        return;
      case 'repost':
        await this.request('repost', () => status.reblog.$raw());
        return;
      case 'unrepost':
        await this.request('unrepost', () => status.unreblog.$raw());
        return;
      case 'delete':
        await this.request('delete', () => status.remove.$raw());
        return;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.ctx.clock.setTimeout(resolve, ms));
  }

  private async upload(media: NonNullable<PublishRequest['media']>[number]): Promise<string> {
    const file = new Blob([new Uint8Array(media.data)], { type: media.mimeType });
    const { data } = await this.request('media', () =>
      this.client.v2.media.create.$raw({ file, description: media.alt, skipPolling: true }),
    );
    const uploaded = MediaUploadShape.safeParse(data);
    if (!uploaded.success) throw new ColonnadeError('invalid', `${this.host} did not accept the image properly.`);
    if (uploaded.data.url) return uploaded.data.id;
    // 202: still processing. Wait for a URL, as a status cannot carry unprocessed media.
    for (let i = 0; i < MEDIA_POLL_TRIES; i++) {
      await this.sleep(MEDIA_POLL_MS);
      const polled = await this.request('media', () => this.client.v1.media.$select(uploaded.data.id).fetch.$raw());
      if (MediaUploadShape.safeParse(polled.data).data?.url) return uploaded.data.id;
    }
    throw new ColonnadeError('transient', `${this.host} is still processing the image. Try again in a moment.`);
  }

  async publish(request: PublishRequest): Promise<Post> {
    const info = await this.instance();
    const media = request.media ?? [];
    if (media.length > info.rules.maxImages) {
      throw new ColonnadeError('invalid', `${this.host} allows at most ${info.rules.maxImages} images per post.`);
    }
    const longAlt = media.find((m) => [...m.alt].length > info.rules.maxAltLength);
    if (longAlt) {
      throw new ColonnadeError(
        'invalid',
        `Image descriptions on ${this.host} are at most ${info.rules.maxAltLength} characters.`,
      );
    }
    const inReplyToId = request.replyTo ? this.nativeStatusId(request.replyTo) : undefined;
    let text = request.text;
    let quotedStatusId: string | undefined;
    if (request.quoteOf) {
      const quoted = this.nativeStatusId(request.quoteOf);
      if (info.apiVersion >= QUOTES_API_VERSION) quotedStatusId = quoted;
      else {
        // Before Mastodon 4.5 there are no quotes: link to the post instead.
        const { data } = await this.request('quote', () => this.client.v1.statuses.$select(quoted).fetch.$raw());
        const url = (parseStatus(data, this.host).url ?? parseStatus(data, this.host).uri) || '';
        if (url && !text.includes(url)) text = text ? `${text}\n\n${url}` : url;
      }
    }
    // Uploads are not idempotent; an unattached upload is cleaned up by the instance.
    const mediaIds: string[] = [];
    for (const m of media) mediaIds.push(await this.upload(m));
    const common = {
      ...(inReplyToId ? { inReplyToId } : {}),
      ...(quotedStatusId ? { quotedStatusId } : {}),
    };
    const params: mastodon.rest.v1.CreateStatusParams =
      mediaIds.length > 0 ? { ...common, status: text, mediaIds } : { ...common, status: text };
    const { data } = await this.request('publish', () =>
      this.client.v1.statuses.create.$raw(params, {
        requestInit: { headers: { 'Idempotency-Key': request.idempotencyKey } },
      }),
    );
    return toPost(parseStatus(data, this.host), info.domain);
  }

  pollIntervalMs(kind: ColumnKind): number {
    void kind;
    const base = Math.ceil(DEFAULT_BUDGET.windowMs / (DEFAULT_BUDGET.requests * POLL_SHARE)) * ASSUMED_COLUMNS;
    const rate = this.lastRateLimit;
    if (!rate) return base;
    const untilReset = Math.max(0, Date.parse(rate.resetAt) - this.ctx.clock.now());
    // Spread what is left of the window's polling share over the time left in it.
    const share = Math.max(1, Math.floor(rate.remaining * POLL_SHARE));
    return Math.max(base, Math.ceil(untilReset / share) * ASSUMED_COLUMNS);
  }

  rateLimit(): RateLimitState | null {
    return this.lastRateLimit ? { ...this.lastRateLimit } : null;
  }

  // ---- streaming (beyond NetworkAdapter) ----------------------------------------------------

  /**
   * New statuses with a hashtag as they are posted, over the instance's streaming WebSocket.
   * `onError` gets a ColonnadeError when the stream gives up (after masto's retries).
   */
  async streamHashtag(
    tag: string,
    onPost: (post: Post) => void,
    onError: (err: ColonnadeError) => void = () => {},
  ): Promise<HashtagStream> {
    const { streamingUrl, domain } = await this.instance();
    const clean = tag.trim().replace(/^#+/, '');
    if (!clean) throw new ColonnadeError('invalid', 'A hashtag stream needs a hashtag.', { field: 'query' });
    const streaming = createStreamingAPIClient({
      streamingApiUrl: streamingUrl,
      accessToken: this.credentials.accessToken,
      retry: 8,
    });
    const subscription = streaming.hashtag.subscribe({ tag: clean });
    let closed = false;
    void (async () => {
      try {
        for await (const event of subscription) {
          if (event.event !== 'update') continue;
          let status: StatusData;
          try {
            status = parseStatus(event.payload, this.host);
          } catch (err) {
            this.ctx.log.warn('Mastodon stream sent an unreadable status', { instance: this.host, tag: clean });
            void err;
            continue;
          }
          onPost(toPost(status, domain));
        }
      } catch (err) {
        if (!closed) onError(toColonnadeError(err, this.host));
      }
    })();
    return {
      close: () => {
        closed = true;
        subscription.unsubscribe();
        streaming.close();
      },
    };
  }
}

export function createMastodonAdapter(credentials: MastodonCredentials, ctx: AdapterContext): MastodonAdapter {
  const parsed = MastodonCredentialsSchema.safeParse(credentials);
  if (!parsed.success)
    throw new ColonnadeError('invalid', 'The saved Mastodon sign-in is incomplete. Reconnect the account.');
  return new MastodonAdapter(parsed.data, ctx);
}
