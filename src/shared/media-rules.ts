// Each network's media limits as data, with where every number comes from, and `checkMedia`, which
// says in reason keys what a post's media break against one network's limits. The composer checks
// before anything is staged or sent; the adapters refuse the same things before uploading.
// Sizes are in bytes, dimensions in pixels, durations in seconds, frame rates in frames per second.
import { z } from 'zod';

export const MEDIA_KINDS = ['image', 'gif', 'video'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** What one kind of medium may be on a network. */
export const KindLimitsSchema = z.object({
  /** The MIME types the network takes for this kind (`image/*` for any image). */
  mimeTypes: z.array(z.string().min(3).max(100)).max(60),
  /** Largest file, in bytes. */
  maxBytes: z.number().int().positive(),
  /** Most pixels (width × height). */
  maxPixels: z.number().int().positive().optional(),
  /** Highest frame rate (frames per second), for videos. */
  maxFrameRate: z.number().positive().optional(),
  /** Shortest and longest duration, in seconds, for videos. */
  minDurationSec: z.number().positive().optional(),
  maxDurationSec: z.number().positive().optional(),
  /** Most of this kind in one post. */
  maxCount: z.number().int().positive(),
  /** It must be the only medium of its post (X: one GIF or one video; Bluesky and Mastodon: one video). */
  alone: z.boolean(),
  /**
   * Colonnade's adapter for the network can send it. False where the network takes it but
   * Colonnade does not send it there yet: `checkMedia` refuses it with `media-kind-not-yet`.
   */
  sendable: z.boolean(),
});
export type KindLimits = z.infer<typeof KindLimitsSchema>;

/** A network's (or a Mastodon instance's) media limits, as accounts carry them to the renderer. */
export const MediaRulesSchema = z.object({
  /** Most media in one post, all kinds together. */
  maxMedia: z.number().int().nonnegative(),
  /** Longest alt text, counted as `altCounting` says. */
  maxAltLength: z.number().int().nonnegative(),
  /** Bluesky counts graphemes; Mastodon (Ruby String#length) and X (JSON Schema maxLength) code points. */
  altCounting: z.enum(['graphemes', 'codepoints']),
  /** Each kind the network takes; an absent kind is one it does not take at all. */
  image: KindLimitsSchema.optional(),
  gif: KindLimitsSchema.optional(),
  video: KindLimitsSchema.optional(),
  /**
   * The longest side the network's own app scales photos to when it has to shrink them (Bluesky:
   * 4,000, social-app `IMAGE_SIZE_CONFIG_POSTS.maxDimension`): a target when resizing, not a limit.
   */
  resizeLongestSide: z.number().int().positive().optional(),
  /**
   * The network plays a GIF only as a looping video (Bluesky): the composer makes an MP4 of each
   * GIF (`MediaRef.asVideo`), which the adapter sends in place of the GIF; `gif` limits apply to it.
   */
  gifAsVideo: z.boolean().optional(),
});
export type MediaRules = z.infer<typeof MediaRulesSchema>;

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * One kind's limits: `mimeTypes` at most `maxBytes` each, sendable by Colonnade, one per post and
 * alone unless `more` says otherwise (the networks' images: up to the post's maximum, side by side).
 */
function kindLimits(mimeTypes: string[], maxBytes: number, more: Partial<KindLimits> = {}): KindLimits {
  return { mimeTypes, maxBytes, maxCount: 1, alone: true, sendable: true, ...more };
}

/**
 * Bluesky, from its lexicons (@atproto/api 0.21 `lexicons.ts`):
 * - app.bsky.embed.images: `images` maxLength 4; `#image.image` blob `accept: ['image/*']`,
 *   `maxSize: 2000000` ("May be up to 2 MB, formerly limited to 1 MB"). `#image.alt` has no
 *   maxLength in the lexicon; 2,000 is the official app's limit (bluesky-social/social-app
 *   src/lib/constants.ts `MAX_ALT_TEXT = 2000`), counted in graphemes.
 * - app.bsky.embed.video: blob `accept: ['video/mp4']`, `maxSize: 300000000` ("May be up to
 *   300mb"), `alt`, `aspectRatio`, `presentation` (known values `default`, `gif`); the official
 *   app's video limits are `VIDEO_MAX_SIZE` 300,000,000 bytes ("ISO megabytes") and
 *   `VIDEO_MAX_DURATION_MS` 10 minutes (same constants file). A post's `embed` is one union
 *   member: images, or one video.
 * - GIFs: an image blob may be a GIF, but the AppView serves images as stills. The official app
 *   sends a GIF file through its video service, which transcodes it to MP4, and embeds the result
 *   as app.bsky.embed.video with `presentation: 'gif'` (social-app src/lib/api/index.ts,
 *   `videoDraft.video.mimeType === 'image/gif' ? 'gif' : 'default'`); GIFs picked from its GIF
 *   search are `app.bsky.embed.external` links to the provider (Tenor, Klipy), which a file on the
 *   computer is not. Colonnade makes the MP4 itself in the composer (`gifAsVideo`) and sends it as
 *   that video embed: its limits are the video's.
 * The lexicon accepts any image type; Colonnade sends JPEG, PNG and WebP, which every AppView
 * renders, and converts others (AVIF, BMP…) when the browser can decode them.
 */
export const BLUESKY_MEDIA_RULES: MediaRules = {
  maxMedia: 4,
  maxAltLength: 2_000,
  altCounting: 'graphemes',
  image: kindLimits(['image/jpeg', 'image/png', 'image/webp'], 2_000_000, { maxCount: 4, alone: false }),
  gif: kindLimits(['image/gif'], 300_000_000, { maxDurationSec: 600 }),
  video: kindLimits(['video/mp4'], 300_000_000, { maxDurationSec: 600 }),
  resizeLongestSide: 4_000,
  gifAsVideo: true,
};

/**
 * X, from its documentation (xdevplatform/docs x-api/media/quickstart/best-practices.mdx, "Size
 * and duration limits", default accounts) and the OpenAPI description
 * (tests/fixtures/specs/x-api-v2.openapi.json):
 * - "You may attach up to 4 photos, 1 animated GIF or 1 video in a Post"; `CreatePostsMedia.media_ids`
 *   maxItems 4.
 * - Images (`tweet_image`): JPG, PNG, GIF, WEBP, at most 5 MB (the upload answers "File size
 *   exceeds 5242880 bytes"); animated GIFs (`tweet_gif`) at most 15 MB ("File size exceeds 15728640
 *   bytes").
 * - Post videos (`tweet_video`): "0.5 seconds–20 minutes", "8 GB" (X's GB are GiB: the spec's
 *   `InitializeMediaUploadRequest.total_bytes` maximum is 17,179,869,184, the 16 GB of Premium),
 *   "Frame rate: must be 60 FPS or less", always the chunked upload. The 512 MB and 140 seconds
 *   older pages give are now the limits of DM videos (`dm_video`). Colonnade stages at most
 *   MEDIA_STAGE_MAX_BYTES (media-staging.ts), which the composer says before anything is staged.
 * - Alt text: `CreateMediaMetadataMetadataAltText.text` maxLength 1000.
 * Colonnade's X adapter uploads every kind in chunks and waits for `processing_info`.
 */
export const X_MEDIA_RULES: MediaRules = {
  maxMedia: 4,
  maxAltLength: 1_000,
  altCounting: 'codepoints',
  image: kindLimits(['image/jpeg', 'image/png', 'image/webp'], 5 * MiB, { maxCount: 4, alone: false }),
  gif: kindLimits(['image/gif'], 15 * MiB),
  video: kindLimits(['video/mp4', 'video/quicktime'], 8 * GiB, {
    maxFrameRate: 60,
    minDurationSec: 0.5,
    maxDurationSec: 20 * 60,
  }),
};

/**
 * Mastodon's defaults, for an instance that publishes no `configuration.media_attachments`
 * (mastodon/mastodon app/models/media_attachment.rb and concerns/attachmentable.rb, 4.5):
 * IMAGE_LIMIT 16.megabytes, VIDEO_LIMIT 99.megabytes, Attachmentable::MAX_MATRIX_LIMIT 33,177,600
 * (7680×4320), MAX_VIDEO_MATRIX_LIMIT 8,294,400 (3840×2160), MAX_VIDEO_FRAME_RATE 120,
 * MAX_DESCRIPTION_LENGTH 1,500, Status::MEDIA_ATTACHMENTS_LIMIT 4; IMAGE_MIME_TYPES and
 * VIDEO_MIME_TYPES. Mastodon sets no duration limit.
 */
export const MASTODON_DEFAULT_MEDIA = {
  supportedMimeTypes: [
    'image/jpeg',
    'image/png',
    'image/gif',
    'image/heic',
    'image/heif',
    'image/webp',
    'image/avif',
    'video/webm',
    'video/mp4',
    'video/quicktime',
    'video/ogg',
  ] as readonly string[],
  imageSizeLimit: 16 * MiB,
  imageMatrixLimit: 33_177_600,
  videoSizeLimit: 99 * MiB,
  videoFrameRateLimit: 120,
  videoMatrixLimit: 8_294_400,
  descriptionLimit: 1_500,
  maxMediaAttachments: 4,
};

/**
 * Attachmentable::GIF_MATRIX_LIMIT: a GIF over 921,600 pixels (1280×720) is refused ("GIF files
 * are not supported"). Mastodon does not publish it in /api/v2/instance.
 */
export const MASTODON_GIF_MATRIX_LIMIT = 921_600;

/**
 * What a Mastodon instance publishes in /api/v2/instance `configuration` (REST::InstanceSerializer
 * `media_attachments` and `statuses.max_media_attachments`): any field of MASTODON_DEFAULT_MEDIA,
 * each possibly missing or null.
 */
export type MastodonMediaConfiguration = {
  [K in keyof typeof MASTODON_DEFAULT_MEDIA]?: (typeof MASTODON_DEFAULT_MEDIA)[K] | null | undefined;
};

/**
 * A Mastodon instance's rules from `configuration.media_attachments` and
 * `configuration.statuses.max_media_attachments` (REST::InstanceSerializer), Mastodon's defaults
 * for what it leaves out. Rules of the server (post_status_service.rb `validate_media!`): a video
 * (or audio) goes alone ("images_and_video"); a GIF is checked as an image (16 MB by default, at
 * most GIF_MATRIX_LIMIT pixels) and becomes a looping video (`gifv`) that may sit beside images.
 * Colonnade's Mastodon adapter sends all three (POST /api/v2/media, waiting for a video's
 * processing before the status).
 */
export function mastodonMediaRules(c: MastodonMediaConfiguration = {}): MediaRules {
  const d = MASTODON_DEFAULT_MEDIA;
  const types = c.supportedMimeTypes?.length ? [...c.supportedMimeTypes] : [...d.supportedMimeTypes];
  const maxMedia = c.maxMediaAttachments ?? d.maxMediaAttachments;
  const imageTypes = types.filter((t) => t.startsWith('image/') && t !== 'image/gif');
  const videoTypes = types.filter((t) => t.startsWith('video/'));
  const imageBytes = c.imageSizeLimit ?? d.imageSizeLimit;
  const side = { maxCount: maxMedia, alone: false };
  const kinds: Pick<MediaRules, MediaKind> = {};
  if (maxMedia > 0 && imageTypes.length)
    kinds.image = kindLimits(imageTypes, imageBytes, { ...side, maxPixels: c.imageMatrixLimit ?? d.imageMatrixLimit });
  if (maxMedia > 0 && types.includes('image/gif'))
    kinds.gif = kindLimits(['image/gif'], imageBytes, { ...side, maxPixels: MASTODON_GIF_MATRIX_LIMIT });
  if (maxMedia > 0 && videoTypes.length) {
    kinds.video = kindLimits(videoTypes, c.videoSizeLimit ?? d.videoSizeLimit, {
      maxPixels: c.videoMatrixLimit ?? d.videoMatrixLimit,
      maxFrameRate: c.videoFrameRateLimit ?? d.videoFrameRateLimit,
    });
  }
  return { maxMedia, maxAltLength: c.descriptionLimit ?? d.descriptionLimit, altCounting: 'codepoints', ...kinds };
}

/** The Sandbox (practice network): images like Mastodon's defaults; nothing leaves the computer. */
export const SANDBOX_MEDIA_RULES: MediaRules = {
  maxMedia: 4,
  maxAltLength: 1_000,
  altCounting: 'graphemes',
  image: kindLimits(['image/jpeg', 'image/png', 'image/webp'], 16 * MiB, { maxCount: 4, alone: false }),
  gif: kindLimits(['image/gif'], 16 * MiB, { maxCount: 4, alone: false }),
};

/** The kind of a MIME type: GIF apart from other images; null for anything else (audio, PDF…). */
export function mediaKind(mimeType: string): MediaKind | null {
  const type = mimeType.toLowerCase();
  if (type === 'image/gif') return 'gif';
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('video/')) return 'video';
  return null;
}

/** True when `limits` takes `mimeType` (`image/*` takes every image type). */
export function acceptsType(limits: KindLimits, mimeType: string): boolean {
  const type = mimeType.toLowerCase();
  return limits.mimeTypes.some((t) => t === type || (t.endsWith('/*') && type.startsWith(t.slice(0, -1))));
}

/** What `checkMedia` needs to know of one medium. */
export interface MediaFacts {
  mimeType: string;
  /** Size in bytes. */
  bytes: number;
  width?: number | undefined;
  height?: number | undefined;
  durationSec?: number | undefined;
  frameRate?: number | undefined;
  /** Its alt text, when it has one. */
  alt?: string | undefined;
}

export type MediaReason =
  | 'media-unknown-kind'
  | 'media-kind-refused'
  | 'media-kind-not-yet'
  | 'media-type-refused'
  | 'media-too-large'
  | 'media-too-many-pixels'
  | 'media-frame-rate'
  | 'media-too-long'
  | 'media-too-short'
  | 'media-too-many'
  | 'media-not-alone'
  | 'media-alt-too-long';

/**
 * One thing a post's media break against a network's rules. `index` is the medium's place in the
 * list, or null for the post as a whole (too many). `params` by reason:
 * - media-unknown-kind, media-type-refused: `type` (the MIME type), `accepted` (comma-separated);
 * - media-kind-refused, media-kind-not-yet, media-not-alone: `kind` (image | gif | video);
 * - media-too-large: `bytes`, `max` (bytes), `kind`;
 * - media-too-many-pixels: `width`, `height`, `pixels`, `max` (pixels), `kind`;
 * - media-frame-rate: `fps`, `max`;
 * - media-too-long / media-too-short: `seconds`, `max` / `min` (seconds);
 * - media-too-many: `count`, `max`, and `kind` when the limit is one kind's;
 * - media-alt-too-long: `length`, `max` (counted as the rules' `altCounting` says).
 */
export interface MediaProblem {
  index: number | null;
  reason: MediaReason;
  params: Record<string, string | number>;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The length of alt text as `rules` count it (graphemes by Intl.Segmenter, as text-length.ts does). */
export function altLength(alt: string, rules: Pick<MediaRules, 'altCounting'>): number {
  if (rules.altCounting === 'codepoints') return [...alt].length;
  let n = 0;
  for (const _ of graphemes.segment(alt)) n++;
  return n;
}

/**
 * Everything `files` (one post's media, in order) break against `rules`: per medium its kind and
 * type, size, pixels, frame rate, duration and alt text; for the post, how many and which kinds
 * together. An empty list: the network takes them as they are. Facts left out (no width, no
 * duration) are not checked.
 */
export function checkMedia(files: readonly MediaFacts[], rules: MediaRules): MediaProblem[] {
  const problems: MediaProblem[] = [];
  const kinds: Array<MediaKind | null> = [];
  files.forEach((file, index) => {
    const kind = mediaKind(file.mimeType);
    kinds.push(kind);
    const at = (reason: MediaReason, params: Record<string, string | number>) =>
      problems.push({ index, reason, params });
    if (file.alt !== undefined) {
      const length = altLength(file.alt, rules);
      if (length > rules.maxAltLength) at('media-alt-too-long', { length, max: rules.maxAltLength });
    }
    if (!kind) {
      at('media-unknown-kind', { type: file.mimeType });
      return;
    }
    const limits = rules[kind];
    if (!limits) {
      at('media-kind-refused', { kind });
      return;
    }
    if (!limits.sendable) {
      at('media-kind-not-yet', { kind });
      return;
    }
    if (!acceptsType(limits, file.mimeType)) {
      at('media-type-refused', { type: file.mimeType, accepted: limits.mimeTypes.join(', ') });
      return;
    }
    if (file.bytes > limits.maxBytes) at('media-too-large', { bytes: file.bytes, max: limits.maxBytes, kind });
    if (limits.maxPixels && file.width && file.height && file.width * file.height > limits.maxPixels) {
      at('media-too-many-pixels', {
        width: file.width,
        height: file.height,
        pixels: file.width * file.height,
        max: limits.maxPixels,
        kind,
      });
    }
    if (limits.maxFrameRate && file.frameRate && Math.floor(file.frameRate) > limits.maxFrameRate) {
      at('media-frame-rate', { fps: file.frameRate, max: limits.maxFrameRate });
    }
    if (file.durationSec !== undefined) {
      if (limits.maxDurationSec && file.durationSec > limits.maxDurationSec)
        at('media-too-long', { seconds: file.durationSec, max: limits.maxDurationSec });
      if (limits.minDurationSec && file.durationSec < limits.minDurationSec)
        at('media-too-short', { seconds: file.durationSec, min: limits.minDurationSec });
    }
  });

  if (files.length > rules.maxMedia) {
    problems.push({ index: null, reason: 'media-too-many', params: { count: files.length, max: rules.maxMedia } });
  }
  for (const kind of MEDIA_KINDS) {
    const limits = rules[kind];
    const count = kinds.filter((k) => k === kind).length;
    if (!limits?.sendable || count === 0) continue;
    if (count > limits.maxCount && limits.maxCount < rules.maxMedia)
      problems.push({ index: null, reason: 'media-too-many', params: { count, max: limits.maxCount, kind } });
    // Said once, on the first medium that must be alone, when the post holds media of other kinds.
    if (limits.alone && files.length > count)
      problems.push({ index: kinds.indexOf(kind), reason: 'media-not-alone', params: { kind } });
  }
  return problems;
}

/**
 * The first refusal of `checkMedia` for media about to be uploaded (adapters call it before
 * anything is sent), with an English sentence for logs and error messages; null when none. Each
 * medium's size is `data`'s, or `bytes` where given (the MP4 a GIF is sent as, on Bluesky); its
 * duration, frame rate and dimensions are checked when the composer measured them.
 */
export function firstMediaRefusal(
  media: ReadonlyArray<
    { data: Uint8Array; mimeType: string; alt: string; bytes?: number | undefined } & Omit<
      MediaFacts,
      'mimeType' | 'bytes' | 'alt'
    >
  >,
  rules: MediaRules,
  network: string,
): { reason: MediaReason; params: Record<string, string>; message: string } | null {
  const problem = checkMedia(
    media.map((m) => ({
      mimeType: m.mimeType,
      bytes: m.bytes ?? m.data.byteLength,
      alt: m.alt,
      width: m.width,
      height: m.height,
      durationSec: m.durationSec,
      frameRate: m.frameRate,
    })),
    rules,
  )[0];
  if (!problem) return null;
  const params = Object.fromEntries(Object.entries(problem.params).map(([k, v]) => [k, String(v)]));
  return { reason: problem.reason, params, message: refusalSentence(problem, network) };
}

const KIND_WORDS: Record<MediaKind, string> = { image: 'images', gif: 'GIFs', video: 'videos' };

/** An English sentence for a problem (logs, adapter errors); the UI has its own words in i18n `media.reasons`. */
export function refusalSentence(problem: MediaProblem, network: string): string {
  const p = problem.params;
  const kind = KIND_WORDS[(p['kind'] as MediaKind | undefined) ?? 'image'];
  switch (problem.reason) {
    case 'media-unknown-kind':
      return `Not an image, GIF or video (${p['type']}).`;
    case 'media-kind-refused':
      return `${network} takes no ${kind}.`;
    case 'media-kind-not-yet':
      return `Colonnade cannot send ${kind} to ${network} yet.`;
    case 'media-type-refused':
      return `${network} does not take ${p['type']} files (it takes ${p['accepted']}).`;
    case 'media-too-large':
      return `Too large for ${network}: ${p['bytes']} bytes, at most ${p['max']}.`;
    case 'media-too-many-pixels':
      return `Too many pixels for ${network}: ${p['width']} × ${p['height']}, at most ${p['max']} pixels.`;
    case 'media-frame-rate':
      return `Frame rate too high for ${network}: ${p['fps']} fps, at most ${p['max']}.`;
    case 'media-too-long':
      return `Too long for ${network}: ${p['seconds']} s, at most ${p['max']} s.`;
    case 'media-too-short':
      return `Too short for ${network}: ${p['seconds']} s, at least ${p['min']} s.`;
    case 'media-too-many':
      return `Too many for ${network}: ${p['count']}, at most ${p['max']}${p['kind'] ? ` ${kind}` : ''}.`;
    case 'media-not-alone':
      return `On ${network}, ${kind === 'GIFs' ? 'a GIF' : 'a video'} goes alone: no other media in the same post.`;
    case 'media-alt-too-long':
      return `Alt text too long for ${network}: ${p['length']} characters, at most ${p['max']}.`;
  }
}
