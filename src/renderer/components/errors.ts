import type { TFunction } from 'i18next';
import { ApiError } from '../api';
import type { AppError } from '../../shared/errors';
import { formatTime } from './time';

/** An error of the shared taxonomy, in the UI's language. */
export function describeError(t: TFunction, error: AppError, language: string): string {
  if (error.field === 'monthlyBudget') return t('usage.pausedColumn');
  return t(`errors.${error.code}`, {
    message: error.message,
    time: error.resetAt ? formatTime(error.resetAt, language) : '',
  });
}

export function describeThrown(t: TFunction, err: unknown, language: string): string {
  if (err instanceof ApiError) return describeError(t, err.error, language);
  return t('errors.internal');
}
