// A Sandbox post in its conversation and its author's profile (the side panel): the world's
// replies, as many as each count says, the same for the same seed; and the people behind posts.
import { describe, expect, it } from 'vitest';
import { SandboxAdapter } from '../../../src/main/networks/sandbox/adapter';
import { SandboxWorld } from '../../../src/main/networks/sandbox/world';
import { ColonnadeError } from '../../../src/shared/errors';
import { ProfileDetailsSchema, ThreadViewSchema, type Post, type ThreadView } from '../../../src/shared/model';
import { FakeClock } from '../../doubles/ports';

const anchorMs = Date.UTC(2026, 10, 25, 8, 0, 0);
const setup = (seed = 42) => {
  const clock = new FakeClock(anchorMs + 60_000);
  const world = new SandboxWorld({ seed, anchorMs });
  return { clock, world, adapter: new SandboxAdapter(world, clock) };
};

async function caught(p: Promise<unknown>): Promise<ColonnadeError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ColonnadeError);
  return err as ColonnadeError;
}

/** Plain posts (not reposts) of the newest page of Home. */
async function homePosts(adapter: SandboxAdapter, limit = 300): Promise<Post[]> {
  const page = await adapter.readTimeline({ kind: 'home', direction: 'older', limit });
  return page.items.filter((e) => !e.repostedBy).map((e) => e.post!);
}

/** Checks the shape of a thread's replies: a tree, depth-first, oldest first among siblings. */
function expectTree(view: ThreadView, nowMs: number) {
  ThreadViewSchema.parse(view);
  const path: Post[] = [view.post];
  let previousSibling = new Map<number, Post>();
  for (const { post, depth } of view.replies) {
    expect(depth).toBeLessThanOrEqual(path.length);
    path.length = depth;
    const parent = path[depth - 1]!;
    expect(post.replyTo).toBe(parent.id);
    expect(Date.parse(post.createdAt)).toBeGreaterThan(Date.parse(parent.createdAt));
    expect(Date.parse(post.createdAt)).toBeLessThanOrEqual(nowMs);
    const sibling = previousSibling.get(depth);
    if (sibling && sibling.replyTo === post.replyTo) expect(post.createdAt >= sibling.createdAt).toBe(true);
    previousSibling = new Map([...previousSibling].filter(([d]) => d < depth));
    previousSibling.set(depth, post);
    path.push(post);
  }
  // Each post counts exactly the replies shown directly below it.
  for (const p of [view.post, ...view.replies.map((r) => r.post)]) {
    expect(view.replies.filter((r) => r.post.replyTo === p.id).length, p.id).toBe(p.metrics.replies);
  }
}

describe('a Sandbox post in its conversation', () => {
  it('shows every reply its count says, nested, oldest first, the same for the same seed', async () => {
    const { adapter, clock } = setup();
    clock.time += 30 * 60_000;
    const posts = await homePosts(adapter);
    const busy = posts.filter((p) => p.metrics.replies >= 3 && !p.replyTo);
    expect(busy.length).toBeGreaterThan(3);
    const views = await Promise.all(busy.map((p) => adapter.thread(p.id)));
    for (const view of views) expectTree(view, clock.now());
    expect(views.every((v) => v.more === 0 && v.ancestors.length === 0)).toBe(true);
    expect(views.some((v) => v.replies.some((r) => r.depth >= 2))).toBe(true);
    // Replies name whom they answer, and the author sometimes answers below their own post.
    for (const v of views) {
      for (const r of v.replies) expect(r.post.entities[0]).toMatchObject({ kind: 'mention', start: 0 });
    }
    expect(views.some((v) => v.replies.some((r) => r.depth >= 2 && r.post.author.id === v.post.author.id))).toBe(true);

    const again = setup();
    again.clock.time = clock.time;
    expect(await again.adapter.thread(busy[0]!.id)).toEqual(views[0]);
    // Later, more replies have come (counts grow), and the earlier ones are still there in place.
    clock.time += 60 * 60_000;
    const later = await adapter.thread(busy[0]!.id);
    expectTree(later, clock.now());
    const before = views[0]!.replies.filter((r) => r.depth === 1).map((r) => r.post.id);
    const after = later.replies.filter((r) => r.depth === 1).map((r) => r.post.id);
    expect(after.slice(0, before.length)).toEqual(before);
  });

  it('opens a reply with what it answers above it, root first, and acts on it like any post', async () => {
    const { adapter, clock } = setup();
    clock.time += 3 * 60 * 60_000;
    const posts = await homePosts(adapter);
    const views = await Promise.all(posts.filter((p) => p.metrics.replies > 0).map((p) => adapter.thread(p.id)));
    const view = views.find((v) => v.replies.some((r) => r.depth === 2))!;
    const deep = view.replies.find((r) => r.depth === 2)!.post;
    const opened = await adapter.thread(deep.id);
    expect(opened.post).toEqual(deep);
    expect(opened.ancestors.map((p) => p.id)).toEqual([...view.ancestors.map((p) => p.id), view.post.id, deep.replyTo]);
    expectTree(opened, clock.now());

    await adapter.act(deep.id, 'like');
    const refreshed = (await adapter.refreshMetrics([deep.id])).metrics.get(deep.id);
    expect(refreshed?.likes).toBe(deep.metrics.likes + 1);
    expect((await adapter.thread(deep.id)).post.viewer).toEqual({ liked: true, reposted: false });
  });

  it('shows a practice post with the replies its notifications announced, and the CM’s own replies below', async () => {
    const { adapter, clock } = setup();
    clock.time += 6 * 60 * 60_000;
    const notifications = await adapter.readTimeline({ kind: 'notifications', direction: 'older', limit: 400 });
    const announced = notifications.items.filter((e) => e.notification?.kind === 'reply');
    expect(announced.length).toBeGreaterThan(0);
    const target = announced[0]!.post!.replyTo!;
    const view = await adapter.thread(target);
    expect(view.post.author.handle).toBe('practice');
    expectTree(view, clock.now());
    const direct = view.replies.filter((r) => r.depth === 1).map((r) => r.post.id);
    for (const e of announced.filter((a) => a.post!.replyTo === target)) expect(direct).toContain(e.post!.id);

    // The CM answers the first reply: her answer shows below it, and opens with the chain above.
    const first = view.replies[0]!.post;
    const mine = await adapter.publish({
      text: 'Thanks for riding with us!',
      replyTo: first.id,
      idempotencyKey: 'k-1',
    });
    const after = await adapter.thread(target);
    const at = after.replies.findIndex((r) => r.post.id === mine.id);
    expect(at).toBeGreaterThan(0);
    expect(after.replies[at]!.depth).toBe(2);
    expect((await adapter.thread(mine.id)).ancestors.map((p) => p.id)).toEqual([target, first.id]);
  });

  it('says a post is gone when it is not in the Sandbox, not there yet, or deleted', async () => {
    const { adapter, world, clock } = setup();
    const future = world.postId(world.latestAt(clock.now()) + 10);
    const mine = await adapter.publish({ text: 'Soon deleted', idempotencyKey: 'k-2' });
    await adapter.act(mine.id, 'delete');
    for (const id of ['sandbox:elsewhere-1', future, `${future}~0`, mine.id, 'x:123']) {
      expect(await caught(adapter.thread(id)), id).toMatchObject({ code: 'not-found', reason: 'post-gone' });
    }
  });
});

describe('a Sandbox profile', () => {
  it('shows a cast member’s bio, counts and whether the practice profile follows them', async () => {
    const { adapter } = setup();
    const ifpower = await adapter.profile('@ifpower');
    ProfileDetailsSchema.parse(ifpower);
    expect(ifpower).toMatchObject({
      id: 'sandbox:ifpower',
      handle: 'ifpower',
      displayName: 'IF Power :ifpower:',
      followers: 48_200,
      viewer: { following: true, followedBy: false },
    });
    expect(ifpower.bio).toMatch(/E-bikes/);
    expect(ifpower.posts).toBeGreaterThan(100);
    expect(ifpower.bannerUrl).toMatch(/^data:image\/svg\+xml,/);
    expect((await adapter.profile('voltcycle')).viewer).toEqual({ following: false, followedBy: false });
    // The same profile as the author of its posts.
    const page = await adapter.readTimeline({ kind: 'user', query: 'ifpower', direction: 'older', limit: 5 });
    const author = page.items.find((e) => !e.repostedBy)!.post!.author;
    expect({ ...author }).toEqual({
      id: ifpower.id,
      network: ifpower.network,
      handle: ifpower.handle,
      displayName: ifpower.displayName,
      avatarUrl: ifpower.avatarUrl,
      url: ifpower.url,
      emojis: ifpower.emojis,
    });
  });

  it('counts the practice profile’s followers as people follow it, and its posts with those it published', async () => {
    const { adapter, clock } = setup();
    const before = await adapter.profile('practice');
    await adapter.publish({ text: 'Hello', idempotencyKey: 'k-1' });
    clock.time += 60 * 60_000; // about 15 follows an hour (one every 60 slots of 4 s)
    const after = await adapter.profile('practice');
    expect(after.followers! - before.followers!).toBeGreaterThanOrEqual(14);
    expect(after.followers! - before.followers!).toBeLessThanOrEqual(16);
    expect(after.posts! - before.posts!).toBeGreaterThanOrEqual(1 + 5); // its own, and a practice post every 10 minutes
    expect(after.following).toBeGreaterThan(10);
  });

  it('shows a follower from a notification as following, with no posts; anyone else is unknown', async () => {
    const { adapter } = setup();
    const page = await adapter.readTimeline({ kind: 'notifications', direction: 'older', limit: 200 });
    const follower = page.items.find((e) => e.notification?.kind === 'follow')!.notification!.actors[0]!;
    const profile = await adapter.profile(follower.handle);
    expect(profile).toMatchObject({ id: follower.id, posts: 0, viewer: { following: false, followedBy: true } });
    const posts = await adapter.readTimeline({ kind: 'user', query: follower.handle, direction: 'older', limit: 20 });
    expect(posts.items).toEqual([]);
    expect(posts.older).toBeNull();
    expect(await caught(adapter.profile('@nobody'))).toMatchObject({
      code: 'not-found',
      reason: 'profile-not-found',
      params: { name: '@nobody' },
    });
  });
});

describe('Sandbox post languages', () => {
  it('gives each post its author’s language; what the CM publishes says none', async () => {
    const { adapter } = setup();
    const posts = await homePosts(adapter, 400);
    expect(new Set(posts.map((p) => p.language))).toEqual(new Set(['en', 'he', 'ar']));
    for (const p of posts) {
      const expected = p.author.handle === 'noa.rides' ? 'he' : p.author.handle === 'karim.velo' ? 'ar' : 'en';
      expect(p.language, p.author.handle).toBe(expected);
    }
    const mine = await adapter.publish({ text: 'Bonjour', idempotencyKey: 'k-1' });
    expect(mine.language).toBeUndefined();
  });
});
