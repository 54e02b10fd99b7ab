import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { EventChannel } from '../../../src/shared/ipc/channels';
import type { FeedDelivery } from '../../../src/shared/ipc/contract';
import { makeApi } from '../../../src/renderer/api';
import type { Bridge } from '../../../src/renderer/bridge';
import { columnEntries, openDatabase, storeColumnEntries } from '../../../src/renderer/db/database';
import { makeActions } from '../../../src/renderer/state/actions';
import { useAppStore } from '../../../src/renderer/state/store';
import { startSync } from '../../../src/renderer/state/sync';
import {
  initialsOf,
  pollShares,
  pollTurnout,
  segmentText,
  splitEmoji,
} from '../../../src/renderer/components/post-text';
import { sampleEntry, samplePost, sampleProfile } from './samples';

function fakeBridge(pending: FeedDelivery[], pendingAnswered: Promise<void> = Promise.resolve()) {
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
        case 'notices.list':
        case 'column.statuses':
        case 'outbox.list':
          return { ok: true, value: [] };
        case 'events.pending':
          await pendingAnswered;
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

const until = async (check: () => boolean | Promise<boolean>, tries = 100) => {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition never became true');
};

describe('syncing with main', () => {
  it('stores what was pending before a reload, then acknowledges it, and mirrors layout and settings', async () => {
    const db = openDatabase('sync-pending');
    const pending: FeedDelivery[] = [
      { seq: 4, columnId: 'home', entries: [sampleEntry(1, '2026-11-25T08:00:00.000Z')], metrics: [], older: '123' },
    ];
    const { bridge, acks } = fakeBridge(pending);
    const stop = startSync(bridge, makeApi(bridge), db);
    await until(() => acks.includes(4));
    expect(await columnEntries(db, 'home', 10)).toHaveLength(1);
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
    emit('feed.delivery', {
      seq: 1,
      columnId: 'tag',
      entries: [sampleEntry(1, '2026-11-25T08:00:00.000Z')],
      metrics: [],
    });
    emit('feed.delivery', {
      seq: 2,
      columnId: 'tag',
      entries: [sampleEntry(2, '2026-11-25T08:01:00.000Z')],
      metrics: [
        { postId: 'sandbox:test-1', metrics: { likes: 7, reposts: 1, replies: 0, quotes: 0, impressions: null } },
      ],
    });
    await until(() => acks.includes(2));
    expect(acks).toEqual([1, 2]);
    const shown = await columnEntries(db, 'tag', 10);
    expect(shown.map((e) => [e.key, e.post!.metrics.likes])).toEqual([
      ['sandbox:test-2', 2],
      ['sandbox:test-1', 7],
    ]);
    // A repeated delivery (after a reconnect) is not applied twice.
    emit('feed.delivery', { seq: 2, columnId: 'tag', entries: [], metrics: [] });
    await new Promise((r) => setTimeout(r, 30));
    expect(acks).toEqual([1, 2]);
    stop();
    db.close();
  });
});

describe('syncing with main: nothing skipped', () => {
  it('a live delivery that arrives before the pending list is stored after it, and nothing is acknowledged out of order', async () => {
    const db = openDatabase('sync-race');
    let answer!: () => void;
    const pendingAnswered = new Promise<void>((r) => (answer = r));
    const older: FeedDelivery = {
      seq: 48,
      columnId: 'tag',
      entries: [sampleEntry(42, '2026-11-25T08:00:00.000Z')],
      metrics: [],
    };
    const { bridge, acks, emit } = fakeBridge([older], pendingAnswered);
    const stop = startSync(bridge, makeApi(bridge), db);
    // After a reload: delivery 49 comes live before main has answered what is pending (48).
    emit('feed.delivery', {
      seq: 49,
      columnId: 'tag',
      entries: [sampleEntry(43, '2026-11-25T08:01:00.000Z')],
      metrics: [],
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(acks).toEqual([]); // 49 waits: acknowledging it would make main forget 48
    answer();
    await until(() => acks.includes(49));
    expect(acks).toEqual([48, 49]);
    expect((await columnEntries(db, 'tag', 10)).map((e) => e.key)).toEqual(['sandbox:test-43', 'sandbox:test-42']);
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
  it('is not acknowledged, nor any after it (main would forget them); they are stored at the resync that follows', async () => {
    const db = openDatabase('sync-failure');
    const pending: FeedDelivery[] = [];
    const { bridge, acks, emit } = fakeBridge(pending);
    const stop = startSync(bridge, makeApi(bridge), db);
    await until(() => useAppStore.getState().phase === 'ready');
    const broken = { ...sampleEntry(1, '2026-11-25T08:00:00.000Z'), key: undefined as unknown as string };
    const second: FeedDelivery = {
      seq: 2,
      columnId: 'c',
      entries: [sampleEntry(2, '2026-11-25T08:01:00.000Z')],
      metrics: [],
    };
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      emit('feed.delivery', { seq: 1, columnId: 'c', entries: [broken], metrics: [] });
      emit('feed.delivery', second);
      await new Promise((r) => setTimeout(r, 100));
      expect(acks).toEqual([]);
      // Main still holds both and answers them at the resync (here the first one readable again).
      pending.push(
        { seq: 1, columnId: 'c', entries: [sampleEntry(1, '2026-11-25T08:00:00.000Z')], metrics: [] },
        second,
      );
      await until(() => acks.includes(2), 400); // the resync comes 2 s after the failure
    } finally {
      console.error = original;
    }
    expect(acks).toEqual([1, 2]);
    expect(errors.length).toBe(1);
    expect((await columnEntries(db, 'c', 10)).map((e) => e.key)).toEqual(['sandbox:test-2', 'sandbox:test-1']);
    stop();
    db.close();
  });
});

describe('posts the network says are gone', () => {
  it('leave every column when a delivery lists them as removed', async () => {
    const db = openDatabase('sync-removed');
    const { bridge, acks, emit } = fakeBridge([]);
    const stop = startSync(bridge, makeApi(bridge), db);
    const gone = sampleEntry(1, '2026-11-25T08:00:00.000Z');
    await storeColumnEntries(db, 'home', [gone, sampleEntry(2, '2026-11-25T08:01:00.000Z')]);
    await storeColumnEntries(db, 'bob', [
      { key: 'sandbox:r-1', at: '2026-11-25T08:02:00.000Z', post: gone.post, repostedBy: sampleProfile('bob') },
    ]);
    emit('feed.delivery', {
      seq: 1,
      columnId: 'home',
      entries: [sampleEntry(3, '2026-11-25T08:03:00.000Z')],
      removed: [gone.post!.id],
      metrics: [],
    });
    await until(() => acks.includes(1));
    expect((await columnEntries(db, 'home', 10)).map((e) => e.key)).toEqual(['sandbox:test-3', 'sandbox:test-2']);
    expect(await columnEntries(db, 'bob', 10)).toEqual([]);
    stop();
    db.close();
  });

  it('leave every column when liking or reposting answers not-found; the error still reaches the column', async () => {
    const db = openDatabase('act-not-found');
    const answers: Record<string, { code: 'not-found'; message: string; reason?: string }> = {
      'sandbox:test-1': { code: 'not-found', message: 'That post is not in the Sandbox.', reason: 'deleted' },
      // As app-core answers for a profile it does not have: no reason about the post.
      'sandbox:test-2': { code: 'not-found', message: 'That profile is not connected.' },
    };
    const api = makeApi({
      invoke: async (channel, payload) => {
        const { postId } = payload as { postId: string };
        return channel === 'post.act' ? { ok: false, error: answers[postId]! } : { ok: true, value: {} };
      },
    });
    const actions = makeActions(api, db);
    const deleted = samplePost(1, '2026-11-25T08:00:00.000Z');
    const kept = samplePost(2, '2026-11-25T08:01:00.000Z');
    await storeColumnEntries(db, 'home', [sampleEntry(1, deleted.createdAt), sampleEntry(2, kept.createdAt)]);
    await storeColumnEntries(db, 'tag', [sampleEntry(1, deleted.createdAt)]);

    await expect(actions.act('sandbox:practice', deleted, 'like')).rejects.toMatchObject({
      error: { code: 'not-found' },
    });
    expect((await columnEntries(db, 'home', 10)).map((e) => e.key)).toEqual(['sandbox:test-2']);
    expect(await columnEntries(db, 'tag', 10)).toEqual([]);
    expect(await db.posts.get(deleted.id)).toBeUndefined();

    // "Not found" about the profile is not about the post: the post stays, its repost undone.
    await expect(actions.act('sandbox:gone', kept, 'repost')).rejects.toMatchObject({
      error: { message: 'That profile is not connected.' },
    });
    const [still] = await columnEntries(db, 'home', 10);
    expect(still!.post!.metrics.reposts).toBe(0);
    expect(still!.post!.viewer).toBeUndefined();
    db.close();
  });
});

describe('acting on a post the network says is gone', () => {
  const act = async (name: string, error: { code: 'not-found'; message: string; reason?: string }) => {
    const db = openDatabase(`act-gone-${name}`);
    const api = makeApi({
      invoke: async (channel) => (channel === 'post.act' ? { ok: false, error } : { ok: true, value: {} }),
    });
    const post = samplePost(1, '2026-11-25T08:00:00.000Z');
    await storeColumnEntries(db, 'home', [sampleEntry(1, post.createdAt)]);
    await expect(makeActions(api, db).act('sandbox:practice', post, 'like')).rejects.toMatchObject({ error });
    const left = (await columnEntries(db, 'home', 10)).map((e) => e.key);
    db.close();
    return left;
  };

  // Each reason an adapter's act() gives when the post itself is gone.
  it.each([
    ['deleted', 'X resource-not-found about the tweet, Bluesky, the Sandbox'],
    ['x-not-found', 'X resource-not-found on the call'],
    ['x-unavailable', 'X resource-unavailable: suspended or withheld'],
    ['x-deleted-or-hidden', 'X 403 deleted or not visible'],
    ['not-found', 'Mastodon 404 Record not found'],
    ['gone', 'Mastodon 410'],
  ])('takes the post out of its columns on reason %s (%s)', async (reason) => {
    expect(await act(reason, { code: 'not-found', message: 'Gone.', reason })).toEqual([]);
  });

  it.each([
    ['no reason', undefined],
    ['a list that does not exist', 'list-not-found'],
    ['an account that does not exist', 'profile-not-found'],
  ])('keeps the post on a not-found about something else (%s)', async (_, reason) => {
    const error = { code: 'not-found' as const, message: 'Not found.', ...(reason ? { reason } : {}) };
    expect(await act(`other-${reason ?? 'none'}`, error)).toEqual(['sandbox:test-1']);
  });
});

describe('post text, as the network shows it', () => {
  it('shows a link’s display text (X display_url) and keeps its target', () => {
    const text = 'Read https://t.co/abc123 now';
    expect(
      segmentText(text, [
        { kind: 'link', start: 5, end: 24, value: 'https://t.co/abc123', display: 'example.com/launch…' },
      ]),
    ).toEqual([
      { kind: 'text', text: 'Read ' },
      { kind: 'link', text: 'example.com/launch…', value: 'https://t.co/abc123' },
      { kind: 'text', text: ' now' },
    ]);
  });

  it('finds custom emoji the way Mastodon does, only those the post lists', () => {
    const blob = { shortcode: 'blobcat', url: 'https://files.example/blobcat.png' };
    const party = { shortcode: 'party_parrot', url: 'https://files.example/pp.gif' };
    expect(splitEmoji('Hi :blobcat: and :party_parrot:!', [blob, party])).toEqual(['Hi ', blob, ' and ', party, '!']);
    // Not listed, too short, or touching a letter, digit or colon: stays text.
    expect(splitEmoji(':unknown: :a: x:blobcat: :blobcat:x ::blobcat::', [blob])).toEqual([
      ':unknown: :a: x:blobcat: :blobcat:x ::blobcat::',
    ]);
    expect(splitEmoji(':blobcat::blobcat:', [blob])).toEqual([':blobcat::blobcat:']);
    expect(splitEmoji('שלום :blobcat:\n:blobcat:', [blob])).toEqual(['שלום ', blob, '\n', blob]);
    expect(splitEmoji('No emoji here', undefined)).toEqual(['No emoji here']);
  });

  it('draws every shortcode the post lists, whatever its characters (Pleroma, Akkoma, Misskey)', () => {
    const hiroi = { shortcode: 'hiroi-laugh', url: 'https://akkoma.example/emoji/hiroi-laugh.png' };
    const java = { shortcode: 'java-sick_blockhead', url: 'https://pleroma.example/java.png' };
    const plus = { shortcode: 'thumbs+1', url: 'https://misskey.example/t.png' };
    const dotted = { shortcode: 'blob.cat', url: 'https://misskey.example/b.png' };
    const accented = { shortcode: 'café', url: 'https://misskey.example/c.png' };
    expect(splitEmoji('that was great :hiroi-laugh:', [hiroi])).toEqual(['that was great ', hiroi]);
    expect(splitEmoji(':java-sick_blockhead: :thumbs+1: :blob.cat: :café:', [java, plus, dotted, accented])).toEqual([
      java,
      ' ',
      plus,
      ' ',
      dotted,
      ' ',
      accented,
    ]);
    // Characters that mean something in a pattern are matched as written, not as a pattern.
    expect(splitEmoji(':blobxcat: :thumbs1:', [dotted, plus])).toEqual([':blobxcat: :thumbs1:']);
    // The same boundaries as Mastodon's: not touching a letter, digit or colon.
    expect(splitEmoji('x:hiroi-laugh: :hiroi-laugh:x', [hiroi])).toEqual(['x:hiroi-laugh: :hiroi-laugh:x']);
    // A listed shortcode that contains another listed one: the longer wins.
    const hiroiOnly = { shortcode: 'hiroi', url: 'https://akkoma.example/hiroi.png' };
    expect(splitEmoji(':hiroi: :hiroi-laugh:', [hiroiOnly, hiroi])).toEqual([hiroiOnly, ' ', hiroi]);
  });

  it('computes poll shares as Mastodon’s web app does: of voters for multiple choice, of votes otherwise', () => {
    const single = {
      options: [
        { title: 'A', votes: 2 },
        { title: 'B', votes: 1 },
      ],
      voters: 3,
      multiple: false,
      endsAt: null,
      closed: false,
    };
    expect(pollShares(single).map((s) => [s.percent, s.leading])).toEqual([
      [67, true],
      [33, false],
    ]);
    const multiple = { ...single, voters: 2, multiple: true, ownVotes: [1] };
    expect(pollShares(multiple).map((s) => [s.percent, s.own])).toEqual([
      [100, false],
      [50, true],
    ]);
    expect(pollTurnout(multiple)).toEqual({ count: 2, unit: 'people' });
    expect(pollTurnout({ ...multiple, voters: null })).toEqual({ count: 3, unit: 'votes' });
    const hidden = { ...single, options: single.options.map((o) => ({ ...o, votes: null })) };
    expect(pollShares(hidden).map((s) => s.percent)).toEqual([null, null]);
  });

  it('makes initials for a missing avatar, from the name or else the handle', () => {
    expect(initialsOf('Gina Rossi', 'gina')).toBe('GR');
    expect(initialsOf('Élodie', 'elodie.tech')).toBe('É');
    expect(initialsOf('IF Power :ifpower:', 'ifpower')).toBe('IP');
    expect(initialsOf('', 'bikelane_bea')).toBe('BB');
    expect(initialsOf('Hiroi :hiroi-laugh:', 'hiroi', [{ shortcode: 'hiroi-laugh', url: 'x' }])).toBe('H');
    expect(initialsOf('נועה כהן', 'noa.rides')).toBe('נכ');
    // Punctuation is no initial.
    expect(initialsOf('Dora (dev)', 'dora')).toBe('DD');
    expect(initialsOf('— “Brand” —', 'brand')).toBe('B');
    expect(initialsOf('🚲 Ride', 'ride')).toBe('🚲R');
  });
});
