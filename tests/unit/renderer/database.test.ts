import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import {
  columnEntries,
  countColumnEntries,
  forgetColumn,
  forgetPosts,
  olderStep,
  openDatabase,
  storeColumnEntries,
  type ColonnadeDb,
} from '../../../src/renderer/db/database';
import type { TimelineEntry } from '../../../src/shared/model';
import { sampleEntry, samplePost, sampleProfile } from './samples';

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

const keys = async (db: ColonnadeDb, columnId: string, limit = 100) =>
  (await columnEntries(db, columnId, limit)).map((e) => e.key);

/** A grouped like notification on post 1, at `at`, by these people. */
const likes = (at: string, handles: string[], count = handles.length): TimelineEntry => ({
  key: 'like:sandbox:test-1',
  at,
  post: samplePost(1, '2026-11-20T08:00:00.000Z'),
  notification: { kind: 'like', actors: handles.map((h) => sampleProfile(h)), count },
});

describe('the entry cache (Dexie)', () => {
  it('keeps a column’s entries newest first, and a post shared by two columns once', async () => {
    const db = open('cache-order');
    const older = sampleEntry(1, '2026-11-25T08:00:00.000Z');
    const newer = sampleEntry(2, '2026-11-25T08:05:00.000Z');
    await storeColumnEntries(db, 'home', [older, newer]);
    await storeColumnEntries(db, 'tag', [newer]);
    expect(await keys(db, 'home')).toEqual([newer.key, older.key]);
    expect(await keys(db, 'tag')).toEqual([newer.key]);
    expect(await db.posts.count()).toBe(2);
    expect(await columnEntries(db, 'home', 1)).toHaveLength(1);
  });

  it('orders by when the entry entered the timeline: a repost made a minute ago of a 3-day-old post is on top', async () => {
    const db = open('cache-at');
    const now = Date.parse('2026-11-25T08:00:00.000Z');
    const iso = (ms: number) => new Date(ms).toISOString();
    const recent = sampleEntry(2, iso(now - 10 * 60_000));
    const old = samplePost(1, iso(now - 3 * 86_400_000));
    const repost: TimelineEntry = {
      key: 'sandbox:repost-9',
      at: iso(now - 60_000),
      post: old,
      repostedBy: sampleProfile('bob', 'Bob'),
    };
    await storeColumnEntries(db, 'home', [recent, repost]);
    const shown = await columnEntries(db, 'home', 10);
    expect(shown.map((e) => [e.key, e.post?.id])).toEqual([
      ['sandbox:repost-9', old.id],
      [recent.key, recent.post!.id],
    ]);
    expect(shown[0]!.repostedBy?.displayName).toBe('Bob');
    // Instants written without milliseconds or with an offset sort as the same instants.
    await storeColumnEntries(db, 'home', [
      { ...sampleEntry(3, '2026-11-25T07:59:30Z'), at: '2026-11-25T08:59:30+01:00' },
    ]);
    expect(await keys(db, 'home')).toEqual(['sandbox:test-3', 'sandbox:repost-9', recent.key]);
  });

  it('labels "reposted by" per column: the same post in its author’s own column has no label, and counts are shared', async () => {
    const db = open('cache-label');
    const post = samplePost(1, '2026-11-24T08:00:00.000Z');
    await storeColumnEntries(db, 'home', [
      { key: 'sandbox:repost-1', at: '2026-11-25T08:00:00.000Z', post, repostedBy: sampleProfile('bob', 'Bob') },
    ]);
    await storeColumnEntries(db, 'ada', [sampleEntry(1, post.createdAt)]);
    const [inHome] = await columnEntries(db, 'home', 10);
    const [inAda] = await columnEntries(db, 'ada', 10);
    expect(inHome!.repostedBy?.handle).toBe('bob');
    expect(inAda!.repostedBy).toBeUndefined();
    expect(await db.posts.count()).toBe(1);
    await storeColumnEntries(db, 'ada', [], [{ postId: post.id, metrics: { ...post.metrics, likes: 42 } }]);
    expect((await columnEntries(db, 'home', 10))[0]!.post!.metrics.likes).toBe(42);
  });

  it('replaces an entry delivered again with the same key, and updates its post in place', async () => {
    const db = open('cache-replace');
    const first = sampleEntry(1, '2026-11-25T08:00:00.000Z');
    await storeColumnEntries(db, 'home', [first]);
    const edited = { ...first, post: { ...first.post!, text: 'Post 1, edited' } };
    await storeColumnEntries(db, 'tag', [edited]);
    expect(await countColumnEntries(db, 'home')).toBe(1);
    expect((await columnEntries(db, 'home', 10))[0]!.post!.text).toBe('Post 1, edited');
  });

  it('merges a notification group: actors once each, most recent first, the larger count and the later time', async () => {
    const db = open('cache-group');
    await storeColumnEntries(db, 'notes', [likes('2026-11-25T08:00:00.000Z', ['gina', 'hal'])]);
    await storeColumnEntries(db, 'notes', [likes('2026-11-25T08:05:00.000Z', ['ivy', 'gina'], 3)]);
    let [group] = await columnEntries(db, 'notes', 10);
    expect(group!.at).toBe('2026-11-25T08:05:00.000Z');
    expect(group!.notification!.actors.map((a) => a.handle)).toEqual(['ivy', 'gina', 'hal']);
    expect(group!.notification!.count).toBe(3);
    // The network may name only a sample of the actors: the count stays the larger one.
    await storeColumnEntries(db, 'notes', [likes('2026-11-25T08:06:00.000Z', ['jo'], 12)]);
    [group] = await columnEntries(db, 'notes', 10);
    expect(group!.notification!.actors.map((a) => a.handle)).toEqual(['jo', 'ivy', 'gina', 'hal']);
    expect(group!.notification!.count).toBe(12);
    // An older page met later merges behind, and never moves the group back in time.
    await storeColumnEntries(db, 'notes', [likes('2026-11-25T07:00:00.000Z', ['kim', 'hal'])]);
    [group] = await columnEntries(db, 'notes', 10);
    expect(group!.at).toBe('2026-11-25T08:06:00.000Z');
    expect(group!.notification!.actors.map((a) => a.handle)).toEqual(['jo', 'ivy', 'gina', 'hal', 'kim']);
    expect(group!.notification!.count).toBe(12);
    expect(await countColumnEntries(db, 'notes')).toBe(1);
    // Two deliveries of one group in a single page merge the same way.
    await storeColumnEntries(db, 'other', [
      likes('2026-11-25T08:00:00.000Z', ['gina']),
      likes('2026-11-25T08:01:00.000Z', ['hal']),
    ]);
    expect((await columnEntries(db, 'other', 10))[0]!.notification!.actors.map((a) => a.handle)).toEqual([
      'hal',
      'gina',
    ]);
  });

  it('keeps a follow (an entry without a post) and shows it in its place', async () => {
    const db = open('cache-follow');
    const follow: TimelineEntry = {
      key: 'follow:7',
      at: '2026-11-25T08:02:00.000Z',
      post: null,
      notification: { kind: 'follow', actors: [sampleProfile('hal', 'Hal')], count: 1 },
    };
    await storeColumnEntries(db, 'notes', [sampleEntry(1, '2026-11-25T08:00:00.000Z'), follow]);
    const shown = await columnEntries(db, 'notes', 10);
    expect(shown.map((e) => [e.key, e.post])).toEqual([
      ['follow:7', null],
      ['sandbox:test-1', expect.objectContaining({ id: 'sandbox:test-1' })],
    ]);
  });

  it('forgets removed posts in every column, even one stored in the same delivery', async () => {
    const db = open('cache-removed');
    const a = sampleEntry(1, '2026-11-25T08:00:00.000Z');
    const b = sampleEntry(2, '2026-11-25T08:01:00.000Z');
    await storeColumnEntries(db, 'home', [a, b]);
    await storeColumnEntries(db, 'tag', [
      a,
      { key: 'sandbox:repost-1', at: '2026-11-25T08:03:00.000Z', post: a.post, repostedBy: sampleProfile('bob') },
    ]);
    await storeColumnEntries(db, 'notes', [likes('2026-11-25T08:04:00.000Z', ['gina'])], [], [a.post!.id]);
    expect(await keys(db, 'home')).toEqual([b.key]);
    expect(await keys(db, 'tag')).toEqual([]);
    expect(await keys(db, 'notes')).toEqual([]);
    expect(await db.posts.get(a.post!.id)).toBeUndefined();
    await forgetPosts(db, [b.post!.id, 'sandbox:never-cached']);
    expect(await countColumnEntries(db, 'home')).toBe(0);
  });

  it('forgets a removed column but keeps posts and other columns', async () => {
    const db = open('cache-forget');
    const entry = sampleEntry(1, '2026-11-25T08:00:00.000Z');
    await storeColumnEntries(db, 'a', [entry]);
    await storeColumnEntries(db, 'b', [entry]);
    await db.columnCursors.put({ columnId: 'a', older: '10', reachedEnd: false });
    await forgetColumn(db, 'a');
    expect(await countColumnEntries(db, 'a')).toBe(0);
    expect(await countColumnEntries(db, 'b')).toBe(1);
    expect(await db.columnCursors.get('a')).toBeUndefined();
  });

  it('pages through everything the cache holds, after history reached its beginning too', async () => {
    const db = open('cache-paging');
    const base = Date.parse('2026-11-25T08:00:00.000Z');
    const all = Array.from({ length: 140 }, (_, i) => sampleEntry(i + 1, new Date(base + i * 1000).toISOString()));
    await storeColumnEntries(db, 'home', all);
    await db.columnCursors.put({ columnId: 'home', older: null, reachedEnd: true });
    const reachedEnd = (await db.columnCursors.get('home'))!.reachedEnd;
    let limit = 40;
    const steps: string[] = [];
    for (;;) {
      const shown = await columnEntries(db, 'home', limit);
      const step = olderStep(shown.length, limit, reachedEnd);
      steps.push(step);
      if (step !== 'show-more') break;
      limit += 40;
    }
    expect(steps).toEqual(['show-more', 'show-more', 'show-more', 'end']);
    const shown = await columnEntries(db, 'home', limit);
    expect(shown).toHaveLength(140);
    expect(shown.at(-1)!.key).toBe('sandbox:test-1');
    // Without the end of history, the step after the cache is the network.
    expect(olderStep(20, 40, false)).toBe('fetch');
  });
});

/** The schema version database.ts opens now. */
const LATEST = 8;

/**
 * A database at schema `version` exactly as each version shipped (database.ts), for the upgrade
 * tests: each version's stores as they were then.
 */
function shipped(name: string, version: 1 | 2 | 3 | 4 | 5 | 6 | 7): Dexie {
  const db = new Dexie(name);
  db.version(1).stores({
    posts: '&id, network, createdAt, [network+createdAt]',
    columnEntries: '&[columnId+postId], [columnId+createdAt]',
    columnCursors: '&columnId',
  });
  if (version >= 2) db.version(2).stores({ columnEntries: '&[columnId+postId], [columnId+createdAt], postId' });
  if (version >= 3) db.version(3).stores({ columnEntries: null, entries: '&[columnId+key], [columnId+at], postId' });
  if (version >= 4) db.version(4).stores({ readPositions: '&columnId' });
  if (version >= 5)
    db.version(5).stores({ drafts: '&id, updatedAt', draftVersions: '++id, [draftId+id]', draftMedia: '&id, addedAt' });
  if (version >= 6)
    db.version(6).stores({
      ownPosts: '&id, [profileId+createdAt], *tags',
      pendingSeries: '&postId',
      followerCounts: '&[profileId+day]',
      analyticsViews: '&id, name',
    });
  if (version >= 7) db.version(7).stores({ analyticsCache: '&key' });
  return db;
}

/** An own post's row as the archive has kept it since v6 (archive-store.ts `ArchivedPost`). */
const archivedRow = (over: Record<string, unknown> = {}) => ({
  id: 'x:1',
  network: 'x' as const,
  profileId: 'x:42',
  handle: 'cm',
  createdAt: 1,
  text: 'Hello',
  hashtags: ['IFPower'],
  tags: ['ifpower'],
  hasMedia: false,
  isReply: false,
  isQuote: false,
  url: null,
  latest: null,
  latestAt: null,
  points: 0,
  series: new Uint8Array([1, 0]) as Uint8Array | null,
  ...over,
});

describe('database versions', () => {
  it('creates the current schema on an empty profile and keeps its data when reopened', async () => {
    const name = 'upgrade-fresh';
    const first = openDatabase(name);
    await first.open();
    expect(first.verno).toBe(LATEST);
    expect(first.ownPosts.schema.indexes.map((i) => i.name)).toEqual(['[profileId+createdAt]']);
    expect(first.tables.map((t) => t.name).sort()).toEqual([
      'analyticsCache',
      'analyticsViews',
      'columnCursors',
      'draftMedia',
      'draftVersions',
      'drafts',
      'entries',
      'followerCounts',
      'ownPosts',
      'pendingSeries',
      'posts',
      'readPositions',
    ]);
    expect(first.posts.schema.indexes.map((i) => i.name).sort()).toEqual([
      '[network+createdAt]',
      'createdAt',
      'network',
    ]);
    expect(first.entries.schema.primKey.name).toBe('[columnId+key]');
    expect(first.entries.schema.indexes.map((i) => i.name).sort()).toEqual(['[columnId+at]', 'postId']);
    await storeColumnEntries(first, 'home', [sampleEntry(1, '2026-11-25T08:00:00.000Z')]);
    first.close();
    const again = open(name);
    expect(await countColumnEntries(again, 'home')).toBe(1);
  });

  it('v1 → v4: keeps every cached post and column entry, and finds entries by post', async () => {
    const name = 'upgrade-v1-v3';
    // The v1 schema exactly as it shipped.
    const v1 = shipped(name, 1);
    const post = samplePost(3, '2026-11-25T08:00:00.000Z');
    await v1.table('posts').put({ ...post, cachedAt: 1 });
    await v1.table('columnEntries').bulkPut([
      { columnId: 'home', postId: post.id, createdAt: post.createdAt },
      { columnId: 'tag', postId: post.id, createdAt: post.createdAt },
    ]);
    await v1.table('columnCursors').put({ columnId: 'home', older: '42', reachedEnd: false });
    v1.close();

    const v3 = open(name);
    await v3.open();
    expect(v3.verno).toBe(LATEST);
    expect(await keys(v3, 'home')).toEqual([post.id]);
    expect(await v3.columnCursors.get('home')).toEqual({ columnId: 'home', older: '42', reachedEnd: false });
    expect(await v3.entries.where('postId').equals(post.id).count()).toBe(2);
    await forgetPosts(v3, [post.id]);
    expect(await countColumnEntries(v3, 'home')).toBe(0);
    expect(await countColumnEntries(v3, 'tag')).toBe(0);
  });

  it('v2 → v4: every entry becomes a plain entry at its post’s time, in the same order, ready for new ones', async () => {
    const name = 'upgrade-v2-v3';
    // The v2 schema exactly as it shipped.
    const v2 = shipped(name, 2);
    const a = samplePost(1, '2026-11-25T08:00:00.000Z');
    const b = samplePost(2, '2026-11-25T08:05:00.000Z');
    // v2 stored `repostedBy` on the shared post row; it moves to entries from now on.
    const legacy = { ...b, repostedBy: sampleProfile('bob') };
    await v2.table('posts').bulkPut([
      { ...a, cachedAt: 1 },
      { ...legacy, cachedAt: 1 },
    ]);
    await v2.table('columnEntries').bulkPut([
      { columnId: 'home', postId: a.id, createdAt: a.createdAt },
      { columnId: 'home', postId: b.id, createdAt: b.createdAt },
      { columnId: 'tag', postId: b.id, createdAt: b.createdAt },
    ]);
    await v2.table('columnCursors').put({ columnId: 'home', older: '7', reachedEnd: true });
    v2.close();

    const v3 = open(name);
    await v3.open();
    expect(v3.verno).toBe(LATEST);
    expect(v3.tables.map((t) => t.name).sort()).toEqual([
      'analyticsCache',
      'analyticsViews',
      'columnCursors',
      'draftMedia',
      'draftVersions',
      'drafts',
      'entries',
      'followerCounts',
      'ownPosts',
      'pendingSeries',
      'posts',
      'readPositions',
    ]);
    expect(await v3.entries.toArray()).toEqual(
      expect.arrayContaining([
        { columnId: 'home', key: a.id, at: a.createdAt, postId: a.id },
        { columnId: 'home', key: b.id, at: b.createdAt, postId: b.id },
        { columnId: 'tag', key: b.id, at: b.createdAt, postId: b.id },
      ]),
    );
    const home = await columnEntries(v3, 'home', 10);
    expect(home.map((e) => [e.key, e.post?.text])).toEqual([
      [b.id, b.text],
      [a.id, a.text],
    ]);
    expect(home[0]!.repostedBy).toBeUndefined();
    expect(await v3.posts.get(b.id)).not.toHaveProperty('repostedBy');
    expect(await v3.columnCursors.get('home')).toEqual({ columnId: 'home', older: '7', reachedEnd: true });
    // New entries (a repost of post a) sit beside the upgraded ones.
    await storeColumnEntries(v3, 'home', [
      { key: 'sandbox:repost-1', at: '2026-11-25T09:00:00.000Z', post: a, repostedBy: sampleProfile('bob') },
    ]);
    expect(await keys(v3, 'home')).toEqual(['sandbox:repost-1', b.id, a.id]);
    await forgetPosts(v3, [a.id]);
    expect(await keys(v3, 'home')).toEqual([b.id]);
  });

  it('v3 → v4: keeps every entry, post and cursor; columns start without a reading position', async () => {
    const name = 'upgrade-v3-v4';
    // The v3 schema exactly as it shipped.
    const v3 = shipped(name, 3);
    const a = samplePost(1, '2026-11-25T08:00:00.000Z');
    await v3.table('posts').put({ ...a, cachedAt: 1 });
    await v3.table('entries').bulkPut([
      { columnId: 'home', key: a.id, at: a.createdAt, postId: a.id },
      { columnId: 'home', key: 'follow:1', at: '2026-11-25T09:00:00.000Z', postId: null },
    ]);
    await v3.table('columnCursors').put({ columnId: 'home', older: '9', reachedEnd: false });
    v3.close();

    const v4 = open(name);
    await v4.open();
    expect(v4.verno).toBe(LATEST);
    expect(await keys(v4, 'home')).toEqual(['follow:1', a.id]);
    expect(await v4.columnCursors.get('home')).toEqual({ columnId: 'home', older: '9', reachedEnd: false });
    expect(await v4.readPositions.count()).toBe(0);
  });

  it('v4 → v5: keeps every entry, post, cursor and reading position; drafts start empty and work', async () => {
    const name = 'upgrade-v4-v5';
    // The v4 schema exactly as it shipped.
    const v4 = shipped(name, 4);
    const a = samplePost(1, '2026-11-25T08:00:00.000Z');
    await v4.table('posts').put({ ...a, cachedAt: 1 });
    await v4.table('entries').put({ columnId: 'home', key: a.id, at: a.createdAt, postId: a.id });
    await v4.table('columnCursors').put({ columnId: 'home', older: '9', reachedEnd: false });
    await v4.table('readPositions').put({ columnId: 'home', at: a.createdAt });
    v4.close();

    const v5 = open(name);
    await v5.open();
    expect(v5.verno).toBe(LATEST);
    expect(await keys(v5, 'home')).toEqual([a.id]);
    expect(await v5.columnCursors.get('home')).toEqual({ columnId: 'home', older: '9', reachedEnd: false });
    expect(await v5.readPositions.get('home')).toEqual({ columnId: 'home', at: a.createdAt });
    expect([await v5.drafts.count(), await v5.draftVersions.count(), await v5.draftMedia.count()]).toEqual([0, 0, 0]);
    expect(v5.drafts.schema.indexes.map((i) => i.name)).toEqual(['updatedAt']);
    expect(v5.draftVersions.schema.primKey.auto).toBe(true);
    const draft = {
      id: 'd1',
      content: { parts: [{ text: 'Été', media: [] }] },
      targets: [],
      when: { kind: 'now' as const },
      createdAt: 1,
      updatedAt: 1,
    };
    await v5.drafts.put(draft);
    expect(await v5.drafts.get('d1')).toEqual(draft);
  });

  it('v5 → v6: keeps every entry, post, cursor, reading position and draft; the analytics archive starts empty and works', async () => {
    const name = 'upgrade-v5-v6';
    // The v5 schema exactly as it shipped.
    const v5 = shipped(name, 5);
    const a = samplePost(1, '2026-11-25T08:00:00.000Z');
    const draft = {
      id: 'd1',
      content: { parts: [{ text: 'Été', media: [] }] },
      targets: [],
      when: { kind: 'now' as const },
      createdAt: 1,
      updatedAt: 1,
    };
    await v5.table('posts').put({ ...a, cachedAt: 1 });
    await v5.table('entries').put({ columnId: 'home', key: a.id, at: a.createdAt, postId: a.id });
    await v5.table('columnCursors').put({ columnId: 'home', older: '9', reachedEnd: false });
    await v5.table('readPositions').put({ columnId: 'home', at: a.createdAt });
    await v5.table('drafts').put(draft);
    await v5.table('draftVersions').add({ draftId: 'd1', content: draft.content, savedAt: 1 });
    v5.close();

    const v6 = open(name);
    await v6.open();
    expect(v6.verno).toBe(LATEST);
    expect(await keys(v6, 'home')).toEqual([a.id]);
    expect(await v6.columnCursors.get('home')).toEqual({ columnId: 'home', older: '9', reachedEnd: false });
    expect(await v6.readPositions.get('home')).toEqual({ columnId: 'home', at: a.createdAt });
    expect(await v6.drafts.get('d1')).toEqual(draft);
    expect(await v6.draftVersions.count()).toBe(1);
    const archive = [v6.ownPosts, v6.pendingSeries, v6.followerCounts, v6.analyticsViews];
    expect(await Promise.all(archive.map((t) => t.count()))).toEqual([0, 0, 0, 0]);
    expect(v6.ownPosts.schema.indexes.map((i) => i.name).sort()).toEqual(['[profileId+createdAt]']);
    expect(v6.followerCounts.schema.primKey.name).toBe('[profileId+day]');
    const own = archivedRow();
    await v6.ownPosts.put(own);
    await v6.ownPosts.put({ ...own, id: 'bluesky:2', network: 'bluesky', profileId: 'bluesky:did:plc:cm', tags: [] });
    // By author (the compound index's first part) and by network (the id's prefix).
    expect(await v6.ownPosts.where('profileId').equals('x:42').primaryKeys()).toEqual(['x:1']);
    expect(await v6.ownPosts.where('id').startsWith('bluesky:').primaryKeys()).toEqual(['bluesky:2']);
  });

  it('v6 → v7: keeps every analytics post, series, follower count and view; the index cache starts empty and works', async () => {
    const name = 'upgrade-v6-v7';
    const v6 = shipped(name, 6);
    const own = archivedRow();
    const count = { profileId: 'x:42', day: '2026-11-30', followers: 1500, at: 1 };
    const view = { id: 'v1', name: 'Best', filter: {}, sort: { key: 'rate', dir: 'desc' } };
    await v6.table('ownPosts').put(own);
    await v6.table('pendingSeries').put({ postId: 'x:2', data: new Uint8Array([1, 0]) });
    await v6.table('followerCounts').put(count);
    await v6.table('analyticsViews').put(view);
    v6.close();

    const v7 = open(name);
    await v7.open();
    expect(v7.verno).toBe(LATEST);
    expect(await v7.ownPosts.toArray()).toEqual([own]);
    expect(await v7.pendingSeries.count()).toBe(1);
    expect(await v7.followerCounts.toArray()).toEqual([count]);
    expect(await v7.analyticsViews.toArray()).toEqual([view]);
    expect(await v7.analyticsCache.count()).toBe(0);
    expect(v7.analyticsCache.schema.primKey.name).toBe('key');
    await v7.analyticsCache.put({ key: 'version', version: 3 });
    expect(await v7.analyticsCache.get('version')).toEqual({ key: 'version', version: 3 });
  });

  it('v7 → v8: keeps every analytics post (its tags too) and the index cache; posts are found by profile and date', async () => {
    const name = 'upgrade-v7-v8';
    const v7 = shipped(name, 7);
    const own = (id: string, createdAt: number) => archivedRow({ id, createdAt, text: 'Hello #IFPower', series: null });
    await v7.table('ownPosts').bulkPut([own('x:1', 1), own('x:2', 2)]);
    await v7.table('analyticsCache').put({ key: 'version', version: 4 });
    v7.close();

    const v8 = open(name);
    await v8.open();
    expect(v8.verno).toBe(LATEST);
    expect(await v8.ownPosts.toArray()).toEqual([own('x:1', 1), own('x:2', 2)]);
    expect(await v8.analyticsCache.get('version')).toEqual({ key: 'version', version: 4 });
    const newest = await v8.ownPosts
      .where('[profileId+createdAt]')
      .between(['x:42', 0], ['x:42', Infinity])
      .reverse()
      .first();
    expect(newest?.id).toBe('x:2');
  });
});
