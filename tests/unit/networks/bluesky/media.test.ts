// Bluesky media limits (lexicons app.bsky.embed.images and app.bsky.embed.video) as the adapter
// carries them to the composer and applies them before anything reaches the PDS: a GIF (which
// Bluesky plays as a video, and Colonnade does not send yet), a video, an image over 2,000,000
// bytes. Publishing images with alt text and aspect ratio against the local network is in
// adapter.test.ts ("publishes a reply with an image and its alt text").
import { describe, expect, it } from 'vitest';
import { createBlueskyAdapter } from '../../../../src/main/networks/bluesky';
import { systemClock } from '../../../../src/main/core/ports';
import { ColonnadeError } from '../../../../src/shared/errors';
import { BLUESKY_MEDIA_RULES } from '../../../../src/shared/media-rules';
import { MemoryLogger } from '../../../doubles/ports';

function adapter() {
  const asked: string[] = [];
  const fetchStub: typeof fetch = async (input) => {
    asked.push(String(input instanceof Request ? input.url : input));
    throw new TypeError('fetch failed');
  };
  const a = createBlueskyAdapter(
    { service: 'http://127.0.0.1:9', identifier: 'brand.test', appPassword: 'app-password' },
    { clock: systemClock, log: new MemoryLogger(), saveCredentials: async () => undefined },
    { fetch: fetchStub },
  );
  return { a, asked };
}

async function refusal(p: Promise<unknown>): Promise<ColonnadeError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ColonnadeError);
  return err as ColonnadeError;
}

describe('Bluesky media', () => {
  it('carries the lexicons’ limits to the composer', () => {
    expect(adapter().a.mediaRules?.()).toEqual(BLUESKY_MEDIA_RULES);
  });

  it('refuses a GIF and a video before asking the PDS anything', async () => {
    const { a, asked } = adapter();
    const gif = await refusal(
      a.publish({
        text: 'It moves',
        media: [{ data: new Uint8Array(10), mimeType: 'image/gif', alt: '' }],
        idempotencyKey: 'gif-1',
      }),
    );
    expect(gif).toMatchObject({ code: 'invalid', reason: 'media-kind-not-yet', params: { kind: 'gif' } });
    const video = await refusal(
      a.publish({
        text: 'A clip',
        media: [{ data: new Uint8Array(10), mimeType: 'video/mp4', alt: '' }],
        idempotencyKey: 'v-1',
      }),
    );
    expect(video.code).toBe('invalid');
    expect(asked).toEqual([]);
  });

  it('refuses an image over 2,000,000 bytes before uploading it', async () => {
    const { a, asked } = adapter();
    const big = await refusal(
      a.publish({
        text: 'Heavy',
        media: [{ data: new Uint8Array(2_000_001), mimeType: 'image/jpeg', alt: '' }],
        idempotencyKey: 'big-1',
      }),
    );
    expect(big).toMatchObject({ code: 'invalid', reason: 'image-too-large' });
    expect(asked).toEqual([]);
  });
});
