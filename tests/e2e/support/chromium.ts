// Finds a Chromium for the end-to-end tests, or provides one: CHROMIUM_PATH, then the system's,
// then Playwright's own; on Debian as root it installs the system package; elsewhere it asks
// Playwright to download its browser. Says plainly what it did and what to do when all fail.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { chromium } from 'playwright-core';

const SYSTEM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/** Flags that keep Chromium quiet and self-contained on a closed network (and as root). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function playwrightOwn(): string | undefined {
  try {
    const p = chromium.executablePath();
    return p && fs.existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

function found(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && fs.existsSync(fromEnv)) return fromEnv;
  return SYSTEM_PATHS.find((p) => fs.existsSync(p)) ?? playwrightOwn();
}

export function findOrProvideChromium(log: (line: string) => void = console.log): string {
  const existing = found();
  if (existing) return existing;
  const isDebianRoot = fs.existsSync('/etc/debian_version') && process.getuid?.() === 0;
  if (isDebianRoot) {
    log('No Chromium found: installing Debian’s chromium package (apt-get install chromium)…');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } else {
    log('No Chromium found: asking Playwright to download its own (npx playwright install chromium)…');
    try {
      execFileSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit' });
    } catch {
      // Reported below.
    }
  }
  const after = found();
  if (after) return after;
  throw new Error(
    'The end-to-end tests need Chromium. Install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH to a Chrome or Chromium binary.',
  );
}
