// Steps on the deck that the end-to-end specs share: finding a column by its title, opening the
// app on a column, adding a column through "Add a column", and catching the page's uncaught errors.
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';

/** A column of the deck shown, by its title as its header says it (the region's exact name). */
export const column = (page: Page, title: string) => page.getByRole('region', { name: title, exact: true });

/** The titles of the deck's columns, left to right. */
export const regionTitles = (page: Page) =>
  page.locator('section.column').evaluateAll((els) => els.map((el) => el.querySelector('h2')?.textContent ?? ''));

/**
 * Opens the app at `url` and answers the column titled `title` once its first post is shown
 * (with `{ posts: false }`: once the column is shown, whether it holds posts or not).
 */
export async function openColumn(page: Page, url: string, title: string, opts: { posts: boolean } = { posts: true }) {
  await page.goto(url);
  const region = column(page, title);
  await expect(opts.posts ? region.getByRole('article').first() : region).toBeVisible();
  return region;
}

/**
 * The page's uncaught errors (its `pageerror` events) from now on, as their messages: the list
 * fills as they happen, for the test to expect it empty at its end.
 */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/**
 * Adds a column of this kind (the radio's name, as a pattern) through "Add a column", with the
 * query the kind asks for typed in its field (`label`); returns once the dialog closed.
 */
export async function addColumn(page: Page, kind: RegExp, query?: { label: string; value: string }) {
  await page.getByRole('button', { name: 'Add column' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a column' });
  await dialog.getByRole('radio', { name: kind }).check();
  if (query) await dialog.getByRole('textbox', { name: query.label }).fill(query.value);
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(dialog).toBeHidden();
}
