// The composer's rules, without React: which networks the chosen profiles are on, what each
// target will post (the shared parts or its network's variant), how each part measures against
// each target's own limits (one counter per distinct set of rules: X, Bluesky, each Mastodon
// instance), how a long text is split into a thread, which spans are links, mentions and hashtags,
// and the content the outbox receives.
import twitterText from 'twitter-text';
import type { Account, NetworkId } from '../../shared/model';
import { NETWORK_NAMES } from '../../shared/model';
import type { PostContent, PostPart, When } from '../../shared/outbox';
import { partsFor } from '../../shared/outbox';
import { mastodonMentions, mastodonUrls, measureText, textToPublish, type TextMeasure } from '../../shared/text-length';

/** What the composer holds while the CM writes (also what a draft keeps). */
export interface ComposeState {
  /** The chosen profiles (account ids), in the order chosen. */
  targets: string[];
  /** The shared post, or thread, for every target without a variant. */
  parts: PostPart[];
  /** Another version of the parts for one network. */
  variants: Partial<Record<NetworkId, PostPart[]>>;
  when: When;
}

export const emptyPart = (): PostPart => ({ text: '', media: [] });

/** The networks of the chosen profiles, each once, in the order of first choice. */
export function networksOf(targets: readonly string[], accounts: readonly Account[]): NetworkId[] {
  const out: NetworkId[] = [];
  for (const id of targets) {
    const a = accounts.find((x) => x.id === id);
    if (a && !out.includes(a.network)) out.push(a.network);
  }
  return out;
}

/**
 * The content the outbox receives: variants only for `networks` (by default the chosen profiles'
 * networks; an edited job's targets' networks), and only where they differ from the shared parts.
 */
export function contentOf(
  state: ComposeState,
  accounts: readonly Account[],
  extra: Pick<PostContent, 'replyTo' | 'quoteOf'> = {},
  networks: readonly NetworkId[] = networksOf(state.targets, accounts),
): PostContent {
  const variants: Partial<Record<NetworkId, PostPart[]>> = {};
  for (const n of networks) {
    const v = state.variants[n];
    if (v && JSON.stringify(v) !== JSON.stringify(state.parts)) variants[n] = v;
  }
  return {
    parts: state.parts,
    ...(Object.keys(variants).length ? { variants } : {}),
    ...(extra.replyTo ? { replyTo: extra.replyTo } : {}),
    ...(extra.quoteOf ? { quoteOf: extra.quoteOf } : {}),
  };
}

/**
 * One counter: the targets that count alike (one network's rules; each Mastodon instance its own
 * limit), the parts they post, and each part's measure.
 */
export interface Counter {
  /** Stable across renders: network and limits ("mastodon:500:23"). */
  key: string;
  network: NetworkId;
  /** Where the rules come from: the network's name, and the instance for Mastodon. */
  label: string;
  accounts: Account[];
  measures: TextMeasure[];
  /** A part over its limit, or with a character the network refuses. */
  over: boolean;
  near: boolean;
}

/** The counters for the chosen targets, in the order of the targets. */
export function countersOf(state: ComposeState, accounts: readonly Account[]): Counter[] {
  const out = new Map<string, Counter>();
  for (const id of state.targets) {
    const account = accounts.find((a) => a.id === id);
    if (!account) continue;
    const r = account.textRules;
    const key = `${account.network}:${r.maxLength}:${r.maxBytes ?? ''}:${r.urlLength ?? ''}`;
    const existing = out.get(key);
    if (existing) {
      existing.accounts.push(account);
      continue;
    }
    const parts = partsFor({ parts: state.parts, variants: state.variants }, account.network);
    const measures = parts.map((p) => measureText(textToPublish(p.text), r));
    const host = account.network === 'mastodon' && account.server ? serverHost(account.server) : null;
    out.set(key, {
      key,
      network: account.network,
      label: host ? `${NETWORK_NAMES[account.network]} · ${host}` : NETWORK_NAMES[account.network],
      accounts: [account],
      measures,
      over: measures.some((m) => m.over || m.refused.length > 0),
      near: measures.some((m) => m.near),
    });
  }
  return [...out.values()];
}

/** A server's address as its host (with its port): "mastodon.social"; not an address: as given. */
export function serverHost(server: string): string {
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
}

/**
 * Splits `text` into thread parts that each fit `fits` (the strictest chosen target's limit),
 * at sentence ends where it can, else at word ends, else at grapheme boundaries (Intl.Segmenter,
 * UAX #29: a part never ends inside a word, an emoji or a combining sequence unless one word is
 * longer than a post). Paragraph breaks are kept inside a part. Empty text gives one empty part.
 */
export function splitIntoThread(text: string, fits: (part: string) => boolean, locale?: string): string[] {
  const whole = text.trim();
  if (!whole || fits(whole)) return [whole];
  const pieces = (granularity: 'sentence' | 'word' | 'grapheme', s: string) =>
    [...new Intl.Segmenter(locale, { granularity }).segment(s)].map((x) => x.segment);
  const parts: string[] = [];
  let current = '';
  const push = () => {
    if (current.trim()) parts.push(current.trim());
    current = '';
  };
  const add = (unit: string, finer: Array<'word' | 'grapheme'>) => {
    if (fits((current + unit).trim())) {
      current += unit;
      return;
    }
    push();
    if (fits(unit.trim())) {
      current = unit.trimStart();
      return;
    }
    const [next, ...rest] = finer;
    if (!next) {
      // One grapheme longer than a post: it goes alone (the counter will say it is over).
      current = unit;
      push();
      return;
    }
    for (const piece of pieces(next, unit)) add(piece, rest);
  };
  for (const sentence of pieces('sentence', whole)) add(sentence, ['word', 'grapheme']);
  push();
  return parts;
}

/** A span of a part's text the network will make a link, mention or hashtag (UTF-16 offsets). */
export interface Highlight {
  kind: 'link' | 'mention' | 'hashtag';
  start: number;
  end: number;
}

/**
 * Links, mentions and hashtags in `text` as `network` will find them: Mastodon's own URL and
 * `@user@domain` mention rules (text-length.ts, from its Extractor), twitter-text's extractor
 * elsewhere (X's own; for Bluesky close to its facet detection, which also links bare domains).
 */
export function highlightsOf(text: string, network: NetworkId): Highlight[] {
  const out: Highlight[] = [];
  if (network === 'mastodon') {
    for (const u of mastodonUrls(text)) out.push({ kind: 'link', start: u.start, end: u.end });
    for (const m of mastodonMentions(text)) out.push({ kind: 'mention', start: m.start, end: m.end });
    for (const h of twitterText.extractHashtagsWithIndices(text))
      out.push({ kind: 'hashtag', start: h.indices[0], end: h.indices[1] });
  } else {
    for (const e of twitterText.extractEntitiesWithIndices(text)) {
      const kind = 'url' in e ? 'link' : 'screenName' in e ? 'mention' : 'hashtag' in e ? 'hashtag' : null;
      if (kind) out.push({ kind, start: e.indices[0], end: e.indices[1] });
    }
  }
  out.sort((a, b) => a.start - b.start);
  // Overlaps (a mention inside a link) keep the first.
  return out.filter((h, i) => i === 0 || h.start >= out[i - 1]!.end);
}

/** Hashtags to suggest for what the CM is typing: `#pre` at the caret, from `known` (monitors, recent posts). */
export function hashtagSuggestions(
  text: string,
  caret: number,
  known: readonly string[],
  max = 6,
): { query: string; start: number; tags: string[] } | null {
  const before = text.slice(0, caret);
  const m = /(?:^|[^\p{L}\p{N}_])[#＃]([\p{L}\p{M}\p{N}_]*)$/u.exec(before);
  if (!m) return null;
  const query = m[1] ?? '';
  const start = caret - query.length - 1;
  const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  const q = fold(query);
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const tag of known) {
    const f = fold(tag);
    if (seen.has(f) || !f.startsWith(q) || f === q) continue;
    seen.add(f);
    tags.push(tag);
    if (tags.length >= max) break;
  }
  return tags.length ? { query, start, tags } : null;
}
