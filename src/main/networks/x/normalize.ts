// X API v2 payloads (the parts Colonnade uses, checked with zod) to the normalized model.
//
// Items are checked one by one: a page whose envelope is readable always shows every readable
// post, and an item that cannot be read (no id, author missing from `includes.users`, reposted
// post missing from `includes.tweets`…) is left out and reported with its id and why.
import * as twitterTextModule from 'twitter-text';
import { z } from 'zod';
import type {
  Entity,
  Media,
  Metrics,
  Moderation,
  NotificationKind,
  Poll,
  Post,
  Profile,
  ProfileDetails,
  QuotedPost,
  TimelineEntry,
} from '../../../shared/model';
import { readProblems } from './problems';

// twitter-text is CommonJS: under Node's ESM its functions sit on the default export.
const twitterText =
  (twitterTextModule as unknown as { default?: typeof twitterTextModule }).default ?? twitterTextModule;

// ---- schemas -------------------------------------------------------------------------------------

const Index = z.number().int().nonnegative();
const Indices = { start: Index, end: Index };

export const XUserSchema = z.object({
  id: z.string().min(1),
  username: z.string().min(1),
  name: z.string(),
  profile_image_url: z.string().optional(),
  /**
   * How the signed-in account relates to this user (spec `UserConnectionStatus`: `following`,
   * `followed_by`, `blocking`…), when asked for with `user.fields=connection_status`.
   */
  connection_status: z.array(z.string()).nullish().catch(undefined),
});
export type XUser = z.infer<typeof XUserSchema>;

/** Spec `PostEntities` items (hashtags, mentions, urls); `username`, `url`… are nullable there. */
const XHashtagSchema = z.object({ ...Indices, tag: z.string().min(1) });
const XMentionSchema = z.object({ ...Indices, username: z.string().min(1) });
const XUrlSchema = z.object({
  ...Indices,
  url: z.string().nullish(),
  expanded_url: z.string().nullish(),
  display_url: z.string().nullish(),
  unwound_url: z.string().nullish(),
  media_key: z.string().nullish(),
});
type XHashtag = z.infer<typeof XHashtagSchema>;
type XMention = z.infer<typeof XMentionSchema>;
type XUrl = z.infer<typeof XUrlSchema>;

const XPublicMetricsSchema = z.object({
  retweet_count: z.number().int().nonnegative().optional(),
  reply_count: z.number().int().nonnegative().optional(),
  like_count: z.number().int().nonnegative().optional(),
  quote_count: z.number().int().nonnegative().optional(),
  impression_count: z.number().int().nonnegative().optional(),
  bookmark_count: z.number().int().nonnegative().optional(),
});

/** Spec `PostEntities` (and the `entities` of `PostNotePost`), each list read item by item. */
const XEntitiesSchema = z
  .object({
    hashtags: z.array(z.unknown()).nullish(),
    mentions: z.array(z.unknown()).nullish(),
    urls: z.array(z.unknown()).nullish(),
  })
  .nullish();

/**
 * A post as X sends it. Entities are kept unchecked here and read one by one (an unreadable
 * entity is dropped, never the post). `type` of a reference stays a string so that a new kind
 * of reference does not make the post unreadable.
 *
 * `note_tweet` (the spec's `PostNotePost`, named `note_post` there): the whole text of a post
 * longer than 280 characters with its own entities, `text` then being cut short.
 * `display_text_range` (spec `PostDisplayTextRange`): [start, end) in code points of `text`, the
 * part X shows (the leading `@mentions` of a reply and the trailing media link are outside it).
 * Either one unreadable is ignored (the post reads from `text`), never the post.
 */
export const XTweetSchema = z.object({
  id: z.string().regex(/^[0-9]{1,19}$/),
  text: z.string(),
  author_id: z.string().optional(),
  created_at: z.string().optional(),
  entities: XEntitiesSchema,
  note_tweet: z.object({ text: z.string(), entities: XEntitiesSchema }).nullish().catch(undefined),
  display_text_range: z.tuple([Index, Index]).nullish().catch(undefined),
  public_metrics: XPublicMetricsSchema.nullish(),
  attachments: z
    .object({ media_keys: z.array(z.string()).nullish(), poll_ids: z.array(z.string()).nullish().catch(undefined) })
    .nullish(),
  referenced_tweets: z.array(z.object({ type: z.string(), id: z.string() })).nullish(),
  in_reply_to_user_id: z.string().nullish(),
  possibly_sensitive: z.boolean().nullish(),
  /** The root post of the conversation (spec `Post.conversation_id`: "matches the root Post's ID"). */
  conversation_id: z.string().nullish().catch(undefined),
  /** The language X detected (spec `Post.lang`: "Returned as a BCP47 language tag"); see `languageOf`. */
  lang: z.string().nullish().catch(undefined),
});
export type XTweet = z.infer<typeof XTweetSchema>;

export const XMediaSchema = z.object({
  media_key: z.string(),
  type: z.string(),
  url: z.string().optional(),
  preview_image_url: z.string().optional(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  alt_text: z.string().optional(),
});
export type XMedia = z.infer<typeof XMediaSchema>;

/**
 * A poll (spec `Poll`, in `includes.polls`): `options` (spec `PollOptions`: `position` 1-based,
 * `label`, `votes`), `voting_status` (`open` or `closed`), `end_datetime`, `duration_minutes`.
 * X polls take one choice each and give no number of voters.
 */
export const XPollSchema = z.object({
  id: z.string().min(1),
  options: z
    .array(
      z.object({
        position: z.number().int(),
        label: z.string(),
        votes: z.number().int().nonnegative(),
      }),
    )
    .min(1)
    .max(20),
  voting_status: z.string().optional(),
  end_datetime: z.string().optional(),
  duration_minutes: z.number().int().nonnegative().optional(),
});
export type XPoll = z.infer<typeof XPollSchema>;

/** `includes`: each list is read item by item (see `indexIncludes`). */
export const XIncludesSchema = z
  .object({
    users: z.array(z.unknown()).optional(),
    media: z.array(z.unknown()).optional(),
    tweets: z.array(z.unknown()).optional(),
    polls: z.array(z.unknown()).optional(),
  })
  .optional();
export type XIncludes = z.infer<typeof XIncludesSchema>;

/** The envelope of a page of posts: `data` items and `includes` are checked one by one later. */
export const XTimelineSchema = z.object({
  data: z.array(z.unknown()).optional(),
  includes: XIncludesSchema,
  meta: z
    .object({
      result_count: z.number().int().optional(),
      newest_id: z.string().optional(),
      oldest_id: z.string().optional(),
      next_token: z.string().optional(),
    })
    .optional(),
  errors: z.array(z.unknown()).optional(),
});
export type XTimeline = z.infer<typeof XTimelineSchema>;

export const XUserResponseSchema = z.object({
  data: XUserSchema.optional(),
  errors: z.array(z.unknown()).optional(),
});

/**
 * Fields asked for on every post read. `referenced_tweets.id` brings the reposted, quoted and
 * replied-to posts into `includes.tweets`, `referenced_tweets.id.author_id` their authors into
 * `includes.users` (docs.x.com "Expansions"). X expands one level only: the post a reposted post
 * quotes is looked up separately (adapter). `tweet.fields` apply to the posts of `includes.tweets`
 * too, so `note_tweet` (whole text of long posts; the spec's `note_post`) and
 * `display_text_range` reach reposted and quoted posts as well. `attachments.poll_ids` brings
 * polls into `includes.polls`, with the `poll.fields` a column shows (spec `PollFieldsParameter`).
 * `lang` gives each post its language (`languageOf`).
 */
export const TWEET_QUERY = {
  'tweet.fields':
    'author_id,created_at,entities,public_metrics,attachments,referenced_tweets,conversation_id,in_reply_to_user_id,possibly_sensitive,note_tweet,display_text_range,lang',
  expansions:
    'author_id,attachments.media_keys,attachments.poll_ids,referenced_tweets.id,referenced_tweets.id.author_id',
  'user.fields': 'name,username,profile_image_url',
  'media.fields': 'url,preview_image_url,width,height,alt_text,type',
  'poll.fields': 'duration_minutes,end_datetime,voting_status,options',
} as const;

// ---- small readers -----------------------------------------------------------------------------

export function toProfile(user: XUser): Profile {
  return {
    id: `x:${user.id}`,
    network: 'x',
    handle: user.username,
    displayName: user.name,
    avatarUrl: user.profile_image_url ?? null,
    url: `https://x.com/${user.username}`,
  };
}

/**
 * What X puts in `lang` that is not a language: `und` (undetermined), `zxx` (media or a card and
 * no text), `art`, and the codes of ISO 639-2's range reserved for local use (`qaa`–`qtz`) that X
 * uses for posts of hashtags only (`qht`), mentions only (`qam`), cashtags only (`qct`), media
 * links (`qme`) or very short text (`qst`). X documents only `und` (docs.x.com search operators,
 * `lang:`); the rest were reported on X's developer forum ("Unknown language code qht returned by
 * API", devcommunity.x.com/t/172819) and are listed by igorbrigadir/twitter-advanced-search#37
 * and #38 and FxEmbed/FxEmbed#2151.
 */
const NOT_A_LANGUAGE = /^(?:und|zxx|art|q[a-t][a-z])$/i;

/**
 * A post's language from X's `lang` (a BCP-47 tag, spec `Post.lang`), canonical as
 * `Intl.getCanonicalLocales` writes it (X still sends the deprecated `iw` and `in`, read as `he`
 * and `id`, so filters compare like with like), or undefined when X gave none, gave one of its
 * codes that are not languages (`NOT_A_LANGUAGE`), or something that is not a tag.
 */
export function languageOf(lang: string | null | undefined): string | undefined {
  if (!lang || NOT_A_LANGUAGE.test(lang)) return undefined;
  try {
    const [tag] = Intl.getCanonicalLocales(lang);
    return tag && tag.length <= 35 ? tag : undefined;
  } catch {
    return undefined;
  }
}

const Count = z.number().int().nonnegative();

/**
 * A user as their profile page shows them (spec `User`), read leniently: a field X leaves out or
 * sends unreadable is left out, never the profile. `public_metrics.tweet_count` is the live API's
 * name (`post_count` in the spec); `entities.description.urls` expand the `t.co` links of the bio.
 */
export const XUserDetailsSchema = XUserSchema.extend({
  description: z.string().nullish().catch(undefined),
  protected: z.boolean().nullish().catch(undefined),
  verified: z.boolean().nullish().catch(undefined),
  verified_type: z.string().nullish().catch(undefined),
  parody: z.boolean().nullish().catch(undefined),
  profile_banner_url: z.string().nullish().catch(undefined),
  withheld: z.looseObject({}).nullish().catch(undefined),
  public_metrics: z
    .object({
      followers_count: Count.optional().catch(undefined),
      following_count: Count.optional().catch(undefined),
      tweet_count: Count.optional().catch(undefined),
      post_count: Count.optional().catch(undefined),
    })
    .nullish()
    .catch(undefined),
  entities: z
    .object({ description: z.object({ urls: z.array(z.unknown()).nullish() }).nullish() })
    .nullish()
    .catch(undefined),
});
export type XUserDetails = z.infer<typeof XUserDetailsSchema>;

/** The bio with its `t.co` links replaced by where they lead (`entities.description.urls`). */
function bioOf(user: XUserDetails): string {
  let bio = user.description ?? '';
  for (const u of valid<XUrl>(XUrlSchema, user.entities?.description?.urls)) {
    const target = u.expanded_url ?? u.unwound_url;
    if (u.url && target) bio = bio.split(u.url).join(target);
  }
  return bio.slice(0, 5000);
}

/**
 * A user's profile page: bio, counts (null where X left them out), the viewer's relation from
 * `connection_status` (`following`, `followed_by`; absent when X did not say), and `flags` from
 * X's own states: `locked` (`protected`: posts for approved followers only), `verified`,
 * `verified-business` / `verified-government` (`verified_type`), `parody`, `withheld`.
 */
export function toProfileDetails(user: XUserDetails): ProfileDetails {
  const m = user.public_metrics;
  const relation = user.connection_status;
  const flags = [
    ...(user.protected ? ['locked'] : []),
    ...(user.verified ? ['verified'] : []),
    ...(user.verified_type === 'business' || user.verified_type === 'government'
      ? [`verified-${user.verified_type}`]
      : []),
    ...(user.parody ? ['parody'] : []),
    ...(user.withheld ? ['withheld'] : []),
  ];
  return {
    ...toProfile(user),
    bio: bioOf(user),
    followers: m?.followers_count ?? null,
    following: m?.following_count ?? null,
    posts: m?.tweet_count ?? m?.post_count ?? null,
    bannerUrl: user.profile_banner_url ?? null,
    ...(relation
      ? { viewer: { following: relation.includes('following'), followedBy: relation.includes('followed_by') } }
      : {}),
    ...(flags.length ? { flags } : {}),
  };
}

/** The items of `list` that `schema` accepts (unreadable ones are dropped). */
function valid<T>(schema: z.ZodType<T>, list: readonly unknown[] | null | undefined): T[] {
  const out: T[] = [];
  for (const item of list ?? []) {
    const r = schema.safeParse(item);
    if (r.success) out.push(r.data);
  }
  return out;
}

/** The id of a raw item, when it has one, for logs and cursors. */
export function rawIdOf(item: unknown): string | null {
  const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
  return typeof id === 'string' && /^[0-9]{1,19}$/.test(id) ? id : null;
}

/** X's epoch for snowflake ids (ms): an id's upper bits are its creation time since then. */
const SNOWFLAKE_EPOCH_MS = 1288834974657;

/**
 * When a post was created: `created_at`, else the time its snowflake id carries (ids made since
 * November 2010: `(id >> 22) + 1288834974657` ms). Null when neither can be read.
 */
export function createdAtOf(tweet: Pick<XTweet, 'id' | 'created_at'>): number | null {
  const parsed = tweet.created_at ? Date.parse(tweet.created_at) : NaN;
  if (Number.isFinite(parsed)) return parsed;
  const ms = Number(BigInt(tweet.id) >> 22n);
  // Ids from before snowflakes are small sequential numbers: their upper bits are not a time.
  return ms > 3_600_000 ? SNOWFLAKE_EPOCH_MS + ms : null;
}

// ---- text ----------------------------------------------------------------------------------------

const ESCAPES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/**
 * X returns post text with `&`, `<` and `>` HTML-escaped (and only those). Decodes them in one
 * pass, so `&amp;lt;` (someone who wrote `&lt;`) stays `&lt;`.
 */
export function decodeXText(text: string): string {
  return text.replace(/&(?:amp|lt|gt);/g, (m) => ESCAPES[m] ?? m);
}

/** X's escaping, the inverse of `decodeXText` (used to compare with what X stored). */
export function encodeXText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface DecodedText {
  text: string;
  /** UTF-16 offset in `text` of a code-point index counted on the decoded text. */
  fromDecoded(cp: number): number;
  /** UTF-16 offset in `text` of a code-point index counted on the escaped text X sent. */
  fromEscaped(cp: number): number;
}

/**
 * Decodes once and keeps both ways X may count entity indices. X counts indices in Unicode code
 * points (twitter-text's rule: an emoji outside the BMP is one, not two UTF-16 units). Whether
 * they count the escaped or the decoded text is not written in the v2 reference (v1.1 counted the
 * escaped text: Twitter4J `HTMLEntity.unescapeAndSlideEntityIncdices`), so each entity is checked
 * against the text it should cover (see `spanOf`).
 */
function decode(raw: string): DecodedText {
  const escaped: number[] = [];
  const decodedCps: number[] = [];
  let out = '';
  const chars = Array.from(raw);
  for (let i = 0; i < chars.length;) {
    const ch = chars[i]!;
    let entity = '';
    if (ch === '&') {
      const ahead = chars.slice(i, i + 5).join('');
      entity = ahead.startsWith('&amp;')
        ? '&amp;'
        : ahead.startsWith('&lt;') || ahead.startsWith('&gt;')
          ? ahead.slice(0, 4)
          : '';
    }
    decodedCps.push(out.length);
    if (entity) {
      for (let k = 0; k < entity.length; k++) escaped.push(out.length);
      out += ESCAPES[entity]!;
      i += entity.length;
    } else {
      escaped.push(out.length);
      out += ch;
      i += 1;
    }
  }
  escaped.push(out.length);
  decodedCps.push(out.length);
  const at = (table: number[]) => (cp: number) => table[Math.min(cp, table.length - 1)] ?? out.length;
  return { text: out, fromDecoded: at(decodedCps), fromEscaped: at(escaped) };
}

/**
 * The UTF-16 span of an entity in the decoded text, or null when neither way of counting lands on
 * text that looks like it (`looks`), e.g. an index past the end.
 */
function spanOf(
  d: DecodedText,
  e: { start: number; end: number },
  looks: (span: string) => boolean,
): [number, number] | null {
  if (e.end <= e.start) return null;
  for (const at of [d.fromDecoded, d.fromEscaped]) {
    const s = at(e.start);
    const t = at(e.end);
    if (t > s && looks(d.text.slice(s, t))) return [s, t];
  }
  return null;
}

const HASH = /^[#＃]/;
const AT = /^[@＠]/;
const MEDIA_LINK = /^https?:\/\/(?:www\.)?(?:x|twitter)\.com\/[^/]+\/status\/[0-9]+\/(?:photo|video)\/[0-9]+/i;
const MEDIA_DISPLAY = /^pic\.(?:x|twitter)\.com\//i;

interface TextLink {
  start: number;
  end: number;
  url: XUrl;
}

export interface PostText {
  text: string;
  entities: Entity[];
}

/** The leading `@mentions` of a reply, as X's display leaves them out: mentions and blanks only. */
const REPLY_PREFIX = /^(?:[@＠][A-Za-z0-9_]{1,15}(?:\s+|$))+$/;

/**
 * How many UTF-16 units at the start of `shown` X's display leaves out: the `@mentions` a reply
 * starts with, before `display_text_range[0]` (code points of `text`). Zero unless what lies before
 * the range is mentions and blanks only (a range that would cut into words is not trusted). When
 * `shown` is the note text of a long post, the same mentions must start it.
 */
function hiddenPrefix(tweet: XTweet, shown: DecodedText, isNote: boolean): number {
  const start = tweet.display_text_range?.[0] ?? 0;
  if (start <= 0) return 0;
  const d = isNote ? decode(tweet.text) : shown;
  // Mentions and blanks hold no escapes: both ways of counting agree up to the range's start.
  const at = d.fromDecoded(start);
  const prefix = d.text.slice(0, at);
  if (!REPLY_PREFIX.test(prefix)) return 0;
  if (!/\s$/.test(prefix) && /^[A-Za-z0-9_]/.test(d.text.slice(at))) return 0;
  if (isNote && !shown.text.startsWith(prefix)) return 0;
  return prefix.length;
}

interface TextOptions {
  /** The quoted post shown inside: its trailing link is left out of the text. */
  quotedId?: string | undefined;
  /** The whole text as stored, ignoring `display_text_range` (for comparing with what was sent). */
  full?: boolean | undefined;
}

/**
 * The text a person reads, with its entities (UTF-16 offsets into that text): the whole text of a
 * long post (`note_tweet` with its own entities, else `text`), decoded once, links with X's
 * `display_url`, and the `t.co` link X appends for attached media removed (a url entity with a
 * `media_key`, else the last link when it leads to the post's own photo or video), as is the link
 * to a quoted post that is shown inside (`quotedId`). As X displays it (unless `full`), the part
 * outside `display_text_range` is left out: the `@mentions` a reply starts with (entities shifted,
 * the reply itself stays known by `replyTo`) and links after the range's end.
 */
export function textOf(tweet: XTweet, options: TextOptions = {}): PostText {
  const note = tweet.note_tweet?.text ? tweet.note_tweet : undefined;
  const source = note ?? tweet;
  const d = decode(source.text);
  const entities: Entity[] = [];
  for (const h of valid<XHashtag>(XHashtagSchema, source.entities?.hashtags)) {
    const span = spanOf(d, h, (s) => HASH.test(s) && s.slice(1).toLowerCase() === h.tag.toLowerCase());
    if (span) entities.push({ kind: 'hashtag', start: span[0], end: span[1], value: h.tag });
  }
  for (const m of valid<XMention>(XMentionSchema, source.entities?.mentions)) {
    const span = spanOf(d, m, (s) => AT.test(s) && s.slice(1).toLowerCase() === m.username.toLowerCase());
    if (span) entities.push({ kind: 'mention', start: span[0], end: span[1], value: m.username });
  }
  const links: TextLink[] = [];
  for (const u of valid<XUrl>(XUrlSchema, source.entities?.urls)) {
    const span = spanOf(d, u, (s) => (u.url ? s === u.url : /^https?:\/\//i.test(s)));
    if (span) links.push({ start: span[0], end: span[1], url: u });
  }
  links.sort((a, b) => a.start - b.start);

  // Links X shows as something else: the attached media's own link, the quoted post's link.
  const hidden = new Set<TextLink>();
  const hasMedia = (tweet.attachments?.media_keys ?? []).length > 0;
  const keyed = links.filter((l) => l.url.media_key);
  for (const l of keyed) hidden.add(l);
  const last = links[links.length - 1];
  const atEnd = (l: TextLink) => d.text.slice(l.end).trim() === '';
  if (last && !keyed.length && hasMedia && atEnd(last)) {
    const target = last.url.expanded_url ?? '';
    if (MEDIA_LINK.test(target) || MEDIA_DISPLAY.test(last.url.display_url ?? '')) hidden.add(last);
  }
  if (options.quotedId) {
    const quoteLink = new RegExp(`/status(?:es)?/${options.quotedId}(?:[/?#].*)?$`);
    const trailing = [...links].reverse().find((l) => !hidden.has(l));
    if (trailing && atEnd(trailing) && quoteLink.test(trailing.url.expanded_url ?? '')) hidden.add(trailing);
  }
  // Links past the end of the displayed range (counted on `text`, so not for a note), when only
  // links and blanks lie there: X does not show them.
  const rangeEnd = tweet.display_text_range?.[1];
  if (!note && !options.full && rangeEnd !== undefined) {
    for (const at of [d.fromDecoded, d.fromEscaped]) {
      const end = at(rangeEnd);
      const after = links.filter((l) => l.start >= end);
      let rest = d.text.slice(end);
      for (const l of [...after].reverse()) rest = rest.slice(0, l.start - end) + rest.slice(l.end - end);
      if (after.length && rest.trim() === '' && links.every((l) => l.start >= end || l.end <= end)) {
        for (const l of after) hidden.add(l);
        break;
      }
    }
  }
  for (const l of links) {
    if (hidden.has(l)) continue;
    const value = l.url.expanded_url ?? l.url.unwound_url ?? l.url.url ?? d.text.slice(l.start, l.end);
    entities.push({
      kind: 'link',
      start: l.start,
      end: l.end,
      value,
      ...(l.url.display_url ? { display: l.url.display_url } : {}),
    });
  }

  // Cut the hidden links (last first), with the space before them, and move what follows.
  let text = d.text;
  const cuts = [...hidden].sort((a, b) => b.start - a.start);
  let kept = entities.filter((e) => !cuts.some((c) => e.start < c.end && e.end > c.start));
  for (const c of cuts) {
    let from = c.start;
    let to = c.end;
    if (text.slice(to).trim() === '') {
      while (from > 0 && /\s/.test(text[from - 1] ?? '')) from--;
      to = text.length;
    } else if (from === 0 || /\s/.test(text[from - 1] ?? '')) {
      while (to < text.length && text[to] === ' ') to++;
    }
    text = text.slice(0, from) + text.slice(to);
    const gone = to - from;
    kept = kept.map((e) => (e.start >= to ? { ...e, start: e.start - gone, end: e.end - gone } : e));
  }

  // The reply's leading mentions (never where a hidden link was: they are mentions only).
  const prefix = options.full ? 0 : hiddenPrefix(tweet, d, note !== undefined);
  if (prefix > 0) {
    text = text.slice(prefix);
    kept = kept.filter((e) => e.start >= prefix).map((e) => ({ ...e, start: e.start - prefix, end: e.end - prefix }));
  }
  return { text, entities: kept.sort((a, b) => a.start - b.start) };
}

/**
 * The text as its author typed it, for comparing with what was sent: the whole text (a long
 * post's `note_tweet`), links put back as the addresses they lead to, the media link X appends
 * removed (see `textOf`). `display` reads it as X displays it instead (reply mentions left out).
 */
export function sentTextOf(tweet: XTweet, display = false): string {
  const { text, entities } = textOf(tweet, { full: !display });
  let out = text;
  for (const e of [...entities].sort((a, b) => b.start - a.start)) {
    if (e.kind === 'link') out = out.slice(0, e.start) + e.value + out.slice(e.end);
  }
  return out;
}

/** An address without what X may change in it (scheme, `www.`, trailing slash, case). */
function canonicalUrl(url: string): string {
  return url
    .replace(/^https?:\/\//i, '')
    .replace(/^www\./i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

/** Text made comparable: NFC, `\n` line ends, no outer blanks, every address canonical (twitter-text finds them). */
function comparable(text: string): string {
  const plain = text.normalize('NFC').replace(/\r\n?/g, '\n').trim();
  const urls = twitterText.extractUrlsWithIndices(plain).sort((a, b) => b.indices[0] - a.indices[0]);
  let out = plain;
  for (const u of urls) out = out.slice(0, u.indices[0]) + canonicalUrl(u.url) + out.slice(u.indices[1]);
  return out;
}

/**
 * Whether `tweet` is the post of `sent` (the text given to publish): compares the whole decoded
 * text (a long post's `note_tweet`, not its cut `text`) with links expanded, so `Q&A tonight`
 * (which X stores as `Q&amp;A tonight`) matches. A reply also matches by its displayed text, for
 * X adding the `@mentions` of the people replied to in front of what was sent.
 */
export function isSameText(tweet: XTweet, sent: string): boolean {
  const wanted = comparable(sent);
  if (comparable(sentTextOf(tweet)) === wanted) return true;
  return (tweet.display_text_range?.[0] ?? 0) > 0 && comparable(sentTextOf(tweet, true)) === wanted;
}

// ---- posts ---------------------------------------------------------------------------------------

const MEDIA_KIND: Record<string, Media['kind']> = { photo: 'image', video: 'video', animated_gif: 'gif' };

function placeholderColor(key: string): string {
  let h = 0;
  for (const ch of key) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `hsl(${h % 360} 35% 45%)`;
}

export function metricsOf(tweet: Pick<XTweet, 'public_metrics'>): Metrics {
  const pm = tweet.public_metrics;
  return {
    likes: pm?.like_count ?? 0,
    reposts: pm?.retweet_count ?? 0,
    replies: pm?.reply_count ?? 0,
    quotes: pm?.quote_count ?? 0,
    impressions: pm?.impression_count ?? null,
    bookmarks: pm?.bookmark_count ?? null,
  };
}

/** The words X's `possibly_sensitive` folds media behind (the renderer translates by `source`). */
export const SENSITIVE_MEDIA: Moderation = { scope: 'media', source: 'sensitive', text: 'Sensitive media' };

/** What the account did with a post, as far as Colonnade knows (X timelines carry no viewer state). */
export type ViewerOf = (nativeId: string) => { liked: boolean; reposted: boolean } | undefined;

/** A partial error of the answer about one resource (spec `Problem` in `errors`, see problems.ts). */
export interface PartialError {
  /** Without X's URI prefix: `resource-not-found`, `not-authorized-for-resource`… */
  type: string;
  resourceId: string;
  resourceType: string;
}

/** The `includes` of an answer, indexed, with the partial errors X gave about resources. */
export interface Included {
  users: Map<string, XUser>;
  media: Map<string, XMedia>;
  tweets: Map<string, XTweet>;
  polls: Map<string, XPoll>;
  errors: Map<string, PartialError>;
}

export function indexIncludes(includes: XIncludes, errors?: readonly unknown[]): Included {
  return {
    users: new Map(valid(XUserSchema, includes?.users).map((u) => [u.id, u])),
    media: new Map(valid(XMediaSchema, includes?.media).map((m) => [m.media_key, m])),
    tweets: new Map(valid(XTweetSchema, includes?.tweets).map((t) => [t.id, t])),
    polls: new Map(valid(XPollSchema, includes?.polls).map((p) => [p.id, p])),
    errors: new Map(
      readProblems(errors).flatMap((e) => {
        const id = e.ids[0];
        return id ? [[id, { type: e.type, resourceId: id, resourceType: e.resourceType ?? '' }]] : [];
      }),
    ),
  };
}

/** Merges a second answer's includes (a follow-up lookup) into `into`. */
export function mergeIncluded(into: Included, more: Included, data: readonly XTweet[] = []): void {
  for (const [k, v] of more.users) into.users.set(k, v);
  for (const [k, v] of more.media) into.media.set(k, v);
  for (const [k, v] of more.tweets) into.tweets.set(k, v);
  for (const [k, v] of more.polls) into.polls.set(k, v);
  for (const t of data) into.tweets.set(t.id, t);
  for (const [k, v] of more.errors) if (!into.tweets.has(k)) into.errors.set(k, v);
}

/** Why an item could not be read (logged with its id). */
export class Unreadable extends Error {
  constructor(
    readonly id: string | null,
    why: string,
  ) {
    super(why);
    this.name = 'Unreadable';
  }
}

function mediaOf(keys: readonly string[], inc: Included): Media[] {
  return keys.map((key) => {
    const m = inc.media.get(key);
    // A key X did not describe still shows as a placeholder: the post has an image there.
    const width = m?.width && m.width > 0 ? m.width : 1200;
    const height = m?.height && m.height > 0 ? m.height : 675;
    return {
      kind: MEDIA_KIND[m?.type ?? ''] ?? 'image',
      alt: m?.alt_text ?? '',
      width,
      height,
      url: m?.url ?? m?.preview_image_url ?? null,
      placeholderColor: placeholderColor(key),
    };
  });
}

/**
 * A post's poll (its first `attachments.poll_ids`, read from `includes.polls`), or undefined when
 * it has none or X did not include it (the post shows without it). Options in their `position`
 * order with their votes; `voters` null (X gives no number of voters); one choice (`multiple`
 * false: X polls take one); `endsAt` from `end_datetime`, else `created_at` plus
 * `duration_minutes`; `closed` when `voting_status` is `closed`, or, without a status, when it
 * ended before `now` (ms; the time of the read).
 */
export function pollOf(tweet: XTweet, inc: Included, now?: number): Poll | undefined {
  const id = tweet.attachments?.poll_ids?.[0];
  const poll = id ? inc.polls.get(id) : undefined;
  if (!poll) return undefined;
  const end = poll.end_datetime ? Date.parse(poll.end_datetime) : NaN;
  const created = createdAtOf(tweet);
  const endsAt = Number.isFinite(end)
    ? end
    : created !== null && poll.duration_minutes !== undefined
      ? created + poll.duration_minutes * 60_000
      : null;
  const closed =
    poll.voting_status !== undefined
      ? poll.voting_status === 'closed'
      : endsAt !== null && now !== undefined && endsAt <= now;
  return {
    options: [...poll.options]
      .sort((a, b) => a.position - b.position)
      .map((o) => ({ title: o.label.slice(0, 500), votes: o.votes })),
    voters: null,
    multiple: false,
    endsAt: endsAt === null ? null : new Date(endsAt).toISOString(),
    closed,
  };
}

/** Why a quoted post is not shown, from X's partial error about it. */
function unavailableWhy(inc: Included, id: string): string {
  const type = inc.errors.get(id)?.type;
  if (type === 'resource-not-found') return 'deleted';
  if (type === 'not-authorized-for-resource') return 'protected';
  if (type === 'resource-unavailable') return 'suspended';
  return 'unavailable';
}

interface ReadOptions {
  viewer?: ViewerOf | undefined;
  /** Media keys to use when the post lists none (a retweet carries its original's). */
  fallbackMediaKeys?: readonly string[] | undefined;
  /** Poll ids to use when the post lists none (a retweet's own attachments). */
  fallbackPollIds?: readonly string[] | undefined;
  /** The time of the read (ms): a poll without `voting_status` is closed when it ended before. */
  now?: number | undefined;
}

function basePost(tweet: XTweet, inc: Included, opts: ReadOptions, quotedId?: string): QuotedPost {
  const user = tweet.author_id ? inc.users.get(tweet.author_id) : undefined;
  if (!user) throw new Unreadable(tweet.id, `its author (${tweet.author_id ?? 'none'}) is not in includes.users`);
  const created = createdAtOf(tweet);
  if (created === null) throw new Unreadable(tweet.id, 'it has no readable created_at');
  const keys = tweet.attachments?.media_keys?.length ? tweet.attachments.media_keys : (opts.fallbackMediaKeys ?? []);
  const { text, entities } = textOf(
    keys === tweet.attachments?.media_keys ? tweet : { ...tweet, attachments: { media_keys: [...keys] } },
    { quotedId },
  );
  const media = mediaOf(keys, inc);
  const replyTo = tweet.referenced_tweets?.find((r) => r.type === 'replied_to')?.id;
  const viewer = opts.viewer?.(tweet.id);
  const pollSource = tweet.attachments?.poll_ids?.length
    ? tweet
    : { ...tweet, attachments: { poll_ids: opts.fallbackPollIds ? [...opts.fallbackPollIds] : [] } };
  const poll = pollOf(pollSource, inc, opts.now);
  const language = languageOf(tweet.lang);
  return {
    id: `x:${tweet.id}`,
    network: 'x',
    nativeId: tweet.id,
    author: toProfile(user),
    text,
    entities,
    media,
    createdAt: new Date(created).toISOString(),
    url: `https://x.com/${user.username}/status/${tweet.id}`,
    metrics: metricsOf(tweet),
    ...(viewer ? { viewer } : {}),
    ...(replyTo ? { replyTo: `x:${replyTo}` } : {}),
    ...(language ? { language } : {}),
    ...(tweet.possibly_sensitive && media.length ? { moderation: [SENSITIVE_MEDIA] } : {}),
    ...(poll ? { poll } : {}),
  };
}

/**
 * One post with the post it quotes (from `includes.tweets`), or `quoteUnavailable` ('deleted',
 * 'protected', 'suspended' or 'unavailable', from X's partial errors) when X did not include it.
 * Throws `Unreadable` when the post itself cannot be shown.
 */
export function toPost(tweet: XTweet, inc: Included, opts: ReadOptions = {}): Post {
  const quotedId = tweet.referenced_tweets?.find((r) => r.type === 'quoted')?.id;
  const quoted = quotedId ? inc.tweets.get(quotedId) : undefined;
  let quote: QuotedPost | undefined;
  let quoteUnavailable: string | undefined;
  if (quotedId) {
    try {
      if (!quoted) throw new Unreadable(quotedId, 'not in includes.tweets');
      quote = basePost(quoted, inc, { viewer: opts.viewer, now: opts.now });
    } catch (err) {
      if (!(err instanceof Unreadable)) throw err;
      quoteUnavailable = unavailableWhy(inc, quotedId);
    }
  }
  const post = basePost(tweet, inc, opts, quote ? quotedId : undefined);
  return { ...post, ...(quote ? { quote } : {}), ...(quoteUnavailable ? { quoteUnavailable } : {}) };
}

/** Ids of posts quoted by included posts that X did not include (it expands one level only). */
export function missingQuotes(data: readonly XTweet[], inc: Included): string[] {
  const out = new Set<string>();
  for (const t of data) {
    const rt = t.referenced_tweets?.find((r) => r.type === 'retweeted');
    const original = rt ? inc.tweets.get(rt.id) : undefined;
    const q = original?.referenced_tweets?.find((r) => r.type === 'quoted')?.id;
    if (q && !inc.tweets.has(q) && !inc.errors.has(q)) out.add(q);
  }
  return [...out];
}

export interface EntryOptions {
  viewer?: ViewerOf | undefined;
  /** The signed-in user's id: her own reposts show as reposted, notifications say who did what. */
  me: string;
  /** Read as notifications: mentions, replies and quotes of hers, reposts of her posts. */
  notifications?: boolean | undefined;
  /** The time of the read (ms), for polls X sends without `voting_status`. */
  now?: number | undefined;
}

function notificationOf(post: Post, actor: Profile, tweet: XTweet, me: string, inc: Included): NotificationKind {
  const replied = tweet.referenced_tweets?.find((r) => r.type === 'replied_to');
  const repliedTo = replied ? inc.tweets.get(replied.id) : undefined;
  if (replied && (tweet.in_reply_to_user_id === me || repliedTo?.author_id === me)) return 'reply';
  if (post.quote?.author.id === `x:${me}` && actor.id !== `x:${me}`) return 'quote';
  return 'mention';
}

/**
 * One `data` item as a timeline entry. A retweet is an entry of its own time whose post is the
 * original in full (its id, author, text, counts and media) with `repostedBy` the retweeter and
 * `key` the retweet's id; anything else is an entry of the post's own time.
 */
export function toEntry(raw: unknown, inc: Included, opts: EntryOptions): TimelineEntry {
  const parsed = XTweetSchema.safeParse(raw);
  if (!parsed.success) throw new Unreadable(rawIdOf(raw), 'it is not a post X documents');
  const tweet = parsed.data;
  const rt = tweet.referenced_tweets?.find((r) => r.type === 'retweeted');
  if (rt) {
    const original = inc.tweets.get(rt.id);
    if (!original) throw new Unreadable(tweet.id, `the reposted post ${rt.id} is not in includes.tweets`);
    const by = tweet.author_id ? inc.users.get(tweet.author_id) : undefined;
    if (!by) throw new Unreadable(tweet.id, `the reposter (${tweet.author_id ?? 'none'}) is not in includes.users`);
    const at = createdAtOf(tweet);
    if (at === null) throw new Unreadable(tweet.id, 'it has no readable created_at');
    const mine = tweet.author_id === opts.me;
    const viewer: ViewerOf = (id) => {
      const known = opts.viewer?.(id);
      return mine && id === original.id ? { liked: known?.liked ?? false, reposted: true } : known;
    };
    let post: Post;
    try {
      post = toPost(original, inc, {
        viewer,
        fallbackMediaKeys: tweet.attachments?.media_keys ?? [],
        fallbackPollIds: tweet.attachments?.poll_ids ?? [],
        now: opts.now,
      });
    } catch (err) {
      if (err instanceof Unreadable) throw new Unreadable(tweet.id, `its reposted post ${rt.id}: ${err.message}`);
      throw err;
    }
    const repostedBy = toProfile(by);
    const entry: TimelineEntry = { key: `x:${tweet.id}`, at: new Date(at).toISOString(), post, repostedBy };
    if (opts.notifications) {
      const kind: NotificationKind = original.author_id === opts.me ? 'repost' : 'mention';
      entry.notification = { kind, actors: [kind === 'repost' ? repostedBy : post.author], count: 1 };
    }
    return entry;
  }
  const post = toPost(tweet, inc, { viewer: opts.viewer, now: opts.now });
  const entry: TimelineEntry = { key: post.id, at: post.createdAt, post };
  if (opts.notifications) {
    entry.notification = {
      kind: notificationOf(post, post.author, tweet, opts.me, inc),
      actors: [post.author],
      count: 1,
    };
  }
  return entry;
}

export interface ReadPage {
  entries: TimelineEntry[];
  /** Items left out, with their ids (null when the item had none) and why. */
  skipped: { id: string | null; why: string }[];
}

/** Every readable item of `data`, in X's order; the others are listed in `skipped`. */
export function toEntries(data: readonly unknown[], inc: Included, opts: EntryOptions): ReadPage {
  const out: ReadPage = { entries: [], skipped: [] };
  for (const raw of data) {
    try {
      out.entries.push(toEntry(raw, inc, opts));
    } catch (err) {
      if (!(err instanceof Unreadable)) throw err;
      out.skipped.push({ id: err.id ?? rawIdOf(raw), why: err.message });
    }
  }
  return out;
}

/**
 * The readable posts of one response, in the order X gave them (retweets as their originals).
 * `now` is unused and kept for callers of the former signature.
 */
export function toPosts(data: readonly unknown[], includes: XIncludes, _now?: number, viewer?: ViewerOf): Post[] {
  return toEntries(data, indexIncludes(includes), { me: '', viewer }).entries.flatMap((e) => (e.post ? [e.post] : []));
}
