// Hashtag analytics from what the deck's monitors collected: which hashtags are monitored, which
// cached posts count for each, and their volume, top posts and contributors in the CM's zone.
// The fixtures first: they install fake-indexeddb before Dexie loads.
import { openDb } from './fixtures';
import { describe, expect, it } from 'vitest';
import {
  hashtagStats,
  hashtagsOf,
  monitoredHashtags,
  readHashtagPosts,
} from '../../../../src/renderer/analytics/hashtags';
import { storeColumnEntries } from '../../../../src/renderer/db/database';
import type { Column, Layout, Post, TimelineEntry } from '../../../../src/shared/model';

function post(id: string, at: string, text: string, over: Partial<Post> = {}): Post {
  const entities = [...text.matchAll(/#([\p{L}\p{N}_]+)/gu)].map((m) => ({
    kind: 'hashtag' as const,
    start: m.index,
    end: m.index + m[0].length,
    value: m[1]!,
  }));
  const handle = over.author?.handle ?? 'rider.example';
  return {
    id: `bluesky:${id}`,
    network: 'bluesky',
    nativeId: id,
    author: { id: `bluesky:${handle}`, network: 'bluesky', handle, displayName: '', avatarUrl: null, url: null },
    text,
    entities,
    media: [],
    createdAt: at,
    url: null,
    metrics: { likes: 0, reposts: 0, replies: 0, quotes: 0, impressions: null },
    ...over,
  };
}

const by = (handle: string) => ({
  author: { id: `bluesky:${handle}`, network: 'bluesky' as const, handle, displayName: '', avatarUrl: null, url: null },
});
const entry = (p: Post): TimelineEntry => ({ key: p.id, at: p.createdAt, post: p });

const monitor: Column = {
  id: 'mon',
  kind: 'monitor',
  profileId: 'bluesky:cm',
  width: 340,
  monitor: { hashtags: ['Velo', 'ebike'], keywords: ['cargo'], exclude: [], profileIds: ['bluesky:cm'] },
};
const lyon: Column = { id: 'lyon', kind: 'hashtag', profileId: 'bluesky:cm', query: '#Lyon', width: 340 };
const layout: Layout = {
  activeDeckId: 'a',
  decks: [
    { id: 'a', name: 'A', columns: [monitor, { id: 'home', kind: 'home', profileId: 'bluesky:cm', width: 340 }] },
    // The same tag in another deck, spelt otherwise: one hashtag, two columns.
    {
      id: 'b',
      name: 'B',
      columns: [lyon, { ...monitor, id: 'mon2', monitor: { ...monitor.monitor!, hashtags: ['velo'] } }],
    },
  ],
};

describe('monitored hashtags', () => {
  it("lists each Monitor column's hashtags and each Hashtag column's tag once, across decks", () => {
    const tags = monitoredHashtags(layout);
    expect(tags.map((t) => [t.tag, t.columns.map((c) => c.id)])).toEqual([
      ['Velo', ['mon', 'mon2']],
      ['ebike', ['mon']],
      ['Lyon', ['lyon']],
    ]);
    expect(monitoredHashtags(null)).toEqual([]);
  });

  it("reads a post's hashtags from its entities, else from its text, case and width folded", () => {
    expect([...hashtagsOf(post('1', '2026-11-02T10:00:00Z', 'On the #Vélo today'))]).toEqual(['vélo']);
    expect([...hashtagsOf({ entities: [], text: 'Full-width ＃ignored, #ＥＢＩＫＥ folded' })]).toEqual(['ebike']);
  });
});

describe('what the cache holds for a hashtag', () => {
  it("counts a monitor's posts that carry the tag, every post of a Hashtag column, each once, and the gaps", async () => {
    const db = openDb();
    const tagged = post('a', '2026-11-02T10:00:00Z', 'Out on the #velo');
    const keyword = post('b', '2026-11-02T11:00:00Z', 'A cargo bike, no tag');
    const both = post('c', '2026-11-02T12:00:00Z', 'Lyon by #velo #ebike');
    // Found by the network's search for #Lyon, though it carries no entity.
    const lyonOnly = post('d', '2026-11-03T12:00:00Z', 'Sunday in Lyon');
    await storeColumnEntries(db, 'mon', [entry(tagged), entry(keyword), entry(both)]);
    await storeColumnEntries(db, 'mon2', [
      entry(tagged),
      {
        key: 'gap:1',
        at: '2026-11-01T00:00:00.000Z',
        post: null,
        gap: { id: '1', from: null, to: '2026-11-02T00:00:00.000Z', why: 'budget' },
      },
    ]);
    await storeColumnEntries(db, 'lyon', [entry(lyonOnly)]);
    const read = await readHashtagPosts(db, monitoredHashtags(layout));
    expect(read.map((h) => [h.hashtag.key, h.posts.map((p) => p.nativeId), h.gaps])).toEqual([
      ['velo', ['c', 'a'], 1],
      ['ebike', ['c'], 0],
      ['lyon', ['d'], 0],
    ]);
  });
});

describe("a hashtag's figures", () => {
  const posts = [
    // 23:30 UTC on Sunday 1 Nov is Monday 2 Nov, 00:30 in Paris.
    post('1', '2026-11-01T23:30:00Z', '#velo', {
      ...by('ana'),
      metrics: { likes: 10, reposts: 5, replies: 0, quotes: 0, impressions: null },
    }),
    post('2', '2026-11-02T08:00:00Z', '#velo', {
      ...by('ana'),
      metrics: { likes: 1, reposts: 0, replies: 0, quotes: 0, impressions: null },
    }),
    post('3', '2026-11-04T08:00:00Z', '#velo', {
      ...by('bob'),
      metrics: { likes: 30, reposts: 1, replies: 0, quotes: 0, impressions: null },
    }),
    post('4', '2026-11-10T08:00:00Z', '#velo', {
      ...by('cyd'),
      metrics: { likes: 0, reposts: 0, replies: 9, quotes: 0, impressions: null },
    }),
  ];

  it('counts posts per day in the zone, empty days included', () => {
    const stats = hashtagStats(posts, { zone: 'Europe/Paris', period: 'day' });
    expect(stats.volume.slice(0, 4).map((v) => [v.label, v.posts])).toEqual([
      ['2026-11-02', 2],
      ['2026-11-03', 0],
      ['2026-11-04', 1],
      ['2026-11-05', 0],
    ]);
    expect(stats.volume).toHaveLength(9);
    expect(stats.volume[0]!.start).toBe(Date.parse('2026-11-01T23:00:00Z'));
    expect(stats.from).toBe(Date.parse('2026-11-01T23:30:00Z'));
    expect(stats.to).toBe(Date.parse('2026-11-10T08:00:00Z'));
    // In UTC the first post is a day earlier.
    expect(hashtagStats(posts, { zone: 'UTC', period: 'day' }).volume[0]!.label).toBe('2026-11-01');
  });

  it('counts posts per week from Monday', () => {
    const stats = hashtagStats(posts, { zone: 'Europe/Paris', period: 'week' });
    expect(stats.volume.map((v) => [v.label, v.posts])).toEqual([
      ['2026-11-02', 3],
      ['2026-11-09', 1],
    ]);
  });

  it('ranks top posts by likes + reposts and contributors by posts', () => {
    const stats = hashtagStats(posts, { zone: 'UTC', period: 'day', top: 2 });
    expect(stats.top.map((p) => p.nativeId)).toEqual(['3', '1']);
    expect(stats.contributors.map((c) => [c.author.handle, c.posts, c.engagement])).toEqual([
      ['ana', 2, 16],
      ['bob', 1, 31],
      ['cyd', 1, 0],
    ]);
    expect(stats.authors).toBe(3);
    expect(stats.networks).toEqual(['bluesky']);
  });

  it('has nothing to say of no posts, and refuses an unknown zone', () => {
    expect(hashtagStats([], { zone: 'UTC', period: 'day' })).toMatchObject({
      posts: 0,
      from: null,
      volume: [],
      top: [],
    });
    expect(() => hashtagStats(posts, { zone: 'Nowhere/Here', period: 'day' })).toThrow(RangeError);
  });
});
