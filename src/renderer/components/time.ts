// Dates in the UI's language (date-fns and its locales).
import { format, formatDistanceToNowStrict } from 'date-fns';
import { enGB, fr } from 'date-fns/locale';
import { useEffect, useState } from 'react';

const locales = { en: enGB, fr } as const;
const localeOf = (language: string) => (language === 'fr' ? locales.fr : locales.en);

export function formatTime(iso: string, language: string): string {
  return format(new Date(iso), 'HH:mm', { locale: localeOf(language) });
}

/** How long ago, in words; null under a minute (the caller says "now"). */
export function formatAge(iso: string, language: string): string | null {
  if (Date.now() - Date.parse(iso) < 60_000) return null;
  return formatDistanceToNowStrict(new Date(iso), {
    locale: localeOf(language),
    addSuffix: true,
    roundingMethod: 'floor',
  });
}

export function formatFull(iso: string, language: string): string {
  return format(new Date(iso), 'PPpp', { locale: localeOf(language) });
}

/** Re-renders the caller every `ms` so relative times stay true. */
export function useTick(ms: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return tick;
}
