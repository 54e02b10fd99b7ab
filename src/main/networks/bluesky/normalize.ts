// Bluesky's views as Colonnade's normalized Post and Profile.
import { AppBskyEmbedImages, AppBskyEmbedRecordWithMedia, AppBskyEmbedVideo, AtUri } from '@atproto/api';
import type { AppBskyActorDefs, AppBskyFeedDefs } from '@atproto/api';
import { ColonnadeError } from '../../../shared/errors';
import type { Entity, Media, Post, Profile } from '../../../shared/model';

export const NETWORK = 'bluesky' as const;
const WEB = 'https://bsky.app';
const PLACEHOLDER = '#1f3b57';

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
  if (!parsed || parsed.collection !== 'app.bsky.feed.post' || !parsed.rkey) {
    throw new ColonnadeError('not-found', 'That Bluesky post id is not valid.');
  }
  return uri;
}

export function parseAtUri(uri: string): { did: string; collection: string; rkey: string } | null {
  if (!uri.startsWith('at://')) return null;
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

/** Facets (UTF-8 byte ranges) as entities (UTF-16 ranges); malformed facets are skipped. */
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
      const type = typeof f.$type === 'string' ? f.$type : '';
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

type EmbedView = AppBskyFeedDefs.PostView['embed'] | AppBskyEmbedRecordWithMedia.View['media'];

function mediaOf(embed: EmbedView): Media[] {
  if (AppBskyEmbedImages.isView(embed)) {
    return embed.images.map((img) => ({
      kind: 'image' as const,
      alt: img.alt,
      ...size(img.aspectRatio),
      url: img.fullsize,
      placeholderColor: PLACEHOLDER,
    }));
  }
  if (AppBskyEmbedVideo.isView(embed)) {
    return [
      {
        kind: embed.presentation === 'gif' ? ('gif' as const) : ('video' as const),
        alt: embed.alt ?? '',
        ...size(embed.aspectRatio),
        url: embed.thumbnail ?? null,
        placeholderColor: PLACEHOLDER,
      },
    ];
  }
  if (AppBskyEmbedRecordWithMedia.isView(embed)) return mediaOf(embed.media);
  return [];
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

export function postOf(view: AppBskyFeedDefs.PostView): Post {
  const fields = recordFields(view.record);
  const post: Post = {
    id: postIdOf(view.uri),
    network: NETWORK,
    nativeId: nativeIdOf(view.uri),
    author: profileOf(view.author),
    text: fields.text,
    entities: entitiesFromFacets(fields.text, fields.facets),
    media: mediaOf(view.embed),
    createdAt: isoOr(fields.createdAt, view.indexedAt),
    url: webUrlOf(view.author.handle, view.uri),
    metrics: {
      likes: view.likeCount ?? 0,
      reposts: view.repostCount ?? 0,
      replies: view.replyCount ?? 0,
      quotes: view.quoteCount ?? 0,
      impressions: null,
    },
    viewer: { liked: Boolean(view.viewer?.like), reposted: Boolean(view.viewer?.repost) },
  };
  if (fields.replyParentUri) post.replyTo = postIdOf(fields.replyParentUri);
  return post;
}
