// @vitest-environment jsdom
// A column's window on its cache, in the DOM (jsdom, Dexie on fake-indexeddb, react-virtuoso told
// the sizes jsdom cannot measure): after more than a page arrived while the reader was away, the
// column opens on what she had read, with every new post counted behind "N new posts"; a column
// never looks empty while it holds posts; what arrives while she reads takes no room from what
// she reads; and "Load older posts" keeps the focus while it loads.
import 'fake-indexeddb/auto';
import { act } from 'react';
import { expect, it } from 'vitest';
import type { Api } from '../../../src/renderer/api';
import {
  advanceReadPosition,
  readPosition,
  storeColumnEntries,
  type ColonnadeDb,
} from '../../../src/renderer/db/database';
import { useAppStore } from '../../../src/renderer/state/store';
import { ColumnOptionsSchema, type Column, type Page, type TimelineEntry } from '../../../src/shared/model';
import { sampleEntry, sampleProfile } from './samples';
import { columnView, freshAppPerTest, seedDeck, servicesOver, show, testDatabase, until as untilIn } from './test-app';

freshAppPerTest();

/** Minute `n` of the day (post n is posted at minute n). */
const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 8, 0) + minute * 60_000).toISOString();
const posts = (from: number, to: number): TimelineEntry[] =>
  Array.from({ length: to - from + 1 }, (_, i) => sampleEntry(from + i, at(from + i)));

/** Waits (letting Dexie's live queries and React run, up to 3 s) until `check` passes. */
const until = (check: () => void) => untilIn(check, 300);

const home: Column = { id: 'home', kind: 'home', profileId: 'sandbox:practice', width: 340 };

/** A database for one test, holding `stored` in column `home`. */
async function cache(name: string, stored: TimelineEntry[]) {
  const db = testDatabase(name);
  await storeColumnEntries(db, 'home', stored);
  return db;
}

/**
 * The column in a page, as after a reload, with the list 20 articles high (react-virtuoso renders
 * what fits; jsdom lays nothing out). `api` answers main's requests (the layout by default).
 */
async function open(
  db: ColonnadeDb,
  api: (channel: string, payload: unknown) => Promise<unknown> = async () => useAppStore.getState().layout,
  col: Column = home,
) {
  seedDeck([col]);
  const view = await show(
    columnView(col, { list: { viewportHeight: 2_000, itemHeight: 100 } }),
    servicesOver(api as unknown as Api, db),
  );
  return view.container;
}

const newPosts = (host: HTMLElement) => host.querySelector('.new-posts')?.textContent ?? null;
const articles = (host: HTMLElement) => [...host.querySelectorAll<HTMLElement>('[role="feed"] article')];
/** The posts the list shows, by number, top first. */
const shownPosts = (host: HTMLElement) => articles(host).map((a) => Number(a.dataset.entryKey!.split('-').at(-1)));
const loadOlderButton = (host: HTMLElement) =>
  [...host.querySelectorAll('button')].find((b) => /^Load(ing)? older posts/.test(b.textContent ?? ''));

it('opens on what the reader had read when far more than a page arrived since, and counts every new post', async () => {
  // Posts 1–200; the reader had read up to post 50: 150 arrived since, far more than the forty
  // a column reads at first.
  const db = await cache('window-away', posts(1, 200));
  await advanceReadPosition(db, 'home', at(50));
  const host = await open(db);

  await until(() => expect(newPosts(host)).toBe('150 new posts'));
  // The list shows what is at and below the reading position, newest first: post 50, 49…
  await until(() => expect(shownPosts(host).slice(0, 3)).toEqual([50, 49, 48]));
  expect(shownPosts(host).every((n) => n <= 50)).toBe(true);
  expect(host.querySelector('.column-note')?.textContent ?? '').not.toMatch(/No posts|Loading posts/);
  // Nothing was read while the new posts waited.
  expect(await readPosition(db, 'home')).toBe(at(50));

  // One more arrives: counted; what the list shows does not move.
  await act(() => storeColumnEntries(db, 'home', posts(201, 201)));
  await until(() => expect(newPosts(host)).toBe('151 new posts'));
  expect(shownPosts(host).slice(0, 3)).toEqual([50, 49, 48]);

  // Shown on one click: the newest first, marked new.
  act(() => host.querySelector<HTMLButtonElement>('.new-posts')!.click());
  await until(() => expect(shownPosts(host)[0]).toBe(201));
  expect(newPosts(host)).toBeNull();
  expect(articles(host)[0]!.dataset.unread).toBe('true');
});

it('shows what waits when nothing is at or below the reading position, instead of an empty column', async () => {
  // The reading position is older than everything the cache holds (a cache that lost its older
  // posts and read its first page again).
  const db = await cache('window-nothing-below', posts(100, 160));
  await advanceReadPosition(db, 'home', at(10));
  const host = await open(db);

  await until(() => expect(shownPosts(host)[0]).toBe(160));
  expect(newPosts(host)).toBeNull();
  // All of it new since she last read.
  expect(articles(host).every((a) => a.dataset.unread === 'true')).toBe(true);
});

it('keeps the window on what the reader reads while posts arrive: nothing older is asked of the network', async () => {
  // 50 posts cached, the history behind them not yet fetched; the reader is one post behind.
  const db = await cache('window-arrivals', posts(1, 50));
  await db.columnCursors.put({ columnId: 'home', older: 'cursor-1', reachedEnd: false });
  await advanceReadPosition(db, 'home', at(49));
  const asked: string[] = [];
  const host = await open(db, async (channel) => {
    asked.push(channel);
    return useAppStore.getState().layout;
  });

  await until(() => expect(newPosts(host)).toBe('1 new post'));
  await until(() => expect(shownPosts(host)[0]).toBe(49));
  for (let n = 51; n <= 55; n++) await act(() => storeColumnEntries(db, 'home', posts(n, n)));
  await until(() => expect(newPosts(host)).toBe('6 new posts'));
  // The cache still holds more than the list shows: no "Load older posts", nothing fetched.
  await act(async () => new Promise((r) => setTimeout(r, 50)));
  expect(loadOlderButton(host)).toBeUndefined();
  expect(asked).not.toContain('column.fetch');
  expect(shownPosts(host)[0]).toBe(49);
});

it('"Load older posts" keeps the focus while older posts load, and when loading fails', async () => {
  // Ten posts cached, older ones on the network: the list ends with the button, and its end
  // being in view, older posts start loading at once.
  const db = await cache('window-load-older', posts(91, 100));
  await db.columnCursors.put({ columnId: 'home', older: 'cursor-90', reachedEnd: false });
  const pending: Array<{ resolve: (page: Page<TimelineEntry>) => void; reject: (err: Error) => void }> = [];
  const host = await open(db, (channel) => {
    if (channel !== 'column.fetch') return Promise.resolve(useAppStore.getState().layout);
    return new Promise((resolve, reject) => pending.push({ resolve, reject }));
  });
  await until(() => expect(pending).toHaveLength(1));
  expect(loadOlderButton(host)?.textContent).toBe('Loading older posts…');
  const button = loadOlderButton(host)!;
  act(() => button.focus());
  expect(button.getAttribute('aria-disabled')).toBe('true');

  // The network fails: said in words; the same button offers to try again, focus still on it.
  await act(async () => pending.shift()!.reject(new Error('offline')));
  await until(() => expect(button.textContent).toBe('Load older posts'));
  expect(host.querySelector('.column-note.error p')?.textContent).toBeTruthy();
  expect(button.isConnected).toBe(true);
  expect(document.activeElement).toBe(button);

  // Again: the same button says it is loading, and keeps the focus.
  act(() => button.click());
  await until(() => expect(button.textContent).toBe('Loading older posts…'));
  expect(button.hasAttribute('aria-disabled')).toBe(true);
  expect(document.activeElement).toBe(button);

  // The older page arrives: shown below, and focus is still in the column.
  await until(() => expect(pending).toHaveLength(1));
  await act(async () => pending.shift()!.resolve({ items: posts(81, 90), older: 'cursor-80', newer: null }));
  await until(() => expect(shownPosts(host)).toContain(81));
  expect(host.contains(document.activeElement)).toBe(true);
});

it('counts what the filters hid among what waits too, and what waits as the filters show it', async () => {
  // Reposts hidden; every other option as the schema leaves it.
  const filtered: Column = { ...home, options: ColumnOptionsSchema.parse({ filters: { excludeReposts: true } }) };
  // Posts 1–100, every fifth one a repost (hidden); read up to post 60.
  const db = await cache(
    'window-filters',
    posts(1, 100).map((e, i) => ((i + 1) % 5 === 0 ? { ...e, repostedBy: sampleProfile('bob') } : e)),
  );
  await advanceReadPosition(db, 'home', at(60));
  const host = await open(db, undefined, filtered);

  // Waiting: 61–100 less its 8 reposts. Hidden: those 8, and the 10 reposts among 60 down to the
  // 40th post the list keeps (post 11).
  await until(() => expect(newPosts(host)).toBe('32 new posts'));
  await until(() => expect(host.textContent).toContain('18 posts hidden by filters'));
  await until(() => expect(shownPosts(host).slice(0, 2)).toEqual([59, 58]));

  // Shown on one click: the reposts are there, marked, and wait with the rest.
  act(() => [...host.querySelectorAll('button')].find((b) => b.textContent === 'Show')!.click());
  await until(() => expect(newPosts(host)).toBe('40 new posts'));
  await until(() => expect(shownPosts(host)[0]).toBe(60));
  expect(host.textContent).toMatch(/Showing \d+ posts hidden by filters/);
});
