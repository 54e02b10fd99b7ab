// The Sandbox world: a practice network simulated inside main. Slot n (any integer, the negative
// ones being history) is a pure function of (seed, n): a post (its author, text, hashtags, links,
// media, quote, moderation), a repost of an older post, or one of the practice profile's own
// posts, at the time the slot appears. Around the practice profile's posts, other people like,
// repost, reply, quote and follow: the notifications column. Counts are a pure function of age,
// so they grow as time passes. The same seed and anchor always give the same world, which tests
// rely on.
import { createAvatar } from '@dicebear/core';
import { personas } from '@dicebear/collection';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type {
  CustomEmoji,
  Entity,
  Media,
  Metrics,
  Moderation,
  NotificationKind,
  Poll,
  Post,
  Profile,
  QuotedPost,
  TimelineEntry,
} from '../../../shared/model';
import {
  BRAND_TAG,
  CONTENT_WARNINGS,
  CUSTOM_EMOJI,
  EXPIRED_IMAGE,
  FILTER_TITLES,
  FOLLOWER_FIRST,
  FOLLOWER_LAST,
  IMAGE_ALTS,
  LINK_PATHS,
  LISTS,
  MEDIA_COLORS,
  OTHER_TAGS,
  PERSONAS,
  PHRASES,
  POLLS,
  PRACTICE_HANDLE,
  PRACTICE_PHRASES,
  RTL_PERSONAS,
  sceneImage,
  type Persona,
} from './cast';

/** Mean time between two slots of the world. */
export const POST_GAP_MS = 4_000;
/** How far back history goes, in slots (about a day at POST_GAP_MS). */
export const HISTORY_POSTS = 20_000;
/** Every this many slots, the practice profile posts (about every 10 minutes). */
export const PRACTICE_EVERY = 150;
/** Reposts reach back up to this many slots (three days): an old post boosted now. */
const REPOST_REACH = 65_000;
/** Counts reach about 63% of their final value after this long. */
const GROWTH_MS = 4 * 60_000;
/** One person follows the practice profile in every this many slots (about every 4 minutes). */
const FOLLOW_EVERY = 60;
/** How long polls stay open: an hour, a day or three days. */
const POLL_DURATIONS_MS = [3_600_000, 86_400_000, 3 * 86_400_000] as const;

const PRACTICE: Persona = { handle: PRACTICE_HANDLE, name: 'Practice profile', followed: false };
const EVERYONE: readonly Persona[] = [...PERSONAS, ...RTL_PERSONAS];

interface Draft {
  n: number;
  /** A post, a repost (by `persona`) of post `repostOf`, or the practice profile's own post. */
  kind: 'post' | 'repost' | 'practice';
  /** The author, or who reposted for a repost. */
  persona: Persona;
  text: string;
  entities: Entity[];
  media: Media[];
  hashtags: string[];
  mentionsPractice: boolean;
  repostOf: number | null;
  /** The practice post this one replies to (its slot), for a reply. */
  replyTo: number | null;
  /** The slot of the post this one quotes, and whether that post is gone (deleted). */
  quoteOf: number | null;
  quoteGone: boolean;
  contentWarning: string | null;
  moderation: Moderation[];
  /** A poll (replacing the opening phrase): final votes per option, voters, how long it is open. */
  poll: {
    options: readonly string[];
    multiple: boolean;
    votes: number[];
    voters: number;
    durationMs: number;
    /** The options the practice profile chose. */
    own: number[];
  } | null;
  /** Final counts, reached as the post ages. */
  final: { likes: number; reposts: number; replies: number; quotes: number };
}

/** Likes and reposts of one practice post: who, at which slot (ascending). */
interface Reactions {
  like: Array<{ slot: number; persona: Persona }>;
  repost: Array<{ slot: number; persona: Persona }>;
}

export interface SandboxWorldOptions {
  seed: number;
  /** The instant slot 0 appears (the first launch); history lies before it. */
  anchorMs: number;
}

export class SandboxWorld {
  readonly seed: number;
  readonly anchorMs: number;
  private readonly key: string;
  private readonly cache = new Map<number, Draft>();
  private readonly reactionCache = new Map<number, Reactions>();
  private readonly avatars = new Map<string, string>();

  constructor(options: SandboxWorldOptions) {
    this.seed = options.seed;
    this.anchorMs = options.anchorMs;
    this.key = `${(options.seed >>> 0).toString(36)}.${Math.floor(options.anchorMs / 1000).toString(36)}`;
  }

  /** The practice profile: the user's own Sandbox identity. */
  practiceProfile(): Profile {
    return this.profile(PRACTICE);
  }

  /** The instant slot n appears. Strictly increasing in n. */
  timeOf(n: number): number {
    const rng = xoroshiro128plus(this.mix(n, 0x7f4a7c15));
    return this.anchorMs + n * POST_GAP_MS + Math.floor(uniformFloat64(rng) * POST_GAP_MS * 0.9);
  }

  /** The newest slot visible at `nowMs`. */
  latestAt(nowMs: number): number {
    let n = Math.floor((nowMs - this.anchorMs) / POST_GAP_MS);
    while (this.timeOf(n) > nowMs) n--;
    while (this.timeOf(n + 1) <= nowMs) n++;
    return n;
  }

  oldest(): number {
    return -HISTORY_POSTS;
  }

  postId(n: number): string {
    return `sandbox:${this.key}-${n}`;
  }

  /** The slot of one of this world's post ids, or undefined for any other id. */
  numberOf(postId: string): number | undefined {
    const prefix = `sandbox:${this.key}-`;
    if (!postId.startsWith(prefix)) return undefined;
    const n = Number(postId.slice(prefix.length));
    return Number.isInteger(n) ? n : undefined;
  }

  /** Whether slot n brings an entry to a (non-notification) column. */
  matches(n: number, filter: PostFilter): boolean {
    const d = this.draft(n);
    switch (filter.kind) {
      case 'home':
        return d.kind === 'practice' || d.persona.followed;
      case 'mentions':
        return d.kind === 'post' && d.mentionsPractice;
      case 'hashtag':
        return d.kind !== 'repost' && d.hashtags.some((t) => t.toLowerCase() === filter.tag.toLowerCase());
      case 'search': {
        if (d.kind === 'repost') return false;
        const text = d.text.toLowerCase();
        return filter.words.every((w) => text.includes(w));
      }
      case 'user':
        // A user's timeline holds their posts and what they reposted.
        return d.persona.handle.toLowerCase() === filter.handle.toLowerCase();
      case 'list':
        return LISTS[filter.listId]?.members.includes(d.persona.handle) ?? false;
      case 'notifications':
        return this.notificationsAt(n, 0).length > 0;
    }
  }

  /**
   * What slot n brings to a column with this filter, newest first (several for notifications).
   * `upTo`: for notifications, see notificationsAt.
   */
  entriesAt(
    n: number,
    filter: PostFilter,
    nowMs: number,
    view: (post: Post) => Post = (p) => p,
    upTo?: number,
  ): TimelineEntry[] {
    if (filter.kind === 'notifications') return this.notificationsAt(n, nowMs, view, upTo);
    return this.matches(n, filter) ? [this.entry(n, nowMs, view)] : [];
  }

  /** Slot n's post (for a repost slot: the post it reposted). */
  post(n: number, nowMs: number): Post {
    const d = this.draft(n);
    if (d.kind === 'repost') return this.post(d.repostOf!, nowMs);
    const quote = d.quoteOf !== null && !d.quoteGone ? this.quoted(d.quoteOf, nowMs) : undefined;
    const poll = d.poll ? this.pollOf(n, d.poll, nowMs) : undefined;
    const emojis = this.emojisIn(d.text, d.contentWarning ?? '');
    return {
      id: this.postId(n),
      network: 'sandbox',
      nativeId: `${this.key}-${n}`,
      author: this.profile(d.persona),
      text: d.text,
      entities: d.entities,
      media: d.media,
      createdAt: new Date(this.timeOf(n)).toISOString(),
      url: null,
      metrics: this.metrics(n, nowMs),
      ...(d.replyTo !== null ? { replyTo: this.postId(d.replyTo) } : {}),
      ...(d.contentWarning ? { contentWarning: d.contentWarning } : {}),
      ...(emojis.length > 0 ? { emojis } : {}),
      ...(d.moderation.length > 0 ? { moderation: d.moderation } : {}),
      ...(quote ? { quote } : {}),
      ...(d.quoteOf !== null && d.quoteGone ? { quoteUnavailable: 'deleted' } : {}),
      ...(poll ? { poll } : {}),
    };
  }

  /** Slot n's poll at `nowMs`: votes grow with age as counts do, until it closes. */
  private pollOf(n: number, p: NonNullable<Draft['poll']>, nowMs: number): Poll {
    const start = this.timeOf(n);
    const endsMs = start + p.durationMs;
    const age = Math.max(0, Math.min(nowMs, endsMs) - start);
    const share = 1 - Math.exp(-age / GROWTH_MS);
    const votes = p.votes.map((v) => Math.floor(v * share));
    const voters = Math.floor(p.voters * share);
    return {
      options: p.options.map((title, i) => ({ title, votes: votes[i] ?? 0 })),
      voters: p.multiple ? Math.max(voters, ...votes) : votes.reduce((a, b) => a + b, 0),
      multiple: p.multiple,
      endsAt: new Date(endsMs).toISOString(),
      closed: nowMs >= endsMs,
      ...(p.own.length > 0 ? { ownVotes: p.own } : {}),
    };
  }

  /**
   * Slot n as the timeline entry it makes: a post met at its own time, or a repost: the original
   * post met at the time of the repost (key: the repost's own id), naming who reposted.
   */
  entry(n: number, nowMs: number, view: (post: Post) => Post = (p) => p): TimelineEntry {
    const d = this.draft(n);
    const at = new Date(this.timeOf(n)).toISOString();
    if (d.kind === 'repost') {
      return {
        key: `sandbox:${this.key}-r${n}`,
        at,
        post: view(this.post(n, nowMs)),
        repostedBy: this.profile(d.persona),
      };
    }
    return { key: this.postId(n), at, post: view(this.post(n, nowMs)) };
  }

  /**
   * The notifications slot n brings the practice profile, as a network's notifications column
   * shows them: likes and reposts of one of its posts grouped by post (key `like:<postId>`,
   * every actor so far, most recent first), a mention, reply or quote with its post, a follow.
   * With `upTo`, a like or repost group that a later slot up to `upTo` brings again is left out:
   * that later one already says it, with every actor so far.
   */
  notificationsAt(n: number, nowMs: number, view: (post: Post) => Post = (p) => p, upTo?: number): TimelineEntry[] {
    const out: TimelineEntry[] = [];
    const at = new Date(this.timeOf(n)).toISOString();
    const target = Math.floor(n / PRACTICE_EVERY) * PRACTICE_EVERY;
    if (target !== n) {
      const reactions = this.reactions(target);
      for (const kind of ['repost', 'like'] as const) {
        const soFar = reactions[kind].filter((r) => r.slot <= n);
        if (soFar.at(-1)?.slot !== n) continue;
        if (upTo !== undefined && reactions[kind].some((r) => r.slot > n && r.slot <= upTo)) continue;
        const actors = soFar.reverse().map((r) => this.profile(r.persona));
        out.push({
          key: `${kind}:${this.postId(target)}`,
          at,
          post: view(this.post(target, nowMs)),
          notification: { kind, actors, count: actors.length },
        });
      }
    }
    const d = this.draft(n);
    if (d.kind === 'post') {
      let kind: NotificationKind | null = null;
      if (d.mentionsPractice) kind = d.replyTo !== null ? 'reply' : 'mention';
      else if (d.quoteOf !== null && !d.quoteGone && this.draft(d.quoteOf).kind === 'practice') kind = 'quote';
      if (kind) {
        out.push({
          key: this.postId(n),
          at,
          post: view(this.post(n, nowMs)),
          notification: { kind, actors: [this.profile(d.persona)], count: 1 },
        });
      }
    }
    const follower = this.followerAt(n);
    if (follower) {
      out.push({
        key: `follow:${this.key}-${n}`,
        at,
        post: null,
        notification: { kind: 'follow', actors: [this.profile(follower)], count: 1 },
      });
    }
    return out;
  }

  metrics(n: number, nowMs: number): Metrics {
    const d = this.draft(n);
    if (d.kind === 'repost') return this.metrics(d.repostOf!, nowMs);
    if (d.kind === 'practice') {
      // The practice profile's posts count exactly the likes and reposts its notifications show.
      const latest = this.latestAt(nowMs);
      const { like, repost } = this.reactions(n);
      return {
        likes: like.filter((r) => r.slot <= latest).length,
        reposts: repost.filter((r) => r.slot <= latest).length,
        replies: 0,
        quotes: 0,
        impressions: null,
      };
    }
    const age = Math.max(0, nowMs - this.timeOf(n));
    const share = 1 - Math.exp(-age / GROWTH_MS);
    const grow = (v: number) => Math.floor(v * share);
    return {
      likes: grow(d.final.likes),
      reposts: grow(d.final.reposts),
      replies: grow(d.final.replies),
      quotes: grow(d.final.quotes),
      impressions: null,
    };
  }

  handles(): string[] {
    return EVERYONE.map((p) => p.handle);
  }

  /** Post m as a quote shows it: the whole post, quoting nothing itself. */
  private quoted(m: number, nowMs: number): QuotedPost {
    const { quote: _quote, quoteUnavailable: _gone, ...post } = this.post(m, nowMs);
    return post;
  }

  private emojisIn(...texts: string[]): CustomEmoji[] {
    return Object.entries(CUSTOM_EMOJI)
      .filter(([code]) => texts.some((t) => t.includes(`:${code}:`)))
      .map(([shortcode, url]) => ({ shortcode, url }));
  }

  private profile(persona: Persona): Profile {
    let avatar = this.avatars.get(persona.handle);
    if (!avatar) {
      avatar = createAvatar(personas, { seed: persona.handle, size: 64, radius: 50 }).toDataUri();
      this.avatars.set(persona.handle, avatar);
    }
    const emojis = this.emojisIn(persona.name);
    return {
      id: `sandbox:${persona.handle}`,
      network: 'sandbox',
      handle: persona.handle,
      displayName: persona.name,
      avatarUrl: avatar,
      url: null,
      ...(emojis.length > 0 ? { emojis } : {}),
    };
  }

  private mix(n: number, salt: number): number {
    // A 32-bit hash of (seed, n, salt) so neighbouring posts get unrelated generators.
    let h = (this.seed ^ salt) >>> 0;
    h = Math.imul(h ^ (n >>> 0), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = Math.imul(h ^ Math.floor(n / 2 ** 32), 0x27d4eb2f) >>> 0;
    return (h ^ (h >>> 16)) | 0;
  }

  /**
   * Who follows the practice profile at slot n, if anyone: one person in every FOLLOW_EVERY
   * slots, at a slot of that block drawn from the seed. A person follows once: block k's
   * follower is person k of a shuffled order of the FOLLOWER_FIRST × FOLLOWER_LAST people
   * (an affine permutation, so consecutive blocks never meet the same person twice until every
   * one of them has followed: 3,600 blocks, about ten days of slots).
   */
  private followerAt(n: number): Persona | null {
    const block = Math.floor(n / FOLLOW_EVERY);
    const rng = xoroshiro128plus(this.mix(block, 0x1b873593));
    if (n !== block * FOLLOW_EVERY + uniformInt(rng, 0, FOLLOW_EVERY - 1)) return null;
    const people = FOLLOWER_FIRST.length * FOLLOWER_LAST.length;
    const k = ((block % people) + people) % people;
    // 7919 is prime and does not divide 3,600: k → (7919·k + shift) mod people is one-to-one.
    const shift = (this.seed >>> 0) % people;
    const person = (7919 * k + shift) % people;
    const first = FOLLOWER_FIRST[person % FOLLOWER_FIRST.length]!;
    const last = FOLLOWER_LAST[Math.floor(person / FOLLOWER_FIRST.length)]!;
    const handle = `${first}.${last}`
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase();
    return { handle, name: `${first} ${last}`, followed: false };
  }

  /** The likes and reposts practice post `t` receives within the slots before the next one. */
  private reactions(t: number): Reactions {
    const cached = this.reactionCache.get(t);
    if (cached) return cached;
    const rng = xoroshiro128plus(this.mix(t, 0x68e31da4));
    const people = [...EVERYONE];
    const draw = (count: number) => {
      const out: Array<{ slot: number; persona: Persona }> = [];
      for (let i = 0; i < count && people.length > 0; i++) {
        const persona = people.splice(uniformInt(rng, 0, people.length - 1), 1)[0]!;
        out.push({ slot: t + uniformInt(rng, 1, PRACTICE_EVERY - 1), persona });
      }
      return out.sort((a, b) => a.slot - b.slot);
    };
    const like = draw(uniformInt(rng, 1, 9));
    people.splice(0, people.length, ...EVERYONE);
    const repost = draw(uniformInt(rng, 0, 3));
    const reactions = { like, repost };
    if (this.reactionCache.size > 5_000) this.reactionCache.clear();
    this.reactionCache.set(t, reactions);
    return reactions;
  }

  private draft(n: number): Draft {
    const cached = this.cache.get(n);
    if (cached) return cached;
    const rng = xoroshiro128plus(this.mix(n, 0x2545f491));
    const pick = <T>(items: readonly T[]): T => items[uniformInt(rng, 0, items.length - 1)] as T;
    const chance = (p: number) => uniformFloat64(rng) < p;
    // The features added later draw from their own generator, so the rest of a slot stays the same.
    const more = xoroshiro128plus(this.mix(n, 0x3c6ef372));
    const morePick = <T>(items: readonly T[]): T => items[uniformInt(more, 0, items.length - 1)] as T;
    const moreChance = (p: number) => uniformFloat64(more) < p;

    const practice = n % PRACTICE_EVERY === 0;
    const rtl = !practice && moreChance(0.06) ? morePick(RTL_PERSONAS) : null;
    const persona = pick(PERSONAS);
    const author = practice ? PRACTICE : (rtl ?? persona);
    const parts: Array<{ text: string; entity?: Omit<Entity, 'start' | 'end'> }> = [];
    const hashtags: string[] = [];
    const mentionsPractice = chance(0.08) && !practice && !rtl;
    if (mentionsPractice) {
      parts.push({ text: `@${PRACTICE_HANDLE}`, entity: { kind: 'mention', value: PRACTICE_HANDLE } }, { text: ' ' });
    }
    const phrase = pick(PHRASES);
    parts.push({ text: practice ? morePick(PRACTICE_PHRASES) : rtl ? morePick(rtl.phrases) : phrase });
    if (!rtl && moreChance(0.08)) parts.push({ text: morePick([' :ifpower:', ' :ebike:', ' :ebike: :ifpower:']) });
    const tags = new Set<string>();
    if (chance(0.4) || practice) tags.add(BRAND_TAG);
    const extra = uniformInt(rng, 0, 2);
    for (let i = 0; i < extra; i++) tags.add(pick(OTHER_TAGS));
    for (const tag of tags) {
      parts.push({ text: ' ' }, { text: `#${tag}`, entity: { kind: 'hashtag', value: tag } });
      hashtags.push(tag);
    }
    if (chance(0.25)) {
      const link = pick(LINK_PATHS);
      parts.push({ text: ' ' }, { text: link, entity: { kind: 'link', value: link } });
    }
    const media: Media[] = [];
    if (chance(0.2)) {
      const landscape = chance(0.7);
      const width = landscape ? 1200 : 900;
      const height = landscape ? 675 : 1200;
      const color = pick(MEDIA_COLORS);
      media.push({
        kind: 'image',
        alt: pick(IMAGE_ALTS),
        width,
        height,
        // Now and then an address that no longer answers, as an expired media link would.
        url: moreChance(0.05) ? EXPIRED_IMAGE : sceneImage(width, height, color, n),
        placeholderColor: color,
      });
    }
    let text = '';
    const entities: Entity[] = [];
    for (const part of parts) {
      if (part.entity) entities.push({ ...part.entity, start: text.length, end: text.length + part.text.length });
      text += part.text;
    }
    const followed = PERSONAS.filter((p) => p.followed && p.handle !== persona.handle);
    const reposter = chance(0.1) ? pick(followed) : null;
    const contentWarning = chance(0.04) && !practice ? pick(CONTENT_WARNINGS) : null;
    // Most posts stay small; a few take off (a cubed uniform gives that long tail).
    const reach = uniformFloat64(rng) ** 3;
    const likes = Math.floor(reach * 400);

    const moderation: Moderation[] = [];
    if (media.length > 0 && moreChance(0.3)) {
      // Sensitive media: hidden until asked (Mastodon `sensitive`, a Bluesky self-label).
      moderation.push(
        moreChance(0.35)
          ? { scope: 'media', source: 'label', text: 'graphic-media' }
          : { scope: 'media', source: 'sensitive', text: '' },
      );
    }
    if (!practice && moreChance(0.025)) {
      moderation.push({ scope: 'post', source: 'filter', text: morePick(FILTER_TITLES) });
    }

    const kind: Draft['kind'] = practice ? 'practice' : reposter ? 'repost' : 'post';
    const latestPractice = Math.floor(n / PRACTICE_EVERY) * PRACTICE_EVERY;
    let repostOf: number | null = null;
    if (kind === 'repost') {
      // Reposts reach back from a minute to three days: an old post boosted now is new again.
      let m = n - Math.floor(15 * (REPOST_REACH / 15) ** uniformFloat64(more));
      // Not a practice post, not a repost, and nobody reposts their own post here.
      while (
        m % PRACTICE_EVERY === 0 ||
        this.draft(m).kind === 'repost' ||
        this.draft(m).persona.handle === reposter!.handle
      ) {
        m--;
      }
      repostOf = m;
    }
    let quoteOf: number | null = null;
    let quoteGone = false;
    if (kind === 'post' && !mentionsPractice && moreChance(0.06)) {
      if (moreChance(0.3)) quoteOf = latestPractice;
      else {
        let m = n - Math.floor(5 * (HISTORY_POSTS / 5) ** uniformFloat64(more));
        while (this.draft(m).kind === 'repost') m--;
        quoteOf = m;
      }
      quoteGone = moreChance(0.1);
    }
    const replyTo = mentionsPractice && moreChance(0.5) ? latestPractice : null;

    // Polls draw from a generator of their own too: one plain post in ten (no media, mention or quote).
    const polls = xoroshiro128plus(this.mix(n, 0x5be0cd19));
    let poll: Draft['poll'] = null;
    const pollable = kind === 'post' && !rtl && !mentionsPractice && media.length === 0 && quoteOf === null;
    if (pollable && uniformFloat64(polls) < 0.1) {
      const chosen = POLLS[uniformInt(polls, 0, POLLS.length - 1)]!;
      const votes = chosen.options.map(() => uniformInt(polls, 0, 120));
      const sum = votes.reduce((a, b) => a + b, 0);
      const own = uniformFloat64(polls) < 0.3 ? [uniformInt(polls, 0, chosen.options.length - 1)] : [];
      poll = {
        options: chosen.options,
        multiple: chosen.multiple,
        votes,
        voters: chosen.multiple ? Math.max(Math.ceil(sum / 1.7), ...votes) : sum,
        durationMs: POLL_DURATIONS_MS[uniformInt(polls, 0, POLL_DURATIONS_MS.length - 1)]!,
        own,
      };
      // The question replaces the opening phrase; the entities after it move with it.
      const shift = chosen.question.length - phrase.length;
      text = chosen.question + text.slice(phrase.length);
      for (const e of entities) {
        e.start += shift;
        e.end += shift;
      }
    }

    const draft: Draft = {
      n,
      kind,
      persona: kind === 'repost' ? reposter! : author,
      text,
      entities,
      media,
      hashtags,
      mentionsPractice,
      repostOf,
      replyTo,
      quoteOf,
      quoteGone,
      contentWarning,
      moderation,
      poll,
      final: {
        likes,
        reposts: Math.floor(likes * (0.1 + uniformFloat64(rng) * 0.2)),
        replies: Math.floor(likes * (0.05 + uniformFloat64(rng) * 0.1)),
        quotes: Math.floor(likes * uniformFloat64(rng) * 0.05),
      },
    };
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(n, draft);
    return draft;
  }
}

export type PostFilter =
  | { kind: 'home' }
  | { kind: 'mentions' }
  | { kind: 'notifications' }
  | { kind: 'hashtag'; tag: string }
  | { kind: 'search'; words: string[] }
  | { kind: 'user'; handle: string }
  | { kind: 'list'; listId: string };
