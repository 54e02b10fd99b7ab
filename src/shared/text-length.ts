// A post's length as its network counts it, and which of the network's limits binds. Pure
// functions, shared by the composer's counter (renderer) and by main's check before publishing,
// so a post the server would accept is never blocked and one it would refuse is never sent.
//
// - X: twitter-text's weighted length (most scripts 1, CJK and emoji 2, every link 23), with
//   every RGI emoji sequence weighing 2 as X weighs it (twitter-text 3.1's own emoji table is older).
// - Bluesky: 300 graphemes AND 3,000 bytes of UTF-8 (lexicon app.bsky.feed.post, `text`:
//   maxGraphemes 300, maxLength 3000; @atproto/lexicon validators/primitives.ts checks both),
//   graphemes by Intl.Segmenter as the PDS counts them (@atproto/lex-data).
// - Mastodon: the extended grapheme clusters, as Ruby 3.4 splits them (Unicode 15.0), of the
//   "countable text" of app/validators/status_length_validator.rb: the spoiler text, then the
//   text in which each URL found by the extractor becomes 23 characters and each `@user@domain`
//   mention `@user`.
// Every count is of the text as it is sent (`textToPublish`), not as it is typed.
import twitterText from 'twitter-text';
import type { TextRules } from './adapter';
import { idna2003ToAscii } from './idna2003';

/** The rules this module reads (a subset of `TextRules`, so `Account['textRules']` fits too). */
export type CountingRules = Pick<TextRules, 'counting' | 'maxLength' | 'maxBytes'> & {
  /** Mastodon: what a link counts (`configuration.statuses.characters_reserved_per_url`), 23 if unknown. */
  urlLength?: number | undefined;
};

/** Mastodon's `StatusLengthValidator::URL_PLACEHOLDER_CHARS`, also the instance default of `characters_reserved_per_url`. */
export const MASTODON_URL_LENGTH = 23;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Extended grapheme clusters (Unicode UAX #29) in `text`: what a reader sees as characters. */
export function graphemeLength(text: string): number {
  let n = 0;
  for (const _ of graphemes.segment(text)) n++;
  return n;
}

/**
 * The text a post is published with, from the text as typed: without its outer white space
 * (`String.prototype.trim`: Unicode White_Space, line breaks and U+FEFF). The composer sends
 * this, main's outbox checks and sends this (each part, per target network), and both measure this:
 * 300 letters and a trailing line break are 300 on Bluesky, not 301. Mastodon would strip the
 * ends itself before counting (Status#prepare_contents: `text&.strip!`); Bluesky and X count
 * what they receive.
 */
export function textToPublish(typed: string): string {
  return typed.trim();
}

// ---- Ruby 3.4's grapheme clusters (Mastodon) ----------------------------------------------------
//
// Mastodon counts `str.each_grapheme_cluster.size` (StatusLengthValidator#countable_length) on
// Ruby 3.4 (mastodon/mastodon .ruby-version: 3.4.x), whose Onigmo follows Unicode 15.0: it has
// no rule GB9c (Unicode 15.1, UAX #29 rev. 43: do not break between an InCB=Consonant and a
// following InCB=Linker … InCB=Consonant), which Ruby gained only after 3.4 (ruby/ruby#12798,
// Feb 2025). Intl.Segmenter (ICU; Node 24 is Unicode 17) applies GB9c, so `क्ष` is 1 cluster to
// it and 2 to Mastodon (`क्` + `ष`). In Unicode 15.1 InCB=Linker is the viramas of six scripts
// (U+094D, U+09CD, U+0ACD, U+0B4D, U+0C4D, U+0D4D) and InCB=Consonant those scripts' consonants
// (Indic_Syllabic_Category=Consonant ∩ Deva, Beng, Gujr, Orya, Telu, Mlym; DerivedCoreProperties
// 15.1); Unicode 16 extended both to Myanmar, Khmer, Balinese, Javanese and ten more scripts
// (Intl.Segmenter in Node 24 joins ក្ក too). Whatever set the running engine uses, Ruby 3.4
// joins none of them, so the Intl.Segmenter clusters are split again at every GB9c join:
// inside a cluster, a code point that follows an Extend/ZWJ/Linker code point and is itself
// neither Extend, ZWJ, SpacingMark nor (after ZWJ) an emoji can only be there by GB9c (UAX #29:
// no other rule joins a following Other). The test that tells "Extend, ZWJ or SpacingMark" asks
// the segmenter itself (does it join the code point to a letter?), so the split follows the
// engine's own Unicode version (Electron's Chromium and Node may differ).
// Not modelled: characters assigned after Unicode 15.0 (Ruby 3.4 sees them as unassigned, Other).

/** A code point GB9c can sit after: Extend (Grapheme_Extend or an emoji modifier), ZWJ, Linker (a Mn). */
const BEFORE_GB9C = /^[\p{Grapheme_Extend}\p{Emoji_Modifier}\u200D]$/u;
const PICTOGRAPHIC = /^\p{Extended_Pictographic}$/u;
/** Code point → whether the segmenter joins it to a preceding letter (Extend, ZWJ, SpacingMark). */
const joinsLetter = new Map<number, boolean>();

function extendsCluster(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  let joins = joinsLetter.get(cp);
  if (joins === undefined) {
    let n = 0;
    for (const _ of graphemes.segment(`a${ch}`)) n++;
    joins = n === 1;
    joinsLetter.set(cp, joins);
  }
  return joins;
}

/**
 * Extended grapheme clusters of `text` as Ruby 3.4 (Unicode 15.0, no rule GB9c) splits them:
 * what Mastodon counts. Equal to `graphemeLength` except in Indic conjuncts (`स्वतंत्रता` is 6
 * here, 4 there; `क्षि` 2 here, 1 there). See the section comment for the rule and its sources.
 */
export function rubyGraphemeLength(text: string): number {
  let n = 0;
  for (const { segment } of graphemes.segment(text)) {
    n++;
    if (segment.length < 3) continue; // GB9c needs a consonant, a linker and a consonant
    let previous = '';
    for (const ch of segment) {
      if (previous && BEFORE_GB9C.test(previous) && !extendsCluster(ch)) {
        if (!(previous === '\u200D' && PICTOGRAPHIC.test(ch))) n++; // GB11 (emoji ZWJ sequences) stays joined
      }
      previous = ch;
    }
  }
  return n;
}

/** Bytes of `text` encoded as UTF-8 (a lone surrogate counts as U+FFFD, 3 bytes, as the server sees it). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

// ---- Mastodon's URL extractor ----------------------------------------------------------------
//
// Mastodon runs twitter-text's Ruby extractor (`Extractor extend Twitter::TwitterText::Extractor`,
// app/lib/extractor.rb) with `extract_url_without_protocol: false`, over twitter-text's `valid_url`
// as Mastodon redefines it in config/initializers/twitter_regex.rb: more schemes (dat, dweb, ipfs,
// ipns, ssb, gopher, gemini), any non-space character inside a path, Unicode in queries, and a
// path that cannot end in punctuation. The domain, port and preceding-character parts are
// twitter-text's own (taken here from the twitter-text package, the same 3.1 rules as the gem).
// Mastodon's overrides are copied from that file, not invented: they decide, for example, that
// `https://ja.wikipedia.org/wiki/日本` is one link (twitter-text alone stops before `日本`).

const src = (r: RegExp) => r.source;
/** Unicode White_Space (Ruby's \p{White_Space}), spelled out: these patterns are not in `u` mode. */
const WHITE_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000';
/** Mastodon's UCHARS (BMP part); the astral ranges are any surrogate pair. */
const UCHARS_BMP = '\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF\\uE000-\\uF8FF';
const ASTRAL = '[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]';

const MASTODON_URL = (() => {
  const pathChar = `[^${WHITE_SPACE}<>()?]`;
  // Ruby interpolates the ending chars before it redefines the balanced parens: twitter-text's own.
  const pathEnding = `(?:[^${WHITE_SPACE}()?!*"'「」<>;:=,.$%\\[\\]~&|@]|(?:${src(twitterText.regexen.validUrlBalancedParens)}))`;
  const parens = `\\((?:${pathChar}+|(?:${pathChar}*\\(${pathChar}+\\)${pathChar}*))\\)`;
  const path = `(?:(?:${pathChar}*(?:${parens}${pathChar}*)*${pathEnding})|(?:${pathChar}+\\/))`;
  const queryChar = `(?:[a-z0-9!?*'();:&=+$/%#\\[\\]\\-_.,~|@\\^${UCHARS_BMP}]|${ASTRAL})`;
  const queryEnding = `(?:[a-z0-9_&=#/\\-${UCHARS_BMP}]|${ASTRAL})`;
  return new RegExp(
    `((${src(twitterText.regexen.validUrlPrecedingChars)})(((?:https?|dat|dweb|ipfs|ipns|ssb|gopher|gemini):\\/\\/)?` +
      `(${src(twitterText.regexen.validDomain)})(?::(${src(twitterText.regexen.validPortNumber)}))?` +
      `(\\/${path}*)?(\\?${queryChar}*${queryEnding})?))`,
    'gi',
  );
})();
const MAX_URL_LENGTH = 4096;
const MAX_TCO_SLUG_LENGTH = 40;

interface Span {
  start: number;
  end: number;
  /** What the span counts as. */
  replacement: string;
}

/**
 * Mastodon's URL entities in `text` (UTF-16 offsets): twitter-text's extract_urls_with_indices with
 * `extract_url_without_protocol: false` over Mastodon's `valid_url`. A link without a scheme
 * (`example.org`) is not one: Mastodon counts it character by character.
 */
export function mastodonUrls(text: string): Array<{ url: string; start: number; end: number }> {
  if (!text.includes(':')) return [];
  const out: Array<{ url: string; start: number; end: number }> = [];
  MASTODON_URL.lastIndex = 0;
  for (let m = MASTODON_URL.exec(text); m; m = MASTODON_URL.exec(text)) {
    let url = m[3] ?? '';
    const protocol = m[4];
    const domain = m[5] ?? '';
    const start = m.index + (m[2]?.length ?? 0);
    if (!protocol) continue;
    // t.co links may not run on into further path characters (twitter-text's extractor).
    const tco = twitterText.regexen.validTcoUrl.exec(url);
    if (tco) {
      if ((tco[1]?.length ?? 0) > MAX_TCO_SLUG_LENGTH) continue;
      url = tco[0];
    }
    if (!validDomain(url, domain)) continue;
    out.push({ url, start, end: start + url.length });
  }
  return out;
}

/**
 * twitter-text's Extractor#is_valid_domain (the gem, which Mastodon runs): the domain goes through
 * `IDN::Idna.toASCII` (libidn, IDNA2003: `idna2003ToAscii`), which refuses a label over 63
 * characters in punycode and characters Unicode 3.2 did not have (emoji such as 👁): the "URL"
 * is then no link, and Mastodon counts it character by character. Otherwise the URL, its domain
 * counted in punycode when that is longer, must fit 4,096 characters (lengths in code points, as
 * Ruby counts them).
 */
function validDomain(url: string, domain: string): boolean {
  if (!domain) return false;
  const encoded = idna2003ToAscii(domain);
  if (encoded === null) return false;
  const codePoints = (s: string) => Array.from(s).length;
  const grown = Math.max(0, encoded.length - codePoints(domain));
  return codePoints(url) + grown <= MAX_URL_LENGTH;
}

// Account::MENTION_RE (app/models/account.rb): USERNAME_RE is ASCII, the domain any [[:word:]],
// and no [[:word:]] right before the @. Onigmo's [[:word:]] on a Unicode string is Letter, Mark,
// Decimal_Number and Connector_Punctuation (doc/RE: "Letter | Mark | Decimal_Number |
// Connector_Punctuation"): not the other numbers, so `x²@alice` is a mention (² is No).
const WORD_CHARS = '\\p{L}\\p{M}\\p{Nd}\\p{Pc}';
const WORD = `[${WORD_CHARS}]`;
const MASTODON_MENTION = new RegExp(
  `(?<![=/${WORD_CHARS}])@(([a-z0-9_]+(?:[.-]+[a-z0-9_]+)*)(?:@${WORD}+(?:[.-]+${WORD}+)*)?)`,
  'giu',
);
/** Extractor::MAX_DOMAIN_LENGTH: a longer domain is not a mention. */
const MAX_DOMAIN_LENGTH = 253;

/**
 * Mastodon's mention entities (Extractor.extract_mentions_or_lists_with_indices): `@user` or
 * `@user@domain`, not followed by another `@`, a Latin accented letter or `://`.
 */
export function mastodonMentions(text: string): Array<{ acct: string; start: number; end: number }> {
  const out: Array<{ acct: string; start: number; end: number }> = [];
  for (const m of text.matchAll(MASTODON_MENTION)) {
    const acct = m[1] ?? '';
    const end = m.index + m[0].length;
    if (twitterText.regexen.endMentionMatch.test(text.slice(end))) continue;
    const domain = acct.split('@')[1];
    if (domain !== undefined && domain.length > MAX_DOMAIN_LENGTH) continue;
    out.push({ acct, start: m.index, end });
  }
  return out;
}

/**
 * The text Mastodon measures (StatusLengthValidator#countable_text): each URL entity replaced by
 * `urlLength` characters, each `@user@domain` by `@user`; overlapping entities keep the earlier
 * (Extractor.remove_overlapping_entities). A blank text counts nothing.
 */
export function mastodonCountableText(text: string, urlLength = MASTODON_URL_LENGTH): string {
  if (text.trim() === '') return '';
  const spans: Span[] = [
    ...mastodonUrls(text).map((u) => ({ start: u.start, end: u.end, replacement: 'x'.repeat(urlLength) })),
    ...mastodonMentions(text).map((m) => ({ start: m.start, end: m.end, replacement: `@${m.acct.split('@')[0]}` })),
  ].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const span of spans) {
    if (span.start < at) continue; // overlaps the previous entity
    out += text.slice(at, span.start) + span.replacement;
    at = span.end;
  }
  return out + text.slice(at);
}

/**
 * Mastodon's length of a status: Ruby 3.4 graphemes (`rubyGraphemeLength`) of `spoilerText` +
 * countable text (StatusLengthValidator#too_long?:
 * `[spoiler_text, countable_text(text)].join.each_grapheme_cluster.size`).
 */
export function mastodonLength(text: string, spoilerText = '', urlLength = MASTODON_URL_LENGTH): number {
  return rubyGraphemeLength(spoilerText + mastodonCountableText(text, urlLength));
}

// twitter-text 3.1 (the last release) weighs an emoji as 2 only when its own emoji table, older
// than Emoji 13, knows the sequence; a newer one is weighed code point by code point: 🧑‍🔧 is
// 2 + 1 (ZWJ) + 2 = 5, 🫱🏻‍🫲🏿 9, while X counts every emoji sequence as 2 (twitter/twitter-text#369).
// So each RGI emoji (Unicode's recommended emoji, every sequence the running engine's Unicode
// knows: `\p{RGI_Emoji}`) outside a link is replaced by one emoji twitter-text knows before it
// weighs the text. Links are left as they are: they weigh 23 whatever they hold.
const RGI_EMOJI = new RegExp('\\p{RGI_Emoji}', 'gv');
/** 😀, in every twitter-text emoji table: weighs 2. */
const KNOWN_EMOJI = '\u{1F600}';

/** `text` (NFC, as twitter-text weighs it) with every RGI emoji outside a link replaced by 😀. */
function xWeighable(text: string): string {
  const nfc = text.normalize('NFC');
  const links = twitterText.extractUrlsWithIndices(nfc).map((u) => u.indices);
  let out = '';
  let at = 0;
  for (const m of nfc.matchAll(RGI_EMOJI)) {
    const end = m.index + m[0].length;
    if (links.some(([start, stop]) => m.index < stop && end > start)) continue;
    out += nfc.slice(at, m.index) + KNOWN_EMOJI;
    at = end;
  }
  return out + nfc.slice(at);
}

/**
 * X's weighted length: twitter-text `parseTweet(...).weightedLength` (the v3 configuration: most
 * scripts 1, CJK 2, links 23) with every RGI emoji sequence weighing 2, as X counts them.
 */
export function xWeightedLength(text: string): number {
  return twitterText.parseTweet(xWeighable(text)).weightedLength;
}

// ---- characters X refuses ----------------------------------------------------------------------
//
// twitter-text (the library X publishes for counting and validating posts as X does) refuses a
// post holding any of its invalid characters, whatever its length: `invalidCharsGroup` is
// U+FFFE, U+FEFF, U+FFFF in twitter-text 3 (js/src/regexp/invalidCharsGroup.js; the Java and
// Ruby validators' INVALID_CHARACTERS; twitter-text 1.x also listed U+202A–U+202E, dropped since,
// and its tests now take those as valid). `parseTweet(...).valid` is then false and
// `isInvalidTweet` answers 'invalid_characters'. Nothing documents X stripping them, so they are
// refusals: Colonnade names the character instead of sending a post X would refuse (or calling
// it too long). The one exception is a U+FEFF that starts the text: there it is a byte order
// mark (Unicode §23.8: at the start of a text U+FEFF is a signature, not content; its use as a
// zero-width no-break space is deprecated in favour of U+2060), which comes in with text pasted
// from a file: `xPostText` drops it (JavaScript's `String.prototype.trim` does too).

/** twitter-text's invalid characters, by code point, with the key of their name in words. */
const X_REFUSED: ReadonlyMap<number, { key: string; name: string }> = new Map([
  [0xfeff, { key: 'byte-order-mark', name: 'byte order mark (zero-width no-break space)' }],
  [0xfffe, { key: 'noncharacter-fffe', name: 'noncharacter U+FFFE (a byte order mark read backwards)' }],
  [0xffff, { key: 'noncharacter-ffff', name: 'noncharacter U+FFFF' }],
]);

/** One character X refuses, where it is. */
export interface RefusedCharacter {
  /** The code point, written `U+FEFF`. */
  code: string;
  /** Its name as a key of the UI's `characters` translations (`byte-order-mark`…). */
  key: string;
  /** Its name in English words (logs, messages). */
  name: string;
  /** UTF-16 offset in the text given. */
  index: number;
  /** 1-based position in the text as sent, in characters as a reader counts them (graphemes). */
  position: number;
}

/** The text Colonnade sends to X: without the byte order marks that start it (see above). */
export function xPostText(text: string): string {
  return text.replace(/^\uFEFF+/, '');
}

/**
 * The characters of `text` X refuses (twitter-text's `invalidCharsGroup`), in order, except
 * byte order marks at its very start (dropped before sending: `xPostText`). Empty when X takes
 * every character.
 */
export function xRefusedCharacters(text: string): RefusedCharacter[] {
  const sent = xPostText(text);
  const skipped = text.length - sent.length;
  const out: RefusedCharacter[] = [];
  let position = 0;
  for (const { segment, index } of graphemes.segment(sent)) {
    position++;
    for (let i = 0; i < segment.length; i++) {
      const refused = X_REFUSED.get(segment.charCodeAt(i));
      if (!refused) continue;
      const hex = segment.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
      out.push({ code: `U+${hex}`, key: refused.key, name: refused.name, index: skipped + index + i, position });
    }
  }
  return out;
}

/**
 * A post's length in the network's main unit (X weighted characters, Bluesky graphemes, Mastodon
 * countable graphemes), counted on the text as it is sent (`textToPublish(text)`: a trailing line
 * break typed after the last word counts nothing). `spoilerText` is a content warning: Mastodon
 * counts it; the others have none.
 */
export function countText(text: string, rules: CountingRules, spoilerText = ''): number {
  const sent = textToPublish(text);
  switch (rules.counting) {
    case 'weighted':
      // As sent: a leading byte order mark is dropped (it would weigh 2).
      return xWeightedLength(xPostText(sent));
    case 'graphemes':
      return graphemeLength(sent);
    case 'characters':
      return mastodonLength(sent, spoilerText, rules.urlLength ?? MASTODON_URL_LENGTH);
  }
}

/** One limit and where the text stands against it. */
export interface LimitMeasure {
  /** 'characters' is the network's main count (weighted, graphemes or countable graphemes). */
  unit: 'characters' | 'bytes';
  length: number;
  max: number;
}

/** Where a text stands against every limit of its network, and which one binds. */
export interface TextMeasure {
  /** The limit closest to being (or most) exceeded: the one the counter shows. */
  binding: LimitMeasure;
  /** Every limit of the network (characters first, then bytes where there is a byte limit). */
  limits: LimitMeasure[];
  /** Some limit is exceeded: the server would refuse the post. */
  over: boolean;
  /** The binding limit is nearly reached (90 % or more): the counter turns red before the limit. */
  near: boolean;
  /**
   * Characters the network refuses whatever the length (X: `xRefusedCharacters`); empty when
   * none. The server would refuse the post while `refused` is not empty, though no limit is over.
   */
  refused: RefusedCharacter[];
}

/** The share of a limit past which the counter warns. */
export const NEAR_LIMIT = 0.9;

/**
 * Measures `text` as it is sent (`textToPublish`) against every limit in `rules` (the main count
 * against `maxLength`, UTF-8 bytes against `maxBytes` where set) and says which binds: the one
 * with the largest share used, the main count on a tie. A post exactly at a limit is within it
 * (servers refuse only `> max`).
 */
export function measureText(text: string, rules: CountingRules, spoilerText = ''): TextMeasure {
  const limits: LimitMeasure[] = [
    { unit: 'characters', length: countText(text, rules, spoilerText), max: rules.maxLength },
  ];
  if (rules.maxBytes !== undefined) {
    limits.push({ unit: 'bytes', length: utf8Length(textToPublish(text)), max: rules.maxBytes });
  }
  let binding = limits[0]!;
  for (const limit of limits) if (limit.length / limit.max > binding.length / binding.max) binding = limit;
  const over = limits.some((l) => l.length > l.max);
  const refused = rules.counting === 'weighted' ? xRefusedCharacters(textToPublish(text)) : [];
  return { binding, limits, over, near: !over && binding.length >= binding.max * NEAR_LIMIT, refused };
}

/**
 * The limit a text is refused for, or undefined when it fits: the first exceeded limit of
 * `measure.limits` (the main count before bytes), as the server would check them.
 */
export function exceededLimit(measure: TextMeasure): LimitMeasure | undefined {
  return measure.limits.find((l) => l.length > l.max);
}

/**
 * The params of a `too-long` refusal (the UI's `reasons.too-long`): the limit `max`, its `unit`
 * ('characters' or 'bytes') and the text's `length` in that unit, as strings. Every length check
 * (main's outbox when a post is submitted, each adapter's own before sending) says it this way.
 */
export function tooLongParams(limit: LimitMeasure): { max: string; unit: LimitMeasure['unit']; length: string } {
  return { max: String(limit.max), unit: limit.unit, length: String(limit.length) };
}
