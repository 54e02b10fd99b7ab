// An import's problems and errors in the CM's words (`archiveImport.*` in src/shared/i18n).
import type { TFunction } from 'i18next';
import { ArchiveImportError, type ImportProblem } from './types';

/** Where a problem is, e.g. "data/tweets-part1.js, item 1,204 (post 1578…)". */
export function describePlace(t: TFunction, problem: ImportProblem): string {
  const { file, item, id } = problem.where;
  if (item === undefined) return t('archiveImport.where.file', { file });
  // Items are counted from 1 for people.
  if (id === undefined) return t('archiveImport.where.item', { file, item: item + 1 });
  return t('archiveImport.where.itemWithId', { file, item: item + 1, id });
}

/** What went wrong, in a sentence ("This file ends in the middle of a post: …"). */
export function describeProblem(t: TFunction, problem: ImportProblem): string {
  // A post with no date at all is said so, not quoted.
  if (problem.why === 'item-bad-date' && problem.params?.value === undefined) return t('archiveImport.problem.noDate');
  return t(`archiveImport.problem.${problem.why}`, { ...problem.params });
}

/** Why an import could not be done at all (an ArchiveImportError, or anything else thrown). */
export function describeImportError(t: TFunction, error: unknown): string {
  if (error instanceof ArchiveImportError) return t(`archiveImport.error.${error.code}`, { ...error.params });
  if (error instanceof DOMException && error.name === 'AbortError') return t('archiveImport.error.cancelled');
  return t('archiveImport.error.worker-failed');
}
