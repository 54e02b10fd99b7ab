// A client of the headless host's IPC WebSocket, for benchmarks that set the app up the way the
// renderer would (decks, columns) without clicking through the UI. The envelope is the one of
// src/shared/ipc/socket.ts: requests `{ id, channel, payload }` on `/ipc?token=…`, answers
// `{ id, result: { ok, value } | { ok: false, error } }`, and events `{ event, payload }` (ignored here).

const SOCKET_PATH = '/ipc';

/**
 * Opens the host's WebSocket for the address `startHarness` printed
 * (`http://127.0.0.1:PORT/#token=…`). Uses Node's global WebSocket (Node 22+).
 *
 * @returns `call(channel, payload)`, which resolves with the contract's answer value or rejects
 *   with an Error carrying the host's `AppError` (`err.appError`), and `close()`.
 * @throws when the address carries no token or the socket does not open within `timeoutMs`.
 */
export async function connectHost(address, { timeoutMs = 10_000 } = {}) {
  const url = new URL(address);
  const token = new URLSearchParams(url.hash.slice(1)).get('token');
  if (!token) throw new Error(`The host address carries no token: ${address}`);
  const socket = new WebSocket(`ws://${url.host}${SOCKET_PATH}?token=${encodeURIComponent(token)}`);
  const waiting = new Map();
  let nextId = 1;

  await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The host's WebSocket did not open in ${timeoutMs} ms.`)),
      timeoutMs,
    );
    socket.addEventListener('open', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.addEventListener('error', () => {
      clearTimeout(timer);
      reject(new Error(`The host's WebSocket at ${url.host}${SOCKET_PATH} failed to open.`));
    });
  });
  socket.addEventListener('message', (e) => {
    const message = JSON.parse(String(e.data));
    if (!('id' in message)) return;
    waiting.get(message.id)?.(message.result);
    waiting.delete(message.id);
  });
  socket.addEventListener('close', () => {
    for (const settle of waiting.values()) settle({ ok: false, error: { message: 'The host closed the socket.' } });
    waiting.clear();
  });

  return {
    async call(channel, payload = {}) {
      const id = nextId++;
      const result = await new Promise((resolve) => {
        waiting.set(id, resolve);
        socket.send(JSON.stringify({ id, channel, payload }));
      });
      if (!result.ok) {
        const err = new Error(`${channel}: ${result.error?.message ?? 'failed'}`);
        err.appError = result.error;
        throw err;
      }
      return result.value;
    },
    close() {
      socket.close();
    },
  };
}
