import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import {
  columnPosts,
  countColumnPosts,
  forgetColumn,
  forgetPost,
  openDatabase,
  storeColumnPosts,
  type ColonnadeDb,
} from '../../../src/renderer/db/database';
import { samplePost } from './samples';

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

describe('the post cache (Dexie)', () => {
  it('keeps a column’s posts newest first, and a post shared by two columns once', async () => {
    const db = open('cache-order');
    const older = samplePost(1, '2026-11-25T08:00:00.000Z');
    const newer = samplePost(2, '2026-11-25T08:05:00.000Z');
    await storeColumnPosts(db, 'home', [older, newer]);
    await storeColumnPosts(db, 'tag', [newer]);
    expect((await columnPosts(db, 'home', 10)).map((p) => p.id)).toEqual([newer.id, older.id]);
    expect((await columnPosts(db, 'tag', 10)).map((p) => p.id)).toEqual([newer.id]);
    expect(await db.posts.count()).toBe(2);
    expect(await columnPosts(db, 'home', 1)).toHaveLength(1);
  });

  it('applies fresh counts to cached posts', async () => {
    const db = open('cache-metrics');
    const post = samplePost(1, '2026-11-25T08:00:00.000Z');
    await storeColumnPosts(db, 'home', [post]);
    await storeColumnPosts(db, 'home', [], [{ postId: post.id, metrics: { ...post.metrics, likes: 99 } }]);
    expect((await columnPosts(db, 'home', 1))[0]!.metrics.likes).toBe(99);
  });

  it('forgets a removed column but keeps posts and other columns', async () => {
    const db = open('cache-forget');
    const post = samplePost(1, '2026-11-25T08:00:00.000Z');
    await storeColumnPosts(db, 'a', [post]);
    await storeColumnPosts(db, 'b', [post]);
    await db.columnCursors.put({ columnId: 'a', older: '10', reachedEnd: false });
    await forgetColumn(db, 'a');
    expect(await countColumnPosts(db, 'a')).toBe(0);
    expect(await countColumnPosts(db, 'b')).toBe(1);
    expect(await db.columnCursors.get('a')).toBeUndefined();
  });
});

describe('database versions', () => {
  it('creates the current schema on an empty profile and keeps its data when reopened', async () => {
    const name = 'upgrade-fresh';
    const first = openDatabase(name);
    await first.open();
    expect(first.verno).toBe(2);
    expect(first.tables.map((t) => t.name).sort()).toEqual(['columnCursors', 'columnEntries', 'posts']);
    expect(first.posts.schema.indexes.map((i) => i.name).sort()).toEqual([
      '[network+createdAt]',
      'createdAt',
      'network',
    ]);
    await storeColumnPosts(first, 'home', [samplePost(1, '2026-11-25T08:00:00.000Z')]);
    first.close();
    const again = open(name);
    expect(await countColumnPosts(again, 'home')).toBe(1);
  });

  it('v1 → v2: keeps every cached post and column entry, and finds entries by post', async () => {
    const name = 'upgrade-v1-v2';
    // The v1 schema exactly as it shipped.
    const v1 = new Dexie(name);
    v1.version(1).stores({
      posts: '&id, network, createdAt, [network+createdAt]',
      columnEntries: '&[columnId+postId], [columnId+createdAt]',
      columnCursors: '&columnId',
    });
    const post = samplePost(3, '2026-11-25T08:00:00.000Z');
    await v1.table('posts').put({ ...post, cachedAt: 1 });
    await v1.table('columnEntries').bulkPut([
      { columnId: 'home', postId: post.id, createdAt: post.createdAt },
      { columnId: 'tag', postId: post.id, createdAt: post.createdAt },
    ]);
    await v1.table('columnCursors').put({ columnId: 'home', older: '42', reachedEnd: false });
    v1.close();

    const v2 = open(name);
    await v2.open();
    expect(v2.verno).toBe(2);
    expect((await columnPosts(v2, 'home', 10)).map((p) => p.id)).toEqual([post.id]);
    expect(await v2.columnCursors.get('home')).toEqual({ columnId: 'home', older: '42', reachedEnd: false });
    expect(await v2.columnEntries.where('postId').equals(post.id).count()).toBe(2);
    await forgetPost(v2, post.id);
    expect(await countColumnPosts(v2, 'home')).toBe(0);
    expect(await countColumnPosts(v2, 'tag')).toBe(0);
  });
});
