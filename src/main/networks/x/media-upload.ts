// X's chunked media upload (docs.x.com "Chunked media upload"; the OpenAPI description in
// tests/fixtures/specs/x-api-v2.openapi.json): POST /2/media/upload/initialize (media_type,
// total_bytes, media_category), POST /2/media/upload/{id}/append per segment (multipart: media,
// segment_index 0…999), POST /2/media/upload/{id}/finalize; when finalize answers `processing_info`
// (videos and GIFs, processed asynchronously), GET /2/media/upload?command=STATUS&media_id= after
// `check_after_secs` until `state` is `succeeded` or `failed`. Written out rather than
// twitter-api-v2's `uploadMedia`, which reports no progress, waits on the real clock, and returns
// on a `pending` state that names no wait.
import type { TwitterApiReadWrite } from 'twitter-api-v2';
import { z } from 'zod';
import { ColonnadeError } from '../../../shared/errors';
import { mediaKind } from '../../../shared/media-rules';
import type { Clock } from '../../core/ports';
import { pause, type UploadMeter } from '../upload-progress';

/** Bytes per APPEND segment: 1 MiB (X takes up to 1,000 segments, so up to 1,000 MiB this way). */
export const X_SEGMENT_BYTES = 1024 * 1024;
/** The most segments X takes (`AppendMediaUploadRequest.segment_index` maximum 999). */
const MAX_SEGMENTS = 1000;
/** How long a medium may stay in processing before the send is given up as transient (10 minutes). */
export const X_PROCESSING_LIMIT_MS = 10 * 60_000;
/** The pause between two STATUS polls when X names none, and the longest one taken. */
const DEFAULT_CHECK_AFTER_MS = 1_000;
const MAX_CHECK_AFTER_MS = 60_000;

/** Which category a MIME type is uploaded in: a Post's image, GIF or video. */
export function mediaCategory(mimeType: string): 'tweet_image' | 'tweet_gif' | 'tweet_video' {
  const kind = mediaKind(mimeType);
  return kind === 'gif' ? 'tweet_gif' : kind === 'video' ? 'tweet_video' : 'tweet_image';
}

const ProcessingInfo = z
  .object({
    state: z.string(),
    check_after_secs: z.number().nonnegative().optional(),
    progress_percent: z.number().optional(),
    // Not in the OpenAPI description's schema, but in X's documented answers: {code, name, message}.
    error: z.object({ message: z.string().optional(), name: z.string().optional() }).partial().optional(),
  })
  .passthrough();
const UploadAnswer = z.object({
  data: z.object({ id: z.string().min(1), processing_info: ProcessingInfo.optional() }).passthrough(),
});

/** An upload answer read, or invalid when X answered something else. */
function read(raw: unknown): z.infer<typeof UploadAnswer> {
  const parsed = UploadAnswer.safeParse(raw);
  if (!parsed.success)
    throw new ColonnadeError('invalid', 'X answered the upload with data Colonnade does not understand.');
  return parsed.data;
}

export interface XMediaUploadDeps {
  /** Runs one request with the account's credentials, its failures already in the taxonomy. */
  call<T>(fn: (api: TwitterApiReadWrite) => Promise<T>): Promise<T>;
  clock: Pick<Clock, 'now' | 'setTimeout'>;
  /** Bytes sent and processing, for the whole post. */
  meter: UploadMeter;
}

/**
 * Uploads one medium and waits until X can attach it; answers its media id. Throws invalid
 * (reason `media-processing-failed`, X's words in `detail`) when X fails to process it, transient
 * (`media-still-processing`) when it is still processing after X_PROCESSING_LIMIT_MS, and the
 * taxonomy's errors of each request otherwise.
 */
export async function uploadXMedia(deps: XMediaUploadDeps, data: Uint8Array, mimeType: string): Promise<string> {
  const segment = Math.max(X_SEGMENT_BYTES, Math.ceil(data.byteLength / MAX_SEGMENTS));
  const init = read(
    await deps.call((api) =>
      api.v2.post('media/upload/initialize', {
        media_type: mimeType,
        total_bytes: data.byteLength,
        media_category: mediaCategory(mimeType),
      }),
    ),
  );
  const id = init.data.id;
  for (let index = 0, offset = 0; offset < data.byteLength; index++, offset += segment) {
    const chunk = Buffer.from(data.buffer, data.byteOffset + offset, Math.min(segment, data.byteLength - offset));
    await deps.call((api) =>
      api.v2.post(`media/upload/${id}/append`, { segment_index: index, media: chunk }, { forceBodyMode: 'form-data' }),
    );
    deps.meter.sent(chunk.byteLength);
  }
  const finalized = read(await deps.call((api) => api.v2.post(`media/upload/${id}/finalize`)));
  let info = finalized.data.processing_info;
  const started = deps.clock.now();
  while (info && info.state !== 'succeeded') {
    if (info.state === 'failed') {
      const words = info.error?.message;
      throw new ColonnadeError(
        'invalid',
        `X could not process this ${mediaKind(mimeType) === 'video' ? 'video' : 'medium'}${words ? `: ${words}` : '.'}`,
        {
          field: 'media',
          reason: 'media-processing-failed',
          params: { network: 'X' },
          ...(words ? { detail: words } : {}),
        },
      );
    }
    deps.meter.processing();
    if (deps.clock.now() - started >= X_PROCESSING_LIMIT_MS) {
      throw new ColonnadeError('transient', 'X is still processing this medium. Trying again later.', {
        reason: 'media-still-processing',
        params: { network: 'X' },
      });
    }
    const wait = info.check_after_secs === undefined ? DEFAULT_CHECK_AFTER_MS : info.check_after_secs * 1000;
    await pause(deps.clock, Math.min(Math.max(wait, 0), MAX_CHECK_AFTER_MS));
    const status = read(await deps.call((api) => api.v2.get('media/upload', { command: 'STATUS', media_id: id })));
    // No processing_info in a STATUS answer: nothing left to wait for.
    info = status.data.processing_info;
  }
  return id;
}
