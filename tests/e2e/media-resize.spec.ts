// The composer's image resizing, in Chromium, under the app's Content Security Policy: a 6000×4000
// JPEG of about 8 MB is made to fit Bluesky's 2,000,000 bytes (pica in pure JS, canvas JPEG), a
// photo's EXIF orientation is respected, and a photo that already fits is kept as it is, its GPS
// position removed. The resize module is bundled by esbuild and served as the page's own script.
import { build } from 'esbuild';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { CONTENT_SECURITY_POLICY } from '../../src/main/shared-security';
import type { fitImage, FitOutcome } from '../../src/renderer/media/resize';
import type { imageFitTarget } from '../../src/renderer/media/fit';
import type { withoutLocation } from '../../src/renderer/media/exif-location';
import type { MediaRules } from '../../src/shared/media-rules';

/** What the page's script puts on `window.media`. */
interface MediaModule {
  fitImage: typeof fitImage;
  imageFitTarget: typeof imageFitTarget;
  withoutLocation: typeof withoutLocation;
  BLUESKY_MEDIA_RULES: MediaRules;
  X_MEDIA_RULES: MediaRules;
}

const ORIGIN = 'http://colonnade.test';
const ROOT = path.resolve(import.meta.dirname, '../..');

let script = '';

test.beforeAll(async () => {
  const bundled = await build({
    stdin: {
      contents: `
        import { fitImage } from './src/renderer/media/resize';
        import { imageFitTarget } from './src/renderer/media/fit';
        import { withoutLocation } from './src/renderer/media/exif-location';
        import { BLUESKY_MEDIA_RULES, X_MEDIA_RULES } from './src/shared/media-rules';
        Object.assign(window, { media: { fitImage, imageFitTarget, withoutLocation, BLUESKY_MEDIA_RULES, X_MEDIA_RULES } });
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
    if (url.pathname === '/media.js')
      return route.fulfill({
        contentType: 'text/javascript',
        body: script,
        headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
      });
    return route.fulfill({
      contentType: 'text/html',
      headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
      body: '<!doctype html><meta charset="utf-8"><canvas id="c"></canvas><script src="/media.js"></script>',
    });
  });
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => 'media' in window);
});

test('a 6000×4000 JPEG of 8 MB is resized to fit Bluesky’s 2,000,000 bytes', async ({ page }) => {
  test.setTimeout(120_000);
  const result = await page.evaluate(async () => {
    // A photo-like picture: smooth light, texture and grain, so that JPEG can neither shrink it to
    // nothing nor blow it up like pure noise.
    const width = 6000;
    const height = 4000;
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d')!;
    const image = ctx.createImageData(width, height);
    let seed = 7;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        const grain = (seed >>> 24) % 48;
        const i = (y * width + x) * 4;
        image.data[i] = (x / width) * 180 + grain + 20 * Math.sin(x / 37);
        image.data[i + 1] = (y / height) * 160 + grain + 20 * Math.cos(y / 53);
        image.data[i + 2] = 120 + grain + 30 * Math.sin((x + y) / 71);
        image.data[i + 3] = 255;
      }
    }
    ctx.putImageData(image, 0, 0);
    // The quality that makes it weigh about 8 MB.
    let source: Blob | null = null;
    for (const q of [0.97, 0.95, 0.92, 0.9, 0.85, 0.8, 0.7, 0.6]) {
      const blob = await new Promise<Blob>((r) => canvas.toBlob((b) => r(b!), 'image/jpeg', q));
      source = blob;
      if (blob.size <= 8.5 * 1024 * 1024) break;
    }
    const m = (window as unknown as { media: MediaModule }).media;
    const target = m.imageFitTarget([m.BLUESKY_MEDIA_RULES, m.X_MEDIA_RULES]);
    let resizing = false;
    const outcome = await m.fitImage(source!, target!, () => (resizing = true));
    return {
      sourceBytes: source!.size,
      resizing,
      ok: outcome.ok,
      bytes: outcome.ok ? outcome.image.blob.size : null,
      type: outcome.ok ? outcome.image.blob.type : null,
      width: outcome.ok ? outcome.image.width : null,
      height: outcome.ok ? outcome.image.height : null,
      resizedFrom: outcome.ok ? outcome.image.resizedFrom : null,
    };
  });
  console.log(`media-resize: ${JSON.stringify(result)}`);
  expect(result.sourceBytes).toBeGreaterThan(6 * 1024 * 1024);
  expect(result.ok).toBe(true);
  expect(result.resizing).toBe(true);
  expect(result.type).toBe('image/jpeg');
  expect(result.bytes).toBeLessThanOrEqual(2_000_000);
  expect(result.width! / result.height!).toBeCloseTo(1.5, 2);
  expect(Math.max(result.width!, result.height!)).toBeLessThanOrEqual(4000);
  expect(result.resizedFrom).toEqual({ width: 6000, height: 4000, bytes: result.sourceBytes });
});

test('EXIF orientation is respected; a photo that fits is kept, without its GPS position', async ({ page }) => {
  const result = await page.evaluate(async () => {
    // A 300×200 JPEG from the canvas, then an EXIF segment saying "turn 90° clockwise" (6), with a GPS position.
    const canvas = document.createElement('canvas');
    canvas.width = 300;
    canvas.height = 200;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#c33';
    ctx.fillRect(0, 0, 300, 200);
    const plain = new Uint8Array(
      await (await new Promise<Blob>((r) => canvas.toBlob((b) => r(b!), 'image/jpeg', 0.9))).arrayBuffer(),
    );
    const tiff = [0x49, 0x49, 42, 0, 8, 0, 0, 0, 2, 0];
    const entry = (tag: number, type: number, count: number, value: number[]) =>
      tiff.push(tag & 0xff, tag >> 8, type, 0, count, 0, 0, 0, ...value);
    entry(0x0112, 3, 1, [6, 0, 0, 0]);
    entry(0x8825, 4, 1, [38, 0, 0, 0]);
    tiff.push(0, 0, 0, 0, 1, 0);
    entry(0x0001, 2, 2, [0x4e, 0, 0, 0]);
    tiff.push(0, 0, 0, 0);
    const body = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
    const app1 = [0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
    const withExif = new Uint8Array([...plain.subarray(0, 2), ...app1, ...plain.subarray(2)]);
    const file = new Blob([withExif], { type: 'image/jpeg' });
    const m = (window as unknown as { media: MediaModule }).media;
    const image = (o: FitOutcome) => {
      if (!o.ok) throw new Error(o.why);
      return o.image;
    };
    const target = m.imageFitTarget([m.BLUESKY_MEDIA_RULES])!;
    const kept = image(await m.fitImage(file, target));
    const keptBytes = new Uint8Array(await kept.blob.arrayBuffer());
    // Made to convert (a 50,000-pixel limit): the pixels come out turned, with no EXIF at all.
    const converted = image(await m.fitImage(file, { ...target, maxPixels: 50_000 }));
    const convertedBytes = new Uint8Array(await converted.blob.arrayBuffer());
    const hasExif = (b: Uint8Array) => new TextDecoder('latin1').decode(b.subarray(0, 200)).includes('Exif');
    return {
      kept: { width: kept.width, height: kept.height, locationRemoved: kept.locationRemoved },
      keptSameSize: keptBytes.length === withExif.length,
      keptStillLocated: m.withoutLocation(keptBytes) !== null,
      keptOrientation: keptBytes[2 + 4 + 6 + 8 + 2 + 8],
      converted: { width: converted.width, height: converted.height, exif: hasExif(convertedBytes) },
    };
  });
  expect(result.kept).toEqual({ width: 200, height: 300, locationRemoved: true });
  expect(result.keptSameSize).toBe(true);
  expect(result.keptStillLocated).toBe(false);
  expect(result.keptOrientation).toBe(6);
  expect(result.converted).toEqual({ width: 182, height: 273, exif: false });
});
