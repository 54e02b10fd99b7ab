// Mastodon entities (as masto hands them over: camelCase keys, no runtime checks) → the shared
// model. What we read is checked with zod first, so a malformed answer becomes 'invalid' instead
// of a broken post in a column.
import { z } from 'zod';
import { ColonnadeError } from '../../../shared/errors';
import { entryOf, type Media, type Metrics, type Post, type Profile, type TimelineEntry } from '../../../shared/model';
import { htmlToPlainText } from './html';

const AccountShape = z.object({
  id: z.string().min(1),
  username: z.string(),
  acct: z.string().min(1),
  displayName: z.string().nullish(),
  avatar: z.string().nullish(),
  url: z.string().nullish(),
});

const MediaShape = z.object({
  id: z.string(),
  type: z.string(),
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
    .nullish(),
});

const count = z.number().int().nonnegative().nullish();

const BaseStatusShape = z.object({
  id: z.string().min(1),
  createdAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'),
  content: z.string(),
  url: z.string().nullish(),
  uri: z.string().nullish(),
  account: AccountShape,
  inReplyToId: z.string().nullish(),
  mediaAttachments: z.array(MediaShape).nullish(),
  tags: z.array(z.object({ name: z.string(), url: z.string() })).nullish(),
  mentions: z.array(z.object({ acct: z.string(), url: z.string(), username: z.string() })).nullish(),
  favouritesCount: count,
  reblogsCount: count,
  repliesCount: count,
  favourited: z.boolean().nullish(),
  reblogged: z.boolean().nullish(),
  spoilerText: z.string().nullish(),
});

export const StatusShape = BaseStatusShape.extend({ reblog: BaseStatusShape.nullish() });
export type StatusData = z.infer<typeof StatusShape>;
type BaseStatusData = z.infer<typeof BaseStatusShape>;
export type AccountData = z.infer<typeof AccountShape>;

export function parseStatus(value: unknown, instance: string): StatusData {
  const result = StatusShape.safeParse(value);
  if (!result.success) {
    throw new ColonnadeError('invalid', `${instance} sent a post Colonnade cannot read.`);
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

export function toProfile(account: AccountData, localDomain: string): Profile {
  return {
    id: postId(account.id, localDomain),
    network: 'mastodon',
    handle: fullHandle(account.acct, localDomain),
    displayName: account.displayName || account.username,
    avatarUrl: account.avatar ?? null,
    url: account.url ?? null,
  };
}

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

function toMedia(m: z.infer<typeof MediaShape>): Media | undefined {
  const kind = m.type === 'image' ? 'image' : m.type === 'gifv' ? 'gif' : m.type === 'video' ? 'video' : undefined;
  if (!kind) return undefined;
  const size = m.meta?.original ?? m.meta?.small;
  const width = size?.width && size.width > 0 ? Math.round(size.width) : 16;
  const height = size?.height && size.height > 0 ? Math.round(size.height) : 9;
  return {
    kind,
    alt: m.description ?? '',
    width,
    height,
    url: m.url ?? m.remoteUrl ?? m.previewUrl ?? null,
    placeholderColor: blurhashColor(m.blurhash) ?? '#595aff',
  };
}

export function toMetrics(s: BaseStatusData): Metrics {
  return {
    likes: s.favouritesCount ?? 0,
    reposts: s.reblogsCount ?? 0,
    replies: s.repliesCount ?? 0,
    quotes: 0,
    impressions: null,
  };
}

/**
 * A status as a timeline entry: a boost is an entry of its own (the boost's id and time) showing
 * the boosted status, with who boosted it.
 */
export function toEntry(status: StatusData, localDomain: string): TimelineEntry {
  const post = toPost(status, localDomain);
  if (!status.reblog) return entryOf(post);
  return {
    key: postId(status.id, localDomain),
    at: new Date(status.createdAt).toISOString(),
    post,
    repostedBy: toProfile(status.account, localDomain),
  };
}

/** A status as a Post. A boost is the boosted status itself (its id, author, text and counts). */
export function toPost(status: StatusData, localDomain: string): Post {
  const s: BaseStatusData = status.reblog ?? status;
  const { text, entities } = htmlToPlainText(s.content, { tags: s.tags ?? [], mentions: s.mentions ?? [] });
  return {
    id: postId(s.id, localDomain),
    network: 'mastodon',
    nativeId: s.id,
    author: toProfile(s.account, localDomain),
    text,
    entities: entities.map((e) => (e.kind === 'mention' ? { ...e, value: fullHandle(e.value, localDomain) } : e)),
    media: (s.mediaAttachments ?? []).flatMap((m) => toMedia(m) ?? []),
    createdAt: new Date(s.createdAt).toISOString(),
    url: s.url ?? s.uri ?? null,
    metrics: toMetrics(s),
    viewer: { liked: s.favourited ?? false, reposted: s.reblogged ?? false },
    ...(s.spoilerText ? { contentWarning: s.spoilerText } : {}),
    ...(s.inReplyToId ? { replyTo: postId(s.inReplyToId, localDomain) } : {}),
  };
}
