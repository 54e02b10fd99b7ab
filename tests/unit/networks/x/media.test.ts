// X media against the X emulator: a GIF (tweet_gif) and a video (tweet_video) go up alone in
// chunks with their alt text, X's asynchronous processing waited for (STATUS polls), the upload's
// progress told as it goes; a failed processing is said in words; what X's published limits
// refuse (a GIF beside a photo, a video shorter than half a second) is refused before anything
// is uploaded.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UploadProgress } from '../../../../src/shared/adapter';
import { ColonnadeError } from '../../../../src/shared/errors';
import { X_MEDIA_RULES } from '../../../../src/shared/media-rules';
import type { XEmulator } from '../../../emulators/x';
import { png, rig, startEmulator, type Rig } from './harness';

let emu: XEmulator;
let r: Rig;

beforeAll(async () => {
  emu = await startEmulator({ mediaCheckAfterSecs: 0 });
  r = rig(emu);
});
afterAll(async () => {
  await emu.close();
});
afterEach(() => {
  expect(emu.violations.splice(0)).toEqual([]);
});

/** A real H.264 MP4: one second, 32 × 32, 10 frames (tests/fixtures/media/README.md). */
const MP4 = new Uint8Array(
  fs.readFileSync(path.resolve(import.meta.dirname, '../../../fixtures/media/clip-1s-32x32.mp4')),
);

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
    const short = await refusal(
      r.adapter.publish({
        text: 'A blink',
        media: [{ data: MP4, mimeType: 'video/mp4', alt: '', durationSec: 0.4 }],
        idempotencyKey: 'k-short',
      }),
    );
    expect(short).toMatchObject({ code: 'invalid', reason: 'media-too-short', params: { seconds: '0.4', min: '0.5' } });
    expect(short.message).toBe('Too short for X: 0.4 s, at least 0.5 s.');
    expect(uploads()).toBe(before);
  });

  it('publishes a video as tweet_video with its alt text, once X has processed it, telling the bytes sent', async () => {
    emu.control.setMediaProcessing({ polls: 2 });
    const progress: UploadProgress[] = [];
    const post = await r.adapter.publish({
      text: 'Our new clip',
      media: [
        { data: MP4, mimeType: 'video/mp4', alt: 'A coloured square, a white bar moving across', durationSec: 1 },
      ],
      idempotencyKey: 'k-video',
      onProgress: (p) => void progress.push(p),
    });
    const media = [...emu.state.media.values()].at(-1)!;
    expect(media).toMatchObject({
      type: 'video',
      mimeType: 'video/mp4',
      totalBytes: MP4.byteLength,
      altText: 'A coloured square, a white bar moving across',
      processing: { state: 'succeeded' },
    });
    const init = emu.requests.filter((q) => q.endpoint === 'POST /2/media/upload/initialize').at(-1);
    expect(init).toBeDefined();
    // FINALIZE said pending; STATUS answered in_progress twice, then succeeded.
    expect(emu.requests.filter((q) => q.endpoint === 'GET /2/media/upload').length).toBeGreaterThanOrEqual(3);
    expect(post.media).toEqual([
      expect.objectContaining({ kind: 'video', alt: 'A coloured square, a white bar moving across' }),
    ]);
    expect(progress.at(0)).toEqual({ sent: MP4.byteLength, total: MP4.byteLength });
    expect(progress.some((p) => p.processing)).toBe(true);
  });

  it('says in words when X fails to process a video, and posts nothing', async () => {
    emu.control.setMediaProcessing({ polls: 1, failWith: 'Unsupported video format' });
    const posts = emu.state.tweets.size;
    const failed = await refusal(
      r.adapter.publish({
        text: 'A broken clip',
        media: [{ data: MP4, mimeType: 'video/mp4', alt: '' }],
        idempotencyKey: 'k-broken',
      }),
    );
    expect(failed).toMatchObject({ code: 'invalid', reason: 'media-processing-failed', params: { network: 'X' } });
    expect(failed.message).toMatch(/^X could not process this video/);
    expect(emu.state.tweets.size).toBe(posts);
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
