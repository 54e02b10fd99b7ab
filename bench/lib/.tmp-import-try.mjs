import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { chromium } from 'playwright-core';
import { measureImport } from './analytics-import.mjs';
import { startStaticServer } from './static-server.mjs';
import { CHROMIUM_ARGS, findOrProvideChromium } from './support.mjs';
const server = await startStaticServer();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imp-helper-'));
const context = await chromium.launchPersistentContext(dir, { executablePath: findOrProvideChromium(console.log), args: CHROMIUM_ARGS, headless: true });
console.log('chromium', context.browser()?.version());
try {
  const r = await measureImport({ context, server, runs: Number(process.env.RUNS ?? 1), log: console.log });
  console.log(JSON.stringify(r));
} finally { await context.close(); await server.close(); fs.rmSync(dir, { recursive: true, force: true }); }
