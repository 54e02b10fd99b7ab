// Mastodon media upload (docs.joinmastodon.org/methods/media; mastodon/mastodon
// app/controllers/api/v2/media_controller.rb and api/v1/media_controller.rb): POST /api/v2/media
// (multipart: `file`, `description`) answers 200 with the attachment when it is ready, or 202 with
// `url: null` while the server still processes it (videos, GIFs, large images: `delay_processing`);
// GET /api/v1/media/:id then answers 206 while processing and 200 once done. A status cannot carry
// an attachment still processing (422 "Cannot attach files that have not finished processing. Try
// again in a moment!", post_status_service.rb `validate_media!`), so the adapter waits for it.
// The upload is a fetch of its own rather than masto's: masto's deadline covers the whole request,
// a large video's included, and it reports no progress.
import { z } from 'zod';
import { ColonnadeError } from '../../../shared/errors';
import { mediaKind } from '../../../shared/media-rules';
import type { Clock } from '../../core/ports';
import { countedBody, pause, stallDeadline, type UploadMeter } from '../upload-progress';
import { fromErrorBody, toColonnadeError } from './errors';

/** How long a medium may stay in processing before the send is given up as transient (10 minutes). */
export const MASTODON_PROCESSING_LIMIT_MS = 10 * 60_000;
/** Polls of a medium being processed: the first pause, growing by half each time up to the longest. */
export const MEDIA_POLL_FIRST_MS = 1_000;
const MEDIA_POLL_LONGEST_MS = 5_000;

/** The attachment as the media endpoints answer it (REST::MediaAttachmentSerializer): its id and url. */
const Attachment = z.object({ id: z.string().min(1), url: z.string().nullish() });

/** A file name Mastodon's type detection agrees with (Paperclip checks the extension too). */
const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/heif': 'heif',
  'image/avif': 'avif',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/webm': 'webm',
  'video/ogg': 'ogv',
};

export interface MastodonMediaUploadDeps {
  /** The instance's address (https://host) and the account's token. */
  instanceUrl: string;
  accessToken: string;
  /** Its host, in messages. */
  host: string;
  clock: Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>;
  /** How long the upload may go without a byte moving, and the answer may take once sent (ms). */
  stallMs: number;
  /** The first pause between two polls of a medium being processed (ms; MEDIA_POLL_FIRST_MS). */
  pollMs: number;
  /** GET /api/v1/media/:id (masto, with the adapter's request plumbing): the attachment's JSON. */
  fetchAttachment(id: string): Promise<unknown>;
  /** Every answer's headers (rate limits). */
  onHeaders(headers: Headers): void;
  meter: UploadMeter;
}

/** `file` and `description` as multipart/form-data parts around the bytes, with its boundary. */
function multipart(
  data: Uint8Array,
  mimeType: string,
  description: string,
): { head: Uint8Array; tail: Uint8Array; type: string } {
  const boundary = `----colonnade${crypto.randomUUID().replaceAll('-', '')}`;
  const name = `upload.${EXTENSIONS[mimeType] ?? 'bin'}`;
  const text = new TextEncoder();
  const descriptionPart = description
    ? `--${boundary}\r\nContent-Disposition: form-data; name="description"\r\n\r\n${description}\r\n`
    : '';
  return {
    head: text.encode(
      `${descriptionPart}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
        `Content-Type: ${mimeType}\r\n\r\n`,
    ),
    tail: text.encode(`\r\n--${boundary}--\r\n`),
    type: `multipart/form-data; boundary=${boundary}`,
  };
}

/**
 * Uploads one medium with its description and waits until the instance has processed it; answers
 * its attachment id. Progress goes to `deps.meter` as the bytes leave. Throws the taxonomy's
 * errors: transient `timeout` when nothing moved for `stallMs`, transient `media-still-processing`
 * after MASTODON_PROCESSING_LIMIT_MS, the instance's refusals (fromErrorBody) otherwise.
 */
export async function uploadMastodonMedia(
  deps: MastodonMediaUploadDeps,
  media: { data: Uint8Array; mimeType: string; alt: string },
): Promise<string> {
  const { head, tail, type } = multipart(media.data, media.mimeType, media.alt);
  const deadline = stallDeadline(deps.stallMs, deps.clock);
  let status: number;
  let raw: string;
  let headers: Headers;
  try {
    const body = countedBody([head, media.data, tail], (n, part) => {
      deadline.touch();
      if (part === 1) deps.meter.sent(n);
    });
    const response = await fetch(new URL('/api/v2/media', deps.instanceUrl), {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${deps.accessToken}`,
        Accept: 'application/json',
        'Content-Type': type,
        'Content-Length': String(head.byteLength + media.data.byteLength + tail.byteLength),
      },
      body,
      duplex: 'half',
      signal: deadline.signal,
    } as RequestInit & { duplex: 'half' });
    deadline.touch();
    status = response.status;
    headers = response.headers;
    raw = await response.text();
  } catch (err) {
    throw toColonnadeError(err, deps.host);
  } finally {
    deadline.stop();
  }
  deps.onHeaders(headers);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = undefined;
  }
  if (status >= 400) {
    const error = (json as { error?: unknown } | undefined)?.error;
    throw fromErrorBody({ status, error: typeof error === 'string' ? error : undefined, headers }, deps.host);
  }
  const uploaded = Attachment.safeParse(json);
  if (!uploaded.success) {
    throw new ColonnadeError('invalid', `${deps.host} did not accept the ${kindWord(media.mimeType)} properly.`);
  }
  // 200: ready. 202 (or no url yet): still processing; a status cannot carry it until done.
  if (status === 200 && uploaded.data.url) return uploaded.data.id;
  deps.meter.processing();
  const started = deps.clock.now();
  for (let wait = deps.pollMs; ; wait = Math.min(wait * 1.5, Math.max(MEDIA_POLL_LONGEST_MS, deps.pollMs))) {
    if (deps.clock.now() - started >= MASTODON_PROCESSING_LIMIT_MS) {
      throw new ColonnadeError(
        'transient',
        `${deps.host} is still processing the ${kindWord(media.mimeType)}. Trying again later.`,
        { reason: 'media-still-processing', params: { network: deps.host } },
      );
    }
    await pause(deps.clock, wait);
    const polled = Attachment.safeParse(await deps.fetchAttachment(uploaded.data.id));
    if (polled.data?.url) return uploaded.data.id;
  }
}

const kindWord = (mimeType: string) => {
  const kind = mediaKind(mimeType);
  return kind === 'video' ? 'video' : kind === 'gif' ? 'GIF' : 'image';
};
