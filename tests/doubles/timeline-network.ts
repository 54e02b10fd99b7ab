// A network double for the monitor engine: timelines (one per kind and query) that grow as tests
// post into them, the adapters' 'newer' paging contract (`between`, `horizon`), and a rate limit
// it enforces like a server (429 past the limit, no matter who asks), counting every request.
import type { NetworkAdapter, RateWindow, TimelineRequest } from '../../src/shared/adapter';
import { ColonnadeError } from '../../src/shared/errors';
import {
  entryOf,
  type ColumnKind,
  type Metrics,
  type Page,
  type Post,
  type TimelineEntry,
} from '../../src/shared/model';
import type { FakeClock } from './ports';

const NO_COUNTS = { likes: 0, reposts: 0, replies: 0, quotes: 0, impressions: null };

export interface TimelineNetworkOptions {
  network?: 'x' | 'mastodon' | 'bluesky';
  profileId?: string;
  /** Requests allowed per window (one bucket for everything). */
  limit?: number;
  windowMs?: number;
  /** Report the window in "headers" (onRateWindow). */
  stateWindows?: boolean;
  /** The network serves nothing older than this (ms before now), like X recent search's 7 days. */
  horizonMs?: number;
  pollIntervalMs?: number;
  /** Page size the server caps at. */
  maxPage?: number;
  /**
   * Reads count against a paging window of this size as well (Mastodon: 300 per 15 minutes, on
   * top of the per-token window the server enforces and reports as 'account').
   */
  pagingWindow?: { limit: number; windowMs: number };
}

export class TimelineNetwork {
  readonly network: 'x' | 'mastodon' | 'bluesky';
  readonly profileId: string;
  /** Every post, oldest first. */
  readonly posts: Post[] = [];
  private seq = 0;
  requests: Array<{ at: number; kind: string; query: string | undefined; direction: string; cursor: string | null }> =
    [];
  responses429 = 0;
  /** Times of requests within the current window, for the limit. */
  private windowStart: number;
  private used = 0;
  /** Posts returned by reads (what X would bill). */
  postsServed = 0;
  refreshAsked: string[][] = [];
  /** Counts the network answers for a post now (people liked it since it was read). */
  readonly counts = new Map<string, Metrics>();
  /** While set, every read hangs (a server that accepts and never answers). */
  hang = false;
  failNext: Error | null = null;
  windows: RateWindow[] = [];
  readonly limit: number;
  readonly windowMs: number;

  constructor(
    private readonly clock: FakeClock,
    private readonly options: TimelineNetworkOptions = {},
  ) {
    this.network = options.network ?? 'mastodon';
    this.profileId = options.profileId ?? `${this.network}:cm`;
    this.limit = options.limit ?? 300;
    this.windowMs = options.windowMs ?? 300_000;
    this.windowStart = clock.now();
  }

  /** Someone posts (tags: hashtags the post carries). Answers the post. */
  post(text: string, opts: { tags?: string[]; author?: string; at?: number } = {}): Post {
    const n = ++this.seq;
    const tags = opts.tags ?? [];
    const body = `${text}${tags.map((t) => ` #${t}`).join('')}`;
    const entities = tags.map((t) => {
      const start = body.indexOf(`#${t}`);
      return { kind: 'hashtag' as const, start, end: start + t.length + 1, value: t };
    });
    const author = opts.author ?? 'someone';
    const post: Post = {
      id: `${this.network}:${n}`,
      network: this.network,
      nativeId: String(n),
      author: {
        id: `${this.network}:${author}`,
        network: this.network,
        handle: author,
        displayName: author,
        avatarUrl: null,
        url: null,
      },
      text: body,
      entities,
      media: [],
      createdAt: new Date(opts.at ?? this.clock.now()).toISOString(),
      url: null,
      metrics: NO_COUNTS,
    };
    this.posts.push(post);
    return post;
  }

  /** Many posts at once, one a second before now (oldest first). */
  burst(count: number, tags: string[] = []): Post[] {
    const now = this.clock.now();
    return Array.from({ length: count }, (_, i) => this.post(`post ${i}`, { tags, at: now - (count - i) * 1000 }));
  }

  private matches(p: Post, kind: ColumnKind, query: string | undefined): boolean {
    if (kind === 'hashtag') return p.entities.some((e) => e.value.toLowerCase() === (query ?? '').toLowerCase());
    if (kind === 'search') {
      const q = query ?? '';
      const ors = [...q.matchAll(/#([^\s()]+)/g)].map((m) => m[1]!.toLowerCase());
      if (ors.length) return p.entities.some((e) => ors.includes(e.value.toLowerCase()));
      return p.text.toLowerCase().includes(q.toLowerCase());
    }
    return true; // home and others: everything
  }

  private count(req: {
    kind: string;
    query?: string | undefined;
    direction: string;
    cursor?: string | null | undefined;
  }): void {
    const now = this.clock.now();
    this.requests.push({
      at: now,
      kind: req.kind,
      query: req.query,
      direction: req.direction,
      cursor: req.cursor ?? null,
    });
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.used = 0;
    }
    this.used++;
    const resetAt = new Date(this.windowStart + this.windowMs).toISOString();
    if (this.used > this.limit) {
      this.responses429++;
      throw new ColonnadeError('rate-limited', 'Too many requests', { resetAt });
    }
    const w = { bucket: 'account', limit: this.limit, remaining: this.limit - this.used, resetAt };
    this.windows.push(w);
    if (this.options.stateWindows) this.onWindow?.(w);
  }

  onWindow: ((w: RateWindow) => void) | undefined;

  /** The newest-first list of a timeline's entries. */
  private timeline(kind: ColumnKind, query: string | undefined): Post[] {
    const horizon = this.options.horizonMs ? this.clock.now() - this.options.horizonMs : -Infinity;
    return this.posts.filter((p) => this.matches(p, kind, query) && Date.parse(p.createdAt) >= horizon).reverse();
  }

  async read(req: TimelineRequest): Promise<Page<TimelineEntry>> {
    if (this.hang) await new Promise(() => undefined);
    this.count(req);
    if (this.failNext) {
      const f = this.failNext;
      this.failNext = null;
      throw f;
    }
    const size = Math.min(req.limit, this.options.maxPage ?? 50);
    const all = this.timeline(req.kind, req.query);
    const num = (p: Post) => Number(p.nativeId);
    // Cursors: "o:<below>" older than, "n:<since>" newer than, "b:<since>:<below>" between.
    const c = req.cursor ?? '';
    let list: Post[];
    let since: number | null = null;
    if (req.direction === 'newer' && c.startsWith('n:')) {
      since = Number(c.slice(2));
      list = all.filter((p) => num(p) > since!);
    } else if (req.direction === 'newer' && c.startsWith('b:')) {
      const [, s, below] = c.split(':');
      since = Number(s);
      list = all.filter((p) => num(p) > since! && num(p) < Number(below));
    } else if (c.startsWith('o:')) {
      list = all.filter((p) => num(p) < Number(c.slice(2)));
    } else {
      list = all;
    }
    const page = list.slice(0, size);
    this.postsServed += page.length;
    const items = page.map((p) => entryOf(p));
    const last = page.at(-1);
    const newest = page[0];
    const result: Page<TimelineEntry> = {
      items,
      older: req.direction === 'older' && last && list.length > size ? `o:${num(last)}` : null,
      newer: newest ? `n:${num(newest)}` : since !== null ? `n:${since}` : `n:0`,
    };
    if (since !== null) {
      result.between = last && list.length > size ? `b:${since}:${num(last)}` : null;
      if (this.options.horizonMs) result.horizon = new Date(this.clock.now() - this.options.horizonMs).toISOString();
    }
    return result;
  }

  adapter(): NetworkAdapter {
    return {
      network: this.network,
      verify: async () => {
        throw new Error('unused');
      },
      columnKinds: () => ['home', 'hashtag', 'search'],
      textRules: () => ({ counting: 'characters', maxLength: 500, maxImages: 4, maxAltLength: 1500 }),
      readTimeline: (req) => this.read(req),
      refreshMetrics: async (ids) => {
        this.count({ kind: 'metrics', direction: 'older' });
        this.refreshAsked.push([...ids]);
        return { metrics: new Map(ids.map((id) => [id, this.counts.get(id) ?? NO_COUNTS] as const)), gone: [] };
      },
      lists: async () => [],
      act: async () => undefined,
      publish: async () => {
        throw new Error('unused');
      },
      pollIntervalMs: () => this.options.pollIntervalMs ?? 30_000,
      rateLimit: () => null,
      rateBucket: (of) => {
        const account = { bucket: 'account', limit: this.limit, windowMs: this.windowMs };
        const paging = this.options.pagingWindow;
        if (!paging || of === 'metrics') return { ...account, idsPerRequest: 20 };
        return { bucket: 'paging', ...paging, also: [account] };
      },
      thread: async () => {
        throw new ColonnadeError('not-allowed', 'not in this double');
      },
      profile: async () => {
        throw new ColonnadeError('not-allowed', 'not in this double');
      },
    };
  }
}
