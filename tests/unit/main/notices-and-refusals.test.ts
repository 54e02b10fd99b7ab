// What the core tells the user: a data file it had to reset (notices), a post too long for its
// network (refused before sending), a malformed request (a reason the UI translates).
import { describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/app-core';
import { badRequestOf } from '../../../src/main/core/ipc-router';
import type { Notice } from '../../../src/shared/ipc/contract';
import { DeckNameSchema } from '../../../src/shared/model';
import { memoryPorts } from '../../doubles/ports';
import { postNow, sentPost } from '../../support/post-now';

async function call<T = unknown>(core: Core, channel: string, payload: unknown = {}): Promise<T> {
  const result = await core.dispatch(channel, payload);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

describe('a data file reset at start is a notice until dismissed', () => {
  it('names each damaged file, why, and where its old copy was kept', async () => {
    const ports = memoryPorts();
    ports.documents.files.set('settings', '{"schemaVersion": 1, "data": {');
    ports.documents.files.set('layout', JSON.stringify({ schemaVersion: 99, data: {} }));
    ports.documents.files.set('accounts', JSON.stringify({ schemaVersion: 1, data: { nonsense: true } }));
    const core = await createCore(ports);
    const notices = await call<Notice[]>(core, 'notices.list');
    expect(notices.map((n) => [n.document, n.why, n.keptAs])).toEqual(
      expect.arrayContaining([
        ['settings', 'damaged', expect.stringMatching(/^settings\.json\.\d\.bad$/)],
        ['layout', 'newer', expect.stringMatching(/^layout\.json\.\d\.bad$/)],
        ['accounts', 'unreadable', expect.stringMatching(/^accounts\.json\.\d\.bad$/)],
      ]),
    );
    expect(notices).toHaveLength(3);
    for (const n of notices) expect(n).toMatchObject({ kind: 'document-reset', at: '2026-11-25T08:00:00.000Z' });
    // The old copies are kept, and the app runs on defaults.
    const kept = notices.find((n) => n.document === 'settings')!.keptAs;
    expect(ports.documents.aside.get(kept)).toBe('{"schemaVersion": 1, "data": {');
    expect((await call<{ decks: unknown[] }>(core, 'layout.get')).decks).toHaveLength(1);
    core.stop();
  });

  it('forgets a dismissed notice and tells every window', async () => {
    const ports = memoryPorts();
    ports.documents.files.set('settings', 'garbage');
    const core = await createCore(ports);
    const events: unknown[] = [];
    core.subscribe((channel, payload) => channel === 'notices.changed' && events.push(payload));
    const [notice] = await call<Notice[]>(core, 'notices.list');
    expect(await call(core, 'notices.dismiss', { id: notice!.id })).toEqual([]);
    expect(await call(core, 'notices.list')).toEqual([]);
    expect(events).toEqual([[]]);
    // Dismissing what is gone changes nothing.
    expect(await call(core, 'notices.dismiss', { id: notice!.id })).toEqual([]);
    core.stop();
  });

  it('has nothing to say on a clean start, or on a second start after a reset', async () => {
    const ports = memoryPorts();
    expect(await call(await createCore(ports), 'notices.list')).toEqual([]);
    ports.documents.files.set('layout', '{');
    const first = await createCore(ports);
    expect(await call<Notice[]>(first, 'notices.list')).toHaveLength(1);
    first.stop();
    const second = await createCore(ports);
    expect(await call(second, 'notices.list')).toEqual([]);
    second.stop();
  });
});

describe('publishing refuses a post too long for its network, before sending it', () => {
  it('refuses 501 graphemes on the Sandbox (500) with reason too-long, and accepts exactly 500', async () => {
    const ports = memoryPorts();
    const core = await createCore(ports);
    const profileId = 'sandbox:practice';
    expect(await postNow(core, { profileId, text: '🏳️‍🌈'.repeat(501) }, ports.clock)).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message: 'The post is too long: 501 / 500 characters.',
        field: 'content.parts.0',
        reason: 'too-long',
        params: { max: '500', unit: 'characters', length: '501', profileId },
      },
    });
    // Refused before anything was made or sent.
    expect(await call(core, 'outbox.list')).toEqual([]);
    const posted = await sentPost(core, await postNow(core, { profileId, text: '🏳️‍🌈'.repeat(500) }, ports.clock));
    expect(posted.text).toBe('🏳️‍🌈'.repeat(500));
    core.stop();
  });
});

describe('a malformed request is refused with a reason the UI translates', () => {
  it('turns a schema’s own message into its reason key, with English words for the log', async () => {
    const core = await createCore(memoryPorts());
    expect(await core.dispatch('deck.create', { name: '   ' })).toEqual({
      ok: false,
      error: {
        code: 'bad-request',
        message: 'A deck needs a name.',
        reason: 'deck-name-empty',
        params: { field: 'name', minimum: '1' },
        field: 'name',
      },
    });
    expect(await core.dispatch('deck.create', { name: 'x'.repeat(61) })).toMatchObject({
      error: {
        reason: 'deck-name-too-long',
        params: { maximum: '60' },
        message: 'Deck names are at most 60 characters.',
      },
    });
    core.stop();
  });

  it('derives a reason and its numbers from zod’s own issues', async () => {
    const core = await createCore(memoryPorts());
    const deckId = (await call<{ decks: Array<{ id: string; columns: Array<{ id: string }> }> }>(core, 'layout.get'))
      .decks[0]!;
    const columnId = deckId.columns[0]!.id;
    expect(await core.dispatch('column.resize', { deckId: deckId.id, columnId, width: 5 })).toMatchObject({
      error: { reason: 'number-too-small', params: { field: 'width', minimum: expect.stringMatching(/^\d+$/) } },
    });
    expect(await core.dispatch('column.move', { deckId: deckId.id, columnId, toIndex: 99 })).toMatchObject({
      error: {
        reason: 'number-too-large',
        params: { field: 'toIndex', maximum: '49' },
        message: '“Position” must be at most 49.',
      },
    });
    expect(await core.dispatch('deck.rename', { name: 'B' })).toMatchObject({
      error: { reason: 'field-missing', params: { field: 'deckId' }, field: 'deckId' },
    });
    expect(await core.dispatch('deck.delete', { deckId: 'd', extra: 1 })).toMatchObject({
      error: { reason: 'unknown-field', params: { field: 'request', keys: 'extra' } },
    });
    expect(await core.dispatch('deck.delete', { deckId: 7 })).toMatchObject({
      error: { reason: 'field-wrong-type', params: { field: 'deckId' } },
    });
    expect(await core.dispatch('shell.exec', {})).toMatchObject({
      error: { code: 'bad-request', reason: 'unknown-request' },
    });
    core.stop();
  });

  it('reads a custom message as a key only when it is one (zod’s own words are not keys)', () => {
    const issue = DeckNameSchema.safeParse('').error!.issues[0];
    expect(badRequestOf(issue)).toMatchObject({ reason: 'deck-name-empty' });
    expect(badRequestOf(undefined)).toEqual({
      code: 'bad-request',
      message: 'The request is not valid.',
      reason: 'request-invalid',
    });
  });
});
