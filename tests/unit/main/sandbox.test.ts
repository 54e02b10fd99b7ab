import { describe, expect, it } from 'vitest';
import { PRACTICE_CATCH_UP_SLOTS, SandboxAdapter } from '../../../src/main/networks/sandbox/adapter';
import { POST_GAP_MS, SandboxWorld } from '../../../src/main/networks/sandbox/world';
import { ColonnadeError } from '../../../src/shared/errors';
import { TimelineEntrySchema, type Page, type Post, type TimelineEntry } from '../../../src/shared/model';
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
    expect(c.items.map((e) => e.post?.text)).not.toEqual(a.items.map((e) => e.post?.text));
  });

  it('makes valid entries with authors, generated avatars, hashtags, links, pictures and content warnings', async () => {
    const { adapter } = setup();
    const page = await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 200 });
    for (const entry of page.items) expect(TimelineEntrySchema.safeParse(entry).success).toBe(true);
    const posts = page.items.map((e) => e.post!);
    expect(posts.every((p) => p.author.avatarUrl?.startsWith('data:image/svg+xml'))).toBe(true);
    const kinds = new Set(posts.flatMap((p) => p.entities.map((e) => e.kind)));
    expect(kinds).toEqual(new Set(['hashtag', 'link', 'mention']));
    const media = posts.flatMap((p) => p.media);
    expect(media.length).toBeGreaterThan(0);
    expect(media.some((m) => m.url?.startsWith('data:image/svg+xml'))).toBe(true);
    expect(posts.some((p) => p.contentWarning)).toBe(true);
    for (const post of posts) {
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

  it('brings reposts of old posts at the time of the repost, with who reposted, newest entry first', async () => {
    const { adapter, world } = setup();
    const page = await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 300 });
    const ats = page.items.map((e) => Date.parse(e.at));
    expect(ats).toEqual([...ats].sort((x, y) => y - x));
    const reposts = page.items.filter((e) => e.repostedBy);
    expect(reposts.length).toBeGreaterThan(10);
    for (const r of reposts) {
      expect(r.repostedBy!.id).not.toBe(r.post!.author.id);
      expect(r.key).not.toBe(r.post!.id); // the repost's own id: the original may sit in the same column
      expect(Date.parse(r.at)).toBeGreaterThan(Date.parse(r.post!.createdAt));
    }
    // Some are of posts hours or days old, made minutes ago.
    const hour = 3_600_000;
    expect(reposts.some((r) => Date.parse(r.at) - Date.parse(r.post!.createdAt) > 6 * hour)).toBe(true);
    expect(reposts.some((r) => Date.parse(r.at) - Date.parse(r.post!.createdAt) > 24 * hour)).toBe(true);
    // The original keeps its own counts, which refreshMetrics finds by its id.
    const old = reposts[0]!.post!;
    expect((await adapter.refreshMetrics([old.id])).metrics.get(old.id)).toEqual(old.metrics);
    expect(world.numberOf(old.id)).toBeDefined();
    // Plain posts are met at their own time.
    for (const e of page.items.filter((x) => !x.repostedBy)) expect(e.at).toBe(e.post!.createdAt);
  });

  it('has quote posts (the quoted post inside, or why it is unavailable), folded and sensitive posts', async () => {
    const { adapter } = setup();
    const posts: Post[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 4; i++) {
      const page: Page<TimelineEntry> = await adapter.readTimeline({
        kind: 'home',
        direction: 'older',
        cursor,
        limit: 200,
      });
      posts.push(...page.items.map((e) => e.post!));
      cursor = page.older;
    }
    const quotes = posts.filter((p) => p.quote);
    expect(quotes.length).toBeGreaterThan(5);
    for (const q of quotes) {
      expect(q.quote!.id).not.toBe(q.id);
      expect('quote' in q.quote!).toBe(false);
      expect(Date.parse(q.quote!.createdAt)).toBeLessThan(Date.parse(q.createdAt));
    }
    expect(posts.some((p) => p.quoteUnavailable === 'deleted' && !p.quote)).toBe(true);

    const moderation = posts.flatMap((p) => p.moderation ?? []);
    expect(moderation).toContainEqual({ scope: 'media', source: 'sensitive', text: '' });
    expect(moderation).toContainEqual({ scope: 'media', source: 'label', text: 'graphic-media' });
    expect(moderation.filter((m) => m.scope === 'post').map((m) => m.text)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(Giveaway spam|Price rumours)$/)]),
    );
    // Media moderation only on posts that have media.
    for (const p of posts)
      if (p.moderation?.some((m) => m.scope === 'media')) expect(p.media.length).toBeGreaterThan(0);
  });

  it('has people who write right to left: Hebrew and Arabic posts and names', async () => {
    const { adapter } = setup();
    const firstStrong = (text: string) => /[\p{L}]/u.exec(text)?.[0] ?? '';
    const hebrew = await adapter.readTimeline({ kind: 'user', query: 'noa.rides', direction: 'older', limit: 10 });
    const arabic = await adapter.readTimeline({ kind: 'user', query: '@karim.velo', direction: 'older', limit: 10 });
    const plain = (page: Page<TimelineEntry>) => page.items.filter((e) => !e.repostedBy).map((e) => e.post!);
    expect(plain(hebrew).length).toBeGreaterThan(3);
    expect(plain(arabic).length).toBeGreaterThan(3);
    for (const p of plain(hebrew)) {
      expect(firstStrong(p.text)).toMatch(/\p{Script=Hebrew}/u);
      expect(firstStrong(p.author.displayName)).toMatch(/\p{Script=Hebrew}/u);
    }
    for (const p of plain(arabic)) expect(firstStrong(p.text)).toMatch(/\p{Script=Arabic}/u);
  });

  it('uses custom emoji in text, content warnings and names, each listed with its picture', async () => {
    const { adapter } = setup();
    const page = await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 400 });
    const posts = page.items.map((e) => e.post!);
    const withEmoji = posts.filter((p) => p.emojis);
    expect(withEmoji.some((p) => p.text.includes(':ifpower:') || p.text.includes(':ebike:'))).toBe(true);
    for (const p of withEmoji) {
      for (const e of p.emojis!) {
        expect(e.url).toMatch(/^data:image\/svg\+xml,/);
        expect(`${p.text} ${p.contentWarning ?? ''}`).toContain(`:${e.shortcode}:`);
      }
    }
    for (const p of posts.filter((x) => !x.emojis)) expect(p.text).not.toMatch(/:(ifpower|ebike):/);
    const brand = await adapter.readTimeline({ kind: 'user', query: 'ifpower', direction: 'older', limit: 3 });
    const author = brand.items.find((e) => !e.repostedBy)!.post!.author;
    expect(author.displayName).toBe('IF Power :ifpower:');
    expect(author.emojis?.map((e) => e.shortcode)).toEqual(['ifpower']);
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
    expect(new Set(all.map((e) => e.key)).size).toBe(60);
    const times = all.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((x, y) => y - x));
    expect(all.every((e) => e.post!.entities.some((x) => x.kind === 'hashtag' && x.value === 'IFPower'))).toBe(true);
    // A hashtag search finds posts, not reposts.
    expect(all.some((e) => e.repostedBy)).toBe(false);
  });

  it('brings new posts as time passes, after the cursor only', async () => {
    const { adapter, clock } = setup();
    const page = await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 10 });
    clock.time += 10 * POST_GAP_MS;
    const newer = await adapter.readTimeline({ kind: 'home', direction: 'newer', cursor: page.newer, limit: 50 });
    expect(newer.items.length).toBeGreaterThan(0);
    const newest = Date.parse(page.items[0]!.at);
    expect(newer.items.every((e) => Date.parse(e.at) > newest)).toBe(true);
    expect(newer.items.every((e) => Date.parse(e.at) <= clock.now())).toBe(true);
    const again = await adapter.readTimeline({ kind: 'home', direction: 'newer', cursor: newer.newer, limit: 50 });
    expect(again.items).toEqual([]);
  });

  it('a hashtag column closed for a day catches up the last hour in pages, none twice, and says the rest is beyond reach', async () => {
    const { adapter, clock, world } = setup();
    const column = { kind: 'hashtag' as const, query: 'IFPower' };
    const first = await adapter.readTimeline({ ...column, direction: 'older', limit: 50 });
    const newestSeen = Date.parse(first.items[0]!.at);
    clock.time += 24 * 3_600_000;

    const caughtUp: TimelineEntry[] = [];
    const catchUp = async () => {
      const out: TimelineEntry[] = [];
      const head = await adapter.readTimeline({ ...column, direction: 'newer', cursor: first.newer, limit: 50 });
      out.push(...head.items);
      let between = head.between ?? null;
      let pages = 1;
      while (between) {
        const page = await adapter.readTimeline({ ...column, direction: 'newer', cursor: between, limit: 50 });
        expect(page.newer).toBeNull(); // only the first page moves the column's position
        expect(page.items.length).toBeLessThanOrEqual(50);
        out.push(...page.items);
        between = page.between ?? null;
        pages++;
      }
      return { head, out, pages };
    };
    const { head, out, pages } = await catchUp();
    caughtUp.push(...out);

    // What the world holds: every post with the hashtag in the last PRACTICE_CATCH_UP_SLOTS
    // slots (about an hour); a day is some 21,600 slots, not worth a flood of practice data.
    const latest = world.latestAt(clock.now());
    const reach = latest - PRACTICE_CATCH_UP_SLOTS + 1;
    const expected: string[] = [];
    for (let n = latest; n >= reach; n--) {
      if (world.matches(n, { kind: 'hashtag', tag: 'IFPower' })) expected.push(world.postId(n));
    }
    expect(expected.length).toBeGreaterThan(200); // about 40% of 900 slots
    expect(caughtUp.map((e) => e.key)).toEqual(expected); // all of them, newest first, each once
    expect(pages).toBeGreaterThan(expected.length / 50 - 1);
    // Older than that is the network's horizon: the engine shows a gap marker saying so.
    expect(head.horizon).toBe(new Date(world.timeOf(reach)).toISOString());
    expect(Date.parse(head.horizon!)).toBeGreaterThan(newestSeen);
    expect(Date.parse(caughtUp.at(-1)!.at)).toBeGreaterThanOrEqual(Date.parse(head.horizon!));

    // The position the first page answered is now: nothing more until time passes.
    const after = await adapter.readTimeline({ ...column, direction: 'newer', cursor: head.newer, limit: 50 });
    expect(after.items).toEqual([]);
    expect(after.between ?? null).toBeNull();
    // The same seed catches up the same posts.
    const again = setup();
    again.clock.time = clock.time;
    const replay = await again.adapter.readTimeline({ ...column, direction: 'newer', cursor: first.newer, limit: 50 });
    expect(replay.items.map((e) => e.key)).toEqual(head.items.map((e) => e.key));
    expect(replay.between).toBe(head.between);
  });

  it('notifications closed for most of an hour: every follow arrives once, each like group once with everyone so far', async () => {
    const { adapter, clock } = setup();
    const first = await adapter.readTimeline({ kind: 'notifications', direction: 'older', limit: 50 });
    const newestSeen = Date.parse(first.items[0]!.at);
    clock.time += 55 * 60_000;
    const all: TimelineEntry[] = [];
    let cursor: string | null | undefined = first.newer;
    while (cursor) {
      const page: Page<TimelineEntry> = await adapter.readTimeline({
        kind: 'notifications',
        direction: 'newer',
        cursor,
        limit: 50,
      });
      all.push(...page.items);
      cursor = page.between;
    }
    const keys = all.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
    // One follow every 60 slots of 4 s: about 14 in 55 minutes.
    const follows = all.filter((e) => e.notification?.kind === 'follow');
    expect(follows.length).toBeGreaterThanOrEqual(12);
    expect(all.every((e) => Date.parse(e.at) > newestSeen && Date.parse(e.at) <= clock.now())).toBe(true);
    // A like group arrives once, at its newest like, naming every liker so far.
    const likes = all.filter((e) => e.notification?.kind === 'like');
    expect(likes.length).toBeGreaterThanOrEqual(3);
    for (const group of likes) expect(group.notification!.count).toBe(group.notification!.actors.length);
    expect(likes.some((g) => g.notification!.count > 1)).toBe(true);
  });

  it('grows like, repost and reply counts as posts age', async () => {
    const { adapter, clock } = setup();
    const page = await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 100 });
    const ids = [...new Set(page.items.map((e) => e.post!.id))];
    const before = (await adapter.refreshMetrics(ids)).metrics;
    clock.time += 30 * 60_000;
    const after = (await adapter.refreshMetrics(ids)).metrics;
    const sum = (m: Map<string, { likes: number; reposts: number; replies: number }>) =>
      [...m.values()].reduce((s, v) => s + v.likes + v.reposts + v.replies, 0);
    expect(sum(after)).toBeGreaterThan(sum(before));
    for (const id of ids) expect(after.get(id)!.likes).toBeGreaterThanOrEqual(before.get(id)!.likes);
    expect(await adapter.refreshMetrics(['x:123'])).toEqual({ metrics: new Map(), gone: [] });
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
    const user = await adapter.readTimeline({ kind: 'user', query: '@ifpower', direction: 'older', limit: 20 });
    // A user's column: their posts, and what they reposted (labelled with their name).
    for (const e of user.items) {
      expect(e.repostedBy ? e.repostedBy.handle : e.post!.author.handle).toBe('ifpower');
    }
  });

  it('keeps slot times strictly increasing', () => {
    const { world } = setup();
    for (let n = -200; n < 200; n++) expect(world.timeOf(n + 1)).toBeGreaterThan(world.timeOf(n));
    const latest = world.latestAt(anchorMs + 60_000);
    expect(world.timeOf(latest)).toBeLessThanOrEqual(anchorMs + 60_000);
    expect(world.timeOf(latest + 1)).toBeGreaterThan(anchorMs + 60_000);
  });
});

describe('the Sandbox notifications column', () => {
  const read = async (adapter: SandboxAdapter, limit = 60) => {
    const page = await adapter.readTimeline({ kind: 'notifications', direction: 'older', limit });
    for (const e of page.items) expect(TimelineEntrySchema.safeParse(e).success).toBe(true);
    return page;
  };

  it('groups likes and reposts by post, with every actor once, most recent first', async () => {
    const { adapter, world } = setup();
    const page = await read(adapter, 80);
    expect(new Set(page.items.map((e) => e.key)).size).toBe(page.items.length);
    const likes = page.items.filter((e) => e.notification?.kind === 'like');
    const reposts = page.items.filter((e) => e.notification?.kind === 'repost');
    expect(likes.length).toBeGreaterThan(0);
    expect(reposts.length).toBeGreaterThan(0);
    expect(likes.some((e) => e.notification!.count > 1)).toBe(true);
    for (const e of [...likes, ...reposts]) {
      const n = e.notification!;
      expect(e.key).toBe(`${n.kind}:${e.post!.id}`);
      expect(e.post!.author.handle).toBe('practice');
      expect(new Set(n.actors.map((a) => a.id)).size).toBe(n.actors.length);
      expect(n.count).toBe(n.actors.length);
      expect(Date.parse(e.at)).toBeGreaterThan(Date.parse(e.post!.createdAt));
    }
    // The liked post counts at least the likes its notification names.
    const liked = likes[0]!;
    const counts = (await adapter.refreshMetrics([liked.post!.id])).metrics;
    expect(counts.get(liked.post!.id)!.likes).toBeGreaterThanOrEqual(liked.notification!.count);
    expect(world.numberOf(liked.post!.id)).toBeDefined();
  });

  it('has follows (no post), and mentions, replies and quotes with their post', async () => {
    const { adapter } = setup();
    const entries: TimelineEntry[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) {
      const page: Page<TimelineEntry> = await adapter.readTimeline({
        kind: 'notifications',
        direction: 'older',
        cursor,
        limit: 60,
      });
      entries.push(...page.items);
      cursor = page.older;
    }
    const by = (kind: string) => entries.filter((e) => e.notification?.kind === kind);
    expect(by('follow').length).toBeGreaterThan(0);
    for (const f of by('follow')) {
      expect(f.post).toBeNull();
      expect(f.notification!.actors).toHaveLength(1);
    }
    for (const m of by('mention')) expect(m.post!.text).toContain('@practice');
    expect(by('reply').length).toBeGreaterThan(0);
    for (const r of by('reply')) expect(r.post!.replyTo).toMatch(/^sandbox:/);
    expect(by('quote').length).toBeGreaterThan(0);
    for (const q of by('quote')) expect(q.post!.quote!.author.handle).toBe('practice');
    const ats = entries.map((e) => Date.parse(e.at));
    expect(ats).toEqual([...ats].sort((x, y) => y - x));
  });

  it('brings a group again, newer and with more actors, when someone else likes the same post', async () => {
    const { adapter, clock } = setup();
    const first = await read(adapter, 200);
    const seen = new Map(first.items.map((e) => [e.key, e]));
    let grown: TimelineEntry | undefined;
    let before: TimelineEntry | undefined;
    let cursor = first.newer;
    for (let i = 0; i < 100 && !grown; i++) {
      clock.time += 10 * POST_GAP_MS;
      const page = await adapter.readTimeline({ kind: 'notifications', direction: 'newer', cursor, limit: 50 });
      cursor = page.newer;
      grown = page.items.find((e) => e.notification?.kind === 'like' && seen.has(e.key));
      if (grown) before = seen.get(grown.key);
      for (const e of page.items) seen.set(e.key, e);
    }
    expect(grown).toBeDefined();
    expect(Date.parse(grown!.at)).toBeGreaterThan(Date.parse(before!.at));
    expect(grown!.notification!.count).toBeGreaterThan(before!.notification!.count);
    // The newcomers first, then everyone the earlier delivery named, in the same order.
    expect(grown!.notification!.actors.slice(-before!.notification!.actors.length)).toEqual(
      before!.notification!.actors,
    );
  });
});

describe('acting and publishing in the Sandbox', () => {
  it('remembers likes for the viewer, and publishes once per idempotency key', async () => {
    const { adapter } = setup();
    const page = await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 3 });
    const target = page.items[0]!.post!;
    expect(target.viewer).toEqual({ liked: false, reposted: false });
    await adapter.act(target.id, 'like');
    const again = await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 3 });
    expect(again.items[0]!.post!.viewer).toEqual({ liked: true, reposted: false });
    // Gone, said so: the renderer takes the post out of its columns (isPostGone).
    await expect(adapter.act('sandbox:nope', 'like')).rejects.toMatchObject({ code: 'not-found', reason: 'deleted' });

    const first = await adapter.publish({ text: 'Hello #IFPower', idempotencyKey: 'k-1' });
    const retry = await adapter.publish({ text: 'Hello #IFPower', idempotencyKey: 'k-1' });
    expect(retry.id).toBe(first.id);
    await expect(adapter.act(target.id, 'delete')).rejects.toMatchObject({ code: 'not-allowed' });
    await adapter.act(first.id, 'delete');
    // Deleted, it is gone for every column; the world's posts still answer their counts.
    const refresh = await adapter.refreshMetrics([first.id, target.id]);
    expect(refresh.gone).toEqual([first.id]);
    expect([...refresh.metrics.keys()]).toEqual([target.id]);
    await expect(adapter.publish({ text: 'x'.repeat(501), idempotencyKey: 'k-2' })).rejects.toMatchObject({
      code: 'invalid',
      reason: 'too-long',
      params: { max: '500', unit: 'characters', length: '501' },
    });
    expect((await adapter.lists()).map((l) => l.id)).toEqual(['competitors', 'press', 'creators']);
  });
});
