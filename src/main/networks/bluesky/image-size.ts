// Width and height of an image from its first bytes (PNG, JPEG, GIF, WebP), for the aspect
// ratio Bluesky shows an image at before it loads. Null when the format is not recognized.

export interface ImageSize {
  width: number;
  height: number;
}

function png(b: Uint8Array, v: DataView): ImageSize | null {
  if (b.length < 24 || v.getUint32(0) !== 0x89504e47 || v.getUint32(12) !== 0x49484452) return null;
  return { width: v.getUint32(16), height: v.getUint32(20) };
}

function gif(b: Uint8Array, v: DataView): ImageSize | null {
  if (b.length < 10 || String.fromCharCode(b[0] ?? 0, b[1] ?? 0, b[2] ?? 0) !== 'GIF') return null;
  return { width: v.getUint16(6, true), height: v.getUint16(8, true) };
}

function jpeg(b: Uint8Array, v: DataView): ImageSize | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1] ?? 0;
    if (marker === 0xff) {
      i++;
      continue;
    }
    const length = v.getUint16(i + 2);
    // Start-of-frame markers carry the size (not DHT c4, JPG c8, DAC cc).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: v.getUint16(i + 5), width: v.getUint16(i + 7) };
    }
    i += 2 + length;
  }
  return null;
}

function webp(b: Uint8Array, v: DataView): ImageSize | null {
  if (b.length < 30) return null;
  const tag = (at: number) => String.fromCharCode(...b.subarray(at, at + 4));
  if (tag(0) !== 'RIFF' || tag(8) !== 'WEBP') return null;
  const chunk = tag(12);
  if (chunk === 'VP8 ') return { width: v.getUint16(26, true) & 0x3fff, height: v.getUint16(28, true) & 0x3fff };
  if (chunk === 'VP8L') {
    const bits = v.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    const w = (b[24] ?? 0) | ((b[25] ?? 0) << 8) | ((b[26] ?? 0) << 16);
    const h = (b[27] ?? 0) | ((b[28] ?? 0) << 8) | ((b[29] ?? 0) << 16);
    return { width: w + 1, height: h + 1 };
  }
  return null;
}

export function imageSize(data: Uint8Array): ImageSize | null {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  try {
    const size = png(data, view) ?? gif(data, view) ?? jpeg(data, view) ?? webp(data, view);
    return size && size.width > 0 && size.height > 0 ? size : null;
  } catch {
    return null; // truncated data
  }
}
