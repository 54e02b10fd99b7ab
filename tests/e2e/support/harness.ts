// Starts the built headless host (out/main/host.js) as `npm run harness` does, on a free port
// with its own data folder, and waits for the URL it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../../..');

export interface Harness {
  url: string;
  port: number;
  dataDir: string;
  /** Everything the host printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

export async function startHarness(
  opts: { dataDir?: string; port?: number; seed?: number; env?: Record<string, string> } = {},
): Promise<Harness> {
  const hostJs = path.join(ROOT, 'out/main/host.js');
  if (!fs.existsSync(hostJs)) throw new Error('out/main/host.js is missing: run `npm run build` first.');
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'colonnade-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [hostJs], {
    cwd: ROOT,
    env: {
      ...process.env,
      COLONNADE_DATA_DIR: dataDir,
      COLONNADE_PORT: String(opts.port ?? 0),
      COLONNADE_SANDBOX_SEED: String(opts.seed ?? 42),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The harness did not start in 20 s:\n${output}`)), 20_000);
    const check = () => {
      const match = /Colonnade ready: (\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The harness exited with ${code}:\n${output}`));
    });
  });
  let url: string;
  try {
    url = await ready;
  } catch (err) {
    // Never leave a host running behind a failed start.
    if (child.exitCode === null) child.kill('SIGKILL');
    throw err;
  }
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
