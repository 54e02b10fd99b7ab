// The normalized model every network adapter speaks, and the deck layout main owns.
// Plain zod schemas: main validates with them at the IPC boundary, both sides take their types.
import { z } from 'zod';
import { ConnectMethodSchema } from './accounts';
import { AppErrorSchema } from './errors';
import { MediaRulesSchema } from './media-rules';

export const NETWORKS = ['sandbox', 'x', 'bluesky', 'mastodon'] as const;
export const NetworkIdSchema = z.enum(NETWORKS);
export type NetworkId = z.infer<typeof NetworkIdSchema>;

/** Each network's name as people write it, in every language ("X said: …", "X · api.x.com"). */
export const NETWORK_NAMES: Readonly<Record<NetworkId, string>> = {
  x: 'X',
  bluesky: 'Bluesky',
  mastodon: 'Mastodon',
  sandbox: 'Sandbox',
};

/** An ISO-8601 instant, always UTC ("2026-11-25T08:00:00.000Z"). */
export const InstantSchema = z.iso.datetime();

/**
 * A server-defined emoji written `:shortcode:` in text (Mastodon `CustomEmoji`,
 * app/serializers/rest/custom_emoji_serializer.rb); the UI shows the image with the shortcode as alt.
 */
export const CustomEmojiSchema = z.object({
  shortcode: z.string().min(1).max(100),
  /** The image as uploaded: animated where the emoji is. */
  url: z.string().min(1),
  /** A still image of it (Mastodon `static_url`), where it differs from `url`: shown to who prefers reduced motion. */
  staticUrl: z.string().min(1).optional(),
});
export type CustomEmoji = z.infer<typeof CustomEmojiSchema>;

export const ProfileSchema = z.object({
  /** Globally unique: `${network}:${nativeId}`. */
  id: z.string().min(1),
  network: NetworkIdSchema,
  handle: z.string().min(1),
  displayName: z.string(),
  avatarUrl: z.string().nullable(),
  url: z.string().nullable(),
  /** Custom emoji used in `displayName` (Mastodon). */
  emojis: z.array(CustomEmojiSchema).optional(),
});
export type Profile = z.infer<typeof ProfileSchema>;

export const MetricsSchema = z.object({
  likes: z.number().int().nonnegative(),
  reposts: z.number().int().nonnegative(),
  replies: z.number().int().nonnegative(),
  quotes: z.number().int().nonnegative(),
  /** Only X reports impressions; null where the network has none. */
  impressions: z.number().int().nonnegative().nullable(),
  /**
   * Bookmarks, where the network publishes them with the post (X `public_metrics.bookmark_count`,
   * Bluesky `bookmarkCount`); absent or null elsewhere. The analytics keep them; columns do not show them.
   */
  bookmarks: z.number().int().nonnegative().nullable().optional(),
});
export type Metrics = z.infer<typeof MetricsSchema>;

/** A span of the post text (UTF-16 offsets, end exclusive) that is a hashtag, link or mention. */
export const EntitySchema = z.object({
  kind: z.enum(['hashtag', 'link', 'mention']),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  /** Hashtag without '#', full URL (the link's target), or handle without '@'. */
  value: z.string(),
  /** What the network shows instead of the span's text (X `display_url`: the `t.co` text stays the target). */
  display: z.string().optional(),
});
export type Entity = z.infer<typeof EntitySchema>;

export const MediaSchema = z.object({
  /**
   * `audio` (Mastodon `audio`: podcasts, music); `file` for an attachment the server could not
   * describe (Mastodon `unknown`: remote media it did not fetch), shown as a link to `url`.
   */
  kind: z.enum(['image', 'video', 'gif', 'audio', 'file']),
  alt: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Null for placeholders (Sandbox) or media not yet fetched. */
  url: z.string().nullable(),
  /** A colour to paint while (or instead of) loading. */
  placeholderColor: z.string(),
});
export type Media = z.infer<typeof MediaSchema>;

/**
 * Why part of a post is folded, in the viewer's moderation: `post` folds the whole post behind
 * `text`, `media` hides its media until asked. Sources: a Mastodon filter with action `warn`
 * (`filtered[].filter.title`), `sensitive: true`, a Bluesky self-label or labeller label, X
 * `possibly_sensitive`. `text` is the network's words (a filter's title, a label's value).
 */
export const ModerationSchema = z.object({
  scope: z.enum(['post', 'media']),
  source: z.enum(['filter', 'label', 'sensitive']),
  text: z.string().max(500),
});
export type Moderation = z.infer<typeof ModerationSchema>;

/**
 * A poll as the network shows it (Mastodon `Poll`, X `includes.polls`): read-only in columns.
 * `votes` is null where the network hides counts until the poll ends (Mastodon `hide_totals`).
 */
export const PollSchema = z.object({
  options: z.array(z.object({ title: z.string().max(500), votes: z.number().int().nonnegative().nullable() })).max(20),
  /** Everyone who voted (a multiple-choice poll's votes add up to more). Null when unknown. */
  voters: z.number().int().nonnegative().nullable(),
  multiple: z.boolean(),
  /** When voting closes (ISO instant), or null for no end. */
  endsAt: InstantSchema.nullable(),
  closed: z.boolean(),
  /** The option indexes the viewer chose, where the network says. */
  ownVotes: z.array(z.number().int().nonnegative()).optional(),
});
export type Poll = z.infer<typeof PollSchema>;

const PostFields = {
  /** Globally unique: `${network}:${nativeId}`. */
  id: z.string().min(1),
  network: NetworkIdSchema,
  nativeId: z.string().min(1),
  author: ProfileSchema,
  text: z.string(),
  entities: z.array(EntitySchema),
  media: z.array(MediaSchema),
  createdAt: InstantSchema,
  url: z.string().nullable(),
  metrics: MetricsSchema,
  /** What the account that fetched the post has done with it, where the network says. */
  viewer: z.object({ liked: z.boolean(), reposted: z.boolean() }).optional(),
  /** The post this one replies to (global id), when known. */
  replyTo: z.string().optional(),
  /**
   * The post's language as the network states it (X `lang`, Mastodon `language`, Bluesky
   * `langs[0]`), a BCP-47 tag ("fr", "pt-BR"); absent when the network does not say.
   */
  language: z.string().max(35).optional(),
  /** The author's content warning (Mastodon's spoiler text): the post is folded behind it. */
  contentWarning: z.string().optional(),
  /** Custom emoji used in `text`, `contentWarning` and the poll's options (Mastodon). */
  emojis: z.array(CustomEmojiSchema).optional(),
  /** The viewer's moderation: what is folded or hidden, and why (in the network's words). */
  moderation: z.array(ModerationSchema).optional(),
  /** The post's poll, if it has one. */
  poll: PollSchema.optional(),
  /**
   * A link preview card (Bluesky `app.bsky.embed.external`, Mastodon `card`): the link may live
   * only here (Bluesky posters remove the URL from the text once the card is made).
   */
  card: z
    .object({
      url: z.string().min(1),
      title: z.string().max(1000),
      description: z.string().max(2000).optional(),
      imageUrl: z.string().nullable().optional(),
    })
    .optional(),
  /**
   * Something the post carries that Colonnade cannot show (a Bluesky embed type it does not know,
   * by its `$type`): the post is still shown, with this said in words.
   */
  unsupported: z.string().max(200).optional(),
};

/** A post shown inside another (a quote): a whole post, but it quotes nothing itself. */
export const QuotedPostSchema = z.object(PostFields);
export type QuotedPost = z.infer<typeof QuotedPostSchema>;

export const PostSchema = z.object({
  ...PostFields,
  /** The post this one quotes (X `quoted`, Bluesky `embed.record`, Mastodon `quote`), when readable. */
  quote: QuotedPostSchema.optional(),
  /** Why the quoted post cannot be shown ("deleted", "blocked"…), when it quotes one that is not readable. */
  quoteUnavailable: z.string().max(200).optional(),
});
export type Post = z.infer<typeof PostSchema>;

/**
 * Why part of a conversation cannot be shown, one key per kind of note; the UI words each under
 * i18n `threadNotes.<reason>`. `thread-<network>-…` are one network's own; the others say the same
 * thing on any network.
 */
export const THREAD_NOTE_REASONS = [
  'thread-ancestor-deleted',
  'thread-ancestor-blocked',
  'thread-ancestor-not-shown',
  'thread-ancestors-cut',
  'thread-ancestors-moderated',
  'thread-replies-filtered',
  'thread-replies-moderated',
  'thread-replies-blocked',
  'thread-replies-deleted',
  'thread-replies-hidden-by-author',
  'thread-replies-unplaceable',
  'thread-x-ancestor-protected',
  'thread-x-ancestor-unavailable',
  'thread-x-search-not-in-plan',
  'thread-x-search-rate-limited',
  'thread-x-search-window',
  'thread-mastodon-refreshing',
  'thread-bluesky-replies-unserved',
] as const;
export const ThreadNoteReasonSchema = z.enum(THREAD_NOTE_REASONS);
export type ThreadNoteReason = z.infer<typeof ThreadNoteReasonSchema>;

/**
 * One note of a thread: its reason key, the words it names (`params`, e.g. `server`: the
 * Mastodon server, "mastodon.social") and, for a note about several posts, how many (`count`,
 * which picks the plural form).
 */
export const ThreadNoteSchema = z.object({
  reason: ThreadNoteReasonSchema,
  params: z.record(z.string().max(40), z.string().max(300)).optional(),
  count: z.number().int().positive().optional(),
});
export type ThreadNote = z.infer<typeof ThreadNoteSchema>;

/** A ThreadNote, with `count` and `params` only when given (a count of 0 makes no note: callers skip it). */
export function threadNote(reason: ThreadNoteReason, count?: number, params?: Record<string, string>): ThreadNote {
  return { reason, ...(count !== undefined ? { count } : {}), ...(params ? { params } : {}) };
}

/**
 * A post in its conversation, as the network shows it: what it replies to (root first), and its
 * replies (depth-first in the network's order, each with its depth below the post, 1 = a direct
 * reply). `more` counts replies the network knows of but did not include (beyond what it serves
 * at once, hidden, blocked, or beyond its search window).
 */
export const ThreadViewSchema = z.object({
  ancestors: z.array(PostSchema),
  post: PostSchema,
  replies: z.array(z.object({ post: PostSchema, depth: z.number().int().positive() })),
  more: z.number().int().nonnegative(),
  /** Why parts of the conversation cannot be shown, in the order said (absent when nothing is missing). */
  notes: z.array(ThreadNoteSchema).max(20).optional(),
});
export type ThreadView = z.infer<typeof ThreadViewSchema>;

/**
 * Profile states the adapters say with these words, each worded under i18n `profileFlags.<flag>`:
 * Mastodon's Account booleans and relationship (`bot`, `locked`, `group`, `suspended`, `limited`,
 * `memorial`, `moved`, `blocking`, `blocked-by`, `muting`, `requested`), X's user fields
 * (`locked` for `protected`, `verified`, `verified-business`, `verified-government`, `parody`,
 * `withheld`), Bluesky's (`labeler`, `verified`, `blocking`, `blocked-by`, `muting`).
 */
export const PROFILE_FLAGS = [
  'bot',
  'locked',
  'group',
  'suspended',
  'limited',
  'memorial',
  'moved',
  'blocking',
  'blocked-by',
  'muting',
  'requested',
  'labeler',
  'verified',
  'verified-business',
  'verified-government',
  'parody',
  'withheld',
] as const;
export type ProfileFlag = (typeof PROFILE_FLAGS)[number];

/** A profile with what its page shows: bio, counts (null where the network hides them), relation. */
export const ProfileDetailsSchema = ProfileSchema.extend({
  bio: z.string().max(5000),
  followers: z.number().int().nonnegative().nullable(),
  following: z.number().int().nonnegative().nullable(),
  posts: z.number().int().nonnegative().nullable(),
  bannerUrl: z.string().nullable().optional(),
  /** How the viewing account relates to it, where the network says. */
  viewer: z.object({ following: z.boolean(), followedBy: z.boolean() }).optional(),
  /**
   * The network's own states (PROFILE_FLAGS, which the UI words) and labels (Bluesky label
   * values such as `!no-unauthenticated` or a labeller's own, shown as they are).
   */
  flags: z.array(z.string().max(50)).max(20).optional(),
});
export type ProfileDetails = z.infer<typeof ProfileDetailsSchema>;

export const NOTIFICATION_KINDS = ['like', 'repost', 'follow', 'mention', 'reply', 'quote', 'other'] as const;
export const NotificationKindSchema = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof NotificationKindSchema>;

/**
 * A timeline entry: how one column met a post (design: "Posts and timeline entries"). Columns
 * order entries by `at`, the time the entry entered the timeline (a repost's time, a
 * notification's time), the way the network orders its timeline; the post itself is shared by
 * every column and updated in place.
 */
export const TimelineEntrySchema = z.object({
  /**
   * Unique within a column: the post's id for a plain post, the network's id of a repost or
   * notification, or a group key (`like:<postId>`) for notifications grouped by post. An entry
   * delivered again with the same key replaces (for groups: merges into) the stored one.
   */
  key: z.string().min(1).max(600),
  /** When the entry entered the timeline (ISO instant). */
  at: InstantSchema,
  /** The post, or null where there is none (a follow). */
  post: PostSchema.nullable(),
  /** Shown in this column because this profile reposted (boosted) the post. */
  repostedBy: ProfileSchema.optional(),
  /** For notification columns: who did what ("Gina and 3 others liked your post"). */
  notification: z
    .object({
      kind: NotificationKindSchema,
      /** Who did it, most recent first (may be a sample of them). */
      actors: z.array(ProfileSchema).min(1).max(100),
      /** How many did it in all (at least `actors.length`). */
      count: z.number().int().positive(),
      /** The network's own word for an `other` kind (poll ended, edited, follow request…). */
      type: z.string().max(100).optional(),
      /**
       * An emoji reaction's emoji (Pleroma/Akkoma `pleroma:emoji_reaction` `emoji`, Firefish-family
       * `reaction`): a Unicode emoji ("🎉"), or `:shortcode:` for a custom one with its image in
       * `reactionUrl`. Reactions are grouped by post and emoji.
       */
      reaction: z.string().min(1).max(100).optional(),
      reactionUrl: z.string().min(1).max(2000).optional(),
    })
    .optional(),
  /**
   * A gap marker (with `post: null`): entries between `from` and `to` could not be loaded (the
   * network serves nothing that old, the rate budget ran out, the app was closed too long). The
   * column shows it in words with "Load them"; it leaves the column once filled. Its key is
   * `gap:<id>` and its `at` lies just below the oldest entry loaded above it.
   */
  gap: z
    .object({
      id: z.string().min(1).max(100),
      /** The newest entry known below the gap (ISO instant), or null when unknown. */
      from: InstantSchema.nullable(),
      /** The oldest entry loaded above the gap (ISO instant). */
      to: InstantSchema,
      /**
       * Why it is there: the network serves nothing that old (`horizon`); more arrived than is
       * read at once or the rate budget allows (`budget`: it fills in the background too); a
       * request failed half-way (`failed`).
       */
      why: z.enum(['horizon', 'budget', 'failed']),
    })
    .optional(),
  /** Cross-network columns: which of the CM's profiles met this entry (the post carries its network). */
  via: z.string().min(1).max(200).optional(),
});
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

/** A plain timeline entry for a post met in a column at the time it was posted. */
export function entryOf(post: Post, extra: Partial<Omit<TimelineEntry, 'post'>> = {}): TimelineEntry {
  return { key: post.id, at: post.createdAt, post, ...extra };
}

/** Opaque to everyone but the adapter that made it. */
export const CursorSchema = z.string().min(1).max(2048);
export type Cursor = z.infer<typeof CursorSchema>;

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    /** Where to continue towards older items; null at the end of history. */
    older: CursorSchema.nullable(),
    /** Where to continue towards newer items. */
    newer: CursorSchema.nullable(),
    /** Items of this page that could not be read (logged with their ids by main). */
    skipped: z.number().int().nonnegative().optional(),
  });
export interface Page<T> {
  items: T[];
  older: Cursor | null;
  newer: Cursor | null;
  /** Items of this page the adapter could not read: left out, logged with their ids, counted here. */
  skipped?: number;
  /**
   * Direction 'newer' only: where to read the next page down towards the request's first cursor
   * when this page did not reach it (more arrived than one page holds); null or absent when it did.
   */
  between?: Cursor | null;
  /**
   * Direction 'newer' only: the network serves nothing older than this instant for this timeline
   * (X recent search: 7 days), so what lies between the request's cursor and it cannot be read.
   */
  horizon?: string;
}

export const COLUMN_KINDS = [
  'home',
  'mentions',
  'notifications',
  'hashtag',
  'search',
  'user',
  'list',
  'scheduled',
  'drafts',
  'monitor',
  /** The CM's own posts with their engagement rates (the analytics archive, this computer's). */
  'analytics',
] as const;
export const ColumnKindSchema = z.enum(COLUMN_KINDS);
export type ColumnKind = z.infer<typeof ColumnKindSchema>;

/** Column kinds that need a query (hashtag, keywords, handle, list id). */
export const QUERY_KINDS: ReadonlySet<ColumnKind> = new Set(['hashtag', 'search', 'user', 'list']);

export const COLUMN_WIDTH = { min: 260, max: 640, default: 340 } as const;

const Word = z.string().trim().min(1).max(100);
/**
 * A monitor: a query watched on one or more of the CM's profiles, on any networks, merged into one
 * column ordered by time (column kind `monitor`). A post matches when it carries one of the
 * hashtags or contains one of the keywords (whole words, case-insensitive) and is in `language`
 * when one is set; what contains one of the exclusions is hidden in the column with a count
 * (shared/filters.ts `columnFilters`) and never alerts. Hashtags are stored without '#'.
 */
export const MonitorQuerySchema = z
  .object({
    hashtags: z.array(Word.regex(/^[^\s#]+$/u, 'hashtag-has-space')).max(20),
    keywords: z.array(Word).max(20),
    exclude: z.array(Word).max(20),
    /** An ISO 639-1 code ("fr"); absent for every language. */
    language: z
      .string()
      .regex(/^[a-z]{2,3}$/)
      .optional(),
    /** The profiles (at least one) whose networks are searched. */
    profileIds: z.array(z.string().min(1)).min(1, 'monitor-needs-profile').max(20),
  })
  .refine((m) => m.hashtags.length + m.keywords.length > 0, { message: 'monitor-needs-query', path: ['hashtags'] });
export type MonitorQuery = z.infer<typeof MonitorQuerySchema>;

/**
 * When a column alerts (a desktop notification, the tray badge, a sound if asked): on every new
 * post, only on posts from listed accounts, only above an engagement threshold (likes + reposts +
 * replies + quotes), or on a burst of `burstPosts` posts within `burstMinutes`. Quiet hours
 * ("22:00"–"07:00", local time) hold notifications back (the badge still counts).
 */
export const AlertRuleSchema = z.object({
  enabled: z.boolean(),
  when: z.enum(['every', 'accounts', 'engagement', 'burst']),
  /** Handles (without '@'), for `accounts`. */
  accounts: z.array(Word).max(100).default([]),
  minEngagement: z.number().int().nonnegative().max(10_000_000).default(0),
  burstPosts: z.number().int().min(2).max(10_000).default(10),
  burstMinutes: z.number().int().min(1).max(1440).default(10),
  sound: z.boolean().default(false),
  quietHours: z
    .object({ from: z.string().regex(/^\d{2}:\d{2}$/), to: z.string().regex(/^\d{2}:\d{2}$/) })
    .nullable()
    .default(null),
});
export type AlertRule = z.infer<typeof AlertRuleSchema>;

/**
 * What a column hides and how it shows (renderer-side): filters are applied when reading, and the
 * column says how many entries they hid, with one click to show them.
 */
export const ColumnOptionsSchema = z.object({
  density: z.enum(['comfortable', 'compact']).default('comfortable'),
  /** Media previews shown (true) or only named (false). */
  media: z.boolean().default(true),
  filters: z
    .object({
      excludeReposts: z.boolean().default(false),
      excludeReplies: z.boolean().default(false),
      mediaOnly: z.boolean().default(false),
      minLikes: z.number().int().nonnegative().max(10_000_000).default(0),
      minReposts: z.number().int().nonnegative().max(10_000_000).default(0),
      minReplies: z.number().int().nonnegative().max(10_000_000).default(0),
      /** Only posts from these handles (without '@'). */
      from: z.array(Word).max(100).default([]),
      /** Only posts mentioning these handles. */
      mentioning: z.array(Word).max(100).default([]),
      /** Only posts in this language (ISO 639-1), where the network says. */
      language: z
        .string()
        .regex(/^[a-z]{2,3}$/)
        .optional(),
      /** Words, or regular expressions written /like this/i, hidden in this column. */
      mute: z.array(z.string().min(1).max(200)).max(200).default([]),
    })
    .default({
      excludeReposts: false,
      excludeReplies: false,
      mediaOnly: false,
      minLikes: 0,
      minReposts: 0,
      minReplies: 0,
      from: [],
      mentioning: [],
      mute: [],
    }),
});
export type ColumnOptions = z.infer<typeof ColumnOptionsSchema>;

export const ColumnSpecSchema = z
  .object({
    kind: ColumnKindSchema,
    profileId: z.string().min(1),
    query: z.string().trim().max(500).optional(),
    /** A readable name where the query is an id (a list's or feed's name). */
    label: z.string().trim().max(100).optional(),
    /** For `monitor` columns: what to watch and on which profiles (`profileId` is the first of them). */
    monitor: MonitorQuerySchema.optional(),
  })
  .refine((spec) => spec.kind !== 'monitor' || spec.monitor !== undefined, {
    message: 'monitor-needs-query',
    path: ['monitor'],
  })
  .refine((spec) => !QUERY_KINDS.has(spec.kind) || (spec.query ?? '').replace(/^[#@]/, '').length > 0, {
    message: 'column-needs-query', // a key of the UI's `reasons` (ipc-router's badRequestOf)
    path: ['query'],
  })
  // "#foo bar" is no hashtag (a tag ends at the first space on every network): such a column
  // would stay empty for ever. The words suggest a Search column for several words.
  .refine((spec) => spec.kind !== 'hashtag' || !hashtagHasSpace(spec.query ?? ''), {
    message: 'hashtag-has-space',
    path: ['query'],
  });

/** True when a hashtag column's query holds a space between words ("#foo bar"): not one hashtag. */
export function hashtagHasSpace(query: string): boolean {
  return /\s/u.test(query.trim());
}

export type ColumnSpec = z.infer<typeof ColumnSpecSchema>;

export const ColumnSchema = z.object({
  id: z.string().min(1),
  kind: ColumnKindSchema,
  profileId: z.string().min(1),
  query: z.string().optional(),
  label: z.string().optional(),
  width: z.number().int().min(COLUMN_WIDTH.min).max(COLUMN_WIDTH.max),
  monitor: MonitorQuerySchema.optional(),
  options: ColumnOptionsSchema.optional(),
  alerts: AlertRuleSchema.optional(),
});
export type Column = z.infer<typeof ColumnSchema>;

/** The profiles a column reads from: a monitor's profiles, else its one profile. */
export function columnProfiles(column: Pick<Column, 'profileId' | 'monitor'>): string[] {
  return column.monitor ? column.monitor.profileIds : [column.profileId];
}

export const DeckNameSchema = z
  .string()
  .trim()
  .min(1, 'deck-name-empty') // keys of the UI's `reasons`, translated there
  .max(60, 'deck-name-too-long');

export const DeckSchema = z.object({
  id: z.string().min(1),
  name: DeckNameSchema,
  columns: z.array(ColumnSchema).max(50),
});
export type Deck = z.infer<typeof DeckSchema>;

export const LayoutSchema = z
  .object({
    decks: z.array(DeckSchema).min(1),
    activeDeckId: z.string().min(1),
  })
  .refine((l) => l.decks.some((d) => d.id === l.activeDeckId), {
    message: 'active-deck-missing',
  });
export type Layout = z.infer<typeof LayoutSchema>;

export const AccountHealthSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('connected') }),
  z.object({ state: z.literal('needs-reconnect') }),
  z.object({ state: z.literal('rate-limited'), until: InstantSchema }),
  /** `reason`: main's English words (logs, older documents); `error`: the refusal, for the UI's words. */
  z.object({ state: z.literal('not-allowed'), reason: z.string(), error: AppErrorSchema.optional() }),
]);
export type AccountHealth = z.infer<typeof AccountHealthSchema>;

/** A profile the user can build columns for, as the renderer sees it (never any secret). */
export const AccountSchema = z.object({
  id: z.string().min(1),
  network: NetworkIdSchema,
  profile: ProfileSchema,
  health: AccountHealthSchema,
  /** Practice data (Sandbox): the UI labels it so. */
  practice: z.boolean(),
  columnKinds: z.array(ColumnKindSchema),
  /** The API base URL, instance or service the account talks to (null for Sandbox). */
  server: z.string().nullable(),
  /** How it was connected (absent for Sandbox): "Reconnect" offers that form again. */
  connectedWith: ConnectMethodSchema.optional(),
  /** How the network counts a post's length, and its limits (for the composer's counter). */
  textRules: z.object({
    counting: z.enum(['weighted', 'graphemes', 'characters']),
    maxLength: z.number().int().positive(),
    /** A second limit in bytes of UTF-8 (Bluesky: 3,000). */
    maxBytes: z.number().int().positive().optional(),
    /** What one link counts (Mastodon's characters_reserved_per_url), where not the default. */
    urlLength: z.number().int().nonnegative().optional(),
    maxImages: z.number().int().nonnegative(),
    maxAltLength: z.number().int().nonnegative(),
  }),
  /** What media a post may carry (kinds, sizes, counts; media-rules.ts), for the composer's checks. */
  mediaRules: MediaRulesSchema.optional(),
});
export type Account = z.infer<typeof AccountSchema>;
