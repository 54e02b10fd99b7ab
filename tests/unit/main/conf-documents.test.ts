// DocumentStore.delete on disk (conf): the file is gone, and the document can be written again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { describe, expect, it } from 'vitest';
import { confDocuments } from '../../../src/main/platform/conf-documents';

describe('files on disk (conf): deleting a document', () => {
  it('removes the file, reads nothing after, writes afresh, and is harmless without a file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonnade-unit-'));
    const documents = confDocuments(dir, (name, cwd) => new Conf({ configName: name, cwd, projectName: 'colonnade' }));
    const memory = documents.open('memory-x_42');
    memory.write({ viewer: { version: 1, posts: [{ id: '9', liked: true }] } });
    const file = path.join(dir, 'memory-x_42.json');
    expect(fs.existsSync(file)).toBe(true);

    memory.delete();
    expect(fs.existsSync(file)).toBe(false);
    expect(memory.read()).toBeUndefined();
    expect(documents.open('memory-x_42').read()).toBeUndefined();
    memory.delete();

    memory.write({ viewer: { version: 1, posts: [] } });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ viewer: { version: 1, posts: [] } });
  });
});
