// Time-zone names as a community manager looks for them. ICU (in Node and Chromium alike) still
// lists some zones under names IANA has replaced (tzdata's `backward` file: Asia/Calcutta for
// Asia/Kolkata, Europe/Kiev for Europe/Kyiv). Both names work everywhere (zoned-time's
// isKnownZone, the scheduler); lists offered to the CM show the current one. Pure: the runtime's
// Intl only, so the composer and the Outbox's posting queues (renderer) share it with main.
import { isKnownZone } from './zoned-time';

/** tzdata `backward` links ICU still lists under the old name → the current IANA name. */
const CURRENT_NAMES: Readonly<Record<string, string>> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Europe/Kiev': 'Europe/Kyiv',
  'America/Godthab': 'America/Nuuk',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Louisville': 'America/Kentucky/Louisville',
};

/**
 * `zone` (an IANA name) under its current IANA name ("Asia/Calcutta" → "Asia/Kolkata"), where
 * the runtime knows the current name; any other zone as it is.
 */
export function currentZoneName(zone: string): string {
  const name = CURRENT_NAMES[zone];
  return name && isKnownZone(name) ? name : zone;
}

/**
 * Every zone the runtime knows (`Intl.supportedValuesOf('timeZone')`), under current names, each
 * once, in the runtime's order; [] where Intl cannot list them.
 */
export function knownZones(): string[] {
  let all: string[];
  try {
    all = Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
  return [...new Set(all.map(currentZoneName))];
}
