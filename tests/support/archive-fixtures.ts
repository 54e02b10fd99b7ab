// Archives in the real formats, made up for tests and the analytics bench (issue 9): an X data
// archive (data/tweets.js split into parts, data/account.js, data/manifest.js, a media folder) and
// a Mastodon account archive (outbox.json, actor.json). Shapes follow real archives: X's are
// pretty-printed by X as `"key" : value` with every number a string (see
// src/renderer/analytics/import/x-archive.ts for the sources); Mastodon's as its BackupService
// writes them (compact JSON).
//
// Self-contained (it imports only @zip.js/zip.js, and uses only TypeScript that Node can strip) so
// that bench/*.mjs can import it too.
import { configure, TextReader, Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } from '@zip.js/zip.js';

configure({ useWebWorkers: false });

// ---- JSON the way X writes it -------------------------------------------------------------------

/**
 * X's pretty printing (Jackson): 2 spaces, `"key" : value`, `[ ]` and `{ }` when empty. Made from
 * JSON.stringify's (fast for the bench's 50,000 posts): in its output every key opens a line and no
 * string spans lines, so these line-anchored rewrites never touch a string's content.
 */
export function xJson(value: unknown): string {
  return JSON.stringify(value, null, 2)
    .replace(/^(\s*"(?:[^"\\]|\\.)*"): /gm, '$1 : ')
    .replace(/^(\s*(?:"(?:[^"\\]|\\.)*" : )?)\[\](,?)$/gm, '$1[ ]$2')
    .replace(/^(\s*(?:"(?:[^"\\]|\\.)*" : )?)\{\}(,?)$/gm, '$1{ }$2');
}

/** One X data file: `window.YTD.<type>.part<N> = [ … ]`. */
export function ytd(type: string, part: number, items: unknown[]): string {
  return `window.YTD.${type}.part${part} = ${xJson(items)}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** A date as X's archives write `created_at`: "Wed Oct 10 20:19:24 +0000 2018". */
export function xDate(at: number): string {
  const d = new Date(at);
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000 ${d.getUTCFullYear()}`
  );
}

export interface XTweetSpec {
  id: string;
  /** ms since the epoch. */
  at: number;
  text: string;
  likes?: number;
  reposts?: number;
  /** Replies to this post id (by `replyToUser`, default someone else). */
  replyTo?: string;
  replyToUser?: { id: string; username: string };
  hashtags?: string[];
  /** Carries a photo (its link names `mediaOwner`). */
  media?: boolean;
  mediaOwner?: string;
  /** A retweet of someone's post ("RT @…"). */
  retweet?: boolean;
  /** Quotes this post (a link to it in entities.urls, as X shows a quote). */
  quoteOf?: { id: string; username: string };
  /** Override `created_at` as written (a damaged date). */
  createdAtText?: string;
  /** Old archives: the object without the `{ "tweet": … }` wrapper. */
  bare?: boolean;
}

/** One item of data/tweets.js, with the fields a real archive has. */
export function xTweet(spec: XTweetSpec): unknown {
  const text = spec.retweet ? `RT @someone: ${spec.text}` : spec.text;
  const hashtags = (spec.hashtags ?? []).map((tag) => {
    const start = text.indexOf(`#${tag}`);
    return { text: tag, indices: [String(Math.max(0, start)), String(Math.max(0, start) + tag.length + 1)] };
  });
  const photo = spec.media
    ? [
        {
          expanded_url: `https://x.com/${spec.mediaOwner ?? 'someone'}/status/${spec.id}/photo/1`,
          indices: ['0', '23'],
          url: 'https://t.co/AbCdEfGhIj',
          media_url: `http://pbs.twimg.com/media/${spec.id}.jpg`,
          id_str: `${spec.id}1`,
          id: `${spec.id}1`,
          media_url_https: `https://pbs.twimg.com/media/${spec.id}.jpg`,
          sizes: {
            large: { w: '1280', h: '720', resize: 'fit' },
            thumb: { w: '150', h: '150', resize: 'crop' },
          },
          type: 'photo',
          display_url: 'pic.x.com/AbCdEfGhIj',
        },
      ]
    : undefined;
  const urls = spec.quoteOf
    ? [
        {
          url: 'https://t.co/QuOtEqUoTe',
          expanded_url: `https://twitter.com/${spec.quoteOf.username}/status/${spec.quoteOf.id}`,
          display_url: `twitter.com/${spec.quoteOf.username}/…`,
          indices: ['0', '23'],
        },
      ]
    : [];
  const tweet = {
    edit_info: {
      initial: {
        editTweetIds: [spec.id],
        editableUntil: new Date(spec.at + 3_600_000).toISOString(),
        editsRemaining: '5',
        isEditEligible: false,
      },
    },
    retweeted: false,
    source: '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
    entities: {
      hashtags,
      symbols: [],
      user_mentions: spec.replyTo
        ? [
            {
              name: 'Someone',
              screen_name: spec.replyToUser?.username ?? 'someone',
              indices: ['0', '8'],
              id_str: spec.replyToUser?.id ?? '12',
              id: spec.replyToUser?.id ?? '12',
            },
          ]
        : [],
      urls,
      ...(photo ? { media: photo } : {}),
    },
    display_text_range: ['0', String(text.length)],
    favorite_count: String(spec.likes ?? 0),
    ...(spec.replyTo
      ? {
          in_reply_to_status_id_str: spec.replyTo,
          in_reply_to_user_id: spec.replyToUser?.id ?? '12',
          in_reply_to_status_id: spec.replyTo,
          in_reply_to_screen_name: spec.replyToUser?.username ?? 'someone',
          in_reply_to_user_id_str: spec.replyToUser?.id ?? '12',
        }
      : {}),
    id_str: spec.id,
    truncated: false,
    retweet_count: String(spec.reposts ?? 0),
    id: spec.id,
    ...(photo ? { possibly_sensitive: false } : {}),
    created_at: spec.createdAtText ?? xDate(spec.at),
    favorited: false,
    // X escapes these three in full_text.
    full_text: text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    lang: 'en',
    ...(photo ? { extended_entities: { media: photo } } : {}),
  };
  return spec.bare ? tweet : { tweet };
}

// ---- X archive ----------------------------------------------------------------------------------

export interface XArchiveSpec {
  accountId: string;
  username: string;
  /** ISO instant of `archiveInfo.generationDate`. */
  generationDate: string;
  /** The items of each part of data/tweets.js (part 0 is data/tweets.js). */
  parts: unknown[][];
  /** Followers at generation (the manifest's follower count). */
  followers?: number;
  /** Older archives: data/tweet.js and `window.YTD.tweet.part0`. */
  singular?: boolean;
  /** Replace a file's text after it is built (damage), by path. */
  damage?: Record<string, (text: string) => string>;
  /** Paths left out of the zip (a missing part). */
  omit?: string[];
  /** Leave out data/manifest.js. */
  noManifest?: boolean;
  /** Leave out data/account.js. */
  noAccount?: boolean;
  /** Bytes of fake media in data/tweets_media (default a few). */
  mediaBytes?: number;
  /** A folder the whole archive sits in ("twitter-2025-01-22-abc/"). */
  root?: string;
}

/** The path of part `part` of the posts files. */
export function xPartPath(part: number, singular = false): string {
  const type = singular ? 'tweet' : 'tweets';
  return `data/${type}${part === 0 ? '' : `-part${part}`}.js`;
}

/** The files of an X archive, by path (text), as X lays them out. */
export function xArchiveFiles(spec: XArchiveSpec): Record<string, string> {
  const type = spec.singular ? 'tweet' : 'tweets';
  const files: Record<string, string> = {};
  spec.parts.forEach((items, part) => {
    files[xPartPath(part, spec.singular)] = ytd(type, part, items);
  });
  if (!spec.noAccount) {
    files['data/account.js'] = ytd('account', 0, [
      {
        account: {
          email: 'cm@example.test',
          createdVia: 'web',
          username: spec.username,
          accountId: spec.accountId,
          createdAt: '2012-03-01T10:00:00.000Z',
          accountDisplayName: spec.username,
        },
      },
    ]);
  }
  files['data/follower.js'] = ytd('follower', 0, []);
  if (!spec.noManifest) {
    const manifest = {
      userInfo: { accountId: spec.accountId, userName: spec.username, displayName: spec.username },
      archiveInfo: {
        sizeBytes: '123456789',
        generationDate: spec.generationDate,
        isPartialArchive: false,
        maxPartSizeBytes: '53687091200',
      },
      readmeInfo: { fileName: 'data/README.txt', directory: 'data/', name: 'README.txt' },
      dataTypes: {
        account: { files: [{ fileName: 'data/account.js', globalName: 'YTD.account.part0', count: '1' }] },
        follower: {
          files: [
            { fileName: 'data/follower.js', globalName: 'YTD.follower.part0', count: String(spec.followers ?? 0) },
          ],
        },
        [type]: {
          mediaDirectory: `data/${type}_media`,
          files: spec.parts.map((items, part) => ({
            fileName: xPartPath(part, spec.singular),
            globalName: `YTD.${type}.part${part}`,
            count: String(items.length),
          })),
        },
      },
    };
    files['data/manifest.js'] = `window.__THAR_CONFIG = ${xJson(manifest)}`;
  }
  files['data/README.txt'] = 'Twitter Archive (made up for tests)\n';
  for (const [path, damage] of Object.entries(spec.damage ?? {})) {
    const text = files[path];
    if (text !== undefined) files[path] = damage(text);
  }
  for (const path of spec.omit ?? []) delete files[path];
  return files;
}

async function zip(files: Record<string, string | Uint8Array>, lastModDate: Date): Promise<Uint8Array> {
  const writer = new ZipWriter(new Uint8ArrayWriter(), { useWebWorkers: false, lastModDate });
  for (const [path, content] of Object.entries(files)) {
    await writer.add(path, typeof content === 'string' ? new TextReader(content) : new Uint8ArrayReader(content), {
      lastModDate,
      // Media is stored as is, as X does for JPEG and MP4.
      ...(typeof content === 'string' ? {} : { level: 0 }),
    });
  }
  return writer.close();
}

/** An X archive as the zip X delivers: data files, a README and a media folder. */
export async function buildXArchiveZip(spec: XArchiveSpec): Promise<Uint8Array> {
  const root = spec.root ?? '';
  const files: Record<string, string | Uint8Array> = {};
  for (const [path, text] of Object.entries(xArchiveFiles(spec))) files[root + path] = text;
  files[`${root}Your archive.html`] = '<!doctype html><title>Your archive</title>';
  const media = new Uint8Array(spec.mediaBytes ?? 64);
  for (let i = 0; i < media.length; i += 1) media[i] = (i * 7919) & 0xff;
  files[`${root}data/${spec.singular ? 'tweet' : 'tweets'}_media/${spec.accountId}-photo.jpg`] = media;
  return zip(files, new Date(spec.generationDate));
}

/**
 * `n` own posts as X archives them, newest first (as X lists them), one every 17 minutes back
 * from `newest`: every 10th a retweet, every 7th a reply (every 21st to oneself: a thread), every
 * 5th with a photo, every 11th quoting a post, hashtags on every 3rd; counts vary with the index.
 * Items are about 1.5 KB, as in real archives.
 */
export function generateXTweets(
  n: number,
  options: { newest?: number; username?: string; accountId?: string; firstId?: bigint } = {},
): unknown[] {
  const newest = options.newest ?? Date.UTC(2025, 0, 20, 12, 0, 0);
  const username = options.username ?? 'colonnade_cm';
  const accountId = options.accountId ?? '1400000000000000001';
  const firstId = options.firstId ?? 1_880_000_000_000_000_000n;
  const items: unknown[] = [];
  for (let i = 0; i < n; i += 1) {
    const id = String(firstId - BigInt(i) * 1_000_003n);
    const hashtags = i % 3 === 0 ? ['community', i % 2 === 0 ? 'Launch' : 'events'] : [];
    const text =
      `Post ${i} from the community team: thanks for being here & sharing <3 ` + hashtags.map((h) => `#${h}`).join(' ');
    const selfReply = i % 21 === 0 && i > 0;
    items.push(
      xTweet({
        id,
        at: newest - i * 17 * 60_000,
        text: text.trim(),
        likes: (i * 37) % 500,
        reposts: (i * 11) % 90,
        hashtags,
        ...(i % 5 === 0 ? { media: true, mediaOwner: username } : {}),
        ...(i % 10 === 9 ? { retweet: true } : {}),
        ...(selfReply
          ? { replyTo: String(firstId - BigInt(i - 1) * 1_000_003n), replyToUser: { id: accountId, username } }
          : i % 7 === 0 && i > 0
            ? { replyTo: '1111111111111111111' }
            : {}),
        ...(i % 11 === 0 && i > 0 ? { quoteOf: { id: '1222222222222222222', username: 'friend' } } : {}),
      }),
    );
  }
  return items;
}

/** How many of `generateXTweets(n)` are retweets. */
export function generatedRetweets(n: number): number {
  return Math.floor(n / 10);
}

/**
 * An X archive of `n` posts (see generateXTweets) in parts of at most `partSize` (default
 * 25,000), as a Blob: what the analytics bench imports. Counts dated 2025-01-22T05:46:38.082Z.
 */
export async function generateXArchive(
  n: number,
  options: { partSize?: number; accountId?: string; username?: string; mediaBytes?: number } = {},
): Promise<Blob> {
  const accountId = options.accountId ?? '1400000000000000001';
  const username = options.username ?? 'colonnade_cm';
  const tweets = generateXTweets(n, { accountId, username });
  const partSize = options.partSize ?? 25_000;
  const parts: unknown[][] = [];
  for (let i = 0; i < tweets.length; i += partSize) parts.push(tweets.slice(i, i + partSize));
  const bytes = await buildXArchiveZip({
    accountId,
    username,
    generationDate: '2025-01-22T05:46:38.082Z',
    parts: parts.length > 0 ? parts : [[]],
    followers: 1234,
    mediaBytes: options.mediaBytes ?? 1 << 20,
  });
  return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
}

// ---- Mastodon archive ---------------------------------------------------------------------------

const PUBLIC = 'https://www.w3.org/ns/activitystreams#Public';

export interface MastodonActorSpec {
  host: string;
  username: string;
  /** Numeric ActivityPub ids (Mastodon 4.4+ accounts): URIs carry this account id. */
  numericId?: string;
}

export function actorUri(actor: MastodonActorSpec): string {
  return actor.numericId
    ? `https://${actor.host}/ap/users/${actor.numericId}`
    : `https://${actor.host}/users/${actor.username}`;
}

export interface MastodonNoteSpec {
  id: string;
  /** ms since the epoch. */
  at: number;
  /** The HTML content, as Mastodon formats it. */
  html: string;
  hashtags?: string[];
  media?: boolean;
  inReplyTo?: string;
  /** public (default), unlisted, private (followers only) or direct. */
  visibility?: 'public' | 'unlisted' | 'private' | 'direct';
  /** Mastodon 4.4+: `likes`/`shares` collections with totalItems. */
  likes?: number;
  shares?: number;
  quote?: string;
  /** Override `published` as written (a damaged date). */
  publishedText?: string;
}

/** One `Create` activity of outbox.json, as ActivityPub::CreateNoteSerializer writes it. */
export function mastodonCreate(actor: MastodonActorSpec, spec: MastodonNoteSpec): unknown {
  const base = actorUri(actor);
  const uri = `${base}/statuses/${spec.id}`;
  const followers = `${base}/followers`;
  const visibility = spec.visibility ?? 'public';
  const to =
    visibility === 'public'
      ? [PUBLIC]
      : visibility === 'direct'
        ? ['https://elsewhere.example/users/friend']
        : [followers];
  const cc = visibility === 'public' ? [followers] : visibility === 'unlisted' ? [PUBLIC] : [];
  const published = spec.publishedText ?? new Date(spec.at).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const note: Record<string, unknown> = {
    id: uri,
    type: 'Note',
    summary: null,
    inReplyTo: spec.inReplyTo ?? null,
    published,
    url: `https://${actor.host}/@${actor.username}/${spec.id}`,
    attributedTo: base,
    to,
    cc,
    sensitive: false,
    atomUri: uri,
    inReplyToAtomUri: spec.inReplyTo ?? null,
    conversation: `tag:${actor.host},2024-01-01:objectId=${spec.id}:objectType=Conversation`,
    content: spec.html,
    contentMap: { en: spec.html },
    attachment: spec.media
      ? [
          {
            type: 'Document',
            mediaType: 'image/png',
            url: `media_attachments/files/${spec.id}/original/photo.png`,
            name: 'A photo',
            blurhash: 'U00000fQfQfQfQfQfQfQfQfQfQfQ',
            width: 640,
            height: 480,
          },
        ]
      : [],
    tag: (spec.hashtags ?? []).map((name) => ({
      type: 'Hashtag',
      href: `https://${actor.host}/tags/${name.toLowerCase()}`,
      name: `#${name}`,
    })),
    replies: {
      id: `${uri}/replies`,
      type: 'Collection',
      first: {
        type: 'CollectionPage',
        next: `${uri}/replies?only_other_accounts=true&page=true`,
        partOf: `${uri}/replies`,
        items: [],
      },
    },
    ...(spec.likes !== undefined ? { likes: { id: `${uri}/likes`, type: 'Collection', totalItems: spec.likes } } : {}),
    ...(spec.shares !== undefined
      ? { shares: { id: `${uri}/shares`, type: 'Collection', totalItems: spec.shares } }
      : {}),
    ...(spec.quote ? { quote: spec.quote } : {}),
  };
  return { id: `${uri}/activity`, type: 'Create', actor: base, published, to, cc, object: note };
}

/** One `Announce` (boost) of outbox.json, as ActivityPub::AnnounceNoteSerializer writes it. */
export function mastodonAnnounce(actor: MastodonActorSpec, id: string, at: number, boosted: string): unknown {
  const base = actorUri(actor);
  return {
    id: `${base}/statuses/${id}/activity`,
    type: 'Announce',
    actor: base,
    published: new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    to: [PUBLIC],
    cc: [boosted.replace(/\/statuses\/.*$/, ''), `${base}/followers`],
    object: boosted,
  };
}

/** outbox.json as BackupService writes it: an OrderedCollection (compact JSON). */
export function mastodonOutbox(items: unknown[]): string {
  return JSON.stringify({
    '@context': [
      'https://www.w3.org/ns/activitystreams',
      { ostatus: 'http://ostatus.org#', toot: 'http://joinmastodon.org/ns#' },
    ],
    id: 'outbox.json',
    type: 'OrderedCollection',
    totalItems: items.length,
    orderedItems: items,
  });
}

/** actor.json as BackupService writes it (outbox, likes, bookmarks point into the archive). */
export function mastodonActorJson(actor: MastodonActorSpec): string {
  const base = actorUri(actor);
  return JSON.stringify({
    '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1'],
    id: base,
    type: 'Person',
    following: `${base}/following`,
    followers: `${base}/followers`,
    inbox: `${base}/inbox`,
    outbox: 'outbox.json',
    featured: `${base}/collections/featured`,
    preferredUsername: actor.username,
    name: actor.username,
    summary: '<p>Community manager</p>',
    url: `https://${actor.host}/@${actor.username}`,
    manuallyApprovesFollowers: false,
    discoverable: true,
    published: '2022-11-05T00:00:00Z',
    publicKey: {
      id: `${base}#main-key`,
      owner: base,
      publicKeyPem: '-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----\n',
    },
    endpoints: { sharedInbox: `https://${actor.host}/inbox` },
    likes: 'likes.json',
    bookmarks: 'bookmarks.json',
  });
}

/** A Mastodon archive zip (outbox.json, media, likes.json, bookmarks.json, actor.json), dated `exportedAt`. */
export async function buildMastodonArchiveZip(
  actor: MastodonActorSpec,
  items: unknown[],
  options: { exportedAt?: string; noActor?: boolean; damageOutbox?: (text: string) => string } = {},
): Promise<Uint8Array> {
  const outbox = mastodonOutbox(items);
  const files: Record<string, string | Uint8Array> = {
    'outbox.json': options.damageOutbox ? options.damageOutbox(outbox) : outbox,
    'media_attachments/files/1/original/photo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]),
    'likes.json': JSON.stringify({ id: 'likes.json', type: 'OrderedCollection', orderedItems: [] }),
    'bookmarks.json': JSON.stringify({ id: 'bookmarks.json', type: 'OrderedCollection', orderedItems: [] }),
  };
  if (!options.noActor) files['actor.json'] = mastodonActorJson(actor);
  return zip(files, new Date(options.exportedAt ?? '2025-03-01T08:00:00Z'));
}
