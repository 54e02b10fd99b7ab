// Steps the end-to-end tests on real networks share: the servers' hooks (the emulators checked
// after each test, everything stopped after the file), connecting emulated X and Mastodon accounts
// and a local Bluesky one through the Accounts dialog as a CM who pastes credentials would (OAuth
// 1.0a keys, a Mastodon access token, an app password: no browser round trip) or step by step
// (pressConnect, closeWhenConnected) around a browser flow, adding a Monitor column through "Add a
// column", and reading what a column holds in the page's own IndexedDB
// (src/renderer/db/database.ts: `entries` and `posts`).
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import type { RemoteBlueskyAccount, RemoteBlueskyNetwork } from '../../support/bluesky-network-client';
import type { MastodonEmulator } from '../../emulators/mastodon';
import { OWNER_USERNAME } from '../../emulators/mastodon';
import type { XEmulator } from '../../emulators/x';
import { ME_USERNAME } from '../../emulators/x';
import type { Harness } from './harness';

/** A port nobody listens on right now, on 127.0.0.1 (for a callback, or a host started again on it). */
export { freePort } from '../../support/bluesky-postgres';

/** What a spec on real networks started in its beforeAll (each, once started). */
export interface Servers {
  x?: XEmulator;
  mastodon?: MastodonEmulator;
  bluesky?: RemoteBlueskyNetwork;
  harness?: Harness;
}

/**
 * Registers the spec file's hooks over the servers `started()` answers (read when each hook runs,
 * so the file's own variables, set in its beforeAll): after each test, every request and answer
 * the X and Mastodon emulators saw matched the official descriptions (their `violations` empty);
 * after all, the host stops, then the servers close.
 */
export function checkAndStopServers(started: () => Servers): void {
  test.afterAll(async () => {
    const { harness, x, mastodon, bluesky } = started();
    await harness?.stop();
    await x?.close();
    await mastodon?.close();
    await bluesky?.close();
  });
  test.afterEach(() => {
    const { x, mastodon } = started();
    if (x) expect(x.violations).toEqual([]);
    if (mastodon) expect(mastodon.violations).toEqual([]);
  });
}

/** Opens Accounts from the top bar; answers the dialog. */
export async function openAccounts(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Accounts' }).click();
  return page.getByRole('dialog', { name: 'Accounts' });
}

/** Sends the Accounts dialog's connect form; the headless host has no keyring, so agrees to store anyway. */
export async function pressConnect(dialog: Locator): Promise<void> {
  await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(dialog.getByRole('alertdialog', { name: 'Store without a keyring?' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Store anyway' }).click();
}

/** Waits for "Connected @handle." (`handle` without '@') in the Accounts dialog, then closes it. */
export async function closeWhenConnected(dialog: Locator, handle: string): Promise<void> {
  await expect(dialog.getByRole('status').filter({ hasText: `Connected @${handle}.` })).toBeVisible({
    timeout: 30_000,
  });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
}

async function connectAndClose(dialog: Locator, handle: string): Promise<void> {
  await pressConnect(dialog);
  await closeWhenConnected(dialog, handle);
}

/**
 * Connects the emulator's signed-in X user with OAuth 1.0a keys the emulator issues, the API base
 * set to the emulator. Answers the profile's handle without '@' (`colonnade_hq`).
 */
export async function connectXWithKeys(page: Page, x: XEmulator): Promise<string> {
  const keys = x.control.issueOAuth1();
  const dialog = await openAccounts(page);
  await dialog.getByRole('radio', { name: 'X' }).check();
  await dialog.getByRole('combobox', { name: 'How to connect' }).selectOption({ label: 'OAuth 1.0a keys' });
  await dialog.getByLabel('API key', { exact: true }).fill(keys.appKey);
  await dialog.getByLabel('API key secret', { exact: true }).fill(keys.appSecret);
  await dialog.getByLabel('Access token', { exact: true }).fill(keys.accessToken);
  await dialog.getByLabel('Access token secret', { exact: true }).fill(keys.accessSecret);
  await dialog.getByLabel(/^API base URL/).fill(x.url);
  await connectAndClose(dialog, ME_USERNAME);
  return ME_USERNAME;
}

/**
 * Connects a Mastodon account of the emulator (the owner by default) with an access token the
 * instance issues, as "Paste an access token" does. Answers the handle without '@'
 * (`colonnade_team@127.0.0.1:PORT`).
 */
export async function connectMastodonWithToken(
  page: Page,
  mastodon: MastodonEmulator,
  username: string = OWNER_USERNAME,
): Promise<string> {
  const dialog = await openAccounts(page);
  await dialog.getByRole('radio', { name: 'Mastodon' }).check();
  await dialog.getByRole('combobox', { name: 'How to connect' }).selectOption({ label: 'Paste an access token' });
  await dialog.getByLabel('Instance address', { exact: true }).fill(mastodon.url);
  await dialog.getByLabel('Access token', { exact: true }).fill(mastodon.issueToken(username));
  const handle = `${username}@${mastodon.domain}`;
  await connectAndClose(dialog, handle);
  return handle;
}

/**
 * Connects a Bluesky account of the local network with its app password (its PDS at `pdsUrl`), as
 * a CM pastes it, and closes the dialog.
 */
export async function connectBluesky(page: Page, pdsUrl: string, account: RemoteBlueskyAccount): Promise<void> {
  const dialog = await openAccounts(page);
  await dialog.getByRole('radio', { name: 'Bluesky' }).check();
  await dialog.getByRole('textbox', { name: /^Service/ }).fill(pdsUrl);
  await dialog.getByRole('textbox', { name: 'Handle or email' }).fill(account.handle);
  await dialog.getByLabel('App password').fill(account.password);
  await connectAndClose(dialog, account.handle);
}

/** A profile as the Monitor form lists it: under its network's name, by its handle (without '@'). */
export interface MonitorProfile {
  network: 'X' | 'Mastodon' | 'Bluesky' | 'Sandbox';
  handle: string;
}

/**
 * Adds a Monitor column through "Add a column" over exactly these profiles (any ticked by default
 * is unticked first) with these hashtags (comma-separated, as typed). Answers the new column (the
 * deck's last) once the dialog closed.
 */
export async function addMonitorColumn(
  page: Page,
  monitor: { profiles: readonly MonitorProfile[]; hashtags: string },
): Promise<Locator> {
  const columns = page.locator('section.column');
  const before = await columns.count();
  await page.getByRole('button', { name: 'Add column' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a column' });
  await dialog.getByRole('radio', { name: /^Monitor/ }).check();
  const profiles = dialog.getByRole('group', { name: 'Profiles to search with' });
  for (const box of await profiles.getByRole('checkbox', { checked: true }).all()) await box.uncheck();
  for (const p of monitor.profiles) {
    const group = profiles.getByRole('group', { name: new RegExp(`^${p.network}`) });
    await group.getByRole('checkbox', { name: new RegExp(`^@${escapeRegExp(p.handle)}`) }).check();
  }
  await dialog.getByRole('textbox', { name: 'Hashtags' }).fill(monitor.hashtags);
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(dialog).toBeHidden();
  await expect(columns).toHaveCount(before + 1);
  return columns.last();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One row of a column in the renderer's Dexie database, with its post's text. */
export interface StoredEntry {
  key: string;
  at: string;
  postId: string | null;
  /** The post's text (null for an entry without a post, such as a gap marker). */
  text: string | null;
  via: string | null;
  gap: boolean;
}

/**
 * Everything the renderer stored for a column (`entries` where columnId matches, joined with
 * `posts`), read through IndexedDB directly (a second connection beside the app's Dexie). Answers
 * [] before the app created its database.
 */
export async function storedEntries(page: Page, columnId: string): Promise<StoredEntry[]> {
  return page.evaluate(async (columnId) => {
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes('colonnade')) return [];
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('colonnade');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
    });
    try {
      if (!db.objectStoreNames.contains('entries') || !db.objectStoreNames.contains('posts')) return [];
      const all = <T>(store: string) =>
        new Promise<T[]>((resolve, reject) => {
          const req = db.transaction(store).objectStore(store).getAll();
          req.onsuccess = () => resolve(req.result as T[]);
          req.onerror = () => reject(req.error ?? new Error('IndexedDB read failed'));
        });
      type Row = { columnId: string; key: string; at: string; postId: string | null; via?: string; gap?: unknown };
      const rows = (await all<Row>('entries')).filter((r) => r.columnId === columnId);
      const posts = new Map((await all<{ id: string; text: string }>('posts')).map((p) => [p.id, p.text]));
      return rows.map((r) => ({
        key: r.key,
        at: r.at,
        postId: r.postId,
        text: r.postId ? (posts.get(r.postId) ?? null) : null,
        via: r.via ?? null,
        gap: r.gap !== undefined && r.gap !== null,
      }));
    } finally {
      db.close();
    }
  }, columnId);
}
