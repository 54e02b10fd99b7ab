import { describe, expect, it } from 'vitest';
import {
  contentOf,
  countersOf,
  hashtagSuggestions,
  highlightsOf,
  partialHighlights,
  previewEntities,
  sharedHighlightsOf,
  splitIntoThread,
  type ComposeState,
} from '../../../src/renderer/components/compose-model';
import type { Account } from '../../../src/shared/model';
import { measureText } from '../../../src/shared/text-length';

function account(
  id: string,
  network: Account['network'],
  textRules: Account['textRules'],
  server: string | null = null,
): Account {
  return {
    id,
    network,
    profile: { id, network, handle: id.split(':')[1]!, displayName: 'Brand', avatarUrl: null, url: null },
    health: { state: 'connected' },
    practice: false,
    columnKinds: ['home'],
    server,
    textRules,
  };
}
const X = account('x:brand', 'x', { counting: 'weighted', maxLength: 280, maxImages: 4, maxAltLength: 1000 });
const BSKY = account('bluesky:brand', 'bluesky', {
  counting: 'graphemes',
  maxLength: 300,
  maxBytes: 3000,
  maxImages: 4,
  maxAltLength: 2000,
});
const SOCIAL = account(
  'mastodon:a',
  'mastodon',
  { counting: 'characters', maxLength: 500, maxImages: 4, maxAltLength: 1500 },
  'https://mastodon.social',
);
const BIG = account(
  'mastodon:b',
  'mastodon',
  { counting: 'characters', maxLength: 5000, maxImages: 4, maxAltLength: 1500 },
  'https://big.example',
);
const ACCOUNTS = [X, BSKY, SOCIAL, BIG];
const state = (
  text: string,
  targets = ACCOUNTS.map((a) => a.id),
  variants: ComposeState['variants'] = {},
): ComposeState => ({
  targets,
  parts: [{ text, media: [] }],
  variants,
  when: { kind: 'now' },
});

describe('one post, several networks: a counter per set of rules', () => {
  it('X, Bluesky and two Mastodon instances with their own limits count one text four ways', () => {
    const text = `${'é'.repeat(290)} 🧑‍🔧 https://example.com/a/very/long/path/that/counts/as/twenty-three`;
    const counters = countersOf(state(text), ACCOUNTS);
    expect(counters.map((c) => c.label)).toEqual([
      'X',
      'Bluesky',
      'Mastodon · mastodon.social',
      'Mastodon · big.example',
    ]);
    // X: 290 + space + emoji 2 + space + link 23; Bluesky: graphemes with the whole link.
    expect(counters[0]!.measures[0]!.binding.length).toBe(317);
    expect(counters[0]!.over).toBe(true);
    expect(counters[1]!.over).toBe(true);
    expect(counters[2]!.over).toBe(false);
    expect(counters[3]!.measures[0]!.binding.max).toBe(5000);
  });

  it('a network with its own version is counted on that version', () => {
    const long = 'word '.repeat(100);
    const counters = countersOf(
      state(long, ['x:brand', 'mastodon:a'], { x: [{ text: 'Short for X', media: [] }] }),
      ACCOUNTS,
    );
    expect(counters.find((c) => c.network === 'x')!.over).toBe(false);
    expect(counters.find((c) => c.network === 'mastodon')!.over).toBe(false);
  });

  it('the content sent keeps variants only for chosen networks and only where they differ', () => {
    const s = state('Hello', ['x:brand'], {
      x: [{ text: 'Hello', media: [] }],
      bluesky: [{ text: 'Other', media: [] }],
    });
    expect(contentOf(s, ACCOUNTS)).toEqual({ parts: [{ text: 'Hello', media: [] }] });
    const t = state('Hello', ['x:brand', 'bluesky:brand'], { bluesky: [{ text: 'Other', media: [] }] });
    expect(contentOf(t, ACCOUNTS, { replyTo: 'x:1' })).toEqual({
      parts: [{ text: 'Hello', media: [] }],
      variants: { bluesky: [{ text: 'Other', media: [] }] },
      replyTo: 'x:1',
    });
  });
});

describe('splitting into a thread', () => {
  const fitsX = (t: string) => !measureText(t, X.textRules).over;
  it('splits at sentence ends, each part within X’s 280, nothing lost', () => {
    const sentences = Array.from(
      { length: 12 },
      (_, i) => `Sentence number ${i + 1} says something worth reading about the launch.`,
    );
    const text = sentences.join(' ');
    const parts = splitIntoThread(text, fitsX, 'en');
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) expect(fitsX(p)).toBe(true);
    for (const p of parts) expect(p).toMatch(/\.$/);
    expect(parts.join(' ')).toBe(text);
  });

  it('one sentence longer than a post is split between words, never inside one; CJK counts double on X', () => {
    const words = Array.from({ length: 120 }, (_, i) => `mot${i}`).join(' ');
    const parts = splitIntoThread(words, fitsX, 'fr');
    for (const p of parts) expect(fitsX(p)).toBe(true);
    expect(parts.join(' ')).toBe(words);
    const cjk = '日本語の文章です'.repeat(30);
    const cjkParts = splitIntoThread(cjk, fitsX, 'ja');
    for (const p of cjkParts) expect(fitsX(p)).toBe(true);
    expect(cjkParts.join('')).toBe(cjk);
  });

  it('a text that fits stays one post', () => {
    expect(splitIntoThread('Short. Sweet.', fitsX)).toEqual(['Short. Sweet.']);
  });
});

describe('links, mentions and hashtags as each network makes them', () => {
  it('Mastodon: a mention with its domain and a link; X: the handle alone', () => {
    const text = 'Hi @lina@example.org see https://shop.example.com/p #Launch2027';
    const m = highlightsOf(text, 'mastodon').map((h) => [h.kind, text.slice(h.start, h.end)]);
    expect(m).toEqual([
      ['mention', '@lina@example.org'],
      ['link', 'https://shop.example.com/p'],
      ['hashtag', '#Launch2027'],
    ]);
    const x = highlightsOf('Hi @lina see example.com #Launch', 'x').map((h) => h.kind);
    expect(x).toEqual(['mention', 'link', 'hashtag']);
  });

  it('Bluesky by its own facet detection: a handle needs a dot, an emoji hashtag counts (X differs on all three)', () => {
    const text = 'Hi @ada.test and @bob #🚲 example.com/menu';
    const spans = (n: 'x' | 'bluesky') => highlightsOf(text, n).map((h) => [h.kind, text.slice(h.start, h.end)]);
    expect(spans('bluesky')).toEqual([
      ['mention', '@ada.test'],
      ['hashtag', '#🚲'],
      ['link', 'example.com/menu'],
    ]);
    expect(spans('x')).toContainEqual(['mention', '@ada']);
    expect(spans('x')).toContainEqual(['mention', '@bob']);
    expect(spans('x').map((s) => s[1])).not.toContain('#🚲');
  });

  it('shared text on X and Bluesky: pieces both make are whole, the rest names the networks that make it', () => {
    const text = '@ada.test @bob #🚲 #ride';
    const pieces = sharedHighlightsOf(text, ['x', 'bluesky']).map((h) => [
      text.slice(h.start, h.end),
      h.networks,
      h.all,
    ]);
    expect(pieces).toEqual([
      ['@ada', ['x', 'bluesky'], true],
      ['.test', ['bluesky'], false],
      ['@bob', ['x'], false],
      ['#🚲', ['bluesky'], false],
      ['#ride', ['x', 'bluesky'], true],
    ]);
    expect(partialHighlights(text, ['x', 'bluesky'])).toEqual([
      { networks: ['x'], spans: ['@ada', '@bob'] },
      { networks: ['bluesky'], spans: ['@ada.test', '#🚲'] },
    ]);
    expect(partialHighlights(text, ['bluesky'])).toEqual([]);
  });

  it('the preview shows a long link as each network does', () => {
    const text = 'See https://example.com/very-long-path/to/a/page?x=1 now';
    const link = (n: 'x' | 'mastodon' | 'bluesky') => previewEntities(text, n).find((e) => e.kind === 'link');
    expect(link('x')).toMatchObject({
      value: 'https://example.com/very-long-path/to/a/page?x=1',
      display: 'example.com/very-long-pa…',
    });
    expect(link('mastodon')?.display).toBe('example.com/very-long-path/to/…');
    expect(link('bluesky')?.display).toBe('example.com/very-long-pa...');
    expect(previewEntities('ok example.com', 'bluesky')[0]).toMatchObject({
      display: 'example.com',
      value: 'https://example.com',
    });
  });
});

describe('hashtag suggestions', () => {
  it('suggests known hashtags starting with what is typed after #, accents aside, each once', () => {
    const known = ['IFPower', 'ifpower', 'Été2027', 'RideLocal'];
    expect(hashtagSuggestions('Launch #if', 10, known)).toEqual({ query: 'if', start: 7, tags: ['IFPower'] });
    expect(hashtagSuggestions('#ete', 4, known)?.tags).toEqual(['Été2027']);
    expect(hashtagSuggestions('no hash here', 12, known)).toBeNull();
    expect(hashtagSuggestions('mail a#b', 8, known)).toBeNull();
  });
});
