// Column filters (issue 7, "Reading"): what a column hides. The renderer applies them when it
// reads a column's entries from Dexie (db/database.ts), with a count of what they hid; main's
// alerts apply the same, so a hidden post never alerts. Per column: `Column.options.filters` and
// a monitor's exclusions; in every column: the mute words of the settings (`Settings.mute`).
// Pure functions, no DOM.
import { ColumnOptionsSchema, type Column, type ColumnOptions, type Post, type QuotedPost } from './model';

/** What the filters look at in an entry of a column (a renderer `ShownEntry`, a `TimelineEntry`). */
export interface FilterableEntry {
  post: Post | null;
  gap?: unknown;
  repostedBy?: unknown;
}

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
  return { regex: phraseRegExp(source) };
}

/**
 * A word or phrase as a case-insensitive regular expression that matches it as a whole word: a
 * word boundary on a side only where the phrase starts (ends) with a word character, as
 * Mastodon's keyword filters (app/models/custom_filter.rb, `whole_word`), so `#spoiler` and
 * `cat` match "#spoiler!" and "a cat", not "#spoilers" or "category". Never throws.
 */
export function phraseRegExp(phrase: string): RegExp {
  const source = phrase.trim();
  const chars = [...source];
  const start = WORD_CHAR.test(chars[0] ?? '') ? `(?<!${WORD_CLASS})` : '';
  const end = WORD_CHAR.test(chars.at(-1) ?? '') ? `(?!${WORD_CLASS})` : '';
  return new RegExp(`${start}${escapeRegExp(source)}${end}`, 'iu');
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
  keep(entry: FilterableEntry): boolean;
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

/** The post's language (ISO 639-1, maybe with a region), where the network says. */
const languageOf = (post: Post): string | undefined => post.language ?? undefined;

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

  const keep = (entry: FilterableEntry): boolean => {
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
 * A monitor's exclusions as mute patterns: each a word, phrase or hashtag matched as a whole
 * word (`compileMute`), so "cat" leaves out "a cat" and not "category". An exclusion that names
 * one of the monitor's own hashtags or keywords is left out: it would hide every post the
 * monitor exists for.
 */
export function monitorExclusions(monitor: NonNullable<Column['monitor']>): string[] {
  const fold = (t: string) => t.normalize('NFKC').toLocaleLowerCase('und').replace(/^#/, '');
  const watched = new Set([...monitor.hashtags, ...monitor.keywords].map(fold));
  return monitor.exclude.filter((x) => !watched.has(fold(x)));
}

/**
 * A column's filters as shown: its options' filters, the global mute patterns (`globalMute`,
 * settings) and, for a monitor column, the monitor's exclusions (`monitorExclusions`); what they
 * hide is counted and can be shown like any filtered post.
 */
export function columnFilters(
  column: Pick<Column, 'options' | 'monitor'>,
  globalMute: readonly string[] = [],
): CompiledFilters {
  const exclusions = column.monitor ? monitorExclusions(column.monitor) : [];
  return compileFilters(optionsOf(column).filters, [...globalMute, ...exclusions]);
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
