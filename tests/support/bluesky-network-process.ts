// The local Bluesky network in a process of its own, driven over stdin/stdout with JSON lines.
// The end-to-end tests use it so the network's native modules (better-sqlite3 in the PDS) never
// load inside Playwright's worker, where their finalizers abort the process.
//   in:  {"id":1,"op":"createAccount","args":["ada"]}
//   out: {"ready":{"pdsUrl":…}} once, then {"id":1,"result":…} or {"id":1,"error":"…"}
import readline from 'node:readline';
import { startBlueskyNetwork, type BlueskyTestAccount, type SeedPost } from './bluesky-network';

const network = await startBlueskyNetwork();
const accounts = new Map<string, BlueskyTestAccount>();
const account = (handle: string) => {
  const found = accounts.get(handle);
  if (!found) throw new Error(`no account ${handle}`);
  return found;
};

const ops: Record<string, (...args: never[]) => Promise<unknown>> = {
  createAccount: async (name: string) => {
    const a = await network.createAccount(name);
    accounts.set(a.handle, a);
    return { handle: a.handle, did: a.did, password: a.password };
  },
  follow: async (by: string, subject: string) => network.follow(account(by), account(subject)),
  post: async (by: string, post: SeedPost | string) => network.post(account(by), post),
  sync: async () => network.sync(),
};

const send = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`);
send({ ready: { pdsUrl: network.pdsUrl, figures: network.figures } });

const shutdown = async () => {
  await network.close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
const lines = readline.createInterface({ input: process.stdin });
lines.on('close', () => void shutdown());
lines.on('line', (line) => {
  const { id, op, args } = JSON.parse(line) as { id: number; op: string; args: never[] };
  const run = ops[op];
  if (!run) return send({ id, error: `unknown op ${op}` });
  run(...args).then(
    (result) => send({ id, result: result ?? null }),
    (err: unknown) => send({ id, error: err instanceof Error ? err.message : String(err) }),
  );
});
