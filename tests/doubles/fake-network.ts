// A network module double (Mastodon by default, or X) for testing accounts without a server:
// tests decide what its adapter answers and when an OAuth flow completes.
import { z } from 'zod';
import type { NetworkAdapter } from '../../src/shared/adapter';
import { ColonnadeError } from '../../src/shared/errors';
import { entryOf, type Post, type Profile } from '../../src/shared/model';
import type { AdapterContext, NetworkModule } from '../../src/main/networks/module';

const CredentialsSchema = z.object({ instanceUrl: z.string(), accessToken: z.string(), generation: z.number() });
export type FakeCredentials = z.infer<typeof CredentialsSchema>;
const NO_COUNTS = { likes: 0, reposts: 0, replies: 0, quotes: 0, impressions: null };

export class FakeNetwork {
  /** Tokens the fake server accepts. */
  validTokens = new Set<string>();
  /** What the next timeline read throws, if anything. */
  failNextRead: ColonnadeError | null = null;
  /** Post ids deleted on the fake server: timelines leave them out, refreshMetrics says they are gone. */
  deleted = new Set<string>();
  contexts: Array<AdapterContext<FakeCredentials>> = [];
  private approve: ((token: string) => void) | undefined;

  constructor(readonly network: 'mastodon' | 'x' = 'mastodon') {}

  profile(token: string): Profile {
    const user = token.split('-')[0] ?? 'user';
    return {
      id: `${this.network}:${user}`,
      network: this.network,
      handle: `${user}@social.example`,
      displayName: user,
      avatarUrl: null,
      url: null,
    };
  }

  /** Complete the pending OAuth flow as if the user approved in the browser. */
  approveAs(token: string): void {
    this.validTokens.add(token);
    this.approve?.(token);
  }

  module(): NetworkModule<FakeCredentials> {
    return {
      network: this.network,
      parseCredentials: async (raw) => CredentialsSchema.parse(raw),
      server: (c) => c.instanceUrl,
      connect: async (request, io) => {
        if (request.method === 'x-oauth1') {
          if (!this.validTokens.has(request.accessToken))
            throw new ColonnadeError('auth-expired', 'The token was refused.');
          return {
            instanceUrl: request.apiBase ?? 'https://api.x.com',
            accessToken: request.accessToken,
            generation: 1,
          };
        }
        if (request.network !== 'mastodon') throw new Error('fake speaks mastodon and x-oauth1 only');
        if (request.method === 'mastodon-token') {
          if (!this.validTokens.has(request.accessToken))
            throw new ColonnadeError('auth-expired', 'The token was refused.');
          return { instanceUrl: request.instanceUrl, accessToken: request.accessToken, generation: 1 };
        }
        io.authorize(`${request.instanceUrl}/oauth/authorize?client_id=fake`);
        const token = await new Promise<string>((resolve, reject) => {
          this.approve = resolve;
          io.signal.addEventListener('abort', () => reject(new ColonnadeError('invalid', 'Connection cancelled.')));
        });
        return { instanceUrl: request.instanceUrl, accessToken: token, generation: 1 };
      },
      createAdapter: async (credentials, ctx) => {
        this.contexts.push(ctx);
        return this.adapter(credentials, ctx);
      },
    };
  }

  private adapter(credentials: FakeCredentials, ctx: AdapterContext<FakeCredentials>): NetworkAdapter {
    const check = () => {
      if (!this.validTokens.has(credentials.accessToken)) throw new ColonnadeError('auth-expired', 'Token revoked.');
    };
    return {
      network: this.network,
      verify: async () => {
        check();
        return this.profile(credentials.accessToken);
      },
      columnKinds: () => ['home', 'hashtag'],
      textRules: () => ({ counting: 'characters', maxLength: 500, maxImages: 4, maxAltLength: 1500 }),
      readTimeline: async () => {
        check();
        const failure = this.failNextRead;
        this.failNextRead = null;
        if (failure) throw failure;
        const id = `${this.network}:1`;
        if (this.deleted.has(id)) return { items: [], older: null, newer: '1' };
        const post: Post = {
          id,
          network: this.network,
          nativeId: '1',
          author: this.profile(credentials.accessToken),
          text: 'hello',
          entities: [],
          media: [],
          createdAt: new Date(ctx.clock.now()).toISOString(),
          url: null,
          metrics: NO_COUNTS,
        };
        ctx.onReads?.({ posts: 100, ownPosts: 0, purpose: 'timeline' });
        return { items: [entryOf(post)], older: null, newer: '1' };
      },
      refreshMetrics: async (ids) => {
        check();
        const asked = ids.filter((id) => id.startsWith(`${this.network}:`));
        const metrics = new Map(asked.filter((id) => !this.deleted.has(id)).map((id) => [id, NO_COUNTS] as const));
        return { metrics, gone: asked.filter((id) => this.deleted.has(id)) };
      },
      lists: async () => [{ id: '7', name: 'Press', kind: 'list' }],
      act: async () => check(),
      publish: async () => {
        throw new ColonnadeError('not-allowed', 'not in the fake');
      },
      pollIntervalMs: () => 1_000,
      rateLimit: () => null,
      rateBucket: () => ({ bucket: 'account', limit: 300, windowMs: 300_000 }),
      thread: async () => {
        throw new ColonnadeError('not-allowed', 'not in this double');
      },
      profile: async () => {
        throw new ColonnadeError('not-allowed', 'not in this double');
      },
    };
  }
}
