// Drafts tests open their own Dexie database on fake-indexeddb, deleted after each test.
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach } from 'vitest';
import { openDatabase, type ColonnadeDb } from '../../../../src/renderer/db/database';

const opened: ColonnadeDb[] = [];
let serial = 0;

/** A fresh database (or, given `name`, another connection to that one); closed and deleted after the test. */
export function openDb(name = `drafts-${++serial}-${Math.random().toString(36).slice(2)}`): ColonnadeDb {
  const db = openDatabase(name);
  opened.push(db);
  return db;
}

afterEach(async () => {
  const names = new Set<string>();
  for (const db of opened.splice(0)) {
    db.close();
    names.add(db.name);
  }
  for (const name of names) await Dexie.delete(name);
});

/** A clock tests move by hand (ms since epoch). */
export function manualClock(start = Date.parse('2027-03-29T07:00:00.000Z')) {
  const clock = { t: start, now: () => clock.t, advance: (ms: number) => (clock.t += ms) };
  return clock;
}
