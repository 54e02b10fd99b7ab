// A one-shot OAuth callback on 127.0.0.1 (X requires the exact registered URL, and 127.0.0.1, not
// localhost). The browser lands here after the user approves; we answer a small page and hand the
// query to whoever waits. Used by X and Mastodon.
import { createServer } from 'node:http';
import { ColonnadeError } from '../../shared/errors';

export interface LoopbackOptions {
  /** Fixed port: the callback URL registered with the network includes it. */
  port: number;
  /** Callback path, e.g. "/callback". */
  path: string;
  timeoutMs: number;
}

export interface LoopbackCallback {
  redirectUri: string;
  /** The callback's query string; rejects when nobody came back in time. */
  result: Promise<URLSearchParams>;
  close(): void;
}

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Colonnade</title>
<style>body{font:16px system-ui,sans-serif;margin:15vh auto;max-width:32em;text-align:center;color:#222}</style>
</head><body>
<h1>You can return to Colonnade</h1>
<p>The sign-in is complete. You can close this tab.</p>
<p lang="fr">Vous pouvez revenir à Colonnade. La connexion est terminée ; vous pouvez fermer cet onglet.</p>
</body></html>`;

export async function startLoopbackCallback(options: LoopbackOptions): Promise<LoopbackCallback> {
  const path = options.path.startsWith('/') ? options.path : `/${options.path}`;
  let resolve!: (q: URLSearchParams) => void;
  let reject!: (err: unknown) => void;
  const result = new Promise<URLSearchParams>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Nobody may be awaiting yet; an unobserved rejection must not crash the process.
  result.catch(() => undefined);
  let settled = false;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== path) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(PAGE);
    if (!settled) {
      settled = true;
      resolve(url.searchParams);
      close();
    }
  });
  const timer = setTimeout(() => {
    if (settled) return;
    settled = true;
    reject(new ColonnadeError('invalid', 'The sign-in took too long. Try connecting again.'));
    close();
  }, options.timeoutMs);
  function close(): void {
    clearTimeout(timer);
    if (!settled) {
      settled = true;
      reject(new ColonnadeError('invalid', 'The sign-in was cancelled.'));
    }
    server.close();
    server.closeIdleConnections();
  }
  await new Promise<void>((res, rej) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      rej(
        err.code === 'EADDRINUSE'
          ? new ColonnadeError('invalid', `Port ${options.port} is busy; Colonnade needs it for the sign-in callback.`)
          : err,
      ),
    );
    server.listen(options.port, '127.0.0.1', () => res());
  });
  return { redirectUri: `http://127.0.0.1:${options.port}${path}`, result, close };
}
