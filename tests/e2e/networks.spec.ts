// Real networks through the UI, as a CM connects them: X (OAuth 2.0 in the browser, against the X
// emulator), Mastodon (OAuth through the instance, against the Mastodon emulator) and Bluesky (app
// password, against a real local Bluesky network). Each account gets a column with its posts; a
// post is liked; a rate-limited column recovers by itself after the reset time.
import net from 'node:net';
import type { Page } from '@playwright/test';
import { startRemoteBlueskyNetwork, type RemoteBlueskyNetwork } from '../support/bluesky-network-client';
import { startMastodonEmulator, type MastodonEmulator } from '../emulators/mastodon';
import { ME_ID, startXEmulator, type XEmulator } from '../emulators/x';
import { startHarness, type Harness } from './support/harness';
import { expect, test } from '@playwright/test';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
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

test.afterAll(async () => {
  await harness?.stop();
  await x?.close();
  await mastodon?.close();
  await bluesky?.close();
});

test.afterEach(() => {
  // Every request and response the emulators saw matched the official descriptions.
  expect(x.violations).toEqual([]);
  expect(mastodon.violations).toEqual([]);
});

const column = (page: Page, title: string) => page.getByRole('region', { name: title, exact: true });

async function openAccounts(page: Page) {
  await page.getByRole('button', { name: 'Accounts' }).click();
  return page.getByRole('dialog', { name: 'Accounts' });
}

/** Submit the connect form; the headless host has no keyring, so agree to store anyway. */
async function connect(page: Page) {
  const dialog = page.getByRole('dialog', { name: 'Accounts' });
  await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(dialog.getByRole('alertdialog', { name: 'Store without a keyring?' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Store anyway' }).click();
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
  await page.goto(harness.url);
  const dialog = await openAccounts(page);
  await dialog.getByRole('radio', { name: 'X' }).check();
  await dialog.getByRole('textbox', { name: 'Client ID' }).fill('colonnade-e2e');
  await dialog.getByRole('spinbutton', { name: /^Callback port/ }).fill(String(xCallbackPort));
  await dialog.getByRole('textbox', { name: /^API base URL/ }).fill(x.url);
  await connect(page);

  // The app waits for the browser; the CM opens the authorization page from the link.
  const [authorization] = await Promise.all([
    page.waitForEvent('popup'),
    dialog.getByRole('link', { name: 'Open the authorization page' }).click(),
  ]);
  await expect(authorization.getByRole('heading', { name: 'You can return to Colonnade' })).toBeVisible();
  await authorization.close();
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

  // The cost meter counted what the column read.
  const meter = (await openAccounts(page)).getByRole('region', { name: 'X cost meter @colonnade_hq' });
  await expect(meter.getByText(/^Today: [1-9][\d,]* posts read/)).toBeVisible();
});

test('connect a Mastodon account through its instance; a rate-limited column recovers by itself', async ({ page }) => {
  await page.goto(harness.url);
  const dialog = await openAccounts(page);
  await dialog.getByRole('radio', { name: 'Mastodon' }).check();
  await dialog.getByRole('textbox', { name: 'Instance address' }).fill(mastodon.url);
  await dialog.getByRole('spinbutton', { name: /^Callback port/ }).fill(String(await freePort()));
  await connect(page);
  const [authorization] = await Promise.all([
    page.waitForEvent('popup'),
    dialog.getByRole('link', { name: 'Open the authorization page' }).click(),
  ]);
  await expect(authorization.getByRole('heading', { name: 'You can return to Colonnade' })).toBeVisible();
  await authorization.close();
  const handle = `colonnade_team@${mastodon.domain}`;
  await expect(dialog.getByRole('status').filter({ hasText: `Connected @${handle}.` })).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // The instance runs out of requests for this account for 6 s, then the column is added.
  mastodon.exhaustRateLimit(6_000);
  await addColumn(page, `@${handle} (mastodon)`, /^Hashtag/, { label: 'Hashtag', value: '#community' });
  const tag = column(page, '#community');
  await expect(tag.getByRole('status')).toContainText(
    /Rate limited until \d\d:\d\d\. Colonnade will resume by itself\./,
  );
  await expect(tag.getByRole('article').first()).toBeVisible({ timeout: 20_000 });
  await expect(tag.getByRole('status')).toHaveCount(0);
  for (const text of await tag.getByRole('article').allInnerTexts()) expect(text.toLowerCase()).toContain('#community');
});

test('connect a Bluesky account with an app password, against a real local network', async ({ page }) => {
  const ada = await bluesky.createAccount('ada');
  const bea = await bluesky.createAccount('bea');
  await bluesky.follow(ada, bea);
  await bluesky.post(bea, { text: 'Launch day for #IFPower, details at https://ifpower.example/launch', facets: true });
  await bluesky.post(bea, 'Second post from Bea');
  await bluesky.sync();

  await page.goto(harness.url);
  const dialog = await openAccounts(page);
  await dialog.getByRole('radio', { name: 'Bluesky' }).check();
  await dialog.getByRole('textbox', { name: /^Service/ }).fill(bluesky.pdsUrl);
  await dialog.getByRole('textbox', { name: 'Handle or email' }).fill(ada.handle);
  await dialog.getByLabel('App password').fill(ada.password);
  await connect(page);
  await expect(dialog.getByRole('status').filter({ hasText: `Connected @${ada.handle}.` })).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await addColumn(page, `@${ada.handle} (bluesky)`, /^Home/);
  const home = column(page, 'Home').filter({ hasText: `@${ada.handle}` });
  await expect(home.getByRole('article')).toHaveCount(2);
  const launch = home.getByRole('article').filter({ hasText: 'Launch day' });
  await expect(launch.getByRole('link', { name: 'https://ifpower.example/launch' })).toBeVisible();
  await launch.getByRole('button', { name: /^Like, / }).click();
  await expect(launch.getByRole('button', { name: /^Like, 1 like$/ })).toHaveAttribute('aria-pressed', 'true');
});
