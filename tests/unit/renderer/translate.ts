// The UI's words in English or French for tests that check what a CM reads, without React: the
// app's own translations (src/shared/i18n), as the renderer loads them.
import { createInstance, type TFunction } from 'i18next';
import en from '../../../src/shared/i18n/en.json';
import fr from '../../../src/shared/i18n/fr.json';

/** An i18next `t` in `lng`, falling back to English as the app does. */
export function tFor(lng: 'en' | 'fr'): TFunction {
  const i18n = createInstance();
  void i18n.init({
    initAsync: false,
    lng,
    fallbackLng: 'en',
    resources: { en: { translation: en }, fr: { translation: fr } },
    interpolation: { escapeValue: false },
  });
  return i18n.t;
}
