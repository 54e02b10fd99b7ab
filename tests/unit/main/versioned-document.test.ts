import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openVersionedDocument } from '../../../src/main/core/versioned-document';
import type { DocumentStore } from '../../../src/main/core/ports';
import { MemoryDocuments, MemoryLogger } from '../../doubles/ports';

const V2 = z.object({ name: z.string(), size: z.number() });
const spec = {
  name: 'things',
  schema: V2,
  version: 2,
  migrations: { 1: (d: unknown) => ({ ...(d as { name: string }), size: 10 }) },
  defaults: () => ({ name: 'default', size: 1 }),
};

describe('versioned documents', () => {
  it('starts from defaults when there is no file, and writes them', () => {
    const docs = new MemoryDocuments();
    const doc = openVersionedDocument(docs.open('things'), spec, new MemoryLogger());
    expect(doc.get()).toEqual({ name: 'default', size: 1 });
    expect(JSON.parse(docs.files.get('things')!)).toEqual({ schemaVersion: 2, data: { name: 'default', size: 1 } });
  });

  it('upgrades a version 1 file with its data, and says so', () => {
    const docs = new MemoryDocuments();
    docs.files.set('things', JSON.stringify({ schemaVersion: 1, data: { name: 'mine' } }));
    const log = new MemoryLogger();
    const doc = openVersionedDocument(docs.open('things'), spec, log);
    expect(doc.get()).toEqual({ name: 'mine', size: 10 });
    expect(JSON.parse(docs.files.get('things')!).schemaVersion).toBe(2);
    expect(log.text()).toContain('upgraded from schema 1 to 2');
  });

  it('moves a damaged file aside, keeps it, logs it plainly and starts with defaults', () => {
    const docs = new MemoryDocuments();
    docs.files.set('things', '{"schemaVersion": 2, "data": {');
    const log = new MemoryLogger();
    const doc = openVersionedDocument(docs.open('things'), spec, log);
    expect(doc.get()).toEqual({ name: 'default', size: 1 });
    expect([...docs.aside.values()]).toEqual(['{"schemaVersion": 2, "data": {']);
    expect(log.text()).toMatch(
      /things: the file is damaged \(not valid JSON\)\. The old file was kept as things\.json\.1\.bad/,
    );
  });

  it('never overwrites a file from a newer Colonnade', () => {
    const docs = new MemoryDocuments();
    const newer = JSON.stringify({ schemaVersion: 9, data: { name: 'future' } });
    docs.files.set('things', newer);
    const log = new MemoryLogger();
    openVersionedDocument(docs.open('things'), spec, log);
    expect([...docs.aside.values()]).toEqual([newer]);
    expect(log.text()).toContain('written by a newer Colonnade');
  });

  it('moves aside a file that does not fit the schema', () => {
    const docs = new MemoryDocuments();
    docs.files.set('things', JSON.stringify({ schemaVersion: 2, data: { name: 5 } }));
    const doc = openVersionedDocument(docs.open('things'), spec, new MemoryLogger());
    expect(doc.get().name).toBe('default');
    expect(docs.aside.size).toBe(1);
  });

  it('refuses to save a value outside the schema', () => {
    const doc = openVersionedDocument(new MemoryDocuments().open('things'), spec, new MemoryLogger());
    expect(() => doc.set({ name: 'x', size: 'big' } as never)).toThrow();
    expect(doc.get()).toEqual({ name: 'default', size: 1 });
  });
});

/** `name`'s store, recording every move aside: the document, why (its kind) and where the old copy went. */
function recordingStore(docs: MemoryDocuments, name: string, resets: unknown[]): DocumentStore {
  const store = docs.open(name);
  return {
    ...store,
    moveAside: (reason, why) => {
      const keptAs = store.moveAside(reason, why);
      resets.push({ name, why, keptAs });
      return keptAs;
    },
  };
}

describe('versioned documents tell their store what was reset, and why', () => {
  it.each([
    ['damaged', '{not json', 'damaged'],
    ['from a newer Colonnade', JSON.stringify({ schemaVersion: 9, data: {} }), 'newer'],
    ['not fitting the schema', JSON.stringify({ schemaVersion: 2, data: { name: 3 } }), 'unreadable'],
    ['without a schema version', JSON.stringify({ data: {} }), 'unreadable'],
  ])('reports a file %s with where its old copy was kept', (_what, content, why) => {
    const docs = new MemoryDocuments();
    docs.files.set('things', content);
    const resets: unknown[] = [];
    const doc = openVersionedDocument(recordingStore(docs, 'things', resets), spec, new MemoryLogger());
    expect(doc.get()).toEqual({ name: 'default', size: 1 });
    expect(resets).toEqual([{ name: 'things', why, keptAs: 'things.json.1.bad' }]);
    expect(docs.aside.get('things.json.1.bad')).toBe(content);
  });

  it('reports nothing for a missing or a good file', () => {
    const docs = new MemoryDocuments();
    const resets: unknown[] = [];
    openVersionedDocument(recordingStore(docs, 'things', resets), spec, new MemoryLogger());
    openVersionedDocument(recordingStore(docs, 'things', resets), spec, new MemoryLogger());
    expect(resets).toEqual([]);
  });
});
