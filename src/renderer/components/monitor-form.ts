// What the "Monitor" column form holds as typed, and how it becomes a MonitorQuery (or the first
// thing wrong with it, for the form to say next to its field). No React here: the rules alone.
import { MonitorQuerySchema, NETWORK_NAMES, type Account, type MonitorQuery } from '../../shared/model';
import { checkHashtag, type HashtagRefusal } from '../../shared/hashtag-rules';

/** The form as typed: lists are free text, separated by commas (or line breaks). */
export interface MonitorDraft {
  profileIds: string[];
  hashtags: string;
  keywords: string;
  exclude: string;
  /** An ISO 639-1 code, or '' for every language. */
  language: string;
}

export const EMPTY_MONITOR: MonitorDraft = { profileIds: [], hashtags: '', keywords: '', exclude: '', language: '' };

/** The schema's bounds (src/shared/model.ts, MonitorQuerySchema): at most 20 of each, words up to 100. */
export const MONITOR_LIMITS = { items: 20, profiles: 20, wordLength: 100 } as const;

export type MonitorField = 'profiles' | 'hashtags' | 'keywords' | 'exclude';

/** The first thing wrong, by field: `key` names the UI's words, `params` fill them. */
export interface MonitorProblem {
  field: MonitorField;
  key:
    | 'needProfile'
    | 'tooManyProfiles'
    | 'needQuery'
    | 'hashtagHasSpace'
    | 'hashtagHash'
    | 'notHashtag'
    | 'tooMany'
    | 'tooLong'
    | 'cannotSearchHashtags'
    | 'cannotSearchKeywords'
    | 'invalid';
  params?: Record<string, string | number>;
  /** For `notHashtag`: the hashtag as typed and why no chosen network would make a hashtag of it. */
  hashtag?: { item: string; refusal: HashtagRefusal };
}

/** Profiles a monitor can run on: those that search hashtags or keywords. */
export const canMonitor = (a: Account) => a.columnKinds.includes('hashtag') || a.columnKinds.includes('search');

/** Comma- or line-separated items, trimmed, without empties or repeats (the first spelling kept, case aside). */
export function splitItems(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[,\n\r]+/u)) {
    const item = raw.trim().replace(/\s+/gu, ' ');
    if (!item || seen.has(item.toLocaleLowerCase())) continue;
    seen.add(item.toLocaleLowerCase());
    out.push(item);
  }
  return out;
}

/**
 * Hashtags as typed, with or without '#' (or the full-width '＃'): separated by commas, or by
 * spaces when every word starts with a sign ("#IFPower #launch"). Answers each hashtag once as
 * typed, sign included (`checkHashtag` reads it), or the first item that is no hashtag: several
 * words ("#foo bar": `spaced`), or a sign inside ("a#b": `hash`).
 */
export function readHashtags(text: string): { words: string[] } | { spaced: string } | { hash: string } {
  const words: string[] = [];
  const seen = new Set<string>();
  for (const item of splitItems(text)) {
    const parts = item.split(' ');
    if (parts.length > 1 && !parts.every((w) => /^[#＃]/u.test(w))) return { spaced: item };
    for (const word of parts) {
      if (/[#＃]/u.test(word.replace(/^[#＃]+/u, ''))) return { hash: word };
      const key = word.replace(/^[#＃]/u, '').toLocaleLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      words.push(word);
    }
  }
  return { words };
}

/**
 * The draft as a MonitorQuery for `column.add`, or the first problem, checked in the form's order
 * (profiles, hashtags, keywords, exclusions). `accounts` are the connected ones: a chosen profile
 * must search what is asked of it (hashtags need its `hashtag` kind, keywords its `search` kind,
 * as main checks in `column.add`).
 */
export function readMonitor(
  draft: MonitorDraft,
  accounts: readonly Account[],
): { ok: true; query: MonitorQuery } | { ok: false; problem: MonitorProblem } {
  const fail = (problem: MonitorProblem) => ({ ok: false as const, problem });
  const { items, profiles, wordLength } = MONITOR_LIMITS;
  const chosen = draft.profileIds.filter((id) => accounts.some((a) => a.profile.id === id));
  if (chosen.length === 0) return fail({ field: 'profiles', key: 'needProfile' });
  if (chosen.length > profiles) return fail({ field: 'profiles', key: 'tooManyProfiles', params: { max: profiles } });

  const read = readHashtags(draft.hashtags);
  if ('spaced' in read) return fail({ field: 'hashtags', key: 'hashtagHasSpace', params: { item: read.spaced } });
  if ('hash' in read) return fail({ field: 'hashtags', key: 'hashtagHash', params: { item: read.hash } });
  // Each hashtag must be one that some chosen profile's network makes of it (hashtag-rules.ts).
  const networks = chosen.map((id) => accounts.find((a) => a.profile.id === id)!.network);
  const hashtags: string[] = [];
  for (const word of read.words) {
    const checked = checkHashtag(word, networks);
    if (!checked.ok)
      return fail({ field: 'hashtags', key: 'notHashtag', hashtag: { item: word, refusal: checked.refusal } });
    if (!hashtags.some((h) => h.toLocaleLowerCase() === checked.tag.toLocaleLowerCase())) hashtags.push(checked.tag);
  }
  const lists = { hashtags, keywords: splitItems(draft.keywords), exclude: splitItems(draft.exclude) };
  for (const field of ['hashtags', 'keywords', 'exclude'] as const) {
    const list = lists[field];
    if (list.length > items) return fail({ field, key: 'tooMany', params: { max: items, count: list.length } });
    const long = list.find((w) => w.length > wordLength);
    if (long) return fail({ field, key: 'tooLong', params: { item: `${long.slice(0, 30)}…`, max: wordLength } });
  }
  if (lists.hashtags.length + lists.keywords.length === 0) return fail({ field: 'hashtags', key: 'needQuery' });

  for (const id of chosen) {
    const account = accounts.find((a) => a.profile.id === id)!;
    const params = { handle: account.profile.handle, network: NETWORK_NAMES[account.network] };
    if (lists.hashtags.length && !account.columnKinds.includes('hashtag'))
      return fail({ field: 'profiles', key: 'cannotSearchHashtags', params });
    if (lists.keywords.length && !account.columnKinds.includes('search'))
      return fail({ field: 'profiles', key: 'cannotSearchKeywords', params });
  }

  // The shared schema has the last word (main parses the same at the IPC boundary).
  const parsed = MonitorQuerySchema.safeParse({
    profileIds: chosen,
    ...lists,
    ...(draft.language ? { language: draft.language } : {}),
  });
  if (!parsed.success) {
    const at = parsed.error.issues[0]?.path[0];
    const field = at === 'profileIds' ? 'profiles' : at === 'keywords' || at === 'exclude' ? at : 'hashtags';
    return fail({ field, key: 'invalid' });
  }
  return { ok: true, query: parsed.data };
}

/** A saved query as the form shows it, to edit it: hashtags with their '#', lists comma-separated. */
export function draftOf(query: MonitorQuery): MonitorDraft {
  return {
    profileIds: [...query.profileIds],
    hashtags: query.hashtags.map((h) => `#${h}`).join(', '),
    keywords: query.keywords.join(', '),
    exclude: query.exclude.join(', '),
    language: query.language ?? '',
  };
}

/**
 * "Watch … as keywords instead" (offered with a hashtag that holds a space): `item` leaves the
 * hashtags and joins the keywords, without its '#' signs.
 */
export function keywordsInstead(draft: MonitorDraft, item: string): MonitorDraft {
  const hashtags = splitItems(draft.hashtags).filter((h) => h !== item);
  const keyword = item.replace(/(^|\s)[#＃]+/gu, '$1');
  return { ...draft, hashtags: hashtags.join(', '), keywords: [...splitItems(draft.keywords), keyword].join(', ') };
}
