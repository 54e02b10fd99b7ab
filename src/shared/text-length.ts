// A post's length as its network counts it, and which of the network's limits binds. Pure
// functions, shared by the composer's counter (renderer) and by main's check before publishing,
// so a post the server would accept is never blocked and one it would refuse is never sent.
//
// - X: twitter-text's weighted length (most scripts 1, CJK and emoji 2, every link 23).
// - Bluesky: 300 graphemes AND 3,000 bytes of UTF-8 (lexicon app.bsky.feed.post, `text`:
//   maxGraphemes 300, maxLength 3000; @atproto/lexicon validators/primitives.ts checks both).
// - Mastodon: the extended grapheme clusters of the "countable text" of
//   app/validators/status_length_validator.rb: the spoiler text, then the text in which each
//   URL found by the extractor becomes 23 characters and each `@user@domain` mention `@user`.
import twitterText from 'twitter-text';
import type { TextRules } from './adapter';

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
    if (!validDomainLength(url.length, domain)) continue;
    out.push({ url, start, end: start + url.length });
  }
  return out;
}

/**
 * twitter-text's is_valid_domain: the URL fits 4,096 characters. (The gem measures the domain in
 * punycode, a little longer for a non-ASCII domain; only a URL within a few characters of 4,096
 * could differ, and it would then count as 23 here and by its length on the server.)
 */
function validDomainLength(urlLength: number, domain: string): boolean {
  return domain.length > 0 && urlLength <= MAX_URL_LENGTH;
}

// Account::MENTION_RE (app/models/account.rb): USERNAME_RE is ASCII, the domain any [[:word:]]
// (Ruby: letters, marks, numbers, connector punctuation).
const WORD = '[\\p{L}\\p{M}\\p{N}\\p{Pc}]';
const MASTODON_MENTION = new RegExp(
  `(?<![=/\\p{L}\\p{M}\\p{N}\\p{Pc}])@(([a-z0-9_]+(?:[.-]+[a-z0-9_]+)*)(?:@${WORD}+(?:[.-]+${WORD}+)*)?)`,
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
 * Mastodon's length of a status: graphemes of `spoilerText` + countable text
 * (StatusLengthValidator#too_long?: `[spoiler_text, countable_text(text)].join.each_grapheme_cluster.size`).
 */
export function mastodonLength(text: string, spoilerText = '', urlLength = MASTODON_URL_LENGTH): number {
  return graphemeLength(spoilerText + mastodonCountableText(text, urlLength));
}

/** X's weighted length (twitter-text `parseTweet(...).weightedLength`, the v3 configuration). */
export function xWeightedLength(text: string): number {
  return twitterText.parseTweet(text).weightedLength;
}

/**
 * A post's length in the network's main unit (X weighted characters, Bluesky graphemes, Mastodon
 * countable graphemes). `spoilerText` is a content warning: Mastodon counts it; the others have none.
 */
export function countText(text: string, rules: CountingRules, spoilerText = ''): number {
  switch (rules.counting) {
    case 'weighted':
      return xWeightedLength(text);
    case 'graphemes':
      return graphemeLength(text);
    case 'characters':
      return mastodonLength(text, spoilerText, rules.urlLength ?? MASTODON_URL_LENGTH);
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
}

/** The share of a limit past which the counter warns. */
export const NEAR_LIMIT = 0.9;

/**
 * Measures `text` against every limit in `rules` (the main count against `maxLength`, UTF-8 bytes
 * against `maxBytes` where set) and says which binds: the one with the largest share used, the
 * main count on a tie. A post exactly at a limit is within it (servers refuse only `> max`).
 */
export function measureText(text: string, rules: CountingRules, spoilerText = ''): TextMeasure {
  const limits: LimitMeasure[] = [
    { unit: 'characters', length: countText(text, rules, spoilerText), max: rules.maxLength },
  ];
  if (rules.maxBytes !== undefined) {
    limits.push({ unit: 'bytes', length: utf8Length(text), max: rules.maxBytes });
  }
  let binding = limits[0]!;
  for (const limit of limits) if (limit.length / limit.max > binding.length / binding.max) binding = limit;
  const over = limits.some((l) => l.length > l.max);
  return { binding, limits, over, near: !over && binding.length >= binding.max * NEAR_LIMIT };
}
