// Mastodon entities (as masto hands them over, camelCase) → entries and posts: boosts, content
// warnings, the viewer's filters, sensitive media, custom emoji, quotes, notifications, and items
// that cannot be read.
import { describe, expect, it } from 'vitest';
import {
  notificationEntriesV1,
  notificationEntriesV2,
  parseStatus,
  QUOTE_STATE_TEXT,
  statusEntries,
  toEntry,
  toPost,
  type NormalizeContext,
} from '../../../../src/main/networks/mastodon/normalize';
import { TimelineEntrySchema } from '../../../../src/shared/model';

const NOW = Date.parse('2026-11-25T12:00:00.000Z');
const home: NormalizeContext = { domain: 'social.example', filterContext: 'home', now: NOW };

const account = (id: string, username: string, extra: Record<string, unknown> = {}) => ({
  id,
  username,
  acct: username,
  displayName: username,
  avatar: null,
  url: null,
  ...extra,
});

const image = (id: string) => ({
  id,
  type: 'image',
  url: `https://files.social.example/${id}.png`,
  description: `picture ${id}`,
  meta: { original: { width: 800, height: 600 } },
});

const status = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  createdAt: '2026-11-22T08:00:00.000Z',
  content: `<p>Status ${id}</p>`,
  account: account('1', 'ada'),
  ...extra,
});

const filter = (title: string, filterAction: string, context = ['home', 'notifications', 'public', 'account']) => ({
  filter: { id: title, title, context, filterAction, expiresAt: null },
  keywordMatches: ['x'],
});

describe('Mastodon boosts as entries', () => {
  const original = status('10', {
    spoilerText: 'TV spoilers',
    content: '<p>Spoilers for the finale</p>',
    favouritesCount: 3,
    favourited: true,
    reblogged: false,
  });
  const boost = {
    ...status('11', { createdAt: '2026-11-25T11:59:00.000Z', content: '', account: account('2', 'bea') }),
    favourited: false,
    reblogged: true,
    reblog: original,
  };

  it('orders a boost by the boost’s time, keys it by the boost’s id, and names the booster on the entry only', () => {
    const entry = toEntry(parseStatus(boost, 'social.example'), home);
    expect(entry).toMatchObject({
      key: 'mastodon:social.example/11',
      at: '2026-11-25T11:59:00.000Z',
      repostedBy: { handle: 'bea@social.example', id: 'mastodon:social.example/2' },
      post: {
        id: 'mastodon:social.example/10',
        createdAt: '2026-11-22T08:00:00.000Z',
        text: 'Spoilers for the finale',
        contentWarning: 'TV spoilers',
        author: { handle: 'ada@social.example' },
        metrics: { likes: 3 },
      },
    });
    expect(entry!.post).not.toHaveProperty('repostedBy');
    TimelineEntrySchema.parse(entry);
  });

  it('takes the viewer’s like and boost from the boosted status, not the boost wrapper', () => {
    expect(toEntry(parseStatus(boost, 'social.example'), home)?.post?.viewer).toEqual({ liked: true, reposted: false });
  });

  it('shows the same status in its author’s own column without any “reposted by”', () => {
    const entry = toEntry(parseStatus(original, 'social.example'), { ...home, filterContext: 'account' });
    expect(entry).toEqual(
      expect.objectContaining({ key: 'mastodon:social.example/10', at: '2026-11-22T08:00:00.000Z' }),
    );
    expect(entry).not.toHaveProperty('repostedBy');
  });
});

describe('Mastodon moderation: filters and sensitive media', () => {
  it('leaves a status a `hide` filter catches out of the page, without counting it as unreadable', () => {
    const read = statusEntries(
      [status('1'), status('2', { filtered: [filter('Spoilers', 'hide')] }), status('3')],
      home,
    );
    expect(read.items.map((e) => e.post?.nativeId)).toEqual(['1', '3']);
    expect(read.unreadable).toEqual([]);
  });

  it('folds a status behind each `warn` filter’s title, one moderation per filter', () => {
    const entry = toEntry(
      parseStatus(status('1', { filtered: [filter('Politics', 'warn'), filter('Elections', 'warn')] }), 'x'),
      home,
    );
    expect(entry?.post?.moderation).toEqual([
      { scope: 'post', source: 'filter', text: 'Politics' },
      { scope: 'post', source: 'filter', text: 'Elections' },
    ]);
  });

  it('applies a filter only in its contexts, and not after it expired', () => {
    const onlyHome = filter('Sport', 'hide', ['home']);
    const raw = [status('1', { filtered: [onlyHome] })];
    expect(statusEntries(raw, home).items).toHaveLength(0);
    expect(statusEntries(raw, { ...home, filterContext: 'account' }).items).toHaveLength(1);
    const expired = {
      filter: { ...filter('Old', 'warn').filter, expiresAt: '2026-11-25T11:00:00.000Z' },
    };
    expect(toPost(parseStatus(status('2', { filtered: [expired] }), 'x'), home).moderation).toBeUndefined();
  });

  it('hides the media of a status a `blur` filter catches (Mastodon 4.4+), and ignores it without media', () => {
    const withMedia = status('1', { mediaAttachments: [image('m1')], filtered: [filter('Gore', 'blur')] });
    expect(toPost(parseStatus(withMedia, 'x'), home).moderation).toEqual([
      { scope: 'media', source: 'filter', text: 'Gore' },
    ]);
    const textOnly = status('2', { filtered: [filter('Gore', 'blur')] });
    expect(toPost(parseStatus(textOnly, 'x'), home).moderation).toBeUndefined();
  });

  it('hides sensitive media until asked, even without a content warning', () => {
    const post = toPost(parseStatus(status('1', { sensitive: true, mediaAttachments: [image('m1')] }), 'x'), home);
    expect(post.contentWarning).toBeUndefined();
    expect(post.moderation).toEqual([{ scope: 'media', source: 'sensitive', text: 'Sensitive media' }]);
    // Sensitive with nothing to hide: no media moderation.
    expect(toPost(parseStatus(status('2', { sensitive: true }), 'x'), home).moderation).toBeUndefined();
  });

  it('applies the boosted status’s filters to a boost', () => {
    const boosted = status('10', { filtered: [filter('Spoilers', 'hide')] });
    const boost = { ...status('11', { content: '', account: account('2', 'bea') }), reblog: boosted };
    expect(statusEntries([boost], home).items).toEqual([]);
    const warned = { ...boost, reblog: status('10', { filtered: [filter('Spoilers', 'warn')] }) };
    expect(statusEntries([warned], home).items[0]?.post?.moderation).toEqual([
      { scope: 'post', source: 'filter', text: 'Spoilers' },
    ]);
  });
});

describe('Mastodon custom emoji', () => {
  const emoji = (shortcode: string) => ({
    shortcode,
    url: `https://files.social.example/emoji/${shortcode}.gif`,
    staticUrl: `https://files.social.example/emoji/${shortcode}.png`,
    visibleInPicker: true,
  });

  it('keeps :shortcode: in the text and lists the status’s and the author’s emoji with their image', () => {
    const post = toPost(
      parseStatus(
        status('1', {
          content: '<p>Launch day :rocket: :blobcat:</p>',
          spoilerText: ':blobcat: inside',
          emojis: [emoji('rocket'), emoji('blobcat')],
          account: account('1', 'ada', { displayName: 'Ada :verified:', emojis: [emoji('verified')] }),
        }),
        'x',
      ),
      home,
    );
    expect(post.text).toBe('Launch day :rocket: :blobcat:');
    expect(post.contentWarning).toBe(':blobcat: inside');
    // Each with its still image (`static_url`), for who prefers reduced motion.
    expect(post.emojis).toEqual([
      {
        shortcode: 'rocket',
        url: 'https://files.social.example/emoji/rocket.gif',
        staticUrl: 'https://files.social.example/emoji/rocket.png',
      },
      {
        shortcode: 'blobcat',
        url: 'https://files.social.example/emoji/blobcat.gif',
        staticUrl: 'https://files.social.example/emoji/blobcat.png',
      },
    ]);
    expect(post.author).toMatchObject({
      displayName: 'Ada :verified:',
      emojis: [
        {
          shortcode: 'verified',
          url: 'https://files.social.example/emoji/verified.gif',
          staticUrl: 'https://files.social.example/emoji/verified.png',
        },
      ],
    });
  });

  it('keeps no second address when the still image is the image itself, or is missing', () => {
    const still = { shortcode: 'still', url: 'https://files.social.example/emoji/still.png' };
    const post = toPost(
      parseStatus(
        status('1', {
          content: '<p>:still: :old:</p>',
          emojis: [
            { ...still, staticUrl: still.url, visibleInPicker: true },
            { shortcode: 'old', url: 'https://files.social.example/emoji/old.gif' }, // a server without static_url
          ],
        }),
        'x',
      ),
      home,
    );
    expect(post.emojis).toEqual([still, { shortcode: 'old', url: 'https://files.social.example/emoji/old.gif' }]);
  });

  it('drops one malformed emoji and keeps the post and the other emoji', () => {
    const post = toPost(parseStatus(status('1', { emojis: [{ shortcode: '' }, emoji('ok'), 'nonsense'] }), 'x'), home);
    expect(post.emojis?.map((e) => e.shortcode)).toEqual(['ok']);
  });
});

describe('Mastodon quotes (4.4+)', () => {
  const quoted = status('5', { content: '<p>The original</p>', account: account('3', 'cyd') });

  it('shows an accepted quote with the quoted post inside, and hides the RE: fallback', () => {
    const post = toPost(
      parseStatus(
        status('6', {
          content:
            '<p class="quote-inline">RE: <a href="https://social.example/@cyd/5"><span class="invisible">https://</span><span class="">social.example/@cyd/5</span><span class="invisible"></span></a></p><p>So true</p>',
          quote: { state: 'accepted', quotedStatus: quoted },
          quotesCount: 0,
        }),
        'x',
      ),
      home,
    );
    expect(post.text).toBe('So true');
    expect(post.entities).toEqual([]);
    expect(post.quote).toMatchObject({
      id: 'mastodon:social.example/5',
      text: 'The original',
      author: { handle: 'cyd@social.example' },
    });
    expect(post.quoteUnavailable).toBeUndefined();
  });

  it.each(Object.entries(QUOTE_STATE_TEXT))('says why a %s quote is not shown', (state, words) => {
    const post = toPost(parseStatus(status('6', { quote: { state, quotedStatus: null } }), 'x'), home);
    expect(post.quote).toBeUndefined();
    expect(post.quoteUnavailable).toBe(words);
  });

  it('says a quote cannot be shown when Mastodon sends only its id, a state it does not know, or a broken status', () => {
    const shallow = toPost(parseStatus(status('6', { quote: { state: 'accepted', quotedStatusId: '5' } }), 'x'), home);
    expect(shallow.quoteUnavailable).toBe('This post cannot be displayed.');
    const future = toPost(parseStatus(status('6', { quote: { state: 'on_hold', quotedStatus: null } }), 'x'), home);
    expect(future.quoteUnavailable).toBe('This post cannot be displayed.');
    const broken = toPost(
      parseStatus(status('6', { quote: { state: 'accepted', quotedStatus: { ...quoted, account: null } } }), 'x'),
      home,
    );
    expect(broken.quoteUnavailable).toBe('This post cannot be displayed.');
  });

  it('applies the viewer’s filters to the quoted post too', () => {
    const hidden = { ...quoted, filtered: [filter('Spoilers', 'hide')] };
    const post = toPost(parseStatus(status('6', { quote: { state: 'accepted', quotedStatus: hidden } }), 'x'), home);
    expect(post.quote).toBeUndefined();
    expect(post.quoteUnavailable).toBe('Hidden due to one of your filters');
    const sensitive = { ...quoted, sensitive: true, mediaAttachments: [image('q')] };
    const shown = toPost(
      parseStatus(status('6', { quote: { state: 'accepted', quotedStatus: sensitive } }), 'x'),
      home,
    );
    expect(shown.quote?.moderation).toEqual([{ scope: 'media', source: 'sensitive', text: 'Sensitive media' }]);
  });
});

describe('Mastodon items that cannot be read', () => {
  it('leaves out a status with account: null, no created_at, or a media type Mastodon does not have, keeping the rest', () => {
    const read = statusEntries(
      [
        status('1'),
        status('2', { account: null }),
        { ...status('3'), createdAt: undefined },
        status('4', { mediaAttachments: [{ ...image('m'), type: 'hologram' }] }),
        'not a status',
        status('5'),
      ],
      home,
    );
    expect(read.items.map((e) => e.post?.nativeId)).toEqual(['1', '5']);
    expect(read.unreadable.map((u) => u.id)).toEqual(['2', '3', '4', '(no id)']);
    expect(read.unreadable[0]?.problem).toContain('account');
  });

  it('keeps audio and remote media the server did not fetch as attachments, with their descriptions', () => {
    const read = statusEntries(
      [
        status('1', {
          mediaAttachments: [
            { ...image('a'), type: 'audio', previewUrl: null, meta: { original: { duration: 1834.2 } } },
            { id: 'u', type: 'unknown', url: null, remoteUrl: 'https://remote.example/big.webm', meta: null },
            image('i'),
          ],
        }),
      ],
      home,
    );
    expect(read.items[0]?.post?.media).toEqual([
      expect.objectContaining({
        kind: 'audio',
        alt: 'picture a',
        url: 'https://files.social.example/a.png',
        width: 16,
        height: 9,
      }),
      expect.objectContaining({ kind: 'file', alt: '', url: 'https://remote.example/big.webm' }),
      expect.objectContaining({ kind: 'image', alt: 'picture i', width: 800, height: 600 }),
    ]);
  });

  it('keeps a status whose media `meta` it cannot read, with a default size', () => {
    const odd = { ...image('o'), meta: { original: { width: '800', height: 'tall' } } };
    const read = statusEntries([status('1', { mediaAttachments: [odd] })], home);
    expect(read.unreadable).toEqual([]);
    expect(read.items[0]?.post?.media[0]).toMatchObject({ kind: 'image', width: 16, height: 9 });
  });
});

describe('Mastodon notifications', () => {
  const me = '100';
  const mine = status('50', { account: account(me, 'me') });
  const n = (id: string, type: string, from: string, extra: Record<string, unknown> = {}) => ({
    id,
    type,
    createdAt: `2026-11-25T10:${id.padStart(2, '0')}:00.000Z`,
    account: account(from, `user${from}`),
    ...extra,
  });
  const ctx: NormalizeContext = { ...home, filterContext: 'notifications' };
  /** Mastodon's hour bucket of an instant (Notification::Groups#set_group_key!). */
  const bucket = (iso: string) => Math.floor(Date.parse(iso) / 3_600_000);

  it('v1 without group keys: groups likes, boosts and follows as Mastodon does, most recent actor first, the rest one by one', () => {
    const read = notificationEntriesV1(
      [
        n('9', 'favourite', '7', { status: mine }),
        n('8', 'mention', '6', { status: status('60', { account: account('6', 'user6') }) }),
        n('7', 'favourite', '5', { status: mine }),
        n('6', 'reblog', '5', { status: mine }),
        n('5', 'favourite', '7', { status: mine }),
        n('4', 'follow', '4'),
        n('3', 'mention', '3', { status: status('61', { inReplyToAccountId: me, account: account('3', 'user3') }) }),
        n('2', 'poll', '2', { status: mine }),
        n('1', 'quote', '1', { status: status('62', { account: account('1', 'user1') }) }),
      ],
      ctx,
      me,
    );
    expect(read.unreadable).toEqual([]);
    const h = bucket('2026-11-25T10:00:00.000Z');
    const summary = read.items.map((e) => [
      e.key,
      e.notification?.kind,
      e.notification?.actors.map((a) => a.handle),
      e.notification?.count,
      e.post?.nativeId ?? null,
    ]);
    expect(summary).toEqual([
      [`favourite-50-${h}`, 'like', ['user7@social.example', 'user5@social.example'], 3, '50'],
      ['ungrouped-8', 'mention', ['user6@social.example'], 1, '60'],
      [`reblog-50-${h}`, 'repost', ['user5@social.example'], 1, '50'],
      [`follow-${h}`, 'follow', ['user4@social.example'], 1, null],
      ['ungrouped-3', 'reply', ['user3@social.example'], 1, '61'],
      ['ungrouped-2', 'other', ['user2@social.example'], 1, '50'],
      ['ungrouped-1', 'quote', ['user1@social.example'], 1, '62'],
    ]);
    expect(read.items[0]?.at).toBe('2026-11-25T10:09:00.000Z');
    expect(read.items[5]?.notification?.type).toBe('poll');
    for (const e of read.items) TimelineEntrySchema.parse(e);
  });

  it('v1: leaves out a malformed notification, a like whose status cannot be read, and a filtered one', () => {
    const read = notificationEntriesV1(
      [
        n('5', 'favourite', '7', { status: mine }),
        { id: '4', type: 'favourite' },
        n('3', 'favourite', '6', { status: { ...mine, account: null } }),
        n('2', 'reblog', '6'),
        n('1', 'mention', '6', { status: status('70', { filtered: [filter('Noise', 'hide')] }) }),
      ],
      ctx,
      me,
    );
    expect(read.items.map((e) => e.key)).toEqual([`favourite-50-${bucket('2026-11-25T10:05:00.000Z')}`]);
    expect(read.unreadable.map((u) => u.id)).toEqual(['4', '3', '2']);
  });

  it('v2: one entry per group, actors from the side accounts, count from notifications_count', () => {
    const body = {
      accounts: [account('7', 'gina'), account('5', 'hal'), account('4', 'ivo')],
      statuses: [mine],
      notificationGroups: [
        {
          groupKey: 'favourite-50-493000',
          notificationsCount: 4,
          type: 'favourite',
          mostRecentNotificationId: 9,
          sampleAccountIds: ['7', '5'],
          statusId: '50',
          latestPageNotificationAt: '2026-11-25T10:09:00.000Z',
          pageMinId: '3',
          pageMaxId: '9',
        },
        {
          groupKey: 'follow-493000',
          notificationsCount: 1,
          type: 'follow',
          mostRecentNotificationId: 2,
          sampleAccountIds: ['4'],
          latestPageNotificationAt: '2026-11-25T10:02:00.000Z',
        },
        { groupKey: 'ungrouped-1', notificationsCount: 1, type: 'favourite', sampleAccountIds: ['99'], statusId: '50' },
        { groupKey: 'reblog-77-1', notificationsCount: 1, type: 'reblog', sampleAccountIds: ['7'], statusId: '77' },
      ],
    };
    const read = notificationEntriesV2(body, ctx, me)!;
    expect(read.items).toEqual([
      expect.objectContaining({
        key: 'favourite-50-493000',
        at: '2026-11-25T10:09:00.000Z',
        post: expect.objectContaining({ nativeId: '50' }),
        notification: {
          kind: 'like',
          count: 4,
          actors: [
            expect.objectContaining({ handle: 'gina@social.example' }),
            expect.objectContaining({ handle: 'hal@social.example' }),
          ],
        },
      }),
      expect.objectContaining({
        key: 'follow-493000',
        post: null,
        notification: { kind: 'follow', count: 1, actors: [expect.objectContaining({ handle: 'ivo@social.example' })] },
      }),
    ]);
    // An unknown account and a status missing from `statuses`: left out and logged.
    expect(read.unreadable.map((u) => u.id)).toEqual(['ungrouped-1', 'reblog-77-1']);
  });
});
