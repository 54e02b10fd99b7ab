// Each network's media limits, as its own spec or source publishes them, and what checkMedia says
// a post's media break. Sources: @atproto/api lexicons (app.bsky.embed.images, .video), Bluesky's
// social-app constants, docs.x.com media best practices and the X OpenAPI description, Mastodon's
// REST::InstanceSerializer and MediaAttachment / Attachmentable.
import { describe, expect, it } from 'vitest';
import { lexicons } from '@atproto/api';
import fs from 'node:fs';
import path from 'node:path';
import {
  BLUESKY_MEDIA_RULES,
  checkMedia,
  firstMediaRefusal,
  mastodonMediaRules,
  MediaRulesSchema,
  X_MEDIA_RULES,
  type MediaFacts,
} from '../../../src/shared/media-rules';

const MiB = 1024 * 1024;

/** The value at `path` in parsed JSON (a lexicon, the OpenAPI description), or undefined. */
function dig(json: unknown, ...path: string[]): unknown {
  let at = json;
  for (const key of path) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}
const jpeg = (bytes: number, extra: Partial<MediaFacts> = {}): MediaFacts => ({
  mimeType: 'image/jpeg',
  bytes,
  ...extra,
});
const reasons = (files: MediaFacts[], rules = BLUESKY_MEDIA_RULES) => checkMedia(files, rules).map((p) => p.reason);

describe('Bluesky, from its lexicons', () => {
  const defs = (id: string) => dig(lexicons.get(id), 'defs');

  it('takes the image limits of app.bsky.embed.images: 4 images of at most 2,000,000 bytes', () => {
    const images = defs('app.bsky.embed.images');
    expect(dig(images, 'main', 'properties', 'images', 'maxLength')).toBe(BLUESKY_MEDIA_RULES.maxMedia);
    expect(dig(images, 'image', 'properties', 'image', 'maxSize')).toBe(BLUESKY_MEDIA_RULES.image!.maxBytes);
    expect(dig(images, 'image', 'properties', 'image', 'accept')).toEqual(['image/*']);
    // The lexicon sets no alt length: 2,000 graphemes is the official app's MAX_ALT_TEXT.
    expect(dig(images, 'image', 'properties', 'alt', 'maxLength')).toBeUndefined();
    expect(BLUESKY_MEDIA_RULES.maxAltLength).toBe(2000);
  });

  it('takes one mp4 video of at most 300,000,000 bytes (app.bsky.embed.video) and 10 minutes, alone', () => {
    const video = dig(defs('app.bsky.embed.video'), 'main', 'properties', 'video');
    expect(dig(video, 'maxSize')).toBe(BLUESKY_MEDIA_RULES.video!.maxBytes);
    expect(dig(video, 'accept')).toEqual(BLUESKY_MEDIA_RULES.video!.mimeTypes);
    expect(reasons([{ mimeType: 'video/mp4', bytes: 10 * MiB, durationSec: 600 }])).toEqual([]);
    expect(checkMedia([{ mimeType: 'video/mp4', bytes: 300_000_001, durationSec: 601 }], BLUESKY_MEDIA_RULES)).toEqual([
      { index: 0, reason: 'media-too-large', params: { bytes: 300_000_001, max: 300_000_000, kind: 'video' } },
      { index: 0, reason: 'media-too-long', params: { seconds: 601, max: 600 } },
    ]);
    expect(reasons([{ mimeType: 'video/quicktime', bytes: 1000 }])).toEqual(['media-type-refused']);
    expect(reasons([jpeg(1000), { mimeType: 'video/mp4', bytes: 1000 }])).toEqual(['media-not-alone']);
  });

  it('plays a GIF as a video (presentation gif): one, alone, the MP4 made of it within the video limits', () => {
    const presentation = dig(defs('app.bsky.embed.video'), 'main', 'properties', 'presentation', 'knownValues');
    expect(presentation).toContain('gif');
    expect(BLUESKY_MEDIA_RULES.gifAsVideo).toBe(true);
    expect(reasons([{ mimeType: 'image/gif', bytes: 1000 }])).toEqual([]);
    expect(reasons([jpeg(1000), { mimeType: 'image/gif', bytes: 1000 }])).toEqual(['media-not-alone']);
  });

  it('refuses an image over 2,000,000 bytes, with its size and the limit', () => {
    expect(checkMedia([jpeg(2_000_000), jpeg(2_000_001)], BLUESKY_MEDIA_RULES)).toEqual([
      { index: 1, reason: 'media-too-large', params: { bytes: 2_000_001, max: 2_000_000, kind: 'image' } },
    ]);
  });

  it('refuses a fifth image', () => {
    expect(reasons([1, 2, 3, 4, 5].map(() => jpeg(1000)))).toEqual(['media-too-many']);
  });

  it('counts alt text in graphemes: 2,000 family emoji pass, 2,001 do not', () => {
    const family = '👨‍👩‍👧';
    expect(reasons([jpeg(1000, { alt: family.repeat(2000) })])).toEqual([]);
    expect(checkMedia([jpeg(1000, { alt: family.repeat(2001) })], BLUESKY_MEDIA_RULES)).toEqual([
      { index: 0, reason: 'media-alt-too-long', params: { length: 2001, max: 2000 } },
    ]);
  });
});

describe('X, from docs.x.com and its OpenAPI description', () => {
  const spec = JSON.parse(
    fs.readFileSync(path.resolve(import.meta.dirname, '../../fixtures/specs/x-api-v2.openapi.json'), 'utf8'),
  ) as unknown;
  const schemas = dig(spec, 'components', 'schemas');

  it('takes 4 media ids per post and 1,000 characters of alt text, as the spec says', () => {
    expect(dig(schemas, 'CreatePostsMedia', 'properties', 'media_ids', 'maxItems')).toBe(X_MEDIA_RULES.maxMedia);
    expect(dig(schemas, 'CreateMediaMetadataMetadataAltText', 'properties', 'text', 'maxLength')).toBe(
      X_MEDIA_RULES.maxAltLength,
    );
  });

  it('uploads only types the spec lists for media/upload/initialize', () => {
    const types = dig(schemas, 'InitializeMediaUploadRequest', 'properties', 'media_type', 'enum') as string[];
    for (const kind of ['image', 'gif', 'video'] as const) {
      for (const t of X_MEDIA_RULES[kind]!.mimeTypes) expect(types).toContain(t);
    }
  });

  it('refuses an image over 5 MB (5,242,880 bytes) and a GIF over 15 MB (15,728,640 bytes)', () => {
    expect(reasons([jpeg(5_242_880)], X_MEDIA_RULES)).toEqual([]);
    expect(reasons([jpeg(5_242_881)], X_MEDIA_RULES)).toEqual(['media-too-large']);
    expect(reasons([{ mimeType: 'image/gif', bytes: 15_728_640 }], X_MEDIA_RULES)).toEqual([]);
    expect(checkMedia([{ mimeType: 'image/gif', bytes: 15_728_641 }], X_MEDIA_RULES)[0]?.params).toEqual({
      bytes: 15_728_641,
      max: 15_728_640,
      kind: 'gif',
    });
  });

  it('takes up to 4 photos, or 1 animated GIF, or 1 video: a GIF beside a photo is refused', () => {
    expect(reasons([jpeg(1), jpeg(1), jpeg(1), jpeg(1)], X_MEDIA_RULES)).toEqual([]);
    expect(checkMedia([jpeg(1), { mimeType: 'image/gif', bytes: 1 }], X_MEDIA_RULES)).toEqual([
      { index: 1, reason: 'media-not-alone', params: { kind: 'gif' } },
    ]);
    expect(
      checkMedia(
        [
          { mimeType: 'image/gif', bytes: 1 },
          { mimeType: 'image/gif', bytes: 1 },
        ],
        X_MEDIA_RULES,
      ),
    ).toEqual([{ index: null, reason: 'media-too-many', params: { count: 2, max: 1, kind: 'gif' } }]);
  });

  it('takes Post videos of 0.5 seconds to 20 minutes and 8 GB at 60 fps at most, and says what breaks them', () => {
    expect(
      reasons([{ mimeType: 'video/mp4', bytes: 512 * MiB, durationSec: 1200, frameRate: 60 }], X_MEDIA_RULES),
    ).toEqual([]);
    expect(X_MEDIA_RULES.video!.maxBytes).toBe(8 * 1024 * MiB);
    const refusal = firstMediaRefusal(
      [{ data: new Uint8Array(1), mimeType: 'video/mp4', alt: '', durationSec: 0.4 }],
      X_MEDIA_RULES,
      'X',
    );
    expect(refusal).toMatchObject({ reason: 'media-too-short', params: { seconds: '0.4', min: '0.5' } });
    expect(refusal?.message).toBe('Too short for X: 0.4 s, at least 0.5 s.');
    expect(reasons([{ mimeType: 'video/mp4', bytes: 1, durationSec: 1201, frameRate: 120 }], X_MEDIA_RULES)).toEqual([
      'media-frame-rate',
      'media-too-long',
    ]);
  });
});

describe('Mastodon, from the instance’s configuration.media_attachments', () => {
  // mastodon.social's /api/v2/instance (Mastodon's defaults: 16 MiB, 7680×4320, 99 MiB, 120 fps, 3840×2160).
  const social = mastodonMediaRules({
    supportedMimeTypes: ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'video/mp4'],
    imageSizeLimit: 16_777_216,
    imageMatrixLimit: 33_177_600,
    videoSizeLimit: 103_809_024,
    videoFrameRateLimit: 120,
    videoMatrixLimit: 8_294_400,
    descriptionLimit: 1_500,
    maxMediaAttachments: 4,
  });

  it('uses what the instance publishes', () => {
    expect(social.image).toMatchObject({ maxBytes: 16_777_216, maxPixels: 33_177_600, maxCount: 4 });
    expect(social.image!.mimeTypes).toEqual(['image/jpeg', 'image/png', 'image/webp']);
    expect(social.video).toMatchObject({ maxBytes: 103_809_024, maxPixels: 8_294_400, maxFrameRate: 120, alone: true });
    expect(social.maxAltLength).toBe(1500);
  });

  it('follows an instance with other limits (8 MB images, 6 attachments, 3,000 characters of description)', () => {
    const rules = mastodonMediaRules({ imageSizeLimit: 8 * MiB, maxMediaAttachments: 6, descriptionLimit: 3000 });
    expect(
      reasons(
        [1, 2, 3, 4, 5, 6].map(() => jpeg(8 * MiB)),
        rules,
      ),
    ).toEqual([]);
    expect(reasons([jpeg(8 * MiB + 1)], rules)).toEqual(['media-too-large']);
    expect(rules.maxAltLength).toBe(3000);
  });

  it('falls back on Mastodon’s defaults where the instance says nothing', () => {
    const rules = mastodonMediaRules({});
    expect(rules.image).toMatchObject({ maxBytes: 16 * MiB, maxPixels: 33_177_600 });
    expect(rules.maxMedia).toBe(4);
    expect(rules.image!.mimeTypes).toContain('image/avif');
  });

  it('refuses an image over the pixel limit, and a GIF over 1280×720 pixels (GIF_MATRIX_LIMIT)', () => {
    expect(checkMedia([jpeg(1000, { width: 8000, height: 4500 })], social)[0]).toMatchObject({
      reason: 'media-too-many-pixels',
      params: { width: 8000, height: 4500, pixels: 36_000_000, max: 33_177_600 },
    });
    expect(reasons([{ mimeType: 'image/gif', bytes: 1000, width: 1280, height: 720 }], social)).toEqual([]);
    expect(reasons([{ mimeType: 'image/gif', bytes: 1000, width: 1281, height: 720 }], social)).toEqual([
      'media-too-many-pixels',
    ]);
  });

  it('lets a GIF sit beside images (it becomes a gifv); refuses a type the instance does not list', () => {
    expect(reasons([jpeg(1), { mimeType: 'image/gif', bytes: 1 }], social)).toEqual([]);
    expect(checkMedia([{ mimeType: 'image/heic', bytes: 1 }], social)[0]).toMatchObject({
      reason: 'media-type-refused',
      params: { type: 'image/heic' },
    });
  });

  it('takes one video alone, within the published size, pixels and frame rate; counts descriptions in code points', () => {
    expect(
      reasons([{ mimeType: 'video/mp4', bytes: 103_809_024, width: 3840, height: 2160, frameRate: 120 }], social),
    ).toEqual([]);
    expect(
      reasons([{ mimeType: 'video/mp4', bytes: 103_809_025, width: 3841, height: 2160, frameRate: 121 }], social),
    ).toEqual(['media-too-large', 'media-too-many-pixels', 'media-frame-rate']);
    expect(reasons([jpeg(1), { mimeType: 'video/mp4', bytes: 1 }], social)).toEqual(['media-not-alone']);
    expect(reasons([jpeg(1, { alt: '👨‍👩‍👧'.repeat(300) })], social)).toEqual([]); // 1,500 code points
    expect(reasons([jpeg(1, { alt: '👨‍👩‍👧'.repeat(301) })], social)).toEqual(['media-alt-too-long']);
  });

  it('carries its rules through the account schema', () => {
    expect(MediaRulesSchema.parse(social)).toEqual(social);
    expect(MediaRulesSchema.parse(BLUESKY_MEDIA_RULES)).toEqual(BLUESKY_MEDIA_RULES);
  });
});

describe('checkMedia', () => {
  it('names what is neither image, GIF nor video', () => {
    expect(checkMedia([{ mimeType: 'application/pdf', bytes: 1 }], BLUESKY_MEDIA_RULES)).toEqual([
      { index: 0, reason: 'media-unknown-kind', params: { type: 'application/pdf' } },
    ]);
  });

  it('checks what it is told only: no width, no pixel check', () => {
    expect(reasons([jpeg(1000)], mastodonMediaRules({ imageMatrixLimit: 10 }))).toEqual([]);
  });
});
