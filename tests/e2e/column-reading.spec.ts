// Moving between columns and coming back to a column, in Chromium against the headless host
// (issue 7, "Reading"): ← / → go from column to column whatever a column holds (an empty one
// included, from the column itself or its reorder handle), and a column whose reader was away
// while far more than a page arrived opens on what she had read, with the true number waiting.
import type { Page } from '@playwright/test';
import { addColumn, column, openColumn, regionTitles } from './support/deck';
import { expect, test } from './support/fixtures';

/** What has focus: its tag, the column it is in, and its article's entry. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement!;
    return {
      tag: el.tagName,
      column: el.closest('section.column')?.querySelector('h2')?.textContent ?? null,
      key: el.closest('article')?.getAttribute('data-entry-key') ?? null,
    };
  });

test('← / → move between columns through an empty one, from the column itself and from its reorder handle', async ({
  page,
  harness,
}) => {
  await openColumn(page, harness.url, '#IFPower');
  // A search that finds nothing: a column with no post, put between Home and #IFPower.
  await addColumn(page, /^Search/, { label: 'Keywords', value: 'zzqxv' });
  const empty = column(page, '“zzqxv”');
  await expect(empty.getByText('No posts here yet.')).toBeVisible();
  await empty.getByRole('button', { name: 'Move left' }).click();
  await expect.poll(() => regionTitles(page)).toEqual(['Home', '“zzqxv”', '#IFPower']);

  // From Home's first post, → lands on the empty column itself, and → again goes on.
  const left = column(page, 'Home').getByRole('article').first();
  const leftKey = await left.getAttribute('data-entry-key');
  await left.focus();
  await page.keyboard.press('ArrowRight');
  await expect(empty).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => focused(page)).toMatchObject({ tag: 'ARTICLE', column: '#IFPower' });
  // And back: ← through the empty column to the very post left in Home.
  await page.keyboard.press('ArrowLeft');
  await expect(empty).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => focused(page)).toEqual({ tag: 'ARTICLE', column: 'Home', key: leftKey });

  // Tab enters a column on its reorder handle: ← / → go on from there too.
  const grip = empty.getByRole('button', { name: 'Reorder column “zzqxv”' });
  await grip.focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => focused(page)).toMatchObject({ tag: 'ARTICLE', column: '#IFPower' });
  await grip.focus();
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => focused(page)).toMatchObject({ tag: 'ARTICLE', column: 'Home' });

  // Picked up with Space, the arrows move the column instead (dnd-kit's keyboard sensor).
  await grip.focus();
  await page.keyboard.press('Space');
  await expect(
    page.getByRole('status').filter({ hasText: /Picked up column “zzqxv”|is over position 2/ }),
  ).toBeAttached();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('status').filter({ hasText: 'Column “zzqxv” is over position 3.' })).toBeAttached();
  await page.keyboard.press('Space');
  await expect.poll(() => regionTitles(page)).toEqual(['Home', '#IFPower', '“zzqxv”']);
});

interface Seeded {
  /** The entry key at the reading position (the newest the reader had seen). */
  readKey: string;
  /** Entries newer than the reading position the column's cache holds. */
  newer: number;
}

test('after far more than a page arrived while the app was closed, a column opens on what was read, counting every new post', async ({
  page,
  harness,
}) => {
  const home = await openColumn(page, harness.url, 'Home');
  const columnId = (await home.getAttribute('data-column-id'))!;

  // The app closed (a page of the same origin without it), 150 posts arrive after the reading
  // position in the column's cache, then it opens again.
  await page.goto(new URL('/closed-for-e2e', harness.url).href);
  const seeded = await page.evaluate(
    (id) =>
      new Promise<Seeded>((resolve, reject) => {
        const open = indexedDB.open('colonnade');
        open.onerror = () => reject(new Error(String(open.error)));
        open.onsuccess = () => {
          const db = open.result;
          const read = db.transaction(['entries', 'posts', 'readPositions'], 'readonly');
          const entries = read.objectStore('entries').getAll();
          const posts = read.objectStore('posts').getAll();
          read.oncomplete = () => {
            type Row = { columnId: string; key: string; at: string; postId: string | null };
            const rows = (entries.result as Row[]).filter((r) => r.columnId === id && r.postId !== null);
            rows.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
            const newest = rows[0]!;
            const model = (posts.result as Array<{ id: string; createdAt: string }>).find(
              (p) => p.id === newest.postId,
            )!;
            const write = db.transaction(['entries', 'posts', 'readPositions'], 'readwrite');
            write.objectStore('readPositions').put({ columnId: id, at: newest.at });
            const from = Date.parse(newest.at);
            for (let n = 1; n <= 150; n++) {
              const at = new Date(from + n * 1_000).toISOString();
              const post = { ...model, id: `sandbox:e2e-away-${n}`, nativeId: `e2e-away-${n}`, createdAt: at };
              write.objectStore('posts').put({ ...post, text: `Posted while away ${n}` });
              write.objectStore('entries').put({ columnId: id, key: post.id, at, postId: post.id });
            }
            write.oncomplete = () => {
              db.close();
              resolve({ readKey: newest.key, newer: 150 });
            };
            write.onerror = () => reject(new Error(String(write.error)));
          };
        };
      }),
    columnId,
  );
  await page.goto(harness.url);
  const again = column(page, 'Home');
  const marker = again.getByRole('button', { name: /^\d+ new posts?$/ });
  await expect(marker).toBeVisible();
  // The true number (what arrived from the network since the reload adds to it), not a window's 40.
  expect(Number((await marker.textContent())!.match(/^\d+/)![0])).toBeGreaterThanOrEqual(seeded.newer);
  // The column is not empty: it shows the post at the reading position first, then older ones.
  const feed = again.getByRole('feed', { name: 'Posts in Home' });
  await expect(feed.getByRole('article').first()).toHaveAttribute('data-entry-key', seeded.readKey);
  await expect(feed.getByRole('article').nth(5)).toBeVisible();
  await expect(feed.getByText(/^Posted while away/)).toHaveCount(0);

  // One click shows them, newest first, marked new, the first one focused.
  await marker.click();
  await expect(page.locator('article:focus')).toHaveAttribute('data-unread', 'true');
  await expect(feed.getByText(/^Posted while away \d+$/).first()).toBeVisible();
});
