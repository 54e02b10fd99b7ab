// The deck as a CM meets it, in Chromium against the headless host.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { startHarness } from './support/harness';
import { addColumn, column, openColumn, pageErrors, regionTitles } from './support/deck';
import { expect, test } from './support/fixtures';

/** Unfold every post shown behind a content warning, as a reader checking the column would. */
async function unfoldAll(region: ReturnType<typeof column>) {
  const show = region.getByRole('button', { name: 'Show post' });
  while ((await show.count()) > 0) await show.first().click();
}

test('first launch shows the Sandbox deck with live posts, clearly marked as practice data', async ({
  page,
  harness,
}) => {
  const errors = pageErrors(page);
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
  await openColumn(page, harness.url, '#IFPower');

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
        'Its column goes with it.',
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
  await openColumn(page, harness.url, 'Home', { posts: false });
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
  await dialog.getByRole('textbox', { name: 'Instance address' }).fill('mastodon social');
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Enter the instance’s address, like https://mastodon.social');
});

test('post as the practice profile; the counter follows the network’s rules and refuses too long a post', async ({
  page,
  harness,
}) => {
  await page.goto(harness.url);
  await page.getByRole('button', { name: 'New post' }).click();
  const compose = page.getByRole('dialog', { name: 'New post' });
  const text = compose.getByRole('textbox', { name: 'Text' });
  // The text has the focus: what is typed at once goes there, not to a profile's checkbox.
  await expect(text).toBeFocused();
  await text.fill('👩‍👩‍👧 family day #IFPower');
  await expect(compose.getByText('21 / 500')).toBeVisible(); // one grapheme for the family emoji
  await text.fill('x'.repeat(501));
  await expect(compose.locator('#compose-count')).toHaveText('501 / 500');
  await expect(compose.getByRole('button', { name: 'Post', exact: true })).toBeDisabled();
  await text.fill('Practice makes perfect #IFPower');
  await compose.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(compose).toBeHidden();
});

test('a repost of an old post appears at the top, at the time it was reposted, saying who reposted', async ({
  page,
  harness,
}) => {
  const home = await openColumn(page, harness.url, 'Home');
  const articles = home.getByRole('article');
  // Among the newest entries: a repost made a moment ago of a post hours or days old.
  const ageOf = async (time: ReturnType<Page['locator']>) =>
    Date.now() - Date.parse((await time.getAttribute('datetime'))!);
  let found = -1;
  for (let i = 0; i < 15 && found < 0; i++) {
    const article = articles.nth(i);
    const label = article.locator('.post-reposted-by');
    if ((await label.count()) === 0) continue;
    if ((await ageOf(article.locator('.post-head time'))) >= 3_600_000) found = i;
  }
  expect(found, 'a repost of an old post among the first 15 entries of Home').toBeGreaterThanOrEqual(0);
  const repost = articles.nth(found);
  await expect(repost.getByText(/^.+ reposted$/)).toBeVisible();
  const repostedBy = (await repost.getByText(/^.+ reposted$/).innerText()).replace(/ reposted$/, '');
  const author = await repost.locator('.post-head .post-name').innerText();
  expect(author).not.toBe(repostedBy);
  // The entries around it are minutes old: it sits where its repost time puts it, not days down.
  expect(
    await ageOf(
      articles
        .nth(found + 1)
        .locator('time')
        .first(),
    ),
  ).toBeLessThan(3_600_000);
  // Its name says who reposted it.
  await expect(repost).toHaveAttribute('aria-label', new RegExp(`, reposted by ${repostedBy}$`));
  // Acting on it acts on the original post (its id), not on the repost.
  const postId = await repost.getAttribute('data-post-id');
  expect(await repost.getAttribute('data-entry-key')).not.toBe(postId);
});

test('a sensitive image is hidden until clicked, then shown', async ({ page, harness }) => {
  const home = await openColumn(page, harness.url, 'Home');
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

test('the composer’s code cannot load: it says so, the deck stays, and “Try again” opens it', async ({
  page,
  harness,
}) => {
  // The composer is its own chunk, loaded on first use; here its load fails as it does when the
  // core has gone away.
  await page.route(/ComposeDialog[^/]*\.js$/, (route) => route.abort());
  await openColumn(page, harness.url, 'Home');

  await page.getByRole('button', { name: 'New post' }).click();
  const failed = page.getByRole('alert').filter({ hasText: 'This window could not be opened' });
  await expect(failed).toBeVisible();
  // The rest of the window is still there and usable.
  await expect(column(page, 'Home').getByRole('article').first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add column' })).toBeEnabled();

  await page.unroute(/ComposeDialog[^/]*\.js$/);
  await failed.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('dialog', { name: 'New post' })).toBeVisible();
});

/** What has focus: the entry key and position of its article, or its own name and tag. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement!;
    const article = el.closest('article');
    return {
      tag: el.tagName,
      name: el.getAttribute('aria-label') ?? el.textContent ?? '',
      posinset: article ? Number(article.getAttribute('aria-posinset')) : null,
      column: el.closest('section.column')?.querySelector('h2')?.textContent ?? null,
    };
  });

test('the feed: Page Down / Page Up move between articles, Ctrl+End / Ctrl+Home leave the feed, focus is never lost', async ({
  page,
  harness,
}) => {
  await page.goto(harness.url);
  const home = column(page, 'Home');
  const feed = home.getByRole('feed', { name: 'Posts in Home' });
  await expect(feed.getByRole('article').first()).toBeVisible();
  // The list's scroller is no tab stop of its own; the size is unknown until the beginning.
  await expect(home.locator('[data-virtuoso-scroller]')).not.toHaveAttribute('tabindex', /.*/);
  await expect(feed.getByRole('article').first()).toHaveAttribute('aria-setsize', '-1');
  await expect(feed).toHaveAttribute('aria-busy', 'false');

  await feed.getByRole('article').first().focus();
  // Past the articles the virtual list has rendered: each press moves to the next one.
  for (let i = 2; i <= 26; i++) {
    await page.keyboard.press('PageDown');
    await expect.poll(async () => (await focused(page)).posinset, { message: `Page Down ${i - 1}` }).toBe(i);
  }
  const scroller = home.locator('[data-virtuoso-scroller]');
  expect(await scroller.evaluate((el) => el.scrollTop)).toBeGreaterThan(1000);
  for (let i = 25; i >= 23; i--) {
    await page.keyboard.press('PageUp');
    await expect.poll(async () => (await focused(page)).posinset).toBe(i);
  }
  // The focused article is in view, its start at the top of the column.
  const view = (await scroller.boundingBox())!;
  await expect
    .poll(async () => {
      const box = (await page.locator('article:focus').boundingBox())!;
      return box.y >= view.y - 1 && box.y < view.y + view.height / 2;
    })
    .toBe(true);

  // Ctrl+End: the first focusable element after the feed (its column's width handle), and one
  // Tab later the next column: two presses, not a hundred.
  await page.keyboard.press('Control+End');
  expect(await focused(page)).toMatchObject({ name: 'Width of column Home', posinset: null });
  await page.keyboard.press('Tab');
  expect((await focused(page)).name).toBe('Reorder column #IFPower');

  // Ctrl+Home: the last focusable element before the feed, in the same column.
  await feed.getByRole('article').first().focus();
  await page.keyboard.press('Control+Home');
  const before = await focused(page);
  expect(before.posinset).toBeNull();
  expect(before.column).toBe('Home');
  expect(['Remove column', 'Dismiss'].includes(before.name) || /^\d+ new posts?$/.test(before.name)).toBe(true);

  // The focused article scrolled far out of the virtual list: focus stays in the feed.
  await feed.getByRole('article').nth(1).focus();
  await scroller.evaluate((el) => (el.scrollTop += 6000));
  await page.waitForTimeout(500);
  const after = await focused(page);
  expect(after.tag).toBe('ARTICLE');
  expect(after.column).toBe('Home');
});

test('Show media / Hide media keep the focus; “new posts” is announced and focuses the first new post', async ({
  page,
  harness,
}) => {
  const home = await openColumn(page, harness.url, 'Home');
  const show = home.getByRole('button', { name: 'Show media' }).first();
  const key = await show.locator('xpath=ancestor::article[1]').getAttribute('data-entry-key');
  const post = home.locator(`article[data-entry-key="${key}"]`);
  await show.focus();
  await page.keyboard.press('Enter');
  await expect(post.getByRole('button', { name: 'Hide media' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(post.getByRole('button', { name: 'Show media' })).toBeFocused();

  // Reading further down, new posts wait behind the marker, said once politely.
  await home.getByRole('article').nth(2).focus();
  await home.locator('[data-virtuoso-scroller]').evaluate((el) => (el.scrollTop += 1500));
  const marker = home.getByRole('button', { name: /^\d+ new posts?$/ });
  await expect(marker).toBeVisible({ timeout: 30_000 });
  const status = home.getByRole('status').filter({ hasText: /^\d+ new posts?$/ });
  await expect(status).toHaveText(/^\d+ new posts?$/);
  await marker.focus();
  await page.keyboard.press('Enter');
  await expect(marker).toHaveCount(0);
  await expect.poll(async () => (await focused(page)).posinset).toBe(1);
  expect((await focused(page)).column).toBe('Home');
  await expect(status).toHaveCount(0); // nothing left to announce
});

test('a narrow column: whole handles or none, compact times, context lines wrap instead of cutting', async ({
  page,
  harness,
}) => {
  await page.setViewportSize({ width: 800, height: 850 });
  await page.goto(harness.url);
  await addColumn(page, /^Notifications/);
  for (const title of ['Home', 'Notifications']) {
    const separator = page.getByRole('separator', { name: `Width of column ${title}` });
    await separator.focus();
    await page.keyboard.press('Home');
    await expect(separator).toHaveAttribute('aria-valuenow', '260');
  }
  for (const title of ['Home', 'Notifications']) {
    const region = column(page, title);
    await expect(region.getByRole('article').first()).toBeVisible();
    const report = await region.evaluate((section) => {
      const out: string[] = [];
      for (const head of section.querySelectorAll<HTMLElement>('.post-head')) {
        const who = head.querySelector('.post-who')!.getBoundingClientRect();
        const handle = head.querySelector('.post-handle')!.getBoundingClientRect();
        const name = head.querySelector('.post-name')!.getBoundingClientRect();
        const time = head.querySelector('time')!.getBoundingClientRect();
        const shown = handle.top < who.bottom - 1;
        // A handle is shown whole beside the name, or not at all (clipped below the line).
        if (shown && (handle.right > who.right + 0.5 || handle.width === 0))
          out.push(`cut handle: ${head.textContent}`);
        if (name.right > time.left + 0.5) out.push(`name under the time: ${head.textContent}`);
        const text = head.querySelector('time')!.textContent!;
        if (!/^(now|\d+ (min|hr|days?)|\d{1,2} [A-Z][a-z]{2}( \d{4})?)$/.test(text)) out.push(`long time: ${text}`);
      }
      // "Lena Schmidt replied to your post": never cut with an ellipsis.
      for (const line of section.querySelectorAll<HTMLElement>('.post-context > span, .notification-text')) {
        if (line.scrollWidth > line.clientWidth + 1) out.push(`cut: ${line.textContent}`);
      }
      // A notification's time follows its sentence (on its last line or below), not beside it.
      for (const head of section.querySelectorAll<HTMLElement>('.notification-head')) {
        const lines = head.querySelector('.notification-text')!.getClientRects();
        const time = head.querySelector('time')!.getBoundingClientRect();
        if (time.top < lines[lines.length - 1]!.top - 2) out.push(`time beside: ${head.textContent}`);
      }
      return { out, heads: section.querySelectorAll('.post-head').length };
    });
    expect(report.heads, title).toBeGreaterThan(0);
    expect(report.out, title).toEqual([]);
  }
  // Some handle is hidden at this width, and none is reduced to a lone "@".
  await expect(page.locator('.post-handle').first()).toBeAttached();
  await expect(
    column(page, 'Home')
      .locator('.post-head time')
      .filter({ hasText: /^\d+ (min|hr|days?)$/ })
      .first(),
  ).toBeAttached();
});

test('an image that cannot load says so in words, with its description', async ({ page, harness }) => {
  await openColumn(page, harness.url, 'Home');
  // The first picture shown in a column (scrolling down until there is one).
  const loaded = page.locator('.media:has(img)');
  for (let i = 0; i < 30 && (await loaded.count()) === 0; i++) {
    await page.locator('[data-virtuoso-scroller]').evaluateAll((els) => els.forEach((el) => (el.scrollTop += 500)));
    await page.waitForTimeout(200);
  }
  const image = loaded.first();
  await image.scrollIntoViewIfNeeded();
  const key = await image.locator('xpath=ancestor::article[1]').getAttribute('data-entry-key');
  const post = page.locator(`article[data-entry-key="${key}"]`).first();
  const described = (await image.getAttribute('aria-label'))!.replace(/^Image: /, '');
  // The address stops answering (offline, expired).
  await image.locator('img').evaluate((img: HTMLImageElement) => (img.src = 'https://127.0.0.1:9/gone.png'));
  const failed = post.getByRole('img', { name: `The image could not be loaded: ${described}` });
  await expect(failed).toBeVisible();
  await expect(failed).toContainText('The image could not be loaded');
  await expect(failed).toContainText(described);
  await expect(failed.locator('img')).toHaveCount(0);
});

test('a feed gives its size only once the column has reached the beginning of its history', async ({
  page,
  harness,
}) => {
  await page.goto(harness.url);
  await addColumn(page, /^User/, { label: 'Handle', value: '@noa.rides' });
  const noa = column(page, '@noa.rides');
  const feed = noa.getByRole('feed', { name: 'Posts in @noa.rides' });
  await expect(feed.getByRole('article').first()).toHaveAttribute('aria-setsize', '-1');
  const scroller = noa.locator('[data-virtuoso-scroller]');
  const end = noa.getByText('You have reached the beginning.');
  for (let i = 0; i < 40 && (await end.count()) === 0; i++) {
    await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForTimeout(300);
  }
  await expect(end).toBeVisible();
  await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
  // The last article is the last of the set.
  const last = feed.getByRole('article').last();
  await expect
    .poll(async () => (await last.getAttribute('aria-setsize')) === (await last.getAttribute('aria-posinset')))
    .toBe(true);
  const size = Number(await last.getAttribute('aria-setsize'));
  expect(size).toBeGreaterThan(40);
  await expect(feed.getByRole('article').first()).toHaveAttribute('aria-setsize', String(size));
  await expect(feed).toHaveAttribute('aria-busy', 'false');
});

test('closing any dialog gives focus back to the control that opened it', async ({ page, harness }) => {
  await openColumn(page, harness.url, 'Home');
  const dialog = page.getByRole('dialog');
  const ways: Array<[string, 'Escape' | 'Cancel' | 'Close']> = [
    ['New deck', 'Escape'],
    ['Rename deck', 'Cancel'],
    ['Delete deck', 'Close'],
    ['Settings', 'Close'],
    ['Accounts', 'Escape'],
    ['New post', 'Escape'],
    ['Add column', 'Cancel'],
  ];
  for (const [name, how] of ways) {
    const opener = page.getByRole('banner').getByRole('button', { name, exact: true });
    await opener.focus();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeVisible();
    await expect(opener).not.toBeFocused();
    if (how === 'Escape') await page.keyboard.press('Escape');
    else await dialog.getByRole('button', { name: how, exact: true }).click();
    await expect(dialog).toHaveCount(0);
    await expect(opener, `focus after closing ${name} with ${how}`).toBeFocused();
  }
  // After the dialog's work succeeded, too.
  const rename = page.getByRole('button', { name: 'Rename deck', exact: true });
  await rename.click();
  await dialog.getByRole('textbox', { name: 'Deck name' }).fill('Brand');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: 'Brand' })).toBeVisible();
  await expect(rename).toBeFocused();
  const add = page.getByRole('button', { name: 'Add column', exact: true });
  await add.click();
  await dialog.getByRole('radio', { name: /^Mentions/ }).check();
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(column(page, 'Mentions')).toBeVisible();
  await expect(add).toBeFocused();
});

test('two damaged files: each notice’s button names its file, and dismissing moves focus on, never to the page', async ({
  page,
}) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonnade-e2e-notices-'));
  fs.writeFileSync(path.join(dataDir, 'layout.json'), '{"schemaVersion": 1, "decks": [ {"id": "d1", "na');
  fs.writeFileSync(path.join(dataDir, 'settings.json'), '{"schemaVersion": 1, "lang');
  const harness = await startHarness({ dataDir });
  try {
    await page.goto(harness.url);
    const layoutButton = page.getByRole('button', { name: 'Dismiss the notice about your decks and columns' });
    const settingsButton = page.getByRole('button', { name: 'Dismiss the notice about your settings' });
    await expect(layoutButton).toBeVisible();
    await expect(settingsButton).toBeVisible();
    const first = page.locator('.notice-banner button').first();
    const firstName = await first.getAttribute('aria-label');
    const second = firstName === (await layoutButton.getAttribute('aria-label')) ? settingsButton : layoutButton;
    await first.focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('.notice-banner')).toHaveCount(1);
    await expect(second).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('.notice-banner')).toHaveCount(0);
    await expect(page.getByRole('tabpanel')).toBeFocused();
  } finally {
    await harness.stop();
  }
});

test('the top bar at ordinary widths: the deck tab whole, the toolbar on one line, its buttons named', async ({
  page,
  harness,
}) => {
  await page.goto(harness.url);
  const tab = page.getByRole('tab', { name: 'Sandbox' });
  const toolbarHeight = () => page.locator('.toolbar').evaluate((el) => el.getBoundingClientRect().height);
  const check = async (width: number) => {
    await page.setViewportSize({ width, height: 700 });
    await expect(tab).toBeVisible();
    const tabs = await page.getByRole('tablist').evaluate((el) => el.getBoundingClientRect().width);
    expect(tabs, `tabs at ${width} px`).toBeGreaterThanOrEqual(120);
    // The tab's name is not cut ("Sandbo").
    expect(await tab.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await toolbarHeight(), `one line at ${width} px`).toBeLessThan(40);
  };
  for (const width of [1400, 800, 600]) await check(width);
  // Narrow, the buttons show their icon only, keep their name and say it as a tooltip.
  const compose = page.getByRole('button', { name: 'New post', exact: true });
  await expect(compose).toHaveAttribute('title', 'New post');
  await expect(compose.locator('.tool-label')).toBeHidden();
  // French words are longer: at 900 px too.
  await page.setViewportSize({ width: 1400, height: 700 });
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Nouvelle publication' })).toBeVisible();
  for (const width of [900, 1200]) await check(width);
  await page.screenshot({ path: test.info().outputPath('topbar-fr-900.png') });
});

test('past the limit the composer says why Post is off, and speaks only when crossing a threshold', async ({
  page,
  harness,
}) => {
  await page.goto(harness.url);
  await page.getByRole('button', { name: 'New post' }).click();
  const compose = page.getByRole('dialog', { name: 'New post' });
  const text = compose.getByRole('textbox', { name: 'Text' });
  const spoken = compose.getByTestId('compose-announce');
  await text.fill('x'.repeat(300));
  await expect(spoken).toHaveText('');
  await text.fill('x'.repeat(460));
  await expect(spoken).toHaveText('Close to the limit: 460 / 500 characters');
  await text.press('End');
  await text.pressSequentially('yyy');
  await expect(compose.getByText('463 / 500')).toBeVisible();
  await expect(spoken).toHaveText('Close to the limit: 460 / 500 characters'); // not every key
  await text.fill('x'.repeat(505));
  const why = compose.locator('#compose-over');
  await expect(why).toHaveText('Too long for Sandbox: 505 / 500 characters');
  await expect(spoken).toHaveText('Too long for Sandbox: 505 / 500 characters');
  await expect(text).toHaveAccessibleDescription(/Too long for Sandbox: 505 \/ 500 characters/);
  await expect(compose.getByRole('button', { name: 'Post', exact: true })).toBeDisabled();
  await expect(compose.locator('[aria-live]')).toHaveCount(0);
  await text.fill('Within again');
  await expect(why).toHaveCount(0);
  await expect(spoken).toHaveText('Within the limit again: 12 / 500 characters');
});

test('posts made as the practice profile appear in Home, its own column and the hashtag column, at their time', async ({
  page,
  harness,
}) => {
  await page.goto(harness.url);
  await addColumn(page, /^User/, { label: 'Handle', value: '@practice' });
  await page.getByRole('button', { name: 'New post' }).click();
  const compose = page.getByRole('dialog', { name: 'New post' });
  await compose.getByRole('textbox', { name: 'Text' }).fill('Our saddle giveaway starts now #IFPower');
  await compose.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(compose).toBeHidden();
  for (const title of ['Home', '#IFPower', '@practice']) {
    const mine = column(page, title).getByRole('article').filter({ hasText: 'Our saddle giveaway starts now' });
    await expect(mine, title).toHaveCount(1, { timeout: 15_000 });
    await expect(mine.locator('.hashtag', { hasText: '#IFPower' })).toBeVisible();
  }
});

test('a hashtag with a space is refused in words, and a Search column is offered instead', async ({
  page,
  harness,
}) => {
  await page.goto(harness.url);
  await page.getByRole('button', { name: 'Add column' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a column' });
  await dialog.getByRole('radio', { name: /^Hashtag/ }).check();
  await dialog.getByRole('textbox', { name: 'Hashtag' }).fill('#saddle giveaway');
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(dialog.getByRole('alert')).toContainText(
    'A hashtag has no spaces. To follow posts with several words, add a Search column instead.',
  );
  await dialog.getByRole('button', { name: 'Search for “saddle giveaway” instead' }).click();
  await expect(dialog.getByRole('radio', { name: /^Search/ })).toBeChecked();
  await expect(dialog.getByRole('textbox', { name: 'Keywords' })).toHaveValue('saddle giveaway');
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(column(page, '“saddle giveaway”')).toBeVisible();
});

test('a like while the core is away shows as pending, then is undone in words', async ({ page, harness }) => {
  await page.goto(harness.url);
  const home = column(page, 'Home');
  const id = await home.getByRole('article').nth(1).getAttribute('data-post-id');
  const post = home.locator(`article[data-post-id="${id}"]`).first();
  const like = post.getByTestId('likes');
  const before = await like.getAttribute('aria-label');
  await expect(like).toHaveAttribute('aria-pressed', 'false');
  await harness.stop();
  await expect(page.getByText('Lost the connection to Colonnade')).toBeVisible();
  await like.click();
  await expect(like).toHaveAttribute('aria-pressed', 'true');
  await expect(post.getByRole('status')).toHaveText('Sending…');
  await expect(home.getByRole('alert')).toHaveText(
    'Colonnade’s core is not answering, so nothing was done. Try again once it is back.',
    { timeout: 15_000 },
  );
  await expect(like).toHaveAttribute('aria-pressed', 'false');
  await expect(like).toHaveAttribute('aria-label', before!);
  await expect(post.getByRole('status')).toHaveCount(0);
});

test('Accounts: a bare instance address is taken, each network keeps its method, a web site is not a server', async ({
  page,
  harness,
}) => {
  // A web site on this machine: every path answers 404 with an HTML page.
  const http = await import('node:http');
  const site = http.createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<!doctype html><h1>Not found</h1>');
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const port = (site.address() as { port: number }).port;
  try {
    await page.goto(harness.url);
    await page.getByRole('button', { name: 'Accounts' }).click();
    const dialog = page.getByRole('dialog', { name: 'Accounts' });
    const connect = async () => {
      await dialog.getByRole('button', { name: 'Connect' }).click();
      // This machine has no keyring: say yes to storing without one.
      await dialog.getByRole('button', { name: 'Store anyway' }).click();
    };
    await dialog.getByRole('radio', { name: 'Mastodon' }).check();
    const method = dialog.getByRole('combobox', { name: 'How to connect' });
    await method.selectOption('mastodon-token');
    await dialog.getByRole('radio', { name: 'Bluesky' }).check();
    await dialog.getByRole('radio', { name: 'Mastodon' }).check();
    await expect(method).toHaveValue('mastodon-token');

    await dialog.getByRole('textbox', { name: 'Instance address' }).fill(`http://127.0.0.1:${port}`);
    await dialog.getByRole('textbox', { name: 'Access token' }).fill('a-token');
    await connect();
    await expect(dialog.getByRole('alert')).toHaveText(
      'That address does not answer as Mastodon servers do; check it.',
    );

    await dialog.getByRole('radio', { name: 'Bluesky' }).check();
    await dialog.getByRole('textbox', { name: /^Service/ }).fill(`http://127.0.0.1:${port}`);
    await dialog.getByRole('textbox', { name: 'Handle or email' }).fill('brand.bsky.social');
    await dialog.getByRole('textbox', { name: 'App password' }).fill('abcd-efgh-ijkl-mnop');
    await connect();
    await expect(dialog.getByRole('alert')).toHaveText('That address does not answer as Bluesky servers do; check it.');
    await dialog.getByRole('textbox', { name: /^Service/ }).fill('bsky social');
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await expect(dialog.getByRole('alert')).toHaveText('Enter the server’s address, like https://bsky.social');

    // A bare host is an address (https:// added): here nobody answers on it.
    await dialog.getByRole('radio', { name: 'Mastodon' }).check();
    await dialog.getByRole('textbox', { name: 'Instance address' }).fill('127.0.0.1:1');
    await dialog.getByRole('textbox', { name: 'Access token' }).fill('a-token');
    await connect();
    await expect(dialog.getByRole('alert')).toHaveText(
      'Colonnade cannot reach that server; check the address and the connection.',
    );
  } finally {
    site.close();
  }
});
