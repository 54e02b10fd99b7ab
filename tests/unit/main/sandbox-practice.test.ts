// What the practice profile does in the Sandbox shows where a network would show it: its posts
// in Home, in its own user column and in the hashtag and search columns they match, at their
// time; its like and repost in the counts, after a refresh too; and each new follower once.
import { describe, expect, it } from 'vitest';
import { entitiesIn, SandboxAdapter } from '../../../src/main/networks/sandbox/adapter';
import { POST_GAP_MS, SandboxWorld } from '../../../src/main/networks/sandbox/world';
import type { TimelineRequest } from '../../../src/shared/adapter';
import type { TimelineEntry } from '../../../src/shared/model';
import { FakeClock } from '../../doubles/ports';

const anchorMs = Date.UTC(2026, 10, 25, 8, 0, 0);
const setup = (seed = 42) => {
  const clock = new FakeClock(anchorMs + 60_000);
  const world = new SandboxWorld({ seed, anchorMs });
  return { clock, world, adapter: new SandboxAdapter(world, clock) };
};

type Column = Pick<TimelineRequest, 'kind' | 'query'>;
const HOME: Column = { kind: 'home' };
const PRACTICE: Column = { kind: 'user', query: '@practice' };
const TAG: Column = { kind: 'hashtag', query: '#LaunchDay' };
const SEARCH: Column = { kind: 'search', query: 'saddle giveaway' };
const OTHER_TAG: Column = { kind: 'hashtag', query: 'BikeToWork' };
const MENTIONS: Column = { kind: 'mentions' };

describe('posts the practice profile publishes', () => {
  it('appear in Home, @practice, and the hashtag and search columns they match, at their time', async () => {
    const { adapter, clock } = setup();
    // Each column has read its first page, then polls for newer.
    const cursors = new Map<Column, string>();
    for (const c of [HOME, PRACTICE, TAG, SEARCH, OTHER_TAG, MENTIONS]) {
      const page = await adapter.readTimeline({ ...c, direction: 'older', limit: 20 });
      cursors.set(c, page.newer!);
    }
    clock.time += 1_000;
    const post = await adapter.publish({ text: 'Our saddle giveaway starts now #LaunchDay', idempotencyKey: 'k-1' });
    expect(post.entities).toEqual([{ kind: 'hashtag', start: 31, end: 41, value: 'LaunchDay' }]);

    // Polls after the next slot appeared bring it once, to the columns it belongs in.
    clock.time += 2 * POST_GAP_MS;
    const newer = async (c: Column) =>
      (await adapter.readTimeline({ ...c, direction: 'newer', cursor: cursors.get(c)!, limit: 50 })).items;
    for (const c of [HOME, PRACTICE, TAG, SEARCH]) {
      const entries = await newer(c);
      const mine = entries.filter((e) => e.key === post.id);
      expect(mine, `${c.kind} ${c.query ?? ''}`).toHaveLength(1);
      expect(mine[0]).toMatchObject({ at: post.createdAt, post: { id: post.id, author: { handle: 'practice' } } });
      // Newest first: the entry sits at its time among the world's.
      const ats = entries.map((e) => Date.parse(e.at));
      expect(ats).toEqual([...ats].sort((a, b) => b - a));
    }
    for (const c of [OTHER_TAG, MENTIONS]) expect((await newer(c)).some((e) => e.key === post.id)).toBe(false);
  });

  it('are on the first page of a column opened right after, and page back in their place', async () => {
    const { adapter, clock } = setup();
    const post = await adapter.publish({ text: 'Fresh #LaunchDay news', idempotencyKey: 'k-1' });
    const first = await adapter.readTimeline({ ...TAG, direction: 'older', limit: 5 });
    expect(first.items[0]?.key).toBe(post.id);
    // Later, deep in the history of @practice, it is still there once, between older and newer posts.
    clock.time += 100 * POST_GAP_MS;
    const entries: TimelineEntry[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) {
      const page: Awaited<ReturnType<typeof adapter.readTimeline>> = await adapter.readTimeline({
        ...PRACTICE,
        direction: 'older',
        cursor,
        limit: 3,
      });
      entries.push(...page.items);
      cursor = page.older;
    }
    expect(entries.filter((e) => e.key === post.id)).toHaveLength(1);
    const ats = entries.map((e) => Date.parse(e.at));
    expect(ats).toEqual([...ats].sort((a, b) => b - a));
    expect(entries.every((e) => e.post?.author.handle === 'practice')).toBe(true);
  });

  it('leave every column once deleted', async () => {
    const { adapter, clock } = setup();
    const post = await adapter.publish({ text: 'Oops #LaunchDay', idempotencyKey: 'k-1' });
    await adapter.act(post.id, 'delete');
    clock.time += 2 * POST_GAP_MS;
    const page = await adapter.readTimeline({ ...HOME, direction: 'older', limit: 30 });
    expect(page.items.some((e) => e.key === post.id)).toBe(false);
  });

  it('mark hashtags, mentions of Sandbox people and links', () => {
    const text = 'Thanks @ada.builds and @nobody! #ebike #2025 see https://ifpower.example/launch.';
    expect(entitiesIn(text, ['ada.builds'])).toEqual([
      { kind: 'mention', start: 7, end: 18, value: 'ada.builds' },
      { kind: 'hashtag', start: 32, end: 38, value: 'ebike' },
      { kind: 'link', start: 49, end: 79, value: 'https://ifpower.example/launch' },
    ]);
  });
});

describe('the practice profile’s own like and repost', () => {
  it('count in the post’s counts, in timelines and after a refresh', async () => {
    const { adapter } = setup();
    const [entry] = (await adapter.readTimeline({ ...HOME, direction: 'older', limit: 1 })).items;
    const target = entry!.post!;
    const before = (await adapter.refreshMetrics([target.id])).metrics.get(target.id)!;
    await adapter.act(target.id, 'repost');
    await adapter.act(target.id, 'like');
    const after = (await adapter.refreshMetrics([target.id])).metrics.get(target.id)!;
    expect(after.reposts).toBe(before.reposts + 1);
    expect(after.likes).toBe(before.likes + 1);
    const [again] = (await adapter.readTimeline({ ...HOME, direction: 'older', limit: 1 })).items;
    expect(again!.post!.metrics.reposts).toBe(before.reposts + 1);
    expect(again!.post!.viewer).toEqual({ liked: true, reposted: true });
    await adapter.act(target.id, 'unrepost');
    expect((await adapter.refreshMetrics([target.id])).metrics.get(target.id)!.reposts).toBe(before.reposts);
  });

  it('a repost of its own new post shows 1, not 0, after a refresh', async () => {
    const { adapter } = setup();
    const post = await adapter.publish({ text: 'Ours', idempotencyKey: 'k-1' });
    await adapter.act(post.id, 'repost');
    expect((await adapter.refreshMetrics([post.id])).metrics.get(post.id)).toMatchObject({ reposts: 1, likes: 0 });
  });
});

describe('followers', () => {
  it('follow once each: over a day of notifications nobody follows twice', async () => {
    const { adapter, clock } = setup();
    clock.time += 24 * 3_600_000;
    const followers: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 60 && followers.length < 300; i++) {
      const page: Awaited<ReturnType<typeof adapter.readTimeline>> = await adapter.readTimeline({
        kind: 'notifications',
        direction: 'older',
        cursor,
        limit: 100,
      });
      for (const e of page.items) {
        if (e.notification?.kind === 'follow') followers.push(e.notification.actors[0]!.handle);
      }
      cursor = page.older;
      if (!cursor) break;
    }
    expect(followers.length).toBeGreaterThan(250);
    expect(new Set(followers).size).toBe(followers.length);
    // Not the cast (whose likes and posts fill the columns): new people, each with a name.
    expect(followers).not.toContain('lena_greenway');
  });
});
