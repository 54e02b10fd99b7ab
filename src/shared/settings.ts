import { z } from 'zod';

export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

export const SettingsSchema = z.object({
  /** 'system' follows the operating system's language. */
  language: z.enum(['system', ...LANGUAGES]),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = { language: 'system' };

/** The UI language for an OS locale list: the first supported one, English otherwise. */
export function resolveLanguage(setting: Settings['language'], osLocales: readonly string[]): Language {
  if (setting !== 'system') return setting;
  for (const locale of osLocales) {
    const base = locale.toLowerCase().split(/[-_]/)[0];
    const found = LANGUAGES.find((l) => l === base);
    if (found) return found;
  }
  return 'en';
}
