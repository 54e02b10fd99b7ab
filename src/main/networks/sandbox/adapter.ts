// Sandbox as a network adapter: the same interface X, Bluesky and Mastodon implement.
import type {
  ListInfo,
  MetricsRefresh,
  OwnMetrics,
  OwnPostRef,
  NetworkAdapter,
  PostAction,
  PublishRequest,
  TimelineRequest,
} from '../../../shared/adapter';
import { ColonnadeError } from '../../../shared/errors';
import { firstMediaRefusal, SANDBOX_MEDIA_RULES, type MediaRules } from '../../../shared/media-rules';
import { exceededLimit, measureText, tooLongParams } from '../../../shared/text-length';
import type {
  ColumnKind,
  Entity,
  Metrics,
  Page,
  Post,
  QuotedPost,
  Profile,
  ProfileDetails,
  ThreadView,
  TimelineEntry,
} from '../../../shared/model';
import type { Clock } from '../../core/ports';
import { LISTS } from './cast';
import { valuesOfMetrics } from '../../../shared/analytics-collection';
import type { PostFilter, SandboxWorld } from './world';

/** How many post numbers one request may look through for matches (keeps a rare search cheap). */
const SCAN_BUDGET = 6_000;
/**
 * How far back a 'newer' read reaches, in slots (about an hour at POST_GAP_MS): practice data is
 * not worth a flood after a night's sleep (8 hours would be some 7,200 slots, thousands of entries
 * a column); what is older is answered as the network's `horizon`, so the column shows a gap
 * marker saying so instead of a hole that looks like history.
 */
export const PRACTICE_CATCH_UP_SLOTS = 900;

const COLUMN_KINDS: ColumnKind[] = ['home', 'mentions', 'notifications', 'hashtag', 'search', 'user', 'list'];

/**
 * The hashtags, mentions of Sandbox people and links in a text the practice profile wrote, as
 * entities (UTF-16 offsets, as the world's own posts have): a hashtag is # and letters, digits
 * or _ (not all digits); a mention is @ and a handle of the world; a link is http(s):// up to a space.
 */
export function entitiesIn(text: string, handles: readonly string[]): Entity[] {
  const known = new Set(handles.map((h) => h.toLowerCase()));
  const out: Entity[] = [];
  for (const m of text.matchAll(/(?<![\p{L}\p{N}_&])#([\p{L}\p{M}\p{N}_]*[\p{L}\p{M}_][\p{L}\p{M}\p{N}_]*)/gu)) {
    out.push({ kind: 'hashtag', start: m.index, end: m.index + m[0].length, value: m[1]! });
  }
  for (const m of text.matchAll(/(?<![\p{L}\p{N}_.])@([\w.]*\w)/gu)) {
    if (known.has(m[1]!.toLowerCase())) {
      out.push({ kind: 'mention', start: m.index, end: m.index + m[0].length, value: m[1]! });
    }
  }
  for (const m of text.matchAll(/https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'’]/g)) {
    out.push({ kind: 'link', start: m.index, end: m.index + m[0].length, value: m[0] });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Whether a post of the practice profile belongs in a column with this filter. */
function ownMatches(post: Post, filter: PostFilter): boolean {
  switch (filter.kind) {
    case 'home':
      return true;
    case 'user':
      return filter.handle.toLowerCase() === post.author.handle.toLowerCase();
    case 'hashtag':
      return post.entities.some((e) => e.kind === 'hashtag' && e.value.toLowerCase() === filter.tag.toLowerCase());
    case 'search': {
      const text = post.text.toLowerCase();
      return filter.words.length > 0 && filter.words.every((w) => text.includes(w));
    }
    default:
      return false;
  }
}

function filterFor(req: TimelineRequest, world: SandboxWorld): PostFilter {
  const query = (req.query ?? '').trim();
  switch (req.kind) {
    case 'home':
      return { kind: 'home' };
    case 'mentions':
      return { kind: 'mentions' };
    case 'notifications':
      return { kind: 'notifications' };
    case 'hashtag':
      return { kind: 'hashtag', tag: query.replace(/^#+/, '') };
    case 'search':
      return { kind: 'search', words: query.toLowerCase().split(/\s+/).filter(Boolean) };
    case 'user': {
      const handle = query.replace(/^@+/, '');
      if (!world.knows(handle)) throw new ColonnadeError('not-found', `There is no @${handle} in the Sandbox.`);
      return { kind: 'user', handle };
    }
    case 'list':
      if (!LISTS[query]) throw new ColonnadeError('not-found', `There is no list "${query}" in the Sandbox.`);
      return { kind: 'list', listId: query };
    case 'scheduled':
    case 'drafts':
    case 'analytics':
    case 'monitor':
      // A monitor column is the app's own merge of monitors; adapters read the kinds it follows.
      throw new ColonnadeError('invalid', 'Scheduled posts, drafts and monitors are not network timelines.');
  }
}

const invalidCursor = () => new ColonnadeError('invalid', 'That page position is not valid for the Sandbox.');

function parseCursor(cursor: string): number {
  const n = Number(cursor);
  if (!/^-?\d+$/.test(cursor) || !Number.isSafeInteger(n)) throw invalidCursor();
  return n;
}

/**
 * A 'newer' read that did not reach its cursor in one page: `next` is the next slot to look at
 * (going down), `from` the slot the read started from (only slots after it are newer), `top` the
 * newest slot when the read began. Written `between:<next>:<from>:<top>`.
 */
interface Between {
  next: number;
  from: number;
  top: number;
}

const BETWEEN = /^between:(-?\d+):(-?\d+):(-?\d+)$/;

function parseBetween(cursor: string): Between | null {
  const m = BETWEEN.exec(cursor);
  if (!m) return null;
  const [next, from, top] = [m[1], m[2], m[3]].map((v) => parseCursor(v!)) as [number, number, number];
  if (next <= from || next > top) throw invalidCursor();
  return { next, from, top };
}

export class SandboxAdapter implements NetworkAdapter {
  readonly network = 'sandbox' as const;

  constructor(
    private readonly world: SandboxWorld,
    private readonly clock: Clock,
  ) {}

  async verify(): Promise<Profile> {
    return this.world.practiceProfile();
  }

  columnKinds(): ColumnKind[] {
    return [...COLUMN_KINDS];
  }

  textRules() {
    return { counting: 'graphemes' as const, maxLength: 500, maxImages: 4, maxAltLength: 1000 };
  }

  mediaRules(): MediaRules {
    return SANDBOX_MEDIA_RULES;
  }

  async lists(): Promise<ListInfo[]> {
    return Object.entries(LISTS).map(([id, list]) => ({ id, name: list.name, kind: 'list' as const }));
  }

  /** Likes and reposts of the practice profile, by post id (kept for this run of the app). */
  private readonly liked = new Set<string>();
  private readonly reposted = new Set<string>();
  /** Posts the practice profile published, newest first, by idempotency key. */
  private readonly own = new Map<string, Post>();
  /** Ids of the posts the practice profile deleted. */
  private readonly deleted = new Set<string>();
  /** The slot each published post joins the timelines with (see `ownAt`). */
  private readonly ownSlot = new Map<string, number>();

  /** One of the practice profile's own published posts (not deleted), by id. */
  private ownPost(postId: string): Post | undefined {
    return [...this.own.values()].find((p) => p.id === postId);
  }

  async act(postId: string, action: PostAction): Promise<void> {
    const known =
      this.world.numberOf(postId) !== undefined ||
      this.world.postById(postId, this.clock.now()) !== undefined ||
      this.ownPost(postId) !== undefined;
    if (!known) throw new ColonnadeError('not-found', 'That post is not in the Sandbox.', { reason: 'deleted' });
    switch (action) {
      case 'like':
        this.liked.add(postId);
        return;
      case 'unlike':
        this.liked.delete(postId);
        return;
      case 'repost':
        this.reposted.add(postId);
        return;
      case 'unrepost':
        this.reposted.delete(postId);
        return;
      case 'delete': {
        const entry = [...this.own.entries()].find(([, p]) => p.id === postId);
        if (!entry) throw new ColonnadeError('not-allowed', 'Only your own posts can be deleted.');
        this.own.delete(entry[0]);
        this.deleted.add(postId);
        return;
      }
    }
  }

  async publish(request: PublishRequest): Promise<Post> {
    const existing = this.own.get(request.idempotencyKey);
    if (existing) return existing;
    const tooLong = exceededLimit(measureText(request.text, this.textRules()));
    if (tooLong) {
      throw new ColonnadeError('invalid', `Sandbox posts are at most ${tooLong.max} characters.`, {
        field: 'text',
        reason: 'too-long',
        params: tooLongParams(tooLong),
      });
    }
    const refused = firstMediaRefusal(request.media ?? [], SANDBOX_MEDIA_RULES, 'the Sandbox');
    if (refused) {
      const { message, reason, params } = refused;
      throw new ColonnadeError('invalid', message, { field: 'media', reason, params });
    }
    const profile = this.world.practiceProfile();
    const now = this.clock.now();
    // A quote carries the quoted post (itself without its own quote), as the networks show it.
    let quote: QuotedPost | undefined;
    if (request.quoteOf) {
      const quoted = this.ownPost(request.quoteOf) ?? this.world.thread(request.quoteOf, now)?.post;
      if (!quoted || this.deleted.has(request.quoteOf)) {
        throw new ColonnadeError('not-found', 'That post is not in the Sandbox.', { reason: 'post-gone' });
      }
      const rest: Post = { ...quoted };
      delete rest.quote;
      delete rest.quoteUnavailable;
      quote = rest;
    }
    const nativeId = `own-${this.own.size + this.deleted.size + 1}-${request.idempotencyKey.slice(0, 8)}`;
    const post: Post = {
      id: `sandbox:${nativeId}`,
      network: 'sandbox',
      nativeId,
      author: profile,
      text: request.text,
      entities: entitiesIn(request.text, [...this.world.handles(), profile.handle]),
      media: (request.media ?? []).map((m) => ({
        kind: 'image' as const,
        alt: m.alt,
        width: 1200,
        height: 675,
        url: null,
        placeholderColor: '#4a6fa5',
      })),
      createdAt: new Date(now).toISOString(),
      url: null,
      metrics: { likes: 0, reposts: 0, replies: 0, quotes: 0, impressions: null },
      ...(request.replyTo ? { replyTo: request.replyTo } : {}),
      ...(quote ? { quote } : {}),
    };
    this.own.set(request.idempotencyKey, post);
    // It joins the timelines with the next slot (see `ownAt`): the slot after the one visible now.
    this.ownSlot.set(post.id, this.world.latestAt(now) + 1);
    return post;
  }

  /**
   * The post as the practice profile sees it: its own like and repost marked, and counted (the
   * world's counts are everyone else's): a repost made here shows 1, after a refresh too.
   */
  private withViewer(post: Post): Post {
    const liked = this.liked.has(post.id);
    const reposted = this.reposted.has(post.id);
    return {
      ...post,
      metrics: this.withOwn(post.id, post.metrics),
      viewer: { liked, reposted },
    };
  }

  private withOwn(postId: string, metrics: Metrics): Metrics {
    return {
      ...metrics,
      likes: metrics.likes + (this.liked.has(postId) ? 1 : 0),
      reposts: metrics.reposts + (this.reposted.has(postId) ? 1 : 0),
    };
  }

  /**
   * Posts the practice profile published that a column with `filter` shows at slot n, newest
   * first. A post published while slot s was the newest belongs to slot s + 1 (its time lies
   * before that slot's): so "newer" polls, which bring the slots after their cursor, bring it
   * once the next slot appears, and a page never splits a slot.
   */
  private ownAt(n: number, filter: PostFilter): TimelineEntry[] {
    const out: TimelineEntry[] = [];
    for (const post of this.own.values()) {
      if (this.ownSlot.get(post.id) !== n || !ownMatches(post, filter)) continue;
      out.push({ key: post.id, at: post.createdAt, post: this.withViewer(post) });
    }
    return out.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  }

  pollIntervalMs(): number {
    return 2_000;
  }

  rateLimit() {
    return null;
  }

  /**
   * One generous budget for everything (the Sandbox has no server to protect): 100,000 reads per
   * 5 minutes, far above what a deck polling every 2 s asks, so the engine never slows it down.
   */
  rateBucket(_of: ColumnKind | 'metrics'): { bucket: string; limit: number; windowMs: number } {
    return { bucket: 'sandbox', limit: 100_000, windowMs: 5 * 60_000 };
  }

  /**
   * A page of entries, newest first, by slot number: cursors are slot numbers ("older" restarts
   * below it, "newer" brings what came after it). A notification group met twice in one page
   * (likes of one post at two slots) is given once, at its newest slot, with every actor so far.
   *
   * 'newer' reads the slots after the cursor, newest first, whole slots only (a slot's entries
   * never straddle two pages), at most `limit` entries (more only when one slot alone brings
   * more) and at most 6,000 slots a page (SCAN_BUDGET). When it stops before reaching the
   * cursor, `between` (`between:<next>:<from>:<top>`) reads on down: a column closed for a day
   * (about 21,600 slots) catches up on every post in pages. Pages below the first answer
   * `newer: null`, and leave out a like or repost group that a newer slot of the same read
   * brought again (with every actor so far).
   */
  async readTimeline(req: TimelineRequest): Promise<Page<TimelineEntry>> {
    const now = this.clock.now();
    const filter = filterFor(req, this.world);
    const latest = this.world.latestAt(now);
    // The practice profile's followers follow, and post nothing.
    if (filter.kind === 'user' && !this.world.posts(filter.handle))
      return { items: [], older: null, newer: String(latest) };
    const oldest = this.world.oldest();
    const items: TimelineEntry[] = [];
    const seen = new Set<string>();
    // Slot n's entries, newest first: the world's at the slot's time, then the practice
    // profile's own posts that joined with it (published before that time). `upTo`: see entriesAt.
    const at = (n: number, upTo?: number) =>
      [...this.world.entriesAt(n, filter, now, (p) => this.withViewer(p), upTo), ...this.ownAt(n, filter)].filter(
        (e) => !seen.has(e.key),
      );
    const take = (found: TimelineEntry[]) => {
      for (const e of found) seen.add(e.key);
      items.push(...found);
    };

    if (req.direction === 'newer' && req.cursor) {
      const between = parseBetween(req.cursor);
      const from = between ? between.from : parseCursor(req.cursor);
      const top = between ? between.top : Math.max(latest, from);
      let n = between ? between.next : latest;
      // The practice network serves the last PRACTICE_CATCH_UP_SLOTS slots of a 'newer' read.
      const reach = top - PRACTICE_CATCH_UP_SLOTS + 1;
      const horizon = from + 1 < reach ? reach : null;
      const floor = Math.max(from + 1, horizon ?? -Infinity, n - SCAN_BUDGET + 1);
      for (; n >= floor; n--) {
        const found = at(n, top);
        if (items.length > 0 && items.length + found.length > req.limit) break;
        take(found);
        if (items.length >= req.limit) {
          n--;
          break;
        }
      }
      // n is now the next slot to look at.
      const bottom = Math.max(from, horizon !== null ? horizon - 1 : from);
      return {
        items,
        older: null,
        newer: between ? null : String(top),
        between: n > bottom ? `between:${n}:${from}:${top}` : null,
        ...(horizon !== null ? { horizon: new Date(this.world.timeOf(horizon)).toISOString() } : {}),
      };
    }

    // The newest page starts with what the practice profile published since the newest slot.
    const start = req.direction === 'older' && req.cursor ? Math.min(parseCursor(req.cursor) - 1, latest) : latest;
    if (start === latest) take(this.ownAt(latest + 1, filter));
    let n = start;
    const stop = Math.max(oldest, start - SCAN_BUDGET);
    for (; n >= stop && items.length < req.limit; n--) {
      const found = at(n);
      // A slot's entries go in one page (so the cursor never splits a slot).
      if (items.length > 0 && items.length + found.length > req.limit) break;
      take(found);
    }
    // n is now the next slot to look at.
    const older = n >= oldest ? String(n + 1) : null;
    return { items, older, newer: String(latest) };
  }

  /**
   * Counts of this world's posts and of the practice profile's own as they are now, its own like
   * and repost counted; the posts the practice profile deleted are gone.
   */
  async refreshMetrics(postIds: readonly string[]): Promise<MetricsRefresh> {
    const now = this.clock.now();
    const metrics = new Map<string, Metrics>();
    const gone: string[] = [];
    const own = new Map([...this.own.values()].map((p) => [p.id, p]));
    for (const id of postIds) {
      const n = this.world.numberOf(id);
      if (this.deleted.has(id)) gone.push(id);
      else if (n !== undefined) metrics.set(id, this.withOwn(id, this.world.metrics(n, now)));
      else if (own.has(id)) metrics.set(id, this.withOwn(id, own.get(id)!.metrics));
      else {
        const reply = this.world.postById(id, now);
        if (reply) metrics.set(id, this.withOwn(id, reply.metrics));
      }
    }
    return { metrics, gone };
  }

  /**
   * Counts of the practice profile's posts for the analytics, as `refreshMetrics` reads them
   * (the Sandbox simulates likes, reposts, replies and quotes; nothing else).
   */
  async ownMetrics(posts: readonly OwnPostRef[]): Promise<OwnMetrics> {
    const { metrics, gone } = await this.refreshMetrics(posts.map((p) => p.id));
    return { values: new Map([...metrics].map(([id, m]) => [id, valuesOfMetrics('sandbox', m)])), gone };
  }

  /**
   * A post in its conversation (world.ts `thread`), as the practice profile sees it: its likes
   * and reposts marked, and the replies it published placed below what they answer (after the
   * world's replies there, being the newest). A post it published shows what it replies to. A
   * post that is not in the Sandbox, deleted, or not there yet is not-found with reason
   * `post-gone`.
   */
  async thread(postId: string): Promise<ThreadView> {
    const now = this.clock.now();
    const gone = () => new ColonnadeError('not-found', 'That post is not in the Sandbox.', { reason: 'post-gone' });
    if (this.deleted.has(postId)) throw gone();
    const mine = this.ownPost(postId);
    const world = mine ? undefined : this.world.thread(postId, now);
    if (!mine && !world) throw gone();
    const post = mine ?? world!.post;
    const ancestors = mine ? this.above(mine.replyTo, now) : world!.ancestors;
    // The tree below the post: the world's replies, then the practice profile's own.
    const children = new Map<string, Post[]>();
    const add = (child: Post) => {
      const list = children.get(child.replyTo!) ?? [];
      list.push(child);
      children.set(child.replyTo!, list);
    };
    for (const r of world?.replies ?? []) add(r.post);
    const ownReplies = [...this.own.values()]
      .filter((p) => p.replyTo)
      .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    const inTree = new Set([post.id, ...(world?.replies ?? []).map((r) => r.post.id)]);
    // Replies to replies: an own reply joins once what it answers is in the tree.
    for (let added = true; added;) {
      added = false;
      for (const p of ownReplies) {
        if (inTree.has(p.id) || !inTree.has(p.replyTo!)) continue;
        add(p);
        inTree.add(p.id);
        added = true;
      }
    }
    const replies: ThreadView['replies'] = [];
    const walk = (id: string, depth: number) => {
      for (const child of children.get(id) ?? []) {
        replies.push({ post: this.withViewer(child), depth });
        walk(child.id, depth + 1);
      }
    };
    walk(post.id, 1);
    return {
      ancestors: ancestors.map((p) => this.withViewer(p)),
      post: this.withViewer(post),
      replies,
      more: world?.more ?? 0,
    };
  }

  /** What `postId` is in reply to, root first, ending with that post itself (empty for none). */
  private above(postId: string | undefined, now: number): Post[] {
    if (!postId) return [];
    const mine = this.ownPost(postId);
    if (mine) return [...this.above(mine.replyTo, now), mine];
    const t = this.world.thread(postId, now);
    return t ? [...t.ancestors, t.post] : [];
  }

  /**
   * Someone's profile page (world.ts `profileDetails`): the cast, the practice profile (with
   * the posts it published counted), or one of its followers. Anyone else is not-found with
   * reason `profile-not-found`.
   */
  async profile(handle: string): Promise<ProfileDetails> {
    const name = handle.trim().replace(/^@+/, '');
    const details = this.world.profileDetails(name, this.clock.now(), this.own.size);
    if (!details) {
      throw new ColonnadeError('not-found', `There is no @${name} in the Sandbox.`, {
        reason: 'profile-not-found',
        params: { name: `@${name}` },
      });
    }
    return details;
  }
}
