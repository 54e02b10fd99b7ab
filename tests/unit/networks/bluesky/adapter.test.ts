// The Bluesky adapter against a real local Bluesky network (PLC, PDS, AppView from
// @atproto/dev-env on a throwaway Postgres), as a Colonnade user would drive it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkAdapter, TimelineRequest, UploadProgress } from '../../../../src/shared/adapter';
import { ColonnadeError } from '../../../../src/shared/errors';
import { TimelineEntrySchema, PostSchema, type Post, type TimelineEntry } from '../../../../src/shared/model';
import { connectBluesky, createBlueskyAdapter, type BlueskyCredentials } from '../../../../src/main/networks/bluesky';
import { BlueskyAdapter } from '../../../../src/main/networks/bluesky/adapter';
import { systemClock } from '../../../../src/main/core/ports';
import {
  listeningAddresses,
  startBlueskyNetwork,
  type BlueskyTestAccount,
  type BlueskyTestNetwork,
  type StrongRef,
} from '../../../support/bluesky-network';
import { png, recordingContext, type RecordingContext } from '../../../support/bluesky-fixtures';

/** A real H.264 MP4: one second, 32 × 32, 10 frames (tests/fixtures/media/README.md). */
const MP4 = new Uint8Array(
  fs.readFileSync(path.resolve(import.meta.dirname, '../../../fixtures/media/clip-1s-32x32.mp4')),
);

let net: BlueskyTestNetwork;
let casey: BlueskyTestAccount;
let alice: BlueskyTestAccount;
let bob: BlueskyTestAccount;
let dan: BlueskyTestAccount;
/** Reposts an old post of alice's; casey follows her. */
let gina: BlueskyTestAccount;
/** Follows casey and likes her post. */
let hal: BlueskyTestAccount;
/** Quotes all sorts of records; nobody follows her. */
let quinn: BlueskyTestAccount;
/** Posts labelled media; nobody follows her. */
let lara: BlueskyTestAccount;
/** Blocks casey. */
let erin: BlueskyTestAccount;
/** Blocked by casey. */
let frank: BlueskyTestAccount;
let creds: BlueskyCredentials;
let ctx: RecordingContext;
let adapter: NetworkAdapter;
const refs: Record<string, StrongRef> = {};
let listUri = '';
let feedUri = '';
let cardThumbCid = '';

const idOf = (ref: StrongRef) => `bluesky:${encodeURIComponent(ref.uri)}`;

/** The ColonnadeError a promise fails with, as JSON (code, reason, params, detail…). */
async function failure(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
    return { code: 'no error' };
  } catch (err) {
    if (err instanceof ColonnadeError) return { ...err.toJSON() };
    return { code: `not a ColonnadeError: ${String(err)}` };
  }
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (err) {
    return err instanceof ColonnadeError ? err.code : `not a ColonnadeError: ${String(err)}`;
  }
}

/** Every entry of a column, oldest page last, each checked against the shared schema. */
async function readEntries(
  req: Omit<TimelineRequest, 'direction' | 'cursor'>,
  using: NetworkAdapter = adapter,
): Promise<TimelineEntry[]> {
  const all: TimelineEntry[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 20; pages++) {
    const page = await using.readTimeline({ ...req, direction: 'older', cursor });
    for (const entry of page.items) TimelineEntrySchema.parse(entry);
    all.push(...page.items);
    if (!page.older) return all;
    cursor = page.older;
  }
  throw new Error('Paging did not end');
}

/** The posts of a column's entries (notification entries without a post left out). */
async function readAll(req: Omit<TimelineRequest, 'direction' | 'cursor'>, using?: NetworkAdapter): Promise<Post[]> {
  return (await readEntries(req, using)).flatMap((e) => (e.post ? [e.post] : []));
}

const firstPage = async (req: Omit<TimelineRequest, 'direction' | 'cursor'>, using: NetworkAdapter = adapter) =>
  (await using.readTimeline({ ...req, direction: 'older' })).items.flatMap((e) => (e.post ? [e.post] : []));

const texts = (posts: Post[]) => posts.map((p) => p.text);
const newestFirst = (posts: Post[]) =>
  posts.every((p, i) => i === 0 || Date.parse(posts[i - 1]?.createdAt ?? '') >= Date.parse(p.createdAt));
const inTimelineOrder = (entries: TimelineEntry[]) =>
  entries.every((e, i) => i === 0 || Date.parse(entries[i - 1]?.at ?? '') >= Date.parse(e.at));
const THREE_DAYS = 3 * 24 * 3600_000;

beforeAll(async () => {
  net = await startBlueskyNetwork();
  casey = await net.createAccount('casey');
  alice = await net.createAccount('alice');
  bob = await net.createAccount('bob');
  dan = await net.createAccount('dan');
  gina = await net.createAccount('gina');
  hal = await net.createAccount('hal');
  quinn = await net.createAccount('quinn');
  lara = await net.createAccount('lara');
  erin = await net.createAccount('erin');
  frank = await net.createAccount('frank');
  await net.follow(casey, alice);
  await net.follow(casey, bob);
  await net.follow(casey, gina);

  refs.aOld = await net.post(alice, {
    text: 'an old post from alice',
    createdAt: new Date(Date.now() - THREE_DAYS).toISOString(),
  });
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

  // A repost, now, of a three-day-old post.
  refs.gRepost = await net.repost(gina, refs.aOld);
  // Who did what, for the notifications column.
  await net.like(hal, refs.c1);
  await net.follow(hal, casey);

  // Quotes of every kind of record, by quinn.
  refs.bTemp = await net.post(bob, 'bob says something he deletes');
  refs.qDeleted = await net.post(quinn, { text: 'quinn quotes a deleted post', quote: refs.bTemp });
  await net.deleteRecord(bob, refs.bTemp.uri);
  refs.eNote = await net.post(erin, 'erin, who blocks casey');
  refs.qBlocked = await net.post(quinn, { text: 'quinn quotes erin', quote: refs.eNote });
  await net.block(erin, casey);
  await net.block(casey, frank);
  refs.qDetached = await net.post(quinn, { text: 'quinn quotes alice 3', quote: refs.a3 });
  await net.detachQuote(alice, refs.a3!, refs.qDetached.uri);
  refs.qList = await net.post(quinn, { text: 'quinn quotes a list', quote: list });
  const feedRecord = await casey.agent.com.atproto.repo.getRecord({
    repo: casey.did,
    collection: 'app.bsky.feed.generator',
    rkey: 'picks',
  });
  refs.qFeed = await net.post(quinn, {
    text: 'quinn quotes a feed',
    quote: { uri: feedUri, cid: feedRecord.data.cid! },
  });
  refs.qMedia = await net.post(quinn, {
    text: 'quinn quotes alice 2 with a picture',
    quote: refs.a2,
    images: [{ data: png(3, 2), mimeType: 'image/png', alt: 'a small grey picture' }],
  });
  refs.qLink = await net.post(quinn, {
    text: 'read example.com/guide…',
    rawFacets: [
      {
        index: { byteStart: 5, byteEnd: 5 + Buffer.byteLength('example.com/guide…') },
        features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://example.com/guide/to/everything?ref=1' }],
      },
    ],
  });

  // Link cards (app.bsky.embed.external), the link only in the card, as posters leave it.
  const thumb = await quinn.agent.uploadBlob(png(8, 4), { encoding: 'image/png' });
  cardThumbCid = thumb.data.blob.ref.toString();
  const postRecord = async (embed: Record<string, unknown>, text: string) => {
    const res = await quinn.agent.com.atproto.repo.createRecord({
      repo: quinn.did,
      collection: 'app.bsky.feed.post',
      record: { $type: 'app.bsky.feed.post', text, embed, createdAt: new Date().toISOString() },
    });
    return { uri: res.data.uri, cid: res.data.cid };
  };
  const blogCard = {
    uri: 'https://blog.example/posts/42',
    title: 'Forty-two',
    description: 'Why 42 is the answer',
    thumb: thumb.data.blob,
  };
  refs.qCard = await postRecord({ $type: 'app.bsky.embed.external', external: blogCard }, 'New on the blog');
  refs.qCardQuote = await postRecord(
    {
      $type: 'app.bsky.embed.recordWithMedia',
      record: { $type: 'app.bsky.embed.record', record: refs.b3 },
      media: {
        $type: 'app.bsky.embed.external',
        external: { uri: 'https://guide.example/', title: '', description: '' },
      },
    },
    'quinn quotes bob 3 with a link',
  );
  refs.qQuotesCard = await net.post(quinn, { text: 'quinn quotes her card', quote: refs.qCard });

  // Self-labelled posts, by lara. (Labeller labels: normalize.test.ts.)
  const image = [{ data: png(4, 4), mimeType: 'image/png', alt: 'a labelled picture' }];
  refs.lPlain = await net.post(lara, 'lara plain');
  refs.lPorn = await net.post(lara, { text: 'lara porn', labels: ['porn'], images: image });
  refs.lGraphic = await net.post(lara, { text: 'lara graphic', labels: ['graphic-media'], images: image });
  refs.lNudity = await net.post(lara, { text: 'lara nudity', labels: ['nudity'], images: image });
  await net.sync();

  creds = await connectBluesky({ service: net.pdsUrl, identifier: casey.handle, appPassword: casey.password });
  ctx = recordingContext();
  adapter = createBlueskyAdapter(creds, ctx);
}, 180_000);

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

  it('says which was wrong: the app password, the handle, or the account password used instead', async () => {
    const connect = (identifier: string, appPassword: string, service = net.pdsUrl) =>
      failure(connectBluesky({ service, identifier, appPassword }));
    // An app password of the right shape that is not this account's.
    expect(await connect(casey.handle, 'aaaa-bbbb-cccc-dddd')).toMatchObject({
      code: 'invalid',
      field: 'appPassword',
      reason: 'wrong-app-password',
      params: { name: '@casey.test' },
      detail: 'Invalid identifier or password',
    });
    // Something that is not shaped like an app password: maybe an old account password.
    expect(await connect(casey.handle, 'my-old-password')).toMatchObject({
      code: 'invalid',
      field: 'appPassword',
      reason: 'not-an-app-password',
    });
    // The account password itself signs in, and is refused.
    expect(await connect(casey.handle, casey.accountPassword)).toMatchObject({
      code: 'invalid',
      field: 'appPassword',
      reason: 'account-password',
    });
    // A handle nobody has: the PDS answers the same 401, resolveHandle tells.
    expect(await connect('nobody.test', casey.password)).toMatchObject({
      code: 'invalid',
      field: 'identifier',
      reason: 'unknown-handle',
      params: { name: '@nobody.test' },
    });
    // An address nobody answers on.
    expect(await connect(casey.handle, casey.password, 'http://127.0.0.1:1')).toMatchObject({
      code: 'offline',
      field: 'service',
      reason: 'unreachable',
      params: { server: '127.0.0.1:1' },
    });
  });

  it('verifies as the account behind the credentials', async () => {
    const me = await adapter.verify();
    expect(me).toMatchObject({ id: `bluesky:${casey.did}`, handle: 'casey.test', displayName: 'Casey' });
    expect(me.url).toBe('https://bsky.app/profile/casey.test');
  });

  it('connects an account the AppView has not indexed yet, named from its own repository', async () => {
    // The AppView answers a new account's profile with 400 InvalidRequest "Profile not found"
    // until it has indexed it (bsky api/app/bsky/actor/getProfile.ts); this fetch plays that.
    const notIndexed: typeof globalThis.fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.includes('/xrpc/app.bsky.actor.getProfile?')) {
        return new Response(JSON.stringify({ error: 'InvalidRequest', message: 'Profile not found' }), {
          status: 400,
          headers: { 'content-type': 'application/json' },
        });
      }
      return globalThis.fetch(input, init);
    };
    const fresh = createBlueskyAdapter(creds, recordingContext(), { fetch: notIndexed });
    const me = await fresh.verify();
    expect(me).toMatchObject({ id: `bluesky:${casey.did}`, handle: 'casey.test', displayName: 'Casey' });
  });
});

describe('columns', () => {
  it('home: followed accounts and own posts in timeline order, paged back without repeats', async () => {
    const entries = await readEntries({ kind: 'home', limit: 3 });
    expect(new Set(entries.map((e) => e.key)).size).toBe(entries.length);
    const expected = ['c1', 'a1', 'a2', 'a3', 'a4', 'a5', 'b1', 'b2', 'b3', 'aEmoji', 'aOld'].map((k) =>
      idOf(refs[k]!),
    );
    expect([...new Set(entries.map((e) => e.post?.id))].sort()).toEqual(expected.sort());
    expect(inTimelineOrder(entries)).toBe(true);
  });

  it('home: a repost made now of a three-day-old post is at the top, reposted by who reposted it', async () => {
    const [top] = (await adapter.readTimeline({ kind: 'home', limit: 5, direction: 'older' })).items;
    expect(top?.key).toBe(refs.gRepost!.uri);
    expect(top?.post?.id).toBe(idOf(refs.aOld!));
    expect(top?.post?.author.handle).toBe('alice.test');
    expect(top?.repostedBy?.handle).toBe('gina.test');
    expect(Date.now() - Date.parse(top!.at)).toBeLessThan(THREE_DAYS / 2);
    expect(Date.now() - Date.parse(top!.post!.createdAt)).toBeGreaterThan(THREE_DAYS - 60_000);
    // The same post as alice's own, further down, is not "reposted by" anyone.
    const home = await readEntries({ kind: 'home', limit: 50 });
    const plain = home.find((e) => e.key === idOf(refs.aOld!));
    expect(plain?.repostedBy).toBeUndefined();
    expect(home.indexOf(plain!)).toBe(home.length - 1);
    const own = await readEntries({ kind: 'user', query: 'alice.test', limit: 50 });
    const inOwn = own.filter((e) => e.post?.id === idOf(refs.aOld!));
    expect(inOwn).toHaveLength(1);
    expect(inOwn[0]?.repostedBy).toBeUndefined();
    expect(own.at(-1)?.post?.id).toBe(idOf(refs.aOld!));
  });

  it('home: asking for newer posts answers only what arrived since', async () => {
    const first = await adapter.readTimeline({ kind: 'home', limit: 5, direction: 'older' });
    const nothing = await adapter.readTimeline({ kind: 'home', limit: 5, direction: 'newer', cursor: first.newer });
    expect(nothing.items).toEqual([]);
    const fresh = await net.post(bob, 'bob just now');
    await net.sync();
    const since = await adapter.readTimeline({ kind: 'home', limit: 5, direction: 'newer', cursor: first.newer });
    expect(since.items.map((e) => e.post?.id)).toEqual([idOf(fresh)]);
    const after = await adapter.readTimeline({ kind: 'home', limit: 5, direction: 'newer', cursor: since.newer });
    expect(after.items).toEqual([]);
  });

  it('a repost in the reposter’s column shows the original post and who reposted it', async () => {
    const entries = await readEntries({ kind: 'user', query: dan.handle, limit: 10 });
    const reposted = entries.find((e) => e.post?.id === idOf(refs.c1!));
    expect(reposted?.post?.author.handle).toBe(casey.handle);
    expect(reposted?.repostedBy?.handle).toBe(dan.handle);
    expect(entries.find((e) => e.post?.text === 'dan replies')?.repostedBy).toBeUndefined();
  });

  it('mentions: mentions, replies and quotes of the account, each saying what it is', async () => {
    const entries = await readEntries({ kind: 'mentions', limit: 2 });
    expect(entries.map((e) => [e.notification?.kind, e.post?.text]).sort()).toEqual(
      [
        ['mention', 'Café 👋🏽 #tag https://example.com/page and @casey.test'],
        ['quote', 'dan quotes'],
        ['reply', 'dan replies'],
      ].sort(),
    );
    const reply = entries.find((e) => e.notification?.kind === 'reply');
    expect(reply?.post?.replyTo).toBe(idOf(refs.c1!));
    expect(reply?.notification?.actors.map((a) => a.handle)).toEqual(['dan.test']);
  });

  it('notifications: who liked, reposted, followed, grouped by post, most recent first', async () => {
    const entries = await readEntries({ kind: 'notifications', limit: 50 });
    expect(new Set(entries.map((e) => e.key)).size).toBe(entries.length);
    const c1 = idOf(refs.c1!);
    const likes = entries.find((e) => e.key === `like:${c1}`);
    expect(likes?.notification).toMatchObject({ kind: 'like', count: 2 });
    expect(likes?.notification?.actors.map((a) => a.handle)).toEqual(['hal.test', 'dan.test']);
    expect(likes?.post?.id).toBe(c1);
    const reposts = entries.find((e) => e.key === `repost:${c1}`);
    expect(reposts?.notification).toMatchObject({ kind: 'repost', count: 1 });
    expect(reposts?.notification?.actors.map((a) => a.handle)).toEqual(['dan.test']);
    const follow = entries.find((e) => e.notification?.kind === 'follow');
    expect(follow?.post).toBeNull();
    expect(follow?.notification?.actors.map((a) => a.handle)).toEqual(['hal.test']);
    expect(entries.filter((e) => e.notification?.kind === 'reply').map((e) => e.post?.id)).toEqual([
      idOf(refs.dReply!),
    ]);
    expect(entries.filter((e) => e.notification?.kind === 'quote').map((e) => e.post?.id)).toEqual([
      idOf(refs.dQuote!),
    ]);
    expect(inTimelineOrder(entries)).toBe(true);
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

  it('user: one account’s posts by handle, paged; an unknown handle says so', async () => {
    const posts = await readAll({ kind: 'user', query: '@alice.test', limit: 4 });
    expect(posts).toHaveLength(7);
    expect(posts.every((p) => p.author.handle === 'alice.test')).toBe(true);
    expect(newestFirst(posts)).toBe(true);
    expect(
      await failure(adapter.readTimeline({ kind: 'user', query: 'nobody.test', limit: 5, direction: 'older' })),
    ).toMatchObject({ code: 'not-found', reason: 'profile-not-found', params: { name: '@nobody.test' } });
  });

  it('user: says who blocked whom', async () => {
    const read = (query: string) =>
      failure(adapter.readTimeline({ kind: 'user', query, limit: 5, direction: 'older' }));
    const blockedBy = await read('erin.test');
    expect(blockedBy).toMatchObject({ code: 'not-allowed', reason: 'blocked-by', params: { name: '@erin.test' } });
    expect(blockedBy.detail).toMatch(/blocked by actor/);
    expect(await read('frank.test')).toMatchObject({
      code: 'not-allowed',
      reason: 'blocking',
      params: { name: '@frank.test' },
    });
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
    expect(members).toHaveLength(7);
    expect(members.every((p) => p.author.handle === 'alice.test')).toBe(true);
    const picks = await readAll({ kind: 'list', query: feedUri, limit: 1 });
    expect(picks.map((p) => p.id)).toEqual([idOf(refs.b1!), idOf(refs.a2!)]);
  });

  it('normalizes a post: entities at the right places despite emoji, link to bsky.app', async () => {
    const [post] = await firstPage({ kind: 'user', query: 'alice.test', limit: 1 });
    expect(post!.url).toBe(`https://bsky.app/profile/alice.test/post/${refs.aEmoji!.uri.split('/').pop()}`);
    expect(post!.entities.map((e) => [e.kind, post!.text.slice(e.start, e.end), e.value])).toEqual([
      ['hashtag', '#tag', 'tag'],
      ['link', 'https://example.com/page', 'https://example.com/page'],
      ['mention', '@casey.test', 'casey.test'],
    ]);
    expect(post!.metrics.impressions).toBeNull();
  });

  it('a link facet keeps its full address as the target and the text as written', async () => {
    const posts = await readAll({ kind: 'user', query: 'quinn.test', limit: 50 });
    const post = posts.find((p) => p.id === idOf(refs.qLink!))!;
    expect(post.text).toBe('read example.com/guide…');
    expect(post.entities).toEqual([
      { kind: 'link', start: 5, end: 23, value: 'https://example.com/guide/to/everything?ref=1' },
    ]);
  });
});

describe('quotes', () => {
  let quinnPosts: Post[];
  beforeAll(async () => {
    quinnPosts = await readAll({ kind: 'user', query: 'quinn.test', limit: 50 });
  });
  const quoting = (key: string) => quinnPosts.find((p) => p.id === idOf(refs[key]!));

  it('a quote shows the quoted post inside, with its author, text, facets and counts', async () => {
    const [entry] = (await readEntries({ kind: 'mentions', limit: 50 })).filter(
      (e) => e.notification?.kind === 'quote',
    );
    const quote = entry?.post?.quote;
    expect(quote).toMatchObject({
      id: idOf(refs.c1!),
      text: 'Good morning from Casey #colonnade',
      author: { handle: 'casey.test' },
      entities: [{ kind: 'hashtag', value: 'colonnade', start: 24, end: 34 }],
    });
    expect(quote?.metrics).toMatchObject({ likes: 2, reposts: 1, replies: 1, quotes: 1 });
    expect(entry?.post?.quoteUnavailable).toBeUndefined();
  });

  it('a quote with media keeps the media on the quoting post and the quoted post inside', () => {
    const post = quoting('qMedia')!;
    expect(post.media).toEqual([expect.objectContaining({ kind: 'image', alt: 'a small grey picture' })]);
    expect(post.quote).toMatchObject({ id: idOf(refs.a2!), text: 'alice update 2 #colonnade', media: [] });
  });

  it('says in words why a quoted record cannot be shown', () => {
    expect(quoting('qDeleted')).toMatchObject({ quoteUnavailable: 'The quoted post was deleted.' });
    // A post quoting someone who blocked the viewer is left out of lists, as the AppView and
    // @atproto/api's moderation (contentList filter) do; its words are tested in normalize.test.ts.
    expect(quoting('qBlocked')).toBeUndefined();
    expect(quoting('qDetached')).toMatchObject({
      quoteUnavailable: 'The author of the quoted post detached it from this post.',
    });
    expect(quoting('qList')).toMatchObject({ quoteUnavailable: 'A list: “Friends” by @casey.test.' });
    expect(quoting('qFeed')).toMatchObject({ quoteUnavailable: 'A custom feed: “Casey picks” by @casey.test.' });
    for (const key of ['qDeleted', 'qBlocked', 'qDetached', 'qList', 'qFeed'])
      expect(quoting(key)?.quote).toBeUndefined();
  });
});

describe('link cards', () => {
  let quinnPosts: Post[];
  beforeAll(async () => {
    quinnPosts = await readAll({ kind: 'user', query: 'quinn.test', limit: 50 });
  });
  const byKey = (key: string) => quinnPosts.find((p) => p.id === idOf(refs[key]!));

  it('a link-card post whose text has no URL carries its link, title, description and thumbnail', () => {
    const post = byKey('qCard')!;
    expect(post.text).toBe('New on the blog');
    expect(post.entities).toEqual([]);
    expect(post.card).toMatchObject({
      url: 'https://blog.example/posts/42',
      title: 'Forty-two',
      description: 'Why 42 is the answer',
    });
    // The AppView's CDN address of the uploaded thumbnail (its blob CID inside).
    expect(post.card?.imageUrl).toContain(cardThumbCid);
  });

  it('a quote whose media is a link card keeps both; a quoted link-card post keeps its card inside', () => {
    const both = byKey('qCardQuote')!;
    expect(both.card).toEqual({ url: 'https://guide.example/', title: '' });
    expect(both.quote).toMatchObject({ id: idOf(refs.b3!), text: 'bob note 3 about lighthouses' });
    const quoting = byKey('qQuotesCard')!;
    expect(quoting.card).toBeUndefined();
    expect(quoting.quote?.card).toMatchObject({ url: 'https://blog.example/posts/42', title: 'Forty-two' });
  });
});

describe('the viewer’s moderation', () => {
  const laraColumn = async (using: NetworkAdapter) => {
    const page = await using.readTimeline({ kind: 'user', query: 'lara.test', limit: 50, direction: 'older' });
    expect(page.skipped).toBeUndefined(); // left out by moderation is not "could not read"
    return new Map(page.items.map((e) => [e.post!.text, e.post!]));
  };

  it('with Bluesky’s defaults: adult and graphic media left out, nudity shown', async () => {
    const posts = await laraColumn(adapter);
    expect([...posts.keys()].sort()).toEqual(['lara nudity', 'lara plain']);
    expect(posts.get('lara plain')?.moderation).toBeUndefined();
    expect(posts.get('lara nudity')?.moderation).toBeUndefined(); // nudity: 'ignore' by default
  });

  it('with adult content on and labels set to warn: media hidden behind the label’s name', async () => {
    await casey.agent.setAdultContentEnabled(true);
    await casey.agent.setContentLabelPref('porn', 'warn');
    await casey.agent.setContentLabelPref('nudity', 'warn');
    await casey.agent.setContentLabelPref('graphic-media', 'warn');
    const posts = await laraColumn(createBlueskyAdapter(creds, recordingContext()));
    expect(posts.get('lara porn')?.moderation).toEqual([{ scope: 'media', source: 'label', text: 'Adult content' }]);
    expect(posts.get('lara graphic')?.moderation).toEqual([{ scope: 'media', source: 'label', text: 'Graphic media' }]);
    expect(posts.get('lara nudity')?.moderation).toEqual([
      { scope: 'media', source: 'label', text: 'Non-sexual nudity' },
    ]);
    expect(posts.get('lara porn')?.media).toHaveLength(1);
    await casey.agent.setAdultContentEnabled(false);
  });
});

describe('posts the network no longer has', () => {
  it('a deleted post and a deactivated author’s are gone; a post hidden by a block either way is not', async () => {
    const vic = await net.createAccount('vic'); // leaves Bluesky (deactivates her account)
    const kept = await net.post(bob, 'bob keeps this one');
    const deleted = await net.post(bob, 'bob deletes this one');
    const vicPost = await net.post(vic, 'vic, before leaving');
    const frankPost = await net.post(frank, 'frank, whom casey blocks');
    await net.sync();
    // erin blocks casey, casey blocks frank: getPosts leaves their posts out, but they exist.
    const ids = [kept, deleted, vicPost, frankPost, refs.eNote!].map(idOf);
    const before = await adapter.refreshMetrics(ids);
    expect(before.gone).toEqual([]);
    expect([...before.metrics.keys()].sort()).toEqual([kept, deleted, vicPost].map(idOf).sort());

    await net.deleteRecord(bob, deleted.uri);
    await vic.agent.com.atproto.server.deactivateAccount({});
    await net.sync();
    const after = await adapter.refreshMetrics(ids);
    expect([...after.metrics.keys()]).toEqual([idOf(kept)]);
    expect(after.gone.sort()).toEqual([deleted, vicPost].map(idOf).sort());
  });

  it('looks up the author of a post hidden by a block once per 30 minutes, not at every metrics poll', async () => {
    let offset = 0;
    const asked: string[] = [];
    const fetchStub: typeof fetch = async (input, init) => {
      const req = new Request(input, init);
      asked.push(new URL(req.url).pathname);
      return fetch(req);
    };
    const own = { ...recordingContext(), clock: { ...systemClock, now: () => Date.now() + offset } };
    const a = new BlueskyAdapter(creds, own, { fetch: fetchStub });
    const count = (method: string) => asked.filter((p) => p === `/xrpc/${method}`).length;
    // erin blocks casey: getPosts leaves erin's post out at every poll; it is not gone.
    for (let poll = 0; poll < 3; poll++) expect((await a.refreshMetrics([idOf(refs.eNote!)])).gone).toEqual([]);
    expect(count('app.bsky.feed.getPosts')).toBe(3);
    expect(count('app.bsky.actor.getProfiles')).toBe(1);
    // The same verdict answers a like meanwhile, without a look-up.
    expect(await failure(a.act(idOf(refs.eNote!), 'like'))).toMatchObject({ reason: 'blocked-by' });
    expect(count('app.bsky.actor.getProfiles')).toBe(1);
    offset = 31 * 60_000;
    expect((await a.refreshMetrics([idOf(refs.eNote!)])).gone).toEqual([]);
    expect(count('app.bsky.actor.getProfiles')).toBe(2);
  });

  it('liking a post hidden by a block says who blocked whom, never that the post was deleted', async () => {
    // erin blocks casey; casey blocks frank. Both posts exist, so the column must keep them.
    const frankPost = await net.post(frank, 'frank, still here');
    await net.sync();
    const byErin = await failure(adapter.act(idOf(refs.eNote!), 'like'));
    expect(byErin).toMatchObject({ code: 'not-allowed', reason: 'blocked-by', params: { name: '@erin.test' } });
    const ofFrank = await failure(adapter.act(idOf(frankPost), 'like'));
    expect(ofFrank).toMatchObject({ code: 'not-allowed', reason: 'blocking', params: { name: '@frank.test' } });
  });
});

describe('metrics and actions', () => {
  it('refreshMetrics follows likes, reposts, replies and quotes', async () => {
    const id = idOf(refs.a1!);
    const before = (await adapter.refreshMetrics([id, 'x:elsewhere']).then((m) => m.metrics.get(id)))!;
    expect(before).toEqual({ likes: 0, reposts: 0, replies: 0, quotes: 0, impressions: null, bookmarks: 0 });
    await net.like(bob, refs.a1!);
    await net.like(dan, refs.a1!);
    await net.repost(dan, refs.a1!);
    await net.sync();
    const after = (await adapter.refreshMetrics([id, 'x:elsewhere'])).metrics;
    expect([...after.keys()]).toEqual([id]);
    expect(after.get(id)).toMatchObject({ likes: 2, reposts: 1 });
    const c1 = (await adapter.refreshMetrics([idOf(refs.c1!)])).metrics.get(idOf(refs.c1!));
    expect(c1).toMatchObject({ likes: 2, reposts: 1, replies: 1, quotes: 1 });
  });

  it('likes, unlikes, reposts and unreposts as the account', async () => {
    const id = idOf(refs.b2!);
    await adapter.act(id, 'like');
    await adapter.act(id, 'like'); // twice is still one like
    await adapter.act(id, 'repost');
    await net.sync();
    const [post] = await firstPage({ kind: 'search', query: 'bob note 2', limit: 5 });
    expect(post).toMatchObject({ id, viewer: { liked: true, reposted: true } });
    expect(post?.metrics).toMatchObject({ likes: 1, reposts: 1 });
    // A fresh adapter (nothing remembered) reads the same from the network's `viewer`.
    const [again] = await firstPage(
      { kind: 'search', query: 'bob note 2', limit: 5 },
      createBlueskyAdapter(creds, recordingContext()),
    );
    expect(again?.viewer).toEqual({ liked: true, reposted: true });
    await adapter.act(id, 'unlike');
    await adapter.act(id, 'unrepost');
    await net.sync();
    expect((await adapter.refreshMetrics([id])).metrics.get(id)).toMatchObject({ likes: 0, reposts: 0 });
  });

  it('deletes its own posts only', async () => {
    const mine = await net.post(casey, 'to be deleted');
    await net.sync();
    await adapter.act(idOf(mine), 'delete');
    await net.sync();
    expect(await adapter.refreshMetrics([idOf(mine)])).toEqual({ metrics: new Map(), gone: [idOf(mine)] });
    expect(await failure(adapter.act(idOf(refs.a3!), 'delete'))).toMatchObject({
      code: 'not-allowed',
      reason: 'not-your-post',
    });
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
    expect(tagged.items.map((e) => e.post?.id)).toEqual([post.id]);
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
    const [read] = await firstPage({ kind: 'user', query: 'casey.test', limit: 1 });
    expect(read?.id).toBe(post.id);
    expect(read?.media).toEqual([
      expect.objectContaining({ kind: 'image', alt: 'A grey rectangle, wider than tall', width: 6, height: 4 }),
    ]);
    expect(read?.media[0]?.url).toMatch(/^https?:\/\//);
  });

  it('publishes a video with its alt text (app.bsky.embed.video, the mp4 uploaded to the PDS), telling progress', async () => {
    const progress: UploadProgress[] = [];
    const post = await adapter.publish({
      text: 'Our new clip',
      media: [
        {
          data: MP4,
          mimeType: 'video/mp4',
          alt: 'A coloured square, a white bar moving across',
          width: 32,
          height: 32,
          durationSec: 1,
        },
      ],
      idempotencyKey: 'k-video',
      onProgress: (p) => void progress.push(p),
    });
    await net.sync();
    const view = (await casey.agent.app.bsky.feed.getPosts({ uris: [decodeURIComponent(post.nativeId)] })).data
      .posts[0];
    expect(view?.embed).toMatchObject({
      $type: 'app.bsky.embed.video#view',
      alt: 'A coloured square, a white bar moving across',
      aspectRatio: { width: 32, height: 32 },
    });
    const record = view?.record as { embed?: { video?: { mimeType?: string; size?: number }; presentation?: string } };
    expect(record.embed).toMatchObject({
      video: { mimeType: 'video/mp4', size: MP4.byteLength },
      presentation: 'default',
    });
    const [read] = await firstPage({ kind: 'user', query: 'casey.test', limit: 1 });
    expect(read?.media).toEqual([
      expect.objectContaining({ kind: 'video', alt: 'A coloured square, a white bar moving across' }),
    ]);
    expect(progress.at(-1)).toEqual({ sent: MP4.byteLength, total: MP4.byteLength });
  });

  it('publishes a GIF as the MP4 the composer made of it, presented as a GIF', async () => {
    const post = await adapter.publish({
      text: 'It moves',
      media: [{ data: png(2, 2), mimeType: 'image/gif', alt: 'A dancing column', asVideo: MP4, width: 32, height: 32 }],
      idempotencyKey: 'k-gif',
    });
    await net.sync();
    const view = (await casey.agent.app.bsky.feed.getPosts({ uris: [decodeURIComponent(post.nativeId)] })).data
      .posts[0];
    expect(view?.embed).toMatchObject({
      $type: 'app.bsky.embed.video#view',
      alt: 'A dancing column',
      presentation: 'gif',
    });
    const [read] = await firstPage({ kind: 'user', query: 'casey.test', limit: 1 });
    expect(read?.media).toEqual([expect.objectContaining({ kind: 'gif', alt: 'A dancing column' })]);
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
    const { metrics } = await adapter.refreshMetrics([idOf(refs.a4!), idOf(refs.a5!)]);
    expect(metrics.get(idOf(refs.a4!))?.quotes).toBe(1);
    const read = (await adapter.refreshMetrics([withImage.id])).metrics.get(withImage.id);
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

  it('refuses what Bluesky would refuse, in words, before sending', async () => {
    expect(await failure(adapter.publish({ text: 'x'.repeat(301), idempotencyKey: 'k-long' }))).toMatchObject({
      code: 'invalid',
      field: 'text',
      reason: 'too-long',
      params: { max: '300', unit: 'characters', length: '301' },
    });
    const media = Array.from({ length: 5 }, () => ({ data: png(1, 1), mimeType: 'image/png', alt: '' }));
    expect(await failure(adapter.publish({ text: 'five', media, idempotencyKey: 'k-five' }))).toMatchObject({
      code: 'invalid',
      reason: 'too-many-images',
      params: { max: '4' },
    });
    expect(adapter.textRules()).toEqual({
      counting: 'graphemes',
      maxLength: 300,
      maxBytes: 3000,
      maxImages: 4,
      maxAltLength: 2000,
    });
    // Bluesky counts graphemes: 300 emoji (600 UTF-16 units, 1,200 bytes) fit...
    expect(await code(adapter.publish({ text: '👋'.repeat(300), idempotencyKey: 'k-waves' }))).toBe('no error');
    // ...but a post is also at most 3,000 bytes: 299 family emoji (18 bytes each) and a letter
    // are 300 graphemes, and 5,383 bytes.
    const family = '👨‍👩‍👧'.repeat(299) + 'a';
    expect(await failure(adapter.publish({ text: family, idempotencyKey: 'k-family' }))).toMatchObject({
      code: 'invalid',
      field: 'text',
      reason: 'too-long',
      params: { max: '3000', unit: 'bytes', length: '5383' },
    });
    await net.sync();
    expect(await readAll({ kind: 'search', query: '👨‍👩‍👧', limit: 5 })).toEqual([]);
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
    expect(await failure(createBlueskyAdapter(wrong, recordingContext()).verify())).toMatchObject({
      code: 'auth-expired',
      reason: 'app-password-revoked',
      params: { name: '@casey.test' },
    });

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
    const own = recordingContext();
    const a = new BlueskyAdapter(creds, own, { fetch: fetchStub });
    await a.verify();
    const resetAt = new Date(1_900_000_000_000).toISOString();
    expect(a.rateLimit()).toEqual({ limit: 3000, remaining: 2999, resetAt });
    // Every answer's window is told to the app, as the bucket every read draws from.
    expect(own.windows.length).toBeGreaterThanOrEqual(2); // the session's refresh, then getProfile
    expect(own.windows.at(-1)).toEqual({ bucket: 'requests', limit: 3000, remaining: 2999, resetAt });
    expect(a.rateBucket('home').bucket).toBe('requests');

    const json = (status: number, body: object, headers: Record<string, string> = {}) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
    const timeline = (res: Response) => (url: string) => (url.includes('getTimeline') ? res : null);
    const read = () => a.readTimeline({ kind: 'home', limit: 1, direction: 'older' });

    answer = timeline(json(429, { error: 'RateLimitExceeded', message: 'slow' }, { 'ratelimit-reset': '1900000000' }));
    expect(await failure(read())).toMatchObject({
      code: 'rate-limited',
      reason: 'rate-limited',
      resetAt: new Date(1_900_000_000_000).toISOString(),
      detail: 'slow',
    });
    answer = timeline(json(400, { error: 'InvalidRequest', message: 'bad cursor' }));
    expect(await failure(read())).toMatchObject({ code: 'invalid', reason: 'invalid-request', detail: 'bad cursor' });
    answer = timeline(json(400, { error: 'RecordNotFound', message: 'Could not locate record' }));
    expect(await failure(read())).toMatchObject({ code: 'not-found', reason: 'deleted' });
    answer = timeline(json(404, { error: 'NotFound', message: 'gone' }));
    expect(await failure(read())).toMatchObject({ code: 'not-found', reason: 'deleted' });
    answer = timeline(json(400, { error: 'AccountTakedown', message: 'Account has been taken down' }));
    expect(await failure(read())).toMatchObject({ code: 'not-allowed', reason: 'account-takedown' });
    answer = timeline(json(502, { error: 'UpstreamFailure', message: 'down' }));
    expect(await failure(read())).toMatchObject({ code: 'transient', reason: 'server-error', detail: 'down' });
    // A body that is not an XRPC error at all (a proxy's HTML page).
    answer = timeline(new Response('<html>oops</html>', { status: 500, headers: { 'content-type': 'text/html' } }));
    expect(await failure(read())).toMatchObject({ code: 'transient', reason: 'server-error' });
    answer = null;
    expect((await read()).items).toHaveLength(1);
  });

  it('one unreadable item never hides the others: it is left out, logged with its uri, and counted', async () => {
    const real = await casey.agent.app.bsky.feed.getAuthorFeed({ actor: 'alice.test', limit: 6 });
    const feed = structuredClone(real.data.feed) as unknown as Array<
      Record<string, unknown> & { post: Record<string, unknown> }
    >;
    const uris = feed.map((item) => item.post.uri as string);
    // 0: an embed of a type Colonnade does not know (shown, the embed named: lexicon unions are
    // open); 1: no author; 2: a record that is not a valid post; 3: a feed item that is a
    // #blockedPost instead of a post; 4, 5: fine.
    feed[0]!.post.embed = { $type: 'app.bsky.embed.unknownThing#view', thing: 1 };
    delete feed[1]!.post.author;
    feed[2]!.post.record = { $type: 'app.bsky.feed.post', text: 42, createdAt: 'yesterday' };
    feed[3]!.post = {
      $type: 'app.bsky.feed.defs#blockedPost',
      uri: uris[3],
      blocked: true,
      author: { did: 'did:plc:x' },
    };
    const fetchStub: typeof fetch = async (input, init) => {
      const req = new Request(input, init);
      if (!req.url.includes('getAuthorFeed')) return fetch(req);
      return new Response(JSON.stringify({ feed, cursor: 'next' }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    };
    const own = recordingContext();
    const a = new BlueskyAdapter(creds, own, { fetch: fetchStub });
    const page = await a.readTimeline({ kind: 'user', query: 'alice.test', limit: 6, direction: 'older' });
    const shown = [uris[0]!, ...uris.slice(4)];
    expect(page.items.map((e) => e.post?.id)).toEqual(shown.map((uri) => `bluesky:${encodeURIComponent(uri)}`));
    expect(page.items[0]?.post).toMatchObject({
      text: real.data.feed[0]?.post.record.text,
      unsupported: 'app.bsky.embed.unknownThing#view',
    });
    expect(page.skipped).toBe(3);
    expect(page.older).not.toBeNull();
    const warnings = own.log.lines.filter((l) => l.level === 'warn').map((l) => String(l.fields?.uri));
    expect(warnings.sort()).toEqual(uris.slice(1, 4).sort());
  });

  it('answers offline, with the reason, once the network is gone', async () => {
    await net.close();
    expect(await failure(adapter.readTimeline({ kind: 'home', limit: 1, direction: 'older' }))).toMatchObject({
      code: 'offline',
      reason: 'unreachable',
    });
    expect(await code(createBlueskyAdapter(creds, recordingContext()).verify())).toBe('offline');
  });
});
