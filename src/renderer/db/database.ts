// The renderer's own data. Owner: the renderer (Dexie / IndexedDB).
// v1: the post cache of every column. v2: entries indexed by post (a deleted post leaves every
// column at once). Each schema version gets an upgrade test in tests/unit/renderer.
import Dexie, { type EntityTable } from 'dexie';
import type { Metrics, Post } from '../../shared/model';

export interface CachedPost extends Post {
  /** When this copy was last written (ms since epoch). */
  cachedAt: number;
}

/** A post's place in a column (a post can sit in several columns). */
export interface ColumnEntry {
  columnId: string;
  postId: string;
  createdAt: string;
}

/** How far back a column's cache reaches, and whether history ended there. */
export interface ColumnCursor {
  columnId: string;
  older: string | null;
  reachedEnd: boolean;
}

export type ColonnadeDb = Dexie & {
  posts: EntityTable<CachedPost, 'id'>;
  columnEntries: Dexie.Table<ColumnEntry, [string, string]>;
  columnCursors: EntityTable<ColumnCursor, 'columnId'>;
};

export const DB_NAME = 'colonnade';

export function openDatabase(name = DB_NAME): ColonnadeDb {
  const db = new Dexie(name) as ColonnadeDb;
  db.version(1).stores({
    posts: '&id, network, createdAt, [network+createdAt]',
    columnEntries: '&[columnId+postId], [columnId+createdAt]',
    columnCursors: '&columnId',
  });
  db.version(2).stores({
    columnEntries: '&[columnId+postId], [columnId+createdAt], postId',
  });
  return db;
}

/** Store posts for a column (insert or replace) and apply fresh counts, in one transaction. */
export async function storeColumnPosts(
  db: ColonnadeDb,
  columnId: string,
  posts: readonly Post[],
  metrics: ReadonlyArray<{ postId: string; metrics: Metrics }> = [],
  now = Date.now(),
): Promise<void> {
  await db.transaction('rw', db.posts, db.columnEntries, async () => {
    if (posts.length > 0) {
      await db.posts.bulkPut(posts.map((p) => ({ ...p, cachedAt: now })));
      await db.columnEntries.bulkPut(posts.map((p) => ({ columnId, postId: p.id, createdAt: p.createdAt })));
    }
    for (const { postId, metrics: m } of metrics) {
      await db.posts.update(postId, { metrics: m, cachedAt: now });
    }
  });
}

/** The newest `limit` posts of a column, newest first. */
export async function columnPosts(db: ColonnadeDb, columnId: string, limit: number): Promise<CachedPost[]> {
  const entries = await db.columnEntries
    .where('[columnId+createdAt]')
    .between([columnId, Dexie.minKey], [columnId, Dexie.maxKey])
    .reverse()
    .limit(limit)
    .toArray();
  const posts = await db.posts.bulkGet(entries.map((e) => e.postId));
  return posts.filter((p): p is CachedPost => p !== undefined);
}

export async function countColumnPosts(db: ColonnadeDb, columnId: string): Promise<number> {
  return db.columnEntries
    .where('[columnId+createdAt]')
    .between([columnId, Dexie.minKey], [columnId, Dexie.maxKey])
    .count();
}

/** Remove a post from the cache and from every column that shows it. */
export async function forgetPost(db: ColonnadeDb, postId: string): Promise<void> {
  await db.transaction('rw', db.posts, db.columnEntries, async () => {
    await db.columnEntries.where('postId').equals(postId).delete();
    await db.posts.delete(postId);
  });
}

/** Drop a removed column's entries (posts other columns hold stay). */
export async function forgetColumn(db: ColonnadeDb, columnId: string): Promise<void> {
  await db.transaction('rw', db.columnEntries, db.columnCursors, async () => {
    await db.columnEntries
      .where('[columnId+createdAt]')
      .between([columnId, Dexie.minKey], [columnId, Dexie.maxKey])
      .delete();
    await db.columnCursors.delete(columnId);
  });
}
