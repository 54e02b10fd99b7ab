// Splits a post's text into plain runs and its entities (hashtags, links, mentions), and plain
// runs into text and custom emoji.
import type { CustomEmoji, Entity, Poll } from '../../shared/model';

/**
 * The web address `url` may open or load, or null when it is not one: http(s) only, as a URL the
 * WHATWG parser reads. Every address a post carries (a link facet or entity, a card, an
 * attachment, the post's page) is the poster's or a server's word: `javascript:`, `data:`,
 * `file:` or an app's own scheme is never made a link. (The shell opens http(s) links only too.)
 */
export function webUrlOf(url: string | null | undefined): URL | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u : null;
  } catch {
    return null;
  }
}

/** The host a reader recognises: `blog.example` for `https://www.blog.example/x`; not a web address: as given. */
export function hostOf(url: string): string {
  const u = webUrlOf(url);
  return u ? u.hostname.replace(/^www\./, '') : url;
}

export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'hashtag' | 'mention'; text: string; value: string }
  /** `text` is what to show (the network's `display` when it has one); `value` is the target. */
  | { kind: 'link'; text: string; value: string };

/**
 * The text cut at its entities (UTF-16 offsets, end exclusive). A range that is empty, reaches
 * past the end or overlaps an earlier one is ignored (its text stays plain). A link shows its
 * `display` (X `display_url`) when set, and keeps `value` as its target.
 */
export function segmentText(text: string, entities: readonly Entity[]): Segment[] {
  const sorted = [...entities].filter((e) => e.start < e.end && e.end <= text.length).sort((a, b) => a.start - b.start);
  const out: Segment[] = [];
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) continue; // overlapping entity: keep the first
    if (e.start > at) out.push({ kind: 'text', text: text.slice(at, e.start) });
    const span = text.slice(e.start, e.end);
    out.push({ kind: e.kind, text: e.kind === 'link' && e.display ? e.display : span, value: e.value });
    at = e.end;
  }
  if (at < text.length) out.push({ kind: 'text', text: text.slice(at) });
  return out;
}

/** A text matched literally in a `u` pattern (only syntax characters may be escaped there). */
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A pattern for `:shortcode:` of exactly the listed emoji, longest first, not touching a letter,
 * digit or colon on either side (Mastodon's rule, app/models/custom_emoji.rb `SCAN_RE`). The
 * shortcodes are matched as listed, whatever their characters: Mastodon's own are `[a-zA-Z0-9_]`,
 * but Pleroma, Akkoma and Misskey accounts list ones with `-`, `+` or `.` (`:hiroi-laugh:`).
 */
function shortcodePattern(emojis: readonly CustomEmoji[]): RegExp | undefined {
  const codes = [...new Set(emojis.map((e) => e.shortcode))]
    .filter((c) => c.length > 0 && !/[\s:]/.test(c))
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp);
  if (codes.length === 0) return undefined;
  return new RegExp(`(?<=^|[^\\p{L}\\p{N}:]):(${codes.join('|')}):(?=[^\\p{L}\\p{N}:]|$)`, 'gu');
}

/**
 * Plain text cut into runs and the custom emoji it uses: only shortcodes listed in `emojis` become
 * emoji (any other `:word:` stays text), as Mastodon's own web client does.
 */
export function splitEmoji(text: string, emojis: readonly CustomEmoji[] | undefined): Array<string | CustomEmoji> {
  if (!emojis || emojis.length === 0 || !text.includes(':')) return text ? [text] : [];
  const pattern = shortcodePattern(emojis);
  if (!pattern) return text ? [text] : [];
  const known = new Map(emojis.map((e) => [e.shortcode, e]));
  const out: Array<string | CustomEmoji> = [];
  let at = 0;
  for (const match of text.matchAll(pattern)) {
    const emoji = known.get(match[1]!);
    if (!emoji) continue;
    if (match.index > at) out.push(text.slice(at, match.index));
    out.push(emoji);
    at = match.index + match[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

/**
 * User-written text for an accessible name (an article's label, an avatar's): each listed custom
 * emoji's `:shortcode:` becomes its name, the shortcode without colons ("IF Power :ifpower:" reads
 * "IF Power ifpower"), spaces collapsed. The visible text keeps the images, whose alt is `:shortcode:`.
 */
export function spokenText(text: string, emojis: readonly CustomEmoji[] | undefined): string {
  return splitEmoji(text, emojis)
    .map((part) => (typeof part === 'string' ? part : part.shortcode))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A profile's name for an accessible name: its display name spoken, else `@handle`. */
export function spokenName(profile: { displayName: string; handle: string; emojis?: readonly CustomEmoji[] }): string {
  return spokenText(profile.displayName, profile.emojis) || `@${profile.handle}`;
}

/** One option of a poll as shown: its share in percent (0–100, rounded), or null while hidden. */
export interface PollShare {
  title: string;
  /** Rounded to a whole percent, as Mastodon's web app shows it; null while the counts are hidden. */
  percent: number | null;
  /** The exact share (0–100), for the bar's width. */
  exact: number | null;
  /** It has the most votes (ties: all of them). */
  leading: boolean;
  /** The viewer chose it. */
  own: boolean;
}

/**
 * Each option's share as Mastodon's web app computes it (app/javascript/mastodon/components/
 * poll.tsx: `option.votes_count / (poll.voters_count ?? poll.votes_count)`): of the people who
 * voted in a multiple-choice poll (whose shares add up to more than 100), of the votes otherwise;
 * 0 when nobody voted. Null while the network hides the counts (Mastodon `hide_totals`).
 */
export function pollShares(poll: Poll): PollShare[] {
  const votes = poll.options.reduce((sum, o) => sum + (o.votes ?? 0), 0);
  const total = poll.multiple ? (poll.voters ?? votes) : votes;
  const most = Math.max(0, ...poll.options.map((o) => o.votes ?? 0));
  const own = new Set(poll.ownVotes ?? []);
  return poll.options.map((o, i) => {
    const exact = o.votes === null ? null : total === 0 ? 0 : Math.min(100, (o.votes / total) * 100);
    return {
      title: o.title,
      exact,
      percent: exact === null ? null : Math.round(exact),
      leading: o.votes !== null && votes > 0 && o.votes === most,
      own: own.has(i),
    };
  });
}

/** How many took part: the voters where known, else the votes (Mastodon's web app says which). */
export function pollTurnout(poll: Poll): { count: number; unit: 'people' | 'votes' } {
  if (poll.voters !== null) return { count: poll.voters, unit: 'people' };
  return { count: poll.options.reduce((sum, o) => sum + (o.votes ?? 0), 0), unit: 'votes' };
}

/** Grapheme clusters (one segmenter for every avatar's initials). */
const graphemes = new Intl.Segmenter();

/**
 * Up to two initials of a name (or of a handle when the name is empty), for a missing avatar; the
 * name's custom emoji (`:shortcode:`, those listed and any Mastodon-style one) are left out.
 */
export function initialsOf(displayName: string, handle: string, emojis?: readonly CustomEmoji[]): string {
  const pattern = emojis ? shortcodePattern(emojis) : undefined;
  const bare = (pattern ? displayName.replace(pattern, ' ') : displayName).replace(/:[a-zA-Z0-9_]{2,}:/g, ' ');
  // Words are what holds a letter, digit or emoji: "(dev)" gives "d", "—" gives nothing.
  const wordOf = (w: string) => w.replace(/^[^\p{L}\p{N}\p{Extended_Pictographic}]+/u, '');
  const split = (s: string) =>
    s
      .split(/[\s._-]+/)
      .map(wordOf)
      .filter(Boolean);
  const words = split(bare).length ? split(bare) : split(handle);
  const first = (w: string | undefined) => (w ? ([...graphemes.segment(w)][0]?.segment ?? '') : '');
  return (first(words[0]) + (words.length > 1 ? first(words[words.length - 1]) : '')).toUpperCase();
}
