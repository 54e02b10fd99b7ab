// What a community manager sees of Mastodon statuses beyond text and pictures, against the
// emulated instance: her own posts never hidden or folded by her own filters, audio and remote
// media the server did not fetch, polls, emoji reactions from Pleroma-family servers, and likes
// grouped only within Mastodon's 12-hour window.
import { describe, expect, it } from 'vitest';
import {
  notificationEntriesV1,
  parseStatus,
  toEntry,
  type NormalizeContext,
} from '../../../../src/main/networks/mastodon/normalize';
import { TimelineEntrySchema, type Page, type TimelineEntry } from '../../../../src/shared/model';
import { setup } from './support';

const OWNER = 'colonnade_team';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const byNativeId = (page: Page<TimelineEntry>, id: string) => page.items.find((e) => e.post?.nativeId === id);

describe('Mastodon: the viewer’s own posts and her own filters', () => {
  // Mastodon's web app applies filters only to others' posts (app/javascript/mastodon/selectors/
  // index.js, makeGetStatus: `if ((accountReblog || accountBase).get('id') !== me && filters)`),
  // though the server lists her matching filters in `filtered` of her own statuses too.
  it('her own post matching her `hide` filter still shows in her home and in her own column', async () => {
    const { emulator, adapter } = await setup();
    emulator.addFilter({
      title: 'Competitor launches',
      context: ['home', 'account', 'public'],
      action: 'hide',
      keywords: ['launch'],
    });
    const mine = emulator.postAs(OWNER, 'Our spring launch is live today!');
    const theirs = emulator.postAs('alice', 'Their launch is live too');
    for (const column of [{ kind: 'home' as const }, { kind: 'user' as const, query: OWNER }]) {
      const page = await adapter.readTimeline({ ...column, direction: 'older', limit: 40 });
      expect(byNativeId(page, mine.id), column.kind).toBeDefined();
      expect(byNativeId(page, mine.id)?.post?.moderation, column.kind).toBeUndefined();
      expect(byNativeId(page, theirs.id), column.kind).toBeUndefined();
    }
  });

  it('her own post matching her `warn` filter is not folded; someone else’s is', async () => {
    const { emulator, adapter } = await setup();
    emulator.addFilter({ title: 'Competitor launches', context: ['home'], action: 'warn', keywords: ['launch'] });
    const mine = emulator.postAs(OWNER, 'Our spring launch is live today!');
    const theirs = emulator.postAs('alice', 'Their launch is live too');
    const page = await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 40 });
    expect(byNativeId(page, mine.id)?.post).toBeDefined();
    expect(byNativeId(page, mine.id)?.post?.moderation).toBeUndefined();
    expect(byNativeId(page, theirs.id)?.post?.moderation).toEqual([
      { scope: 'post', source: 'filter', text: 'Competitor launches' },
    ]);
  });

  it('a boost of her post is hers (not filtered); her boost of someone else’s post is filtered', async () => {
    const { emulator, adapter } = await setup();
    emulator.addFilter({ title: 'Launch talk', context: ['home'], action: 'warn', keywords: ['launch'] });
    const mine = emulator.postWith(OWNER, 'Our launch recap', { at: Date.now() - HOUR });
    const theirs = emulator.postWith('bob', 'Bob’s launch notes', { at: Date.now() - HOUR });
    emulator.boostAs('alice', mine.id);
    emulator.boostAs(OWNER, theirs.id);
    const page = await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 2 });
    const boosted = (id: string) => page.items.find((e) => e.repostedBy && e.post?.nativeId === id);
    expect(boosted(mine.id)).toBeDefined();
    expect(boosted(mine.id)?.post?.moderation).toBeUndefined();
    expect(boosted(theirs.id)?.post?.moderation).toEqual([{ scope: 'post', source: 'filter', text: 'Launch talk' }]);
  });

  it('likes of her own post that matches her `hide` filter still reach her notifications (v1 and grouped)', async () => {
    for (const apiVersion of [1, 7]) {
      const { emulator, adapter } = await setup({ apiVersion });
      emulator.addFilter({ title: 'Launches', context: ['notifications'], action: 'hide', keywords: ['launch'] });
      const mine = emulator.postWith(OWNER, 'Our launch is live', { at: Date.now() - 10 * 60_000 });
      emulator.favouriteAs('alice', mine.id);
      const page = await adapter.readTimeline({ kind: 'notifications', direction: 'older', limit: 5 });
      const like = page.items.find((e) => e.notification?.kind === 'like' && e.post?.nativeId === mine.id);
      expect(like, `api ${apiVersion}`).toBeDefined();
      expect(like?.post?.moderation, `api ${apiVersion}`).toBeUndefined();
    }
  });

  it('her post just published comes back unfolded although it matches her filter', async () => {
    const { emulator, adapter } = await setup();
    emulator.addFilter({ title: 'Launches', context: ['home'], action: 'warn', keywords: ['launch'] });
    const post = await adapter.publish({ text: 'The launch is today', idempotencyKey: 'own-launch' });
    expect(post.text).toBe('The launch is today');
    expect(post.moderation).toBeUndefined();
  });

  it('a quote of her post shows it, even where her `hide` filter matches it', async () => {
    const { emulator, adapter } = await setup();
    emulator.addFilter({ title: 'Launches', context: ['home'], action: 'hide', keywords: ['launch'] });
    const mine = emulator.postWith(OWNER, 'Our launch recap', { at: Date.now() - HOUR });
    const quoting = emulator.postWith('alice', 'Worth reading', { quoteOf: mine.id });
    const post = byNativeId(await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 }), quoting.id);
    expect(post?.post?.quote?.nativeId).toBe(mine.id);
    expect(post?.post?.quoteUnavailable).toBeUndefined();
  });

  describe('which `filtered` counts for a boost (makeGetStatus: `statusReblog?.filtered || statusBase.filtered`)', () => {
    const ctx: NormalizeContext = { domain: 'social.example', filterContext: 'home', now: Date.now(), viewerId: '100' };
    const account = (id: string) => ({ id, username: `u${id}`, acct: `u${id}`, displayName: '', emojis: [] });
    const warn = (title: string) => ({
      filter: { id: title, title, context: ['home'], filterAction: 'warn', expiresAt: null },
    });
    const boost = (inner: Record<string, unknown>, outer: Record<string, unknown>) =>
      parseStatus(
        {
          id: '2',
          createdAt: new Date().toISOString(),
          content: '',
          account: account('100'),
          reblog: {
            id: '1',
            createdAt: new Date().toISOString(),
            content: '<p>x</p>',
            account: account('7'),
            ...inner,
          },
          ...outer,
        },
        'social.example',
      );

    it('the boosted status’s own list when it has one, even an empty one', () => {
      const folded = toEntry(boost({ filtered: [warn('Inner')] }, { filtered: [warn('Outer')] }), ctx);
      expect(folded?.post?.moderation).toEqual([{ scope: 'post', source: 'filter', text: 'Inner' }]);
      const clear = toEntry(boost({ filtered: [] }, { filtered: [warn('Outer')] }), ctx);
      expect(clear?.post?.moderation).toBeUndefined();
    });

    it('the boost’s list when the boosted status has none', () => {
      const entry = toEntry(boost({}, { filtered: [warn('Outer')] }), ctx);
      expect(entry?.post?.moderation).toEqual([{ scope: 'post', source: 'filter', text: 'Outer' }]);
    });
  });
});

describe('Mastodon: attachments that are not images or videos', () => {
  // MediaAttachment `type` is image | gifv | video | audio | unknown (docs.joinmastodon.org
  // entities/MediaAttachment); podcasts (Castopod) and Funkwhale federate audio-only posts, and
  // `unknown` is remote media the server did not fetch, reachable only at `remote_url`.
  it('a podcast episode keeps its audio, with its description as alt text', async () => {
    const { emulator, adapter } = await setup();
    const s = emulator.postWith('alice', 'Episode 12 is out', {
      attachments: [{ type: 'audio', description: 'Episode 12: moderation at scale', duration: 1834.2 }],
    });
    const post = byNativeId(await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 }), s.id)?.post;
    expect(post?.media).toEqual([
      expect.objectContaining({
        kind: 'audio',
        alt: 'Episode 12: moderation at scale',
        url: expect.stringMatching(/\/audio\.mp3$/),
        width: 16,
        height: 9,
      }),
    ]);
  });

  it('remote media the server did not fetch is a link to where it is, even in a post with no text', async () => {
    const { emulator, adapter } = await setup();
    const s = emulator.postWith('alice', '', {
      attachments: [{ type: 'unknown', remoteUrl: 'https://remote.example/media/big-video.webm' }],
    });
    const post = byNativeId(await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 }), s.id)?.post;
    expect(post?.text).toBe('');
    expect(post?.media).toEqual([
      expect.objectContaining({ kind: 'file', alt: '', url: 'https://remote.example/media/big-video.webm' }),
    ]);
  });

  it('sensitive audio is hidden until asked, as images are', async () => {
    const { emulator, adapter } = await setup();
    const s = emulator.postWith('alice', 'Raw interview', { sensitive: true, attachments: [{ type: 'audio' }] });
    const post = byNativeId(await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 }), s.id)?.post;
    expect(post?.media.map((m) => m.kind)).toEqual(['audio']);
    expect(post?.moderation).toEqual([{ scope: 'media', source: 'sensitive', text: 'Sensitive media' }]);
  });
});

describe('Mastodon: polls', () => {
  it('a poll post shows its options with their votes, who voted, and when it closes', async () => {
    const { emulator, adapter } = await setup();
    const ends = Date.now() + 2 * DAY;
    const s = emulator.postWith('alice', 'Which feature should we ship next?', {
      poll: { options: ['Dark mode', 'Scheduled threads'], tallies: [6, 4], expiresAt: ends },
    });
    const entry = byNativeId(await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 }), s.id)!;
    TimelineEntrySchema.parse(entry);
    expect(entry.post?.text).toBe('Which feature should we ship next?');
    expect(entry.post?.poll).toEqual({
      options: [
        { title: 'Dark mode', votes: 6 },
        { title: 'Scheduled threads', votes: 4 },
      ],
      voters: 10,
      multiple: false,
      endsAt: new Date(ends).toISOString(),
      closed: false,
      ownVotes: [],
    });
  });

  it('hidden totals stay hidden until the poll closes, then show', async () => {
    const { emulator, adapter } = await setup();
    const open = emulator.postWith('alice', 'Secret ballot', {
      poll: { options: ['Yes', 'No'], tallies: [3, 9], hideTotals: true, expiresAt: Date.now() + DAY },
    });
    const closed = emulator.postWith('alice', 'Secret ballot, closed', {
      poll: { options: ['Yes', 'No'], tallies: [3, 9], hideTotals: true, expiresAt: Date.now() - HOUR },
    });
    const page = await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 });
    expect(byNativeId(page, open.id)?.post?.poll).toMatchObject({
      options: [
        { title: 'Yes', votes: null },
        { title: 'No', votes: null },
      ],
      voters: 12,
      closed: false,
    });
    expect(byNativeId(page, closed.id)?.post?.poll).toMatchObject({
      options: [
        { title: 'Yes', votes: 3 },
        { title: 'No', votes: 9 },
      ],
      closed: true,
    });
  });

  it('multiple choice: voters apart from votes; the viewer’s own choices; no end', async () => {
    const { emulator, adapter } = await setup();
    const s = emulator.postWith('alice', 'What do you use?', {
      poll: {
        options: ['Lists', 'Filters', 'Scheduler'],
        tallies: [6, 5, 3],
        voters: 8,
        multiple: true,
        expiresAt: null,
        votes: { [OWNER]: [0, 2] },
      },
    });
    const poll = byNativeId(await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 }), s.id)?.post
      ?.poll;
    expect(poll).toMatchObject({ voters: 8, multiple: true, endsAt: null, closed: false, ownVotes: [0, 2] });
  });

  it('an old single-choice poll without voters_count counts its votes as its voters; multiple choice says unknown', async () => {
    const { emulator, adapter } = await setup();
    const single = emulator.postWith('alice', 'Old poll', {
      poll: { options: ['A', 'B'], tallies: [2, 5], voters: null },
    });
    const multi = emulator.postWith('alice', 'Old multi', {
      poll: { options: ['A', 'B'], tallies: [2, 5], voters: null, multiple: true },
    });
    const page = await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 });
    expect(byNativeId(page, single.id)?.post?.poll?.voters).toBe(7);
    expect(byNativeId(page, multi.id)?.post?.poll?.voters).toBeNull();
  });

  it('custom emoji in options join the post’s emoji', async () => {
    const { emulator, adapter } = await setup();
    const s = emulator.postWith('alice', 'Pick one', {
      poll: { options: ['Columns :colonnade:', 'Waves :blobwave:'] },
    });
    const post = byNativeId(await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 }), s.id)?.post;
    expect(post?.poll?.options.map((o) => o.title)).toEqual(['Columns :colonnade:', 'Waves :blobwave:']);
    expect(post?.emojis?.map((e) => e.shortcode).sort()).toEqual(['blobwave', 'colonnade']);
  });

  it('a poll past its end is closed even when `expired` lags; one it cannot read leaves the post without it', async () => {
    const { emulator, adapter } = await setup();
    const late = emulator.postWith('alice', 'Late', { poll: { options: ['A', 'B'], expiresAt: Date.now() + DAY } });
    const broken = emulator.postWith('alice', 'Broken', { poll: { options: ['A', 'B'] } });
    emulator.corruptNext('/api/v1/timelines/home', (body) => {
      for (const s of body as Array<Record<string, unknown>>) {
        const poll = s['poll'] as Record<string, unknown> | null;
        if (s['id'] === late.id && poll) poll['expires_at'] = new Date(Date.now() - 60_000).toISOString();
        if (s['id'] === broken.id && poll) poll['options'] = 'A or B';
      }
    });
    const page = await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 });
    expect(byNativeId(page, late.id)?.post?.poll?.closed).toBe(true);
    expect(byNativeId(page, broken.id)?.post?.text).toBe('Broken');
    expect(byNativeId(page, broken.id)?.post?.poll).toBeUndefined();
    expect(page.skipped).toBeUndefined();
  });
});

describe('Mastodon-API servers’ emoji reactions (Pleroma, Akkoma, Misskey forks, Fedibird)', () => {
  /** The owner's post, then `reactions` put in place of the newest v1 notifications. */
  async function reactions(list: Array<Record<string, unknown>>) {
    const s = await setup({ apiVersion: 1 });
    const mine = s.emulator.postWith(OWNER, 'Our new frame colours', { at: Date.now() - HOUR });
    // Favourites to become reactions: same shape (account, status), then the servers' fields.
    for (let i = 0; i < list.length; i++) s.emulator.favouriteAs(['alice', 'bob', 'chloe', 'dmitri'][i]!, mine.id);
    s.emulator.corruptNext('/api/v1/notifications', (body) => {
      const items = body as Array<Record<string, unknown>>;
      // Newest first: the last favourite given is the first item.
      list.forEach((extra, i) => Object.assign(items[list.length - 1 - i]!, extra));
    });
    const page = await s.adapter.readTimeline({ kind: 'notifications', direction: 'older', limit: 10 });
    for (const e of page.items) TimelineEntrySchema.parse(e);
    return { ...s, page, mine };
  }

  it('Pleroma `pleroma:emoji_reaction`: “Bob and Alice reacted 🎉”, grouped by post and emoji', async () => {
    const { page, mine } = await reactions([
      { type: 'pleroma:emoji_reaction', emoji: '🎉', emoji_url: null },
      { type: 'pleroma:emoji_reaction', emoji: '🎉', emoji_url: null },
      { type: 'pleroma:emoji_reaction', emoji: '👀', emoji_url: null },
    ]);
    const party = page.items.find((e) => e.notification?.reaction === '🎉');
    expect(party).toMatchObject({
      key: expect.stringMatching(new RegExp(`^pleroma:emoji_reaction-${mine.id}-🎉-\\d+$`)),
      post: { nativeId: mine.id },
      notification: { kind: 'other', type: 'pleroma:emoji_reaction', count: 2, reaction: '🎉' },
    });
    expect(party?.notification?.actors.map((a) => a.handle.split('@')[0])).toEqual(['bob', 'alice']);
    expect(page.items.find((e) => e.notification?.reaction === '👀')?.notification?.count).toBe(1);
  });

  it('a custom emoji reaction: `:shortcode:` with its image, from Pleroma, Firefish-family and Fedibird servers', async () => {
    const { page } = await reactions([
      { type: 'pleroma:emoji_reaction', emoji: ':blobcat:', emoji_url: 'https://akkoma.example/emoji/blobcat.png' },
      { type: 'reaction', reaction: { name: 'hiroi-laugh@.', url: 'https://misskey.example/emoji/hiroi-laugh.webp' } },
      { type: 'emoji_reaction', emoji_reaction: { name: 'ablobattention', url: 'https://fedibird.example/a.png' } },
    ]);
    const seen = page.items.filter((e) => e.notification?.reaction).map((e) => e.notification);
    expect(seen).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reaction: ':blobcat:', reactionUrl: 'https://akkoma.example/emoji/blobcat.png' }),
        expect.objectContaining({
          reaction: ':hiroi-laugh:',
          reactionUrl: 'https://misskey.example/emoji/hiroi-laugh.webp',
        }),
        expect.objectContaining({ reaction: ':ablobattention:', reactionUrl: 'https://fedibird.example/a.png' }),
      ]),
    );
  });

  it('a reaction without its post is left out, logged and counted', async () => {
    const { page, log } = await reactions([{ type: 'pleroma:emoji_reaction', emoji: '🎉', status: null }]);
    expect(page.skipped).toBe(1);
    expect(page.items.some((e) => e.notification?.reaction)).toBe(false);
    expect(log.lines.some((l) => l.level === 'warn' && l.fields?.what === 'notifications')).toBe(true);
  });
});

describe('Mastodon before 4.3: likes grouped only within Mastodon’s 12-hour window', () => {
  // Notification::Groups#set_group_key!: `favourite-<status>-<hour bucket>`, the bucket of the
  // group's first notification reused while the new one is less than 12 hours after it.
  it('a like from months ago and one from today are two entries; likes within 12 hours are one', async () => {
    const { emulator, adapter } = await setup({ apiVersion: 1 });
    const now = Date.now();
    const mine = emulator.postWith(OWNER, 'Evergreen guide', { at: now - 120 * DAY });
    emulator.favouriteAs('alice', mine.id, now - 90 * DAY);
    emulator.favouriteAs('bob', mine.id, now - 3 * HOUR);
    emulator.favouriteAs('chloe', mine.id, now - HOUR);
    const page = await adapter.readTimeline({ kind: 'notifications', direction: 'older', limit: 20 });
    const likes = page.items.filter((e) => e.notification?.kind === 'like' && e.post?.nativeId === mine.id);
    expect(likes.map((e) => e.notification?.actors.map((a) => a.handle.split('@')[0]))).toEqual([
      ['chloe', 'bob'],
      ['alice'],
    ]);
    expect(likes.map((e) => e.key)).toEqual([
      `favourite-${mine.id}-${Math.floor((now - 3 * HOUR) / HOUR)}`,
      `favourite-${mine.id}-${Math.floor((now - 90 * DAY) / HOUR)}`,
    ]);
  });

  it('a like 12 hours or more after a group began starts a new one, as Mastodon’s does', () => {
    const ctx: NormalizeContext = { domain: 'social.example', now: Date.now() };
    const start = Date.UTC(2026, 10, 20, 8, 30);
    const account = (id: string) => ({ id, username: `u${id}`, acct: `u${id}`, displayName: '' });
    const status = { id: '50', createdAt: new Date(start).toISOString(), content: '<p>x</p>', account: account('1') };
    const like = (id: string, at: number) => ({
      id,
      type: 'favourite',
      createdAt: new Date(at).toISOString(),
      account: account(id),
      status,
    });
    const read = notificationEntriesV1(
      [like('4', start + 13 * HOUR), like('3', start + 11.4 * HOUR), like('2', start + HOUR), like('1', start)],
      ctx,
      '1',
    );
    expect(read.items.map((e) => [e.key, e.notification?.count])).toEqual([
      [`favourite-50-${Math.floor((start + 13 * HOUR) / HOUR)}`, 1],
      [`favourite-50-${Math.floor(start / HOUR)}`, 3],
    ]);
  });

  it('a like polled later joins the group it belongs to (same key: the column merges them)', async () => {
    const { emulator, adapter } = await setup({ apiVersion: 1 });
    const now = Date.now();
    const mine = emulator.postWith(OWNER, 'Fresh news', { at: now - 5 * HOUR });
    emulator.favouriteAs('alice', mine.id, now - 4 * HOUR);
    const first = await adapter.readTimeline({ kind: 'notifications', direction: 'older', limit: 5 });
    const group = first.items.find((e) => e.post?.nativeId === mine.id)!;
    emulator.favouriteAs('bob', mine.id, now - 60_000);
    const newer = await adapter.readTimeline({
      kind: 'notifications',
      direction: 'newer',
      cursor: first.newer!,
      limit: 5,
    });
    expect(newer.items.map((e) => [e.key, e.notification?.actors.map((a) => a.handle.split('@')[0])])).toEqual([
      [group.key, ['bob']],
    ]);
  });

  it('Mastodon 4.3+ v1 notifications carry their own group_key: Colonnade uses it', async () => {
    const { emulator, adapter } = await setup({ apiVersion: 2 });
    const mine = emulator.postWith(OWNER, 'Keyed by the server', { at: Date.now() - HOUR });
    emulator.favouriteAs('alice', mine.id, Date.now() - 30 * 60_000);
    emulator.favouriteAs('bob', mine.id);
    // A proxy that does not pass /api/v2/notifications: v1 from then on, with the server's keys.
    emulator.failNext({ status: 404, pathIncludes: '/api/v2/notifications', error: 'Record not found' });
    let keys: string[] = [];
    emulator.corruptNext('/api/v1/notifications', (body) => {
      keys = (body as Array<{ group_key: string }>).map((n) => n.group_key);
      (body as Array<{ group_key: string }>)[1]!.group_key = 'favourite-from-the-server';
      (body as Array<{ group_key: string }>)[0]!.group_key = 'favourite-from-the-server';
    });
    const page = await adapter.readTimeline({ kind: 'notifications', direction: 'older', limit: 5 });
    expect(keys.slice(0, 2)).toEqual([expect.stringMatching(/^favourite-/), expect.stringMatching(/^favourite-/)]);
    expect(page.items[0]).toMatchObject({ key: 'favourite-from-the-server', notification: { count: 2 } });
  });
});
