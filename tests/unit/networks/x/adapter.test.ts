// The X adapter's contract against the X emulator, through the account's API base URL.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ColonnadeError } from '../../../../src/shared/errors';
import { TimelineEntrySchema, type ColumnKind, type Post, type TimelineEntry } from '../../../../src/shared/model';
import { connectXOAuth1, createXAdapter } from '../../../../src/main/networks/x';
import { ME_ID, ME_USERNAME, type XEmulator } from '../../../emulators/x';
import type { JsonObject } from '../../../emulators/x/server';
import { clock, memoryLogger, png, rig, startEmulator, type Rig } from './harness';

let emu: XEmulator;
let r: Rig;

beforeAll(async () => {
  emu = await startEmulator();
  r = rig(emu);
});
afterAll(async () => {
  await emu.close();
});
afterEach(() => {
  const violations = emu.violations.splice(0);
  expect(violations).toEqual([]);
});

async function caught(p: Promise<unknown>): Promise<ColonnadeError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ColonnadeError);
  return err as ColonnadeError;
}

async function readAll(kind: ColumnKind, query: string | undefined, limit: number) {
  const pages: TimelineEntry[][] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 30; i++) {
    const page = await r.adapter.readTimeline({ kind, query, cursor, direction: 'older', limit });
    pages.push(page.items);
    if (!page.older) break;
    cursor = page.older;
  }
  return pages;
}

/** Entries in X's order: by the id of what entered the timeline (a retweet's own id), and by time. */
function expectNewestFirst(entries: TimelineEntry[]) {
  for (let i = 1; i < entries.length; i++) {
    expect(BigInt(entries[i - 1]!.key.slice(2)) > BigInt(entries[i]!.key.slice(2))).toBe(true);
    expect(entries[i - 1]!.at >= entries[i]!.at).toBe(true);
  }
}

const postOf = (e: TimelineEntry): Post => {
  expect(e.post).not.toBeNull();
  return e.post!;
};
/** Who put the entry in the timeline: the reposter, else the author. */
const byOf = (e: TimelineEntry) => e.repostedBy ?? postOf(e).author;

describe('X adapter: columns', () => {
  it('verifies the account as the signed-in user', async () => {
    const me = await r.adapter.verify();
    expect(me).toMatchObject({ id: `x:${ME_ID}`, handle: ME_USERNAME, network: 'x' });
  });

  it('pages the whole home timeline back, newest first, with no repeats', async () => {
    const pages = await readAll('home', undefined, 40);
    const all = pages.flat();
    expect(all.length).toBeGreaterThan(100);
    expect(pages.length).toBeGreaterThan(3);
    expect(new Set(all.map((e) => e.key)).size).toBe(all.length);
    expectNewestFirst(all);
    for (const e of all) TimelineEntrySchema.parse(e);
    // Every entry is by the user or someone they follow (a repost: the reposter).
    const follows = emu.state.follows.get(ME_ID)!;
    for (const e of all) expect(byOf(e).id === `x:${ME_ID}` || follows.has(byOf(e).id.slice(2))).toBe(true);
    // The seeded retweets are at the top, as reposts of the originals.
    expect(all.slice(0, 3).every((e) => e.repostedBy && e.key !== e.post?.id)).toBe(true);
  });

  it.each([
    ['mentions', undefined],
    ['notifications', undefined],
    ['hashtag', 'launch'],
    ['hashtag', '#café'],
    ['search', 'community meetup'],
    ['user', '@brew_lab'],
    ['list', '1600000000000000001'],
  ] as [ColumnKind, string | undefined][])('reads %s %s newest first, paging without repeats', async (kind, query) => {
    const pages = await readAll(kind, query, 7);
    const all = pages.flat();
    expect(all.length).toBeGreaterThan(7);
    expect(new Set(all.map((e) => e.key)).size).toBe(all.length);
    expectNewestFirst(all);
    for (const e of all) {
      TimelineEntrySchema.parse(e);
      const p = postOf(e);
      const text = p.text.toLowerCase();
      if (kind === 'mentions' || kind === 'notifications') {
        // A mention, or a retweet of one of her posts (its text `RT @colonnade_hq: …` mentions her).
        if (e.repostedBy && p.author.handle === ME_USERNAME) {
          if (kind === 'notifications')
            expect(e.notification).toMatchObject({ kind: 'repost', actors: [e.repostedBy] });
        } else expect(text).toContain(`@${ME_USERNAME}`);
      }
      if (kind === 'hashtag') {
        const tag = query!.replace('#', '');
        expect(p.entities.some((x) => x.kind === 'hashtag' && x.value.toLowerCase() === tag)).toBe(true);
        expect(e.repostedBy).toBeUndefined();
      }
      if (kind === 'search') expect(text).toContain('community meetup');
      if (kind === 'user') expect(byOf(e).handle).toBe('brew_lab');
      if (kind === 'notifications') expect(e.notification?.actors.length).toBe(1);
      else expect(e.notification).toBeUndefined();
      expect(text.startsWith('rt @')).toBe(false);
    }
    if (kind === 'list') {
      const members = emu.state.lists.get(query!)!.memberIds;
      for (const e of all) expect(members).toContain(byOf(e).id.slice(2));
    }
  });

  it('asks what is newer since the last page', async () => {
    const first = await r.adapter.readTimeline({ kind: 'home', direction: 'older', limit: 20 });
    expect(first.newer).not.toBeNull();
    const empty = await r.adapter.readTimeline({ kind: 'home', cursor: first.newer, direction: 'newer', limit: 20 });
    expect(empty.items).toEqual([]);
    const fresh = emu.control.addTweet({ authorId: ME_ID, text: 'Fresh off the press #launch' });
    const next = await r.adapter.readTimeline({ kind: 'home', cursor: empty.newer, direction: 'newer', limit: 20 });
    expect(next.items.map((e) => e.post?.nativeId)).toEqual([fresh.id]);
  });

  it('lists owned lists as columns', async () => {
    expect(await r.adapter.lists()).toEqual([
      { id: '1600000000000000001', name: 'Partners', kind: 'list' },
      { id: '1600000000000000002', name: 'Press', kind: 'list' },
    ]);
  });

  it('answers not-found for an unknown user or list', async () => {
    expect(
      (await caught(r.adapter.readTimeline({ kind: 'user', query: 'nobody_here', direction: 'older', limit: 10 })))
        .code,
    ).toBe('not-found');
    expect(
      (await caught(r.adapter.readTimeline({ kind: 'list', query: '42', direction: 'older', limit: 10 }))).code,
    ).toBe('not-found');
  });

  it('normalizes entities with UTF-16 offsets, expanded links and media placeholders', async () => {
    const t = emu.control.addTweet({
      authorId: ME_ID,
      text: '👩🏽‍💻 café 🎉 #launch with @brew_lab https://example.com/a/very/long/path',
    });
    const photo = emu.state.addMedia(ME_ID, 'image/png', 800, 600);
    photo.altText = 'Team photo';
    photo.finalized = true;
    t.mediaKeys.push(photo.mediaKey);
    const page = await r.adapter.readTimeline({ kind: 'user', query: ME_USERNAME, direction: 'older', limit: 5 });
    const post = page.items.map(postOf).find((p) => p.nativeId === t.id)!;
    const slices = post.entities.map((e) => [e.kind, post.text.slice(e.start, e.end), e.value, e.display]);
    expect(slices).toEqual([
      ['hashtag', '#launch', 'launch', undefined],
      ['mention', '@brew_lab', 'brew_lab', undefined],
      [
        'link',
        expect.stringMatching(/^https:\/\/t\.co\//),
        'https://example.com/a/very/long/path',
        'example.com/a/very/long/p…',
      ],
    ]);
    expect(post.media).toEqual([
      expect.objectContaining({ kind: 'image', alt: 'Team photo', width: 800, height: 600, url: photo.url }),
    ]);
    expect(post.url).toBe(`https://x.com/${ME_USERNAME}/status/${t.id}`);
  });
});

describe('X adapter: metrics and actions', () => {
  it('refreshes metrics with impressions and leaves unknown posts out', async () => {
    const page = await r.adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 });
    const ids = [...new Set(page.items.map((e) => postOf(e).id))];
    const { metrics, gone } = await r.adapter.refreshMetrics([...ids, 'x:1', 'bluesky:abc']);
    expect([...metrics.keys()].sort()).toEqual([...ids].sort());
    // X has no post 1: it answers resource-not-found for it.
    expect(gone).toEqual(['x:1']);
    const top = postOf(page.items[0]!);
    const first = emu.state.tweets.get(top.nativeId)!;
    expect(metrics.get(top.id)).toEqual({
      likes: first.likes.size,
      reposts: first.retweets.size,
      replies: first.replies,
      quotes: first.quotes,
      impressions: first.impressions,
      bookmarks: first.bookmarks,
    });
  });

  it('says which posts X no longer has: deleted or suspended are gone, a protected one stays', async () => {
    const authorId = '1500000000000000010';
    const [kept, deleted, suspended, hidden] = ['Still here', 'Soon deleted', 'Author suspended', 'Protected'].map(
      (text) => emu.control.addTweet({ authorId, text }),
    );
    const ids = [kept!, deleted!, suspended!, hidden!].map((t) => `x:${t.id}`);
    expect((await r.adapter.refreshMetrics(ids)).gone).toEqual([]);
    deleted!.deleted = true; // its author deleted it on X: X answers resource-not-found for it
    // X's answers for a suspended author's post and a protected author's one (spec Problem types).
    emu.control.alterNext('GET /2/tweets', (body) => {
      body['data'] = (body['data'] as Array<{ id: string }>).filter((t) => t.id === kept!.id);
      const problem = (t: { id: string }, kind: string, title: string) => ({
        type: `https://api.x.com/2/problems/${kind}`,
        title,
        detail: `${title}: [${t.id}].`,
        resource_type: 'tweet',
        resource_id: t.id,
      });
      body['errors'] = [
        ...((body['errors'] as JsonObject[] | undefined) ?? []),
        problem(suspended!, 'resource-unavailable', 'Forbidden'),
        { ...problem(hidden!, 'not-authorized-for-resource', 'Authorization Error'), parameter: 'ids' },
      ];
    });
    const { metrics, gone } = await r.adapter.refreshMetrics(ids);
    expect(gone.sort()).toEqual([`x:${deleted!.id}`, `x:${suspended!.id}`].sort());
    expect([...metrics.keys()]).toEqual([`x:${kept!.id}`]);
  });

  it('likes, unlikes, reposts, unreposts and deletes', async () => {
    const target = emu.control.addTweet({ authorId: '1500000000000000010', text: 'Like me' });
    const id = `x:${target.id}`;
    await r.adapter.act(id, 'like');
    expect(target.likes.has(ME_ID)).toBe(true);
    expect((await r.adapter.refreshMetrics([id])).metrics.get(id)?.likes).toBe(1);
    await r.adapter.act(id, 'unlike');
    expect(target.likes.has(ME_ID)).toBe(false);
    await r.adapter.act(id, 'repost');
    expect(target.retweets.has(ME_ID)).toBe(true);
    await r.adapter.act(id, 'unrepost');
    expect(target.retweets.has(ME_ID)).toBe(false);

    const own = emu.control.addTweet({ authorId: ME_ID, text: 'Delete me' });
    await r.adapter.act(`x:${own.id}`, 'delete');
    expect(own.deleted).toBe(true);
    expect((await caught(r.adapter.act(`x:${own.id}`, 'delete'))).code).toBe('not-found');
    expect((await caught(r.adapter.act(id, 'delete'))).code).toBe('not-allowed');
  });
});

describe('X adapter: publishing', () => {
  it('publishes text with images and alt text', async () => {
    const post = await r.adapter.publish({
      text: 'Hello from Colonnade #launch',
      media: [
        { data: png(640, 480), mimeType: 'image/png', alt: 'A chart going up' },
        { data: png(300, 200, 2_500_000), mimeType: 'image/png', alt: 'Our logo' },
      ],
      idempotencyKey: 'k-media',
    });
    expect(post).toMatchObject({ network: 'x', text: 'Hello from Colonnade #launch', author: { handle: ME_USERNAME } });
    expect(post.media.map((m) => [m.alt, m.width, m.height])).toEqual([
      ['A chart going up', 640, 480],
      ['Our logo', 300, 200],
    ]);
    // The 2.5 MB image went up in three chunks.
    expect(emu.requests.filter((q) => q.endpoint === 'POST /2/media/upload/{id}/append').length).toBe(4);
    expect(emu.drift.get('media finalize body {}')).toBeGreaterThanOrEqual(2);
  });

  it('replies and quotes', async () => {
    const parent = emu.control.addTweet({ authorId: '1500000000000000011', text: 'Question for brands?' });
    const reply = await r.adapter.publish({
      text: 'Here is our answer',
      replyTo: `x:${parent.id}`,
      idempotencyKey: 'k-r',
    });
    expect(reply.replyTo).toBe(`x:${parent.id}`);
    expect(parent.replies).toBe(1);
    const quote = await r.adapter.publish({ text: 'Worth a read', quoteOf: `x:${parent.id}`, idempotencyKey: 'k-q' });
    expect(emu.state.tweets.get(quote.nativeId)?.referenced).toEqual([{ type: 'quoted', id: parent.id }]);
  });

  it('counts text as X does (weighted, links as 23) and refuses too long', async () => {
    expect(r.adapter.textRules()).toEqual({ counting: 'weighted', maxLength: 280, maxImages: 4, maxAltLength: 1000 });
    const err = await caught(r.adapter.publish({ text: '界'.repeat(141), idempotencyKey: 'k-long' }));
    expect(err).toMatchObject({
      code: 'invalid',
      reason: 'too-long',
      params: { max: '280', unit: 'characters', length: '282' },
    });
    const ok = await r.adapter.publish({
      text: `${'a'.repeat(250)} https://example.com/${'x'.repeat(80)}`,
      idempotencyKey: 'k-url',
    });
    expect(ok.entities.find((e) => e.kind === 'link')?.value).toBe(`https://example.com/${'x'.repeat(80)}`);
  });

  it('does not post twice when a send succeeded but the answer was lost', async () => {
    const text = 'Only once, please';
    emu.control.failNext('POST /2/tweets', 'commit-then-error');
    const post = await r.adapter.publish({ text, idempotencyKey: 'k-once' });
    expect(post.text).toBe(text);
    expect(emu.state.timeline((t) => t.text === text)).toHaveLength(1);

    emu.control.failNext('POST /2/tweets', 'commit-then-drop');
    const again = await r.adapter.publish({ text: 'Dropped line', idempotencyKey: 'k-drop' });
    expect(emu.state.timeline((t) => t.text === 'Dropped line').map((t) => t.id)).toEqual([again.nativeId]);

    emu.control.failNext('POST /2/tweets', 'server-error');
    const retried = await r.adapter.publish({ text: 'Never landed first', idempotencyKey: 'k-retry' });
    expect(emu.state.timeline((t) => t.text === 'Never landed first').map((t) => t.id)).toEqual([retried.nativeId]);
  });

  it('after a crash mid-send, finds the post that landed even with 150 posts made since (it pages back)', async () => {
    const own = await startEmulator(); // its own X: 150 more posts would fill the shared home timeline
    try {
      const o = rig(own);
      const since = Date.now();
      const landed = await o.adapter.publish({ text: 'Landed before the crash', idempotencyKey: 'k-crash-1' });
      // 150 more posts of the account's own (made on X directly: the posting window would stop us first).
      for (let i = 0; i < 150; i++) own.state.addTweet({ authorId: ME_ID, text: `Later post ${i}` });
      // A restarted app sends again with the same key and when the uncertain attempt began.
      const again = await o.adapter.publish({
        text: 'Landed before the crash',
        idempotencyKey: 'k-crash-1-restarted',
        uncertainSince: since,
      });
      expect(again.id).toBe(landed.id);
      expect(own.state.timeline((t) => t.text === 'Landed before the crash')).toHaveLength(1);
      expect(own.violations).toEqual([]);
    } finally {
      await own.close();
    }
  });
});

describe('X adapter: errors', () => {
  it('401 for a revoked token is auth-expired', async () => {
    const own = rig(emu);
    emu.control.revoke(own.creds.accessToken);
    expect((await caught(own.adapter.verify())).code).toBe('auth-expired');
  });

  it('403 for an endpoint outside the plan is not-allowed, naming the feature', async () => {
    const own = rig(emu);
    emu.control.excludeFromPlan('GET /2/tweets/search/recent');
    const err = await caught(
      own.adapter.readTimeline({ kind: 'hashtag', query: 'launch', direction: 'older', limit: 10 }),
    );
    expect(err.code).toBe('not-allowed');
    expect(err.message).toBe('Your X plan does not include search.');
    // The UI names the feature in its own language.
    expect(err.reason).toBe('x-plan-excludes');
    expect(err.params).toEqual({ feature: 'search' });
  });

  it('429 is rate-limited with the reset X gave', async () => {
    const own = rig(emu);
    emu.control.setRateLimit('GET /2/users/{id}/mentions', 2);
    await own.adapter.readTimeline({ kind: 'mentions', direction: 'older', limit: 5 });
    await own.adapter.readTimeline({ kind: 'mentions', direction: 'older', limit: 5 });
    expect(own.adapter.rateLimit()).toMatchObject({ limit: 2, remaining: 0 });
    const err = await caught(own.adapter.readTimeline({ kind: 'mentions', direction: 'older', limit: 5 }));
    expect(err.code).toBe('rate-limited');
    const last = emu.requests.filter((q) => q.endpoint === 'GET /2/users/{id}/mentions').length;
    expect(last).toBeGreaterThanOrEqual(3);
    expect(err.resetAt).toBe(own.adapter.rateLimit()?.resetAt);
    const resetSec = Date.parse(err.resetAt!) / 1000;
    expect(Number.isInteger(resetSec)).toBe(true);
    expect(resetSec * 1000).toBeGreaterThan(Date.now());
  });

  it('a malformed answer is invalid', async () => {
    emu.control.failNext('GET /2/users/{id}/timelines/reverse_chronological', 'malformed');
    expect((await caught(r.adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 }))).code).toBe('invalid');
  });

  it('a server error is transient', async () => {
    emu.control.failNext('GET /2/users/{id}/timelines/reverse_chronological', 'server-error');
    expect((await caught(r.adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 }))).code).toBe(
      'transient',
    );
  });

  it('a server that is down is offline', async () => {
    const gone = await startEmulator();
    const own = rig(gone);
    await gone.close();
    expect((await caught(own.adapter.verify())).code).toBe('offline');
  });
});

describe('X adapter: reads for the cost meter', () => {
  it('reports each response’s posts once: other people’s and the account’s own apart, counts apart', async () => {
    const own = rig(emu);
    await own.adapter.verify();
    const page = await own.adapter.readTimeline({ kind: 'home', direction: 'older', limit: 30 });
    const mine = page.items.filter((e) => byOf(e).id === `x:${ME_ID}`).length;
    expect(own.reads).toEqual([{ posts: page.items.length - mine, ownPosts: mine, purpose: 'timeline' }]);
    expect(mine).toBeGreaterThan(0);
    expect(mine).toBeLessThan(page.items.length);
    // Each post once: what the meter was told adds up to what the emulator served.
    expect(own.reads[0]!.posts + own.reads[0]!.ownPosts).toBe(emu.served.at(-1)!.ids.length);
    await own.adapter.refreshMetrics(page.items.slice(0, 3).map((e) => postOf(e).id));
    const refresh = own.reads[1]!;
    expect(refresh.purpose).toBe('counts');
    expect(refresh.posts + refresh.ownPosts).toBe(3);
  });
});

describe('X adapter: OAuth 1.0a', () => {
  it('connects with keys after checking them, then reads', async () => {
    const keys = emu.control.issueOAuth1();
    const creds = await connectXOAuth1({ ...keys, apiBase: emu.url });
    expect(creds).toMatchObject({ kind: 'oauth1', apiBase: emu.url });
    const adapter = createXAdapter(creds, { clock, log: memoryLogger(), saveCredentials: async () => {} });
    const page = await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 10 });
    expect(page.items).toHaveLength(10);
    const bad = await caught(connectXOAuth1({ ...keys, accessToken: 'nope', apiBase: emu.url }));
    expect(bad.code).toBe('auth-expired');
  });
});

describe('X emulator', () => {
  it('rejects a request that violates the spec, and counts drift', async () => {
    const creds = emu.control.issueOAuth2();
    const res = await fetch(`${emu.url}/2/users/${ME_ID}/timelines/reverse_chronological?max_results=500&colour=blue`, {
      headers: { authorization: `Bearer ${creds.accessToken}` },
    });
    expect(res.status).toBe(400);
    expect(emu.violations.map((v) => v.message)).toEqual([
      'query parameter max_results: data must be <= 100',
      'unknown query parameter colour',
    ]);
    const body = await fetch(`${emu.url}/2/tweets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${creds.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hi', quote_post_id: '1' }),
    });
    expect(body.status).toBe(400);
    expect(emu.violations).toHaveLength(3);
    emu.violations.length = 0;
    // What the adapter sent and got went through the rename table.
    expect(emu.drift.get('tweet.fields')).toBeGreaterThan(0);
    expect(emu.drift.get('retweet_count')).toBeGreaterThan(0);
    expect(emu.drift.get('edit_history_tweet_ids')).toBeGreaterThan(0);
  });
});
