// The X data archive ("Download an archive of your data"): its posts, with the like and repost
// counts they had on the day X made the archive.
//
// Format, as X writes it (checked against real archives of 2020–2025 and X's own data/README.txt):
// - every data/*.js file is one JavaScript assignment of a JSON array,
//   `window.YTD.tweets.part0 = [ { "tweet" : { … } }, … ]`; archives of ~2019–2022 name the
//   file data/tweet.js and the global `window.YTD.tweet.part0`, and some early ones have bare
//   tweet objects instead of `{ "tweet": … }`;
// - big archives split a type into parts: data/tweets.js is part 0, then data/tweets-part1.js…;
// - data/manifest.js (`window.__THAR_CONFIG = {…}`) lists every part with its item count
//   (`dataTypes.tweets.files[]`: fileName, globalName, count) and the archive's
//   `archiveInfo.generationDate`; data/account.js gives `accountId` and `username`;
// - a tweet has `id_str`, `full_text` (HTML-escaped: &amp; &lt; &gt;), `created_at`
//   ("Wed Oct 10 20:19:24 +0000 2018"), `favorite_count`/`retweet_count` as strings,
//   `in_reply_to_status_id_str` on a reply, `entities.hashtags[].text`, `extended_entities.media`;
//   a retweet is a tweet whose `full_text` starts "RT @" (`retweeted` is always false in archives);
//   quotes are not marked (no `quoted_status_id_str`): a link to another post in `entities.urls`
//   is how X shows a quote, so that is what counts as one here.
// Ids match the X adapter's (src/main/networks/x/normalize.ts): post `x:<id_str>`, profile
// `x:<accountId>`, so an import and the collector meet on the same posts.
import type { FollowerCount, MetricSnapshot, OwnPost } from '../../../shared/analytics';
import { MetricSnapshotSchema, OwnPostSchema } from '../../../shared/analytics';
import type { ArchiveFile, ArchiveSource } from './archive-source';
import { findYtdArray, parseAssignedValue, readArrayItems, type ArrayItem } from './json-items';
import type { ReadContext } from './read-context';
import { ArchiveImportError } from './types';

/** data/tweets.js, data/tweets-part1.js…, and the older data/tweet.js, data/tweet-part1.js… */
const POSTS_FILE = /(?:^|\/)data\/(tweets?)(?:-part(\d+))?\.js$/;
const MANIFEST_FILE = /(?:^|\/)data\/manifest\.js$/;
const ACCOUNT_FILE = /(?:^|\/)data\/account\.js$/;
/** The start of an X posts file: `window.YTD.tweets.part3 =` or `window.YTD.tweet.part0 =`. */
const POSTS_TEXT = /^\uFEFF?\s*window\.YTD\.tweets?\.part\d+\s*=/;

/** True when the zip is an X archive (it has a posts file or X's manifest). */
export function isXArchive(source: ArchiveSource): boolean {
  return source.files.some((f) => POSTS_FILE.test(f.path) || MANIFEST_FILE.test(f.path));
}

/** True when a lone file's first characters are those of an X posts file. */
export function isXPostsText(start: string): boolean {
  return POSTS_TEXT.test(start);
}

interface Manifest {
  accountId: string | null;
  userName: string | null;
  generationDate: number | null;
  /** The posts files the manifest lists (paths relative to the archive's root), null if none. */
  postFiles: Array<{ fileName: string; count: number | null }> | null;
  followers: number | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

/** A count as X writes it (a string of digits, or a number); null when absent or not a count. */
function countOf(value: unknown): number | null | 'bad' {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : 'bad';
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  return 'bad';
}

function filesOf(dataType: unknown): Array<{ fileName: string; count: number | null }> | null {
  if (!isRecord(dataType) || !Array.isArray(dataType.files)) return null;
  return dataType.files.flatMap((f: unknown) => {
    if (!isRecord(f)) return [];
    const fileName = str(f.fileName);
    if (!fileName) return [];
    const count = countOf(f.count);
    return [{ fileName, count: typeof count === 'number' ? count : null }];
  });
}

function readManifest(value: unknown): Manifest | null {
  if (!isRecord(value)) return null;
  const user = isRecord(value.userInfo) ? value.userInfo : {};
  const info = isRecord(value.archiveInfo) ? value.archiveInfo : {};
  const types = isRecord(value.dataTypes) ? value.dataTypes : {};
  const generated = str(info.generationDate);
  const generatedAt = generated ? Date.parse(generated) : NaN;
  const followerFiles = filesOf(types.follower);
  const followerCounts = followerFiles?.map((f) => f.count) ?? [];
  return {
    accountId: str(user.accountId),
    userName: str(user.userName),
    generationDate: Number.isFinite(generatedAt) ? generatedAt : null,
    postFiles: filesOf(types.tweets) ?? filesOf(types.tweet),
    followers:
      followerCounts.length > 0 && followerCounts.every((c) => c !== null)
        ? followerCounts.reduce<number>((sum, c) => sum + (c ?? 0), 0)
        : null,
  };
}

function readAccount(text: string): { accountId: string | null; username: string | null } | null {
  const value = parseAssignedValue(text);
  const first: unknown = Array.isArray(value) ? value[0] : undefined;
  const account = isRecord(first) && isRecord(first.account) ? first.account : null;
  if (!account) return null;
  return { accountId: str(account.accountId), username: str(account.username) };
}

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};
/** Twitter's v1.1 date, as archives write `created_at`: "Wed Oct 10 20:19:24 +0000 2018". */
const TWITTER_DATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** `created_at` as ms since the epoch, or null when it is not a real date in X's format (or ISO). */
export function parseXDate(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = TWITTER_DATE.exec(value);
  if (m) {
    const month = MONTHS[m[1] ?? ''];
    if (month === undefined) return null;
    const [day, hours, minutes, seconds, year] = [m[2], m[3], m[4], m[5], m[9]].map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    const local = Date.UTC(year, month, day, hours, minutes, seconds);
    const probe = new Date(local);
    // Date.UTC rolls "Feb 31" over to March: such a date is not one.
    if (probe.getUTCDate() !== day || probe.getUTCMonth() !== month || hours > 23 || minutes > 59 || seconds > 59) {
      return null;
    }
    const offset = (Number(m[7]) * 60 + Number(m[8])) * 60_000 * (m[6] === '-' ? -1 : 1);
    return local - offset;
  }
  if (ISO_DATE.test(value)) {
    const at = Date.parse(value);
    return Number.isFinite(at) ? at : null;
  }
  return null;
}

/** X escapes exactly these in `full_text`. */
function unescapeXText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(amp|lt|gt);/g, (_, name: string) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'));
}

/** A link to a post on X (not to one of its photos or videos): how X shows a quote. */
const POST_LINK =
  /^https?:\/\/(?:www\.|mobile\.)?(?:twitter|x)\.com\/(?:[A-Za-z0-9_]{1,15}|i(?:\/web)?)\/status(?:es)?\/(\d+)\/?(?:\?.*)?$/;

function tweetOf(item: unknown): Record<string, unknown> | null {
  if (!isRecord(item)) return null;
  if (isRecord(item.tweet)) return item.tweet;
  return item;
}

function idOf(tweet: Record<string, unknown>): string | null {
  const id = str(tweet.id_str) ?? str(tweet.id);
  return id && /^\d{1,20}$/.test(id) ? id : null;
}

function mediaOf(tweet: Record<string, unknown>): unknown[] {
  for (const holder of [tweet.extended_entities, tweet.entities]) {
    if (isRecord(holder) && Array.isArray(holder.media) && holder.media.length > 0) return holder.media;
  }
  return [];
}

function urlsOf(tweet: Record<string, unknown>): string[] {
  const entities = isRecord(tweet.entities) ? tweet.entities : {};
  if (!Array.isArray(entities.urls)) return [];
  return entities.urls.flatMap((u: unknown) =>
    isRecord(u) && typeof u.expanded_url === 'string' ? [u.expanded_url] : [],
  );
}

function isRetweet(tweet: Record<string, unknown>): boolean {
  const text = str(tweet.full_text) ?? str(tweet.text) ?? '';
  return text.startsWith('RT @') || tweet.retweeted === true || isRecord(tweet.retweeted_status);
}

function isQuote(tweet: Record<string, unknown>, id: string): boolean {
  if (str(tweet.quoted_status_id_str) || tweet.is_quote_status === true) return true;
  return urlsOf(tweet).some((url) => {
    const m = POST_LINK.exec(url);
    return m !== null && m[1] !== id;
  });
}

/** The account a lone posts file belongs to, from the posts themselves (see `resolveAccount`). */
function inferAccount(items: ArrayItem[]): { username: string | null; accountId: string | null } {
  let username: string | null = null;
  // Own media links name the author: https://x.com/<username>/status/<this post's id>/photo/1.
  for (const item of items) {
    if (!item.ok) continue;
    const tweet = tweetOf(item.value);
    const id = tweet ? idOf(tweet) : null;
    if (!tweet || !id || isRetweet(tweet)) continue;
    for (const media of mediaOf(tweet)) {
      const url = isRecord(media) ? str(media.expanded_url) : null;
      const m = url ? /^https?:\/\/(?:twitter|x)\.com\/([A-Za-z0-9_]{1,15})\/status\/(\d+)\//.exec(url) : null;
      if (m && m[2] === id) username = m[1] ?? null;
    }
    if (username) break;
  }
  let accountId: string | null = null;
  if (username) {
    // A reply to oneself (a thread) names one's own id.
    const lower = username.toLowerCase();
    for (const item of items) {
      const tweet = item.ok ? tweetOf(item.value) : null;
      if (tweet && str(tweet.in_reply_to_screen_name)?.toLowerCase() === lower) {
        accountId = str(tweet.in_reply_to_user_id_str);
        if (accountId && /^\d+$/.test(accountId)) break;
        accountId = null;
      }
    }
  }
  return { username, accountId };
}

interface PostsFile {
  file: ArchiveFile;
  type: string;
  part: number;
  /** Items the manifest counts in it, when it does. */
  expected: number | null;
}

function expectedName(prefix: string, type: string, part: number): string {
  return `${prefix}data/${type}${part === 0 ? '' : `-part${part}`}.js`;
}

/** The posts files to read, in order, and the problems of those that should be there and are not. */
function planFiles(source: ArchiveSource, manifest: Manifest | null, ctx: ReadContext): PostsFile[] {
  if (source.kind === 'file') {
    const file = source.files[0];
    return file ? [{ file, type: 'tweets', part: 0, expected: null }] : [];
  }
  const found = new Map<string, PostsFile>();
  for (const file of source.files) {
    const m = POSTS_FILE.exec(file.path);
    if (!m) continue;
    found.set(file.path, { file, type: m[1] ?? 'tweets', part: m[2] ? Number(m[2]) : 0, expected: null });
  }
  const anchor = source.find(MANIFEST_FILE) ?? [...found.values()][0]?.file;
  const prefix = anchor ? anchor.path.slice(0, anchor.path.lastIndexOf('data/')) : '';
  if (manifest?.postFiles) {
    for (const listed of manifest.postFiles) {
      const path = prefix + listed.fileName.replace(/^\/+/, '');
      const entry = found.get(path);
      if (entry) entry.expected = listed.count;
      else ctx.problem({ file: path }, 'file-missing');
    }
  } else {
    // No list: a gap in the parts' numbers is a part that went missing.
    const byType = new Map<string, Set<number>>();
    for (const f of found.values()) byType.set(f.type, (byType.get(f.type) ?? new Set()).add(f.part));
    for (const [type, parts] of byType) {
      const last = Math.max(...parts);
      for (let part = 0; part <= last; part += 1) {
        if (!parts.has(part)) ctx.problem({ file: expectedName(prefix, type, part) }, 'file-missing');
      }
    }
  }
  return [...found.values()].sort((a, b) => (a.type === b.type ? a.part - b.part : a.type < b.type ? 1 : -1));
}

interface Account {
  id: string;
  handle: string;
  linked: boolean;
}

/**
 * Whose archive this is: data/account.js, else the manifest's userInfo; for a lone posts file,
 * the author's username from their own media links and their id from a reply to themselves (a
 * thread), matched with a connected X profile when the id is not found.
 */
function resolveAccount(
  fromArchive: { accountId: string | null; username: string | null },
  firstItems: ArrayItem[],
  ctx: ReadContext,
): Account {
  let { accountId, username } = fromArchive;
  if (!accountId) {
    const inferred = inferAccount(firstItems);
    accountId = inferred.accountId;
    username ??= inferred.username;
  }
  const known = ctx.knownProfiles.filter((p) => p.network === 'x');
  if (!accountId && username) {
    const lower = username.toLowerCase();
    const match = known.find((p) => p.handle.replace(/^@/, '').toLowerCase() === lower);
    if (match) accountId = match.id.replace(/^x:/, '');
  }
  if (!accountId || !/^\d+$/.test(accountId)) {
    throw new ArchiveImportError('x-account-unknown', 'The file does not say which X account it belongs to', {
      ...(username ? { handle: username } : {}),
    });
  }
  if (!username) {
    username = known.find((p) => p.id === `x:${accountId}`)?.handle.replace(/^@/, '') ?? null;
  }
  return { id: `x:${accountId}`, handle: username ?? '', linked: true };
}

/** Reads one posts file's items; problems for a file that is unreadable, cut short or short. */
async function readItems(posts: PostsFile, ctx: ReadContext): Promise<ArrayItem[] | null> {
  const path = posts.file.path;
  let text: string;
  try {
    text = await posts.file.read({
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onBytes: (done) => ctx.reading(path, done),
    });
  } catch (error) {
    ctx.signal?.throwIfAborted();
    ctx.problem({ file: path }, 'file-unreadable', { detail: error instanceof Error ? error.message : String(error) });
    ctx.read(path, posts.file.size);
    return null;
  }
  ctx.read(path, posts.file.size);
  const array = findYtdArray(text);
  if (!array) {
    ctx.problem({ file: path }, 'file-not-posts');
    return null;
  }
  const { items, truncated } = readArrayItems(text, array.open);
  if (truncated) ctx.problem({ file: path }, 'file-truncated', { count: items.length });
  if (posts.expected !== null && items.length < posts.expected) {
    ctx.problem({ file: path }, 'file-short', { count: items.length, expected: posts.expected });
  }
  return items;
}

interface MapState {
  account: Account;
  observedAt: number | null;
}

async function mapItems(items: ArrayItem[], path: string, state: MapState, ctx: ReadContext): Promise<void> {
  for (let index = 0; index < items.length; index += 1) {
    if ((index & 255) === 0) ctx.signal?.throwIfAborted();
    const item = items[index] as ArrayItem;
    if (!item.ok) {
      ctx.badItem({ file: path, item: index }, 'item-unreadable', { detail: item.error });
      continue;
    }
    const tweet = tweetOf(item.value);
    const id = tweet ? idOf(tweet) : null;
    if (!tweet || !id) {
      ctx.badItem({ file: path, item: index }, 'item-no-id');
      continue;
    }
    if (isRetweet(tweet)) {
      ctx.repost();
      continue;
    }
    const createdAt = parseXDate(tweet.created_at);
    if (createdAt === null) {
      // No date at all: said so (no "undefined" quoted as if it were one).
      const written = tweet.created_at == null || tweet.created_at === '' ? null : tweet.created_at;
      ctx.badItem(
        { file: path, item: index, id },
        'item-bad-date',
        written === null ? undefined : { value: String(written).slice(0, 60) },
      );
      continue;
    }
    const entities = isRecord(tweet.entities) ? tweet.entities : {};
    const hashtags = Array.isArray(entities.hashtags)
      ? entities.hashtags.flatMap((h: unknown) => (isRecord(h) && typeof h.text === 'string' ? [h.text] : []))
      : [];
    const { handle } = state.account;
    const post: OwnPost = {
      id: `x:${id}`,
      network: 'x',
      profileId: state.account.id,
      handle,
      createdAt,
      text: unescapeXText(str(tweet.full_text) ?? str(tweet.text) ?? ''),
      hashtags,
      hasMedia: mediaOf(tweet).length > 0,
      isReply: Boolean(str(tweet.in_reply_to_status_id_str) ?? str(tweet.in_reply_to_status_id)),
      isQuote: isQuote(tweet, id),
      url: handle ? `https://x.com/${handle}/status/${id}` : `https://x.com/i/status/${id}`,
    };
    if (!OwnPostSchema.safeParse(post).success) {
      ctx.badItem({ file: path, item: index, id }, 'item-invalid');
      continue;
    }
    const likes = countOf(tweet.favorite_count);
    const reposts = countOf(tweet.retweet_count);
    if (likes === 'bad' || reposts === 'bad') ctx.problem({ file: path, item: index, id }, 'item-bad-count');
    let snapshot: MetricSnapshot | null = null;
    const known = (v: number | null | 'bad') => (typeof v === 'number' ? v : null);
    if (
      state.observedAt !== null &&
      state.observedAt >= createdAt &&
      (known(likes) !== null || known(reposts) !== null)
    ) {
      const candidate: MetricSnapshot = {
        postId: post.id,
        at: state.observedAt,
        values: {
          likes: known(likes),
          reposts: known(reposts),
          replies: null,
          quotes: null,
          bookmarks: null,
          impressions: null,
          linkClicks: null,
          profileClicks: null,
        },
        source: 'x-archive',
      };
      if (MetricSnapshotSchema.safeParse(candidate).success) snapshot = candidate;
    }
    await ctx.post(post, snapshot);
  }
}

/**
 * Reads an X archive (a zip) or one of its posts files (data/tweets.js) into the import run:
 * identifies the account, then hands over every own post with its counts at the archive's
 * generation date, file by file, part by part. Throws ArchiveImportError `no-posts-file` (no posts
 * file in the zip) or `x-account-unknown`; everything else damaged becomes a problem and the rest
 * is read.
 */
export async function readXArchive(source: ArchiveSource, ctx: ReadContext): Promise<void> {
  let manifest: Manifest | null = null;
  const manifestFile = source.find(MANIFEST_FILE);
  if (manifestFile) {
    try {
      manifest = readManifest(parseAssignedValue(await manifestFile.read()));
    } catch {
      manifest = null;
    }
    if (!manifest) ctx.problem({ file: manifestFile.path }, 'manifest-unreadable');
  }
  let account: { accountId: string | null; username: string | null } = {
    accountId: manifest?.accountId ?? null,
    username: manifest?.userName ?? null,
  };
  if (source.kind === 'zip') {
    const accountFile = source.find(ACCOUNT_FILE);
    const fromFile = accountFile ? await accountFile.read().then(readAccount, () => null) : null;
    if (fromFile?.accountId)
      account = { accountId: fromFile.accountId, username: fromFile.username ?? account.username };
    else ctx.problem({ file: accountFile?.path ?? 'data/account.js' }, 'account-unreadable');
  }

  const files = planFiles(source, manifest, ctx);
  if (files.length === 0) throw new ArchiveImportError('no-posts-file', 'The archive has no posts file');
  const expected = files.map((f) => f.expected);
  ctx.plan({
    bytesTotal: files.reduce((sum, f) => sum + f.file.size, 0),
    itemsTotal: expected.every((c) => c !== null) ? expected.reduce<number>((s, c) => s + (c ?? 0), 0) : null,
  });

  let state: MapState | null = null;
  for (const posts of files) {
    const items = await readItems(posts, ctx);
    if (posts.expected === null) ctx.itemsFound(items?.length ?? 0);
    if (!state) {
      const who = resolveAccount(account, items ?? [], ctx);
      let observedAt = manifest?.generationDate ?? null;
      if (observedAt === null) {
        observedAt = posts.file.modified;
        ctx.problem({ file: manifestFile?.path ?? posts.file.path }, 'date-from-file');
      }
      const followers: FollowerCount[] =
        manifest?.generationDate != null && manifest.followers !== null
          ? [
              {
                profileId: who.id,
                day: new Date(manifest.generationDate).toISOString().slice(0, 10),
                followers: manifest.followers,
                at: manifest.generationDate,
              },
            ]
          : [];
      ctx.identify({ network: 'x', profile: who, observedAt, followers });
      state = { account: who, observedAt };
    }
    if (items) await mapItems(items, posts.file.path, state, ctx);
  }
}
