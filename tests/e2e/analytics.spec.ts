// Analytics in Chromium against the headless host (issue 9, "End to end"), on the practice
// profile's own analytics as the app collects them: the core's metrics collector backfills the
// Sandbox profile's posts with their counts and reads its follower count in its first round (10 s
// after the core starts), and the renderer stores them. The CM waits for her rated posts in the
// Posts tab, imports her X archive through "Import an archive…" (read in the import's Web Worker)
// and sees its posts said to have no rate (archives carry no impressions), keeps the posts with an
// engagement rate above a threshold, sorts them by rate, opens the best one's history chart,
// exports the table to CSV and checks its rows against the table, and adds an Analytics column
// that lists her best post. With SCREENSHOTS_DIR set, the view is saved as PNG.
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import type { Locator, Page } from '@playwright/test';
import { buildXArchiveZip, generatedRetweets, generateXTweets } from '../support/archive-fixtures';
import { addColumn, column, pageErrors } from './support/deck';
import { expect, test } from './support/fixtures';

test.use({ timezoneId: 'Europe/Paris', locale: 'en-GB' });

async function shot(page: Page, name: string) {
  const dir = process.env.SCREENSHOTS_DIR;
  if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

/** A rate as the table writes it for a Sandbox post ("ER 0.6% · interactions / 1,584 followers"). */
const SANDBOX_RATE = /^ER (\d+\.\d+)% · interactions \/ ([\d,]+) followers( · .+)?$/;

/** The rows the table shows (react-virtuoso renders those on screen), cell by cell. */
async function shownRows(table: Locator) {
  return table.locator('tbody tr:has(td.c-text)').evaluateAll((trs) =>
    trs.map((tr) => {
      const cell = (c: string) => tr.querySelector(`td.${c}`)?.textContent?.trim() ?? '';
      const counts = [...tr.querySelectorAll('td.c-count')].map((td) => td.textContent?.trim() ?? '');
      return { date: cell('c-date'), profile: cell('c-profile'), text: cell('c-text'), rate: cell('c-rate'), counts };
    }),
  );
}

/** "ER 0.6% · …" → 0.6 (percent). */
const percentOf = (rate: string) => Number(SANDBOX_RATE.exec(rate)?.[1] ?? NaN);

/** An ISO 8601 time as the table writes it in the CM's zone and language (British English here). */
const asTable = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    hourCycle: 'h23',
    timeZone: 'Europe/Paris',
  }).format(Date.parse(iso));

test('rated practice posts from the core, an archive imported, filtered above a rate, sorted, a history, CSV', async ({
  page,
  harness,
}) => {
  const errors = pageErrors(page);
  await page.goto(harness.url);
  const open = page.getByRole('button', { name: 'Analytics', exact: true });
  await open.click();
  const view = page.getByRole('dialog', { name: 'Analytics' });
  await expect(view.getByRole('tab', { name: 'Posts', selected: true })).toBeVisible();
  const table = view.locator('table.analytics-posts-table');

  // The collector's first round: the practice profile's history read back page by page (its
  // progress said under the summary), each post with its counts and a rate against the profile's
  // follower count.
  const collection = view.getByRole('list', { name: 'Collection of your counts' }).getByRole('listitem');
  await expect(collection).toHaveText(/^@practice \(Sandbox\): \d+ posts followed, counts of /, { timeout: 40_000 });
  const total = Number((await collection.textContent())!.match(/: (\d+) posts followed/)![1]);
  expect(total).toBeGreaterThan(10);
  await expect(view.locator('.analytics-summary-count')).toHaveText(`${total} posts`);
  await expect(view.locator('.analytics-summary-averages')).toContainText(
    `(interactions / followers; ${total} posts have a rate)`,
  );
  await expect(table.locator('td.c-rate').first()).toHaveText(SANDBOX_RATE);
  await expect(table.locator('td.c-profile').first()).toHaveText('@practice Sandbox');
  // Dates in the CM's zone, as her computer writes them (British English here), on a 24-hour clock.
  await expect(table.locator('td.c-date').first()).toHaveText(/^\d{1,2} [A-Z][a-z]{2,3} \d{4}, \d\d:\d\d$/);
  await shot(page, 'analytics-table');

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
  // The imported posts (the X ones), with no rate and why.
  const network = view.getByRole('combobox', { name: 'Network' });
  await network.selectOption('x');
  await expect(view.locator('.analytics-summary-count')).toHaveText(`${own} posts`);
  await expect(table.locator('td.c-rate').first()).toHaveText('No rate · no impressions known: X archive');
  await network.selectOption('');

  // A threshold from what the table shows: half a tenth under the sixth rate on screen, so at
  // least six posts pass whatever the Sandbox's counts are today.
  const rates = (await shownRows(table)).map((r) => percentOf(r.rate)).filter((r) => !Number.isNaN(r));
  expect(rates.length).toBeGreaterThan(6);
  const sixth = [...rates].sort((a, b) => b - a)[5]!;
  const threshold = Number((sixth - 0.05).toFixed(2));
  await view.getByRole('textbox', { name: 'Engagement rate (%) min' }).fill(String(threshold));
  await expect(view.locator('.analytics-summary-averages')).not.toContainText('no engagement rate');
  await expect(view.locator('.analytics-summary-averages')).not.toContainText(`${total} posts have a rate`);
  const passing = Number((await view.locator('.analytics-summary-count').textContent())!.match(/^(\d+) posts?$/)![1]);
  expect(passing).toBeGreaterThanOrEqual(6);
  expect(passing).toBeLessThan(total);

  // Sorted by rate, best first: every rate shown above the threshold, none higher than the one before.
  await view.getByRole('button', { name: 'Sort by Engagement rate' }).click();
  await expect(view.locator('th.c-rate')).toHaveAttribute('aria-sort', 'descending');
  await expect(async () => {
    const shown = (await shownRows(table)).map((r) => percentOf(r.rate));
    expect(shown.length).toBeGreaterThanOrEqual(6);
    for (let i = 0; i < shown.length; i++) {
      expect(shown[i]).toBeGreaterThanOrEqual(threshold);
      if (i > 0) expect(shown[i]).toBeLessThanOrEqual(shown[i - 1]!);
    }
  }).toPass();
  const rows = await shownRows(table);
  const best = rows[0]!;

  // The best one's details: its history drawn, its last counts those of the table.
  await table.locator('.analytics-post-button').first().click();
  const detail = view.getByRole('region', { name: /^Post by @practice, / });
  await expect(detail.getByRole('heading')).toBeFocused();
  const chart = detail.getByRole('figure', { name: "History of the post's counts" });
  await expect(chart.getByRole('img')).toBeVisible();
  await expect(chart.locator('canvas').first()).toBeVisible();
  await expect(chart).toContainText(/\d+ observations?,? (on|from) \d{1,2} [A-Z][a-z]{2,3} \d{4}, \d\d:\d\d/);
  await expect(chart.locator('.chart-changes li').first()).toHaveText(
    new RegExp(`^Likes: (\\d+ → )?${best.counts[0]}(, unchanged)?$`),
  );
  await shot(page, 'analytics-view');

  // The table to CSV: every post that passes, in the table's order, as the table says them.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    view.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^colonnade-posts-\d{4}-\d\d-\d\d\.csv$/);
  const text = fs.readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '');
  const csv = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
  expect(csv).toHaveLength(passing);
  for (const r of csv) {
    expect(r).toMatchObject({ network: 'Sandbox', profile: 'practice', formula: 'interactions / followers' });
    expect(Number(r['engagement rate (%)'])).toBeGreaterThanOrEqual(threshold);
    expect(r.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$/);
  }
  // The rows on screen, line for line: date (ISO in the CSV, the CM's format in the table), text,
  // counts and the follower count the rate is over; the rate to the table's one decimal.
  const lines = csv.slice(0, rows.length);
  expect(
    lines.map((r) => ({
      date: asTable(r.date!),
      text: r.text!.replace(/\s+/g, ' ').trim(),
      counts: [r.likes, r.reposts, r.replies, r.quotes],
      followers: r['followers when posted'],
    })),
  ).toEqual(
    rows.map((row) => ({
      date: row.date,
      // The table clamps a long text to two lines; its cell holds it whole.
      text: row.text.replace(/\s+/g, ' ').trim(),
      counts: row.counts.slice(0, 4).map((c) => c.replace(/,/g, '')),
      followers: SANDBOX_RATE.exec(row.rate)![2]!.replace(/,/g, ''),
    })),
  );
  lines.forEach((r, i) =>
    expect(Math.abs(Number(r['engagement rate (%)']) - percentOf(rows[i]!.rate))).toBeLessThanOrEqual(0.05 + 1e-9),
  );

  // The other tabs: the overview and the monitored hashtags (the deck's #IFPower column).
  await view.getByRole('tab', { name: 'Posts' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(view.getByRole('tab', { name: 'Overview', selected: true })).toBeFocused();
  await expect(view.getByRole('region', { name: 'Profile overview' })).toBeVisible();
  await expect(view.getByRole('figure', { name: 'Likes and reposts per post, by week' })).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(view.getByRole('tab', { name: 'Hashtags', selected: true })).toBeVisible();
  await expect(view.getByRole('region', { name: 'Monitored hashtags' })).toBeVisible();
  await expect(view.getByRole('figure', { name: 'Posts with #IFPower per day' })).toBeVisible();
  await shot(page, 'analytics-hashtags');
  await page.keyboard.press('Home');
  await expect(view.getByRole('tab', { name: 'Posts', selected: true })).toBeFocused();
  // The Posts tab as it was left: the filter, the order and the post's details.
  await expect(view.locator('.analytics-summary-count')).toHaveText(`${passing} posts`);
  await detail.getByRole('heading').focus();

  // Escape closes the details, then the view, and focus is back on the Analytics button.
  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();
  await page.keyboard.press('Escape');
  await expect(view).toBeHidden();
  await expect(open).toBeFocused();

  // An Analytics column: the best rates of the last 30 days, the best first (the table's first).
  await addColumn(page, /^Analytics/);
  const stats = column(page, 'Analytics');
  const first = stats.getByRole('feed').getByRole('article').first();
  await expect(first).toContainText(best.rate.match(/^ER [\d.]+%/)![0]);
  await shot(page, 'analytics-column');
  await stats.getByRole('button', { name: 'Open analytics' }).click();
  await expect(view).toBeVisible();
  await view.getByRole('button', { name: 'Close analytics' }).click();
  expect(errors).toEqual([]);
});
