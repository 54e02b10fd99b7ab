// A column read again from Dexie (a delivery, a like, a longer window while scrolling) keeps the
// objects of the entries that did not change, so only the posts that changed are drawn again.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { ColumnPager } from '../../../src/renderer/components/column-pages';
import {
  openDatabase,
  readColumn,
  readColumnPage,
  reuseUnchanged,
  sameData,
  storeColumnEntries,
  type ColonnadeDb,
  type ColumnRead,
  type ShownEntry,
} from '../../../src/renderer/db/database';
import { sampleEntry } from './samples';

const opened: ColonnadeDb[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

/** Post n's entry at minute `minute` of the day (post n at minute n unless said). */
const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 8, 0) + minute * 60_000).toISOString();

/** `count` entries stored in a column, post n at minute n (newest first when read). */
async function column(name: string, count = 10) {
  const db = openDatabase(name);
  opened.push(db);
  await storeColumnEntries(
    db,
    'c1',
    Array.from({ length: count }, (_, i) => sampleEntry(i + 1, at(i + 1))),
  );
  return db;
}

const keysOf = (entries: readonly ShownEntry[]) => entries.map((e) => e.key.replace('sandbox:test-', ''));

/**
 * A pager on column c1 (from `top`, the reading position, when given), and the next thing it
 * shows (each call waits for a new answer).
 */
function pager(db: ColonnadeDb, keep?: (e: ShownEntry) => boolean, top: string | null = null) {
  const answers: ColumnRead[] = [];
  let wake: (() => void) | null = null;
  const p = new ColumnPager(
    db,
    'c1',
    keep,
    false,
    (read) => {
      answers.push(read);
      wake?.();
    },
    (err) => {
      throw err;
    },
    undefined,
    top,
  );
  let seen = 0;
  /** The pager's answer once `test` holds for it. */
  const until = async (test: (read: ColumnRead) => boolean): Promise<ColumnRead> => {
    for (;;) {
      while (seen < answers.length) {
        const read = answers[seen++]!;
        if (test(read)) return read;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  return { pager: p, until };
}

describe('reading a column again', () => {
  it('answers the very same list when nothing changed', async () => {
    const db = await column('reads-same');
    const first = (await readColumn(db, 'c1', 10)).entries;
    const again = reuseUnchanged(first, (await readColumn(db, 'c1', 10)).entries);
    expect(again).toBe(first);
  });

  it('keeps every unchanged entry and takes the post a like changed in place', async () => {
    const db = await column('reads-like');
    const first = (await readColumn(db, 'c1', 10)).entries;
    // A like as actions.ts stores it: viewer and counts change, `cachedAt` does not.
    const liked = first[3]!.post!;
    await db.posts.update(liked.id, {
      viewer: { liked: true, reposted: false },
      metrics: { ...liked.metrics, likes: liked.metrics.likes + 1 },
    });
    const again = reuseUnchanged(first, (await readColumn(db, 'c1', 10)).entries);
    expect(again).not.toBe(first);
    expect(again[3]).not.toBe(first[3]);
    expect(again[3]!.post!.viewer?.liked).toBe(true);
    expect(again.filter((e, i) => e === first[i])).toHaveLength(9);
  });

  it('keeps what was shown when the window grows, and adds the older entries', async () => {
    const db = await column('reads-window');
    const first = (await readColumn(db, 'c1', 4)).entries;
    const longer = reuseUnchanged(first, (await readColumn(db, 'c1', 8)).entries);
    expect(longer).toHaveLength(8);
    expect(longer.slice(0, 4)).toEqual(first);
    longer.slice(0, 4).forEach((e, i) => expect(e).toBe(first[i]));
  });

  it('takes a new entry at the top and keeps the others', async () => {
    const db = await column('reads-new');
    const first = (await readColumn(db, 'c1', 10)).entries;
    await storeColumnEntries(db, 'c1', [sampleEntry(11, at(60))]);
    const again = reuseUnchanged(first, (await readColumn(db, 'c1', 10)).entries);
    expect(again[0]!.key).toBe('sandbox:test-11');
    expect(again.slice(1)).toEqual(first.slice(0, 9));
    again.slice(1).forEach((e, i) => expect(e).toBe(first[i]));
  });
});

describe('sameData', () => {
  it('compares stored data by value', () => {
    expect(sameData({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBe(true);
    expect(sameData({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameData({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(sameData([1, 2], [1, 2, 3])).toBe(false);
    expect(sameData([1], { 0: 1 })).toBe(false);
    expect(sameData({ a: { b: 1 } }, { a: { b: 2 } })).toBe(false);
    expect(sameData(null, {})).toBe(false);
  });
});

describe('a column read a page at a time', () => {
  it('shows, page after page, what one read of the whole window shows, filters and all', async () => {
    const db = await column('pages-same', 30);
    const odd = (e: ShownEntry) => Number(e.key.split('-').pop()) % 2 === 1;
    const first = await readColumnPage(db, 'c1', { upper: null, count: 6 }, odd);
    const second = await readColumnPage(db, 'c1', { upper: first.lower, count: 6 }, odd);
    const whole = await readColumn(db, 'c1', 12, odd);
    expect(keysOf([...first.entries, ...second.entries])).toEqual(keysOf(whole.entries));
    expect(first.hidden + second.hidden).toBe(whole.hidden);
    // Fixed, the first page holds the same entries from its own lower bound up.
    const fixed = await readColumnPage(db, 'c1', { upper: null, lower: first.lower, count: 6 }, odd);
    expect(keysOf(fixed.entries)).toEqual(keysOf(first.entries));
  });

  it('keeps entries that entered the timeline at the same instant in one page', async () => {
    const db = openDatabase('pages-ties');
    opened.push(db);
    // Posts 1–6, the middle four met at the same minute (a burst, a notification group).
    const minutes = [1, 2, 5, 5, 5, 5, 8];
    await storeColumnEntries(
      db,
      'c1',
      minutes.map((m, i) => sampleEntry(i + 1, at(m))),
    );
    const first = await readColumnPage(db, 'c1', { upper: null, count: 3 });
    expect(keysOf(first.entries)).toEqual(['7', '6', '5', '4', '3']);
    expect(first.lower).toBe(at(5));
    const second = await readColumnPage(db, 'c1', { upper: first.lower, count: 3 });
    expect(keysOf(second.entries)).toEqual(['2', '1']);
    expect(second.lower).toBeNull(); // the cache's end
  });

  it('grows a page at a time as the list asks for more, and stays live page by page', async () => {
    const db = await column('pages-live', 25);
    const { pager: p, until } = pager(db);
    p.setLimit(10);
    const first = await until((r) => r.entries.length === 10);
    expect(keysOf(first.entries)[0]).toBe('25');
    p.setLimit(20);
    const longer = await until((r) => r.entries.length === 20);
    expect(keysOf(longer.entries).slice(-1)).toEqual(['6']);
    longer.entries.slice(0, 10).forEach((e, i) => expect(e).toBe(first.entries[i]));

    // A like on a post of the second page: shown at once, everything else as it was.
    const target = longer.entries[15]!;
    await db.posts.update(target.post!.id, { viewer: { liked: true, reposted: false } });
    const liked = await until((r) => r.entries[15]?.post?.viewer?.liked === true);
    expect(liked.entries.filter((e, i) => e !== longer.entries[i])).toEqual([liked.entries[15]]);

    // A new entry at the top and a gap filled in the middle (between the two pages) both show;
    // the last page still holds ten, so its oldest entry waits below for the list to ask again.
    await storeColumnEntries(db, 'c1', [sampleEntry(100, at(60)), sampleEntry(101, at(15.5))]);
    const both = await until((r) => keysOf(r.entries).includes('101'));
    const keys = keysOf(both.entries);
    expect(keys.slice(0, 2)).toEqual(['100', '25']);
    expect(keys.indexOf('101')).toBe(keys.indexOf('16') + 1);
    expect(keys.at(-1)).toBe('7');
    p.stop();
  });

  it('reads from the reading position down while newer entries wait: they take no room, however many', async () => {
    const db = await column('pages-top', 30);
    const { pager: p, until } = pager(db, undefined, at(20));
    p.setLimit(5);
    const first = await until((r) => r.entries.length === 5);
    // The entry at the reading position is the first shown.
    expect(keysOf(first.entries)).toEqual(['20', '19', '18', '17', '16']);
    // Arrivals, newer than the position (one at the very same instant as it is not newer).
    await storeColumnEntries(db, 'c1', [sampleEntry(300, at(45)), sampleEntry(301, at(20))]);
    const tied = await until((r) => keysOf(r.entries).includes('301'));
    expect(keysOf(tied.entries)).not.toContain('300');
    p.setLimit(12);
    const longer = await until((r) => r.entries.length >= 12);
    expect(keysOf(longer.entries).every((k) => Number(k) <= 20 || k === '301')).toBe(true);
    expect(keysOf(longer.entries).at(-1)).toBe('10');
    p.stop();
  });

  it('takes in older entries stored from the network once the cache had ended', async () => {
    const db = await column('pages-older', 5);
    const { pager: p, until } = pager(db);
    p.setLimit(10);
    await until((r) => r.entries.length === 5);
    // What the network's older page brought (actions.ts loadOlder), then the list asks for more.
    await storeColumnEntries(
      db,
      'c1',
      Array.from({ length: 5 }, (_, i) => sampleEntry(200 + i, at(-1 - i))),
    );
    p.setLimit(20);
    const more = await until((r) => r.entries.length === 10);
    expect(keysOf(more.entries).slice(5)).toEqual(['200', '201', '202', '203', '204']);
    p.stop();
  });
});
