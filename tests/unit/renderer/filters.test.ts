// Column filters (issue 7, "Reading"): each filter, the mute words and regular expressions, and
// the count of what a column hid, read from Dexie on fake-indexeddb.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { readColumn, openDatabase, storeColumnEntries, type ShownEntry } from '../../../src/renderer/db/database';
import {
  columnFilters,
  compileFilters,
  compileMute,
  monitorExclusions,
  muteErrors,
  optionsOf,
  splitList,
} from '../../../src/renderer/state/filters';
import type { Column, Post, TimelineEntry } from '../../../src/shared/model';
import { samplePost, sampleProfile } from './samples';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 8, minute)).toISOString();
const post = (n: number, extra: Partial<Post> = {}): Post => ({ ...samplePost(n, at(n)), ...extra });
const shown = (p: Post, extra: Partial<ShownEntry> = {}): ShownEntry => ({
  key: p.id,
  at: p.createdAt,
  post: { ...p, cachedAt: 0 },
  ...extra,
});
const keeps = (filters: Parameters<typeof compileFilters>[0], entry: ShownEntry, global: string[] = []) =>
  compileFilters(filters, global).keep(entry);

describe('each filter', () => {
  it('hides reposts, replies, and posts without media', () => {
    const plain = shown(post(1));
    const reposted = shown(post(2), { repostedBy: sampleProfile('bob') });
    const reply = shown(post(3, { replyTo: 'sandbox:test-1' }));
    const withImage = shown(
      post(4, { media: [{ kind: 'image', alt: '', width: 4, height: 3, url: null, placeholderColor: '#000' }] }),
    );
    expect(keeps({ excludeReposts: true }, reposted)).toBe(false);
    expect(keeps({ excludeReposts: true }, plain)).toBe(true);
    expect(keeps({ excludeReplies: true }, reply)).toBe(false);
    expect(keeps({ excludeReplies: true }, reposted)).toBe(true);
    expect(keeps({ mediaOnly: true }, plain)).toBe(false);
    expect(keeps({ mediaOnly: true }, withImage)).toBe(true);
  });

  it('hides posts under a minimum of likes, reposts or replies', () => {
    const counted = shown(post(1, { metrics: { likes: 10, reposts: 2, replies: 0, quotes: 0, impressions: null } }));
    expect(keeps({ minLikes: 10 }, counted)).toBe(true);
    expect(keeps({ minLikes: 11 }, counted)).toBe(false);
    expect(keeps({ minReposts: 3 }, counted)).toBe(false);
    expect(keeps({ minReplies: 1 }, counted)).toBe(false);
  });

  it('keeps only posts from, or mentioning, the given handles (any case, with or without @)', () => {
    const byAda = shown(post(1));
    const byGina = shown(post(2, { author: { ...sampleProfile('gina@mastodon.social'), network: 'mastodon' } }));
    const mentionsBob = shown(
      post(3, { text: 'hi @Bob', entities: [{ kind: 'mention', start: 3, end: 7, value: 'Bob' }] }),
    );
    expect(keeps({ from: ['@ADA'] }, byAda)).toBe(true);
    expect(keeps({ from: ['ada'] }, byGina)).toBe(false);
    // A handle without a server matches that name on any server.
    expect(keeps({ from: ['gina'] }, byGina)).toBe(true);
    expect(keeps({ from: ['gina@other.example'] }, byGina)).toBe(false);
    expect(keeps({ mentioning: ['bob'] }, mentionsBob)).toBe(true);
    expect(keeps({ mentioning: ['bob'] }, byAda)).toBe(false);
  });

  it('keeps posts in the language asked, and those whose language the network does not give', () => {
    const french = shown({ ...post(1), language: 'fr' } as Post);
    const english = shown({ ...post(2), language: 'en-GB' } as Post);
    const unknown = shown(post(3));
    expect(keeps({ language: 'fr' }, french)).toBe(true);
    expect(keeps({ language: 'fr' }, english)).toBe(false);
    expect(keeps({ language: 'en' }, english)).toBe(true);
    expect(keeps({ language: 'fr' }, unknown)).toBe(true);
  });

  it('never hides a follow (no post) or a gap marker', () => {
    const follow: ShownEntry = {
      key: 'follow:1',
      at: at(1),
      post: null,
      notification: { kind: 'follow', actors: [sampleProfile('hal')], count: 1 },
    };
    const gap: ShownEntry = {
      key: 'gap:g',
      at: at(2),
      post: null,
      gap: { id: 'g', from: null, to: at(3), why: 'horizon' },
    };
    const all = {
      excludeReposts: true,
      excludeReplies: true,
      mediaOnly: true,
      minLikes: 5,
      from: ['ada'],
      mute: ['x'],
    };
    expect(keeps(all, follow)).toBe(true);
    expect(keeps(all, gap)).toBe(true);
  });
});

describe('mute words and regular expressions', () => {
  const text = (t: string, extra: Partial<Post> = {}) => shown(post(1, { text: t, entities: [], ...extra }));

  it('match whole words in any case, as Mastodon keyword filters do', () => {
    expect(keeps({ mute: ['cat'] }, text('A CAT sat'))).toBe(false);
    expect(keeps({ mute: ['cat'] }, text('category theory'))).toBe(true);
    expect(keeps({ mute: ['#spoiler'] }, text('big #Spoiler!'))).toBe(false);
    expect(keeps({ mute: ['#spoiler'] }, text('#spoilers ahead'))).toBe(true);
    expect(keeps({ mute: ['new bike'] }, text('My NEW  bike'))).toBe(true);
    expect(keeps({ mute: ['new bike'] }, text('My New Bike!'))).toBe(false);
    // Letters beyond ASCII are letters: "été" is no whole word inside "étés".
    expect(keeps({ mute: ['été'] }, text('Les étés chauds'))).toBe(true);
    expect(keeps({ mute: ['été'] }, text('Un Été chaud'))).toBe(false);
    // Characters that mean something in a regular expression are plain here.
    expect(keeps({ mute: ['c++'] }, text('I write C++ daily'))).toBe(false);
  });

  it('look at the content warning and the quoted post too', () => {
    expect(keeps({ mute: ['spoilers'] }, text('hidden', { contentWarning: 'Spoilers' }))).toBe(false);
    const quoting = text('look', { quote: { ...samplePost(9, at(9)), text: 'Firmware 4.2 is out' } });
    expect(keeps({ mute: ['firmware'] }, quoting)).toBe(false);
  });

  it('take /regular expressions/ with flags, always case-insensitive', () => {
    expect(keeps({ mute: ['/range\\s+estim/'] }, text('Better RANGE   estimates'))).toBe(false);
    expect(keeps({ mute: ['/^post \\d+$/'] }, text('Post 12'))).toBe(false);
    expect(keeps({ mute: ['/^a.b$/s'] }, text('a\nb'))).toBe(false);
    // A stateful flag (g, y) is dropped: the same post is hidden every time it is read.
    const filter = compileFilters({ mute: ['/bike/g'] });
    expect([1, 2, 3].map(() => filter.keep(text('bike bike')))).toEqual([false, false, false]);
  });

  it('apply the global mute list in every column, beside the column’s own', () => {
    expect(keeps({ mute: [] }, text('launch day'), ['launch'])).toBe(false);
    expect(keeps(undefined, text('launch day'), ['/LAUNCH/'])).toBe(false);
    expect(compileFilters(undefined, []).active).toBe(false);
    expect(compileFilters(undefined, ['x']).active).toBe(true);
  });

  it('say what is wrong with a bad regular expression, and never throw', () => {
    expect(compileMute('/(unclosed/')).toEqual({ error: expect.stringMatching(/Unterminated group/) });
    expect(compileMute('/a/q')).toEqual({ error: 'Invalid flag "q"' });
    expect(muteErrors(['fine', '/[z-a]/', '/ok/i'])).toEqual([{ pattern: '/[z-a]/', message: expect.any(String) }]);
    // In a column, a bad pattern is left out (and reported); the others still hide.
    const filter = compileFilters({ mute: ['/(bad/', 'bike'] });
    expect(filter.errors.map((e) => e.pattern)).toEqual(['/(bad/']);
    expect(filter.keep(text('a (bad bike'))).toBe(false);
    expect(filter.keep(text('a (bad day'))).toBe(true);
  });

  it('read lists as typed', () => {
    expect(splitList(' @ada, bob  carol,,bob ')).toEqual(['@ada', 'bob', 'carol']);
    expect(optionsOf({}).filters).toMatchObject({ excludeReposts: false, mute: [], minLikes: 0 });
  });
});

describe('a monitor’s exclusions', () => {
  const text = (t: string) => shown(post(1, { text: t, entities: [] }));
  const monitorColumn = (exclude: string[], options?: Column['options']): Pick<Column, 'monitor' | 'options'> => ({
    monitor: { hashtags: ['IFPower'], keywords: ['launch day'], exclude, profileIds: ['x:cm'] },
    ...(options ? { options } : {}),
  });

  it('hide whole words only: "cat" hides "a cat", not "category" or "concatenate"', () => {
    const f = columnFilters(monitorColumn(['cat', '#giveaway']));
    expect(f.active).toBe(true);
    expect(f.keep(text('#IFPower a cat video'))).toBe(false);
    expect(f.keep(text('#IFPower category leaders'))).toBe(true);
    expect(f.keep(text('#IFPower concatenate'))).toBe(true);
    expect(f.keep(text('#IFPower #Giveaway now'))).toBe(false);
    expect(f.keep(text('#IFPower #giveaways season'))).toBe(true);
  });

  it('never hide the monitor’s own hashtags or keywords, whichever way they are written', () => {
    const f = columnFilters(monitorColumn(['#ifpower', 'IFPOWER', 'Launch Day']));
    expect(monitorExclusions(monitorColumn(['#ifpower', 'IFPOWER', 'Launch Day', 'spam']).monitor!)).toEqual(['spam']);
    expect(f.active).toBe(false);
    expect(f.keep(text('#IFPower launch day is here'))).toBe(true);
  });

  it('add to the column’s own filters and the global mutes, all counted as hidden', () => {
    const f = columnFilters(monitorColumn(['spam'], { filters: { mute: ['crypto'] } } as Column['options']), ['nsfw']);
    expect(f.keep(text('#IFPower spam'))).toBe(false);
    expect(f.keep(text('#IFPower crypto'))).toBe(false);
    expect(f.keep(text('#IFPower nsfw'))).toBe(false);
    expect(f.keep(text('#IFPower hello'))).toBe(true);
  });
});

describe('a filtered column read from Dexie', () => {
  const entries = (n: number, extra: (i: number) => Partial<TimelineEntry> = () => ({})): TimelineEntry[] =>
    Array.from({ length: n }, (_, i) => {
      const p = post(i + 1);
      return { key: p.id, at: p.createdAt, post: p, ...extra(i + 1) };
    });

  it('fills the column past what the filters hide, and counts what they hid', async () => {
    const db = openDatabase('filters-count');
    // 30 posts, one in three a repost (3, 6, …, 30).
    await storeColumnEntries(
      db,
      'home',
      entries(30, (i) => (i % 3 === 0 ? { repostedBy: sampleProfile('bob') } : {})),
    );
    const { keep } = compileFilters({ excludeReposts: true });
    const ten = await readColumn(db, 'home', 10, keep);
    // Newest first: 29, 28, 26, 25, …: ten kept, and the reposts 30, 27, 24, 21, 18 on the way.
    expect(ten.entries).toHaveLength(10);
    expect(ten.entries.every((e) => !e.repostedBy)).toBe(true);
    expect(ten.entries[0]!.key).toBe('sandbox:test-29');
    expect(ten.hidden).toBe(5);
    // Everything: 20 kept, 10 hidden.
    const all = await readColumn(db, 'home', 100, keep);
    expect([all.entries.length, all.hidden]).toEqual([20, 10]);
    // Shown on request: all 30, the hidden ones marked, still counted.
    const shownToo = await readColumn(db, 'home', 100, keep, true);
    expect(shownToo.entries).toHaveLength(30);
    expect(shownToo.entries.filter((e) => e.filtered).map((e) => e.key)).toHaveLength(10);
    expect(shownToo.entries.find((e) => e.key === 'sandbox:test-30')?.filtered).toBe(true);
    expect(shownToo.hidden).toBe(10);
    db.close();
  });

  it('reads on through a long run of hidden entries (more than one batch)', async () => {
    const db = openDatabase('filters-long-run');
    await storeColumnEntries(
      db,
      'tag',
      entries(450, (i) => (i > 3 ? { repostedBy: sampleProfile('bob') } : {})),
    );
    const read = await readColumn(db, 'tag', 40, compileFilters({ excludeReposts: true }).keep);
    expect(read.entries.map((e) => e.key)).toEqual(['sandbox:test-3', 'sandbox:test-2', 'sandbox:test-1']);
    expect(read.hidden).toBe(447);
    db.close();
  });
});
