// Monitors over real protocol servers, in Chromium against the headless host: the X and Mastodon
// emulators (tests/emulators), accounts connected through the Accounts dialog.
//
// Waits are long on purpose: the host runs on the real clock and the adapters' own paces apply
// (src/main/networks/*/adapter.ts `pollIntervalMs`: X search every 120 s, Mastodon every 30 s, the
// engine stretching or shortening them by activity, src/main/core/monitors/engine.ts `pollDelay`),
// unless the CM asks a column to check now.
// A Mastodon hashtag reader also listens to the instance's hashtag stream, so its posts come at once.
import type { Locator } from '@playwright/test';
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
  test.setTimeout(180_000);
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
  // X's hashtag search is polled every 2 minutes or so: "Check for new posts now" asks at once.
  await monitor.getByRole('button', { name: /^Column menu: / }).click();
  await page.getByRole('menuitem', { name: 'Check for new posts now' }).click();
  await expect(posts).toHaveCount(6, { timeout: 30_000 });
  // "Checking for new posts…" leaves once the check is reported.
  await expect(monitor.getByText('Checking for new posts…')).toBeHidden();

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

/** Resolves after the page painted twice (react-virtuoso renders what a scroll brought into view). */
const painted = (scroller: Locator) =>
  scroller.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
  );

/**
 * Reads a column as a reader scrolling it would: shows what waits behind "N new posts", then
 * scrolls from the top to the column's beginning ("You have reached the beginning."), noting every
 * article met by its place in the feed (`aria-posinset`). Answers post ids by place (1 = newest).
 */
async function readWholeColumn(column: Locator): Promise<Map<number, string>> {
  const newPosts = column.getByRole('button', { name: /new posts?$/ });
  if (await newPosts.isVisible()) await newPosts.click();
  await expect(newPosts).toBeHidden();
  // The feed's scroller (react-virtuoso's), around the feed itself.
  const scroller = column.locator('[data-virtuoso-scroller]');
  const end = column.getByText('You have reached the beginning.');
  const byPlace = new Map<number, string>();
  await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
  for (let steps = 0; steps < 1_000; steps++) {
    await painted(scroller);
    const rows = await column
      .getByRole('article')
      .evaluateAll((articles) =>
        articles.map((a) => [Number(a.getAttribute('aria-posinset')), a.getAttribute('data-post-id') ?? ''] as const),
      );
    for (const [place, id] of rows) byPlace.set(place, id);
    const atBottom = await scroller.evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 2);
    if (atBottom && (await end.isVisible())) break;
    await scroller.evaluate((el) => el.scrollBy({ top: Math.round(el.clientHeight * 0.6) }));
  }
  await expect(end).toBeVisible();
  return byPlace;
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
  // A new campaign hashtag nobody used yet.
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
  const stored = async () => (await storedEntries(page, columnId)).length;

  // A reload while posts arrive.
  await expect.poll(() => made, { timeout: 60_000 }).toBeGreaterThanOrEqual(30);
  const beforeReload = await stored();
  await page.reload();

  // The host stops (as the app quits) and, after more posts than one page of the instance (40)
  // were made, starts again on the same data folder, while posts keep coming.
  await expect.poll(() => made, { timeout: 60_000 }).toBeGreaterThanOrEqual(60);
  const beforeStop = await stored();
  await harness.stop();
  const stoppedAt = made;
  await expect.poll(() => made, { timeout: 60_000 }).toBeGreaterThanOrEqual(stoppedAt + 60);
  // Same port: the page's IndexedDB belongs to its origin.
  const restarted = await startHarness({ dataDir: harness.dataDir, port: harness.port });
  try {
    // The restarted host's address (a new token) opened in the same tab.
    await page.goto(restarted.url);
    await producing;
    // Both happened in the middle of delivery: neither moment had everything yet.
    expect(beforeReload).toBeLessThan(TOTAL);
    expect(beforeStop).toBeLessThan(TOTAL);

    // Every post arrives (those made while the host was down by catching up from its position).
    const numbers = (entries: readonly StoredEntry[]) =>
      entries.map((e) => Number(/Relay post (\d+)/.exec(e.text ?? '')?.[1]));
    const all = Array.from({ length: TOTAL }, (_, i) => i + 1);
    const missing = async () => {
      const have = new Set(numbers(await storedEntries(page, columnId)));
      return all.filter((n) => !have.has(n));
    };
    await expect.poll(missing, { timeout: 420_000, intervals: [2_000] }).toEqual([]);
    const entries = await storedEntries(page, columnId);
    expect(entries.filter((e) => e.gap)).toEqual([]);
    expect(numbers(entries).sort((a, b) => a - b)).toEqual(all);

    // The column shows each post once: 150 places, 150 different posts, the ones stored.
    const byPlace = await readWholeColumn(column);
    expect([...byPlace.keys()].sort((a, b) => a - b)).toEqual(all);
    expect(new Set(byPlace.values()).size).toBe(TOTAL);
    expect([...byPlace.values()].sort()).toEqual(entries.map((e) => e.postId).sort());
    expect(errors).toEqual([]);
  } finally {
    await restarted.stop();
  }
});
