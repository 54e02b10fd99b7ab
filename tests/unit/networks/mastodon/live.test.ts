// Keeping a Mastodon column up to date against the emulated instance: catching up on everything
// posted since the last poll, page after page, without reading a held status again; the account's
// rate window from every response; the request deadline; count refreshes in batches of 20; and
// hashtag streaming with its drop reported once.
import { describe, expect, it } from 'vitest';
import type { StreamSink, TimelineRequest } from '../../../../src/shared/adapter';
import { TimelineEntrySchema, type Page, type TimelineEntry } from '../../../../src/shared/model';
import { OWNER_USERNAME, type MastodonEmulator } from '../../../emulators/mastodon';
import { postsOf, refusal, setup, type Setup } from './support';

/** What one poll brings: the entries of every page down to the cursor, and the requests it took. */
interface CatchUp {
  pages: Page<TimelineEntry>[];
  entries: TimelineEntry[];
  /** The first page's `newer`: the column's next position. */
  newer: string | null;
}

/** One poll as the engine runs it: 'newer' from `cursor`, then each page's `between` until null. */
async function catchUp(
  adapter: Setup['adapter'],
  req: Pick<TimelineRequest, 'kind' | 'query'>,
  cursor: string,
): Promise<CatchUp> {
  const pages: Page<TimelineEntry>[] = [];
  let next: string | null | undefined = cursor;
  while (next) {
    if (pages.length > 20) throw new Error('the catch-up never reached its cursor');
    const page = await adapter.readTimeline({ ...req, cursor: next, direction: 'newer', limit: 40 });
    pages.push(page);
    next = page.between ?? null;
  }
  return { pages, entries: pages.flatMap((p) => p.items), newer: pages[0]?.newer ?? null };
}

/** A column kind, and how to make `count` new items appear in it. */
interface Column {
  name: string;
  req: Pick<TimelineRequest, 'kind' | 'query'>;
  options?: Parameters<typeof setup>[0];
  /** The path whose requests serve the column. */
  path: string | RegExp;
  publish(emulator: MastodonEmulator, i: number): void;
}

const COLUMNS: Column[] = [
  {
    name: 'home',
    req: { kind: 'home' },
    path: '/api/v1/timelines/home',
    publish: (e, i) => e.postAs(['alice', 'bob', 'chloe'][i % 3]!, `Catch-up home ${i}`),
  },
  {
    name: 'hashtag',
    req: { kind: 'hashtag', query: '#colonnade' },
    path: '/api/v1/timelines/tag/colonnade',
    publish: (e, i) => e.postAs(['zed', 'alice'][i % 2]!, `#colonnade catch-up ${i}`),
  },
  {
    name: 'notifications (grouped, Mastodon 4.3+)',
    req: { kind: 'notifications' },
    path: '/api/v2/notifications',
    publish: (e, i) => e.postAs(['alice', 'bob'][i % 2]!, `@${OWNER_USERNAME} catch-up mention ${i}`),
  },
  {
    name: 'notifications (v1, before Mastodon 4.3)',
    req: { kind: 'notifications' },
    options: { apiVersion: 1 },
    path: '/api/v1/notifications',
    publish: (e, i) => e.postAs(['alice', 'bob'][i % 2]!, `@${OWNER_USERNAME} catch-up mention ${i}`),
  },
  {
    name: 'mentions',
    req: { kind: 'mentions' },
    path: '/api/v1/notifications',
    publish: (e, i) => e.postAs('dmitri', `@${OWNER_USERNAME} catch-up mention ${i}`),
  },
  {
    name: 'list',
    req: { kind: 'list', query: '2' },
    path: '/api/v1/timelines/list/2',
    publish: (e, i) => e.postAs(['chloe', 'dmitri'][i % 2]!, `Catch-up list ${i}`),
  },
  {
    name: 'user',
    req: { kind: 'user', query: '@alice' },
    path: /^\/api\/v1\/accounts\/\d+\/statuses$/,
    publish: (e, i) => e.postAs('alice', `Catch-up user ${i}`),
  },
  {
    name: 'search',
    req: { kind: 'search', query: 'roadmap' },
    path: '/api/v2/search',
    publish: (e, i) => e.postAs('bob', `Catch-up on the roadmap ${i}`),
  },
];

/** The paging parameter that stands for "since" on this path (search has only min_id). */
const sinceParam = (path: string | RegExp) => (path === '/api/v2/search' ? 'min_id' : 'since_id');

const matches = (path: string | RegExp, actual: string) =>
  typeof path === 'string' ? actual === path : path.test(actual);

/**
 * Polls once, makes `count` new items, polls again following `between`, and checks that every new
 * item arrived once, nothing held came back, and no request asked for (or got) anything held.
 */
async function newItemsAllArrive(column: Column, count: number) {
  const { adapter, emulator } = await setup(column.options);
  const first = await adapter.readTimeline({ ...column.req, direction: 'older', limit: 40 });
  expect(first.items.length).toBeGreaterThan(0);
  const held = new Set(first.items.map((e) => e.key));
  const cursor = first.newer!;
  const cursorId = cursor.replace(/^min:/, '');
  const before = emulator.requests.length;
  const made: string[] = [];
  for (let i = 0; i < count; i++) {
    column.publish(emulator, i);
    made.push(String(i));
  }

  const poll = await catchUp(adapter, column.req, cursor);

  // Every new item, once, and nothing the column held already.
  // Each published text ends with its number.
  const numbers = postsOf({ items: poll.entries, older: null, newer: null }).map((p) => /(\d+)$/.exec(p.text)?.[1]);
  expect(numbers.sort((a, b) => Number(a) - Number(b))).toEqual(made);
  expect(poll.entries).toHaveLength(count);
  for (const entry of poll.entries) {
    expect(held.has(entry.key)).toBe(false);
    TimelineEntrySchema.parse(entry);
  }
  // Newest first across the pages, as the column shows them.
  for (let i = 1; i < poll.entries.length; i++) {
    expect(poll.entries[i - 1]!.at >= poll.entries[i]!.at).toBe(true);
  }
  // More than a page: the chain went on until a page reached the cursor.
  expect(poll.pages.length).toBe(Math.floor(count / 40) + 1);
  expect(poll.pages.at(-1)?.between ?? null).toBeNull();

  // The server was asked only for what lies above the cursor, and sent exactly the new items.
  const served = emulator.requests.slice(before).filter((r) => matches(column.path, r.path));
  expect(served).toHaveLength(poll.pages.length);
  for (const request of served) {
    expect(new URLSearchParams(request.query).get(sinceParam(column.path))).toBe(cursorId);
  }
  expect(served.reduce((sum, r) => sum + (r.items ?? 0), 0)).toBe(count);

  // The next poll starts from the newest new item: nothing more to read.
  const quiet = await adapter.readTimeline({ ...column.req, cursor: poll.newer, direction: 'newer', limit: 40 });
  expect(quiet.items).toEqual([]);
  expect(quiet.between ?? null).toBeNull();
}

describe('Mastodon catch-up: everything posted between two polls arrives', () => {
  for (const column of COLUMNS) {
    it(`51 new on ${column.name}: two pages, then the cursor`, async () => {
      await newItemsAllArrive(column, 51);
    });
  }

  for (const column of COLUMNS.slice(0, 4)) {
    it(`150 new on ${column.name} while the app was closed: four pages, none lost`, async () => {
      await newItemsAllArrive(column, 150);
    });
  }

  it('exactly one page of new statuses: one more request finds nothing between', async () => {
    await newItemsAllArrive(COLUMNS[0]!, 40);
  });

  it('a quiet column keeps its place and asks nothing more', async () => {
    const { adapter, emulator } = await setup();
    const first = await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 20 });
    const before = emulator.requests.length;
    const quiet = await adapter.readTimeline({ kind: 'home', cursor: first.newer, direction: 'newer', limit: 20 });
    expect(quiet).toMatchObject({ items: [], newer: first.newer, between: null });
    expect(emulator.requests.length - before).toBe(1);
  });
});

describe('Mastodon rate window', () => {
  it('reports every response’s X-RateLimit-* under the window it can be (per token, or paging)', async () => {
    const { adapter, emulator, windows } = await setup();
    // Timelines page (since_id): 300 per 15 minutes per user; count refreshes ask by ids.
    for (const of of ['home', 'hashtag', 'notifications', 'search'] as const) {
      // …and each page counts against the per-token window too.
      expect(adapter.rateBucket(of)).toEqual({
        bucket: 'paging',
        limit: 300,
        windowMs: 15 * 60_000,
        also: [{ bucket: 'account', limit: 300, windowMs: 5 * 60_000 }],
      });
    }
    expect(adapter.rateBucket('metrics')).toEqual({
      bucket: 'account',
      limit: 300,
      windowMs: 5 * 60_000,
      idsPerRequest: 20,
    });
    await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 });
    await adapter.readTimeline({ kind: 'hashtag', query: 'coffee', direction: 'older', limit: 5 });
    // Instance, verify_credentials, home, tag: one window per response, counting down.
    expect(windows).toHaveLength(emulator.requests.length);
    expect(windows.map((w) => w.remaining)).toEqual([299, 298, 297, 296]);
    for (const w of windows) {
      expect(w).toMatchObject({ bucket: 'account', limit: 300 });
      expect(new Date(w.resetAt).toISOString()).toBe(w.resetAt);
    }

    // A refusal states its window too: nothing left until the reset.
    emulator.exhaustRateLimit(60_000);
    const refused = await refusal(adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 }));
    expect(refused.code).toBe('rate-limited');
    expect(windows.at(-1)).toMatchObject({ bucket: 'account', remaining: 0, resetAt: refused.resetAt });

    // A window resetting more than 5 minutes ahead can only be the 15-minute paging one.
    emulator.setRateLimit(300, 15 * 60_000);
    await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 });
    expect(windows.at(-1)).toMatchObject({ bucket: 'paging', limit: 300 });
  });
});

describe('Mastodon request deadline', () => {
  it('a server that accepts a timeline request and never answers is a timeout', async () => {
    const { adapter, emulator } = await setup({}, { requestDeadlineMs: 300 });
    await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 });
    emulator.hangNext('/api/v1/timelines/home');
    const err = await refusal(adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 }));
    expect(err).toMatchObject({ code: 'transient', reason: 'timeout' });
    // The next poll works again.
    expect((await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 })).items.length).toBeGreaterThan(
      0,
    );
  });

  it('the instance document has the same deadline', async () => {
    const { adapter, emulator } = await setup({}, { requestDeadlineMs: 300 });
    emulator.hangNext('/api/v2/instance');
    expect(await refusal(adapter.verify())).toMatchObject({ code: 'transient', reason: 'timeout' });
  });
});

describe('Mastodon count refreshes', () => {
  it('Mastodon 4.3+: one GET /api/v1/statuses per 20 ids (the server refuses more)', async () => {
    const { adapter, emulator } = await setup();
    const ids: string[] = [];
    let cursor: string | null = null;
    while (ids.length < 45) {
      const page: Page<TimelineEntry> = await adapter.readTimeline({
        kind: 'home',
        cursor,
        direction: 'older',
        limit: 40,
      });
      for (const post of postsOf(page)) if (!ids.includes(post.id)) ids.push(post.id);
      cursor = page.older;
    }
    const before = emulator.requests.length;
    const { metrics, gone } = await adapter.refreshMetrics(ids.slice(0, 45));
    expect(metrics.size).toBe(45);
    expect(gone).toEqual([]);
    const batches = emulator.requests.slice(before);
    expect(batches.map((r) => r.path)).toEqual(['/api/v1/statuses', '/api/v1/statuses', '/api/v1/statuses']);
    expect(batches.map((r) => new URLSearchParams(r.query).getAll('id[]').length)).toEqual([20, 20, 5]);
  });

  it('before Mastodon 4.3: one request per status, the batch route asked only once', async () => {
    const { adapter, emulator } = await setup({ apiVersion: 1 });
    const ids = [
      ...new Set(postsOf(await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 30 })).map((p) => p.id)),
    ].slice(0, 25);
    const before = emulator.requests.length;
    expect((await adapter.refreshMetrics(ids)).metrics.size).toBe(ids.length);
    const paths = emulator.requests.slice(before).map((r) => r.path);
    expect(paths.filter((p) => p === '/api/v1/statuses')).toHaveLength(1);
    expect(paths.filter((p) => p.startsWith('/api/v1/statuses/'))).toHaveLength(ids.length);
  });
});

/** A StreamSink that records what it gets, with promises for the first entry and the drop. */
function recordingSink() {
  const entries: TimelineEntry[] = [];
  const deleted: string[] = [];
  const downs: Array<{ code: string; reason?: string }> = [];
  const waiting: Array<{ until: () => boolean; resolve: () => void }> = [];
  const check = () => {
    for (const w of waiting.splice(0)) (w.until() ? w.resolve : () => waiting.push(w))();
  };
  const sink: StreamSink = {
    entry: (e) => {
      entries.push(e);
      check();
    },
    deleted: (id) => {
      deleted.push(id);
      check();
    },
    down: (err) => {
      downs.push(err as { code: string; reason?: string });
      check();
    },
  };
  /** Resolves once `until` holds (the test's own timeout is the only limit). */
  const when = (until: () => boolean) =>
    until() ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ until, resolve }));
  return { sink, entries, deleted, downs, when };
}

describe('Mastodon hashtag streaming', () => {
  it('delivers a new tagged status as the tag timeline would, and its deletion', async () => {
    const { adapter, emulator } = await setup();
    const rec = recordingSink();
    const live = adapter.stream({ kind: 'hashtag', query: '#Colonnade' }, rec.sink);
    expect(live).not.toBeNull();
    try {
      await emulator.waitForHashtagSubscriber('colonnade');
      emulator.postAs('bob', 'Unrelated #coffee');
      const posted = emulator.postAs('chloe', 'Live from the stand #colonnade');
      await rec.when(() => rec.entries.length > 0);
      expect(rec.entries.map((e) => e.post?.text)).toEqual(['Live from the stand #colonnade']);
      // The same entry the tag timeline gives for it.
      const polled = await adapter.readTimeline({ kind: 'hashtag', query: 'colonnade', direction: 'older', limit: 1 });
      expect(rec.entries[0]).toEqual(polled.items[0]);

      const res = await fetch(`${emulator.url}/api/v1/statuses/${posted.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${emulator.issueToken('chloe')}` },
      });
      expect(res.status).toBe(200);
      await rec.when(() => rec.deleted.length > 0);
      expect(rec.deleted).toEqual([rec.entries[0]!.post!.id]);
      expect(rec.downs).toEqual([]);
    } finally {
      live?.close();
    }
  }, 20_000);

  it('reports a dropped stream once, as a transient failure the column catches up from', async () => {
    const { adapter, emulator } = await setup();
    const rec = recordingSink();
    const live = adapter.stream({ kind: 'hashtag', query: 'colonnade' }, rec.sink)!;
    await emulator.waitForHashtagSubscriber('colonnade');
    expect(emulator.dropStreams()).toBe(1);
    await rec.when(() => rec.downs.length > 0);
    expect(rec.downs).toEqual([expect.objectContaining({ code: 'transient', reason: 'connection-broken' })]);
    // Nothing reconnects behind the caller's back, and nothing more is reported.
    emulator.postAs('chloe', 'After the drop #colonnade');
    expect(emulator.streamingClients()).toBe(0);
    live.close();
    expect(rec.downs).toHaveLength(1);
    expect(rec.entries).toEqual([]);
  }, 20_000);

  it('closing the stream is not a drop', async () => {
    const { adapter, emulator } = await setup();
    const rec = recordingSink();
    const live = adapter.stream({ kind: 'hashtag', query: 'colonnade' }, rec.sink)!;
    await emulator.waitForHashtagSubscriber('colonnade');
    live.close();
    while (emulator.streamingClients() > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(rec.downs).toEqual([]);
  }, 20_000);

  it('a streaming server that never opens the socket is a timeout', async () => {
    const { adapter, emulator } = await setup({}, { requestDeadlineMs: 300 });
    emulator.hangStreaming(true);
    const rec = recordingSink();
    adapter.stream({ kind: 'hashtag', query: 'colonnade' }, rec.sink);
    await rec.when(() => rec.downs.length > 0);
    expect(rec.downs).toEqual([expect.objectContaining({ code: 'transient', reason: 'timeout' })]);
  }, 20_000);

  it('streams hashtags only, and not where the instance offers no streaming', async () => {
    const { adapter } = await setup();
    const rec = recordingSink();
    expect(adapter.stream({ kind: 'home' }, rec.sink)).toBeNull();
    expect(adapter.stream({ kind: 'search', query: 'colonnade' }, rec.sink)).toBeNull();
    expect(adapter.stream({ kind: 'hashtag', query: '#' }, rec.sink)).toBeNull();

    // No instance document: no streaming URL. Before it is known, the stream says so once…
    const bare = await setup({ instanceApi: 'none' });
    const first = recordingSink();
    expect(bare.adapter.stream({ kind: 'hashtag', query: 'colonnade' }, first.sink)).not.toBeNull();
    await first.when(() => first.downs.length > 0);
    expect(first.downs).toEqual([expect.objectContaining({ code: 'not-found', reason: 'stream-unavailable' })]);
    // …and afterwards there is no stream to open.
    expect(bare.adapter.stream({ kind: 'hashtag', query: 'colonnade' }, recordingSink().sink)).toBeNull();
  }, 20_000);
});
