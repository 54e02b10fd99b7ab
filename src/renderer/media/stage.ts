// Hands a medium's bytes to main's media store (`media.stage`) in chunks, with its SHA-256
// (crypto.subtle), reporting progress; a file main already holds (`media.has`) is not sent again.
import type { Api } from '../api';
import { MEDIA_CHUNK_BYTES } from '../../shared/media-staging';

/** Staged: the medium's id (its SHA-256, hex) and size in bytes. */
export interface StagedMedium {
  id: string;
  bytes: number;
}

/**
 * Stages `file`; `onProgress` gets the share sent (0 to 1), 1 at the end. Throws ApiError as main
 * answers (a wrong checksum: reason `media-checksum-mismatch`).
 */
export type StageMedia = (file: Blob, onProgress: (fraction: number) => void) => Promise<StagedMedium>;

/** SHA-256 of `data` in lowercase hex. */
export async function sha256Hex(data: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Standard, padded base64 of `bytes`. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

const uploadId = () => {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
};

/**
 * The stager on `api`. `sha256` is given when known (a test sends a wrong one to see it refused);
 * by default it is computed from the bytes.
 */
export function makeStageMedia(
  api: Api,
  options: { sha256?: (data: Uint8Array<ArrayBuffer>) => Promise<string> } = {},
): StageMedia {
  return async (file, onProgress) => {
    const data = new Uint8Array(await file.arrayBuffer());
    const sha256 = await (options.sha256 ?? sha256Hex)(data);
    onProgress(0);
    const held = await api('media.has', { id: sha256 });
    if (held.has) {
      onProgress(1);
      return { id: sha256, bytes: data.byteLength };
    }
    const id = uploadId();
    for (let offset = 0; offset < data.byteLength; offset += MEDIA_CHUNK_BYTES) {
      const chunk = toBase64(data.subarray(offset, offset + MEDIA_CHUNK_BYTES));
      const answer = await api('media.stage', { uploadId: id, sha256, total: data.byteLength, offset, chunk });
      onProgress(Math.min(1, answer.received / data.byteLength));
      if (answer.id) return { id: answer.id, bytes: answer.bytes ?? data.byteLength };
    }
    throw new Error('Main did not answer the staged medium’s id.');
  };
}
