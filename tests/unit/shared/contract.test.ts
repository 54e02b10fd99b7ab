import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_CHANNELS, REQUEST_CHANNELS, isRequestChannel } from '../../../src/shared/ipc/channels';
import { eventContract, requestContract } from '../../../src/shared/ipc/contract';
import { ColumnSpecSchema, LayoutSchema } from '../../../src/shared/model';
import { resolveLanguage } from '../../../src/shared/settings';
import { CONTENT_SECURITY_POLICY } from '../../../src/main/shared-security';
import en from '../../../src/shared/i18n/en.json';
import fr from '../../../src/shared/i18n/fr.json';

describe('the IPC contract', () => {
  it('gives every channel name schemas, and has no entry without a name', () => {
    expect(Object.keys(requestContract).sort()).toEqual([...REQUEST_CHANNELS].sort());
    expect(Object.keys(eventContract).sort()).toEqual([...EVENT_CHANNELS].sort());
  });

  it('knows its own channel names only', () => {
    expect(isRequestChannel('layout.get')).toBe(true);
    expect(isRequestChannel('shell.exec')).toBe(false);
    expect(isRequestChannel(42)).toBe(false);
  });

  it('refuses a hashtag column without a hashtag, in words', () => {
    const result = ColumnSpecSchema.safeParse({ kind: 'hashtag', profileId: 'sandbox:practice', query: '#' });
    expect(result.success).toBe(false);
    // The schema's message is a key of the UI's reasons (translated there, en and fr).
    expect(result.error?.issues[0]?.message).toBe('column-needs-query');
    expect(en.reasons['column-needs-query']).toMatch(/needs a hashtag/);
    expect(fr.reasons['column-needs-query']).toMatch(/besoin d’un hashtag/);
    expect(ColumnSpecSchema.safeParse({ kind: 'home', profileId: 'sandbox:practice' }).success).toBe(true);
  });

  it('refuses a layout whose active deck does not exist', () => {
    expect(LayoutSchema.safeParse({ decks: [{ id: 'a', name: 'A', columns: [] }], activeDeckId: 'b' }).success).toBe(
      false,
    );
  });

  it('refuses extra fields in requests (strict payloads)', () => {
    expect(requestContract['deck.create'].request.safeParse({ name: 'x', evil: true }).success).toBe(false);
  });
});

describe('languages', () => {
  it('follows the OS when set to system, falling back to English', () => {
    expect(resolveLanguage('system', ['fr-CA', 'en-US'])).toBe('fr');
    expect(resolveLanguage('system', ['de-DE', 'en-GB'])).toBe('en');
    expect(resolveLanguage('system', ['de-DE'])).toBe('en');
    expect(resolveLanguage('fr', ['en-US'])).toBe('fr');
  });

  it('has every English string in French too, and the other way round', () => {
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === 'object' && v ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    expect(keys(fr).sort()).toEqual(keys(en).sort());
  });
});

describe('the Content Security Policy', () => {
  it('is the same in the renderer page and in the headers main sends, and forbids eval and remote scripts', () => {
    const html = fs.readFileSync(path.resolve(import.meta.dirname, '../../../src/renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    // frame-ancestors is ignored in a meta tag, so only the header carries it.
    expect(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", '')).toBe(meta);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|unsafe-inline/);
  });
});
