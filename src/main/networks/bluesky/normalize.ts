// Bluesky's views as Colonnade's normalized Post and Profile.
//
// Views follow the lexicons of @atproto/api (app.bsky.feed.defs#postView, app.bsky.embed.*#view).
// A post Colonnade cannot read faithfully (its record is not a valid app.bsky.feed.post, its author
// is missing) throws UnreadableItem: the caller leaves it out, logs it with its URI, and counts it
// (Page.skipped). An embed Colonnade does not know is no reason to leave a post out (lexicon unions
// are open): the post is shown with its text, and `unsupported` names what it cannot show.
import {
  AppBskyEmbedExternal,
  AppBskyEmbedGallery,
  AppBskyEmbedImages,
  AppBskyEmbedRecord,
  AppBskyEmbedRecordWithMedia,
  AppBskyEmbedVideo,
  AppBskyFeedDefs,
  AppBskyFeedPost,
  AppBskyGraphDefs,
  AppBskyLabelerDefs,
  AtUri,
  moderatePost,
  type AppBskyActorDefs,
  type ComAtprotoLabelDefs,
  type ModerationOpts,
} from '@atproto/api';
import { ColonnadeError } from '../../../shared/errors';
import type {
  Entity,
  Media,
  Metrics,
  Moderation,
  Post,
  Profile,
  ProfileDetails,
  QuotedPost,
} from '../../../shared/model';

export const NETWORK = 'bluesky' as const;
const WEB = 'https://bsky.app';
const PLACEHOLDER = '#1f3b57';
const POST = 'app.bsky.feed.post';

/** A post (or feed item) that cannot be shown as the network has it; `uri` names it in the log. */
export class UnreadableItem extends Error {
  constructor(
    readonly uri: string,
    why: string,
  ) {
    super(why);
    this.name = 'UnreadableItem';
  }
}

// ---- ids ------------------------------------------------------------------------------------

/** A post's AT-URI as a native id: percent-encoded, so it holds no ':' or '/'. */
export const nativeIdOf = (uri: string): string => encodeURIComponent(uri);
export const postIdOf = (uri: string): string => `${NETWORK}:${nativeIdOf(uri)}`;

/** The AT-URI of a global post id this adapter made; throws not-found for anything else. */
export function uriOfPostId(postId: string): string {
  const prefix = `${NETWORK}:`;
  if (!postId.startsWith(prefix)) throw new ColonnadeError('not-found', 'That post is not a Bluesky post.');
  let uri: string;
  try {
    uri = decodeURIComponent(postId.slice(prefix.length));
  } catch {
    throw new ColonnadeError('not-found', 'That Bluesky post id is not valid.');
  }
  const parsed = parseAtUri(uri);
  if (!parsed || parsed.collection !== POST || !parsed.rkey) {
    throw new ColonnadeError('not-found', 'That Bluesky post id is not valid.');
  }
  return uri;
}

export function parseAtUri(uri: string): { did: string; collection: string; rkey: string } | null {
  if (typeof uri !== 'string' || !uri.startsWith('at://')) return null;
  try {
    const at = new AtUri(uri);
    return { did: at.host, collection: at.collection, rkey: at.rkey };
  } catch {
    return null;
  }
}

// ---- text ------------------------------------------------------------------------------------

/**
 * UTF-16 index of every UTF-8 byte offset that starts a code point (and of the end), for
 * turning facet byte ranges into offsets in the JavaScript string.
 */
function utf16IndexOfByte(text: string): Map<number, number> {
  const map = new Map<number, number>();
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    map.set(bytes, i);
    const cp = text.codePointAt(i) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp > 0xffff ? 2 : 1;
  }
  map.set(bytes, i);
  return map;
}

interface FacetLike {
  index?: { byteStart?: unknown; byteEnd?: unknown };
  features?: unknown;
}

/**
 * Facets (app.bsky.richtext.facet: UTF-8 byte ranges) as entities (UTF-16 ranges). A link keeps
 * its full URI as `value` while the text shows what the author wrote (often shortened); malformed
 * facets, or ones that split a character, are skipped.
 */
export function entitiesFromFacets(text: string, facets: unknown): Entity[] {
  if (!Array.isArray(facets) || facets.length === 0) return [];
  const at = utf16IndexOfByte(text);
  const out: Entity[] = [];
  for (const facet of facets as FacetLike[]) {
    const start = at.get(Number(facet?.index?.byteStart));
    const end = at.get(Number(facet?.index?.byteEnd));
    if (start === undefined || end === undefined || end <= start) continue;
    const features = Array.isArray(facet.features) ? (facet.features as Array<Record<string, unknown>>) : [];
    for (const f of features) {
      const type = typeof f?.$type === 'string' ? f.$type : '';
      if (type === 'app.bsky.richtext.facet#link' && typeof f.uri === 'string') {
        out.push({ kind: 'link', start, end, value: f.uri });
      } else if (type === 'app.bsky.richtext.facet#tag' && typeof f.tag === 'string') {
        out.push({ kind: 'hashtag', start, end, value: f.tag.replace(/^#/, '') });
      } else if (type === 'app.bsky.richtext.facet#mention' && typeof f.did === 'string') {
        out.push({ kind: 'mention', start, end, value: text.slice(start, end).replace(/^@/, '') });
      } else {
        continue;
      }
      break; // one entity per span
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

// ---- media -----------------------------------------------------------------------------------

function size(ratio: { width?: number; height?: number } | undefined): { width: number; height: number } {
  const w = Math.round(ratio?.width ?? 0);
  const h = Math.round(ratio?.height ?? 0);
  return w > 0 && h > 0 ? { width: w, height: h } : { width: 1, height: 1 };
}

const image = (img: { alt: string; fullsize: string; aspectRatio?: { width: number; height: number } }): Media => ({
  kind: 'image',
  alt: typeof img.alt === 'string' ? img.alt : '',
  ...size(img.aspectRatio),
  url: img.fullsize,
  placeholderColor: PLACEHOLDER,
});

type Card = NonNullable<Post['card']>;

/** An embed view as the lexicons type it (every union is open: `{ $type: string }` is any other). */
type EmbedView =
  | NonNullable<AppBskyFeedDefs.PostView['embed']>
  | AppBskyEmbedRecordWithMedia.View['media']
  | NonNullable<AppBskyEmbedRecord.ViewRecord['embeds']>[number];

/** What a post's embed shows: its media, its link card, or the word for what Colonnade cannot show. */
export interface EmbedParts {
  media: Media[];
  card?: Card;
  /** The embed's `$type` when Colonnade does not know it (or it is malformed). */
  unsupported?: string;
}

const typeOf = (v: unknown): string => {
  const t = (v as { $type?: unknown } | null | undefined)?.$type;
  return typeof t === 'string' && t ? t : 'embed without a $type';
};
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** An app.bsky.embed.external#viewExternal as a card (title 1000, description 2000 UTF-16 units at most). */
function cardOf(external: unknown): Card | undefined {
  const e = external as { uri?: unknown; title?: unknown; description?: unknown; thumb?: unknown } | null;
  const url = str(e?.uri)?.trim();
  if (!url) return undefined;
  const description = str(e?.description)?.trim().slice(0, 2000);
  const thumb = str(e?.thumb);
  return {
    url,
    title: (str(e?.title) ?? '').trim().slice(0, 1000),
    ...(description ? { description } : {}),
    ...(thumb ? { imageUrl: thumb } : {}),
  };
}

/**
 * What an embed view shows (lexicons app.bsky.embed.images / gallery / video / external #view, and
 * recordWithMedia's `media`, itself one of those): media, a link card (external: its `uri`,
 * `title`, `description`, `thumb`), nothing of its own (record#view: the quote is read by
 * quoteOf). Lexicon unions are open (atproto spec, Lexicon "union": new types may appear, readers
 * skip what they do not know), so an embed of a type Colonnade does not know, or a known one
 * missing its required fields, never fails the post: its `$type` comes back as `unsupported`.
 */
export function embedOf(value: unknown): EmbedParts {
  if (value === undefined || value === null) return { media: [] };
  const unsupported = (): EmbedParts => ({ media: [], unsupported: typeOf(value).slice(0, 200) });
  if (typeof value !== 'object') return unsupported();
  const embed = value as EmbedView;
  const images = (list: unknown): Media[] | null =>
    Array.isArray(list)
      ? list.filter((i): i is AppBskyEmbedImages.ViewImage => typeof i?.fullsize === 'string').map((i) => image(i))
      : null;
  if (AppBskyEmbedImages.isView(embed)) {
    const media = images(embed.images);
    return media ? { media } : unsupported();
  }
  if (AppBskyEmbedGallery.isView(embed)) {
    const items: unknown = embed.items;
    const media = images(Array.isArray(items) ? items.filter((i) => AppBskyEmbedGallery.isViewImage(i)) : null);
    return media ? { media } : unsupported();
  }
  if (AppBskyEmbedVideo.isView(embed)) {
    return {
      media: [
        {
          kind: embed.presentation === 'gif' ? 'gif' : 'video',
          alt: str(embed.alt) ?? '',
          ...size(embed.aspectRatio),
          url: str(embed.thumbnail) ?? null,
          placeholderColor: PLACEHOLDER,
        },
      ],
    };
  }
  if (AppBskyEmbedExternal.isView(embed)) {
    const card = cardOf(embed.external);
    return card ? { media: [], card } : unsupported();
  }
  if (AppBskyEmbedRecordWithMedia.isView(embed)) {
    const media: unknown = embed.media;
    // The media of a recordWithMedia is never itself a record (lexicon); say so if it is.
    if (AppBskyEmbedRecord.isView(media) || AppBskyEmbedRecordWithMedia.isView(media)) {
      return { media: [], unsupported: typeOf(media).slice(0, 200) };
    }
    return embedOf(media ?? { $type: `${typeOf(embed)} without media` });
  }
  if (AppBskyEmbedRecord.isView(embed)) return { media: [] };
  return unsupported();
}

// ---- profiles and posts -----------------------------------------------------------------------

export function profileOf(
  actor: Pick<AppBskyActorDefs.ProfileViewBasic, 'did' | 'handle' | 'displayName' | 'avatar'>,
): Profile {
  return {
    id: `${NETWORK}:${actor.did}`,
    network: NETWORK,
    handle: actor.handle,
    displayName: actor.displayName?.trim() || actor.handle,
    avatarUrl: actor.avatar ?? null,
    url: `${WEB}/profile/${actor.handle}`,
  };
}

const nonNegative = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);

/**
 * A profile's page (app.bsky.actor.defs#profileViewDetailed): `description` as the bio,
 * `followersCount`, `followsCount`, `postsCount` (null when absent), `banner`, and how the viewer
 * relates to it (`viewer.following` / `viewer.followedBy` are the follow records' URIs when they
 * exist; left out for the viewer's own profile, `viewerDid`). `flags`: the account's labels in
 * force (values, negations applied: `!hide`, `porn`, a labeller's own…), `labeler` for a
 * labelling service, `verified` (verification `verifiedStatus` valid), and the viewer's
 * `blocking`, `blocked-by` and `muting`, deduplicated, at most 20.
 */
export function profileDetailsOf(view: AppBskyActorDefs.ProfileViewDetailed, viewerDid: string): ProfileDetails {
  const flags: string[] = [];
  const add = (flag: string) => {
    const f = flag.slice(0, 50);
    if (f && !flags.includes(f) && flags.length < 20) flags.push(f);
  };
  for (const label of effectiveLabels(view.labels)) add(label.val);
  if (view.associated?.labeler) add('labeler');
  if (view.verification?.verifiedStatus === 'valid') add('verified');
  if (view.viewer?.blocking || view.viewer?.blockingByList) add('blocking');
  if (view.viewer?.blockedBy) add('blocked-by');
  if (view.viewer?.muted || view.viewer?.mutedByList) add('muting');
  const own = view.did === viewerDid;
  return {
    ...profileOf(view),
    bio: (typeof view.description === 'string' ? view.description : '').slice(0, 5000),
    followers: nonNegative(view.followersCount),
    following: nonNegative(view.followsCount),
    posts: nonNegative(view.postsCount),
    bannerUrl: typeof view.banner === 'string' && view.banner ? view.banner : null,
    ...(own
      ? {}
      : { viewer: { following: Boolean(view.viewer?.following), followedBy: Boolean(view.viewer?.followedBy) } }),
    ...(flags.length > 0 ? { flags } : {}),
  };
}

export function webUrlOf(handle: string, uri: string): string | null {
  const rkey = parseAtUri(uri)?.rkey;
  return rkey ? `${WEB}/profile/${handle}/post/${rkey}` : null;
}

function isoOr(value: unknown, fallback: string): string {
  if (typeof value === 'string') {
    const t = Date.parse(value);
    if (Number.isFinite(t)) return new Date(t).toISOString();
  }
  const f = Date.parse(fallback);
  return new Date(Number.isFinite(f) ? f : 0).toISOString();
}

/**
 * When a post entered timelines, as the AppView sorts it: the earlier of its `createdAt` and the
 * time it was indexed (bsky data-plane indexing/plugins/post.js: `sortAt`), so a backdated post
 * sorts where its date says and a post dated in the future sorts at the time it arrived.
 */
export function sortTimeOf(view: AppBskyFeedDefs.PostView): string {
  const indexed = isoOr(view.indexedAt, '1970-01-01T00:00:00Z');
  const created = (view.record as { createdAt?: unknown } | undefined)?.createdAt;
  const c = typeof created === 'string' ? Date.parse(created) : NaN;
  return Number.isFinite(c) && c < Date.parse(indexed) ? new Date(c).toISOString() : indexed;
}

export interface PostRecordFields {
  text: string;
  facets: unknown;
  createdAt: unknown;
  replyParentUri: string | undefined;
}

export function recordFields(record: Record<string, unknown>): PostRecordFields {
  const reply = record.reply as { parent?: { uri?: unknown } } | undefined;
  const parentUri = reply?.parent?.uri;
  return {
    text: typeof record.text === 'string' ? record.text : '',
    facets: record.facets,
    createdAt: record.createdAt,
    replyParentUri: typeof parentUri === 'string' ? parentUri : undefined,
  };
}

export function metricsOf(view: {
  likeCount?: number;
  repostCount?: number;
  replyCount?: number;
  quoteCount?: number;
  bookmarkCount?: number;
}): Metrics {
  const n = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);
  return {
    likes: n(view.likeCount),
    reposts: n(view.repostCount),
    replies: n(view.replyCount),
    quotes: n(view.quoteCount),
    impressions: null,
    bookmarks: typeof view.bookmarkCount === 'number' ? n(view.bookmarkCount) : null,
  };
}

function assertAuthor(author: unknown, uri: string): asserts author is AppBskyActorDefs.ProfileViewBasic {
  const a = author as { did?: unknown; handle?: unknown } | null | undefined;
  if (!a || typeof a.did !== 'string' || typeof a.handle !== 'string' || !a.handle) {
    throw new UnreadableItem(uri, 'author missing');
  }
}

/** The record as a valid app.bsky.feed.post (lexicon validation of @atproto/api), else UnreadableItem. */
function postRecord(record: unknown, uri: string): AppBskyFeedPost.Record {
  if ((record as { $type?: unknown } | null)?.$type !== POST) {
    throw new UnreadableItem(uri, 'record is not an app.bsky.feed.post');
  }
  const valid = AppBskyFeedPost.validateRecord(record);
  if (!valid.success) throw new UnreadableItem(uri, `record fails validation: ${valid.error.message}`);
  return valid.value;
}

// ---- moderation ------------------------------------------------------------------------------

/**
 * English names of Bluesky's global labels, as the official app names them (the library's LABELS
 * carry no words). Labeller-defined labels use their own definition's English name.
 */
const LABEL_NAMES: Record<string, string> = {
  '!hide': 'Hidden by moderators',
  '!warn': 'Content warning',
  '!no-unauthenticated': 'Only for signed-in users',
  porn: 'Adult content',
  sexual: 'Sexually suggestive',
  nudity: 'Non-sexual nudity',
  'graphic-media': 'Graphic media',
  gore: 'Graphic media',
};

type Cause = ReturnType<ReturnType<typeof moderatePost>['ui']>['blurs'][number];

function causeText(cause: Cause): string {
  switch (cause.type) {
    case 'label': {
      const def = cause.labelDef;
      const global = LABEL_NAMES[cause.label.val];
      if (global && !def.definedBy) return global;
      const locale = def.locales?.find((l) => l.lang.toLowerCase().startsWith('en')) ?? def.locales?.[0];
      return locale?.name?.trim() || global || cause.label.val;
    }
    case 'mute-word':
      return 'Muted word';
    case 'muted':
      return 'Muted account';
    case 'hidden':
      return 'Post you hid';
    case 'blocking':
      return 'Account you blocked';
    case 'blocked-by':
      return 'Account that blocked you';
    case 'block-other':
      return 'Blocked account';
    default:
      return 'Moderation';
  }
}

/**
 * Labels with negations applied: a label with `neg: true` withdraws the same `src`/`uri`/`val`
 * given before it (atproto spec, "Labels": negation), and is itself no label.
 */
export function effectiveLabels(labels: readonly ComAtprotoLabelDefs.Label[] | undefined): ComAtprotoLabelDefs.Label[] {
  if (!Array.isArray(labels) || labels.length === 0) return [];
  // A label missing its source, subject or value names nothing (com.atproto.label.defs#label).
  labels = (labels as unknown[]).filter(
    (l): l is ComAtprotoLabelDefs.Label =>
      typeof (l as ComAtprotoLabelDefs.Label | null)?.src === 'string' &&
      typeof (l as ComAtprotoLabelDefs.Label).uri === 'string' &&
      typeof (l as ComAtprotoLabelDefs.Label).val === 'string',
  );
  const id = (l: ComAtprotoLabelDefs.Label) => `${l.src} ${l.uri} ${l.val}`;
  const negatedAt = new Map<string, number>();
  for (const l of labels) {
    if (l.neg) negatedAt.set(id(l), Math.max(negatedAt.get(id(l)) ?? -Infinity, Date.parse(l.cts) || Infinity));
  }
  return labels.filter((l) => {
    if (l.neg) return false;
    const neg = negatedAt.get(id(l));
    return neg === undefined || (Date.parse(l.cts) || 0) > neg;
  });
}

/**
 * The embed as moderatePost may read it: it follows a quote's `author.did` and a recordWithMedia's
 * `record.record` without checking (@atproto/api moderation/subjects/post.ts, decideEmbed). A
 * quote missing those is left out of the decision (quoteOf says it cannot be read).
 */
function moderatableEmbed(embed: AppBskyFeedDefs.PostView['embed']): AppBskyFeedDefs.PostView['embed'] {
  if (!AppBskyEmbedRecord.isView(embed) && !AppBskyEmbedRecordWithMedia.isView(embed)) return embed;
  const part = (embed as { record?: unknown }).record;
  if (typeof part !== 'object' || part === null) return undefined;
  const quoted = quotedOf(embed);
  if (AppBskyEmbedRecord.isViewRecord(quoted) || AppBskyEmbedRecord.isViewBlocked(quoted)) {
    const author = (quoted as { author?: { did?: unknown } | null }).author;
    if (typeof author?.did !== 'string') return undefined;
  }
  return embed;
}

export interface ModerationOptions {
  /** A muted account's posts are not left out (its own feed, which the viewer opened). */
  ignoreMutes?: boolean;
  /**
   * What would leave the post out folds it instead, with the same words: a post the viewer opened
   * herself, as Bluesky's app shows a thread's focused post whatever hides it from feeds.
   */
  foldFilters?: boolean;
}

export interface Moderated {
  /** Leave the post out: the viewer's preferences hide it (`!hide`, a label set to hide, a muted word…). */
  hide: boolean;
  moderation: Moderation[];
}

/**
 * The viewer's moderation of a post, decided by @atproto/api's `moderatePost` with the viewer's
 * preferences (label settings, subscribed labellers and their definitions, adult content, muted
 * words, hidden posts): `contentList` filters leave it out; `contentList` blurs fold the post
 * (`!warn`, a labeller's label that blurs content); `contentMedia` blurs hide its media (porn,
 * sexual, nudity, graphic-media). Self-labels come in `labels` from the AppView with `src` = author.
 */
export function moderationOf(
  view: AppBskyFeedDefs.PostView,
  opts: ModerationOpts | undefined,
  options: ModerationOptions = {},
): Moderated {
  if (!opts) return { hide: false, moderation: [] };
  const embed = moderatableEmbed(view.embed);
  const { embed: _all, ...rest } = view;
  const decision = moderatePost({ ...rest, ...(embed ? { embed } : {}), labels: effectiveLabels(view.labels) }, opts);
  const list = decision.ui('contentList');
  const media = decision.ui('contentMedia');
  const filters = options.ignoreMutes ? list.filters.filter((c) => c.type !== 'muted') : list.filters;
  const out: Moderation[] = [];
  const seen = new Set<string>();
  const add = (scope: Moderation['scope'], cause: Cause) => {
    const text = causeText(cause).slice(0, 500);
    const key = `${scope} ${text}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ scope, source: cause.type === 'label' ? 'label' : 'filter', text });
  };
  if (options.foldFilters) for (const cause of filters) add('post', cause);
  for (const cause of list.blurs) add('post', cause);
  for (const cause of media.blurs) add('media', cause);
  return { hide: !options.foldFilters && filters.length > 0, moderation: out };
}

// ---- quotes ----------------------------------------------------------------------------------

/** The record#view inside an embed view (record or recordWithMedia), if any. */
function quotedOf(embed: AppBskyFeedDefs.PostView['embed']): AppBskyEmbedRecord.View['record'] | undefined {
  if (AppBskyEmbedRecord.isView(embed)) return embed.record;
  if (AppBskyEmbedRecordWithMedia.isView(embed)) {
    // A malformed view without its record part quotes something Colonnade cannot show.
    const part = (embed as { record?: { record?: unknown } }).record;
    return (part?.record ?? { $type: 'missing' }) as AppBskyEmbedRecord.View['record'];
  }
  return undefined;
}

const by = (creator: { handle?: string } | undefined) => (creator?.handle ? ` by @${creator.handle}` : '');

/**
 * A quoted record as a QuotedPost, or the words saying why it cannot be shown: deleted
 * (viewNotFound), blocked (viewBlocked: who blocked whom when the view says), detached by its
 * author (viewDetached, app.bsky.feed.postgate), or a record that is not a post (a custom feed,
 * a list, a starter pack, a labeller), named.
 */
export function quoteOf(
  record: AppBskyEmbedRecord.View['record'],
  opts: ModerationOpts | undefined,
): { quote: QuotedPost } | { unavailable: string } {
  if (AppBskyEmbedRecord.isViewRecord(record)) {
    try {
      assertAuthor(record.author, record.uri);
      if (parseAtUri(record.uri)?.collection !== POST) return { unavailable: 'The quoted record is not a post.' };
      const value = postRecord(record.value, record.uri);
      const asView: AppBskyFeedDefs.PostView = {
        $type: 'app.bsky.feed.defs#postView',
        uri: record.uri,
        cid: record.cid,
        author: record.author,
        record: value,
        indexedAt: record.indexedAt,
        ...(record.labels ? { labels: record.labels } : {}),
        ...(Array.isArray(record.embeds) && record.embeds[0] !== undefined
          ? { embed: record.embeds[0] as AppBskyFeedDefs.PostView['embed'] }
          : {}),
      };
      const moderated = moderationOf(asView, opts);
      if (moderated.hide) return { unavailable: 'The quoted post is hidden by your moderation settings.' };
      const quote: QuotedPost = {
        ...basePost(asView, value),
        metrics: metricsOf(record),
        ...(moderated.moderation.length ? { moderation: moderated.moderation } : {}),
      };
      return { quote };
    } catch (err) {
      if (err instanceof UnreadableItem) return { unavailable: 'The quoted post could not be read.' };
      throw err;
    }
  }
  if (AppBskyEmbedRecord.isViewNotFound(record)) return { unavailable: 'The quoted post was deleted.' };
  if (AppBskyEmbedRecord.isViewBlocked(record)) {
    const viewer = record.author?.viewer;
    if (viewer?.blocking) return { unavailable: 'You blocked the author of the quoted post.' };
    if (viewer?.blockedBy) return { unavailable: 'The author of the quoted post has blocked you.' };
    return { unavailable: 'The quoted post is unavailable: a block stands between you and its author.' };
  }
  if (AppBskyEmbedRecord.isViewDetached(record)) {
    return { unavailable: 'The author of the quoted post detached it from this post.' };
  }
  if (AppBskyFeedDefs.isGeneratorView(record)) {
    return { unavailable: `A custom feed: “${record.displayName}”${by(record.creator)}.` };
  }
  if (AppBskyGraphDefs.isListView(record)) {
    const kind = record.purpose === 'app.bsky.graph.defs#modlist' ? 'A moderation list' : 'A list';
    return { unavailable: `${kind}: “${record.name}”${by(record.creator)}.` };
  }
  if (AppBskyGraphDefs.isStarterPackViewBasic(record)) {
    const name = (record.record as { name?: unknown } | undefined)?.name;
    return { unavailable: `A starter pack${typeof name === 'string' ? `: “${name}”` : ''}${by(record.creator)}.` };
  }
  if (AppBskyLabelerDefs.isLabelerView(record)) {
    return { unavailable: `A labeller${by(record.creator)}.` };
  }
  return { unavailable: 'The quoted record is of a kind Colonnade cannot show.' };
}

// ---- posts -----------------------------------------------------------------------------------

/** The fields a post and a quoted post share (no metrics, no viewer, no moderation yet). */
function basePost(view: AppBskyFeedDefs.PostView, record: AppBskyFeedPost.Record): Post {
  const fields = recordFields(record as unknown as Record<string, unknown>);
  const embed = embedOf(view.embed);
  const post: Post = {
    id: postIdOf(view.uri),
    network: NETWORK,
    nativeId: nativeIdOf(view.uri),
    author: profileOf(view.author),
    text: fields.text,
    entities: entitiesFromFacets(fields.text, fields.facets),
    media: embed.media,
    createdAt: isoOr(fields.createdAt, view.indexedAt),
    url: webUrlOf(view.author.handle, view.uri),
    metrics: metricsOf(view),
  };
  if (embed.card) post.card = embed.card;
  if (embed.unsupported) post.unsupported = embed.unsupported;
  if (fields.replyParentUri) post.replyTo = postIdOf(fields.replyParentUri);
  // The record's first language (lexicon app.bsky.feed.post `langs`, format language: BCP-47).
  const language = record.langs?.find((l) => typeof l === 'string' && l.trim())?.trim();
  if (language && language.length <= 35) post.language = language;
  return post;
}

/**
 * A post view as a Post: text with facets as entities, media, counts, what the viewer did
 * (`viewer.like` / `viewer.repost`), the quoted post (or why it cannot be shown), and the
 * viewer's moderation. Answers null when the viewer's moderation leaves it out. Throws
 * UnreadableItem when the view cannot be read faithfully.
 */
export function postOf(
  view: AppBskyFeedDefs.PostView,
  opts?: ModerationOpts,
  options: ModerationOptions = {},
): Post | null {
  const uri = typeof view?.uri === 'string' ? view.uri : '(no uri)';
  if (!parseAtUri(uri)) throw new UnreadableItem(uri, 'no valid AT-URI');
  assertAuthor(view.author, uri);
  const record = postRecord(view.record, uri);
  const moderated = moderationOf(view, opts, options);
  if (moderated.hide) return null;
  const post: Post = {
    ...basePost(view, record),
    viewer: { liked: Boolean(view.viewer?.like), reposted: Boolean(view.viewer?.repost) },
  };
  const quoted = quotedOf(view.embed);
  if (quoted) {
    const q = quoteOf(quoted, opts);
    if ('quote' in q) post.quote = q.quote;
    else post.quoteUnavailable = q.unavailable.slice(0, 200);
  }
  if (moderated.moderation.length) post.moderation = moderated.moderation;
  return post;
}
