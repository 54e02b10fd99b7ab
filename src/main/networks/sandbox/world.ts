// The Sandbox world: a practice network simulated inside main. Post number n (any integer, the
// negative ones being history) is a pure function of (seed, n): its author, text, hashtags,
// links, media and the time it appears. Its counts are a pure function of its age, so they grow
// as time passes. The same seed and anchor always give the same world, which tests rely on.
import { createAvatar } from '@dicebear/core';
import { personas } from '@dicebear/collection';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Entity, Media, Metrics, Post, Profile, TimelineEntry } from '../../../shared/model';
import {
  BRAND_TAG,
  CONTENT_WARNINGS,
  IMAGE_ALTS,
  LINK_PATHS,
  LISTS,
  MEDIA_COLORS,
  OTHER_TAGS,
  PERSONAS,
  PHRASES,
  PRACTICE_HANDLE,
  type Persona,
} from './cast';

/** Mean time between two posts of the world. */
export const POST_GAP_MS = 4_000;
/** How far back history goes, in posts (about a day at POST_GAP_MS). */
export const HISTORY_POSTS = 20_000;
/** Counts reach about 63% of their final value after this long. */
const GROWTH_MS = 4 * 60_000;

interface Draft {
  n: number;
  persona: Persona;
  text: string;
  entities: Entity[];
  media: Media[];
  hashtags: string[];
  mentionsPractice: boolean;
  /** A followed persona who reposted it (how an unfollowed author reaches Home). */
  repostedBy: Persona | null;
  contentWarning: string | null;
  /** Final counts, reached as the post ages. */
  final: { likes: number; reposts: number; replies: number; quotes: number };
}

export interface SandboxWorldOptions {
  seed: number;
  /** The instant post 0 appears (the first launch); history lies before it. */
  anchorMs: number;
}

export class SandboxWorld {
  readonly seed: number;
  readonly anchorMs: number;
  private readonly key: string;
  private readonly cache = new Map<number, Draft>();
  private readonly avatars = new Map<string, string>();

  constructor(options: SandboxWorldOptions) {
    this.seed = options.seed;
    this.anchorMs = options.anchorMs;
    this.key = `${(options.seed >>> 0).toString(36)}.${Math.floor(options.anchorMs / 1000).toString(36)}`;
  }

  /** The practice profile: the user's own Sandbox identity. */
  practiceProfile(): Profile {
    return this.profile({ handle: PRACTICE_HANDLE, name: 'Practice profile', followed: false });
  }

  /** The instant post n appears. Strictly increasing in n. */
  timeOf(n: number): number {
    const rng = xoroshiro128plus(this.mix(n, 0x7f4a7c15));
    return this.anchorMs + n * POST_GAP_MS + Math.floor(uniformFloat64(rng) * POST_GAP_MS * 0.9);
  }

  /** The newest post number visible at `nowMs`. */
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

  /** The post number of one of this world's ids, or undefined for any other id. */
  numberOf(postId: string): number | undefined {
    const prefix = `sandbox:${this.key}-`;
    if (!postId.startsWith(prefix)) return undefined;
    const n = Number(postId.slice(prefix.length));
    return Number.isInteger(n) ? n : undefined;
  }

  matches(n: number, filter: PostFilter): boolean {
    const d = this.draft(n);
    switch (filter.kind) {
      case 'home':
        return d.persona.followed || d.repostedBy !== null;
      case 'mentions':
        return d.mentionsPractice;
      case 'hashtag':
        return d.hashtags.some((t) => t.toLowerCase() === filter.tag.toLowerCase());
      case 'search': {
        const text = d.text.toLowerCase();
        return filter.words.every((w) => text.includes(w));
      }
      case 'user':
        return d.persona.handle.toLowerCase() === filter.handle.toLowerCase();
      case 'list':
        return LISTS[filter.listId]?.members.includes(d.persona.handle) ?? false;
    }
  }

  post(n: number, nowMs: number): Post {
    const d = this.draft(n);
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
      ...(d.contentWarning ? { contentWarning: d.contentWarning } : {}),
    };
  }

  /** Post number `n` as the timeline entry it makes (a repost names who reposted it). */
  entry(n: number, nowMs: number, view: (post: Post) => Post = (p) => p): TimelineEntry {
    const d = this.draft(n);
    const post = view(this.post(n, nowMs));
    return { key: post.id, at: post.createdAt, post, ...(d.repostedBy ? { repostedBy: this.profile(d.repostedBy) } : {}) };
  }

  metrics(n: number, nowMs: number): Metrics {
    const { final } = this.draft(n);
    const age = Math.max(0, nowMs - this.timeOf(n));
    const share = 1 - Math.exp(-age / GROWTH_MS);
    const grow = (v: number) => Math.floor(v * share);
    return {
      likes: grow(final.likes),
      reposts: grow(final.reposts),
      replies: grow(final.replies),
      quotes: grow(final.quotes),
      impressions: null,
    };
  }

  handles(): string[] {
    return PERSONAS.map((p) => p.handle);
  }

  private profile(persona: Persona): Profile {
    let avatar = this.avatars.get(persona.handle);
    if (!avatar) {
      avatar = createAvatar(personas, { seed: persona.handle, size: 64, radius: 50 }).toDataUri();
      this.avatars.set(persona.handle, avatar);
    }
    return {
      id: `sandbox:${persona.handle}`,
      network: 'sandbox',
      handle: persona.handle,
      displayName: persona.name,
      avatarUrl: avatar,
      url: null,
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

  private draft(n: number): Draft {
    const cached = this.cache.get(n);
    if (cached) return cached;
    const rng = xoroshiro128plus(this.mix(n, 0x2545f491));
    const pick = <T>(items: readonly T[]): T => items[uniformInt(rng, 0, items.length - 1)] as T;
    const chance = (p: number) => uniformFloat64(rng) < p;

    const persona = pick(PERSONAS);
    const parts: Array<{ text: string; entity?: Omit<Entity, 'start' | 'end'> }> = [];
    const hashtags: string[] = [];
    const mentionsPractice = chance(0.08);
    if (mentionsPractice) {
      parts.push({ text: `@${PRACTICE_HANDLE}`, entity: { kind: 'mention', value: PRACTICE_HANDLE } }, { text: ' ' });
    }
    parts.push({ text: pick(PHRASES) });
    const tags = new Set<string>();
    if (chance(0.4)) tags.add(BRAND_TAG);
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
      media.push({
        kind: 'image',
        alt: pick(IMAGE_ALTS),
        width: landscape ? 1200 : 900,
        height: landscape ? 675 : 1200,
        url: null,
        placeholderColor: pick(MEDIA_COLORS),
      });
    }
    let text = '';
    const entities: Entity[] = [];
    for (const part of parts) {
      if (part.entity) entities.push({ ...part.entity, start: text.length, end: text.length + part.text.length });
      text += part.text;
    }
    const followed = PERSONAS.filter((p) => p.followed && p.handle !== persona.handle);
    const repostedBy = chance(0.1) ? pick(followed) : null;
    const contentWarning = chance(0.04) ? pick(CONTENT_WARNINGS) : null;
    // Most posts stay small; a few take off (a cubed uniform gives that long tail).
    const reach = uniformFloat64(rng) ** 3;
    const likes = Math.floor(reach * 400);
    const draft: Draft = {
      n,
      persona,
      text,
      entities,
      media,
      hashtags,
      mentionsPractice,
      repostedBy,
      contentWarning,
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
  | { kind: 'hashtag'; tag: string }
  | { kind: 'search'; words: string[] }
  | { kind: 'user'; handle: string }
  | { kind: 'list'; listId: string };
