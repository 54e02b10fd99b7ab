// Blobs kept by content in a folder (media staged for scheduled posts): `<sha256 hex>` files,
// written to a temporary name and renamed, so a crash never leaves half a file under a real id
// (a video staged in chunks too: `open` appends to a `staging-*.tmp` file until it is whole).
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BlobStore } from '../core/ports';

const ID = /^[0-9a-f]{64}$/;

export function fileBlobs(dir: string): BlobStore {
  const file = (id: string) => {
    if (!ID.test(id)) throw new Error(`Not a blob id: ${id.slice(0, 80)}`);
    return path.join(dir, id);
  };
  return {
    async put(bytes) {
      const id = createHash('sha256').update(bytes).digest('hex');
      const target = file(id);
      if (fs.existsSync(target)) return id;
      await fs.promises.mkdir(dir, { recursive: true });
      const tmp = `${target}.${process.pid}.tmp`;
      await fs.promises.writeFile(tmp, bytes);
      await fs.promises.rename(tmp, target);
      return id;
    },
    async get(id) {
      try {
        return new Uint8Array(await fs.promises.readFile(file(id)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async delete(id) {
      await fs.promises.rm(file(id), { force: true });
    },
    async list() {
      try {
        return (await fs.promises.readdir(dir)).filter((f) => ID.test(f));
      } catch {
        return [];
      }
    },
    // Appended to a temporary file while its SHA-256 is summed; renamed to its id when whole.
    async open() {
      await fs.promises.mkdir(dir, { recursive: true });
      const tmp = path.join(dir, `staging-${process.pid}-${randomUUID()}.tmp`);
      const handle = await fs.promises.open(tmp, 'w');
      const hash = createHash('sha256');
      let closed = false;
      const close = async () => {
        if (!closed) await handle.close();
        closed = true;
      };
      return {
        async write(bytes) {
          hash.update(bytes);
          await handle.write(bytes);
        },
        async commit(expected) {
          await close();
          const id = hash.digest('hex');
          if (id !== expected) {
            await fs.promises.rm(tmp, { force: true });
            return null;
          }
          if (fs.existsSync(file(id))) await fs.promises.rm(tmp, { force: true });
          else await fs.promises.rename(tmp, file(id));
          return id;
        },
        async abort() {
          await close();
          await fs.promises.rm(tmp, { force: true });
        },
      };
    },
  };
}
