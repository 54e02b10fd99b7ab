// Journals on files: `<name>.snapshot.json` and `<name>.journal.jsonl` in the data folder.
// A record is one line `{"s":seq,"r":record}`; the snapshot says the last sequence it holds, so
// a crash between writing a snapshot and emptying the journal replays nothing twice. Appends made
// in one turn of the event loop are written and fsynced together (a group commit), so 10,000
// jobs scheduled at once cost one flush, not 10,000.
import fs from 'node:fs';
import path from 'node:path';
import type { JournalStore, JournalStores, Logger } from '../core/ports';

interface Waiting {
  lines: string[];
  resolve: () => void;
  reject: (err: Error) => void;
}

export function fileJournals(dir: string, log: Logger): JournalStores {
  return {
    open(name: string): JournalStore {
      const snapshotFile = path.join(dir, `${name}.snapshot.json`);
      const journalFile = path.join(dir, `${name}.journal.jsonl`);
      const asideFile = path.join(dir, `${name}.unreadable.jsonl`);
      let seq = 0;
      let queue: Waiting[] = [];
      let scheduled = false;

      const flush = () => {
        scheduled = false;
        const batch = queue;
        queue = [];
        if (batch.length === 0) return;
        try {
          fs.mkdirSync(dir, { recursive: true });
          const fd = fs.openSync(journalFile, 'a');
          try {
            fs.writeSync(fd, batch.flatMap((w) => w.lines).join(''));
            fs.fdatasyncSync(fd);
          } finally {
            fs.closeSync(fd);
          }
          for (const w of batch) w.resolve();
        } catch (err) {
          const e = err instanceof Error ? err : new Error(String(err));
          for (const w of batch) w.reject(e);
        }
      };

      return {
        load() {
          let snapshot: unknown;
          let snapshotSeq = 0;
          if (fs.existsSync(snapshotFile)) {
            const doc = JSON.parse(fs.readFileSync(snapshotFile, 'utf8')) as { seq?: unknown; data?: unknown };
            snapshot = doc.data;
            snapshotSeq = typeof doc.seq === 'number' ? doc.seq : 0;
          }
          seq = snapshotSeq;
          const records: unknown[] = [];
          let torn = 0;
          let unreadable = 0;
          if (fs.existsSync(journalFile)) {
            const text = fs.readFileSync(journalFile, 'utf8');
            const lines = text.split('\n');
            // The text after the last newline is a record cut short by a crash (or nothing).
            const tail = lines.pop() ?? '';
            if (tail.trim()) torn++;
            for (const line of lines) {
              if (!line.trim()) continue;
              let parsed: { s?: unknown; r?: unknown };
              try {
                parsed = JSON.parse(line) as { s?: unknown; r?: unknown };
              } catch {
                unreadable++;
                fs.appendFileSync(asideFile, `${line}\n`);
                continue;
              }
              if (typeof parsed.s !== 'number') {
                unreadable++;
                fs.appendFileSync(asideFile, `${line}\n`);
                continue;
              }
              seq = Math.max(seq, parsed.s);
              if (parsed.s <= snapshotSeq) continue;
              records.push(parsed.r);
            }
            if (torn) {
              log.warn(`${name}: the last change was cut short by a crash and is left out`, { bytes: tail.length });
              // Leave a well-formed journal behind: the torn tail would glue onto the next append.
              fs.writeFileSync(journalFile, lines.map((l) => `${l}\n`).join(''));
            }
          }
          return { snapshot, records, torn, unreadable };
        },
        append(records) {
          const lines = records.map((r) => `${JSON.stringify({ s: ++seq, r })}\n`);
          return new Promise<void>((resolve, reject) => {
            queue.push({ lines, resolve, reject });
            if (!scheduled) {
              scheduled = true;
              setImmediate(flush);
            }
          });
        },
        compact(snapshot) {
          flush();
          fs.mkdirSync(dir, { recursive: true });
          const tmp = `${snapshotFile}.tmp`;
          const fd = fs.openSync(tmp, 'w');
          try {
            fs.writeSync(fd, JSON.stringify({ seq, data: snapshot }));
            fs.fsyncSync(fd);
          } finally {
            fs.closeSync(fd);
          }
          fs.renameSync(tmp, snapshotFile);
          // The snapshot holds every record up to `seq`: the journal can start again empty.
          fs.writeFileSync(journalFile, '');
        },
      };
    },
  };
}
