// Reading a column, in Chromium against the headless host (issue 7, "Reading"): filters that say
// how many posts they hid, the feed walked by keyboard, the shortcuts sheet, unread positions that
// survive a reload, the column menu, and gap markers.
import type { Page } from '@playwright/test';
import { column, openColumn, pageErrors } from './support/deck';
import { expect, test } from './support/fixtures';

/** What has focus: its tag, and the position and column of its article. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement!;
    const article = el.closest('article');
    return {
      tag: el.tagName,
      posinset: article ? Number(article.getAttribute('aria-posinset')) : null,
      column: el.closest('section.column')?.querySelector('h2')?.textContent ?? null,
    };
  });

interface StoredEntry {
  key: string;
  at: string;
  reposted: boolean;
  /** The post's text, content warning and quoted text, as the mute words look at them. */
  words: string | null;
}

/** A column's entries as the page's IndexedDB holds them, newest first (the order the column reads). */
const storedEntries = (page: Page, columnId: string) =>
  page.evaluate(
    (id) =>
      new Promise<StoredEntry[]>((resolve, reject) => {
        const open = indexedDB.open('colonnade');
        open.onerror = () => reject(new Error(String(open.error)));
        open.onsuccess = () => {
          const tx = open.result.transaction(['entries', 'posts'], 'readonly');
          const all = tx.objectStore('entries').getAll();
          const posts = tx.objectStore('posts').getAll();
          tx.oncomplete = () => {
            type Post = {
              id: string;
              text: string;
              contentWarning?: string;
              quote?: { text: string; contentWarning?: string };
            };
            const byId = new Map((posts.result as Post[]).map((p) => [p.id, p]));
            const rows = (
              all.result as Array<{
                columnId: string;
                key: string;
                at: string;
                postId: string | null;
                repostedBy?: unknown;
              }>
            )
              .filter((r) => r.columnId === id && (r.postId === null || byId.has(r.postId)))
              .sort((a, b) => (a.at === b.at ? (a.key < b.key ? 1 : -1) : a.at < b.at ? 1 : -1));
            resolve(
              rows.map((r) => {
                const p = r.postId ? byId.get(r.postId)! : null;
                return {
                  key: r.key,
                  at: r.at,
                  reposted: r.repostedBy !== undefined,
                  words: p
                    ? [p.text, p.contentWarning ?? '', p.quote?.text ?? '', p.quote?.contentWarning ?? ''].join('\n')
                    : null,
                };
              }),
            );
            open.result.close();
          };
        };
      }),
    columnId,
  );

/** Opens a column's options from its menu. */
async function openOptions(page: Page, title: string) {
  await column(page, title)
    .getByRole('button', { name: `Column menu: ${title}` })
    .click();
  await page.getByRole('menuitem', { name: 'Column options…' }).click();
  return page.getByRole('dialog', { name: `Options of ${title}` });
}

test('filters hide reposts and muted words, say how many they hid, and show them on one click', async ({
  page,
  harness,
}) => {
  const errors = pageErrors(page);
  await page.goto(harness.url);
  const home = column(page, 'Home');
  const feed = home.getByRole('feed', { name: 'Posts in Home' });
  await expect(feed.getByRole('article').first()).toBeVisible();
  const columnId = (await home.getAttribute('data-column-id'))!;

  // A regular expression that does not compile is named in words, and nothing is saved.
  const dialog = await openOptions(page, 'Home');
  await dialog.getByRole('textbox', { name: 'Mute in this column (one a line)' }).fill('firmware\n/(unclosed/');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText(/“\/\(unclosed\/” is not a valid regular expression: .+/)).toBeVisible();
  await expect(dialog.getByRole('alert')).toHaveText(/fix them to save/);
  await expect(dialog.getByRole('textbox', { name: 'Mute in this column (one a line)' })).toHaveAttribute(
    'aria-invalid',
    'true',
  );
  await dialog.getByRole('textbox', { name: 'Mute in this column (one a line)' }).fill('FIRMWARE\n/range\\s+estim/');
  await dialog.getByRole('checkbox', { name: 'Hide reposts' }).check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);

  // What the filters keep: no repost, no post saying "firmware" (any case) or matching the pattern.
  const status = home.getByText(/^\d+ posts? hidden by filters$/);
  await expect(status).toBeVisible();
  const hidden = (e: StoredEntry) => e.reposted || (e.words !== null && /\bfirmware\b|range\s+estim/i.test(e.words));
  await expect
    .poll(async () => {
      // The column reads until it holds 40 entries the filters keep: what it hid on the way is the count.
      let kept = 0;
      let expected = 0;
      for (const e of await storedEntries(page, columnId)) {
        if (kept >= 40) break;
        if (hidden(e)) expected++;
        else kept++;
      }
      const said = Number((await status.textContent())?.match(/^\d+/)?.[0]);
      return expected > 0 && said === expected;
    })
    .toBe(true);
  for (const text of await feed.getByRole('article').allInnerTexts()) {
    expect(text).not.toMatch(/\bfirmware\b|range\s+estim/i);
    expect(text).not.toMatch(/ reposted\n/);
  }

  // One click shows them, marked; another hides them again.
  await home.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(home.getByText(/^Showing \d+ posts? hidden by filters$/)).toBeVisible();
  await expect(feed.getByText('Hidden by your filters (shown as you asked)').first()).toBeVisible();
  await home.getByRole('button', { name: 'Hide again' }).click();
  await expect(feed.getByText('Hidden by your filters (shown as you asked)')).toHaveCount(0);

  // The filters are the column's: after a reload they still apply.
  await page.reload();
  await expect(column(page, 'Home').getByText(/^\d+ posts? hidden by filters$/)).toBeVisible();
  await expect(column(page, '#IFPower').getByText(/hidden by filters/)).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('Page Down walks 40 posts with focus always on an article; keys move between columns and act', async ({
  page,
  harness,
}) => {
  await page.goto(harness.url);
  const home = column(page, 'Home');
  const feed = home.getByRole('feed', { name: 'Posts in Home' });
  await expect(feed.getByRole('article').first()).toBeVisible();
  await feed.getByRole('article').first().focus();
  // Past what the virtual list rendered and past the first page the column read.
  for (let i = 2; i <= 41; i++) {
    await page.keyboard.press('PageDown');
    await expect
      .poll(() => focused(page), { message: `Page Down ${i - 1}` })
      .toEqual({ tag: 'ARTICLE', posinset: i, column: 'Home' });
  }
  for (let i = 40; i >= 36; i--) {
    await page.keyboard.press('PageUp');
    await expect.poll(() => focused(page)).toEqual({ tag: 'ARTICLE', posinset: i, column: 'Home' });
  }

  // → to the next column's post in view, ← back to the very post left.
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => (await focused(page)).column).toBe('#IFPower');
  expect((await focused(page)).tag).toBe('ARTICLE');
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => focused(page)).toEqual({ tag: 'ARTICLE', posinset: 36, column: 'Home' });

  // L likes the post that has focus, L again undoes it.
  const article = page.locator('article:focus');
  const like = article.getByRole('button', { name: /^Like, / });
  const before = await like.getAttribute('aria-pressed');
  await page.keyboard.press('l');
  await expect(like).toHaveAttribute('aria-pressed', before === 'true' ? 'false' : 'true');
  await page.keyboard.press('l');
  await expect(like).toHaveAttribute('aria-pressed', before ?? 'false');
  // Enter opens the post in the browser: a practice post has no web address, and says so.
  await page.keyboard.press('Enter');
  await expect(home.getByRole('status').filter({ hasText: 'This post has no web address.' })).toBeVisible();
  // R starts a reply to the author in the composer (Sandbox, like Mastodon, starts with the mention).
  const author = (await article.locator('.post-handle').first().textContent())!;
  await article.focus();
  await page.keyboard.press('r');
  const composer = page.getByRole('dialog', { name: /^Reply to / });
  await expect(composer.getByRole('textbox').first()).toHaveValue(`${author} `);
});

test('? opens the shortcuts sheet (not while typing), in English and French', async ({ page, harness }) => {
  const home = await openColumn(page, harness.url, 'Home');
  await home.getByRole('article').first().focus();
  await page.keyboard.press('?');
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(sheet).toBeVisible();
  await expect(
    sheet.getByRole('row', { name: /Page Down \/ Page Up Next \/ previous post in the column/ }),
  ).toBeVisible();
  await expect(sheet.getByRole('row', { name: /\? Show these shortcuts/ })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(sheet).toHaveCount(0);
  await expect.poll(async () => (await focused(page)).tag).toBe('ARTICLE');

  // N: a new post; typing "?" and "n" in it writes them, nothing opens.
  await page.keyboard.press('n');
  const composer = page.getByRole('dialog', { name: 'New post' });
  await expect(composer).toBeVisible();
  await composer.getByRole('textbox').first().focus();
  await page.keyboard.type('n?');
  await expect(composer.getByRole('textbox').first()).toHaveValue('n?');
  await expect(sheet).toHaveCount(0);
  await composer.getByRole('button', { name: 'Cancel' }).click();

  // /: a search column's keywords field.
  await home.getByRole('article').first().focus();
  await page.keyboard.press('/');
  const add = page.getByRole('dialog', { name: 'Add a column' });
  await expect(add.getByRole('radio', { name: /^Search/ })).toBeChecked();
  await expect(add.getByRole('textbox', { name: 'Keywords' })).toBeFocused();
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Raccourcis clavier' }).click();
  const fr = page.getByRole('dialog', { name: 'Raccourcis clavier' });
  await expect(fr.getByRole('row', { name: /Pg suiv \/ Pg préc Publication suivante \/ précédente/ })).toBeVisible();
});

test('"N new posts" survives a reload; Mark all read and Clear column say what they did', async ({ page, harness }) => {
  const home = await openColumn(page, harness.url, 'Home');
  // Reading further down: what arrives waits behind the marker.
  await home.getByRole('article').nth(2).focus();
  await home.locator('[data-virtuoso-scroller]').evaluate((el) => (el.scrollTop += 1500));
  const marker = home.getByRole('button', { name: /^\d+ new posts?$/ });
  await expect(marker).toBeVisible({ timeout: 30_000 });
  const waiting = Number((await marker.textContent())!.match(/^\d+/)![0]);

  // A reload opens the column at the reading position, with at least as many new posts waiting.
  await page.reload();
  const again = column(page, 'Home').getByRole('button', { name: /^\d+ new posts?$/ });
  await expect(again).toBeVisible();
  expect(Number((await again.textContent())!.match(/^\d+/)![0])).toBeGreaterThanOrEqual(waiting);
  // Shown: they carry the "New" marker, first focused.
  await again.click();
  await expect(page.locator('article:focus')).toHaveAttribute('data-unread', 'true');
  await expect(page.locator('article:focus')).toHaveAccessibleName(/, new$/);

  // Mark all read: no marker left, said in words.
  const menu = column(page, 'Home').getByRole('button', { name: 'Column menu: Home' });
  await menu.click();
  await page.getByRole('menuitem', { name: 'Mark all read' }).click();
  await expect(menu).toBeFocused();
  await expect(column(page, 'Home').getByText('All posts in this column are marked read.')).toBeVisible();
  await expect(column(page, 'Home').locator('article[data-unread]')).toHaveCount(0);

  // Clear column: its posts leave it; it says how many.
  await menu.press('Enter');
  await page.getByRole('menuitem', { name: 'Clear column' }).press('Enter');
  await expect(
    column(page, 'Home').getByText(/^Cleared \d+ posts from this column\. New posts will appear here\.$/),
  ).toBeVisible();
  await page.reload();
  const cleared = column(page, 'Home');
  // Only what arrived since, if anything: the cleared history is not paged back in.
  await expect(
    cleared.getByText(/Column cleared\. New posts will appear here\.|Cleared at \d\d:\d\d/).first(),
  ).toBeVisible({
    timeout: 20_000,
  });
});

test('a column with filters and a gap marker: the gap in words, "Load them" asks main', async ({ page, harness }) => {
  await page.goto(harness.url);
  const home = column(page, 'Home');
  const feed = home.getByRole('feed', { name: 'Posts in Home' });
  await expect(feed.getByRole('article').nth(5)).toBeVisible();
  const columnId = (await home.getAttribute('data-column-id'))!;
  const dialog = await openOptions(page, 'Home');
  await dialog.getByRole('checkbox', { name: 'Hide replies' }).check();
  await dialog.getByRole('checkbox', { name: 'Hide reposts' }).check();
  await dialog.getByRole('radio', { name: 'Compact' }).check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(home.getByText(/^\d+ posts? hidden by filters$/)).toBeVisible();

  // A gap just below the third entry, as main stores one (the engine makes them where a network
  // cannot serve far enough back).
  // It stands for 2 h 35 min of posts main could not read, below the third entry.
  const entries = await storedEntries(page, columnId);
  const to = entries[2]!.at;
  const below = new Date(Date.parse(to) - (2 * 60 + 35) * 60_000).toISOString();
  await page.evaluate(
    ({ id, at, from, to }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('colonnade');
        open.onsuccess = () => {
          const tx = open.result.transaction('entries', 'readwrite');
          tx.objectStore('entries').put({
            columnId: id,
            key: 'gap:e2e',
            at,
            postId: null,
            gap: { id: 'e2e', from, to, why: 'horizon' },
          });
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(new Error(String(tx.error)));
        };
      }),
    { id: columnId, at: new Date(Date.parse(to) - 1).toISOString(), from: below, to },
  );
  // Times in the reader's words: "14:05" today, "24 Nov, 14:05" another day.
  const hhmm = (iso: string) => {
    const d = new Date(iso);
    const time = d.toTimeString().slice(0, 5);
    return d.toDateString() === new Date().toDateString()
      ? time
      : `${d.getDate()} ${d.toLocaleString('en-GB', { month: 'short' })}, ${time}`;
  };
  const gap = feed.getByRole('article', {
    name: `Posts between ${hhmm(below)} and ${hhmm(to)} could not be loaded`,
  });
  await expect(gap).toBeVisible();
  await expect(gap.getByRole('button', { name: 'Load them' })).toBeVisible();
  // A cross-network column marks each post with its network and the profile that met it.
  const metKey = (await feed.getByRole('article').first().getAttribute('data-entry-key'))!;
  await page.evaluate(
    ({ id, key }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('colonnade');
        open.onsuccess = () => {
          const store = open.result.transaction('entries', 'readwrite').objectStore('entries');
          const get = store.get([id, key]);
          get.onsuccess = () => {
            const put = store.put({ ...get.result, via: 'sandbox:practice' });
            put.onsuccess = () => {
              open.result.close();
              resolve();
            };
            put.onerror = () => reject(new Error(String(put.error)));
          };
        };
      }),
    { id: columnId, key: metKey },
  );
  await expect(feed.locator(`article[data-entry-key="${metKey}"] .badge.via`)).toHaveText('Sandbox · @practice');
  await page.screenshot({ path: test.info().outputPath('filters-and-gap.png') });
  await gap.getByRole('button', { name: 'Load them' }).click();
  // Main was asked; the marker stays until main says the gap is filled.
  await expect(gap.getByRole('button', { name: 'Load them' })).toBeVisible();
});
