// The side panel on Bluesky against a real local network (PLC, PDS, AppView from
// @atproto/dev-env): a post in its conversation (getPostThread) with the viewer's moderation and
// the thread's hidden replies, a profile's page (getProfile), and each post's language.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../../../src/shared/i18n/en.json';
import fr from '../../../../src/shared/i18n/fr.json';
import { connectBluesky, createBlueskyAdapter } from '../../../../src/main/networks/bluesky';
import type { NetworkAdapter } from '../../../../src/shared/adapter';
import { ColonnadeError } from '../../../../src/shared/errors';
import { ProfileDetailsSchema, ThreadViewSchema, type ThreadView } from '../../../../src/shared/model';
import { png, recordingContext } from '../../../support/bluesky-fixtures';
import {
  startBlueskyNetwork,
  type BlueskyTestAccount,
  type BlueskyTestNetwork,
  type StrongRef,
} from '../../../support/bluesky-network';

let net: BlueskyTestNetwork;
/** The viewer: follows alice; mutes mo; blocks frank. */
let casey: BlueskyTestAccount;
let alice: BlueskyTestAccount;
let bob: BlueskyTestAccount;
let dan: BlueskyTestAccount;
/** Blocks casey. */
let erin: BlueskyTestAccount;
/** Blocked by casey. */
let frank: BlueskyTestAccount;
/** Muted by casey. */
let mo: BlueskyTestAccount;
let adapter: NetworkAdapter;
const refs: Record<string, StrongRef> = {};

const idOf = (ref: StrongRef) => `bluesky:${encodeURIComponent(ref.uri)}`;
const reply = (root: StrongRef, parent: StrongRef) => ({ root, parent });
const shape = (view: ThreadView) => ({
  ancestors: view.ancestors.map((p) => p.text),
  post: view.post.text,
  replies: view.replies.map((r) => `${r.depth} ${r.post.text}`),
});

async function refusal(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ColonnadeError) return { ...err.toJSON() };
    throw err;
  }
  throw new Error('expected a refusal');
}

beforeAll(async () => {
  net = await startBlueskyNetwork();
  casey = await net.createAccount('casey');
  alice = await net.createAccount('alice');
  bob = await net.createAccount('bob');
  dan = await net.createAccount('dan');
  erin = await net.createAccount('erin');
  frank = await net.createAccount('frank');
  mo = await net.createAccount('mo-muted');
  await net.follow(casey, alice);
  await net.follow(alice, casey);
  await net.block(erin, casey);
  await net.block(casey, frank);
  await net.mute(casey, mo);

  // The conversation, oldest first.
  const root = (refs.root = await net.post(alice, { text: 'Où est la feuille de route ?', langs: ['fr'] }));
  refs.bob = await net.post(bob, { text: 'In the wiki, under Planning', replyTo: reply(root, root) });
  refs.dan = await net.post(dan, { text: 'The page moved', replyTo: reply(root, refs.bob) });
  refs.aliceDeep = await net.post(alice, {
    text: 'Moved where?',
    replyTo: reply(root, refs.dan),
    langs: ['en-GB', 'fr'],
  });
  refs.press = await net.post(dan, { text: 'Ask the press desk', replyTo: reply(root, root) });
  // Hidden by alice's threadgate, with the reply under it.
  refs.offTopic = await net.post(bob, { text: 'Off topic: lunch?', replyTo: reply(root, root) });
  refs.underOffTopic = await net.post(dan, { text: 'Pizza', replyTo: reply(root, refs.offTopic) });
  // From accounts the viewer's moderation keeps out, or a block stands between.
  refs.muted = await net.post(mo, { text: 'mo chimes in', replyTo: reply(root, root) });
  refs.erin = await net.post(erin, { text: 'erin replies', replyTo: reply(root, root) });
  refs.frank = await net.post(frank, { text: 'frank replies', replyTo: reply(root, root) });
  await net.threadgate(alice, root, [refs.offTopic.uri]);

  // A chain whose middle post is deleted, and posts that are gone or behind a block.
  refs.chainTop = await net.post(alice, 'A chain starts');
  refs.chainMiddle = await net.post(bob, { text: 'soon deleted', replyTo: reply(refs.chainTop, refs.chainTop) });
  refs.chainEnd = await net.post(dan, { text: 'The chain goes on', replyTo: reply(refs.chainTop, refs.chainMiddle) });
  await net.deleteRecord(bob, refs.chainMiddle.uri);
  refs.doomed = await net.post(bob, 'Deleted before anyone reads it');
  await net.deleteRecord(bob, refs.doomed.uri);
  refs.erinAlone = await net.post(erin, 'erin on her own');
  refs.moAlone = await net.post(mo, 'mo on his own');

  // A chain eleven replies deep: the thread is asked ten levels down.
  refs.deep0 = await net.post(alice, 'How deep does it go?');
  for (let n = 1; n <= 11; n++) {
    refs[`deep${n}`] = await net.post(n % 2 ? bob : dan, {
      text: `level ${n}`,
      replyTo: reply(refs.deep0, refs[`deep${n - 1}`]!),
    });
  }

  await net.updateProfile(alice, {
    description: 'Roadmaps and coffee',
    banner: png(30, 10),
    labels: ['!no-unauthenticated'],
  });
  await net.sync();

  const creds = await connectBluesky({ service: net.pdsUrl, identifier: casey.handle, appPassword: casey.password });
  adapter = createBlueskyAdapter(creds, recordingContext());
}, 180_000);

afterAll(async () => {
  await net?.close();
}, 60_000);

describe('Bluesky threads', () => {
  it('shows the root first and the replies nested, depth first, as the AppView orders them', async () => {
    const view = ThreadViewSchema.parse(await adapter.thread(idOf(refs.root!)));
    expect(shape(view)).toEqual({
      ancestors: [],
      post: 'Où est la feuille de route ?',
      // Siblings newest first, as this AppView serves them (data-plane threads.js: ORDER BY sortAt
      // DESC), each branch followed down before the next.
      replies: ['1 Ask the press desk', '1 In the wiki, under Planning', '2 The page moved', '3 Moved where?'],
    });

    const middle = await adapter.thread(idOf(refs.dan!));
    expect(shape(middle)).toEqual({
      ancestors: ['Où est la feuille de route ?', 'In the wiki, under Planning'],
      post: 'The page moved',
      replies: ['1 Moved where?'],
    });
    expect(middle.more).toBe(0);
    expect(middle.notes).toBeUndefined();
  });

  it('leaves out hidden, muted and blocked replies, counts them in `more` and says why', async () => {
    const view = await adapter.thread(idOf(refs.root!));
    const shown = view.replies.map((r) => r.post.text);
    for (const text of ['Off topic: lunch?', 'Pizza', 'mo chimes in', 'erin replies', 'frank replies'])
      expect(shown).not.toContain(text);
    // 2 hidden by alice's threadgate (the reply and the one under it), 1 muted, 2 behind blocks.
    expect(view.more).toBe(5);
    expect(view.notes).toEqual([
      { reason: 'thread-replies-hidden-by-author', count: 2 },
      { reason: 'thread-replies-moderated', count: 1 },
      { reason: 'thread-replies-blocked', count: 2 },
    ]);
  });

  it('shows a hidden reply to its own author, and a post she opened whatever hides it from feeds', async () => {
    const asBob = createBlueskyAdapter(
      await connectBluesky({ service: net.pdsUrl, identifier: bob.handle, appPassword: bob.password }),
      recordingContext(),
    );
    const bobsView = await asBob.thread(idOf(refs.root!));
    expect(bobsView.replies.map((r) => r.post.text)).toContain('Off topic: lunch?');

    const muted = await adapter.thread(idOf(refs.moAlone!));
    expect(muted.post.text).toBe('mo on his own');
    expect(muted.post.moderation).toEqual([{ scope: 'post', source: 'filter', text: 'Muted account' }]);
  });

  it('counts the replies deeper than it asks for', async () => {
    const view = await adapter.thread(idOf(refs.deep0!));
    expect(view.replies.map((r) => r.depth)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(view.replies.at(-1)?.post.text).toBe('level 10');
    expect(view.more).toBe(1);
    expect(view.notes).toEqual([{ reason: 'thread-bluesky-replies-unserved', count: 1 }]);
  });

  it('says when an earlier post of the conversation was deleted', async () => {
    const view = await adapter.thread(idOf(refs.chainEnd!));
    expect(view.ancestors).toEqual([]);
    expect(view.notes).toEqual([{ reason: 'thread-ancestor-deleted' }]);
  });

  it('a deleted or unknown post is not-found with reason post-gone; a blocked one says who blocks', async () => {
    expect(await refusal(adapter.thread(idOf(refs.doomed!)))).toMatchObject({
      code: 'not-found',
      reason: 'post-gone',
    });
    const never = { uri: `at://${bob.did}/app.bsky.feed.post/3zzzzzzzzzzzz`, cid: '' };
    expect(await refusal(adapter.thread(idOf(never)))).toMatchObject({ code: 'not-found', reason: 'post-gone' });
    expect(en.reasons['post-gone']).toBeTruthy();
    expect(fr.reasons['post-gone']).toBeTruthy();
    expect(await refusal(adapter.thread(idOf(refs.erinAlone!)))).toMatchObject({
      code: 'not-allowed',
      reason: 'blocked-by',
      params: { name: `@${erin.handle}` },
    });
  });

  it('keeps each post’s first stated language', async () => {
    const view = await adapter.thread(idOf(refs.root!));
    expect(view.post.language).toBe('fr');
    const byText = new Map(view.replies.map((r) => [r.post.text, r.post.language]));
    expect(byText.get('Moved where?')).toBe('en-GB');
    expect(byText.get('In the wiki, under Planning')).toBeUndefined();
    const column = await adapter.readTimeline({ kind: 'user', query: alice.handle, direction: 'older', limit: 20 });
    expect(column.items.find((e) => e.post?.text === 'Où est la feuille de route ?')?.post?.language).toBe('fr');
  });
});

describe('Bluesky profiles', () => {
  it('shows the bio, counts, banner, labels and how the viewer relates to the account', async () => {
    const profile = ProfileDetailsSchema.parse(await adapter.profile(`@${alice.handle}`));
    expect(profile).toMatchObject({
      id: `bluesky:${alice.did}`,
      handle: alice.handle,
      displayName: 'Alice',
      bio: 'Roadmaps and coffee',
      followers: 1,
      following: 1,
      posts: 4, // the root, 'Moved where?', the chain's top and the deep one's
      viewer: { following: true, followedBy: true },
      flags: ['!no-unauthenticated'],
    });
    expect(profile.bannerUrl).toMatch(/^https?:\/\//);

    const stranger = await adapter.profile(dan.handle);
    expect(stranger).toMatchObject({ viewer: { following: false, followedBy: false }, bannerUrl: null, bio: '' });
    expect(stranger.flags).toBeUndefined();
    // Her own page: no relation to herself.
    expect((await adapter.profile(casey.handle)).viewer).toBeUndefined();
  });

  it('says who blocks or mutes whom in flags', async () => {
    expect((await adapter.profile(erin.handle)).flags).toEqual(['blocked-by']);
    expect((await adapter.profile(frank.handle)).flags).toEqual(['blocking']);
    expect((await adapter.profile(mo.handle)).flags).toEqual(['muting']);
  });

  it('an unknown handle is not-found, naming it', async () => {
    expect(await refusal(adapter.profile('nobody.test'))).toMatchObject({
      code: 'not-found',
      reason: 'profile-not-found',
      params: { name: '@nobody.test' },
    });
    expect(en.reasons['profile-not-found']).toContain('{{name}}');
    expect(fr.reasons['profile-not-found']).toContain('{{name}}');
  });
});
