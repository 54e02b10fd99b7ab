// A media problem in the UI's words: sizes in kB, MB, GB (steps of 1,024, as file managers on
// Windows show them) and durations named by Intl.NumberFormat's unit formatting in the UI's
// language ("1.8 MB" / "1,8 Mo", "10 min").
import type { TFunction } from 'i18next';
import type { MediaProblem } from '../../shared/media-rules';

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

/** `bytes` as people read a file size: "976.56 kB", "1.8 MB" (at most two decimals). */
export function formatBytes(bytes: number, language: string): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return new Intl.NumberFormat(language, {
    style: 'unit',
    unit: BYTE_UNITS[unit],
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit === 0 ? 0 : 2,
  }).format(value);
}

/** A duration in seconds as "45 s", "10 min", "2 min 30 s" would be read: minutes from 60 s on. */
export function formatDuration(seconds: number, language: string): string {
  const unit = (n: number, u: 'second' | 'minute') =>
    new Intl.NumberFormat(language, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 1 }).format(
      n,
    );
  if (seconds < 60) return unit(seconds, 'second');
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return rest ? `${unit(minutes, 'minute')} ${unit(rest, 'second')}` : unit(minutes, 'minute');
}

/**
 * The words for `problem` on the network named `network` ("Bluesky", "Mastodon (mastodon.social)"),
 * from i18n `media.reasons`: the `kind` param picks a variant (i18next context), numbers and sizes
 * are formatted for `language`.
 */
export function problemWords(t: TFunction, problem: MediaProblem, network: string, language: string): string {
  const p = problem.params;
  const number = new Intl.NumberFormat(language);
  const num = (key: string) => (typeof p[key] === 'number' ? number.format(p[key]) : String(p[key] ?? ''));
  const values: Record<string, string> = { network };
  switch (problem.reason) {
    case 'media-too-large':
      values.size = formatBytes(Number(p.bytes), language);
      values.max = formatBytes(Number(p.max), language);
      break;
    case 'media-too-long':
    case 'media-too-short':
      values.duration = formatDuration(Number(p.seconds), language);
      if (p.max !== undefined) values.max = formatDuration(Number(p.max), language);
      if (p.min !== undefined) values.min = formatDuration(Number(p.min), language);
      break;
    default:
      for (const key of Object.keys(p)) values[key] = num(key);
  }
  const context = typeof p.kind === 'string' ? p.kind : undefined;
  return t(`media.reasons.${problem.reason}`, { ...values, ...(context ? { context } : {}) });
}
