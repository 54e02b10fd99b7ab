// Mastodon media against the Mastodon emulator: the instance's published media limits
// (/api/v2/instance `configuration.media_attachments`) reach the composer; a GIF goes up with its
// description (POST /api/v2/media); what those limits refuse is refused before any upload.
import { describe, expect, it } from 'vitest';
import { mastodonMediaRules } from '../../../../src/shared/media-rules';
import { refusal, setup } from './support';

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
    // The emulator publishes mastodon.social's limits and image types only.
    expect(rules.image).toMatchObject({
      mimeTypes: ['image/jpeg', 'image/png', 'image/webp'],
      maxBytes: 16_777_216,
      maxPixels: 33_177_600,
    });
    expect(rules.gif).toMatchObject({ maxBytes: 16_777_216, maxPixels: 921_600, alone: false });
    expect(rules.video).toBeUndefined();
  });

  it('publishes a GIF with its description', async () => {
    const { adapter, emulator } = await setup();
    const post = await adapter.publish({
      text: 'It moves',
      media: [{ data: GIF, mimeType: 'image/gif', alt: 'A dancing column' }],
      idempotencyKey: 'gif-1',
    });
    const [stored] = emulator.statusesBy('colonnade_team');
    expect(stored?.id).toBe(post.nativeId);
    expect(emulator.mediaDescription(stored?.mediaIds[0] ?? '')).toBe('A dancing column');
  });

  it('refuses before uploading what the instance’s limits refuse: a video, an image over 16 MB', async () => {
    const { adapter, emulator } = await setup();
    const video = await refusal(
      adapter.publish({
        text: 'A clip',
        media: [{ data: new Uint8Array(100), mimeType: 'video/mp4', alt: '' }],
        idempotencyKey: 'video-1',
      }),
    );
    expect(video).toMatchObject({ code: 'invalid', reason: 'media-kind-refused', params: { kind: 'video' } });
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
});
