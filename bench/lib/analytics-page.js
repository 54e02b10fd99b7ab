// The analytics bench's page (bench/analytics.mjs bundles it with Vite and serves it on 127.0.0.1):
// the renderer's own analytics modules, unchanged, on the app's Dexie database, driven from the
// bench through `window.analyticsBench`. Runs in Chromium.
import { AnalyticsArchive } from '../../src/renderer/analytics/archive-store.ts';
import { AnalyticsIndex } from '../../src/renderer/analytics/query.ts';
import { openDatabase } from '../../src/renderer/db/database.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** When each of a post's 30 observations is made (hours after posting): dense while young, sparse later, as the collector does. */
const OBSERVED_AFTER_H = [
  1, 2, 3, 4, 6, 8, 10, 12, 16, 20, 24, 30, 36, 42, 48, 72, 96, 120, 144, 168, 192, 240, 288, 336, 432, 528, 624, 720,
  1008, 1344,
];
/** The generated history ends here; every observation is before it. */
const END = Date.parse('2026-12-01T00:00:00Z');
const YEARS = 5;
const PROFILES = [
  { id: 'x:1001', network: 'x', handle: 'ifpower', followers: 24_000 },
  { id: 'x:1002', network: 'x', handle: 'ifpower_fr', followers: 6_000 },
  {
    id: 'bluesky:did:plc:ifpower0000000000000000',
    network: 'bluesky',
    handle: 'ifpower.bsky.social',
    followers: 9_000,
  },
  {
    id: 'bluesky:did:plc:ifpowerfr00000000000000',
    network: 'bluesky',
    handle: 'fr.ifpower.bsky.social',
    followers: 2_500,
  },
  { id: 'mastodon:109384@mastodon.social', network: 'mastodon', handle: 'ifpower@mastodon.social', followers: 4_000 },
  { id: 'mastodon:2217@piaille.fr', network: 'mastodon', handle: 'ifpower@piaille.fr', followers: 1_200 },
];
const WORDS = (
  'the new e-bike lands on monday battery frame test ride lyon show stand thanks team community ' +
  'urban mobility commute city weekend route charging range motor cargo family safety helmet lights ' +
  'winter tyres service workshop dealer warranty delivery order colour launch news update thread poll ' +
  'question photo video behind scenes factory design prototype engineers riders club meetup'
).split(' ');
const TAGS = Array.from({ length: 200 }, (_, i) =>
  i < 12
    ? [
        'IFPower',
        'ebike',
        'UrbanMobility',
        'Lyon',
        'velo',
        'cycling',
        'EV',
        'bikelife',
        'commute',
        'design',
        'Paris',
        'climate',
      ][i]
    : `tag${i}`,
);

/** mulberry32: a small seeded generator (the same history on every run). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let db;
let archive;
let index;

function open() {
  db ??= openDatabase();
  archive ??= new AnalyticsArchive(db);
  return archive;
}

/** One post and its observations, as main's collector (or a backfill) would deliver them. */
function generatePost(i, count, rand) {
  const profile = PROFILES[Math.floor(rand() * PROFILES.length)];
  const span = YEARS * 365 * DAY;
  const createdAt = Math.floor(END - span + (i / count) * (span - 60 * DAY) + rand() * HOUR);
  const words = 12 + Math.floor(rand() * 30);
  let text = '';
  for (let w = 0; w < words; w++) text += (w ? ' ' : '') + WORDS[Math.floor(rand() * WORDS.length)];
  const tagCount = rand() < 0.4 ? 0 : 1 + Math.floor(rand() * 3);
  const hashtags = [];
  for (let t = 0; t < tagCount; t++) {
    // Popular tags much more often.
    const tag = TAGS[Math.floor(TAGS.length * rand() ** 3)];
    if (!hashtags.includes(tag)) hashtags.push(tag);
  }
  text += hashtags.map((h) => ` #${h}`).join('');
  const nativeId =
    profile.network === 'x'
      ? String(1_500_000_000_000_000_000n + BigInt(i) * 7919n)
      : `3k${i.toString(36).padStart(10, '0')}`;
  const id = `${profile.network}:${nativeId}`;
  const post = {
    id,
    network: profile.network,
    profileId: profile.id,
    handle: profile.handle,
    createdAt,
    text,
    hashtags,
    hasMedia: rand() < 0.35,
    isReply: rand() < 0.2,
    isQuote: rand() < 0.05,
    url:
      profile.network === 'x'
        ? `https://x.com/${profile.handle}/status/${nativeId}`
        : profile.network === 'bluesky'
          ? `https://bsky.app/profile/${profile.handle}/post/${nativeId}`
          : `https://${profile.handle.split('@')[1]}/@${profile.handle.split('@')[0]}/${nativeId}`,
  };
  // Final counts: heavy-tailed; they grow fast in the first hours, then level off.
  // Engagement rates of about 0.1 % to 8 %, a few posts going far beyond the followers.
  const reach = profile.followers * (0.1 + rand() * 0.9) * (rand() < 0.02 ? 20 : 1);
  const likes = reach * (0.01 + rand() * 0.05);
  const impressions = reach * (1.5 + rand() * 1.5);
  const snapshots = OBSERVED_AFTER_H.map((h) => {
    const f = 1 - Math.exp(-h / (6 + rand() * 12));
    const n = (x) => Math.floor(x * f);
    const young = h <= 720;
    const x = profile.network === 'x';
    return {
      postId: id,
      at: createdAt + h * HOUR,
      source: 'collector',
      values: {
        likes: n(likes),
        reposts: n(likes * 0.2),
        replies: n(likes * 0.08),
        quotes: profile.network === 'mastodon' ? null : n(likes * 0.02),
        bookmarks: x ? n(likes * 0.05) : null,
        impressions: x ? n(impressions) : null,
        linkClicks: x && young ? n(likes * 0.1) : null,
        profileClicks: x && young ? n(likes * 0.04) : null,
      },
    };
  });
  return { post, snapshots };
}

/** Starts watching for long tasks; the function answers the longest since (ms, 0 for none) and stops. */
function watchLongTasks() {
  let longest = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longest = Math.max(longest, e.duration);
  });
  observer.observe({ type: 'longtask' });
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const e of observer.takeRecords()) longest = Math.max(longest, e.duration);
    observer.disconnect();
    return longest;
  };
}

window.analyticsBench = {
  /**
   * Fills the archive with `posts` own posts with 30 observations each, `batch` posts per ingest
   * (one transaction each), and each profile's daily follower counts. Answers the totals and time.
   */
  async generate({ posts, batch, seed }) {
    const store = open();
    const rand = random(seed);
    const started = performance.now();
    const totals = { newPosts: 0, newPoints: 0, duplicatePoints: 0, newFollowerCounts: 0 };
    const add = (r) => {
      for (const k of Object.keys(totals)) totals[k] += r[k];
    };
    const followers = [];
    for (const p of PROFILES) {
      for (let d = YEARS * 365; d >= 0; d--) {
        const at = END - d * DAY;
        followers.push({
          profileId: p.id,
          day: new Date(at).toISOString().slice(0, 10),
          followers: Math.round(p.followers * (0.4 + 0.6 * (1 - d / (YEARS * 365)))),
          at,
        });
      }
    }
    for (let i = 0; i < followers.length; i += 1000)
      add(await store.ingest({ followers: followers.slice(i, i + 1000) }));
    for (let i = 0; i < posts; i += batch) {
      const chunk = { posts: [], snapshots: [] };
      for (let j = i; j < Math.min(posts, i + batch); j++) {
        const { post, snapshots } = generatePost(j, posts, rand);
        chunk.posts.push(post);
        for (const s of snapshots) chunk.snapshots.push(s);
      }
      add(await store.ingest(chunk));
    }
    return { ...totals, ingestMs: performance.now() - started };
  },

  /**
   * Loads the query engine from the archive (from its kept columns when they are current, else
   * every post); answers the time it took, the posts it holds, and the longest main-thread task
   * meanwhile (over 50 ms; 0 when none).
   */
  async load() {
    const longest = watchLongTasks();
    const started = performance.now();
    index = await AnalyticsIndex.load(open());
    const loadMs = performance.now() - started;
    return { loadMs, size: index.size, longestTaskMs: await longest() };
  },

  /** Keeps the loaded index's columns in the archive (`AnalyticsIndex.keep`): the time, and the longest task meanwhile. */
  async keep() {
    const longest = watchLongTasks();
    const started = performance.now();
    const kept = await index.keep();
    const keepMs = performance.now() - started;
    return { kept, keepMs, longestTaskMs: await longest() };
  },

  /**
   * Filter (engagement rate above `threshold`) and sort (rate, highest first), timed with
   * performance.now: `cold` runs first drop the index's sort orders (as after an ingest), `warm`
   * runs reuse them (as the table does while the CM changes the filter).
   */
  filterSort({ threshold, warmup, runs }) {
    const filter = { rate: { min: threshold } };
    const sort = { key: 'rate', dir: 'desc' };
    const time = (drop) => {
      if (drop) index.apply({ posts: [], followers: [] });
      const t0 = performance.now();
      const rows = index.query(filter, sort);
      return { ms: performance.now() - t0, rows };
    };
    const cold = [];
    for (let i = 0; i < runs; i++) cold.push(time(true).ms);
    for (let i = 0; i < warmup; i++) time(false);
    const warm = [];
    let rows = new Uint32Array(0);
    for (let i = 0; i < runs; i++) {
      const run = time(false);
      warm.push(run.ms);
      rows = run.rows;
    }
    // The answer checked once, outside the timing: every row above the threshold, highest first.
    const rates = Array.from(rows, (r) => index.row(r).engagement.rate);
    const sorted = rates.every((rate, k) => rate >= threshold && (k === 0 || rates[k - 1] >= rate));
    const matches = rows.length;
    const top = matches ? index.row(rows[0]) : null;
    return {
      cold,
      warm,
      matches,
      sorted,
      top: top && { id: top.id, rate: top.engagement.rate, formula: top.engagement.formula },
    };
  },

  /** What the browser says the origin's storage uses (navigator.storage.estimate, bytes). */
  async estimate() {
    const { usage, usageDetails } = await navigator.storage.estimate();
    return { usage, indexedDB: usageDetails?.indexedDB ?? null };
  },

  /** Row counts of the archive's tables. */
  async counts() {
    open();
    return {
      ownPosts: await db.ownPosts.count(),
      pendingSeries: await db.pendingSeries.count(),
      followerCounts: await db.followerCounts.count(),
    };
  },

  close() {
    index?.dispose();
    db?.close();
    db = archive = index = undefined;
  },
};
window.analyticsBenchReady = true;
