import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findOrProvideChromium } from './tests/e2e/support/chromium';

// Resolved once here, so every worker uses the same browser (and an install happens at most once).
const executablePath = process.env.COLONNADE_E2E_CHROMIUM ?? findOrProvideChromium();
process.env.COLONNADE_E2E_CHROMIUM = executablePath;

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath, args: CHROMIUM_ARGS },
    viewport: { width: 1400, height: 850 },
    trace: 'retain-on-failure',
  },
});
