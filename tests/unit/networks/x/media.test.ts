// X media against the X emulator: a GIF goes up alone (twitter-api-v2's chunked upload with
// media_type image/gif), with its alt text; what X's published limits refuse (a GIF beside a photo,
// a video, which Colonnade does not send yet) is refused before anything is uploaded.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ColonnadeError } from '../../../../src/shared/errors';
import { X_MEDIA_RULES } from '../../../../src/shared/media-rules';
import type { XEmulator } from '../../../emulators/x';
import { png, rig, startEmulator, type Rig } from './harness';

let emu: XEmulator;
let r: Rig;

beforeAll(async () => {
  emu = await startEmulator();
  r = rig(emu);
});
afterAll(async () => {
  await emu.close();
});
afterEach(() => {
  expect(emu.violations.splice(0)).toEqual([]);
});

/** A GIF header and a few bytes: the emulator stores what it is sent. */
const GIF = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0, 0, 0, 0x3b]);

async function refusal(p: Promise<unknown>): Promise<ColonnadeError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ColonnadeError);
  return err as ColonnadeError;
}

const uploads = () => emu.requests.filter((q) => q.endpoint === 'POST /2/media/upload/initialize').length;

describe('X media', () => {
  it('carries X’s published limits to the composer', () => {
    expect(r.adapter.mediaRules()).toEqual(X_MEDIA_RULES);
  });

  it('publishes a GIF alone, with its alt text', async () => {
    const before = uploads();
    const post = await r.adapter.publish({
      text: 'It moves',
      media: [{ data: GIF, mimeType: 'image/gif', alt: 'A dancing column' }],
      idempotencyKey: 'k-gif',
    });
    expect(uploads()).toBe(before + 1);
    const media = [...emu.state.media.values()].at(-1)!;
    expect(media).toMatchObject({ mimeType: 'image/gif', altText: 'A dancing column', finalized: true });
    expect(post.media).toEqual([expect.objectContaining({ alt: 'A dancing column' })]);
  });

  it('refuses a GIF beside a photo, and a video, before uploading anything', async () => {
    const before = uploads();
    const mixed = await refusal(
      r.adapter.publish({
        text: 'Both',
        media: [
          { data: png(10, 10), mimeType: 'image/png', alt: '' },
          { data: GIF, mimeType: 'image/gif', alt: '' },
        ],
        idempotencyKey: 'k-mixed',
      }),
    );
    expect(mixed).toMatchObject({ code: 'invalid', reason: 'media-not-alone', params: { kind: 'gif' } });
    const video = await refusal(
      r.adapter.publish({
        text: 'A clip',
        media: [{ data: new Uint8Array(100), mimeType: 'video/mp4', alt: '' }],
        idempotencyKey: 'k-video',
      }),
    );
    expect(video).toMatchObject({ code: 'invalid', reason: 'media-kind-not-yet', params: { kind: 'video' } });
    expect(uploads()).toBe(before);
  });

  it('refuses an image over 5 MB (5,242,880 bytes) before uploading it', async () => {
    const before = uploads();
    const big = await refusal(
      r.adapter.publish({
        text: 'Heavy',
        media: [{ data: png(10, 10, 5_242_881), mimeType: 'image/png', alt: '' }],
        idempotencyKey: 'k-heavy',
      }),
    );
    expect(big).toMatchObject({ reason: 'media-too-large', params: { bytes: '5242881', max: '5242880' } });
    expect(uploads()).toBe(before);
  });
});
