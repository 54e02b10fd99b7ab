// The deck as a CM meets it, in Chromium against the headless host.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { startHarness } from './support/harness';
import { expect, test } from './support/fixtures';

const column = (page: Page, title: string) => page.getByRole('region', { name: title, exact: true });
/** Unfold every post shown behind a content warning, as a reader checking the column would. */
async function unfoldAll(region: ReturnType<typeof column>) {
  const show = region.getByRole('button', { name: 'Show post' });
  while ((await show.count()) > 0) await show.first().click();
}
const regionTitles = (page: Page) =>
  page.locator('section.column').evaluateAll((els) => els.map((el) => el.querySelector('h2')?.textContent ?? ''));

test('first launch shows the Sandbox deck with live posts, clearly marked as practice data', async ({
  page,
  harness,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(harness.url);

  await expect(page.getByRole('tab', { name: 'Sandbox', selected: true })).toBeVisible();
  for (const title of ['Home', '#IFPower']) {
    const region = column(page, title);
    await expect(region).toBeVisible();
    await expect(region.getByText('Practice data')).toBeVisible();
    const feed = region.getByRole('feed', { name: `Posts in ${title}` });
    await expect(feed.getByRole('article').first()).toBeVisible();
  }
  // Every post of the hashtag column carries the hashtag; posts have authors, avatars and counts.
  const tagged = column(page, '#IFPower').getByRole('article');
  const firstPost = tagged.first();
  await expect(firstPost.getByRole('img', { name: /^Avatar of / })).toBeVisible();
  await expect(firstPost.getByLabel(/\d+ likes?$/)).toBeVisible();
  await unfoldAll(column(page, '#IFPower'));
  for (const text of await tagged.allInnerTexts()) expect(text).toContain('#IFPower');

  // Reposts say who reposted; a post behind a content warning is folded until asked for.
  const home = column(page, 'Home');
  await expect(home.getByText(/ reposted$/).first()).toBeVisible();
  const foldedId = await home
    .getByRole('article')
    .filter({ has: page.getByRole('button', { name: 'Show post' }) })
    .first()
    .getAttribute('data-post-id');
  const folded = home.locator(`article[data-post-id="${foldedId}"]`);
  const foldedText = await folded.innerText();
  await folded.getByRole('button', { name: 'Show post' }).click();
  await expect(folded.getByRole('button', { name: 'Hide post' })).toHaveAttribute('aria-expanded', 'true');
  expect((await folded.innerText()).length).toBeGreaterThan(foldedText.length);

  // Live: a newer post arrives at the top of Home within a few seconds.
  const firstId = await home.getByRole('article').first().getAttribute('data-post-id');
  await expect
    .poll(() => home.getByRole('article').first().getAttribute('data-post-id'), { timeout: 20_000 })
    .not.toBe(firstId);

  // Links are real links that leave for the browser.
  const link = home.getByRole('link').first();
  if ((await link.count()) > 0) await expect(link).toHaveAttribute('target', '_blank');
  expect(errors).toEqual([]);
});

test('add a hashtag column through the picker, with a clear error when the hashtag is missing', async ({
  page,
  harness,
}) => {
  await page.goto(harness.url);
  await page.getByRole('button', { name: 'Add column' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a column' });
  await expect(dialog.getByRole('combobox', { name: 'Profile' })).toHaveValue('sandbox:practice');
  await dialog.getByRole('radio', { name: /^Hashtag/ }).check();
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Enter a Hashtag for this column.');

  await dialog.getByRole('textbox', { name: 'Hashtag' }).fill('#ebike');
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(dialog).toBeHidden();
  const ebike = column(page, '#ebike');
  await expect(ebike.getByRole('article').first()).toBeVisible();
  await unfoldAll(ebike);
  for (const text of await ebike.getByRole('article').allInnerTexts()) expect(text).toContain('#ebike');
  expect(await regionTitles(page)).toEqual(['Home', '#IFPower', '#ebike']);
});

test('reorder columns with the keyboard, by drag handle and by buttons, and resize one', async ({ page, harness }) => {
  await page.goto(harness.url);
  await expect(column(page, '#IFPower').getByRole('article').first()).toBeVisible();

  // dnd-kit's keyboard sensor: Space lifts, arrows move, Space drops.
  // Each step waits for what a screen reader announces, as a keyboard user would.
  const announced = (text: string | RegExp) =>
    expect(page.getByRole('status').filter({ hasText: text })).toBeAttached();
  await page.getByRole('button', { name: 'Reorder column #IFPower' }).focus();
  await page.keyboard.press('Space');
  // "Picked up…" is followed at once by "…is over position 2." (its own place).
  await announced(/Picked up column #IFPower, position 2 of 2\.|Column #IFPower is over position 2\./);
  await page.keyboard.press('ArrowLeft');
  await announced('Column #IFPower is over position 1.');
  await page.keyboard.press('Space');
  await announced('Column #IFPower dropped at position 1.');
  await expect.poll(() => regionTitles(page)).toEqual(['#IFPower', 'Home']);

  await column(page, '#IFPower').getByRole('button', { name: 'Move right' }).click();
  await expect.poll(() => regionTitles(page)).toEqual(['Home', '#IFPower']);

  const separator = page.getByRole('separator', { name: 'Width of column Home' });
  await expect(separator).toHaveAttribute('aria-valuenow', '340');
  await separator.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  await expect(separator).toHaveAttribute('aria-valuenow', '420');
  await expect.poll(() => column(page, 'Home').evaluate((el) => el.getBoundingClientRect().width)).toBeCloseTo(420, 0);
});

test('decks: create, switch, rename, delete; everything survives a reload and a restart', async ({ page }) => {
  const first = await startHarness();
  const { dataDir, port } = first;
  try {
    await page.goto(first.url);
    await page.getByRole('button', { name: 'New deck' }).click();
    await page.getByRole('textbox', { name: 'Deck name' }).fill('Launch week');
    await page.getByRole('button', { name: 'Create' }).click();
    await expect(page.getByRole('tab', { name: 'Launch week', selected: true })).toBeVisible();
    await expect(page.getByText('This deck has no columns yet.')).toBeVisible();

    await page.getByRole('button', { name: 'Add a column' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a column' });
    await dialog.getByRole('radio', { name: /^Search/ }).check();
    await dialog.getByRole('textbox', { name: 'Keywords' }).fill('battery');
    await dialog.getByRole('button', { name: 'Add' }).click();
    await expect(column(page, '“battery”').getByRole('article').first()).toBeVisible();

    // Keyboard switching between deck tabs.
    await page.getByRole('tab', { name: 'Launch week' }).focus();
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByRole('tab', { name: 'Sandbox', selected: true })).toBeFocused();
    await expect(column(page, 'Home')).toBeVisible();

    await page.getByRole('button', { name: 'Rename deck' }).click();
    await page.getByRole('textbox', { name: 'Deck name' }).fill('Brand A');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('tab', { name: 'Brand A', selected: true })).toBeVisible();

    await page.reload();
    await expect(page.getByRole('tab', { name: 'Brand A', selected: true })).toBeVisible();
    await expect(page.getByRole('tab', { name: 'Launch week' })).toBeVisible();
    await expect(column(page, 'Home').getByRole('article').first()).toBeVisible();
    await first.stop();

    const second = await startHarness({ dataDir, port });
    try {
      await page.goto(second.url);
      await page.getByRole('tab', { name: 'Launch week' }).click();
      await expect(column(page, '“battery”').getByRole('article').first()).toBeVisible();
      await page.getByRole('button', { name: 'Delete deck' }).click();
      await expect(page.getByRole('dialog', { name: 'Delete “Launch week”?' })).toContainText(
        'Its 1 columns go with it.',
      );
      await page.getByRole('button', { name: 'Delete', exact: true }).click();
      await expect(page.getByRole('tab')).toHaveText(['Brand A']);
      await page.getByRole('button', { name: 'Delete deck' }).click();
      await expect(page.getByRole('dialog')).toContainText('This is your only deck, so it cannot be deleted.');
    } finally {
      await second.stop();
    }
  } finally {
    await first.stop();
  }
});

test('switch the language to French, and it stays French after a reload', async ({ page, harness }) => {
  await page.goto(harness.url);
  await expect(column(page, 'Home')).toBeVisible();
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
  await expect(page.getByRole('dialog', { name: 'Réglages' })).toBeVisible();
  await page.getByRole('button', { name: 'Fermer' }).click();
  await expect(page.getByRole('button', { name: 'Ajouter une colonne' })).toBeVisible();
  await expect(column(page, 'Accueil').getByText('Données d’entraînement')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await page.reload();
  await expect(column(page, 'Accueil').getByRole('feed', { name: 'Publications de Accueil' })).toBeVisible();
  await expect(page.getByRole('tablist', { name: 'Tableaux' })).toBeVisible();
});

test('the host refuses a page without its token, and a socket from another origin', async ({ page, harness }) => {
  const port = harness.port;
  await page.goto(`http://127.0.0.1:${port}/`);
  await expect(page.getByText(/could not start: Open Colonnade from the address the harness printed/)).toBeVisible();
  const status = await page.evaluate(async (p) => {
    const token = 'wrong';
    return new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${p}/ipc?token=${token}`);
      ws.onopen = () => resolve('open');
      ws.onerror = () => resolve('refused');
    });
  }, port);
  expect(status).toBe('refused');
});

test('like a post from a column; the heart and the count change, and stay after a reload', async ({
  page,
  harness,
}) => {
  await page.goto(harness.url);
  const post = column(page, '#IFPower').getByRole('article').nth(2);
  const id = await post.getAttribute('data-post-id');
  const like = page
    .locator(`article[data-post-id="${id}"]`)
    .first()
    .getByRole('button', { name: /^Like, / });
  await expect(like).toHaveAttribute('aria-pressed', 'false');
  const before = Number((await like.getAttribute('aria-label'))!.match(/(\d+) like/)![1]);
  await like.click();
  await expect(like).toHaveAttribute('aria-pressed', 'true');
  await expect
    .poll(async () => Number((await like.getAttribute('aria-label'))!.match(/(\d+) like/)![1]))
    .toBeGreaterThanOrEqual(before + 1);
  await page.reload();
  await expect(
    page
      .locator(`article[data-post-id="${id}"]`)
      .first()
      .getByRole('button', { name: /^Like, / }),
  ).toHaveAttribute('aria-pressed', 'true');
});

test('the accounts dialog lists the practice profile and explains what to connect', async ({ page, harness }) => {
  await page.goto(harness.url);
  await page.getByRole('button', { name: 'Accounts' }).click();
  const dialog = page.getByRole('dialog', { name: 'Accounts' });
  await expect(dialog.getByRole('list', { name: 'Accounts' }).getByRole('listitem')).toHaveCount(1);
  await expect(dialog.getByText('Practice (Sandbox)')).toBeVisible();
  await expect(
    dialog.getByText('No accounts yet: connect X, Bluesky or Mastodon profiles to add their columns.'),
  ).toBeVisible();
  await dialog.getByRole('radio', { name: 'Mastodon' }).check();
  await dialog.getByRole('combobox', { name: 'How to connect' }).selectOption('mastodon-token');
  await dialog.getByRole('textbox', { name: 'Instance address' }).fill('mastodon.social');
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Enter a full address, like https://mastodon.social');
});

test('post as the practice profile; the counter follows the network’s rules and refuses too long a post', async ({
  page,
  harness,
}) => {
  await page.goto(harness.url);
  await page.getByRole('button', { name: 'New post' }).click();
  const compose = page.getByRole('dialog', { name: 'New post' });
  const text = compose.getByRole('textbox', { name: 'Text' });
  await text.fill('👩‍👩‍👧 family day #IFPower');
  await expect(compose.getByText('21 / 500')).toBeVisible(); // one grapheme for the family emoji
  await text.fill('x'.repeat(501));
  await expect(compose.getByText('501 / 500')).toBeVisible();
  await expect(compose.getByRole('button', { name: 'Post', exact: true })).toBeDisabled();
  await text.fill('Practice makes perfect #IFPower');
  await compose.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(compose).toBeHidden();
});

/** Add a column of this kind (and query) through the picker, as a CM would. */
async function addColumn(page: Page, kind: RegExp, query?: { label: string; value: string }) {
  await page.getByRole('button', { name: 'Add column' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a column' });
  await dialog.getByRole('radio', { name: kind }).check();
  if (query) await dialog.getByRole('textbox', { name: query.label }).fill(query.value);
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(dialog).toBeHidden();
}

test('a repost of an old post appears at the top, at the time it was reposted, saying who reposted', async ({
  page,
  harness,
}) => {
  await page.goto(harness.url);
  const home = column(page, 'Home');
  await expect(home.getByRole('article').first()).toBeVisible();
  const articles = home.getByRole('article');
  // Among the newest entries: a repost made a moment ago of a post hours or days old.
  const old = /\b(hours?|days?) ago$/;
  let found = -1;
  for (let i = 0; i < 15 && found < 0; i++) {
    const article = articles.nth(i);
    const label = article.locator('.post-reposted-by');
    if ((await label.count()) === 0) continue;
    if (old.test(await article.locator('.post-head time').innerText())) found = i;
  }
  expect(found, 'a repost of an old post among the first 15 entries of Home').toBeGreaterThanOrEqual(0);
  const repost = articles.nth(found);
  await expect(repost.getByText(/^.+ reposted$/)).toBeVisible();
  const repostedBy = (await repost.getByText(/^.+ reposted$/).innerText()).replace(/ reposted$/, '');
  const author = await repost.locator('.post-head .post-name').innerText();
  expect(author).not.toBe(repostedBy);
  // The entries around it are minutes old: it sits where its repost time puts it, not days down.
  const next = await articles
    .nth(found + 1)
    .locator('time')
    .first()
    .innerText();
  expect(next).toMatch(/^(now|\d+ minutes? ago)$/);
  // Acting on it acts on the original post (its id), not on the repost.
  const postId = await repost.getAttribute('data-post-id');
  expect(await repost.getAttribute('data-entry-key')).not.toBe(postId);
});

test('a sensitive image is hidden until clicked, then shown', async ({ page, harness }) => {
  await page.goto(harness.url);
  const home = column(page, 'Home');
  await expect(home.getByRole('article').first()).toBeVisible();
  const show = home.getByRole('button', { name: 'Show media' }).first();
  await expect(show).toBeVisible();
  await expect(show).toHaveAttribute('aria-expanded', 'false');
  const article = home
    .getByRole('article')
    .filter({ has: page.getByRole('button', { name: 'Show media' }) })
    .first();
  const id = await article.getAttribute('data-entry-key');
  const post = home.locator(`article[data-entry-key="${id}"]`);
  await expect(post.getByText(/^(Sensitive media|Label: Graphic media)$/)).toBeVisible();
  await expect(post.getByRole('img', { name: /^Image: / })).toHaveCount(0);
  await expect(post.locator('.media img')).toHaveCount(0);
  await post.getByRole('button', { name: 'Show media' }).click();
  await expect(post.getByRole('img', { name: /^Image: / }).first()).toBeVisible();
  await expect(post.locator('.media img').first()).toHaveAttribute('src', /^data:image\/svg\+xml,/);
  await expect(post.getByRole('button', { name: 'Hide media' })).toHaveAttribute('aria-expanded', 'true');
});

test('a Hebrew post is laid out right to left, an English one left to right, in the same column', async ({
  page,
  harness,
}) => {
  await page.goto(harness.url);
  await addColumn(page, /^User/, { label: 'Handle', value: '@noa.rides' });
  const noa = column(page, '@noa.rides');
  const hebrew = noa
    .getByRole('article')
    .filter({ hasNot: page.locator('.post-reposted-by') })
    .first();
  await expect(hebrew).toBeVisible();
  const text = hebrew.locator('.post-text');
  expect(await text.innerText()).toMatch(/^[\u0590-\u05FF]/);
  expect(await text.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
  expect(await hebrew.locator('.post-name').evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
  // Its punctuation ends on the left, where a right-to-left sentence ends.
  const box = await text.boundingBox();
  const end = await text.evaluate((el) => {
    const range = document.createRange();
    const node = [...el.childNodes].find((n) => n.textContent?.trim())!;
    const first = node.firstChild ?? node;
    range.setStart(first, 0);
    range.setEnd(first, 1);
    return range.getBoundingClientRect().right;
  });
  expect(end).toBeGreaterThan(box!.x + box!.width / 2); // the first letter is on the right
  const english = column(page, 'Home').locator('.post-text').first();
  expect(await english.evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
});

test('a notifications column says who liked, reposted and followed', async ({ page, harness }) => {
  await page.goto(harness.url);
  await addColumn(page, /^Notifications/);
  const notes = column(page, 'Notifications');
  await expect(notes.getByRole('article').first()).toBeVisible();
  const feed = notes.getByRole('feed', { name: 'Posts in Notifications' });
  await expect(feed.getByRole('article', { name: / liked your post, / }).first()).toBeAttached();
  const liked = feed.getByRole('article', { name: / liked your post, / }).first();
  await liked.scrollIntoViewIfNeeded();
  await expect(liked.getByText(/^.+ liked your post$/)).toBeVisible();
  // The post that was liked is the practice profile's own.
  await expect(liked).toContainText('#IFPower');
  const followed = feed.getByRole('article', { name: / followed you, / }).first();
  await followed.scrollIntoViewIfNeeded();
  await expect(followed.getByText(/^.+ followed you$/)).toBeVisible();
  await expect(followed.locator('.post-text')).toHaveCount(0);
  await expect(feed.getByRole('article', { name: / reposted your post, / }).first()).toBeAttached();
});

test('a damaged layout file: the deck starts from the default and a notice says which file and where the old copy is', async ({
  page,
}) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonnade-e2e-damaged-'));
  fs.writeFileSync(path.join(dataDir, 'layout.json'), '{"schemaVersion": 1, "decks": [ {"id": "d1", "na');
  const harness = await startHarness({ dataDir });
  try {
    await page.goto(harness.url);
    const notice = page.getByRole('alert').filter({ hasText: 'Your decks and columns could not be read' });
    await expect(notice).toBeVisible();
    await expect(notice).toContainText('reset to the starting one');
    const kept = fs.readdirSync(dataDir).find((f) => f.startsWith('layout') && f !== 'layout.json');
    expect(kept).toBeDefined();
    await expect(notice).toContainText(kept!);
    await expect(column(page, 'Home').getByRole('article').first()).toBeVisible();

    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await expect(notice).toHaveCount(0);
    await page.reload();
    await expect(column(page, 'Home')).toBeVisible();
    await expect(page.getByText('Your decks and columns could not be read')).toHaveCount(0);
  } finally {
    await harness.stop();
  }
});
