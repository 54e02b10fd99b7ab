// A network that only publishes, for the outbox's tests: it keeps every post made, keyed like
// the real network (Bluesky: the record key cannot be created twice; Mastodon: Idempotency-Key
// for an hour; X: no key, so an uncertain send is looked for among the profile's recent posts),
// and lets a test refuse, fail, lose an answer, or hang a send.
import type { NetworkAdapter, PublishRequest, ServerScheduledPost, ServerScheduling } from '../../src/shared/adapter';
import { ColonnadeError } from '../../src/shared/errors';
import type { NetworkId, Post } from '../../src/shared/model';
import type { Clock } from '../../src/main/core/ports';

export interface MadePost {
  post: Post;
  request: PublishRequest;
  at: number;
}

export class PublishNetwork {
  /** Every post the server holds, in the order made. */
  readonly posts: MadePost[] = [];
  /** Every publish call, in order (what a server log would show). */
  readonly calls: PublishRequest[] = [];
  /** Errors the next calls throw, first first. */
  failures: ColonnadeError[] = [];
  /** The next call posts but its answer is lost (a transient error reaches the caller). */
  loseNextAnswer = false;
  /** The next call posts and never answers (a crash while waiting). */
  hangNext = false;
  /** Server-side scheduled posts (Mastodon), by id. */
  readonly scheduled = new Map<string, { request: PublishRequest; at: number }>();
  private keys = new Map<string, Post>();
  private n = 0;

  constructor(
    readonly network: NetworkId,
    readonly profileId: string,
    private readonly clock: Clock,
    private readonly opts: { maxLength?: number; serverScheduling?: boolean } = {},
  ) {}

  /** Posts whose text is `text`. */
  count(text: string): number {
    return this.posts.filter((p) => p.post.text === text).length;
  }

  private make(request: PublishRequest): Post {
    const nativeId = String(++this.n);
    const post: Post = {
      id: `${this.network}:${nativeId}`,
      network: this.network,
      nativeId,
      author: {
        id: this.profileId,
        network: this.network,
        handle: 'brand',
        displayName: 'Brand',
        avatarUrl: null,
        url: null,
      },
      text: request.text,
      entities: [],
      media: [],
      createdAt: new Date(this.clock.now()).toISOString(),
      url: `https://${this.network}.example/brand/${nativeId}`,
      metrics: { likes: 0, reposts: 0, replies: 0, quotes: 0, impressions: null },
      ...(request.replyTo ? { replyTo: request.replyTo } : {}),
    };
    this.posts.push({ post, request, at: this.clock.now() });
    return post;
  }

  adapter(): NetworkAdapter {
    const publish = async (request: PublishRequest): Promise<Post> => {
      this.calls.push(request);
      const failure = this.failures.shift();
      if (failure) throw failure;
      // What each network does with a key it has seen.
      if (this.network === 'bluesky' || this.network === 'mastodon' || this.network === 'sandbox') {
        const seen = this.keys.get(request.idempotencyKey);
        if (seen) return seen;
      } else if (request.uncertainSince !== undefined) {
        const found = this.posts.find(
          (p) =>
            p.post.text === request.text && p.at >= request.uncertainSince! && p.request.replyTo === request.replyTo,
        );
        if (found) return found.post;
      }
      const post = this.make(request);
      this.keys.set(request.idempotencyKey, post);
      if (this.hangNext) {
        this.hangNext = false;
        return new Promise<Post>(() => undefined);
      }
      if (this.loseNextAnswer) {
        this.loseNextAnswer = false;
        throw new ColonnadeError('transient', 'The connection closed before the answer.');
      }
      return post;
    };
    const serverScheduling: ServerScheduling = {
      minimumLeadMs: 5 * 60_000,
      schedule: async (request, at): Promise<ServerScheduledPost> => {
        if (at - this.clock.now() < 5 * 60_000)
          throw new ColonnadeError('invalid', 'too soon', { reason: 'server-schedule-too-soon' });
        const existing = [...this.scheduled].find(([, s]) => s.request.idempotencyKey === request.idempotencyKey);
        if (existing) return { id: existing[0], at: new Date(existing[1].at).toISOString() };
        const id = `s${++this.n}`;
        this.scheduled.set(id, { request, at });
        return { id, at: new Date(at).toISOString() };
      },
      reschedule: async (id, at) => {
        const s = this.scheduled.get(id);
        if (!s) throw new ColonnadeError('not-found', 'Record not found');
        s.at = at;
        return { id, at: new Date(at).toISOString() };
      },
      cancel: async (id) => {
        this.scheduled.delete(id);
      },
      status: async (id, request) => {
        const s = this.scheduled.get(id);
        if (s) return { state: 'scheduled', at: new Date(s.at).toISOString() };
        const found = this.posts.find((p) => p.request.idempotencyKey === request.idempotencyKey);
        return found ? { state: 'published', post: found.post } : { state: 'gone' };
      },
    };
    const base: Partial<NetworkAdapter> = {
      network: this.network,
      textRules: () => ({
        counting: 'characters',
        maxLength: this.opts.maxLength ?? 500,
        maxImages: 4,
        maxAltLength: 1500,
      }),
      publish,
      ...(this.opts.serverScheduling ? { serverScheduling } : {}),
    };
    return base as NetworkAdapter;
  }

  /** The instance publishes its due scheduled posts (Mastodon's PublishScheduledStatusWorker). */
  publishDue(): void {
    for (const [id, s] of [...this.scheduled]) {
      if (s.at > this.clock.now()) continue;
      this.scheduled.delete(id);
      const post = this.make(s.request);
      this.keys.set(s.request.idempotencyKey, post);
    }
  }
}
