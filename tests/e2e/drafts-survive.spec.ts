// Drafts are never lost (issue 8): the composer saves every keystroke to IndexedDB within 300 ms,
// so whatever kills the app mid-typing, the draft is in the Drafts column afterwards, holding at
// least everything typed more than 300 ms before the kill. Three kills, each a real one:
//
// - the renderer crashes (CDP `Page.crash`: Chromium crashes the page's renderer process; the
//   browser process, which holds IndexedDB, lives on) and the app is opened again in a new tab;
// - the whole browser is killed (SIGKILL to Chromium's process group: browser, renderers, zygotes,
//   as the OS kills an app) and launched again on the same profile folder (`--user-data-dir`);
// - the core (the headless host, `node out/main/host.js`) is killed with SIGKILL: drafts live in
//   the renderer and do not need it, so typing goes on and the draft is complete; a new host on the
//   same port (the same origin, so the same IndexedDB) shows it.
//
// Chromium is started here rather than by Playwright, so the test owns its process to kill it, and
// Playwright connects to it over CDP. Each keystroke's time is taken in the page (the `input`
// event's Date.now()) and reported through the console, so "more than 300 ms before the kill" is
// measured on the page's side of the keystroke, with the kill's time taken just before it is sent.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { addColumn, column } from './support/deck';
import { CHROMIUM_ARGS, findOrProvideChromium } from './support/chromium';
import { startHarness, type Harness } from './support/harness';
import { storedDrafts } from './support/outbox-networks';
import { expect, test } from './support/fixtures';

/** The promise: a keystroke is durable within this long (ms). */
const DURABLE_WITHIN_MS = 300;
/** What the CM types: words, a hashtag, a mention, a link, accents (typed as text, not keys). */
const TEXT =
  'Lancement demain à 9h : la nouvelle #IFPower arrive chez @voltcycle, ' +
  'réservez sur https://example.com/ifpower avant midi. Merci à toute l’équipe ' +
  'pour ces semaines de travail, et rendez-vous au salon de Lyon la semaine prochaine.';
/** Between two keystrokes (ms): a quick typist. */
const KEY_GAP_MS = 40;
/** The banner the app shows while its core is away (`app.connectionLost`). */
const CONNECTION_LOST = /^Lost the connection to Colonnade.s core\./;
/** Keystrokes before a kill: about 2.5 s of typing, so several saves have gone through. */
const KEYS_BEFORE_KILL = 60;

interface Keystroke {
  /** The text box's length after it. */
  length: number;
  /** When the page handled it (Date.now() in the page, ms since epoch). */
  at: number;
}

/** Installed in every page: reports each change of a text box with its time, through the console. */
function reportKeystrokes() {
  document.addEventListener(
    'input',
    (e) => {
      if (e.target instanceof HTMLTextAreaElement)
        console.debug(`drafts-e2e-key ${e.target.value.length} ${Date.now()}`);
    },
    true,
  );
}

/** A Chromium of our own on a profile folder, with Playwright connected to it over CDP. */
interface OwnChromium {
  process: ChildProcess;
  browser: Browser;
  page: Page;
}

async function launchChromium(profileDir: string): Promise<OwnChromium> {
  const executable = process.env.COLONNADE_E2E_CHROMIUM ?? findOrProvideChromium();
  const child = spawn(
    executable,
    [
      ...CHROMIUM_ARGS,
      '--headless',
      '--remote-debugging-port=0',
      `--user-data-dir=${profileDir}`,
      '--lang=en-US',
      '--window-size=1400,850',
      'about:blank',
    ],
    // Its own process group, so a kill takes every process of it at once.
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LANG: 'en_US.UTF-8' } },
  );
  let output = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`Chromium exited (${code}) before listening:\n${output}`)));
  });
  const browser = await chromium.connectOverCDP(endpoint);
  const context = browser.contexts()[0]!;
  await context.addInitScript(reportKeystrokes);
  const page = context.pages()[0] ?? (await context.newPage());
  return { process: child, browser, page };
}

/** SIGKILL to the whole Chromium (its process group); resolves once the browser process is gone. */
async function killChromium(own: OwnChromium): Promise<void> {
  if (own.process.exitCode !== null || own.process.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => own.process.once('exit', () => resolve()));
  process.kill(-own.process.pid!, 'SIGKILL');
  await exited;
}

/** The keystrokes the page reports from now on, in order. */
function recordKeystrokes(page: Page): Keystroke[] {
  const keys: Keystroke[] = [];
  page.on('console', (m) => {
    const match = /^drafts-e2e-key (\d+) (\d+)$/.exec(m.text());
    if (match) keys.push({ length: Number(match[1]), at: Number(match[2]) });
  });
  return keys;
}

/**
 * Types `text` one character at a time, KEY_GAP_MS apart, into the focused text box; stops
 * quietly when the page goes away (the kill). Resolves with how many characters were sent.
 */
async function typeSlowly(page: Page, text: string): Promise<number> {
  let sent = 0;
  for (const ch of text) {
    try {
      await page.keyboard.type(ch);
    } catch {
      return sent;
    }
    sent++;
    await new Promise((resolve) => setTimeout(resolve, KEY_GAP_MS));
  }
  return sent;
}

/** Opens the app with a Drafts column, then the composer; answers its text box. */
async function openComposer(page: Page, url: string) {
  await page.goto(url);
  await expect(page.getByRole('tab', { name: 'Sandbox', selected: true })).toBeVisible();
  if ((await column(page, 'Drafts').count()) === 0) await addColumn(page, /^Drafts/);
  await expect(column(page, 'Drafts')).toBeVisible();
  await page.getByRole('button', { name: 'New post' }).click();
  const box = page.getByRole('dialog', { name: 'New post' }).getByRole('textbox', { name: 'Text' });
  await box.click();
  return box;
}

/** Waits until the page has reported `count` keystrokes (the typing is under way). */
async function keystrokesReached(keys: Keystroke[], count: number) {
  await expect.poll(() => keys.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(count);
}

/** The drafts as stored (not deleted): each one's text, its parts joined by line breaks. */
async function draftTexts(page: Page): Promise<string[]> {
  return (await storedDrafts(page)).filter((d) => !d.deleted).map((d) => d.texts.join('\n'));
}

/**
 * The one draft the Drafts column lists, after the app was opened again: its text as stored, once
 * the column shows it (the column shows it trimmed).
 */
async function draftInColumn(page: Page, url: string): Promise<string> {
  await page.goto(url);
  const drafts = column(page, 'Drafts');
  await expect(drafts.getByRole('article')).toHaveCount(1);
  const stored = await draftTexts(page);
  expect(stored).toHaveLength(1);
  await expect(drafts.getByRole('article').locator('.draft-text')).toHaveText(stored[0]!.trim());
  return stored[0]!;
}

/**
 * The promise, checked: the draft holds the beginning of what was typed, and at least
 * everything typed more than DURABLE_WITHIN_MS before the kill. Notes the figures in the report.
 */
function expectSavedUpToKill(saved: string, keys: readonly Keystroke[], killedAt: number, what: string) {
  const due = keys.filter((k) => k.at <= killedAt - DURABLE_WITHIN_MS);
  const mustHave = due.length ? due[due.length - 1]!.length : 0;
  const typedBeforeKill = Math.max(0, ...keys.filter((k) => k.at <= killedAt).map((k) => k.length));
  test.info().annotations.push({
    type: what,
    description:
      `${keys.length} keystrokes reported; typed before the kill: ${typedBeforeKill} characters; ` +
      `due (older than ${DURABLE_WITHIN_MS} ms): ${mustHave}; saved: ${saved.length}`,
  });
  expect(mustHave).toBeGreaterThan(0);
  expect(TEXT.startsWith(saved)).toBe(true);
  expect(saved.length).toBeGreaterThanOrEqual(mustHave);
}

/** A fresh profile folder, removed at the end. */
function profileFolder(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'colonnade-e2e-profile-'));
}

/** The process id of the one headless host this test process started (a child running out/main/host.js). */
function hostPid(): number {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => !!m && Number(m[2]) === process.pid && m[3]!.includes('out/main/host.js'));
  expect(rows, 'exactly one host started by this test').toHaveLength(1);
  return Number(rows[0]![1]);
}

/** Whether a process of this id still runs (signal 0 checks without sending). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test.describe('drafts survive kills mid-typing', () => {
  let own: OwnChromium | undefined;
  let profile: string;
  test.beforeEach(() => {
    profile = profileFolder();
  });
  test.afterEach(async () => {
    // Disconnected first: Playwright then stops its trace of the browser's context before it goes.
    await own?.browser.close().catch(() => undefined);
    if (own) await killChromium(own).catch(() => undefined);
    own = undefined;
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
  });

  test('a renderer crash (Page.crash) keeps every keystroke older than 300 ms', async ({ harness }) => {
    own = await launchChromium(profile);
    const page = own.page;
    const keys = recordKeystrokes(page);
    await openComposer(page, harness.url);
    const typing = typeSlowly(page, TEXT);
    await keystrokesReached(keys, KEYS_BEFORE_KILL);

    const crashed = new Promise<void>((resolve) => page.once('crash', () => resolve()));
    const cdp = await page.context().newCDPSession(page);
    const killedAt = Date.now();
    // Chromium answers nothing: the renderer is gone.
    void cdp.send('Page.crash').catch(() => undefined);
    await crashed;
    const sent = await typing;
    expect(sent).toBeLessThan([...TEXT].length);

    // The browser lives on: the app opened again in a new tab finds the draft.
    const again = await page.context().newPage();
    const saved = await draftInColumn(again, harness.url);
    expectSavedUpToKill(saved, keys, killedAt, 'renderer crash');
  });

  test('killing the whole browser (SIGKILL) keeps every keystroke older than 300 ms', async ({ harness }) => {
    own = await launchChromium(profile);
    const keys = recordKeystrokes(own.page);
    await openComposer(own.page, harness.url);
    const typing = typeSlowly(own.page, TEXT);
    await keystrokesReached(keys, KEYS_BEFORE_KILL);

    const killedAt = Date.now();
    await killChromium(own);
    const sent = await typing;
    expect(sent).toBeLessThan([...TEXT].length);

    // Launched again on the same profile folder, against the same host (the same origin).
    own = await launchChromium(profile);
    const saved = await draftInColumn(own.page, harness.url);
    expectSavedUpToKill(saved, keys, killedAt, 'browser kill');
  });

  test('killing the core (SIGKILL) mid-typing loses nothing: typing goes on and the draft is complete', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonnade-e2e-'));
    let host: Harness | undefined = await startHarness({ dataDir });
    const port = host.port;
    try {
      own = await launchChromium(profile);
      const page = own.page;
      const keys = recordKeystrokes(page);
      const box = await openComposer(page, host.url);
      const typing = typeSlowly(page, TEXT);
      await keystrokesReached(keys, KEYS_BEFORE_KILL);

      const pid = hostPid();
      process.kill(pid, 'SIGKILL');
      host = undefined; // gone: nothing to stop
      await expect.poll(() => alive(pid)).toBe(false);
      // The page sees the core gone, and typing goes on regardless.
      await expect(page.getByRole('alert').filter({ hasText: CONNECTION_LOST })).toBeVisible();
      expect(await typing).toBe([...TEXT].length);
      await expect(box).toHaveValue(TEXT);
      await expect.poll(() => draftTexts(page)).toEqual([TEXT]);

      // A new core on the same port and data folder: the same origin, the same IndexedDB.
      host = await startHarness({ dataDir, port });
      const saved = await draftInColumn(page, host.url);
      expect(saved).toBe(TEXT);
    } finally {
      await host?.stop();
      fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
    }
  });
});
