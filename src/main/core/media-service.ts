// Media staged for posts: the renderer sends a file's bytes in chunks (`media.stage`), main writes
// them to the BlobStore as they come (a file the store writes piece by piece, `BlobStore.open`, so
// a 500 MB video never sits in memory; in memory where the store cannot), checks the SHA-256 the
// renderer computed, and keeps the file under that id, where the outbox reads it when the post
// goes out. Owner: main (the BlobStore); the renderer keeps only the ids (MediaRef) and, for
// drafts, its own copy.
import { createHash } from 'node:crypto';
import { ColonnadeError } from '../../shared/errors';
import type { MediaStageRequest, MediaStageResponse } from '../../shared/media-staging';
import type { BlobStore, BlobWriter, Clock, Logger } from './ports';

/** An upload nobody added to for this long is dropped (the renderer went away). */
export const STAGE_ABANDONED_MS = 10 * 60_000;
/**
 * Bytes of unfinished uploads main holds in memory at once, all uploads together (only where the
 * BlobStore cannot write piece by piece; on disk, the limit is the disk).
 */
export const STAGE_MEMORY_BYTES = 256 * 1024 * 1024;

interface Upload {
  sha256: string;
  total: number;
  /** The bytes so far, in memory; or the store's writer, on disk. */
  data?: Uint8Array;
  writer?: BlobWriter;
  received: number;
  touchedAt: number;
}

export interface MediaStagingDeps {
  blobs: BlobStore;
  clock: Clock;
  log: Logger;
}

export class MediaStaging {
  private readonly uploads = new Map<string, Upload>();

  constructor(private readonly deps: MediaStagingDeps) {}

  /**
   * Takes one chunk. Chunks come in order: `offset` is the number of bytes received so far (a
   * chunk sent again after a lost answer, wholly before that, is answered as received). The first
   * chunk of a file the store already holds completes at once. Answers how many bytes arrived,
   * and `{ id, bytes }` once the file is whole and stored. Throws `bad-request` with reason
   * `media-chunk-out-of-order` (a gap or a different total), `media-checksum-mismatch` (the bytes
   * are not those of `sha256`: the upload is dropped, nothing is kept) or `media-staging-busy`
   * (too many bytes of unfinished uploads held).
   */
  async stage(request: MediaStageRequest): Promise<MediaStageResponse> {
    this.dropAbandoned();
    const chunk = Buffer.from(request.chunk, 'base64');
    let upload = this.uploads.get(request.uploadId);
    if (!upload) {
      if (request.offset !== 0) throw outOfOrder('This upload is unknown (it may have been dropped): start again.');
      if (await this.deps.blobs.get(request.sha256))
        return { received: request.total, id: request.sha256, bytes: request.total };
      const writer = await this.deps.blobs.open?.();
      if (!writer && this.heldBytes() + request.total > STAGE_MEMORY_BYTES) {
        throw new ColonnadeError('bad-request', 'Too many media are being prepared at once: try again in a moment.', {
          reason: 'media-staging-busy',
        });
      }
      upload = {
        sha256: request.sha256,
        total: request.total,
        ...(writer ? { writer } : { data: new Uint8Array(request.total) }),
        received: 0,
        touchedAt: this.deps.clock.now(),
      };
      this.uploads.set(request.uploadId, upload);
    }
    if (upload.sha256 !== request.sha256 || upload.total !== request.total) {
      throw outOfOrder('This chunk belongs to another file than its upload.');
    }
    upload.touchedAt = this.deps.clock.now();
    if (request.offset + chunk.length <= upload.received && request.offset < upload.received) {
      return { received: upload.received };
    }
    if (request.offset !== upload.received || upload.received + chunk.length > upload.total || chunk.length === 0) {
      throw outOfOrder(`Expected the bytes from ${upload.received} of ${upload.total}.`);
    }
    if (upload.writer) await upload.writer.write(chunk);
    else upload.data?.set(chunk, upload.received);
    upload.received += chunk.length;
    if (upload.received < upload.total) return { received: upload.received };

    this.uploads.delete(request.uploadId);
    let id: string | null;
    if (upload.writer) id = await upload.writer.commit(upload.sha256);
    else {
      const data = upload.data ?? new Uint8Array(0);
      id = createHash('sha256').update(data).digest('hex') === upload.sha256 ? await this.deps.blobs.put(data) : null;
    }
    if (id !== upload.sha256) {
      this.deps.log.warn('media refused: its bytes do not match its checksum', { bytes: upload.total });
      throw new ColonnadeError('bad-request', 'The file arrived damaged (its checksum differs): add it again.', {
        reason: 'media-checksum-mismatch',
      });
    }
    return { received: upload.total, id, bytes: upload.total };
  }

  /** Whether the store holds the medium `id`, and its size. */
  async has(id: string): Promise<{ has: boolean; bytes?: number }> {
    const data = await this.deps.blobs.get(id);
    return data ? { has: true, bytes: data.byteLength } : { has: false };
  }

  private heldBytes(): number {
    let n = 0;
    for (const u of this.uploads.values()) if (u.data) n += u.total;
    return n;
  }

  private dropAbandoned(): void {
    const now = this.deps.clock.now();
    for (const [id, u] of this.uploads) {
      if (now - u.touchedAt >= STAGE_ABANDONED_MS) {
        this.uploads.delete(id);
        void u.writer?.abort().catch(() => undefined);
        this.deps.log.info('media upload abandoned', { received: u.received, total: u.total });
      }
    }
  }
}

function outOfOrder(message: string): ColonnadeError {
  return new ColonnadeError('bad-request', message, { reason: 'media-chunk-out-of-order' });
}
