// Electron's entry point. The only module (with the shell it starts) that imports `electron`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as electron from 'electron';
import ElectronStore from 'electron-store';
import { electronPorts } from './electron-ports';
import { NETWORKS } from '../networks/registry';
import { startShell } from './shell';

const outDir = path.dirname(fileURLToPath(import.meta.url));

startShell({
  electron,
  ports: () => electronPorts(electron, (name, cwd) => new ElectronStore({ name, cwd })),
  outDir,
  devServerUrl: process.env.ELECTRON_RENDERER_URL,
  iconPath: path.join(outDir, '../../build/icon.png'),
  networks: NETWORKS,
});
