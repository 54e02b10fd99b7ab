// The headless host's files: a page left open across a rebuild asks for chunks that are gone, a
// stray request aims outside the folder, a file fails or shrinks while sent, a client leaves
// half-way. Each answers a status (or ends that response), is logged once, and the host answers
// the next request.
import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/main/core/app-core';
import { startSocketServer, type SocketServer } from '../../../src/main/host/socket-server';
import { staticFiles, type OpenFile } from '../../../src/main/host/static-files';
import { memoryPorts, MemoryLogger } from '../../doubles/ports';

const INDEX = '<!doctype html><title>Colonnade</title><script type="module" src="/assets/index-NEW.js"></script>';
const SECRET = 'the-secret-outside-the-folder';

/** A temp folder with a `renderer` folder (the root) and a secret file next to it. */
function makeRoot() {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'colonnade-static-'));
  const root = path.join(base, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), INDEX);
  fs.writeFileSync(path.join(root, 'assets', 'index-NEW.js'), 'export const app = 1;\n');
  fs.writeFileSync(path.join(root, 'assets', 'ComposeDialog-OLDHASH.js'), 'export const ComposeDialog = 1;\n');
  fs.writeFileSync(path.join(base, 'secret.txt'), SECRET);
  return { base, root };
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request with the path sent exactly as given (fetch would normalise `..` and `%2e%2e`). */
function request(port: number, rawPath: string, opts: { method?: string; headers?: Record<string, string> } = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: rawPath, method: opts.method ?? 'GET', headers: opts.headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A request whose body is read chunk by chunk: for the cases where the response is cut. */
function openResponse(port: number, rawPath: string) {
  return new Promise<{ req: http.ClientRequest; res: http.IncomingMessage }>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: rawPath, agent: false }, (res) => resolve({ req, res }));
    req.on('error', reject);
  });
}

/** Reads the rest of a response: the bytes, and whether it ended whole or was cut. */
function finish(res: http.IncomingMessage, already: Buffer[] = []) {
  return new Promise<{ bytes: number; complete: boolean }>((resolve) => {
    let bytes = already.reduce((n, b) => n + b.length, 0);
    res.on('data', (d: Buffer) => (bytes += d.length));
    res.on('end', () => resolve({ bytes, complete: res.complete }));
    res.on('error', () => resolve({ bytes, complete: false }));
    res.on('close', () => resolve({ bytes, complete: res.complete }));
  });
}

/** Resolves once the logger holds a line containing `text` (no clock involved). */
async function logged(log: MemoryLogger, text: string) {
  while (!log.text().includes(text)) await new Promise((r) => setImmediate(r));
}

const linesAbout = (log: MemoryLogger, where: string) => log.lines.filter((l) => l.fields?.path === where);

describe('the headless host serving the renderer', () => {
  let server: SocketServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const start = async () => {
    const { base, root } = makeRoot();
    const log = new MemoryLogger();
    const core = await createCore(memoryPorts());
    server = await startSocketServer({ core, log, token: 't', port: 0, rendererDir: root });
    return { base, root, log, port: server.port };
  };

  it('serves the page and its chunks with their types and the security headers', async () => {
    const { port } = await start();
    const page = await request(port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toBe(INDEX);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['cache-control']).toBe('no-cache');
    const chunk = await request(port, '/assets/index-NEW.js?v=1');
    expect(chunk.status).toBe(200);
    expect(chunk.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(chunk.headers['x-content-type-options']).toBe('nosniff');

    const again = await request(port, '/', { headers: { 'If-None-Match': page.headers.etag! } });
    expect(again.status).toBe(304);
    const head = await request(port, '/assets/index-NEW.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String('export const app = 1;\n'.length));
    expect(head.body).toBe('');
  });

  it('answers 404 for a chunk a rebuild deleted, logs it once, and keeps serving', async () => {
    const { root, log, port } = await start();
    // The page asked for the chunk once while it existed, then the rebuild removed it.
    expect((await request(port, '/assets/ComposeDialog-OLDHASH.js')).status).toBe(200);
    fs.rmSync(path.join(root, 'assets', 'ComposeDialog-OLDHASH.js'));

    const gone = await request(port, '/assets/ComposeDialog-OLDHASH.js');
    expect(gone.status).toBe(404);
    expect(gone.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(gone.headers['content-security-policy']).toContain("default-src 'self'");
    expect(linesAbout(log, '/assets/ComposeDialog-OLDHASH.js')).toEqual([
      expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ status: 404, error: 'ENOENT' }) }),
    ]);

    expect((await request(port, '/')).status).toBe(200);
    expect((await request(port, '/assets/index-NEW.js')).status).toBe(200);
  });

  it('answers 404 for a folder, a hidden file and a file that was never built', async () => {
    const { root, port } = await start();
    fs.writeFileSync(path.join(root, '.env'), 'SECRET=1');
    for (const where of ['/assets', '/assets/', '/.env', '/assets/Nope-123.js', '/index.html/x']) {
      expect({ where, status: (await request(port, where)).status }).toEqual({ where, status: 404 });
    }
    expect((await request(port, '/')).status).toBe(200);
  });

  it('refuses every path that leaves the folder, plain or encoded, and never shows what is outside', async () => {
    const { log, port } = await start();
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets/.%2e/.%2e/secret.txt',
    ];
    for (const where of attempts) {
      const answer = await request(port, where);
      expect({ where, status: answer.status }).toEqual({ where, status: 403 });
      expect(answer.body).not.toContain(SECRET);
      expect(linesAbout(log, where)).toHaveLength(1);
    }
    expect((await request(port, '/%E0%A4%A')).status).toBe(400);
    expect((await request(port, '/index.html%00.js')).status).toBe(400);
    expect((await request(port, '/', { method: 'POST' })).status).toBe(405);
    expect((await request(port, '/')).status).toBe(200);
  });

  it.skipIf(process.platform === 'win32')('refuses a link inside the folder that points outside it', async () => {
    const { base, root, port } = await start();
    fs.symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'assets', 'leak.txt'));
    fs.symlinkSync(base, path.join(root, 'up'));
    fs.symlinkSync(path.join(root, 'index.html'), path.join(root, 'assets', 'home.html'));
    const leak = await request(port, '/assets/leak.txt');
    expect(leak.status).toBe(403);
    expect(leak.body).not.toContain(SECRET);
    expect((await request(port, '/up/secret.txt')).status).toBe(403);
    // A link that stays inside is fine.
    expect((await request(port, '/assets/home.html')).body).toBe(INDEX);
  });

  it('keeps the host up when the whole renderer folder disappears and comes back', async () => {
    const { root, port } = await start();
    fs.rmSync(root, { recursive: true });
    expect((await request(port, '/')).status).toBe(404);
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'index.html'), INDEX);
    expect((await request(port, '/')).body).toBe(INDEX);
  });
});

/**
 * An `open` whose first opening of `fileName` hands out a stream pausing after its first chunk
 * until `go()`: the test can delete, shrink or fail the file, or leave, while the response is half
 * sent. Later openings read normally.
 */
function pausingOpen(fileName: string) {
  let go!: (then: 'read on' | Error) => void;
  const resumed = new Promise<'read on' | Error>((resolve) => (go = resolve));
  let pausedOnce = false;
  const open: OpenFile = async (p) => {
    const handle = await fs.promises.open(p, 'r');
    if (path.basename(p) !== fileName || pausedOnce) return handle;
    pausedOnce = true;
    const paused = {
      stat: () => handle.stat(),
      close: () => handle.close(),
      createReadStream: (o: { start?: number; end?: number }) =>
        Readable.from(
          (async function* () {
            let first = true;
            for await (const chunk of handle.createReadStream({ ...o, highWaterMark: 16 * 1024 })) {
              yield chunk as Buffer;
              if (!first) continue;
              first = false;
              const then = await resumed;
              if (then instanceof Error) throw then;
            }
          })(),
        ),
    };
    return paused as unknown as FileHandle;
  };
  return { open, go };
}

describe('a file that changes, fails or is abandoned while it is sent', () => {
  const SIZE = 256 * 1024;
  let server: http.Server | undefined;
  let release: (() => void) | undefined;
  afterEach(async () => {
    release?.();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server?.closeAllConnections();
    server = undefined;
  });

  /** The host's file handler, on its own server, with an `open` that pauses `big.bin`. */
  const start = async () => {
    const { root } = makeRoot();
    fs.writeFileSync(path.join(root, 'assets', 'big.bin'), Buffer.alloc(SIZE, 7));
    const log = new MemoryLogger();
    const pausing = pausingOpen('big.bin');
    release = () => pausing.go('read on');
    server = http.createServer(staticFiles({ root, log, headers: {}, open: pausing.open }));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as AddressInfo).port;
    // Waits for the headers and the first chunk, after which the read is paused.
    const halfSent = async () => {
      const { req, res } = await openResponse(port, '/assets/big.bin');
      const first = await new Promise<Buffer>((resolve) => res.once('data', resolve));
      res.pause();
      return { req, res, first };
    };
    return { root, log, port, go: pausing.go, halfSent };
  };

  it('finishes a file deleted mid-stream, then answers 404 for it and 200 for the page', async () => {
    const { root, log, port, go, halfSent } = await start();
    const { res, first } = await halfSent();
    expect(res.statusCode).toBe(200);
    fs.rmSync(path.join(root, 'assets', 'big.bin'));
    go('read on');
    res.resume();
    // The open file stays readable after its name is removed (POSIX unlink; Windows with
    // FILE_SHARE_DELETE, which libuv sets): the client gets all of it.
    expect(await finish(res, [first])).toEqual({ bytes: SIZE, complete: true });
    expect(linesAbout(log, '/assets/big.bin')).toEqual([]);
    expect((await request(port, '/assets/big.bin')).status).toBe(404);
    expect((await request(port, '/')).status).toBe(200);
  });

  it('cuts a response whose file shrank mid-stream instead of passing it off as whole', async () => {
    const { root, log, port, go, halfSent } = await start();
    const { res, first } = await halfSent();
    fs.truncateSync(path.join(root, 'assets', 'big.bin'), first.length);
    go('read on');
    res.resume();
    const got = await finish(res, [first]);
    expect(got.complete).toBe(false);
    expect(got.bytes).toBeLessThan(SIZE);
    await logged(log, 'shrank');
    expect(linesAbout(log, '/assets/big.bin')).toEqual([
      expect.objectContaining({ level: 'error', fields: expect.objectContaining({ status: 500, size: SIZE }) }),
    ]);
    expect((await request(port, '/')).status).toBe(200);
  });

  it('cuts the response on a read error mid-stream, logs it once, and keeps serving', async () => {
    const { log, port, go, halfSent } = await start();
    const { res, first } = await halfSent();
    go(Object.assign(new Error('i/o error'), { code: 'EIO' }));
    res.resume();
    expect((await finish(res, [first])).complete).toBe(false);
    await logged(log, 'failed while it was read');
    expect(linesAbout(log, '/assets/big.bin')).toEqual([
      expect.objectContaining({ level: 'error', fields: expect.objectContaining({ error: 'EIO' }) }),
    ]);
    expect((await request(port, '/')).status).toBe(200);
    const next = await request(port, '/assets/big.bin');
    expect([next.status, next.body.length]).toEqual([200, SIZE]);
  });

  it('answers 500 when the file cannot be opened, and serves the next request', async () => {
    const { root } = makeRoot();
    const log = new MemoryLogger();
    const open: OpenFile = (p) =>
      path.basename(p) === 'index-NEW.js'
        ? Promise.reject(Object.assign(new Error('i/o error'), { code: 'EIO' }))
        : fs.promises.open(p, 'r');
    server = http.createServer(staticFiles({ root, log, headers: {}, open }));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as AddressInfo).port;
    expect((await request(port, '/assets/index-NEW.js')).status).toBe(500);
    expect(linesAbout(log, '/assets/index-NEW.js')).toEqual([expect.objectContaining({ level: 'error' })]);
    expect((await request(port, '/')).status).toBe(200);
  });

  it('ends quietly when the client leaves mid-stream: one line in the log, the host serves on', async () => {
    const { log, port, halfSent } = await start();
    const { req } = await halfSent();
    req.destroy();
    await logged(log, 'left before');
    expect(linesAbout(log, '/assets/big.bin')).toEqual([
      expect.objectContaining({ level: 'info', message: 'host: a client left before its file was sent' }),
    ]);
    expect((await request(port, '/')).status).toBe(200);
  });
});
