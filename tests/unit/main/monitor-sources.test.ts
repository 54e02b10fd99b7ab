import { describe, expect, it } from 'vitest';
import type { Column, Post } from '../../../src/shared/model';
import {
  hashtagsOf,
  matchesMonitor,
  orQuery,
  readersOf,
  sourcesOf,
  X_QUERY_MAX,
} from '../../../src/main/core/monitors/sources';

const post = (text: string, extra: Partial<Post> = {}): Post => ({
  id: 'x:1',
  network: 'x',
  nativeId: '1',
  author: { id: 'x:9', network: 'x', handle: 'gina', displayName: 'Gina', avatarUrl: null, url: null },
  text,
  entities: [],
  media: [],
  createdAt: '2026-11-25T08:00:00.000Z',
  url: null,
  metrics: { likes: 0, reposts: 0, replies: 0, quotes: 0, impressions: null },
  ...extra,
});

const hashtagColumn = (id: string, profileId: string, query: string): Column => ({
  id,
  kind: 'hashtag',
  profileId,
  query,
  width: 340,
});

describe('sources and readers', () => {
  it('a monitor searches each network only for the hashtags that network makes whole', () => {
    const monitor: Column = {
      id: 'm',
      kind: 'monitor',
      profileId: 'x:1',
      width: 340,
      monitor: {
        hashtags: ['🚲', 'foo-bar', 'IFPower', '東京'],
        keywords: [],
        exclude: [],
        profileIds: ['x:1', 'bluesky:did:plc:a', 'mastodon:2'],
      },
    };
    const by = (profileId: string) =>
      sourcesOf(monitor)
        .filter((s) => s.profileId === profileId)
        .map((s) => s.query);
    expect(by('x:1')).toEqual(['IFPower', '東京']);
    expect(by('mastodon:2')).toEqual(['IFPower', '東京']);
    expect(by('bluesky:did:plc:a')).toEqual(['🚲', 'foo-bar', 'IFPower', '東京']);
  });

  it('two columns of the same timeline share one reader', () => {
    const sources = [hashtagColumn('a', 'mastodon:1', 'IFPower'), hashtagColumn('b', 'mastodon:1', 'IFPower')].flatMap(
      sourcesOf,
    );
    expect(readersOf(sources, () => 'mastodon')).toHaveLength(1);
  });

  it('X hashtags of one account are OR-ed into searches no longer than X allows', () => {
    const tags = Array.from({ length: 60 }, (_, i) => `campaign${String(i).padStart(2, '0')}tag`);
    const sources = tags.map((t, i) => hashtagColumn(`c${i}`, 'x:1', t)).flatMap(sourcesOf);
    const readers = readersOf(sources, () => 'x');
    expect(readers.length).toBeGreaterThan(1);
    expect(readers.length).toBeLessThan(10);
    for (const r of readers) {
      expect(r.merged).toBe(true);
      expect(`${r.query} -is:retweet`.length).toBeLessThanOrEqual(X_QUERY_MAX);
    }
    // Every hashtag is in exactly one reader.
    expect(readers.flatMap((r) => r.members.map((m) => m.query)).sort()).toEqual([...tags].sort());
  });

  it('hashtags of two X accounts, or of other networks, are not merged', () => {
    const sources = [
      hashtagColumn('a', 'x:1', 'one'),
      hashtagColumn('b', 'x:2', 'two'),
      hashtagColumn('c', 'mastodon:1', 'three'),
      hashtagColumn('d', 'mastodon:1', 'four'),
    ].flatMap(sourcesOf);
    const readers = readersOf(sources, (id) => id.split(':')[0]);
    expect(readers.map((r) => r.merged)).toEqual([false, false, false, false]);
    expect(readers.find((r) => r.profileId === 'x:1')?.kind).toBe('hashtag');
  });

  it('writes the OR query as X search expects', () => {
    expect(orQuery(['a'])).toBe('#a');
    expect(orQuery(['a', 'b'])).toBe('(#a OR #b)');
  });
});

describe('monitor matching', () => {
  const monitor = { hashtags: ['IFPower'], keywords: ['battery day'], exclude: ['giveaway'], profileIds: ['x:1'] };

  it('matches a hashtag in any case and script width, or a keyword phrase', () => {
    expect(matchesMonitor(post('Go #ifpower!'), monitor)).toBe(true);
    expect(matchesMonitor(post('Go ＃ＩＦＰｏｗｅｒ'), monitor)).toBe(false); // a full-width sign is no hashtag…
    expect(
      matchesMonitor(
        post('x', { entities: [{ kind: 'hashtag', start: 0, end: 8, value: 'ＩＦＰｏｗｅｒ' }] }),
        monitor,
      ),
    ).toBe(
      true, // …but the network's own entity, folded (NFKC), is
    );
    expect(matchesMonitor(post('See you on Battery Day'), monitor)).toBe(true);
    expect(matchesMonitor(post('#IFPowerful'), monitor)).toBe(false);
  });

  it('leaves exclusions to the column, which hides and counts them (shared/filters.ts)', () => {
    expect(matchesMonitor(post('#IFPower GIVEAWAY now'), monitor)).toBe(true);
    expect(matchesMonitor(post('#IFPower', { contentWarning: 'giveaway' }), monitor)).toBe(true);
  });

  it('matches keywords as whole words or phrases, as the networks’ searches do', () => {
    expect(matchesMonitor(post('Battery day!'), monitor)).toBe(true);
    expect(matchesMonitor(post('Battery days are over'), monitor)).toBe(false);
    expect(matchesMonitor(post('MyBattery Day'), monitor)).toBe(false);
    expect(matchesMonitor(post('x', { contentWarning: 'battery DAY spoilers' }), monitor)).toBe(true);
  });

  it('keeps only the monitor’s language, but a post whose language is unknown is kept', () => {
    const fr = { ...monitor, language: 'fr' };
    expect(matchesMonitor(post('#IFPower', { language: 'fr' }), fr)).toBe(true);
    expect(matchesMonitor(post('#IFPower', { language: 'fr-CA' }), fr)).toBe(true);
    expect(matchesMonitor(post('#IFPower', { language: 'en' }), fr)).toBe(false);
    expect(matchesMonitor(post('#IFPower'), fr)).toBe(true);
  });

  it('reads hashtags from the text when the network gave no entities (non-Latin scripts too)', () => {
    expect([...hashtagsOf(post('Vive #énergie et #電池!'))].sort()).toEqual(['電池', 'énergie'].sort());
  });
});
