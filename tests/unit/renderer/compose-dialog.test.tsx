// The composer's counter and Post button (markup, react-dom/server), counted on what it sends.
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import { ComposeDialog } from '../../../src/renderer/components/ComposeDialog';
import { ServicesContext, type AppServices } from '../../../src/renderer/components/context';
import { createI18n } from '../../../src/renderer/i18n';
import { initialState, useAppStore } from '../../../src/renderer/state/store';
import type { TextRules } from '../../../src/shared/adapter';
import type { Account } from '../../../src/shared/model';

function account(network: 'bluesky' | 'mastodon' | 'x', textRules: Partial<TextRules>): Account {
  return {
    id: `${network}:1`,
    network,
    profile: { id: `${network}:1`, network, handle: 'brand', displayName: 'Brand', avatarUrl: null, url: null },
    health: { state: 'connected' },
    practice: false,
    columnKinds: ['home'],
    server: 'https://example.social',
    textRules: { maxImages: 4, maxAltLength: 1000, ...textRules } as TextRules,
  } as Account;
}

const services = { actions: {}, db: {} } as unknown as AppServices;

/** The composer as it opens with `text` typed: the counter's words and whether Post is off. */
function composer(acc: Account, text: string) {
  // On the server React reads zustand's initial state (useSyncExternalStore's server snapshot).
  Object.assign(useAppStore.getInitialState(), { accounts: [acc] });
  const html = renderToStaticMarkup(
    <I18nextProvider i18n={createI18n('en')}>
      <ServicesContext.Provider value={services}>
        <ComposeDialog onClose={() => {}} language="en" initialText={text} />
      </ServicesContext.Provider>
    </I18nextProvider>,
  );
  const counter = (/<p id="compose-count"[^>]*>(.*?)<\/p>/.exec(html)?.[1] ?? '').replace(/<[^>]*>/g, '');
  const post = /<button type="submit"[^>]*>/.exec(html)?.[0] ?? '';
  return { counter, postDisabled: post.includes('disabled') };
}

afterEach(() => {
  Object.assign(useAppStore.getInitialState(), { accounts: initialState.accounts });
});

describe('the composer counts what it will send', () => {
  const bluesky = account('bluesky', { counting: 'graphemes', maxLength: 300, maxBytes: 3000 });
  const mastodon = account('mastodon', { counting: 'characters', maxLength: 500 });
  const x = account('x', { counting: 'weighted', maxLength: 280 });

  it('Bluesky: 300 letters and a trailing line break show 300 / 300 and Post stays on', () => {
    expect(composer(bluesky, 'a'.repeat(300) + '\n')).toEqual({ counter: '300 / 300 characters', postDisabled: false });
    expect(composer(bluesky, 'a'.repeat(301))).toEqual({ counter: '301 / 300 characters', postDisabled: true });
  });

  it('Mastodon: 500 letters and two line breaks are 500 / 500; 250 × क्ष are 500 too (Ruby’s clusters)', () => {
    expect(composer(mastodon, 'a'.repeat(500) + '\n\n')).toEqual({ counter: '500 / 500', postDisabled: false });
    expect(composer(mastodon, 'क्ष'.repeat(250))).toEqual({ counter: '500 / 500', postDisabled: false });
    expect(composer(mastodon, 'क्ष'.repeat(251)).postDisabled).toBe(true);
  });

  it('X: 140 mechanics 🧑‍🔧 and a space are 280 / 280, Post on', () => {
    expect(composer(x, '🧑‍🔧'.repeat(140) + ' ')).toEqual({ counter: '280 / 280', postDisabled: false });
  });
});

/** The composer's markup with `text` typed, in `language`. */
function markup(acc: Account, text: string, language: 'en' | 'fr' = 'en') {
  Object.assign(useAppStore.getInitialState(), { accounts: [acc] });
  return renderToStaticMarkup(
    <I18nextProvider i18n={createI18n(language)}>
      <ServicesContext.Provider value={services}>
        <ComposeDialog onClose={() => {}} language={language} initialText={text} />
      </ServicesContext.Provider>
    </I18nextProvider>,
  );
}

describe('past the limit, the composer says why Post is off', () => {
  const bluesky = account('bluesky', { counting: 'graphemes', maxLength: 300, maxBytes: 3000 });
  const mastodon = account('mastodon', { counting: 'characters', maxLength: 500 });
  // 275 mechanics (🧑‍🔧: 11 UTF-8 bytes each) are 275 graphemes but 3,025 bytes.
  const mechanics = '🧑‍🔧'.repeat(275);

  it('Bluesky, 3,025 bytes: “Too long for Bluesky: 3,025 / 3,000 bytes”, tied to the text box', () => {
    const html = markup(bluesky, mechanics);
    expect(/<p id="compose-over"[^>]*>([^<]*)<\/p>/.exec(html)?.[1]).toBe('Too long for Bluesky: 3,025 / 3,000 bytes');
    const described = /<textarea[^>]*aria-describedby="([^"]*)"/.exec(html)?.[1]?.split(' ');
    expect(described).toEqual(expect.arrayContaining(['compose-count', 'compose-over']));
    expect(html).toMatch(/<textarea[^>]*aria-invalid="true"/);
  });

  it('in French too, with French numbers', () => {
    const html = markup(bluesky, mechanics, 'fr');
    const words = /<p id="compose-over"[^>]*>([^<]*)<\/p>/.exec(html)?.[1]?.replace(/\s/g, ' ');
    expect(words).toBe('Trop long pour Bluesky : 3 025 / 3 000 octets');
  });

  it('Mastodon, 502 characters: says characters', () => {
    const html = markup(mastodon, 'a'.repeat(502));
    expect(/<p id="compose-over"[^>]*>([^<]*)<\/p>/.exec(html)?.[1]).toBe(
      'Too long for Mastodon · example.social: 502 / 500 characters',
    );
  });

  it('within the limit: no such words, and the counter is not a live region (it would speak at every key)', () => {
    const html = markup(bluesky, 'a'.repeat(299));
    expect(html).not.toContain('compose-over');
    expect(/<textarea[^>]*aria-describedby="([^"]*)"/.exec(html)?.[1]).toBe('compose-count');
    expect(/<p id="compose-count"[^>]*>/.exec(html)?.[0]).not.toContain('aria-live');
    // The status that speaks on crossing a threshold starts silent.
    expect(/<p[^>]*data-testid="compose-announce"[^>]*>([^<]*)<\/p>/.exec(html)?.[1]).toBe('');
  });
});
