// Bluesky as a network adapter, on @atproto/api. Reads go to the account's PDS, which proxies
// every app.bsky.* call to its AppView (api.bsky.app for Bluesky's PDSes), as the official app
// does; writes are records in the account's repository.
import {
  AppBskyFeedDefs,
  RichText,
  type AppBskyActorDefs,
  lexicons,
  type Agent,
  type AppBskyEmbedImages,
  type AppBskyEmbedVideo,
  type AppBskyFeedPost,
  type $Typed,
  type BlobRef,
  type AppBskyNotificationListNotifications,
  type AppBskyRichtextFacet,
  type ComAtprotoRepoStrongRef,
  type ModerationOpts,
} from '@atproto/api';
import {
  REQUEST_DEADLINE_MS,
  type ListInfo,
  type MetricsRefresh,
  type NetworkAdapter,
  type OwnMetrics,
  type OwnPostRef,
  type PostAction,
  type PublishRequest,
  type RateLimitState,
  type TextRules,
  type TimelineRequest,
} from '../../../shared/adapter';
import { ColonnadeError } from '../../../shared/errors';
import { BLUESKY_MEDIA_RULES, firstMediaRefusal, mediaKind, type MediaRules } from '../../../shared/media-rules';
import { exceededLimit, measureText, tooLongParams } from '../../../shared/text-length';
import type {
  ColumnKind,
  Metrics,
  NotificationKind,
  Page,
  Post,
  Profile,
  ProfileDetails,
  ThreadView,
  TimelineEntry,
} from '../../../shared/model';
import type { AdapterContext as NetworkAdapterContext } from '../module';
import type { BlueskyCredentials } from './credentials';
import { decodeCursor, encodeCursor, keyDigest, markNames, type CursorState, type NewerMark } from './cursor';
import { isAuthFailure, isInvalidResponse, type ErrorContext } from './errors';
import { REQUESTS_BUCKET, rateWindowOf } from './http';
import { imageSize } from './image-size';
import { bytesSent, countedBody, stallDeadline, UploadMeter } from '../upload-progress';
import {
  NETWORK,
  UnreadableItem,
  entitiesFromFacets,
  metricsOf,
  parseAtUri,
  postIdOf,
  postOf,
  profileDetailsOf,
  profileOf,
  recordFields,
  sortTimeOf,
  uriOfPostId,
  nativeIdOf,
  webUrlOf,
} from './normalize';
import { AccountSession } from './session';
import { threadOf } from './thread';
import { tidFromKey } from './tid';

/** What the app gives the adapter (see networks/module.ts). */
export type AdapterContext = NetworkAdapterContext<BlueskyCredentials>;

export interface BlueskyAdapterOptions {
  /** The fetch underneath every request (tests answer with it); default the global one. */
  fetch?: typeof globalThis.fetch;
  /** How long one request may take, in ms (default REQUEST_DEADLINE_MS, 30 s; tests shorten it). */
  deadlineMs?: number;
}

const COLUMN_KINDS: ColumnKind[] = ['home', 'mentions', 'notifications', 'hashtag', 'search', 'user', 'list'];
/**
 * Lexicon app.bsky.feed.post: `text` maxGraphemes 300 AND maxLength 3000 (bytes of UTF-8: the
 * lexicon's string maxLength counts UTF-8 bytes); embed.images: 4 images of at most 2 MB
 * (image maxSize 2000000); alt text has no grapheme limit in the lexicon, 2000 is what the app allows.
 */
const RULES: TextRules = { counting: 'graphemes', maxLength: 300, maxBytes: 3000, maxImages: 4, maxAltLength: 2000 };
const MAX_IMAGE_BYTES = 2_000_000;
const MAX_PAGE = 100;
const GET_POSTS_BATCH = 25;
/** Lexicon app.bsky.actor.getProfiles: `actors` maxLength 25. */
const GET_PROFILES_BATCH = 25;
/** Entries a time-ordered timeline's 'newer' mark names: the top of its newest page (cursor.ts NewerMark). */
const NEWER_KEYS = 10;
/** Entries a custom feed's 'newer' mark names: its whole first page. */
const FEED_KEYS = MAX_PAGE;
/** Pages a 'newer' read of a custom feed goes down at most, looking for an entry it knew. */
const FEED_NEWER_PAGES = 3;
/**
 * A timeline empty when read marks a floor this long before the read: anything found above it
 * later is new (nothing was there), so the floor only bounds how far a read pages down, and a
 * day's margin covers a computer clock that disagrees with the server's.
 */
const EMPTY_MARK_MS = 24 * 3_600_000;
const POST = 'app.bsky.feed.post';
const MENTION_REASONS = ['mention', 'reply', 'quote'];
/** Notifications about a record of the viewer's (the like's or repost's `subject`), grouped by it. */
const SUBJECT_REASONS = new Set(['like', 'repost', 'like-via-repost', 'repost-via-repost']);
/** How long the viewer's moderation preferences are trusted before being read again. */
const MODERATION_TTL_MS = 10 * 60_000;

/**
 * One timeline entry before paging: what it shows, when it arrived, a key unique in its feed,
 * and for notifications about one post the group it merges into (`like:<postId>`).
 */
type Entry = TimelineEntry & { group?: string };

interface RawPage {
  entries: Entry[];
  cursor: string | undefined;
  /** Items left out because they could not be read (logged with their URIs). */
  skipped: number;
  /** How many items the server's answer held (some may be left out by the viewer's moderation). */
  served: number;
}

const segmenter = new Intl.Segmenter();
const graphemes = (s: string) => [...segmenter.segment(s)].length;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Validates an answer's list item by item (lexicon `def`), keeping the readable ones. */
interface ItemList<T> {
  items: T[];
  cursor: string | undefined;
  skipped: number;
}

const NOTIFICATION_KINDS: Record<string, NotificationKind> = {
  like: 'like',
  repost: 'repost',
  follow: 'follow',
  mention: 'mention',
  reply: 'reply',
  quote: 'quote',
};

/** What became of a post `getPosts` left out (see `whyMissing`). */
type MissingPost = { kind: 'gone' | 'unsure' } | { kind: 'blocked-by' | 'blocking'; handle: string };

/**
 * How long a verdict of `whyMissing` holds (ms): a post hidden by a block stays in its column's
 * recent window, and every metrics poll would otherwise look its author up again.
 */
const MISSING_VERDICT_MS = 30 * 60_000;
/**
 * Levels of replies and of parents getPostThread is asked for (lexicon app.bsky.feed.getPostThread:
 * `depth` default 6, `parentHeight` default 80, both at most 1,000; the AppView may serve fewer
 * levels, cfg `maxThreadDepth`). Replies deeper down are counted in the thread's `more`.
 */
const THREAD_DEPTH = 10;
const THREAD_PARENT_HEIGHT = 80;

export class BlueskyAdapter implements NetworkAdapter {
  readonly network = NETWORK;
  private readonly account: AccountSession;
  private lastRateLimit: RateLimitState | null = null;
  /** The account's own profile, once verified. */
  private ownProfile: Profile | null = null;
  /** Like/repost records this adapter made, by post URI, until the AppView shows them. */
  private readonly myLikes = new Map<string, string>();
  private readonly myReposts = new Map<string, string>();
  private moderation: { opts: ModerationOpts; at: number } | null = null;
  /** `whyMissing` verdicts by post URI, with when they were reached (ms), for `MISSING_VERDICT_MS`. */
  private readonly missingVerdicts = new Map<string, { verdict: MissingPost; at: number }>();
  private moderationLoading: Promise<ModerationOpts> | null = null;

  constructor(
    credentials: BlueskyCredentials,
    private readonly ctx: AdapterContext,
    options: BlueskyAdapterOptions = {},
  ) {
    this.account = new AccountSession({
      credentials,
      clock: ctx.clock,
      log: ctx.log,
      save: (next) => ctx.saveCredentials(next),
      onResponse: (headers, url) => this.noteRateLimit(headers, url),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
    });
  }

  /** Every answer's `ratelimit-*` window (http.ts), kept for `rateLimit()` and told to the app. */
  private noteRateLimit(headers: Headers, url: string): void {
    const window = rateWindowOf(headers, url, this.ctx.clock.now());
    if (!window) return;
    this.lastRateLimit = { limit: window.limit, remaining: window.remaining, resetAt: window.resetAt };
    try {
      this.ctx.onRateWindow?.(window);
    } catch (err) {
      this.ctx.log.warn('bluesky: the rate window listener failed', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  private call<T>(fn: (agent: Agent) => Promise<T>, context?: ErrorContext): Promise<T> {
    return this.account.call(fn, context);
  }

  // ---- account ---------------------------------------------------------------------------------

  /**
   * The signed-in account's profile (app.bsky.actor.getProfile on the AppView). An account the
   * AppView has not indexed yet (just created, or its PDS newly federated) answers
   * InvalidRequest "Profile not found"; it is then read from its own repository on the PDS
   * (com.atproto.repo.describeRepo for the handle, the `app.bsky.actor.profile/self` record for
   * the display name), so a new account connects instead of being called unknown.
   */
  async verify(): Promise<Profile> {
    try {
      const res = await this.call((agent) => agent.app.bsky.actor.getProfile({ actor: this.account.did }));
      this.ownProfile = profileOf(res.data);
    } catch (err) {
      if (!(err instanceof ColonnadeError) || err.code !== 'not-found') throw err;
      const did = this.account.did;
      const repo = await this.call((agent) => agent.com.atproto.repo.describeRepo({ repo: did }));
      const record = await this.call((agent) =>
        agent.com.atproto.repo.getRecord({ repo: did, collection: 'app.bsky.actor.profile', rkey: 'self' }),
      ).catch(() => null);
      const value = record?.data.value as { displayName?: unknown } | undefined;
      const displayName = typeof value?.displayName === 'string' ? value.displayName : undefined;
      this.ctx.log.info('bluesky: the AppView has no profile for this account yet; read from its PDS', { did });
      this.ownProfile = profileOf({ did, handle: repo.data.handle, ...(displayName ? { displayName } : {}) });
    }
    return this.ownProfile;
  }

  columnKinds(): ColumnKind[] {
    return [...COLUMN_KINDS];
  }

  /** Graphemes (300) and bytes of UTF-8 (3,000), both binding (lexicon app.bsky.feed.post). */
  textRules(): TextRules {
    return { ...RULES };
  }

  /** Lexicons app.bsky.embed.images and app.bsky.embed.video (media-rules.ts); images only are sent. */
  mediaRules(): MediaRules {
    return BLUESKY_MEDIA_RULES;
  }

  pollIntervalMs(kind: ColumnKind): number {
    // Bluesky's PDS allows 3,000 requests per 5 minutes per IP (http.ts); a deck of 20 columns
    // polling at these pauses makes about 300.
    return kind === 'home' || kind === 'mentions' || kind === 'notifications' ? 15_000 : 30_000;
  }

  rateLimit(): RateLimitState | null {
    return this.lastRateLimit;
  }

  /**
   * Every read, whatever the column kind, and every count refresh draws from one budget: the
   * PDS's 3,000 requests per 5 minutes, per IP (bsky-docs rate-limits.md; @atproto/pds
   * rate-limits.js `global-ip`), reported as bucket `requests`. Writes and sign-ins have windows
   * of their own (`writes`, `sign-in`: http.ts), reported when a response states them.
   */
  rateBucket(_of: ColumnKind | 'metrics'): { bucket: string; limit: number; windowMs: number } {
    return { ...REQUESTS_BUCKET };
  }

  // ---- moderation ------------------------------------------------------------------------------

  /**
   * The viewer's moderation options for @atproto/api's moderatePost: preferences
   * (app.bsky.actor.getPreferences: adult content, label settings, subscribed labellers, muted
   * words, hidden posts) and the labellers' own label definitions. The agent is told which
   * labellers to ask labels of (`atproto-accept-labelers`), as the official app does. Read again
   * every 10 minutes; a labeller whose definitions cannot be read is ignored, not fatal.
   */
  private async moderationOpts(): Promise<ModerationOpts> {
    const now = this.ctx.clock.now();
    if (this.moderation && now - this.moderation.at < MODERATION_TTL_MS) return this.moderation.opts;
    this.moderationLoading ??= (async () => {
      const prefs = await this.call((agent) => agent.getPreferences());
      const agent = this.account.agent;
      const appLabelers = new Set<string>(agent.appLabelers);
      agent.configureLabelers(
        prefs.moderationPrefs.labelers
          .map((l) => l.did)
          .filter((did) => !appLabelers.has(did)) as `did:${string}:${string}`[],
      );
      const labelDefs = await this.call((a) => a.getLabelDefinitions(prefs)).catch((err: unknown) => {
        if (err instanceof ColonnadeError && err.code === 'auth-expired') throw err;
        this.ctx.log.warn('bluesky: labeller definitions could not be read', {
          error: err instanceof Error ? err.message : String(err),
        });
        return {};
      });
      const opts: ModerationOpts = { userDid: this.account.did, prefs: prefs.moderationPrefs, labelDefs };
      this.moderation = { opts, at: this.ctx.clock.now() };
      return opts;
    })().finally(() => {
      this.moderationLoading = null;
    });
    return this.moderationLoading;
  }

  // ---- reading ---------------------------------------------------------------------------------

  /**
   * Runs a list call and answers its items. When the answer as a whole fails the lexicon
   * (@atproto/xrpc validates every answer; one post without an author fails the page), reads it
   * again item by item against the lexicon definition `def`, leaving out and logging the bad ones.
   */
  private async items<T>(
    fetch: (agent: Agent) => Promise<{ data: object }>,
    key: string,
    def: string,
    context?: ErrorContext,
  ): Promise<ItemList<T>> {
    return this.call(async (agent) => {
      try {
        const data = (await fetch(agent)).data as { cursor?: string } & Record<string, unknown>;
        return { items: data[key] as T[], cursor: data.cursor, skipped: 0 };
      } catch (err) {
        if (!isInvalidResponse(err)) throw err;
        const body = err.responseBody as Record<string, unknown> | null;
        const list = body && typeof body === 'object' ? body[key] : undefined;
        const cursor = body?.cursor;
        if (!Array.isArray(list) || (cursor !== undefined && typeof cursor !== 'string')) throw err;
        const items: T[] = [];
        let skipped = 0;
        for (const item of list) {
          const valid = lexicons.validate(def, item);
          if (valid.success) {
            items.push(item as T);
          } else {
            skipped++;
            this.ctx.log.warn('bluesky: left out an item that does not match its lexicon', {
              uri: uriIn(item),
              problem: valid.error.message,
            });
          }
        }
        return { items, cursor, skipped };
      }
    }, context);
  }

  /** Reads one item; an unreadable one is logged with its URI and counted, never thrown. */
  private readOne<T>(uri: string, read: () => T, counter: { skipped: number }): T | undefined {
    try {
      return read();
    } catch (err) {
      if (!(err instanceof UnreadableItem)) throw err;
      counter.skipped++;
      this.ctx.log.warn('bluesky: left out a post Colonnade cannot read', {
        uri: err.uri || uri,
        problem: err.message,
      });
      return undefined;
    }
  }

  /** Feed items (timeline, author feed, list, custom feed) as entries: a repost is an entry of its own time. */
  private async feedPage(
    fetch: (agent: Agent) => Promise<{ data: object }>,
    kind: ColumnKind,
    context?: ErrorContext,
  ): Promise<RawPage> {
    const [list, opts] = await Promise.all([
      this.items<AppBskyFeedDefs.FeedViewPost>(fetch, 'feed', 'app.bsky.feed.defs#feedViewPost', context),
      this.moderationOpts(),
    ]);
    const counter = { skipped: list.skipped };
    const entries: Entry[] = [];
    for (const item of list.items) {
      const uri = uriIn(item);
      const entry = this.readOne(
        uri,
        () => {
          if (!AppBskyFeedDefs.isPostView(item.post) && item.post?.$type !== undefined) {
            throw new UnreadableItem(uri, `feed item is a ${String(item.post?.$type)}, not a post`);
          }
          const post = postOf(item.post, opts, { ignoreMutes: kind === 'user' });
          if (!post) return null;
          const reason = item.reason;
          if (AppBskyFeedDefs.isReasonRepost(reason)) {
            return {
              key: reason.uri ?? `${item.post.uri}#repost-by-${reason.by.did}`,
              at: new Date(reason.indexedAt).toISOString(),
              post,
              repostedBy: profileOf(reason.by),
            } satisfies Entry;
          }
          return { key: post.id, at: sortTimeOf(item.post), post } satisfies Entry;
        },
        counter,
      );
      if (entry) entries.push(entry);
    }
    return { entries, cursor: list.cursor, skipped: counter.skipped, served: list.items.length + list.skipped };
  }

  /** Posts by URI, leaving out those the AppView does not know (deleted) or that fail the lexicon. */
  private async hydrate(
    uris: readonly string[],
  ): Promise<{ views: Map<string, AppBskyFeedDefs.PostView>; skipped: number }> {
    const unique = [...new Set(uris)];
    const views = new Map<string, AppBskyFeedDefs.PostView>();
    let skipped = 0;
    const pages = await Promise.all(
      chunks(unique, GET_POSTS_BATCH).map((batch) =>
        this.items<AppBskyFeedDefs.PostView>(
          (agent) => agent.app.bsky.feed.getPosts({ uris: batch }),
          'posts',
          'app.bsky.feed.defs#postView',
        ),
      ),
    );
    for (const page of pages) {
      skipped += page.skipped;
      for (const view of page.items) views.set(view.uri, view);
    }
    return { views, skipped };
  }

  /**
   * Notifications as entries that say who did what (app.bsky.notification.listNotifications):
   * like / repost → that kind, with the liked post (the like's or repost's `subject`, hydrated with
   * getPosts), grouped by post within the page (`like:<postId>`); follow → follow, no post;
   * mention / reply / quote → that kind, with the notifying post; anything else (like-via-repost,
   * repost-via-repost, starterpack-joined, verified, unverified, subscribed-post, contact-match…)
   * → `other` with the network's `type`, and its post when it has one.
   */
  private async notificationPage(limit: number, cursor: string | undefined, mentionsOnly: boolean): Promise<RawPage> {
    const [list, opts] = await Promise.all([
      this.items<AppBskyNotificationListNotifications.Notification>(
        (agent) =>
          agent.app.bsky.notification.listNotifications({
            limit,
            ...(cursor ? { cursor } : {}),
            ...(mentionsOnly ? { reasons: MENTION_REASONS } : {}),
          }),
        'notifications',
        'app.bsky.notification.listNotifications#notification',
      ),
      this.moderationOpts(),
    ]);
    const counter = { skipped: list.skipped };
    const notifications = list.items.filter((n) => !mentionsOnly || MENTION_REASONS.includes(n.reason));
    const postUri = (n: AppBskyNotificationListNotifications.Notification): string | undefined => {
      if (MENTION_REASONS.includes(n.reason) || n.reason === 'subscribed-post') return n.uri;
      if (SUBJECT_REASONS.has(n.reason)) {
        // The like's or repost's subject is the post (for *-via-repost, reasonSubject is the viewer's repost).
        const subject = (n.record as { subject?: { uri?: unknown } } | undefined)?.subject?.uri;
        const uri = typeof subject === 'string' ? subject : n.reasonSubject;
        return uri && parseAtUri(uri)?.collection === POST ? uri : undefined;
      }
      return undefined;
    };
    const hydrated = await this.hydrate(notifications.map(postUri).filter((u): u is string => Boolean(u)));
    counter.skipped += hydrated.skipped;
    const entries: Entry[] = [];
    for (const n of notifications) {
      const entry = this.readOne(
        n.uri,
        (): Entry | null => {
          const actor = profileOf(n.author);
          const kind = NOTIFICATION_KINDS[n.reason] ?? 'other';
          const notification = {
            kind,
            actors: [actor],
            count: 1,
            ...(kind === 'other' ? { type: n.reason.slice(0, 100) } : {}),
          };
          const at = new Date(n.indexedAt).toISOString();
          const uri = postUri(n);
          if (!uri) {
            if (kind !== 'follow' && kind !== 'other' && SUBJECT_REASONS.has(n.reason)) {
              // A like or repost of something that is not a post (a feed, a list): said as what it is.
              return { key: n.uri, at, post: null, notification: { ...notification, kind: 'other', type: n.reason } };
            }
            return { key: n.uri, at, post: null, notification };
          }
          const view = hydrated.views.get(uri);
          if (!view) return null; // deleted since, or unreadable (counted by hydrate)
          const post = postOf(view, opts);
          if (!post) return null;
          const group = SUBJECT_REASONS.has(n.reason) ? `${n.reason}:${post.id}` : undefined;
          return { key: n.uri, at, post, notification, ...(group ? { group } : {}) };
        },
        counter,
      );
      if (entry) entries.push(entry);
    }
    return { entries, cursor: list.cursor, skipped: counter.skipped, served: list.items.length + list.skipped };
  }

  /**
   * One page of the column's timeline from the server's `cursor` (the newest page without one).
   * `since` (an ISO instant) asks searchPosts for posts sorted at or after it only (lexicon
   * app.bsky.feed.searchPosts `since`, inclusive, by `sortAt`); the other timelines have no such
   * parameter and ignore it.
   */
  private async rawPage(
    req: TimelineRequest,
    limit: number,
    cursor: string | undefined,
    since?: string,
  ): Promise<RawPage> {
    const query = (req.query ?? '').trim();
    const c = cursor ? { cursor } : {};
    switch (req.kind) {
      case 'home':
        return this.feedPage((agent) => agent.app.bsky.feed.getTimeline({ limit, ...c }), req.kind);
      case 'mentions':
        return this.notificationPage(limit, cursor, true);
      case 'notifications':
        return this.notificationPage(limit, cursor, false);
      case 'hashtag':
      case 'search': {
        const q = req.kind === 'hashtag' ? `#${query.replace(/^#+/, '')}` : query;
        if (q.replace(/^#/, '').length === 0)
          throw new ColonnadeError('invalid', 'This column needs a hashtag or words.', {
            reason: 'column-needs-query',
          });
        const [list, opts] = await Promise.all([
          this.items<AppBskyFeedDefs.PostView>(
            (agent) => agent.app.bsky.feed.searchPosts({ q, sort: 'latest', limit, ...c, ...(since ? { since } : {}) }),
            'posts',
            'app.bsky.feed.defs#postView',
          ),
          this.moderationOpts(),
        ]);
        const counter = { skipped: list.skipped };
        const entries: Entry[] = [];
        for (const view of list.items) {
          const post = this.readOne(view.uri, () => postOf(view, opts), counter);
          if (post) entries.push({ key: post.id, at: sortTimeOf(view), post });
        }
        return { entries, cursor: list.cursor, skipped: counter.skipped, served: list.items.length + list.skipped };
      }
      case 'user': {
        const actor = query.replace(/^@+/, '');
        if (!actor)
          throw new ColonnadeError('invalid', 'This column needs a handle.', { reason: 'column-needs-query' });
        return this.feedPage(
          (agent) => agent.app.bsky.feed.getAuthorFeed({ actor, limit, filter: 'posts_with_replies', ...c }),
          req.kind,
          { actor: actor.startsWith('did:') ? actor : `@${actor}` },
        );
      }
      case 'list': {
        const collection = parseAtUri(query)?.collection;
        if (collection === 'app.bsky.graph.list') {
          return this.feedPage((agent) => agent.app.bsky.feed.getListFeed({ list: query, limit, ...c }), req.kind);
        }
        if (collection === 'app.bsky.feed.generator') {
          return this.feedPage((agent) => agent.app.bsky.feed.getFeed({ feed: query, limit, ...c }), req.kind);
        }
        throw new ColonnadeError('not-found', 'That is not a Bluesky list or feed.', { reason: 'list-not-found' });
      }
      case 'scheduled':
      case 'drafts':
      case 'analytics':
      case 'monitor':
        // A monitor column is the app's own merge of monitors; adapters read the kinds it follows.
        throw new ColonnadeError('invalid', 'Scheduled posts, drafts and monitors are not network timelines.');
    }
  }

  /**
   * A page of the column's timeline (see NetworkAdapter.readTimeline). 'older' without a cursor
   * reads the newest page, and its `newer` marks the top of the timeline (cursor.ts NewerMark);
   * with one, it continues back with the server's cursor.
   *
   * 'newer' pages back from the newest page with the server's cursor until it meets what the
   * mark knew, since no Bluesky timeline has a "since": for the time-ordered ones (home, author
   * feed, search sorted `latest`, notifications and mentions, lists), the entries above the
   * mark's floor that it does not name are new, and the read has reached the mark on the page
   * that holds the oldest entry it names or anything sorted below its floor (or at the end of
   * history); until then `between` reads the next page down. Search also passes the floor as
   * `since`, so the server leaves out what is older. Only the first page of such a read answers
   * `newer` (the new top); the pages below answer null.
   *
   * A custom feed (a feed generator's AT-URI in a 'list' column) is ordered as its generator
   * decides, often by rank, not time: there "newer" means entries at its top that it did not
   * have at its top before. Its mark names the whole first page (up to 100 entries); a 'newer'
   * read answers the entries of that page the mark does not name, and goes down (`between`)
   * only while a page holds none of them, for at most 3 pages: a ranked feed re-read to its end
   * would cost the whole budget for entries that are mostly old. Times are not used there.
   */
  async readTimeline(req: TimelineRequest): Promise<Page<TimelineEntry>> {
    const limit = Math.max(1, Math.min(MAX_PAGE, Math.floor(req.limit)));
    const state = req.cursor ? decodeCursor(req.cursor) : null;
    const skipped = (n: number) => (n > 0 ? { skipped: n } : {});

    if (req.direction === 'newer' && state && !('older' in state)) return this.readNewer(req, limit, state);
    if (req.direction === 'newer' && state) {
      throw new ColonnadeError('invalid', 'That page position cannot be used to look for newer posts.');
    }
    if (state && 'between' in state) {
      throw new ColonnadeError('invalid', 'That page position only reads newer posts.');
    }

    const serverCursor = state && 'older' in state ? state.older : undefined;
    const page = await this.rawPage(req, limit, serverCursor);
    // A server cursor that does not move (or an answer with nothing) is the end of history; a page
    // whose items were all left out by the viewer's moderation is not.
    const more = page.cursor && page.cursor !== serverCursor && page.served > 0;
    return {
      items: finish(page.entries),
      older: more && page.cursor ? encodeCursor({ older: page.cursor }) : null,
      newer: serverCursor ? null : encodeCursor({ newerThan: this.markOf(page.entries, isCustomFeed(req)) }),
      ...skipped(page.skipped),
    };
  }

  /** One page of a 'newer' read (see readTimeline): from the newest page, or down a `between`. */
  private async readNewer(
    req: TimelineRequest,
    limit: number,
    state: Exclude<CursorState, { older: string }>,
  ): Promise<Page<TimelineEntry>> {
    const first = 'newerThan' in state;
    const { mark, older, pages } = first ? { mark: state.newerThan, older: undefined, pages: 0 } : state.between;
    const feed = isCustomFeed(req);
    const floor = mark.floor ?? mark.at;
    const page = await this.rawPage(req, limit, older, !feed && floor ? floor : undefined);
    const named = markNames(mark);
    const more = Boolean(page.cursor && page.cursor !== older && page.served > 0);

    let fresh: Entry[];
    let reached: boolean;
    if (feed) {
      fresh = page.entries.filter((e) => !named(e.key));
      reached = fresh.length < page.entries.length || pages + 1 >= FEED_NEWER_PAGES;
    } else if (!floor) {
      // A mark made on an empty page before marks had a floor: no time to page down to.
      fresh = page.entries.filter((e) => !named(e.key));
      reached = true;
    } else {
      const oldest = mark.keys.at(-1);
      const end = page.entries.findIndex(
        (e) => e.at < floor || (oldest !== undefined && (e.key === oldest || keyDigest(e.key) === oldest)),
      );
      reached = end >= 0;
      fresh = (reached ? page.entries.slice(0, end) : page.entries).filter((e) => !named(e.key));
    }
    reached ||= !more;

    let newer: string | null = null;
    if (first) {
      newer = page.entries.length > 0 ? encodeCursor({ newerThan: this.markOf(page.entries, feed) }) : req.cursor!;
    }
    return {
      items: finish(fresh),
      older: null,
      newer,
      between:
        reached || !page.cursor
          ? null
          : encodeCursor({
              between: { older: page.cursor, mark: { ...mark, keys: [...mark.keys] }, pages: pages + 1 },
            }),
      ...(page.skipped > 0 ? { skipped: page.skipped } : {}),
    };
  }

  /**
   * The mark of a newest page (cursor.ts NewerMark): its first entries' keys (10; a custom
   * feed's whole page, up to 100), the newest time among them and the oldest (the floor). An
   * empty page marks a floor a day before the read (EMPTY_MARK_MS).
   */
  private markOf(entries: readonly Entry[], customFeed: boolean): NewerMark {
    const top = entries.slice(0, customFeed ? FEED_KEYS : NEWER_KEYS);
    if (top.length === 0) {
      const at = new Date(this.ctx.clock.now() - EMPTY_MARK_MS).toISOString();
      return { at, keys: [], floor: at };
    }
    const times = top.map((e) => e.at).sort();
    return { at: times.at(-1)!, keys: top.map((e) => keyDigest(e.key)), floor: times[0]! };
  }

  /**
   * Counts from app.bsky.feed.getPosts (25 URIs a request). getPosts leaves a post out without
   * saying why: its record deleted or taken down, its author's account deleted, taken down or
   * deactivated, or a block either way between its author and the viewer (AppView getPosts.ts
   * `noBlocks`, views.post). A block only withholds the post, so the authors of the left-out posts
   * are looked up (app.bsky.actor.getProfiles, 25 a request): a post whose author answers with a
   * block (`viewer.blocking`, `blockedBy`, `blockingByList`) stays; any other left-out post is gone
   * (author present: the record is deleted or taken down; author absent: the account is gone or
   * unavailable). While an answer had an item that could not be read, an absent one might be that
   * item: then only what is known for sure is gone.
   */
  async refreshMetrics(postIds: readonly string[]): Promise<MetricsRefresh> {
    const uris = new Map<string, string>();
    for (const id of postIds) {
      try {
        uris.set(uriOfPostId(id), id);
      } catch {
        // not ours: left out
      }
    }
    const { views, skipped } = await this.hydrate([...uris.keys()]);
    const metrics = new Map<string, Metrics>();
    for (const [uri, view] of views) {
      const id = uris.get(uri);
      if (id) metrics.set(id, metricsOf(view));
    }
    const missing = [...uris.keys()].filter((uri) => !views.has(uri));
    if (missing.length === 0 || skipped > 0) return { metrics, gone: [] };
    const why = await this.whyMissing(missing);
    const gone = missing.flatMap((uri) => (why.get(uri)?.kind === 'gone' ? [uris.get(uri)!] : []));
    return { metrics, gone };
  }

  /**
   * Counts of the account's own posts for the analytics: app.bsky.feed.getPosts (25 URIs a
   * request), with `bookmarkCount` (app.bsky.feed.defs#postView; @atproto/api 0.21). A post
   * getPosts leaves out is gone or withheld as `refreshMetrics` tells them apart. Bluesky has no
   * impressions nor owner-only metrics: those stay null.
   */
  async ownMetrics(posts: readonly OwnPostRef[]): Promise<OwnMetrics> {
    const uris = new Map<string, string>();
    for (const p of posts) {
      try {
        uris.set(uriOfPostId(p.id), p.id);
      } catch {
        // not ours: left out
      }
    }
    const { views, skipped } = await this.hydrate([...uris.keys()]);
    const values: OwnMetrics['values'] = new Map();
    const n = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);
    for (const [uri, view] of views) {
      const id = uris.get(uri);
      if (!id) continue;
      values.set(id, {
        likes: n(view.likeCount),
        reposts: n(view.repostCount),
        replies: n(view.replyCount),
        quotes: n(view.quoteCount),
        bookmarks: n(view.bookmarkCount),
        impressions: null,
        linkClicks: null,
        profileClicks: null,
      });
    }
    const missing = [...uris.keys()].filter((uri) => !views.has(uri));
    if (missing.length === 0 || skipped > 0) return { values, gone: [] };
    const why = await this.whyMissing(missing);
    return { values, gone: missing.flatMap((uri) => (why.get(uri)?.kind === 'gone' ? [uris.get(uri)!] : [])) };
  }

  async lists(): Promise<ListInfo[]> {
    const did = (await this.ready()).did;
    const [own, feeds, prefs] = await Promise.all([
      this.call((agent) => agent.app.bsky.graph.getLists({ actor: did, limit: 100 })),
      this.call((agent) => agent.app.bsky.feed.getActorFeeds({ actor: did, limit: 100 })),
      this.call((agent) => agent.getPreferences()),
    ]);
    const out = new Map<string, ListInfo>();
    for (const list of own.data.lists) {
      if (list.purpose === 'app.bsky.graph.defs#curatelist')
        out.set(list.uri, { id: list.uri, name: list.name, kind: 'list' });
    }
    for (const feed of feeds.data.feeds) out.set(feed.uri, { id: feed.uri, name: feed.displayName, kind: 'feed' });
    const savedFeeds = prefs.savedFeeds.filter((f) => f.type === 'feed' && !out.has(f.value)).map((f) => f.value);
    const savedLists = prefs.savedFeeds.filter((f) => f.type === 'list' && !out.has(f.value)).map((f) => f.value);
    if (savedFeeds.length) {
      const res = await this.call((agent) => agent.app.bsky.feed.getFeedGenerators({ feeds: savedFeeds }));
      for (const feed of res.data.feeds) out.set(feed.uri, { id: feed.uri, name: feed.displayName, kind: 'feed' });
    }
    for (const uri of savedLists) {
      const res = await this.call((agent) => agent.app.bsky.graph.getList({ list: uri, limit: 1 })).catch(
        (err: unknown) => {
          if (err instanceof ColonnadeError && err.code === 'not-found') return null;
          throw err;
        },
      );
      if (res) out.set(uri, { id: uri, name: res.data.list.name, kind: 'list' });
    }
    return [...out.values()];
  }

  // ---- acting ----------------------------------------------------------------------------------

  private async ready(): Promise<{ did: string }> {
    await this.account.ready();
    return { did: this.account.did };
  }

  /**
   * Why `app.bsky.feed.getPosts` left these posts out: it silently omits a deleted or taken-down
   * post, a post whose author is gone or deactivated, and a post whose author has a block either
   * way with the viewer (bsky `api/app/bsky/feed/getPosts.ts`, `views.post`). The authors are
   * looked up (`app.bsky.actor.getProfiles`, 25 a call): present with a block → blocked (the post
   * exists); present without → gone; absent → gone (account gone); an unreadable answer → unsure.
   * A verdict other than unsure is remembered for 30 minutes (`MISSING_VERDICT_MS`): a post left
   * out again within that time is not looked up again.
   */
  private async whyMissing(uris: readonly string[]): Promise<Map<string, MissingPost>> {
    const now = this.ctx.clock.now();
    const out = new Map<string, MissingPost>();
    for (const [uri, known] of this.missingVerdicts) {
      if (now - known.at >= MISSING_VERDICT_MS) this.missingVerdicts.delete(uri);
    }
    const unknown = uris.filter((uri) => {
      const known = this.missingVerdicts.get(uri);
      if (known) out.set(uri, known.verdict);
      return !known;
    });
    if (unknown.length === 0) return out;
    const authors = [...new Set(unknown.flatMap((uri) => parseAtUri(uri)?.did ?? []))];
    const found = new Map<string, AppBskyActorDefs.ProfileViewDetailed>();
    let unsure = false;
    for (const batch of chunks(authors, GET_PROFILES_BATCH)) {
      const page = await this.items<AppBskyActorDefs.ProfileViewDetailed>(
        (agent) => agent.app.bsky.actor.getProfiles({ actors: batch }),
        'profiles',
        'app.bsky.actor.defs#profileViewDetailed',
      );
      if (page.skipped > 0) unsure = true;
      for (const p of page.items) found.set(p.did, p);
    }
    for (const uri of unknown) {
      const did = parseAtUri(uri)?.did;
      const author = did ? found.get(did) : undefined;
      let verdict: MissingPost;
      if (author?.viewer?.blockedBy) verdict = { kind: 'blocked-by', handle: author.handle };
      else if (author?.viewer?.blocking || author?.viewer?.blockingByList)
        verdict = { kind: 'blocking', handle: author.handle };
      else if (!author && unsure) verdict = { kind: 'unsure' };
      else verdict = { kind: 'gone' };
      out.set(uri, verdict);
      if (verdict.kind !== 'unsure') this.missingVerdicts.set(uri, { verdict, at: now });
    }
    return out;
  }

  /** The post as the AppView shows it now; a missing one says why (deleted, or a block and whose). */
  private async viewOf(postId: string): Promise<AppBskyFeedDefs.PostView> {
    const uri = uriOfPostId(postId);
    const view = (await this.hydrate([uri])).views.get(uri);
    if (view) return view;
    const why = (await this.whyMissing([uri])).get(uri);
    if (why?.kind === 'blocked-by' || why?.kind === 'blocking') {
      const name = `@${why.handle}`;
      throw new ColonnadeError(
        'not-allowed',
        why.kind === 'blocked-by' ? `${name} has blocked this account.` : `This account has blocked ${name}.`,
        { reason: why.kind, params: { name } },
      );
    }
    if (why?.kind === 'unsure') throw new ColonnadeError('transient', 'Bluesky did not say what became of that post.');
    throw new ColonnadeError('not-found', 'That Bluesky post no longer exists.', { reason: 'deleted' });
  }

  /**
   * A post in its conversation (app.bsky.feed.getPostThread, `depth` 10, `parentHeight` 80), read
   * by threadOf (thread.ts) with the viewer's moderation, as the columns read posts; the post
   * itself is shown whatever would hide it from a feed, its reasons folded over it. A post the
   * AppView does not have (deleted, its account gone: NotFound) is not-found with reason
   * `post-gone`; one behind a block is not-allowed `blocked-by` / `blocking` with the author's
   * handle (as liking it would say). An answer that fails the lexicon is read node by node, the
   * unreadable posts left out, logged and counted in `more`.
   */
  async thread(postId: string): Promise<ThreadView> {
    const uri = uriOfPostId(postId);
    const [body, opts] = await Promise.all([
      this.call(async (agent) => {
        try {
          const res = await agent.app.bsky.feed.getPostThread({
            uri,
            depth: THREAD_DEPTH,
            parentHeight: THREAD_PARENT_HEIGHT,
          });
          return res.data as { thread?: unknown; threadgate?: unknown };
        } catch (err) {
          if (!isInvalidResponse(err)) throw err;
          const raw = err.responseBody as { thread?: unknown; threadgate?: unknown } | null;
          if (!raw || typeof raw !== 'object' || typeof raw.thread !== 'object' || raw.thread === null) throw err;
          this.ctx.log.warn('bluesky: a thread does not match its lexicon; reading it post by post', { uri });
          return raw;
        }
      }).catch((err: unknown) => {
        if (err instanceof ColonnadeError && err.code === 'not-found' && err.reason === 'deleted') {
          throw new ColonnadeError('not-found', 'That Bluesky post no longer exists.', { reason: 'post-gone' });
        }
        throw err;
      }),
      this.moderationOpts(),
    ]);
    const node = body.thread;
    if (AppBskyFeedDefs.isBlockedPost(node)) {
      await this.viewOf(postId); // says who blocks whom, with the handle
      throw new ColonnadeError('not-allowed', 'A block stands between this account and that post.', {
        reason: 'forbidden',
      });
    }
    if (AppBskyFeedDefs.isNotFoundPost(node))
      throw new ColonnadeError('not-found', 'That Bluesky post no longer exists.', { reason: 'post-gone' });
    const anchor = node as AppBskyFeedDefs.ThreadViewPost;
    if (!AppBskyFeedDefs.isThreadViewPost(node) || typeof anchor.post !== 'object' || anchor.post === null)
      throw new ColonnadeError('invalid', 'Bluesky sent a thread Colonnade cannot read.');
    const counter = { skipped: 0 };
    const post = this.readOne(anchor.post.uri, () => postOf(anchor.post, opts, { foldFilters: true }), counter);
    if (!post) throw new ColonnadeError('invalid', 'Bluesky sent a post Colonnade cannot read.');
    const threadgate = typeof body.threadgate === 'object' && body.threadgate !== null ? body.threadgate : undefined;
    return threadOf(anchor, post, threadgate as AppBskyFeedDefs.ThreadgateView | undefined, this.account.did, (view) =>
      this.readOne(typeof view?.uri === 'string' ? view.uri : '(no uri)', () => postOf(view, opts), counter),
    );
  }

  /**
   * A profile's page (app.bsky.actor.getProfile): bio, counts, banner, how the viewer relates to
   * it, its labels and states as flags (profileDetailsOf). `handle` may be a DID. An unknown
   * handle is not-found with reason `profile-not-found` or `unknown-handle` (`{ name }`), a
   * suspended or deactivated account not-found `account-unavailable` (errors.ts).
   */
  async profile(handle: string): Promise<ProfileDetails> {
    const actor = handle.trim().replace(/^@+/, '');
    if (!actor) throw new ColonnadeError('invalid', 'Which profile? A handle is needed.', { field: 'handle' });
    await this.account.ready();
    const res = await this.call((agent) => agent.app.bsky.actor.getProfile({ actor }), {
      actor: actor.startsWith('did:') ? actor : `@${actor}`,
    });
    return profileDetailsOf(res.data, this.account.did);
  }

  private async deleteRecordAt(uri: string): Promise<void> {
    const at = parseAtUri(uri);
    if (!at) return;
    await this.call((agent) =>
      agent.com.atproto.repo.deleteRecord({ repo: at.did, collection: at.collection, rkey: at.rkey }),
    );
  }

  async act(postId: string, action: PostAction): Promise<void> {
    const { did } = await this.ready();
    if (action === 'delete') {
      const uri = uriOfPostId(postId);
      if (parseAtUri(uri)?.did !== did) {
        throw new ColonnadeError('not-allowed', 'Only your own posts can be deleted.', { reason: 'not-your-post' });
      }
      await this.deleteRecordAt(uri);
      return;
    }
    const uri = uriOfPostId(postId);
    const likeish = action === 'like' || action === 'unlike';
    const mine = likeish ? this.myLikes : this.myReposts;
    const collection = likeish ? 'app.bsky.feed.like' : 'app.bsky.feed.repost';
    if (action === 'like' || action === 'repost') {
      if (mine.has(uri)) return;
      const view = await this.viewOf(postId);
      if (likeish ? view.viewer?.like : view.viewer?.repost) return;
      const res = await this.call((agent) =>
        agent.com.atproto.repo.createRecord({
          repo: did,
          collection,
          record: {
            $type: collection,
            subject: { uri: view.uri, cid: view.cid },
            createdAt: new Date(this.ctx.clock.now()).toISOString(),
          },
        }),
      );
      mine.set(uri, res.data.uri);
      return;
    }
    let recordUri = mine.get(uri);
    if (!recordUri) {
      const view = await this.viewOf(postId);
      recordUri = likeish ? view.viewer?.like : view.viewer?.repost;
    }
    if (recordUri) await this.deleteRecordAt(recordUri);
    mine.delete(uri);
  }

  // ---- publishing ------------------------------------------------------------------------------

  /**
   * Refuses, before sending, what the PDS would refuse (lexicon app.bsky.feed.post and
   * app.bsky.embed.images): text over 300 graphemes or over 3,000 bytes of UTF-8 (`too-long`,
   * `{ max, unit: 'characters' | 'bytes', length }`, as the core's own length check says it), more than 4 images, images over 2 MB, alt text over
   * 2,000 graphemes, nothing to post. Each a ColonnadeError `invalid` with `field` and `reason`.
   */
  private validate(request: PublishRequest): void {
    const tooLong = exceededLimit(measureText(request.text, this.textRules()));
    if (tooLong) {
      throw new ColonnadeError(
        'invalid',
        tooLong.unit === 'bytes'
          ? `Bluesky posts are at most ${tooLong.max} bytes; this one holds ${tooLong.length} (emoji and many scripts take several bytes each).`
          : `Bluesky posts are at most ${tooLong.max} characters.`,
        { field: 'text', reason: 'too-long', params: tooLongParams(tooLong) },
      );
    }
    const media = request.media ?? [];
    if (media.length > RULES.maxImages) {
      throw new ColonnadeError('invalid', `A Bluesky post carries at most ${RULES.maxImages} images.`, {
        field: 'media',
        reason: 'too-many-images',
        params: { max: String(RULES.maxImages) },
      });
    }
    if (request.text.trim().length === 0 && media.length === 0) {
      throw new ColonnadeError('invalid', 'There is nothing to post.', { field: 'text', reason: 'post-empty' });
    }
    for (const m of media) {
      if (mediaKind(m.mimeType) === 'image' && m.data.byteLength > MAX_IMAGE_BYTES) {
        throw new ColonnadeError('invalid', 'Images on Bluesky are at most 2 MB each.', {
          field: 'media',
          reason: 'image-too-large',
          params: { max: '2 MB' },
        });
      }
      if (graphemes(m.alt) > RULES.maxAltLength) {
        throw new ColonnadeError('invalid', `Alt text on Bluesky is at most ${RULES.maxAltLength} characters.`, {
          field: 'media',
          reason: 'alt-too-long',
          params: { max: String(RULES.maxAltLength) },
        });
      }
    }
    // A GIF goes as the MP4 the composer made of it (BLUESKY_MEDIA_RULES `gifAsVideo`).
    if (media.some((m) => mediaKind(m.mimeType) === 'gif' && !m.asVideo)) {
      throw new ColonnadeError(
        'invalid',
        'Bluesky plays GIFs as videos, and this GIF was not made into one: add it again in the composer.',
        { field: 'media', reason: 'media-gif-needs-video' },
      );
    }
    // The rest of the published limits: kinds and types, sizes (a GIF's MP4), lengths, one video alone.
    const refused = firstMediaRefusal(
      media.map((m) => (m.asVideo && mediaKind(m.mimeType) === 'gif' ? { ...m, bytes: m.asVideo.byteLength } : m)),
      BLUESKY_MEDIA_RULES,
      'Bluesky',
    );
    if (refused) {
      const { message, reason, params } = refused;
      throw new ColonnadeError('invalid', message, { field: 'media', reason, params });
    }
  }

  /** The post record at `rkey` in this account's repository, or null. */
  private async ownRecord(did: string, rkey: string): Promise<Record<string, unknown> | null> {
    return this.account.call(async (agent) => {
      try {
        const res = await agent.com.atproto.repo.getRecord({ repo: did, collection: POST, rkey });
        return res.data.value as Record<string, unknown>;
      } catch (err) {
        if (isAuthFailure(err)) throw err;
        const code = (err as { error?: unknown }).error;
        const status = (err as { status?: unknown }).status;
        if (code === 'RecordNotFound' || code === 'NotFound' || status === 404) return null;
        throw err;
      }
    });
  }

  private async strongRef(
    postId: string,
  ): Promise<{ ref: ComAtprotoRepoStrongRef.Main; view: AppBskyFeedDefs.PostView }> {
    const view = await this.viewOf(postId);
    return { ref: { uri: view.uri, cid: view.cid }, view };
  }

  private async buildRecord(request: PublishRequest, agent: Agent): Promise<AppBskyFeedPost.Record> {
    const rt = new RichText({ text: request.text });
    await rt.detectFacets(agent); // mentions resolve to DIDs; unknown handles stay plain text
    const record: AppBskyFeedPost.Record = {
      $type: POST,
      text: rt.text,
      createdAt: new Date(this.ctx.clock.now()).toISOString(),
    };
    if (rt.facets?.length) record.facets = rt.facets as AppBskyRichtextFacet.Main[];

    if (request.replyTo) {
      const { ref, view } = await this.strongRef(request.replyTo);
      const parentReply = (view.record as { reply?: { root?: ComAtprotoRepoStrongRef.Main } }).reply;
      const root = parentReply?.root?.uri && parentReply.root.cid ? parentReply.root : ref;
      record.reply = { root: { uri: root.uri, cid: root.cid }, parent: ref };
    }

    const media = request.media ?? [];
    const meter = new UploadMeter(
      media.reduce((n, m) => n + bytesSent(m, true), 0),
      request.onProgress,
    );
    const images: AppBskyEmbedImages.Image[] = [];
    let video: $Typed<AppBskyEmbedVideo.Main> | undefined;
    for (const m of media) {
      const kind = mediaKind(m.mimeType);
      if (kind === 'image') {
        const up = await this.uploadBlob(m.data, m.mimeType, meter);
        const dims = imageSize(m.data);
        images.push({ image: up, alt: m.alt, ...(dims ? { aspectRatio: dims } : {}) });
      } else {
        // A video, or a GIF as its MP4 (validate made sure it has one); alone in its post.
        const up = await this.uploadBlob(kind === 'gif' && m.asVideo ? m.asVideo : m.data, 'video/mp4', meter);
        video = {
          $type: 'app.bsky.embed.video',
          video: up,
          ...(m.alt ? { alt: m.alt } : {}),
          ...(m.width && m.height ? { aspectRatio: { width: m.width, height: m.height } } : {}),
          presentation: kind === 'gif' ? 'gif' : 'default',
        };
      }
    }
    const mediaEmbed = video ?? (images.length ? { $type: 'app.bsky.embed.images' as const, images } : undefined);
    if (request.quoteOf) {
      const { ref } = await this.strongRef(request.quoteOf);
      const quote = { $type: 'app.bsky.embed.record' as const, record: ref };
      record.embed = mediaEmbed ? { $type: 'app.bsky.embed.recordWithMedia', record: quote, media: mediaEmbed } : quote;
    } else if (mediaEmbed) {
      record.embed = mediaEmbed;
    }
    return record;
  }

  /**
   * Uploads one blob to the account's PDS (com.atproto.repo.uploadBlob), its bytes counted on
   * `meter` as they leave, under a deadline that runs only while nothing moves (a large video
   * takes longer than any fixed deadline). A video goes there too: Bluesky's own app sends videos
   * to its video service (app.bsky.video.uploadVideo), which transcodes them, checks the daily
   * upload limits and then writes the blob to the PDS itself; that service is Bluesky's alone
   * (not part of the AT Protocol, not run by a self-hosted PDS nor by @atproto/dev-env), and the
   * app.bsky.embed.video record only needs an mp4 blob of the author's repository, which the
   * AppView serves through its playlist URLs. Uploading the blob directly is that record's
   * requirement met without the service: the closest real thing a PDS of its own offers. A PDS
   * takes blobs up to its own limit (@atproto/pds `blobUploadLimit`, PDS_BLOB_UPLOAD_LIMIT, 5 MiB
   * unless its host sets more): a larger one is refused 413, which errors.ts says as `too-large`.
   */
  private async uploadBlob(data: Uint8Array, mimeType: string, meter: UploadMeter): Promise<BlobRef> {
    const deadline = stallDeadline(REQUEST_DEADLINE_MS, this.ctx.clock);
    try {
      const up = await this.call((agent) => {
        // Made for each try: a body already read cannot be sent again after a renewed sign-in.
        const body = countedBody([data], (n) => {
          deadline.touch();
          meter.sent(n);
        });
        return agent.com.atproto.repo.uploadBlob(body as unknown as Uint8Array, {
          encoding: mimeType,
          signal: deadline.signal,
        });
      });
      return up.data.blob;
    } finally {
      deadline.stop();
    }
  }

  async publish(request: PublishRequest): Promise<Post> {
    this.validate(request);
    if (!request.idempotencyKey) throw new ColonnadeError('invalid', 'A post needs an idempotency key.');
    const { did } = await this.ready();
    const rkey = tidFromKey(request.idempotencyKey);
    const uri = `at://${did}/${POST}/${rkey}`;

    // A retry of a post that went through (even if its answer was lost) finds it here.
    const existing = await this.ownRecord(did, rkey);
    if (existing) return this.published(uri, existing, request);

    const record = await this.buildRecord(request, this.account.agent);
    try {
      await this.account.call((agent) =>
        agent.com.atproto.repo.createRecord({ repo: did, collection: POST, rkey, record }),
      );
    } catch (err) {
      // Two attempts raced, or the answer was lost: the record key decides.
      const raced = await this.ownRecord(did, rkey).catch(() => null);
      if (!raced) throw err;
      return this.published(uri, raced, request);
    }
    this.ctx.log.info('bluesky: published', { uri });
    return this.published(uri, record as unknown as Record<string, unknown>, request);
  }

  /** The post as the AppView shows it (it indexes within a second or so), else built from the record. */
  private async published(uri: string, record: Record<string, unknown>, request: PublishRequest): Promise<Post> {
    const fields = recordFields(record);
    if (fields.text !== request.text) {
      throw new ColonnadeError('invalid', 'This idempotency key was already used for a different post.', {
        reason: 'idempotency-key-reused',
      });
    }
    for (const wait of [0, 300, 700]) {
      if (wait) await new Promise<void>((resolve) => this.ctx.clock.setTimeout(resolve, wait));
      const view = (await this.hydrate([uri]).catch(() => null))?.views.get(uri);
      const post = view ? this.readOne(uri, () => postOf(view), { skipped: 0 }) : undefined;
      if (post) return post;
    }
    const author = this.ownProfile ?? (await this.verify());
    const createdAt =
      typeof fields.createdAt === 'string' ? fields.createdAt : new Date(this.ctx.clock.now()).toISOString();
    const post: Post = {
      id: postIdOf(uri),
      network: NETWORK,
      nativeId: nativeIdOf(uri),
      author,
      text: fields.text,
      entities: entitiesFromFacets(fields.text, fields.facets),
      media: (request.media ?? []).map((m) => ({
        kind: 'image' as const,
        alt: m.alt,
        ...(imageSize(m.data) ?? { width: 1, height: 1 }),
        url: null,
        placeholderColor: '#1f3b57',
      })),
      createdAt: new Date(createdAt).toISOString(),
      url: webUrlOf(author.handle, uri),
      metrics: { likes: 0, reposts: 0, replies: 0, quotes: 0, impressions: null },
      viewer: { liked: false, reposted: false },
    };
    if (fields.replyParentUri) post.replyTo = postIdOf(fields.replyParentUri);
    return post;
  }
}

/** The AT-URI an item names (a feed item's post, a notification, a post), for the log. */
function uriIn(item: unknown): string {
  const i = item as { uri?: unknown; post?: { uri?: unknown } } | null;
  const uri = i?.post?.uri ?? i?.uri;
  return typeof uri === 'string' ? uri : '(no uri)';
}

/**
 * Entries as a column gets them: each key once, and notifications about one post merged into
 * one entry per group (`like:<postId>`): its newest time, its actors most recent first (each
 * once, at most 100), `count` = how many did it.
 */
function finish(entries: Entry[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  const seen = new Set<string>();
  const groups = new Map<string, TimelineEntry & { notification: NonNullable<TimelineEntry['notification']> }>();
  for (const { group, ...e } of entries) {
    if (group && e.notification) {
      const existing = groups.get(group);
      if (existing) {
        const actor = e.notification.actors[0];
        if (actor && !existing.notification.actors.some((a) => a.id === actor.id)) {
          existing.notification.count++;
          if (existing.notification.actors.length < 100) existing.notification.actors.push(actor);
        }
        continue;
      }
      const entry = { ...e, key: group, notification: { ...e.notification, actors: [...e.notification.actors] } };
      groups.set(group, entry);
      seen.add(group);
      out.push(entry);
      continue;
    }
    if (seen.has(e.key)) continue;
    seen.add(e.key);
    out.push(e);
  }
  return out;
}
/** True for a 'list' column that shows a custom feed (a feed generator), which is not ordered by time. */
function isCustomFeed(req: TimelineRequest): boolean {
  return req.kind === 'list' && parseAtUri((req.query ?? '').trim())?.collection === 'app.bsky.feed.generator';
}
