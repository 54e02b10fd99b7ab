// A typed fake of the part of Electron the shell uses (ElectronApi, src/main/shell/electron-api.ts).
// It records what the shell asks of Electron (windows and their options, IPC handlers, tray menus,
// links opened outside, the header hook) and lets a test play Electron's side: emit app and window
// events, send IPC requests from a chosen sender and frame, navigate, open windows, close them.
//
// It mimics Electron where the shell's behaviour depends on it: a new window's webContents is
// announced with app 'web-contents-created'; loadFile turns a path into the URL Chromium reports;
// ipcMain.handle refuses a second handler for one channel; closing a window can be prevented.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format as formatLegacyUrl } from 'node:url';
import type * as Electron from 'electron';
import type { ElectronApi } from '../../src/main/shell/electron-api';

/** An Electron event object: what listeners receive first and may call preventDefault on. */
export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export type StorageBackend = ReturnType<Electron.SafeStorage['getSelectedStorageBackend']>;

export interface FakeElectronOptions {
  /** What app.requestSingleInstanceLock() answers: false makes this the second instance. */
  singleInstanceLock?: boolean;
  /** Resolve app.whenReady() at once (default) or only when the test calls app.makeReady(). */
  readyAtOnce?: boolean;
  /** app.getPreferredSystemLanguages(). */
  systemLanguages?: string[];
  /** Folder behind app.getPath(); a fresh temporary folder by default. */
  pathsRoot?: string;
  version?: string;
  /** safeStorage: whether async encryption is available, and the Linux backend it reports. */
  encryptionAvailable?: boolean;
  storageBackend?: StorageBackend;
  /** What new Tray() does: 'throw' models a desktop without a status area. */
  tray?: 'ok' | 'throw';
  online?: boolean;
}

// ---------------------------------------------------------------------------------------------
// app

export class FakeApp extends EventEmitter {
  readonly quitCalls: number[] = [];
  /** Open windows, oldest first (shared with the BrowserWindow fake). */
  readonly windows: FakeBrowserWindow[] = [];
  /** True between app.quit() and the end of closing the windows. */
  quitting = false;
  singleInstanceLock: boolean;
  systemLanguages: string[];
  version: string;
  private readonly pathsRoot: string;
  private readonly ready: Promise<void>;
  private markReady!: () => void;

  constructor(opts: FakeElectronOptions) {
    super();
    this.singleInstanceLock = opts.singleInstanceLock ?? true;
    this.systemLanguages = opts.systemLanguages ?? ['en-US'];
    this.version = opts.version ?? '0.0.0-test';
    this.pathsRoot = opts.pathsRoot ?? fs.mkdtempSync(path.join(os.tmpdir(), 'colonnade-fake-electron-'));
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    if (opts.readyAtOnce ?? true) this.markReady();
  }

  requestSingleInstanceLock(): boolean {
    return this.singleInstanceLock;
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  /** Resolves whenReady() (only needed with readyAtOnce: false). */
  makeReady(): void {
    this.markReady();
    this.emit('ready', new FakeEvent());
  }

  /**
   * Like Electron: 'before-quit' (a listener may cancel), then every window is closed (a window may
   * refuse, which cancels the quit; 'window-all-closed' is not emitted), then 'will-quit' and 'quit'.
   */
  quit(): void {
    this.quitCalls.push(Date.now());
    const event = new FakeEvent();
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    this.quitting = true;
    try {
      for (const win of [...this.windows]) {
        if (win.close().defaultPrevented) return;
      }
    } finally {
      this.quitting = false;
    }
    this.emit('will-quit', new FakeEvent());
    this.emit('quit', new FakeEvent(), 0);
  }

  get quitRequested(): boolean {
    return this.quitCalls.length > 0;
  }

  getPath(name: string): string {
    const dir = path.join(this.pathsRoot, name);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  getVersion(): string {
    return this.version;
  }

  getPreferredSystemLanguages(): string[] {
    return [...this.systemLanguages];
  }

  /** The dock / launcher badge the app last set. */
  badgeCount = 0;
  setBadgeCount(count: number): boolean {
    this.badgeCount = count;
    return true;
  }
}

// ---------------------------------------------------------------------------------------------
// windows and their webContents

/** The URL Chromium reports for `win.loadFile(file)`: Electron formats it with the legacy url.format. */
export function electronFileUrl(file: string): string {
  return new URL(formatLegacyUrl({ protocol: 'file', slashes: true, pathname: path.resolve(file) })).href;
}

type WindowOpenHandler = (details: Electron.HandlerDetails) => Electron.WindowOpenHandlerResponse;

export class FakeWebContents extends EventEmitter {
  private static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  windowOpenHandler: WindowOpenHandler | undefined;
  private url = '';

  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }

  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }

  getURL(): string {
    return this.url;
  }

  /** The page finished loading `url` (what loadURL/loadFile lead to). */
  didLoad(url: string): void {
    this.url = url;
  }

  /**
   * Plays a link with target=_blank or window.open(url): the answer of the shell's handler.
   * `disposition` is how Chromium asks: 'foreground-tab' for a click, 'background-tab' for a
   * middle-click (auxclick) or Ctrl+click, 'new-window' for Shift+click or window.open.
   */
  openWindow(
    url: string,
    disposition: Electron.HandlerDetails['disposition'] = 'foreground-tab',
  ): Electron.WindowOpenHandlerResponse {
    if (!this.windowOpenHandler) return { action: 'allow' };
    return this.windowOpenHandler({
      url,
      frameName: '',
      features: '',
      disposition,
      referrer: { url: this.url, policy: 'strict-origin-when-cross-origin' },
    });
  }

  /** Plays a navigation of the main frame; returns the event, so a test sees if it was prevented. */
  navigate(url: string): FakeEvent {
    const event = new FakeEvent();
    this.emit('will-navigate', event, url, false, true);
    if (!event.defaultPrevented) this.url = url;
    return event;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  readonly options: Electron.BrowserWindowConstructorOptions;
  readonly webContents = new FakeWebContents();
  /** Every loadFile / loadURL call, in order. */
  readonly loads: Array<{ kind: 'file' | 'url'; target: string }> = [];
  visible: boolean;
  minimized = false;
  focused = false;
  destroyed = false;
  private readonly app: FakeApp;

  constructor(options: Electron.BrowserWindowConstructorOptions, app: FakeApp) {
    super();
    this.options = options;
    this.app = app;
    this.visible = options.show ?? true;
    app.windows.push(this);
    // Electron announces every new webContents before anything is loaded into it.
    app.emit('web-contents-created', new FakeEvent(), this.webContents);
  }

  loadFile(file: string): Promise<void> {
    this.loads.push({ kind: 'file', target: file });
    this.webContents.didLoad(electronFileUrl(file));
    return Promise.resolve();
  }

  loadURL(url: string): Promise<void> {
    this.loads.push({ kind: 'url', target: url });
    this.webContents.didLoad(url);
    return Promise.resolve();
  }

  show(): void {
    this.visible = true;
    this.minimized = false;
  }

  hide(): void {
    this.visible = false;
    this.focused = false;
  }

  focus(): void {
    this.focused = true;
  }

  minimize(): void {
    this.minimized = true;
    this.focused = false;
  }

  restore(): void {
    this.minimized = false;
  }

  isMinimized(): boolean {
    return this.minimized;
  }

  isVisible(): boolean {
    return this.visible && !this.minimized;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** Plays the page becoming ready: emits 'ready-to-show'. */
  becomeReady(): void {
    this.emit('ready-to-show', new FakeEvent());
  }

  /**
   * Like the user (or the system) closing the window: 'close' may be prevented; otherwise the window
   * is destroyed, 'closed' follows, and 'window-all-closed' when it was the last one (unless the app
   * is quitting). Returns the 'close' event.
   */
  close(): FakeEvent {
    const event = new FakeEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return event;
    this.destroyed = true;
    this.visible = false;
    this.emit('closed', new FakeEvent());
    const { windows } = this.app;
    windows.splice(windows.indexOf(this), 1);
    if (windows.length === 0 && !this.app.quitting) this.app.emit('window-all-closed', new FakeEvent());
    return event;
  }
}

// ---------------------------------------------------------------------------------------------
// IPC

/** The part of IpcMainInvokeEvent the shell reads. */
export interface FakeInvokeEvent {
  sender: FakeWebContents | object;
  senderFrame: { url: string } | null;
  processId: number;
  frameId: number;
}

type InvokeHandler = (event: FakeInvokeEvent, ...args: unknown[]) => unknown;

export class FakeIpcMain {
  readonly handlers = new Map<string, InvokeHandler>();

  handle(channel: string, handler: InvokeHandler): void {
    // Electron refuses a second handler for one channel.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /**
   * Plays ipcRenderer.invoke(channel, ...args) arriving from `sender`, from a frame at `frameUrl`
   * (null: the frame is gone). Like Electron, an unhandled channel rejects.
   */
  async invoke(
    channel: string,
    from: { sender: FakeWebContents | object; frameUrl: string | null },
    ...args: unknown[]
  ): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    const event: FakeInvokeEvent = {
      sender: from.sender,
      senderFrame: from.frameUrl === null ? null : { url: from.frameUrl },
      processId: 1,
      frameId: 1,
    };
    return handler(event, ...args);
  }
}

// ---------------------------------------------------------------------------------------------
// safeStorage: reversible, visibly "encrypted" (a marker and reversed bytes), asynchronous.

export class FakeSafeStorage {
  encryptionAvailable: boolean;
  backend: StorageBackend;
  private static readonly MARK = Buffer.from('fake-safe-storage:');

  constructor(opts: FakeElectronOptions) {
    this.encryptionAvailable = opts.encryptionAvailable ?? true;
    this.backend = opts.storageBackend ?? 'gnome_libsecret';
  }

  async isAsyncEncryptionAvailable(): Promise<boolean> {
    return this.encryptionAvailable;
  }

  getSelectedStorageBackend(): StorageBackend {
    return this.backend;
  }

  async encryptStringAsync(plainText: string): Promise<Buffer> {
    if (!this.encryptionAvailable) throw new Error('Encryption is not available.');
    return Buffer.concat([FakeSafeStorage.MARK, Buffer.from(plainText, 'utf8').reverse()]);
  }

  async decryptStringAsync(encrypted: Buffer): Promise<Electron.DecryptStringAsyncReturnValue> {
    const mark = encrypted.subarray(0, FakeSafeStorage.MARK.length);
    if (!mark.equals(FakeSafeStorage.MARK)) throw new Error('Error while decrypting the ciphertext provided.');
    const body = Buffer.from(encrypted.subarray(FakeSafeStorage.MARK.length)).reverse();
    return { shouldReEncrypt: false, result: body.toString('utf8') };
  }
}

// ---------------------------------------------------------------------------------------------
// shell, tray, menus, images, notifications, net, session

export class FakeShell {
  readonly opened: string[] = [];
  openExternal(url: string): Promise<void> {
    this.opened.push(url);
    return Promise.resolve();
  }
}

export class FakeNativeImage {
  constructor(readonly path: string) {}
  isEmpty(): boolean {
    return !fs.existsSync(this.path);
  }
}

export class FakeMenu {
  constructor(readonly items: Electron.MenuItemConstructorOptions[]) {}
  /** Plays a click on the item with this label. */
  click(label: string): void {
    const item = this.items.find((i) => i.label === label);
    if (!item) throw new Error(`No menu item "${label}" in [${this.labels().join(', ')}]`);
    (item.click as (() => void) | undefined)?.();
  }
  labels(): string[] {
    return this.items.filter((i) => i.label !== undefined).map((i) => i.label!);
  }
}

export class FakeTray extends EventEmitter {
  toolTip = '';
  menu: FakeMenu | undefined;
  /** Every context menu set, oldest first. */
  readonly menus: FakeMenu[] = [];
  constructor(
    readonly image: FakeNativeImage,
    trays: FakeTray[],
  ) {
    super();
    trays.push(this);
  }
  setToolTip(text: string): void {
    this.toolTip = text;
  }
  setContextMenu(menu: FakeMenu | null): void {
    this.menu = menu ?? undefined;
    if (menu) this.menus.push(menu);
  }
}

export class FakeNotification {
  private readonly listeners: Array<() => void> = [];
  constructor(
    readonly options: Electron.NotificationConstructorOptions,
    private readonly shown: FakeNotification[],
  ) {}
  show(): void {
    this.shown.push(this);
  }
  on(event: 'click', listener: () => void): this {
    if (event === 'click') this.listeners.push(listener);
    return this;
  }
  /** The user clicks the notification. */
  click(): void {
    for (const l of this.listeners) l();
  }
}

/** Electron's powerMonitor, as far as the shell listens: 'resume' after sleep. */
export class FakePowerMonitor {
  private readonly listeners: Array<() => void> = [];
  on(event: 'resume', listener: () => void): this {
    if (event === 'resume') this.listeners.push(listener);
    return this;
  }
  removeListener(event: 'resume', listener: () => void): this {
    const at = this.listeners.indexOf(listener);
    if (event === 'resume' && at >= 0) this.listeners.splice(at, 1);
    return this;
  }
  /** The computer wakes from sleep. */
  resume(): void {
    for (const l of [...this.listeners]) l();
  }
}

type HeadersListener = (
  details: Electron.OnHeadersReceivedListenerDetails,
  callback: (response: Electron.HeadersReceivedResponse) => void,
) => void;

export class FakeWebRequest {
  headersListener: HeadersListener | undefined;
  onHeadersReceived(listener: HeadersListener | null): void {
    this.headersListener = listener ?? undefined;
  }
  /** Plays a response with these headers through the listener; answers what it called back with. */
  receive(
    url: string,
    responseHeaders: Record<string, string[]> = { 'Content-Type': ['text/html'] },
  ): Electron.HeadersReceivedResponse | undefined {
    let answer: Electron.HeadersReceivedResponse | undefined;
    this.headersListener?.(
      {
        id: 1,
        url,
        method: 'GET',
        resourceType: 'mainFrame',
        referrer: '',
        timestamp: Date.now(),
        statusLine: 'HTTP/1.1 200 OK',
        statusCode: 200,
        responseHeaders,
      } as Electron.OnHeadersReceivedListenerDetails,
      (response) => (answer = response),
    );
    return answer;
  }
}

type PermissionRequestHandler = (
  webContents: FakeWebContents,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl: string },
) => void;
type PermissionCheckHandler = (
  webContents: FakeWebContents | null,
  permission: string,
  requestingOrigin: string,
  details: { requestingUrl?: string },
) => boolean;

/**
 * session.defaultSession's permission handlers. Like Electron, without a handler every request
 * and check is granted (Electron's default), so a shell that sets none fails the tests.
 */
export class FakePermissions {
  requestHandler: PermissionRequestHandler | undefined;
  checkHandler: PermissionCheckHandler | undefined;
  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this.requestHandler = handler ?? undefined;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    this.checkHandler = handler ?? undefined;
  }
  /** Plays a page asking for `permission` (navigator.mediaDevices, Notification.requestPermission…). */
  request(contents: FakeWebContents, permission: string): Promise<boolean> {
    const handler = this.requestHandler;
    if (!handler) return Promise.resolve(true);
    return new Promise((resolve) => handler(contents, permission, resolve, { requestingUrl: contents.getURL() }));
  }
  /** Plays Chromium checking whether a page holds `permission` (navigator.permissions.query…). */
  check(contents: FakeWebContents | null, permission: string): boolean {
    if (!this.checkHandler) return true;
    const url = contents?.getURL() ?? '';
    const origin = URL.canParse(url) ? new URL(url).origin : '';
    return this.checkHandler(contents, permission, origin, { requestingUrl: url });
  }
}

// ---------------------------------------------------------------------------------------------
// the whole fake

export interface FakeElectron {
  /** What the shell receives. */
  api: ElectronApi;
  app: FakeApp;
  /** Open windows, oldest first (a closed window leaves this list). */
  windows: FakeBrowserWindow[];
  /** Every window ever created, with its constructor options. */
  createdWindows: FakeBrowserWindow[];
  ipcMain: FakeIpcMain;
  safeStorage: FakeSafeStorage;
  shell: FakeShell;
  trays: FakeTray[];
  notifications: FakeNotification[];
  powerMonitor: FakePowerMonitor;
  webRequest: FakeWebRequest;
  permissions: FakePermissions;
  net: { online: boolean; isOnline(): boolean };
}

export function createFakeElectron(opts: FakeElectronOptions = {}): FakeElectron {
  const app = new FakeApp(opts);
  const createdWindows: FakeBrowserWindow[] = [];
  const ipcMain = new FakeIpcMain();
  const safeStorage = new FakeSafeStorage(opts);
  const shell = new FakeShell();
  const trays: FakeTray[] = [];
  const notifications: FakeNotification[] = [];
  const powerMonitor = new FakePowerMonitor();
  const webRequest = new FakeWebRequest();
  const permissions = new FakePermissions();
  const net = {
    online: opts.online ?? true,
    isOnline(): boolean {
      return this.online;
    },
  };

  class BrowserWindow extends FakeBrowserWindow {
    constructor(options: Electron.BrowserWindowConstructorOptions = {}) {
      super(options, app);
      createdWindows.push(this);
    }
  }

  class Tray extends FakeTray {
    constructor(image: FakeNativeImage) {
      if (opts.tray === 'throw') throw new Error('Tray is not supported on this desktop');
      super(image, trays);
    }
  }

  class Notification extends FakeNotification {
    static isSupported(): boolean {
      return true;
    }
    constructor(options: Electron.NotificationConstructorOptions = {}) {
      super(options, notifications);
    }
  }

  const fake = {
    app,
    BrowserWindow,
    ipcMain,
    safeStorage,
    shell,
    Tray,
    Menu: { buildFromTemplate: (template: Electron.MenuItemConstructorOptions[]) => new FakeMenu(template) },
    nativeImage: { createFromPath: (file: string) => new FakeNativeImage(file) },
    Notification,
    net,
    powerMonitor,
    session: {
      defaultSession: {
        webRequest,
        setPermissionRequestHandler: (h: PermissionRequestHandler | null) => permissions.setPermissionRequestHandler(h),
        setPermissionCheckHandler: (h: PermissionCheckHandler | null) => permissions.setPermissionCheckHandler(h),
      },
    },
  };

  return {
    // The one unchecked step: Electron's own types describe far more than the shell uses (every
    // overload, every method of every class), and a fake cannot satisfy them all. Everything above
    // is typed against Electron's parameter and result types where the shell touches them.
    api: fake as unknown as ElectronApi,
    app,
    windows: app.windows,
    createdWindows,
    ipcMain,
    safeStorage,
    shell,
    trays,
    notifications,
    powerMonitor,
    webRequest,
    permissions,
    net,
  };
}
