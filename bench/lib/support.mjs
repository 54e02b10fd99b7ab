// Shared helpers for the benchmarks: the end-to-end launchers (reused from tests/e2e/support,
// which Node 24 loads directly by stripping their types), small statistics, and a safety net that
// stops any host this process spawned and did not get a handle on.
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { ROOT, startHarness } from '../../tests/e2e/support/harness.ts';
import { CHROMIUM_ARGS, findOrProvideChromium } from '../../tests/e2e/support/chromium.ts';

export { CHROMIUM_ARGS, ROOT, findOrProvideChromium, performance, startHarness };

/** Rounds to one decimal, the precision every figure is reported with. */
export const round1 = (n) => Math.round(n * 10) / 10;

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `{ [name]: median, [name + 'Min']: min, [name + 'Max']: max }`, each rounded to one decimal. */
export function spread(name, values) {
  return {
    [name]: round1(median(values)),
    [`${name}Min`]: round1(Math.min(...values)),
    [`${name}Max`]: round1(Math.max(...values)),
  };
}

/** A positive integer from the environment, or the fallback. */
export function envInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, not "${raw}".`);
  return n;
}

/**
 * Stops the headless hosts (out/main/host.js) that are still children of this process, by their
 * id. startHarness keeps no handle when it gives up waiting for the "ready" line, so this catches
 * those. Linux/macOS only (uses `ps`); elsewhere it does nothing.
 */
export function stopStrayHosts() {
  let listing;
  try {
    listing = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  } catch {
    return [];
  }
  const stopped = [];
  for (const line of listing.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (!match || Number(match[2]) !== process.pid || !match[3].includes('out/main/host.js')) continue;
    try {
      process.kill(Number(match[1]), 'SIGTERM');
      stopped.push(Number(match[1]));
    } catch {
      // Already gone.
    }
  }
  return stopped;
}
