// Splits a post's text into plain runs and its entities (hashtags, links, mentions), and plain
// runs into text and custom emoji.
import type { CustomEmoji, Entity } from '../../shared/model';

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

/**
 * Mastodon's custom emoji pattern (app/models/custom_emoji.rb, `SCAN_RE`): `:shortcode:` of two
 * or more `[a-zA-Z0-9_]`, not touching a letter, digit or colon on either side.
 */
const SHORTCODE = /(?<=^|[^\p{L}\p{N}:]):([a-zA-Z0-9_]{2,}):(?=[^\p{L}\p{N}:]|$)/gu;

/**
 * Plain text cut into runs and the custom emoji it uses: only shortcodes listed in `emojis` become
 * emoji (any other `:word:` stays text), as Mastodon's own web client does.
 */
export function splitEmoji(text: string, emojis: readonly CustomEmoji[] | undefined): Array<string | CustomEmoji> {
  if (!emojis || emojis.length === 0 || !text.includes(':')) return text ? [text] : [];
  const known = new Map(emojis.map((e) => [e.shortcode, e]));
  const out: Array<string | CustomEmoji> = [];
  let at = 0;
  for (const match of text.matchAll(SHORTCODE)) {
    const emoji = known.get(match[1]!);
    if (!emoji) continue;
    if (match.index > at) out.push(text.slice(at, match.index));
    out.push(emoji);
    at = match.index + match[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

/** Up to two initials of a name (or of a handle when the name is empty), for a missing avatar. */
export function initialsOf(displayName: string, handle: string): string {
  const words = (displayName.replace(/:[a-zA-Z0-9_]{2,}:/g, ' ').trim() || handle).split(/[\s._-]+/).filter(Boolean);
  const first = (w: string | undefined) => (w ? ([...new Intl.Segmenter().segment(w)][0]?.segment ?? '') : '');
  return (first(words[0]) + (words.length > 1 ? first(words[words.length - 1]) : '')).toUpperCase();
}
