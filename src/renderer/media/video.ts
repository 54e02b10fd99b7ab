// Videos in the composer, with mediabunny (the media toolkit Bluesky's own app uses,
// social-app src/lib/media/video/mediabunny.ts): what a video file is (length, size, frame rate)
// for the networks' limits, and a GIF made into a looping MP4 for networks that play GIFs only as
// videos (Bluesky: its app sends a GIF file through its video service, which transcodes it to MP4,
// and posts it as app.bsky.embed.video with presentation 'gif'; Colonnade transcodes on the
// computer with the browser's WebCodecs: ImageDecoder reads the GIF's frames, VideoEncoder encodes
// H.264, or VP9 where H.264 cannot be encoded, and mediabunny writes the MP4).

/** What the networks' limits need to know of a video: length (seconds), pixels, frame rate. */
export interface VideoFacts {
  durationSec: number;
  width?: number | undefined;
  height?: number | undefined;
  frameRate?: number | undefined;
}

/**
 * The facts of `file` (MP4, QuickTime, WebM, Ogg…), or null when it cannot be read as a video.
 * Reads only the parts of the file it needs (its index), not every frame.
 */
export async function readVideoFacts(file: Blob): Promise<VideoFacts | null> {
  const { ALL_FORMATS, BlobSource, Input } = await import('mediabunny');
  const input = new Input({ source: new BlobSource(file), formats: ALL_FORMATS });
  try {
    const durationSec = await input.computeDuration();
    const track = await input.getPrimaryVideoTrack();
    if (!track) return null;
    const stats = await track.computePacketStats(120).catch(() => null);
    return {
      durationSec: Math.round(durationSec * 1000) / 1000,
      width: track.displayWidth || undefined,
      height: track.displayHeight || undefined,
      frameRate: stats && stats.averagePacketRate > 0 ? Math.round(stats.averagePacketRate * 100) / 100 : undefined,
    };
  } catch {
    return null;
  } finally {
    input.dispose();
  }
}

/** A GIF as an MP4: the file, its pixels (even: H.264 needs them so), length and frame count. */
export interface GifVideo {
  blob: Blob;
  width: number;
  height: number;
  durationSec: number;
  frames: number;
}

/**
 * A frame shown for 10 ms or less lasts 100 ms, as browsers play GIFs (Chromium's
 * `kMinFrameDuration` rule; a GIF saying 0 means "as fast as you like", which no one plays).
 */
const frameSeconds = (microseconds: number | null) =>
  microseconds === null || microseconds <= 10_000 ? 0.1 : microseconds / 1_000_000;

/**
 * `gif` as an MP4 video: every frame as the browser composes it, on white where the GIF is
 * transparent (a video has no transparency), each for its own delay. Throws when the browser
 * cannot decode GIFs (no ImageDecoder) or encode video (no VideoEncoder with H.264 or VP9).
 */
export async function gifToMp4(gif: Blob): Promise<GifVideo> {
  if (typeof ImageDecoder === 'undefined') throw new Error('This browser cannot read GIF frames.');
  const { BufferTarget, CanvasSource, Mp4OutputFormat, Output, QUALITY_HIGH, canEncodeVideo } =
    await import('mediabunny');
  const decoder = new ImageDecoder({ data: await gif.arrayBuffer(), type: 'image/gif' });
  try {
    await decoder.tracks.ready;
    const frames = decoder.tracks.selectedTrack?.frameCount ?? 1;
    const first = (await decoder.decode({ frameIndex: 0 })).image;
    const width = Math.max(2, first.displayWidth + (first.displayWidth % 2));
    const height = Math.max(2, first.displayHeight + (first.displayHeight % 2));
    first.close();
    const codec = (await canEncodeVideo('avc', { width, height })) ? 'avc' : 'vp9';
    if (!(await canEncodeVideo(codec, { width, height }))) throw new Error('This browser cannot encode video.');
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('This browser cannot draw the GIF’s frames.');
    const target = new BufferTarget();
    const output = new Output({ format: new Mp4OutputFormat({ fastStart: 'in-memory' }), target });
    const source = new CanvasSource(canvas, { codec, quality: QUALITY_HIGH });
    output.addVideoTrack(source);
    await output.start();
    let at = 0;
    for (let frameIndex = 0; frameIndex < frames; frameIndex++) {
      const { image } = await decoder.decode({ frameIndex });
      const seconds = frameSeconds(image.duration);
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, width, height);
      context.drawImage(image, 0, 0);
      image.close();
      await source.add(at, seconds);
      at += seconds;
    }
    await output.finalize();
    if (!target.buffer) throw new Error('The video was not written.');
    return {
      blob: new Blob([target.buffer], { type: 'video/mp4' }),
      width,
      height,
      durationSec: Math.round(at * 1000) / 1000,
      frames,
    };
  } finally {
    decoder.close();
  }
}
