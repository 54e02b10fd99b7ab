// Counting as each network counts: Mastodon's status_length_validator.rb (on Ruby 3.4, with the
// twitter-text gem's URL rules), Bluesky's lexicon (300 graphemes and 3,000 bytes), X's
// twitter-text weighted length (every emoji sequence 2) — always of the text as it is sent.
import { describe, expect, it } from 'vitest';
import {
  countText,
  graphemeLength,
  mastodonCountableText,
  mastodonLength,
  measureText,
  rubyGraphemeLength,
  textToPublish,
  utf8Length,
  type CountingRules,
} from '../../../src/shared/text-length';
import { assignedInUnicode32, idna2003ToAscii, punycode } from '../../../src/shared/idna2003';

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

describe('every network counts the text as it is sent, not as it is typed', () => {
  // The composer publishes `textToPublish(typed)` (trimmed); main's outbox too. Counting
  // the typed text blocked a post at the limit plus the line break typed after it.
  it.each([
    ['Bluesky', BLUESKY, 'a'.repeat(300) + '\n', 300],
    ['Mastodon', MASTODON, 'a'.repeat(500) + '\n\n', 500],
    ['X', X, 'a'.repeat(280) + ' ', 280],
  ])(
    '%s: a post at the limit plus a trailing line break or space is at the limit, not over',
    (_n, rules, typed, max) => {
      expect(textToPublish(typed)).toBe('a'.repeat(max));
      const m = measureText(typed, rules);
      expect(m.over).toBe(false);
      expect(m.binding).toMatchObject({ unit: 'characters', length: max, max });
    },
  );

  it('leading blanks, CRLF, tabs and Unicode spaces around the text count nothing', () => {
    expect(countText('\r\n\t Hello \u3000\u00A0\r\n', BLUESKY)).toBe(5);
    expect(countText('  Hello\n', MASTODON)).toBe(5);
    expect(countText('\n\nHello  ', X)).toBe(5);
    expect(measureText('a'.repeat(299) + 'b\u2028', BLUESKY).over).toBe(false);
  });

  it('Bluesky bytes are the bytes sent: 120 families and a trailing line break are 3,000, not 3,001', () => {
    const m = measureText(FAMILY.repeat(120) + '\n', BLUESKY);
    expect(m.limits.find((l) => l.unit === 'bytes')?.length).toBe(3000);
    expect(m.over).toBe(false);
  });

  it('white space inside the text still counts', () => {
    expect(countText('a \n b', BLUESKY)).toBe(5);
    expect(measureText(`${'a'.repeat(150)}\n${'b'.repeat(150)}`, BLUESKY).over).toBe(true);
  });
});

describe('Mastodon counts grapheme clusters as Ruby 3.4 does (Unicode 15.0: no GB9c)', () => {
  // Bluesky (Intl.Segmenter in the PDS) joins consonant + virama + consonant (UAX #29 GB9c,
  // Unicode 15.1+); Mastodon's Ruby 3.4 does not (ruby/ruby#12798 came after 3.4).
  it('स्वतंत्रता (freedom) is 6 for Mastodon (स् व तं त् र ता), 4 for Bluesky', () => {
    expect(countText('स्वतंत्रता', MASTODON)).toBe(6);
    expect(countText('स्वतंत्रता', BLUESKY)).toBe(4);
  });

  it('क्षि is 2 for Mastodon (क् + षि), 1 for Bluesky', () => {
    expect(countText('क्षि', MASTODON)).toBe(2);
    expect(countText('क्षि', BLUESKY)).toBe(1);
  });

  it('300 × क्ष is 600 for Mastodon: over 500, so it is not sent', () => {
    const m = measureText('क्ष'.repeat(300), MASTODON);
    expect(m.binding.length).toBe(600);
    expect(m.over).toBe(true);
    expect(measureText('क्ष'.repeat(250), MASTODON).over).toBe(false);
  });

  it('नमस्ते is 4 for Mastodon (न म स् ते), 3 for Bluesky', () => {
    expect(countText('नमस्ते', MASTODON)).toBe(4);
    expect(countText('नमस्ते', BLUESKY)).toBe(3);
  });

  it.each([
    ['Bengali', '\u0995\u09CD\u09B7'],
    ['Gujarati', '\u0A95\u0ACD\u0AB7'],
    ['Oriya', '\u0B15\u0B4D\u0B37'],
    ['Telugu', '\u0C15\u0C4D\u0C37'],
    ['Malayalam', '\u0D15\u0D4D\u0D37'],
    ['Devanagari with a nukta before the virama', '\u0915\u093C\u094D\u0937'],
    ['Devanagari with a ZWJ after the virama', '\u0915\u094D\u200D\u0937'],
    ['Khmer (a linker since Unicode 16)', '\u1780\u17D2\u1780'],
    ['Myanmar (a linker since Unicode 16)', '\u1000\u1039\u1000'],
  ])('a %s conjunct is 2 for Mastodon', (_kind, text) => {
    expect(countText(text, MASTODON)).toBe(2);
  });

  it('a Tamil conjunct was never joined: 2 for both', () => {
    expect(countText('\u0B95\u0BCD\u0BB7', MASTODON)).toBe(2);
    expect(countText('\u0B95\u0BCD\u0BB7', BLUESKY)).toBe(2);
  });

  it('keeps emoji ZWJ sequences, skin tones, keycaps, tag flags and matras whole', () => {
    expect(rubyGraphemeLength(`${FAMILY}👩🏽‍🔧1️⃣🏴󠁧󠁢󠁳󠁣󠁴󠁿`)).toBe(4);
    expect(rubyGraphemeLength('किताब')).toBe(3);
    expect(rubyGraphemeLength('e\u0301\u0323')).toBe(1);
  });

  // Unicode 15.1 DerivedCoreProperties.txt: InCB=Linker and InCB=Consonant (the consonants of
  // the six scripts, Indic_Syllabic_Category=Consonant).
  const LINKERS_15_1 = [0x094d, 0x09cd, 0x0acd, 0x0b4d, 0x0c4d, 0x0d4d];
  const CONSONANTS_15_1: Array<[number, number]> = [
    [0x0915, 0x0939],
    [0x0958, 0x095f],
    [0x0978, 0x097f],
    [0x0995, 0x09a8],
    [0x09aa, 0x09b0],
    [0x09b2, 0x09b2],
    [0x09b6, 0x09b9],
    [0x09dc, 0x09dd],
    [0x09df, 0x09df],
    [0x09f0, 0x09f1],
    [0x0a95, 0x0aa8],
    [0x0aaa, 0x0ab0],
    [0x0ab2, 0x0ab3],
    [0x0ab5, 0x0ab9],
    [0x0af9, 0x0af9],
    [0x0b15, 0x0b28],
    [0x0b2a, 0x0b30],
    [0x0b32, 0x0b33],
    [0x0b35, 0x0b39],
    [0x0b5c, 0x0b5d],
    [0x0b5f, 0x0b5f],
    [0x0b71, 0x0b71],
    [0x0c15, 0x0c28],
    [0x0c2a, 0x0c39],
    [0x0c58, 0x0c5a],
    [0x0d15, 0x0d3a],
  ];
  it('splits every Unicode 15.1 consonant + linker + consonant the engine joins', () => {
    let checked = 0;
    for (const linker of LINKERS_15_1) {
      for (const [from, to] of CONSONANTS_15_1) {
        for (let cp = from; cp <= to; cp++) {
          const text = String.fromCodePoint(cp, linker, cp);
          expect(graphemeLength(text), text).toBe(1); // Intl.Segmenter applies GB9c
          expect(rubyGraphemeLength(text), text).toBe(2); // Ruby 3.4 does not
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

describe('Mastodon: a URL whose domain IDNA2003 refuses is no link (twitter-text gem, libidn)', () => {
  it('a 64-character label is counted in full, 76 (so 450 letters and it are over 500)', () => {
    const url = `https://${'a'.repeat(64)}.com`;
    expect(countText(url, MASTODON)).toBe(76);
    expect(measureText(`${'x'.repeat(450)} ${url}`, MASTODON).over).toBe(true);
    expect(countText(`https://${'a'.repeat(63)}.com`, MASTODON)).toBe(23);
  });

  it('an emoji domain is counted in full: https://👁👄👁.fm is 14, not 23', () => {
    expect(countText('https://👁👄👁.fm', MASTODON)).toBe(14);
    expect(countText('https://🫠.com', MASTODON)).toBe(13);
    expect(countText('https://a.👁.com', MASTODON)).toBe(15);
  });

  it('a symbol Unicode 3.2 had is fine: https://☺.com and https://✈.com are links', () => {
    expect(countText('https://☺.com', MASTODON)).toBe(23);
    expect(countText('https://✈.com', MASTODON)).toBe(23);
  });

  it('measures a label in punycode: 57 × ü fits 63 (xn--…), 58 does not', () => {
    expect(countText(`https://${'ü'.repeat(57)}.com`, MASTODON)).toBe(23);
    expect(countText(`https://${'ü'.repeat(58)}.com`, MASTODON)).toBe(70);
  });

  it('refuses mixed-direction labels and right-to-left labels ending in a digit (RFC 3454 §6)', () => {
    expect(countText('https://مثال.com', MASTODON)).toBe(23);
    expect(countText('https://abcمثال.com', MASTODON)).toBe(19);
    expect(countText('https://مثال1.com', MASTODON)).toBe(17);
  });

  it('keeps Unicode domains IDNA2003 takes (case, full width, soft hyphen, ß)', () => {
    for (const url of [
      'https://münchen.de',
      'https://日本語.jp',
      'https://ＥＸＡＭＰＬＥ.com',
      'https://x\u00ADn.com',
      'https://faß.de',
    ]) {
      expect(countText(url, MASTODON), url).toBe(23);
    }
  });

  it('IDNA2003 ToASCII answers as Python’s IDNA2003 (RFC 3490) with unassigned code points refused', () => {
    // Expected values: Python's encodings.idna.ToASCII per label + stringprep.in_table_a1.
    expect(idna2003ToAscii('münchen.de')).toBe('xn--mnchen-3ya.de');
    expect(idna2003ToAscii('مثال.إختبار')).toBe('xn--mgbh0fb.xn--kgbechtv');
    expect(idna2003ToAscii('ΣΊΣΥΦΟΣ.gr')).toBe('xn--kxa6akbbkh.gr');
    expect(idna2003ToAscii('例え.テスト')).toBe('xn--r8jz45g.xn--zckzah');
    expect(idna2003ToAscii('日本語。jp')).toBe('xn--wgv71a119e.jp');
    expect(idna2003ToAscii('faß.de')).toBe('fass.de');
    expect(idna2003ToAscii('ab\u200Dc.com')).toBe('abc.com');
    expect(idna2003ToAscii('✈️.com')).toBe('xn--3bi.com');
    expect(idna2003ToAscii('☺.com')).toBe('xn--74h.com');
    for (const refused of ['👁👄👁.fm', '🫠.com', 'a'.repeat(64) + '.com', 'abcمثال.com', 'مثال1.com', 'a\uE000.com']) {
      expect(idna2003ToAscii(refused), refused).toBeNull();
    }
    expect(punycode('bücher')).toBe('bcher-kva');
    // RFC 3492 §7.1 sample strings (A), (B), (L).
    expect(punycode('ليهمابتكلموشعربي؟')).toBe('egbpdaj6bu4bxfgehfvwxn');
    expect(punycode('他们为什么不说中文')).toBe('ihqwcrb4cv8a8dqg056pqjye');
    expect(punycode('3年B組金八先生')).toBe('3B-ww4c5e180e575a65lsy2b');
  });

  it('knows which code points Unicode 3.2 assigned', () => {
    const assigned = [0x0220, 0x263a, 0x2708, 0x20000, 0x2a6d6, 0x1d400, 0x9fa5, 0x20b1, 0xe0001, 0x10fffd];
    const unassigned = [0x0221, 0x0237, 0x1f441, 0x1f600, 0x1fae0, 0x2a6d7, 0x9fa6, 0x0d7a, 0x20b2];
    for (const cp of assigned) expect(assignedInUnicode32(cp), cp.toString(16)).toBe(true);
    for (const cp of unassigned) expect(assignedInUnicode32(cp), cp.toString(16)).toBe(false);
  });
});

describe('X weighs every emoji sequence 2, newer than twitter-text 3.1’s table or not', () => {
  // twitter/twitter-text#369: 🧑‍🔧 is 5 by the library, 2 on X.
  it.each([['🧑‍🔧'], ['🫱🏻‍🫲🏿'], ['🧑‍🧑‍🧒'], ['🐦‍🔥'], ['🙂‍↔️'], ['🍋‍🟩'], ['❤️‍🔥'], ['🧑🏽‍🦰'], ['🫨']])('%s weighs 2', (emoji) => {
    expect(countText(emoji, X)).toBe(2);
  });

  it.each([[FAMILY], ['🏳️‍🌈'], ['🏴󠁧󠁢󠁳󠁣󠁴󠁿'], ['🇫🇷'], ['1️⃣'], ['👋🏽'], ['❤️'], ['©️']])(
    '%s (known to twitter-text) still weighs 2',
    (emoji) => {
      expect(countText(emoji, X)).toBe(2);
    },
  );

  it('140 mechanics fill a post exactly (280) and are not blocked; 141 are over', () => {
    expect(measureText('🧑‍🔧'.repeat(140), X)).toMatchObject({ over: false, binding: { length: 280 } });
    expect(measureText('🧑‍🔧'.repeat(141), X).over).toBe(true);
  });

  it('counts emoji among text and links, links still 23', () => {
    expect(countText('Fixed by 🧑‍🔧!', X)).toBe(9 + 2 + 1);
    expect(countText('🧑‍🔧 https://example.com/a 🧑‍🔧', X)).toBe(2 + 1 + 23 + 1 + 2);
    expect(countText('https://example.com/🧑‍🔧', X)).toBe(23 + 2);
    expect(countText('©', X)).toBe(1); // text presentation: not an emoji
  });
});

describe('Mastodon mentions: [[:word:]] before the @ is L, M, Nd, Pc (Onigmo), not every number', () => {
  it('x²@alice@example.social is a mention after x²: 8', () => {
    expect(countText('x²@alice@example.social', MASTODON)).toBe(8);
  });

  it('a decimal digit before the @ (ASCII or Arabic-Indic) is a word character: no mention', () => {
    expect(countText('x1@alice@example.social', MASTODON)).toBe(23);
    expect(countText('٣@alice@example.social', MASTODON)).toBe(22);
  });

  it('a superscript ends the mention’s domain: @alice@example.social² is @alice²', () => {
    expect(countText('@alice@example.social²', MASTODON)).toBe(7);
  });
});
