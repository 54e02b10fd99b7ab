// The core's ports, backed by Electron: safeStorage, electron-store, Notification, net.
import path from 'node:path';
import type { Logger, Ports, SecretStore } from '../core/ports';
import { systemClock } from '../core/ports';
import { confDocuments, type ConfFactory } from '../platform/conf-documents';
import { fileBlobs } from '../platform/file-blobs';
import { fileJournals } from '../platform/file-journal';
import { fileLogger } from '../platform/file-logger';
import type { ElectronApi } from './electron-api';

export function safeStorageSecrets(safeStorage: ElectronApi['safeStorage'], platform: string): SecretStore {
  return {
    // On Linux without a keyring Electron falls back to a hard-coded key ('basic_text').
    isStrong: async () =>
      (await safeStorage.isAsyncEncryptionAvailable()) &&
      (platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'),
    encrypt: async (plain) => (await safeStorage.encryptStringAsync(plain)).toString('base64'),
    decrypt: async (cipher) => (await safeStorage.decryptStringAsync(Buffer.from(cipher, 'base64'))).result,
  };
}

export function electronPorts(electron: ElectronApi, makeStore: ConfFactory): Ports {
  const { app } = electron;
  const userData = app.getPath('userData');
  const log: Logger = fileLogger(path.join(userData, 'logs'));
  const ONLINE_CHECK_MS = 10_000;
  return {
    clock: systemClock,
    log,
    documents: confDocuments(userData, makeStore),
    journals: fileJournals(userData, log),
    blobs: fileBlobs(path.join(userData, 'media')),
    secrets: safeStorageSecrets(electron.safeStorage, process.platform),
    notifier: {
      notify: ({ title, body, sound, onClick }) => {
        if (!electron.Notification.isSupported()) return;
        const n = new electron.Notification({ title, body, silent: !sound });
        if (onClick) n.on('click', onClick);
        n.show();
      },
      // The dock / launcher badge (macOS, Linux Unity); the tray's tooltip says it everywhere.
      badge: (count) => {
        app.setBadgeCount(count);
      },
    },
    power: {
      onResume: (listener) => {
        electron.powerMonitor.on('resume', listener);
        return () => electron.powerMonitor.removeListener('resume', listener);
      },
    },
    online: {
      isOnline: () => electron.net.isOnline(),
      onChange: (listener) => {
        let last = electron.net.isOnline();
        const timer = setInterval(() => {
          const now = electron.net.isOnline();
          if (now !== last) listener((last = now));
        }, ONLINE_CHECK_MS);
        return () => clearInterval(timer);
      },
    },
    openExternal: (url) => {
      if (/^https?:\/\//i.test(url)) void electron.shell.openExternal(url);
    },
    osLocales: () => app.getPreferredSystemLanguages(),
    host: 'electron',
    version: app.getVersion(),
    platform: process.platform,
  };
}
