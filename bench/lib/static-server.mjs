// A tiny HTTP server on 127.0.0.1 for what a benchmark page loads from "elsewhere" (avatars as a
// network's CDN serves them, a page of its own), so the browser fetches and caches them as it
// would from any server: no request interception (Playwright's routing turns the HTTP cache off).
import http from 'node:http';

/**
 * Starts the server on a free port of 127.0.0.1.
 *
 * @returns `origin` (`http://127.0.0.1:PORT`), `files` (a Map from a path such as `/avatars/x`
 *   to `{ type, body }`, body a string or Buffer, read at request time: add to it at any moment),
 *   and `close()`. Every answer may be cached for a day; an unknown path is a 404.
 */
export async function startStaticServer() {
  const files = new Map();
  const server = http.createServer((req, res) => {
    const file = files.get(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, {
      'content-type': file.type,
      'content-length': Buffer.byteLength(file.body),
      'cache-control': 'public, max-age=86400',
      'access-control-allow-origin': '*',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    files,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
