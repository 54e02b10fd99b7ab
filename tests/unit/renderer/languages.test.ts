// The language lists (monitor form, column filters): each language once, named in the UI's
// language, sorted by that language's collation, the value an ISO 639-1 code; also where the
// engine's ICU data cannot name a language (Chromium and Electron ship a reduced one).
import { afterEach, describe, expect, it, vi } from 'vitest';

/** Codes Chromium 156's Intl.DisplayNames answers as the bare code (its reduced ICU data). */
const CHROMIUM_UNNAMED =
  'aa ab ae av ba bi bo ce ch cr cu cv dz ff fj gv ho hz ie ii ik io iu kg ki kj kl kr ks kv kw li lu mh na nd ng nr nv oj os pi rn sc se sg ss ty ve vo za'.split(
    ' ',
  );

const RealDisplayNames = Intl.DisplayNames;
afterEach(() => {
  Object.defineProperty(Intl, 'DisplayNames', { value: RealDisplayNames, configurable: true, writable: true });
  vi.resetModules();
});

const load = async () => import('../../../src/renderer/components/languages');

function expectNamedOnce(choices: Array<{ code: string; name: string }>, language: string) {
  expect(choices.filter((c) => c.name.toLowerCase() === c.code)).toEqual([]);
  const names = choices.map((c) => c.name);
  expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  expect(names).toEqual([...names].sort(new Intl.Collator(language).compare));
  for (const c of choices) expect(c.code).toMatch(/^[a-z]{2}$/);
}

describe('languageChoices', () => {
  it('names each ISO 639-1 language once, in English and in French, sorted by name', async () => {
    const { languageChoices, ISO_639_1 } = await load();
    for (const language of ['en', 'fr']) {
      const choices = languageChoices(language);
      expectNamedOnce(choices, language);
      // Every code but Twi, which CLDR names Akan (as `ak`).
      expect(choices).toHaveLength(ISO_639_1.length - 1);
    }
    expect(languageChoices('en')).toContainEqual({ code: 'de', name: 'German' });
    expect(languageChoices('fr')).toContainEqual({ code: 'de', name: 'Allemand' });
    expect(languageChoices('fr')).toContainEqual({ code: 'ja', name: 'Japonais' });
  });

  it('where the engine cannot name a language (Chromium), the list still names it, in the UI’s language', async () => {
    class ChromiumDisplayNames extends RealDisplayNames {
      override of(code: string) {
        return CHROMIUM_UNNAMED.includes(code) ? code : super.of(code);
      }
    }
    Object.defineProperty(Intl, 'DisplayNames', { value: ChromiumDisplayNames, configurable: true, writable: true });
    const { languageChoices, ISO_639_1 } = await load();
    const en = languageChoices('en');
    const fr = languageChoices('fr');
    expectNamedOnce(en, 'en');
    expectNamedOnce(fr, 'fr');
    expect(en).toHaveLength(ISO_639_1.length - 1);
    expect(en).toContainEqual({ code: 'iu', name: 'Inuktitut' });
    expect(en).toContainEqual({ code: 'bo', name: 'Tibetan' });
    expect(fr).toContainEqual({ code: 'bo', name: 'Tibétain' });
    expect(fr).toContainEqual({ code: 'kl', name: 'Groenlandais' });
  });

  it('keeps a saved language the list leaves out, named with its code', async () => {
    const { languageChoices, withSaved } = await load();
    const choices = withSaved(languageChoices('en'), 'tw', 'en');
    expect(choices.at(-1)).toEqual({ code: 'tw', name: 'Akan (tw)' });
    expect(withSaved(languageChoices('en'), 'fr', 'en')).toHaveLength(languageChoices('en').length);
  });
});
