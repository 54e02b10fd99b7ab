// The UI's translations (i18next + react-i18next). The strings live in src/shared/i18n so the
// Electron shell's tray menu uses the same ones.
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from '../shared/i18n/en.json';
import fr from '../shared/i18n/fr.json';
import type { Language } from '../shared/settings';

export function createI18n(language: Language): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    initAsync: false,
    lng: language,
    fallbackLng: 'en',
    resources: { en: { translation: en }, fr: { translation: fr } },
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}

export function applyDocumentLanguage(language: Language): void {
  document.documentElement.lang = language;
}
