// An import's problems and errors, as the CM reads them, in English and French.
import { describe, expect, it } from 'vitest';
import {
  describeImportError,
  describePlace,
  describeProblem,
} from '../../../../../src/renderer/analytics/import/describe';
import {
  ArchiveImportError,
  IMPORT_ERROR_CODES,
  IMPORT_PROBLEM_CODES,
} from '../../../../../src/renderer/analytics/import/types';
import { createI18n } from '../../../../../src/renderer/i18n';

const en = createI18n('en').t;
const fr = createI18n('fr').t;

describe('words for an import', () => {
  it('has a sentence in English and in French for every problem and every error', () => {
    for (const t of [en, fr]) {
      for (const why of IMPORT_PROBLEM_CODES) {
        const text = describeProblem(t, {
          where: { file: 'data/tweets.js' },
          why,
          params: { count: 3, expected: 9, value: 'x', handle: 'a@b' },
        });
        expect(text, why).not.toContain('archiveImport.');
        expect(text, why).not.toMatch(/\{\{/);
      }
      for (const code of IMPORT_ERROR_CODES) {
        const text = describeImportError(t, new ArchiveImportError(code, 'internal words'));
        expect(text, code).not.toContain('archiveImport.');
        expect(text, code).not.toContain('internal words');
      }
    }
  });

  it('says a post with no date has none, rather than quoting "undefined"', () => {
    const noDate = { where: { file: 'data/tweets.js', item: 6 }, why: 'item-bad-date' as const };
    expect(describeProblem(en, noDate)).toBe('This post has no date: it was skipped.');
    expect(describeProblem(fr, noDate)).toBe('Cette publication n’a pas de date\u202f: elle a été ignorée.');
    expect(describeProblem(en, { ...noDate, params: { value: 'yesterday' } })).toBe(
      'This post’s date (“yesterday”) is not a real date: it was skipped.',
    );
  });

  it('says where, counting items from 1, and what, with the numbers', () => {
    const problem = {
      where: { file: 'data/tweets-part1.js' },
      why: 'file-short' as const,
      params: { count: 6, expected: 10 },
    };
    expect(describeProblem(en, problem)).toBe('Posts the archive announced in this file: 10; posts it holds: 6.');
    expect(describePlace(en, { where: { file: 'data/tweets.js', item: 4, id: '188' }, why: 'item-bad-date' })).toBe(
      'data/tweets.js, item 5 (post 188)',
    );
    expect(describePlace(fr, { where: { file: 'outbox.json', item: 0 }, why: 'item-unreadable' })).toBe(
      'outbox.json, élément 1',
    );
    expect(describeImportError(fr, new DOMException('stop', 'AbortError'))).toMatch(/^Import annulé\./);
  });

  it('writes French punctuation with a narrow no-break space', () => {
    for (const why of IMPORT_PROBLEM_CODES) {
      const text = describeProblem(fr, {
        where: { file: 'f' },
        why,
        params: { value: 'v', count: 1, expected: 2, handle: 'h' },
      });
      expect(text, why).not.toMatch(/[^\u202f][:;!?]/);
    }
  });
});
