// The Bluesky adapter against a real local Bluesky network (PLC, PDS, AppView from
// @atproto/dev-env on a throwaway Postgres), as a Colonnade user would drive it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkAdapter, TimelineRequest } from '../../../../src/shared/adapter';
import { ColonnadeError } from '../../../../src/shared/errors';
import { PostSchema, type Post } from '../../../../src/shared/model';
import { connectBluesky, createBlueskyAdapter, type BlueskyCredentials } from '../../../../src/main/networks/bluesky';
import { BlueskyAdapter } from '../../../../src/main/networks/bluesky/adapter';
import {
  listeningAddresses,
  startBlueskyNetwork,
  type BlueskyTestAccount,
  type BlueskyTestNetwork,
  type StrongRef,
} from '../../../support/bluesky-network';
import { png, recordingContext, type RecordingContext } from '../../../support/bluesky-fixtures';

let net: BlueskyTestNetwork;
let casey: BlueskyTestAccount;
let alice: BlueskyTestAccount;
let bob: BlueskyTestAccount;
let dan: BlueskyTestAccount;
let creds: BlueskyCredentials;
let ctx: RecordingContext;
let adapter: NetworkAdapter;
const refs: Record<string, StrongRef> = {};
let listUri = '';
let feedUri = '';

const idOf = (ref: StrongRef) => `bluesky:${encodeURIComponent(ref.uri)}`;

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (err) {
    return err instanceof ColonnadeError ? err.code : `not a ColonnadeError: ${String(err)}`;
  }
}

/** Every page of a column, oldest page last, checking each page is newest first. */
async function readAll(req: Omit<TimelineRequest, 'direction' | 'cursor'>): Promise<Post[]> {
  const all: Post[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 20; pages++) {
    const page = await adapter.readTimeline({ ...req, direction: 'older', cursor });
    for (const post of page.items) PostSchema.parse(post);
    all.push(...page.items);
    if (!page.older) return all;
    cursor = page.older;
  }
  throw new Error('Paging did not end');
}

const texts = (posts: Post[]) => posts.map((p) => p.text);
const newestFirst = (posts: Post[]) =>
  posts.every((p, i) => i === 0 || Date.parse(posts[i - 1]?.createdAt ?? '') >= Date.parse(p.createdAt));

beforeAll(async () => {
  net = await startBlueskyNetwork();
  casey = await net.createAccount('casey');
  alice = await net.createAccount('alice');
  bob = await net.createAccount('bob');
  dan = await net.createAccount('dan');
  await net.follow(casey, alice);
  await net.follow(casey, bob);

  refs.c1 = await net.post(casey, 'Good morning from Casey #colonnade');
  for (let n = 1; n <= 5; n++) refs[`a${n}`] = await net.post(alice, `alice update ${n} #colonnade`);
  for (let n = 1; n <= 3; n++) refs[`b${n}`] = await net.post(bob, `bob note ${n} about lighthouses`);
  refs.aEmoji = await net.post(alice, 'Café 👋🏽 #tag https://example.com/page and @casey.test');
  refs.dReply = await net.post(dan, { text: 'dan replies', replyTo: { root: refs.c1, parent: refs.c1 } });
  refs.dQuote = await net.post(dan, { text: 'dan quotes', quote: refs.c1 });
  await net.like(dan, refs.c1);
  await net.repost(dan, refs.c1);
  const list = await net.createList(casey, 'Friends');
  listUri = list.uri;
  await net.addListMember(casey, list, alice);
  const b1 = refs.b1!.uri;
  const a2 = refs.a2!.uri;
  feedUri = await net.createFeedGenerator(casey, 'picks', 'Casey picks', () => [b1, a2]);
  await net.sync();

  creds = await connectBluesky({ service: net.pdsUrl, identifier: casey.handle, appPassword: casey.password });
  ctx = recordingContext();
  adapter = createBlueskyAdapter(creds, ctx);
}, 120_000);

afterAll(async () => {
  await net?.close();
  console.log('bluesky network figures', JSON.stringify(net?.figures));
}, 60_000);

describe('the local network', () => {
  it.skipIf(process.platform !== 'linux')('listens on 127.0.0.1 only', () => {
    const addresses = listeningAddresses(net.pids);
    expect(addresses?.length).toBeGreaterThanOrEqual(5); // PLC, PDS, AppView, Ozone, Postgres, …
    expect(addresses?.filter((a) => !a.startsWith('127.0.0.1:'))).toEqual([]);
  });
});

describe('connecting', () => {
  it('signs in with an app password and answers a session to keep', () => {
    expect(creds.identifier).toBe('casey.test');
    expect(creds.session?.did).toBe(casey.did);
    expect(creds.session?.handle).toBe('casey.test');
  });

  it('refuses a wrong app password and the account password itself', async () => {
    const wrong = connectBluesky({ service: net.pdsUrl, identifier: casey.handle, appPassword: 'nope-nope-nope' });
    await expect(wrong).rejects.toMatchObject({ code: 'invalid', field: 'appPassword' });
    const main = connectBluesky({ service: net.pdsUrl, identifier: casey.handle, appPassword: casey.accountPassword });
    await expect(main).rejects.toMatchObject({ code: 'invalid', field: 'appPassword' });
  });

  it('verifies as the account behind the credentials', async () => {
    const me = await adapter.verify();
    expect(me).toMatchObject({ id: `bluesky:${casey.did}`, handle: 'casey.test', displayName: 'Casey' });
    expect(me.url).toBe('https://bsky.app/profile/casey.test');
  });
});

describe('columns', () => {
  it('home: followed accounts and own posts, newest first, paged back without repeats', async () => {
    const posts = await readAll({ kind: 'home', limit: 3 });
    const expected = ['c1', 'a1', 'a2', 'a3', 'a4', 'a5', 'b1', 'b2', 'b3', 'aEmoji'].map((k) => idOf(refs[k]!));
    expect(new Set(posts.map((p) => p.id)).size).toBe(posts.length);
    expect(posts.map((p) => p.id).sort()).toEqual(expected.sort());
    expect(posts[0]?.text).toContain('Café');
    expect(newestFirst(posts)).toBe(true);
  });

  it('home: asking for newer posts answers only what arrived since', async () => {
    const first = await adapter.readTimeline({ kind: 'home', limit: 5, direction: 'older' });
    const nothing = await adapter.readTimeline({ kind: 'home', limit: 5, direction: 'newer', cursor: first.newer });
    expect(nothing.items).toEqual([]);
    const fresh = await net.post(bob, 'bob just now');
    await net.sync();
    const since = await adapter.readTimeline({ kind: 'home', limit: 5, direction: 'newer', cursor: first.newer });
    expect(since.items.map((p) => p.id)).toEqual([idOf(fresh)]);
    const after = await adapter.readTimeline({ kind: 'home', limit: 5, direction: 'newer', cursor: since.newer });
    expect(after.items).toEqual([]);
  });

  it('a repost shows the original post and who reposted it', async () => {
    const posts = await readAll({ kind: 'user', query: dan.handle, limit: 10 });
    const reposted = posts.find((p) => p.id === idOf(refs.c1!));
    expect(reposted?.author.handle).toBe(casey.handle);
    expect(reposted?.repostedBy?.handle).toBe(dan.handle);
    expect(posts.find((p) => p.text === 'dan replies')?.repostedBy).toBeUndefined();
  });

  it('mentions: mentions, replies and quotes of the account', async () => {
    const posts = await readAll({ kind: 'mentions', limit: 2 });
    expect(texts(posts).sort()).toEqual(
      ['Café 👋🏽 #tag https://example.com/page and @casey.test', 'dan quotes', 'dan replies'].sort(),
    );
    expect(posts.find((p) => p.text === 'dan replies')?.replyTo).toBe(idOf(refs.c1!));
  });

  it('notifications: also the posts others liked or reposted', async () => {
    const posts = await readAll({ kind: 'notifications', limit: 50 });
    const ids = posts.map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining([idOf(refs.c1!), idOf(refs.dReply!), idOf(refs.dQuote!)]));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('hashtag and search: matching posts, newest first, paged', async () => {
    const tagged = await readAll({ kind: 'hashtag', query: 'colonnade', limit: 4 });
    expect(tagged.map((p) => p.id).sort()).toEqual(
      ['c1', 'a1', 'a2', 'a3', 'a4', 'a5'].map((k) => idOf(refs[k]!)).sort(),
    );
    expect(newestFirst(tagged)).toBe(true);
    const found = await readAll({ kind: 'search', query: 'lighthouses', limit: 2 });
    expect(texts(found)).toEqual([
      'bob note 3 about lighthouses',
      'bob note 2 about lighthouses',
      'bob note 1 about lighthouses',
    ]);
  });

  it('user: one account’s posts by handle, paged', async () => {
    const posts = await readAll({ kind: 'user', query: '@alice.test', limit: 4 });
    expect(posts).toHaveLength(6);
    expect(posts.every((p) => p.author.handle === 'alice.test')).toBe(true);
    expect(newestFirst(posts)).toBe(true);
    expect(
      await code(adapter.readTimeline({ kind: 'user', query: 'nobody.test', limit: 5, direction: 'older' })),
    ).toMatch(/not-found|invalid/);
  });

  it('lists: the account’s lists and feeds open as columns', async () => {
    const lists = await adapter.lists();
    expect(lists).toEqual(
      expect.arrayContaining([
        { id: listUri, name: 'Friends', kind: 'list' },
        { id: feedUri, name: 'Casey picks', kind: 'feed' },
      ]),
    );
    const members = await readAll({ kind: 'list', query: listUri, limit: 4 });
    expect(members).toHaveLength(6);
    expect(members.every((p) => p.author.handle === 'alice.test')).toBe(true);
    const picks = await readAll({ kind: 'list', query: feedUri, limit: 1 });
    expect(picks.map((p) => p.id)).toEqual([idOf(refs.b1!), idOf(refs.a2!)]);
  });

  it('normalizes a post: entities at the right places despite emoji, link to bsky.app', async () => {
    const page = await adapter.readTimeline({ kind: 'user', query: 'alice.test', limit: 1, direction: 'older' });
    const post = page.items[0]!;
    expect(post.url).toBe(`https://bsky.app/profile/alice.test/post/${refs.aEmoji!.uri.split('/').pop()}`);
    expect(post.entities.map((e) => [e.kind, post.text.slice(e.start, e.end), e.value])).toEqual([
      ['hashtag', '#tag', 'tag'],
      ['link', 'https://example.com/page', 'https://example.com/page'],
      ['mention', '@casey.test', 'casey.test'],
    ]);
    expect(post.metrics.impressions).toBeNull();
  });
});

describe('metrics and actions', () => {
  it('refreshMetrics follows likes, reposts, replies and quotes', async () => {
    const id = idOf(refs.a1!);
    const before = (await adapter.refreshMetrics([id, 'x:elsewhere']).then((m) => m.get(id)))!;
    expect(before).toEqual({ likes: 0, reposts: 0, replies: 0, quotes: 0, impressions: null });
    await net.like(bob, refs.a1!);
    await net.like(dan, refs.a1!);
    await net.repost(dan, refs.a1!);
    await net.sync();
    const after = await adapter.refreshMetrics([id, 'x:elsewhere']);
    expect([...after.keys()]).toEqual([id]);
    expect(after.get(id)).toMatchObject({ likes: 2, reposts: 1 });
    const c1 = (await adapter.refreshMetrics([idOf(refs.c1!)])).get(idOf(refs.c1!));
    expect(c1).toMatchObject({ likes: 1, reposts: 1, replies: 1, quotes: 1 });
  });

  it('likes, unlikes, reposts and unreposts as the account', async () => {
    const id = idOf(refs.b2!);
    await adapter.act(id, 'like');
    await adapter.act(id, 'like'); // twice is still one like
    await adapter.act(id, 'repost');
    await net.sync();
    const page = await adapter.readTimeline({ kind: 'search', query: 'bob note 2', limit: 5, direction: 'older' });
    expect(page.items[0]).toMatchObject({ id, viewer: { liked: true, reposted: true } });
    expect(page.items[0]?.metrics).toMatchObject({ likes: 1, reposts: 1 });
    await adapter.act(id, 'unlike');
    await adapter.act(id, 'unrepost');
    await net.sync();
    expect((await adapter.refreshMetrics([id])).get(id)).toMatchObject({ likes: 0, reposts: 0 });
  });

  it('deletes its own posts only', async () => {
    const mine = await net.post(casey, 'to be deleted');
    await net.sync();
    await adapter.act(idOf(mine), 'delete');
    await net.sync();
    expect((await adapter.refreshMetrics([idOf(mine)])).size).toBe(0);
    expect(await code(adapter.act(idOf(refs.a3!), 'delete'))).toBe('not-allowed');
    expect(await code(adapter.act('bluesky:not-a-uri', 'like'))).toBe('not-found');
  });
});

describe('publishing', () => {
  it('publishes text with links, mentions and hashtags as facets', async () => {
    const text = 'Launch day 🚀 at https://colonnade.example/launch with @alice.test #launch';
    const post = await adapter.publish({ text, idempotencyKey: 'k-facets' });
    PostSchema.parse(post);
    expect(post.author.handle).toBe('casey.test');
    expect(post.entities.map((e) => [e.kind, text.slice(e.start, e.end)])).toEqual([
      ['link', 'https://colonnade.example/launch'],
      ['mention', '@alice.test'],
      ['hashtag', '#launch'],
    ]);
    await net.sync();
    const tagged = await adapter.readTimeline({ kind: 'hashtag', query: 'launch', limit: 5, direction: 'older' });
    expect(tagged.items.map((p) => p.id)).toEqual([post.id]);
    const mentions = await alice.agent.app.bsky.notification.listNotifications({ reasons: ['mention'] });
    expect(mentions.data.notifications.map((n) => n.uri)).toContain(decodeURIComponent(post.nativeId));
  });

  it('publishes a reply with an image and its alt text', async () => {
    const post = await adapter.publish({
      text: 'Here is the view',
      media: [{ data: png(6, 4), mimeType: 'image/png', alt: 'A grey rectangle, wider than tall' }],
      replyTo: idOf(refs.dReply!),
      idempotencyKey: 'k-reply-image',
    });
    expect(post.replyTo).toBe(idOf(refs.dReply!));
    await net.sync();
    const view = (await casey.agent.app.bsky.feed.getPosts({ uris: [decodeURIComponent(post.nativeId)] })).data
      .posts[0];
    const record = view?.record as { reply?: { root: { uri: string }; parent: { uri: string } } };
    expect(record.reply?.root.uri).toBe(refs.c1!.uri); // the thread's root, not the parent
    expect(record.reply?.parent.uri).toBe(refs.dReply!.uri);
    const [read] = (await adapter.readTimeline({ kind: 'user', query: 'casey.test', limit: 1, direction: 'older' }))
      .items;
    expect(read?.id).toBe(post.id);
    expect(read?.media).toEqual([
      expect.objectContaining({ kind: 'image', alt: 'A grey rectangle, wider than tall', width: 6, height: 4 }),
    ]);
    expect(read?.media[0]?.url).toMatch(/^https?:\/\//);
  });

  it('publishes quotes, with and without images', async () => {
    const plain = await adapter.publish({ text: 'Worth reading', quoteOf: idOf(refs.a4!), idempotencyKey: 'k-quote' });
    const withImage = await adapter.publish({
      text: 'And a picture',
      quoteOf: idOf(refs.a5!),
      media: [{ data: png(2, 2), mimeType: 'image/png', alt: 'square' }],
      idempotencyKey: 'k-quote-image',
    });
    await net.sync();
    const views = await casey.agent.app.bsky.feed.getPosts({
      uris: [decodeURIComponent(plain.nativeId), decodeURIComponent(withImage.nativeId)],
    });
    const embeds = views.data.posts.map((p) => (p.record as { embed?: { $type?: string } }).embed?.$type);
    expect(embeds.sort()).toEqual(['app.bsky.embed.record', 'app.bsky.embed.recordWithMedia']);
    const metrics = await adapter.refreshMetrics([idOf(refs.a4!), idOf(refs.a5!)]);
    expect(metrics.get(idOf(refs.a4!))?.quotes).toBe(1);
    const read = (await adapter.refreshMetrics([withImage.id])).get(withImage.id);
    expect(read).toBeDefined();
  });

  it('a retry with the same idempotency key never posts twice', async () => {
    const request = { text: 'Exactly once, please', idempotencyKey: 'k-once' };
    const [a, b] = await Promise.all([adapter.publish(request), adapter.publish(request)]);
    const c = await adapter.publish(request);
    // A fresh adapter (the app restarted) retrying the same post:
    const d = await createBlueskyAdapter(creds, recordingContext()).publish(request);
    expect(new Set([a.id, b.id, c.id, d.id]).size).toBe(1);
    await net.sync();
    const found = await readAll({ kind: 'search', query: 'Exactly once', limit: 10 });
    expect(found.map((p) => p.id)).toEqual([a.id]);
    const other = await adapter.publish({ text: 'Exactly once, please', idempotencyKey: 'k-once-2' });
    expect(other.id).not.toBe(a.id);
    expect(await code(adapter.publish({ text: 'Something else', idempotencyKey: 'k-once' }))).toBe('invalid');
  });

  it('refuses what Bluesky would refuse, in words', async () => {
    expect(await code(adapter.publish({ text: 'x'.repeat(301), idempotencyKey: 'k-long' }))).toBe('invalid');
    const media = Array.from({ length: 5 }, () => ({ data: png(1, 1), mimeType: 'image/png', alt: '' }));
    expect(await code(adapter.publish({ text: 'five', media, idempotencyKey: 'k-five' }))).toBe('invalid');
    expect(adapter.textRules()).toEqual({ counting: 'graphemes', maxLength: 300, maxImages: 4, maxAltLength: 2000 });
    // Bluesky counts graphemes: 300 emoji (600 UTF-16 units) fit...
    expect(await code(adapter.publish({ text: '👋'.repeat(300), idempotencyKey: 'k-waves' }))).toBe('no error');
    // ...but a post is also at most 3000 bytes: 300 family emoji (18 bytes each) do not.
    expect(await code(adapter.publish({ text: '👨‍👩‍👧'.repeat(300), idempotencyKey: 'k-family' }))).toBe('invalid');
  });
});

describe('sessions', () => {
  it('saves the refreshed session before using it, and it works after a restart', async () => {
    const own = recordingContext();
    const first = createBlueskyAdapter(creds, own);
    await first.readTimeline({ kind: 'home', limit: 1, direction: 'older' });
    expect(own.saved.length).toBeGreaterThanOrEqual(1);
    const latest = own.saved.at(-1)!;
    expect(latest.session?.refreshJwt).not.toBe(creds.session?.refreshJwt);
    expect(latest.appPassword).toBe(creds.appPassword);
    const restarted = recordingContext();
    const second = createBlueskyAdapter(latest, restarted);
    expect((await second.verify()).handle).toBe('casey.test');
    expect(restarted.saved.at(-1)?.session?.did).toBe(casey.did);
    const text = own.log.text() + restarted.log.text();
    expect(text).not.toContain(casey.password);
    expect(text).not.toContain(latest.session!.accessJwt);
  });

  it('fails a call, without using the new session, when saving it fails; recovers when saving works', async () => {
    const failing = recordingContext();
    failing.failSaves(true);
    const a = createBlueskyAdapter(creds, failing);
    expect(await code(a.verify())).toBe('transient');
    expect(failing.saved).toHaveLength(0);
    failing.failSaves(false);
    expect((await a.verify()).handle).toBe('casey.test');
    expect(failing.saved.length).toBeGreaterThanOrEqual(1);
  });

  it('a dead session is replaced by signing in again with the app password', async () => {
    const stale: BlueskyCredentials = {
      ...creds,
      session: {
        did: casey.did,
        handle: casey.handle,
        accessJwt: 'garbage.garbage.garbage',
        refreshJwt: 'nope.nope.nope',
      },
    };
    const own = recordingContext();
    expect((await createBlueskyAdapter(stale, own).verify()).handle).toBe('casey.test');
    expect(own.saved.at(-1)?.session?.accessJwt).not.toBe('garbage.garbage.garbage');
  });

  it('expired or revoked credentials surface as auth-expired', async () => {
    const wrong: BlueskyCredentials = {
      ...creds,
      appPassword: 'aaaa-bbbb-cccc-dddd',
      session: {
        did: casey.did,
        handle: casey.handle,
        accessJwt: 'garbage.garbage.garbage',
        refreshJwt: 'nope.nope.nope',
      },
    };
    expect(await code(createBlueskyAdapter(wrong, recordingContext()).verify())).toBe('auth-expired');

    const bobCreds = await connectBluesky({ service: net.pdsUrl, identifier: bob.handle, appPassword: bob.password });
    await net.revokeAppPassword(bob);
    const bobAdapter = createBlueskyAdapter({ ...bobCreds, session: undefined }, recordingContext());
    expect(await code(bobAdapter.readTimeline({ kind: 'home', limit: 1, direction: 'older' }))).toBe('auth-expired');
  });
});

describe('limits and failures', () => {
  it('reads rate-limit headers, and maps 429, 400, 404 and 5xx answers', async () => {
    let answer: ((url: string) => Response | null) | null = null;
    const fetchStub: typeof fetch = async (input, init) => {
      const req = new Request(input, init);
      const canned = answer?.(req.url);
      if (canned) return canned;
      const res = await fetch(req);
      const headers = new Headers(res.headers);
      headers.set('ratelimit-limit', '3000');
      headers.set('ratelimit-remaining', '2999');
      headers.set('ratelimit-reset', '1900000000');
      return new Response(res.body, { status: res.status, headers });
    };
    const a = new BlueskyAdapter(creds, recordingContext(), fetchStub);
    await a.verify();
    expect(a.rateLimit()).toEqual({ limit: 3000, remaining: 2999, resetAt: new Date(1_900_000_000_000).toISOString() });

    const json = (status: number, body: object, headers: Record<string, string> = {}) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
    const timeline = (res: Response) => (url: string) => (url.includes('getTimeline') ? res : null);
    const read = () => a.readTimeline({ kind: 'home', limit: 1, direction: 'older' });

    answer = timeline(json(429, { error: 'RateLimitExceeded', message: 'slow' }, { 'ratelimit-reset': '1900000000' }));
    await expect(read()).rejects.toMatchObject({
      code: 'rate-limited',
      resetAt: new Date(1_900_000_000_000).toISOString(),
    });
    answer = timeline(json(400, { error: 'InvalidRequest', message: 'bad' }));
    expect(await code(read())).toBe('invalid');
    answer = timeline(json(404, { error: 'NotFound', message: 'gone' }));
    expect(await code(read())).toBe('not-found');
    answer = timeline(json(502, { error: 'UpstreamFailure', message: 'down' }));
    expect(await code(read())).toBe('transient');
    answer = null;
    expect((await read()).items).toHaveLength(1);
  });

  it('answers offline once the network is gone', async () => {
    await net.close();
    expect(await code(adapter.readTimeline({ kind: 'home', limit: 1, direction: 'older' }))).toBe('offline');
    expect(await code(createBlueskyAdapter(creds, recordingContext()).verify())).toBe('offline');
  });
});
