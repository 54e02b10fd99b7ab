// Post actions from a column, in Chromium against the headless host (issue 7, "Reading"), by
// keyboard only: R replies and Q quotes with the post shown in the composer (the quote then
// appears in Home, quoting the post), O opens the post's thread and P its author's profile in the
// side panel, Escape closes it and focus comes back to the post. With SCREENSHOTS_DIR set, the
// composer with its context and the panel are saved there as PNG files.
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { column } from './support/deck';
import { expect, test } from './support/fixtures';

async function shot(page: Page, name: string) {
  const dir = process.env.SCREENSHOTS_DIR;
  if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

/** Tab forward until `target` has focus (at most 30 presses), as a keyboard user gets there. */
async function tabTo(page: Page, target: Locator) {
  for (let i = 0; i < 30; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

/**
 * Shows what waits behind "N new posts" (the column holds new posts back while the reader is on
 * a post) until an article with `words` is there, by keyboard: focus the marker, Enter.
 */
async function showNew(page: Page, home: Locator, words: string) {
  const mine = home.getByRole('article').filter({ hasText: words });
  await expect(async () => {
    if ((await mine.count()) === 0) {
      const marker = home.getByRole('button', { name: /^\d+ new posts?$/ });
      await marker.focus({ timeout: 1_000 });
      await page.keyboard.press('Enter');
    }
    await expect(mine).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  return mine;
}

/** The first post of Home by someone else that is not a repost, a reply or a notification (words to find it by). */
async function plainPost(home: Locator) {
  const article = home
    .getByRole('article')
    .filter({ hasNot: home.page().locator('.post-context, .post-cw, .quote') })
    .first();
  await expect(article).toBeVisible();
  // Found by its id from here: the filter would find another post once new ones arrive.
  const id = (await article.getAttribute('data-post-id'))!;
  const found = home.locator(`article[data-post-id="${id}"]`).first();
  const handle = (await found.locator('.post-head .post-handle').textContent())!;
  const text = (await found.locator('.post-text').first().textContent())!;
  return { article: found, id, handle, text };
}

test('R replies and Q quotes from the keyboard, with the post shown; the quote appears in Home', async ({
  page,
  harness,
}) => {
  await page.goto(harness.url);
  const home = column(page, 'Home');
  const target = await plainPost(home);
  await target.article.focus();

  // R: the composer names the reply, shows the post read-only, and the text starts with the handle.
  await page.keyboard.press('r');
  const reply = page.getByRole('dialog', { name: /^Reply to / });
  await expect(reply).toBeVisible();
  const context = reply.getByRole('region', { name: `Replying to ${target.handle}` });
  await expect(context.locator('.post-text')).toHaveText(target.text);
  await expect(context.locator('.post-text')).toHaveAttribute('dir', 'auto');
  await expect(reply.getByText('Replying as @practice')).toBeVisible();
  const text = reply.getByRole('textbox', { name: 'Text' });
  await expect(text).toBeFocused();
  await expect(text).toHaveValue(`${target.handle} `);
  await page.keyboard.type('Thanks for riding with us');
  await shot(page, 'composer-reply');
  await tabTo(page, reply.getByRole('button', { name: 'Reply', exact: true }));
  await page.keyboard.press('Enter');
  await expect(reply).toBeHidden();
  // Focus is back on the post replied to.
  await expect(target.article).toBeFocused();
  await showNew(page, home, 'Thanks for riding with us');

  // Q: a quote of the same post, which appears in Home with the quoted post inside.
  await target.article.focus();
  await page.keyboard.press('q');
  const quote = page.getByRole('dialog', { name: /^Quote / });
  await expect(quote.getByRole('region', { name: `Quoting ${target.handle}` })).toBeVisible();
  await expect(quote.getByRole('textbox', { name: 'Text' })).toBeFocused();
  await expect(quote.getByRole('textbox', { name: 'Text' })).toHaveValue('');
  await page.keyboard.type('Look at this ride #IFPower');
  await shot(page, 'composer-quote');
  await tabTo(page, quote.getByRole('button', { name: 'Post', exact: true }));
  await page.keyboard.press('Enter');
  await expect(quote).toBeHidden();
  const quoting = await showNew(page, home, 'Look at this ride');
  await expect(quoting.getByRole('group', { name: /^Quoted post by / })).toContainText(target.text);
});

test('O opens the thread and P the author’s profile in the side panel; Escape gives focus back', async ({
  page,
  harness,
}) => {
  await page.goto(harness.url);
  const home = column(page, 'Home');
  const target = await plainPost(home);
  const name = (await target.article.locator('.post-head .post-name').textContent())!;
  // A reply first (keyboard only), to find in the thread.
  await target.article.focus();
  await page.keyboard.press('r');
  const reply = page.getByRole('dialog', { name: /^Reply to / });
  // The composer's code loads on first use: keys typed before it is there would go to the post.
  await expect(reply.getByRole('textbox', { name: 'Text' })).toBeFocused();
  await page.keyboard.type('Counting on it');
  await tabTo(page, reply.getByRole('button', { name: 'Reply', exact: true }));
  await page.keyboard.press('Enter');
  await expect(reply).toBeHidden();
  await expect(target.article).toBeFocused();

  // O: the thread, in a complementary region named by its title, focus on the title.
  await page.keyboard.press('o');
  const thread = page.getByRole('complementary', { name: 'Thread' });
  await expect(thread).toBeVisible();
  await expect(thread.getByRole('heading', { name: 'Thread' })).toBeFocused();
  const feed = thread.getByRole('feed', { name: 'Posts in the thread' });
  const focal = feed.locator('article[aria-current="true"]');
  await expect(focal).toHaveAttribute('data-post-id', target.id);
  await expect(focal.locator('.post-text').first()).toHaveText(target.text);
  // The reply is below it, indented, saying whom it answers; Page Down walks to it.
  const mine = feed.getByRole('article').filter({ hasText: 'Counting on it' });
  await expect(mine).toHaveAccessibleName(new RegExp(`, replying to ${name}$`));
  await expect(mine.locator('xpath=..')).toHaveClass(/reply/);
  await focal.focus();
  await page.keyboard.press('PageDown');
  await expect(feed.locator('article:focus')).toHaveCount(1);
  await expect(focal).not.toBeFocused();
  await thread.getByRole('heading').focus();
  await shot(page, 'panel-thread');
  await page.keyboard.press('Escape');
  await expect(thread).toBeHidden();
  await expect(target.article).toBeFocused();

  // P: the author's profile, with counts and the author's posts; "Load more posts" by keyboard.
  await page.keyboard.press('p');
  const handle = target.handle.replace(/^@/, '');
  const profile = page.getByRole('complementary', { name: `Profile of @${handle}` });
  await expect(profile).toBeVisible();
  await expect(profile.getByRole('heading', { name: `Profile of @${handle}` })).toBeFocused();
  await expect(profile.locator('.profile-counts li')).toHaveCount(3);
  await expect(profile.locator('.profile-counts')).toContainText(/\d[\d,]* followers?/);
  const posts = profile.getByRole('feed', { name: `Posts by @${handle}` });
  await expect(posts.getByRole('article').first()).toBeVisible();
  await shot(page, 'panel-profile');
  const more = profile.getByRole('button', { name: 'Load more posts' });
  if (await more.count()) {
    const before = await posts.getByRole('article').count();
    // Into the posts with Tab, then out of them to what follows with Ctrl+End (the feed pattern).
    await tabTo(page, posts.getByRole('article').first());
    await page.keyboard.press('Control+End');
    await expect(more).toBeFocused();
    await page.keyboard.press('Enter');
    await expect.poll(() => posts.getByRole('article').count()).toBeGreaterThan(before);
    // Focus went to the first post it brought.
    await expect(posts.getByRole('article').nth(before)).toBeFocused();
  }
  await page.keyboard.press('Escape');
  await expect(profile).toBeHidden();
  await expect(target.article).toBeFocused();
});

test('the panel and the composer in French', async ({ page, harness }) => {
  await page.goto(harness.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
  await page.keyboard.press('Escape');
  const home = column(page, 'Accueil');
  const target = await plainPost(home);
  await target.article.focus();
  await page.keyboard.press('o');
  const thread = page.getByRole('complementary', { name: 'Conversation' });
  await expect(thread.getByRole('feed', { name: 'Publications de la conversation' })).toBeVisible();
  await expect(thread.getByRole('button', { name: 'Fermer le panneau latéral' })).toBeVisible();
  await page.keyboard.press('Escape');
  await target.article.focus();
  await page.keyboard.press('r');
  const reply = page.getByRole('dialog', { name: /^Répondre à / });
  await expect(reply.getByRole('region', { name: `En réponse à ${target.handle}` })).toBeVisible();
  await expect(reply.getByRole('button', { name: 'Répondre', exact: true })).toBeVisible();
  await shot(page, 'composer-reply-fr');
});
