import { describe, expect, it } from 'vitest';
import { SandboxAdapter } from '../../../src/main/networks/sandbox/adapter';
import { POST_GAP_MS, SandboxWorld } from '../../../src/main/networks/sandbox/world';
import { ColonnadeError } from '../../../src/shared/errors';
import { PostSchema } from '../../../src/shared/model';
import { FakeClock } from '../../doubles/ports';

const anchorMs = Date.UTC(2026, 10, 25, 8, 0, 0);
const setup = (seed = 42) => {
  const clock = new FakeClock(anchorMs + 60_000);
  const world = new SandboxWorld({ seed, anchorMs });
  return { clock, world, adapter: new SandboxAdapter(world, clock) };
};

describe('the Sandbox world', () => {
  it('is the same for the same seed, and different for another', async () => {
    const a = await setup(42).adapter.readTimeline({ kind: 'home', direction: 'older', limit: 20 });
    const b = await setup(42).adapter.readTimeline({ kind: 'home', direction: 'older', limit: 20 });
    const c = await setup(7).adapter.readTimeline({ kind: 'home', direction: 'older', limit: 20 });
    expect(a).toEqual(b);
    expect(c.items.map((p) => p.text)).not.toEqual(a.items.map((p) => p.text));
  });

  it('makes valid posts with authors, generated avatars, hashtags, links and media', async () => {
    const { adapter } = setup();
    const page = await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 200 });
    for (const post of page.items) expect(PostSchema.safeParse(post).success).toBe(true);
    expect(page.items.every((p) => p.author.avatarUrl?.startsWith('data:image/svg+xml'))).toBe(true);
    const kinds = new Set(page.items.flatMap((p) => p.entities.map((e) => e.kind)));
    expect(kinds).toEqual(new Set(['hashtag', 'link', 'mention']));
    expect(page.items.some((p) => p.media.length > 0)).toBe(true);
    expect(page.items.some((p) => p.repostedBy && p.repostedBy.id !== p.author.id)).toBe(true);
    expect(page.items.some((p) => p.contentWarning)).toBe(true);
    for (const post of page.items) {
      for (const e of post.entities) {
        const text = post.text.slice(e.start, e.end);
        expect(
          e.kind === 'hashtag'
            ? text === `#${e.value}`
            : e.kind === 'mention'
              ? text === `@${e.value}`
              : text === e.value,
        ).toBe(true);
      }
    }
  });

  it('pages backwards through history without gaps or repeats, newest first', async () => {
    const { adapter } = setup();
    const first = await adapter.readTimeline({ kind: 'hashtag', query: 'IFPower', direction: 'older', limit: 30 });
    const second = await adapter.readTimeline({
      kind: 'hashtag',
      query: 'IFPower',
      direction: 'older',
      cursor: first.older,
      limit: 30,
    });
    const all = [...first.items, ...second.items];
    expect(new Set(all.map((p) => p.id)).size).toBe(60);
    const times = all.map((p) => Date.parse(p.createdAt));
    expect(times).toEqual([...times].sort((x, y) => y - x));
    expect(all.every((p) => p.entities.some((e) => e.kind === 'hashtag' && e.value === 'IFPower'))).toBe(true);
  });

  it('brings new posts as time passes, after the cursor only', async () => {
    const { adapter, clock } = setup();
    const page = await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 10 });
    clock.time += 10 * POST_GAP_MS;
    const newer = await adapter.readTimeline({ kind: 'home', direction: 'newer', cursor: page.newer, limit: 50 });
    expect(newer.items.length).toBeGreaterThan(0);
    const newest = Date.parse(page.items[0]!.createdAt);
    expect(newer.items.every((p) => Date.parse(p.createdAt) > newest)).toBe(true);
    expect(newer.items.every((p) => Date.parse(p.createdAt) <= clock.now())).toBe(true);
    const again = await adapter.readTimeline({ kind: 'home', direction: 'newer', cursor: newer.newer, limit: 50 });
    expect(again.items).toEqual([]);
  });

  it('grows like, repost and reply counts as posts age', async () => {
    const { adapter, clock } = setup();
    const page = await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 100 });
    const ids = page.items.map((p) => p.id);
    const before = await adapter.refreshMetrics(ids);
    clock.time += 30 * 60_000;
    const after = await adapter.refreshMetrics(ids);
    const sum = (m: Map<string, { likes: number; reposts: number; replies: number }>) =>
      [...m.values()].reduce((s, v) => s + v.likes + v.reposts + v.replies, 0);
    expect(sum(after)).toBeGreaterThan(sum(before));
    for (const id of ids) expect(after.get(id)!.likes).toBeGreaterThanOrEqual(before.get(id)!.likes);
    expect((await adapter.refreshMetrics(['x:123'])).size).toBe(0);
  });

  it('answers an unknown user or list with not-found, in words', async () => {
    const { adapter } = setup();
    await expect(
      adapter.readTimeline({ kind: 'user', query: '@nobody', direction: 'older', limit: 5 }),
    ).rejects.toMatchObject({
      code: 'not-found',
      message: 'There is no @nobody in the Sandbox.',
    });
    await expect(
      adapter.readTimeline({ kind: 'list', query: 'nope', direction: 'older', limit: 5 }),
    ).rejects.toBeInstanceOf(ColonnadeError);
    const user = await adapter.readTimeline({ kind: 'user', query: '@ifpower', direction: 'older', limit: 5 });
    expect(user.items.every((p) => p.author.handle === 'ifpower')).toBe(true);
  });

  it('keeps post times strictly increasing', () => {
    const { world } = setup();
    for (let n = -200; n < 200; n++) expect(world.timeOf(n + 1)).toBeGreaterThan(world.timeOf(n));
    const latest = world.latestAt(anchorMs + 60_000);
    expect(world.timeOf(latest)).toBeLessThanOrEqual(anchorMs + 60_000);
    expect(world.timeOf(latest + 1)).toBeGreaterThan(anchorMs + 60_000);
  });
});

describe('acting and publishing in the Sandbox', () => {
  it('remembers likes for the viewer, and publishes once per idempotency key', async () => {
    const { adapter } = setup();
    const page = await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 3 });
    const target = page.items[0]!;
    expect(target.viewer).toEqual({ liked: false, reposted: false });
    await adapter.act(target.id, 'like');
    const again = await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 3 });
    expect(again.items[0]!.viewer).toEqual({ liked: true, reposted: false });
    await expect(adapter.act('sandbox:nope', 'like')).rejects.toMatchObject({ code: 'not-found' });

    const first = await adapter.publish({ text: 'Hello #IFPower', idempotencyKey: 'k-1' });
    const retry = await adapter.publish({ text: 'Hello #IFPower', idempotencyKey: 'k-1' });
    expect(retry.id).toBe(first.id);
    await expect(adapter.act(target.id, 'delete')).rejects.toMatchObject({ code: 'not-allowed' });
    await adapter.act(first.id, 'delete');
    await expect(adapter.publish({ text: 'x'.repeat(501), idempotencyKey: 'k-2' })).rejects.toMatchObject({
      code: 'invalid',
    });
    expect((await adapter.lists()).map((l) => l.id)).toEqual(['competitors', 'press', 'creators']);
  });
});
