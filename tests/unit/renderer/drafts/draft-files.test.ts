import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Draft } from '../../../../src/renderer/drafts/draft';
import {
  canonicalZone,
  dateOrderOf,
  decodeCsvBytes,
  importDrafts,
  readDraftsCsv,
  readDraftsJson,
  writeDraftsCsv,
  writeDraftsJson,
  type ConnectedProfile,
} from '../../../../src/renderer/drafts/draft-files';
import { DraftStore } from '../../../../src/renderer/drafts/draft-store';
import type { PostContent } from '../../../../src/shared/outbox';
import { openDb } from './db';

const profiles: ConnectedProfile[] = [
  { id: 'mastodon:1', handle: 'brand@mastodon.social', network: 'mastodon' },
  { id: 'bluesky:did:plc:brand', handle: 'brand.bsky.social', network: 'bluesky' },
  { id: 'x:42', handle: 'brand', network: 'x' },
  { id: 'x:43', handle: 'Cafe', network: 'x' },
  { id: 'sandbox:cafe', handle: 'cafe', network: 'sandbox' },
];
const options = { profiles, defaultZone: 'Europe/Paris' };
const one = (text: string): PostContent => ({ parts: [{ text, media: [] }] });
const texts = (c: PostContent) => c.parts.map((p) => p.text);

describe('reading drafts from CSV', () => {
  it('takes the dates a spreadsheet writes where it was made: 01/12/2026 is 1 December in France, 12 January in the US', () => {
    expect(dateOrderOf('fr-FR')).toBe('dmy');
    expect(dateOrderOf('en-GB')).toBe('dmy');
    expect(dateOrderOf('en-US')).toBe('mdy');
    const csv =
      'text;profiles;date;time\nSoldes;@brand;01/12/2026;09:00\nFin;@brand;31.12.2026;18:00\nFaux;@brand;31/02/2026;09:00\n';
    const fr = readDraftsCsv(csv, { ...options, dateOrder: 'dmy' });
    expect(fr.drafts.map((d) => d.when)).toEqual([
      { kind: 'at', local: '2026-12-01T09:00', zone: 'Europe/Paris' },
      { kind: 'at', local: '2026-12-31T18:00', zone: 'Europe/Paris' },
    ]);
    expect(fr.problems).toEqual([expect.objectContaining({ line: 4, reason: 'import-bad-date' })]);
    const us = readDraftsCsv(csv, { ...options, dateOrder: 'mdy' });
    expect(us.drafts[0]!.when).toEqual({ kind: 'at', local: '2026-01-12T09:00', zone: 'Europe/Paris' });
    // Without knowing where it was made, only YYYY-MM-DD is taken.
    expect(readDraftsCsv(csv, options).problems.filter((p) => p.reason === 'import-bad-date')).toHaveLength(3);
  });

  it('reads a French spreadsheet (; BOM CRLF, a quoted line break) and reports a bad date on line 4 and an unknown profile on line 6', () => {
    const csv = [
      '\ufefftext;profiles;date;time;zone',
      '"Première ligne\r\nseconde ligne";@brand@mastodon.social brand.bsky.social;2027-03-29;09:00;Europe/Paris',
      'Mauvaise date;@brand;2027-02-30;09:00;',
      '"Prix : 5,50 €; «\u00a0guillemets\u00a0» et ""citation""";brand.bsky.social;2027-03-31;18:30;America/New_York',
      'Profil inconnu;@nobody@example.social;2027-04-01;09:00;',
      'Été;@brand;;;',
      '',
    ].join('\r\n');
    const { drafts, problems } = readDraftsCsv(csv, options);
    expect(problems).toEqual([
      { line: 4, reason: 'import-bad-date', params: { date: '2027-02-30' } },
      { line: 6, reason: 'import-unknown-profile', params: { profile: '@nobody@example.social', matches: '' } },
    ]);
    expect(drafts).toEqual([
      {
        line: 2,
        content: one('Première ligne\nseconde ligne'),
        targets: ['mastodon:1', 'bluesky:did:plc:brand'],
        when: { kind: 'at', local: '2027-03-29T09:00', zone: 'Europe/Paris' },
      },
      {
        line: 5,
        content: one('Prix : 5,50 €; «\u00a0guillemets\u00a0» et "citation"'),
        targets: ['bluesky:did:plc:brand'],
        when: { kind: 'at', local: '2027-03-31T18:30', zone: 'America/New_York' },
      },
      { line: 7, content: one('Été'), targets: ['x:42'], when: { kind: 'now' } },
    ]);
  });

  it('makes one draft of a thread’s rows, in row order, with per-network variants', () => {
    const csv = [
      'thread,text,text_x,text_mastodon,profiles,date,time,queue',
      'A,"1/3 Notre nouvelle carte",1/2 Carte courte,,@brand brand.bsky.social x:42,2027-03-29,9:00:00,',
      ',Un post seul,,,,,,oui',
      'A,2/3 Les entrées,2/2 Fin,,,,,',
      'A,3/3 Les desserts,,Version Mastodon,,,,',
    ].join('\n');
    const { drafts, problems } = readDraftsCsv(csv, options);
    expect(problems).toEqual([]);
    expect(drafts).toHaveLength(2);
    const [thread, single] = drafts;
    expect(texts(thread!.content)).toEqual(['1/3 Notre nouvelle carte', '2/3 Les entrées', '3/3 Les desserts']);
    expect(thread!.content.variants?.x?.map((p) => p.text)).toEqual(['1/2 Carte courte', '2/2 Fin']);
    expect(thread!.content.variants?.mastodon?.map((p) => p.text)).toEqual(['Version Mastodon']);
    expect(thread!.targets).toEqual(['x:42', 'bluesky:did:plc:brand']);
    expect(thread!.when).toEqual({ kind: 'at', local: '2027-03-29T09:00', zone: 'Europe/Paris' });
    expect(thread!.line).toBe(2);
    expect(single).toMatchObject({ line: 3, content: one('Un post seul'), targets: [], when: { kind: 'queue' } });
  });

  it('reports each bad row by its line and why, and drops the whole thread of a bad row', () => {
    const csv = [
      'text,profiles,date,time,zone,thread,colonne',
      ',@brand,,,,,', // 2: no text
      'Heure,@brand,2027-03-29,25:00,,,', // 3
      'Zone,@brand,2027-03-29,09:00,Europe/Pariss,,', // 4
      'Cafe,@cafe,,,,,', // 5: X "Cafe" and Sandbox "cafe"
      'Fil 1,@brand,,,,T,', // 6
      'Fil 2,@nobody,,,,T,', // 7
      'Sans heure,@brand,2027-03-29,,,,', // 8
      'Bon,mastodon:1 @BRAND,,,,,', // 9: ids and any case work
      'Fil 3,brand.bsky.social,,,,U,', // 10
      'Fil 4,@brand,,,,U,', // 11: profiles again, different
      'Zone en minuscules,@brand,2027-10-31,08:00,europe/paris,,', // 12
      'Trop,@brand,,,,,,en trop', // 13
    ].join('\n');
    const { drafts, problems } = readDraftsCsv(csv, options);
    expect(problems.map((p) => [p.line, p.reason])).toEqual([
      [1, 'import-unknown-column'],
      [2, 'import-text-missing'],
      [3, 'import-bad-time'],
      [4, 'import-unknown-zone'],
      [5, 'import-ambiguous-profile'],
      [6, 'import-thread-not-imported'],
      [7, 'import-unknown-profile'],
      [8, 'import-time-missing'],
      [10, 'import-thread-not-imported'],
      [11, 'import-thread-conflict'],
      [13, 'import-too-many-cells'],
    ]);
    expect(problems.find((p) => p.line === 5)?.params).toEqual({
      profile: '@cafe',
      matches: 'x:Cafe, sandbox:cafe',
    });
    expect(problems.find((p) => p.line === 6)?.params).toEqual({ thread: 'T', line: '7' });
    expect(drafts.map((d) => [d.line, d.targets, d.when])).toEqual([
      [9, ['mastodon:1', 'x:42'], { kind: 'now' }],
      [12, ['x:42'], { kind: 'at', local: '2027-10-31T08:00', zone: 'Europe/Paris' }],
    ]);
  });

  it('reports a file without a text column and reads a one-column file with commas in its text', () => {
    expect(readDraftsCsv('texte;date\nBonjour;2027-03-29', options)).toEqual({
      drafts: [],
      problems: [
        { line: 1, reason: 'import-text-column-missing', params: {} },
        { line: 1, reason: 'import-unknown-column', params: { column: 'texte' } },
      ],
    });
    const { drafts, problems } = readDraftsCsv('text\nUn, deux; trois\n', options);
    expect(problems).toEqual([]);
    expect(drafts.map((d) => texts(d.content))).toEqual([['Un, deux; trois']]);
  });

  it('reads Excel’s Windows-1252 files and UTF-8 ones alike', () => {
    const latin1 = Uint8Array.from([0x74, 0x65, 0x78, 0x74, 0x0a, 0xc9, 0x74, 0xe9, 0x20, 0x80]); // "text\nÉté €"
    expect(decodeCsvBytes(latin1)).toBe('text\nÉté €');
    expect(decodeCsvBytes(new TextEncoder().encode('text\nÉté €'))).toBe('text\nÉté €');
    expect(canonicalZone('europe/paris')).toBe('Europe/Paris');
    expect(canonicalZone('+01:00')).toBeUndefined();
  });
});

describe('exporting drafts', () => {
  const draft = (id: string, content: PostContent, targets: string[], when: Draft['when']): Draft => ({
    id,
    content,
    targets,
    when,
    createdAt: 1,
    updatedAt: 2,
  });
  const drafts: Draft[] = [
    draft('a', one('Bonjour, "tout le monde"\nligne 2'), ['mastodon:1', 'x:43'], {
      kind: 'at',
      local: '2027-03-29T09:00',
      zone: 'Europe/Paris',
    }),
    draft(
      'b',
      {
        parts: [
          { text: '1/2 Fil', media: [] },
          { text: '2/2 Fin', media: [] },
        ],
        variants: {
          x: [{ text: '@brand version X', media: [] }],
          bluesky: [
            { text: 'Bsky 1', media: [] },
            { text: 'Bsky 2', media: [] },
            { text: '=SOMME(A1)', media: [] },
          ],
        },
      },
      ['bluesky:did:plc:brand', 'sandbox:cafe'],
      { kind: 'queue' },
    ),
    draft('c', one('Été ; point-virgule'), [], { kind: 'now' }),
  ];
  const same = (d: Pick<Draft, 'content' | 'targets' | 'when'>) => ({
    content: d.content,
    targets: d.targets,
    when: d.when,
  });

  it('writes CSV that reads back as the same drafts, with , or ;', () => {
    for (const delimiter of [',', ';'] as const) {
      const csv = writeDraftsCsv(drafts, profiles, { delimiter });
      expect(csv.startsWith('\ufefftext' + delimiter + 'profiles')).toBe(true);
      const back = readDraftsCsv(csv, options);
      expect(back.problems).toEqual([]);
      expect(back.drafts.map(same)).toEqual(drafts.map(same));
    }
    // Handles where they say who it is; an id where a handle would be ambiguous or is unknown.
    const csv = writeDraftsCsv(drafts, profiles, { bom: false });
    expect(csv.split('\r\n')[1]).toContain('@brand@mastodon.social x:43');
    expect(csv).toContain('brand.bsky.social sandbox:cafe');
    // A profile no longer connected is written as its id, and an import says it is unknown.
    const gone = writeDraftsCsv([{ ...drafts[2]!, targets: ['x:gone'] }], profiles);
    expect(readDraftsCsv(gone, options).problems).toEqual([
      { line: 2, reason: 'import-unknown-profile', params: { profile: 'x:gone', matches: '' } },
    ]);
    // A cell a spreadsheet would run as a formula is escaped.
    expect(csv).toContain(`'=SOMME(A1)`);
  });

  it('writes JSON that imports back as the same drafts, media references and replies included', async () => {
    const withMedia = draft(
      'd',
      {
        parts: [
          {
            text: 'Photo',
            media: [
              { id: 'a'.repeat(64), mimeType: 'image/jpeg', bytes: 1234, alt: 'Une terrasse', width: 800, height: 600 },
            ],
          },
        ],
        replyTo: 'mastodon:99',
      },
      ['mastodon:1'],
      { kind: 'now' },
    );
    const all = [...drafts, withMedia];
    const json = writeDraftsJson(all, new Date('2027-03-28T20:00:00Z'));
    expect(JSON.parse(json)).toMatchObject({
      format: 'colonnade-drafts',
      version: 1,
      exportedAt: '2027-03-28T20:00:00.000Z',
    });
    const back = readDraftsJson(json);
    expect(back.problems).toEqual([]);
    expect(back.drafts.map(same)).toEqual(all.map(same));

    const store = new DraftStore(openDb());
    await importDrafts(store, back);
    const stored = await store.list();
    expect(stored.map(same).sort((a, b) => texts(a.content)[0]!.localeCompare(texts(b.content)[0]!))).toEqual(
      all.map(same).sort((a, b) => texts(a.content)[0]!.localeCompare(texts(b.content)[0]!)),
    );
    // A CSV import lands in the store the same way.
    await importDrafts(store, readDraftsCsv(writeDraftsCsv(drafts, profiles), options));
    expect(await store.list({ search: 'point-virgule' })).toHaveLength(2);
  });

  it('reports JSON it cannot read, and a bad draft by its place while the others import', () => {
    expect(readDraftsJson('{').problems.map((p) => p.reason)).toEqual(['import-not-json']);
    expect(readDraftsJson('{"a":1}').problems.map((p) => p.reason)).toEqual(['import-not-drafts']);
    expect(readDraftsJson('{"format":"colonnade-drafts","version":2,"drafts":[]}').problems).toEqual([
      { reason: 'import-format-newer', params: { version: '2' } },
    ]);
    const { drafts, problems } = readDraftsJson(
      JSON.stringify([same(drafts0()), { content: { parts: [] }, targets: [], when: { kind: 'now' } }]),
    );
    expect(drafts).toHaveLength(1);
    expect(problems).toEqual([{ item: 2, reason: 'import-draft-invalid', params: { field: 'content.parts' } }]);
  });
  const drafts0 = () => drafts[0]!;
});
