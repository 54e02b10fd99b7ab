// What main follows for the deck: every column, on every deck, becomes sources (one timeline of
// one profile), and sources become readers (what is actually requested). Two columns showing the
// same timeline share one source; a monitor column (several profiles and networks) has a source
// per profile and hashtag or keyword; the hashtag sources of one X account are read together,
// OR-ed into one recent-search query, and each result is routed back to the hashtags it carries.
import { phraseRegExp } from '../../../shared/filters';
import { linkedTag } from '../../../shared/hashtag-rules';
import type { ColumnKind, Column, MonitorQuery, NetworkId, Post, TimelineEntry } from '../../../shared/model';

/** One timeline of one profile. */
export interface Source {
  /** `${profileId}|${kind}|${query}`. */
  key: string;
  profileId: string;
  kind: ColumnKind;
  query?: string | undefined;
}

/** What is requested: one source's timeline, or several X hashtags OR-ed into one search. */
export interface ReaderSpec {
  key: string;
  profileId: string;
  kind: ColumnKind;
  query?: string | undefined;
  /** The sources whose entries this reader brings. */
  members: Source[];
  /** Several hashtags in one query: each entry goes to the members whose hashtag it carries. */
  merged: boolean;
}

export const sourceKey = (profileId: string, kind: ColumnKind, query?: string) => `${profileId}|${kind}|${query ?? ''}`;

const source = (profileId: string, kind: ColumnKind, query?: string): Source => ({
  key: sourceKey(profileId, kind, query),
  profileId,
  kind,
  ...(query !== undefined ? { query } : {}),
});

/** Kinds that are not network timelines: main follows nothing for them. */
const LOCAL_KINDS: ReadonlySet<ColumnKind> = new Set(['scheduled', 'drafts', 'analytics']);

const NETWORKS: ReadonlySet<string> = new Set(['x', 'bluesky', 'mastodon', 'sandbox']);

/** Does the network of `profileId` (ids are `<network>:<native id>`) make the hashtag `tag` whole? */
function networkForms(profileId: string, tag: string): boolean {
  const network = profileId.slice(0, profileId.indexOf(':'));
  if (!NETWORKS.has(network)) return true;
  return linkedTag(network as NetworkId, tag).linked === tag;
}

/** The sources a column shows. */
export function sourcesOf(column: Column): Source[] {
  if (LOCAL_KINDS.has(column.kind)) return [];
  if (column.kind === 'monitor') {
    const m = column.monitor;
    if (!m) return [];
    return m.profileIds.flatMap((profileId) => [
      // Only the hashtags this profile's network makes whole ("#🚲" is one on Bluesky, none on X):
      // another network would search for something else, or for nothing (shared/hashtag-rules.ts).
      ...m.hashtags.filter((tag) => networkForms(profileId, tag)).map((tag) => source(profileId, 'hashtag', tag)),
      ...m.keywords.map((words) => source(profileId, 'search', words)),
    ]);
  }
  return [source(column.profileId, column.kind, column.query)];
}

/**
 * The longest query X recent search accepts on the self-serve and Basic plans: 512 characters
 * (docs.x.com "Search Posts" → "Query length": 512 for self-serve/Basic/Pro-recent, 4,096 for
 * Enterprise). Groups stay under it, with room for the adapter's ` -is:retweet`.
 */
export const X_QUERY_MAX = 512;
const X_SUFFIX = ' -is:retweet';

/** The OR-ed query of X hashtags: `(#a OR #b)`, or `#a` alone. */
export function orQuery(tags: readonly string[]): string {
  const terms = tags.map((t) => `#${t}`);
  return terms.length === 1 ? terms[0]! : `(${terms.join(' OR ')})`;
}

/**
 * Readers for a set of sources: each source alone, except the hashtag sources of each X profile,
 * which go into as few OR-ed searches as X's query length allows. `network(profileId)` answers
 * the profile's network. Groups are filled in a stable order (sorted tags), so adding a hashtag
 * leaves the others' groups alone as long as they fit.
 */
export function readersOf(
  sources: readonly Source[],
  network: (profileId: string) => string | undefined,
): ReaderSpec[] {
  const readers: ReaderSpec[] = [];
  const xTags = new Map<string, Source[]>();
  const unique = new Map(sources.map((s) => [s.key, s]));
  for (const s of unique.values()) {
    if (s.kind === 'hashtag' && network(s.profileId) === 'x') {
      const list = xTags.get(s.profileId) ?? [];
      list.push(s);
      xTags.set(s.profileId, list);
      continue;
    }
    readers.push({
      key: `r:${s.key}`,
      profileId: s.profileId,
      kind: s.kind,
      query: s.query,
      members: [s],
      merged: false,
    });
  }
  for (const [profileId, tagSources] of xTags) {
    const sorted = [...tagSources].sort((a, b) => (a.query ?? '').localeCompare(b.query ?? ''));
    let group: Source[] = [];
    let index = 0;
    const close = () => {
      if (!group.length) return;
      const tags = group.map((g) => g.query ?? '');
      readers.push(
        group.length === 1
          ? { key: `r:${group[0]!.key}`, profileId, kind: 'hashtag', query: tags[0], members: group, merged: false }
          : {
              key: `x-or:${profileId}:${index++}:${tags.join(',')}`,
              profileId,
              kind: 'search',
              query: orQuery(tags),
              members: group,
              merged: true,
            },
      );
      group = [];
    };
    for (const s of sorted) {
      const next = [...group, s];
      if (orQuery(next.map((g) => g.query ?? '')).length + X_SUFFIX.length > X_QUERY_MAX) close();
      group.push(s);
    }
    close();
  }
  return readers;
}

const fold = (s: string) => s.normalize('NFKC').toLocaleLowerCase('und');

/** The hashtags a post carries (from its entities, else from its text), folded for comparison. */
export function hashtagsOf(post: Post): Set<string> {
  const tags = new Set(post.entities.filter((e) => e.kind === 'hashtag').map((e) => fold(e.value.replace(/^#/, ''))));
  if (tags.size === 0) {
    for (const m of post.text.matchAll(/(?:^|[^\p{L}\p{N}_])#([\p{L}\p{M}\p{N}_]+)/gu)) tags.add(fold(m[1]!));
  }
  return tags;
}

/** Does this entry belong to this member of a merged reader (it carries the member's hashtag)? */
export function routesTo(entry: TimelineEntry, member: Source): boolean {
  if (!entry.post) return false;
  return hashtagsOf(entry.post).has(fold(member.query ?? ''));
}

/**
 * Does a post match a monitor: one of its hashtags, or one of its keywords as a whole word or
 * phrase (case-insensitive, as the networks' searches match words: "launch" is not met in
 * "launching"), and its language when one is set and the network says the post's language? A
 * post whose language the network does not say is kept: better shown than silently dropped.
 * Exclusions are not applied here: the column hides what they match and counts it, with one
 * click to show it (shared/filters.ts `columnFilters`), and alerts skip it.
 */
export function matchesMonitor(post: Post, m: MonitorQuery): boolean {
  const texts = [post.text, post.contentWarning ?? ''];
  const tags = hashtagsOf(post);
  const hit =
    m.hashtags.some((t) => tags.has(fold(t))) ||
    m.keywords.some((k) => {
      const phrase = phraseRegExp(k);
      return texts.some((t) => phrase.test(t));
    });
  if (!hit) return false;
  if (m.language && post.language && fold(post.language).split('-')[0] !== m.language) return false;
  return true;
}
