// Starts tests/support/bluesky-network-process.ts and talks to it (see that file for why).
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { SeedPost } from './bluesky-network';

export interface RemoteBlueskyAccount {
  handle: string;
  did: string;
  /** An app password, what a Colonnade user pastes. */
  password: string;
}

export interface RemoteBlueskyNetwork {
  pdsUrl: string;
  createAccount(name: string): Promise<RemoteBlueskyAccount>;
  follow(by: RemoteBlueskyAccount, subject: RemoteBlueskyAccount): Promise<void>;
  post(by: RemoteBlueskyAccount, post: SeedPost | string): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export async function startRemoteBlueskyNetwork(): Promise<RemoteBlueskyNetwork> {
  const entry = path.join(import.meta.dirname, 'bluesky-network-process.ts');
  // tsx resolved from here, so the child starts whatever the current directory is.
  const tsx = import.meta.resolve('tsx');
  const child = spawn(process.execPath, ['--import', tsx, entry], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const ready = new Promise<{ pdsUrl: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`The Bluesky network process exited (${code}) before it was ready`)));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      let message: { ready?: { pdsUrl: string }; id?: number; result?: unknown; error?: string };
      try {
        message = JSON.parse(line) as typeof message;
      } catch {
        return; // a library's own output
      }
      if (message.ready) return resolve(message.ready);
      const pending = message.id === undefined ? undefined : waiting.get(message.id);
      if (!pending) return;
      waiting.delete(message.id!);
      if (message.error) pending.reject(new Error(message.error));
      else pending.resolve(message.result);
    });
  });
  const call = <T>(op: string, ...args: unknown[]) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.stdin.write(`${JSON.stringify({ id, op, args })}\n`);
    });
  const { pdsUrl } = await ready;
  return {
    pdsUrl,
    createAccount: (name) => call('createAccount', name),
    follow: async (by, subject) => void (await call('follow', by.handle, subject.handle)),
    post: async (by, post) => void (await call('post', by.handle, post)),
    sync: () => call('sync'),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}
