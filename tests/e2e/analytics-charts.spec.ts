// The analytics charts drawn for real in Chromium (uPlot on a canvas), under the app's CSP: a
// post's history, a profile's overview and the monitored hashtags, on a page of their own with a
// generated archive and deck (support/analytics-charts-page.tsx). What a CM checks: the lines are
// on the canvas, the words say the same, the PNG is a picture of the chart, the CSV holds the
// series in her zone, and a new observation redraws the chart.
import fs from 'node:fs';
import Papa from 'papaparse';
import { expect, test, type Page } from '@playwright/test';
import { CHARTS_ORIGIN, bundleChartsPage, serveChartsPage } from './support/analytics-charts-bundle';

let files: Awaited<ReturnType<typeof bundleChartsPage>>;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  files = await bundleChartsPage();
});

async function open(page: Page, only: 'history' | 'overview' | 'hashtags', lang = 'en') {
  await serveChartsPage(page, files);
  await page.goto(`${CHARTS_ORIGIN}/?only=${only}&lang=${lang}`);
  await page.waitForFunction(() => window.chartsPageReady === true, null, { timeout: 60_000 });
}

/** Canvas pixels within 24 of `hex` in each channel, in the figure's chart. */
async function pixelsOf(page: Page, figure: string, hex: string): Promise<number> {
  return page.getByRole('figure', { name: figure }).evaluate((el, color) => {
    const canvas = el.querySelector('canvas')!;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
    let n = 0;
    for (let p = 0; p < data.length; p += 4)
      if (Math.abs(data[p]! - r!) < 24 && Math.abs(data[p + 1]! - g!) < 24 && Math.abs(data[p + 2]! - b!) < 24) n++;
    return n;
  }, hex);
}

/** The CSP violations the page met, but zod's probe for `new Function` (it falls back, by design). */
const cspViolations = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { cspViolations: string[] }).cspViolations.filter((v) => !v.startsWith('script-src: eval')),
  );

const HISTORY = "History of the post's counts";
const LIKES = '#f07b8c';
const REPOSTS = '#4fc29a';

test("a post's history is drawn, said in words, and saved as PNG and CSV", async ({ page }) => {
  await open(page, 'history');
  const figure = page.getByRole('figure', { name: HISTORY });
  await expect(figure).toBeVisible();
  await expect(figure.getByRole('img', { name: HISTORY })).toBeVisible();
  expect(await pixelsOf(page, HISTORY, LIKES)).toBeGreaterThan(100);
  expect(await pixelsOf(page, HISTORY, REPOSTS)).toBeGreaterThan(100);
  // The legend names each line; impressions have their own axis.
  for (const name of ['Likes', 'Reposts', 'Replies', 'Quotes', 'Impressions']) {
    await expect(figure.locator('.u-legend')).toContainText(name);
  }
  await expect(figure).toContainText('30 observations from');
  await expect(figure).toContainText('(time zone Europe/Paris)');
  await expect(figure).toContainText('Likes: 23 → 480');
  await expect(figure).toContainText('Impressions: 1,170 → 24,000');

  const [png] = await Promise.all([
    page.waitForEvent('download'),
    figure.getByRole('button', { name: 'Save as PNG' }).click(),
  ]);
  expect(png.suggestedFilename()).toBe('post-history-x_1900000000000000001.png');
  const bytes = fs.readFileSync(await png.path());
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  const canvasWidth = await figure.locator('canvas').evaluate((c: HTMLCanvasElement) => c.width);
  // The picture is the chart with a margin, a title and a legend: wider than the canvas.
  expect(bytes.readUInt32BE(16)).toBeGreaterThan(canvasWidth);

  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    figure.getByRole('button', { name: 'Export series CSV' }).click(),
  ]);
  expect(csv.suggestedFilename()).toBe('post-history-x_1900000000000000001.csv');
  const text = fs.readFileSync(await csv.path(), 'utf8').replace(/^\ufeff/, '');
  const rows = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
  expect(rows).toHaveLength(30);
  for (const row of rows) {
    expect(row.post_id).toBe('x:1900000000000000001');
    expect(row.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$/);
    expect(Date.parse(row.time!)).toBe(Date.parse(row.time_utc!));
  }
  expect(rows.at(-1)).toMatchObject({ likes: '480', impressions: '24000', link_clicks: '' });

  // A new observation arrives: the chart and its words follow.
  await page.evaluate(async () => {
    const { archive, historyPost } = window.chartsPage!;
    await archive.ingest({
      snapshots: [
        {
          postId: historyPost,
          at: Math.floor(Date.now() / 1000) * 1000,
          source: 'collector',
          values: {
            likes: 650,
            reposts: 120,
            replies: 44,
            quotes: 12,
            bookmarks: 30,
            impressions: 30_000,
            linkClicks: null,
            profileClicks: null,
          },
        },
      ],
    });
  });
  await expect(figure).toContainText('31 observations from');
  await expect(figure).toContainText('Likes: 23 → 650');
  expect(await cspViolations(page)).toEqual([]);
});

test('a profile overview draws its periods and shows the best times and top posts', async ({ page }) => {
  await open(page, 'overview');
  await page.getByLabel('Period').selectOption('all');
  await expect(page.locator('.analytics-figures')).toContainText('701');
  // Imported X posts have no impressions: counted apart.
  await expect(page.locator('.analytics-partial')).toContainText('X: 14 posts without impressions');
  const chart = 'Likes and reposts per post, by week';
  await expect(page.getByRole('figure', { name: chart })).toBeVisible();
  expect(await pixelsOf(page, chart, LIKES)).toBeGreaterThan(100);
  await page.getByLabel('Chart').selectOption('month');
  await expect(page.getByRole('figure', { name: 'Likes and reposts per post, by month' })).toBeVisible();

  const best = page.locator('.best-times');
  await expect(best.locator('p').first()).toContainText(/Best times \(time zone Europe\/Paris\): Tuesday (09|10):00/);
  await expect(best.getByRole('table')).toBeVisible();
  await expect(best.getByRole('row')).toHaveCount(8);

  await page.getByRole('button', { name: 'History' }).first().click();
  expect(await page.evaluate(() => window.chartsPage!.opened.length)).toBe(1);
  expect(await cspViolations(page)).toEqual([]);
});

test('monitored hashtags show what their columns collected', async ({ page }) => {
  await open(page, 'hashtags');
  const expected = await page.evaluate(() => window.chartsPage!.expected);
  const overview = page.locator('.analytics-table').first();
  for (const [tag, name] of [
    ['velo', '#velo'],
    ['ebike', '#ebike'],
    ['lyon', '#Lyon'],
  ] as const) {
    await expect(overview.getByRole('row', { name: new RegExp(`^${name} ${expected[tag]!.posts} `) })).toBeVisible();
  }
  await page.getByRole('button', { name: '#velo' }).click();
  await expect(page.locator('.hashtag-detail')).toContainText(
    `${expected.velo!.posts} posts by ${expected.velo!.authors} authors, collected from`,
  );
  await expect(page.locator('.hashtag-detail')).toContainText('1 gap');
  const chart = 'Posts with #velo per day';
  await expect(page.getByRole('figure', { name: chart })).toBeVisible();
  expect(await pixelsOf(page, chart, '#56b4e9')).toBeGreaterThan(100);
  await page.getByLabel('Volume').selectOption('week');
  await expect(page.getByRole('figure', { name: 'Posts with #velo per week' })).toBeVisible();
  expect(await cspViolations(page)).toEqual([]);
});

test('the charts speak French', async ({ page }) => {
  await open(page, 'history', 'fr');
  const figure = page.getByRole('figure', { name: 'Historique des compteurs de la publication' });
  await expect(figure).toBeVisible();
  await expect(figure).toContainText('30 relevés, du');
  await expect(figure.locator('.u-legend')).toContainText('J’aime');
  await expect(figure.getByRole('button', { name: 'Enregistrer en PNG' })).toBeVisible();
});
