// A logger writing one JSON line per entry to a file (and warnings to stderr).
// Callers never pass secrets; fields are for ids, counts and error kinds only.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../core/ports';

export function fileLogger(dir: string, echo: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Logger {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'colonnade.log');
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    const line = JSON.stringify({ at: new Date().toISOString(), level, message, ...fields });
    fs.appendFileSync(file, `${line}\n`);
    if (level !== 'info') echo(`[colonnade] ${level}: ${message}`);
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
