// A zip without its central directory (an incomplete download), read by its local headers: entries
// with sizes in their headers (fflate), with data descriptors with and without signature (zip.js),
// stored and deflated, and a cut anywhere.
import { TextReader, Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } from '@zip.js/zip.js';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../../../../src/renderer/analytics/import/archive-source';
import { readWalkedEntry, walkLocalHeaders } from '../../../../../src/renderer/analytics/import/local-headers';

const blobOf = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
const text = (n: number, word: string) => Array.from({ length: n }, (_, i) => `${word} ${i} é`).join('\n');

/** Bytes that look like zip signatures, with sizes that do not fit: must not end an entry. */
function trickyMedia(): Uint8Array {
  const bytes = new Uint8Array(5000);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = (i * 7919) & 0xff;
  bytes.set([0x50, 0x4b, 0x07, 0x08, 1, 2, 3, 4, 9, 0, 0, 0, 9, 0, 0, 0], 1000);
  bytes.set([0x50, 0x4b, 0x03, 0x04], 3000);
  bytes.set([0x50, 0x4b, 0x01, 0x02], 4000);
  return bytes;
}

const FILES = { 'a.txt': text(2000, 'alpha'), 'b/c.txt': text(3000, 'gamma') };

async function zipJs(signature: boolean): Promise<Uint8Array> {
  const writer = new ZipWriter(new Uint8ArrayWriter(), {
    useWebWorkers: false,
    dataDescriptor: true,
    dataDescriptorSignature: signature,
  });
  await writer.add('a.txt', new TextReader(FILES['a.txt']));
  await writer.add('media/x.bin', new Uint8ArrayReader(trickyMedia()), { level: 0 });
  await writer.add('b/c.txt', new TextReader(FILES['b/c.txt']));
  return writer.close();
}

function fflateZip(): Uint8Array {
  const enc = new TextEncoder();
  return zipSync({
    'a.txt': enc.encode(FILES['a.txt']),
    'media/x.bin': [trickyMedia(), { level: 0 }],
    'b/c.txt': enc.encode(FILES['b/c.txt']),
  });
}

/** Where an entry's name is in the zip (its local header is 30 bytes before). */
function offsetOf(zip: Uint8Array, name: string): number {
  const at = Buffer.from(zip).indexOf(name);
  if (at < 0) throw new Error(`${name} not in the zip`);
  return at - 30;
}

describe('a zip read by its local headers', () => {
  const cases: Array<[string, () => Promise<Uint8Array>]> = [
    ['data descriptors with signature (zip.js)', () => zipJs(true)],
    ['data descriptors without signature (zip.js)', () => zipJs(false)],
    ['sizes in the local headers (fflate)', async () => fflateZip()],
  ];
  for (const [label, build] of cases) {
    it(`finds every entry of a whole zip, ${label}`, async () => {
      const zip = await build();
      const walked = await walkLocalHeaders(blobOf(zip));
      expect(walked.entries.map((e) => [e.path, e.complete])).toEqual([
        ['a.txt', true],
        ['media/x.bin', true],
        ['b/c.txt', true],
      ]);
      const blob = blobOf(zip);
      expect(await readWalkedEntry(blob, walked.entries[0]!)).toBe(FILES['a.txt']);
      expect(await readWalkedEntry(blob, walked.entries[2]!)).toBe(FILES['b/c.txt']);
      expect(walked.entries[1]?.dataLength).toBe(5000);
    });

    it(`keeps the entries before a cut and the cut one up to the cut, ${label}`, async () => {
      const zip = await build();
      const start = offsetOf(zip, 'b/c.txt');
      const cutAt = start + Math.floor((zip.length - start) / 3);
      const source = await openArchive(blobOf(zip.slice(0, cutAt)), 'cut.zip');
      expect(source.files.map((f) => [f.path, f.truncated ?? false])).toEqual([
        ['a.txt', false],
        ['media/x.bin', false],
        ['b/c.txt', true],
      ]);
      expect(source.incomplete).toEqual({
        completeEntries: 2,
        cutEntry: 'b/c.txt',
        bytesRead: expect.any(Number),
        fileSize: cutAt,
        allEntries: false,
      });
      expect(await source.find(/a\.txt/)?.read()).toBe(FILES['a.txt']);
      const partial = (await source.find(/c\.txt/)?.read()) ?? '';
      expect(partial.length).toBeGreaterThan(100);
      expect(FILES['b/c.txt'].startsWith(partial.replace(/\uFFFD$/, ''))).toBe(true);

      // Cut between two entries: the first two whole, nothing cut.
      const between = await openArchive(blobOf(zip.slice(0, start)), 'cut.zip');
      expect(between.files.map((f) => f.path)).toEqual(['a.txt', 'media/x.bin']);
      expect(between.incomplete).toMatchObject({ completeEntries: 2, cutEntry: null });
    });
  }

  it('refuses, as zip-damaged, a zip cut before anything of its first entry can be read', async () => {
    const zip = await zipJs(true);
    for (const cutAt of [20, 30 + 'a.txt'.length + 2, offsetOf(zip, 'a.txt') + 30 + 5 + 20 + 3]) {
      await expect(openArchive(blobOf(zip.slice(0, cutAt)), 'cut.zip')).rejects.toMatchObject({ code: 'zip-damaged' });
    }
  });

  it('reads a whole zip by its central directory, as before (no `incomplete`)', async () => {
    const source = await openArchive(blobOf(await zipJs(true)), 'whole.zip');
    expect(source.incomplete).toBeUndefined();
    expect(source.files.map((f) => f.path)).toEqual(['a.txt', 'media/x.bin', 'b/c.txt']);
  });
});
