// How the renderer hands a medium's bytes to main (`media.stage`): in chunks of JSON (the Electron
// IPC and the host's WebSocket both carry JSON, the WebSocket at most 1 MiB a message), each a
// base64 string, in order, with the SHA-256 the renderer computed; main keeps the whole file in
// its media store under that SHA-256 once every byte arrived and the sum matches.
import { z } from 'zod';

/** Raw bytes per chunk: 512 KiB, 699,052 characters of base64, well under the WebSocket's 1 MiB. */
export const MEDIA_CHUNK_BYTES = 512 * 1024;

/** Longest base64 chunk main accepts (characters): one MEDIA_CHUNK_BYTES chunk. */
export const MEDIA_CHUNK_BASE64_MAX = Math.ceil(MEDIA_CHUNK_BYTES / 3) * 4;

/**
 * Largest medium Colonnade stages and sends, in bytes (512 MiB): above Bluesky's video limit
 * (300,000,000 bytes) and Mastodon's default (99 MiB), X's former Post video limit (its 8 GB of
 * today is beyond what Colonnade sends: the composer says so before staging). Main writes a file
 * to disk as its chunks come, and reads it whole when the post goes out.
 */
export const MEDIA_STAGE_MAX_BYTES = 512 * 1024 * 1024;

export const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'media-id-invalid');

export const MediaStageRequestSchema = z
  .object({
    /** Chosen by the renderer for one file's chunks. */
    uploadId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'media-upload-id-invalid'),
    /** SHA-256 of the whole file (hex), as the renderer computed it; the medium's id once staged. */
    sha256: Sha256Schema,
    /** The whole file's size in bytes. */
    total: z.number().int().positive().max(MEDIA_STAGE_MAX_BYTES),
    /** Where this chunk starts in the file (bytes). */
    offset: z.number().int().nonnegative(),
    /** The chunk's bytes, base64 (standard alphabet, padded). */
    chunk: z
      .string()
      .max(MEDIA_CHUNK_BASE64_MAX)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'media-chunk-invalid'),
  })
  .strict();
export type MediaStageRequest = z.infer<typeof MediaStageRequestSchema>;

/** How far the file is; `id` and `bytes` once the whole file is staged. */
export const MediaStageResponseSchema = z.object({
  received: z.number().int().nonnegative(),
  id: Sha256Schema.optional(),
  bytes: z.number().int().positive().optional(),
});
export type MediaStageResponse = z.infer<typeof MediaStageResponseSchema>;
