// Steps the outbox end-to-end tests on real networks share (connecting profiles: ./networks.ts):
// reading what the servers hold (Bluesky's repository, read over XRPC from the PDS as any client
// would), reading the page's drafts from IndexedDB, and wall-clock times in a zone for the
// composer's fields.
import type { Page } from '@playwright/test';

/** One post of a Bluesky repository: its AT-URI, record key and text. */
export interface BlueskyRecord {
  uri: string;
  rkey: string;
  text: string;
}

/**
 * Every `app.bsky.feed.post` record of `did`'s repository on the PDS at `pdsUrl`
 * (com.atproto.repo.listRecords, public, 100 a page), newest first.
 */
export async function blueskyPostsOf(pdsUrl: string, did: string): Promise<BlueskyRecord[]> {
  const out: BlueskyRecord[] = [];
  let cursor: string | undefined;
  do {
    const url = new URL('/xrpc/com.atproto.repo.listRecords', pdsUrl);
    url.searchParams.set('repo', did);
    url.searchParams.set('collection', 'app.bsky.feed.post');
    url.searchParams.set('limit', '100');
    if (cursor) url.searchParams.set('cursor', cursor);
    const res = await fetch(url);
    if (!res.ok) throw new Error(`listRecords answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { records: Array<{ uri: string; value: { text?: string } }>; cursor?: string };
    for (const r of body.records) out.push({ uri: r.uri, rkey: r.uri.split('/').at(-1)!, text: r.value.text ?? '' });
    cursor = body.records.length ? body.cursor : undefined;
  } while (cursor);
  return out;
}

/** A draft as the page keeps it in IndexedDB (`colonnade` database, `drafts` table). */
export interface StoredDraft {
  id: string;
  texts: string[];
  targets: string[];
  deleted: boolean;
}

/**
 * The page's drafts, read through IndexedDB directly (a second connection beside the app's
 * Dexie, no call to main). Answers [] before the app made its database.
 */
export async function storedDrafts(page: Page): Promise<StoredDraft[]> {
  return page.evaluate(async () => {
    if (!(await indexedDB.databases()).some((d) => d.name === 'colonnade')) return [];
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('colonnade');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
    });
    try {
      if (!db.objectStoreNames.contains('drafts')) return [];
      type Row = { id: string; content: { parts: Array<{ text: string }> }; targets: string[]; deletedAt?: number };
      const rows = await new Promise<Row[]>((resolve, reject) => {
        const req = db.transaction('drafts').objectStore('drafts').getAll();
        req.onsuccess = () => resolve(req.result as Row[]);
        req.onerror = () => reject(req.error ?? new Error('IndexedDB read failed'));
      });
      return rows.map((r) => ({
        id: r.id,
        texts: r.content.parts.map((p) => p.text),
        targets: r.targets,
        deleted: r.deletedAt !== undefined,
      }));
    } finally {
      db.close();
    }
  });
}

/** An instant's wall-clock date ("YYYY-MM-DD") and time ("HH:MM") in `zone`. */
export function wallClockIn(at: number, zone: string): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

/** The first whole minute at least `leadMs` after now (ms since the epoch). */
export function nextWholeMinute(leadMs: number, now = Date.now()): number {
  return Math.ceil((now + leadMs) / 60_000) * 60_000;
}
