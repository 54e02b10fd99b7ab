// Counting as each network counts: Mastodon's status_length_validator.rb, Bluesky's lexicon
// (300 graphemes and 3,000 bytes), X's twitter-text weighted length.
import { describe, expect, it } from 'vitest';
import {
  countText,
  graphemeLength,
  mastodonCountableText,
  mastodonLength,
  measureText,
  utf8Length,
  type CountingRules,
} from '../../../src/shared/text-length';

const MASTODON: CountingRules = { counting: 'characters', maxLength: 500 };
const BLUESKY: CountingRules = { counting: 'graphemes', maxLength: 300, maxBytes: 3000 };
const X: CountingRules = { counting: 'weighted', maxLength: 280 };

const FAMILY = '👨‍👩‍👧‍👦'; // man ZWJ woman ZWJ girl ZWJ boy: 1 grapheme, 11 UTF-16 units, 25 bytes

describe('Mastodon counts graphemes of its countable text', () => {
  it('counts a remote mention as @user (the issue: 31, not 53)', () => {
    expect(countText('Thanks @fernanda@photos.example.social for the shots!', MASTODON)).toBe(31);
  });

  it('counts a flag sequence as one character (the issue: "Pride 🏳️‍🌈" is 7)', () => {
    expect(countText('Pride 🏳️‍🌈', MASTODON)).toBe(7);
  });

  it('leaves trailing punctuation out of a link (the issue: "See https://example.org/a." is 28)', () => {
    expect(countText('See https://example.org/a.', MASTODON)).toBe(28);
    expect(mastodonCountableText('See https://example.org/a.')).toBe(`See ${'x'.repeat(23)}.`);
  });

  it.each([
    ['ZWJ family', FAMILY, 1],
    ['skin tone', '👋🏽', 1],
    ['keycap', '1️⃣', 1],
    ['regional-indicator flag', '🇫🇷', 1],
    ['tag-sequence flag', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', 1],
    ['combining marks', 'e\u0301\u0323', 1],
    ['Hangul jamo', '\u1100\u1161\u11A8', 1],
    ['Devanagari conjunct', 'क्षि', 1],
  ])('counts a %s as one', (_kind, text, expected) => {
    expect(countText(text, MASTODON)).toBe(expected);
    expect(graphemeLength(text)).toBe(expected);
  });

  it('counts CRLF as one line break, and a blank text as nothing (Mastodon: `return "" if str.blank?`)', () => {
    expect(countText('a\r\nb', MASTODON)).toBe(3);
    expect(countText('  \n ', MASTODON)).toBe(0);
  });

  it('counts every link as 23 whatever its length, with its query and balanced parentheses', () => {
    expect(countText('https://example.org/search?q=colonnade&lang=fr', MASTODON)).toBe(23);
    expect(countText('(https://en.wikipedia.org/wiki/Colonnade_(architecture))', MASTODON)).toBe(25);
    expect(countText(`Read https://example.org/${'a'.repeat(200)} now`, MASTODON)).toBe(5 + 23 + 4);
  });

  it('keeps a Unicode path in the link, as Mastodon’s own URL rules do', () => {
    expect(countText('https://ja.wikipedia.org/wiki/日本', MASTODON)).toBe(23);
  });

  it('counts the link schemes Mastodon links (gemini, ipfs…) as 23 too', () => {
    expect(countText('gemini://example.org/capsule/index.gmi', MASTODON)).toBe(23);
  });

  it('does not treat an address without a scheme as a link', () => {
    expect(countText('example.org/a-rather-long-path', MASTODON)).toBe(30);
    expect(countText('www.example.org', MASTODON)).toBe(15);
  });

  it('uses the instance’s characters_reserved_per_url when it is known', () => {
    expect(countText('https://example.org', { ...MASTODON, urlLength: 30 })).toBe(30);
  });

  it('counts a local mention as written, and a mention with a Unicode domain as @user', () => {
    expect(countText('@alice hi', MASTODON)).toBe(9);
    expect(countText('@bob@münchen.social hi', MASTODON)).toBe(7);
    expect(countText('@jean.luc@exemple.fr', MASTODON)).toBe(9);
  });

  it('does not take an e-mail address or a word before @ for a mention', () => {
    expect(countText('mail alice@example.org', MASTODON)).toBe(22);
  });

  it('counts the content warning with the text', () => {
    expect(mastodonLength('Spoilers ahead', 'Film')).toBe(18);
    expect(countText('Spoilers ahead', MASTODON, 'Film')).toBe(18);
  });

  it('accepts a post of exactly 500 graphemes and refuses 501', () => {
    const at = FAMILY.repeat(250) + 'é'.repeat(250);
    expect(measureText(at, MASTODON)).toMatchObject({ over: false, binding: { unit: 'characters', length: 500 } });
    expect(measureText(at + '!', MASTODON).over).toBe(true);
  });
});

describe('Bluesky: 300 graphemes and 3,000 bytes', () => {
  it('299 family emoji and a letter bind on bytes, not "300 / 300" (the issue)', () => {
    const text = FAMILY.repeat(299) + 'a';
    expect(graphemeLength(text)).toBe(300);
    expect(utf8Length(text)).toBe(299 * 25 + 1);
    const m = measureText(text, BLUESKY);
    expect(m.over).toBe(true);
    expect(m.binding).toEqual({ unit: 'bytes', length: 7476, max: 3000 });
  });

  it('shows 3,025 / 3,000 bytes for 121 family emoji', () => {
    const m = measureText(FAMILY.repeat(121), BLUESKY);
    expect(m.binding).toEqual({ unit: 'bytes', length: 3025, max: 3000 });
    expect(m.over).toBe(true);
  });

  it('binds on graphemes for plain text, and accepts exactly 300', () => {
    const m = measureText('a'.repeat(300), BLUESKY);
    expect(m).toMatchObject({ over: false, near: true, binding: { unit: 'characters', length: 300, max: 300 } });
    expect(measureText('a'.repeat(301), BLUESKY).over).toBe(true);
  });

  it('accepts 120 family emoji (3,000 bytes exactly)', () => {
    expect(measureText(FAMILY.repeat(120), BLUESKY).over).toBe(false);
  });

  it('counts a link at its full length (Bluesky does not shorten links)', () => {
    expect(countText('https://example.org/a', BLUESKY)).toBe(21);
  });
});

describe('X: twitter-text weighted length', () => {
  it('counts Latin 1, CJK and emoji 2, links 23', () => {
    expect(countText('hello', X)).toBe(5);
    expect(countText('日本語', X)).toBe(6);
    expect(countText(FAMILY, X)).toBe(2);
    expect(countText('🇫🇷', X)).toBe(2);
    expect(countText('See https://example.org/a-long-path.', X)).toBe(4 + 23 + 1);
  });

  it('accepts 280 and refuses 281; 140 CJK characters fill a post', () => {
    expect(measureText('a'.repeat(280), X).over).toBe(false);
    expect(measureText('a'.repeat(281), X).over).toBe(true);
    expect(measureText('字'.repeat(140), X)).toMatchObject({ over: false, binding: { length: 280 } });
    expect(measureText('字'.repeat(141), X).over).toBe(true);
  });
});

describe('the counter warns before the limit', () => {
  it('is near at 90 % of the binding limit, not before', () => {
    expect(measureText('a'.repeat(449), MASTODON).near).toBe(false);
    expect(measureText('a'.repeat(450), MASTODON).near).toBe(true);
    expect(measureText('a'.repeat(501), MASTODON)).toMatchObject({ near: false, over: true });
  });
});
