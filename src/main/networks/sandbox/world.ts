// The Sandbox world: a practice network simulated inside main. Slot n (any integer, the negative
// ones being history) is a pure function of (seed, n): a post (its author, text, hashtags, links,
// media, quote, moderation), a repost of an older post, or one of the practice profile's own
// posts, at the time the slot appears. Around the practice profile's posts, other people like,
// repost, reply, quote and follow: the notifications column. Counts are a pure function of age,
// so they grow as time passes. Below each post, a conversation of as many replies as its count
// says (replies of replies too), drawn from (seed, post, place): they live in threads, not in
// columns, as replies live on a profile's own tab on X. The same seed and anchor always give the
// same world, which tests rely on.
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
  ProfileDetails,
  QuotedPost,
  ThreadView,
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
  PROFILE_FACTS,
  REPLY_PHRASES,
  RTL_PERSONAS,
  WORLD_LANGUAGE,
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
/** How many levels of replies a conversation has below a post (its replies' replies' replies). */
const REPLY_DEPTH = 3;
/** How many replies each reply draws at each depth below a post (1 = a direct reply's own replies). */
const REPLY_FAN: Readonly<Record<number, readonly number[]>> = { 1: [0, 0, 0, 0, 1, 1, 2, 3], 2: [0, 0, 0, 1, 1, 2] };

/**
 * A post of a conversation: a slot (a world post), or a reply below world post `root` at `path`
 * (reply indexes from the root down: [2, 0] is the first reply to its third reply).
 */
type Node = { slot: number } | { root: number; path: number[] };

/** A reply drawn from (seed, root, path): who wrote what, when, and when its own replies come. */
interface ReplyDraft {
  persona: Persona;
  text: string;
  entities: Entity[];
  atMs: number;
  /** Final like and repost counts, reached as the reply ages (as posts' counts are). */
  likes: number;
  reposts: number;
  /** When each of its own replies appears (ms), in order. */
  childTimes: number[];
}

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
  /** The language the post is written in (its author's, BCP-47). */
  language: string;
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
  private readonly replyCache = new Map<string, ReplyDraft>();
  /** The people who follow the practice profile (see followerAt), by handle, built when first asked. */
  private followerHandles: Map<string, Persona> | null = null;
  private readonly avatars = new Map<string, string>();

  constructor(options: SandboxWorldOptions) {
    this.seed = options.seed;
    this.anchorMs = options.anchorMs;
    this.key = `${(options.seed >>> 0).toString(36)}.${Math.floor(options.anchorMs / 1000).toString(36)}`;
  }

  /** The practice profile: the user's own Sandbox identity. */
  practiceProfile(): Profile {
    return this.profileOf(PRACTICE);
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
      author: this.profileOf(d.persona),
      text: d.text,
      entities: d.entities,
      media: d.media,
      createdAt: new Date(this.timeOf(n)).toISOString(),
      url: null,
      metrics: this.metrics(n, nowMs),
      ...(d.replyTo !== null ? { replyTo: this.postId(d.replyTo) } : {}),
      language: d.language,
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
        repostedBy: this.profileOf(d.persona),
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
        const actors = soFar.reverse().map((r) => this.profileOf(r.persona));
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
          notification: { kind, actors: [this.profileOf(d.persona)], count: 1 },
        });
      }
    }
    const follower = this.followerAt(n);
    if (follower) {
      out.push({
        key: `follow:${this.key}-${n}`,
        at,
        post: null,
        notification: { kind: 'follow', actors: [this.profileOf(follower)], count: 1 },
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
        // Exactly the replies its notifications show (and its thread).
        replies: this.practiceReplies(n, latest).length,
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
      // Exactly the replies its thread shows (see directReplyTimes).
      replies: this.directReplyTimes(n).filter((t) => t <= nowMs).length,
      quotes: grow(d.final.quotes),
      impressions: null,
    };
  }

  // ---- conversations --------------------------------------------------------------------

  /**
   * When the replies to world post n appear (ms), in order: its final reply count F drawn with
   * the post, the k-th reply when the count grows to k (counts grow as 1 − e^(−age/GROWTH_MS),
   * so at age −GROWTH_MS·ln(1 − k/F)), so a post always has as many replies as its count says.
   * Practice posts have none here: their replies are the world's posts that answer them.
   */
  private directReplyTimes(n: number): number[] {
    const d = this.draft(n);
    if (d.kind !== 'post') return [];
    const f = d.final.replies;
    const start = this.timeOf(n);
    const out: number[] = [];
    for (let k = 1; k < f; k++) out.push(start + Math.ceil(-GROWTH_MS * Math.log(1 - k / f)));
    return out;
  }

  /** The world's posts (slots up to `latest`) that reply to practice post t: its mentions that reply. */
  private practiceReplies(t: number, latest: number): number[] {
    const out: number[] = [];
    for (let s = t + 1; s < t + PRACTICE_EVERY && s <= latest; s++) {
      const d = this.draft(s);
      if (d.kind === 'post' && d.replyTo === t) out.push(s);
    }
    return out;
  }

  /** The reply at `path` below world post `root`, drawn from the seed (see ReplyDraft). */
  private reply(root: number, path: readonly number[]): ReplyDraft {
    const key = `${root}~${path.join('~')}`;
    const cached = this.replyCache.get(key);
    if (cached) return cached;
    let salt = 0x4f1bbcdc;
    for (const i of path) salt = Math.imul(salt ^ (i + 1), 0x9e3779b1) >>> 0;
    const rng = xoroshiro128plus(this.mix(root, salt | 0));
    const pick = <T>(items: readonly T[]): T => items[uniformInt(rng, 0, items.length - 1)] as T;
    const parent = path.length === 1 ? this.draft(root).persona : this.reply(root, path.slice(0, -1)).persona;
    const op = this.draft(root).persona;
    // The post's author answers now and then below it; otherwise someone else than who they answer.
    const persona =
      path.length > 1 && op.handle !== parent.handle && uniformFloat64(rng) < 0.35
        ? op
        : pick(PERSONAS.filter((p) => p.handle !== parent.handle));
    const mention = `@${parent.handle}`;
    const text = `${mention} ${pick(REPLY_PHRASES)}`;
    const atMs =
      path.length === 1
        ? this.directReplyTimes(root)[path[0]!]!
        : this.reply(root, path.slice(0, -1)).childTimes[path.at(-1)!]!;
    const childTimes: number[] = [];
    const fan = REPLY_FAN[path.length];
    let at = atMs;
    for (let j = fan ? pick(fan) : 0; j > 0; j--) {
      at += uniformInt(rng, 30_000, 20 * 60_000);
      childTimes.push(at);
    }
    const likes = Math.floor(uniformFloat64(rng) ** 3 * 40);
    const draft: ReplyDraft = {
      persona,
      text,
      entities: [{ kind: 'mention', start: 0, end: mention.length, value: parent.handle }],
      atMs,
      likes,
      reposts: Math.floor(likes * 0.1),
      childTimes,
    };
    if (this.replyCache.size > 20_000) this.replyCache.clear();
    this.replyCache.set(key, draft);
    return draft;
  }

  /** The node of a post id of this world, or undefined (another world's, a malformed one). */
  private nodeOf(postId: string): Node | undefined {
    const prefix = `sandbox:${this.key}-`;
    if (!postId.startsWith(prefix)) return undefined;
    const [head, ...rest] = postId.slice(prefix.length).split('~');
    if (!head || !/^-?\d+$/.test(head) || rest.some((p) => !/^\d+$/.test(p))) return undefined;
    const n = Number(head);
    if (!Number.isSafeInteger(n) || rest.length > REPLY_DEPTH) return undefined;
    return rest.length === 0 ? { slot: n } : { root: n, path: rest.map(Number) };
  }

  private idOf(node: Node): string {
    return 'slot' in node ? this.postId(node.slot) : `${this.postId(node.root)}~${node.path.join('~')}`;
  }

  /** Whether `node` exists and has appeared by `nowMs` (its replies' indexes in range, its time passed). */
  private visible(node: Node, nowMs: number): boolean {
    if ('slot' in node) return node.slot <= this.latestAt(nowMs);
    if (node.root > this.latestAt(nowMs)) return false;
    let times = this.directReplyTimes(node.root);
    for (let depth = 1; depth <= node.path.length; depth++) {
      const i = node.path[depth - 1]!;
      if (i >= times.length) return false;
      if (depth === node.path.length) return times[i]! <= nowMs;
      times = this.reply(node.root, node.path.slice(0, depth)).childTimes;
    }
    return false;
  }

  /** The post `node` is (a slot's own post: a repost slot is not asked for here). */
  private nodePost(node: Node, nowMs: number): Post {
    if ('slot' in node) return this.post(node.slot, nowMs);
    const r = this.reply(node.root, node.path);
    const parent: Node =
      node.path.length === 1 ? { slot: node.root } : { root: node.root, path: node.path.slice(0, -1) };
    const share = 1 - Math.exp(-Math.max(0, nowMs - r.atMs) / GROWTH_MS);
    return {
      id: this.idOf(node),
      network: 'sandbox',
      nativeId: this.idOf(node).slice('sandbox:'.length),
      author: this.profileOf(r.persona),
      text: r.text,
      entities: r.entities,
      media: [],
      createdAt: new Date(r.atMs).toISOString(),
      url: null,
      metrics: {
        likes: Math.floor(r.likes * share),
        reposts: Math.floor(r.reposts * share),
        replies: r.childTimes.filter((t) => t <= nowMs).length,
        quotes: 0,
        impressions: null,
      },
      replyTo: this.idOf(parent),
      language: WORLD_LANGUAGE,
    };
  }

  /** The posts that reply to `node` and have appeared by `nowMs`, oldest first. */
  private childrenOf(node: Node, nowMs: number): Node[] {
    if ('slot' in node) {
      const d = this.draft(node.slot);
      if (d.kind === 'practice') return this.practiceReplies(node.slot, this.latestAt(nowMs)).map((s) => ({ slot: s }));
      return this.directReplyTimes(node.slot).flatMap((t, i) => (t <= nowMs ? [{ root: node.slot, path: [i] }] : []));
    }
    if (node.path.length >= REPLY_DEPTH) return [];
    return this.reply(node.root, node.path).childTimes.flatMap((t, j) =>
      t <= nowMs ? [{ root: node.root, path: [...node.path, j] }] : [],
    );
  }

  private parentOf(node: Node): Node | null {
    if ('slot' in node) {
      const replyTo = this.draft(node.slot).replyTo;
      return replyTo === null ? null : { slot: replyTo };
    }
    return node.path.length === 1 ? { slot: node.root } : { root: node.root, path: node.path.slice(0, -1) };
  }

  /**
   * A post of this world in its conversation at `nowMs`: what it replies to (root first), and
   * every reply below it that has appeared, depth-first and oldest first among siblings (each
   * with its depth, 1 = a direct reply). Every reply the world counts is shown: `more` is 0.
   * A repost's id stands for the post it reposted. Undefined for an id of another world or a
   * post that has not appeared yet.
   */
  thread(postId: string, nowMs: number): ThreadView | undefined {
    let node = this.nodeOf(postId);
    if (!node || !this.visible(node, nowMs)) return undefined;
    if ('slot' in node) {
      const d = this.draft(node.slot);
      if (d.kind === 'repost') node = { slot: d.repostOf! };
    }
    const ancestors: Post[] = [];
    for (let up = this.parentOf(node); up; up = this.parentOf(up)) ancestors.unshift(this.nodePost(up, nowMs));
    const replies: ThreadView['replies'] = [];
    const walk = (parent: Node, depth: number) => {
      for (const child of this.childrenOf(parent, nowMs)) {
        replies.push({ post: this.nodePost(child, nowMs), depth });
        walk(child, depth + 1);
      }
    };
    walk(node, 1);
    return { ancestors, post: this.nodePost(node, nowMs), replies, more: 0 };
  }

  /** A post of this world by its id as it is at `nowMs` (a reply of a conversation too), if it has appeared. */
  postById(postId: string, nowMs: number): Post | undefined {
    const node = this.nodeOf(postId);
    return node && this.visible(node, nowMs) ? this.nodePost(node, nowMs) : undefined;
  }

  // ---- people -----------------------------------------------------------------------------

  /** The people who have followed the practice profile (followerAt), by lower-case handle. */
  private followers(): Map<string, Persona> {
    if (!this.followerHandles) {
      this.followerHandles = new Map();
      for (let person = 0; person < FOLLOWER_FIRST.length * FOLLOWER_LAST.length; person++) {
        const p = followerPersona(person);
        this.followerHandles.set(p.handle, p);
      }
    }
    return this.followerHandles;
  }

  /** Whether `handle` is someone of this world: the cast, the practice profile, or one of its followers. */
  knows(handle: string): boolean {
    const h = handle.toLowerCase();
    return h === PRACTICE_HANDLE || EVERYONE.some((p) => p.handle === h) || this.followers().has(h);
  }

  /** Whether `handle` posts in this world (the cast and the practice profile; followers only follow). */
  posts(handle: string): boolean {
    const h = handle.toLowerCase();
    return h === PRACTICE_HANDLE || EVERYONE.some((p) => p.handle === h);
  }

  /**
   * The profile page of someone of this world at `nowMs`, or undefined for a stranger:
   * - the cast: their bio and counts from PROFILE_FACTS, posts about one in 24 of the world's
   *   posts (each post's author is drawn from the 24 people of the cast; the two who write right
   *   to left share 6%), and whether the practice profile follows them;
   * - the practice profile: its followers at the world's start plus one per follow so far
   *   (followerAt), the people it follows, its posts (one every PRACTICE_EVERY slots, plus
   *   `ownPosts` published);
   * - its followers (the people of follow notifications): no bio, no posts, following it.
   * Every profile has a generated banner.
   */
  profileDetails(handle: string, nowMs: number, ownPosts = 0): ProfileDetails | undefined {
    const h = handle.toLowerCase();
    const latest = this.latestAt(nowMs);
    const span = latest - this.oldest() + 1;
    const hash = [...h].reduce((a, ch) => (Math.imul(a, 31) + ch.charCodeAt(0)) >>> 0, 7);
    const banner = sceneImage(1500, 500, MEDIA_COLORS[hash % MEDIA_COLORS.length]!, hash);
    if (h === PRACTICE_HANDLE) {
      const facts = PROFILE_FACTS[PRACTICE_HANDLE]!;
      let follows = 0;
      for (let b = Math.floor(this.oldest() / FOLLOW_EVERY); b <= Math.floor(latest / FOLLOW_EVERY); b++) {
        const slot = this.followSlot(b);
        if (slot >= this.oldest() && slot <= latest) follows++;
      }
      const practicePosts = Math.floor(latest / PRACTICE_EVERY) - Math.ceil(this.oldest() / PRACTICE_EVERY) + 1;
      return {
        ...this.practiceProfile(),
        bio: facts.bio,
        followers: facts.followers + follows,
        following: EVERYONE.filter((p) => p.followed).length,
        posts: practicePosts + ownPosts,
        bannerUrl: banner,
      };
    }
    const persona = EVERYONE.find((p) => p.handle === h);
    if (persona) {
      const facts = PROFILE_FACTS[persona.handle] ?? { bio: '', followers: 0, following: 0 };
      const rtl = RTL_PERSONAS.some((p) => p.handle === h);
      const share =
        ((PRACTICE_EVERY - 1) / PRACTICE_EVERY) * (rtl ? 0.06 / RTL_PERSONAS.length : 0.94 / PERSONAS.length);
      return {
        ...this.profileOf(persona),
        bio: facts.bio,
        followers: facts.followers,
        following: facts.following,
        posts: Math.round(span * share),
        bannerUrl: banner,
        viewer: { following: persona.followed, followedBy: false },
      };
    }
    const follower = this.followers().get(h);
    if (!follower) return undefined;
    return {
      ...this.profileOf(follower),
      bio: '',
      followers: 5 + (hash % 300),
      following: 40 + ((hash >>> 9) % 600),
      posts: 0,
      bannerUrl: banner,
      viewer: { following: false, followedBy: true },
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

  private profileOf(persona: Persona): Profile {
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
    if (n !== this.followSlot(block)) return null;
    const people = FOLLOWER_FIRST.length * FOLLOWER_LAST.length;
    const k = ((block % people) + people) % people;
    // 7919 is prime and does not divide 3,600: k → (7919·k + shift) mod people is one-to-one.
    const shift = (this.seed >>> 0) % people;
    return followerPersona((7919 * k + shift) % people);
  }

  /** The slot of block `block` (FOLLOW_EVERY slots) at which someone follows the practice profile. */
  private followSlot(block: number): number {
    const rng = xoroshiro128plus(this.mix(block, 0x1b873593));
    return block * FOLLOW_EVERY + uniformInt(rng, 0, FOLLOW_EVERY - 1);
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
      language: author.language ?? WORLD_LANGUAGE,
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

/** Follower number `person` (0 to 3,599): a first name with a family name, handle `first.last` without accents. */
function followerPersona(person: number): Persona {
  const first = FOLLOWER_FIRST[person % FOLLOWER_FIRST.length]!;
  const last = FOLLOWER_LAST[Math.floor(person / FOLLOWER_FIRST.length)]!;
  const handle = `${first}.${last}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  return { handle, name: `${first} ${last}`, followed: false };
}

export type PostFilter =
  | { kind: 'home' }
  | { kind: 'mentions' }
  | { kind: 'notifications' }
  | { kind: 'hashtag'; tag: string }
  | { kind: 'search'; words: string[] }
  | { kind: 'user'; handle: string }
  | { kind: 'list'; listId: string };
