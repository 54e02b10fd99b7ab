// Staging media through the contract: the renderer's stager (src/renderer/media/stage.ts) sends a
// file in chunks to the real core (`media.stage`, validated by the contract), which keeps it in its
// BlobStore under its SHA-256 once whole (on disk as the chunks come, with the app's file store);
// a wrong checksum is refused and nothing is kept.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../src/main/core/app-core';
import { fileBlobs } from '../../../src/main/platform/file-blobs';
import { STAGE_ABANDONED_MS } from '../../../src/main/core/media-service';
import { ApiError, makeApi } from '../../../src/renderer/api';
import { makeStageMedia } from '../../../src/renderer/media/stage';
import { MEDIA_CHUNK_BYTES } from '../../../src/shared/media-staging';
import { memoryPorts, type MemoryBlobs } from '../../doubles/ports';

async function setup() {
  const ports = memoryPorts();
  const core = await createCore(ports);
  const calls: Array<{ channel: string; offset?: number; chunkLength?: number }> = [];
  const api = makeApi({
    invoke: async (channel, payload) => {
      const p = payload as { offset?: number; chunk?: string };
      calls.push({ channel, ...(p.chunk !== undefined ? { offset: p.offset, chunkLength: p.chunk.length } : {}) });
      return core.dispatch(channel, payload);
    },
  });
  return { ports, core, api, calls, blobs: ports.blobs as MemoryBlobs };
}

/** 1.3 MB of bytes that do not repeat (a photo's worth of entropy). */
function fileOf(size: number, seed = 1): Blob {
  const data = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    data[i] = x >>> 24;
  }
  return new Blob([data], { type: 'image/jpeg' });
}

const sha = async (blob: Blob) =>
  createHash('sha256')
    .update(new Uint8Array(await blob.arrayBuffer()))
    .digest('hex');

describe('media.stage', () => {
  it('stages a 1.3 MB file in three chunks under 1 MiB each, reports progress, and keeps it by its SHA-256', async () => {
    const { api, calls, blobs, core } = await setup();
    const file = fileOf(1_300_000);
    const progress: number[] = [];
    const staged = await makeStageMedia(api)(file, (f) => progress.push(f));

    expect(staged).toEqual({ id: await sha(file), bytes: 1_300_000 });
    const chunks = calls.filter((c) => c.channel === 'media.stage');
    expect(chunks.map((c) => c.offset)).toEqual([0, MEDIA_CHUNK_BYTES, 2 * MEDIA_CHUNK_BYTES]);
    for (const c of chunks) expect(c.chunkLength).toBeLessThan(1_000_000);
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(blobs.blobs.get(staged.id)).toEqual(new Uint8Array(await file.arrayBuffer()));
    expect(await core.dispatch('media.has', { id: staged.id })).toEqual({
      ok: true,
      value: { has: true, bytes: 1_300_000 },
    });
    core.stop();
  });

  it('does not send again a file main already holds', async () => {
    const { api, calls, core } = await setup();
    const file = fileOf(700_000, 7);
    await makeStageMedia(api)(file, () => undefined);
    calls.length = 0;
    const progress: number[] = [];
    const again = await makeStageMedia(api)(file, (f) => progress.push(f));
    expect(again.id).toBe(await sha(file));
    expect(calls.map((c) => c.channel)).toEqual(['media.has']);
    expect(progress.at(-1)).toBe(1);
    core.stop();
  });

  it('refuses a file whose bytes do not match the checksum sent, and keeps nothing', async () => {
    const { api, blobs, core } = await setup();
    const file = fileOf(1_100_000, 3);
    const wrong = 'ab'.repeat(32);
    const failure = await makeStageMedia(api, { sha256: async () => wrong })(file, () => undefined).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).error).toMatchObject({ code: 'bad-request', reason: 'media-checksum-mismatch' });
    expect(blobs.blobs.size).toBe(0);
    core.stop();
  });

  it('refuses a chunk out of order, and an upload it no longer follows', async () => {
    const { core } = await setup();
    const sha256 = 'cd'.repeat(32);
    const chunk = Buffer.alloc(1000, 1).toString('base64');
    const first = await core.dispatch('media.stage', { uploadId: 'upload-one', sha256, total: 3000, offset: 0, chunk });
    expect(first).toEqual({ ok: true, value: { received: 1000 } });
    // The same chunk again (its answer was lost): answered, not appended twice.
    expect(
      await core.dispatch('media.stage', { uploadId: 'upload-one', sha256, total: 3000, offset: 0, chunk }),
    ).toEqual({ ok: true, value: { received: 1000 } });
    const gap = await core.dispatch('media.stage', {
      uploadId: 'upload-one',
      sha256,
      total: 3000,
      offset: 2000,
      chunk,
    });
    expect(gap).toMatchObject({ ok: false, error: { reason: 'media-chunk-out-of-order' } });
    const unknown = await core.dispatch('media.stage', {
      uploadId: 'upload-two',
      sha256,
      total: 3000,
      offset: 1000,
      chunk,
    });
    expect(unknown).toMatchObject({ ok: false, error: { reason: 'media-chunk-out-of-order' } });
    core.stop();
  });

  it('drops an upload left unfinished for ten minutes', async () => {
    const { core, ports } = await setup();
    const sha256 = 'ef'.repeat(32);
    const chunk = Buffer.alloc(10, 2).toString('base64');
    await core.dispatch('media.stage', { uploadId: 'upload-old', sha256, total: 20, offset: 0, chunk });
    await ports.clock.advance(STAGE_ABANDONED_MS);
    const late = await core.dispatch('media.stage', { uploadId: 'upload-old', sha256, total: 20, offset: 10, chunk });
    expect(late).toMatchObject({ ok: false, error: { reason: 'media-chunk-out-of-order' } });
    core.stop();
  });

  it('refuses through the contract a chunk larger than one MEDIA_CHUNK_BYTES or not in base64', async () => {
    const { core } = await setup();
    const sha256 = '12'.repeat(32);
    const big = Buffer.alloc(MEDIA_CHUNK_BYTES + 3, 1).toString('base64');
    expect(
      await core.dispatch('media.stage', { uploadId: 'upload-big', sha256, total: 1e6, offset: 0, chunk: big }),
    ).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(
      await core.dispatch('media.stage', {
        uploadId: 'upload-bad',
        sha256,
        total: 10,
        offset: 0,
        chunk: 'not base64!',
      }),
    ).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    core.stop();
  });
});

describe('media.stage onto the disk (the app’s BlobStore)', () => {
  /** The real core with the app's file BlobStore in a fresh folder. */
  async function onDisk() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonnade-blobs-'));
    const ports = { ...memoryPorts(), blobs: fileBlobs(dir) };
    const core = await createCore(ports);
    const api = makeApi({ invoke: async (channel, payload) => core.dispatch(channel, payload) });
    return { dir, core, api };
  }

  it('writes a video’s chunks to disk as they come and keeps it under its SHA-256, nothing left half-written', async () => {
    const { dir, core, api } = await onDisk();
    const file = new Blob([new Uint8Array(await fileOf(3 * MEDIA_CHUNK_BYTES + 100, 9).arrayBuffer())], {
      type: 'video/mp4',
    });
    const staged = await makeStageMedia(api)(file, () => undefined);
    expect(staged.id).toBe(await sha(file));
    expect(fs.readdirSync(dir)).toEqual([staged.id]);
    expect(new Uint8Array(fs.readFileSync(path.join(dir, staged.id)))).toEqual(
      new Uint8Array(await file.arrayBuffer()),
    );
    core.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps nothing on disk of a file whose bytes do not match its checksum', async () => {
    const { dir, core, api } = await onDisk();
    const failure = await makeStageMedia(api, { sha256: async () => '9a'.repeat(32) })(
      fileOf(2 * MEDIA_CHUNK_BYTES, 4),
      () => undefined,
    ).catch((e: unknown) => e);
    expect((failure as ApiError).error).toMatchObject({ reason: 'media-checksum-mismatch' });
    expect(fs.readdirSync(dir)).toEqual([]);
    core.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
