// Dates in the UI's language (date-fns and its locales).
import { format, formatDistanceToNowStrict } from 'date-fns';
import { enGB, fr } from 'date-fns/locale';
import { useEffect, useState } from 'react';

const locales = { en: enGB, fr } as const;
const localeOf = (language: string) => (language === 'fr' ? locales.fr : locales.en);

export function formatTime(iso: string, language: string, now: number = Date.now()): string {
  const at = new Date(iso);
  // Another day than today (an X daily limit resets tomorrow): the day too, else "05:40" reads as past.
  const sameDay = format(at, 'yyyy-MM-dd') === format(now, 'yyyy-MM-dd');
  return format(at, sameDay ? 'HH:mm' : 'EEE d MMM, HH:mm', { locale: localeOf(language) });
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

type AgeUnit = 'minute' | 'hour' | 'day';

/**
 * One short-unit formatter per language and unit, made once: every visible post's age is
 * formatted again every 30 s, and an `Intl.NumberFormat` is costly to build (locale data).
 */
const unitFormats = new Map<string, Intl.NumberFormat>();
function unitFormat(language: string, unit: AgeUnit): Intl.NumberFormat {
  const key = `${language}\u0000${unit}`;
  let format = unitFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'short' });
    unitFormats.set(key, format);
  }
  return format;
}

/**
 * How long ago, compact, for a post's header in a narrow column: "5 min", "2 hr", "3 days" in
 * English, "5 min", "2 h", "3 j" in French (the CLDR short unit forms, through
 * `Intl.NumberFormat` with `style: 'unit'`); past a week, the day ("12 Mar", "12 mars", with the
 * year when it is not this year, by date-fns). Null under a minute (the caller says "now"). The
 * full date belongs in the element's `title`, and the long form (`formatAge`) in accessible names.
 */
export function formatShortAge(iso: string, language: string, now: number = Date.now()): string | null {
  const then = Date.parse(iso);
  const minutes = Math.floor((now - then) / 60_000);
  if (minutes < 1) return null;
  const unit = (value: number, name: AgeUnit) => unitFormat(language, name).format(value);
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return unit(hours, 'hour');
  const days = Math.floor(hours / 24);
  if (days < 7) return unit(days, 'day');
  const date = new Date(then);
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return format(date, sameYear ? 'd MMM' : 'd MMM yyyy', { locale: localeOf(language) });
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
