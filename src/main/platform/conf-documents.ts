// DocumentStores on top of conf (the engine of electron-store): atomic writes, one JSON file per
// document. The shell passes electron-store's class, the headless host conf's own.
import fs from 'node:fs';
import path from 'node:path';
import { CorruptDocumentError, type DocumentStore, type DocumentStores } from '../core/ports';

/** The slice of conf's / electron-store's API we use. */
export interface ConfLike {
  readonly path: string;
  store: Record<string, unknown>;
}

export type ConfFactory = (name: string, cwd: string) => ConfLike;

export function confDocuments(cwd: string, make: ConfFactory, now: () => number = Date.now): DocumentStores {
  return {
    open(name: string): DocumentStore {
      const file = path.join(cwd, `${name}.json`);
      let conf: ConfLike | undefined;
      const instance = (): ConfLike => {
        if (!conf) {
          try {
            conf = make(name, cwd);
          } catch (err) {
            throw new CorruptDocumentError(file, err);
          }
        }
        return conf;
      };
      return {
        read() {
          if (!fs.existsSync(file)) return undefined;
          let data: Record<string, unknown>;
          try {
            data = instance().store;
          } catch (err) {
            throw new CorruptDocumentError(file, err);
          }
          return Object.keys(data).length === 0 ? undefined : data;
        },
        write(document) {
          instance().store = document;
        },
        moveAside(reason) {
          const stamp = new Date(now()).toISOString().replace(/[:.]/g, '-');
          const target = `${file}.${stamp}.bad`;
          if (fs.existsSync(file)) fs.renameSync(file, target);
          fs.writeFileSync(`${target}.why.txt`, `${reason}\n`);
          conf = undefined;
          return target;
        },
        delete() {
          fs.rmSync(file, { force: true });
          conf = undefined;
        },
      };
    },
  };
}
