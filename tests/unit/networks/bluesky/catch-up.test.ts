// Polling a Bluesky column as the monitors do, against a real local Bluesky network whose PDS
// runs Bluesky's rate limits: everything posted between two polls arrives however much it is
// (no timeline has a "since": the adapter pages down until what it knew), every answer's
// rate-limit window is reported, and a server that never answers is a timeout, in words.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkAdapter, TimelineRequest } from '../../../../src/shared/adapter';
import { ColonnadeError } from '../../../../src/shared/errors';
import { TimelineEntrySchema, type TimelineEntry } from '../../../../src/shared/model';
import en from '../../../../src/shared/i18n/en.json';
import fr from '../../../../src/shared/i18n/fr.json';
import { connectBluesky, createBlueskyAdapter, type BlueskyCredentials } from '../../../../src/main/networks/bluesky';
import {
  startBlueskyNetwork,
  type BlueskyTestAccount,
  type BlueskyTestNetwork,
  type StrongRef,
} from '../../../support/bluesky-network';
import { recordingContext, type RecordingContext } from '../../../support/bluesky-fixtures';

let net: BlueskyTestNetwork;
/** The CM: follows poppy, keeps a list with her in it. */
let cora: BlueskyTestAccount;
/** Posts a lot, mentioning cora. */
let poppy: BlueskyTestAccount;
let creds: BlueskyCredentials;
let ctx: RecordingContext;
let adapter: NetworkAdapter;
let listUri = '';
const idOf = (ref: StrongRef) => `bluesky:${encodeURIComponent(ref.uri)}`;
const PAGE = 50;

type Column = Omit<TimelineRequest, 'direction' | 'cursor' | 'limit'>;

/** Every column kind that shows poppy's posts about `tag` (each of them mentions cora). */
const columnsFor = (tag: string): Record<string, Column> => ({
  hashtag: { kind: 'hashtag', query: tag },
  search: { kind: 'search', query: `round ${tag}` },
  home: { kind: 'home' },
  user: { kind: 'user', query: poppy.handle },
  list: { kind: 'list', query: listUri },
  mentions: { kind: 'mentions' },
  notifications: { kind: 'notifications' },
});

/** Posts `count` posts by poppy about `tag`, oldest first, and waits for the AppView to index them. */
async function postRound(tag: string, count: number, label = 'round'): Promise<StrongRef[]> {
  const refs: StrongRef[] = [];
  for (let i = 1; i <= count; i++) refs.push(await net.post(poppy, `@${cora.handle} ${label} ${tag} ${i} #${tag}`));
  await net.sync();
  return refs;
}

/** Where each column is now: the `newer` of its newest page, as a column that polled once has it. */
async function positions(columns: Record<string, Column>, using = adapter): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, column] of Object.entries(columns)) {
    const page = await using.readTimeline({ ...column, direction: 'older', limit: PAGE });
    out[name] = page.newer!;
  }
  return out;
}

/**
 * What the engine does on a poll: a 'newer' read from the column's position, then down each
 * `between` until null. Answers the entries, how many pages it took, and the new position.
 */
async function poll(column: Column, cursor: string, using = adapter) {
  const entries: TimelineEntry[] = [];
  let pages = 0;
  let newer: string | null = null;
  let between: string | null = null;
  do {
    const page = await using.readTimeline({ ...column, direction: 'newer', cursor: between ?? cursor, limit: PAGE });
    for (const entry of page.items) TimelineEntrySchema.parse(entry);
    if (pages === 0) newer = page.newer;
    else expect(page.newer).toBeNull(); // only the first page moves the position
    entries.push(...page.items);
    between = page.between ?? null;
    pages++;
  } while (between && pages < 20);
  return { entries, pages, newer: newer! };
}

const postIds = (entries: TimelineEntry[]) => entries.map((e) => e.post?.id);

/** A local HTTP server that accepts requests and never answers (or sends headers, then stalls). */
async function silentServer(mode: 'no-answer' | 'stalled-body' = 'no-answer') {
  const sockets = new Set<Socket>();
  let requests = 0;
  const server = http.createServer((_req, res) => {
    requests++;
    if (mode === 'stalled-body') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"did":');
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function failure(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
    return { code: 'no error' };
  } catch (err) {
    return err instanceof ColonnadeError ? { ...err.toJSON() } : { code: `not a ColonnadeError: ${String(err)}` };
  }
}

beforeAll(async () => {
  net = await startBlueskyNetwork({ rateLimits: true });
  cora = await net.createAccount('cora');
  poppy = await net.createAccount('poppy');
  await net.follow(cora, poppy);
  const list = await net.createList(cora, 'Poppy');
  listUri = list.uri;
  await net.addListMember(cora, list, poppy);
  // Some history in every column, about both rounds.
  await postRound('fiftyone', 12, 'warm-up round');
  await postRound('hundredfifty', 12, 'warm-up round');
  creds = await connectBluesky({ service: net.pdsUrl, identifier: cora.handle, appPassword: cora.password });
  ctx = recordingContext();
  adapter = createBlueskyAdapter(creds, ctx);
}, 180_000);

afterAll(async () => {
  await net?.close();
}, 60_000);

describe('catching up', () => {
  it('51 posts between two polls (a page holds 50) all arrive, newest first, on every column kind', async () => {
    const columns = columnsFor('fiftyone');
    const at = await positions(columns);
    const posted = await postRound('fiftyone', 51);
    const expected = posted.map(idOf).reverse();
    for (const [name, column] of Object.entries(columns)) {
      const { entries, pages, newer } = await poll(column, at[name]!);
      expect({ name, ids: postIds(entries) }).toEqual({ name, ids: expected });
      expect({ name, pages }).toEqual({ name, pages: 2 });
      // The next poll, from the position the first page answered, brings nothing again.
      const next = await poll(column, newer);
      expect({ name, next: next.entries.length, pages: next.pages }).toEqual({ name, next: 0, pages: 1 });
    }
  }, 180_000);

  it('150 posts while the app was closed all arrive, on every column kind', async () => {
    const columns = columnsFor('hundredfifty');
    const at = await positions(columns);
    const posted = await postRound('hundredfifty', 150);
    const expected = posted.map(idOf).reverse();
    for (const [name, column] of Object.entries(columns)) {
      const { entries, pages } = await poll(column, at[name]!);
      expect({ name, ids: postIds(entries) }).toEqual({ name, ids: expected });
      expect(pages).toBeGreaterThanOrEqual(3);
      expect(pages).toBeLessThanOrEqual(4);
    }
  }, 300_000);

  it('a post the AppView sorts below one already seen (dated earlier, indexed later) still arrives', async () => {
    const column: Column = { kind: 'hashtag', query: 'latecomer' };
    const seeded = await postRound('latecomer', 6);
    const first = await adapter.readTimeline({ ...column, direction: 'older', limit: PAGE });
    expect(postIds(first.items)).toEqual(seeded.map(idOf).reverse());
    // Written now, dated between the second and third newest posts the column already shows.
    const [second, third] = [first.items[1]!.at, first.items[2]!.at].map((t) => Date.parse(t));
    const late = await net.post(poppy, {
      text: `@${cora.handle} round latecomer late #latecomer`,
      createdAt: new Date((second! + third!) / 2).toISOString(),
    });
    await net.sync();
    const { entries, pages } = await poll(column, first.newer!);
    expect(postIds(entries)).toEqual([idOf(late)]);
    expect(pages).toBe(1);
  }, 60_000);

  it('a column empty when first read: everything posted after it arrives', async () => {
    const column: Column = { kind: 'hashtag', query: 'emptyatfirst' };
    const first = await adapter.readTimeline({ ...column, direction: 'older', limit: PAGE });
    expect(first.items).toEqual([]);
    const posted = await postRound('emptyatfirst', 3);
    const { entries, pages, newer } = await poll(column, first.newer!);
    expect(postIds(entries)).toEqual(posted.map(idOf).reverse());
    expect(pages).toBe(1);
    expect((await poll(column, newer)).entries).toEqual([]);
  }, 60_000);

  it('a custom feed (ordered by rank): newer means entries new at its top, wherever it puts them', async () => {
    const seeded = await postRound('ranked', 8);
    const fresh = await postRound('ranked', 2, 'new');
    let ranked = seeded.map((r) => r.uri).reverse();
    const feedUri = await net.createFeedGenerator(cora, 'ranked', 'Ranked', () => ranked);
    await net.sync();
    const column: Column = { kind: 'list', query: feedUri };
    const first = await adapter.readTimeline({ ...column, direction: 'older', limit: PAGE });
    expect(first.items).toHaveLength(8);
    // The generator ranks one new post first and one in the middle.
    ranked = [fresh[0]!.uri, ...ranked.slice(0, 4), fresh[1]!.uri, ...ranked.slice(4)];
    const { entries, pages, newer } = await poll(column, first.newer!);
    expect(postIds(entries)).toEqual([idOf(fresh[0]!), idOf(fresh[1]!)]);
    expect(pages).toBe(1);
    // Reordered, nothing new: nothing to answer.
    ranked = [...ranked].reverse();
    expect((await poll(column, newer)).entries).toEqual([]);
  }, 60_000);
});

describe('rate limits', () => {
  it('every read draws from the PDS budget of 3,000 requests per 5 minutes, as its answers state it', () => {
    for (const kind of ['home', 'hashtag', 'search', 'user', 'list', 'mentions', 'notifications', 'metrics'] as const) {
      expect(adapter.rateBucket(kind)).toEqual({ bucket: 'requests', limit: 3000, windowMs: 300_000 });
    }
    // The polls above were answered with the PDS's RateLimit-* headers.
    const reads = ctx.windows.filter((w) => w.bucket === 'requests');
    expect(reads.length).toBeGreaterThan(50);
    expect(reads.every((w) => w.limit === 3000 && w.remaining < 3000)).toBe(true);
    expect(reads.at(-1)!.remaining).toBeLessThan(reads[0]!.remaining);
    const now = Date.now();
    for (const w of reads.slice(-5)) {
      expect(Date.parse(w.resetAt)).toBeGreaterThan(now - 300_000);
      expect(Date.parse(w.resetAt)).toBeLessThanOrEqual(now + 300_000 + 1_000);
    }
    expect(adapter.rateLimit()).toEqual({
      limit: reads.at(-1)!.limit,
      remaining: reads.at(-1)!.remaining,
      resetAt: reads.at(-1)!.resetAt,
    });
  });
});

describe('deadlines', () => {
  it('a server that accepts and never answers is a timeout, in words, for reads, resumed sessions and sign-in', async () => {
    expect(typeof en.reasons.timeout).toBe('string');
    expect(typeof fr.reasons.timeout).toBe('string');
    for (const mode of ['no-answer', 'stalled-body'] as const) {
      const silent = await silentServer(mode);
      try {
        const stored: BlueskyCredentials = { ...creds, service: silent.url, session: undefined };
        const signingIn = createBlueskyAdapter(stored, recordingContext(), { deadlineMs: 300 });
        expect(await failure(signingIn.readTimeline({ kind: 'home', limit: 5, direction: 'older' }))).toMatchObject({
          code: 'transient',
          reason: 'timeout',
        });
        const resuming = createBlueskyAdapter({ ...creds, service: silent.url }, recordingContext(), {
          deadlineMs: 300,
        });
        expect(await failure(resuming.verify())).toMatchObject({ code: 'transient', reason: 'timeout' });
        const before = silent.requests();
        const connect = connectBluesky(
          { service: silent.url, identifier: cora.handle, appPassword: cora.password },
          { deadlineMs: 300 },
        );
        expect(await failure(connect)).toMatchObject({ code: 'transient', reason: 'timeout' });
        expect(silent.requests() - before).toBe(1); // not asked again what it is
      } finally {
        await silent.close();
      }
    }
  });

  it('one read that hangs fails as a timeout; the column’s next read works', async () => {
    const silent = await silentServer();
    let hang = true;
    const fetchStub: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (hang && url.includes('app.bsky.feed.getTimeline')) {
        hang = false;
        return fetch(`${silent.url}/xrpc/app.bsky.feed.getTimeline`, { signal: init?.signal ?? null });
      }
      return fetch(input, init);
    };
    try {
      const own = recordingContext();
      const a = createBlueskyAdapter(creds, own, { fetch: fetchStub, deadlineMs: 1_000 });
      const read = () => a.readTimeline({ kind: 'home', limit: 5, direction: 'older' });
      expect(await failure(read())).toMatchObject({ code: 'transient', reason: 'timeout' });
      expect((await read()).items).toHaveLength(5);
      expect(silent.requests()).toBe(1);
    } finally {
      await silent.close();
    }
  });
});
