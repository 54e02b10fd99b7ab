import { describe, expect, it } from 'vitest';
import { AnalyticsArchive, type ArchiveChange } from '../../../../src/renderer/analytics/archive-store';
import { ColonnadeError } from '../../../../src/shared/errors';
import { followers, openDb, ownPost, snapshot } from './fixtures';

const archiveOf = () => new AnalyticsArchive(openDb());

describe('the analytics archive', () => {
  it('stores posts, their observations and follower counts, and answers what was new', async () => {
    const archive = archiveOf();
    const post = ownPost('1', '2026-11-30T08:00:00Z');
    const result = await archive.ingest({
      posts: [post],
      snapshots: [
        snapshot(post.id, '2026-11-30T09:00:00Z', { likes: 3, reposts: 1 }),
        snapshot(post.id, '2026-11-30T10:00:00Z', { likes: 8, reposts: 2, replies: 1, quotes: 0 }),
      ],
      followers: [followers('bluesky:cm', '2026-11-30', 400)],
    });
    expect(result).toEqual({
      newPosts: 1,
      updatedPosts: 0,
      duplicatePosts: 0,
      newPoints: 2,
      duplicatePoints: 0,
      newFollowerCounts: 1,
      duplicateFollowerCounts: 0,
    });
    const [row] = await archive.posts([post.id]);
    expect(row).toMatchObject({ id: post.id, points: 2, latestAt: Date.parse('2026-11-30T10:00:00Z') });
    expect(row?.latest).toMatchObject({ likes: 8, reposts: 2, replies: 1, quotes: 0, impressions: null });
    expect((await archive.series(post.id)).map((p) => p.values.likes)).toEqual([3, 8]);
    expect(await archive.followerCounts('bluesky:cm')).toEqual([followers('bluesky:cm', '2026-11-30', 400)]);
  });

  it('marks a post the network says is gone, keeps its history, tells listeners once, and ignores a post it does not hold', async () => {
    const archive = archiveOf();
    const post = ownPost('1', '2026-11-30T08:00:00Z');
    await archive.ingest({ posts: [post], snapshots: [snapshot(post.id, '2026-11-30T09:00:00Z', { likes: 3 })] });
    const heard: ArchiveChange[] = [];
    archive.subscribe((c) => heard.push(c));
    const at = Date.parse('2026-12-01T10:00:00Z');
    await archive.ingest({
      gone: [
        { postId: post.id, at },
        { postId: 'bluesky:unknown', at },
      ],
    });
    expect(heard.map((c) => c.posts.map((p) => [p.id, p.goneAt]))).toEqual([[[post.id, at]]]);
    const [row] = await archive.posts([post.id]);
    expect(row).toMatchObject({ goneAt: at, points: 1, latest: { likes: 3 } });
    expect(await archive.posts(['bluesky:unknown'])).toEqual([undefined]);
    // Said again, or the post met again (an archive import): the first time stays, nothing is told.
    await archive.ingest({ gone: [{ postId: post.id, at: at + 1_000 }] });
    await archive.ingest({ posts: [post] });
    expect(heard).toHaveLength(1);
    expect((await archive.posts([post.id]))[0]?.goneAt).toBe(at);
  });

  it('adds nothing when the same archive is imported twice', async () => {
    const archive = archiveOf();
    const posts = [1, 2, 3].map((i) =>
      ownPost(String(i), `2019-0${i}-01T12:00:00Z`, { network: 'x', profileId: 'x:42' }),
    );
    const batch = {
      posts,
      snapshots: posts.map((p) => snapshot(p.id, '2026-12-01T00:00:00Z', { likes: 10, reposts: 2 }, 'x-archive')),
      followers: [followers('x:42', '2026-12-01', 1500)],
    };
    await archive.ingest(batch);
    const heard: ArchiveChange[] = [];
    archive.subscribe((c) => heard.push(c));
    const again = await archive.ingest(batch);
    expect(again).toEqual({
      newPosts: 0,
      updatedPosts: 0,
      duplicatePosts: 3,
      newPoints: 0,
      duplicatePoints: 3,
      newFollowerCounts: 0,
      duplicateFollowerCounts: 1,
    });
    expect(heard).toEqual([]);
    expect(await archive.db.ownPosts.count()).toBe(3);
    expect((await archive.series(posts[0]!.id)).length).toBe(1);
  });

  it('merges an archived copy with the collected one: richest text, url and flags, both histories', async () => {
    const archive = archiveOf();
    const collected = ownPost('7', '2026-11-02T08:00:00Z', {
      network: 'x',
      profileId: 'x:42',
      text: 'Launch day! #IFPower',
      hashtags: ['IFPower'],
      url: 'https://x.com/cm/status/7',
    });
    await archive.ingest({
      posts: [collected],
      snapshots: [snapshot(collected.id, '2026-11-02T09:00:00Z', { likes: 4, impressions: 300 })],
    });
    const archived = {
      ...collected,
      text: 'Launch day! #IFPower with the whole team https://t.co/abc',
      hashtags: ['ifpower', 'ebike'],
      hasMedia: true,
      url: null,
    };
    const result = await archive.ingest({
      posts: [archived],
      snapshots: [snapshot(collected.id, '2026-12-20T00:00:00Z', { likes: 30, reposts: 5 }, 'x-archive')],
    });
    expect(result).toMatchObject({ newPosts: 0, updatedPosts: 1, newPoints: 1 });
    const [row] = await archive.posts([collected.id]);
    expect(row).toMatchObject({
      text: archived.text,
      url: 'https://x.com/cm/status/7',
      hasMedia: true,
      hashtags: ['IFPower', 'ebike'],
      tags: ['ifpower', 'ebike'],
      points: 2,
    });
    // Latest: likes from the archive's later point, impressions kept from the collector's.
    expect(row?.latest).toMatchObject({ likes: 30, reposts: 5, impressions: 300 });
    expect((await archive.series(collected.id)).map((p) => p.source)).toEqual(['collector', 'x-archive']);
  });

  it('keeps observations that arrive before their post, and gives the post their counts when it comes', async () => {
    const archive = archiveOf();
    const post = ownPost('9', '2026-11-30T08:00:00Z', { network: 'mastodon', profileId: 'mastodon:1@social.example' });
    expect(
      await archive.ingest({ snapshots: [snapshot(post.id, '2026-11-30T09:00:00Z', { likes: 6 })] }),
    ).toMatchObject({
      newPoints: 1,
      newPosts: 0,
    });
    expect(await archive.posts([post.id])).toEqual([undefined]);
    expect(await archive.series(post.id)).toHaveLength(1);
    await archive.ingest({ posts: [post], snapshots: [snapshot(post.id, '2026-11-30T10:00:00Z', { likes: 9 })] });
    const [row] = await archive.posts([post.id]);
    expect(row?.latest?.likes).toBe(9);
    expect(row?.points).toBe(2);
    expect((await archive.series(post.id)).map((p) => p.values.likes)).toEqual([6, 9]);
    expect(await archive.db.pendingSeries.count()).toBe(0);
  });

  it('tells new posts from known ones however their ids lie among those stored', async () => {
    const archive = archiveOf();
    const id = (i: number) => String(i).padStart(4, '0');
    await archive.ingest({ posts: Array.from({ length: 200 }, (_, i) => ownPost(id(i * 2), '2026-11-30T08:00:00Z')) });
    // Few ids spread over the whole table (its rows read by id), then a stretch of new and known
    // ids side by side (the keys between them read at once).
    const spread = await archive.ingest({
      posts: Array.from({ length: 20 }, (_, i) => ownPost(id(i * 20 + (i % 2)), '2026-11-30T08:00:00Z')),
    });
    expect([spread.newPosts, spread.duplicatePosts]).toEqual([10, 10]);
    // The same post twice in one batch is one post.
    const twice = await archive.ingest({
      posts: [ownPost('x1', '2026-11-30T08:00:00Z'), ownPost('x1', '2026-11-30T08:00:00Z')],
    });
    expect([twice.newPosts, twice.duplicatePosts]).toEqual([1, 1]);
    const stretch = await archive.ingest({
      posts: Array.from({ length: 20 }, (_, i) => ownPost(id(200 + i), '2026-11-30T08:00:00Z')),
    });
    expect([stretch.newPosts, stretch.updatedPosts, stretch.duplicatePosts]).toEqual([10, 0, 10]);
    expect(await archive.db.ownPosts.count()).toBe(221);
  });

  it('keeps each post’s hashtags once, whatever the case they were written in, for the query engine', async () => {
    const archive = archiveOf();
    await archive.ingest({
      posts: [
        ownPost('1', '2026-11-30T08:00:00Z', { hashtags: ['IFPower'] }),
        ownPost('2', '2026-11-30T09:00:00Z', { hashtags: ['ifpower', 'Été'] }),
        ownPost('3', '2026-11-30T10:00:00Z', { hashtags: ['other'] }),
      ],
    });
    const rows = await archive.posts(['bluesky:1', 'bluesky:2', 'bluesky:3']);
    expect(rows.map((r) => r?.tags)).toEqual([['ifpower'], ['ifpower', 'été'], ['other']]);
    // As spelled, for display.
    expect(rows[1]?.hashtags).toEqual(['ifpower', 'Été']);
  });

  it('keeps the first follower count of a day', async () => {
    const archive = archiveOf();
    await archive.ingest({ followers: [followers('bluesky:cm', '2026-11-30', 400)] });
    const r = await archive.ingest({
      followers: [followers('bluesky:cm', '2026-11-30', 410), followers('bluesky:cm', '2026-12-01', 420)],
    });
    expect([r.newFollowerCounts, r.duplicateFollowerCounts]).toEqual([1, 1]);
    expect((await archive.followerCounts('bluesky:cm')).map((c) => c.followers)).toEqual([400, 420]);
  });

  it('refuses a batch with a malformed item and writes none of it', async () => {
    const archive = archiveOf();
    const good = ownPost('1', '2026-11-30T08:00:00Z');
    const bad = snapshot(good.id, '2026-11-30T09:00:00Z', { likes: -1 });
    const attempt = archive.ingest({ posts: [good], snapshots: [bad] });
    await expect(attempt).rejects.toBeInstanceOf(ColonnadeError);
    await expect(attempt).rejects.toMatchObject({
      code: 'bad-request',
      reason: 'analytics-invalid',
      field: 'snapshots.0.values.likes',
    });
    expect(await archive.db.ownPosts.count()).toBe(0);
  });

  it('tells subscribers what it wrote, after the commit', async () => {
    const archive = archiveOf();
    const heard: ArchiveChange[] = [];
    archive.subscribe((c) => heard.push(c));
    const post = ownPost('1', '2026-11-30T08:00:00Z');
    await archive.ingest({ posts: [post], followers: [followers('bluesky:cm', '2026-11-30', 10)] });
    expect(heard).toHaveLength(1);
    expect(heard[0]!.posts.map((p) => p.id)).toEqual([post.id]);
    expect(heard[0]!.followers).toHaveLength(1);
  });

  it('reads every post in chunks', async () => {
    const archive = archiveOf();
    await archive.ingest({
      posts: Array.from({ length: 25 }, (_, i) => ownPost(String(i).padStart(2, '0'), '2026-11-30T08:00:00Z')),
    });
    const chunks: number[] = [];
    const seen = new Set<string>();
    expect(
      await archive.scanPosts((rows) => {
        chunks.push(rows.length);
        for (const r of rows) seen.add(r.id);
      }, 10),
    ).toBe(25);
    expect(chunks).toEqual([10, 10, 5]);
    expect(seen.size).toBe(25);
  });
});
