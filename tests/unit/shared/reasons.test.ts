// Every reason main can give has words in both languages: a reason written in src/main (or a
// schema's message that is a reason key in src/shared) without its translation fails the build,
// and the French words take the same params as the English ones.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../../../src/shared/i18n/en.json';
import fr from '../../../src/shared/i18n/fr.json';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const KEY = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/;

function sources(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

const literals = (fragment: string) => [...fragment.matchAll(/'([^'\n]*)'|"([^"\n]*)"/g)].map((m) => m[1] ?? m[2]!);

/**
 * Reason keys written in the source: `reason: 'key'`, `reason = cond ? 'a' : 'b'` (a ternary
 * over several lines too), and the network helpers' shorthands `extra('key', …)` and
 * `make(code, message, 'key', …)`.
 */
function reasonsIn(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  const keys = (fragment: string) => found.push(...literals(fragment).filter((s) => KEY.test(s)));
  // In `cond ? 'a' : 'b'`, the values are the literals that open the expression or follow ? and :
  // (not those inside the conditions, such as `text.includes('two-factor')`).
  const values = (expression: string) => {
    for (const m of `:${expression}`.matchAll(/[?:]\s*('[^'\n]*'|"[^"\n]*")/g)) keys(m[1]!);
  };
  for (const m of text.matchAll(/\breason\s*:\s*([^,}\n]+(?:\n\s*[?:][^,;}\n]+)*)/g)) values(m[1]!);
  for (const m of text.matchAll(/\breason\s*=\s*([^;]+);/g)) values(m[1]!);
  for (const m of text.matchAll(/\bextra\(\s*('[^'\n]+')/g)) keys(m[1]!);
  for (const m of text.matchAll(/\bmake\(\s*'[^'\n]+',\s*(?:`[^`]*`|'[^'\n]*'),\s*('[^'\n]+')/g)) keys(m[1]!);
  return found;
}

/** Schema messages that are reason keys: `.min(1, 'key')`, `.url('key')`, `message: 'key'`. */
function schemaKeysIn(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(
    /\.(?:min|max|length|url|email|regex|refine|nonempty)\(([^()\n]*(?:\([^()\n]*\))?[^()\n]*)\)/g,
  )) {
    found.push(...literals(m[1]!).filter((s) => KEY.test(s)));
  }
  for (const m of text.matchAll(/\bmessage:\s*'([^'\n]+)'/g)) if (KEY.test(m[1]!)) found.push(m[1]!);
  return found;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('reason translations', () => {
  const enReasons = en.reasons as Record<string, string>;
  const frReasons = fr.reasons as Record<string, string>;

  const used = new Map<string, string>();
  for (const file of sources('src/main')) for (const r of reasonsIn(file)) used.set(r, path.relative(ROOT, file));
  for (const file of sources('src/shared')) for (const r of schemaKeysIn(file)) used.set(r, path.relative(ROOT, file));
  // The reasons ipc-router derives from zod's issues are its string literals of that shape.
  const router = fs.readFileSync(path.join(ROOT, 'src/main/core/ipc-router.ts'), 'utf8');
  for (const s of literals(router.slice(router.indexOf('export function badRequestOf')))) {
    if (KEY.test(s) && s !== 'bad-request') used.set(s, 'src/main/core/ipc-router.ts');
  }

  it('finds the reasons it checks (the scan itself works)', () => {
    for (const r of [
      'too-long',
      'monthly-budget',
      'request-refused',
      'deck-name-empty',
      'field-too-long',
      'post-empty',
    ]) {
      expect([...used.keys()]).toContain(r);
    }
  });

  it('has English and French words for every reason used in src/main and the shared schemas', () => {
    const missing = [...used].filter(([r]) => !enReasons[r] || !frReasons[r]).map(([r, file]) => `${r} (${file})`);
    expect(missing).toEqual([]);
  });

  it('has the same reasons in both languages, with the same params', () => {
    expect(Object.keys(frReasons).sort()).toEqual(Object.keys(enReasons).sort());
    for (const key of Object.keys(enReasons)) {
      expect({ key, params: placeholders(frReasons[key]!) }).toEqual({ key, params: placeholders(enReasons[key]!) });
    }
  });
});
