// Column filters (issue 7, "Reading"): what a column hides, applied when the renderer reads the
// column's entries from Dexie (db/database.ts `readColumn`). Per column: `Column.options.filters`;
// in every column: the mute words of the settings (`Settings.mute`). Pure functions, no DOM.
import { ColumnOptionsSchema, type Column, type ColumnOptions, type Post, type QuotedPost } from '../../shared/model';
import type { ShownEntry } from '../db/database';

export type ColumnFilters = ColumnOptions['filters'];

/** A column's options, with every default filled in (a column saved before options existed has none). */
export function optionsOf(column: Pick<Column, 'options'>): ColumnOptions {
  return ColumnOptionsSchema.parse(column.options ?? {});
}

/** Flags a mute pattern may carry: `g` and `y` make `RegExp.test` stateful, so they are dropped. */
const KEPT_FLAGS = new Set(['i', 'm', 's', 'u', 'v']);

/** Letters, marks, digits and connector punctuation: Ruby's `[[:word:]]`, which Mastodon's filters use. */
const WORD_CLASS = '[\\p{L}\\p{M}\\p{N}\\p{Pc}]';
const WORD_CHAR = new RegExp(WORD_CLASS, 'u');

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * A mute pattern as a regular expression. `/body/flags` is a regular expression, always
 * case-insensitive (as Mastodon's regexp filters, app/models/phrase_block.rb `to_regexp`); any
 * other text is a word or phrase matched case-insensitively as a whole word: with a word boundary
 * on a side only where the phrase starts (ends) with a word character, as Mastodon's keyword
 * filters do (app/models/custom_filter.rb, `whole_word`), so `#spoiler` and `cat` hide
 * "#spoiler!" and "a cat", not "#spoilers" or "category". Answers the error message (the
 * engine's words) for a regular expression that does not compile; never throws.
 */
export function compileMute(pattern: string): { regex: RegExp } | { error: string } {
  const source = pattern.trim();
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(source);
  if (literal) {
    const [, body = '', written = ''] = literal;
    const unknown = [...written].find((f) => !'dgimsuvy'.includes(f));
    if (unknown) return { error: `Invalid flag "${unknown}"` };
    const flags = new Set([...written].filter((f) => KEPT_FLAGS.has(f)));
    flags.add('i');
    try {
      return { regex: new RegExp(body, [...flags].join('')) };
    } catch (err) {
      // V8 says "Invalid regular expression: /(a/i: Unterminated group": the pattern is named
      // already, and the `i` added here would puzzle; the reason is what is left.
      const message = err instanceof Error ? err.message : String(err);
      return { error: message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') };
    }
  }
  const chars = [...source];
  const start = WORD_CHAR.test(chars[0] ?? '') ? `(?<!${WORD_CLASS})` : '';
  const end = WORD_CHAR.test(chars.at(-1) ?? '') ? `(?!${WORD_CLASS})` : '';
  return { regex: new RegExp(`${start}${escapeRegExp(source)}${end}`, 'iu') };
}

/** A mute pattern that does not compile, and why (for the options dialog). */
export interface MuteError {
  pattern: string;
  message: string;
}

/** Every pattern of `patterns` that does not compile, with the engine's message. */
export function muteErrors(patterns: readonly string[]): MuteError[] {
  const out: MuteError[] = [];
  for (const pattern of patterns) {
    const compiled = compileMute(pattern);
    if ('error' in compiled) out.push({ pattern, message: compiled.error });
  }
  return out;
}

/** What a column's filters keep, compiled once per change of the options or the settings. */
export interface CompiledFilters {
  /** False when nothing is filtered (the column reads without a predicate). */
  active: boolean;
  keep(entry: ShownEntry): boolean;
  /** Mute patterns left out because they do not compile (the rest still apply). */
  errors: MuteError[];
}

const handleOf = (text: string) => text.trim().replace(/^@+/, '').toLowerCase();

/**
 * True when `handle` is one of `wanted` (handles without '@', any case). A wanted handle without
 * a server ("ada") also matches that name on any Mastodon server ("ada@mastodon.social").
 */
function handleIn(handle: string, wanted: ReadonlySet<string>): boolean {
  const h = handleOf(handle);
  if (wanted.has(h)) return true;
  const at = h.indexOf('@');
  return at > 0 && wanted.has(h.slice(0, at));
}

/**
 * The words a post shows that mute patterns look at, each tested on its own (so `^` and `$` mean
 * its start and end): its text, content warning, and the quoted post's.
 */
function mutableTexts(post: Post | QuotedPost): string[] {
  const parts = [post.text, post.contentWarning ?? ''];
  if ('quote' in post && post.quote) parts.push(post.quote.text, post.quote.contentWarning ?? '');
  return parts.filter((p) => p.length > 0);
}

/** The post's language (ISO 639-1), where the network says: not part of the shared model yet. */
const languageOf = (post: Post): string | undefined =>
  (post as Post & { language?: string | null }).language ?? undefined;

/**
 * Compiles a column's filters and the global mute patterns into one predicate over entries. What
 * it hides: reposts (`excludeReposts`, an entry met through a repost), replies (`excludeReplies`),
 * posts without media (`mediaOnly`), posts under a minimum of likes, reposts or replies, posts
 * not from (`from`) or not mentioning (`mentioning`) given handles, posts in another language
 * than `language` (a post whose language the network does not give is kept), and posts whose
 * text, content warning or quoted text matches a mute pattern (see `compileMute`). Entries
 * without a post (a follow) and gap markers are never hidden: filters are about posts. A mute
 * pattern that does not compile is left out and reported in `errors`.
 */
export function compileFilters(
  filters: Partial<ColumnFilters> | undefined,
  globalMute: readonly string[] = [],
): CompiledFilters {
  const f = filters ?? {};
  const patterns = [...(f.mute ?? []), ...globalMute];
  const errors: MuteError[] = [];
  const mutes: RegExp[] = [];
  for (const pattern of patterns) {
    const compiled = compileMute(pattern);
    if ('regex' in compiled) mutes.push(compiled.regex);
    else errors.push({ pattern, message: compiled.error });
  }
  const from = new Set((f.from ?? []).map(handleOf).filter(Boolean));
  const mentioning = new Set((f.mentioning ?? []).map(handleOf).filter(Boolean));
  const minLikes = f.minLikes ?? 0;
  const minReposts = f.minReposts ?? 0;
  const minReplies = f.minReplies ?? 0;
  const language = f.language?.toLowerCase();
  const active =
    !!f.excludeReposts ||
    !!f.excludeReplies ||
    !!f.mediaOnly ||
    minLikes > 0 ||
    minReposts > 0 ||
    minReplies > 0 ||
    from.size > 0 ||
    mentioning.size > 0 ||
    !!language ||
    mutes.length > 0;

  const keep = (entry: ShownEntry): boolean => {
    const post = entry.post;
    if (!post || entry.gap) return true;
    if (f.excludeReposts && entry.repostedBy) return false;
    if (f.excludeReplies && post.replyTo !== undefined) return false;
    if (f.mediaOnly && post.media.length === 0) return false;
    if (post.metrics.likes < minLikes || post.metrics.reposts < minReposts || post.metrics.replies < minReplies) {
      return false;
    }
    if (from.size > 0 && !handleIn(post.author.handle, from)) return false;
    if (mentioning.size > 0) {
      const mentioned = post.entities.filter((e) => e.kind === 'mention').map((e) => e.value);
      if (!mentioned.some((h) => handleIn(h, mentioning))) return false;
    }
    if (language) {
      const lang = languageOf(post)?.toLowerCase().split(/[-_]/)[0];
      if (lang && lang !== language) return false;
    }
    if (mutes.length > 0) {
      const texts = mutableTexts(post);
      if (mutes.some((m) => texts.some((text) => m.test(text)))) return false;
    }
    return true;
  };
  return { active, keep, errors };
}

/**
 * A list of handles or words as typed in one field ("@ada, bob  carol"): split on commas and
 * white space, without empties or repeats.
 */
export function splitList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,]+/u)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/** Mute patterns as typed, one a line (a regular expression may hold spaces and commas). */
export function splitLines(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}
