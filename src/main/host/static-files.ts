// The headless host's files: the built renderer, read from disk on every request. A page left open
// across a rebuild asks for hashed chunks that no longer exist, a stray request may aim outside the
// folder, a file may change or fail while it is sent, and the client may leave half-way: each of
// these answers a status or ends that one response, is logged once, and never stops the host.
import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Logger } from '../core/ports';

/** Content types of what the renderer's build emits; anything else is sent as bytes. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

const REASONS: Record<number, string> = {
  400: 'Bad request',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  500: 'The file could not be read',
};

/** Opens a file for reading; the handle is closed by the stream made from it. */
export type OpenFile = (absolutePath: string) => Promise<FileHandle>;

export interface StaticFilesOptions {
  /** The folder served at `/` (the built renderer). It may be emptied or replaced while served. */
  root: string;
  log: Logger;
  /** Headers sent with every answer, errors included (CSP, nosniff…). */
  headers: Record<string, string>;
  /** How files are opened; tests pass one that pauses or fails a read. Default: `fs.promises.open`. */
  open?: OpenFile;
}

/** The outcome of mapping a request's path onto the folder. */
type Target = { file: string } | { status: 400 | 403 | 404; reason: string };

/**
 * Maps the raw request target (`req.url`, not normalised by Node) onto a file under `root`.
 * The path is percent-decoded once, then any `.` or `..` segment, backslash or NUL is refused
 * before joining, so `/../x`, `/%2e%2e/x`, `/..%2fx` and `/..%5cx` are all 403, not 404:
 * RFC 3986 §3.3 makes dot segments path syntax, and a client that sends them un-normalised
 * (browsers never do, RFC 3986 §5.2.4) is aiming outside the folder. Hidden files are 404.
 */
export function targetOf(root: string, rawUrl: string): Target {
  if (!rawUrl.startsWith('/')) return { status: 400, reason: 'the request target is not a path' };
  const rawPath = rawUrl.split(/[?#]/, 1)[0]!;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { status: 400, reason: 'the path is not valid percent-encoding' };
  }
  if (decoded.includes('\0')) return { status: 400, reason: 'the path holds a NUL character' };
  if (decoded.includes('\\')) return { status: 403, reason: 'the path holds a backslash' };
  const segments = decoded.split('/').slice(1);
  if (segments.some((s) => s === '.' || s === '..')) return { status: 403, reason: 'the path leaves the folder' };
  if (segments.some((s) => s.startsWith('.'))) return { status: 404, reason: 'hidden files are not served' };
  // `/` and `/folder/` mean the folder's index.html, as the page's own address does.
  if (segments.at(-1) === '') segments[segments.length - 1] = 'index.html';
  const file = path.join(root, ...segments);
  if (!isInside(root, file)) return { status: 403, reason: 'the path leaves the folder' };
  return { file };
}

/** Whether `file` is `root` itself or below it (both absolute, already resolved). */
function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** The status a failed file-system call answers: gone 404, not allowed 403, anything else 500. */
function statusOfError(err: unknown): 403 | 404 | 500 {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'ENAMETOOLONG' || code === 'ELOOP') {
    return 404;
  }
  if (code === 'EACCES' || code === 'EPERM') return 403;
  return 500;
}

const errorKind = (err: unknown) => (err as NodeJS.ErrnoException | undefined)?.code ?? String(err);

/**
 * A request handler serving `root` to GET and HEAD. Answers 200 (whole file; ranges are ignored,
 * as RFC 9110 §14.2 allows), 304 for a matching `If-None-Match`, 400 for a malformed path, 403 for
 * a path or link leading outside the folder or a file the host may not read, 404 for what is
 * missing, a folder or not a regular file, 405 for other methods, 500 for a read error before
 * the first byte. A failure after the headers cuts that connection (the client sees an
 * incomplete response, never a short one taken as whole). Each unserved request is logged once:
 * warn for 4xx, error for 5xx and failed reads, info for a client that left. Never throws.
 */
export function staticFiles(opts: StaticFilesOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { log } = opts;
  const open: OpenFile = opts.open ?? ((p) => fs.promises.open(p, 'r'));
  const root = path.resolve(opts.root);

  return (req, res) => {
    const where = (req.url ?? '').split('?', 1)[0]!.slice(0, 200);
    let logged = false;
    const note = (level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>) => {
      if (logged) return;
      logged = true;
      log[level](message, { path: where, ...fields });
    };
    /** Answers an error status, or cuts the connection if the headers are already out. */
    const fail = (status: number, reason: string, extra: Record<string, unknown> = {}) => {
      note(status >= 500 ? 'error' : 'warn', `host: a file request was not served (${reason})`, {
        status,
        ...extra,
      });
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const body = `${REASONS[status] ?? 'Error'}\n`;
      res.writeHead(status, {
        ...opts.headers,
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
        'Cache-Control': 'no-store',
        ...(status === 405 ? { Allow: 'GET, HEAD' } : {}),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    // A write after the client left must not become an unhandled 'error' event.
    res.on('error', (err) => note('info', 'host: a file response failed', { error: errorKind(err) }));

    void serve(req, res, fail, note).catch((err: unknown) =>
      fail(500, 'unexpected failure', { error: errorKind(err) }),
    );
  };

  async function serve(
    req: IncomingMessage,
    res: ServerResponse,
    fail: (status: number, reason: string, extra?: Record<string, unknown>) => void,
    note: (level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>) => void,
  ): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, `method ${req.method ?? '?'}`);
    const target = targetOf(root, req.url ?? '');
    if ('status' in target) return fail(target.status, target.reason);

    // Links are followed, but only to files that are inside the folder too.
    let realRoot: string;
    let real: string;
    try {
      realRoot = await fs.promises.realpath(root);
      real = await fs.promises.realpath(target.file);
    } catch (err) {
      const status = statusOfError(err);
      return fail(
        status,
        status === 404 ? 'no such file, perhaps a page from before a rebuild' : 'cannot resolve the path',
        {
          error: errorKind(err),
        },
      );
    }
    if (!isInside(realRoot, real)) return fail(403, 'a link leads outside the folder');

    // Checked before opening: opening a FIFO or a device could block or never end.
    let stats: fs.Stats;
    try {
      stats = await fs.promises.stat(real);
    } catch (err) {
      return fail(statusOfError(err), 'cannot read the file', { error: errorKind(err) });
    }
    if (stats.isDirectory()) return fail(404, 'a folder');
    if (!stats.isFile()) return fail(404, 'not a regular file');

    const etag = `W/"${stats.size}-${Math.trunc(stats.mtimeMs)}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { ...opts.headers, ETag: etag, 'Cache-Control': 'no-cache' });
      res.end();
      return;
    }
    if (req.method === 'HEAD') {
      res.writeHead(200, headersFor(real, stats, etag));
      res.end();
      return;
    }

    let handle: FileHandle;
    try {
      handle = await open(real);
    } catch (err) {
      return fail(statusOfError(err), 'cannot open the file', { error: errorKind(err) });
    }
    // Size and date of what is actually open: the file may have been replaced since the stat.
    let opened: fs.Stats;
    try {
      opened = await handle.stat();
    } catch (err) {
      await handle.close().catch(() => undefined);
      return fail(500, 'cannot read the file', { error: errorKind(err) });
    }
    if (res.destroyed) {
      await handle.close().catch(() => undefined);
      note('info', 'host: a client left before its file was sent', {});
      return;
    }
    if (!opened.isFile()) {
      await handle.close().catch(() => undefined);
      return fail(404, 'not a regular file');
    }

    const size = opened.size;
    const openedTag = `W/"${size}-${Math.trunc(opened.mtimeMs)}"`;
    // `end` is inclusive; an empty file is answered without a read.
    if (size === 0) {
      await handle.close().catch(() => undefined);
      res.writeHead(200, headersFor(real, opened, openedTag));
      res.end();
      return;
    }
    const stream = handle.createReadStream({ start: 0, end: size - 1 });
    let sent = 0;
    stream.on('data', (chunk: Buffer | string) => (sent += chunk.length));
    stream.on('error', (err) => {
      stream.destroy();
      fail(500, 'the file failed while it was read', { error: errorKind(err), sent, size });
    });
    stream.on('end', () => {
      // Shorter than announced (the file shrank while sent): cut, so it is not taken as whole.
      if (sent < size) fail(500, 'the file shrank while it was sent', { sent, size });
      else res.end();
    });
    res.on('close', () => {
      if (res.writableFinished) return;
      stream.destroy();
      note('info', 'host: a client left before its file was sent', { sent, size });
    });
    res.writeHead(200, headersFor(real, opened, openedTag));
    stream.pipe(res, { end: false });
  }

  function headersFor(file: string, stats: fs.Stats, etag: string): Record<string, string | number> {
    return {
      ...opts.headers,
      'Content-Type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': stats.size,
      'Last-Modified': stats.mtime.toUTCString(),
      ETag: etag,
      // Revalidate every time: after a rebuild, index.html must name the new chunks.
      'Cache-Control': 'no-cache',
      'Accept-Ranges': 'none',
    };
  }
}
