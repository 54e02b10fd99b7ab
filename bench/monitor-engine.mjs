// monitor-engine: what the monitor engine (src/main/core/monitors/engine.ts) costs in requests and
// gains in detection, against the real X and Mastodon adapters talking to the local emulators,
// which enforce the networks' rate windows. Engine, adapters and emulators share one simulated
// clock (bench/lib/sim-clock.mjs) that stands still while requests are answered: hours of polling
// take seconds, every delay the engine computes is kept exactly, and latencies are polling delays
// without the network's own time.
//
//   requestsPerHour, medianLatencyS, p90LatencyS
//       50 hashtag columns on one X account (all on the shown deck), BENCH_HOURS simulated hours
//       (default 2) while other accounts post at BENCH_POSTS_PER_HOUR (default 90) with those
//       hashtags (a few busy, most quiet: weights 1/rank; one post in ten carries two). Requests:
//       GET /2/tweets/search/recent the emulator received, per hour. Latency: from a post being made
//       to it being delivered to every column of its hashtags, in simulated seconds.
//   naiveRequestsPerHour, naiveMedianLatencyS, naiveP90LatencyS
//       the same posts, read by a loop that polls each hashtag alone ('newer' reads through the same
//       adapter, paging on `between`), round-robin, as fast as the same budget allows: the search
//       window's limit less the engine's reserve (budget.ts RESERVE_SHARE), spread evenly.
//   requestRatio (naive / engine requests), latencyRatio (naive / engine median latency)
//   responses429, naiveResponses429
//       429 answers during those hours (adapter calls that failed rate-limited).
//   lostAfterSleep, lostUnmarkedAfterSleep, sleepPosts, catchUpS, pendingAfter30Min,
//   responses429AfterSleep, gapsOpen
//       then the laptop sleeps 8 simulated hours (the clock moves, no timer fires) while the posts
//       go on; on waking, `wakeAll()` as on powerMonitor's resume, and the simulation runs until
//       every post of the sleep is delivered and no gap marker is left (at most 3 simulated hours):
//       posts of the sleep never delivered to one of their columns (and of those, the ones no gap
//       marker stood for: lost silently), how many there were, how long after waking the last one
//       arrived, how many were still missing 30 minutes after waking, 429s meanwhile, gap markers
//       still open at the end.
//   lostSteady: posts of the steady hours never delivered (after 15 more minutes).
//   mastodonRequestsPer5Min
//       a steady deck of 10 columns on one Mastodon account (home, notifications, mentions, three
//       hashtags, two lists, a user, a search), 30 simulated minutes with other accounts posting
//       2 a minute, the renderer's visible-post reports simulated (the top 10 of each column, sent
//       when they change, as ColumnView does): the most requests the emulator received in one of
//       the 5-minute windows after the first (mastodonRequestsFirst5Min: the first, start-up;
//       mastodonCountRequests: the status look-ups of count refreshes in the 30 minutes).
//   xRefreshReadShare
//       a steady deck of 10 columns on one X account (home, mentions, notifications, three
//       hashtags, a search, a user, two lists), 2 simulated hours, posts by others 1 a minute and
//       the CM's own every 20 minutes, visible reports as above: the share of billed posts read
//       (the adapter's `onReads`) that were count refreshes (`purpose: 'counts'`), in the second
//       hour (xRefreshReadShareFirstHour: the first, with each column's first page).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';
import { ROOT, envInt, median, performance, round1 } from './lib/support.mjs';
import { Inflight, SimClock, tracked } from './lib/sim-clock.mjs';

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** The emulators' seed time (both seed their worlds relative to it). */
const START = Date.UTC(2026, 10, 25, 8, 0, 0);
/** Posts with the monitored hashtags before the engine starts (its columns' first pages). */
const HISTORY_MS = 3 * HOUR;
const DRAIN_MS = 15 * MINUTE;
const SLEEP_MS = 8 * HOUR;
/** The longest the engine is given after waking to deliver what was posted during the sleep. */
const WAKE_MAX_MS = 3 * HOUR;
const TAG_COUNT = 50;
const SEARCH_ENDPOINT = 'GET /2/tweets/search/recent';

export async function run({ log = console.log } = {}) {
  const hours = envInt('BENCH_HOURS', 2);
  const postsPerHour = envInt('BENCH_POSTS_PER_HOUR', 90);
  const tsx = register({ namespace: 'monitor-engine' });
  try {
    const load = (file) => tsx.import(pathToFileURL(path.join(ROOT, file)).href, import.meta.url);
    const [engine, budget, sources, doubles, xEmu, xAdapter, mastoEmu, mastoAdapter] = await Promise.all([
      load('src/main/core/monitors/engine.ts'),
      load('src/main/core/monitors/budget.ts'),
      load('src/main/core/monitors/sources.ts'),
      load('tests/doubles/ports.ts'),
      load('tests/emulators/x/index.ts'),
      load('src/main/networks/x/index.ts'),
      load('tests/emulators/mastodon/index.ts'),
      load('src/main/networks/mastodon/index.ts'),
    ]);
    const mods = { engine, budget, sources, doubles, xEmu, xAdapter, mastoEmu, mastoAdapter };
    const plan = monitorPlan({ hours, postsPerHour });

    const monitors = await benchMonitors(mods, plan, log);
    const naive = await benchNaive(mods, plan, log);
    const share = await benchXShare(mods, log);
    const mastodon = await benchMastodon(mods, log);

    return {
      requestsPerHour: monitors.requestsPerHour,
      medianLatencyS: monitors.medianLatencyS,
      naiveRequestsPerHour: naive.requestsPerHour,
      naiveMedianLatencyS: naive.medianLatencyS,
      responses429: monitors.responses429,
      lostAfterSleep: monitors.lostAfterSleep,
      mastodonRequestsPer5Min: mastodon.requestsPer5Min,
      xRefreshReadShare: share.secondHour,
      requestRatio: round1(naive.requestsPerHour / monitors.requestsPerHour),
      latencyRatio: round1(naive.medianLatencyS / monitors.medianLatencyS),
      p90LatencyS: monitors.p90LatencyS,
      naiveP90LatencyS: naive.p90LatencyS,
      naiveResponses429: naive.responses429,
      engineReaders: monitors.readers,
      lostSteady: monitors.lostSteady,
      sleepPosts: monitors.sleepPosts,
      catchUpS: monitors.catchUpS,
      pendingAfter30Min: monitors.pendingAfter30Min,
      lostUnmarkedAfterSleep: monitors.lostUnmarkedAfterSleep,
      responses429AfterSleep: monitors.responses429AfterSleep,
      gapsOpen: monitors.gapsOpen,
      columnErrors: monitors.columnErrors,
      mastodonRequestsFirst5Min: mastodon.first5Min,
      mastodonRequestsByWindow: mastodon.windows,
      mastodonResponses429: mastodon.responses429,
      mastodonStreams: mastodon.streams,
      mastodonCountRequests: mastodon.countRequests,
      xRefreshReadShareFirstHour: share.firstHour,
      xReadsSecondHour: share.readsSecondHour,
      xResponses429: share.responses429,
      hashtags: TAG_COUNT,
      steadyPosts: monitors.steadyPosts,
      postsPerHour,
      simulatedHours: hours,
    };
  } finally {
    await tsx.unregister();
  }
}

// ---- the posts ---------------------------------------------------------------------------------

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
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

/** 50 campaign hashtags: five brands × ten campaigns (IFPower, AcmeSpring26…). */
function hashtags() {
  const brands = ['IF', 'Acme', 'Nordik', 'Velo', 'Kora'];
  const campaigns = ['Power', 'Spring26', 'Launch', 'Live', 'Care', 'Deals', 'Team', 'Tips', 'Week', 'Fest'];
  return brands.flatMap((b) => campaigns.map((c) => `${b}${c}`)).slice(0, TAG_COUNT);
}

/**
 * Post times of a Poisson process of `perHour` posts an hour in [from, to), each with a hashtag
 * drawn with weight 1/rank (a few busy, most quiet), one in ten with a second one.
 */
function postsBetween(rand, tags, from, to, perHour) {
  const weights = tags.map((_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const pick = () => {
    let r = rand() * total;
    for (let i = 0; i < tags.length; i++) if ((r -= weights[i]) < 0) return tags[i];
    return tags[tags.length - 1];
  };
  const out = [];
  let at = from;
  for (;;) {
    at += Math.round((-Math.log(1 - rand()) * HOUR) / perHour);
    if (at >= to) return out;
    const first = pick();
    const second = rand() < 0.1 ? pick() : first;
    out.push({ at, tags: second === first ? [first] : [first, second], author: rand() });
  }
}

const PHRASES = [
  'Loving the new range',
  'Queue outside the store already',
  'Customer service sorted it in minutes',
  'Is the app down for anyone else?',
  'Photos from the event',
  'Best offer this week',
];

/** The whole scenario of the 50-hashtag account, the same for the engine and the naive loop. */
function monitorPlan({ hours, postsPerHour }) {
  const tags = hashtags();
  const rand = random(7_2026);
  const engineStart = START + HISTORY_MS;
  const steadyEnd = engineStart + hours * HOUR;
  const sleepStart = steadyEnd + DRAIN_MS;
  return {
    tags,
    hours,
    engineStart,
    steadyEnd,
    sleepStart,
    history: postsBetween(rand, tags, START, engineStart, postsPerHour),
    steady: postsBetween(rand, tags, engineStart, steadyEnd, postsPerHour),
    sleep: postsBetween(rand, tags, sleepStart, sleepStart + SLEEP_MS, postsPerHour),
  };
}

/** Posts a planned post on the X emulator now, by one of the accounts other than the CM's. */
function xPost(emu, meId, planned, n) {
  const others = [...emu.state.users.values()].filter((u) => u.id !== meId);
  const author = others[Math.floor(planned.author * others.length)];
  const text = `${PHRASES[n % PHRASES.length]} (${n}) ${planned.tags.map((t) => `#${t}`).join(' ')}`;
  const tweet = emu.control.addTweet({ authorId: author.id, text });
  return { id: `x:${tweet.id}`, at: tweet.createdAt, tags: planned.tags };
}

// ---- the renderer's side -----------------------------------------------------------------------

/**
 * What the renderer would hold: each column's entries (post id → entry time), its open gap
 * markers, and when each post first reached each column (simulated ms). `report(engine)` sends
 * the top 10 posts of each column whose top changed, as ColumnView does (at most once a second
 * and only when changed; here after every timer of the simulation).
 */
class Deck {
  columns = new Map();
  firstAt = new Map();

  deliver(d, now) {
    let c = this.columns.get(d.columnId);
    if (!c) this.columns.set(d.columnId, (c = { posts: new Map(), gaps: new Map(), dirty: true, said: '' }));
    for (const e of d.entries) {
      if (e.gap) c.gaps.set(e.gap.id, e.gap);
      if (!e.post) continue;
      if (!c.posts.has(e.post.id)) c.dirty = true;
      c.posts.set(e.post.id, e.at);
      let seen = this.firstAt.get(e.post.id);
      if (!seen) this.firstAt.set(e.post.id, (seen = new Map()));
      if (!seen.has(d.columnId)) seen.set(d.columnId, now);
    }
    for (const g of d.closedGaps ?? []) c.gaps.delete(g);
  }

  /** When `postId` had reached every one of `columnIds` (ms), or null if it has not. */
  deliveredAt(postId, columnIds) {
    const seen = this.firstAt.get(postId);
    let last = -Infinity;
    for (const id of columnIds) {
      const at = seen?.get(id);
      if (at === undefined) return null;
      last = Math.max(last, at);
    }
    return last;
  }

  /** Gap markers still shown (each counted once, however many columns show it). */
  openGaps() {
    const ids = new Set();
    for (const c of this.columns.values()) for (const id of c.gaps.keys()) ids.add(id);
    return ids.size;
  }

  /** Does an open gap marker of this column stand for posts made at `at` (ms)? */
  coveredByGap(columnId, at) {
    for (const g of this.columns.get(columnId)?.gaps.values() ?? []) {
      if ((g.from === null || Date.parse(g.from) <= at) && at <= Date.parse(g.to)) return true;
    }
    return false;
  }

  report(engine) {
    for (const [id, c] of this.columns) {
      if (!c.dirty) continue;
      c.dirty = false;
      const top = [...c.posts]
        .sort((a, b) => (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0))
        .slice(0, 10)
        .map(([postId]) => postId);
      const said = top.join(',');
      if (said === c.said) continue;
      c.said = said;
      engine.visible(id, top, true);
    }
  }
}

// ---- rigs --------------------------------------------------------------------------------------

/** A logger that keeps the first warnings and errors (to show what went wrong) and counts all. */
function keepingLogger() {
  const kept = [];
  const counts = { warn: 0, error: 0 };
  const keep = (level) => (message, fields) => {
    counts[level]++;
    if (kept.length < 20) kept.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  return { info() {}, warn: keep('warn'), error: keep('error'), kept, counts };
}

/**
 * Calls through `tracked` adapters, and the ones that failed: `rateLimited` lists each 429
 * (simulated time, method, the error's message).
 */
function callBook(clock) {
  const inflight = new Inflight();
  const book = { inflight, rateLimited: [], failures: [] };
  book.onError = (method, err) => {
    const entry = { at: clock.now(), method, code: err?.code, message: String(err?.message ?? err) };
    if (err?.code === 'rate-limited') book.rateLimited.push(entry);
    else book.failures.push(entry);
  };
  book.settle = () => inflight.settle();
  return book;
}

/** The X emulator on `clock`, and an OAuth 1.0a adapter of its signed-in user, tracked. */
async function xAccount(mods, clock, book, hooks = {}) {
  const emu = await mods.xEmu.startXEmulator({ now: clock.now });
  const keys = emu.control.issueOAuth1();
  const raw = mods.xAdapter.createXAdapter(
    { kind: 'oauth1', ...keys, apiBase: emu.url },
    {
      clock,
      log: keepingLogger(),
      saveCredentials: async () => {},
      onReads: (r) => hooks.onReads?.(r),
      onRateWindow: (w) => hooks.onRateWindow?.(w),
    },
  );
  const adapter = tracked(raw, book.inflight, book.onError);
  const profile = await adapter.verify();
  return { emu, adapter, profile, meId: profile.id.slice(2) };
}

/** A MonitorEngine over `adapters` (profile id → adapter) delivering to `deck`, acknowledging at once. */
function startEngine(mods, { clock, adapters, networks, deck }) {
  const log = keepingLogger();
  const documents = new mods.doubles.MemoryDocuments();
  const errors = [];
  let seq = 0;
  const engine = new mods.engine.MonitorEngine({
    clock,
    log,
    random: random(99),
    adapterFor: (id) => adapters.get(id),
    networkOf: (id) => networks.get(id),
    positions: documents.open('monitors'),
    deliver: (d) => {
      const s = ++seq;
      deck.deliver(d, clock.now());
      queueMicrotask(() => engine.acknowledged(s));
      return s;
    },
    status: (s) => {
      if (s.state === 'error') errors.push({ at: new Date(clock.now()).toISOString(), ...s });
    },
  });
  return { engine, log, errors };
}

const column = (id, kind, profileId, query) => ({
  id,
  kind,
  profileId,
  width: 340,
  ...(query === undefined ? {} : { query }),
});

const searchRequests = (emu) => emu.requests.filter((r) => r.endpoint === SEARCH_ENDPOINT).length;

/** Median and 90th percentile (nearest rank) of latencies in ms, in seconds to one decimal. */
function latencyFigures(ms) {
  if (!ms.length) return { median: NaN, p90: NaN };
  const sorted = [...ms].sort((a, b) => a - b);
  const p90 = sorted[Math.min(sorted.length, Math.ceil(0.9 * sorted.length)) - 1];
  return { median: round1(median(sorted) / 1000), p90: round1(p90 / 1000) };
}

/** Latencies (ms) of the posts that reached all their columns, and the posts that did not. */
function outcome(deck, posts, columnOf) {
  const latencies = [];
  const missing = [];
  for (const p of posts) {
    const at = deck.deliveredAt(
      p.id,
      p.tags.map((t) => columnOf(t)),
    );
    if (at === null) missing.push(p);
    else latencies.push(at - p.at);
  }
  return { latencies, missing };
}

/** Lays the history before the engine starts: the clock moves through it, posting as it goes. */
function layHistory(clock, emu, meId, plan) {
  plan.history.forEach((p, i) => {
    clock.time = p.at;
    xPost(emu, meId, p, i);
  });
  clock.time = plan.engineStart;
}

// ---- 50 hashtags on one X account: the engine ----------------------------------------------------

async function benchMonitors(mods, plan, log) {
  const clock = new SimClock(START);
  const book = callBook(clock);
  let engineRef;
  let profileId;
  const account = await xAccount(mods, clock, book, {
    onRateWindow: (w) => engineRef?.budget(profileId).observe(w),
  });
  const { emu, adapter, meId } = account;
  profileId = account.profile.id;
  const deck = new Deck();
  try {
    layHistory(clock, emu, meId, plan);
    const columnOf = (tag) => `x-${tag}`;
    const columns = plan.tags.map((t) => column(columnOf(t), 'hashtag', profileId, t));
    const {
      engine,
      log: engineLog,
      errors,
    } = startEngine(mods, {
      clock,
      adapters: new Map([[profileId, adapter]]),
      networks: new Map([[profileId, 'x']]),
      deck,
    });
    engineRef = engine;
    // What the engine requests for these columns: the hashtags OR-ed into as few searches as fit.
    const readers = mods.sources.readersOf(columns.flatMap(mods.sources.sourcesOf), () => 'x').length;

    const steady = [];
    let n = plan.history.length;
    for (const p of plan.steady) clock.setTimeout(() => steady.push(xPost(emu, meId, p, n++)), p.at - clock.now());
    const search0 = searchRequests(emu);
    const all0 = emu.requests.length;
    engine.follow(
      columns,
      columns.map((c) => c.id),
    );
    const t0 = performance.now();
    await clock.runUntil(plan.steadyEnd, book.settle);
    const searches = searchRequests(emu) - search0;
    const allRequests = emu.requests.length - all0;
    const steady429 = book.rateLimited.length;
    await clock.runUntil(plan.sleepStart, book.settle);
    const steadyOutcome = outcome(deck, steady, columnOf);
    const lat = latencyFigures(steadyOutcome.latencies);
    log(
      `engine: ${plan.hours} h, ${steady.length} posts on ${plan.tags.length} hashtags (${readers} merged searches): ` +
        `${searches} searches (${allRequests} requests in all), median latency ${lat.median} s, p90 ${lat.p90} s, ` +
        `${steady429} × 429, ${steadyOutcome.missing.length} not delivered (${round1((performance.now() - t0) / 1000)} s real)`,
    );

    // The laptop sleeps: no timer fires; the posts go on.
    const sleeping = [];
    for (const p of plan.sleep) {
      clock.sleep(p.at - clock.now());
      sleeping.push(xPost(emu, meId, p, n++));
    }
    clock.sleep(plan.sleepStart + SLEEP_MS - clock.now());
    const wakeAt = clock.now();
    const searchesBeforeWake = searchRequests(emu);
    engine.wakeAll();
    // Until quiet: every post of the sleep delivered and no gap marker left (or WAKE_MAX_MS).
    let end = wakeAt;
    let sleepOutcome;
    let pendingAfter30Min = null;
    do {
      end += 5 * MINUTE;
      await clock.runUntil(end, book.settle);
      sleepOutcome = outcome(deck, sleeping, columnOf);
      if (end - wakeAt === 30 * MINUTE) pendingAfter30Min = sleepOutcome.missing.length;
    } while ((sleepOutcome.missing.length || deck.openGaps()) && end - wakeAt < WAKE_MAX_MS);
    pendingAfter30Min ??= 0;
    // A post missing from a column with no gap marker standing for its time is lost silently.
    const unmarked = sleepOutcome.missing.filter((p) => p.tags.some((t) => !deck.coveredByGap(columnOf(t), p.at)));
    const delivered = sleeping.map((p) => deck.deliveredAt(p.id, p.tags.map(columnOf))).filter((at) => at !== null);
    const catchUp = delivered.length ? Math.max(...delivered) - wakeAt : NaN;
    const after429 = book.rateLimited.length - steady429;
    log(
      `engine: 8 h asleep, ${sleeping.length} posts meanwhile; on waking ${searchRequests(emu) - searchesBeforeWake} ` +
        `searches in ${(end - wakeAt) / MINUTE} min, the last post ${round1(catchUp / 1000)} s after waking, ` +
        `${pendingAfter30Min} still missing 30 min after, ${sleepOutcome.missing.length} never delivered ` +
        `(${unmarked.length} without a gap marker), ${after429} × 429, ${deck.openGaps()} gap marker(s) open`,
    );
    for (const r of book.rateLimited.slice(0, 5))
      log(`engine: 429 at ${new Date(r.at).toISOString()} on ${r.method}: ${r.message}`);
    for (const f of book.failures.slice(0, 5))
      log(`engine: failure at ${new Date(f.at).toISOString()} on ${f.method}: ${f.code} ${f.message}`);
    for (const line of engineLog.kept.slice(0, 5)) log(`engine log: ${line}`);
    if (steadyOutcome.missing.length || sleepOutcome.missing.length) {
      const lost = [...steadyOutcome.missing, ...sleepOutcome.missing].slice(0, 5);
      log(`engine: not delivered, e.g. ${lost.map((p) => `${p.id} ${p.tags.join('+')}`).join(', ')}`);
    }
    if (emu.violations.length) log(`note: the X emulator recorded ${emu.violations.length} spec violation(s)`);
    engine.stop();
    return {
      readers,
      steadyPosts: steady.length,
      requestsPerHour: round1(searches / plan.hours),
      allRequestsPerHour: round1(allRequests / plan.hours),
      medianLatencyS: lat.median,
      p90LatencyS: lat.p90,
      responses429: steady429,
      lostSteady: steadyOutcome.missing.length,
      sleepPosts: sleeping.length,
      lostAfterSleep: sleepOutcome.missing.length,
      lostUnmarkedAfterSleep: unmarked.length,
      pendingAfter30Min,
      catchUpS: round1(catchUp / 1000),
      responses429AfterSleep: after429,
      gapsOpen: deck.openGaps(),
      columnErrors: errors.length,
    };
  } finally {
    await emu.close();
  }
}

// ---- 50 hashtags on one X account: the naive loop ------------------------------------------------

async function benchNaive(mods, plan, log) {
  const clock = new SimClock(START);
  const book = callBook(clock);
  const { emu, adapter, meId } = await xAccount(mods, clock, book);
  const deck = new Deck();
  try {
    layHistory(clock, emu, meId, plan);
    const columnOf = (tag) => `naive-${tag}`;
    const steady = [];
    let n = plan.history.length;
    for (const p of plan.steady) clock.setTimeout(() => steady.push(xPost(emu, meId, p, n++)), p.at - clock.now());

    // The same budget as the engine's: the search window less the reserve, spread evenly.
    const window = adapter.rateBucket('hashtag');
    const reserve = Math.max(1, Math.ceil(window.limit * mods.budget.RESERVE_SHARE));
    const intervalMs = Math.ceil(window.windowMs / (window.limit - reserve));
    const state = new Map(plan.tags.map((t) => [t, { newer: null, between: null }]));
    let next = 0;
    let stopped = false;
    const tick = async () => {
      if (stopped) return;
      clock.setTimeout(() => void tick(), intervalMs);
      // A read left half-way continues first; else the next hashtag in turn.
      let tag = plan.tags.find((t) => state.get(t).between);
      if (!tag) tag = plan.tags[next++ % plan.tags.length];
      const s = state.get(tag);
      const cursor = s.between ?? s.newer;
      try {
        const page = await adapter.readTimeline({
          kind: 'hashtag',
          query: tag,
          direction: cursor ? 'newer' : 'older',
          cursor,
          limit: mods.engine.PAGE,
        });
        deck.deliver({ columnId: columnOf(tag), entries: page.items }, clock.now());
        if (page.newer) s.newer = page.newer;
        s.between = page.between ?? null;
      } catch {
        // Counted by the call book; the loop goes on at its pace.
      }
    };
    const search0 = searchRequests(emu);
    clock.setTimeout(() => void tick(), 0);
    const t0 = performance.now();
    await clock.runUntil(plan.steadyEnd, book.settle);
    const searches = searchRequests(emu) - search0;
    const naive429 = book.rateLimited.length;
    // Long enough for every hashtag's turn to come once more.
    await clock.runUntil(plan.steadyEnd + intervalMs * (plan.tags.length + 5), book.settle);
    stopped = true;
    const result = outcome(deck, steady, columnOf);
    const lat = latencyFigures(result.latencies);
    log(
      `naive: one search per hashtag every ${round1((intervalMs * plan.tags.length) / 1000)} s: ${searches} searches, ` +
        `median latency ${lat.median} s, p90 ${lat.p90} s, ${naive429} × 429, ${result.missing.length} not delivered ` +
        `(${round1((performance.now() - t0) / 1000)} s real)`,
    );
    return {
      requestsPerHour: round1(searches / plan.hours),
      medianLatencyS: lat.median,
      p90LatencyS: lat.p90,
      responses429: naive429,
    };
  } finally {
    await emu.close();
  }
}

// ---- a steady X deck: what count refreshes cost ------------------------------------------------

async function benchXShare(mods, log) {
  const clock = new SimClock(START);
  const book = callBook(clock);
  const reads = [];
  let engineRef;
  let profileId;
  const account = await xAccount(mods, clock, book, {
    onReads: (r) => reads.push({ at: clock.now(), posts: r.posts + r.ownPosts, purpose: r.purpose }),
    onRateWindow: (w) => engineRef?.budget(profileId).observe(w),
  });
  const { emu, adapter, meId } = account;
  profileId = account.profile.id;
  const deck = new Deck();
  try {
    const columns = [
      column('home', 'home', profileId),
      column('mentions', 'mentions', profileId),
      column('notifications', 'notifications', profileId),
      column('tag-launch', 'hashtag', profileId, 'launch'),
      column('tag-community', 'hashtag', profileId, 'community'),
      column('tag-colonnade', 'hashtag', profileId, 'colonnade'),
      column('search', 'search', profileId, 'roadmap'),
      column('user', 'user', profileId, 'ada_makes'),
      column('list-partners', 'list', profileId, '1600000000000000001'),
      column('list-press', 'list', profileId, '1600000000000000002'),
    ];
    const { engine } = startEngine(mods, {
      clock,
      adapters: new Map([[profileId, adapter]]),
      networks: new Map([[profileId, 'x']]),
      deck,
    });
    engineRef = engine;
    const t0 = clock.now();
    const end = t0 + 2 * HOUR;
    const rand = random(11);
    const others = [...emu.state.users.values()].filter((u) => u.id !== meId);
    const me = emu.state.users.get(meId);
    let n = 0;
    for (let at = t0; ;) {
      at += Math.round(-Math.log(1 - rand()) * MINUTE);
      if (at >= end) break;
      const author = others[Math.floor(rand() * others.length)];
      const parts = [`${PHRASES[n % PHRASES.length]} (${n++})`];
      if (rand() < 0.4) parts.push(`#${['launch', 'community', 'colonnade'][Math.floor(rand() * 3)]}`);
      if (rand() < 0.2) parts.push('on the roadmap');
      if (rand() < 0.25) parts.push(`@${me.username}`);
      clock.setTimeout(() => emu.control.addTweet({ authorId: author.id, text: parts.join(' ') }), at - clock.now());
    }
    for (let at = t0 + 20 * MINUTE; at < end; at += 20 * MINUTE) {
      const text = `From the team, update ${at / MINUTE}`;
      clock.setTimeout(() => emu.control.addTweet({ authorId: meId, text }), at - clock.now());
    }
    engine.follow(
      columns,
      columns.map((c) => c.id),
    );
    await clock.runUntil(end, book.settle, () => deck.report(engine));
    engine.stop();
    const sum = (from, to, purpose) =>
      reads.filter((r) => r.at >= from && r.at < to && r.purpose === purpose).reduce((a, r) => a + r.posts, 0);
    const hour = (h) => {
      const timeline = sum(t0 + h * HOUR, t0 + (h + 1) * HOUR, 'timeline');
      const counts = sum(t0 + h * HOUR, t0 + (h + 1) * HOUR, 'counts');
      return {
        timeline,
        counts,
        share: timeline + counts ? Math.round((counts / (timeline + counts)) * 1000) / 1000 : 0,
      };
    };
    const [first, second] = [hour(0), hour(1)];
    log(
      `x deck: 10 columns, 2 h: posts read hour 1 ${first.timeline} + ${first.counts} counts (share ${first.share}), ` +
        `hour 2 ${second.timeline} + ${second.counts} counts (share ${second.share}); ${emu.requests.length} requests, ` +
        `${book.rateLimited.length} × 429`,
    );
    return {
      firstHour: first.share,
      secondHour: second.share,
      readsSecondHour: { timeline: second.timeline, counts: second.counts },
      responses429: book.rateLimited.length,
    };
  } finally {
    await emu.close();
  }
}

// ---- a steady Mastodon deck: requests per 5 minutes --------------------------------------------

async function benchMastodon(mods, log) {
  const clock = new SimClock(START);
  const book = callBook(clock);
  const emu = await mods.mastoEmu.startMastodonEmulator({ now: clock.now });
  let engineRef;
  let profileId;
  const raw = mods.mastoAdapter.createMastodonAdapter(
    { instanceUrl: emu.url, accessToken: emu.issueToken() },
    {
      clock,
      log: keepingLogger(),
      saveCredentials: async () => {},
      onRateWindow: (w) => engineRef?.budget(profileId).observe(w),
    },
  );
  const adapter = tracked(raw, book.inflight, book.onError);
  const deck = new Deck();
  try {
    const before = emu.requests.length;
    profileId = (await adapter.verify()).id;
    const columns = [
      column('home', 'home', profileId),
      column('notifications', 'notifications', profileId),
      column('mentions', 'mentions', profileId),
      column('tag-colonnade', 'hashtag', profileId, 'colonnade'),
      column('tag-community', 'hashtag', profileId, 'community'),
      column('tag-opensource', 'hashtag', profileId, 'opensource'),
      column('list-partners', 'list', profileId, '1'),
      column('list-press', 'list', profileId, '2'),
      column('user', 'user', profileId, 'alice'),
      column('search', 'search', profileId, 'roadmap'),
    ];
    const { engine } = startEngine(mods, {
      clock,
      adapters: new Map([[profileId, adapter]]),
      networks: new Map([[profileId, 'mastodon']]),
      deck,
    });
    engineRef = engine;
    const t0 = clock.now();
    const end = t0 + 30 * MINUTE;
    const rand = random(13);
    const people = ['alice', 'bob', 'chloe', 'dmitri', 'emeka', 'fatima', 'goran', 'hana', 'zed', 'press_desk'];
    const tags = ['colonnade', 'community', 'opensource', 'fediverse', 'coffee'];
    let n = 0;
    for (let at = t0; ;) {
      at += Math.round((-Math.log(1 - rand()) * MINUTE) / 2);
      if (at >= end) break;
      const who = people[Math.floor(rand() * people.length)];
      const parts = [`${PHRASES[n % PHRASES.length]} (${n++})`];
      if (rand() < 0.6) parts.push(`#${tags[Math.floor(rand() * tags.length)]}`);
      if (rand() < 0.15) parts.push('on the roadmap');
      if (rand() < 0.25) parts.push('@colonnade_team');
      clock.setTimeout(() => emu.postAs(who, parts.join(' ')), at - clock.now());
    }
    engine.follow(
      columns,
      columns.map((c) => c.id),
    );
    const windows = [];
    let mark = emu.requests.length;
    for (let w = 1; w <= 6; w++) {
      await clock.runUntil(t0 + w * 5 * MINUTE, book.settle, () => deck.report(engine));
      windows.push(emu.requests.length - mark + (w === 1 ? mark - before : 0));
      mark = emu.requests.length;
    }
    const streams = emu.streamingClients();
    // Count refreshes: GET /api/v1/statuses?id[]=… (Mastodon 4.3+), or one status at a time.
    const countRequests = emu.requests.filter(
      (r) => r.method === 'GET' && /^\/api\/v1\/statuses(\/\d+)?$/.test(r.path),
    ).length;
    engine.stop();
    const steady = windows.slice(1);
    log(
      `mastodon deck: 10 columns, 30 min: requests per 5 min ${windows.join(', ')} (the first with the start-up), ` +
        `${countRequests} count refreshes in all, ${streams} live stream(s), ${book.rateLimited.length} × 429`,
    );
    if (emu.violations.length) log(`note: the Mastodon emulator recorded ${emu.violations.length} spec violation(s)`);
    return {
      requestsPer5Min: Math.max(...steady),
      first5Min: windows[0],
      windows,
      responses429: book.rateLimited.length,
      streams,
      countRequests,
    };
  } finally {
    await emu.close();
  }
}
