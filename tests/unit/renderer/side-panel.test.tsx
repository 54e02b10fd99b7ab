// @vitest-environment jsdom
// The side panel (issue 7, "Reading"): a post's thread (what it answers first, the post itself
// marked, replies indented by depth, each saying whom it answers; replies left out and what the
// network cannot show, each note in the UI's language), an author's profile (bio in its own
// direction, counts in the UI's number format, relation, flags in words, posts with "Load more
// posts"), failures in words, and focus: moved in on open, given back to what opened it on Escape.
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, type Api } from '../../../src/renderer/api';
import type { AppServices } from '../../../src/renderer/components/context';
import { SidePanel } from '../../../src/renderer/components/SidePanel';
import { threadItems } from '../../../src/renderer/components/ThreadPanel';
import { createI18n } from '../../../src/renderer/i18n';
import en from '../../../src/shared/i18n/en.json';
import fr from '../../../src/shared/i18n/fr.json';
import type { ColonnadeDb } from '../../../src/renderer/db/database';
import { makeActions } from '../../../src/renderer/state/actions';
import { initialState, openPanel, useAppStore, type PanelView } from '../../../src/renderer/state/store';
import {
  PROFILE_FLAGS,
  THREAD_NOTE_REASONS,
  type Account,
  type Post,
  type ProfileDetails,
  type ThreadView,
  type TimelineEntry,
} from '../../../src/shared/model';
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
  notes: [{ reason: 'thread-x-search-window' }],
};

const ADA: ProfileDetails = {
  ...sampleProfile('ada', 'Ada Builds'),
  bio: 'نبني الدراجات\nWe build bikes.',
  followers: 12345,
  following: 1,
  posts: null,
  viewer: { following: true, followedBy: false },
  flags: ['bot', 'blocked-by', 'verified-business', '!no-unauthenticated', 'weird-flag'],
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
    expect(textOf(aside)).toContain('X search serves the last 7 days only: older replies are not shown.');
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

describe('thread notes in the side panel', () => {
  /** What a Mastodon thread with filtered, unplaceable and still-arriving replies says. */
  const NOTED: ThreadView = {
    ...THREAD,
    more: 1201,
    notes: [
      { reason: 'thread-replies-filtered', count: 1200 },
      { reason: 'thread-replies-unplaceable', count: 1, params: { server: 'social.example' } },
      { reason: 'thread-mastodon-refreshing', params: { server: 'social.example' } },
      { reason: 'thread-ancestors-moderated', count: 2 },
    ],
  };
  const notesOf = (aside: HTMLElement) => [...aside.querySelectorAll('.thread-note')].map(textOf);

  it('says each note in English: counts in the UI’s number format, the plural that fits, the server named', async () => {
    const { services } = fakeMain(() => NOTED);
    const { aside } = await openPanelWith(services, threadView);
    expect(notesOf(aside)).toEqual([
      '1,200 replies are hidden by your filters.',
      'A reply cannot be shown: social.example did not send the post it answers, or sent it in a form Colonnade cannot read.',
      'social.example is still fetching replies from other servers: open the thread again in a moment.',
      '2 earlier posts are hidden by your moderation settings.',
    ]);
  });

  it('says each note in French, with French numbers, plurals and spacing', async () => {
    const { services } = fakeMain(() => NOTED);
    const { aside } = await openPanelWith(services, threadView, 'fr');
    const thousand = new Intl.NumberFormat('fr').format(1200);
    expect(notesOf(aside)).toEqual([
      `${thousand} réponses sont masquées par vos filtres.`,
      'Une réponse ne peut pas être affichée\u202f: social.example n’a pas envoyé la publication à laquelle elle répond, ou l’a envoyée sous une forme que Colonnade ne sait pas lire.',
      'social.example récupère encore des réponses d’autres serveurs\u202f: rouvrez la conversation dans un instant.',
      '2 publications précédentes sont masquées par vos réglages de modération.',
    ]);
  });

  it('in French, a million replies (CLDR’s “many”) still reads in French', async () => {
    const { services } = fakeMain(() => ({
      ...THREAD,
      notes: [{ reason: 'thread-replies-deleted', count: 1_000_000 }],
    }));
    const { aside } = await openPanelWith(services, threadView, 'fr');
    expect(new Intl.PluralRules('fr').select(1_000_000)).toBe('many');
    expect(notesOf(aside)).toEqual([`${new Intl.NumberFormat('fr').format(1_000_000)} réponses ont été supprimées.`]);
  });

  it('a param is only words: one named like an i18next option does not change the language', async () => {
    const { services } = fakeMain(() => ({
      ...THREAD,
      notes: [{ reason: 'thread-mastodon-refreshing', params: { server: 'social.example', lng: 'fr' } }],
    }));
    const { aside } = await openPanelWith(services, threadView);
    expect(notesOf(aside)).toEqual([
      'social.example is still fetching replies from other servers: open the thread again in a moment.',
    ]);
  });
});

describe('the words of thread notes and profile flags', () => {
  type Words = Record<string, string>;
  const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
  /** The keys a reason or flag has in a section: itself, or its plural forms. */
  const formsOf = (section: Words, key: string) =>
    Object.keys(section)
      .filter((k) => k === key || k === `${key}_one` || k === `${key}_other`)
      .sort();

  for (const [name, keys] of [
    ['threadNotes', THREAD_NOTE_REASONS],
    ['profileFlags', PROFILE_FLAGS],
  ] as const) {
    it(`${name}: every key has words in English and French, in the same forms, with the same params`, () => {
      const enWords = (en as unknown as Record<string, Words>)[name]!;
      const frWords = (fr as unknown as Record<string, Words>)[name]!;
      for (const key of keys) {
        const forms = formsOf(enWords, key);
        // One form, or both plural forms (French's "many" falls back to "other").
        expect([[key], [`${key}_one`, `${key}_other`]], key).toContainEqual(forms);
        expect(formsOf(frWords, key), key).toEqual(forms);
        for (const form of forms) {
          expect(placeholders(frWords[form]!), form).toEqual(placeholders(enWords[form]!));
          // The plural says how many, in the UI's number format.
          if (form.endsWith('_other')) expect(placeholders(enWords[form]!), form).toContain('n');
        }
      }
      // Nothing else: no words for a key the app never gives.
      const known = new Set(keys.flatMap((k) => [k, `${k}_one`, `${k}_other`]));
      expect(Object.keys(enWords).filter((k) => !known.has(k))).toEqual([]);
      expect(Object.keys(frWords).filter((k) => !known.has(k))).toEqual([]);
    });

    it(`${name}: French puts a narrow no-break space before : ; ! ? and inside « »`, () => {
      for (const [key, words] of Object.entries((fr as unknown as Record<string, Words>)[name]!)) {
        expect(words, key).not.toMatch(/[ \u00a0][:;!?]|[^\u202f][:;!?](\s|$)|«[^\u202f]|[^\u202f]»/);
      }
    });
  }

  it('every reason renders in both languages (no key left showing)', () => {
    for (const language of ['en', 'fr'] as const) {
      const t = createI18n(language).t;
      for (const reason of THREAD_NOTE_REASONS) {
        const text = t(`threadNotes.${reason}`, { count: 2, replace: { n: '2', server: 's.example' } });
        expect(text, `${language} ${reason}`).not.toContain('threadNotes');
        expect(text).not.toMatch(/\{\{/);
      }
    }
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
    // States in words; a Bluesky label value (global or a labeller's own) as the network says it.
    expect([...aside.querySelectorAll('.profile-flags li')].map(textOf)).toEqual([
      'Automated account',
      'Blocks you',
      'Verified organization',
      '!no-unauthenticated',
      'weird-flag',
    ]);
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
    expect([...aside.querySelectorAll('.profile-flags li')].map(textOf)).toEqual([
      'Compte automatisé',
      'Vous bloque',
      'Organisation vérifiée',
      '!no-unauthenticated',
      'weird-flag',
    ]);
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
