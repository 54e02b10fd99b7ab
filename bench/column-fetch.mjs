// column-fetch: how long a column takes to fill from each network, and what the adapters' own
// normalization costs per post.
//
//   xPageMs, blueskyPageMs, mastodonPageMs
//       a fresh column's first 100 home posts: from calling the adapter's readTimeline until the
//       renderer's storeColumnEntries (Dexie, on fake-indexeddb, a fresh database each run) has
//       resolved. Against the local servers: the X emulator, the Mastodon emulator (both check
//       every request and answer against the API description, which is part of the time) and a
//       real local Bluesky network (PDS + AppView). One adapter per network serves every run, so
//       its one-time work (sign-in, account and instance look-ups) falls in the warm-up.
//       Mastodon answers at most 40 statuses a request: there "a page" is as many requests as it
//       takes for the column to hold 100 posts (the adapter shows a boost of a status already on
//       the page once, so it can be four), each stored as it arrives, as when a column loads more.
//       X and Bluesky take 100 in one request. postsPerRequest says how each page was made.
//   xNormalizeUs, blueskyNormalizeUs, mastodonNormalizeUs, normalizeUsPerPost
//       microseconds per post for the adapter's own work on a raw 100-post answer captured once:
//       X: XTimelineSchema.parse + toPosts; Mastodon: parseStatus + toPost (masto has already
//       camel-cased the JSON); Bluesky: postOf (on @atproto/api's decoded views).
//       normalizeUsPerPost is the mean of the three.
//
// Timings over BENCH_RUNS runs (default 7) after one warm-up: the median, with Min and Max
// beside it. Normalization: BENCH_NORMALIZE_MS per network (default 1500): a third warming up,
// the rest in five batches of passes over the page; the median batch.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';
import { ROOT, envInt, median, performance, round1, spread } from './lib/support.mjs';

const PAGE = 100;
const COLUMN = 'bench-home';
const BATCHES = 5;
/** Posts the Bluesky author writes (the reader's home must hold more than a page). */
const BLUESKY_POSTS = 120;
const BLUESKY_BATCH = 12;

const silentLog = { info() {}, warn() {}, error() {} };

export async function run({ log = console.log } = {}) {
  const runs = envInt('BENCH_RUNS', 7);
  const normalizeMs = envInt('BENCH_NORMALIZE_MS', 1500);
  const tsx = register({ namespace: 'column-fetch' });
  try {
    // Dexie looks for indexedDB when it loads: the fake goes first.
    await import('fake-indexeddb/auto');
    const load = (file) => tsx.import(pathToFileURL(path.join(ROOT, file)).href, import.meta.url);
    const [db, ports] = await Promise.all([load('src/renderer/db/database.ts'), load('src/main/core/ports.ts')]);
    const ctx = { clock: ports.systemClock, log: silentLog, saveCredentials: async () => {} };
    const env = { db, ctx, load, log, runs, normalizeMs };

    const x = await benchX(env);
    const mastodon = await benchMastodon(env);
    const bluesky = await benchBluesky(env);

    const perNetwork = [x.normalizeUs, bluesky.normalizeUs, mastodon.normalizeUs];
    return {
      ...spread('xPageMs', x.pageMs),
      ...spread('blueskyPageMs', bluesky.pageMs),
      ...spread('mastodonPageMs', mastodon.pageMs),
      normalizeUsPerPost: round1(perNetwork.reduce((a, b) => a + b, 0) / perNetwork.length),
      xNormalizeUs: round1(x.normalizeUs),
      blueskyNormalizeUs: round1(bluesky.normalizeUs),
      mastodonNormalizeUs: round1(mastodon.normalizeUs),
      postsPerPage: PAGE,
      postsPerRequest: { x: x.pageSizes, bluesky: bluesky.pageSizes, mastodon: mastodon.pageSizes },
      mastodonNote:
        `Mastodon answers at most 40 statuses a request: its page is ${mastodon.pageSizes.length} requests ` +
        `(${mastodon.pageSizes.join(' + ')} posts), paging until the column holds ${PAGE}.`,
      runs,
    };
  } finally {
    await tsx.unregister();
  }
}

// ---- the networks ------------------------------------------------------------------------------

async function benchX({ load, ctx, log, ...env }) {
  const [{ startXEmulator, ME_ID }, { createXAdapter }, normalize] = await Promise.all([
    load('tests/emulators/x/index.ts'),
    load('src/main/networks/x/index.ts'),
    load('src/main/networks/x/normalize.ts'),
  ]);
  const emulator = await startXEmulator({ homePosts: 400 });
  try {
    const keys = emulator.control.issueOAuth1();
    const adapter = createXAdapter({ kind: 'oauth1', ...keys, apiBase: emulator.url }, ctx);
    const { pageMs, pageSizes } = await timePages('x', adapter, { load, ctx, log, ...env });

    const token = emulator.control.issueOAuth2().accessToken;
    const query = new URLSearchParams({ ...normalize.TWEET_QUERY, max_results: String(PAGE) });
    const res = await fetch(`${emulator.url}/2/users/${ME_ID}/timelines/reverse_chronological?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok) throw new Error(`The X emulator answered ${res.status} to the raw page.`);
    const raw = await res.json();
    const now = Date.now();
    const posts = (raw.data ?? []).length;
    const normalizeUs = timeNormalize(
      'x',
      posts,
      () => {
        const t = normalize.XTimelineSchema.parse(raw);
        return normalize.toPosts(t.data ?? [], t.includes, now).length;
      },
      { log, ...env },
    );
    if (emulator.violations.length)
      log(`note: the X emulator recorded ${emulator.violations.length} spec violation(s)`);
    return { pageMs, pageSizes, normalizeUs };
  } finally {
    await emulator.close();
  }
}

async function benchMastodon({ load, ctx, log, ...env }) {
  const [{ startMastodonEmulator }, { createMastodonAdapter }, normalize, { createRestAPIClient }] = await Promise.all([
    load('tests/emulators/mastodon/index.ts'),
    load('src/main/networks/mastodon/index.ts'),
    load('src/main/networks/mastodon/normalize.ts'),
    import('masto'),
  ]);
  // Mastodon's own budget (300 requests per 5 minutes) is not what is measured here.
  const emulator = await startMastodonEmulator({ rateLimit: { limit: 100_000, windowMs: 5 * 60_000 } });
  try {
    const accessToken = emulator.issueToken();
    const adapter = createMastodonAdapter({ instanceUrl: emulator.url, accessToken }, ctx);
    const { pageMs, pageSizes } = await timePages('mastodon', adapter, { load, ctx, log, ...env });

    // The same 100 statuses as masto hands them to the adapter (camel-cased), in 40-status pages.
    const client = createRestAPIClient({ url: emulator.url, accessToken });
    const statuses = [];
    for await (const page of client.v1.timelines.home.list({ limit: 40 })) {
      statuses.push(...page);
      if (statuses.length >= PAGE) break;
    }
    const raw = statuses.slice(0, PAGE);
    const { host } = new URL(emulator.url);
    const normalizeUs = timeNormalize(
      'mastodon',
      raw.length,
      () => {
        let n = 0;
        for (const status of raw) if (normalize.toPost(normalize.parseStatus(status, host), emulator.domain)) n++;
        return n;
      },
      { log, ...env },
    );
    if (emulator.violations.length)
      log(`note: the Mastodon emulator recorded ${emulator.violations.length} spec violation(s)`);
    return { pageMs, pageSizes, normalizeUs };
  } finally {
    await emulator.close();
  }
}

async function benchBluesky({ load, ctx, log, ...env }) {
  const [{ startRemoteBlueskyNetwork }, { createBlueskyAdapter, connectBluesky }, normalize, { AtpAgent }] =
    await Promise.all([
      load('tests/support/bluesky-network-client.ts'),
      load('src/main/networks/bluesky/index.ts'),
      load('src/main/networks/bluesky/normalize.ts'),
      import('@atproto/api'),
    ]);
  log('starting a local Bluesky network (PDS, AppView, PLC on Postgres; about 20-30 s)');
  const t0 = performance.now();
  const network = await startRemoteBlueskyNetwork();
  try {
    const [owner, author] = await Promise.all([
      network.createAccount('deckowner'),
      network.createAccount('deckauthor'),
    ]);
    await network.follow(owner, author);
    for (let i = 0; i < BLUESKY_POSTS; i += BLUESKY_BATCH) {
      const batch = [];
      for (let j = i; j < Math.min(i + BLUESKY_BATCH, BLUESKY_POSTS); j++)
        batch.push(network.post(author, seedText(j)));
      await Promise.all(batch);
    }
    await network.sync();
    log(`Bluesky network ready with ${BLUESKY_POSTS} posts in ${round1((performance.now() - t0) / 1000)} s`);

    const credentials = await connectBluesky({
      service: network.pdsUrl,
      identifier: owner.handle,
      appPassword: owner.password,
    });
    const adapter = createBlueskyAdapter(credentials, ctx);
    const { pageMs, pageSizes } = await timePages('bluesky', adapter, { load, ctx, log, ...env });

    const agent = new AtpAgent({ service: network.pdsUrl });
    await agent.login({ identifier: owner.handle, password: owner.password });
    const { data } = await agent.app.bsky.feed.getTimeline({ limit: PAGE });
    const views = data.feed.map((item) => item.post);
    const normalizeUs = timeNormalize(
      'bluesky',
      views.length,
      () => {
        let n = 0;
        for (const view of views) if (normalize.postOf(view)) n++;
        return n;
      },
      { log, ...env },
    );
    return { pageMs, pageSizes, normalizeUs };
  } finally {
    await network.close();
  }
}

/** Posts with a hashtag, a link, a mention and now and then an emoji (offsets past the BMP). */
function seedText(i) {
  const emoji = i % 3 === 0 ? ' 🎉' : '';
  return `Update ${i}${emoji}: the spring drop is live #colonnade https://example.com/drops/${i} thanks @deckowner.test`;
}

// ---- measuring ---------------------------------------------------------------------------------

/**
 * One warm-up, then `runs` timed fills of a fresh column: readTimeline (paging on while the
 * network gives fewer than 100) and storeColumnEntries after each answer.
 */
async function timePages(network, adapter, { db, log, runs }) {
  const pageMs = [];
  let pageSizes = [];
  for (let i = 0; i <= runs; i++) {
    const database = db.openDatabase(`colonnade-bench-${network}-${i}`);
    try {
      await database.open();
      const t0 = performance.now();
      let stored = 0;
      let cursor = null;
      const sizes = [];
      while (stored < PAGE) {
        const page = await adapter.readTimeline({ kind: 'home', direction: 'older', cursor, limit: PAGE - stored });
        sizes.push(page.items.length);
        await db.storeColumnEntries(database, COLUMN, page.items);
        stored += page.items.length;
        cursor = page.older;
        if (!cursor || page.items.length === 0) break;
      }
      const ms = performance.now() - t0;
      const count = await db.countColumnEntries(database, COLUMN);
      if (count < PAGE) throw new Error(`${network}: the column holds ${count} posts, not ${PAGE}.`);
      if (i === 0) {
        pageSizes = sizes;
        log(`${network}: warm-up ${round1(ms)} ms (${count} posts: ${sizes.join(' + ')})`);
      } else {
        pageMs.push(ms);
        log(`${network}: run ${i}/${runs}: ${round1(ms)} ms`);
      }
    } finally {
      database.close();
      await database.delete();
    }
  }
  return { pageMs, pageSizes };
}

/**
 * Microseconds per post for `normalizePage` (which answers how many posts it made): passes for a
 * third of `budgetMs` to warm up, then five batches sized to share the rest; the median batch.
 */
function timeNormalize(network, posts, normalizePage, { log, normalizeMs }) {
  if (posts < 1) throw new Error(`${network}: the raw page holds no posts.`);
  const check = normalizePage();
  if (check !== posts) throw new Error(`${network}: normalization made ${check} posts of ${posts}.`);
  let passes = 0;
  const warmUntil = performance.now() + normalizeMs / 3;
  const w0 = performance.now();
  while (performance.now() < warmUntil) {
    normalizePage();
    passes++;
  }
  const passMs = (performance.now() - w0) / passes;
  const perBatch = Math.max(10, Math.round((normalizeMs * 2) / 3 / BATCHES / passMs));
  const samples = [];
  for (let b = 0; b < BATCHES; b++) {
    const t0 = performance.now();
    for (let i = 0; i < perBatch; i++) normalizePage();
    samples.push(((performance.now() - t0) * 1000) / (perBatch * posts));
  }
  const us = median(samples);
  const range = `${round1(Math.min(...samples))}-${round1(Math.max(...samples))}`;
  log(
    `${network}: normalization ${round1(us)} µs/post (batches ${range}; ${posts} posts × ${perBatch * BATCHES} passes)`,
  );
  return us;
}
