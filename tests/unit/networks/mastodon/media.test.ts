// Mastodon media against the Mastodon emulator: the instance's published media limits
// (/api/v2/instance `configuration.media_attachments`) reach the composer; a GIF and a video go up
// with their description (POST /api/v2/media), the adapter waiting while the instance processes
// them (202, then GET /api/v1/media/:id answering 206 until 200) since a status cannot carry them
// before; what those limits refuse is refused before any upload.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromErrorBody } from '../../../../src/main/networks/mastodon/errors';
import type { UploadProgress } from '../../../../src/shared/adapter';
import { mastodonMediaRules } from '../../../../src/shared/media-rules';
import { refusal, setup } from './support';

/** A real H.264 MP4: one second, 32 × 32, 10 frames (tests/fixtures/media/README.md). */
const MP4 = new Uint8Array(
  fs.readFileSync(path.resolve(import.meta.dirname, '../../../fixtures/media/clip-1s-32x32.mp4')),
);
/** Polls of a medium being processed, every few milliseconds rather than every second. */
const FAST = { mediaPollMs: 5 };
const polls = (requests: Array<{ method: string; path: string }>) =>
  requests.filter((r) => r.method === 'GET' && r.path.startsWith('/api/v1/media/')).length;

const GIF = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0, 0, 0, 0x3b]);
const uploads = (requests: Array<{ method: string; path: string }>) =>
  requests.filter((r) => r.method === 'POST' && r.path === '/api/v2/media').length;

describe('Mastodon media', () => {
  it('carries the instance’s media limits once it has read them, Mastodon’s defaults before', async () => {
    const { adapter } = await setup({ maxMediaAttachments: 6, descriptionLimit: 1000 });
    expect(adapter.mediaRules()).toEqual(mastodonMediaRules());
    await adapter.loadTextRules();
    const rules = adapter.mediaRules();
    expect(rules).toMatchObject({ maxMedia: 6, maxAltLength: 1000 });
    // The emulator publishes mastodon.social's limits and its common image and video types.
    expect(rules.image).toMatchObject({
      mimeTypes: ['image/jpeg', 'image/png', 'image/webp'],
      maxBytes: 16_777_216,
      maxPixels: 33_177_600,
    });
    expect(rules.gif).toMatchObject({ maxBytes: 16_777_216, maxPixels: 921_600, alone: false });
    expect(rules.video).toMatchObject({
      mimeTypes: ['video/webm', 'video/mp4', 'video/quicktime', 'video/ogg'],
      maxBytes: 103_809_024,
      maxPixels: 8_294_400,
      maxFrameRate: 120,
      alone: true,
      sendable: true,
    });
  });

  it('publishes a GIF with its description', async () => {
    const { adapter, emulator } = await setup({}, FAST);
    const post = await adapter.publish({
      text: 'It moves',
      media: [{ data: GIF, mimeType: 'image/gif', alt: 'A dancing column' }],
      idempotencyKey: 'gif-1',
    });
    const [stored] = emulator.statusesBy('colonnade_team');
    expect(stored?.id).toBe(post.nativeId);
    expect(emulator.mediaDescription(stored?.mediaIds[0] ?? '')).toBe('A dancing column');
  });

  it('publishes a video with its description once the instance has processed it (several polls), telling progress', async () => {
    const { adapter, emulator } = await setup({ mediaProcessingPolls: 3 }, FAST);
    const progress: UploadProgress[] = [];
    const post = await adapter.publish({
      text: 'Our new clip',
      media: [{ data: MP4, mimeType: 'video/mp4', alt: 'A coloured square, a white bar moving across' }],
      idempotencyKey: 'video-1',
      onProgress: (p) => void progress.push(p),
    });
    const [stored] = emulator.statusesBy('colonnade_team');
    expect(stored?.id).toBe(post.nativeId);
    expect(emulator.mediaDescription(stored?.mediaIds[0] ?? '')).toBe('A coloured square, a white bar moving across');
    expect(post.media).toEqual([
      expect.objectContaining({ kind: 'video', alt: 'A coloured square, a white bar moving across' }),
    ]);
    // 206 three times while processing, then 200: no status was attempted before.
    expect(polls(emulator.requests)).toBe(4);
    expect(emulator.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/statuses')).toHaveLength(1);
    expect(progress.at(-1)).toEqual({ sent: MP4.byteLength, total: MP4.byteLength, processing: true });
    expect(progress.filter((p) => !p.processing).map((p) => p.sent)).toEqual([MP4.byteLength]);
  });

  it('refuses before uploading what the instance’s limits refuse: a video over its video_size_limit, an image over 16 MB', async () => {
    const { adapter, emulator } = await setup({ videoSizeLimit: 1_000 });
    await adapter.loadTextRules();
    const video = await refusal(
      adapter.publish({
        text: 'A clip',
        media: [{ data: MP4, mimeType: 'video/mp4', alt: '' }],
        idempotencyKey: 'video-1',
      }),
    );
    expect(video).toMatchObject({
      code: 'invalid',
      reason: 'media-too-large',
      params: { bytes: String(MP4.byteLength), max: '1000', kind: 'video' },
    });
    expect(video.message).toBe(`Too large for ${new URL(emulator.url).host}: ${MP4.byteLength} bytes, at most 1000.`);
    const heavy = await refusal(
      adapter.publish({
        text: 'Heavy',
        media: [{ data: new Uint8Array(16_777_217), mimeType: 'image/jpeg', alt: '' }],
        idempotencyKey: 'heavy-1',
      }),
    );
    expect(heavy).toMatchObject({ reason: 'media-too-large', params: { bytes: '16777217', max: '16777216' } });
    expect(uploads(emulator.requests)).toBe(0);
  });

  it('reads Mastodon’s refusal of a medium still processing as worth trying again', () => {
    const e = fromErrorBody(
      { status: 422, error: 'Cannot attach files that have not finished processing. Try again in a moment!' },
      'mastodon.social',
    );
    expect(e).toMatchObject({ code: 'transient', reason: 'media-still-processing' });
  });
});
