// What arrived since a column last read, against the X emulator: every new post, page after page
// (`between`), none already held read again where X allows it, lists paged back to the known post,
// recent search's 7-day horizon, the request deadline, and rate-limit windows by bucket.
import { describe, expect, it } from 'vitest';
import type { XAdapter } from '../../../../src/main/networks/x';
import { CursorSchema, type ColumnKind, type TimelineEntry } from '../../../../src/shared/model';
import { ColonnadeError } from '../../../../src/shared/errors';
import type { XEmulator } from '../../../emulators/x';
import { rig, useEmulator } from './harness';

const DAY_MS = 24 * 3_600_000;
const FOLLOWED = '1500000000000000010'; // ada_makes, followed by the signed-in user
const PARTNER = '1500000000000000010'; // and a member of the list "Partners"
const PARTNERS = '1600000000000000001';

/** One poll as the engine makes it: a 'newer' read, then each `between` until it is null. */
async function poll(adapter: XAdapter, kind: ColumnKind, query: string | undefined, cursor: string | null, limit = 50) {
  const pages = [await adapter.readTimeline({ kind, query, cursor, direction: 'newer', limit })];
  for (let between = pages[0]!.between; between; between = pages.at(-1)!.between) {
    expect(pages.length).toBeLessThan(50);
    pages.push(await adapter.readTimeline({ kind, query, cursor: between, direction: 'newer', limit }));
  }
  // Every page of one read answers the same position: its first page's newest entry.
  for (const p of pages) {
    expect(p.newer).toBe(pages[0]!.newer);
    CursorSchema.nullable().parse(p.between ?? null); // at most 2,048 characters
    CursorSchema.nullable().parse(p.newer);
  }
  const entries = pages.flatMap((p) => p.items);
  return { pages, entries, position: pages[0]!.newer, horizon: pages.find((p) => p.horizon)?.horizon };
}

const nativeIds = (entries: TimelineEntry[]) => entries.map((e) => e.key.slice(2));

/** The post ids the emulator served (billed) from `from` on, for one endpoint. */
function servedSince(emu: XEmulator, from: number, endpoint: string): string[] {
  return emu.served.slice(from).flatMap((s) => (s.endpoint === endpoint ? s.ids : []));
}

function addPosts(emu: XEmulator, n: number, authorId: string, text: string): string[] {
  return Array.from({ length: n }, (_, i) => emu.control.addTweet({ authorId, text: `${text} ${i}` }).id).reverse();
}

describe('X catch-up', () => {
  let emu: XEmulator;
  useEmulator({ homePosts: 60 }, (e) => {
    emu = e;
  });

  it('51 posts between two polls with a page of 50 all arrive, and no post held is read again', async () => {
    const r = rig(emu);
    const first = await poll(r.adapter, 'home', undefined, null);
    const held = new Set(nativeIds(first.entries));
    expect(held.size).toBe(50);

    const fresh = addPosts(emu, 51, FOLLOWED, 'Morning news');
    const from = emu.served.length;
    const second = await poll(r.adapter, 'home', undefined, first.position);
    expect(second.pages.map((p) => p.items.length)).toEqual([50, 1]);
    expect(nativeIds(second.entries)).toEqual(fresh);
    const billed = servedSince(emu, from, 'GET /2/users/{id}/timelines/reverse_chronological');
    expect(billed.filter((id) => held.has(id))).toEqual([]);
    expect(billed).toHaveLength(51);

    // The next poll starts where this one's first page began: nothing new, nothing read.
    const before = emu.served.length;
    const third = await poll(r.adapter, 'home', undefined, second.position);
    expect(third.entries).toEqual([]);
    expect(third.position).toBe(second.position);
    expect(emu.served.length).toBe(before);
  });

  it('150 posts while the app was closed all arrive after a restart, from the saved position', async () => {
    emu.control.addTweet({ authorId: FOLLOWED, text: 'Warming up #IFPower' });
    const before = rig(emu);
    const first = await poll(before.adapter, 'hashtag', 'IFPower', null);
    expect(first.entries).toHaveLength(1);
    const saved = first.position;

    const fresh = addPosts(emu, 150, FOLLOWED, 'Live from the stand #IFPower');
    const after = rig(emu); // a new adapter: the app restarted
    const from = emu.served.length;
    const caught = await poll(after.adapter, 'hashtag', 'IFPower', saved);
    expect(caught.pages.map((p) => p.items.length)).toEqual([50, 50, 50]);
    expect(nativeIds(caught.entries)).toEqual(fresh);
    expect(caught.horizon).toBeUndefined();
    const billed = servedSince(emu, from, 'GET /2/tweets/search/recent');
    expect(billed).toHaveLength(150);
    expect(billed).not.toContain(nativeIds(first.entries)[0]);
    // Each page asked X for what is newer than the saved post (since_id), continuing with its token.
    const asked = emu.served.slice(from).map((s) => s.query);
    expect(asked.every((q) => q.get('since_id') === nativeIds(first.entries)[0])).toBe(true);
    expect(asked.slice(1).every((q) => q.has('next_token'))).toBe(true);
  });

  it('a list (no since_id on X) pages back to the known post: a quiet poll reads one post', async () => {
    const r = rig(emu);
    const first = await poll(r.adapter, 'list', PARTNERS, null, 20);
    const held = new Set(nativeIds(first.entries));

    let from = emu.served.length;
    const quiet = await poll(r.adapter, 'list', PARTNERS, first.position, 20);
    expect(quiet.entries).toEqual([]);
    // X has no "since" for lists: reading the newest post (already held) is what it forces.
    expect(servedSince(emu, from, 'GET /2/lists/{id}/tweets')).toHaveLength(1);

    const fresh = addPosts(emu, 7, PARTNER, 'Partner update');
    from = emu.served.length;
    const busy = await poll(r.adapter, 'list', PARTNERS, quiet.position, 20);
    expect(nativeIds(busy.entries)).toEqual(fresh);
    const billed = servedSince(emu, from, 'GET /2/lists/{id}/tweets');
    const reread = billed.filter((id) => held.has(id));
    // Pages grow (1, 2, 4, 8): at most as many held posts read again as new ones, plus one.
    expect(reread.length).toBeGreaterThan(0);
    expect(reread.length).toBeLessThanOrEqual(fresh.length + 1);
    expect(billed.length - reread.length).toBe(fresh.length);
  });
});

describe('X recent search reaches back 7 days', () => {
  let emu: XEmulator;
  let now = Date.now();
  useEmulator({ homePosts: 20, now: () => now }, (e) => {
    emu = e;
  });
  const clock = {
    now: () => now,
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
  // OAuth 1.0a keys do not expire while the clock jumps days ahead.
  const adapterOf = () => rig(emu, { kind: 'oauth1', ...emu.control.issueOAuth1(), apiBase: emu.url }, { clock });
  /** X's "created after" instant: the window's start, to the minute. */
  const windowStart = () => new Date(new Date(now - 7 * DAY_MS).toISOString().slice(0, 16) + 'Z').toISOString();

  it('a position older than 7 days: what X still serves arrives, with the horizon it reaches back to', async () => {
    emu.control.addTweet({ authorId: FOLLOWED, text: 'Day one #Horizon' });
    const r = adapterOf();
    const first = await poll(r.adapter, 'hashtag', 'Horizon', null);
    expect(first.entries).toHaveLength(1);

    now += 8 * DAY_MS;
    const fresh = addPosts(emu, 12, FOLLOWED, 'Day nine #Horizon');
    const from = emu.served.length;
    const later = await poll(r.adapter, 'hashtag', 'Horizon', first.position, 10);
    expect(nativeIds(later.entries)).toEqual(fresh);
    expect(later.horizon).toBe(new Date(now - 7 * DAY_MS).toISOString());
    // Known from the position's time: X was not asked a since_id it would refuse.
    expect(emu.served.slice(from).every((s) => !s.query.has('since_id'))).toBe(true);

    // From then on the column is within the window again: since_id, no horizon.
    now += 60_000;
    const next = await poll(r.adapter, 'hashtag', 'Horizon', later.position);
    expect(next.entries).toEqual([]);
    expect(next.horizon).toBeUndefined();
  });

  it('a position written without its time: X refuses the since_id, and its own instant is the horizon', async () => {
    const old = emu.control.addTweet({ authorId: FOLLOWED, text: 'Before the break #Legacy' });
    now += 8 * DAY_MS;
    const fresh = addPosts(emu, 3, FOLLOWED, 'After the break #Legacy');
    const r = adapterOf();
    await r.adapter.verify();
    const from = emu.requests.length;
    const caught = await poll(r.adapter, 'hashtag', 'Legacy', `s:${old.id}`);
    expect(nativeIds(caught.entries)).toEqual(fresh);
    expect(caught.horizon).toBe(windowStart());
    // One refused request (400, checked against the live API's shape), then the read without since_id.
    expect(emu.requests.slice(from).map((q) => q.endpoint)).toEqual([
      'GET /2/tweets/search/recent',
      'GET /2/tweets/search/recent',
    ]);
    expect(emu.drift.get('problem https://api.x.com/2/problems/invalid-request')).toBe(1);
  });

  it('a quiet query whose last post is older than 7 days: the horizon is said once, nothing is read again', async () => {
    emu.control.addTweet({ authorId: FOLLOWED, text: 'Once upon a time #Quiet' });
    const r = adapterOf();
    const first = await poll(r.adapter, 'hashtag', 'Quiet', null);
    now += 8 * DAY_MS;
    const stale = await poll(r.adapter, 'hashtag', 'Quiet', first.position);
    expect(stale.entries).toEqual([]);
    expect(stale.horizon).toBe(new Date(now - 7 * DAY_MS).toISOString());

    now += 120_000;
    const from = emu.served.length;
    const again = await poll(r.adapter, 'hashtag', 'Quiet', stale.position);
    expect(again.entries).toEqual([]);
    expect(again.horizon).toBeUndefined();
    expect(emu.served.length).toBe(from);
  });
});

describe('X request deadline and rate windows', () => {
  let emu: XEmulator;
  useEmulator({ homePosts: 20 }, (e) => {
    emu = e;
  });

  it('a server that accepts and never answers is a timeout, and the next request works', async () => {
    // Far shorter than the app's 30 s, long enough for every answer of a loaded test machine.
    const r = rig(emu, undefined, { requestDeadlineMs: 2_000 });
    await r.adapter.verify();
    emu.control.failNext('GET /2/users/{id}/timelines/reverse_chronological', 'no-answer');
    const err = await r.adapter.readTimeline({ kind: 'home', direction: 'older', limit: 10 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ColonnadeError);
    expect(err).toMatchObject({ code: 'transient', reason: 'timeout' });
    const page = await r.adapter.readTimeline({ kind: 'home', direction: 'older', limit: 10 });
    expect(page.items).toHaveLength(10);
  });

  it('reports every response’s window under the bucket each column kind draws from', async () => {
    const r = rig(emu);
    const reads: [ColumnKind, string | undefined][] = [
      ['home', undefined],
      ['notifications', undefined],
      ['hashtag', 'launch'],
      ['user', '@brew_lab'],
      ['list', PARTNERS],
    ];
    for (const [kind, query] of reads) {
      const from = r.windows.length;
      const page = await r.adapter.readTimeline({ kind, query, direction: 'older', limit: 10 });
      const bucket = r.adapter.rateBucket(kind);
      expect(r.windows.slice(from).at(-1)).toMatchObject({ bucket: bucket.bucket, limit: bucket.limit });
      expect(bucket.windowMs).toBe(15 * 60_000);
      if (kind === 'list') {
        const from2 = r.windows.length;
        await r.adapter.refreshMetrics(page.items.map((e) => e.post!.id));
        expect(r.windows.slice(from2).map((w) => w.bucket)).toEqual([r.adapter.rateBucket('metrics').bucket]);
      }
    }
    expect(Object.fromEntries(r.windows.map((w) => [w.bucket, w.limit]))).toMatchObject({
      me: 900,
      home: 180,
      mentions: 300,
      search: 300,
      'user-lookup': 900,
      'user-posts': 900,
      'list-posts': 900,
      lookup: 5000,
    });
    expect(r.adapter.rateBucket('monitor').bucket).toBe('search');
    expect(() => r.adapter.rateBucket('drafts')).toThrow(ColonnadeError);
  });

  it('a 429 reports its spent window too, under its own bucket only', async () => {
    const r = rig(emu);
    emu.control.setRateLimit('GET /2/users/{id}/mentions', 1);
    await r.adapter.readTimeline({ kind: 'mentions', direction: 'older', limit: 10 });
    const err = await r.adapter.readTimeline({ kind: 'mentions', direction: 'older', limit: 10 }).catch((e) => e);
    expect(err).toMatchObject({ code: 'rate-limited' });
    const last = r.windows.at(-1)!;
    expect(last).toMatchObject({ bucket: 'mentions', limit: 1, remaining: 0 });
    expect(err.resetAt).toBe(last.resetAt);
    // Home is another window, still open.
    await r.adapter.readTimeline({ kind: 'home', direction: 'older', limit: 10 });
    expect(r.windows.at(-1)).toMatchObject({ bucket: 'home', limit: 180 });
  });
});
