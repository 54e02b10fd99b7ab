import { z } from 'zod';
import { CatchUpPolicySchema } from './outbox';

export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

export const SettingsSchema = z.object({
  /** 'system' follows the operating system's language. */
  language: z.enum(['system', ...LANGUAGES]),
  /**
   * Words, or regular expressions written /like this/i, hidden in every column (the renderer's
   * column filters, src/renderer/state/filters.ts). Optional rather than defaulted: a default
   * would be filled in by `SettingsSchema.partial()` and wipe the list on every other update.
   */
  mute: z.array(z.string().min(1).max(200)).max(500).optional(),
  /** What a post missed while Colonnade was closed does (the outbox's catch-up policy). */
  catchUp: CatchUpPolicySchema.optional(),
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
