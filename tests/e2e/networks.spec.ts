// Real networks through the UI, as a CM connects them: X (OAuth 2.0 in the browser, against the X
// emulator), Mastodon (OAuth through the instance, against the Mastodon emulator) and Bluesky (app
// password, against a real local Bluesky network). Each account gets a column with its posts; a
// post is liked; a rate-limited column recovers by itself after the reset time.
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { startRemoteBlueskyNetwork, type RemoteBlueskyNetwork } from '../support/bluesky-network-client';
import { startMastodonEmulator, type MastodonEmulator } from '../emulators/mastodon';
import { ME_ID, startXEmulator, type XEmulator } from '../emulators/x';
import { startHarness, type Harness } from './support/harness';
import {
  checkAndStopServers,
  closeWhenConnected,
  connectBluesky,
  freePort,
  openAccounts,
  pressConnect,
} from './support/networks';
import { expect, test } from '@playwright/test';

/** Every file the host wrote in its data folder (settings, accounts, logs). */
function dataFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).isFile())
    .map((f) => fs.readFileSync(f, 'utf8'));
}

let x: XEmulator;
let mastodon: MastodonEmulator;
let bluesky: RemoteBlueskyNetwork;
let harness: Harness;
let xCallbackPort: number;

test.describe.configure({ mode: 'serial', timeout: 120_000 });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  xCallbackPort = await freePort();
  x = await startXEmulator({
    clients: [{ clientId: 'colonnade-e2e', redirectUri: `http://127.0.0.1:${xCallbackPort}/callback` }],
  });
  mastodon = await startMastodonEmulator();
  // In a process of its own: its native modules must not load in Playwright's worker.
  bluesky = await startRemoteBlueskyNetwork();
  harness = await startHarness();
});

checkAndStopServers(() => ({ x, mastodon, bluesky, harness }));

const column = (page: Page, title: string) => page.getByRole('region', { name: title, exact: true });
/** A column's status line in words (its empty live region for new posts is left out). */
const columnStatus = (region: Locator) => region.getByRole('status').filter({ hasText: /\S/ });

/** Everything the host sent the renderer over its socket, for the secret checks. */
const framesFromHost: string[] = [];
function recordFrames(page: Page) {
  page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => framesFromHost.push(String(payload))));
}

/** What the renderer keeps: IndexedDB (every table), both storages and the page itself. */
async function rendererState(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const dump: unknown[] = [document.documentElement.outerHTML, { ...localStorage }, { ...sessionStorage }];
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(info.name!);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      for (const name of Array.from(db.objectStoreNames)) {
        const rows = await new Promise<unknown[]>((resolve) => {
          const req = db.transaction(name).objectStore(name).getAll();
          req.onsuccess = () => resolve(req.result);
        });
        dump.push(rows);
      }
      db.close();
    }
    return JSON.stringify(dump);
  });
}

/** The app waits for the browser: open the authorization page from its link, as the CM would. */
async function authorizeInBrowser(page: Page) {
  const dialog = page.getByRole('dialog', { name: 'Accounts' });
  const [authorization] = await Promise.all([
    page.waitForEvent('popup'),
    dialog.getByRole('link', { name: 'Open the authorization page' }).click(),
  ]);
  await expect(authorization.getByRole('heading', { name: 'You can return to Colonnade' })).toBeVisible();
  await authorization.close();
}

async function addColumn(page: Page, profile: string, kind: RegExp, query?: { label: string; value: string }) {
  await page.getByRole('button', { name: 'Add column' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a column' });
  await dialog.getByRole('combobox', { name: 'Profile' }).selectOption({ label: profile });
  await dialog.getByRole('radio', { name: kind }).check();
  if (query) await dialog.getByRole('textbox', { name: query.label }).fill(query.value);
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(dialog).toBeHidden();
}

test('connect an X account with OAuth 2.0 in the browser, see its home column, like a post', async ({ page }) => {
  recordFrames(page);
  await page.goto(harness.url);
  const dialog = await openAccounts(page);
  await dialog.getByRole('radio', { name: 'X' }).check();
  await dialog.getByRole('textbox', { name: 'Client ID' }).fill('colonnade-e2e');
  await dialog.getByRole('spinbutton', { name: /^Callback port/ }).fill(String(xCallbackPort));
  await dialog.getByRole('textbox', { name: /^API base URL/ }).fill(x.url);
  await pressConnect(dialog);

  await authorizeInBrowser(page);
  await expect(dialog.getByRole('status').filter({ hasText: 'Connected @colonnade_hq.' })).toBeVisible();
  const row = dialog.getByRole('listitem').filter({ hasText: '@colonnade_hq' });
  await expect(row.getByText('Connected', { exact: true })).toBeVisible();
  await expect(row.getByRole('region', { name: 'X cost meter @colonnade_hq' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await addColumn(page, '@colonnade_hq (x)', /^Home/);
  const home = column(page, 'Home').filter({ hasText: '@colonnade_hq' });
  const first = home.getByRole('article').first();
  await expect(first).toBeVisible();
  const like = first.getByRole('button', { name: /^Like, / });
  await like.click();
  await expect(like).toHaveAttribute('aria-pressed', 'true');
  await expect
    .poll(() => x.requests.some((r) => r.method === 'POST' && r.path === `/2/users/${ME_ID}/likes`))
    .toBe(true);

  // A column the X plan does not cover says so in words, in the column.
  x.control.excludeFromPlan('GET /2/tweets/search/recent');
  await addColumn(page, '@colonnade_hq (x)', /^Hashtag/, { label: 'Hashtag', value: '#launch' });
  // The plan's refusal in Colonnade's words, naming the feature, then X's own words.
  await expect(columnStatus(column(page, '#launch'))).toContainText(
    /^Your X plan does not include search\. X said: “.+”$/,
  );

  // The cost meter counted what the column read.
  const meter = (await openAccounts(page)).getByRole('region', { name: 'X cost meter @colonnade_hq' });
  await expect(meter.getByText(/^Today: [1-9][\d,]* posts read/)).toBeVisible();

  // The tokens X issued never left main: not in what the host sent, the renderer's storage, the
  // logs, or the data files (where they are encrypted).
  const tokens = [...new Set(x.requests.flatMap((r) => (r.auth ? [r.auth] : [])))];
  expect(tokens.length).toBeGreaterThan(0);
  const everywhere = [framesFromHost.join('\n'), await rendererState(page), ...dataFiles(harness.dataDir)].join('\n');
  for (const token of tokens) expect(everywhere).not.toContain(token);
});

test('connect a Mastodon account through its instance; a rate-limited column recovers by itself', async ({ page }) => {
  await page.goto(harness.url);
  const dialog = await openAccounts(page);
  await dialog.getByRole('radio', { name: 'Mastodon' }).check();
  await dialog.getByRole('textbox', { name: 'Instance address' }).fill(mastodon.url);
  await dialog.getByRole('spinbutton', { name: /^Callback port/ }).fill(String(await freePort()));
  await pressConnect(dialog);
  await authorizeInBrowser(page);
  const handle = `colonnade_team@${mastodon.domain}`;
  await closeWhenConnected(dialog, handle);

  // The instance runs out of requests for this account for 6 s, then the column is added.
  mastodon.exhaustRateLimit(6_000);
  await addColumn(page, `@${handle} (mastodon)`, /^Hashtag/, { label: 'Hashtag', value: '#community' });
  const tag = column(page, '#community');
  await expect(columnStatus(tag)).toContainText(
    /The network limits how often this column can be read, until \d\d:\d\d\. Colonnade will resume by itself\./,
  );
  await expect(tag.getByRole('article').first()).toBeVisible({ timeout: 20_000 });
  await expect(columnStatus(tag)).toHaveCount(0);
  for (const text of await tag.getByRole('article').allInnerTexts()) expect(text.toLowerCase()).toContain('#community');

  // Post one, as this profile: it reaches the instance once.
  await page.getByRole('button', { name: 'New post' }).click();
  const compose = page.getByRole('dialog', { name: 'New post' });
  const postAs = compose.getByRole('group', { name: 'Post as' });
  await expect(postAs.getByRole('checkbox').first()).toBeVisible();
  for (const box of await postAs.getByRole('checkbox', { checked: true }).all()) await box.uncheck();
  await postAs.getByRole('checkbox', { name: `@${handle} Mastodon` }).check();
  const text = 'Our #community call is on Thursday, notes at https://example.org/notes/thursday';
  await compose.getByRole('textbox', { name: 'Text' }).fill(text);
  await expect(compose.getByText('68 / 500')).toBeVisible(); // the link counts 23, as Mastodon counts it (a link needs a real top-level domain, as on the server)
  await compose.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(compose).toBeHidden();
  // The outbox sends it (at once): it reaches the instance once.
  await expect
    .poll(() => mastodon.statusesBy('colonnade_team').filter((st) => st.text.includes('Thursday')).length)
    .toBe(1);
  await page.waitForTimeout(1_500); // time for a second send, if there were one
  expect(mastodon.statusesBy('colonnade_team').filter((st) => st.text.includes('Thursday'))).toHaveLength(1);
});

test('connect a Bluesky account with an app password, against a real local network', async ({ page }) => {
  const ada = await bluesky.createAccount('ada');
  const bea = await bluesky.createAccount('bea');
  await bluesky.follow(ada, bea);
  await bluesky.post(bea, { text: 'Launch day for #IFPower, details at https://ifpower.example/launch', facets: true });
  await bluesky.post(bea, 'Second post from Bea');
  await bluesky.sync();

  await page.goto(harness.url);
  await connectBluesky(page, bluesky.pdsUrl, ada);

  await addColumn(page, `@${ada.handle} (bluesky)`, /^Home/);
  const home = column(page, 'Home').filter({ hasText: `@${ada.handle}` });
  await expect(home.getByRole('article')).toHaveCount(2);
  const launch = home.getByRole('article').filter({ hasText: 'Launch day' });
  await expect(launch.getByRole('link', { name: 'https://ifpower.example/launch' })).toBeVisible();
  await launch.getByRole('button', { name: /^Like, / }).click();
  await expect(launch.getByRole('button', { name: /^Like, 1 like$/ })).toHaveAttribute('aria-pressed', 'true');
  const everywhere = [await rendererState(page), ...dataFiles(harness.dataDir)].join('\n');
  expect(everywhere).not.toContain(ada.password);
});

test('a column whose server is gone says so and keeps showing its cached posts', async ({ page }) => {
  await page.goto(harness.url);
  const tag = column(page, '#community');
  await expect(tag.getByRole('article').first()).toBeVisible();
  const shown = await tag.getByRole('article').count();
  await mastodon.close();
  await expect(columnStatus(tag)).toHaveText('Offline, showing cached posts.', { timeout: 45_000 });
  // Every post it showed is still shown (the list may have rendered more of its cache meanwhile).
  expect(await tag.getByRole('article').count()).toBeGreaterThanOrEqual(shown);
});
