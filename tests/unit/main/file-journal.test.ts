import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileJournals } from '../../../src/main/platform/file-journal';
import { fileBlobs } from '../../../src/main/platform/file-blobs';
import { MemoryLogger } from '../../doubles/ports';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'colonnade-journal-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('the outbox journal on disk', () => {
  it('records appended are there after a restart, in order; a torn last line is left out and the journal stays usable', async () => {
    const dir = tmp();
    const log = new MemoryLogger();
    const j = fileJournals(dir, log).open('outbox');
    expect(j.load()).toEqual({ snapshot: undefined, records: [], torn: 0, unreadable: 0 });
    await Promise.all([j.append([{ n: 1 }]), j.append([{ n: 2 }, { n: 3 }])]);
    // A crash in the middle of writing the next record.
    fs.appendFileSync(path.join(dir, 'outbox.journal.jsonl'), '{"s":4,"r":{"n":');
    const again = fileJournals(dir, log).open('outbox');
    expect(again.load()).toEqual({
      snapshot: undefined,
      records: [{ n: 1 }, { n: 2 }, { n: 3 }],
      torn: 1,
      unreadable: 0,
    });
    await again.append([{ n: 4 }]);
    expect(fileJournals(dir, log).open('outbox').load().records).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    expect(log.text()).toMatch(/cut short/);
  });

  it('a snapshot folds the journal in; records written before it are never replayed on top of it', async () => {
    const dir = tmp();
    const log = new MemoryLogger();
    const j = fileJournals(dir, log).open('outbox');
    j.load();
    await j.append([{ job: 'a', state: 'sending' }]);
    const journal = path.join(dir, 'outbox.journal.jsonl');
    const before = fs.readFileSync(journal, 'utf8');
    j.compact({ jobs: [{ job: 'a', state: 'sent' }] });
    // A crash after the snapshot was renamed in but before the journal was emptied.
    fs.writeFileSync(journal, before);
    const loaded = fileJournals(dir, log).open('outbox').load();
    expect(loaded.snapshot).toEqual({ jobs: [{ job: 'a', state: 'sent' }] });
    expect(loaded.records).toEqual([]);
  });

  it('a line that is not JSON in the middle is kept aside and the others load', async () => {
    const dir = tmp();
    const j = fileJournals(dir, new MemoryLogger()).open('outbox');
    j.load();
    await j.append([{ n: 1 }]);
    fs.appendFileSync(path.join(dir, 'outbox.journal.jsonl'), 'garbage\n');
    await j.append([{ n: 2 }]);
    const loaded = fileJournals(dir, new MemoryLogger()).open('outbox').load();
    expect(loaded.records).toEqual([{ n: 1 }, { n: 2 }]);
    expect(loaded.unreadable).toBe(1);
    expect(fs.readFileSync(path.join(dir, 'outbox.unreadable.jsonl'), 'utf8')).toBe('garbage\n');
  });
});

describe('media kept by content', () => {
  it('the same bytes are kept once, under their SHA-256', async () => {
    const blobs = fileBlobs(path.join(tmp(), 'media'));
    const a = await blobs.put(new TextEncoder().encode('abc'));
    expect(a).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await blobs.put(new TextEncoder().encode('abc'))).toBe(a);
    expect(await blobs.list()).toEqual([a]);
    expect(new TextDecoder().decode((await blobs.get(a))!)).toBe('abc');
    await blobs.delete(a);
    expect(await blobs.get(a)).toBeNull();
  });
});
