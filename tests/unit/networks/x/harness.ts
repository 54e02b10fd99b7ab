// Shared set-up for the X adapter tests: an emulator and an adapter pointed at it.
import { createXAdapter, type XAdapter, type XCredentials } from '../../../../src/main/networks/x';
import type { Clock, Logger } from '../../../../src/main/core/ports';
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
  reads: { posts: number; ownPosts: number }[];
  log: ReturnType<typeof memoryLogger>;
}

export async function startEmulator(options: XEmulatorOptions = {}): Promise<XEmulator> {
  return startXEmulator({ clients: [CLIENT], ...options });
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

export function rig(emu: XEmulator, creds: XCredentials = oauth2Creds(emu), memory?: AdapterMemory): Rig {
  const saved: XCredentials[] = [];
  const reads: Rig['reads'] = [];
  const log = memoryLogger();
  const adapter = createXAdapter(creds, {
    clock,
    log,
    saveCredentials: async (next) => {
      saved.push(next);
    },
    onReads: (r) => void reads.push(r),
    ...(memory ? { memory } : {}),
  });
  return { emu, adapter, creds, saved, reads, log };
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
