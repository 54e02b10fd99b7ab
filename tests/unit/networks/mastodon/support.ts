// Shared set-up for the Mastodon tests: an emulator, an adapter on a token it issued, and the
// rule that no test may leave a request or answer that breaks the Mastodon API description.
import { afterEach, expect } from 'vitest';
import { systemClock } from '../../../../src/main/core/ports';
import {
  createMastodonAdapter,
  type MastodonAdapter,
  type MastodonAdapterOptions,
  type MastodonCredentials,
} from '../../../../src/main/networks/mastodon';
import type { RateWindow } from '../../../../src/shared/adapter';
import {
  startMastodonEmulator,
  type MastodonEmulator,
  type MastodonEmulatorOptions,
} from '../../../emulators/mastodon';
import type { Page, Post, TimelineEntry } from '../../../../src/shared/model';
import { MemoryLogger } from '../../../doubles/ports';

export interface Setup {
  emulator: MastodonEmulator;
  adapter: MastodonAdapter;
  credentials: MastodonCredentials;
  log: MemoryLogger;
  saved: MastodonCredentials[];
  /** Every rate window the adapter reported (AdapterContext.onRateWindow), in order. */
  windows: RateWindow[];
}

const open: MastodonEmulator[] = [];

afterEach(async () => {
  const emulators = open.splice(0);
  try {
    for (const emulator of emulators) expect(emulator.violations).toEqual([]);
  } finally {
    await Promise.all(emulators.map((e) => e.close()));
  }
});

export async function startEmulator(options: MastodonEmulatorOptions = {}): Promise<MastodonEmulator> {
  const emulator = await startMastodonEmulator(options);
  open.push(emulator);
  return emulator;
}

export async function setup(
  options: MastodonEmulatorOptions = {},
  adapterOptions: MastodonAdapterOptions = {},
): Promise<Setup> {
  const emulator = await startEmulator(options);
  const credentials: MastodonCredentials = { instanceUrl: emulator.url, accessToken: emulator.issueToken() };
  const log = new MemoryLogger();
  const saved: MastodonCredentials[] = [];
  const windows: RateWindow[] = [];
  const adapter = createMastodonAdapter(
    credentials,
    {
      clock: systemClock,
      log,
      saveCredentials: async (next) => void saved.push(next),
      onRateWindow: (window) => void windows.push(window),
    },
    adapterOptions,
  );
  return { emulator, adapter, credentials, log, saved, windows };
}

/** The ColonnadeError a promise rejects with (fails the test when it resolves). */
export async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; resetAt?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code: string; message: string; resetAt?: string };
  }
  throw new Error('expected a failure, got a result');
}

/** The posts of a page's entries, in order (follows and other post-less entries left out). */
export function postsOf(page: Page<TimelineEntry>): Post[] {
  return page.items.flatMap((e) => (e.post ? [e.post] : []));
}

/** The ColonnadeError a promise rejects with, with every field the UI reads. */
export async function refusal(promise: Promise<unknown>): Promise<{
  code: string;
  message: string;
  reason?: string;
  params?: Record<string, string>;
  detail?: string;
  resetAt?: string;
}> {
  return (await failure(promise)) as Awaited<ReturnType<typeof refusal>>;
}
