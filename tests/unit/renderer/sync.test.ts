import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { EventChannel } from '../../../src/shared/ipc/channels';
import type { FeedDelivery } from '../../../src/shared/ipc/contract';
import { makeApi } from '../../../src/renderer/api';
import type { Bridge } from '../../../src/renderer/bridge';
import { columnPosts, openDatabase } from '../../../src/renderer/db/database';
import { useAppStore } from '../../../src/renderer/state/store';
import { startSync } from '../../../src/renderer/state/sync';
import { segmentText } from '../../../src/renderer/components/post-text';
import { samplePost } from './samples';

function fakeBridge(pending: FeedDelivery[]) {
  const handlers = new Map<string, (p: unknown) => void>();
  const acks: number[] = [];
  const layout = { decks: [{ id: 'd', name: 'Sandbox', columns: [] }], activeDeckId: 'd' };
  const bridge: Bridge = {
    invoke: async (channel, payload) => {
      switch (channel) {
        case 'layout.get':
          return { ok: true, value: layout };
        case 'settings.get':
          return { ok: true, value: { language: 'fr' } };
        case 'accounts.list':
        case 'usage.get':
          return { ok: true, value: [] };
        case 'events.pending':
          return { ok: true, value: pending };
        case 'events.ack':
          acks.push((payload as { upTo: number }).upTo);
          return { ok: true, value: {} };
        default:
          return { ok: false, error: { code: 'bad-request', message: 'unexpected' } };
      }
    },
    on: (channel: EventChannel, handler) => {
      handlers.set(channel, handler);
      return () => handlers.delete(channel);
    },
    onConnection: () => undefined,
  };
  return { bridge, acks, emit: (channel: EventChannel, payload: unknown) => handlers.get(channel)?.(payload) };
}

const until = async (check: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition never became true');
};

describe('syncing with main', () => {
  it('stores what was pending before a reload, then acknowledges it, and mirrors layout and settings', async () => {
    const db = openDatabase('sync-pending');
    const pending: FeedDelivery[] = [
      { seq: 4, columnId: 'home', posts: [samplePost(1, '2026-11-25T08:00:00.000Z')], metrics: [], older: '123' },
    ];
    const { bridge, acks } = fakeBridge(pending);
    const stop = startSync(bridge, makeApi(bridge), db);
    await until(() => acks.includes(4));
    expect(await columnPosts(db, 'home', 10)).toHaveLength(1);
    expect(await db.columnCursors.get('home')).toEqual({ columnId: 'home', older: '123', reachedEnd: false });
    expect(useAppStore.getState().settings.language).toBe('fr');
    expect(useAppStore.getState().phase).toBe('ready');
    stop();
    db.close();
  });

  it('acknowledges a live delivery only after its posts are in Dexie, in order', async () => {
    const db = openDatabase('sync-live');
    const { bridge, acks, emit } = fakeBridge([]);
    const stop = startSync(bridge, makeApi(bridge), db);
    emit('feed.delivery', { seq: 1, columnId: 'tag', posts: [samplePost(1, '2026-11-25T08:00:00.000Z')], metrics: [] });
    emit('feed.delivery', {
      seq: 2,
      columnId: 'tag',
      posts: [samplePost(2, '2026-11-25T08:01:00.000Z')],
      metrics: [
        { postId: 'sandbox:test-1', metrics: { likes: 7, reposts: 1, replies: 0, quotes: 0, impressions: null } },
      ],
    });
    await until(() => acks.includes(2));
    expect(acks).toEqual([1, 2]);
    const posts = await columnPosts(db, 'tag', 10);
    expect(posts.map((p) => [p.id, p.metrics.likes])).toEqual([
      ['sandbox:test-2', 2],
      ['sandbox:test-1', 7],
    ]);
    // A repeated delivery (after a reconnect) is not applied twice.
    emit('feed.delivery', { seq: 2, columnId: 'tag', posts: [], metrics: [] });
    await new Promise((r) => setTimeout(r, 30));
    expect(acks).toEqual([1, 2]);
    stop();
    db.close();
  });
});

describe('post text', () => {
  it('splits text into runs and entities, ignoring broken or overlapping ranges', () => {
    const text = 'Hi @ada see https://x.example #Tag';
    expect(
      segmentText(text, [
        { kind: 'mention', start: 3, end: 7, value: 'ada' },
        { kind: 'link', start: 12, end: 29, value: 'https://x.example' },
        { kind: 'hashtag', start: 30, end: 34, value: 'Tag' },
        { kind: 'hashtag', start: 31, end: 33, value: 'overlap' },
        { kind: 'link', start: 30, end: 99, value: 'beyond the end' },
      ]),
    ).toEqual([
      { kind: 'text', text: 'Hi ' },
      { kind: 'mention', text: '@ada', value: 'ada' },
      { kind: 'text', text: ' see ' },
      { kind: 'link', text: 'https://x.example', value: 'https://x.example' },
      { kind: 'text', text: ' ' },
      { kind: 'hashtag', text: '#Tag', value: 'Tag' },
    ]);
  });
});

describe('a delivery that cannot be stored', () => {
  it('is not acknowledged (main keeps it), and does not hold back the ones after it', async () => {
    const db = openDatabase('sync-failure');
    const { bridge, acks, emit } = fakeBridge([]);
    const stop = startSync(bridge, makeApi(bridge), db);
    const broken = { ...samplePost(1, '2026-11-25T08:00:00.000Z'), id: undefined as unknown as string };
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      emit('feed.delivery', { seq: 1, columnId: 'c', posts: [broken], metrics: [] });
      emit('feed.delivery', { seq: 2, columnId: 'c', posts: [samplePost(2, '2026-11-25T08:01:00.000Z')], metrics: [] });
      await until(() => acks.includes(2));
    } finally {
      console.error = original;
    }
    expect(acks).toEqual([2]);
    expect(errors.length).toBe(1);
    expect((await columnPosts(db, 'c', 10)).map((p) => p.id)).toEqual(['sandbox:test-2']);
    stop();
    db.close();
  });
});
