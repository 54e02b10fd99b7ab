// The Electron shell against a fake Electron (tests/doubles/fake-electron.ts) and the real core on
// Node ports in a temporary data folder: window security, IPC trust, lifecycle, tray, links, CSP.
// Also the safeStorage secret store and the built preload (out/preload/index.cjs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../src/main/core/ports';
import { nodePorts } from '../../../src/main/host/node-ports';
import { safeStorageSecrets } from '../../../src/main/shell/electron-ports';
import { isExternalLink, startShell, type Shell } from '../../../src/main/shell/shell';
import {
  EVENT_CHANNELS,
  REQUEST_CHANNELS,
  ipcEventName,
  ipcRequestName,
  type RequestChannel,
} from '../../../src/shared/ipc/channels';
import {
  createFakeElectron,
  FakeEvent,
  FakeSafeStorage,
  FakeWebContents,
  type FakeBrowserWindow,
  type FakeElectron,
  type FakeElectronOptions,
} from '../../doubles/fake-electron';

const ROOT = path.resolve(import.meta.dirname, '../../..');

class ListLogger implements Logger {
  readonly lines: string[] = [];
  info = (message: string) => void this.lines.push(`info ${message}`);
  warn = (message: string) => void this.lines.push(`warn ${message}`);
  error = (message: string) => void this.lines.push(`error ${message}`);
}

type AnyResult = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string; field?: string } };

interface Started {
  fake: FakeElectron;
  shell: Shell;
  log: ListLogger;
  outDir: string;
  win: FakeBrowserWindow;
  /** A request from the window's own page (the trusted sender and frame). */
  request(channel: RequestChannel, payload?: unknown): Promise<AnyResult>;
  /** A request from any sender and frame URL (null: no frame). */
  requestFrom(sender: object, frameUrl: string | null, channel: RequestChannel, payload?: unknown): Promise<AnyResult>;
  /** The tray once the shell has built it from the settings. */
  tray(): Promise<NonNullable<FakeElectron['trays'][number]>>;
}

const tempDirs: string[] = [];
const running: FakeElectron[] = [];

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

afterEach(() => {
  // Quitting stops the core (its feeds' timers); then the data folders go.
  for (const fake of running.splice(0)) fake.app.quit();
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function start(
  opts: { electron?: FakeElectronOptions; devServerUrl?: string; installDir?: string } = {},
): Promise<Started> {
  const fake = createFakeElectron({ pathsRoot: tempDir('colonnade-paths-'), ...opts.electron });
  running.push(fake);
  const log = new ListLogger();
  const dataDir = tempDir('colonnade-shell-');
  const outDir = path.join(opts.installDir ?? tempDir('colonnade-app-'), 'out', 'main');
  const shell = startShell({
    electron: fake.api,
    ports: () => nodePorts({ dataDir, log, version: '0.1.0-test', sandboxSeed: 42 }),
    outDir,
    devServerUrl: opts.devServerUrl,
    iconPath: path.join(ROOT, 'build/icon.png'),
  });
  await shell.ready;
  const win = fake.windows[0];
  if (!win) throw new Error('the shell created no window');
  const requestFrom = async (sender: object, frameUrl: string | null, channel: RequestChannel, payload?: unknown) =>
    (await fake.ipcMain.invoke(ipcRequestName(channel), { sender, frameUrl }, payload)) as AnyResult;
  return {
    fake,
    shell,
    log,
    outDir,
    win,
    requestFrom,
    request: (channel, payload) => requestFrom(win.webContents, win.webContents.getURL(), channel, payload),
    tray: async () => {
      await vi.waitFor(() => expect(fake.trays[0]?.menu).toBeDefined());
      return fake.trays[0]!;
    },
  };
}

describe('the window', () => {
  it('is created sandboxed, isolated, without Node and with web security, preloading preload/index.cjs', async () => {
    const { fake, shell, win, outDir } = await start();
    expect(fake.createdWindows).toHaveLength(1);
    expect(shell.window()).toBe(win as unknown);
    const prefs = win.options.webPreferences!;
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
    expect(prefs.preload!.replace(/\\/g, '/')).toMatch(/\/preload\/index\.cjs$/);
    expect(path.isAbsolute(prefs.preload!)).toBe(true);
    // The built renderer, next to the main bundle.
    expect(win.loads).toEqual([{ kind: 'file', target: path.join(outDir, '../renderer/index.html') }]);
  });

  it('has its web preferences written out at the new BrowserWindow call, for a reviewer or scanner', () => {
    const source = fs.readFileSync(path.join(ROOT, 'src/main/shell/shell.ts'), 'utf8');
    const call = source.slice(source.indexOf('new BrowserWindow({'));
    const prefs = call.slice(call.indexOf('webPreferences: {'), call.indexOf('},', call.indexOf('webPreferences: {')));
    for (const line of [
      'sandbox: true',
      'contextIsolation: true',
      'nodeIntegration: false',
      'nodeIntegrationInWorker: false',
      'nodeIntegrationInSubFrames: false',
      'webSecurity: true',
      'allowRunningInsecureContent: false',
      'experimentalFeatures: false',
      'webviewTag: false',
    ]) {
      expect(prefs).toContain(line);
    }
  });

  it('gives the window every hardening preference (no webview, no experimental features)', async () => {
    const { win } = await start();
    expect(win.options.webPreferences).toMatchObject({
      nodeIntegrationInSubFrames: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
  });

  it('stays hidden until the page is ready to show', async () => {
    const { win } = await start();
    expect(win.options.show).toBe(false);
    expect(win.visible).toBe(false);
    win.becomeReady();
    expect(win.visible).toBe(true);
  });

  it('loads the dev server instead when there is one', async () => {
    const { win } = await start({ devServerUrl: 'http://localhost:5173' });
    expect(win.loads).toEqual([{ kind: 'url', target: 'http://localhost:5173' }]);
  });
});

describe('IPC', () => {
  it('has a handler for every request channel of the contract, and nothing else', async () => {
    const { fake } = await start();
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual(REQUEST_CHANNELS.map(ipcRequestName).sort());
  });

  it('answers requests from its own window', async () => {
    const { request } = await start();
    const layout = await request('layout.get', {});
    expect(layout.ok).toBe(true);
    const value = (layout as { value: { decks: unknown[]; activeDeckId: string } }).value;
    expect(value.decks.length).toBeGreaterThan(0);
    const info = await request('app.info');
    expect(info).toMatchObject({ ok: true, value: { version: '0.1.0-test' } });
  });

  it('refuses requests from another webContents, from a foreign frame, or with no frame', async () => {
    const { win, log, requestFrom } = await start();
    const appUrl = win.webContents.getURL();
    const refused = { ok: false, error: { code: 'bad-request', reason: 'request-refused' } };
    expect(await requestFrom(new FakeWebContents(), appUrl, 'layout.get', {})).toMatchObject(refused);
    expect(await requestFrom(win.webContents, 'https://evil.example/', 'layout.get', {})).toMatchObject(refused);
    expect(await requestFrom(win.webContents, 'file:///etc/passwd', 'layout.get', {})).toMatchObject(refused);
    expect(await requestFrom(win.webContents, null, 'layout.get', {})).toMatchObject(refused);
    expect(log.lines.filter((l) => l.includes('untrusted frame'))).toHaveLength(4);
    // A hash on the app's own URL is still the app.
    expect(await requestFrom(win.webContents, `${appUrl}#/deck/2`, 'layout.get', {})).toMatchObject({ ok: true });
  });

  it('answers a malformed payload with an error result, never by throwing', async () => {
    const { request } = await start();
    await expect(request('deck.create', { name: 42 })).resolves.toMatchObject({
      ok: false,
      error: { code: 'bad-request', field: 'name' },
    });
    for (const payload of ['deck', 7, [], { name: 'x', extra: true }, { deckId: { $gt: '' } }]) {
      const result = await request('deck.create', payload);
      expect(result.ok).toBe(false);
    }
    expect(await request('deck.delete', { deckId: 'no-such-deck' })).toMatchObject({ ok: false });
  });

  it('sends core events to the window', async () => {
    const { win, request } = await start();
    const created = await request('deck.create', { name: 'Launch week' });
    expect(created.ok).toBe(true);
    const layoutEvents = win.webContents.sent.filter((m) => m.channel === ipcEventName('layout.changed'));
    expect(layoutEvents.length).toBeGreaterThan(0);
    const last = layoutEvents.at(-1)!.args[0] as { decks: Array<{ name: string }> };
    expect(last.decks.map((d) => d.name)).toContain('Launch week');
    // Only the contract's event channels ever reach the renderer.
    const allowed = new Set<string>(EVENT_CHANNELS.map(ipcEventName));
    for (const message of win.webContents.sent) expect(allowed.has(message.channel)).toBe(true);
  });

  it('sends nothing to a window that is being destroyed', async () => {
    const { win, request } = await start();
    const before = win.webContents.sent.length;
    win.destroyed = true; // destroyed, and 'closed' not delivered yet
    expect(await request('deck.create', { name: 'Late' })).toMatchObject({ ok: true });
    expect(win.webContents.sent.length).toBe(before);
  });

  it('trusts its window when the app is installed under a path with spaces, # or ?', async () => {
    const installDir = path.join(tempDir('colonnade-install-'), 'My Apps #1 ?beta');
    const { request, win } = await start({ installDir });
    // What Chromium reports for loadFile() of that path.
    expect(win.webContents.getURL()).toContain('My%20Apps%20%231%20%3Fbeta');
    expect(await request('layout.get', {})).toMatchObject({ ok: true });
  });

  it('under the dev server, trusts that origin only', async () => {
    const { win, requestFrom } = await start({ devServerUrl: 'http://localhost:5173' });
    expect(await requestFrom(win.webContents, 'http://localhost:5173/', 'layout.get', {})).toMatchObject({ ok: true });
    for (const url of ['http://localhost:5173.evil.example/', 'http://localhost:51730/', 'https://localhost:5173/']) {
      expect(await requestFrom(win.webContents, url, 'layout.get', {})).toMatchObject({ ok: false });
      expect(win.webContents.navigate(url).defaultPrevented).toBe(true);
    }
  });
});

describe('single instance', () => {
  it('quits without a window when another instance holds the lock', async () => {
    const fake = createFakeElectron({ singleInstanceLock: false, pathsRoot: tempDir('colonnade-paths-') });
    let portsBuilt = false;
    const shell = startShell({
      electron: fake.api,
      ports: () => {
        portsBuilt = true;
        throw new Error('a second instance must not open the data folder');
      },
      outDir: path.join(ROOT, 'out/main'),
      iconPath: path.join(ROOT, 'build/icon.png'),
    });
    expect(fake.app.quitRequested).toBe(true);
    const settled = await Promise.race([
      shell.ready.then(() => 'ready'),
      new Promise((r) => setTimeout(r, 50, 'pending')),
    ]);
    expect(settled).toBe('pending');
    expect(fake.createdWindows).toHaveLength(0);
    expect(fake.ipcMain.handlers.size).toBe(0);
    expect(shell.window()).toBeUndefined();
    expect(portsBuilt).toBe(false);
  });

  it('shows, restores and focuses the window when a second instance starts', async () => {
    const { fake, win } = await start();
    win.becomeReady();
    win.minimize();
    fake.app.emit('second-instance', {}, ['colonnade'], '/');
    expect(win.isMinimized()).toBe(false);
    expect(win.visible).toBe(true);
    expect(win.focused).toBe(true);

    win.hide();
    fake.app.emit('second-instance', {}, ['colonnade'], '/');
    expect(win.visible).toBe(true);
    expect(win.focused).toBe(true);
  });
});

describe('closing and quitting', () => {
  it('hides the window to the tray on close, and really closes it once quitting', async () => {
    const { fake, win, tray } = await start();
    await tray();
    win.becomeReady();

    const close = win.close();
    expect(close.defaultPrevented).toBe(true);
    expect(win.isDestroyed()).toBe(false);
    expect(win.visible).toBe(false);
    expect(fake.app.quitRequested).toBe(false);

    fake.app.emit('before-quit', {});
    const second = win.close();
    expect(second.defaultPrevented).toBe(false);
    expect(win.isDestroyed()).toBe(true);
  });

  it('quits from the tray menu, closing the window', async () => {
    const { fake, win, tray } = await start();
    (await tray()).menu!.click('Quit Colonnade');
    expect(fake.app.quitRequested).toBe(true);
    expect(win.isDestroyed()).toBe(true);
    expect(fake.windows).toHaveLength(0);
  });

  it('quits when the window closes and there is no tray', async () => {
    const { fake, win, log } = await start({ electron: { tray: 'throw' } });
    await vi.waitFor(() => expect(log.lines).toContain('warn no tray on this desktop; closing the window will quit'));
    expect(fake.trays).toHaveLength(0);
    expect(win.close().defaultPrevented).toBe(false);
    if (process.platform !== 'darwin') expect(fake.app.quitRequested).toBe(true);
  });
});

describe('links and navigation', () => {
  it('denies every new window and opens only http(s) links in the system browser', async () => {
    const { fake, win } = await start();
    const urls = [
      'https://example.com/post/1',
      'http://example.org/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'smb://server/share',
      'not a url',
    ];
    for (const url of urls) expect(win.webContents.openWindow(url)).toEqual({ action: 'deny' });
    expect(fake.shell.opened).toEqual(['https://example.com/post/1', 'http://example.org/']);
  });

  it('opens nothing on a middle-click (auxclick) or Ctrl+click: a background tab is denied and stays closed', async () => {
    const { fake, win } = await start();
    expect(win.webContents.openWindow('https://example.com/post/1', 'background-tab')).toEqual({ action: 'deny' });
    expect(win.webContents.openWindow('https://example.com/post/2', 'default')).toEqual({ action: 'deny' });
    expect(win.webContents.openWindow('https://example.com/post/3', 'other')).toEqual({ action: 'deny' });
    expect(fake.shell.opened).toEqual([]);
    // A plain click (and Shift+click) on a post's link still opens it in the browser.
    win.webContents.openWindow('https://example.com/post/4', 'foreground-tab');
    win.webContents.openWindow('https://example.com/post/5', 'new-window');
    expect(fake.shell.opened).toEqual(['https://example.com/post/4', 'https://example.com/post/5']);
  });

  it('refuses to attach a <webview>', async () => {
    const { win } = await start();
    const event = new FakeEvent();
    win.webContents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });

  it('prevents navigation away from the app', async () => {
    const { win } = await start();
    const appUrl = win.webContents.getURL();
    expect(win.webContents.navigate('https://evil.example/').defaultPrevented).toBe(true);
    expect(win.webContents.navigate('file:///etc/passwd').defaultPrevented).toBe(true);
    expect(win.webContents.navigate(`${appUrl}#/settings`).defaultPrevented).toBe(false);
  });

  it('guards every webContents, not only the window’s', async () => {
    const { fake } = await start();
    const other = new FakeWebContents();
    fake.app.emit('web-contents-created', {}, other);
    expect(other.navigate('https://evil.example/').defaultPrevented).toBe(true);
    expect(other.openWindow('https://example.com/')).toEqual({ action: 'deny' });
  });

  it('isExternalLink accepts http(s) only', () => {
    expect(isExternalLink('https://a.example/')).toBe(true);
    expect(isExternalLink('HTTP://A.EXAMPLE/')).toBe(true);
    for (const url of ['file:///x', 'javascript:void 0', 'mailto:a@b.c', '', 'https//no-colon']) {
      expect(isExternalLink(url)).toBe(false);
    }
  });
});

describe('permissions', () => {
  const DENIED = [
    'media',
    'geolocation',
    'clipboard-read',
    'clipboard-sanitized-write',
    'midi',
    'midiSysex',
    'hid',
    'serial',
    'usb',
    'fullscreen',
    'pointerLock',
    'idle-detection',
    'openExternal',
    'storage-access',
    'display-capture',
    'unknown',
  ];

  it('denies every permission request but notifications from the app’s own page', async () => {
    const { fake, win } = await start();
    for (const permission of DENIED) expect(await fake.permissions.request(win.webContents, permission)).toBe(false);
    expect(await fake.permissions.request(win.webContents, 'notifications')).toBe(true);
  });

  it('answers permission checks the same way', async () => {
    const { fake, win } = await start();
    for (const permission of DENIED) expect(fake.permissions.check(win.webContents, permission)).toBe(false);
    expect(fake.permissions.check(win.webContents, 'notifications')).toBe(true);
    expect(fake.permissions.check(null, 'notifications')).toBe(false);
  });

  it('denies even notifications to a page that is not the app', async () => {
    const { fake } = await start();
    const foreign = new FakeWebContents();
    foreign.didLoad('https://evil.example/');
    expect(await fake.permissions.request(foreign, 'notifications')).toBe(false);
    expect(fake.permissions.check(foreign, 'notifications')).toBe(false);
  });
});

describe('Content Security Policy', () => {
  it('is added to every response, strict about scripts', async () => {
    const { fake } = await start();
    expect(fake.webRequest.headersListener).toBeDefined();
    const answer = fake.webRequest.receive('file:///app/out/renderer/index.html', { 'X-Other': ['kept'] });
    const headers = answer!.responseHeaders!;
    expect(headers['X-Other']).toEqual(['kept']);
    const csp = ([] as string[]).concat(headers['Content-Security-Policy']!).join('; ');
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain("'unsafe-inline'");
  });
});

describe('the tray', () => {
  it('uses the icon and says Colonnade', async () => {
    const { tray } = await start();
    const t = await tray();
    expect(t.image.path).toBe(path.join(ROOT, 'build/icon.png'));
    expect(t.toolTip).toBe('Colonnade');
  });

  it('follows the language setting', async () => {
    const { tray, request } = await start();
    const t = await tray();
    expect(t.menu!.labels()).toEqual(['Show Colonnade', 'Quit Colonnade']);

    expect(await request('settings.update', { language: 'fr' })).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(t.menu!.labels()).toEqual(['Afficher Colonnade', 'Quitter Colonnade']));

    expect(await request('settings.update', { language: 'en' })).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(t.menu!.labels()).toEqual(['Show Colonnade', 'Quit Colonnade']));
  });

  it('follows the system language when the setting is "system"', async () => {
    const { tray } = await start({ electron: { systemLanguages: ['fr-CA', 'en-US'] } });
    expect((await tray()).menu!.labels()).toEqual(['Afficher Colonnade', 'Quitter Colonnade']);
  });

  it('shows the window from its menu and on click', async () => {
    const { win, tray } = await start();
    const t = await tray();
    t.menu!.click('Show Colonnade');
    expect(win.visible).toBe(true);
    win.hide();
    t.emit('click');
    expect(win.visible).toBe(true);
    expect(win.focused).toBe(true);
  });
});

describe('safeStorageSecrets', () => {
  const storage = (opts: FakeElectronOptions) =>
    new FakeSafeStorage(opts) as unknown as Parameters<typeof safeStorageSecrets>[0];

  it('is not strong on Linux with the basic_text backend (no keyring)', async () => {
    const secrets = safeStorageSecrets(storage({ storageBackend: 'basic_text' }), 'linux');
    expect(await secrets.isStrong()).toBe(false);
  });

  it('is strong with a keyring, and on other systems', async () => {
    expect(await safeStorageSecrets(storage({ storageBackend: 'gnome_libsecret' }), 'linux').isStrong()).toBe(true);
    expect(await safeStorageSecrets(storage({ storageBackend: 'kwallet6' }), 'linux').isStrong()).toBe(true);
    expect(await safeStorageSecrets(storage({ storageBackend: 'basic_text' }), 'darwin').isStrong()).toBe(true);
    expect(await safeStorageSecrets(storage({ storageBackend: 'unknown' }), 'win32').isStrong()).toBe(true);
  });

  it('is not strong when encryption is unavailable', async () => {
    const secrets = safeStorageSecrets(storage({ encryptionAvailable: false }), 'darwin');
    expect(await secrets.isStrong()).toBe(false);
  });

  it('round-trips a secret through base64 ciphertext', async () => {
    const secrets = safeStorageSecrets(storage({}), 'linux');
    const plain = 'token: s3cr3t — café ✓';
    const cipher = await secrets.encrypt(plain);
    expect(cipher).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(cipher).not.toContain('s3cr3t');
    expect(Buffer.from(cipher, 'base64').toString('utf8')).not.toContain('s3cr3t');
    expect(await secrets.decrypt(cipher)).toBe(plain);
    expect(await secrets.decrypt(await secrets.encrypt(''))).toBe('');
  });

  it('rejects a ciphertext it did not make', async () => {
    const secrets = safeStorageSecrets(storage({}), 'linux');
    await expect(secrets.decrypt(Buffer.from('garbage').toString('base64'))).rejects.toThrow();
  });
});

describe('the built preload (out/preload/index.cjs)', () => {
  const preloadFile = path.join(ROOT, 'out/preload/index.cjs');
  const built = fs.existsSync(preloadFile);
  const NOT_BUILT =
    'out/preload/index.cjs is missing: run `npm run build` first (`npm test` builds before the unit tests)';

  interface Bridge {
    invoke(channel: unknown, payload?: unknown): Promise<unknown>;
    on(channel: unknown, handler: unknown): () => void;
  }

  /** Runs the bundle as a sandboxed preload would: a CommonJS module whose only require is 'electron'. */
  function loadPreload() {
    const exposed: Array<{ key: string; api: unknown }> = [];
    const invoked: Array<{ channel: string; args: unknown[] }> = [];
    const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
    const electron = {
      contextBridge: {
        exposeInMainWorld: (key: string, api: unknown) => void exposed.push({ key, api }),
      },
      ipcRenderer: {
        invoke: (channel: string, ...args: unknown[]) => {
          invoked.push({ channel, args });
          return Promise.resolve({ ok: true, value: 'answer' });
        },
        on: (channel: string, listener: (...args: unknown[]) => void) => {
          if (!listeners.has(channel)) listeners.set(channel, new Set());
          listeners.get(channel)!.add(listener);
        },
        removeListener: (channel: string, listener: (...args: unknown[]) => void) => {
          listeners.get(channel)?.delete(listener);
        },
      },
    };
    const required: string[] = [];
    const fakeRequire = (id: string) => {
      required.push(id);
      if (id === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require ${id}`);
    };
    const module = { exports: {} as Record<string, unknown> };
    const source = fs.readFileSync(preloadFile, 'utf8');
    new Function('require', 'module', 'exports', '__filename', '__dirname', source)(
      fakeRequire,
      module,
      module.exports,
      preloadFile,
      path.dirname(preloadFile),
    );
    return { exposed, invoked, listeners, required };
  }

  it('exposes only window.colonnade, with invoke and on, requiring nothing but electron', (ctx) => {
    ctx.skip(!built, NOT_BUILT);
    const { exposed, required } = loadPreload();
    expect(required).toEqual(['electron']);
    expect(exposed).toHaveLength(1);
    expect(exposed[0]!.key).toBe('colonnade');
    expect(Object.keys(exposed[0]!.api as object).sort()).toEqual(['invoke', 'on']);
  });

  it('invokes known channels on the namespaced IPC name and rejects unknown ones', async (ctx) => {
    ctx.skip(!built, NOT_BUILT);
    const { exposed, invoked } = loadPreload();
    const bridge = exposed[0]!.api as Bridge;
    await expect(bridge.invoke('layout.get', {})).resolves.toEqual({ ok: true, value: 'answer' });
    expect(invoked).toEqual([{ channel: 'colonnade:layout.get', args: [{}] }]);
    for (const channel of ['shell.openExternal', 'colonnade:layout.get', '__proto__', 42, undefined]) {
      await expect(bridge.invoke(channel, {})).rejects.toThrow(/Unknown channel/);
    }
    expect(invoked).toHaveLength(1);
  });

  it('subscribes to known events only, passes the payload without the IPC event, unsubscribes', (ctx) => {
    ctx.skip(!built, NOT_BUILT);
    const { exposed, listeners } = loadPreload();
    const bridge = exposed[0]!.api as Bridge;
    const received: unknown[][] = [];
    const off = bridge.on('layout.changed', (...args: unknown[]) => received.push(args));
    const name = ipcEventName('layout.changed');
    expect([...listeners.keys()]).toEqual([name]);
    for (const listener of listeners.get(name)!) listener({ sender: 'the ipcRenderer' }, { decks: [] });
    expect(received).toEqual([[{ decks: [] }]]);
    off();
    expect(listeners.get(name)!.size).toBe(0);

    expect(() => bridge.on('colonnade-event:layout.changed', () => undefined)).toThrow(/Unknown event/);
    expect(() => bridge.on('layout.changed', 'not a function')).toThrow(/Unknown event/);
  });
});

describe('desktop notifications, badge and sleep (Electron ports)', () => {
  it('shows an alert silently unless asked, calls back on click, sets the badge, and hears a resume', async () => {
    const { electronPorts } = await import('../../../src/main/shell/electron-ports');
    const fake = createFakeElectron({ pathsRoot: tempDir('colonnade-paths-') });
    running.push(fake);
    const ports = electronPorts(fake.api, () => {
      throw new Error('no documents in this test');
    });
    const clicked: string[] = [];
    ports.notifier.notify({
      title: '#IFPower: new post',
      body: 'Gina: hello',
      sound: false,
      onClick: () => clicked.push('a'),
    });
    ports.notifier.notify({ title: 'Loud', body: 'b', sound: true });
    expect(fake.notifications.map((n) => [n.options.title, n.options.silent])).toEqual([
      ['#IFPower: new post', true],
      ['Loud', false],
    ]);
    fake.notifications[0]!.click();
    expect(clicked).toEqual(['a']);
    ports.notifier.badge(3);
    expect(fake.app.badgeCount).toBe(3);
    ports.notifier.badge(0);
    expect(fake.app.badgeCount).toBe(0);

    let resumed = 0;
    const off = ports.power.onResume(() => resumed++);
    fake.powerMonitor.resume();
    off();
    fake.powerMonitor.resume();
    expect(resumed).toBe(1);
  });
});
