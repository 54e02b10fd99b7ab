// The composer with a character X refuses (markup, react-dom/server): the counter does not look
// fine while Post would be refused. It names the character and where it is, and Post is off; a
// byte order mark that starts the text is dropped as it is sent, so Post stays on.
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import { ComposeDialog } from '../../../../src/renderer/components/ComposeDialog';
import { ServicesContext, type AppServices } from '../../../../src/renderer/components/context';
import { createI18n } from '../../../../src/renderer/i18n';
import { initialState, useAppStore } from '../../../../src/renderer/state/store';
import type { Account } from '../../../../src/shared/model';

const X_ACCOUNT = {
  id: 'x:1',
  network: 'x',
  profile: { id: 'x:1', network: 'x', handle: 'brand', displayName: 'Brand', avatarUrl: null, url: null },
  health: { state: 'ok' },
  practice: false,
  columnKinds: ['home'],
  server: 'https://api.x.com',
  textRules: { counting: 'weighted', maxLength: 280, maxImages: 4, maxAltLength: 1000 },
} as unknown as Account;

const services = { actions: {}, db: {} } as unknown as AppServices;

function composer(text: string, language: 'en' | 'fr' = 'en') {
  Object.assign(useAppStore.getInitialState(), { accounts: [X_ACCOUNT] });
  const html = renderToStaticMarkup(
    <I18nextProvider i18n={createI18n(language)}>
      <ServicesContext.Provider value={services}>
        <ComposeDialog onClose={() => {}} language={language} initialText={text} />
      </ServicesContext.Provider>
    </I18nextProvider>,
  );
  // One counter per network chosen: here X's alone, a span in the counters' line.
  const counter = /<p id="compose-count"[^>]*><span class="([^"]*)"[^>]*>(.*?)<\/span>/.exec(html);
  const alert = /<p [^>]*class="form-error" role="alert">([^<]*)<\/p>/.exec(html)?.[1] ?? '';
  const post = /<button type="submit"[^>]*>/.exec(html)?.[0] ?? '';
  return {
    counterClass: counter?.[1] ?? '',
    counter: counter?.[2] ?? '',
    alert,
    postDisabled: post.includes('disabled'),
  };
}

afterEach(() => {
  Object.assign(useAppStore.getInitialState(), { accounts: initialState.accounts });
});

describe('the composer and characters X refuses', () => {
  it('a byte order mark inside the text: named with its place, counter in error, Post off', () => {
    const c = composer('Doors open\uFEFF at 9 in the foyer!');
    expect(c.postDisabled).toBe(true);
    expect(c.counterClass).toContain('error');
    expect(c.counter).toBe('31 / 280'); // twitter-text weighs U+FEFF 2
    expect(c.alert).toContain('U+FEFF');
    expect(c.alert).toContain('at character 11');
    expect(c.alert).not.toMatch(/280|shorten/);
  });

  it('in French too', () => {
    expect(composer('Portes\uFFFF ouvertes', 'fr').alert).toContain('le caractère U+FFFF (un non-caractère)');
  });

  it('a byte order mark that starts the text (pasted from a file): counted out, Post on', () => {
    const c = composer('\uFEFFDoors open at 9 in the foyer!');
    expect(c).toMatchObject({ counter: '29 / 280', alert: '', postDisabled: false });
    expect(c.counterClass).not.toContain('error');
  });
});
