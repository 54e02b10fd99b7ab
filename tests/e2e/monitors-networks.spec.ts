import fs from 'node:fs';
import path from 'node:path';
// Monitors over real protocol servers, in Chromium against the headless host: the X and Mastodon
// emulators (tests/emulators), accounts connected through the Accounts dialog.
//
// Waits are long on purpose: the host runs on the real clock and the adapters' own paces apply
// (src/main/networks/*/adapter.ts `pollIntervalMs`: X search every 120 s, Mastodon every 30 s, the
// engine stretching or shortening them by activity, src/main/core/monitors/engine.ts `pollDelay`).
// A Mastodon hashtag reader also listens to the instance's hashtag stream, so its posts come at once.
import type { Locator, Page } from '@playwright/test';
import { startMastodonEmulator, type MastodonEmulator } from '../emulators/mastodon';
import { startXEmulator, type XEmulator } from '../emulators/x';
import { expect, test as base } from './support/fixtures';
import { startHarness } from './support/harness';
import {
  addMonitorColumn,
  connectMastodonWithToken,
  connectXWithKeys,
  storedEntries,
  type StoredEntry,
} from './support/networks';

const test = base.extend<{ x: XEmulator; mastodon: MastodonEmulator }>({
  // eslint-disable-next-line no-empty-pattern
  x: async ({}, use) => {
    const x = await startXEmulator();
    await use(x);
    await x.close();
    // Every request and answer matched X's OpenAPI description.
    expect(x.violations).toEqual([]);
  },
  // eslint-disable-next-line no-empty-pattern
  mastodon: async ({}, use) => {
    const mastodon = await startMastodonEmulator();
    await use(mastodon);
    await mastodon.close();
    // Every request and answer matched the Mastodon OpenAPI description.
    expect(mastodon.violations).toEqual([]);
  },
});

/** What each post card of a column shows, top to bottom: its text, its "via" badge, its time. */
async function cards(column: Locator): Promise<Array<{ text: string; via: string; at: string }>> {
  return column.getByRole('article').evaluateAll((articles) =>
    articles.map((a) => ({
      text: a.textContent ?? '',
      via: a.querySelector('.badge.via')?.textContent ?? '',
      at: a.querySelector('time')?.getAttribute('datetime') ?? '',
    })),
  );
}

test('a cross-network hashtag column fills from X and Mastodon, each post marked with its network and profile, in time order', async ({
  page,
  harness,
  x,
  mastodon,
}) => {
  test.setTimeout(420_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(harness.url);
  const xHandle = await connectXWithKeys(page, x);
  const mastodonHandle = await connectMastodonWithToken(page, mastodon);

  // Other people post with the hashtag on both networks, alternately, a minute apart.
  const author = (username: string) => x.state.userByName(username)!.id;
  const start = Date.now() - 10 * 60_000;
  x.control.addTweet({ authorId: author('brew_lab'), text: 'Doors open at nine #SpringLaunch', createdAt: start });
  mastodon.postWith('alice', 'Our stand is B12 #SpringLaunch', { at: start + 60_000 });
  x.control.addTweet({
    authorId: author('cityrunner'),
    text: 'Running there now #SpringLaunch',
    createdAt: start + 120_000,
  });
  mastodon.postWith('bob', 'Slides from the keynote #SpringLaunch', { at: start + 180_000 });

  const monitor = await addMonitorColumn(page, {
    profiles: [
      { network: 'X', handle: xHandle },
      { network: 'Mastodon', handle: mastodonHandle },
    ],
    hashtags: '#SpringLaunch',
  });
  const posts = monitor.getByRole('article');
  await expect(posts).toHaveCount(4, { timeout: 60_000 });

  // Live: a post on Mastodon (its hashtag stream brings it at once), then one on X (its next poll).
  mastodon.postAs('chloe', 'Live from the stage #SpringLaunch');
  await expect(posts.filter({ hasText: 'Live from the stage' })).toHaveCount(1, { timeout: 60_000 });
  x.control.addTweet({ authorId: author('dev_dora'), text: 'The queue goes round the block #SpringLaunch' });
  // X's hashtag search is polled every 2 minutes or so here: wait for it.
  await expect(posts).toHaveCount(6, { timeout: 330_000 });

  const xVia = `X · @${xHandle}`;
  const mastodonVia = `Mastodon · @${mastodonHandle}`;
  const shown = await cards(monitor);
  // Newest first, every one marked with the network and profile that found it.
  const phrases = [
    'The queue goes round the block',
    'Live from the stage',
    'Slides from the keynote',
    'Running there now',
    'Our stand is B12',
    'Doors open at nine',
  ];
  const said = (text: string) => phrases.find((p) => text.includes(p)) ?? text;
  expect(shown.map((c) => [said(c.text), c.via])).toEqual([
    [phrases[0], xVia],
    [phrases[1], mastodonVia],
    [phrases[2], mastodonVia],
    [phrases[3], xVia],
    [phrases[4], mastodonVia],
    [phrases[5], xVia],
  ]);
  const times = shown.map((c) => Date.parse(c.at));
  expect(times.every((t) => Number.isFinite(t))).toBe(true);
  expect([...times].sort((a, b) => b - a)).toEqual(times);
  await page.screenshot({ path: test.info().outputPath('cross-network-monitor.png') });
  expect(errors).toEqual([]);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Shows what waits behind "N new posts", then scrolls the column's feed to its very beginning. */
async function scrollToBeginning(page: Page, column: Locator): Promise<void> {
  const newPosts = column.getByRole('button', { name: /new posts?$/ });
  if (await newPosts.isVisible()) await newPosts.click();
  // The feed's scroller (react-virtuoso's), around the feed itself.
  const scroller = column.locator('[data-virtuoso-scroller]');
  const end = column.getByText('You have reached the beginning.');
  await expect(async () => {
    await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect(end).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
}

test('a reload and a host restart during delivery lose no post and show none twice', async ({
  page,
  harness,
  mastodon,
}) => {
  test.setTimeout(600_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(harness.url);
  const handle = await connectMastodonWithToken(page, mastodon);
  const column = await addMonitorColumn(page, { profiles: [{ network: 'Mastodon', handle }], hashtags: 'Relay' });
  const columnId = (await column.getAttribute('data-column-id'))!;
  await expect(column.getByText('No posts here yet.')).toBeVisible({ timeout: 60_000 });
  await mastodon.waitForHashtagSubscriber('relay');

  // 150 posts by other people, one every 120 ms, whatever happens to the page or the host.
  const TOTAL = 150;
  const authors = ['alice', 'bob', 'chloe', 'dmitri', 'emeka'];
  let made = 0;
  const producing = (async () => {
    for (let n = 1; n <= TOTAL; n++) {
      mastodon.postAs(authors[n % authors.length]!, `Relay post ${n} #Relay`);
      made = n;
      await sleep(120);
    }
  })();
  let seen = 0;
  const watcher = setInterval(() => {
    while (seen < mastodon.requests.length) {
      const r = mastodon.requests[seen++]!;
      console.log('DEBUG req', new Date().toISOString(), 'made', made, r.method, r.path, r.query);
    }
  }, 20);
  const stored = async () => (await storedEntries(page, columnId)).length;

  // A reload while posts arrive: some are stored, more are coming.
  await expect.poll(() => made, { timeout: 60_000 }).toBeGreaterThanOrEqual(40);
  const beforeReload = await stored();
  console.log('DEBUG reload at', new Date().toISOString(), 'made', made, 'stored', beforeReload);
  await page.reload();
  await expect.poll(() => made, { timeout: 60_000 }).toBeGreaterThanOrEqual(90);

  // The host stops (as the app quits) and starts again on the same data folder while posts arrive.
  const afterReload = await stored();
  console.log('DEBUG stop at', new Date().toISOString(), 'made', made, 'stored', afterReload, fs.readFileSync(path.join(harness.dataDir, 'monitors.json'), 'utf8'));
  await harness.stop();
  console.log('DEBUG stopped at', new Date().toISOString(), 'made', made);
  await expect.poll(() => made, { timeout: 60_000 }).toBeGreaterThanOrEqual(110);
  // Same port: the page's IndexedDB belongs to its origin.
  const restarted = await startHarness({ dataDir: harness.dataDir, port: harness.port });
  console.log('DEBUG started at', new Date().toISOString(), 'made', made);
  try {
    // A new token: a new page load (a change of the hash alone would not reload).
    console.log('DEBUG restarted', mastodon.requests.length, 'made', made);
    await page.goto('about:blank');
    await page.goto(restarted.url);
    console.log('DEBUG dataDir', harness.dataDir, 'made at restart', made);
    await producing;
    expect(made).toBe(TOTAL);
    // It was all in the middle of delivery: neither moment had everything yet.
    expect(beforeReload).toBeLessThan(TOTAL);
    expect(afterReload).toBeLessThan(TOTAL);

    // Every post arrives (what was made while the host was down by catching up from its position).
    const numbers = (entries: readonly StoredEntry[]) =>
      entries.map((e) => Number(/Relay post (\d+)/.exec(e.text ?? '')?.[1]));
    const missing = async () => {
      const have = new Set(numbers(await storedEntries(page, columnId)));
      return Array.from({ length: TOTAL }, (_, i) => i + 1).filter((n) => !have.has(n));
    };
    try {
      await expect.poll(missing, { timeout: 120_000, intervals: [2_000] }).toEqual([]);
    } finally {
      clearInterval(watcher);
      console.log('DEBUG requests', JSON.stringify(mastodon.requests.filter((r) => r.path.includes('tag') || r.path.includes('stream')), null, 0));
      console.log('DEBUG output', restarted.output());
      console.log('DEBUG log', fs.readFileSync(path.join(harness.dataDir, 'logs/colonnade.log'), 'utf8'));
      console.log('DEBUG monitors', fs.readFileSync(path.join(harness.dataDir, 'monitors.json'), 'utf8'));
    }
    const entries = await storedEntries(page, columnId);
    expect(entries.filter((e) => e.gap)).toEqual([]);
    expect(numbers(entries).sort((a, b) => a - b)).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
    expect(new Set(entries.map((e) => e.postId)).size).toBe(TOTAL);

    // The column shows each once: at its beginning, every post says "of 150" to a screen reader.
    await scrollToBeginning(page, column);
    await expect(column.getByRole('article').first()).toHaveAttribute('aria-setsize', String(TOTAL));
    await expect(column.getByText('Relay post 1 #Relay', { exact: false })).toBeVisible();
    expect(errors).toEqual([]);
  } finally {
    await restarted.stop();
  }
});
