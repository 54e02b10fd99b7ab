import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RESTORABLE_MS } from '../../../../src/renderer/drafts/draft';
import { DraftStore } from '../../../../src/renderer/drafts/draft-store';
import type { PostContent } from '../../../../src/shared/outbox';
import { manualClock, openDb } from './db';

const text = (t: string): PostContent => ({ parts: [{ text: t, media: [] }] });
const textOf = (c: PostContent | undefined) => c?.parts.map((p) => p.text).join(' / ');

describe('DraftStore', () => {
  it('has a save in the database when its promise resolves (read through another connection)', async () => {
    const db = openDb();
    const store = new DraftStore(db);
    const draft = await store.create();
    expect(draft.content).toEqual(text(''));
    expect(draft.when).toEqual({ kind: 'now' });
    await store.save(draft.id, {
      content: text('Rendez-vous à 9 h'),
      targets: ['mastodon:1'],
      when: { kind: 'at', local: '2027-03-29T09:00', zone: 'Europe/Paris' },
    });
    const other = openDb(db.name);
    const stored = await other.drafts.get(draft.id);
    expect(textOf(stored?.content)).toBe('Rendez-vous à 9 h');
    expect(stored?.targets).toEqual(['mastodon:1']);
    expect(stored?.when).toEqual({ kind: 'at', local: '2027-03-29T09:00', zone: 'Europe/Paris' });
    // A patch replaces only what it names.
    await store.save(draft.id, { targets: [] });
    expect(textOf((await store.get(draft.id))?.content)).toBe('Rendez-vous à 9 h');
  });

  it('refuses a save to a draft that does not exist, or content a post cannot have', async () => {
    const store = new DraftStore(openDb());
    await expect(store.save('nope', { content: text('x') })).rejects.toMatchObject({
      code: 'not-found',
      reason: 'draft-not-found',
    });
    const draft = await store.create();
    await expect(store.save(draft.id, { content: { parts: [] } })).rejects.toMatchObject({
      code: 'bad-request',
      reason: 'draft-invalid',
      params: { field: 'content.parts' },
    });
    expect(textOf((await store.get(draft.id))?.content)).toBe('');
  });

  it('keeps one version per pause in typing (or per 100 saves), at most 20, and goes back to one', async () => {
    const clock = manualClock();
    const store = new DraftStore(openDb(), { now: clock.now });
    const { id } = await store.create();
    // A burst of typing, a save every 100 ms: one version that follows the draft.
    for (const t of ['B', 'Bo', 'Bon', 'Bonjour']) {
      clock.advance(100);
      await store.save(id, { content: text(t) });
    }
    expect((await store.versions(id)).map((v) => [textOf(v.content), v.saves])).toEqual([['Bonjour', 4]]);
    // A pause of more than 5 s, then more typing: a second version.
    clock.advance(6_000);
    await store.save(id, { content: text('Bonjour à') });
    clock.advance(100);
    await store.save(id, { content: text('Bonjour à tous') });
    expect((await store.versions(id)).map((v) => textOf(v.content))).toEqual(['Bonjour à tous', 'Bonjour']);
    // 150 saves without a pause: a new version after 100 of them.
    for (let i = 0; i < 150; i++) {
      clock.advance(100);
      await store.save(id, { content: text(`long ${i}`) });
    }
    expect((await store.versions(id)).map((v) => [textOf(v.content), v.saves])).toEqual([
      ['long 149', 52],
      ['long 97', 100],
      ['Bonjour', 4],
    ]);
    // 30 more pauses: the 20 newest versions are kept.
    for (let i = 0; i < 30; i++) {
      clock.advance(10_000);
      await store.save(id, { content: text(`pause ${i}`) });
    }
    const versions = await store.versions(id);
    expect(versions).toHaveLength(20);
    expect(textOf(versions[0]!.content)).toBe('pause 29');
    expect(textOf(versions[19]!.content)).toBe('pause 10');
    // Going back to a version: the draft takes it, and what it was stays in the history.
    clock.advance(1_000);
    const back = await store.restoreVersion(id, versions[5]!.id);
    expect(textOf(back.content)).toBe('pause 24');
    expect(textOf((await store.get(id))?.content)).toBe('pause 24');
    expect((await store.versions(id)).slice(0, 2).map((v) => textOf(v.content))).toEqual(['pause 24', 'pause 29']);
    // Another draft's version is not this draft's.
    const other = await store.create({ content: text('autre') });
    const [otherVersion] = await store.versions(other.id);
    await expect(store.restoreVersion(id, otherVersion!.id)).rejects.toMatchObject({
      reason: 'draft-version-not-found',
    });
  });

  it('lists newest first and searches every part and variant, case and accents aside', async () => {
    const clock = manualClock();
    const store = new DraftStore(openDb(), { now: clock.now });
    const summer = await store.create({ content: text('Les soldes d’Été commencent') });
    clock.advance(1_000);
    const thread = await store.create({
      content: {
        parts: [
          { text: 'Menu du jour', media: [] },
          { text: 'Dessert : CRÈME brûlée', media: [] },
        ],
      },
    });
    clock.advance(1_000);
    const variant = await store.create({
      content: { parts: [{ text: 'Our new shop', media: [] }], variants: { x: [{ text: 'Chef-d’œuvre', media: [] }] } },
    });
    clock.advance(1_000);
    await store.save(summer.id, { targets: ['x:1'] });

    expect((await store.list()).map((d) => d.id)).toEqual([summer.id, variant.id, thread.id]);
    expect((await store.list({ limit: 2 })).map((d) => d.id)).toEqual([summer.id, variant.id]);
    expect((await store.list({ search: 'ete' })).map((d) => d.id)).toEqual([summer.id]);
    expect((await store.list({ search: 'ÉTÉ' })).map((d) => d.id)).toEqual([summer.id]);
    expect((await store.list({ search: 'creme brulee' })).map((d) => d.id)).toEqual([thread.id]);
    expect((await store.list({ search: 'oeuvre' })).map((d) => d.id)).toEqual([variant.id]);
    expect((await store.list({ search: 'menu brûlée' })).map((d) => d.id)).toEqual([thread.id]);
    expect(await store.list({ search: 'menu shop' })).toEqual([]);
    expect((await store.list({ search: '  ' })).length).toBe(3);
  });

  it('deletes to the trash, restores within 30 days, and purges after', async () => {
    const clock = manualClock();
    const store = new DraftStore(openDb(), { now: clock.now });
    const kept = await store.create({ content: text('Gardé') });
    const binned = await store.create({ content: text('À la corbeille') });
    await store.delete(binned.id);
    expect((await store.list()).map((d) => d.id)).toEqual([kept.id]);
    expect((await store.list({ deleted: true })).map((d) => d.id)).toEqual([binned.id]);
    expect((await store.get(binned.id))?.deletedAt).toBe(clock.t);

    clock.advance(29 * 24 * 3_600_000);
    const back = await store.restore(binned.id);
    expect(back.deletedAt).toBeUndefined();
    expect((await store.list()).map((d) => d.id).sort()).toEqual([kept.id, binned.id].sort());
    expect(textOf((await store.get(binned.id))?.content)).toBe('À la corbeille');

    await store.delete(binned.id);
    clock.advance(RESTORABLE_MS + 1);
    expect(await store.list({ deleted: true })).toEqual([]);
    await expect(store.restore(binned.id)).rejects.toMatchObject({ code: 'not-found', reason: 'draft-expired' });
    expect(await store.purgeExpired()).toEqual({ drafts: 1, media: 0 });
    expect(await store.get(binned.id)).toBeUndefined();
    expect(await store.versions(binned.id)).toEqual([]);
    expect((await store.versions(kept.id)).length).toBe(1);
  });

  it('keeps a draft’s image bytes: the draft and its image survive closing and reopening the database', async () => {
    const db = openDb();
    const store = new DraftStore(db);
    const bytes = new Uint8Array(4096).map((_, i) => (i * 31) % 256);
    const ref = await store.putMedia(new Blob([bytes], { type: 'image/png' }), { alt: 'Une terrasse', name: 'a.png' });
    expect(ref).toEqual({
      id: createHash('sha256').update(bytes).digest('hex'),
      mimeType: 'image/png',
      bytes: 4096,
      alt: 'Une terrasse',
      name: 'a.png',
    });
    const draft = await store.create();
    await store.save(draft.id, { content: { parts: [{ text: 'Photo', media: [ref] }] } });
    db.close();

    const again = new DraftStore(openDb(db.name));
    const stored = await again.get(draft.id);
    expect(stored?.content.parts[0]?.media).toEqual([ref]);
    const blob = await again.media(ref.id);
    expect(blob?.type).toBe('image/png');
    expect(new Uint8Array(await blob!.arrayBuffer())).toEqual(bytes);
    // The same bytes kept twice are one copy.
    await again.putMedia(new Blob([bytes], { type: 'image/png' }));
    expect(await openDb(db.name).draftMedia.count()).toBe(1);
  });

  it('purges media no draft refers to, a day after they were kept', async () => {
    const clock = manualClock();
    const store = new DraftStore(openDb(), { now: clock.now });
    const used = await store.putMedia(new Blob(['used'], { type: 'image/gif' }));
    const dropped = await store.putMedia(new Blob(['dropped'], { type: 'image/gif' }));
    const fresh = await store.putMedia(new Blob(['fresh'], { type: 'image/gif' }));
    const draft = await store.create({ content: { parts: [{ text: 'x', media: [used] }] } });
    clock.advance(25 * 3_600_000);
    await store.putMedia(new Blob(['fresh'], { type: 'image/gif' }));
    expect(await store.purgeExpired()).toEqual({ drafts: 0, media: 1 });
    expect(await store.media(dropped.id)).toBeUndefined();
    expect(await store.media(used.id)).toBeDefined();
    expect(await store.media(fresh.id)).toBeDefined();
    // Media in an older version stays too (the CM may go back to it).
    clock.advance(10_000);
    await store.save(draft.id, { content: text('sans image') });
    clock.advance(2 * 24 * 3_600_000);
    expect(await store.purgeExpired()).toEqual({ drafts: 0, media: 1 });
    expect(await store.media(used.id)).toBeDefined();
    await expect(store.putMedia(new Blob([]))).rejects.toMatchObject({ reason: 'media-empty' });
  });
});
