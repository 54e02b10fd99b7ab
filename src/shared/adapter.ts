// The one interface every network implements (Sandbox first; X, Bluesky, Mastodon next).
// Adapters run in main only: they hold tokens and talk to servers. Every failure they throw is a
// ColonnadeError of the shared taxonomy (errors.ts), never a library's own error.
import type {
  ColumnKind,
  Cursor,
  Metrics,
  Page,
  Post,
  Profile,
  ProfileDetails,
  ThreadView,
  TimelineEntry,
} from './model';
import type { MediaRules } from './media-rules';
import type { MetricValues } from './analytics';

export interface TimelineRequest {
  kind: ColumnKind;
  /** Hashtag (without '#'), keywords, handle (without '@') or list id, for the kinds that need one. */
  query?: string | undefined;
  /** Continue from this cursor; absent for the newest page. */
  cursor?: Cursor | null | undefined;
  /**
   * 'older' pages backwards through history. 'newer' asks what arrived since `cursor` (a page's
   * `newer`), newest first, one page at a time: when more arrived than a page holds, the page's
   * `between` reads the next page down, still only entries newer than the first cursor, until a
   * page answers `between: null` (it reached the cursor). Nothing already held is read again
   * where the network can avoid it (X `since_id` with `next_token`, Mastodon `since_id` with the
   * Link header's `max_id`); Bluesky, which has no "since", pages back until a known entry.
   */
  direction: 'older' | 'newer';
  limit: number;
}

/** Every request an adapter makes gives up after this long (a server that accepts and never answers). */
export const REQUEST_DEADLINE_MS = 30_000;

/**
 * One rate-limit window as the network's response headers state it (X `x-rate-limit-*`,
 * Mastodon `X-RateLimit-*`, Bluesky `ratelimit-*`). `bucket` names what the window covers:
 * an endpoint family on X (`search`, `timeline`, `lookup`…), the whole account on Mastodon
 * (`account`), and so on, as `NetworkAdapter.rateBucket` answers it.
 */
export interface RateWindow {
  bucket: string;
  limit: number;
  remaining: number;
  /** ISO instant when `remaining` is back to `limit`. */
  resetAt: string;
}

/** A rate-limit bucket and the window the network publishes for it. */
export interface RateBucket {
  bucket: string;
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
  /** For 'metrics': how many post ids one request carries (X 100, Bluesky 25…); 20 if absent. */
  idsPerRequest?: number;
  /**
   * Other windows the same request also draws from (a Mastodon timeline page counts against the
   * paging window AND the per-token window): a request goes only when every one of them allows it.
   */
  also?: Array<{ bucket: string; limit: number; windowMs: number }>;
}

/** What a live stream (Mastodon's hashtag streaming) hands over while it is open. */
export interface StreamSink {
  /** A new entry, as `readTimeline` would have answered it. */
  entry(entry: TimelineEntry): void;
  /** A post the network says was deleted. */
  deleted?(postId: string): void;
  /** The stream closed or failed; the caller catches up by polling and may open it again. */
  down(error: unknown): void;
}

export interface LiveStream {
  close(): void;
}

export interface TextRules {
  /**
   * How the network counts: X weights characters (twitter-text), Bluesky counts graphemes,
   * Mastodon counts the graphemes of its "countable text" (status_length_validator.rb).
   */
  counting: 'weighted' | 'graphemes' | 'characters';
  maxLength: number;
  /** A second limit in bytes of UTF-8, where the network has one (Bluesky: 3,000). */
  maxBytes?: number | undefined;
  /**
   * What one link counts, where the network counts links at a fixed length other than the
   * default (Mastodon: `configuration.statuses.characters_reserved_per_url`, 23 if absent).
   */
  urlLength?: number | undefined;
  maxImages: number;
  /** Longest alt text an image may carry. */
  maxAltLength: number;
}

export interface RateLimitState {
  limit: number;
  remaining: number;
  resetAt: string;
}

/** A list, custom feed or other named source the column picker offers for the 'list' kind. */
export interface ListInfo {
  /** What goes into the column's query. */
  id: string;
  name: string;
  /** 'feed' for Bluesky custom feeds; 'list' otherwise. */
  kind: 'list' | 'feed';
}

export type PostAction = 'like' | 'unlike' | 'repost' | 'unrepost' | 'delete';

export interface MediaUpload {
  data: Uint8Array;
  mimeType: string;
  alt: string;
  /** Pixels, as the composer read them (a video's aspect ratio on Bluesky). */
  width?: number | undefined;
  height?: number | undefined;
  /** A video's (or GIF's) length in seconds and frame rate, as the composer read them. */
  durationSec?: number | undefined;
  frameRate?: number | undefined;
  /** A GIF as a looping MP4 (MediaRef.asVideo), for networks that play GIFs only as videos (Bluesky). */
  asVideo?: Uint8Array | undefined;
}

/**
 * How far a post's media upload is: `sent` of `total` bytes (every medium of the post together),
 * then `processing` while the network prepares a video before the post can carry it.
 */
export interface UploadProgress {
  sent: number;
  total: number;
  processing?: boolean;
}

export interface PublishRequest {
  text: string;
  media?: MediaUpload[] | undefined;
  /** Post id (global, `${network}:${nativeId}`) this one replies to; a thread is a chain of replies. */
  replyTo?: string | undefined;
  /** Post id this one quotes. */
  quoteOf?: string | undefined;
  /**
   * Chosen once per post before the first attempt and reused on every retry, so a retry cannot
   * post twice (Bluesky record key, Mastodon Idempotency-Key; X has none: the adapter looks first).
   */
  idempotencyKey: string;
  /**
   * When an earlier attempt with this key began (ms since epoch) whose outcome is unknown (the app
   * was killed mid-send, the answer was lost). Where the key alone cannot prevent a second post
   * (X has no idempotency key; Mastodon keeps a key for one hour), the adapter looks for the post
   * among the profile's own posts since then before sending again.
   */
  uncertainSince?: number | undefined;
  /** Told as the media upload goes (bytes sent, then processing); never for a post without media. */
  onProgress?: ((progress: UploadProgress) => void) | undefined;
}

/** A post the network will publish by itself at a set time (Mastodon scheduled statuses). */
export interface ServerScheduledPost {
  /** The server's id of the scheduled post. */
  id: string;
  /** When the server will publish it (ISO instant). */
  at: string;
}

/**
 * Scheduling on the server, where the network offers it (Mastodon `POST /api/v1/statuses` with
 * `scheduled_at`, and `/api/v1/scheduled_statuses`): the post goes out with Colonnade closed.
 */
export interface ServerScheduling {
  /** The earliest the server accepts, in milliseconds ahead of now (Mastodon: 5 minutes). */
  readonly minimumLeadMs: number;
  /**
   * Hands one post to the server for `at` (ms since epoch). The idempotency key makes a retry
   * answer the same scheduled post. Throws invalid (reason `server-schedule-limit`) when the
   * server's limits (pending total, per day) are reached, and the network's refusals otherwise.
   */
  schedule(request: PublishRequest, at: number): Promise<ServerScheduledPost>;
  /** Moves a scheduled post to another time. Throws not-found when the server no longer has it. */
  reschedule(id: string, at: number): Promise<ServerScheduledPost>;
  /** Cancels a scheduled post; one the server no longer has is not an error. */
  cancel(id: string): Promise<void>;
  /**
   * What became of a scheduled post: still `scheduled` (at its time), `published` (the post,
   * found among the profile's own posts), or `gone` (neither: cancelled elsewhere).
   */
  status(
    id: string,
    request: PublishRequest,
    at: number,
  ): Promise<{ state: 'scheduled'; at: string } | { state: 'published'; post: Post } | { state: 'gone' }>;
}

/** What one `refreshMetrics` learnt about posts shown before. */
/** One of the account's own posts whose counts the analytics ask for. */
export interface OwnPostRef {
  /** `Post.id`: `${network}:${nativeId}`. */
  id: string;
  /** When it was posted (ms since the epoch): X serves owner-only metrics for 30 days only. */
  createdAt: number;
}

/** What one `ownMetrics` learnt. */
export interface OwnMetrics {
  /** Counts by post id; null where a count is not known for that post now. Unanswered ids are left out. */
  values: Map<string, MetricValues>;
  /** Ids the network says are gone (deleted, taken down), as `MetricsRefresh.gone`. */
  gone: string[];
}

export interface MetricsRefresh {
  /** Current counts by post id; a post the network did not answer about is left out. */
  metrics: Map<string, Metrics>;
  /**
   * Post ids the network says no longer exist or are no longer available (deleted, taken down,
   * their author's account gone or suspended): they leave every column. Not a post the network
   * says it only withholds from this viewer (a Bluesky block, an X protected author), nor one
   * whose answer could not be read. Each adapter's `refreshMetrics` says how its network tells
   * them apart (Mastodon does not: it answers 404 alike on purpose).
   */
  gone: string[];
}

export interface NetworkAdapter {
  readonly network: Post['network'];
  /** The profile behind the credentials; throws auth-expired when they no longer work. */
  verify(): Promise<Profile>;
  /** Column kinds this account can show, in the order the picker lists them. */
  columnKinds(): ColumnKind[];
  textRules(): TextRules;
  /**
   * What media a post may carry on this account (media-rules.ts): the network's published
   * limits, a Mastodon instance's once known (`loadTextRules` fetches them), and which kinds
   * the adapter can send. Absent: the account carries none to the composer.
   */
  mediaRules?(): MediaRules;
  /**
   * Fetches the limits the server publishes when they are not known yet (a Mastodon instance's
   * `/api/v2/instance`, else `/api/v1/instance`); `textRules()` answers them afterwards.
   */
  loadTextRules?(): Promise<TextRules>;
  /**
   * A page of a timeline as the network orders it (newest entry first): reposts and
   * notifications are entries of their own time. An item that cannot be read is left out,
   * logged with its id, and counted in `skipped`; it never fails the page.
   */
  readTimeline(req: TimelineRequest): Promise<Page<TimelineEntry>>;
  /**
   * Current counts for posts this adapter returned before, and which of them the network says
   * are gone, from the same requests. Ids of other networks or accounts are left out of both.
   */
  refreshMetrics(postIds: readonly string[]): Promise<MetricsRefresh>;
  /**
   * Counts of the account's own posts for the analytics archive (issue 9), as many as the network
   * gives its owner, batched as it allows (X 100 ids a request, Bluesky 25, Mastodon 20): X adds
   * bookmarks and, for posts under 30 days old, the owner-only link and profile clicks
   * (`non_public_metrics`); Bluesky bookmarks; Mastodon quotes from 4.5. Ids of other networks
   * or accounts are left out. Absent: the collector uses `refreshMetrics`. Throws the network's
   * refusal in the taxonomy (rate-limited with its reset, auth-expired…).
   */
  ownMetrics?(posts: readonly OwnPostRef[]): Promise<OwnMetrics>;
  /**
   * A post in its conversation (the side panel): what it replies to and its replies, as the
   * network shows them to this account. Throws not-found (reason `post-gone`) for a post that is
   * gone, and the network's refusal in the taxonomy otherwise.
   */
  thread(postId: string): Promise<ThreadView>;
  /** A profile's page (the side panel); `handle` without '@'. Throws not-found for an unknown one. */
  profile(handle: string): Promise<ProfileDetails>;
  /** Lists (and custom feeds) this account can open as columns. */
  lists(): Promise<ListInfo[]>;
  act(postId: string, action: PostAction): Promise<void>;
  /** Publishes one post and answers it as the network now shows it. */
  publish(request: PublishRequest): Promise<Post>;
  /** Scheduling on the server, where the network has it (Mastodon); absent elsewhere. */
  readonly serverScheduling?: ServerScheduling | undefined;
  /** Minimum pause between two polls of one column, in milliseconds. */
  pollIntervalMs(kind: ColumnKind): number;
  /** The most constraining rate-limit window seen in the last response, if the network reports one. */
  rateLimit(): RateLimitState | null;
  /**
   * Which rate-limit bucket a read of this kind (or a `refreshMetrics`) draws from, with the same
   * names the adapter reports in `AdapterContext.onRateWindow`; reads of one bucket share one
   * budget. `defaults` is the window the network publishes for it, used until a response says.
   */
  rateBucket(of: ColumnKind | 'metrics'): RateBucket;
  /**
   * Opens a live stream of a timeline where the network offers one (Mastodon's hashtag streaming),
   * or answers null. The caller keeps polling (slowly) beside it and catches up when it drops.
   */
  stream?(req: Pick<TimelineRequest, 'kind' | 'query'>, sink: StreamSink): LiveStream | null;
}
