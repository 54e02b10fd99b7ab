// What every adapter's media upload shares: one post's progress over all its media (bytes sent of
// the total, then "processing" while the network prepares a video), a request body that counts its
// bytes as the connection takes them, and a deadline that runs only while nothing moves, so a
// 300 MB video on a slow line is not cut off by the 30-second deadline of ordinary requests.
import type { UploadProgress } from '../../shared/adapter';
import type { Clock } from '../core/ports';

/** Bytes handed to the connection at a time by `countedBody` (64 KiB, undici's own buffer size). */
export const BODY_SLICE_BYTES = 64 * 1024;

/**
 * One post's upload progress: `total` bytes over all its media. `sent(n)` adds bytes as they go;
 * `processing()` says the network is preparing a medium. Tells `report` each time (the outbox
 * keeps the share for the Outbox view); a post without `report` pays nothing.
 */
export class UploadMeter {
  private done = 0;

  constructor(
    readonly total: number,
    private readonly report?: ((progress: UploadProgress) => void) | undefined,
  ) {}

  /** Adds `bytes` sent (never past `total`). */
  sent(bytes: number): void {
    if (bytes <= 0 || this.total <= 0) return;
    this.done = Math.min(this.total, this.done + bytes);
    this.report?.({ sent: this.done, total: this.total });
  }

  /** The network is processing what was sent (a video): the bytes are all there. */
  processing(): void {
    if (this.total > 0) this.report?.({ sent: this.done, total: this.total, processing: true });
  }
}

/**
 * `parts`, one after the other, as a request body read slice by slice (BODY_SLICE_BYTES),
 * `onBytes` told each slice's length and which part it came from when the connection takes it
 * (fetch pulls the next slice once the socket has room, so this follows the bytes actually
 * leaving, within one slice and the socket's buffer). Nothing is copied.
 */
export function countedBody(
  parts: readonly Uint8Array[],
  onBytes: (bytes: number, part: number) => void,
  sliceBytes = BODY_SLICE_BYTES,
): ReadableStream<Uint8Array> {
  let part = 0;
  let offset = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        while (part < parts.length && offset >= parts[part]!.byteLength) {
          part++;
          offset = 0;
        }
        const data = parts[part];
        if (!data) {
          controller.close();
          return;
        }
        const slice = data.subarray(offset, Math.min(offset + sliceBytes, data.byteLength));
        offset += slice.byteLength;
        controller.enqueue(slice);
        onBytes(slice.byteLength, part);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * A deadline that runs while nothing moves: `signal` aborts (a DOMException named TimeoutError)
 * when `touch()` was not called for `ms` milliseconds. `stop()` clears it once the exchange ended.
 */
export function stallDeadline(
  ms: number,
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>,
): { signal: AbortSignal; touch(): void; stop(): void } {
  const controller = new AbortController();
  let timer: unknown;
  const arm = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = clock.setTimeout(
      () => controller.abort(new DOMException('The upload stalled: nothing was sent or received.', 'TimeoutError')),
      ms,
    );
  };
  arm();
  return {
    signal: controller.signal,
    touch: () => {
      if (!controller.signal.aborted) arm();
    },
    stop: () => {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** Waits `ms` milliseconds on `clock` (the adapters' polls of a medium being processed). */
export function pause(clock: Pick<Clock, 'setTimeout'>, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

/** The bytes a medium sends: its MP4 where a GIF goes as a video, else its own. */
export function bytesSent(m: { data: Uint8Array; asVideo?: Uint8Array | undefined }, gifAsVideo = false): number {
  return gifAsVideo && m.asVideo ? m.asVideo.byteLength : m.data.byteLength;
}
