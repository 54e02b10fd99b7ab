import { describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/app-core';
import { isPostGone } from '../../../src/shared/errors';
import type { EventChannel } from '../../../src/shared/ipc/channels';
import type { FeedDelivery } from '../../../src/shared/ipc/contract';
import type { Layout } from '../../../src/shared/model';
import { memoryPorts } from '../../doubles/ports';
import { postNow, sentPost } from '../../support/post-now';

async function call<T = unknown>(core: Core, channel: string, payload: unknown = {}): Promise<T> {
  const result = await core.dispatch(channel, payload);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

function recordEvents(core: Core) {
  const events: Array<{ channel: EventChannel; payload: unknown }> = [];
  core.subscribe((channel, payload) => events.push({ channel, payload }));
  return events;
}

describe('the core', () => {
  it('opens on first launch with a Sandbox deck: Home and #IFPower', async () => {
    const core = await createCore(memoryPorts());
    const layout = await call<Layout>(core, 'layout.get');
    expect(layout.decks).toHaveLength(1);
    expect(layout.decks[0]!.columns.map((c) => [c.kind, c.query])).toEqual([
      ['home', undefined],
      ['hashtag', 'IFPower'],
    ]);
    const accounts = await call<Array<{ practice: boolean; network: string }>>(core, 'accounts.list');
    expect(accounts).toEqual([expect.objectContaining({ network: 'sandbox', practice: true })]);
    core.stop();
  });

  it('creates, renames, switches and deletes decks, but never the last one', async () => {
    const core = await createCore(memoryPorts());
    const first = (await call<Layout>(core, 'layout.get')).decks[0]!;
    const created = await call<Layout>(core, 'deck.create', { name: '  Brand B  ' });
    const second = created.decks[1]!;
    expect(second.name).toBe('Brand B');
    expect(created.activeDeckId).toBe(second.id);
    await call(core, 'deck.rename', { deckId: second.id, name: 'Brand C' });
    expect((await call<Layout>(core, 'deck.activate', { deckId: first.id })).activeDeckId).toBe(first.id);
    const afterDelete = await call<Layout>(core, 'deck.delete', { deckId: second.id });
    expect(afterDelete.decks.map((d) => d.name)).toEqual(['Sandbox']);
    const refused = await core.dispatch('deck.delete', { deckId: first.id });
    expect(refused).toEqual({ ok: false, error: { code: 'bad-request', message: 'The last deck cannot be deleted.' } });
    core.stop();
  });

  it('adds, moves, resizes and removes columns, refusing what does not fit', async () => {
    const core = await createCore(memoryPorts());
    const deck = (await call<Layout>(core, 'layout.get')).decks[0]!;
    const profileId = deck.columns[0]!.profileId;
    const added = await call<Layout>(core, 'column.add', {
      deckId: deck.id,
      spec: { kind: 'search', profileId, query: 'battery' },
    });
    const search = added.decks[0]!.columns[2]!;
    expect(search.query).toBe('battery');
    const moved = await call<Layout>(core, 'column.move', { deckId: deck.id, columnId: search.id, toIndex: 0 });
    expect(moved.decks[0]!.columns.map((c) => c.kind)).toEqual(['search', 'home', 'hashtag']);
    const resized = await call<Layout>(core, 'column.resize', { deckId: deck.id, columnId: search.id, width: 420 });
    expect(resized.decks[0]!.columns[0]!.width).toBe(420);

    const tooWide = await core.dispatch('column.resize', { deckId: deck.id, columnId: search.id, width: 5000 });
    expect(tooWide).toMatchObject({ ok: false, error: { code: 'bad-request', field: 'width' } });
    const noTag = await core.dispatch('column.add', {
      deckId: deck.id,
      spec: { kind: 'hashtag', profileId, query: '' },
    });
    expect(noTag).toMatchObject({ ok: false, error: { code: 'bad-request', field: 'spec.query' } });
    const stranger = await core.dispatch('column.add', { deckId: deck.id, spec: { kind: 'home', profileId: 'x:1' } });
    expect(stranger).toMatchObject({ ok: false, error: { code: 'not-found', field: 'spec.profileId' } });

    const removed = await call<Layout>(core, 'column.remove', { deckId: deck.id, columnId: search.id });
    expect(removed.decks[0]!.columns).toHaveLength(2);
    core.stop();
  });

  it('answers malformed requests with an error result, never a crash', async () => {
    const core = await createCore(memoryPorts());
    for (const [channel, payload] of [
      ['deck.create', { name: 42 }],
      ['deck.create', null],
      ['deck.create', 'hello'],
      ['column.move', { deckId: 'a', columnId: 'b', toIndex: -1 }],
      ['no.such.channel', {}],
      [{ toString: () => 'layout.get' }, {}],
    ] as const) {
      const result = await core.dispatch(channel, payload);
      expect(result.ok).toBe(false);
      expect(result.ok ? null : result.error.code).toBe('bad-request');
    }
    core.stop();
  });

  it('keeps the layout and settings across a restart', async () => {
    const ports = memoryPorts();
    const core = await createCore(ports);
    const created = await call<Layout>(core, 'deck.create', { name: 'Launch week' });
    await call(core, 'settings.update', { language: 'fr' });
    core.stop();
    const again = await createCore(ports);
    expect(await call<Layout>(again, 'layout.get')).toEqual(created);
    expect(await call(again, 'settings.get')).toEqual({ language: 'fr' });
    again.stop();
  });

  it('starts with defaults from a damaged layout file, keeping the file aside with a clear log line', async () => {
    const ports = memoryPorts();
    ports.documents.files.set('layout', '{ this is not json');
    const core = await createCore(ports);
    expect((await call<Layout>(core, 'layout.get')).decks[0]!.name).toBe('Sandbox');
    expect(ports.documents.aside.size).toBe(1);
    expect(ports.log.text()).toContain('layout: the file is damaged (not valid JSON). The old file was kept as');
    core.stop();
  });

  it('delivers live posts with a sequence number and keeps them until acknowledged', async () => {
    const ports = memoryPorts();
    const core = await createCore(ports);
    await ports.clock.advance(1);
    // Delivered before any renderer listened: kept for the first one that asks.
    const first = await call<FeedDelivery[]>(core, 'events.pending');
    expect(first).toHaveLength(2); // the first page of each default column
    expect(first[0]!.entries.length).toBeGreaterThan(0);
    expect(first[0]!.older).toEqual(expect.any(String));
    const events = recordEvents(core);
    // The posts on screen get fresh counts (posts off screen are not re-read for counts).
    const onScreen = first[0]!.entries.flatMap((e) => (e.post ? [e.post.id] : [])).slice(0, 5);
    await call(core, 'column.visible', { columnId: first[0]!.columnId, postIds: onScreen, shown: true });
    await ports.clock.advance(180_000);
    const live = events.filter((e) => e.channel === 'feed.delivery').map((e) => e.payload as FeedDelivery);
    expect(live.length).toBeGreaterThan(0);
    const all = [...first, ...live];
    expect(all.map((d) => d.seq)).toEqual(all.map((_, i) => i + 1));
    const counted = live.flatMap((d) => d.metrics.map((m) => m.postId));
    expect(counted.length).toBeGreaterThan(0);
    // Only posts on screen, and the CM's own posts (the practice profile's).
    const practiceId = (await call<Array<{ id: string }>>(core, 'accounts.list'))[0]!.id;
    const authors = new Map(
      [...first, ...live].flatMap((d) => d.entries.flatMap((e) => (e.post ? [[e.post.id, e.post.author.id]] : []))),
    );
    expect(counted.filter((id) => !onScreen.includes(id) && authors.get(id) !== practiceId)).toEqual([]);
    expect(counted.some((id) => onScreen.includes(id))).toBe(true);
    expect(events.some((e) => e.channel === 'column.status' && (e.payload as { state: string }).state === 'live')).toBe(
      true,
    );

    expect(await call<FeedDelivery[]>(core, 'events.pending')).toHaveLength(all.length);
    await call(core, 'events.ack', { upTo: all[all.length - 2]!.seq });
    expect((await call<FeedDelivery[]>(core, 'events.pending')).map((d) => d.seq)).toEqual([all.at(-1)!.seq]);
    core.stop();
    expect(ports.clock.pending()).toBe(0);
  });

  it('keeps the columns of a deck that is not shown live, and stops polling removed columns', async () => {
    const ports = memoryPorts();
    const core = await createCore(ports);
    const events = recordEvents(core);
    await ports.clock.advance(1);
    const firstDeck = (await call<Layout>(core, 'layout.get')).decks[0]!;
    await call(core, 'deck.create', { name: 'Empty' }); // now the active deck
    events.length = 0;
    await ports.clock.advance(30 * 60_000);
    const polled = new Set(
      events
        .filter((e) => e.channel === 'column.status' && (e.payload as { state: string }).state === 'live')
        .map((e) => (e.payload as { columnId: string }).columnId),
    );
    expect(polled).toEqual(new Set(firstDeck.columns.map((c) => c.id)));
    for (const c of firstDeck.columns) await call(core, 'column.remove', { deckId: firstDeck.id, columnId: c.id });
    events.length = 0;
    await ports.clock.advance(30 * 60_000);
    expect(events.filter((e) => e.channel === 'column.status')).toEqual([]);
    core.stop();
  });

  it('pages a column backwards on request', async () => {
    const ports = memoryPorts();
    const core = await createCore(ports);
    const column = (await call<Layout>(core, 'layout.get')).decks[0]!.columns[1]!;
    const page = await call<{ items: Array<{ key: string }>; older: string }>(core, 'column.fetch', {
      columnId: column.id,
      direction: 'older',
      cursor: null,
    });
    const older = await call<{ items: Array<{ key: string }> }>(core, 'column.fetch', {
      columnId: column.id,
      direction: 'older',
      cursor: page.older,
    });
    expect(page.items).toHaveLength(40);
    expect(older.items).toHaveLength(40);
    expect(older.items.some((p) => page.items.some((q) => q.key === p.key))).toBe(false);
    expect(await core.dispatch('column.fetch', { columnId: 'gone', direction: 'older', cursor: null })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    core.stop();
  });

  it('tells a post that is gone from a profile that is not connected, when acting on a post', async () => {
    const core = await createCore(memoryPorts());
    const gone = await core.dispatch('post.act', {
      profileId: 'sandbox:practice',
      postId: 'sandbox:nope',
      action: 'like',
    });
    expect(gone).toMatchObject({ ok: false, error: { code: 'not-found', reason: 'deleted' } });
    expect(!gone.ok && isPostGone(gone.error)).toBe(true);
    const away = await core.dispatch('post.act', { profileId: 'sandbox:gone', postId: 'sandbox:nope', action: 'like' });
    expect(away).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(!away.ok && isPostGone(away.error)).toBe(false);
    core.stop();
  });

  it('publishes as a profile through the outbox once per post, and refuses an empty post with its reason', async () => {
    const ports = memoryPorts();
    const core = await createCore(ports);
    const request = { profileId: 'sandbox:practice', text: 'Hello #IFPower', id: 'job-00000001' };
    const first = await sentPost(core, await postNow(core, request, ports.clock));
    // The same post submitted again (its answer lost on the way): the post made the first time.
    const retry = await sentPost(core, await postNow(core, request, ports.clock));
    expect(first.text).toBe('Hello #IFPower');
    expect(retry.id).toBe(first.id);
    expect(await call<unknown[]>(core, 'outbox.list')).toHaveLength(1);
    // Nothing to post: refused before anything is made, with the reason the UI says in words.
    expect(await postNow(core, { ...request, id: 'job-00000002', text: '   ' }, ports.clock)).toMatchObject({
      ok: false,
      error: { code: 'invalid', field: 'content.parts.0', reason: 'post-empty' },
    });
    expect(await call<unknown[]>(core, 'outbox.list')).toHaveLength(1);
    const accounts = await call<Array<{ textRules: { maxLength: number } }>>(core, 'accounts.list');
    expect(accounts[0]!.textRules.maxLength).toBe(500);
    core.stop();
  });
});
