// The decisions behind resizing (pure: the canvas part runs in Chromium, tests/e2e/media-resize.spec.ts)
// and the removal of a kept JPEG's location.
import { describe, expect, it } from 'vitest';
import { decideFit, imageFitTarget, MIN_LONGEST_SIDE, QUALITY_STEPS } from '../../../src/renderer/media/fit';
import { withoutLocation } from '../../../src/renderer/media/exif-location';
import { BLUESKY_MEDIA_RULES, mastodonMediaRules, X_MEDIA_RULES } from '../../../src/shared/media-rules';

const photo = { mimeType: 'image/jpeg', bytes: 8 * 1024 * 1024, width: 6000, height: 4000 };

describe('decideFit', () => {
  it('keeps an image every selected network takes as it is', () => {
    const target = imageFitTarget([X_MEDIA_RULES, mastodonMediaRules()])!;
    expect(decideFit({ ...photo, bytes: 4_000_000 }, target)).toEqual({ action: 'keep' });
  });

  it('takes the strictest of the selected networks: Bluesky’s 2,000,000 bytes and 4,000-pixel side beside X and Mastodon', () => {
    const target = imageFitTarget([X_MEDIA_RULES, BLUESKY_MEDIA_RULES, mastodonMediaRules()])!;
    expect(target).toMatchObject({ maxBytes: 2_000_000, maxPixels: 33_177_600, longestSide: 4000 });
  });

  it('plans a 6000×4000 JPEG of 8 MB for Bluesky: JPEG, smaller sizes at lower qualities, down to 320 pixels', () => {
    const decision = decideFit(photo, imageFitTarget([BLUESKY_MEDIA_RULES])!);
    if (decision.action !== 'convert') throw new Error('expected a conversion');
    expect(decision.outputType).toBe('image/jpeg');
    expect(decision.maxBytes).toBe(2_000_000);
    const [first] = decision.attempts;
    // About what 2 MB allows at the source's bytes per pixel (×1.2 per side), within 4,000 pixels.
    expect(first).toEqual({ width: 3515, height: 2343, quality: 0.9 });
    expect(first!.width / first!.height).toBeCloseTo(1.5, 2);
    expect(decision.attempts.slice(0, 3).map((a) => a.quality)).toEqual([...QUALITY_STEPS]);
    const sides = decision.attempts.map((a) => a.width);
    expect(sides).toEqual([...sides].sort((a, b) => b - a));
    expect(Math.max(decision.attempts.at(-1)!.width, decision.attempts.at(-1)!.height)).toBeLessThanOrEqual(
      MIN_LONGEST_SIDE,
    );
  });

  it('stays within a pixel limit after rounding, even when the bytes fit', () => {
    const target = imageFitTarget([mastodonMediaRules({ imageMatrixLimit: 1_000_000 })])!;
    const decision = decideFit({ mimeType: 'image/jpeg', bytes: 500_000, width: 3001, height: 2001 }, target);
    if (decision.action !== 'convert') throw new Error('expected a conversion');
    expect(decision.attempts[0]!.width * decision.attempts[0]!.height).toBeLessThanOrEqual(1_000_000);
  });

  it('converts a PNG to WebP when every network takes WebP (transparency kept), to JPEG otherwise', () => {
    const png = { mimeType: 'image/png', bytes: 3_000_000, width: 1200, height: 800 };
    const webp = decideFit(png, imageFitTarget([BLUESKY_MEDIA_RULES, X_MEDIA_RULES])!);
    expect(webp).toMatchObject({ action: 'convert', outputType: 'image/webp' });
    const noWebp = mastodonMediaRules({ supportedMimeTypes: ['image/jpeg', 'image/png'], imageSizeLimit: 1_000_000 });
    expect(decideFit(png, imageFitTarget([noWebp])!)).toMatchObject({ action: 'convert', outputType: 'image/jpeg' });
  });

  it('converts a type a network does not take even when it is light enough (AVIF for Bluesky)', () => {
    const avif = { mimeType: 'image/avif', bytes: 200_000, width: 1000, height: 1000 };
    expect(decideFit(avif, imageFitTarget([BLUESKY_MEDIA_RULES])!)).toMatchObject({ action: 'convert' });
    expect(decideFit(avif, imageFitTarget([mastodonMediaRules()])!)).toEqual({ action: 'keep' });
  });

  it('has nothing to fit for networks that take no images', () => {
    expect(imageFitTarget([{ maxMedia: 0, maxAltLength: 0, altCounting: 'codepoints' }])).toBeNull();
  });
});

/** A tiny JPEG with EXIF (orientation 6, a GPS position) and an XMP packet, little-endian TIFF. */
function jpegWithLocation(): Uint8Array {
  const tiff: number[] = [];
  const u16 = (v: number) => tiff.push(v & 0xff, v >> 8);
  const u32 = (v: number) => tiff.push(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24);
  tiff.push(0x49, 0x49);
  u16(42);
  u32(8); // IFD0 at 8
  u16(2); // two entries
  u16(0x0112); // Orientation, SHORT, 1, 6
  u16(3);
  u32(1);
  u16(6);
  u16(0);
  u16(0x8825); // GPSInfo, LONG, 1, offset 38
  u16(4);
  u32(1);
  u32(38);
  u32(0); // no next IFD (ends at 38)
  u16(2); // GPS IFD: two entries
  u16(0x0001); // GPSLatitudeRef, ASCII, 2, "N\0"
  u16(2);
  u32(2);
  tiff.push(0x4e, 0, 0, 0);
  u16(0x0002); // GPSLatitude, RATIONAL, 3, offset 68
  u16(5);
  u32(3);
  u32(68);
  u32(0);
  for (const v of [48, 1, 51, 1, 24, 1]) u32(v); // 48° 51′ 24″
  const exif = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
  const xmp = [...'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta exif:GPSLatitude="48,51.4N"/>'].map((c) => c.charCodeAt(0));
  const segment = (marker: number, body: number[]) => [
    0xff,
    marker,
    (body.length + 2) >> 8,
    (body.length + 2) & 0xff,
    ...body,
  ];
  return new Uint8Array([
    0xff,
    0xd8,
    ...segment(0xe1, exif),
    ...segment(0xe1, xmp),
    ...segment(0xda, [0, 1, 2]),
    0x11,
    0x22,
    0x33,
    0xff,
    0xd9,
  ]);
}

describe('withoutLocation', () => {
  it('empties the GPS directory and drops the XMP packet, keeping the orientation and the picture', () => {
    const original = jpegWithLocation();
    const cleaned = withoutLocation(original)!;
    expect(cleaned).not.toBeNull();
    const text = new TextDecoder('latin1').decode(cleaned);
    expect(text).not.toContain('GPSLatitude');
    expect(text).not.toContain('http://ns.adobe.com/xap');
    // The rationals 48/1, 51/1, 24/1 are gone; the orientation (6) is where it was.
    const tiffAt = 2 + 4 + 6;
    expect([...cleaned.subarray(tiffAt + 68, tiffAt + 92)].every((b) => b === 0)).toBe(true);
    expect(cleaned[tiffAt + 8 + 2 + 8]).toBe(6);
    // The EXIF segment keeps its size; the XMP one is gone; the scan data is untouched.
    expect([...cleaned.subarray(2, 6)]).toEqual([...original.subarray(2, 6)]);
    const xmpSegment = 4 + 'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta exif:GPSLatitude="48,51.4N"/>'.length;
    expect(cleaned.length).toBe(original.length - xmpSegment);
    expect([...cleaned.subarray(-5)]).toEqual([0x11, 0x22, 0x33, 0xff, 0xd9]);
    expect(withoutLocation(cleaned)).toBeNull();
  });

  it('leaves a JPEG without location, and what is no JPEG, as they are', () => {
    expect(withoutLocation(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 2, 0xff, 0xd9]))).toBeNull();
    expect(withoutLocation(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBeNull();
  });
});
