// drafts: how soon what the CM types is durable in IndexedDB, and what autosaving costs each
// keystroke, in headless Chromium through the headless host (issue 8: "every keystroke is saved,
// durable within 300 ms"; input handling under 4 ms per keystroke).
//
// Set-up (not timed): a fresh host (seed 42) and a fresh browser context (empty IndexedDB); a deck
// holding one Drafts column (added over the host's IPC WebSocket), so the list the composer's saves
// update live is on screen and nothing else moves; the composer ("New post") opened on it.
// Then BENCH_DRAFT_CHARS characters (default 400) of a post are typed into its text box through
// Chromium's input pipeline (CDP key events: keydown, keypress, input, keyup, as a keyboard makes),
// one every 30–60 ms (seeded), as a quick typist. The app is not changed: everything is measured
// from outside it.
//
//   autosaveP95Ms     keystroke → its text durable in IndexedDB: from the keydown event's own
//                     timestamp (when Chromium took the key) to the first moment a separate reader
//                     finds the draft's stored text that long. The reader is a Web Worker polling
//                     the app's `drafts` store every BENCH_POLL_MS (default 4) in its own readonly
//                     transactions: a committed write is what it can see. p95 over every keystroke
//                     (p50, max beside it); target: under 300 ms. `saves`: how many distinct stored
//                     states the reader saw.
//   keystrokeP95Ms    input handling per keystroke, as Event Timing counts it (processingEnd −
//                     startTime) for all of the keystroke's events: from the keydown event's
//                     timestamp (so a save or other task in the way counts) to the end of its
//                     keydown/keypress/input task (every listener, React's render and commit, the
//                     effects, the microtasks they queue: up to a microtask queued after the last
//                     listener, a window listener added before the app's), plus its keyup task
//                     handled the same way. p95; target: under 4 ms. Parts: inputDelayP95Ms (the
//                     wait before the first listener), handlingP95Ms (the keydown task's own work),
//                     keyupP95Ms.
//   renderP95Ms       the frame that shows the keystroke, main-thread part (not in the above): from
//                     the frame's start (a requestAnimationFrame callback's timestamp, queued by the
//                     input listener; or the end of handling when later) to a task posted from that
//                     callback (the app's rAF callbacks, style, layout, paint, commit).
//   keyToFrameP95Ms   key taken → its frame's main-thread work done (delay, handling, waiting for
//                     the frame, render): what Event Timing (INP) calls an event's duration.
//   longTasks         main-thread tasks of 50 ms or more during the typing (count, max);
//   slowEvents        Event Timing entries of 16 ms or more (Chromium's least threshold) for the
//                     keystrokes' events (count, max duration, max processingEnd − startTime).
//
// BENCH_DRAFTS_EXISTING=N puts N older drafts in the Drafts column first (default none): the
// list a CM preparing a week keeps, re-read and re-rendered by the column on every save.
// BENCH_DRAFTS_PROFILE=1 also records a CPU profile of the renderer while typing and lists the
// functions that took the most time (`profileTop`, self time in ms); BENCH_DRAFTS_CPUPROFILE=FILE also
// writes that profile there (.cpuprofile: DevTools' Performance panel opens it). BENCH_DRAFTS_TRACE=FILE writes a
// Chromium performance trace of the typing there (open it in the DevTools Performance panel).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { percentile } from './lib/frames.mjs';
import { connectHost } from './lib/host-ipc.mjs';
import { CHROMIUM_ARGS, envInt, findOrProvideChromium, round1, startHarness, stopStrayHosts } from './lib/support.mjs';

const PROFILE = 'sandbox:practice';
const ENGLISH = { LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8', LC_MESSAGES: 'en_US.UTF-8' };
const STEP_TIMEOUT_MS = 60_000;
const AUTOSAVE_TARGET_MS = 300;
const KEYSTROKE_TARGET_MS = 4;
const MIN_GAP_MS = 30;
const MAX_GAP_MS = 60;
/** A post as a CM writes one (ASCII only: every character is a real key with its keydown). */
const SENTENCES = [
  'Big news for the whole #IFPower community: the new e-bike lands on Monday at 9:00. ',
  'Thanks to @voltcycle and the team for months of work on the battery and the frame. ',
  'Book a test ride at https://example.com/ifpower/test-ride before Friday noon, ',
  'and tell us what you think with #ebike and #UrbanMobility. ',
  'See you at the Lyon show next week, stand B12, from 10 to 18 every day! ',
];

export async function run({ log = console.log } = {}) {
  const config = {
    chars: envInt('BENCH_DRAFT_CHARS', 400),
    pollMs: envInt('BENCH_POLL_MS', 4),
    existing: process.env.BENCH_DRAFTS_EXISTING ? envInt('BENCH_DRAFTS_EXISTING', 0) : 0,
    seed: envInt('BENCH_SEED', 42),
    profile: process.env.BENCH_DRAFTS_PROFILE === '1' || !!process.env.BENCH_DRAFTS_CPUPROFILE,
    cpuProfile: process.env.BENCH_DRAFTS_CPUPROFILE || undefined,
    trace: process.env.BENCH_DRAFTS_TRACE || undefined,
  };
  const text = textOf(config.chars);
  const gaps = gapsOf(text.length, config.seed);
  const executablePath = findOrProvideChromium(log);
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonnade-bench-'));
  let harness;
  let host;
  try {
    harness = await startHarness({ dataDir, seed: 42, env: ENGLISH });
    host = await connectHost(harness.url);
    const layout = await host.call('deck.create', { name: 'Bench: drafts' });
    await host.call('column.add', {
      deckId: layout.activeDeckId,
      spec: { kind: 'drafts', profileId: PROFILE },
    });

    // The app's Content-Security-Policy has no worker-src: the reader (a blob: worker) needs CSP off.
    const context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1400, height: 900 },
      deviceScaleFactor: 1,
      bypassCSP: true,
    });
    await context.addInitScript(instrument);
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(harness.url, { timeout: STEP_TIMEOUT_MS });
    await page.getByRole('region', { name: 'Drafts', exact: true }).waitFor({ timeout: STEP_TIMEOUT_MS });
    if (config.existing > 0) {
      await page.evaluate(seedDrafts, { count: config.existing, sentences: SENTENCES });
      await page.reload({ timeout: STEP_TIMEOUT_MS });
      await page
        .getByRole('region', { name: 'Drafts', exact: true })
        .getByRole('article')
        .first()
        .waitFor({ timeout: STEP_TIMEOUT_MS });
      log(`${config.existing} drafts already in the Drafts column`);
    }
    await page.getByRole('button', { name: 'New post' }).click();
    const box = page.getByRole('dialog', { name: 'New post' }).getByRole('textbox', { name: 'Text' });
    await box.click({ timeout: STEP_TIMEOUT_MS });
    await page.evaluate(startReader, { pollMs: config.pollMs });

    let cdp;
    if (config.profile) {
      cdp = await context.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    if (config.trace) {
      await browser.startTracing(page, {
        path: config.trace,
        categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing'],
      });
    }
    log(`typing ${text.length} characters, one every ${MIN_GAP_MS}–${MAX_GAP_MS} ms…`);
    const started = performance.now();
    let due = started;
    for (const [i, ch] of [...text].entries()) {
      await page.keyboard.type(ch);
      due += gaps[i];
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const typingMs = performance.now() - started;
    if (config.trace) {
      await browser.stopTracing();
      log(`Chromium trace of the typing written to ${config.trace}`);
    }
    let profileTop;
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      profileTop = topFunctions(profile, 20);
      if (config.cpuProfile) {
        fs.writeFileSync(config.cpuProfile, JSON.stringify(profile));
        log(`CPU profile of the typing written to ${config.cpuProfile}`);
      }
    }
    log(`typed in ${round1(typingMs / 1000)} s; waiting for the last save…`);
    const value = await box.inputValue();
    if (value !== text) throw new Error(`The text box holds ${value.length} characters, not the ${text.length} typed.`);
    await page.waitForFunction((length) => window.__drafts.stored.at(-1)?.length === length, text.length, {
      timeout: STEP_TIMEOUT_MS,
    });
    // Let the last frames and observers report.
    await page.waitForTimeout(300);
    const raw = await page.evaluate(collect);
    const result = summarize(raw, text);
    log(
      `autosave p95 ${result.autosaveP95Ms} ms (target ${AUTOSAVE_TARGET_MS}); ` +
        `keystroke p95 ${result.keystrokeP95Ms} ms (target ${KEYSTROKE_TARGET_MS}; p95 of its parts: input delay ` +
        `${result.inputDelayP95Ms}, handling ${result.handlingP95Ms}, keyup ${result.keyupP95Ms}); ` +
        `its frame's render p95 ${result.renderP95Ms} ms`,
    );
    if (pageErrors.length) log(`page errors: ${pageErrors.join(' | ')}`);
    await context.close();
    return {
      ...result,
      typedChars: text.length,
      typingMs: Math.round(typingMs),
      keyGapMs: `${MIN_GAP_MS}-${MAX_GAP_MS}`,
      pollMs: config.pollMs,
      existingDrafts: config.existing,
      ...(profileTop ? { profileTop } : {}),
      chromium: browser.version(),
      pageErrors: pageErrors.length,
    };
  } finally {
    host?.close();
    await browser.close().catch(() => {});
    await harness?.stop();
    const strays = stopStrayHosts();
    if (strays.length) log(`stopped ${strays.length} host(s) left running: ${strays.join(', ')}`);
    fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** `chars` characters of the post, its sentences repeated. */
function textOf(chars) {
  let text = '';
  for (let i = 0; text.length < chars; i++) text += SENTENCES[i % SENTENCES.length];
  return text.slice(0, chars).trimEnd().padEnd(chars, '.');
}

/** The waits after each keystroke (ms), MIN_GAP_MS to MAX_GAP_MS, from a small seeded generator (mulberry32). */
function gapsOf(count, seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => MIN_GAP_MS + next() * (MAX_GAP_MS - MIN_GAP_MS));
}

// ---- in the page -------------------------------------------------------------------------------

/**
 * Installed before the app's own scripts (so its window listeners run first and last): times each
 * keystroke in the composer's text box, its frame, long tasks and Event Timing entries.
 */
function instrument() {
  const state = { keys: [], stored: [], longTasks: [], events: [], timeOrigin: performance.timeOrigin };
  window.__drafts = state;
  const channel = new MessageChannel();
  const done = new Map();
  channel.port1.onmessage = (e) => done.get(e.data)?.();
  let posted = 0;
  /** Runs `then` in a task of its own, posted now (after the frame's work when posted from rAF). */
  const afterTask = (then) => {
    const id = ++posted;
    done.set(id, () => {
      done.delete(id);
      then();
    });
    channel.port2.postMessage(id);
  };
  /** Runs `then` after the microtasks queued so far and a few levels of those they queue. */
  const afterMicrotasks = (then, depth = 4) =>
    queueMicrotask(() => (depth > 0 ? afterMicrotasks(then, depth - 1) : then()));
  const inBox = (e) => e.target instanceof HTMLTextAreaElement;
  let current = null;
  window.addEventListener(
    'keydown',
    (e) => {
      if (!inBox(e)) return;
      current = { key: e.key, stamp: e.timeStamp, start: performance.now() };
      state.keys.push(current);
    },
    true,
  );
  window.addEventListener('input', (e) => {
    if (!inBox(e) || !current) return;
    const k = current;
    k.length = e.target.value.length;
    afterMicrotasks(() => (k.handled = performance.now()));
    // The frame's start (the callbacks' timestamp), so the app's own rAF callbacks are counted.
    requestAnimationFrame((frameStart) => {
      k.frame = frameStart;
      afterTask(() => (k.rendered = performance.now()));
    });
  });
  window.addEventListener(
    'keyup',
    (e) => {
      if (inBox(e) && current) current.upStart = performance.now();
    },
    true,
  );
  window.addEventListener('keyup', (e) => {
    if (!inBox(e) || !current) return;
    const k = current;
    afterMicrotasks(() => (k.upEnd = performance.now()));
  });
  try {
    new PerformanceObserver((list) => {
      for (const t of list.getEntries()) state.longTasks.push({ start: t.startTime, duration: t.duration });
    }).observe({ type: 'longtask' });
    new PerformanceObserver((list) => {
      for (const t of list.getEntries())
        if (t.name.startsWith('key') || t.name === 'input' || t.name === 'beforeinput')
          state.events.push({
            name: t.name,
            start: t.startTime,
            duration: t.duration,
            processing: t.processingEnd - t.startTime,
          });
    }).observe({ type: 'event', durationThreshold: 16 });
  } catch {
    // Observers Chromium lacks are simply not reported.
  }
}

/**
 * Starts the reader: a Web Worker polling the app's `drafts` store every `pollMs` in readonly
 * transactions of its own connection, reporting each new stored text length with the time it saw
 * it (ms since the epoch, as `performance.timeOrigin + performance.now()`).
 */
function startReader({ pollMs }) {
  const code = `
    const open = () => new Promise((resolve, reject) => {
      const req = indexedDB.open('colonnade');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    (async () => {
      const db = await open();
      let last = -1;
      const poll = () => {
        const req = db.transaction('drafts', 'readonly').objectStore('drafts').getAll();
        req.onsuccess = () => {
          const at = performance.timeOrigin + performance.now();
          const live = req.result.filter((d) => d.deletedAt === undefined && !d.id.startsWith('bench-seed-'));
          const text = live.length === 1 ? live[0].content.parts.map((p) => p.text).join('\\n') : '';
          if (live.length > 1) postMessage({ error: 'more than one draft' });
          if (text.length !== last) {
            last = text.length;
            postMessage({ length: text.length, text, at });
          }
          setTimeout(poll, ${pollMs});
        };
        req.onerror = () => postMessage({ error: String(req.error) });
      };
      poll();
    })().catch((e) => postMessage({ error: String(e) }));
  `;
  const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
  worker.onmessage = (e) => {
    if (e.data.error) window.__drafts.readerError = e.data.error;
    else window.__drafts.stored.push(e.data);
  };
  window.__drafts.reader = worker;
}

/**
 * Writes `count` drafts straight into the app's `drafts` store (as DraftStore.create would store
 * them: src/renderer/drafts/draft.ts DraftSchema), ids `bench-seed-N`, a minute apart.
 */
async function seedDrafts({ count, sentences }) {
  const db = await new Promise((resolve, reject) => {
    const req = indexedDB.open('colonnade');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const tx = db.transaction('drafts', 'readwrite');
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const at = now - (i + 1) * 60_000;
    const text = `${sentences[i % sentences.length]}${sentences[(i + 2) % sentences.length]}(${i + 1})`;
    tx.objectStore('drafts').put({
      id: `bench-seed-${i + 1}`,
      content: { parts: [{ text, media: [] }] },
      targets: [],
      when: { kind: 'now' },
      createdAt: at,
      updatedAt: at,
    });
  }
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

/** Everything measured, out of the page. */
function collect() {
  const { keys, stored, longTasks, events, timeOrigin, readerError } = window.__drafts;
  return { keys, stored, longTasks, events, timeOrigin, readerError };
}

// ---- figures -----------------------------------------------------------------------------------

function stats(name, values) {
  return {
    [`${name}P50Ms`]: round1(percentile(values, 50)),
    [`${name}P95Ms`]: round1(percentile(values, 95)),
    [`${name}MaxMs`]: round1(Math.max(...values)),
  };
}

function summarize(raw, text) {
  if (raw.readerError) throw new Error(`The IndexedDB reader failed: ${raw.readerError}`);
  const keys = raw.keys.filter((k) => k.length !== undefined);
  if (keys.length !== text.length) throw new Error(`${keys.length} keystrokes seen in the page, ${text.length} typed.`);
  const last = raw.stored.at(-1);
  if (last?.text !== text) throw new Error('The stored draft is not the text typed.');
  for (const s of raw.stored) {
    if (!text.startsWith(s.text)) throw new Error(`A stored state is not a beginning of the text: "${s.text}"`);
  }

  // Keystroke → the first time the reader saw at least its text stored.
  const autosave = keys.map((k) => {
    const seen = raw.stored.find((s) => s.length >= k.length);
    return seen.at - (raw.timeOrigin + k.stamp);
  });
  const complete = keys.filter((k) => k.handled && k.rendered && k.upEnd);
  const handling = complete.map((k) => k.handled - k.start);
  const keyup = complete.map((k) => k.upEnd - k.upStart);
  const render = complete.map((k) => k.rendered - Math.max(k.frame, k.handled));
  const delay = complete.map((k) => Math.max(0, k.start - k.stamp));
  const own = complete.map((_, i) => delay[i] + handling[i] + keyup[i]);
  const keyToFrame = complete.map((k) => k.rendered - k.stamp);
  // Only what happened while typing (the observers started with the page).
  const typingFrom = keys[0].start;
  const longTasks = raw.longTasks.filter((t) => t.start + t.duration >= typingFrom);
  const slowEvents = raw.events.filter((e) => e.start >= typingFrom);
  const savedStates = raw.stored.filter((s) => s.length > 0).length;
  const a = stats('autosave', autosave);
  const ks = stats('keystroke', own);
  return {
    autosaveP95Ms: a.autosaveP95Ms,
    keystrokeP95Ms: ks.keystrokeP95Ms,
    autosaveTargetMs: AUTOSAVE_TARGET_MS,
    autosaveWithinTarget: a.autosaveP95Ms < AUTOSAVE_TARGET_MS,
    keystrokeTargetMs: KEYSTROKE_TARGET_MS,
    keystrokeWithinTarget: ks.keystrokeP95Ms < KEYSTROKE_TARGET_MS,
    autosaveP50Ms: a.autosaveP50Ms,
    autosaveMaxMs: a.autosaveMaxMs,
    keystrokeP50Ms: ks.keystrokeP50Ms,
    keystrokeMaxMs: ks.keystrokeMaxMs,
    ...stats('handling', handling),
    ...stats('keyup', keyup),
    ...stats('render', render),
    ...stats('inputDelay', delay),
    ...stats('keyToFrame', keyToFrame),
    keystrokesMeasured: complete.length,
    saves: savedStates,
    longTasks: {
      count: longTasks.length,
      maxMs: longTasks.length ? round1(Math.max(...longTasks.map((t) => t.duration))) : 0,
    },
    slowEvents: {
      count: slowEvents.length,
      maxDurationMs: slowEvents.length ? round1(Math.max(...slowEvents.map((e) => e.duration))) : 0,
      maxProcessingMs: slowEvents.length ? round1(Math.max(...slowEvents.map((e) => e.processing))) : 0,
    },
  };
}

/**
 * The `top` functions of a CDP CPU profile by self time and by total time (itself and what it
 * called), in ms, each named with its file and line (of the built renderer, out/renderer/assets).
 */
function topFunctions(profile, top) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const nameOf = (node) => {
    const { functionName, url, lineNumber } = node.callFrame;
    return `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`;
  };
  const self = new Map();
  const total = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const node = byId.get(profile.samples[i]);
    self.set(nameOf(node), (self.get(nameOf(node)) ?? 0) + ms);
    const seen = new Set();
    for (let id = node.id; id !== undefined; id = parent.get(id)) {
      const name = nameOf(byId.get(id));
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + ms);
    }
  }
  const list = (map) =>
    [...map]
      .filter(([fn]) => !fn.startsWith('(root)') && !fn.startsWith('(idle)') && !fn.startsWith('(program)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, ms]) => ({ fn, ms: round1(ms) }));
  return { self: list(self), total: list(total) };
}
