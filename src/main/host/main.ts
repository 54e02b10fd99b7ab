// The headless host: the same core as the Electron app, under plain Node, serving the renderer
// and the contract on 127.0.0.1. `npm run harness` starts it. Environment:
//   COLONNADE_PORT          port to listen on (default: a free one)
//   COLONNADE_DATA_DIR      data folder (default: a fresh temporary folder)
//   COLONNADE_SANDBOX_SEED  seed of the Sandbox world (default: random at first launch)
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../core/app-core';
import { NETWORKS } from '../networks/registry';
import { fileLogger } from '../platform/file-logger';
import { nodePorts } from './node-ports';
import { startSocketServer } from './socket-server';

declare const __APP_VERSION__: string;

function intFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} must be a whole number, got "${raw}".`);
    process.exit(2);
  }
  return value;
}

async function main() {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const dataDir = process.env.COLONNADE_DATA_DIR || fs.mkdtempSync(path.join(os.tmpdir(), 'colonnade-'));
  fs.mkdirSync(dataDir, { recursive: true });
  const log = fileLogger(path.join(dataDir, 'logs'));
  const core = await createCore(
    nodePorts({ dataDir, log, version: __APP_VERSION__, sandboxSeed: intFromEnv('COLONNADE_SANDBOX_SEED') }),
    { networks: NETWORKS },
  );
  const server = await startSocketServer({
    core,
    log,
    token: randomBytes(24).toString('base64url'),
    port: intFromEnv('COLONNADE_PORT') ?? 0,
    rendererDir: process.env.COLONNADE_RENDERER_DIR || path.join(here, '../renderer'),
  });
  console.log(`Colonnade headless host (data: ${dataDir})`);
  console.log(`Colonnade ready: ${server.url}`);

  const shutdown = async () => {
    core.stop();
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

void main().catch((err: unknown) => {
  console.error('The headless host could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
