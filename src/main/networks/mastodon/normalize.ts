// Mastodon entities (as masto hands them over: camelCase keys, no runtime checks) → the shared
// model. What we read is checked with zod first, one item at a time: a status or notification that
// cannot be read is left out of its page (logged with its id and counted by the adapter) instead of
// failing the page or breaking a column.
//
// Shapes follow Mastodon's serializers (app/serializers/rest/status_serializer.rb,
// account_serializer.rb, custom_emoji_serializer.rb, filter_result_serializer.rb,
// base_quote_serializer.rb, notification_serializer.rb, notification_group_serializer.rb) and the
// API description (Status, Account, CustomEmoji, FilterResult, Quote, ShallowQuote, Notification,
// NotificationGroup, GroupedNotificationsResults).
import { z } from 'zod';
import { ColonnadeError } from '../../../shared/errors';
import {
  entryOf,
  type CustomEmoji,
  type Media,
  type Metrics,
  type Moderation,
  type NotificationKind,
  type Poll,
  type Post,
  type Profile,
  type ProfileDetails,
  type QuotedPost,
  type TimelineEntry,
} from '../../../shared/model';
import { htmlToPlainText } from '../../../shared/mastodon-html';

// ---- shapes ---------------------------------------------------------------------------------

const EmojiShape = z.object({
  shortcode: z.string().min(1).max(100),
  url: z.string().min(1),
  staticUrl: z.string().nullish(),
});

/** Custom emoji, each checked on its own: a malformed one is dropped, the rest kept. */
const Emojis = z
  .array(z.unknown())
  .nullish()
  .transform((list) => (list ?? []).flatMap((e) => EmojiShape.safeParse(e).data ?? []));

const AccountShape = z.object({
  id: z.string().min(1),
  username: z.string(),
  acct: z.string().min(1),
  displayName: z.string().nullish(),
  avatar: z.string().nullish(),
  url: z.string().nullish(),
  emojis: Emojis,
});

/** Mastodon's media types (MediaAttachment `type` enum); anything else is not a Mastodon status. */
const MEDIA_TYPES = ['unknown', 'image', 'gifv', 'video', 'audio'] as const;

const MediaShape = z.object({
  id: z.string(),
  type: z.enum(MEDIA_TYPES),
  url: z.string().nullish(),
  previewUrl: z.string().nullish(),
  remoteUrl: z.string().nullish(),
  description: z.string().nullish(),
  blurhash: z.string().nullish(),
  meta: z
    .object({
      original: z.object({ width: z.number().nullish(), height: z.number().nullish() }).nullish(),
      small: z.object({ width: z.number().nullish(), height: z.number().nullish() }).nullish(),
    })
    .nullish()
    // Sizes only size the placeholder: an odd `meta` (Pleroma, PeerTube) costs them, not the post.
    .catch(null),
});

/** FilterResult (Mastodon 4.0+): which of the viewer's filters matched, with its title and action. */
const FilterResultShape = z.object({
  filter: z.object({
    id: z.string(),
    title: z.string(),
    context: z.array(z.string()).nullish(),
    /** warn | hide | blur (blur: Mastodon 4.4+). Missing on nothing Mastodon sends; read as warn. */
    filterAction: z.string().nullish(),
    expiresAt: z.string().nullish(),
  }),
});

/** Quote (Mastodon 4.4+): `{ state, quoted_status }`, or ShallowQuote `{ state, quoted_status_id }`. */
const QuoteShape = z.object({
  state: z.string(),
  quotedStatus: z.unknown().nullish(),
  quotedStatusId: z.string().nullish(),
});

const count = z.number().int().nonnegative().nullish();

/**
 * Poll (REST::PollSerializer): option `votes_count` is null while `hide_totals` hides them (until
 * the poll ends, Poll#show_totals_now?); `voters_count` is null on polls from before Mastodon 2.8
 * (single choice: the same as `votes_count`); `own_votes` only with a user token.
 */
const PollShape = z.object({
  expiresAt: z.string().nullish(),
  expired: z.boolean().nullish(),
  multiple: z.boolean().nullish(),
  votesCount: count,
  votersCount: count,
  ownVotes: z.array(z.number().int().nonnegative()).nullish(),
  options: z.array(z.object({ title: z.string(), votesCount: count })).min(1),
  emojis: Emojis,
});

const BaseStatusShape = z.object({
  id: z.string().min(1),
  createdAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'),
  content: z.string(),
  url: z.string().nullish(),
  uri: z.string().nullish(),
  account: AccountShape,
  inReplyToId: z.string().nullish(),
  inReplyToAccountId: z.string().nullish(),
  mediaAttachments: z.array(MediaShape).nullish(),
  tags: z.array(z.object({ name: z.string(), url: z.string() })).nullish(),
  mentions: z.array(z.object({ acct: z.string(), url: z.string(), username: z.string() })).nullish(),
  favouritesCount: count,
  reblogsCount: count,
  repliesCount: count,
  quotesCount: count,
  favourited: z.boolean().nullish(),
  reblogged: z.boolean().nullish(),
  /** ISO 639 (Mastodon: two letters, or a longer BCP-47 tag from other servers), null when unknown. */
  language: z.string().nullish().catch(null),
  spoilerText: z.string().nullish(),
  sensitive: z.boolean().nullish(),
  emojis: Emojis,
  filtered: z.array(FilterResultShape).nullish(),
  quote: QuoteShape.nullish(),
  /** Read on its own (see pollOf): a poll Colonnade cannot read leaves the post without it. */
  poll: z.unknown().nullish(),
  /** PreviewCard, read on its own (see cardOf): a card Colonnade cannot read is left out. */
  card: z.unknown().nullish(),
});

export const StatusShape = BaseStatusShape.extend({ reblog: BaseStatusShape.nullish() });
export type StatusData = z.infer<typeof StatusShape>;
type BaseStatusData = z.infer<typeof BaseStatusShape>;
export type AccountData = z.infer<typeof AccountShape>;

/**
 * Mastodon's JSON as the API sends it (snake_case keys) → the shape masto hands over, for what
 * arrives outside masto (the streaming WebSocket). The same rule as masto's deserializer
 * (adapters/serializers/transform-keys.js): every key camelCased, at any depth, except keys with a
 * ':' or a leading '_'. Mastodon's keys are lower-case words joined by '_'.
 */
export function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, v]) => [
      key.includes(':') || key.startsWith('_') ? key : key.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase()),
      camelKeys(v),
    ]),
  );
}

/** The id of a raw item, for logging an item that cannot be read. */
export function rawIdOf(value: unknown): string {
  const id = (value as { id?: unknown; groupKey?: unknown } | null)?.id ?? (value as { groupKey?: unknown })?.groupKey;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '(no id)';
}

/** What was wrong with an item, in a few words for the log (zod's first issues, no data). */
export function problemOf(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

export function parseStatus(value: unknown, instance: string): StatusData {
  const result = StatusShape.safeParse(value);
  if (!result.success) {
    throw new ColonnadeError('invalid', `${instance} sent a post Colonnade cannot read.`, {
      detail: problemOf(result.error),
    });
  }
  return result.data;
}

export function parseAccount(value: unknown, instance: string): AccountData {
  const result = AccountShape.safeParse(value);
  if (!result.success) {
    throw new ColonnadeError('invalid', `${instance} sent an account Colonnade cannot read.`);
  }
  return result.data;
}

// ---- ids and profiles -----------------------------------------------------------------------

/**
 * Global ids carry the instance's domain: ids are only unique within one instance, and two
 * accounts on different instances can have the same one.
 */
export const postId = (nativeId: string, domain: string) => `mastodon:${domain}/${nativeId}`;

/** The native status id of a global post id, or undefined when it is not a Mastodon post. */
export function nativeIdOf(globalId: string): string | undefined {
  const match = /^mastodon:[^/]+\/(.+)$/.exec(globalId);
  return match?.[1];
}

/** `user@domain` for everyone: local accounts get the instance's domain, so handles are unique. */
export function fullHandle(acct: string, localDomain: string): string {
  return acct.includes('@') ? acct : `${acct}@${localDomain}`;
}

/**
 * Custom emoji as the model keeps them: the shortcode, `url` (the original image, animated where
 * the emoji is) and `staticUrl` (Mastodon's `static_url`, a still PNG) when it differs; whether
 * to animate is the renderer's choice, as Mastodon's own "auto-play animated emoji" setting is the
 * web app's. One list serves the status's text and content warning; an account's its name.
 */
function toEmojis(emojis: ReadonlyArray<z.infer<typeof EmojiShape>>): CustomEmoji[] {
  const seen = new Set<string>();
  return emojis.flatMap((e) => {
    if (seen.has(e.shortcode)) return [];
    seen.add(e.shortcode);
    const still = e.staticUrl && e.staticUrl !== e.url ? { staticUrl: e.staticUrl } : {};
    return [{ shortcode: e.shortcode, url: e.url, ...still }];
  });
}

export function toProfile(account: AccountData, localDomain: string): Profile {
  const emojis = toEmojis(account.emojis);
  return {
    id: postId(account.id, localDomain),
    network: 'mastodon',
    handle: fullHandle(account.acct, localDomain),
    displayName: account.displayName || account.username,
    avatarUrl: account.avatar ?? null,
    url: account.url ?? null,
    ...(emojis.length > 0 ? { emojis } : {}),
  };
}

/** A count as the model keeps it: null where the server hides it (forks answer -1) or sends none. */
const shownCount = z
  .number()
  .int()
  .nullish()
  .catch(null)
  .transform((n) => (typeof n === 'number' && n >= 0 ? n : null));
const flag = z.boolean().nullish().catch(null);

/**
 * Account with what its page shows (REST::AccountSerializer): `note` (HTML), the counts,
 * `locked`, `bot`, `group`, `header`, and the states sent only when true: `suspended`, `limited`
 * (silenced), `memorial`, `moved` (the account it moved to).
 */
const AccountDetailsShape = AccountShape.extend({
  note: z.string().nullish().catch(null),
  followersCount: shownCount,
  followingCount: shownCount,
  statusesCount: shownCount,
  header: z.string().nullish().catch(null),
  locked: flag,
  bot: flag,
  group: flag,
  suspended: flag,
  limited: flag,
  memorial: flag,
  moved: z.unknown().nullish(),
});
export type AccountDetailsData = z.infer<typeof AccountDetailsShape>;

/** Relationship (GET /api/v1/accounts/relationships): how the viewer relates to one account. */
const RelationshipShape = z.object({
  id: z.string(),
  following: flag,
  followedBy: flag,
  blocking: flag,
  blockedBy: flag,
  muting: flag,
  requested: flag,
});
export type RelationshipData = z.infer<typeof RelationshipShape>;

export function parseAccountDetails(value: unknown, instance: string): AccountDetailsData {
  const result = AccountDetailsShape.safeParse(value);
  if (!result.success) {
    throw new ColonnadeError('invalid', `${instance} sent an account Colonnade cannot read.`, {
      detail: problemOf(result.error),
    });
  }
  return result.data;
}

/** The relationship with `accountId` in a GET /api/v1/accounts/relationships answer, if readable. */
export function relationshipOf(value: unknown, accountId: string): RelationshipData | undefined {
  if (!Array.isArray(value)) return undefined;
  for (const item of value) {
    const parsed = RelationshipShape.safeParse(item);
    if (parsed.success && parsed.data.id === accountId) return parsed.data;
  }
  return undefined;
}

/** Mastodon's stand-in header image (Account `header` default_url, "/headers/original/missing.png"). */
const MISSING_HEADER = /\/headers\/original\/missing\.png(?:\?.*)?$/;

/**
 * An account's page as the model keeps it. `bio` is `note` as plain text; counts are null where
 * the server hides them; the banner is `header` unless it is Mastodon's stand-in. `flags` are
 * Mastodon's own words for what the account is (`bot`, `locked`, `group`, `suspended`, `limited`,
 * `memorial`, `moved`) and, from the relationship, `blocking`, `blocked-by`, `muting` and
 * `requested` (a follow request of the viewer's waits); `viewer` is present when the relationship
 * is known (none for the viewer's own account).
 */
export function toProfileDetails(
  account: AccountDetailsData,
  localDomain: string,
  relationship?: RelationshipData,
): ProfileDetails {
  const bio = account.note ? htmlToPlainText(account.note, { tags: [], mentions: [] }).text : '';
  const flags: string[] = [];
  for (const name of ['bot', 'locked', 'group', 'suspended', 'limited', 'memorial'] as const) {
    if (account[name]) flags.push(name);
  }
  if (account.moved) flags.push('moved');
  if (relationship?.blocking) flags.push('blocking');
  if (relationship?.blockedBy) flags.push('blocked-by');
  if (relationship?.muting) flags.push('muting');
  if (relationship?.requested) flags.push('requested');
  const banner = account.header && !MISSING_HEADER.test(account.header) ? account.header : null;
  return {
    ...toProfile(account, localDomain),
    bio: bio.slice(0, 5000),
    followers: account.followersCount,
    following: account.followingCount,
    posts: account.statusesCount,
    bannerUrl: banner,
    ...(relationship
      ? { viewer: { following: relationship.following ?? false, followedBy: relationship.followedBy ?? false } }
      : {}),
    ...(flags.length > 0 ? { flags } : {}),
  };
}

// ---- media and metrics ----------------------------------------------------------------------

const BASE83 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~';

/** The average colour a blurhash encodes (its DC component), as #rrggbb. */
export function blurhashColor(hash: string | null | undefined): string | undefined {
  if (!hash || hash.length < 6) return undefined;
  let value = 0;
  for (const ch of hash.slice(2, 6)) {
    const digit = BASE83.indexOf(ch);
    if (digit < 0) return undefined;
    value = value * 83 + digit;
  }
  return `#${value.toString(16).padStart(6, '0').slice(-6)}`;
}

/** Mastodon's attachment types as the model's kinds (MediaAttachment `type`). */
const MEDIA_KIND = { image: 'image', gifv: 'gif', video: 'video', audio: 'audio', unknown: 'file' } as const;

/** The size to reserve where an attachment says none (audio, remote media not fetched): 16:9. */
const DEFAULT_SIZE = { width: 16, height: 9 };

/**
 * An attachment as model media, every type kept (docs.joinmastodon.org entities/MediaAttachment):
 * `image`, `gifv` (a looping video: `gif`), `video`, `audio` (podcasts, music: Castopod,
 * Funkwhale) and `unknown` (remote media this server did not fetch: only `remote_url` leads to
 * it; `file`, shown as a link to it). Alt text is `description`; the size is `meta.original`'s
 * (else `meta.small`'s) in pixels, else 16×9. The URL is the server's copy (`url`), else the
 * original (`remote_url`), else the preview.
 */
function toMedia(m: z.infer<typeof MediaShape>): Media {
  const kind = MEDIA_KIND[m.type];
  const size = m.meta?.original ?? m.meta?.small;
  const width = size?.width && size.width > 0 ? Math.round(size.width) : DEFAULT_SIZE.width;
  const height = size?.height && size.height > 0 ? Math.round(size.height) : DEFAULT_SIZE.height;
  const url = kind === 'file' ? (m.remoteUrl ?? m.url) : (m.url ?? m.remoteUrl ?? m.previewUrl);
  return {
    kind,
    alt: m.description ?? '',
    width,
    height,
    url: url || null,
    placeholderColor: blurhashColor(m.blurhash) ?? '#595aff',
  };
}

export function toMetrics(s: BaseStatusData): Metrics {
  return {
    likes: s.favouritesCount ?? 0,
    reposts: s.reblogsCount ?? 0,
    replies: s.repliesCount ?? 0,
    quotes: s.quotesCount ?? 0,
    impressions: null,
  };
}

// ---- the viewer's moderation ----------------------------------------------------------------

/** Where a status is shown, as Mastodon's filter contexts name it (CustomFilter::VALID_CONTEXTS). */
export type FilterContext = 'home' | 'notifications' | 'public' | 'thread' | 'account';

export interface NormalizeContext {
  /** The instance's domain (global ids and handles). */
  domain: string;
  /**
   * The column's filter context. Mastodon sends every matching filter in `filtered` whatever the
   * context; clients apply only those whose `context` includes theirs, as Mastodon's web app does.
   * Absent: every filter applies.
   */
  filterContext?: FilterContext | undefined;
  /** Now, in ms: filters past their `expires_at` no longer apply, polls past `expires_at` are closed. */
  now: number;
  /**
   * The viewer's own account id, once known: her filters never apply to her own statuses (nor to
   * boosts of them), as in Mastodon's web app (app/javascript/mastodon/selectors/index.js,
   * makeGetStatus: `if ((accountReblog || accountBase).get('id') !== me && filters)`), although
   * the server lists them in `filtered` all the same.
   */
  viewerId?: string | undefined;
  /**
   * A `hide` filter folds the status behind its title instead of leaving it out: the status the
   * viewer opened, as Mastodon's web app shows it (selectStatusLoadingState `warnInsteadOfHide`).
   */
  warnInsteadOfHide?: boolean | undefined;
}

/** Mastodon's web app's word for media hidden by `sensitive` ("Sensitive content"). */
export const SENSITIVE_TEXT = 'Sensitive media';
/** Mastodon's web app's words for a quote hidden by one of the viewer's filters. */
export const QUOTE_FILTERED_TEXT = 'Hidden due to one of your filters';

/**
 * The viewer's moderation of one status: `hidden` when a filter with action `hide` applies (the
 * status stays out of the page); a `warn` filter folds the post behind its title; a `blur` filter
 * (Mastodon 4.4+) and `sensitive: true` hide its media until asked, even without a content warning.
 * `filtered` is the boosted status's when it has one, else the boost's (makeGetStatus:
 * `statusReblog?.filtered || statusBase.filtered`); none applies to the viewer's own statuses.
 */
function moderationOf(
  s: BaseStatusData,
  filtered: BaseStatusData['filtered'],
  hasMedia: boolean,
  ctx: NormalizeContext,
): { hidden: boolean; moderation: Moderation[] } {
  const out: Moderation[] = [];
  const add = (m: Moderation) => {
    if (!out.some((o) => o.scope === m.scope && o.source === m.source && o.text === m.text)) out.push(m);
  };
  let hidden = false;
  const own = ctx.viewerId !== undefined && s.account.id === ctx.viewerId;
  for (const { filter } of own ? [] : (filtered ?? [])) {
    if (ctx.filterContext && filter.context && !filter.context.includes(ctx.filterContext)) continue;
    if (filter.expiresAt && Date.parse(filter.expiresAt) <= ctx.now) continue;
    const action = filter.filterAction ?? 'warn';
    const text = filter.title.slice(0, 500);
    if (action === 'hide' && !ctx.warnInsteadOfHide) hidden = true;
    else if (action === 'blur') {
      if (hasMedia) add({ scope: 'media', source: 'filter', text });
    } else add({ scope: 'post', source: 'filter', text });
  }
  if (s.sensitive && hasMedia) add({ scope: 'media', source: 'sensitive', text: SENSITIVE_TEXT });
  return { hidden, moderation: out };
}

/** The model's limit on poll options (PollSchema). */
const MAX_POLL_OPTIONS = 20;

/**
 * A status's poll (REST::PollSerializer), read-only: each option's `votes_count` (null while
 * `hide_totals` hides them), `voters_count` (null on polls from before Mastodon 2.8, whose single
 * choice makes it `votes_count`), closed when `expired` or past `expires_at` (the web app's
 * isPollExpired), `own_votes` as option indexes. Undefined when there is none or it cannot be read
 * (the post still shows). Its custom emoji join the post's.
 */
function pollOf(raw: unknown, ctx: NormalizeContext): { poll: Poll; emojis: z.infer<typeof EmojiShape>[] } | undefined {
  if (raw === undefined || raw === null) return undefined;
  const parsed = PollShape.safeParse(raw);
  if (!parsed.success) return undefined;
  const p = parsed.data;
  const endsMs = p.expiresAt ? Date.parse(p.expiresAt) : Number.NaN;
  const endsAt = Number.isNaN(endsMs) ? null : new Date(endsMs).toISOString();
  const options = p.options.slice(0, MAX_POLL_OPTIONS).map((o) => ({
    title: o.title.slice(0, 500),
    votes: o.votesCount ?? null,
  }));
  const multiple = p.multiple ?? false;
  const ownVotes = p.ownVotes?.filter((i) => i < options.length);
  return {
    poll: {
      options,
      voters: p.votersCount ?? (multiple ? null : (p.votesCount ?? null)),
      multiple,
      endsAt,
      closed: (p.expired ?? false) || (endsAt !== null && endsMs <= ctx.now),
      ...(ownVotes ? { ownVotes } : {}),
    },
    emojis: p.emojis,
  };
}

/**
 * Why a quoted post is not shown, in the words of Mastodon's web app
 * (app/javascript/mastodon/components/status_quoted.tsx) for each Quote `state`
 * (QuoteStateEnum: pending, accepted, rejected, revoked, deleted, unauthorized, blocked_account,
 * blocked_domain, muted_account).
 */
export const QUOTE_STATE_TEXT: Readonly<Record<string, string>> = {
  pending: 'This post is pending approval from the original author.',
  rejected: 'This post cannot be displayed as the original author does not allow it to be quoted.',
  revoked: 'Post removed by author',
  deleted: 'This post was removed by its author.',
  unauthorized: 'This post cannot be displayed as you are not authorized to view it.',
  blocked_account: 'Hidden because you blocked its author.',
  blocked_domain: 'Hidden because you blocked its server.',
  muted_account: 'Hidden because you muted its author.',
};
export const QUOTE_NOT_FOUND_TEXT = 'This post cannot be displayed.';

// ---- link cards -----------------------------------------------------------------------------

const CardShape = z.object({
  url: z.string().min(1),
  title: z.string().nullish(),
  description: z.string().nullish(),
  image: z.string().nullish(),
});

/**
 * A status's preview card (PreviewCard: `url`, `title`, `description`, `image`; `type` link,
 * photo, video or rich all read as a link to `url`) as the post's link card. Shown where
 * Mastodon's web app shows it (app/javascript/mastodon/components/status.jsx: a status with
 * media shows its media instead; one with a quote shows the quote, its card being the quoted
 * post's link). A card that is not a web link, or cannot be read, is left out.
 */
function cardOf(s: BaseStatusData): Pick<Post, 'card'> {
  if (!s.card || s.quote || (s.mediaAttachments?.length ?? 0) > 0) return {};
  const c = CardShape.safeParse(s.card).data;
  if (!c || !/^https?:\/\//i.test(c.url)) return {};
  const description = c.description?.trim().slice(0, 2000);
  return {
    card: {
      url: c.url,
      title: (c.title ?? '').trim().slice(0, 1000),
      ...(description ? { description } : {}),
      ...(c.image ? { imageUrl: c.image } : {}),
    },
  };
}

// ---- statuses -------------------------------------------------------------------------------

/**
 * The status's `language` as the model keeps it: the tag as sent (Mastodon: ISO 639-1, "en";
 * other servers may send a BCP-47 tag, "pt-BR"), left out when null, empty or longer than a
 * BCP-47 tag can be (35 characters, the model's limit).
 */
function languageOf(language: string | null | undefined): Pick<Post, 'language'> {
  const tag = language?.trim();
  return tag && tag.length <= 35 ? { language: tag } : {};
}

interface Built {
  post: Post;
  /** A `hide` filter applies: the status stays out of the page. */
  hidden: boolean;
}

function basePost(
  s: BaseStatusData,
  ctx: NormalizeContext,
  filtered: BaseStatusData['filtered'] = s.filtered,
): { fields: QuotedPost; hidden: boolean } {
  const { text, entities } = htmlToPlainText(s.content, {
    tags: s.tags ?? [],
    mentions: s.mentions ?? [],
    hideQuoteFallback: Boolean(s.quote),
  });
  const media = (s.mediaAttachments ?? []).map(toMedia);
  const { hidden, moderation } = moderationOf(s, filtered, media.length > 0, ctx);
  const poll = pollOf(s.poll, ctx);
  const emojis = toEmojis([...s.emojis, ...(poll?.emojis ?? [])]);
  return {
    hidden,
    fields: {
      id: postId(s.id, ctx.domain),
      network: 'mastodon',
      nativeId: s.id,
      author: toProfile(s.account, ctx.domain),
      text,
      entities: entities.map((e) => (e.kind === 'mention' ? { ...e, value: fullHandle(e.value, ctx.domain) } : e)),
      media,
      createdAt: new Date(s.createdAt).toISOString(),
      url: s.url ?? s.uri ?? null,
      metrics: toMetrics(s),
      viewer: { liked: s.favourited ?? false, reposted: s.reblogged ?? false },
      ...(s.spoilerText ? { contentWarning: s.spoilerText } : {}),
      ...(s.inReplyToId ? { replyTo: postId(s.inReplyToId, ctx.domain) } : {}),
      ...languageOf(s.language),
      ...(emojis.length > 0 ? { emojis } : {}),
      ...(moderation.length > 0 ? { moderation } : {}),
      ...(poll ? { poll: poll.poll } : {}),
      ...cardOf(s),
    },
  };
}

/** The quote of a status: the quoted post when accepted and readable, else why not, in words. */
function quoteOf(s: BaseStatusData, ctx: NormalizeContext): Pick<Post, 'quote' | 'quoteUnavailable'> {
  const quote = s.quote;
  if (!quote) return {};
  if (quote.state !== 'accepted') return { quoteUnavailable: QUOTE_STATE_TEXT[quote.state] ?? QUOTE_NOT_FOUND_TEXT };
  // A ShallowQuote (quoted_status_id only) or a quoted status we cannot read shows as unavailable.
  const quoted = BaseStatusShape.safeParse(quote.quotedStatus);
  if (!quoted.success) return { quoteUnavailable: QUOTE_NOT_FOUND_TEXT };
  const built = basePost(quoted.data, ctx);
  if (built.hidden) return { quoteUnavailable: QUOTE_FILTERED_TEXT };
  return { quote: built.fields };
}

function build(status: StatusData, ctx: NormalizeContext): Built {
  const s: BaseStatusData = status.reblog ?? status;
  const { fields, hidden } = basePost(
    s,
    ctx,
    status.reblog ? (status.reblog.filtered ?? status.filtered) : status.filtered,
  );
  return { post: { ...fields, ...quoteOf(s, ctx) }, hidden };
}

/** A context from just a domain: every filter applies (no column), as of now. */
const contextOf = (ctx: NormalizeContext | string): NormalizeContext =>
  typeof ctx === 'string' ? { domain: ctx, now: Date.now() } : ctx;

/**
 * A status as a Post, and whether one of the viewer's `hide` filters applies in `ctx`'s context
 * (a column leaves such a status out). A boost is the boosted status itself.
 */
export function readPost(status: StatusData, ctx: NormalizeContext): { post: Post; hidden: boolean } {
  return build(status, ctx);
}

/**
 * A status as a Post. A boost is the boosted status itself (its id, author, text, counts, viewer).
 * `ctx` may be just the instance's domain (no column: every filter applies).
 */
export function toPost(status: StatusData, ctx: NormalizeContext | string): Post {
  return build(status, contextOf(ctx)).post;
}

/**
 * A status as a timeline entry, or null when one of the viewer's `hide` filters applies (the
 * boosted status's filters, for a boost). A boost is an entry of its own: the boost's id as key,
 * the boost's time as `at` (Mastodon orders home by it), who boosted in `repostedBy`; the post is
 * the boosted status, with the viewer's `favourited`/`reblogged` of that status.
 */
export function toEntry(status: StatusData, context: NormalizeContext | string): TimelineEntry | null {
  const ctx = contextOf(context);
  const { post, hidden } = build(status, ctx);
  if (hidden) return null;
  if (!status.reblog) return entryOf(post);
  return {
    key: postId(status.id, ctx.domain),
    at: new Date(status.createdAt).toISOString(),
    post,
    repostedBy: toProfile(status.account, ctx.domain),
  };
}

// ---- notifications --------------------------------------------------------------------------

/** An emoji reaction's emoji as Firefish-family and Fedibird servers send it (`{ name, url, static_url }`). */
const ReactionShape = z.object({
  name: z.string().min(1),
  url: z.string().nullish(),
  staticUrl: z.string().nullish(),
});

/**
 * Notification (v1, and the v1 form inside streaming). `group_key` exists since Mastodon 4.3.
 * Emoji reactions come as Pleroma/Akkoma's `pleroma:emoji_reaction` with `emoji` (a Unicode emoji,
 * or `:shortcode:` for a custom one, whose image is `emoji_url`: Pleroma's NotificationView
 * put_emoji), Firefish-family `reaction` with `reaction: { name, url }`, or Fedibird's
 * `emoji_reaction` with `emoji_reaction: { name, url }`.
 */
const NotificationShape = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  createdAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'),
  account: AccountShape,
  status: z.unknown().nullish(),
  groupKey: z.string().nullish(),
  emoji: z.string().nullish().catch(null),
  emojiUrl: z.string().nullish().catch(null),
  reaction: ReactionShape.nullish().catch(null),
  emojiReaction: ReactionShape.nullish().catch(null),
});
type NotificationData = z.infer<typeof NotificationShape>;

/** Notification types that are emoji reactions (Pleroma/Akkoma, Firefish family, Fedibird). */
const REACTION_TYPES = new Set(['pleroma:emoji_reaction', 'reaction', 'emoji_reaction']);

/**
 * The emoji of a reaction notification: a Unicode emoji as sent, a custom one as `:shortcode:`
 * with its image. Undefined when the notification says none.
 */
export function reactionOf(n: NotificationData): { reaction: string; reactionUrl?: string } | undefined {
  const other = n.reaction ?? n.emojiReaction;
  const name = (n.emoji ?? other?.name ?? '').trim();
  if (!name) return undefined;
  const url = n.emojiUrl ?? other?.url ?? other?.staticUrl ?? undefined;
  // A custom emoji's name: `:blobcat:` (Pleroma), `blobcat` or `blobcat@remote.example` (Misskey forks).
  const custom = Boolean(url) || /^:[^\s:]+:$/.test(name);
  const code = custom ? `:${name.replace(/^:|:$/g, '').replace(/@[^@]*$/, '')}:` : name;
  return { reaction: code.slice(0, 100), ...(url ? { reactionUrl: url.slice(0, 2000) } : {}) };
}

/** NotificationGroup of GET /api/v2/notifications (Mastodon 4.3+). */
const NotificationGroupShape = z.object({
  groupKey: z.string().min(1).max(500),
  notificationsCount: z.number().int().positive(),
  type: z.string().min(1),
  sampleAccountIds: z.array(z.string()).min(1),
  statusId: z.string().nullish(),
  latestPageNotificationAt: z.string().nullish(),
});

const GroupedResultsShape = z.object({
  accounts: z.array(z.unknown()),
  statuses: z.array(z.unknown()),
  notificationGroups: z.array(z.unknown()),
});

/** Kinds whose notification is about a post: without a readable post there is nothing to show. */
const NEEDS_POST = new Set<NotificationKind>(['like', 'repost', 'mention', 'reply', 'quote']);

/**
 * Mastodon's notification types as the model's kinds: favourite → like, reblog → repost, follow,
 * mention (reply when it answers one of the viewer's posts: `in_reply_to_account_id` is hers),
 * quote (4.5); everything else (status, poll, update, follow_request, admin.sign_up, admin.report,
 * severed_relationships, moderation_warning, quoted_update…) is `other` with Mastodon's word.
 */
export function notificationKind(type: string, status: BaseStatusData | undefined, viewerId: string | undefined) {
  switch (type) {
    case 'favourite':
      return 'like' as const;
    case 'reblog':
      return 'repost' as const;
    case 'follow':
      return 'follow' as const;
    case 'quote':
      return 'quote' as const;
    case 'mention':
      return viewerId && status?.inReplyToAccountId === viewerId ? ('reply' as const) : ('mention' as const);
    default:
      return 'other' as const;
  }
}

/** One item of a page that could not be read: its id and why, for the adapter's log. */
export interface Unreadable {
  id: string;
  problem: string;
}

export interface EntriesRead {
  items: TimelineEntry[];
  /** Items left out because they could not be read (not those a `hide` filter removed). */
  unreadable: Unreadable[];
}

/** Statuses of a timeline page → entries, one at a time (see toEntry); repeated keys kept once. */
export function statusEntries(raws: readonly unknown[], ctx: NormalizeContext): EntriesRead {
  const items: TimelineEntry[] = [];
  const unreadable: Unreadable[] = [];
  const seen = new Set<string>();
  for (const raw of raws) {
    const parsed = StatusShape.safeParse(raw);
    if (!parsed.success) {
      unreadable.push({ id: rawIdOf(raw), problem: problemOf(parsed.error) });
      continue;
    }
    const entry = toEntry(parsed.data, ctx);
    if (!entry || seen.has(entry.key)) continue;
    seen.add(entry.key);
    items.push(entry);
  }
  return { items, unreadable };
}

interface Draft {
  key: string;
  at: string;
  post: Post | null;
  kind: NotificationKind;
  type: string;
  actors: Profile[];
  count: number;
  reaction?: { reaction: string; reactionUrl?: string } | undefined;
}

function draftToEntry(d: Draft): TimelineEntry {
  return {
    key: d.key,
    at: d.at,
    post: d.post,
    notification: {
      kind: d.kind,
      actors: d.actors.slice(0, 100),
      count: Math.max(d.count, d.actors.length),
      ...(d.kind === 'other' ? { type: d.type.slice(0, 100) } : {}),
      ...(d.reaction ?? {}),
    },
  };
}

/** Mastodon's notification groups span at most 12 hours (Notification::Groups::MAXIMUM_GROUP_SPAN_HOURS). */
const GROUP_SPAN_HOURS = 12;
const HOUR_MS = 3_600_000;
/** Group prefixes remembered across pages (the oldest forgotten first). */
const MAX_REMEMBERED_GROUPS = 2_000;

/**
 * The hour buckets of notification groups an adapter has met, by group prefix
 * (`favourite-<statusId>`, `follow`…): what Mastodon keeps in redis to group notifications
 * (Notification::Groups#set_group_key!). Kept across pages so a like polled later joins the
 * group it belongs to.
 */
export class NotificationBuckets {
  private readonly anchors = new Map<string, number[]>();

  /**
   * The bucket (hours since the epoch) of a notification at `atMs` in the group `prefix`: that of
   * a group of the same prefix that started at most 12 hours before it, else its own hour (a new
   * group). Feed notifications oldest first, as Mastodon meets them.
   */
  bucketOf(prefix: string, atMs: number): number {
    const hour = Math.floor(atMs / HOUR_MS);
    const known = this.anchors.get(prefix) ?? [];
    const anchor = known.filter((a) => a <= hour && hour < a + GROUP_SPAN_HOURS).sort((a, b) => b - a)[0];
    if (anchor !== undefined) return anchor;
    this.anchors.delete(prefix);
    this.anchors.set(prefix, [...known, hour]);
    if (this.anchors.size > MAX_REMEMBERED_GROUPS) {
      const oldest = this.anchors.keys().next().value;
      if (oldest !== undefined) this.anchors.delete(oldest);
    }
    return hour;
  }
}

/**
 * The group prefix of a notification Mastodon groups (favourites and boosts of one status,
 * follows, sign-ups: Notification::Groups::GROUPABLE_NOTIFICATION_TYPES), and emoji reactions
 * by status and emoji as likes are; undefined for one that stands alone.
 */
function groupPrefix(n: NotificationData, statusId: string | undefined, reaction: string | undefined) {
  switch (n.type) {
    case 'favourite':
    case 'reblog':
      return statusId ? `${n.type}-${statusId}` : undefined;
    case 'follow':
    case 'admin.sign_up':
      return n.type;
    default:
      return REACTION_TYPES.has(n.type) && statusId && reaction ? `${n.type}-${statusId}-${reaction}` : undefined;
  }
}

/**
 * The post of a notification, or why there is none: `unreadable` when the status is there but
 * cannot be read (or is missing where the kind needs one), `hidden` when a `hide` filter applies.
 */
function notificationPost(
  raw: unknown,
  ctx: NormalizeContext,
): { post: Post | null; status?: BaseStatusData; hidden?: boolean; problem?: string } {
  if (raw === undefined || raw === null) return { post: null };
  const parsed = StatusShape.safeParse(raw);
  if (!parsed.success) return { post: null, problem: `status: ${problemOf(parsed.error)}` };
  const built = build(parsed.data, ctx);
  return { post: built.post, status: parsed.data.reblog ?? parsed.data, hidden: built.hidden };
}

/**
 * A page of GET /api/v1/notifications → entries, newest first, grouped the way Mastodon 4.3+
 * groups them: by the notification's own `group_key` where the server sends one (Mastodon 4.3+),
 * else by Mastodon's rule (Notification::Groups#set_group_key!): favourites and boosts of one
 * status, follows and sign-ups, in groups spanning at most 12 hours, keyed
 * `favourite-<statusId>-<hour bucket>` as Mastodon keys them (`buckets` remembers the groups
 * across pages). Emoji reactions (Pleroma/Akkoma, Firefish family, Fedibird) are grouped by
 * status and emoji the same way and carry their emoji. A group's actors are most recent first,
 * its count how many; every other notification is its own entry keyed `ungrouped-<id>`. A
 * notification whose status a `hide` filter catches (context "notifications") stays out, uncounted.
 */
export function notificationEntriesV1(
  raws: readonly unknown[],
  ctx: NormalizeContext,
  viewerId: string | undefined,
  buckets: NotificationBuckets = new NotificationBuckets(),
): EntriesRead {
  interface Read {
    n: NotificationData;
    post: Post | null;
    kind: NotificationKind;
    reaction?: { reaction: string; reactionUrl?: string } | undefined;
    prefix?: string | undefined;
  }
  const read: Read[] = [];
  const unreadable: Unreadable[] = [];
  for (const raw of raws) {
    const parsed = NotificationShape.safeParse(raw);
    if (!parsed.success) {
      unreadable.push({ id: rawIdOf(raw), problem: problemOf(parsed.error) });
      continue;
    }
    const n = parsed.data;
    const { post, status, hidden, problem } = notificationPost(n.status, ctx);
    if (problem) {
      unreadable.push({ id: n.id, problem });
      continue;
    }
    if (hidden) continue;
    const kind = notificationKind(n.type, status, viewerId);
    const isReaction = REACTION_TYPES.has(n.type);
    if ((NEEDS_POST.has(kind) || isReaction) && !post) {
      unreadable.push({ id: n.id, problem: `a ${n.type} notification without its status` });
      continue;
    }
    const reaction = isReaction ? reactionOf(n) : undefined;
    const serverKey = n.groupKey && !n.groupKey.startsWith('ungrouped-') ? n.groupKey : undefined;
    read.push({
      n,
      post,
      kind,
      reaction,
      prefix: serverKey ? undefined : groupPrefix(n, status?.id, reaction?.reaction),
    });
  }
  // Buckets as Mastodon makes them: meeting the notifications oldest first.
  const keys = new Map<Read, string>();
  const chronological = [...read].sort((a, b) => Date.parse(a.n.createdAt) - Date.parse(b.n.createdAt));
  for (const r of chronological) {
    if (r.prefix) keys.set(r, `${r.prefix}-${buckets.bucketOf(r.prefix, Date.parse(r.n.createdAt))}`.slice(0, 600));
  }
  const drafts: Draft[] = [];
  const byKey = new Map<string, Draft>();
  for (const r of read) {
    const { n, post, kind, reaction } = r;
    const groupKey = keys.get(r) ?? (n.groupKey && !n.groupKey.startsWith('ungrouped-') ? n.groupKey : undefined);
    const actor = toProfile(n.account, ctx.domain);
    const existing = groupKey ? byKey.get(groupKey) : undefined;
    if (existing) {
      existing.count += 1;
      if (!existing.actors.some((a) => a.id === actor.id)) existing.actors.push(actor);
      continue;
    }
    const draft: Draft = {
      key: groupKey ?? `ungrouped-${n.id}`,
      at: new Date(n.createdAt).toISOString(),
      post,
      kind,
      type: n.type,
      actors: [actor],
      count: 1,
      reaction,
    };
    if (groupKey) byKey.set(groupKey, draft);
    drafts.push(draft);
  }
  return { items: drafts.map(draftToEntry), unreadable };
}

/**
 * A page of GET /api/v2/notifications (grouped, Mastodon 4.3+) → entries, newest first: one per
 * `notification_groups[]`, keyed by its `group_key` (`favourite-<statusId>-<hour>`,
 * `ungrouped-<id>`…), actors from `sample_account_ids` looked up in `accounts` (most recent
 * first, as Mastodon orders them), count = `notifications_count`, time =
 * `latest_page_notification_at`, post from `status_id` looked up in `statuses`.
 */
export function notificationEntriesV2(
  body: unknown,
  ctx: NormalizeContext,
  viewerId: string | undefined,
): EntriesRead | undefined {
  const page = GroupedResultsShape.safeParse(body);
  if (!page.success) return undefined;
  const accounts = new Map<string, Profile>();
  for (const raw of page.data.accounts) {
    const account = AccountShape.safeParse(raw);
    if (account.success) accounts.set(account.data.id, toProfile(account.data, ctx.domain));
  }
  const statuses = new Map<string, unknown>();
  for (const raw of page.data.statuses) {
    const id = (raw as { id?: unknown } | null)?.id;
    if (typeof id === 'string') statuses.set(id, raw);
  }
  const items: TimelineEntry[] = [];
  const unreadable: Unreadable[] = [];
  const seen = new Set<string>();
  for (const raw of page.data.notificationGroups) {
    const parsed = NotificationGroupShape.safeParse(raw);
    if (!parsed.success) {
      unreadable.push({ id: rawIdOf(raw), problem: problemOf(parsed.error) });
      continue;
    }
    const g = parsed.data;
    const actors = g.sampleAccountIds.flatMap((id) => accounts.get(id) ?? []);
    if (actors.length === 0) {
      unreadable.push({ id: g.groupKey, problem: 'none of its accounts is in the page' });
      continue;
    }
    const rawStatus = g.statusId ? statuses.get(g.statusId) : undefined;
    if (g.statusId && rawStatus === undefined) {
      unreadable.push({ id: g.groupKey, problem: `status ${g.statusId} is not in the page` });
      continue;
    }
    const { post, status, hidden, problem } = notificationPost(rawStatus, ctx);
    if (problem) {
      unreadable.push({ id: g.groupKey, problem });
      continue;
    }
    if (hidden) continue;
    const kind = notificationKind(g.type, status, viewerId);
    if (NEEDS_POST.has(kind) && !post) {
      unreadable.push({ id: g.groupKey, problem: `a ${g.type} group without its status` });
      continue;
    }
    const at = g.latestPageNotificationAt ?? null;
    if (!at || Number.isNaN(Date.parse(at))) {
      unreadable.push({ id: g.groupKey, problem: 'no latest_page_notification_at' });
      continue;
    }
    if (seen.has(g.groupKey)) continue;
    seen.add(g.groupKey);
    items.push(
      draftToEntry({
        key: g.groupKey,
        at: new Date(at).toISOString(),
        post,
        kind,
        type: g.type,
        actors,
        count: g.notificationsCount,
      }),
    );
  }
  return { items, unreadable };
}
