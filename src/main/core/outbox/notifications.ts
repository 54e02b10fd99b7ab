// The desktop notification for a target that needs the CM: it failed, it missed its time while
// Colonnade was closed (held), or its instance dropped it. Words from the shared i18n files.
import { outboxNotifications as en } from '../../../shared/i18n/en.json';
import { outboxNotifications as fr } from '../../../shared/i18n/fr.json';
import type { Target } from '../../../shared/outbox';
import type { Language } from '../../../shared/settings';

const WORDS: Record<Language, typeof en> = { en, fr };

const fill = (template: string, params: Record<string, string>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => params[k] ?? '');

/**
 * Title and body for `target` in `language`, naming `profile` (a handle); null for a state that
 * needs no notification.
 */
export function outboxNotification(
  language: Language,
  target: Target,
  profile: string,
): { title: string; body: string } | null {
  const w = WORDS[language];
  const params = { profile: `@${profile.replace(/^@/, '')}` };
  if (target.state === 'failed') return { title: w.failedTitle, body: fill(w.failedBody, params) };
  if (target.state === 'held') return { title: w.heldTitle, body: fill(w.heldBody, params) };
  if (target.state === 'cancelled') return { title: w.droppedTitle, body: fill(w.droppedBody, params) };
  return null;
}
