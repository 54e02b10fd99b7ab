// The typed IPC contract: every request channel (request and response schemas) and every event
// channel (payload schema), declared once. Main validates every request against it; both sides
// take their types from it. A channel listed in channels.ts without an entry here does not compile.
import { z } from 'zod';
import { AppErrorSchema } from '../errors';
import {
  AccountSchema,
  ColumnSpecSchema,
  COLUMN_WIDTH,
  CursorSchema,
  DeckNameSchema,
  LayoutSchema,
  MetricsSchema,
  AlertRuleSchema,
  ColumnOptionsSchema,
  MonitorQuerySchema,
  ProfileDetailsSchema,
  ThreadViewSchema,
  pageSchema,
  TimelineEntrySchema,
} from '../model';
import { SettingsSchema } from '../settings';
import { ConnectRequestSchema } from '../accounts';
import { PostContentSchema, PostingScheduleSchema, PublishJobSchema, WhenSchema } from '../outbox';
import type { EventChannel, RequestChannel } from './channels';
import { MediaStageRequestSchema, MediaStageResponseSchema, Sha256Schema } from '../media-staging';
import { AnalyticsDeliverySchema } from '../analytics';
import { AnalyticsStatusSchema } from '../analytics-collection';

const Id = z.string().min(1).max(200);
const Empty = z.object({}).strict();

export const FeedDeliverySchema = z.object({
  /** Increases by one per delivery; the renderer acknowledges after its Dexie commit. */
  seq: z.number().int().positive(),
  columnId: Id,
  /** New timeline entries (with their posts), or entries whose post changed. */
  entries: z.array(TimelineEntrySchema),
  /** Posts the network says no longer exist: they leave every column. */
  removed: z.array(Id).optional(),
  /** Fresh counts for posts the column already holds. */
  metrics: z.array(z.object({ postId: Id, metrics: MetricsSchema })),
  /** On a column's first page: where its history continues (null at the end of history). */
  older: CursorSchema.nullable().optional(),
  /** Gap markers filled (or no longer true): their entries (`gap:<id>`) leave the column. */
  closedGaps: z.array(Id).optional(),
});
export type FeedDelivery = z.infer<typeof FeedDeliverySchema>;

export const ColumnStatusSchema = z.object({
  columnId: Id,
  state: z.enum(['live', 'error', 'paused']),
  error: AppErrorSchema.optional(),
  /** When main last heard from the network for this column. */
  checkedAt: z.string().optional(),
  /** Items of the last page that could not be read (left out and logged). */
  skipped: z.number().int().nonnegative().optional(),
  /**
   * Why the column polls less often than it would (the account's shared rate budget, the X
   * monthly budget), in the UI's `reasons` keys; absent when it polls at its own pace.
   */
  slowed: z.string().max(100).optional(),
  /** When the next poll is planned (ISO instant). */
  nextAt: z.string().optional(),
  /** The profile whose reading `state` and `error` are about (a monitor column reads several). */
  profileId: Id.optional(),
  /**
   * A column read through several profiles (a monitor): each profile in trouble, with its own
   * state and error, so one profile's success never hides another's failure. Absent when none is.
   */
  profiles: z
    .array(z.object({ profileId: Id, state: z.enum(['error', 'paused']), error: AppErrorSchema.optional() }))
    .max(20)
    .optional(),
});
export type ColumnStatus = z.infer<typeof ColumnStatusSchema>;

const ReadsSchema = z.object({
  /** Other people's posts read (each post once: the account's own are in `ownPosts` only). */
  posts: z.number().int().nonnegative(),
  ownPosts: z.number().int().nonnegative(),
  /** Estimated cost in US dollars at the account's unit prices. */
  cost: z.number().nonnegative(),
  /** The part of the above read to refresh the counts of posts already shown, and its cost. */
  counts: z.object({
    posts: z.number().int().nonnegative(),
    ownPosts: z.number().int().nonnegative(),
    cost: z.number().nonnegative(),
  }),
});
const PricesSchema = z.object({
  /** Dollars per post read. */
  post: z.number().nonnegative().max(10),
  /** Dollars per read of the account's own posts. */
  ownPost: z.number().nonnegative().max(10),
});
export const AccountUsageSchema = z.object({
  accountId: Id,
  today: ReadsSchema,
  month: ReadsSchema,
  prices: PricesSchema,
  monthlyBudget: z.number().nonnegative().nullable(),
  /** The month's estimate reached the budget: the account's columns stopped polling. */
  paused: z.boolean(),
});
export type AccountUsage = z.infer<typeof AccountUsageSchema>;

export const AppInfoSchema = z.object({
  version: z.string(),
  /** Which host runs the core: the Electron app or the headless host (tests, browsers). */
  host: z.enum(['electron', 'headless']),
  platform: z.string(),
  /** The operating system's preferred languages, best first. */
  osLocales: z.array(z.string()),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

/**
 * Something the user must know about that happened to her data, shown as a banner until
 * dismissed: today a settings, layout, accounts (or other) file that could not be read, was moved
 * aside (`keptAs`) and started again from defaults.
 */
export const NoticeSchema = z.object({
  id: Id,
  kind: z.literal('document-reset'),
  /** The document's name: 'settings', 'layout', 'accounts', 'usage', 'sandbox', or another. */
  document: z.string(),
  /** Why it could not be read: damaged JSON, written by a newer Colonnade, or not what is expected. */
  why: z.enum(['damaged', 'newer', 'unreadable']),
  /** Where the old file was kept. */
  keptAs: z.string(),
  /** When it happened (ISO instant). */
  at: z.string(),
});
export type Notice = z.infer<typeof NoticeSchema>;

const channel = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({ request, response });

export const requestContract = {
  /** Version, host kind and OS languages. */
  'app.info': channel(Empty, AppInfoSchema),
  /** The user's settings (main owns them; the renderer mirrors). */
  'settings.get': channel(Empty, SettingsSchema),
  /** Change some settings; answers the whole new settings. */
  'settings.update': channel(SettingsSchema.partial().strict(), SettingsSchema),
  /** Decks and columns (main owns them in electron-store). */
  'layout.get': channel(Empty, LayoutSchema),
  /** Add a deck and make it active. */
  'deck.create': channel(z.object({ name: DeckNameSchema }).strict(), LayoutSchema),
  /** Rename a deck. */
  'deck.rename': channel(z.object({ deckId: Id, name: DeckNameSchema }).strict(), LayoutSchema),
  /** Delete a deck (not the last one). */
  'deck.delete': channel(z.object({ deckId: Id }).strict(), LayoutSchema),
  /** Show another deck. */
  'deck.activate': channel(z.object({ deckId: Id }).strict(), LayoutSchema),
  /** Append a column to a deck. */
  'column.add': channel(z.object({ deckId: Id, spec: ColumnSpecSchema }).strict(), LayoutSchema),
  /** Remove a column from a deck. */
  'column.remove': channel(z.object({ deckId: Id, columnId: Id }).strict(), LayoutSchema),
  /** Move a column to another position in its deck. */
  'column.move': channel(
    z.object({ deckId: Id, columnId: Id, toIndex: z.number().int().min(0).max(49) }).strict(),
    LayoutSchema,
  ),
  /** Change a column's width in CSS pixels. */
  'column.resize': channel(
    z
      .object({ deckId: Id, columnId: Id, width: z.number().int().min(COLUMN_WIDTH.min).max(COLUMN_WIDTH.max) })
      .strict(),
    LayoutSchema,
  ),
  /** Profiles the user can build columns for, with health and column kinds. No secrets. */
  'accounts.list': channel(Empty, z.array(AccountSchema)),
  /** Connect (or reconnect) an account; OAuth flows answer once the user has authorized. */
  'accounts.connect': channel(
    z
      .object({
        request: ConnectRequestSchema,
        /** The user agreed to store credentials without an OS keyring (Linux basic_text). */
        allowWeakStorage: z.boolean().default(false),
      })
      .strict(),
    AccountSchema,
  ),
  /** Give up the connect flow that is waiting for the browser. */
  'accounts.cancel': channel(Empty, z.object({})),
  /** Forget an account and its credentials (its columns stay, showing the account is gone). */
  'accounts.remove': channel(z.object({ accountId: Id }).strict(), z.object({})),
  /** Lists and custom feeds an account can open as columns. */
  'column.lists': channel(
    z.object({ profileId: Id }).strict(),
    z.array(z.object({ id: z.string(), name: z.string(), kind: z.enum(['list', 'feed']) })),
  ),
  /** Like, repost (or undo) or delete a post as the profile of the column showing it. */
  'post.act': channel(
    z
      .object({ profileId: Id, postId: Id, action: z.enum(['like', 'unlike', 'repost', 'unrepost', 'delete']) })
      .strict(),
    z.object({}),
  ),
  /** The X cost meter of every X account. */
  'usage.get': channel(Empty, z.array(AccountUsageSchema)),
  /** Change an X account's unit prices or monthly budget (null: no budget). */
  'usage.configure': channel(
    z
      .object({
        accountId: Id,
        prices: PricesSchema.optional(),
        monthlyBudget: z.number().nonnegative().max(1_000_000).nullable().optional(),
      })
      .strict(),
    AccountUsageSchema,
  ),
  /** One page of a column's timeline: the newest page, or older / newer than a cursor. */
  'column.fetch': channel(
    z.object({ columnId: Id, direction: z.enum(['older', 'newer']), cursor: CursorSchema.nullable() }).strict(),
    pageSchema(TimelineEntrySchema),
  ),
  /** Notices not yet dismissed (a data file reset at start…). */
  'notices.list': channel(Empty, z.array(NoticeSchema)),
  /** Dismiss one notice; answers the notices left. */
  'notices.dismiss': channel(z.object({ id: Id }).strict(), z.array(NoticeSchema)),
  /** Deliveries not yet acknowledged (after a reload the renderer asks for them). */
  'events.pending': channel(Empty, z.array(FeedDeliverySchema)),
  /** Change a column's options (density, media, filters), alert rule, or monitor query. */
  'column.configure': channel(
    z
      .object({
        deckId: Id,
        columnId: Id,
        options: ColumnOptionsSchema.optional(),
        alerts: AlertRuleSchema.nullable().optional(),
        monitor: MonitorQuerySchema.optional(),
      })
      .strict(),
    LayoutSchema,
  ),
  /**
   * The posts a column shows on screen now (at most 200): their counts are refreshed first.
   * Sent when the visible range changes (throttled by the renderer); `shown: false` when the
   * window is hidden or the column is on another deck.
   */
  'column.visible': channel(
    z
      .object({
        columnId: Id,
        postIds: z.array(Id).max(200),
        /** When each of `postIds` was posted (same order): a post main has not met since it started is tracked too. */
        createdAt: z.array(z.iso.datetime()).max(200).optional(),
        shown: z.boolean(),
      })
      .strict(),
    z.object({}),
  ),
  /** Load what a gap marker stands for (the entries arrive as deliveries; the marker leaves when filled). */
  'gap.load': channel(z.object({ columnId: Id, gapId: Id }).strict(), z.object({})),
  /**
   * The renderer holds nothing of this column (a new browser profile, cleared storage): main
   * delivers its first page again, with where its history continues.
   */
  'column.reseed': channel(z.object({ columnId: Id }).strict(), z.object({})),
  /**
   * "Check now": the column's readers poll at once (each at most every 10 s), within the same
   * rate budgets as their scheduled polls. Answers how many were woken (0: they just checked).
   */
  'column.refresh': channel(z.object({ columnId: Id }).strict(), z.object({ woken: z.number().int().min(0) })),
  /** Every column's last status (a renderer that reloaded shows each column's state at once). */
  'column.statuses': channel(z.object({}).strict(), z.array(ColumnStatusSchema)),
  /** A post in its conversation, read as one of the CM's profiles on its network (the side panel). */
  'post.thread': channel(z.object({ profileId: Id, postId: Id }).strict(), ThreadViewSchema),
  /** A profile's page and a page of its posts, read as one of the CM's profiles (the side panel). */
  'profile.get': channel(
    z.object({ profileId: Id, handle: z.string().trim().min(1).max(300), cursor: CursorSchema.nullable() }).strict(),
    z.object({
      profile: ProfileDetailsSchema,
      posts: pageSchema(TimelineEntrySchema),
      /** Why the posts could not be read (a protected account…): the profile still shows. */
      postsError: AppErrorSchema.optional(),
    }),
  ),
  /** The CM has seen the alerts so far: the tray badge clears. */
  'alerts.seen': channel(Empty, z.object({})),
  /** Every publish job (scheduled, waiting, sent, failed), newest first. */
  'outbox.list': channel(Empty, z.array(PublishJobSchema)),
  /**
   * Make a publish job: one content to several profiles, now, at a time in a zone, or in each
   * profile's queue. `id` is chosen by the renderer: sending it again makes no second job.
   */
  'outbox.submit': channel(
    z
      .object({
        id: z.string().min(8).max(100),
        content: PostContentSchema,
        profileIds: z.array(Id).min(1).max(50),
        when: WhenSchema,
        draftId: Id.optional(),
      })
      .strict(),
    PublishJobSchema,
  ),
  /** Move a job's unsent targets to another time (or the queue's next free slots). */
  'outbox.reschedule': channel(z.object({ jobId: Id, when: WhenSchema }).strict(), PublishJobSchema),
  /** Replace the content of a job nothing of which has gone out. */
  'outbox.edit': channel(z.object({ jobId: Id, content: PostContentSchema }).strict(), PublishJobSchema),
  /** Cancel a job's unsent targets (all, or these profiles'). */
  'outbox.cancel': channel(
    z.object({ jobId: Id, profileIds: z.array(Id).max(50).optional() }).strict(),
    PublishJobSchema,
  ),
  /** Send again, now, a job's failed or held targets (all, or these profiles'). */
  'outbox.retry': channel(
    z.object({ jobId: Id, profileIds: z.array(Id).max(50).optional() }).strict(),
    PublishJobSchema,
  ),
  /** Remove a finished job from the history. */
  'outbox.remove': channel(z.object({ jobId: Id }).strict(), z.object({})),
  /** A profile's queue: its weekly posting slots in its audience's zone (null: none yet). */
  'queue.get': channel(z.object({ profileId: Id }).strict(), PostingScheduleSchema.nullable()),
  /** Set (or clear, with null) a profile's queue; answers it as saved. */
  'queue.set': channel(
    z.object({ profileId: Id, schedule: PostingScheduleSchema.nullable() }).strict(),
    PostingScheduleSchema.nullable(),
  ),
  /**
   * One chunk of a medium for main's media store (in order, base64); the last one answers its id
   * (its SHA-256, checked against `sha256`) and size. A wrong checksum is refused and nothing kept.
   */
  'media.stage': channel(MediaStageRequestSchema, MediaStageResponseSchema),
  /** Whether main's media store already holds the medium with this id (its SHA-256), and its size. */
  'media.has': channel(
    z.object({ id: Sha256Schema }).strict(),
    z.object({ has: z.boolean(), bytes: z.number().int().nonnegative().optional() }),
  ),
  /**
   * Analytics deliveries not yet acknowledged with a number above `after` (0 or absent: all), at
   * most 20, oldest first; `more` when others follow (ask again after the last one's number).
   */
  'analytics.pending': channel(
    z.object({ after: z.number().int().nonnegative().optional() }).strict(),
    z.object({ deliveries: z.array(AnalyticsDeliverySchema), more: z.boolean() }),
  ),
  /** The renderer stored every analytics delivery up to and including `upTo` (Dexie committed). */
  'analytics.ack': channel(z.object({ upTo: z.number().int().nonnegative() }).strict(), z.object({})),
  /** Each profile's analytics collection: last collected, what waits and why, follower count, backfill. */
  'analytics.statuses': channel(Empty, z.array(AnalyticsStatusSchema)),
  /** Start a profile's backfill (or with `restart`, read its history again from the newest post). */
  'analytics.backfill': channel(
    z.object({ profileId: Id, restart: z.boolean().optional() }).strict(),
    AnalyticsStatusSchema,
  ),
  /** Acknowledge every delivery up to and including `upTo`. */
  'events.ack': channel(z.object({ upTo: z.number().int().nonnegative() }).strict(), z.object({})),
} satisfies Record<RequestChannel, { request: z.ZodType; response: z.ZodType }>;

export const eventContract = {
  /** Decks or columns changed (also after another window's change). */
  'layout.changed': LayoutSchema,
  /** Settings changed. */
  'settings.changed': SettingsSchema,
  /** New posts or counts for a column; acknowledge with events.ack. */
  'feed.delivery': FeedDeliverySchema,
  /** A column went live, paused, or hit an error from its network. */
  'column.status': ColumnStatusSchema,
  /** A publish job changed (made, sent, failed, moved…). */
  'outbox.changed': PublishJobSchema,
  /** Accounts were connected, removed, or changed health. */
  'accounts.changed': z.array(AccountSchema),
  /** An X account's reads, cost estimate or budget changed. */
  'usage.changed': AccountUsageSchema,
  /** The notices not yet dismissed changed. */
  'notices.changed': z.array(NoticeSchema),
  /** A connect flow waits for the user at this authorization page (also opened in the browser). */
  'accounts.authorize': z.object({ url: z.string().url() }),
  /** A column's alert rule fired (the headless host shows it in the page; the app also notifies the desktop). */
  'alert.fired': z.object({
    columnId: Id,
    postId: Id.nullable(),
    title: z.string(),
    body: z.string(),
    at: z.string(),
    /** Alerts not yet seen (the tray badge). */
    unseen: z.number().int().nonnegative(),
  }),
  /** The CM clicked an alert's notification: show this post in this column. */
  'alert.open': z.object({ columnId: Id, postId: Id.nullable() }),
  /** New own posts, count snapshots and follower counts for the analytics archive; acknowledge with analytics.ack. */
  'analytics.delivery': AnalyticsDeliverySchema,
  /** A profile's analytics collection status changed (backfill progress, last collected, waiting). */
  'analytics.status': AnalyticsStatusSchema,
} satisfies Record<EventChannel, z.ZodType>;

export type RequestOf<C extends RequestChannel> = z.input<(typeof requestContract)[C]['request']>;
export type ParsedRequestOf<C extends RequestChannel> = z.output<(typeof requestContract)[C]['request']>;
export type ResponseOf<C extends RequestChannel> = z.output<(typeof requestContract)[C]['response']>;
export type EventOf<C extends EventChannel> = z.output<(typeof eventContract)[C]>;

/** What both transports (Electron preload, headless WebSocket) give the renderer. */
export interface ColonnadeBridge {
  invoke(channel: RequestChannel, payload: unknown): Promise<unknown>;
  on(channel: EventChannel, handler: (payload: unknown) => void): () => void;
}
