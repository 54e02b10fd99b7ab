// The side panel on Mastodon: a status in its conversation (GET /api/v1/statuses/:id/context) and
// an account's page (lookup + relationships), against the emulated instance, plus `language`.
import { describe, expect, it } from 'vitest';
import en from '../../../../src/shared/i18n/en.json';
import fr from '../../../../src/shared/i18n/fr.json';
import { ProfileDetailsSchema, ThreadViewSchema, type ThreadView } from '../../../../src/shared/model';
import { OWNER_USERNAME } from '../../../emulators/mastodon';
import { postsOf, refusal, setup } from './support';

type Emulator = Awaited<ReturnType<typeof setup>>['emulator'];

/** A conversation: alice asks, bob answers, alice adds to her own post, and the replies nest. */
function conversation(emulator: Emulator) {
  const root = emulator.postWith('alice', 'Où trouver la feuille de route ?', { language: 'fr' }).id;
  const bob = emulator.postWith('bob', 'In the wiki, under Planning', { inReplyTo: root }).id;
  const aliceAgain = emulator.postWith('alice', 'Et pour la version anglaise ?', {
    inReplyTo: root,
    language: 'fr',
  }).id;
  const chloe = emulator.postWith('chloe', 'The wiki page moved last week', { inReplyTo: bob }).id;
  const dmitri = emulator.postWith('dmitri', 'Moved where?', { inReplyTo: chloe, language: null }).id;
  const emeka = emulator.postWith('emeka', 'Ask the press desk', { inReplyTo: root }).id;
  return { root, bob, aliceAgain, chloe, dmitri, emeka };
}

const globalId = (emulator: Emulator, id: string) => `mastodon:${emulator.domain}/${id}`;
const shape = (view: ThreadView) => ({
  ancestors: view.ancestors.map((p) => p.text),
  post: view.post.text,
  replies: view.replies.map((r) => `${r.depth} ${r.post.text}`),
  more: view.more,
});

describe('Mastodon threads', () => {
  it('shows what a post answers, root first, and its replies nested in Mastodon’s order', async () => {
    const { emulator, adapter } = await setup();
    const t = conversation(emulator);

    const fromRoot = ThreadViewSchema.parse(await adapter.thread(globalId(emulator, t.root)));
    expect(shape(fromRoot)).toEqual({
      ancestors: [],
      post: 'Où trouver la feuille de route ?',
      // Alice's reply to herself first (Mastodon moves authors' self-replies up), then the rest
      // in the order they were posted, each branch followed down before the next.
      replies: [
        '1 Et pour la version anglaise ?',
        '1 In the wiki, under Planning',
        '2 The wiki page moved last week',
        '3 Moved where?',
        '1 Ask the press desk',
      ],
      more: 0,
    });
    expect(fromRoot.notes).toBeUndefined();

    const fromMiddle = await adapter.thread(globalId(emulator, t.chloe));
    expect(shape(fromMiddle)).toEqual({
      ancestors: ['Où trouver la feuille de route ?', 'In the wiki, under Planning'],
      post: 'The wiki page moved last week',
      replies: ['1 Moved where?'],
      more: 0,
    });
    expect(fromMiddle.post.replyTo).toBe(globalId(emulator, t.bob));
  });

  it('keeps each post’s language as the instance states it', async () => {
    const { emulator, adapter } = await setup();
    const t = conversation(emulator);
    const view = await adapter.thread(globalId(emulator, t.root));
    const byText = new Map(view.replies.map((r) => [r.post.text, r.post.language]));
    expect(view.post.language).toBe('fr');
    expect(byText.get('Et pour la version anglaise ?')).toBe('fr');
    expect(byText.get('In the wiki, under Planning')).toBe('en');
    expect(byText.get('Moved where?')).toBeUndefined(); // `language: null`
    // Columns carry it too.
    const column = postsOf(await adapter.readTimeline({ kind: 'user', query: 'alice', direction: 'older', limit: 5 }));
    expect(column.find((p) => p.nativeId === t.root)?.language).toBe('fr');
  });

  it('leaves out replies the viewer’s thread filters hide, with what hangs below them, and says how many', async () => {
    const { emulator, adapter } = await setup();
    const t = conversation(emulator);
    const spoiler = emulator.postWith('goran', 'Spoiler: the roadmap slips', { inReplyTo: t.emeka }).id;
    emulator.postWith('hana', 'Oh no', { inReplyTo: spoiler });
    emulator.postWith('fatima', 'Launch day spoiler ahead', { inReplyTo: t.root });
    emulator.addFilter({ title: 'Spoilers', context: ['thread'], action: 'hide', keywords: ['spoiler'] });
    // A filter for other contexts does not touch the thread.
    emulator.addFilter({ title: 'Wiki talk', context: ['home', 'public'], action: 'hide', keywords: ['wiki'] });

    const view = await adapter.thread(globalId(emulator, t.root));
    expect(view.replies.map((r) => r.post.text)).not.toContain('Oh no');
    expect(view.replies.map((r) => r.post.text)).toContain('In the wiki, under Planning');
    expect(view.replies.some((r) => /spoiler/i.test(r.post.text))).toBe(false);
    expect(view.more).toBe(3);
    expect(view.notes).toEqual([{ reason: 'thread-replies-filtered', count: 3 }]);

    // The post she opened is never left out: its hide filter folds it instead.
    const opened = await adapter.thread(globalId(emulator, spoiler));
    expect(opened.post.text).toBe('Spoiler: the roadmap slips');
    expect(opened.post.moderation).toEqual([{ scope: 'post', source: 'filter', text: 'Spoilers' }]);
    expect(opened.replies.map((r) => r.post.text)).toEqual(['Oh no']);
  });

  it('counts a reply whose parent the instance leaves out (a block) and says an earlier post is missing', async () => {
    const { emulator, adapter } = await setup();
    const t = conversation(emulator);
    const blockedReply = emulator.postWith('fatima', 'Wrong thread, sorry', { inReplyTo: t.chloe }).id;
    const under = emulator.postWith('hana', 'No worries', { inReplyTo: blockedReply }).id;
    emulator.blockAs(OWNER_USERNAME, 'fatima');

    const view = await adapter.thread(globalId(emulator, t.root));
    // Fatima's reply is not sent at all; Hana's, under it, cannot be placed.
    expect(view.replies.map((r) => r.post.text)).not.toContain('No worries');
    expect(view.more).toBe(1);
    expect(view.notes).toEqual([
      { reason: 'thread-replies-unplaceable', count: 1, params: { server: emulator.domain } },
    ]);

    // From Hana's reply: the chain above has a hole where the blocked post was.
    const fromUnder = await adapter.thread(globalId(emulator, under));
    expect(fromUnder.ancestors.map((p) => p.text)).toEqual([
      'Où trouver la feuille de route ?',
      'In the wiki, under Planning',
      'The wiki page moved last week',
    ]);
    expect(fromUnder.notes).toEqual([{ reason: 'thread-ancestor-not-shown' }]);
  });

  it('a deleted or unknown post is not-found with reason post-gone, in both languages', async () => {
    const { emulator, adapter } = await setup();
    const doomed = emulator.postAs('alice', 'Deleted in a minute').id;
    const res = await fetch(`${emulator.url}/api/v1/statuses/${doomed}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${emulator.issueToken('alice')}` },
    });
    expect(res.status).toBe(200);
    for (const id of [doomed, '999999999999999999']) {
      const error = await refusal(adapter.thread(globalId(emulator, id)));
      expect(error).toMatchObject({ code: 'not-found', reason: 'post-gone', params: { server: emulator.domain } });
    }
    // A post whose author blocks the viewer reads the same (Mastodon answers 404 on purpose).
    const hidden = emulator.postAs('zed', 'Zed speaks').id;
    emulator.blockAs('zed', OWNER_USERNAME);
    expect(await refusal(adapter.thread(globalId(emulator, hidden)))).toMatchObject({ reason: 'post-gone' });
    expect(en.reasons['post-gone']).toBeTruthy();
    expect(fr.reasons['post-gone']).toBeTruthy();
  });

  it('says when the instance is still fetching replies from other servers', async () => {
    const { emulator, adapter } = await setup();
    const t = conversation(emulator);
    emulator.refreshingContext(t.root, true);
    const view = await adapter.thread(globalId(emulator, t.root));
    expect(view.replies).toHaveLength(5);
    expect(view.notes).toEqual([{ reason: 'thread-mastodon-refreshing', params: { server: emulator.domain } }]);
  });
});

describe('Mastodon profiles', () => {
  it('shows the bio, counts, banner, flags and how the viewer relates to the account', async () => {
    const { emulator, adapter } = await setup();
    emulator.updateAccount('alice', {
      note: 'Community lead. Coffee & <code>',
      locked: true,
      bot: true,
      header: '/system/accounts/headers/alice.png',
    });
    emulator.followAs('alice'); // alice follows the viewer back; the viewer follows alice (seed)
    const profile = ProfileDetailsSchema.parse(await adapter.profile('alice'));
    const raw = (await (
      await fetch(`${emulator.url}/api/v1/accounts/lookup?acct=alice`, {
        headers: { authorization: `Bearer ${emulator.issueToken()}` },
      })
    ).json()) as { statuses_count: number; following_count: number };
    expect(profile).toMatchObject({
      handle: `alice@${emulator.domain}`,
      displayName: 'Alice Martin',
      bio: 'Community lead. Coffee & <code>',
      followers: 87,
      following: raw.following_count,
      posts: raw.statuses_count,
      bannerUrl: `${emulator.url}/system/accounts/headers/alice.png`,
      viewer: { following: true, followedBy: true },
    });
    expect(profile.posts).toBeGreaterThan(0);
    expect(profile.flags).toEqual(['bot', 'locked']);

    // Someone she does not follow, with Mastodon's stand-in header: no banner.
    const zed = await adapter.profile('@zed');
    expect(zed.viewer).toEqual({ following: false, followedBy: false });
    expect(zed.bannerUrl).toBeNull();
    expect(zed.flags).toBeUndefined();

    // A remote account by its full handle; her own account without a relationship.
    expect((await adapter.profile('ines@other.example')).handle).toBe('ines@other.example');
    const own = await adapter.profile(`${OWNER_USERNAME}@${emulator.domain}`);
    expect(own.viewer).toBeUndefined();
  });

  it('says who blocks whom in flags', async () => {
    const { emulator, adapter } = await setup();
    emulator.blockAs(OWNER_USERNAME, 'bob');
    emulator.blockAs('chloe', OWNER_USERNAME);
    expect((await adapter.profile('bob')).flags).toEqual(['blocking']);
    expect((await adapter.profile('chloe')).flags).toEqual(['blocked-by']);
  });

  it('an unknown handle is not-found with reason profile-not-found', async () => {
    const { adapter } = await setup();
    const error = await refusal(adapter.profile('nobody_here'));
    expect(error).toMatchObject({ code: 'not-found', reason: 'profile-not-found', params: { name: '@nobody_here' } });
    expect(en.reasons['profile-not-found']).toContain('{{name}}');
    expect(fr.reasons['profile-not-found']).toContain('{{name}}');
  });

  it('the profile page and its posts look the account up once', async () => {
    const { emulator, adapter } = await setup();
    await adapter.verify();
    const before = emulator.requests.length;
    const [profile, page] = await Promise.all([
      adapter.profile('bob'),
      adapter.readTimeline({ kind: 'user', query: 'bob', direction: 'older', limit: 20 }),
    ]);
    expect(page.items.every((e) => e.post?.author.id === profile.id || e.repostedBy?.id === profile.id)).toBe(true);
    const lookups = emulator.requests.slice(before).filter((r) => r.path === '/api/v1/accounts/lookup');
    expect(lookups).toHaveLength(1);
  });
});
