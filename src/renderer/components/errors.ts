import type { TFunction } from 'i18next';
import { ApiError } from '../api';
import type { AppError } from '../../shared/errors';
import { NETWORK_NAMES, type NetworkId } from '../../shared/model';
import { formatTime } from './time';

/**
 * Where an error is shown, which decides what the generic words may promise: a column polls
 * again by itself ("Retrying…", "showing cached posts"); the Accounts dialog talks to a server
 * the user just typed; the composer sent (or tried to send) one post; any other dialog did one
 * action that the user may try again.
 */
export type ErrorPlace = 'column' | 'accounts' | 'composer' | 'dialog';

/**
 * Reasons whose place's generic words say more (the reset time; who retries). An unreachable
 * server in a column: that the cached posts stay (the address is checked in Accounts).
 */
const PLACE_WORDS_REASONS = new Set(['rate-limited', 'server-error', 'connection-broken', 'timeout']);

const isNumber = (value: string) => /^-?\d+(\.\d+)?$/.test(value);

/**
 * Codes whose generic words may embed main's `message` (English, for logs: "That column no longer
 * exists."): the English UI says it as its sentence; a UI whose words leave it out (French) says
 * the whole thing in its own words and shows the message apart, as "Détails : « … »".
 */
const MESSAGE_CODES = new Set(['not-allowed', 'not-found', 'bad-request']);

/**
 * The reason's params ready for the UI language: digit-only values are formatted as numbers
 * (3000 → "3,000" / "3 000"), a `unit` ('characters' | 'bytes'; 'characters' when a `max`
 * comes alone), a `field` (a request field name) and a `feature` (what was being done) are
 * translated when the UI knows them.
 */
function localParams(t: TFunction, params: Record<string, string> | undefined, language: string) {
  const out: Record<string, string> = {};
  const numbers = new Intl.NumberFormat(language);
  for (const [key, value] of Object.entries(params ?? {})) {
    out[key] = isNumber(value) ? numbers.format(Number(value)) : value;
  }
  // A limit without its unit is in characters (Mastodon's "character limit of 500").
  if (params?.unit || params?.max) {
    const unit = params.unit ?? 'characters';
    out.unit = t(`units.${unit}`, { count: Number(params.max ?? 2), defaultValue: unit });
  }
  if (params?.field) out.field = t(`fields.${params.field}`, { defaultValue: params.field });
  // What was being done ("search", "posting"), named by a key of `features`.
  if (params?.feature) out.feature = t(`features.${params.feature}`, { defaultValue: t('features.other') });
  return out;
}

/** The code's generic words for this place (no promise of a retry where nothing retries). */
function generic(t: TFunction, error: AppError, where: ErrorPlace, time: string): string {
  switch (error.code) {
    case 'transient':
      return where === 'column'
        ? t('errors.transient')
        : where === 'composer'
          ? t('errors.transientPost')
          : t('errors.transientOnce');
    case 'offline':
      return where === 'column'
        ? t('errors.offline')
        : where === 'accounts'
          ? t('errors.unreachable')
          : where === 'composer'
            ? t('errors.offlinePost')
            : t('errors.offlineOnce');
    case 'rate-limited': {
      const place =
        where === 'column' ? 'Column' : where === 'composer' ? 'Post' : where === 'accounts' ? 'Signin' : '';
      return time ? t(`errors.rateLimited${place}`, { time }) : t(`errors.rateLimited${place}NoTime`);
    }
    default:
      return t(`errors.${error.code}`, { message: error.message, time });
  }
}

/**
 * An error of the shared taxonomy, in the UI's language, for the place it is shown: the reason's
 * own words (`reasons.<reason>` filled with `params`) when the UI has them, else the code's
 * generic words for that place; then the network's own words (`detail`) as "X said: “…”".
 * `network` names who said it (the account's network), when known. Main's `message` is English:
 * it is said only where the language's words embed it (English `errors.not-found`…); elsewhere,
 * with no reason and no network words, it follows apart as `errors.details` ("Détails : « … »"),
 * so a French sentence never holds English words.
 */
export function describeError(
  t: TFunction,
  error: AppError,
  language: string,
  where: ErrorPlace = 'dialog',
  network?: NetworkId,
): string {
  const time = error.resetAt ? formatTime(error.resetAt, language) : '';
  let text: string | undefined;
  // A reason that only restates the code (slow down, server trouble, broken connection) says
  // less than the place's own words: when it resets, and whether anything retries by itself.
  const placeSaysMore =
    error.reason !== undefined &&
    (PLACE_WORDS_REASONS.has(error.reason) || (error.reason === 'unreachable' && where === 'column'));
  if (error.reason && !placeSaysMore) {
    const key = `reasons.${error.reason}`;
    const said = t(key, { time, ...localParams(t, error.params, language), defaultValue: '' });
    // A reason the UI does not know, or whose params did not all come: the generic words instead.
    if (said && said !== key && !said.includes('{{')) text = said;
  }
  const reasoned = text !== undefined;
  text ??= generic(t, error, where, time);
  const detail = error.detail?.trim();
  const message = error.message.trim();
  if (!reasoned && !detail && message && MESSAGE_CODES.has(error.code) && !text.includes(message)) {
    return `${text} ${t('errors.details', { detail: message })}`;
  }
  if (detail && !text.includes(detail)) {
    text +=
      ' ' +
      (network
        ? t('errors.networkSaid', { network: NETWORK_NAMES[network], detail })
        : t('errors.someoneSaid', { detail }));
  }
  return text;
}

/** Anything thrown by an action, in words (an unknown failure is the 'internal' text). */
export function describeThrown(
  t: TFunction,
  err: unknown,
  language: string,
  where: ErrorPlace = 'dialog',
  network?: NetworkId,
): string {
  if (err instanceof ApiError) return describeError(t, err.error, language, where, network);
  return t('errors.internal');
}
