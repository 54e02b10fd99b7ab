// Monitors and alerts as a CM meets them, in Chromium against the headless host: a Monitor column
// made through "Add a column" fills with posts marked with the profile that found them; an alert
// rule on it makes an alert appear in the page, once per new matching post, whose "Show" brings the
// post forward in its column. The Sandbox world makes a post about every 4 s, 40% of them with
// #IFPower (src/main/networks/sandbox/world.ts: POST_GAP_MS, BRAND_TAG): waits are generous.
import type { Locator, Page } from '@playwright/test';
import { openColumn, pageErrors } from './support/deck';
import { expect, test } from './support/fixtures';

/** The column added last (a new column goes to the end of the deck). */
const lastColumn = (page: Page) => page.locator('section.column').last();

/** A column's menu button, whatever its title. */
const menuOf = (column: Locator) => column.getByRole('button', { name: /^Column menu: / });

test('a Monitor column over the Sandbox profile fills with #IFPower posts, each marked with its network and profile', async ({
  page,
  harness,
}) => {
  const errors = pageErrors(page);
  await openColumn(page, harness.url, '#IFPower', { posts: false });
  const before = await page.locator('section.column').count();

  await page.getByRole('button', { name: 'Add column' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a column' });
  await dialog.getByRole('radio', { name: /^Monitor/ }).check();
  // The profiles able to search, by network; the one chosen so far is ticked.
  const profiles = dialog.getByRole('group', { name: 'Profiles to search with' });
  const sandbox = profiles.getByRole('group', { name: /^Sandbox/ });
  await expect(sandbox.getByRole('checkbox', { name: /^@practice/ })).toBeChecked();

  // Refused in words until it has something to watch.
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('A monitor needs at least one hashtag or keyword.');
  await expect(dialog.getByRole('textbox', { name: 'Hashtags' })).toBeFocused();

  // Keyboard only from here: the hashtag field has focus; type the hashtag, send with Enter.
  await page.keyboard.type('#IFPower');
  await page.screenshot({ path: test.info().outputPath('monitor-dialog.png') });
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();

  await expect(page.locator('section.column')).toHaveCount(before + 1);
  const monitor = lastColumn(page);
  const posts = monitor.getByRole('article');
  await expect(posts.first()).toBeVisible({ timeout: 30_000 });
  // It reads through the practice profile: labelled practice data, as the Sandbox columns are.
  await expect(monitor.locator('.column-profile')).toContainText('Practice data');
  // Each post says which network and profile found it.
  for (const post of (await posts.all()).slice(0, 5)) await expect(post.getByText('Sandbox · @practice')).toBeVisible();

  // Scrolling back loads older posts through the monitor's own position: the column grows, and
  // no error says the position is not the column's.
  const scroller = monitor.locator('.feed-scroller');
  const height = () => scroller.evaluate((el) => el.scrollHeight);
  const first = await height();
  await expect
    .poll(
      async () => {
        await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
        return height();
      },
      { timeout: 30_000 },
    )
    .toBeGreaterThan(first * 2);
  await expect(monitor.getByText(/does not belong|could not be loaded/i)).toHaveCount(0);
  await expect(monitor.locator('.column-status.error')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('an alert rule “every new post” on a monitor shows an alert in the page once per new post, and Show brings it forward', async ({
  page,
  harness,
}) => {
  test.setTimeout(180_000);
  const errors = pageErrors(page);
  await page.goto(harness.url);

  await page.getByRole('button', { name: 'Add column' }).click();
  const add = page.getByRole('dialog', { name: 'Add a column' });
  await add.getByRole('radio', { name: /^Monitor/ }).check();
  await add.getByRole('textbox', { name: 'Hashtags' }).fill('IFPower');
  await add.getByRole('button', { name: 'Add' }).click();
  await expect(add).toBeHidden();
  const monitor = lastColumn(page);
  await expect(monitor.getByRole('article').first()).toBeVisible({ timeout: 30_000 });

  // No rule yet: no alert.
  const toasts = page.getByRole('log', { name: 'New alerts' }).getByRole('listitem');
  await expect(toasts).toHaveCount(0);

  await menuOf(monitor).click();
  await page.getByRole('menuitem', { name: 'Alerts…' }).click();
  const editor = page.getByRole('dialog', { name: /^Alerts for / });
  await expect(editor.getByRole('checkbox', { name: 'Alert me about new posts in this column' })).toBeChecked();
  await expect(editor.getByRole('radio', { name: 'Every new post' })).toBeChecked();
  await page.screenshot({ path: test.info().outputPath('alert-editor.png') });
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor).toBeHidden();

  // A new #IFPower post comes (every ~10 s on average): its alert appears, with the post's words.
  const toast = toasts.first();
  await expect(toast).toBeVisible({ timeout: 90_000 });
  await expect(toast).toContainText(/: new post/);
  const postId = await toast.getAttribute('data-post-id');
  expect(postId).toMatch(/^sandbox:/);
  await expect(page.getByRole('button', { name: /^Alerts, \d+ not seen$/ })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('alert-toast.png') });

  // Show: the post is brought forward and focused in its column.
  await toast.getByRole('button', { name: 'Show' }).click();
  await expect(monitor.locator(`article[data-post-id="${postId}"]`)).toBeFocused();
  await expect(page.getByRole('button', { name: 'Alerts', exact: true })).toBeVisible();

  // Wait for a couple more alerts: each post alerts once (no post twice in the list).
  const list = async () => {
    await page.getByRole('button', { name: /^Alerts/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Alerts' });
    const ids = await dialog
      .getByRole('listitem')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-post-id')));
    await dialog.getByRole('button', { name: 'Close' }).click();
    return ids;
  };
  await expect
    .poll(async () => (await list()).length, { timeout: 90_000, intervals: [5_000] })
    .toBeGreaterThanOrEqual(3);
  const ids = await list();
  expect(new Set(ids).size).toBe(ids.length);
  expect(errors).toEqual([]);
});
