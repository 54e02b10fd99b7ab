// X API v2 payloads (the parts Colonnade uses, checked with zod) to the normalized model.
import { z } from 'zod';
import type { Entity, Media, Metrics, Post, Profile } from '../../../shared/model';

const Indices = { start: z.number().int().nonnegative(), end: z.number().int().nonnegative() };

export const XUserSchema = z.object({
  id: z.string().min(1),
  username: z.string().min(1),
  name: z.string(),
  profile_image_url: z.string().optional(),
});
export type XUser = z.infer<typeof XUserSchema>;

export const XPublicMetricsSchema = z.object({
  retweet_count: z.number().int().nonnegative(),
  reply_count: z.number().int().nonnegative(),
  like_count: z.number().int().nonnegative(),
  quote_count: z.number().int().nonnegative(),
  impression_count: z.number().int().nonnegative().optional(),
});

export const XTweetSchema = z.object({
  id: z.string().min(1),
  text: z.string(),
  author_id: z.string().optional(),
  created_at: z.string().optional(),
  entities: z
    .object({
      hashtags: z.array(z.object({ ...Indices, tag: z.string() })).optional(),
      mentions: z.array(z.object({ ...Indices, username: z.string() })).optional(),
      urls: z.array(z.object({ ...Indices, url: z.string(), expanded_url: z.string().optional() })).optional(),
    })
    .optional(),
  public_metrics: XPublicMetricsSchema.optional(),
  attachments: z.object({ media_keys: z.array(z.string()).optional() }).optional(),
  referenced_tweets: z
    .array(z.object({ type: z.enum(['retweeted', 'quoted', 'replied_to']), id: z.string() }))
    .optional(),
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

export const XIncludesSchema = z
  .object({
    users: z.array(XUserSchema).optional(),
    media: z.array(XMediaSchema).optional(),
    tweets: z.array(XTweetSchema).optional(),
  })
  .optional();

const XProblemSchema = z.object({ type: z.string().optional(), detail: z.string().optional() });

export const XTimelineSchema = z.object({
  data: z.array(XTweetSchema).optional(),
  includes: XIncludesSchema,
  meta: z
    .object({
      result_count: z.number().int().optional(),
      newest_id: z.string().optional(),
      oldest_id: z.string().optional(),
      next_token: z.string().optional(),
    })
    .optional(),
  errors: z.array(XProblemSchema).optional(),
});
export type XTimeline = z.infer<typeof XTimelineSchema>;

export const XUserResponseSchema = z.object({
  data: XUserSchema.optional(),
  errors: z.array(XProblemSchema).optional(),
});

/** Fields asked for on every post read. */
export const TWEET_QUERY = {
  'tweet.fields': 'author_id,created_at,entities,public_metrics,attachments,referenced_tweets,conversation_id',
  expansions: 'author_id,attachments.media_keys',
  'user.fields': 'name,username,profile_image_url',
  'media.fields': 'url,preview_image_url,width,height,alt_text,type',
} as const;

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
 * X gives entity offsets in code points; the model wants UTF-16 offsets. Answers a function from
 * one to the other for `text`.
 */
export function codePointToUtf16(text: string): (cp: number) => number {
  const offsets: number[] = [];
  let i = 0;
  for (const ch of text) {
    offsets.push(i);
    i += ch.length;
  }
  offsets.push(i);
  return (cp) => offsets[Math.min(cp, offsets.length - 1)] ?? i;
}

/**
 * X returns post text with &, < and > HTML-escaped, while its entity offsets count the plain text.
 * Only those three are escaped (X's own rule), so only those are decoded, &amp; last.
 */
export function decodeXText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function entitiesOf(tweet: XTweet, text: string): Entity[] {
  const at = codePointToUtf16(text);
  const out: Entity[] = [];
  for (const h of tweet.entities?.hashtags ?? []) {
    out.push({ kind: 'hashtag', start: at(h.start), end: at(h.end), value: h.tag });
  }
  for (const m of tweet.entities?.mentions ?? []) {
    out.push({ kind: 'mention', start: at(m.start), end: at(m.end), value: m.username });
  }
  for (const u of tweet.entities?.urls ?? []) {
    out.push({ kind: 'link', start: at(u.start), end: at(u.end), value: u.expanded_url ?? u.url });
  }
  return out.sort((a, b) => a.start - b.start);
}

const MEDIA_KIND: Record<string, Media['kind']> = { photo: 'image', video: 'video', animated_gif: 'gif' };

function placeholderColor(key: string): string {
  let h = 0;
  for (const ch of key) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `hsl(${h % 360} 35% 45%)`;
}

function mediaOf(tweet: XTweet, media: Map<string, XMedia>): Media[] {
  return (tweet.attachments?.media_keys ?? []).flatMap((key) => {
    const m = media.get(key);
    if (!m) return [];
    const width = m.width && m.width > 0 ? m.width : 1200;
    const height = m.height && m.height > 0 ? m.height : 675;
    return [
      {
        kind: MEDIA_KIND[m.type] ?? 'image',
        alt: m.alt_text ?? '',
        width,
        height,
        url: m.url ?? m.preview_image_url ?? null,
        placeholderColor: placeholderColor(key),
      },
    ];
  });
}

export function metricsOf(tweet: XTweet): Metrics {
  const pm = tweet.public_metrics;
  return {
    likes: pm?.like_count ?? 0,
    reposts: pm?.retweet_count ?? 0,
    replies: pm?.reply_count ?? 0,
    quotes: pm?.quote_count ?? 0,
    impressions: pm?.impression_count ?? null,
  };
}

/** Normalizes the posts of one response, in the order X gave them. */
export function toPosts(data: XTweet[], includes: z.infer<typeof XIncludesSchema>, fallbackNow: number): Post[] {
  const users = new Map((includes?.users ?? []).map((u) => [u.id, u]));
  const media = new Map((includes?.media ?? []).map((m) => [m.media_key, m]));
  return data.map((tweet) => {
    const user = tweet.author_id ? users.get(tweet.author_id) : undefined;
    const author: Profile = user
      ? toProfile(user)
      : {
          id: `x:${tweet.author_id ?? 'unknown'}`,
          network: 'x',
          handle: tweet.author_id ?? 'unknown',
          displayName: '',
          avatarUrl: null,
          url: null,
        };
    const created = tweet.created_at ? Date.parse(tweet.created_at) : NaN;
    const replyTo = tweet.referenced_tweets?.find((r) => r.type === 'replied_to')?.id;
    const text = decodeXText(tweet.text);
    return {
      id: `x:${tweet.id}`,
      network: 'x',
      nativeId: tweet.id,
      author,
      text,
      entities: entitiesOf(tweet, text),
      media: mediaOf(tweet, media),
      createdAt: new Date(Number.isFinite(created) ? created : fallbackNow).toISOString(),
      url: user ? `https://x.com/${user.username}/status/${tweet.id}` : `https://x.com/i/status/${tweet.id}`,
      metrics: metricsOf(tweet),
      ...(replyTo ? { replyTo: `x:${replyTo}` } : {}),
    };
  });
}

/** The text a post had when it was sent: t.co links put back as the links they lead to. */
export function expandedText(tweet: XTweet): string {
  const urls = [...(tweet.entities?.urls ?? [])].sort((a, b) => b.start - a.start);
  const chars = Array.from(tweet.text);
  for (const u of urls) chars.splice(u.start, u.end - u.start, u.expanded_url ?? u.url);
  return chars.join('');
}
