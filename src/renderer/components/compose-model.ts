// The composer's rules, without React: which networks the chosen profiles are on, what each
// target will post (the shared parts or its network's variant), how each part measures against
// each target's own limits (one counter per distinct set of rules: X, Bluesky, each Mastodon
// instance), how a long text is split into a thread, which spans are links, mentions and hashtags,
// and the content the outbox receives.
import { RichText } from '@atproto/api';
import twitterText from 'twitter-text';
import type { Account, Entity, NetworkId } from '../../shared/model';
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
  /** The link's target (an absolute URL), the handle without "@", or the tag without "#". */
  value: string;
}

/**
 * Links, mentions and hashtags in `text` as `network` will find them. Bluesky: @atproto/api
 * `RichText.detectFacetsWithoutResolution` (the detection its adapter posts with: a handle needs a
 * dot, bare domains link, "#🚲" is a tag); Mastodon: its own URL and mention rules (text-length.ts,
 * from its Extractor) with twitter-text's hashtags; X and the sandbox: twitter-text's extractor.
 */
export function highlightsOf(text: string, network: NetworkId): Highlight[] {
  const out: Highlight[] = [];
  if (network === 'bluesky') {
    out.push(...blueskyHighlights(text));
  } else if (network === 'mastodon') {
    for (const u of mastodonUrls(text))
      out.push({ kind: 'link', start: u.start, end: u.end, value: withScheme(u.url) });
    for (const m of mastodonMentions(text))
      out.push({ kind: 'mention', start: m.start, end: m.end, value: m.acct.replace(/^@/, '') });
    for (const h of twitterText.extractHashtagsWithIndices(text))
      out.push({ kind: 'hashtag', start: h.indices[0], end: h.indices[1], value: h.hashtag });
  } else {
    for (const e of twitterText.extractEntitiesWithIndices(text)) {
      const [start, end] = e.indices;
      if ('url' in e) out.push({ kind: 'link', start, end, value: withScheme(e.url) });
      else if ('screenName' in e) out.push({ kind: 'mention', start, end, value: e.screenName });
      else if ('hashtag' in e) out.push({ kind: 'hashtag', start, end, value: e.hashtag });
    }
  }
  out.sort((a, b) => a.start - b.start);
  // Overlaps (a mention inside a link) keep the first.
  return out.filter((h, i) => i === 0 || h.start >= out[i - 1]!.end);
}

const withScheme = (url: string) => (/^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `https://${url}`);

/** Bluesky's facets for `text` (UTF-8 byte offsets) as UTF-16 spans. */
function blueskyHighlights(text: string): Highlight[] {
  const rt = new RichText({ text });
  rt.detectFacetsWithoutResolution();
  if (!rt.facets?.length) return [];
  // UTF-8 byte offset → UTF-16 offset, at every code point boundary.
  const at = new Map<number, number>();
  let bytes = 0;
  let i = 0;
  for (const ch of text) {
    at.set(bytes, i);
    const cp = ch.codePointAt(0)!;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += ch.length;
  }
  at.set(bytes, i);
  const out: Highlight[] = [];
  for (const f of rt.facets) {
    const start = at.get(f.index.byteStart);
    const end = at.get(f.index.byteEnd);
    const feature = f.features[0] as { $type?: string; uri?: string; did?: string; tag?: string } | undefined;
    if (start === undefined || end === undefined || !feature) continue;
    if (feature.$type === 'app.bsky.richtext.facet#link')
      out.push({ kind: 'link', start, end, value: feature.uri ?? '' });
    else if (feature.$type === 'app.bsky.richtext.facet#mention')
      out.push({ kind: 'mention', start, end, value: feature.did ?? '' });
    else if (feature.$type === 'app.bsky.richtext.facet#tag')
      out.push({ kind: 'hashtag', start, end, value: feature.tag ?? '' });
  }
  return out;
}

/**
 * A span of the shared text as the chosen networks will make it: `networks` are those that make
 * exactly this span (same start, end and kind); `all` when every chosen network does. Spans of
 * different networks that overlap are cut where they differ, so the mirror can mark each piece.
 */
export interface SharedHighlight {
  kind: Highlight['kind'];
  start: number;
  end: number;
  /** The networks that make this piece a link, mention or hashtag (in the order given). */
  networks: NetworkId[];
  all: boolean;
}

/**
 * The shared text's highlights for several networks (each by `highlightsOf`): pieces of text
 * between the boundaries of every network's spans, each with the networks that cover it.
 */
export function sharedHighlightsOf(text: string, networks: readonly NetworkId[]): SharedHighlight[] {
  const per = networks.map((n) => ({ n, hs: highlightsOf(text, n) }));
  const cuts = [...new Set(per.flatMap((p) => p.hs.flatMap((h) => [h.start, h.end])))].sort((a, b) => a - b);
  const out: SharedHighlight[] = [];
  let prevSignature = '';
  for (let c = 0; c + 1 < cuts.length; c++) {
    const start = cuts[c]!;
    const end = cuts[c + 1]!;
    const covering = per.flatMap((p) => {
      const h = p.hs.find((x) => x.start <= start && x.end >= end);
      return h ? [{ n: p.n, h }] : [];
    });
    if (!covering.length) {
      prevSignature = '';
      continue;
    }
    const signature = covering.map((x) => `${x.n}:${x.h.kind}:${x.h.start}`).join(' ');
    const last = out[out.length - 1];
    if (last && last.end === start && signature === prevSignature) {
      last.end = end;
      continue;
    }
    prevSignature = signature;
    out.push({
      kind: covering[0]!.h.kind,
      start,
      end,
      networks: covering.map((x) => x.n),
      all: covering.length === networks.length,
    });
  }
  return out;
}

/**
 * The spans only some of the chosen networks make (whole spans, as each network makes them),
 * grouped by the networks that make them: for the words under the shared text.
 */
export function partialHighlights(
  text: string,
  networks: readonly NetworkId[],
): Array<{ networks: NetworkId[]; spans: string[] }> {
  if (networks.length < 2) return [];
  const byKey = new Map<string, NetworkId[]>();
  for (const n of networks)
    for (const h of highlightsOf(text, n)) {
      const key = `${h.start}:${h.end}:${h.kind}`;
      byKey.set(key, [...(byKey.get(key) ?? []), n]);
    }
  const groups = new Map<string, { networks: NetworkId[]; spans: string[] }>();
  for (const [key, ns] of byKey) {
    if (ns.length === networks.length) continue;
    const [start, end] = key.split(':').map(Number) as [number, number];
    const g = groups.get(ns.join(',')) ?? { networks: ns, spans: [] };
    g.spans.push(text.slice(start, end));
    groups.set(ns.join(','), g);
  }
  return [...groups.values()];
}

/**
 * A link's text as `network` shows it in a post. X: the URL without its scheme, cut after 24
 * characters with "…" (its `display_url`); Mastodon: without scheme and "www.", cut after 30 with
 * "…" (app/lib/text_formatter.rb `shortened_link`); Bluesky: the app's `toShortUrl`
 * (bluesky-social/social-app src/lib/strings/url-helpers.ts): host, then a path over 15
 * characters cut to 13 and "..."; the sandbox: as typed.
 */
export function linkDisplay(typed: string, url: string, network: NetworkId): string {
  const bare = typed.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const cut = (s: string, n: number) => ([...s].length > n ? `${[...s].slice(0, n).join('')}…` : s);
  switch (network) {
    case 'x':
      return cut(bare, 24);
    case 'mastodon':
      return cut(bare.replace(/^www\./i, ''), 30);
    case 'bluesky': {
      try {
        const u = new URL(url);
        if (u.protocol !== 'http:' && u.protocol !== 'https:') return typed;
        const path = (u.pathname === '/' ? '' : u.pathname) + u.search + u.hash;
        return path.length > 15 ? `${u.host}${path.slice(0, 13)}...` : u.host + path;
      } catch {
        return typed;
      }
    }
    default:
      return typed;
  }
}

/** The post's entities as `network` will make them, with links shown as it shows them (for the preview). */
export function previewEntities(text: string, network: NetworkId): Entity[] {
  return highlightsOf(text, network).map((h) =>
    h.kind === 'link'
      ? { ...h, display: linkDisplay(text.slice(h.start, h.end), h.value, network) }
      : { kind: h.kind, start: h.start, end: h.end, value: h.value },
  );
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
