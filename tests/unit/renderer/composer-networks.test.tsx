// @vitest-environment jsdom
// The composer shows each network's own rules (issue 8, tester's findings): the highlights behind
// the text follow the chosen networks (Bluesky's facet detection, X's twitter-text), a span only
// some of them make is marked apart and named under the text, each network's preview shows its
// links as that network does, and the status says the current worst problem while over.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ComposeDialog } from '../../../src/renderer/components/ComposeDialog';
import { accountOn, freshAppPerTest, mainAnswering, showDialog } from './test-app';
import { byRole, click, descriptionOf, settle, textOf, type } from './dom';

const X = accountOn('x', 'brand', {
  textRules: { counting: 'weighted', maxLength: 280, maxImages: 4, maxAltLength: 1000 },
});
const BLUESKY = accountOn('bluesky', 'brand.bsky.social', {
  textRules: { counting: 'graphemes', maxLength: 300, maxBytes: 3000, maxImages: 4, maxAltLength: 2000 },
});
freshAppPerTest({ accounts: [X, BLUESKY] });

const marks = (scope: Element) =>
  [...scope.querySelectorAll('.compose-mirror mark')].map((m) => [
    m.textContent,
    m.className.replace('hl-', '').replace(' hl-some', ' (some)'),
  ]);

async function composer(networks: Array<'x' | 'bluesky'>) {
  const { services } = mainAnswering(() => null);
  const dialog = await showDialog(<ComposeDialog onClose={() => {}} language="en" />, services);
  const targets = byRole(dialog, 'group', 'Post as');
  const x = byRole(targets, 'checkbox', '@brand X') as HTMLInputElement;
  const bluesky = byRole(targets, 'checkbox', '@brand.bsky.social Bluesky') as HTMLInputElement;
  if (x.checked !== networks.includes('x')) await click(x);
  if (bluesky.checked !== networks.includes('bluesky')) await click(bluesky);
  return dialog;
}

describe('highlights by each chosen network’s rules', () => {
  it('Bluesky alone: "@ada.test" whole, "@bob" (no dot) plain, "#🚲" a hashtag', async () => {
    const dialog = await composer(['bluesky']);
    await type(byRole(dialog, 'textbox', 'Text'), 'Hi @ada.test and @bob #🚲');
    await settle();
    expect(marks(dialog)).toEqual([
      ['@ada.test', 'mention'],
      ['#🚲', 'hashtag'],
    ]);
    expect(dialog.querySelector('.compose-partial')).toBeNull();
  });

  it('X and Bluesky: what only one makes is marked apart and named under the text', async () => {
    const dialog = await composer(['x', 'bluesky']);
    const box = byRole(dialog, 'textbox', 'Text');
    await type(box, 'Hi @ada.test and @bob #🚲 #ride');
    await settle();
    expect(marks(dialog)).toEqual([
      ['@ada', 'mention'],
      ['.test', 'mention (some)'],
      ['@bob', 'mention (some)'],
      ['#🚲', 'hashtag (some)'],
      ['#ride', 'hashtag'],
    ]);
    expect(descriptionOf(box)).toContain(
      'A link, mention or hashtag only on X: @ada, @bob · A link, mention or hashtag only on Bluesky: @ada.test, #🚲',
    );
  });
});

describe('the preview per network', () => {
  it('shows links, mentions and hashtags, a long link shortened as each network shows it', async () => {
    const dialog = await composer(['x', 'bluesky']);
    await type(byRole(dialog, 'textbox', 'Text'), 'New https://example.com/very-long-path/to/a/page #ride');
    const previews = dialog.querySelector<HTMLDetailsElement>('.compose-previews')!;
    previews.open = true;
    previews.dispatchEvent(new Event('toggle'));
    await settle();
    const x = dialog.querySelector('section[aria-label="Preview on X"]')!;
    const bluesky = dialog.querySelector('section[aria-label="Preview on Bluesky"]')!;
    expect(textOf(x.querySelector('a'))).toBe('example.com/very-long-pa…');
    expect(x.querySelector('a')?.getAttribute('href')).toBe('https://example.com/very-long-path/to/a/page');
    expect(textOf(bluesky.querySelector('a'))).toBe('example.com/very-long-pa...');
    expect(textOf(x.querySelector('.hashtag'))).toBe('#ride');
  });
});

describe('the status while over', () => {
  it('says the current worst problem, not the one the text first crossed the limit with', async () => {
    const dialog = await composer(['bluesky']);
    const box = byRole(dialog, 'textbox', 'Text');
    await type(box, 'a'.repeat(301));
    await settle();
    const status = dialog.querySelector('[data-testid="compose-announce"]')!;
    expect(textOf(status)).toBe('Too long for Bluesky: 301 / 300 characters');
    // 275 mechanics (🧑‍🔧, 11 UTF-8 bytes each): within 300 characters, over 3,000 bytes.
    await type(box, '🧑‍🔧'.repeat(275));
    await settle();
    expect(textOf(status)).toBe('Too long for Bluesky: 3,025 / 3,000 bytes');
    await type(box, 'a'.repeat(427));
    await settle();
    expect(textOf(status)).toBe('Too long for Bluesky: 427 / 300 characters');
  });
});
