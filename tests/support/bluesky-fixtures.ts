// Small helpers for the Bluesky tests: a real PNG of any size, and a context for the adapter
// that records what it saved.
import zlib from 'node:zlib';
import { systemClock } from '../../src/main/core/ports';
import type { AdapterContext, BlueskyCredentials } from '../../src/main/networks/bluesky';
import type { RateWindow } from '../../src/shared/adapter';
import { MemoryLogger } from '../doubles/ports';

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid grey PNG of the given size. */
export function png(width: number, height: number): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0; // filter: none
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', zlib.deflateSync(rows)),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

export interface RecordingContext extends AdapterContext {
  saved: BlueskyCredentials[];
  log: MemoryLogger;
  /** Every rate-limit window the adapter reported, in order. */
  windows: RateWindow[];
  /** Make the next saves fail (true) or succeed again (false). */
  failSaves(fail: boolean): void;
}

export function recordingContext(): RecordingContext {
  let failing = false;
  const saved: BlueskyCredentials[] = [];
  const windows: RateWindow[] = [];
  return {
    clock: systemClock,
    log: new MemoryLogger(),
    saved,
    windows,
    onRateWindow(window) {
      windows.push(window);
    },
    failSaves(fail) {
      failing = fail;
    },
    async saveCredentials(next) {
      if (failing) throw new Error('disk full');
      saved.push(structuredClone(next));
    },
  };
}
