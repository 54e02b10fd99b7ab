// Analytics in Chromium against the headless host (issue 9, "End to end"): a CM imports her X
// archive through "Import an archive…" (read in the import's Web Worker), sees its posts said to
// have no rate (archives carry no impressions), keeps the posts with an engagement rate above a
// threshold, sorts them by rate, opens the best one's history chart, exports the table to CSV and
// checks its rows, and adds an Analytics column that lists her best posts.
//
// Posts with a rate come from the metrics collector in the app, which observes counts over hours:
// too slow for a test. They are put in the renderer's archive here as the collector delivers them
// (a Bluesky profile's posts, three observations each, and its daily follower counts; an X post
// with its impressions), written to IndexedDB before the analytics are first opened, with the
// archive's own encoding (series-codec.ts). With SCREENSHOTS_DIR set, the view is saved as PNG.
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import type { Page } from '@playwright/test';
import type { MetricValues, OwnPost } from '../../src/shared/analytics';
import { tagsOf } from '../../src/renderer/analytics/archive-store';
import { encodeSeries, latestOf, type SeriesPoint } from '../../src/renderer/analytics/series-codec';
import { buildXArchiveZip, generatedRetweets, generateXTweets } from '../support/archive-fixtures';
import { addColumn, column, pageErrors } from './support/deck';
import { expect, test } from './support/fixtures';

test.use({ timezoneId: 'Europe/Paris', locale: 'en-GB' });

async function shot(page: Page, name: string) {
  const dir = process.env.SCREENSHOTS_DIR;
  if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NONE: MetricValues = {
  likes: null,
  reposts: null,
  replies: null,
  quotes: null,
  bookmarks: null,
  impressions: null,
  linkClicks: null,
  profileClicks: null,
};

/** A post as the archive stores it (archive-store.ts `ArchivedPost`), its series as bytes in an array. */
function archived(post: OwnPost, points: SeriesPoint[]) {
  const latest = latestOf(points)!;
  return {
    ...post,
    tags: tagsOf(post.hashtags),
    latest: latest.values,
    latestAt: latest.at,
    points: points.length,
    series: [...encodeSeries(points)],
  };
}

/** Three observations growing to `last` over a day from an hour after posting. */
function growing(createdAt: number, last: Partial<MetricValues>): SeriesPoint[] {
  return [0.3, 0.7, 1].map((share, i) => ({
    at: Math.floor((createdAt + HOUR + i * 12 * HOUR) / 1000) * 1000,
    source: 'collector' as const,
    values: Object.fromEntries(
      Object.entries({ ...NONE, ...last }).map(([k, v]) => [k, v === null ? null : Math.round(v * share)]),
    ) as MetricValues,
  }));
}

/** What the collector would have delivered by now: rated posts of the last week, and followers. */
function collected(now: number) {
  const bluesky = (id: string, daysAgo: number, text: string, last: Partial<MetricValues>, hashtags: string[] = []) => {
    const createdAt = Math.floor((now - daysAgo * DAY) / 1000) * 1000;
    const post: OwnPost = {
      id: `bluesky:at://did:plc:brand/app.bsky.feed.post/${id}`,
      network: 'bluesky',
      profileId: 'bluesky:did:plc:brand',
      handle: 'brand.bsky.social',
      createdAt,
      text,
      hashtags,
      hasMedia: false,
      isReply: false,
      isQuote: false,
      url: `https://bsky.app/profile/brand.bsky.social/post/${id}`,
    };
    return archived(post, growing(createdAt, last));
  };
  const xAt = Math.floor((now - 3 * DAY) / 1000) * 1000;
  const posts = [
    bluesky('3kspring', 5, 'Spring launch thread #launch', { likes: 60, reposts: 20, replies: 8, quotes: 2 }, [
      'launch',
    ]),
    bluesky('3kbehind', 4, 'Behind the scenes at the workshop', { likes: 25, reposts: 5, replies: 3, quotes: 1 }),
    bluesky('3koffice', 2, 'Reminder: office hours today', { likes: 8, reposts: 1, replies: 1, quotes: 0 }),
    archived(
      {
        id: 'x:1990000000000000001',
        network: 'x',
        profileId: 'x:1400000000000000001',
        handle: 'colonnade_cm',
        createdAt: xAt,
        text: 'Our new site is live',
        hashtags: [],
        hasMedia: true,
        isReply: false,
        isQuote: false,
        url: 'https://x.com/colonnade_cm/status/1990000000000000001',
      },
      growing(xAt, { likes: 100, reposts: 30, replies: 10, quotes: 5, bookmarks: 5, impressions: 5000 }),
    ),
  ];
  const followers = [8, 7, 6, 5, 4, 3, 2, 1].map((daysAgo) => {
    const day = new Date(now - daysAgo * DAY).toISOString().slice(0, 10);
    return { profileId: 'bluesky:did:plc:brand', day, followers: 1000, at: Date.parse(`${day}T06:00:00Z`) };
  });
  return { posts, followers };
}

/** Writes rows into the renderer's Dexie database (`colonnade`), as its archive stores them. */
async function putInArchive(page: Page, rows: ReturnType<typeof collected>) {
  await page.evaluate(
    ({ posts, followers }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('colonnade');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['ownPosts', 'followerCounts'], 'readwrite');
          for (const p of posts) tx.objectStore('ownPosts').put({ ...p, series: new Uint8Array(p.series) });
          for (const f of followers) tx.objectStore('followerCounts').put(f);
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    rows,
  );
}

test('import an archive, keep the posts above an engagement rate, sort, see a history, export CSV', async ({
  page,
  harness,
}) => {
  const errors = pageErrors(page);
  await page.goto(harness.url);
  const open = page.getByRole('button', { name: 'Analytics', exact: true });
  await expect(open).toBeVisible();
  await putInArchive(page, collected(Date.now()));

  await open.click();
  const view = page.getByRole('dialog', { name: 'Analytics' });
  await expect(view.getByRole('tab', { name: 'Posts', selected: true })).toBeVisible();
  const table = view.locator('table.analytics-posts-table');
  await expect(table.getByRole('button', { name: 'Spring launch thread #launch' })).toBeVisible();

  // Import the X archive: 40 items, every 10th a repost.
  const bytes = await buildXArchiveZip({
    accountId: '1400000000000000001',
    username: 'colonnade_cm',
    generationDate: '2025-01-22T05:46:38.082Z',
    parts: [generateXTweets(40)],
    followers: 1234,
  });
  await view.locator('input[type="file"]').setInputFiles({
    name: 'twitter-2025-01-22.zip',
    mimeType: 'application/zip',
    buffer: Buffer.from(bytes),
  });
  const report = view.locator('.analytics-import-report');
  await expect(report).toContainText('twitter-2025-01-22.zip: posts of @colonnade_cm on X');
  const own = 40 - generatedRetweets(40);
  await expect(report.getByRole('listitem')).toHaveText([
    `${own} posts imported`,
    '0 posts were already here',
    `${generatedRetweets(40)} reposts left out (a repost is someone else’s post)`,
  ]);
  await expect(report).toContainText('Everything in the archive could be read.');
  await shot(page, 'analytics-import');
  await report.getByRole('button', { name: 'Dismiss' }).click();
  // The imported posts are in the table, with no rate and why.
  const archivePost = table.locator('tr', { has: page.getByRole('button', { name: /^Post 1 from the community/ }) });
  await expect(archivePost.locator('td.c-rate')).toHaveText('No rate · no impressions known: X archive');

  // Above 3.2 %: the two Bluesky posts that pass, with their formula.
  await view.getByRole('spinbutton', { name: 'Engagement rate (%) min' }).fill('3.2');
  await expect(view.locator('.analytics-summary-count')).toHaveText('2 posts');
  await expect(view.locator('.analytics-summary-averages')).toContainText(
    'average engagement rate 6.2% (interactions / followers; 2 posts have a rate)',
  );
  // Sorted by rate, best first.
  await view.getByRole('button', { name: 'Sort by Engagement rate' }).click();
  await expect(view.locator('th.c-rate')).toHaveAttribute('aria-sort', 'descending');
  await expect(table.locator('td.c-text')).toHaveText([
    'Spring launch thread #launch',
    'Behind the scenes at the workshop',
  ]);
  await expect(table.locator('td.c-rate')).toHaveText([
    'ER 9.0% · interactions / 1,000 followers',
    'ER 3.4% · interactions / 1,000 followers',
  ]);
  // Dates in the CM's zone, as her computer writes them (British English here).
  await expect(table.locator('td.c-date').first()).toHaveText(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d$/);

  await shot(page, 'analytics-table');

  // The best one's details: its history drawn.
  await table.getByRole('button', { name: 'Spring launch thread #launch' }).click();
  const detail = view.getByRole('region', { name: /^Post by @brand\.bsky\.social, / });
  await expect(detail.getByRole('heading')).toBeFocused();
  const chart = detail.getByRole('figure', { name: "History of the post's counts" });
  await expect(chart.getByRole('img')).toBeVisible();
  await expect(chart).toContainText('3 observations from');
  await expect(chart).toContainText('Likes: 18 → 60');
  await shot(page, 'analytics-view');

  // The table to CSV: the two rows shown, in their order, with the formula and the rate.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    view.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^colonnade-posts-\d{4}-\d\d-\d\d\.csv$/);
  const text = fs.readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '');
  const rows = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
  expect(rows.map((r) => [r.text, r['engagement rate (%)'], r.formula, r['followers when posted']])).toEqual([
    ['Spring launch thread #launch', '9', 'interactions / followers', '1000'],
    ['Behind the scenes at the workshop', '3.4', 'interactions / followers', '1000'],
  ]);
  expect(rows[0]).toMatchObject({ network: 'Bluesky', profile: 'brand.bsky.social', likes: '60', impressions: '' });
  expect(rows[0]!.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$/);

  // The other tabs show the charts' views, by arrow keys as tabs do.
  await view.getByRole('tab', { name: 'Posts' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(view.getByRole('tab', { name: 'Overview', selected: true })).toBeFocused();
  await expect(view.getByRole('region', { name: 'Profile overview' })).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(view.getByRole('tab', { name: 'Hashtags', selected: true })).toBeVisible();
  await expect(view.getByRole('region', { name: 'Monitored hashtags' })).toBeVisible();
  await shot(page, 'analytics-hashtags');
  await page.keyboard.press('Home');
  await expect(view.getByRole('tab', { name: 'Posts', selected: true })).toBeFocused();
  // The Posts tab as it was left: the filter, the order and the post's details.
  await expect(view.locator('.analytics-summary-count')).toHaveText('2 posts');
  await detail.getByRole('heading').focus();

  // Escape closes the details, then the view, and focus is back on the Analytics button.
  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();
  await page.keyboard.press('Escape');
  await expect(view).toBeHidden();
  await expect(open).toBeFocused();

  // An Analytics column: the best rates of the last 30 days.
  await addColumn(page, /^Analytics/);
  const stats = column(page, 'Analytics');
  const first = stats.getByRole('feed').getByRole('article').first();
  await expect(first).toContainText('Spring launch thread #launch');
  await expect(first).toContainText('ER 9.0% · interactions / 1,000 followers');
  await shot(page, 'analytics-column');
  await stats.getByRole('button', { name: 'Open analytics' }).click();
  await expect(view).toBeVisible();
  await view.getByRole('button', { name: 'Close analytics' }).click();
  expect(errors).toEqual([]);
});
