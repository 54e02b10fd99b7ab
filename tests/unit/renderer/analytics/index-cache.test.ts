// The analytics index kept in the archive's cache (query.ts `keep`, `load`): opening the analytics
// reads one row instead of every post while the archive has not changed, and the index stays
// exact when writes are heard out of order (the import worker's, posted to the page, and the
// page's own).
import { describe, expect, it, vi } from 'vitest';
import { AnalyticsArchive } from '../../../../src/renderer/analytics/archive-store';
import { AnalyticsIndex } from '../../../../src/renderer/analytics/query';
import type { OwnPost } from '../../../../src/shared/analytics';
import { followers, openDb, ownPost, snapshot } from './fixtures';

const x = (id: string, at: string, over: Partial<OwnPost> = {}) =>
  ownPost(id, at, { network: 'x', profileId: 'x:42', handle: 'cm_x', ...over });

async function archiveWithPosts(): Promise<AnalyticsArchive> {
  const archive = new AnalyticsArchive(openDb());
  const posts = [
    ownPost('a', '2026-11-02T08:00:00Z', { hashtags: ['IFPower', 'Lyon'], hasMedia: true }),
    ownPost('b', '2026-11-03T08:00:00Z', { isReply: true }),
    x('c', '2026-11-04T08:00:00Z', { hashtags: ['ifpower'] }),
    x('d', '2026-11-05T08:00:00Z'),
  ];
  await archive.ingest({
    posts,
    snapshots: [
      snapshot('bluesky:a', '2026-11-03T08:00:00Z', { likes: 50, reposts: 10, replies: 0, quotes: 0 }),
      snapshot('bluesky:b', '2026-11-04T08:00:00Z', { likes: 10, reposts: 0, replies: 0, quotes: 0 }),
      snapshot('x:c', '2026-11-05T08:00:00Z', { likes: 40, impressions: 500 }),
    ],
    followers: [followers('bluesky:cm', '2026-01-01', 1000)],
  });
  return archive;
}

/** Every row as the table shows it, by post id (row numbers may differ between two indexes). */
function rowsOf(index: AnalyticsIndex) {
  return Object.fromEntries(
    Array.from({ length: index.size }, (_, r) => {
      const { row: _row, ...shown } = index.row(r);
      return [shown.id, shown];
    }),
  );
}

describe('the analytics index kept in the archive', () => {
  it('opens from the kept columns while the archive has not changed: the same rows, rates and answers', async () => {
    const archive = await archiveWithPosts();
    const first = await AnalyticsIndex.load(archive);
    expect(await first.keep()).toBe(true);
    first.dispose();

    const scan = vi.spyOn(archive, 'scanPosts');
    const again = await AnalyticsIndex.load(archive);
    expect(scan).not.toHaveBeenCalled();
    expect(rowsOf(again)).toEqual(rowsOf(first));
    expect(again.row(again.rowOf('bluesky:a')!).engagement.rate).toBeCloseTo(0.06);
    expect(again.query({ hashtag: '#IFPOWER' }, { key: 'createdAt', dir: 'asc' }).length).toBe(2);
    expect(
      again
        .profiles()
        .map((p) => p.profileId)
        .sort(),
    ).toEqual(['bluesky:cm', 'x:42']);

    // It follows the archive as a loaded one does.
    await archive.ingest({ posts: [x('e', '2026-11-06T08:00:00Z')] });
    expect(again.rowOf('x:e')).toBeDefined();
    again.dispose();
  });

  it('reads every post again when the archive changed after the columns were kept', async () => {
    const archive = await archiveWithPosts();
    const first = await AnalyticsIndex.load(archive);
    expect(await first.keep()).toBe(true);
    first.dispose();
    // Written while no index follows (as when main delivers before the analytics are opened).
    await archive.ingest({ snapshots: [snapshot('x:d', '2026-11-06T08:00:00Z', { likes: 9, impressions: 300 })] });

    const scan = vi.spyOn(archive, 'scanPosts');
    const again = await AnalyticsIndex.load(archive);
    expect(scan).toHaveBeenCalled();
    expect(again.row(again.rowOf('x:d')!).latest.likes).toBe(9);
    again.dispose();
  });

  it('keeps the columns again after the changes it heard, and opens from them with those changes', async () => {
    const archive = await archiveWithPosts();
    const index = await AnalyticsIndex.load(archive);
    await archive.ingest({
      posts: [x('e', '2026-11-06T08:00:00Z')],
      snapshots: [snapshot('x:e', '2026-11-07T08:00:00Z', { likes: 7, impressions: 100 })],
    });
    expect(await index.keep()).toBe(true);
    // Nothing changed since: nothing to keep.
    expect(await index.keep()).toBe(false);
    index.dispose();

    const scan = vi.spyOn(archive, 'scanPosts');
    const again = await AnalyticsIndex.load(archive);
    expect(scan).not.toHaveBeenCalled();
    expect(again.size).toBe(5);
    expect(again.row(again.rowOf('x:e')!).engagement.rate).toBeCloseTo(0.07);
    again.dispose();
  });

  it('does not let a write heard late undo a later one, and keeps nothing while a write is unheard', async () => {
    const archive = await archiveWithPosts();
    const index = await AnalyticsIndex.load(archive);
    // Written on another connection (the import worker): the page hears of it later.
    const early = await archive.write({
      snapshots: [snapshot('x:d', '2026-11-06T08:00:00Z', { likes: 3, impressions: 100 })],
    });
    // Until it is heard, the index is not what the archive holds: it is not kept.
    expect(await index.keep()).toBe(false);
    await archive.ingest({ snapshots: [snapshot('x:d', '2026-11-07T08:00:00Z', { likes: 8, impressions: 200 })] });
    expect(index.row(index.rowOf('x:d')!).latest.likes).toBe(8);
    archive.announce(early.change);
    expect(index.row(index.rowOf('x:d')!).latest.likes).toBe(8);
    expect(await index.keep()).toBe(true);
    index.dispose();
  });

  it('reads every post when the kept columns are of another format or damaged', async () => {
    const archive = await archiveWithPosts();
    const version = await archive.version();
    await archive.db.analyticsCache.put({ key: 'index', version, data: { format: 0, n: 4 } });
    const index = await AnalyticsIndex.load(archive);
    expect(index.size).toBe(4);
    expect(index.row(index.rowOf('x:c')!).engagement.rate).toBeCloseTo(0.08);
    index.dispose();
  });
});
