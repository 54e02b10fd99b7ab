// In-memory state of the X emulator: users, posts, media, lists, tokens. Seeded deterministically
// so that the signed-in user's home timeline holds well over 100 posts.

export interface XUser {
  id: string;
  username: string;
  name: string;
  description: string;
  createdAt: number;
  /** Protected posts: only followers see them (`users/{id}/tweets` answers not-authorized-for-resource). */
  protected?: boolean;
  /** Suspended by X: looked up, it answers resource-unavailable ("User has been suspended"). */
  suspended?: boolean;
  /** X's checkmark (`verified`) and its kind (`verified_type`: blue, business, government). */
  verified?: boolean;
  verifiedType?: 'blue' | 'business' | 'government';
  /** The profile's banner image (`profile_banner_url`). */
  bannerUrl?: string;
  /** How many follow the user, beyond the emulator's own users (`public_metrics.followers_count`). */
  extraFollowers?: number;
}

export interface XEntity {
  kind: 'hashtag' | 'mention' | 'url';
  /** Code-point offsets, end exclusive, as X gives them. */
  start: number;
  end: number;
  value: string;
  /** For urls: the t.co link in the text and where it leads. */
  expanded?: string;
  /** For the link X appends for attached media: the medium's key (the url entity's `media_key`). */
  mediaKey?: string;
}

export interface XTweet {
  id: string;
  authorId: string;
  text: string;
  createdAt: number;
  entities: XEntity[];
  mediaKeys: string[];
  referenced: { type: 'retweeted' | 'quoted' | 'replied_to'; id: string }[];
  inReplyToUserId?: string;
  likes: Set<string>;
  retweets: Set<string>;
  replies: number;
  quotes: number;
  bookmarks: number;
  impressions: number;
  /** Owner-only counts (`non_public_metrics`): clicks on the post's links and on its author's profile. */
  linkClicks?: number;
  profileClicks?: number;
  deleted: boolean;
  /** `possibly_sensitive`: X marks the post's media or links as sensitive. */
  sensitive?: boolean;
  /** The post's poll (X: one per post, 2 to 4 options, one choice each). */
  poll?: XPoll;
  /** The post that started the conversation (`conversation_id`); the post itself when unset. */
  conversationId?: string;
  /** The language X detected (`lang`, a BCP-47 tag or one of X's codes like `und`); `en` when unset. */
  lang?: string;
}

/** A poll as X keeps it: options in order with their votes, open until `endsAt` (ms). */
export interface XPoll {
  id: string;
  options: { label: string; votes: number }[];
  durationMinutes: number;
  endsAt: number;
}

export interface XMedia {
  mediaKey: string;
  id: string;
  ownerId: string;
  /** Media object `type`, from the upload's `media_category` (tweet_gif, tweet_video; photo otherwise). */
  type: 'photo' | 'animated_gif' | 'video';
  width: number;
  height: number;
  url: string;
  altText?: string;
  mimeType: string;
  totalBytes: number;
  received: number;
  finalized: boolean;
  /**
   * Asynchronous processing (GIFs and videos uploaded with their category): `state` as STATUS
   * answers it, the STATUS polls still to answer before it moves on, and the words of a failure.
   */
  processing?: { state: 'pending' | 'in_progress' | 'succeeded' | 'failed'; pollsLeft: number; error?: string };
}

export interface XList {
  id: string;
  name: string;
  description: string;
  ownerId: string;
  memberIds: string[];
  createdAt: number;
  /** A private list: only its owner may read it. */
  private?: boolean;
}

export const ME_ID = '1500000000000000001';
export const ME_USERNAME = 'colonnade_hq';

const ID_BASE = 1860000000000000000n;

/** Code points of `text` (Array.from splits by code point). */
export const codePoints = (text: string) => Array.from(text);

/**
 * Finds hashtags, @mentions and links in `text` and answers them with code-point offsets.
 * Links are replaced by t.co links as X does; the answer carries the text X stores.
 */
export function extractEntities(
  rawText: string,
  tcoFor: (url: string) => string,
): { text: string; entities: XEntity[] } {
  // Shorten links first (the stored text holds the t.co form).
  const text = rawText.replace(/https?:\/\/[^\s]+/g, (url) => (url.startsWith('https://t.co/') ? url : tcoFor(url)));
  const expandedOf = new Map<string, string>();
  for (const url of rawText.match(/https?:\/\/[^\s]+/g) ?? []) expandedOf.set(tcoFor(url), url);
  const entities: XEntity[] = [];
  const re = /(#[\p{L}\p{N}_]+)|(@[A-Za-z0-9_]{1,15})|(https:\/\/t\.co\/[A-Za-z0-9]+)/gu;
  for (const m of text.matchAll(re)) {
    const start16 = m.index ?? 0;
    const start = codePoints(text.slice(0, start16)).length;
    const token = m[0];
    const end = start + codePoints(token).length;
    if (m[1]) entities.push({ kind: 'hashtag', start, end, value: token.slice(1) });
    else if (m[2]) entities.push({ kind: 'mention', start, end, value: token.slice(1) });
    else entities.push({ kind: 'url', start, end, value: token, expanded: expandedOf.get(token) ?? token });
  }
  return { text, entities };
}

/** A tiny deterministic generator (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OTHER_USERS: [string, string][] = [
  ['ada_makes', 'Ada Makes'],
  ['brew_lab', 'Brew Lab ☕'],
  ['cityrunner', 'City Runner'],
  ['dev_dora', 'Dora (dev)'],
  ['eco_elle', 'Élodie Écologie'],
  ['fintech_fred', 'Fred'],
  ['gallery_gus', 'Gus at the Gallery'],
  ['harbor_news', 'Harbor News'],
];

const PHRASES = [
  'Shipping a new feature today',
  'Coffee first, then the roadmap',
  'Our community meetup is on Thursday',
  'Thread on what we learned this quarter',
  'Nouvelle version disponible',
  'Who else is at the conference?',
  'Small teams, big plans',
  'Weekend reading list',
  'Behind the scenes of our launch',
  'Customer story: how they grew 3x',
];
const TAGS = ['launch', 'community', 'colonnade', 'café', 'devrel'];

/** A new post's counts and state: nobody has liked, reposted, replied, quoted or seen it yet. */
function unengaged() {
  return {
    likes: new Set<string>(),
    retweets: new Set<string>(),
    replies: 0,
    quotes: 0,
    bookmarks: 0,
    impressions: 0,
    deleted: false,
  };
}

export class XState {
  readonly users = new Map<string, XUser>();
  readonly tweets = new Map<string, XTweet>();
  readonly media = new Map<string, XMedia>();
  readonly lists = new Map<string, XList>();
  /** Who each user follows. */
  readonly follows = new Map<string, Set<string>>();
  private nextId: bigint;
  private nextMediaId = 1700000000000000001n;
  private nextPollId = 1199786642791452673n;
  private tcoCounter = 0;
  private readonly tcoLinks = new Map<string, string>();

  constructor(
    private readonly now: () => number,
    options: { seed?: number; homePosts?: number } = {},
  ) {
    const random = rng(options.seed ?? 7);
    const start = now() - 2 * 24 * 3600_000;
    this.addUser({
      id: ME_ID,
      username: ME_USERNAME,
      name: 'Colonnade HQ',
      description: 'The deck team',
      createdAt: start,
    });
    OTHER_USERS.forEach(([username, name], i) => {
      this.addUser({ id: String(1500000000000000010n + BigInt(i)), username, name, description: '', createdAt: start });
    });
    const others = [...this.users.values()].filter((u) => u.id !== ME_ID);
    this.follows.set(ME_ID, new Set(others.slice(0, 6).map((u) => u.id)));
    this.nextId = ID_BASE;
    const count = options.homePosts ?? 160;
    // Posts by followed users and the signed-in user (home), plus some by users not followed.
    const total = Math.round(count * 1.25);
    for (let i = 0; i < total; i++) {
      const author = i % 9 === 0 ? this.users.get(ME_ID)! : others[Math.floor(random() * others.length)]!;
      const parts = [PHRASES[Math.floor(random() * PHRASES.length)]!];
      if (random() < 0.3) parts.unshift('🎉');
      if (random() < 0.4) parts.push(`#${TAGS[Math.floor(random() * TAGS.length)]!}`);
      if (random() < 0.25 && author.id !== ME_ID) parts.push(`@${ME_USERNAME}`);
      if (random() < 0.15) parts.push('https://example.com/read/' + i);
      if (random() < 0.1) parts.push('👩🏽‍💻 #devrel');
      const createdAt = start + Math.floor((i / total) * (now() - start - 60_000));
      const tweet = this.addTweet({ authorId: author.id, text: parts.join(' '), createdAt });
      tweet.likes = new Set(others.slice(0, Math.floor(random() * 5)).map((u) => u.id));
      tweet.replies = Math.floor(random() * 4);
      tweet.impressions = 50 + Math.floor(random() * 5000);
      if (i % 17 === 5) {
        const photo = this.addMedia(author.id, 'image/png', 1200, 675);
        photo.altText = 'A photo from the event';
        photo.finalized = true;
        this.attachMedia(tweet, [photo]);
      }
    }
    // A few reposts, so -is:retweet has something to leave out.
    const originals = [...this.tweets.values()].slice(0, 5);
    originals.forEach((orig, i) => {
      const by = others[(i + 1) % others.length]!;
      // Added last, so their ids are the highest: their times must be too.
      this.retweet(by.id, orig.id, now() - 50_000 + i * 1000);
    });
    this.lists.set('1600000000000000001', {
      id: '1600000000000000001',
      name: 'Partners',
      description: 'Brands we work with',
      ownerId: ME_ID,
      memberIds: others.slice(0, 3).map((u) => u.id),
      createdAt: start,
    });
    this.lists.set('1600000000000000002', {
      id: '1600000000000000002',
      name: 'Press',
      description: '',
      ownerId: ME_ID,
      memberIds: others.slice(6).map((u) => u.id),
      createdAt: start,
    });
  }

  addUser(user: XUser): XUser {
    this.users.set(user.id, user);
    return user;
  }

  userByName(username: string): XUser | undefined {
    const lower = username.toLowerCase();
    return [...this.users.values()].find((u) => u.username.toLowerCase() === lower);
  }

  tco(url: string): string {
    let link = [...this.tcoLinks.entries()].find(([, u]) => u === url)?.[0];
    if (!link) {
      this.tcoCounter++;
      link = `https://t.co/${'x' + this.tcoCounter.toString(36).padStart(9, '0')}`;
      this.tcoLinks.set(link, url);
    }
    return link;
  }

  /**
   * The next post id: a Snowflake of its time as X makes them (milliseconds since X's epoch
   * shifted 22 bits left; developer.x.com "Twitter IDs"), and always above the last one given.
   */
  private idAt(createdAt: number): bigint {
    const snowflake = (BigInt(Math.max(createdAt, 1288834974657)) - 1288834974657n) << 22n;
    this.nextId = snowflake > this.nextId ? snowflake : this.nextId + 1000n;
    return this.nextId;
  }

  addTweet(input: { authorId: string; text: string; createdAt?: number }): XTweet {
    // Ids grow with time: Snowflakes.
    this.idAt(input.createdAt ?? this.now());
    const { text, entities } = extractEntities(input.text, (u) => this.tco(u));
    const tweet: XTweet = {
      id: String(this.nextId),
      authorId: input.authorId,
      text,
      createdAt: input.createdAt ?? this.now(),
      entities,
      mediaKeys: [],
      referenced: [],
      ...unengaged(),
    };
    this.tweets.set(tweet.id, tweet);
    return tweet;
  }

  /**
   * A retweet as X stores it: its own id and time, text `RT @author: …` (the original's text,
   * cut at 140 characters with `…` as X cuts it), the original's entities shifted after the
   * prefix, and the original's media keys. Answers undefined when the original is gone.
   */
  retweet(userId: string, tweetId: string, createdAt?: number): XTweet | undefined {
    const orig = this.tweets.get(tweetId);
    const author = orig ? this.users.get(orig.authorId) : undefined;
    if (!orig || orig.deleted || !author) return undefined;
    const prefix = `RT @${author.username}: `;
    const shift = codePoints(prefix).length;
    const body = codePoints(orig.text);
    const room = 140 - shift;
    const cut = body.length > room ? body.slice(0, room - 1).join('') + '…' : orig.text;
    const cutLength = codePoints(cut).length;
    this.idAt(createdAt ?? this.now());
    const rt: XTweet = {
      id: String(this.nextId),
      authorId: userId,
      text: prefix + cut,
      createdAt: createdAt ?? this.now(),
      entities: [
        { kind: 'mention', start: 3, end: 4 + codePoints(author.username).length, value: author.username },
        ...orig.entities
          .filter((e) => e.end + shift <= shift + cutLength && !e.mediaKey)
          .map((e) => ({ ...e, start: e.start + shift, end: e.end + shift })),
      ],
      mediaKeys: [...orig.mediaKeys],
      referenced: [{ type: 'retweeted', id: orig.id }],
      ...unengaged(),
      ...(orig.sensitive ? { sensitive: true } : {}),
    };
    this.tweets.set(rt.id, rt);
    orig.retweets.add(userId);
    return rt;
  }

  /**
   * Attaches a poll to a post, as POST /2/tweets with `poll` does (spec `CreatePostsPoll`: 2 to
   * 4 options of 1 to 25 characters, 5 to 10,080 minutes), with `votes` per option (default 0),
   * open for `durationMinutes` from the post's time.
   */
  attachPoll(tweet: XTweet, options: readonly string[], durationMinutes: number, votes: readonly number[] = []): XPoll {
    if (options.length < 2 || options.length > 4) throw new Error('An X poll has 2 to 4 options.');
    if (options.some((o) => o.length < 1 || o.length > 25)) throw new Error('Poll options are 1 to 25 characters.');
    if (durationMinutes < 5 || durationMinutes > 10080) throw new Error('A poll lasts 5 to 10,080 minutes.');
    const poll: XPoll = {
      id: String(this.nextPollId++),
      options: options.map((label, i) => ({ label, votes: votes[i] ?? 0 })),
      durationMinutes,
      endsAt: tweet.createdAt + durationMinutes * 60_000,
    };
    tweet.poll = poll;
    return poll;
  }

  /** Undoes a user's retweet of a post (the retweet is deleted). */
  unretweet(userId: string, tweetId: string): void {
    this.tweets.get(tweetId)?.retweets.delete(userId);
    for (const t of this.tweets.values()) {
      if (t.authorId === userId && !t.deleted && t.referenced.some((r) => r.type === 'retweeted' && r.id === tweetId))
        t.deleted = true;
    }
  }

  /**
   * Attaches media to a post as X does: their keys, and one `t.co` link appended to the text
   * (display `pic.x.com/…`, leading to the post's photo page) whose url entity carries the key.
   */
  attachMedia(tweet: XTweet, media: readonly XMedia[]): void {
    if (!media.length) return;
    tweet.mediaKeys.push(...media.map((m) => m.mediaKey));
    const author = this.users.get(tweet.authorId);
    const target = `https://x.com/${author?.username ?? 'i'}/status/${tweet.id}/photo/1`;
    const link = this.tco(target);
    const start = codePoints(tweet.text).length + (tweet.text ? 1 : 0);
    tweet.text = tweet.text ? `${tweet.text} ${link}` : link;
    tweet.entities.push({
      kind: 'url',
      start,
      end: start + codePoints(link).length,
      value: link,
      expanded: target,
      mediaKey: media[0]!.mediaKey,
    });
  }

  /** The text as its author typed it (t.co links kept, the appended media link left out). */
  typedText(tweet: XTweet): string {
    const link = tweet.entities.find((e) => e.mediaKey);
    return link ? codePoints(tweet.text).slice(0, link.start).join('').trimEnd() : tweet.text;
  }

  addMedia(ownerId: string, mimeType: string, width: number, height: number, totalBytes = 0): XMedia {
    const id = String(this.nextMediaId++);
    const media: XMedia = {
      id,
      mediaKey: `3_${id}`,
      ownerId,
      type: 'photo',
      width,
      height,
      url: `https://pbs.twimg.com/media/${id}.png`,
      mimeType,
      totalBytes,
      received: 0,
      finalized: false,
    };
    this.media.set(id, media);
    return media;
  }

  /** Live posts, newest first. */
  timeline(filter: (t: XTweet) => boolean): XTweet[] {
    return [...this.tweets.values()]
      .filter((t) => !t.deleted && filter(t))
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
  }

  homeOf(userId: string): XTweet[] {
    const follows = this.follows.get(userId) ?? new Set<string>();
    return this.timeline((t) => t.authorId === userId || follows.has(t.authorId));
  }

  mentionsOf(userId: string): XTweet[] {
    const user = this.users.get(userId);
    if (!user) return [];
    return this.timeline((t) =>
      t.entities.some((e) => e.kind === 'mention' && e.value.toLowerCase() === user.username.toLowerCase()),
    );
  }
}
