// Shared set-up for the X adapter tests: an emulator and an adapter pointed at it, or a stub
// server for answers the emulator (bound to the spec) cannot give.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createXAdapter, type XAdapter, type XCredentials } from '../../../../src/main/networks/x';
import type { Clock, Logger } from '../../../../src/main/core/ports';
import type { RateWindow } from '../../../../src/shared/adapter';
import type { AdapterMemory } from '../../../../src/main/networks/module';
import { startXEmulator, type XEmulator, type XEmulatorOptions } from '../../../emulators/x';

export const CLIENT = { clientId: 'colonnade-test-client', redirectUri: 'http://127.0.0.1:53682/x/callback' };

export const clock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface LogLine {
  level: string;
  message: string;
  fields?: Record<string, unknown> | undefined;
}

export function memoryLogger(lines: LogLine[] = []): Logger & { lines: LogLine[] } {
  return {
    lines,
    info: (message, fields) => void lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => void lines.push({ level: 'warn', message, fields }),
    error: (message, fields) => void lines.push({ level: 'error', message, fields }),
  };
}

export interface Rig {
  emu: XEmulator;
  adapter: XAdapter;
  creds: XCredentials;
  saved: XCredentials[];
  /** What the adapter told the cost meter, response by response. */
  reads: { posts: number; ownPosts: number; purpose: 'timeline' | 'counts' }[];
  /** Every rate-limit window the adapter reported, in order. */
  windows: RateWindow[];
  log: ReturnType<typeof memoryLogger>;
}

/** What a test may change about the adapter's context. */
export interface RigOptions {
  memory?: AdapterMemory;
  /** The adapter's clock (default: the real one). */
  clock?: Clock;
  /** The request deadline (ms; default the app's REQUEST_DEADLINE_MS). */
  requestDeadlineMs?: number;
}

export async function startEmulator(options: XEmulatorOptions = {}): Promise<XEmulator> {
  return startXEmulator({ clients: [CLIENT], ...options });
}

/**
 * One emulator for the enclosing `describe` (or file): started before its tests, handed to
 * `ready`, closed after them, and checked after each test that nothing it served or was sent broke
 * the X API specification.
 */
export function useEmulator(options: XEmulatorOptions, ready: (emu: XEmulator) => void): void {
  let emu: XEmulator | undefined;
  beforeAll(async () => {
    emu = await startEmulator(options);
    ready(emu);
  });
  afterAll(async () => {
    await emu?.close();
  });
  afterEach(() => {
    expect(emu?.violations.splice(0)).toEqual([]);
  });
}

export function oauth2Creds(emu: XEmulator, ttlSec?: number): XCredentials {
  const pair = emu.control.issueOAuth2(ttlSec === undefined ? {} : { ttlSec });
  return {
    kind: 'oauth2',
    clientId: CLIENT.clientId,
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    expiresAt: pair.expiresAt,
    apiBase: emu.url,
  };
}

/** An account memory document held in memory (what the app keeps in a per-account file). */
export function memoryDocument(): AdapterMemory & { document: Record<string, unknown> | undefined; writes: number } {
  const doc = {
    document: undefined as Record<string, unknown> | undefined,
    writes: 0,
    read: () => (doc.document === undefined ? undefined : structuredClone(doc.document)),
    write: (next: Record<string, unknown>) => {
      doc.writes++;
      doc.document = structuredClone(next);
    },
  };
  return doc;
}

export function rig(
  emu: XEmulator,
  creds: XCredentials = oauth2Creds(emu),
  options: AdapterMemory | RigOptions = {},
): Rig {
  const { memory, ...rest }: RigOptions = 'read' in options ? { memory: options } : options;
  const saved: XCredentials[] = [];
  const reads: Rig['reads'] = [];
  const windows: RateWindow[] = [];
  const log = memoryLogger();
  const adapter = createXAdapter(creds, {
    clock: rest.clock ?? clock,
    log,
    saveCredentials: async (next) => {
      saved.push(next);
    },
    onReads: (r) => void reads.push(r),
    onRateWindow: (w) => void windows.push(w),
    ...(memory ? { memory } : {}),
    ...(rest.requestDeadlineMs === undefined ? {} : { requestDeadlineMs: rest.requestDeadlineMs }),
  });
  return { emu, adapter, creds, saved, reads, windows, log };
}

/** A PNG header big enough for X to read its size (the rest is filler). */
export function png(width: number, height: number, size = 3000): Uint8Array {
  const buf = Buffer.alloc(size);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(buf, 0);
  buf.writeUInt32BE(13, 8);
  buf.write('IHDR', 12, 'ascii');
  buf.writeUInt32BE(width, 16);
  buf.writeUInt32BE(height, 20);
  return new Uint8Array(buf);
}

/** One answer of a stub X server: status, JSON body, extra headers. */
export interface StubAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A request the stub received: method, path and query. */
export interface StubRequest {
  method: string;
  url: URL;
}

export const STUB_ME = { id: '1500000000000000001', username: 'colonnade_hq', name: 'Colonnade HQ' };

/**
 * A tiny stub of the X API for answers as X sends them live that the emulator (bound to the
 * spec) cannot send: `handler` answers a request or leaves it (undefined) to the defaults
 * (`GET /2/users/me` is the signed-in user; anything else a 404 problem). The adapter signs in
 * with OAuth 1.0a keys (no token refresh involved). `requests` lists what it received.
 */
export async function stubX(handler: (req: StubRequest) => StubAnswer | undefined): Promise<{
  adapter: XAdapter;
  requests: StubRequest[];
  log: ReturnType<typeof memoryLogger>;
  close(): Promise<void>;
}> {
  const requests: StubRequest[] = [];
  const server = http.createServer((req, res) => {
    const request = { method: req.method ?? 'GET', url: new URL(req.url ?? '/', 'http://stub') };
    requests.push(request);
    let answer = handler(request);
    if (!answer && request.url.pathname === '/2/users/me') answer = { status: 200, body: { data: STUB_ME } };
    answer ??= {
      status: 404,
      body: { title: 'Not Found Error', type: 'https://api.x.com/2/problems/resource-not-found', detail: 'no route' },
    };
    const reply = answer;
    req.resume();
    req.on('end', () => {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const log = memoryLogger();
  const adapter = createXAdapter(
    {
      kind: 'oauth1',
      appKey: 'k',
      appSecret: 's',
      accessToken: 't',
      accessSecret: 'a',
      apiBase: `http://127.0.0.1:${port}`,
    },
    { clock, log, saveCredentials: async () => {} },
  );
  return {
    adapter,
    requests,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
