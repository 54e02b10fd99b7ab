// Whether an image must be made smaller (or converted) to suit every selected network, and how:
// the sizes and qualities to try, largest first. Pure (no DOM): resize.ts runs the attempts on a
// canvas and keeps the first that fits. GIFs and videos are never transcoded: they fit or not.
import { acceptsType, type KindLimits, type MediaRules } from '../../shared/media-rules';

/** The strictest image limits of the selected networks. */
export interface FitTarget {
  /** Largest file, in bytes (the smallest of the networks' image limits). */
  maxBytes: number;
  /** Most pixels, where a network has a limit. */
  maxPixels?: number | undefined;
  /** Longest side when resizing anyway (Bluesky's app: 4,000), where a network gives one. */
  longestSide?: number | undefined;
  /** The image limits of each network, to tell which output types all of them take. */
  limits: KindLimits[];
}

/**
 * The strictest image limits among `rules` (one per selected network), or null when none of them
 * takes images (nothing to fit: `checkMedia` says why).
 */
export function imageFitTarget(rules: readonly MediaRules[]): FitTarget | null {
  const images = rules.flatMap((r) => (r.image?.sendable ? [{ limits: r.image, side: r.resizeLongestSide }] : []));
  if (images.length === 0) return null;
  const pixels = images.flatMap((i) => (i.limits.maxPixels ? [i.limits.maxPixels] : []));
  const sides = images.flatMap((i) => (i.side ? [i.side] : []));
  return {
    maxBytes: Math.min(...images.map((i) => i.limits.maxBytes)),
    maxPixels: pixels.length ? Math.min(...pixels) : undefined,
    longestSide: sides.length ? Math.min(...sides) : undefined,
    limits: images.map((i) => i.limits),
  };
}

export interface ImageFacts {
  mimeType: string;
  bytes: number;
  /** As shown (after its EXIF orientation). */
  width: number;
  height: number;
}

/** One try: encode the image at this size and quality (0–1). */
export interface FitAttempt {
  width: number;
  height: number;
  quality: number;
}

export type FitDecision =
  /** It suits every network as it is. */
  | { action: 'keep' }
  /** Re-encode as `outputType`, trying `attempts` in order until one is at most `maxBytes`. */
  | { action: 'convert'; outputType: 'image/jpeg' | 'image/webp'; attempts: FitAttempt[]; maxBytes: number };

/** Qualities tried at each size: near-transparent first, then visibly lighter. */
export const QUALITY_STEPS = [0.9, 0.8, 0.7] as const;
/** Each smaller size is this share of the one before, per side. */
export const SCALE_STEP = 0.85;
/** No attempt goes below this longest side (pixels): past it the image is refused, not mangled. */
export const MIN_LONGEST_SIDE = 320;

const takenByAll = (target: FitTarget, type: string) => target.limits.every((l) => acceptsType(l, type));

/**
 * What to do with `image` for `target`: keep it when every network takes its type, size and
 * pixels; else re-encode it. The output is JPEG for a JPEG (or when some network takes no WebP),
 * WebP for other sources (PNG, AVIF…: WebP keeps transparency) when every network takes WebP.
 * The first size is the largest that respects the pixel limit and, when the file is too heavy,
 * about what the byte limit allows at the source's bytes per pixel (1.2× that, per side, since a
 * fresh encode at 90 % is usually lighter), capped by the longest side a network's app uses;
 * then each size is SCALE_STEP of the one before, down to MIN_LONGEST_SIDE, each tried at every
 * QUALITY_STEPS quality.
 */
export function decideFit(image: ImageFacts, target: FitTarget): FitDecision {
  const pixels = image.width * image.height;
  const typeOk = takenByAll(target, image.mimeType);
  const fits =
    typeOk && image.bytes <= target.maxBytes && (target.maxPixels === undefined || pixels <= target.maxPixels);
  if (fits) return { action: 'keep' };

  const outputType = image.mimeType === 'image/jpeg' || !takenByAll(target, 'image/webp') ? 'image/jpeg' : 'image/webp';
  let scale = 1;
  if (target.maxPixels !== undefined && pixels > target.maxPixels) scale = Math.sqrt(target.maxPixels / pixels);
  if (image.bytes > target.maxBytes) scale = Math.min(scale, Math.sqrt(target.maxBytes / image.bytes) * 1.2);
  const longest = Math.max(image.width, image.height);
  if (target.longestSide !== undefined && longest * scale > target.longestSide) scale = target.longestSide / longest;

  const attempts: FitAttempt[] = [];
  for (;;) {
    // Floor, so the pixel limit holds after rounding.
    const width = Math.max(1, Math.floor(image.width * scale));
    const height = Math.max(1, Math.floor(image.height * scale));
    for (const quality of QUALITY_STEPS) attempts.push({ width, height, quality });
    if (Math.max(width, height) <= MIN_LONGEST_SIDE) break;
    scale = Math.max(scale * SCALE_STEP, MIN_LONGEST_SIDE / longest);
  }
  return { action: 'convert', outputType, attempts, maxBytes: target.maxBytes };
}
