// The normalized model every network adapter speaks, and the deck layout main owns.
// Plain zod schemas: main validates with them at the IPC boundary, both sides take their types.
import { z } from 'zod';

export const NETWORKS = ['sandbox', 'x', 'bluesky', 'mastodon'] as const;
export const NetworkIdSchema = z.enum(NETWORKS);
export type NetworkId = z.infer<typeof NetworkIdSchema>;

/** An ISO-8601 instant, always UTC ("2026-11-25T08:00:00.000Z"). */
export const InstantSchema = z.iso.datetime();

export const ProfileSchema = z.object({
  /** Globally unique: `${network}:${nativeId}`. */
  id: z.string().min(1),
  network: NetworkIdSchema,
  handle: z.string().min(1),
  displayName: z.string(),
  avatarUrl: z.string().nullable(),
  url: z.string().nullable(),
});
export type Profile = z.infer<typeof ProfileSchema>;

export const MetricsSchema = z.object({
  likes: z.number().int().nonnegative(),
  reposts: z.number().int().nonnegative(),
  replies: z.number().int().nonnegative(),
  quotes: z.number().int().nonnegative(),
  /** Only X reports impressions; null where the network has none. */
  impressions: z.number().int().nonnegative().nullable(),
});
export type Metrics = z.infer<typeof MetricsSchema>;

/** A span of the post text (UTF-16 offsets, end exclusive) that is a hashtag, link or mention. */
export const EntitySchema = z.object({
  kind: z.enum(['hashtag', 'link', 'mention']),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  /** Hashtag without '#', full URL, or handle without '@'. */
  value: z.string(),
});
export type Entity = z.infer<typeof EntitySchema>;

export const MediaSchema = z.object({
  kind: z.enum(['image', 'video', 'gif']),
  alt: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Null for placeholders (Sandbox) or media not yet fetched. */
  url: z.string().nullable(),
  /** A colour to paint while (or instead of) loading. */
  placeholderColor: z.string(),
});
export type Media = z.infer<typeof MediaSchema>;

export const PostSchema = z.object({
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
  /** Shown in this timeline because this profile reposted (boosted) it. */
  repostedBy: ProfileSchema.optional(),
  /** The author's content warning (Mastodon's spoiler text): the post is folded behind it. */
  contentWarning: z.string().optional(),
});
export type Post = z.infer<typeof PostSchema>;

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
  });
export interface Page<T> {
  items: T[];
  older: Cursor | null;
  newer: Cursor | null;
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
] as const;
export const ColumnKindSchema = z.enum(COLUMN_KINDS);
export type ColumnKind = z.infer<typeof ColumnKindSchema>;

/** Column kinds that need a query (hashtag, keywords, handle, list id). */
export const QUERY_KINDS: ReadonlySet<ColumnKind> = new Set(['hashtag', 'search', 'user', 'list']);

export const COLUMN_WIDTH = { min: 260, max: 640, default: 340 } as const;

export const ColumnSpecSchema = z
  .object({
    kind: ColumnKindSchema,
    profileId: z.string().min(1),
    query: z.string().trim().max(500).optional(),
    /** A readable name where the query is an id (a list's or feed's name). */
    label: z.string().trim().max(100).optional(),
  })
  .refine((spec) => !QUERY_KINDS.has(spec.kind) || (spec.query ?? '').replace(/^[#@]/, '').length > 0, {
    message: 'This column type needs a hashtag, keywords, handle or list.',
    path: ['query'],
  });
export type ColumnSpec = z.infer<typeof ColumnSpecSchema>;

export const ColumnSchema = z.object({
  id: z.string().min(1),
  kind: ColumnKindSchema,
  profileId: z.string().min(1),
  query: z.string().optional(),
  label: z.string().optional(),
  width: z.number().int().min(COLUMN_WIDTH.min).max(COLUMN_WIDTH.max),
});
export type Column = z.infer<typeof ColumnSchema>;

export const DeckNameSchema = z
  .string()
  .trim()
  .min(1, 'A deck needs a name.')
  .max(60, 'Deck names are at most 60 characters.');

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
    message: 'The active deck must exist.',
  });
export type Layout = z.infer<typeof LayoutSchema>;

export const AccountHealthSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('connected') }),
  z.object({ state: z.literal('needs-reconnect') }),
  z.object({ state: z.literal('rate-limited'), until: InstantSchema }),
  z.object({ state: z.literal('not-allowed'), reason: z.string() }),
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
  /** How the network counts a post's length, and its limits (for the composer's counter). */
  textRules: z.object({
    counting: z.enum(['weighted', 'graphemes', 'characters']),
    maxLength: z.number().int().positive(),
    maxImages: z.number().int().nonnegative(),
    maxAltLength: z.number().int().nonnegative(),
  }),
});
export type Account = z.infer<typeof AccountSchema>;
