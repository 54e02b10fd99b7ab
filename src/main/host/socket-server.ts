// The headless host's transport: HTTP for the built renderer, a WebSocket for the contract.
// Bound to 127.0.0.1; a connection needs the random token and must come from the host's own origin.
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { SOCKET_PATH, SocketRequestSchema, type SocketServerMessage } from '../../shared/ipc/socket';
import type { Core } from '../core/app-core';
import type { Logger } from '../core/ports';
import { CONTENT_SECURITY_POLICY } from '../shared-security';
import { staticFiles } from './static-files';

export interface SocketServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const sameToken = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export async function startSocketServer(opts: {
  core: Core;
  log: Logger;
  token: string;
  port: number;
  rendererDir: string;
}): Promise<SocketServer> {
  const { core, log, token } = opts;
  // Missing chunks, paths outside the folder and failed reads answer a status; none stops the host.
  const statics = staticFiles({
    root: opts.rendererDir,
    log,
    headers: {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    },
  });
  const server = http.createServer(statics);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });

  server.on('upgrade', (req, socket, head) => {
    const port = (server.address() as AddressInfo).port;
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const origin = req.headers.origin;
    const allowedOrigins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
    if (
      url.pathname !== SOCKET_PATH ||
      !sameToken(url.searchParams.get('token') ?? '', token) ||
      (origin !== undefined && !allowedOrigins.includes(origin))
    ) {
      log.warn('refused a connection to the host (bad path, token or origin)');
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    const send = (message: SocketServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const unsubscribe = core.subscribe((event, payload) => send({ event, payload }));
    ws.on('close', unsubscribe);
    ws.on('message', (data) => {
      let parsed: ReturnType<typeof SocketRequestSchema.safeParse>;
      try {
        parsed = SocketRequestSchema.safeParse(JSON.parse(String(data)));
      } catch {
        log.warn('host received a message that is not JSON');
        return;
      }
      if (!parsed.success) {
        log.warn('host received a message outside the envelope');
        return;
      }
      const { id, channel, payload } = parsed.data;
      void core.dispatch(channel, payload).then((result) => send({ id, result }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
