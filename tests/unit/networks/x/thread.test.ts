// A post's conversation and an author's profile (the side panel), against the X emulator: what
// the CM sees above and below a post, in X's order, what X could not serve, and what it costs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ColonnadeError } from '../../../../src/shared/errors';
import { ProfileDetailsSchema, ThreadViewSchema, type ThreadView } from '../../../../src/shared/model';
import { languageOf } from '../../../../src/main/networks/x/normalize';
import { ME_ID, type XEmulator } from '../../../emulators/x';
import type { XUser } from '../../../emulators/x/state';
import { rig, useEmulator, type Rig } from './harness';

const en = JSON.parse(readFileSync(new URL('../../../../src/shared/i18n/en.json', import.meta.url), 'utf8'));
const fr = JSON.parse(readFileSync(new URL('../../../../src/shared/i18n/fr.json', import.meta.url), 'utf8'));

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

async function caught(p: Promise<unknown>): Promise<ColonnadeError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ColonnadeError);
  return err as ColonnadeError;
}

/** The seeded users by handle (see emulators/x/state.ts: the CM follows the first six). */
function user(emu: XEmulator, username: string): XUser {
  const u = emu.state.userByName(username);
  if (!u) throw new Error(`no ${username}`);
  return u;
}

/** Each reply as `depth text`, in the order the panel shows them. */
const outline = (view: ThreadView) => view.replies.map((r) => `${r.depth} ${r.post.text}`);

describe('X thread: a post in its conversation', () => {
  let emu: XEmulator;
  let r: Rig;
  useEmulator({}, (e) => {
    emu = e;
    r = rig(e);
  });

  it('shows what the post replies to, root first, and its replies as X groups and ranks them', async () => {
    const at = Date.now() - 60 * MINUTE;
    const id = (name: string) => user(emu, name).id;
    const add = (name: string, text: string, minutes: number, replyTo?: string, lang?: string) =>
      emu.control.addTweet({
        authorId: name === 'me' ? ME_ID : id(name),
        text,
        createdAt: at + minutes * MINUTE,
        ...(replyTo ? { replyTo } : {}),
        ...(lang ? { lang } : {}),
      }).id;
    const root = add('ada_makes', 'Root: which bike for a hilly commute?', 0);
    const mid = add('me', 'Ours, of course', 1, root);
    // The post the panel opens, by brew_lab; eco_elle answers above it, in another branch.
    const post = add('brew_lab', 'Depends on the hills', 2, mid);
    add('eco_elle', 'Another branch, not below the post', 3, mid);
    // Its replies: harbor_news and gallery_gus are not followed by the CM, dev_dora and
    // cityrunner are; brew_lab (the post's author) answers gallery_gus and adds to its own post.
    const a = add('harbor_news', 'A: steep ones?', 4, post, 'fr');
    const b = add('gallery_gus', 'B: and the rain?', 5, post, 'qme');
    add('brew_lab', 'B1: the author answers', 6, b);
    add('dev_dora', 'C: followed by the CM', 7, post);
    const d = add('brew_lab', 'D: the author adds more', 8, post);
    add('harbor_news', 'D1: under the author', 9, d);
    const a1 = add('cityrunner', 'A1: under A', 10, a);
    add('gallery_gus', 'A1a: three deep', 11, a1);

    await r.adapter.verify();
    r.reads.length = 0;
    const served = emu.served.length;
    const requests = emu.requests.length;
    const view = await r.adapter.thread(`x:${post}`);
    ThreadViewSchema.parse(view);

    expect(view.post.id).toBe(`x:${post}`);
    expect(view.ancestors.map((p) => p.text)).toEqual(['Root: which bike for a hilly commute?', 'Ours, of course']);
    // The author's own reply first, then the one the author answered, then the followed
    // account's, then the rest oldest first; each reply followed by its own replies.
    expect(outline(view)).toEqual([
      '1 D: the author adds more',
      '2 D1: under the author',
      '1 B: and the rain?',
      '2 B1: the author answers',
      '1 C: followed by the CM',
      '1 A: steep ones?',
      '2 A1: under A',
      '3 A1a: three deep',
    ]);
    expect(view.replies.every((reply) => reply.post.replyTo)).toBe(true);
    expect(view.more).toBe(0);
    expect(view.notes).toBeUndefined();
    // The post and the search: the posts above came with them, no more requests (each is billed).
    expect(emu.requests.slice(requests).map((q) => q.endpoint)).toEqual([
      'GET /2/tweets',
      'GET /2/tweets/search/recent',
    ]);
    const billed = emu.served.slice(served).reduce((n, s) => n + s.ids.length, 0);
    expect(r.reads.reduce((n, x) => n + x.posts + x.ownPosts, 0)).toBe(billed);
    expect(r.reads.every((x) => x.purpose === 'timeline')).toBe(true);
    // Each post in its language as X states it; X's "media links only" code is not a language.
    const byText = new Map(view.replies.map((reply) => [reply.post.text.slice(0, 2), reply.post]));
    expect(byText.get('A:')?.language).toBe('fr');
    expect(byText.get('B:')?.language).toBeUndefined();
    expect(byText.get('C:')?.language).toBe('en');
  });

  it('counts the replies X has and did not serve, and says when the post is older than search reaches', async () => {
    const now = Date.now();
    const old = emu.control.addTweet({
      authorId: user(emu, 'ada_makes').id,
      text: 'Nine days old',
      createdAt: now - 9 * DAY,
    });
    emu.control.addTweet({ authorId: ME_ID, text: 'Eight days old', createdAt: now - 8 * DAY, replyTo: old.id });
    emu.control.addTweet({ authorId: ME_ID, text: 'Yesterday', createdAt: now - DAY, replyTo: old.id });

    const view = await r.adapter.thread(`x:${old.id}`);
    expect(outline(view)).toEqual(['1 Yesterday']);
    expect(view.more).toBe(1);
    expect(view.notes).toEqual([{ reason: 'thread-x-search-window' }]);
  });

  it('shows a reply whose parent was deleted, and says so', async () => {
    const parent = emu.control.addTweet({ authorId: user(emu, 'dev_dora').id, text: 'Soon gone' });
    const reply = emu.control.addTweet({ authorId: ME_ID, text: 'Still here', replyTo: parent.id });
    parent.deleted = true;
    const view = await r.adapter.thread(`x:${reply.id}`);
    expect(view.post.text).toBe('Still here');
    expect(view.ancestors).toEqual([]);
    expect(view.notes).toEqual([{ reason: 'thread-ancestor-deleted' }]);
  });

  it('when X answers search with 429, still shows the post and what it replies to, and says why replies are missing', async () => {
    const root = emu.control.addTweet({ authorId: user(emu, 'ada_makes').id, text: 'Asked' });
    const post = emu.control.addTweet({ authorId: ME_ID, text: 'Answered', replyTo: root.id });
    emu.control.addTweet({ authorId: user(emu, 'brew_lab').id, text: 'Unseen', replyTo: post.id });
    emu.control.setRateLimit('GET /2/tweets/search/recent', 0);
    const view = await r.adapter.thread(`x:${post.id}`);
    expect(view.ancestors.map((p) => p.text)).toEqual(['Asked']);
    expect(view.replies).toEqual([]);
    expect(view.more).toBe(1);
    expect(view.notes).toEqual([{ reason: 'thread-x-search-rate-limited' }]);
  });

  it('refuses a deleted post as gone, with a reason the UI words in English and French', async () => {
    const t = emu.control.addTweet({ authorId: ME_ID, text: 'Deleted before the panel opened' });
    t.deleted = true;
    const err = await caught(r.adapter.thread(`x:${t.id}`));
    expect(err).toMatchObject({ code: 'not-found', reason: 'post-gone' });
    expect(en.reasons['post-gone']).toBeTruthy();
    expect(fr.reasons['post-gone']).toBeTruthy();
    expect((await caught(r.adapter.thread('bluesky:at://x'))).code).toBe('not-found');
  });
});

describe('X thread without search in the plan', () => {
  let emu: XEmulator;
  let r: Rig;
  useEmulator({}, (e) => {
    emu = e;
    r = rig(e);
  });

  it('still shows the post and what it replies to, and says why the replies are missing', async () => {
    emu.control.excludeFromPlan('GET /2/tweets/search/recent');
    const root = emu.control.addTweet({ authorId: user(emu, 'ada_makes').id, text: 'Root' });
    const post = emu.control.addTweet({ authorId: ME_ID, text: 'Reply', replyTo: root.id });
    emu.control.addTweet({ authorId: user(emu, 'brew_lab').id, text: 'Below', replyTo: post.id });
    const view = await r.adapter.thread(`x:${post.id}`);
    expect(view.ancestors.map((p) => p.text)).toEqual(['Root']);
    expect(view.replies).toEqual([]);
    expect(view.more).toBe(1);
    expect(view.notes).toEqual([{ reason: 'thread-x-search-not-in-plan' }]);
  });
});

describe('X profile: an author’s page', () => {
  let emu: XEmulator;
  let r: Rig;
  useEmulator({}, (e) => {
    emu = e;
    r = rig(e);
  });

  it('shows the bio with its links expanded, the counts X gives, and how the CM relates to them', async () => {
    const ada = user(emu, 'ada_makes');
    ada.description = 'Maker of small things. Shop: https://ada.example/shop';
    ada.extraFollowers = 1200;
    ada.verified = true;
    ada.verifiedType = 'business';
    ada.bannerUrl = 'https://pbs.twimg.com/profile_banners/ada/1500x500';
    const profile = await r.adapter.profile('@ada_makes');
    ProfileDetailsSchema.parse(profile);
    const posts = emu.state.timeline((t) => t.authorId === ada.id).length;
    expect(profile).toMatchObject({
      id: `x:${ada.id}`,
      handle: 'ada_makes',
      displayName: 'Ada Makes',
      bio: 'Maker of small things. Shop: https://ada.example/shop',
      followers: 1201, // the CM follows her, and 1,200 others do
      following: 0,
      posts,
      bannerUrl: 'https://pbs.twimg.com/profile_banners/ada/1500x500',
      viewer: { following: true, followedBy: false },
      flags: ['verified', 'verified-business'],
    });
    expect(posts).toBeGreaterThan(5);
  });

  it('shows a protected profile as locked, and refuses its posts as protected', async () => {
    emu.state.addUser({
      id: '1500000000000000090',
      username: 'quiet_brand',
      name: 'Quiet Brand',
      description: '',
      createdAt: Date.now() - DAY,
      protected: true,
    });
    const profile = await r.adapter.profile('quiet_brand');
    expect(profile.flags).toEqual(['locked']);
    expect(profile.viewer).toEqual({ following: false, followedBy: false });
    const err = await caught(
      r.adapter.readTimeline({ kind: 'user', query: 'quiet_brand', direction: 'older', limit: 10 }),
    );
    expect(err).toMatchObject({ code: 'not-allowed', reason: 'x-protected', params: { name: '@quiet_brand' } });
  });

  it('refuses a suspended or unknown profile, naming it', async () => {
    emu.state.addUser({
      id: '1500000000000000091',
      username: 'spam_brand',
      name: 'Spam',
      description: '',
      createdAt: Date.now() - DAY,
      suspended: true,
    });
    expect(await caught(r.adapter.profile('spam_brand'))).toMatchObject({
      code: 'not-found',
      reason: 'x-suspended',
      params: { name: '@spam_brand' },
    });
    expect(await caught(r.adapter.profile('nobody_here'))).toMatchObject({
      code: 'not-found',
      reason: 'profile-not-found',
      params: { name: '@nobody_here' },
    });
    expect((await caught(r.adapter.profile('not a handle!'))).reason).toBe('profile-not-found');
  });
});

describe('X post language', () => {
  let emu: XEmulator;
  let r: Rig;
  useEmulator({}, (e) => {
    emu = e;
    r = rig(e);
  });

  it('gives every post in a column the language X states, leaving out X’s codes that are not languages', async () => {
    const by = user(emu, 'gallery_gus').id; // not followed: the home column stays as seeded
    for (const [text, lang] of [
      ['Bonjour à tous #langs', 'fr'],
      ['#langs', 'qht'],
      ['שלום #langs', 'iw'],
      ['😀 #langs', 'und'],
      ['Olá #langs', 'pt-br'],
    ] as const)
      emu.control.addTweet({ authorId: by, text, lang });
    const page = await r.adapter.readTimeline({ kind: 'hashtag', query: 'langs', direction: 'older', limit: 10 });
    const langs = Object.fromEntries(page.items.map((e) => [e.post!.text, e.post!.language ?? null]));
    expect(langs).toEqual({
      'Bonjour à tous #langs': 'fr',
      '#langs': null,
      'שלום #langs': 'he',
      '😀 #langs': null,
      'Olá #langs': 'pt-BR',
    });
    const home = await r.adapter.readTimeline({ kind: 'home', direction: 'older', limit: 20 });
    expect(home.items.every((e) => e.post!.language === 'en')).toBe(true);
  });

  it('reads X’s non-language codes and malformed tags as no language', () => {
    for (const code of ['und', 'zxx', 'qme', 'qht', 'qam', 'qct', 'qst', 'art', '', 'not a tag', null, undefined])
      expect(languageOf(code)).toBeUndefined();
    expect(languageOf('in')).toBe('id');
    expect(languageOf('zh-cn')).toBe('zh-CN');
    expect(languageOf('en')).toBe('en');
  });
});
