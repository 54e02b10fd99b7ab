// A Playwright fixture that gives each test its own headless host (fresh data folder, seed 42).
import { test as base } from '@playwright/test';
import { startHarness, type Harness } from './harness';

export const test = base.extend<{ harness: Harness }>({
  // Playwright reads a fixture's dependencies from this (empty) destructuring pattern.
  // eslint-disable-next-line no-empty-pattern
  harness: async ({}, use) => {
    const harness = await startHarness();
    await use(harness);
    await harness.stop();
  },
});
export { expect } from '@playwright/test';
