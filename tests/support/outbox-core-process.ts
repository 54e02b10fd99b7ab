// Starts the core in a child process (outbox-core-child.ts) and talks to it over JSON lines, for
// the outbox's fault-injection test: `kill()` is a SIGKILL (no cleanup, no flush: what a crash or a
// power cut leaves), after which the same data folder can be started again. Also reads the
// outbox's journal as the child left it, without changing it (readOutboxJournal).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Result } from '../../src/shared/errors';
import type { PublishJob } from '../../src/shared/outbox';

export interface CoreProcessOptions {
  dataDir: string;
  /** The core's clock runs this many ms ahead of the system's (see the child's header). */
  clockOffsetMs?: number;
  /** Origins whose fetch requests the child slows down, and by how much (ms before, ms after). */
  slow?: { origins: string[]; beforeMs: number; afterMs: number };
}

/** The child died (killed, or crashed) before answering a request. */
export class CoreGone extends Error {
  constructor(channel: string) {
    super(`the core process ended before answering ${channel}`);
  }
}

export interface CoreProcess {
  pid: number;
  /** The core's clock (ms) when it said it was ready. */
  readyAt: number;
  /** The core's answer; throws CoreGone when the child ends first, and the core's error otherwise. */
  call<T = unknown>(channel: string, payload?: unknown): Promise<T>;
  /** SIGKILL; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (the core stops); resolves once the process is gone. */
  stop(): Promise<void>;
  /** The last lines the child wrote to stderr. */
  stderr(): string;
}

export async function startCoreProcess(options: CoreProcessOptions): Promise<CoreProcess> {
  const entry = path.join(import.meta.dirname, 'outbox-core-child.ts');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    COLONNADE_DATA_DIR: options.dataDir,
    OUTBOX_CLOCK_OFFSET_MS: String(options.clockOffsetMs ?? 0),
  };
  if (options.slow) {
    env.OUTBOX_SLOW_ORIGINS = options.slow.origins.join(',');
    env.OUTBOX_SLOW_MS = `${options.slow.beforeMs},${options.slow.afterMs}`;
  }
  // tsx resolved from here, so the child starts whatever the current directory is.
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), entry], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const errLines: string[] = [];
  readline.createInterface({ input: child.stderr }).on('line', (line) => {
    errLines.push(line);
    if (errLines.length > 200) errLines.shift();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waiting = new Map<
    number,
    { channel: string; resolve: (r: Result<unknown>) => void; reject: (e: Error) => void }
  >();
  let nextId = 1;
  void exited.then(() => {
    for (const w of waiting.values()) w.reject(new CoreGone(w.channel));
    waiting.clear();
  });
  const ready = new Promise<{ pid: number; now: number }>((resolve, reject) => {
    void exited.then(() =>
      reject(new Error(`the core process exited (${child.exitCode}) before it was ready:\n${errLines.join('\n')}`)),
    );
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      let message: { ready?: { pid: number; now: number }; id?: number; result?: Result<unknown> };
      try {
        message = JSON.parse(line) as typeof message;
      } catch {
        return; // a library's own output
      }
      if (message.ready) return resolve(message.ready);
      const pending = message.id === undefined ? undefined : waiting.get(message.id);
      if (!pending || !message.result) return;
      waiting.delete(message.id!);
      pending.resolve(message.result);
    });
  });
  const { pid, now } = await ready;
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    pid,
    readyAt: now,
    call: async <T>(channel: string, payload: unknown = {}) => {
      if (child.exitCode !== null || child.signalCode !== null) throw new CoreGone(channel);
      const result = await new Promise<Result<unknown>>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { channel, resolve, reject });
        child.stdin.write(`${JSON.stringify({ id, channel, payload })}\n`);
      });
      if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
      return result.value as T;
    },
    kill: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
    stderr: () => errLines.join('\n'),
  };
}

/**
 * The outbox's jobs as its journal holds them on disk (file-journal.ts: `outbox.snapshot.json`
 * `{seq, data: {schemaVersion, jobs}}`, then `outbox.journal.jsonl` lines `{"s":seq,"r":record}`
 * with records `{op:'put',job}` / `{op:'delete',id}`), read without changing the files; `torn`
 * says the journal ends with a line cut short (a kill mid-write).
 */
export function readOutboxJournal(dataDir: string): { jobs: Map<string, PublishJob>; torn: boolean } {
  const jobs = new Map<string, PublishJob>();
  const snapshotFile = path.join(dataDir, 'outbox.snapshot.json');
  const journalFile = path.join(dataDir, 'outbox.journal.jsonl');
  let seq = 0;
  if (fs.existsSync(snapshotFile)) {
    const doc = JSON.parse(fs.readFileSync(snapshotFile, 'utf8')) as { seq: number; data: { jobs: PublishJob[] } };
    seq = doc.seq;
    for (const job of doc.data.jobs) jobs.set(job.id, job);
  }
  let torn = false;
  if (fs.existsSync(journalFile)) {
    const lines = fs.readFileSync(journalFile, 'utf8').split('\n');
    torn = (lines.pop() ?? '').trim() !== '';
    for (const line of lines) {
      if (!line.trim()) continue;
      const { s, r } = JSON.parse(line) as {
        s: number;
        r: { op: 'put'; job: PublishJob } | { op: 'delete'; id: string };
      };
      if (s <= seq) continue;
      if (r.op === 'put') jobs.set(r.job.id, r.job);
      else jobs.delete(r.id);
    }
  }
  return { jobs, torn };
}
