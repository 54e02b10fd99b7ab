// The thin Electron shell: lifecycle, the one window, tray, IPC wiring. Everything else is the
// core (createCore), which the headless host runs too.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInstance } from 'i18next';
import { resolveLanguage, type Settings } from '../../shared/settings';
import { fail } from '../../shared/errors';
import { EVENT_CHANNELS, REQUEST_CHANNELS, ipcEventName, ipcRequestName } from '../../shared/ipc/channels';
import en from '../../shared/i18n/en.json';
import fr from '../../shared/i18n/fr.json';
import { createCore, type Core } from '../core/app-core';
import type { Logger, Ports } from '../core/ports';
import type { NetworkModule } from '../networks/module';
import { CONTENT_SECURITY_POLICY } from '../shared-security';
import type { ElectronApi } from './electron-api';

type BrowserWindow = InstanceType<ElectronApi['BrowserWindow']>;
type Tray = InstanceType<ElectronApi['Tray']>;

export interface ShellOptions {
  electron: ElectronApi;
  ports: () => Ports;
  /** Folder of the built main bundle (preload and renderer are its siblings). */
  outDir: string;
  /** The dev server's URL under `electron-vite dev`; absent in a built app. */
  devServerUrl?: string | undefined;
  iconPath: string;
  /** The networks accounts can be connected on. */
  networks?: readonly NetworkModule[];
}

export interface Shell {
  /** Resolves once the window exists (or never, for a second instance that quits). */
  ready: Promise<void>;
  window(): BrowserWindow | undefined;
}

/**
 * The only permission a page may hold: notifications, and only the app's own page. Everything
 * else (camera, microphone, geolocation, clipboard read and write, MIDI, HID, serial, USB,
 * fullscreen, pointer lock, idle detection, storage access…) is denied, asked or checked. The
 * renderer writes nothing to the clipboard, so no clipboard permission is granted either.
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications']);

/**
 * How a link may leave the app: a plain click on a `target=_blank` link or `window.open`
 * ('foreground-tab', 'new-window'). A middle-click (auxclick) or Ctrl+click asks for a
 * 'background-tab'; 'default' and 'other' are neither: those open nothing.
 */
export const OPENING_DISPOSITIONS: ReadonlySet<string> = new Set(['foreground-tab', 'new-window']);

/** Only http(s) links leave the app, and only to the system browser. */
export function isExternalLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

export function startShell(opts: ShellOptions): Shell {
  const { app, BrowserWindow, ipcMain, shell: desktop, Tray, Menu, nativeImage } = opts.electron;
  let win: BrowserWindow | undefined;
  let tray: Tray | undefined;
  let core: Core | undefined;
  let log: Logger | undefined;
  let quitting = false;

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { ready: new Promise(() => undefined), window: () => undefined };
  }

  const rendererFile = path.join(opts.outDir, '../renderer/index.html');
  // The URL Chromium reports for loadFile(rendererFile): '#', '?' and spaces in the path are escaped.
  const rendererUrl = opts.devServerUrl ?? pathToFileURL(rendererFile).href;
  const devOrigin = opts.devServerUrl === undefined ? undefined : new URL(opts.devServerUrl).origin;
  const originOf = (url: string) => (URL.canParse(url) ? new URL(url).origin : undefined);
  const isAppUrl = (url: string) =>
    url.split('#')[0] === rendererUrl.split('#')[0] || (devOrigin !== undefined && originOf(url) === devOrigin);

  const showWindow = () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  app.on('second-instance', showWindow);
  app.on('activate', () => (win ? showWindow() : createWindow()));
  app.on('before-quit', () => {
    quitting = true;
    core?.stop();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Every renderer, now or later: no navigation away, no new windows; http(s) links open outside.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url, disposition }) => {
      if (isExternalLink(url) && OPENING_DISPOSITIONS.has(disposition)) void desktop.openExternal(url);
      return { action: 'deny' };
    });
    // No <webview> may be attached, whatever the page asks.
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  const trayLabels = (settings: Settings) => {
    const i18n = createInstance();
    void i18n.init({
      initAsync: false,
      lng: resolveLanguage(settings.language, app.getPreferredSystemLanguages()),
      resources: { en: { translation: en }, fr: { translation: fr } },
      fallbackLng: 'en',
    });
    return { show: i18n.t('tray.show'), quit: i18n.t('tray.quit') };
  };

  const buildTray = (settings: Settings) => {
    const labels = trayLabels(settings);
    if (!tray) {
      try {
        tray = new Tray(nativeImage.createFromPath(opts.iconPath));
      } catch (err) {
        log?.warn('no tray on this desktop; closing the window will quit', { error: String(err) });
        return;
      }
      tray.on('click', showWindow);
    }
    tray.setToolTip('Colonnade');
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: labels.show, click: showWindow },
        { type: 'separator' },
        { label: labels.quit, click: () => app.quit() },
      ]),
    );
  };

  function createWindow() {
    win = new BrowserWindow({
      width: 1400,
      height: 900,
      minWidth: 720,
      minHeight: 480,
      show: false,
      title: 'Colonnade',
      icon: opts.iconPath,
      backgroundColor: '#14171c',
      // Written out here, where a reviewer or a scanner reads them: a sandboxed, isolated renderer
      // without Node, with web security, and nothing experimental.
      webPreferences: {
        preload: path.join(opts.outDir, '../preload/index.cjs'),
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        safeDialogs: true,
        spellcheck: true,
      },
    });
    win.once('ready-to-show', () => win?.show());
    win.on('close', (event) => {
      // Closing hides to the tray where there is one; Quit (tray menu, Cmd+Q) really quits.
      if (!quitting && tray) {
        event.preventDefault();
        win?.hide();
      }
    });
    win.on('closed', () => (win = undefined));
    if (opts.devServerUrl) void win.loadURL(opts.devServerUrl);
    else void win.loadFile(rendererFile);
  }

  const ready = app.whenReady().then(async () => {
    // A clicked alert brings the window back (from the tray, or from behind other windows).
    const ports = { ...opts.ports(), showWindow: () => showWindow() };
    log = ports.log;
    const started = await createCore(ports, { networks: opts.networks ?? [] });
    core = started;
    const trusted = (event: { sender: unknown; senderFrame: { url: string } | null }) =>
      win !== undefined &&
      event.sender === win.webContents &&
      event.senderFrame !== null &&
      isAppUrl(event.senderFrame.url);

    for (const channel of REQUEST_CHANNELS) {
      ipcMain.handle(ipcRequestName(channel), async (event, payload: unknown) => {
        if (!trusted(event)) {
          log?.warn('refused a request from an untrusted frame', { channel });
          return fail({
            code: 'bad-request',
            message: 'Request refused: it did not come from Colonnade’s own window.',
            reason: 'request-refused',
          });
        }
        return started.dispatch(channel, payload);
      });
    }
    started.subscribe((channel, payload) => {
      if (win && !win.isDestroyed() && (EVENT_CHANNELS as readonly string[]).includes(channel)) {
        win.webContents.send(ipcEventName(channel), payload);
      }
    });
    // Permissions: notifications for the app's own page, nothing else, whether asked or checked.
    const session = opts.electron.session.defaultSession;
    const mayHold = (permission: string, contents: { getURL(): string } | null) =>
      ALLOWED_PERMISSIONS.has(permission) && contents !== null && isAppUrl(contents.getURL());
    session.setPermissionRequestHandler((contents, permission, callback) => {
      const granted = mayHold(permission, contents);
      if (!granted) log?.warn('denied a permission request', { permission });
      callback(granted);
    });
    session.setPermissionCheckHandler((contents, permission) => mayHold(permission, contents));
    session.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
      });
    });

    createWindow();
    void started.dispatch('settings.get', {}).then((r) => {
      if (r.ok) buildTray(r.value as Settings);
    });
    started.subscribe((channel, payload) => {
      if (channel === 'settings.changed') buildTray(payload as Settings);
    });
  });

  return { ready, window: () => win };
}
