// @vitest-environment jsdom
// The side panel (issue 7, "Reading"): a post's thread (what it answers first, the post itself
// marked, replies indented by depth, each saying whom it answers; replies left out and what the
// network cannot show, in words), an author's profile (bio in its own direction, counts in the UI's
// number format, relation, flags, posts with "Load more posts"), failures in words, and focus:
// moved in on open, given back to what opened it on Escape.
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, type Api } from '../../../src/renderer/api';
import type { AppServices } from '../../../src/renderer/components/context';
import { SidePanel } from '../../../src/renderer/components/SidePanel';
import { threadItems } from '../../../src/renderer/components/ThreadPanel';
import type { ColonnadeDb } from '../../../src/renderer/db/database';
import { makeActions } from '../../../src/renderer/state/actions';
import { initialState, openPanel, useAppStore, type PanelView } from '../../../src/renderer/state/store';
import type { Account, Post, ProfileDetails, ThreadView, TimelineEntry } from '../../../src/shared/model';
import type { Language } from '../../../src/shared/settings';
import { byRole, click, nameOf, render, settle, textOf, type Rendered } from './dom';
import { samplePost, sampleProfile } from './samples';

const practice: Account = {
  id: 'sandbox:practice',
  network: 'sandbox',
  profile: sampleProfile('practice', 'Practice'),
  health: { state: 'connected' },
  practice: true,
  columnKinds: ['home'],
  server: null,
  textRules: { counting: 'graphemes', maxLength: 500, maxImages: 4, maxAltLength: 1000 },
};
practice.profile.id = 'sandbox:practice';

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
/** Post n by `name` (handle in lower case). */
const post = (n: number, name: string, extra: Partial<Post> = {}): Post => ({
  ...samplePost(n, minutesAgo(100 - n)),
  author: sampleProfile(name.toLowerCase(), name),
  text: `Words of ${name}`,
  entities: [],
  ...extra,
});

const THREAD: ThreadView = {
  ancestors: [post(1, 'Ann'), post(2, 'Bob')],
  post: post(3, 'Cat'),
  replies: [
    { post: post(4, 'Dan'), depth: 1 },
    { post: post(5, 'Eve'), depth: 2 },
    { post: post(6, 'Fay'), depth: 1 },
  ],
  more: 2,
  note: 'X search serves the last 7 days only',
};

const ADA: ProfileDetails = {
  ...sampleProfile('ada', 'Ada Builds'),
  bio: 'نبني الدراجات\nWe build bikes.',
  followers: 12345,
  following: 1,
  posts: null,
  viewer: { following: true, followedBy: false },
  flags: ['bot', 'weird-flag'],
};

const entry = (p: Post): TimelineEntry => ({ key: p.id, at: p.createdAt, post: p });

interface Call {
  channel: string;
  request: Record<string, unknown>;
}

/** A fake main: `answer` gives each request's answer (or throws). */
function fakeMain(answer: (c: Call) => unknown) {
  const sent: Call[] = [];
  const api = (async (channel: string, request: Record<string, unknown>) => {
    const call = { channel, request };
    sent.push(call);
    return answer(call);
  }) as Api;
  return { sent, services: { actions: makeActions(api, {} as ColonnadeDb), db: {} } as unknown as AppServices };
}

const threadView: PanelView = {
  kind: 'thread',
  network: 'sandbox',
  profileId: 'sandbox:practice',
  postId: 'sandbox:test-3',
};
const profileView: PanelView = { kind: 'profile', network: 'sandbox', profileId: 'sandbox:practice', handle: 'ada' };

/** The app's shape around the panel: a deck with an opener button, and the panel when open. */
function Host(props: { language: Language }) {
  const open = useAppStore((s) => s.panel.length > 0);
  return (
    <>
      <main id="deck-panel" tabIndex={-1}>
        <button type="button">Opener</button>
      </main>
      {open && <SidePanel language={props.language} />}
    </>
  );
}

let view: Rendered | undefined;
beforeEach(() => {
  useAppStore.setState({ ...initialState, accounts: [practice], phase: 'ready' });
});
afterEach(() => {
  view?.unmount();
  view = undefined;
});

async function openPanelWith(services: AppServices, panel: PanelView, language: Language = 'en') {
  view = await render(<Host language={language} />, services, language);
  const opener = byRole(document, 'button', 'Opener');
  opener.focus();
  await act(async () => openPanel(panel));
  await settle();
  const aside = document.querySelector('aside')!;
  return { aside, opener };
}

const articles = (root: ParentNode) => [...root.querySelectorAll<HTMLElement>('article')];

describe('threadItems', () => {
  it('lists ancestors root first, then the post, then replies depth-first, each with whom it answers', () => {
    const items = threadItems(THREAD);
    expect(
      items.map((i) => [i.entry.post?.author.displayName, i.depth ?? 0, i.replyingTo?.displayName ?? null]),
    ).toEqual([
      ['Ann', 0, null],
      ['Bob', 0, 'Ann'],
      ['Cat', 0, 'Bob'],
      ['Dan', 1, 'Cat'],
      ['Eve', 2, 'Dan'],
      ['Fay', 1, 'Cat'],
    ]);
    expect(items.filter((i) => i.focal).map((i) => i.entry.post?.id)).toEqual(['sandbox:test-3']);
  });
});

describe('a thread in the side panel', () => {
  it('is a region named by its title, with the thread in order, the post marked, replies indented and said', async () => {
    const { sent, services } = fakeMain(() => THREAD);
    const { aside } = await openPanelWith(services, threadView);
    expect(sent).toEqual([
      { channel: 'post.thread', request: { profileId: 'sandbox:practice', postId: 'sandbox:test-3' } },
    ]);
    expect(nameOf(aside)).toBe('Thread');
    expect(textOf(aside.querySelector('header'))).toContain('Read as @practice · Sandbox');
    const feed = aside.querySelector('[role="feed"]')!;
    expect(nameOf(feed)).toBe('Posts in the thread');
    const all = articles(feed);
    expect(all.map((a) => a.querySelector('.post-name')?.textContent)).toEqual([
      'Ann',
      'Bob',
      'Cat',
      'Dan',
      'Eve',
      'Fay',
    ]);
    // The post the thread was opened on is marked, for the eye and for a screen reader.
    expect(all.map((a) => a.getAttribute('aria-current'))).toEqual([null, null, 'true', null, null, null]);
    // Replies step in by depth, and each says whom it answers.
    const depth = (a: HTMLElement) => (a.parentElement as HTMLElement).style.getPropertyValue('--depth');
    expect(all.map(depth)).toEqual(['', '', '', '1', '2', '1']);
    expect(all[4]!.getAttribute('aria-label')).toMatch(/^Eve, .+ ago, replying to Dan$/);
    expect(textOf(all[4]!.querySelector('.post-replying-to'))).toBe('Replying to Dan');
    expect(all.map((a) => a.getAttribute('aria-setsize'))).toEqual(Array(6).fill('6'));
    expect(textOf(aside)).toContain('2 more replies are not shown here: the network did not include them.');
    expect(textOf(aside)).toContain('Part of this conversation cannot be shown: X search serves the last 7 days only');
  });

  it('moves focus to its title, and Escape closes it and gives focus back to what opened it', async () => {
    const { services } = fakeMain(() => THREAD);
    const { aside, opener } = await openPanelWith(services, threadView);
    expect(document.activeElement).toBe(aside.querySelector('h2'));
    // Focus inside the thread, then Escape.
    const third = articles(aside)[2]!;
    third.focus();
    await act(async () => {
      third.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    await settle();
    expect(document.querySelector('aside')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('“Close” does the same', async () => {
    const { services } = fakeMain(() => THREAD);
    const { aside, opener } = await openPanelWith(services, threadView);
    await click(byRole(aside, 'button', 'Close the side panel'));
    await settle();
    expect(document.querySelector('aside')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('Page Down walks the thread; R replies and Q quotes as the profile it reads as; P opens the author, with Back', async () => {
    const { services } = fakeMain((c) =>
      c.channel === 'post.thread' ? THREAD : { profile: ADA, posts: { items: [], older: null, newer: null } },
    );
    const { aside } = await openPanelWith(services, threadView);
    const key = async (el: HTMLElement, k: string) =>
      act(async () => {
        el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
      });
    const all = articles(aside);
    all[0]!.focus();
    await key(all[0]!, 'PageDown');
    expect(document.activeElement).toBe(all[1]);
    await key(all[1]!, 'r');
    expect(useAppStore.getState().compose).toMatchObject({
      replyTo: { id: 'sandbox:test-2' },
      profileId: 'sandbox:practice',
    });
    await key(all[1]!, 'q');
    expect(useAppStore.getState().compose).toMatchObject({ quoteOf: { id: 'sandbox:test-2' } });
    await key(all[1]!, 'p');
    await settle();
    expect(useAppStore.getState().panel).toEqual([
      threadView,
      { kind: 'profile', network: 'sandbox', profileId: 'sandbox:practice', handle: 'bob' },
    ]);
    expect(nameOf(document.querySelector('aside')!)).toBe('Profile of @bob');
    expect(document.activeElement).toBe(document.querySelector('aside h2'));
    await click(byRole(document.querySelector('aside')!, 'button', 'Back'));
    await settle();
    expect(nameOf(document.querySelector('aside')!)).toBe('Thread');
  });

  it('says a failure in words, with “Try again”', async () => {
    let fail = true;
    const { sent, services } = fakeMain(() => {
      if (fail) throw new ApiError({ code: 'not-found', message: 'gone', reason: 'post-gone' });
      return THREAD;
    });
    const { aside } = await openPanelWith(services, threadView);
    expect(textOf(byRole(aside, 'alert'))).toMatch(
      /^That post is gone: it was deleted, or this account may no longer see it\./,
    );
    fail = false;
    await click(byRole(aside, 'button', 'Try again'));
    await settle();
    expect(sent).toHaveLength(2);
    expect(articles(aside)).toHaveLength(6);
  });
});

describe('a profile in the side panel', () => {
  const first = [post(10, 'Ada'), post(11, 'Ada')];
  const second = [post(12, 'Ada')];
  const pages = (c: Call) =>
    c.request.cursor === null
      ? { profile: ADA, posts: { items: first.map(entry), older: 'page-2', newer: null } }
      : { profile: ADA, posts: { items: second.map(entry), older: null, newer: null } };

  it('shows bio, counts, relation and flags in words, then the posts, with “Load more posts” by the cursor', async () => {
    const { sent, services } = fakeMain(pages);
    const { aside } = await openPanelWith(services, profileView);
    expect(nameOf(aside)).toBe('Profile of @ada');
    expect(sent[0]).toEqual({
      channel: 'profile.get',
      request: { profileId: 'sandbox:practice', handle: 'ada', cursor: null },
    });
    const bio = aside.querySelector('.profile-bio')!;
    expect(bio.getAttribute('dir')).toBe('auto');
    expect(bio.textContent).toBe('نبني الدراجات\nWe build bikes.');
    expect([...aside.querySelectorAll('.profile-counts li')].map(textOf)).toEqual([
      'Posts: not shown by the network',
      '12,345 followers',
      '1 following',
    ]);
    expect(textOf(aside.querySelector('.profile-relation'))).toBe('@practice follows @ada');
    expect([...aside.querySelectorAll('.profile-flags li')].map(textOf)).toEqual(['Automated account', 'weird-flag']);
    expect(articles(aside)).toHaveLength(2);
    // The feed's size is unknown while more may come.
    expect(articles(aside)[0]!.getAttribute('aria-setsize')).toBe('-1');

    await click(byRole(aside, 'button', 'Load more posts'));
    await settle();
    expect(sent[1]).toEqual({
      channel: 'profile.get',
      request: { profileId: 'sandbox:practice', handle: 'ada', cursor: 'page-2' },
    });
    expect(articles(aside).map((a) => a.dataset.postId)).toEqual([
      'sandbox:test-10',
      'sandbox:test-11',
      'sandbox:test-12',
    ]);
    // Focus goes to the first post it brought; at the end, the button gives way to words.
    expect(document.activeElement).toBe(articles(aside)[2]);
    expect(textOf(aside)).toContain('No older posts.');
    expect(articles(aside)[0]!.getAttribute('aria-setsize')).toBe('3');
  });

  it('in French: numbers as French writes them, and the words', async () => {
    const { services } = fakeMain(pages);
    const { aside } = await openPanelWith(services, profileView, 'fr');
    expect(nameOf(aside)).toBe('Profil de @ada');
    const counts = [...aside.querySelectorAll('.profile-counts li')].map(textOf);
    expect(counts[1]).toBe(`${new Intl.NumberFormat('fr').format(12345)} abonnés`);
    expect(counts[1]).not.toContain(',');
    expect(counts[0]).toBe('Publications\u202f: non affichées par le réseau');
    expect(textOf(aside.querySelector('.profile-relation'))).toBe('@practice suit @ada');
    expect(textOf(byRole(aside, 'button', 'Charger plus de publications'))).toBe('Charger plus de publications');
  });

  it('a post’s author name is a button that opens their profile on top of this one', async () => {
    const { services } = fakeMain(pages);
    const { aside } = await openPanelWith(services, profileView);
    const name = byRole(articles(aside)[0]!, 'button', 'Ada @ada, open profile');
    await click(name);
    await settle();
    expect(useAppStore.getState().panel.at(-1)).toEqual(profileView);
    expect(useAppStore.getState().panel).toHaveLength(2);
  });
});
