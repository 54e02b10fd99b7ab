// The part of the `electron` module the shell uses. The shell receives it as an argument, so
// tests hand it a typed fake (tests/doubles/fake-electron.ts) instead of patching modules.
import type * as Electron from 'electron';

export type ElectronApi = Pick<
  typeof Electron,
  | 'app'
  | 'BrowserWindow'
  | 'ipcMain'
  | 'safeStorage'
  | 'shell'
  | 'Tray'
  | 'Menu'
  | 'nativeImage'
  | 'Notification'
  | 'net'
  | 'powerMonitor'
  | 'session'
>;
