// A column's reading position (issue 7, "Reading"): stored in Dexie, it survives a reload of
// the page (the database closed and opened again, on fake-indexeddb); "Mark all read" and "Clear
// column" move it and say what they did; a gap marker leaves when main closes it.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  advanceReadPosition,
  clearColumn,
  closeGaps,
  columnEntries,
  countUnread,
  forgetColumn,
  markColumnRead,
  openDatabase,
  readPosition,
  storeColumnEntries,
  type ColonnadeDb,
} from '../../../src/renderer/db/database';
import { makeActions } from '../../../src/renderer/state/actions';
import type { Api } from '../../../src/renderer/api';
import { sampleEntry } from './samples';

const opened: ColonnadeDb[] = [];
const open = (name: string) => {
  const db = openDatabase(name);
  opened.push(db);
  return db;
};
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 8, minute)).toISOString();
const entries = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => sampleEntry(from + i, at(from + i)));

describe('the reading position', () => {
  it('survives a reload: the same "N new posts" after the database is opened again', async () => {
    const name = 'read-position-reload';
    const before = open(name);
    await storeColumnEntries(before, 'home', entries(1, 10));
    expect(await readPosition(before, 'home')).toBeNull();
    await advanceReadPosition(before, 'home', at(7));
    expect(await countUnread(before, 'home', at(7))).toBe(3);
    before.close();

    const after = open(name);
    const position = await readPosition(after, 'home');
    expect(position).toBe(at(7));
    expect(await countUnread(after, 'home', position)).toBe(3);
    // Other columns have their own.
    expect(await readPosition(after, 'tag')).toBeNull();
  });

  it('only moves forward', async () => {
    const db = open('read-position-forward');
    await advanceReadPosition(db, 'home', at(5));
    expect(await advanceReadPosition(db, 'home', at(3))).toBe(at(5));
    expect(await readPosition(db, 'home')).toBe(at(5));
    expect(await advanceReadPosition(db, 'home', at(6))).toBe(at(6));
  });

  it('"Mark all read" moves it to the newest entry; nothing is unread then', async () => {
    const db = open('read-position-mark');
    expect(await markColumnRead(db, 'home')).toBeNull();
    await storeColumnEntries(db, 'home', entries(1, 4));
    await advanceReadPosition(db, 'home', at(1));
    expect(await markColumnRead(db, 'home')).toBe(at(4));
    expect(await countUnread(db, 'home', await readPosition(db, 'home'))).toBe(0);
    // A new post arrives: one unread.
    await storeColumnEntries(db, 'home', entries(5, 5));
    expect(await countUnread(db, 'home', await readPosition(db, 'home'))).toBe(1);
  });

  it('"Clear column" empties the column, says how many, stops paging back, and leaves the posts to other columns', async () => {
    const db = open('read-position-clear');
    await storeColumnEntries(db, 'home', entries(1, 6));
    await storeColumnEntries(db, 'tag', entries(1, 2));
    await db.columnCursors.put({ columnId: 'home', older: 'c42', reachedEnd: false });
    expect(await clearColumn(db, 'home', Date.UTC(2026, 10, 25, 9))).toBe(6);
    expect(await columnEntries(db, 'home', 40)).toEqual([]);
    expect(await columnEntries(db, 'tag', 40)).toHaveLength(2);
    expect(await db.columnCursors.get('home')).toEqual({
      columnId: 'home',
      older: null,
      reachedEnd: true,
      clearedAt: '2026-11-25T09:00:00.000Z',
    });
    expect(await readPosition(db, 'home')).toBe(at(6));
    // Scrolling back does not fetch the cleared history again.
    const calls: string[] = [];
    const api = (async (channel: string) => {
      calls.push(channel);
      throw new Error('no call expected');
    }) as unknown as Api;
    expect(await makeActions(api, db).loadOlder('home')).toBe('end');
    expect(calls).toEqual([]);
    // Removing the column forgets its position too.
    await forgetColumn(db, 'home');
    expect(await readPosition(db, 'home')).toBeNull();
  });
});

describe('the first page comes from main', () => {
  it('pages back only from the cursor main delivered; without one it waits, and fetches nothing', async () => {
    const db = open('first-page-from-main');
    const requests: unknown[] = [];
    const api = (async (channel: string, payload: unknown) => {
      requests.push({ channel, payload });
      return { items: entries(1, 2), older: null, newer: null };
    }) as unknown as Api;
    const actions = makeActions(api, db);
    expect(await actions.loadOlder('home')).toBe('waiting');
    expect(requests).toEqual([]);
    await db.columnCursors.put({ columnId: 'home', older: 'c1', reachedEnd: false });
    expect(await actions.loadOlder('home')).toBe('end');
    expect(requests).toEqual([
      { channel: 'column.fetch', payload: { columnId: 'home', direction: 'older', cursor: 'c1' } },
    ]);
    expect(await columnEntries(db, 'home', 10)).toHaveLength(2);
  });
});

describe('gap markers', () => {
  it('are stored as entries without a post, and leave the column when main closes them', async () => {
    const db = open('gap-markers');
    await storeColumnEntries(db, 'tag', [
      ...entries(1, 2),
      { key: 'gap:g1', at: at(1), post: null, gap: { id: 'g1', from: null, to: at(2), why: 'horizon' } },
      { key: 'x:via', at: at(3), post: entries(3, 3)[0]!.post, via: 'x:brand' },
    ]);
    const shown = await columnEntries(db, 'tag', 10);
    expect(shown.map((e) => e.key)).toEqual(['x:via', 'sandbox:test-2', 'sandbox:test-1', 'gap:g1']);
    expect(shown.find((e) => e.key === 'gap:g1')).toMatchObject({ post: null, gap: { id: 'g1', why: 'horizon' } });
    expect(shown[0]!.via).toBe('x:brand');
    await closeGaps(db, 'tag', ['g1']);
    expect((await columnEntries(db, 'tag', 10)).map((e) => e.key)).not.toContain('gap:g1');
  });
});

describe('what a column shows on screen', () => {
  it('is told to main once per change, at most 200 posts, again after a failure', async () => {
    const db = open('visible-posts');
    const sent: unknown[] = [];
    let fail = false;
    const api = (async (channel: string, payload: unknown) => {
      sent.push({ channel, payload });
      if (fail) throw new Error('core away');
      return {};
    }) as unknown as Api;
    const actions = makeActions(api, db);
    const at = '2026-11-25T08:00:00.000Z';
    const ids = Array.from({ length: 250 }, (_, i) => `sandbox:${i}`);
    const posts = ids.map((id) => ({ id, createdAt: at }));
    actions.reportVisible('home', posts, true);
    actions.reportVisible('home', posts, true);
    expect(sent).toEqual([
      {
        channel: 'column.visible',
        payload: {
          columnId: 'home',
          postIds: ids.slice(0, 200),
          createdAt: ids.slice(0, 200).map(() => at),
          shown: true,
        },
      },
    ]);
    // The window is hidden: the same posts, not shown.
    actions.reportVisible('home', posts, false);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ payload: { shown: false } });
    // A report that failed is sent again next time.
    fail = true;
    actions.reportVisible('home', [{ id: 'sandbox:1', createdAt: at }], true);
    await new Promise((r) => setTimeout(r, 0));
    fail = false;
    actions.reportVisible('home', [{ id: 'sandbox:1', createdAt: at }], true);
    expect(sent).toHaveLength(4);
  });
});
