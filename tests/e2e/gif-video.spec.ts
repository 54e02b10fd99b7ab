// Videos in the composer, in Chromium, under the app's Content Security Policy (media/video.ts):
// a video file is read for its length, pixels and frame rate, and an animated GIF is made into
// the looping MP4 Bluesky plays GIFs as (WebCodecs: ImageDecoder frames, H.264 by VideoEncoder,
// mediabunny's MP4), each frame for its own delay. The module is bundled by esbuild and served as
// the page's own script, from a loopback origin (WebCodecs needs a secure context, which the
// app's own origins are).
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { CONTENT_SECURITY_POLICY } from '../../src/main/shared-security';
import type { gifToMp4, readVideoFacts } from '../../src/renderer/media/video';

interface VideoModule {
  gifToMp4: typeof gifToMp4;
  readVideoFacts: typeof readVideoFacts;
}

const ORIGIN = 'http://localhost:9';
const ROOT = path.resolve(import.meta.dirname, '../..');
const fixture = (name: string) => [...fs.readFileSync(path.join(ROOT, 'tests/fixtures/media', name))];

let script = '';

test.beforeAll(async () => {
  const bundled = await build({
    stdin: {
      contents: `
        import { gifToMp4, readVideoFacts } from './src/renderer/media/video';
        Object.assign(window, { video: { gifToMp4, readVideoFacts } });
      `,
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  script = bundled.outputFiles[0]!.text;
});

test.beforeEach(async ({ page }) => {
  await page.route(`${ORIGIN}/**`, (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/video.js')
      return route.fulfill({
        contentType: 'text/javascript',
        body: script,
        headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
      });
    return route.fulfill({
      contentType: 'text/html',
      headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
      body: '<!doctype html><meta charset="utf-8"><script src="/video.js"></script>',
    });
  });
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => 'video' in window);
});

test('a video file is read for its length, pixels and frame rate', async ({ page }) => {
  const facts = await page.evaluate(async (bytes) => {
    const { readVideoFacts } = (window as unknown as { video: VideoModule }).video;
    return readVideoFacts(new Blob([new Uint8Array(bytes)], { type: 'video/mp4' }));
  }, fixture('clip-1s-32x32.mp4'));
  expect(facts).toEqual({ durationSec: 1, width: 32, height: 32, frameRate: 10 });
});

test('a file that is not a video reads as none', async ({ page }) => {
  const facts = await page.evaluate(async () => {
    const { readVideoFacts } = (window as unknown as { video: VideoModule }).video;
    return readVideoFacts(new Blob([new Uint8Array(64)], { type: 'video/mp4' }));
  });
  expect(facts).toBeNull();
});

test('an animated GIF becomes a looping MP4: every frame, each for its delay, on even pixels', async ({ page }) => {
  // 33 × 21, six frames of 80 ms, the last with no delay (browsers show it 100 ms).
  const made = await page.evaluate(async (bytes) => {
    const { gifToMp4, readVideoFacts } = (window as unknown as { video: VideoModule }).video;
    const video = await gifToMp4(new Blob([new Uint8Array(bytes)], { type: 'image/gif' }));
    const head = new Uint8Array(await video.blob.slice(4, 8).arrayBuffer());
    return {
      type: video.blob.type,
      box: String.fromCharCode(...head),
      width: video.width,
      height: video.height,
      durationSec: video.durationSec,
      frames: video.frames,
      read: await readVideoFacts(video.blob),
    };
  }, fixture('dance-6-frames.gif'));
  expect(made).toMatchObject({ type: 'video/mp4', box: 'ftyp', width: 34, height: 22, durationSec: 0.5, frames: 6 });
  expect(made.read).toMatchObject({ durationSec: 0.5, width: 34, height: 22 });
});
