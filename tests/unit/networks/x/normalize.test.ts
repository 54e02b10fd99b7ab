import { describe, expect, it } from 'vitest';
import {
  createdAtOf,
  decodeXText,
  indexIncludes,
  isSameText,
  textOf,
  toEntries,
  toPosts,
  type XTweet,
} from '../../../../src/main/networks/x/normalize';
import { ViewerMemory } from '../../../../src/main/networks/x/viewer-memory';
import { memoryDocument, memoryLogger } from './harness';

const ADA = { id: '7', name: 'Ada', username: 'ada' };
const tweet = (over: Partial<XTweet>): XTweet => ({
  id: '1860000000000001000',
  text: '',
  author_id: '7',
  created_at: '2026-11-25T08:00:00.000Z',
  ...over,
});
const spans = (p: { text: string; entities: { start: number; end: number }[] }) =>
  p.entities.map((e) => p.text.slice(e.start, e.end));

describe('X normalization: text', () => {
  it('decodes the &, < and > X escapes, keeping entity offsets on the text a person reads', () => {
    // As X sends it: escaped text, offsets counted in code points of the unescaped text.
    const [post] = toPosts(
      [
        tweet({
          text: 'Fish &amp; chips &lt;3 🐟 #food @ada',
          entities: {
            hashtags: [{ start: 18, end: 23, tag: 'food' }],
            mentions: [{ start: 24, end: 28, username: 'ada' }],
          },
        }),
      ],
      { users: [ADA] },
      0,
    );
    expect(post!.text).toBe('Fish & chips <3 🐟 #food @ada');
    expect(spans(post!)).toEqual(['#food', '@ada']);
  });

  it('also reads offsets counted on the escaped text (as v1.1 counted them)', () => {
    // `Fish &amp; chips &lt;3 🐟 ` is 25 code points escaped, 18 decoded.
    const t = textOf(
      tweet({
        text: 'Fish &amp; chips &lt;3 🐟 #food @ada',
        entities: {
          hashtags: [{ start: 25, end: 30, tag: 'food' }],
          mentions: [{ start: 31, end: 35, username: 'ada' }],
        },
      }),
    );
    expect(spans(t)).toEqual(['#food', '@ada']);
  });

  it('decodes once: `&amp;lt;` is someone writing `&lt;`', () => {
    expect(decodeXText('Use &amp;lt; for &lt; &amp;amp; &amp;')).toBe('Use &lt; for < &amp; &');
  });

  it('drops an entity whose offsets do not land on it rather than linking the wrong words', () => {
    const t = textOf(
      tweet({
        text: 'short #tag',
        entities: { hashtags: [{ start: 40, end: 44, tag: 'tag' }, { start: 6, end: 10, tag: 'tag' }, { bad: 1 }] },
      }),
    );
    expect(t.entities).toEqual([{ kind: 'hashtag', start: 6, end: 10, value: 'tag' }]);
  });

  it('removes the media link X appends even without a media_key (the last link to the post’s photo)', () => {
    const t = textOf(
      tweet({
        text: 'Our stand 👋 https://t.co/aaaaaaaaaa https://t.co/bbbbbbbbbb',
        attachments: { media_keys: ['3_1'] },
        entities: {
          urls: [
            {
              start: 12,
              end: 35,
              url: 'https://t.co/aaaaaaaaaa',
              expanded_url: 'https://example.org/stand',
              display_url: 'example.org/stand',
            },
            {
              start: 36,
              end: 59,
              url: 'https://t.co/bbbbbbbbbb',
              expanded_url: 'https://x.com/ada/status/1860000000000001000/photo/1',
              display_url: 'pic.x.com/bbbbbbbbbb',
            },
          ],
        },
      }),
    );
    expect(t.text).toBe('Our stand 👋 https://t.co/aaaaaaaaaa');
    expect(t.entities).toEqual([
      {
        kind: 'link',
        start: 13,
        end: 36,
        value: 'https://example.org/stand',
        display: 'example.org/stand',
      },
    ]);
  });

  it('keeps a last link to someone else’s page when the post has no media', () => {
    const t = textOf(
      tweet({
        text: 'Look https://t.co/cccccccccc',
        entities: {
          urls: [
            {
              start: 5,
              end: 28,
              url: 'https://t.co/cccccccccc',
              expanded_url: 'https://x.com/bob/status/1/photo/1',
              display_url: 'x.com/bob/status/1/photo/1',
            },
          ],
        },
      }),
    );
    expect(t.text).toBe('Look https://t.co/cccccccccc');
    expect(t.entities).toHaveLength(1);
  });

  it('compares a sent text with X’s copy: escapes, t.co links and X’s scheme on bare links', () => {
    const stored = tweet({
      text: 'Q&amp;A at example.com tonight &lt;3 https://t.co/dddddddddd',
      entities: {
        urls: [
          { start: 7, end: 18, url: 'example.com', expanded_url: 'http://example.com' },
          {
            start: 30,
            end: 53,
            url: 'https://t.co/dddddddddd',
            expanded_url: 'https://example.org/a/',
            display_url: 'example.org/a',
          },
        ],
      },
    });
    expect(isSameText(stored, 'Q&A at example.com tonight <3 https://example.org/a/')).toBe(true);
    expect(isSameText(stored, 'Q&A at example.com tonight <3 https://example.org/b')).toBe(false);
    expect(isSameText(tweet({ text: 'Q&amp;A tonight' }), 'Q&amp;A tonight')).toBe(false);
  });
});

describe('X normalization: long posts and displayed ranges', () => {
  const cut = 'Q&amp;A recap: we met the whole community';
  const whole = 'Q&amp;A recap: we met the whole community at the fair &amp; heard every story. #fair @ada';
  const long = tweet({
    text: cut,
    entities: {},
    note_tweet: {
      text: whole,
      // Offsets counted on the decoded note text (the way X counts `text`).
      entities: {
        hashtags: [{ start: 79, end: 84, tag: 'fair' }],
        mentions: [{ start: 85, end: 89, username: 'ada' }],
      },
    },
  });

  it('reads the whole text of a long post with the note’s entities, decoded once', () => {
    const t = textOf(long);
    expect(t.text).toBe('Q&A recap: we met the whole community at the fair & heard every story. #fair @ada');
    expect(spans(t)).toEqual(['#fair', '@ada']);
  });

  it('reads the cut text when the note cannot be read, and ignores an unreadable range', () => {
    const [post] = toPosts([{ ...long, note_tweet: { text: 42 }, display_text_range: ['a', 2] }], { users: [ADA] }, 0);
    expect(post!.text).toBe('Q&A recap: we met the whole community');
  });

  it('compares a retried send with the whole text of a long post, not its cut', () => {
    const sent = 'Q&A recap: we met the whole community at the fair & heard every story. #fair @ada';
    expect(isSameText(long, sent)).toBe(true);
    expect(isSameText(long, 'Q&A recap: we met the whole community')).toBe(false);
  });

  it('leaves out a reply’s leading mentions from the range, shifting the entities after them', () => {
    const t = textOf(
      tweet({
        text: '@ada @bob 🐟 &amp; chips #food',
        display_text_range: [10, 25],
        entities: {
          mentions: [
            { start: 0, end: 4, username: 'ada' },
            { start: 5, end: 9, username: 'bob' },
          ],
          hashtags: [{ start: 20, end: 25, tag: 'food' }],
        },
      }),
    );
    expect(t).toEqual({ text: '🐟 & chips #food', entities: [{ kind: 'hashtag', start: 11, end: 16, value: 'food' }] });
  });

  it('does not trust a range that would cut words or hide more than mentions', () => {
    expect(textOf(tweet({ text: '@ada hello', display_text_range: [2, 10] })).text).toBe('@ada hello');
    expect(textOf(tweet({ text: 'Hi @ada thanks', display_text_range: [8, 14] })).text).toBe('Hi @ada thanks');
    expect(textOf(tweet({ text: '@ada@bob hi', display_text_range: [9, 11] })).text).toBe('@ada@bob hi');
  });

  it('hides links past the end of the range (counted on the escaped text too), not words', () => {
    const link = {
      start: 15,
      end: 38,
      url: 'https://t.co/eeeeeeeeee',
      expanded_url: 'https://x.com/bob/status/5',
      display_url: 'x.com/bob/status/5',
    };
    // `Fish &amp; chips` is 16 code points escaped, 12 decoded; the link starts at 13 decoded.
    const escaped = { ...link, start: 17, end: 40 };
    const text = 'Fish &amp; chips https://t.co/eeeeeeeeee';
    expect(
      textOf(tweet({ text, display_text_range: [0, 12], entities: { urls: [{ ...link, start: 13, end: 36 }] } })).text,
    ).toBe('Fish & chips');
    expect(textOf(tweet({ text, display_text_range: [0, 16], entities: { urls: [escaped] } })).text).toBe(
      'Fish & chips',
    );
    // A range ending before words is not one X would send: nothing is cut.
    expect(textOf(tweet({ text: 'Fish and chips', display_text_range: [0, 4] })).text).toBe('Fish and chips');
  });

  it('matches a reply X stored with the mentions of the people replied to before the sent text', () => {
    const reply = tweet({
      text: '@ada @bob thanks &amp; see you',
      display_text_range: [10, 26],
      referenced_tweets: [{ type: 'replied_to', id: '5' }],
    });
    expect(isSameText(reply, 'thanks & see you')).toBe(true);
    expect(isSameText(reply, '@ada @bob thanks & see you')).toBe(true);
    // Without a displayed range after mentions, the mentions are part of what was sent.
    expect(isSameText(tweet({ text: '@ada thanks' }), 'thanks')).toBe(false);
  });
});

describe('X normalization: items', () => {
  it('dates by the snowflake id when created_at is missing, and refuses pre-snowflake ids', () => {
    expect(createdAtOf({ id: '1860000000000000000' })).toBe(Number(1860000000000000000n >> 22n) + 1288834974657);
    expect(new Date(createdAtOf({ id: '1860000000000000000' })!).toISOString()).toBe('2024-11-22T16:38:51.785Z');
    expect(createdAtOf({ id: '20', created_at: 'not a date' })).toBeNull();
  });

  it('says why a quoted post is unavailable, from X’s partial errors', () => {
    const inc = indexIncludes({ users: [ADA] }, [
      {
        type: 'https://api.x.com/2/problems/not-authorized-for-resource',
        title: 'Authorization Error',
        detail: 'Sorry, you are not authorized to see the Post with ids: [99].',
        resource_type: 'tweet',
        resource_id: '99',
      },
    ]);
    const { entries } = toEntries(
      [
        tweet({ text: 'Hm', referenced_tweets: [{ type: 'quoted', id: '99' }] }),
        tweet({ id: '2', text: 'x', referenced_tweets: [{ type: 'quoted', id: '98' }] }),
      ],
      inc,
      { me: '1' },
    );
    expect(entries.map((e) => e.post?.quoteUnavailable)).toEqual(['protected', 'unavailable']);
  });

  it('counts every unreadable item with its id and why', () => {
    const inc = indexIncludes({ users: [ADA, { id: 'bad' }] }, []);
    const read = toEntries(
      [
        tweet({ text: 'fine' }),
        tweet({ id: '2', author_id: '8', text: 'no author' }),
        { id: '3', text: null },
        tweet({ id: '4', referenced_tweets: [{ type: 'retweeted', id: '5' }] }),
        tweet({ id: '6', created_at: undefined, text: 'old id' }),
      ],
      inc,
      { me: '1' },
    );
    expect(read.entries.map((e) => e.key)).toEqual(['x:1860000000000001000']);
    expect(read.skipped).toEqual([
      { id: '2', why: 'its author (8) is not in includes.users' },
      { id: '3', why: 'it is not a post X documents' },
      { id: '4', why: 'the reposted post 5 is not in includes.tweets' },
      { id: '6', why: 'it has no readable created_at' },
    ]);
  });
});

describe('X viewer memory', () => {
  it('keeps the last actions only, and the state of each post after undoing', () => {
    const doc = memoryDocument();
    const memory = new ViewerMemory(doc, memoryLogger(), 3);
    for (const id of ['1', '2', '3', '4']) memory.record(id, 'like');
    memory.record('4', 'repost');
    memory.record('3', 'unlike');
    expect(memory.of('1')).toBeUndefined();
    expect(memory.of('3')).toEqual({ liked: false, reposted: false });
    expect(memory.of('4')).toEqual({ liked: true, reposted: true });
    const again = new ViewerMemory(doc, memoryLogger(), 3);
    expect(['1', '2', '3', '4'].map((id) => again.of(id))).toEqual([
      undefined,
      { liked: true, reposted: false },
      { liked: false, reposted: false },
      { liked: true, reposted: true },
    ]);
    memory.record('4', 'delete');
    expect(memory.of('4')).toBeUndefined();
  });

  it('starts afresh from a damaged document, saying so', () => {
    const log = memoryLogger();
    const memory = new ViewerMemory({ read: () => ({ viewer: { version: 9 } }), write: () => {} }, log);
    expect(memory.of('1')).toBeUndefined();
    expect(log.lines.map((l) => l.level)).toEqual(['warn']);
  });
});
