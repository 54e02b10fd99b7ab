import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { createAutosaver, type PageEvents } from '../../../../src/renderer/drafts/autosaver';
import type { Draft, DraftPatch } from '../../../../src/renderer/drafts/draft';
import { DraftStore } from '../../../../src/renderer/drafts/draft-store';
import type { AppError } from '../../../../src/shared/errors';
import type { PostContent } from '../../../../src/shared/outbox';
import { openDb } from './db';

const text = (t: string): PostContent => ({ parts: [{ text: t, media: [] }] });
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/** A page whose hiding the test dispatches. */
function fakePage() {
  const document = Object.assign(new EventTarget(), { visibilityState: 'visible' as DocumentVisibilityState });
  return { window: new EventTarget(), document } satisfies PageEvents;
}

/** What a second connection reads: only committed data. */
async function storedText(name: string, id: string): Promise<string | undefined> {
  return (await openDb(name).drafts.get(id))?.content.parts[0]?.text;
}

describe('the autosaver', () => {
  it('coalesces 50 quick keystrokes and has the last text durable, without a flush and after one', async () => {
    const db = openDb();
    const store = new DraftStore(db);
    const { id } = await store.create();
    const saved: Draft[] = [];
    const autosaver = createAutosaver(store, id, { delayMs: 100, page: null, onSaved: (d) => saved.push(d) });
    const words = 'Bonjour à toutes et à tous, rendez-vous demain !';
    let typed = '';
    for (let i = 0; i < 50; i++) {
      typed = `${words} ${i}`.slice(0, 10 + i);
      autosaver.change({ content: text(typed) });
      if (i % 5 === 0) await tick();
    }
    // No flush: the autosaver's own timer makes it durable.
    await vi.waitFor(async () => expect(await storedText(db.name, id)).toBe(typed), { timeout: 5_000 });
    expect(saved.length).toBeLessThan(50);
    expect(saved.at(-1)?.content.parts[0]?.text).toBe(typed);
    // More typing, then a flush: durable when it resolves.
    autosaver.change({ content: text(`${typed} — fin`) });
    await autosaver.flush();
    expect(autosaver.unsaved).toBe(false);
    expect(await storedText(db.name, id)).toBe(`${typed} — fin`);
    await autosaver.dispose();
  });

  it('saves at once when the page is hidden or closed, however long its delay', async () => {
    const db = openDb();
    const store = new DraftStore(db);
    const { id } = await store.create();
    const page = fakePage();
    const autosaver = createAutosaver(store, id, { delayMs: 60_000, page });
    autosaver.change({ content: text('avant de fermer') });
    page.window.dispatchEvent(new Event('pagehide'));
    await vi.waitFor(async () => expect(await storedText(db.name, id)).toBe('avant de fermer'), { timeout: 5_000 });

    autosaver.change({ content: text('onglet caché') });
    page.document.dispatchEvent(new Event('visibilitychange')); // still visible: nothing
    page.document.visibilityState = 'hidden';
    page.document.dispatchEvent(new Event('visibilitychange'));
    await vi.waitFor(async () => expect(await storedText(db.name, id)).toBe('onglet caché'), { timeout: 5_000 });
    await autosaver.dispose();
  });

  it('keeps a change whose save failed on a closed database, says so, and saves it once the database is back', async () => {
    const db = openDb();
    const store = new DraftStore(db);
    const { id } = await store.create();
    const errors: AppError[] = [];
    const autosaver = createAutosaver(store, id, {
      delayMs: 5,
      retryMaxMs: 20,
      page: null,
      onError: (e) => errors.push(e),
    });
    db.close();
    autosaver.change({ content: text('écrit pendant la panne') });
    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), { timeout: 5_000 });
    expect(errors[0]).toMatchObject({ code: 'internal', reason: 'draft-save-failed' });
    expect(autosaver.unsaved).toBe(true);
    autosaver.change({ targets: ['bluesky:did:plc:abc'] });
    await db.open();
    await vi.waitFor(async () => expect(await storedText(db.name, id)).toBe('écrit pendant la panne'), {
      timeout: 5_000,
    });
    await autosaver.flush();
    const stored = await store.get(id);
    expect(stored?.targets).toEqual(['bluesky:did:plc:abc']);
    expect(autosaver.unsaved).toBe(false);
  });

  it('reports a full disk as such, rejects the flush, and keeps every field changed until a save succeeds', async () => {
    const calls: DraftPatch[] = [];
    let full = true;
    const store = {
      save: async (_id: string, patch: DraftPatch): Promise<Draft> => {
        calls.push(patch);
        if (full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return {
          id: 'd',
          content: patch.content ?? text(''),
          targets: [],
          when: { kind: 'now' },
          createdAt: 0,
          updatedAt: 0,
        };
      },
    };
    const errors: AppError[] = [];
    const autosaver = createAutosaver(store, 'd', { delayMs: 60_000, page: null, onError: (e) => errors.push(e) });
    autosaver.change({ targets: ['x:1'] });
    await expect(autosaver.flush()).rejects.toMatchObject({ code: 'internal', reason: 'draft-storage-full' });
    expect(errors).toEqual([expect.objectContaining({ code: 'internal', reason: 'draft-storage-full' })]);
    full = false;
    autosaver.change({ content: text('après le ménage') });
    await autosaver.flush();
    expect(calls.at(-1)).toEqual({ targets: ['x:1'], content: text('après le ménage') });
    expect(autosaver.unsaved).toBe(false);
  });
});
