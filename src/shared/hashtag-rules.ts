// What each network treats as a hashtag, so a monitor or a Hashtag column never watches a tag that
// no chosen network can ever attach to a post ("#🚲" on X, "#2024" on Mastodon): such a column
// would stay empty for ever, with nothing saying why. No React here: the rules alone.
import type { NetworkId } from './model';

/**
 * X, from twitter-text (github.com/twitter/twitter-text, js/src/regexp/validHashtag.js and the
 * files it composes): `[#＃]` not followed by U+FE0F or U+20E3, then `hashtagAlphaNumeric*
 * hashtagAlpha hashtagAlphaNumeric*`, where hashtagAlpha is a Unicode letter or mark
 * (bmpLetterAndMarks, astralLetterAndMarks) and hashtagAlphaNumeric adds the decimal digits
 * (bmpNumerals, astralNumerals) and hashtagSpecialChars.js: `_`, U+200C and U+200D (zero-width
 * non-joiner and joiner), ꙾ ־ ׳ ״ ～ 〜 ゛ ゜ ゠ ・ 〃 ་ ༌ ·. A hashtag followed by `#`, `＃` or
 * `://` (endHashtagMatch.js) is no hashtag at all.
 */
const X_ALPHA = '\\p{L}\\p{M}';
const X_ALNUM = `${X_ALPHA}\\p{Nd}_\\u200c\\u200d\\ua67e\\u05be\\u05f3\\u05f4\\uff5e\\u301c\\u309b\\u309c\\u30a0\\u30fb\\u3003\\u0f0b\\u0f0c\\u00b7`;
// Each joiner and mark in these classes is one character of the class (as in twitter-text and
// @atproto/api, which disable the same rule): no sequence is meant.
// eslint-disable-next-line no-misleading-character-class
const X_TAG = new RegExp(`^(?!\\ufe0f|\\u20e3)[${X_ALNUM}]*[${X_ALPHA}][${X_ALNUM}]*`, 'u');
const X_END = /^(?:[#＃]|:\/\/)/u;

/**
 * Mastodon, from app/models/tag.rb (github.com/mastodon/mastodon; `Tag::Naming` in newer
 * versions): HASHTAG_RE is `[#＃]` then HASHTAG_NAME_PAT, either HASHTAG_FIRST_SEQUENCE (word
 * characters with the separators `_`, `·`, `・` and U+200C inside, one alphabetic character or
 * separator among them, starting and ending with a word character or `_`) or
 * HASHTAG_LAST_SEQUENCE (`[[:word:]_]*[[:alpha:]][[:word:]_]*`). In Ruby's regexps (Onigmo, doc/RE,
 * "POSIX bracket", Unicode case) `[[:word:]]` is a letter, mark, decimal digit or connector
 * punctuation and `[[:alpha:]]` is Unicode Alphabetic.
 */
const M_WORD = '\\p{L}\\p{M}\\p{Nd}\\p{Pc}';
const M_SEPARATORS = '_\\u00b7\\u30fb\\u200c';
const M_FIRST = `[${M_WORD}_][${M_WORD}${M_SEPARATORS}]*[\\p{Alphabetic}${M_SEPARATORS}][${M_WORD}${M_SEPARATORS}]*[${M_WORD}_]`;
const M_LAST = `[${M_WORD}_]*\\p{Alphabetic}[${M_WORD}_]*`;
const MASTODON_TAG = new RegExp(`^(?:${M_FIRST}|${M_LAST})`, 'u');

/**
 * Bluesky, from the facet detection its app uses (github.com/bluesky-social/atproto,
 * packages/api/src/rich-text/util.ts TAG_REGEX and detection.ts `detectFacets`, as published in
 * @atproto/api): `[#＃]` not followed by U+FE0F, then characters that are neither white space nor
 * U+00AD, U+2060, U+200A–U+200D, U+20E2, with at least one that is not an ASCII digit or
 * punctuation; trailing punctuation is dropped; a tag over 64 graphemes is none (the lexicon
 * app.bsky.richtext.facet#tag: maxGraphemes 64). Emoji count: "#🚲" is a Bluesky hashtag.
 */
const B_STOP = '\\s\\u00ad\\u2060\\u200a\\u200b\\u200c\\u200d\\u20e2';
// eslint-disable-next-line no-misleading-character-class
const BLUESKY_TAG = new RegExp(`^(?!\\ufe0f)[^${B_STOP}]*[^\\d\\p{P}${B_STOP}]+[^${B_STOP}]*`, 'u');
export const BLUESKY_TAG_MAX_GRAPHEMES = 64;

/**
 * The Sandbox, from src/main/networks/sandbox/adapter.ts `entitiesIn`: letters, marks, digits
 * and `_`, not digits alone.
 */
const SANDBOX_TAG = /^[\p{L}\p{M}\p{N}_]*[\p{L}\p{M}_][\p{L}\p{M}\p{N}_]*/u;

const graphemes = (text: string) =>
  [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].length;

/**
 * What `network` makes a hashtag of in "#" + `tag` typed after a space: the tag it links (without
 * its sign), the start of `tag` when the network ends the hashtag early ("foo" for "foo-bar" on X),
 * or '' when it links nothing. `tooLong` is set when Bluesky would link it but for its length.
 */
export function linkedTag(network: NetworkId, tag: string): { linked: string; tooLong?: true } {
  switch (network) {
    case 'x': {
      const linked = X_TAG.exec(tag)?.[0] ?? '';
      return { linked: X_END.test(tag.slice(linked.length)) ? '' : linked };
    }
    case 'mastodon':
      return { linked: MASTODON_TAG.exec(tag)?.[0] ?? '' };
    case 'bluesky': {
      const linked = (BLUESKY_TAG.exec(tag)?.[0] ?? '').replace(/\p{P}+$/u, '');
      return graphemes(linked) > BLUESKY_TAG_MAX_GRAPHEMES ? { linked: '', tooLong: true } : { linked };
    }
    case 'sandbox':
      return { linked: SANDBOX_TAG.exec(tag)?.[0] ?? '' };
  }
}

/** Why no chosen network would make a hashtag of a tag, for the form to say. */
export type HashtagRefusal =
  /** "#" with nothing after it. */
  | { kind: 'alone' }
  /** "##x": networks read a doubled sign differently (Bluesky: the tag "#x"; X: "x"). */
  | { kind: 'doubleSign'; tag: string }
  /** Nothing would be linked, and there is no letter (digits, emoji or symbols alone). */
  | { kind: 'needsLetter'; networks: NetworkId[] }
  /** Nothing would be linked although there are letters: `char` is where it goes wrong (the start). */
  | { kind: 'badStart'; networks: NetworkId[]; char: string }
  /** `networks` would link `linked` only, ending the hashtag at `char`. */
  | { kind: 'stops'; networks: NetworkId[]; char: string; linked: string }
  /** Only Bluesky would link it, but for its length (`max` graphemes). */
  | { kind: 'tooLong'; max: number };

/**
 * Checks one hashtag as typed (`typed`: with or without '#' or '＃') against the networks of the
 * chosen profiles: it passes when at least one of them would make exactly this hashtag of it.
 * Answers the tag to store (without its sign) or why none would. `networks` empty: every network.
 */
export function checkHashtag(
  typed: string,
  networks: readonly NetworkId[],
): { ok: true; tag: string } | { ok: false; refusal: HashtagRefusal } {
  const sign = /^[#＃]+/u.exec(typed)?.[0] ?? '';
  const tag = typed.slice(sign.length);
  if (tag === '') return { ok: false, refusal: { kind: 'alone' } };
  if ([...sign].length > 1) return { ok: false, refusal: { kind: 'doubleSign', tag } };
  const chosen: NetworkId[] = networks.length
    ? [...new Set(networks)]
    : (['x', 'bluesky', 'mastodon', 'sandbox'] as NetworkId[]);
  const reads = chosen.map((network) => ({ network, ...linkedTag(network, tag) }));
  if (reads.some((r) => r.linked === tag)) return { ok: true, tag };

  // The networks that read the most of it say where it ends.
  const longest = Math.max(...reads.map((r) => r.linked.length));
  if (longest > 0) {
    const at = reads.filter((r) => r.linked.length === longest);
    const char = String.fromCodePoint(tag.codePointAt(longest)!);
    return { ok: false, refusal: { kind: 'stops', networks: at.map((r) => r.network), char, linked: at[0]!.linked } };
  }
  if (reads.some((r) => r.tooLong)) return { ok: false, refusal: { kind: 'tooLong', max: BLUESKY_TAG_MAX_GRAPHEMES } };
  if (!/\p{L}/u.test(tag)) return { ok: false, refusal: { kind: 'needsLetter', networks: chosen } };
  return {
    ok: false,
    refusal: { kind: 'badStart', networks: chosen, char: String.fromCodePoint(tag.codePointAt(0)!) },
  };
}

/** True for a character one cannot see (a format or control character, a space): shown by its code point. */
export const isInvisible = (char: string) => /^[\p{Cf}\p{Cc}\p{Z}\p{M}]$/u.test(char);

/** "U+200D" for a character. */
export const codePointOf = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
