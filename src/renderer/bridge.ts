// How the renderer reaches main: the Electron preload's window.colonnade, or, in a browser against
// the headless host, the same contract over the loopback WebSocket (token from the URL fragment).
import type { EventChannel, RequestChannel } from '../shared/ipc/channels';
import type { ColonnadeBridge } from '../shared/ipc/contract';
import { SOCKET_PATH, type SocketServerMessage } from '../shared/ipc/socket';
import type { Result } from '../shared/errors';

declare global {
  interface Window {
    colonnade?: ColonnadeBridge;
  }
}

export interface Bridge extends ColonnadeBridge {
  /** Called with false when the transport drops, and true when it is back (the renderer then resyncs). */
  onConnection(handler: (connected: boolean) => void): void;
}

const TOKEN_KEY = 'colonnade.hostToken';

function hostToken(): string | null {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    // Keep the token out of the address bar (and screenshots); it stays in this tab's session.
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/** How long a request made while the core is away waits for it to come back (ms). */
export const RECONNECT_WAIT_MS = 8_000;
const CORE_AWAY = {
  code: 'transient',
  message: 'Colonnade’s core is not answering: nothing was done.',
  reason: 'core-away',
} as const;

function socketBridge(token: string): Bridge {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${SOCKET_PATH}?token=${encodeURIComponent(token)}`;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const waiting = new Map<number, (result: Result<unknown>) => void>();
  const connectionHandlers: Array<(connected: boolean) => void> = [];
  let nextId = 1;
  let socket: WebSocket;
  let everOpened = false;
  /** Requests waiting for a socket to open (the first one, or the next after a drop). */
  let opened: Array<() => void> = [];
  const nextOpen = () => new Promise<void>((resolve) => opened.push(resolve));

  const connect = () => {
    socket = new WebSocket(url);
    socket.addEventListener('open', () => {
      if (everOpened) for (const h of connectionHandlers) h(true);
      everOpened = true;
      const waiting = opened;
      opened = [];
      for (const resolve of waiting) resolve();
    });
    socket.addEventListener('message', (e) => {
      const message = JSON.parse(String(e.data)) as SocketServerMessage;
      if ('id' in message) {
        waiting.get(message.id)?.(message.result as Result<unknown>);
        waiting.delete(message.id);
      } else {
        for (const h of listeners.get(message.event) ?? []) h(message.payload);
      }
    });
    socket.addEventListener('close', () => {
      for (const resolve of waiting.values()) {
        resolve({ ok: false, error: { code: 'transient', message: 'The connection to the core was lost.' } });
      }
      waiting.clear();
      if (everOpened) for (const h of connectionHandlers) h(false);
      setTimeout(connect, 1000);
    });
  };
  connect();

  return {
    async invoke(channel: RequestChannel, payload: unknown) {
      if (socket.readyState !== WebSocket.OPEN) {
        // At start, wait for the core. After a drop, wait a little for it to come back, then
        // fail in words (the caller undoes what it showed) rather than wait for ever.
        if (!everOpened) await nextOpen();
        else {
          const back = await Promise.race([
            nextOpen().then(() => true),
            new Promise<false>((resolve) => setTimeout(() => resolve(false), RECONNECT_WAIT_MS)),
          ]);
          if (!back) return { ok: false, error: CORE_AWAY };
        }
      }
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        socket.send(JSON.stringify({ id, channel, payload }));
      });
    },
    on(channel: EventChannel, handler: (payload: unknown) => void) {
      const set = listeners.get(channel) ?? new Set();
      set.add(handler);
      listeners.set(channel, set);
      return () => set.delete(handler);
    },
    onConnection: (handler) => connectionHandlers.push(handler),
  };
}

export function connectBridge(): Bridge {
  if (window.colonnade) {
    const electronBridge = window.colonnade;
    return { invoke: electronBridge.invoke, on: electronBridge.on, onConnection: () => undefined };
  }
  // A restarted host prints a new address; opening it in this tab must use the new token.
  window.addEventListener('hashchange', () => {
    if (new URLSearchParams(location.hash.slice(1)).get('token')) location.reload();
  });
  const token = hostToken();
  if (!token) throw new Error('Open Colonnade from the address the harness printed (it carries the access token).');
  return socketBridge(token);
}
