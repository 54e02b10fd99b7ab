// The Mastodon adapter: one account on one instance, through masto's REST client (every call in
// its `$raw` form so the rate-limit and Link headers are read) and, for hashtag columns, the
// instance's streaming WebSocket.
import { createRestAPIClient, MastoHttpError, type mastodon } from 'masto';
import { z } from 'zod';
import {
  REQUEST_DEADLINE_MS,
  type ListInfo,
  type LiveStream,
  type MediaUpload,
  type MetricsRefresh,
  type NetworkAdapter,
  type OwnMetrics,
  type OwnPostRef,
  type PostAction,
  type PublishRequest,
  type RateBucket,
  type RateLimitState,
  type ServerScheduledPost,
  type ServerScheduling,
  type StreamSink,
  type TextRules,
  type TimelineRequest,
} from '../../../shared/adapter';
import { ColonnadeError } from '../../../shared/errors';
import {
  firstMediaRefusal,
  mastodonMediaRules,
  type MastodonMediaConfiguration,
  type MediaRules,
} from '../../../shared/media-rules';
import { MASTODON_URL_LENGTH } from '../../../shared/text-length';
import type {
  ColumnKind,
  Metrics,
  Page,
  Post,
  Profile,
  ProfileDetails,
  ThreadView,
  TimelineEntry,
} from '../../../shared/model';
import type { AdapterContext as NetworkAdapterContext } from '../module';
import { MastodonCredentialsSchema, type MastodonCredentials } from './connect';
import { fromErrorBody, responseHeadersOf, SCHEDULE_MINIMUM_OFFSET_MINUTES, toColonnadeError } from './errors';
import { MEDIA_POLL_FIRST_MS, uploadMastodonMedia } from './media-upload';
import { comparableText, isPostOf } from './own-posts';
import { UploadMeter } from '../upload-progress';
import {
  camelKeys,
  nativeIdOf,
  NotificationBuckets,
  postId as globalPostId,
  notificationEntriesV1,
  notificationEntriesV2,
  parseAccount,
  parseAccountDetails,
  parseStatus,
  rawIdOf,
  relationshipOf,
  statusEntries,
  toMetrics,
  toPost,
  toProfile,
  toProfileDetails,
  type RelationshipData,
  type EntriesRead,
  type FilterContext,
  type NormalizeContext,
  type StatusData,
} from './normalize';
import { threadFrom } from './thread';

/** What the app gives the adapter (see networks/module.ts). */
export type AdapterContext = NetworkAdapterContext<MastodonCredentials>;

interface RawResponse<T> {
  headers: Headers;
  data: T;
}

const COLUMN_KINDS: ColumnKind[] = ['home', 'mentions', 'notifications', 'hashtag', 'search', 'user', 'list'];
/**
 * The most a page asks for: Mastodon caps `limit` at twice each endpoint's default
 * (Api::BaseController#limit_param): 40 statuses (DEFAULT_STATUSES_LIMIT 20), 80 notifications.
 * A 'newer' page shorter than what it asked for therefore reached its cursor.
 */
const MAX_PAGE = 40;
/**
 * Ids per GET /api/v1/statuses?id[]=: Mastodon refuses more than DEFAULT_STATUSES_LIMIT (20) with
 * a 422 (Api::V1::StatusesController#check_statuses_limit; Api::BaseController::DEFAULT_STATUSES_LIMIT).
 */
const METRICS_BATCH = 20;
/**
 * Mastodon's budget for one account: 300 API requests per 5 minutes per access token
 * (config/initializers/rack_attack.rb, `throttle_per_token_api`; 1,500 per user across tokens).
 * Requests that page (`max_id`, `min_id`, `since_id`) also count against 300 per 15 minutes per
 * user (`throttle_authenticated_paging`); the X-RateLimit-* headers state whichever of the
 * matched windows has the least left (app/controllers/concerns/rate_limit_headers.rb).
 */
const DEFAULT_BUDGET = { requests: 300, windowMs: 5 * 60_000 };
/** Every request of the token draws from the account bucket (300 per 5 minutes). */
const RATE_BUCKET = 'account';
/**
 * Requests that page (`max_id`, `min_id`, `since_id`, `page`) also draw from this one: 300 per 15
 * minutes per user (`throttle_authenticated_paging`). A timeline's polls page (`since_id`), so
 * this is what limits them.
 */
const PAGING_BUCKET = 'paging';
const PAGING_BUDGET = { requests: 300, windowMs: 15 * 60_000 };
/**
 * Scheduled statuses (app/models/scheduled_status.rb): Mastodon accepts one only more than
 * MINIMUM_OFFSET (5 minutes) ahead; at or before its own now it posts at once instead
 * (PostStatusService#scheduled_in_the_past?), so Colonnade never sends one that close.
 */
const SCHEDULE_MINIMUM_OFFSET_MS = SCHEDULE_MINIMUM_OFFSET_MINUTES * 60_000;
/**
 * How long Mastodon remembers an Idempotency-Key: an hour (PostStatusService#with_idempotency,
 * `redis.setex(idempotency_key, 3_600, @status.id)`). A send whose outcome is unknown and older
 * than that is looked for among her posts before sending again.
 */
const IDEMPOTENCY_KEY_LIFE_MS = 3_600_000;
/** Slack between Colonnade's clock and the server's, when comparing a post's date or a key's age. */
const CLOCK_SKEW_MS = 60_000;
/**
 * PublishScheduledStatusWorker destroys the scheduled status, then posts it: for this long after
 * its time, a scheduled status that is gone and not yet among her posts may be on its way.
 */
const PUBLISHING_MS = 60_000;
/** Pages (of 40) of her own statuses read back when looking for a post. */
const OWN_POST_PAGES = 5;
/** Pages (of 40) of scheduled statuses read back when looking for one (300 at most exist). */
const SCHEDULED_PAGES = 8;
/** First version of Mastodon's API (4.5) that takes `quoted_status_id`. */
const QUOTES_API_VERSION = 7;
/** First version of Mastodon's API (4.3, `api_versions.mastodon` 2) with grouped notifications. */
const GROUPED_NOTIFICATIONS_API_VERSION = 2;

/**
 * Mastodon's defaults where a server publishes no limits: 500 characters
 * (StatusLengthValidator::MAX_CHARS), 4 attachments (Status::MEDIA_ATTACHMENTS_LIMIT), 1,500
 * characters of description (MediaAttachment::MAX_DESCRIPTION_LENGTH), 23 per URL
 * (StatusLengthValidator::URL_PLACEHOLDER_CHARS).
 */
const DEFAULT_RULES: TextRules = {
  counting: 'characters',
  maxLength: 500,
  urlLength: MASTODON_URL_LENGTH,
  maxImages: 4,
  maxAltLength: 1500,
};

/** The column's Mastodon filter context (as Mastodon's web app maps its timelines to them). */
const FILTER_CONTEXT: Partial<Record<ColumnKind, FilterContext>> = {
  home: 'home',
  list: 'home',
  notifications: 'notifications',
  mentions: 'notifications',
  hashtag: 'public',
  search: 'public',
  user: 'account',
};

const positive = z.coerce.number().int().positive().nullish().catch(null);
const nonNegative = z.coerce.number().int().nonnegative().nullish().catch(null);
const StatusLimits = z
  .object({
    max_characters: positive,
    max_media_attachments: nonNegative,
    characters_reserved_per_url: positive,
  })
  .nullish()
  .catch(null);
/** `configuration.media_attachments` (REST::InstanceSerializer): each field read on its own. */
const MediaLimits = z
  .object({
    description_limit: positive,
    supported_mime_types: z.array(z.string()).nullish().catch(null),
    image_size_limit: positive,
    image_matrix_limit: positive,
    video_size_limit: positive,
    video_frame_rate_limit: positive,
    video_matrix_limit: positive,
  })
  .nullish()
  .catch(null);

/** What `mastodonMediaRules` takes, from a v1 or v2 instance document's limits. */
function mediaConfiguration(
  media: z.infer<typeof MediaLimits>,
  maxMediaAttachments: number | null | undefined,
  descriptionLimit: number | null | undefined,
): MastodonMediaConfiguration {
  return {
    supportedMimeTypes: media?.supported_mime_types,
    imageSizeLimit: media?.image_size_limit,
    imageMatrixLimit: media?.image_matrix_limit,
    videoSizeLimit: media?.video_size_limit,
    videoFrameRateLimit: media?.video_frame_rate_limit,
    videoMatrixLimit: media?.video_matrix_limit,
    descriptionLimit,
    maxMediaAttachments,
  };
}

/** GET /api/v2/instance (Mastodon 4.0+; REST::InstanceSerializer), read leniently field by field. */
const V2InstanceShape = z.object({
  domain: z.string().min(1),
  api_versions: z
    .object({ mastodon: z.coerce.number().nullish().catch(null) })
    .nullish()
    .catch(null),
  configuration: z
    .object({
      urls: z
        .object({ streaming: z.string().nullish().catch(null) })
        .nullish()
        .catch(null),
      statuses: StatusLimits,
      media_attachments: MediaLimits,
    })
    .nullish()
    .catch(null),
});

/**
 * GET /api/v1/instance (REST::V1::InstanceSerializer; Pleroma and Akkoma's InstanceView, which
 * publish `max_toot_chars`, `max_media_attachments` and `description_limit` at the top level, and
 * `uri` as a URL on older versions).
 */
const V1InstanceShape = z.object({
  uri: z.string().nullish().catch(null),
  urls: z
    .object({ streaming_api: z.string().nullish().catch(null) })
    .nullish()
    .catch(null),
  configuration: z.object({ statuses: StatusLimits, media_attachments: MediaLimits }).nullish().catch(null),
  max_toot_chars: positive,
  max_media_attachments: nonNegative,
  description_limit: positive,
});

export interface InstanceInfo {
  /** The instance's own domain (LOCAL_DOMAIN): global ids and local handles carry it. */
  domain: string;
  /** `api_versions.mastodon` (Mastodon 4.3+), 0 where the server does not say. */
  apiVersion: number;
  /**
   * The streaming API's base (`configuration.urls.streaming` in /api/v2/instance, `urls.streaming_api`
   * in /api/v1/instance), or null where the instance publishes none: then it has no live streams.
   */
  streamingUrl: string | null;
  /** The limits, `urlLength` being what every link counts (`characters_reserved_per_url`; Mastodon: 23). */
  rules: TextRules;
  /** What the instance publishes of its media limits (`configuration.media_attachments`); empty by default. */
  media: MastodonMediaConfiguration;
  /** Where the limits came from. */
  source: 'v2' | 'v1' | 'default';
}

const ListShape = z.object({ id: z.string().min(1), title: z.string() });
/** A ScheduledStatus (REST::ScheduledStatusSerializer), as masto hands it over (camelCase). */
const ScheduledStatusShape = z.object({
  id: z.string().min(1),
  scheduledAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'),
  params: z.object({ text: z.string().nullish() }).nullish(),
  mediaAttachments: z.array(z.unknown()).nullish(),
});

/**
 * Cursors: `max:<id>` pages back from an entry, `min:<id>` asks for what came after one (a page's
 * `newer`), `span:<since>:<max>` reads what lies strictly between two (a 'newer' page's
 * `between`). Ids come from Link headers, else from the items.
 */
type Position = { kind: 'max' | 'min'; id: string } | { kind: 'span'; since: string; id: string };

const ID = '[A-Za-z0-9_-]{1,64}';
const CURSOR = new RegExp(`^(?:(max|min):(${ID})|span:(${ID}):(${ID}))$`);

function encodeCursor(kind: 'max' | 'min', id: string): string {
  return `${kind}:${id}`;
}

function encodeSpan(since: string, max: string): string {
  return `span:${since}:${max}`;
}

function decodeCursor(cursor: string): Position {
  const match = CURSOR.exec(cursor);
  if (!match) throw new ColonnadeError('invalid', 'That page position is not valid for Mastodon.');
  if (match[3] && match[4]) return { kind: 'span', since: match[3], id: match[4] };
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

/** Paging ids of a grouped notifications page: its newest and oldest notification ids. */
function groupIds(groups: unknown[]): string[] {
  const first = groups[0] as { pageMaxId?: unknown; mostRecentNotificationId?: unknown } | undefined;
  const last = groups[groups.length - 1] as { pageMinId?: unknown; mostRecentNotificationId?: unknown } | undefined;
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
  const newest = text(first?.pageMaxId) ?? text(first?.mostRecentNotificationId);
  const oldest = text(last?.pageMinId) ?? text(last?.mostRecentNotificationId);
  return newest && oldest ? [newest, oldest] : [];
}

/** Settings tests change; the app uses the defaults. */
export interface MastodonAdapterOptions {
  /** How long any request (and opening a stream) may take before it is a timeout; REQUEST_DEADLINE_MS. */
  requestDeadlineMs?: number;
  /** The first pause between polls of a medium the instance is processing (ms; 1 s). */
  mediaPollMs?: number;
}

/** One message of Mastodon's streaming WebSocket (streaming/index.js `streamToWs`). */
const StreamMessage = z.object({
  stream: z.array(z.string()).nullish(),
  event: z.string().nullish(),
  payload: z.unknown().optional(),
  error: z.string().nullish(),
});

export class MastodonAdapter implements NetworkAdapter {
  readonly network = 'mastodon' as const;
  private readonly client: mastodon.rest.Client;
  private readonly host: string;
  private instanceInfo: Promise<InstanceInfo> | undefined;
  /** What the instance published, once fetched. */
  private knownInstance: InstanceInfo | undefined;
  private lastRateLimit: RateLimitState | null = null;
  /** The viewer's own account id (tells a reply to her from a mention), once verified. */
  private viewerId: string | undefined;
  /** The verify_credentials in flight for `viewer()`, shared by every column that asks meanwhile. */
  private viewerLoading: Promise<string | undefined> | undefined;
  /** Set when verify_credentials was refused for good (a token without `read:accounts`): not asked again. */
  private viewerUnknown = false;
  /** Set when the server answered 404 to GET /api/v2/notifications: v1 from then on. */
  private noGroupedNotifications = false;
  /** Set when the server answered 404 to GET /api/v1/statuses?id[]= (before Mastodon 4.3): one by one from then on. */
  private noStatusBatch = false;
  /** Notification groups met on v1 pages, so a later page's likes join the group they belong to. */
  private readonly notificationBuckets = new NotificationBuckets();
  private readonly accountIds = new Map<string, string>();
  /** GET /api/v1/accounts/lookup requests in flight, by lower-cased acct (one per account at a time). */
  private readonly lookups = new Map<string, Promise<unknown>>();
  /** Milliseconds any request may take (REQUEST_DEADLINE_MS unless a test says otherwise). */
  private readonly deadlineMs: number;
  /** The first pause between polls of a medium being processed (media-upload.ts). */
  private readonly mediaPollMs: number;

  constructor(
    private readonly credentials: MastodonCredentials,
    private readonly ctx: AdapterContext,
    options: MastodonAdapterOptions = {},
  ) {
    this.deadlineMs = options.requestDeadlineMs ?? REQUEST_DEADLINE_MS;
    this.mediaPollMs = options.mediaPollMs ?? MEDIA_POLL_FIRST_MS;
    // masto's `timeout` is an AbortSignal.timeout on each request, body included
    // (HttpConfigImpl.mergeAbortSignalWithDefaults); it fails as MastoTimeoutError → 'timeout'.
    this.client = createRestAPIClient({
      url: credentials.instanceUrl,
      accessToken: credentials.accessToken,
      timeout: this.deadlineMs,
    });
    this.host = new URL(credentials.instanceUrl).host;
  }

  // ---- plumbing -----------------------------------------------------------------------------

  /**
   * Reads X-RateLimit-Limit, -Remaining and -Reset (an ISO instant on Mastodon) of any response,
   * failed ones included, keeps them for `rateLimit()` and reports them as the account's window.
   */
  private noteRateLimit(headers: Headers | undefined): void {
    const limit = Number(headers?.get('x-ratelimit-limit'));
    const remaining = Number(headers?.get('x-ratelimit-remaining'));
    const reset = Date.parse(headers?.get('x-ratelimit-reset') ?? '');
    if (!Number.isFinite(limit) || !Number.isFinite(remaining) || Number.isNaN(reset) || !headers) return;
    if (!headers.has('x-ratelimit-limit') || !headers.has('x-ratelimit-remaining')) return;
    this.lastRateLimit = { limit, remaining, resetAt: new Date(reset).toISOString() };
    // The headers state whichever matched window has least left: one resetting more than 5
    // minutes ahead can only be the 15-minute paging window (the per-token one is 5 minutes).
    const bucket = reset - this.ctx.clock.now() > DEFAULT_BUDGET.windowMs ? PAGING_BUCKET : RATE_BUCKET;
    this.ctx.onRateWindow?.({ bucket, ...this.lastRateLimit });
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

  /**
   * A public instance document, or undefined where the server does not publish it (404 or 410, or
   * a page that is not JSON, as a server without the route may answer). Plain fetch rather than
   * masto: masto cannot tell a missing route answered with an HTML page from a proxy's 502 page.
   */
  private async instanceDocument(path: string): Promise<unknown> {
    const url = new URL(path, this.credentials.instanceUrl);
    let response: Response;
    let text: string;
    try {
      // One deadline for the headers and the body alike.
      response = await fetch(url, {
        headers: { Accept: 'application/json', Authorization: `Bearer ${this.credentials.accessToken}` },
        signal: AbortSignal.timeout(this.deadlineMs),
      });
      this.noteRateLimit(response.headers);
      text = await response.text();
    } catch (err) {
      const mapped = toColonnadeError(err, this.host);
      this.ctx.log.warn('Mastodon request failed', { instance: this.host, what: path, code: mapped.code });
      throw mapped;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (response.status === 404 || response.status === 410) return undefined;
    if (!response.ok) {
      const { error, error_description: description } = (body ?? {}) as {
        error?: unknown;
        error_description?: unknown;
      };
      const mapped = fromErrorBody(
        {
          status: response.status,
          error: typeof error === 'string' ? error : undefined,
          description: typeof description === 'string' ? description : undefined,
          headers: response.headers,
        },
        this.host,
      );
      this.ctx.log.warn('Mastodon request failed', {
        instance: this.host,
        what: path,
        code: mapped.code,
        status: response.status,
      });
      throw mapped;
    }
    return body;
  }

  /**
   * The instance's limits from where it publishes them: GET /api/v2/instance
   * (`configuration.statuses.max_characters`, `max_media_attachments`,
   * `characters_reserved_per_url`, `configuration.media_attachments.description_limit`), else GET
   * /api/v1/instance (`configuration.statuses.max_characters`, or Pleroma/Akkoma's
   * `max_toot_chars`), else Mastodon's defaults (500). A server without /api/v2/instance (Mastodon
   * before 4.0, Pleroma, Akkoma, GoToSocial) works all the same. Fetched once; a failure (offline,
   * 5xx) is not remembered, so the next call asks again.
   */
  private instance(): Promise<InstanceInfo> {
    this.instanceInfo ??= this.loadInstance()
      .then((info) => {
        this.knownInstance = info;
        return info;
      })
      .catch((err: unknown) => {
        this.instanceInfo = undefined;
        throw err;
      });
    return this.instanceInfo;
  }

  private async loadInstance(): Promise<InstanceInfo> {
    const v2 = await this.instanceDocument('/api/v2/instance');
    if (v2 !== undefined) {
      const parsed = V2InstanceShape.safeParse(v2);
      if (parsed.success) {
        const c = parsed.data.configuration;
        return {
          domain: parsed.data.domain,
          apiVersion: parsed.data.api_versions?.mastodon ?? 0,
          streamingUrl: c?.urls?.streaming || null,
          rules: {
            counting: 'characters',
            maxLength: c?.statuses?.max_characters ?? DEFAULT_RULES.maxLength,
            urlLength: c?.statuses?.characters_reserved_per_url ?? MASTODON_URL_LENGTH,
            maxImages: c?.statuses?.max_media_attachments ?? DEFAULT_RULES.maxImages,
            maxAltLength: c?.media_attachments?.description_limit ?? DEFAULT_RULES.maxAltLength,
          },
          media: mediaConfiguration(
            c?.media_attachments,
            c?.statuses?.max_media_attachments,
            c?.media_attachments?.description_limit,
          ),
          source: 'v2',
        };
      }
      this.ctx.log.warn('Mastodon instance (v2) unreadable, trying v1', { instance: this.host });
    }
    const v1 = await this.instanceDocument('/api/v1/instance');
    const parsed = v1 === undefined ? undefined : V1InstanceShape.safeParse(v1);
    if (parsed?.success) {
      const i = parsed.data;
      // Mastodon's `uri` is the domain; older Pleroma's is the instance's URL.
      let domain = this.host;
      if (i.uri) {
        try {
          domain = i.uri.includes('://') ? new URL(i.uri).host : i.uri;
        } catch {
          domain = this.host;
        }
      }
      return {
        domain,
        apiVersion: 0,
        streamingUrl: i.urls?.streaming_api || null,
        rules: {
          counting: 'characters',
          maxLength: i.configuration?.statuses?.max_characters ?? i.max_toot_chars ?? DEFAULT_RULES.maxLength,
          urlLength: i.configuration?.statuses?.characters_reserved_per_url ?? MASTODON_URL_LENGTH,
          maxImages:
            i.configuration?.statuses?.max_media_attachments ?? i.max_media_attachments ?? DEFAULT_RULES.maxImages,
          maxAltLength:
            i.configuration?.media_attachments?.description_limit ?? i.description_limit ?? DEFAULT_RULES.maxAltLength,
        },
        media: mediaConfiguration(
          i.configuration?.media_attachments,
          i.configuration?.statuses?.max_media_attachments ?? i.max_media_attachments,
          i.configuration?.media_attachments?.description_limit ?? i.description_limit,
        ),
        source: 'v1',
      };
    }
    this.ctx.log.warn('Mastodon instance publishes no limits; using Mastodon defaults', { instance: this.host });
    return {
      domain: this.host,
      apiVersion: 0,
      streamingUrl: null,
      rules: { ...DEFAULT_RULES },
      media: {},
      source: 'default',
    };
  }

  /**
   * How to read statuses for a column (`kind`), or in a filter context of its own (`thread`), as
   * the viewer (`viewerId`, when known) sees them.
   */
  private normalizeContext(domain: string, kind?: ColumnKind | 'thread', viewerId = this.viewerId): NormalizeContext {
    return {
      domain,
      filterContext: kind === 'thread' ? 'thread' : kind ? FILTER_CONTEXT[kind] : undefined,
      now: this.ctx.clock.now(),
      viewerId,
    };
  }

  /** Logs the items of a page that could not be read (their ids, never their content). */
  private noteUnreadable(what: string, read: EntriesRead): number {
    for (const item of read.unreadable) {
      this.ctx.log.warn('Mastodon item skipped: Colonnade cannot read it', {
        instance: this.host,
        what,
        id: item.id,
        problem: item.problem,
      });
    }
    return read.unreadable.length;
  }

  /**
   * The viewer's own account id, from verify_credentials: asked once, by one request however many
   * columns ask at the same time. A refusal that would fail the column's own request too (expired
   * sign-in, rate limit, offline, server trouble) is thrown and not remembered (the next read asks
   * again); any other (a token without `read:accounts`: 403) leaves it unknown for good, without
   * asking again: then a reply reads as a mention and her filters apply to her own posts, but the
   * column still works.
   */
  private viewer(): Promise<string | undefined> {
    if (this.viewerId || this.viewerUnknown) return Promise.resolve(this.viewerId);
    this.viewerLoading ??= this.verify()
      .then(
        () => this.viewerId,
        (err: unknown) => {
          const passing = ['auth-expired', 'rate-limited', 'offline', 'transient'];
          if (!(err instanceof ColonnadeError) || passing.includes(err.code)) throw err;
          this.viewerUnknown = true;
          return undefined;
        },
      )
      .finally(() => {
        this.viewerLoading = undefined;
      });
    return this.viewerLoading;
  }

  // ---- NetworkAdapter -----------------------------------------------------------------------

  async verify(): Promise<Profile> {
    const { domain } = await this.instance();
    const { data } = await this.request('verify', () => this.client.v1.accounts.verifyCredentials.$raw());
    const account = parseAccount(data, this.host);
    this.viewerId = account.id;
    return toProfile(account, domain);
  }

  columnKinds(): ColumnKind[] {
    return [...COLUMN_KINDS];
  }

  /**
   * The instance's limits once known (verify, every read and `loadTextRules` fetch them; the
   * accounts service keeps the adapter that checked a new account, and loads them for the others
   * at start), Mastodon's defaults before.
   */
  textRules(): TextRules {
    return { ...(this.knownInstance?.rules ?? DEFAULT_RULES) };
  }

  /**
   * The instance's media limits once known (`configuration.media_attachments` and
   * `statuses.max_media_attachments`, as `textRules`), Mastodon's defaults before (media-rules.ts).
   */
  mediaRules(): MediaRules {
    return mastodonMediaRules(this.knownInstance?.media);
  }

  /** The instance's limits, fetched once and cached. */
  async loadTextRules(): Promise<TextRules> {
    return { ...(await this.instance()).rules };
  }

  /** What the instance published (limits, domain, API version, where from), fetched once. */
  async instanceDetails(): Promise<InstanceInfo> {
    return { ...(await this.instance()) };
  }

  async lists(): Promise<ListInfo[]> {
    const { data } = await this.request('lists', () => this.client.v1.lists.list.$raw());
    const parsed = z.array(ListShape).safeParse(data);
    if (!parsed.success) throw new ColonnadeError('invalid', `${this.host} sent lists Colonnade cannot read.`);
    return parsed.data.map((l) => ({ id: l.id, name: l.title, kind: 'list' as const }));
  }

  /**
   * The account `acct` names as GET /api/v1/accounts/lookup answers it (raw): one request however
   * many callers ask at the same time (a profile page reads the account and its posts together).
   * `acct` is `user` for an account of this instance, `user@domain` for another's.
   */
  private lookupAccount(acct: string): Promise<unknown> {
    const key = acct.toLowerCase();
    let pending = this.lookups.get(key);
    if (!pending) {
      pending = this.request('lookup', () => this.client.v1.accounts.lookup.$raw({ acct }))
        .then((response) => response.data)
        .finally(() => this.lookups.delete(key));
      this.lookups.set(key, pending);
    }
    return pending;
  }

  /** A handle as Mastodon's lookup takes it: no leading '@', and `user@this-instance` as `user`. */
  private static acctOf(handle: string, domain: string): string {
    const acct = handle.trim().replace(/^@+/, '');
    return acct.toLowerCase().endsWith(`@${domain.toLowerCase()}`) ? acct.slice(0, -domain.length - 1) : acct;
  }

  private async accountIdFor(handle: string, domain: string): Promise<string> {
    const acct = handle.trim().replace(/^@+/, '');
    if (!acct) throw new ColonnadeError('invalid', 'A user column needs a handle.', { field: 'query' });
    const key = MastodonAdapter.acctOf(acct, domain);
    const cached = this.accountIds.get(key.toLowerCase());
    if (cached) return cached;
    try {
      const account = parseAccount(await this.lookupAccount(key), this.host);
      this.accountIds.set(key.toLowerCase(), account.id);
      return account.id;
    } catch (err) {
      if (err instanceof ColonnadeError && err.code === 'not-found') {
        throw new ColonnadeError('not-found', `There is no @${acct} that ${this.host} knows of.`);
      }
      throw err;
    }
  }

  /**
   * A profile's page: the account from GET /api/v1/accounts/lookup (note, counts, header, and the
   * states Mastodon sends: see toProfileDetails), and how the viewer relates to it from GET
   * /api/v1/accounts/relationships?id[]= (`following`, `followed_by`, blocks, mutes), not asked
   * for her own account. A relationship the server refuses or cannot give (a token without
   * `read:follows`, a rate limit) leaves `viewer` out rather than the page; an expired sign-in
   * fails it. An unknown handle is not-found with reason `profile-not-found` (`{ name }`).
   */
  async profile(handle: string): Promise<ProfileDetails> {
    const { domain } = await this.instance();
    const acct = handle.trim().replace(/^@+/, '');
    if (!acct) throw new ColonnadeError('invalid', 'Which profile? A handle is needed.', { field: 'handle' });
    const key = MastodonAdapter.acctOf(acct, domain);
    let raw: unknown;
    try {
      raw = await this.lookupAccount(key);
    } catch (err) {
      if (err instanceof ColonnadeError && err.code === 'not-found') {
        throw new ColonnadeError('not-found', `There is no @${acct} that ${this.host} knows of.`, {
          reason: 'profile-not-found',
          params: { name: `@${acct}` },
        });
      }
      throw err;
    }
    const account = parseAccountDetails(raw, this.host);
    this.accountIds.set(key.toLowerCase(), account.id);
    const viewerId = await this.viewer();
    const relationship = account.id === viewerId ? undefined : await this.relationship(account.id);
    return toProfileDetails(account, domain, relationship);
  }

  /** The viewer's relationship with one account, or undefined when the server does not give it. */
  private async relationship(accountId: string): Promise<RelationshipData | undefined> {
    try {
      const { data } = await this.request('relationships', () =>
        this.client.v1.accounts.relationships.fetch.$raw({ id: [accountId] }),
      );
      return relationshipOf(data, accountId);
    } catch (err) {
      // Logged by request(); the page shows without the relationship.
      if (err instanceof ColonnadeError && err.code === 'auth-expired') throw err;
      return undefined;
    }
  }

  /**
   * A status in its conversation: GET /api/v1/statuses/:id and GET /api/v1/statuses/:id/context
   * side by side (for a boost, the boosted status's context), read by threadFrom (thread.ts) in
   * the `thread` filter context. Mastodon answers 404 for a deleted status and for one the viewer
   * may not see (StatusesController#set_status turns NotPermittedError into RecordNotFound):
   * both are not-found with reason `post-gone` (`{ server }`). `Mastodon-Async-Refresh` on the
   * context (Mastodon 4.5+: replies from other servers still being fetched) becomes a note.
   */
  async thread(postId: string): Promise<ThreadView> {
    const { domain } = await this.instance();
    const id = this.nativeStatusId(postId);
    if (globalPostId(id, domain) !== postId)
      throw new ColonnadeError('invalid', `That post is not one ${this.host} serves.`);
    const viewerId = await this.viewer();
    const gone = (err: unknown): never => {
      if (err instanceof ColonnadeError && err.code === 'not-found') {
        throw new ColonnadeError(
          'not-found',
          `That post is no longer on ${this.host}, or this account may not see it.`,
          {
            reason: 'post-gone',
            params: { server: this.host },
          },
        );
      }
      throw err;
    };
    const context = (statusId: string) =>
      this.request('thread', () => this.client.v1.statuses.$select(statusId).context.fetch.$raw());
    const [anchor, first] = await Promise.all([
      this.request('thread', () => this.client.v1.statuses.$select(id).fetch.$raw()),
      context(id),
    ]).catch(gone);
    const boosted = (anchor.data as { reblog?: { id?: unknown } } | null)?.reblog?.id;
    const around = typeof boosted === 'string' && boosted !== id ? await context(boosted).catch(gone) : first;
    const body = around.data as { ancestors?: unknown; descendants?: unknown } | null;
    if (typeof body !== 'object' || body === null || !Array.isArray(body.ancestors) || !Array.isArray(body.descendants))
      throw new ColonnadeError('invalid', `${this.host} sent a conversation Colonnade cannot read.`);
    const { view, unreadable } = threadFrom(
      anchor.data,
      body,
      this.normalizeContext(domain, 'thread', viewerId),
      this.host,
      around.headers.has('mastodon-async-refresh'),
    );
    this.noteUnreadable('thread', { items: [], unreadable });
    return view;
  }

  /**
   * A page of a column, newest entry first. Statuses are read one by one: one that cannot be read
   * (an `account: null`, no `created_at`, a media type Mastodon does not have…) is left out, logged
   * with its id and counted in `skipped`; one a `hide` filter of the viewer catches (in the
   * column's filter context) is left out and not counted. Notifications come grouped from GET
   * /api/v2/notifications where the server has it (Mastodon 4.3+), else from /api/v1 grouped per
   * page here (see normalize.ts).
   *
   * 'newer' reads with `since_id` (the newest entries above the cursor, newest first), and, when a
   * page comes back full, answers `between` = `span:<since>:<oldest of the page>`, which reads the
   * next page down with `since_id` and `max_id` together: nothing at or below the cursor is sent
   * again. Every timeline takes both (Paginable#paginate_by_max_id, Feed#get for home and lists,
   * TagFeed, AccountStatusesFilter, Notification.paginate_groups_by_max_id for grouped
   * notifications), except search, whose `min_id` is the same cutoff ("after" the id's instant,
   * StatusesSearchService#convert_deprecated_options!) with results still newest first.
   * A page is full when it holds as many items as asked (statuses, v1 notifications, or v2
   * groups: Api::V2::NotificationsController#incomplete_page? is the same test).
   */
  async readTimeline(req: TimelineRequest): Promise<Page<TimelineEntry>> {
    const { domain, apiVersion } = await this.instance();
    const limit = Math.min(Math.max(Math.floor(req.limit) || 20, 1), MAX_PAGE);
    const position = req.cursor ? decodeCursor(req.cursor) : undefined;
    // 'newer': since the cursor (and, on a page between, below the previous page's oldest).
    const since =
      req.direction === 'newer' && position ? (position.kind === 'span' ? position.since : position.id) : undefined;
    const below =
      position && position.kind !== 'min' && (req.direction === 'older' || position.kind === 'span')
        ? position.id
        : undefined;
    const params = {
      limit,
      ...(below ? { maxId: below } : {}),
      ...(since ? { sinceId: since } : {}),
    };
    const query = (req.query ?? '').trim();
    // Her own posts are never filtered (nor is a reply to her a mention): who she is comes first.
    const viewerId = await this.viewer();
    const ctx = this.normalizeContext(domain, req.kind, viewerId);

    /**
     * What a page holds; `ids` are its paging ids, newest first (when there is no Link header);
     * `count` how many items (statuses, notifications or groups) the server sent.
     */
    interface Fetched {
      headers: Headers;
      read: EntriesRead;
      ids: string[];
      count: number;
    }
    let fetched: Fetched;
    const statusPage = (response: RawResponse<unknown>): Fetched => {
      if (!Array.isArray(response.data))
        throw new ColonnadeError('invalid', `${this.host} sent a timeline Colonnade cannot read.`);
      return {
        headers: response.headers,
        read: statusEntries(response.data, ctx),
        ids: idsOf(response.data),
        count: response.data.length,
      };
    };
    switch (req.kind) {
      case 'home':
        fetched = statusPage(await this.request('home', () => this.client.v1.timelines.home.list.$raw(params)));
        break;
      case 'hashtag': {
        const tag = query.replace(/^#+/, '');
        if (!tag) throw new ColonnadeError('invalid', 'A hashtag column needs a hashtag.', { field: 'query' });
        fetched = statusPage(
          await this.request('hashtag', () => this.client.v1.timelines.tag.$select(tag).list.$raw(params)),
        );
        break;
      }
      case 'list':
        if (!query) throw new ColonnadeError('invalid', 'A list column needs a list.', { field: 'query' });
        fetched = statusPage(
          await this.request('list', () => this.client.v1.timelines.list.$select(query).list.$raw(params)),
        );
        break;
      case 'user': {
        const id = await this.accountIdFor(query, domain);
        fetched = statusPage(
          await this.request('user', () => this.client.v1.accounts.$select(id).statuses.list.$raw(params)),
        );
        break;
      }
      case 'search': {
        if (!query) throw new ColonnadeError('invalid', 'A search column needs keywords.', { field: 'query' });
        // Search has no since_id: its min_id is the same cutoff, results newest first.
        const { sinceId: after, ...rest } = params;
        const searched = await this.request('search', () =>
          this.client.v2.search.list.$raw({
            q: query,
            type: 'statuses',
            resolve: false,
            ...rest,
            ...(after ? { minId: after } : {}),
          }),
        );
        const found = z.object({ statuses: z.array(z.unknown()) }).safeParse(searched.data);
        if (!found.success)
          throw new ColonnadeError('invalid', `${this.host} sent search results Colonnade cannot read.`);
        fetched = statusPage({ headers: searched.headers, data: found.data.statuses });
        break;
      }
      case 'notifications':
      case 'mentions': {
        const grouped =
          req.kind === 'notifications' &&
          apiVersion >= GROUPED_NOTIFICATIONS_API_VERSION &&
          !this.noGroupedNotifications
            ? await this.groupedNotifications(params)
            : undefined;
        if (grouped) {
          const groups = (grouped.data as { notificationGroups?: unknown } | null)?.notificationGroups;
          const result = notificationEntriesV2(grouped.data, ctx, viewerId);
          if (!result || !Array.isArray(groups))
            throw new ColonnadeError('invalid', `${this.host} sent notifications Colonnade cannot read.`);
          fetched = { headers: grouped.headers, read: result, ids: groupIds(groups), count: groups.length };
          break;
        }
        const types: mastodon.v1.NotificationType[] | undefined = req.kind === 'mentions' ? ['mention'] : undefined;
        const response = await this.request(req.kind, () =>
          this.client.v1.notifications.list.$raw({ ...params, ...(types ? { types } : {}) }),
        );
        if (!Array.isArray(response.data))
          throw new ColonnadeError('invalid', `${this.host} sent notifications Colonnade cannot read.`);
        // A mentions column keeps mentions only, whatever a server that ignores `types` sends (an
        // item without a type stays, to be counted as unreadable).
        const typeOf = (n: unknown) => (n as { type?: unknown } | null)?.type;
        const raws =
          req.kind === 'mentions'
            ? response.data.filter((n) => typeof typeOf(n) !== 'string' || typeOf(n) === 'mention')
            : response.data;
        fetched = {
          headers: response.headers,
          read: notificationEntriesV1(raws, ctx, viewerId, this.notificationBuckets),
          ids: idsOf(response.data),
          count: response.data.length,
        };
        break;
      }
      case 'scheduled':
      case 'drafts':
      case 'analytics':
        throw new ColonnadeError('invalid', 'Scheduled posts and drafts are not network timelines.');
      case 'monitor':
        throw new ColonnadeError('invalid', 'A monitor merges other timelines; it is not a network timeline.');
    }

    const { headers, read, ids, count } = fetched;
    const skipped = this.noteUnreadable(req.kind, read);
    const page = (p: Page<TimelineEntry>): Page<TimelineEntry> => (skipped > 0 ? { ...p, skipped } : p);
    const items = read.items;
    if (count === 0) {
      // Nothing older is the end of history; nothing newer keeps the place for the next poll.
      return page({
        items,
        older: null,
        // An empty newest page (a hashtag nobody used yet) still says where "newer" starts:
        // before every id, so what is posted before the next poll is all read then.
        newer:
          req.direction === 'newer'
            ? since
              ? encodeCursor('min', since)
              : (req.cursor ?? null)
            : req.cursor
              ? null
              : encodeCursor('min', '0'),
        ...(req.direction === 'newer' ? { between: null } : {}),
      });
    }
    const links = linkIds(headers.get('link'));
    const oldest = links.next ?? ids[ids.length - 1];
    const newest = links.prev ?? ids[0];
    // A full page may not have reached the cursor: the next page down lies between.
    const between = since && oldest && count >= limit ? encodeSpan(since, oldest) : null;
    return page({
      items,
      older: oldest ? encodeCursor('max', oldest) : null,
      newer: newest ? encodeCursor('min', newest) : null,
      ...(req.direction === 'newer' ? { between } : {}),
    });
  }

  /** GET /api/v2/notifications, or undefined when the server has no such route (then v1 for good). */
  private async groupedNotifications(params: {
    limit: number;
    maxId?: string;
    sinceId?: string;
  }): Promise<RawResponse<unknown> | undefined> {
    try {
      return await this.request('notifications', () => this.client.v2.notifications.list.$raw(params));
    } catch (err) {
      if (err instanceof ColonnadeError && err.code === 'not-found') {
        this.noGroupedNotifications = true;
        return undefined;
      }
      throw err;
    }
  }

  /**
   * Counts from GET /api/v1/statuses?id[]= (Mastodon 4.3+, 20 ids a request), else from GET
   * /api/v1/statuses/:id one by one: a server that answers the batch route 404 (no such route
   * before Mastodon 4.3) is asked one by one from then on, without trying the batch again. Gone: a status the instance answers 404 for, or leaves out of
   * a batch answer when it is Mastodon 4.3+ (`api_versions.mastodon` ≥ 2); another server's batch
   * omissions are asked one by one (Pleroma-family servers read `ids[]`, not `id[]`). Mastodon
   * answers a status its viewer may no longer see (its author blocks the viewer or is suspended, a
   * private post after an unfollow) exactly as a deleted one, 404 instead of 403 on purpose
   * (StatusesController#set_status, Status.permitted_statuses_from_ids): both are gone, as Mastodon
   * itself takes a blocker's statuses out of the blocked account's home. Ids of another instance
   * are left out.
   */
  async refreshMetrics(
    postIds: readonly string[],
    /** Told each status read (the analytics take more of it than `Metrics` holds). */
    seen?: (postId: string, status: StatusData) => void,
  ): Promise<MetricsRefresh> {
    const { domain, apiVersion } = await this.instance();
    // Answer under the ids we were given (they carry the instance's domain).
    const globalOf = new Map<string, string>();
    for (const id of postIds) {
      const native = nativeIdOf(id);
      if (native && globalPostId(native, domain) === id) globalOf.set(native, id);
    }
    const ids = [...globalOf.keys()];
    const metrics = new Map<string, Metrics>();
    const gone: string[] = [];
    const record = (raw: unknown) => {
      // One status that cannot be read leaves its counts as they were; the others still refresh.
      let status: StatusData;
      try {
        status = parseStatus(raw, this.host);
      } catch {
        this.ctx.log.warn('Mastodon item skipped: Colonnade cannot read it', {
          instance: this.host,
          what: 'metrics',
          id: rawIdOf(raw),
        });
        return;
      }
      const global = globalOf.get(status.id);
      if (global) metrics.set(global, toMetrics(status));
      if (global) seen?.(global, status);
    };
    const one = async (id: string) => {
      try {
        record((await this.request('metrics', () => this.client.v1.statuses.$select(id).fetch.$raw())).data);
      } catch (err) {
        if (!(err instanceof ColonnadeError) || err.code !== 'not-found') throw err;
        gone.push(globalOf.get(id)!);
      }
    };
    for (let i = 0; i < ids.length; i += METRICS_BATCH) {
      const batch = ids.slice(i, i + METRICS_BATCH);
      let data: unknown[] | undefined;
      if (!this.noStatusBatch) {
        try {
          const answer = (await this.request('metrics', () => this.client.v1.statuses.fetch.$raw({ id: batch }))).data;
          if (!Array.isArray(answer))
            throw new ColonnadeError('invalid', `${this.host} sent statuses Colonnade cannot read.`);
          data = answer;
        } catch (err) {
          // Before Mastodon 4.3 there is no batch endpoint: one request per status, for good.
          if (!(err instanceof ColonnadeError) || err.code !== 'not-found') throw err;
          this.noStatusBatch = true;
        }
      }
      if (!data) {
        for (const id of batch) await one(id);
        continue;
      }
      data.forEach(record);
      const answered = new Set(data.map(rawIdOf));
      for (const id of batch) {
        if (answered.has(id)) continue;
        if (apiVersion >= 2) gone.push(globalOf.get(id)!);
        else await one(id);
      }
    }
    return { metrics, gone };
  }

  /**
   * Counts of the account's own posts for the analytics, read as `refreshMetrics` reads them
   * (GET /api/v1/statuses?id[]= on Mastodon 4.3+, 20 ids a request, else one by one), with
   * `quotes_count` where the server sends it (Mastodon 4.5+; null before). Mastodon publishes no
   * impressions, bookmarks counts nor owner-only metrics: those stay null.
   */
  async ownMetrics(posts: readonly OwnPostRef[]): Promise<OwnMetrics> {
    const values: OwnMetrics['values'] = new Map();
    const { gone } = await this.refreshMetrics(
      posts.map((p) => p.id),
      (id, s) =>
        values.set(id, {
          likes: s.favouritesCount ?? null,
          reposts: s.reblogsCount ?? null,
          replies: s.repliesCount ?? null,
          quotes: s.quotesCount ?? null,
          bookmarks: null,
          impressions: null,
          linkClicks: null,
          profileClicks: null,
        }),
    );
    return { values, gone };
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

  /** Uploads one medium (media-upload.ts) and waits until the instance has processed it. */
  private upload(media: MediaUpload, meter: UploadMeter): Promise<string> {
    return uploadMastodonMedia(
      {
        instanceUrl: this.credentials.instanceUrl,
        accessToken: this.credentials.accessToken,
        host: this.host,
        clock: this.ctx.clock,
        stallMs: this.deadlineMs,
        pollMs: this.mediaPollMs,
        fetchAttachment: async (id) =>
          (await this.request('media', () => this.client.v1.media.$select(id).fetch.$raw())).data,
        onHeaders: (headers) => this.noteRateLimit(headers),
        meter,
      },
      media,
    );
  }

  /**
   * What POST /api/v1/statuses will carry for `request`, checked against the instance's limits,
   * its images uploaded: `quoteLinked` when a quote became a link (before Mastodon 4.5).
   */
  private async statusParams(
    request: PublishRequest,
    info: InstanceInfo,
  ): Promise<{ params: mastodon.rest.v1.CreateStatusParams; quoteLinked: boolean }> {
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
    // The instance's published media limits (sizes, pixels, frame rate, a video alone).
    const refused = firstMediaRefusal(media, mastodonMediaRules(info.media), this.host);
    if (refused) {
      const { message, reason, params } = refused;
      throw new ColonnadeError('invalid', message, { field: 'media', reason, params });
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
    const meter = new UploadMeter(
      media.reduce((n, m) => n + m.data.byteLength, 0),
      request.onProgress,
    );
    for (const m of media) mediaIds.push(await this.upload(m, meter));
    const common = {
      ...(inReplyToId ? { inReplyToId } : {}),
      ...(quotedStatusId ? { quotedStatusId } : {}),
    };
    return {
      params: mediaIds.length > 0 ? { ...common, status: text, mediaIds } : { ...common, status: text },
      quoteLinked: Boolean(request.quoteOf) && info.apiVersion < QUOTES_API_VERSION,
    };
  }

  /**
   * True when Mastodon may have forgotten the Idempotency-Key of a send that began at
   * `uncertainSince` (ms): it keeps a key an hour from the post it made (IDEMPOTENCY_KEY_LIFE_MS),
   * so a retry after that could post twice; within it, the key answers the earlier post.
   */
  private keyMayBeForgotten(uncertainSince: number | undefined): uncertainSince is number {
    return (
      uncertainSince !== undefined && this.ctx.clock.now() - uncertainSince >= IDEMPOTENCY_KEY_LIFE_MS - CLOCK_SKEW_MS
    );
  }

  /**
   * The post of `request` among her own statuses dated `since` (ms) or later (GET
   * /api/v1/accounts/:id/statuses, newest first, boosts left out, up to OWN_POST_PAGES pages), or
   * null: the same text as the adapter reads it from Mastodon's HTML (own-posts.ts `isPostOf`),
   * reply target and number of attachments. Null too when her account id cannot be known.
   */
  private async findOwnPost(request: PublishRequest, since: number, quoteLinked: boolean): Promise<Post | null> {
    const viewerId = await this.viewer();
    if (!viewerId) {
      this.ctx.log.warn('Mastodon: cannot look among her own posts without her account id', { instance: this.host });
      return null;
    }
    const { domain } = await this.instance();
    const ctx = this.normalizeContext(domain, undefined, viewerId);
    let maxId: string | undefined;
    for (let page = 0; page < OWN_POST_PAGES; page++) {
      const { data, headers } = await this.request('own-posts', () =>
        this.client.v1.accounts
          .$select(viewerId)
          .statuses.list.$raw({ limit: MAX_PAGE, excludeReblogs: true, ...(maxId ? { maxId } : {}) }),
      );
      const items: unknown[] = Array.isArray(data) ? data : [];
      let reachedSince = false;
      for (const raw of items) {
        let status: StatusData;
        try {
          status = parseStatus(raw, this.host);
        } catch {
          continue;
        }
        if (status.reblog) continue;
        if (Date.parse(status.createdAt) < since) {
          reachedSince = true;
          continue;
        }
        const post = toPost(status, ctx);
        if (isPostOf(post, request, { quoteLinked })) return post;
      }
      maxId = linkIds(headers.get('link')).next ?? idsOf(items).at(-1);
      if (reachedSince || items.length < MAX_PAGE || !maxId) return null;
    }
    return null;
  }

  /**
   * Publishes one post now, once per `idempotencyKey` (sent as Idempotency-Key). After a send whose
   * outcome is unknown (`uncertainSince`) and older than Mastodon keeps the key (an hour), her own
   * posts since then are looked at first, and the post found is answered instead of posting again.
   */
  async publish(request: PublishRequest): Promise<Post> {
    const info = await this.instance();
    if (this.keyMayBeForgotten(request.uncertainSince)) {
      const quoteLinked = Boolean(request.quoteOf) && info.apiVersion < QUOTES_API_VERSION;
      const earlier = await this.findOwnPost(request, request.uncertainSince - CLOCK_SKEW_MS, quoteLinked);
      if (earlier) return earlier;
    }
    const { params } = await this.statusParams(request, info);
    const { data } = await this.request('publish', () =>
      this.client.v1.statuses.create.$raw(params, {
        requestInit: { headers: { 'Idempotency-Key': request.idempotencyKey } },
      }),
    );
    // The new status is hers: none of her filters applies to it.
    const status = parseStatus(data, this.host);
    return toPost(status, this.normalizeContext(info.domain, undefined, status.account.id));
  }

  // ---- scheduled statuses -------------------------------------------------------------------

  /**
   * Mastodon's own scheduling (POST /api/v1/statuses with `scheduled_at`, /api/v1/scheduled_statuses):
   * the instance publishes the post itself, Colonnade closed or not. See each method.
   */
  readonly serverScheduling: ServerScheduling = {
    minimumLeadMs: SCHEDULE_MINIMUM_OFFSET_MS,
    schedule: (request, at) => this.schedule(request, at),
    reschedule: (id, at) => this.reschedule(id, at),
    cancel: (id) => this.cancelScheduled(id),
    status: (id, request, at) => this.scheduledState(id, request, at),
  };

  /** A scheduled status answer as the shared shape, or null when it is not one. */
  private scheduledPost(data: unknown): ServerScheduledPost | null {
    const parsed = ScheduledStatusShape.safeParse(data);
    return parsed.success ? { id: parsed.data.id, at: new Date(parsed.data.scheduledAt).toISOString() } : null;
  }

  /**
   * The scheduled status an earlier attempt of `request` made for `at` (ms): one of hers (GET
   * /api/v1/scheduled_statuses, up to SCHEDULED_PAGES pages) for the same second, with the same
   * text (comparable form) and number of attachments; or null.
   */
  private async findScheduled(
    request: PublishRequest,
    at: number,
    quoteLinked: boolean,
  ): Promise<ServerScheduledPost | null> {
    const asked = comparableText(request.text);
    let maxId: string | undefined;
    for (let page = 0; page < SCHEDULED_PAGES; page++) {
      const { data, headers } = await this.request('scheduled', () =>
        this.client.v1.scheduledStatuses.list.$raw({ limit: MAX_PAGE, ...(maxId ? { maxId } : {}) }),
      );
      const items: unknown[] = Array.isArray(data) ? data : [];
      for (const raw of items) {
        const parsed = ScheduledStatusShape.safeParse(raw);
        if (!parsed.success) continue;
        const s = parsed.data;
        if (Math.abs(Date.parse(s.scheduledAt) - at) >= 1_000) continue;
        if ((s.mediaAttachments?.length ?? 0) !== (request.media?.length ?? 0)) continue;
        const said = comparableText(s.params?.text ?? '');
        if (said === asked || (quoteLinked && said.startsWith(asked))) {
          return { id: s.id, at: new Date(s.scheduledAt).toISOString() };
        }
      }
      maxId = linkIds(headers.get('link')).next;
      if (!maxId) return null;
    }
    return null;
  }

  /**
   * Hands `request` to the instance for `at` (ms): POST /api/v1/statuses with `scheduled_at` and the
   * request's Idempotency-Key, answering the ScheduledStatus. Refused before sending, when `at` is
   * not more than 5 minutes ahead (else Mastodon would post it at once): invalid
   * `server-schedule-too-soon`. The instance's refusals: invalid `server-schedule-limit` (300
   * waiting, or 25 on that UTC day; errors.ts) or `server-schedule-too-soon` by its clock, and
   * the usual ones (too long, images).
   *
   * A retry is safe, though Mastodon does not answer it with the scheduled status: within the
   * hour it keeps the key, it looks the key's id up among statuses, not scheduled statuses
   * (PostStatusService#idempotency_duplicate runs before `scheduled_at` is read), so it answers
   * 404 and schedules nothing; the earlier one is then found among her scheduled statuses. After
   * that hour (`uncertainSince` older), they are looked at before sending. Should the instance's
   * clock be past `at` all the same, Mastodon posts at once and answers the status: its id and
   * date are answered, and `status` then finds it published.
   */
  private async schedule(request: PublishRequest, at: number): Promise<ServerScheduledPost> {
    if (at - this.ctx.clock.now() <= SCHEDULE_MINIMUM_OFFSET_MS) {
      throw new ColonnadeError(
        'invalid',
        `${this.host} schedules posts only more than ${SCHEDULE_MINIMUM_OFFSET_MINUTES} minutes ahead.`,
        {
          reason: 'server-schedule-too-soon',
          params: { server: this.host, minutes: String(SCHEDULE_MINIMUM_OFFSET_MINUTES) },
        },
      );
    }
    const info = await this.instance();
    const quoteLinked = Boolean(request.quoteOf) && info.apiVersion < QUOTES_API_VERSION;
    if (this.keyMayBeForgotten(request.uncertainSince)) {
      const earlier = await this.findScheduled(request, at, quoteLinked);
      if (earlier) return earlier;
    }
    const { params } = await this.statusParams(request, info);
    let data: unknown;
    try {
      ({ data } = await this.request('schedule', () =>
        this.client.v1.statuses.create.$raw(
          { ...params, scheduledAt: new Date(at).toISOString() },
          { requestInit: { headers: { 'Idempotency-Key': request.idempotencyKey } } },
        ),
      ));
    } catch (err) {
      if (err instanceof ColonnadeError && err.code === 'not-found' && /record not found/i.test(err.detail ?? '')) {
        const earlier = await this.findScheduled(request, at, quoteLinked);
        if (earlier) return earlier;
      }
      throw err;
    }
    const scheduled = this.scheduledPost(data);
    if (scheduled) return scheduled;
    // Posted at once: the instance's clock was already past `at`.
    const status = parseStatus(data, this.host);
    this.ctx.log.warn('Mastodon posted a scheduled post at once (its clock is ahead)', { instance: this.host });
    return { id: status.id, at: new Date(status.createdAt).toISOString() };
  }

  /**
   * Moves a scheduled status to `at` (ms): PUT /api/v1/scheduled_statuses/:id with `scheduled_at`,
   * the only thing Mastodon lets change (ScheduledStatusesController#scheduled_status_params).
   * Throws not-found when the instance no longer has it (published or cancelled), and the limits'
   * and too-soon refusals as `schedule` does (Mastodon counts the moved one itself on the new
   * day). Mastodon queues a post for publishing 5 minutes ahead of its time
   * (Scheduler::ScheduledStatusesScheduler), so one moved within those 5 minutes may still go out
   * at its old time.
   */
  private async reschedule(id: string, at: number): Promise<ServerScheduledPost> {
    const { data } = await this.request('reschedule', () =>
      this.client.v1.scheduledStatuses.$select(id).update.$raw({ scheduledAt: new Date(at).toISOString() }),
    );
    const scheduled = this.scheduledPost(data);
    if (!scheduled)
      throw new ColonnadeError('invalid', `${this.host} answered a scheduled post Colonnade cannot read.`);
    return scheduled;
  }

  /** Cancels a scheduled status (DELETE /api/v1/scheduled_statuses/:id); one already gone is fine. */
  private async cancelScheduled(id: string): Promise<void> {
    try {
      await this.request('cancel-scheduled', () => this.client.v1.scheduledStatuses.$select(id).remove.$raw());
    } catch (err) {
      if (err instanceof ColonnadeError && err.code === 'not-found') return;
      throw err;
    }
  }

  /**
   * What became of scheduled status `id`, made for `request` at `at` (ms): still `scheduled` (GET
   * /api/v1/scheduled_statuses/:id, at the time the instance holds); else, since Mastodon deletes
   * it when it publishes it (PublishScheduledStatusWorker), `published` with the post found among
   * her own statuses since a minute before `at` (`findOwnPost`), or `gone` (cancelled elsewhere,
   * or dropped by Mastodon: its reply target deleted). Within a minute after `at`, neither found
   * throws transient: Mastodon may be between deleting it and posting it.
   */
  private async scheduledState(
    id: string,
    request: PublishRequest,
    at: number,
  ): Promise<{ state: 'scheduled'; at: string } | { state: 'published'; post: Post } | { state: 'gone' }> {
    try {
      const { data } = await this.request('scheduled', () => this.client.v1.scheduledStatuses.$select(id).fetch.$raw());
      const scheduled = this.scheduledPost(data);
      if (!scheduled)
        throw new ColonnadeError('invalid', `${this.host} answered a scheduled post Colonnade cannot read.`);
      return { state: 'scheduled', at: scheduled.at };
    } catch (err) {
      if (!(err instanceof ColonnadeError) || err.code !== 'not-found') throw err;
    }
    const info = await this.instance();
    const quoteLinked = Boolean(request.quoteOf) && info.apiVersion < QUOTES_API_VERSION;
    const post = await this.findOwnPost(request, at - CLOCK_SKEW_MS, quoteLinked);
    if (post) return { state: 'published', post };
    const now = this.ctx.clock.now();
    if (now >= at - CLOCK_SKEW_MS && now < at + PUBLISHING_MS) {
      throw new ColonnadeError('transient', `${this.host} is publishing that scheduled post; ask again in a minute.`);
    }
    return { state: 'gone' };
  }

  /**
   * The pace of one column on its own: every 30 s. The monitor engine shares the account's
   * windows among all its columns (src/main/core/monitors), which slows this down as needed.
   */
  pollIntervalMs(kind: ColumnKind): number {
    void kind;
    return 30_000;
  }

  rateLimit(): RateLimitState | null {
    return this.lastRateLimit ? { ...this.lastRateLimit } : null;
  }

  /**
   * Mastodon's windows (config/initializers/rack_attack.rb): every request draws from 300 per 5
   * minutes per access token (`throttle_per_token_api`); paging requests, which timeline polls
   * are, also from 300 per 15 minutes per user (`throttle_authenticated_paging`), the tighter.
   * Responses report them through `AdapterContext.onRateWindow` under the same bucket names.
   */
  rateBucket(of: ColumnKind | 'metrics'): RateBucket {
    // Count refreshes ask by ids (no paging): the account window, 20 ids a request
    // (`check_statuses_limit`, app/controllers/api/v1/statuses_controller.rb). Timelines page.
    if (of === 'metrics')
      return {
        bucket: RATE_BUCKET,
        limit: DEFAULT_BUDGET.requests,
        windowMs: DEFAULT_BUDGET.windowMs,
        idsPerRequest: 20,
      };
    // A page counts against the paging window and the per-token window alike.
    return {
      bucket: PAGING_BUCKET,
      limit: PAGING_BUDGET.requests,
      windowMs: PAGING_BUDGET.windowMs,
      also: [{ bucket: RATE_BUCKET, limit: DEFAULT_BUDGET.requests, windowMs: DEFAULT_BUDGET.windowMs }],
    };
  }

  // ---- streaming ----------------------------------------------------------------------------

  /**
   * A hashtag column live, over the instance's streaming WebSocket: `GET /api/v1/streaming?stream=
   * hashtag&tag=…` at the URL /api/v2/instance publishes (`configuration.urls.streaming`), the
   * token in the Authorization header (Mastodon's streaming server reads it there, or from
   * `access_token` / Sec-WebSocket-Protocol: streaming/index.js `accountFromRequest`). Messages are
   * `{stream, event, payload}`, the payload of `update` a Status as a JSON string, of `delete` a
   * status id (streaming/index.js `streamToWs`). An `update` becomes entries exactly as the tag
   * timeline's statuses do (same normalizer, 'public' filter context); a `delete` goes to
   * `sink.deleted` as a global post id. The first close, error, refusal (`{error}` message) or an
   * opening that takes longer than the request deadline calls `sink.down` once with a
   * ColonnadeError (transient, reason `connection-broken` or `timeout`) and ends the stream:
   * nothing reconnects here, so a drop is never hidden; the caller catches up and may open it
   * again. `close()` ends it without calling `down`.
   *
   * Answers null for any kind but 'hashtag', an empty hashtag, or an instance known to publish no
   * streaming URL. Before the instance is known, it is asked first; if it then turns out to have
   * no streaming, `down` says so (not-found, reason `stream-unavailable`) and later calls answer null.
   * Node's built-in WebSocket (undici, Node 22+, as in Electron's main process) is used rather than
   * masto's streaming client, which reconnects by itself after any close.
   */
  stream(req: Pick<TimelineRequest, 'kind' | 'query'>, sink: StreamSink): LiveStream | null {
    if (req.kind !== 'hashtag') return null;
    const tag = (req.query ?? '').trim().replace(/^#+/, '');
    if (!tag) return null;
    if (this.knownInstance && !this.knownInstance.streamingUrl) return null;

    let socket: WebSocket | undefined;
    let ended = false;
    let openTimer: ReturnType<typeof setTimeout> | undefined;
    const end = () => {
      ended = true;
      if (openTimer) clearTimeout(openTimer);
      if (socket && socket.readyState !== WebSocket.CLOSED) socket.close();
    };
    const down = (error: ColonnadeError) => {
      if (ended) return;
      end();
      this.ctx.log.warn('Mastodon stream down', { instance: this.host, tag, code: error.code, reason: error.reason });
      sink.down(error);
    };
    const broken = (detail?: string) =>
      new ColonnadeError('transient', `The live stream from ${this.host} stopped.`, {
        reason: 'connection-broken',
        params: { server: this.host },
        ...(detail ? { detail } : {}),
      });

    const onMessage = (data: unknown, domain: string, viewerId: string | undefined) => {
      let message: z.infer<typeof StreamMessage>;
      try {
        message = StreamMessage.parse(JSON.parse(String(data)));
      } catch {
        this.ctx.log.warn('Mastodon stream sent a message Colonnade cannot read', { instance: this.host, tag });
        return;
      }
      if (message.error) {
        down(broken(message.error));
        return;
      }
      if (message.event === 'delete') {
        if (typeof message.payload === 'string' && message.payload)
          sink.deleted?.(globalPostId(message.payload, domain));
        return;
      }
      if (message.event !== 'update') return;
      let status: unknown;
      try {
        // Plain Mastodon JSON here, not masto's: camelCase it as masto does for the timelines.
        status = camelKeys(typeof message.payload === 'string' ? JSON.parse(message.payload) : message.payload);
      } catch {
        status = undefined;
      }
      const read = statusEntries([status], this.normalizeContext(domain, 'hashtag', viewerId));
      this.noteUnreadable('hashtag stream', read);
      for (const entry of read.items) sink.entry(entry);
    };

    const open = async () => {
      let info: InstanceInfo;
      let viewerId: string | undefined;
      try {
        info = await this.instance();
        viewerId = await this.viewer();
      } catch (err) {
        down(toColonnadeError(err, this.host));
        return;
      }
      if (ended) return;
      if (!info.streamingUrl) {
        down(
          new ColonnadeError('not-found', `${this.host} offers no live stream.`, {
            reason: 'stream-unavailable',
            params: { server: this.host },
          }),
        );
        return;
      }
      let url: URL;
      try {
        url = new URL('/api/v1/streaming', info.streamingUrl);
        if (url.protocol === 'https:') url.protocol = 'wss:';
        if (url.protocol === 'http:') url.protocol = 'ws:';
        url.searchParams.set('stream', 'hashtag');
        url.searchParams.set('tag', tag);
        socket = new WebSocket(url, {
          headers: { Authorization: `Bearer ${this.credentials.accessToken}` },
        });
      } catch (err) {
        down(toColonnadeError(err, this.host));
        return;
      }
      openTimer = setTimeout(
        () =>
          down(
            new ColonnadeError('transient', `${this.host} took too long to open the live stream.`, {
              reason: 'timeout',
              params: { server: this.host },
            }),
          ),
        this.deadlineMs,
      );
      socket.addEventListener('open', () => {
        if (openTimer) clearTimeout(openTimer);
        openTimer = undefined;
      });
      socket.addEventListener('message', (event) => {
        if (!ended) onMessage(event.data, info.domain, viewerId);
      });
      socket.addEventListener('error', () => down(broken()));
      socket.addEventListener('close', (event) => down(broken(event.reason || `closed (${event.code})`)));
    };
    void open();
    return { close: end };
  }
}

export function createMastodonAdapter(
  credentials: MastodonCredentials,
  ctx: AdapterContext,
  options: MastodonAdapterOptions = {},
): MastodonAdapter {
  const parsed = MastodonCredentialsSchema.safeParse(credentials);
  if (!parsed.success)
    throw new ColonnadeError('invalid', 'The saved Mastodon sign-in is incomplete. Reconnect the account.');
  return new MastodonAdapter(parsed.data, ctx, options);
}
