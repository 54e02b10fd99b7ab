// Bluesky media limits (lexicons app.bsky.embed.images and app.bsky.embed.video) as the adapter
// carries them to the composer and applies them before anything reaches the PDS: a GIF that was
// not made into a video (Bluesky plays GIFs as videos), a video over 10 minutes or 300,000,000
// bytes, a video beside an image, an image over 2,000,000 bytes. Publishing images, a video and a
// GIF with alt text against the local network is in adapter.test.ts ("publishes a reply with an
// image and its alt text", "publishes a video…", "publishes a GIF…").
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

  it('refuses, before asking the PDS anything, a GIF not made into a video, a video too long or too heavy, a video beside an image', async () => {
    const { a, asked } = adapter();
    const gif = await refusal(
      a.publish({
        text: 'It moves',
        media: [{ data: new Uint8Array(10), mimeType: 'image/gif', alt: '' }],
        idempotencyKey: 'gif-1',
      }),
    );
    expect(gif).toMatchObject({ code: 'invalid', reason: 'media-gif-needs-video' });
    const long = await refusal(
      a.publish({
        text: 'A long clip',
        media: [{ data: new Uint8Array(10), mimeType: 'video/mp4', alt: '', durationSec: 601 }],
        idempotencyKey: 'v-1',
      }),
    );
    expect(long).toMatchObject({ code: 'invalid', reason: 'media-too-long', params: { seconds: '601', max: '600' } });
    expect(long.message).toBe('Too long for Bluesky: 601 s, at most 600 s.');
    const heavyGif = await refusal(
      a.publish({
        text: 'A heavy GIF',
        media: [
          {
            data: new Uint8Array(10),
            mimeType: 'image/gif',
            alt: '',
            // Its MP4 is what goes: its size is the one checked (the lexicon's 300,000,000 bytes).
            asVideo: { byteLength: 300_000_001 } as Uint8Array,
          },
        ],
        idempotencyKey: 'g-2',
      }),
    );
    expect(heavyGif).toMatchObject({ reason: 'media-too-large', params: { max: '300000000', kind: 'gif' } });
    const mixed = await refusal(
      a.publish({
        text: 'Both',
        media: [
          { data: new Uint8Array(10), mimeType: 'image/png', alt: '' },
          { data: new Uint8Array(10), mimeType: 'video/mp4', alt: '' },
        ],
        idempotencyKey: 'm-1',
      }),
    );
    expect(mixed).toMatchObject({ reason: 'media-not-alone', params: { kind: 'video' } });
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
