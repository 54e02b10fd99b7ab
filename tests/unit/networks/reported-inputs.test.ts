// Inputs taken from bugs reported in other clients (Tusky, Ivory, Elk, twitter-text…) that a
// tester tried against Colonnade: each reads right, and stays so.
import { describe, expect, it } from 'vitest';
import { htmlToPlainText } from '../../../src/shared/mastodon-html';
import { statusEntries } from '../../../src/main/networks/mastodon/normalize';
import { indexIncludes, textOf, toEntries, XTweetSchema } from '../../../src/main/networks/x/normalize';

const user = { id: '10', username: 'ada', name: 'Ada' };

describe('X text (twitter-text style offsets)', () => {
  it('flags, ZWJ families and &amp; before entities; an index past the text is dropped, not misplaced', () => {
    const text = '🏳️‍🌈👨‍👩‍👧 Q&amp;A #pride @brew https://t.co/abc';
    const cps = Array.from('🏳️‍🌈👨‍👩‍👧 Q&A ');
    const h = cps.length; // decoded code points
    const tweet = XTweetSchema.parse({
      id: '1500000000000000200',
      text,
      author_id: '10',
      created_at: new Date().toISOString(),
      entities: {
        hashtags: [{ start: h, end: h + 6, tag: 'pride' }],
        mentions: [{ start: h + 7, end: h + 12, username: 'brew' }],
        urls: [
          {
            start: h + 13,
            end: h + 33,
            url: 'https://t.co/abc',
            expanded_url: 'https://ex.org/a?b=1&c=2',
            display_url: 'ex.org/a?b=1&c=2',
          },
          { start: 900, end: 920, url: 'https://t.co/zzz', expanded_url: 'https://gone.example' },
        ],
      },
    });
    const { text: shown, entities } = textOf(tweet);
    expect(shown).toBe('🏳️‍🌈👨‍👩‍👧 Q&A #pride @brew https://t.co/abc');
    expect(entities.map((e) => shown.slice(e.start, e.end))).toEqual(['#pride', '@brew', 'https://t.co/abc']);
    expect(entities[2]!.display).toBe('ex.org/a?b=1&c=2');
  });

  it('a retweet whose original is missing from includes is skipped and counted; the rest show', () => {
    const inc = indexIncludes({ users: [user] }, []);
    const page = toEntries(
      [
        {
          id: '1500000000000000301',
          text: 'RT @x: gone',
          author_id: '10',
          created_at: new Date().toISOString(),
          referenced_tweets: [{ type: 'retweeted', id: '1500000000000000300' }],
        },
        { id: '1500000000000000302', text: 'fine', author_id: '10', created_at: new Date().toISOString() },
      ],
      inc,
      { me: '1' },
    );
    expect(page.entries).toHaveLength(1);
    expect(page.skipped).toHaveLength(1);
  });
});

describe('Mastodon HTML and statuses', () => {
  it('invisible/ellipsis link spans, <br>, h-card mentions of remote users, ZWNJ hashtags', () => {
    const html =
      '<p>See <a href="https://example.com/blog/release-notes-2026-spring" rel="nofollow noopener" target="_blank">' +
      '<span class="invisible">https://</span><span class="ellipsis">example.com/blog/release-note</span>' +
      '<span class="invisible">s-2026-spring</span></a><br>cc <span class="h-card"><a href="https://akkoma.example/users/bob" class="u-url mention">@<span>bob</span></a></span> ' +
      '<a href="https://akkoma.example/tag/%DA%A9%D8%AA%D8%A7%D8%A8%E2%80%8C%D8%AE%D9%88%D8%A7%D9%86%DB%8C" class="hashtag" rel="tag">#<span>کتاب‌خوانی</span></a></p>';
    const out = htmlToPlainText(html, {
      tags: [
        {
          name: 'کتاب‌خوانی',
          url: 'https://local.example/tags/%DA%A9%D8%AA%D8%A7%D8%A8%E2%80%8C%D8%AE%D9%88%D8%A7%D9%86%DB%8C',
        },
      ],
      mentions: [{ acct: 'bob@akkoma.example', url: 'https://akkoma.example/users/bob', username: 'bob' }],
    });
    expect(out.text).toBe('See example.com/blog/release-note…\ncc @bob #کتاب‌خوانی');
    expect(out.entities.map((e) => [e.kind, e.value])).toEqual([
      ['link', 'https://example.com/blog/release-notes-2026-spring'],
      ['mention', 'bob@akkoma.example'],
      ['hashtag', 'کتاب‌خوانی'],
    ]);
  });

  it('an expired `hide` filter no longer hides; account: null is skipped and counted', () => {
    const base = {
      id: '1',
      created_at: '2026-01-01T00:00:00.000Z',
      content: '<p>finale tonight</p>',
      account: { id: '9', username: 'a', acct: 'a', emojis: [] },
      emojis: [],
    };
    const expired = {
      ...base,
      filtered: [
        {
          filter: {
            id: 'f',
            title: 'Spoilers',
            context: ['home'],
            filterAction: 'hide',
            expiresAt: '2025-01-01T00:00:00.000Z',
          },
        },
      ],
    };
    const read = statusEntries(
      [
        { ...expired, createdAt: base.created_at },
        { ...base, id: '2', createdAt: base.created_at, account: null },
      ],
      { domain: 'local.example', filterContext: 'home', now: Date.parse('2026-02-01T00:00:00Z') },
    );
    expect(read.items).toHaveLength(1);
    expect(read.unreadable.map((u) => u.id)).toEqual(['2']);
  });
});
