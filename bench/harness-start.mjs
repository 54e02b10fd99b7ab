// harness-start: how fast the headless host comes up and the deck first shows posts, and how big
// the renderer's initial bundle is.
//
//   readyMs        spawning `node out/main/host.js` (fresh data folder, seed 42) → "Colonnade ready"
//   firstPostsMs   spawning the host → at least one visible article in each default column
//                  ('Home' and '#IFPower') in headless Chromium, after page.goto(url)
//   paintMs        the same moment in the page, from its navigation start (performance.now())
//   rendererGzipKB the JS and CSS out/renderer/index.html loads, gzipped (level 9) one by one, summed
//
// Timings are over BENCH_RUNS runs (default 5): the median, with Min and Max beside it. One
// Chromium serves every run, each run in a fresh browser context (empty IndexedDB), so the
// browser's own start-up is not counted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import {
  CHROMIUM_ARGS,
  ROOT,
  envInt,
  findOrProvideChromium,
  performance,
  round1,
  spread,
  startHarness,
  stopStrayHosts,
} from './lib/support.mjs';

const DEFAULT_COLUMNS = ['Home', '#IFPower'];
const BUDGET_KB = 1024;
const STEP_TIMEOUT_MS = 20_000;
const ENGLISH = { LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8', LC_MESSAGES: 'en_US.UTF-8' };

export async function run({ log = console.log } = {}) {
  const runs = envInt('BENCH_RUNS', 5);
  const bundle = rendererBundle();
  log(`renderer initial bundle: ${bundle.files.map((f) => `${f.name} ${f.gzipKB} KB`).join(', ')} (gzip -9)`);

  const executablePath = findOrProvideChromium(log);
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  const samples = [];
  try {
    for (let i = 1; i <= runs; i++) {
      const sample = await oneRun(browser, { check: i === 1 });
      samples.push(sample);
      log(
        `run ${i}/${runs}: ready ${round1(sample.readyMs)} ms, first posts ${round1(sample.firstPostsMs)} ms, ` +
          `paint ${round1(sample.paintMs)} ms`,
      );
    }
  } finally {
    await browser.close().catch(() => {});
    const strays = stopStrayHosts();
    if (strays.length) log(`stopped ${strays.length} host(s) left running: ${strays.join(', ')}`);
  }

  return {
    runs,
    ...spread(
      'readyMs',
      samples.map((s) => s.readyMs),
    ),
    ...spread(
      'firstPostsMs',
      samples.map((s) => s.firstPostsMs),
    ),
    ...spread(
      'paintMs',
      samples.map((s) => s.paintMs),
    ),
    rendererGzipKB: bundle.gzipKB,
    rendererRawKB: bundle.rawKB,
    budgetKB: BUDGET_KB,
    withinBudget: bundle.gzipKB < BUDGET_KB,
  };
}

/** One cold start: a fresh data folder, a fresh host, a fresh browser context. */
async function oneRun(browser, { check }) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonnade-bench-'));
  let harness;
  let context;
  try {
    const t0 = performance.now();
    harness = await startHarness({ dataDir, seed: 42, env: ENGLISH });
    const readyMs = performance.now() - t0;

    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1400, height: 850 } });
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(harness.url, { timeout: STEP_TIMEOUT_MS });
    let paintMs;
    try {
      const handle = await page.waitForFunction(postsPainted, DEFAULT_COLUMNS, {
        polling: 'raf',
        timeout: STEP_TIMEOUT_MS,
      });
      paintMs = await handle.jsonValue();
    } catch (err) {
      const extra = pageErrors.length ? `\npage errors:\n${pageErrors.join('\n')}` : '';
      throw new Error(`No posts in ${DEFAULT_COLUMNS.join(' and ')}: ${err.message}${extra}`, { cause: err });
    }
    const firstPostsMs = performance.now() - t0;

    if (check) {
      // Once, outside the timings: the columns are found the way users of assistive tech find them.
      for (const name of DEFAULT_COLUMNS) {
        const article = page.getByRole('region', { name, exact: true }).getByRole('feed').getByRole('article').first();
        if (!(await article.isVisible())) throw new Error(`The '${name}' region shows no article to Playwright.`);
      }
    }
    return { readyMs, firstPostsMs, paintMs };
  } finally {
    await context?.close().catch(() => {});
    await harness?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** Runs in the page: performance.now() once every named column shows a visible article, else false. */
function postsPainted(names) {
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const sections = [...document.querySelectorAll('section[aria-labelledby]')];
  const titleOf = (section) => document.getElementById(section.getAttribute('aria-labelledby'))?.textContent?.trim();
  const painted = names.every((name) =>
    sections.some(
      (section) => titleOf(section) === name && [...section.querySelectorAll('[role="feed"] article')].some(visible),
    ),
  );
  return painted ? performance.now() : false;
}

/** The JS and CSS that out/renderer/index.html loads up front, each gzipped at level 9. */
function rendererBundle() {
  const dir = path.join(ROOT, 'out/renderer');
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  const refs = new Set();
  for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
    const src = attr(tag, 'src');
    if (src) refs.add(src);
  }
  for (const tag of html.match(/<link\b[^>]*>/gi) ?? []) {
    const rel = (attr(tag, 'rel') ?? '').toLowerCase().split(/\s+/);
    const href = attr(tag, 'href');
    if (href && (rel.includes('stylesheet') || rel.includes('modulepreload'))) refs.add(href);
  }
  if (refs.size === 0) throw new Error('out/renderer/index.html references no script or stylesheet.');
  const files = [...refs].map((ref) => {
    if (/^[a-z]+:|^\/\//i.test(ref)) throw new Error(`The renderer loads ${ref} from elsewhere; cannot size it.`);
    const file = path.join(dir, ref.replace(/^\//, '').split(/[?#]/)[0]);
    const raw = fs.readFileSync(file);
    const gzip = zlib.gzipSync(raw, { level: 9 });
    return {
      name: path.relative(dir, file),
      rawBytes: raw.length,
      gzipBytes: gzip.length,
      gzipKB: round1(gzip.length / 1024),
    };
  });
  const sum = (key) => files.reduce((total, f) => total + f[key], 0);
  return { files, gzipKB: round1(sum('gzipBytes') / 1024), rawKB: round1(sum('rawBytes') / 1024) };
}

function attr(tag, name) {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}
