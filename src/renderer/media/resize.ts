// Makes an image suit the selected networks in the browser: decodes it turned as its EXIF
// orientation says (createImageBitmap `imageOrientation: 'from-image'`), then, when fit.ts says so,
// resamples it with pica (Lanczos-based `mks2013` filter, pure JS: the app's CSP allows neither
// blob: workers nor WebAssembly) and encodes it with the canvas at decreasing sizes and qualities
// until one is light enough. A re-encoded image carries no metadata at all: EXIF (GPS position
// included) and XMP are gone. A JPEG kept as it is loses only its location (exif-location.ts).
import type { Pica } from 'pica';
import { decideFit, type FitTarget } from './fit';
import { withoutLocation } from './exif-location';

export interface FittedImage {
  blob: Blob;
  mimeType: string;
  /** As shown (after orientation), in pixels. */
  width: number;
  height: number;
  /** The original's, when it was resized or converted. */
  resizedFrom?: { width: number; height: number; bytes: number } | undefined;
  /** The original's GPS position (or XMP packet) is not in `blob`. */
  locationRemoved: boolean;
}

export type FitOutcome = { ok: true; image: FittedImage } | { ok: false; why: 'unreadable' | 'cannot-fit' };

let resizer: Promise<Pica> | null = null;
/** One pica for the whole app (its README: reuse one instance), loaded when first needed. */
function picaInstance(): Promise<Pica> {
  resizer ??= import('pica/pica_main').then(({ default: pica }) => pica({ features: ['js'] }));
  return resizer;
}

function canvasOf(width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

/**
 * `file` made to suit `target` (the strictest image limits of the selected networks), or why not:
 * `unreadable` (the browser cannot decode it), `cannot-fit` (still too heavy at MIN_LONGEST_SIDE).
 * `onResizing` is called once when a re-encode starts (the UI says "Resizing…").
 */
export async function fitImage(file: Blob, target: FitTarget, onResizing?: () => void): Promise<FitOutcome> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return { ok: false, why: 'unreadable' };
  }
  try {
    const { width, height } = bitmap;
    const decision = decideFit({ mimeType: file.type, bytes: file.size, width, height }, target);
    if (decision.action === 'keep') {
      const cleaned = file.type === 'image/jpeg' ? withoutLocation(new Uint8Array(await file.arrayBuffer())) : null;
      return {
        ok: true,
        image: {
          blob: cleaned ? new Blob([cleaned as Uint8Array<ArrayBuffer>], { type: file.type }) : file,
          mimeType: file.type,
          width,
          height,
          locationRemoved: cleaned !== null,
        },
      };
    }
    onResizing?.();
    const pica = await picaInstance();
    let canvas: HTMLCanvasElement | null = null;
    for (const attempt of decision.attempts) {
      if (!canvas || canvas.width !== attempt.width || canvas.height !== attempt.height) {
        canvas = await pica.resize(bitmap, canvasOf(attempt.width, attempt.height));
      }
      const blob = await pica.toBlob(canvas, decision.outputType, attempt.quality);
      if (blob.size <= decision.maxBytes) {
        return {
          ok: true,
          image: {
            blob,
            mimeType: decision.outputType,
            width: attempt.width,
            height: attempt.height,
            resizedFrom: { width, height, bytes: file.size },
            // Canvas output has no metadata: say so when the original had a position.
            locationRemoved:
              file.type === 'image/jpeg' && withoutLocation(new Uint8Array(await file.arrayBuffer())) !== null,
          },
        };
      }
    }
    return { ok: false, why: 'cannot-fit' };
  } finally {
    bitmap.close();
  }
}

/** Width and height of an image as shown (after its orientation), or null when unreadable. */
export async function imageDimensions(file: Blob): Promise<{ width: number; height: number } | null> {
  if (typeof createImageBitmap === 'undefined') return null;
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return size;
  } catch {
    return null;
  }
}
