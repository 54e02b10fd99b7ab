// The whole core (createCore with the Node ports: file journal, conf documents, file secrets, and
// the real X, Bluesky and Mastodon modules) in a process of its own, for the outbox's
// fault-injection test (tests/unit/main/outbox-kill.test.ts), which kills it with SIGKILL at
// random moments and starts it again on the same data folder. Started by outbox-core-process.ts
// as `node --import tsx outbox-core-child.ts`.
//
// Environment:
//   COLONNADE_DATA_DIR       the data folder (required)
//   OUTBOX_CLOCK_OFFSET_MS   the core's clock runs this many ms ahead of the system's (default 0):
//                            a computer whose clock is a little ahead, so a test can put the next
//                            minute (the finest time a post can be scheduled at) a few seconds away
//                            without waiting for it. Every adapter allows 5 minutes of skew.
//   OUTBOX_SLOW_ORIGINS      origins (comma-separated) whose fetch requests this process slows down:
//   OUTBOX_SLOW_MS           "before,after": ms before a request leaves and between its answer
//                            arriving and the caller getting it. For the local Bluesky PDS, which
//                            runs in @atproto/dev-env with no latency control (the X and Mastodon
//                            emulators have their own, server-side, `setLatency`).
//
// Protocol, JSON lines: stdin {"id":1,"channel":"outbox.submit","payload":{…}}; stdout
// {"ready":{"pid":…,"now":…}} once the core has started (its outbox loaded and planned), then
// {"id":1,"result":<the core's Result>} per request. SIGTERM stops the core and exits 0.
import path from 'node:path';
import readline from 'node:readline';

const dataDir = process.env.COLONNADE_DATA_DIR;
if (!dataDir) {
  process.stderr.write('COLONNADE_DATA_DIR is required\n');
  process.exit(2);
}
const offset = Number(process.env.OUTBOX_CLOCK_OFFSET_MS ?? 0);
const slowOrigins = new Set(
  (process.env.OUTBOX_SLOW_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const [slowBefore = 0, slowAfter = 0] = (process.env.OUTBOX_SLOW_MS ?? '0,0').split(',').map(Number);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
if (slowOrigins.size > 0 && (slowBefore > 0 || slowAfter > 0)) {
  // Installed before the core loads: the Bluesky session takes globalThis.fetch when it is made.
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    let origin = '';
    try {
      origin = new URL(url).origin;
    } catch {
      // not a URL fetch can take anyway
    }
    if (!slowOrigins.has(origin)) return original(input, init);
    if (slowBefore > 0) await sleep(slowBefore);
    const response = await original(input, init);
    if (slowAfter > 0) await sleep(slowAfter);
    return response;
  };
}

const { createCore } = await import('../../src/main/core/app-core');
const { NETWORKS } = await import('../../src/main/networks/registry');
const { fileLogger } = await import('../../src/main/platform/file-logger');
const { nodePorts } = await import('../../src/main/host/node-ports');

// Warnings go to the log file only: the test prints the file when it fails.
const log = fileLogger(path.join(dataDir, 'logs'), () => undefined);
const ports = nodePorts({ dataDir, log, version: 'outbox-kill-test' });
const clock = {
  now: () => Date.now() + offset,
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
const core = await createCore({ ...ports, clock }, { networks: NETWORKS });

const send = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`);
send({ ready: { pid: process.pid, now: clock.now() } });

process.on('SIGTERM', () => {
  core.stop();
  process.exit(0);
});
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const { id, channel, payload } = JSON.parse(line) as { id: number; channel: string; payload: unknown };
  void core.dispatch(channel, payload).then((result) => send({ id, result }));
});
