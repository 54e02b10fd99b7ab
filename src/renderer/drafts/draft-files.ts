// Drafts to and from files, so a CM can prepare a week of posts in a spreadsheet: CSV (through
// papaparse, never split by hand) and JSON. A bad row is reported by its line in the file, with a
// `reasons` key and its words' params, and every good row is still imported.
//
// CSV columns (header on line 1, any order, names case-insensitive; `,` `;` or tab between cells):
// - `text` (required): the post; rows sharing a `thread` id are one draft's parts, in row order.
// - `text_x`, `text_bluesky`, `text_mastodon` (and `text_sandbox`): a variant for that network.
// - `profiles`: handles or profile ids, separated by spaces, `;` or `,`: `@brand@mastodon.social`,
//   `brand.bsky.social`, `@brand` (X, or a Mastodon account's local name when only one matches).
// - `date` (YYYY-MM-DD), `time` (HH:MM, 24-hour; a spreadsheet's `:00` seconds are accepted),
//   `zone` (an IANA name; the caller's default when blank): the draft is for that local time.
// - `queue`: yes (also true, 1, x, oui, vrai) for "the next free slot of each profile's queue".
// - `thread`: any id; its rows make one thread (profiles, date… given once, on any of its rows).
import Papa from 'papaparse';
import { z } from 'zod';
import { NETWORKS, type NetworkId } from '../../shared/model';
import { PostContentSchema, WhenSchema, type PostContent, type PostPart, type When } from '../../shared/outbox';
import { DraftTargetsSchema, type Draft } from './draft';
import type { DraftStore } from './draft-store';

/** One of the CM's connected profiles, as an import matches the `profiles` column against. */
export interface ConnectedProfile {
  id: string;
  /** As the network writes it, without a leading `@`: `brand`, `brand.bsky.social`, `brand@mastodon.social`. */
  handle: string;
  network: NetworkId;
}

/**
 * Something an import could not take: where (`line` in a CSV file, header = line 1, a quoted
 * cell's own line breaks counted; `item` in a JSON file, from 1), why (a key of the `reasons`
 * translations) and the words that go with it.
 */
export interface ImportProblem {
  line?: number;
  item?: number;
  reason: string;
  params: Record<string, string>;
}

/** A draft read from a file, with the line (CSV) or item (JSON) it starts at. */
export interface ImportedDraft {
  content: PostContent;
  targets: string[];
  when: When;
  line?: number;
  item?: number;
}

export interface DraftImport {
  drafts: ImportedDraft[];
  problems: ImportProblem[];
}

export interface CsvImportOptions {
  profiles: readonly ConnectedProfile[];
  /** The zone of a row with a date and no `zone` (the CM's own, IANA). */
  defaultZone: string;
  /**
   * How a date with slashes reads where the spreadsheet was made ("01/12/2026": 1 December in
   * France, 12 January in the US): day first (`dmy`) or month first (`mdy`); the CM's locale says
   * (`dateOrderOf`). Without it only YYYY-MM-DD is taken.
   */
  dateOrder?: 'dmy' | 'mdy' | undefined;
}

/** Whether `locale` writes the day or the month first in a numeric date (Intl.DateTimeFormat's parts). */
export function dateOrderOf(locale: string): 'dmy' | 'mdy' {
  const parts = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'numeric', year: 'numeric' }).formatToParts(
    Date.UTC(2026, 11, 31),
  );
  const day = parts.findIndex((p) => p.type === 'day');
  const month = parts.findIndex((p) => p.type === 'month');
  return month >= 0 && month < day ? 'mdy' : 'dmy';
}

export interface CsvExportOptions {
  /** `,` by default; `;` for spreadsheets set up for French (and most of continental Europe). */
  delimiter?: ',' | ';';
  /** Start with a UTF-8 byte order mark, so Excel reads accents right. Default true. */
  bom?: boolean;
}

const BOM = '\ufeff';
const VARIANT_COLUMNS = NETWORKS.map((n) => [`text_${n}`, n] as const);
const KNOWN_COLUMNS = new Set([
  'text',
  'profiles',
  'date',
  'time',
  'zone',
  'queue',
  'thread',
  ...VARIANT_COLUMNS.map(([c]) => c),
]);
const YES = new Set(['yes', 'y', 'true', '1', 'x', 'oui', 'o', 'vrai', 'queue']);
const NO = new Set(['', 'no', 'n', 'false', '0', 'non', 'faux']);
/** Cells a spreadsheet would run as a formula: written with a leading `'` (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A file's bytes as text: UTF-8 (with or without a byte order mark), else Windows-1252, which
 * Excel writes for "CSV (separator: semicolon)" in French and other Western European setups.
 */
export function decodeCsvBytes(bytes: ArrayBuffer | Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/**
 * The canonical IANA name of `zone` ("europe/paris" → "Europe/Paris", "UTC"), or undefined when
 * the runtime's time-zone database does not know it. Offsets ("+01:00") are not zones here.
 */
export function canonicalZone(zone: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(zone)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** A handle as compared: no leading `@`, lower case. */
const bare = (handle: string) => handle.trim().replace(/^@/, '').toLowerCase();

type Resolved = { id: string } | { reason: 'import-unknown-profile' | 'import-ambiguous-profile'; matches: string };

/**
 * The profile a `profiles` token names: a profile id; else the handle, `@` or not, any case; else
 * (a bare `@brand`) the one Mastodon account whose local name it is.
 */
function resolveProfile(profiles: readonly ConnectedProfile[], token: string): Resolved {
  const byId = profiles.find((p) => p.id === token);
  if (byId) return { id: byId.id };
  const wanted = bare(token);
  let found = profiles.filter((p) => bare(p.handle) === wanted);
  if (found.length === 0 && !wanted.includes('@') && !wanted.includes('.')) {
    found = profiles.filter((p) => p.network === 'mastodon' && bare(p.handle).split('@')[0] === wanted);
  }
  if (found.length === 1) return { id: found[0]!.id };
  return {
    reason: found.length === 0 ? 'import-unknown-profile' : 'import-ambiguous-profile',
    matches: found.map((p) => `${p.network}:${p.handle}`).join(', '),
  };
}

/** How a profile is written in the `profiles` column: its handle, or its id where the handle would be ambiguous. */
function profileCell(profiles: readonly ConnectedProfile[], id: string): string {
  const p = profiles.find((q) => q.id === id);
  if (!p) return id;
  const handle = bare(p.handle);
  const written = p.network === 'bluesky' ? handle : `@${handle}`;
  const back = resolveProfile(profiles, written);
  return 'id' in back && back.id === id ? written : id;
}

/** `'=…` → `=…`: the formula escape `writeDraftsCsv` (and other tools) put before such cells. */
const unescapeCell = (cell: string) =>
  cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;

/** The header's delimiter: the most frequent of `,` `;` tab in line 1; for one column, one the file lacks. */
function delimiterOf(text: string): string {
  const header = text.slice(0, text.search(/\r|\n|$/));
  const counts = [',', ';', '\t'].map((d) => [d, header.split(d).length - 1] as const);
  const [best, count] = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  if (count > 0) return best;
  return [',', ';', '\t', '|'].find((d) => !text.includes(d)) ?? ',';
}

/** Counts line breaks (CRLF, LF or CR alone) in `text`. */
function lineBreaks(text: string): number {
  return text.match(/\r\n|\n|\r/g)?.length ?? 0;
}

interface CsvRow {
  line: number;
  cells: string[];
  error?: string;
}

/** The file's rows with the line each starts on (papaparse's cursor after each row is where the next starts). */
function csvRows(text: string, delimiter: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let start = 0;
  let line = 1;
  Papa.parse<string[]>(text, {
    delimiter,
    skipEmptyLines: false,
    step: (result) => {
      const error = result.errors[0];
      rows.push({ line, cells: result.data, ...(error ? { error: error.code } : {}) });
      const next = result.meta.cursor;
      line += lineBreaks(text.slice(start, next));
      start = next;
    },
  });
  return rows;
}

/** One data row, read. */
interface RowRead {
  line: number;
  thread: string;
  text: string;
  variants: Array<[NetworkId, string]>;
  /** Undefined when the row leaves the column blank (a thread's later rows). */
  targets?: string[];
  when?: When;
  problems: ImportProblem[];
}

/**
 * Reads drafts from CSV text (see the columns at the top of this file). A byte order mark, CRLF
 * or LF, quoted cells with line breaks, `,` `;` or tab delimiters are all read. Rows whose cells
 * are all blank are skipped. A row with a problem is not imported, nor the other rows of its
 * thread (each is reported, `import-thread-not-imported`); every other row is.
 *
 * Problems (reasons keys): `import-text-column-missing`, `import-unknown-column` (line 1, the
 * column is ignored); `import-bad-quotes`, `import-too-many-cells`, `import-text-missing`,
 * `import-unknown-profile`, `import-ambiguous-profile`, `import-bad-date`, `import-date-missing`,
 * `import-bad-time`, `import-time-missing`, `import-unknown-zone`, `import-bad-queue`,
 * `import-queue-with-date`, `import-thread-conflict`, `import-draft-invalid`.
 */
export function readDraftsCsv(input: string, options: CsvImportOptions): DraftImport {
  const text = input.startsWith(BOM) ? input.slice(1) : input;
  const problems: ImportProblem[] = [];
  const rows = csvRows(text, delimiterOf(text));
  const header = rows[0]?.cells.map((c) => c.trim().toLowerCase()) ?? [];
  const column = new Map<string, number>();
  header.forEach((name, i) => {
    if (name === '') return;
    if (!KNOWN_COLUMNS.has(name)) problems.push({ line: 1, reason: 'import-unknown-column', params: { column: name } });
    else if (!column.has(name)) column.set(name, i);
  });
  if (!column.has('text')) {
    return { drafts: [], problems: [{ line: 1, reason: 'import-text-column-missing', params: {} }, ...problems] };
  }

  const read: RowRead[] = [];
  for (const row of rows.slice(1)) {
    if (row.cells.every((c) => c.trim() === '')) continue;
    read.push(readRow(row, column, header.length, options));
  }

  const groups = new Map<string, RowRead[]>();
  read.forEach((r, i) => {
    const key = r.thread === '' ? `\u0000${i}` : `thread:${r.thread}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  });
  const drafts: ImportedDraft[] = [];
  for (const group of groups.values()) {
    const draft = draftOf(group);
    if (!('problems' in draft)) {
      drafts.push(draft);
      continue;
    }
    problems.push(...draft.problems);
    const failed = new Set(draft.problems.map((p) => p.line ?? 0));
    const first = Math.min(...failed);
    for (const r of group) {
      if (failed.has(r.line)) continue;
      problems.push({
        line: r.line,
        reason: 'import-thread-not-imported',
        params: { thread: r.thread, line: String(first) },
      });
    }
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { drafts, problems };
}

function readRow(row: CsvRow, column: Map<string, number>, width: number, options: CsvImportOptions): RowRead {
  const cell = (name: string) => {
    const i = column.get(name);
    // A spreadsheet's line breaks in a cell may be CRLF: a post's are LF.
    return i === undefined
      ? ''
      : unescapeCell(row.cells[i] ?? '')
          .replace(/\r\n?/g, '\n')
          .trim();
  };
  const problems: ImportProblem[] = [];
  const problem = (reason: string, params: Record<string, string> = {}) =>
    problems.push({ line: row.line, reason, params });
  const out: RowRead = {
    line: row.line,
    thread: cell('thread'),
    text: cell('text'),
    variants: VARIANT_COLUMNS.map(([c, n]) => [n, cell(c)] as [NetworkId, string]).filter(([, t]) => t !== ''),
    problems,
  };
  if (row.error) problem('import-bad-quotes');
  const extra = row.cells.slice(width).filter((c) => c.trim() !== '');
  if (extra.length > 0) problem('import-too-many-cells', { count: String(extra.length) });
  if (out.text === '' && out.variants.length === 0) problem('import-text-missing');

  const tokens = cell('profiles')
    .split(/[\s;,]+/)
    .filter(Boolean);
  if (tokens.length > 0) {
    const targets: string[] = [];
    let named = true;
    for (const token of tokens) {
      const found = resolveProfile(options.profiles, token);
      if ('id' in found) {
        if (!targets.includes(found.id)) targets.push(found.id);
      } else {
        named = false;
        problem(found.reason, { profile: token, matches: found.matches });
      }
    }
    // Only a row that named every profile right says what the thread's profiles are.
    if (named) out.targets = targets;
  }

  const date = cell('date');
  const time = cell('time');
  const queue = cell('queue').toLowerCase();
  const queued = YES.has(queue);
  if (!queued && !NO.has(queue)) problem('import-bad-queue', { value: cell('queue') });
  if (queued && (date !== '' || time !== '')) problem('import-queue-with-date', { date: `${date} ${time}`.trim() });
  if (queued) out.when = { kind: 'queue' };
  else if (date !== '' || time !== '') {
    const day = dateOf(date, options.dateOrder);
    const hour = timeOf(time);
    if (date === '') problem('import-date-missing', { time });
    else if (!day) problem('import-bad-date', { date });
    if (time === '') problem('import-time-missing', { date });
    else if (!hour) problem('import-bad-time', { time });
    const zoneCell = cell('zone');
    const zone = zoneCell === '' ? options.defaultZone : canonicalZone(zoneCell);
    if (!zone) problem('import-unknown-zone', { zone: zoneCell });
    if (day && hour && zone) out.when = { kind: 'at', local: `${day}T${hour}`, zone };
  }
  return out;
}

/**
 * "2027-03-29" when it is a real day of the calendar, else undefined: from YYYY-MM-DD, or, with a
 * `order`, from the spreadsheet's own d/m/yyyy (or m/d/yyyy; `/`, `.` or `-` between).
 */
function dateOf(cell: string, order?: 'dmy' | 'mdy'): string | undefined {
  let y: number, mo: number, d: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(cell);
  const local = order ? /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(cell) : null;
  if (iso) [y, mo, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (local) {
    const [a, b] = [Number(local[1]), Number(local[2])];
    [y, mo, d] = order === 'mdy' ? [Number(local[3]), a, b] : [Number(local[3]), b, a];
  } else return undefined;
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return undefined;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** "09:00" from "9:00", "09:00" or "09:00:00"; undefined when not a time of day. */
function timeOf(cell: string): string | undefined {
  const m = /^(\d{1,2}):(\d{2})(?::00)?$/.exec(cell);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return undefined;
  return `${m[1]!.padStart(2, '0')}:${m[2]}`;
}

const ContentAndTargets = z.object({ content: PostContentSchema, targets: DraftTargetsSchema });

/** One draft from a group of rows (one row, or a thread's rows in order), or why not. */
function draftOf(group: RowRead[]): ImportedDraft | { problems: ImportProblem[] } {
  const problems = group.flatMap((r) => r.problems);
  const first = group[0]!;
  // Profiles and time are given once per thread: rows that give them again must agree.
  const agreed = <T>(pick: (r: RowRead) => T | undefined, name: string): T | undefined => {
    let value: T | undefined;
    for (const r of group) {
      const v = pick(r);
      if (v === undefined) continue;
      if (value === undefined) value = v;
      else if (JSON.stringify(v) !== JSON.stringify(value)) {
        problems.push({ line: r.line, reason: 'import-thread-conflict', params: { thread: r.thread, column: name } });
      }
    }
    return value;
  };
  const targets = agreed((r) => r.targets, 'profiles') ?? [];
  const when = agreed((r) => r.when, 'date') ?? { kind: 'now' };
  const part = (text: string): PostPart => ({ text, media: [] });
  const parts = group.filter((r) => r.text !== '').map((r) => part(r.text));
  if (parts.length === 0 && problems.length === 0) {
    problems.push({ line: first.line, reason: 'import-text-missing', params: {} });
  }
  if (problems.length > 0) return { problems };
  const variants: Partial<Record<NetworkId, PostPart[]>> = {};
  for (const r of group) for (const [network, text] of r.variants) (variants[network] ??= []).push(part(text));
  const content: PostContent = { parts, ...(Object.keys(variants).length > 0 ? { variants } : {}) };
  const checked = ContentAndTargets.safeParse({ content, targets });
  if (!checked.success) {
    const field = checked.error.issues[0]?.path.join('.') ?? '';
    return { problems: [{ line: first.line, reason: 'import-draft-invalid', params: { field } }] };
  }
  return { content, targets, when: WhenSchema.parse(when), line: first.line };
}

/**
 * Drafts as CSV, in the columns `readDraftsCsv` reads (its header first, CRLF line ends, quoted
 * where needed, formula-like cells escaped with `'`): one row per draft, or per part for a
 * thread (thread ids `t1`, `t2`…; profiles and time on its first row). Media, alt text, replies
 * and quotes have no column: use JSON to keep them. A draft without any text is left out.
 */
export function writeDraftsCsv(
  drafts: readonly Draft[],
  profiles: readonly ConnectedProfile[],
  options: CsvExportOptions = {},
): string {
  const used = new Set<NetworkId>(['x', 'bluesky', 'mastodon']);
  for (const d of drafts) for (const n of Object.keys(d.content.variants ?? {})) used.add(n as NetworkId);
  const variantColumns = VARIANT_COLUMNS.filter(([, n]) => used.has(n));
  const fields = ['text', 'profiles', 'date', 'time', 'zone', 'queue', 'thread', ...variantColumns.map(([c]) => c)];
  const rows: string[][] = [];
  let threads = 0;
  for (const d of drafts) {
    const { parts, variants = {} } = d.content;
    const texts = [parts, ...Object.values(variants)].flatMap((ps) => ps.map((p) => p.text));
    if (texts.every((t) => t.trim() === '')) continue;
    const count = Math.max(parts.length, ...Object.values(variants).map((ps) => ps.length));
    const thread = count > 1 ? `t${++threads}` : '';
    for (let i = 0; i < count; i++) {
      const head = i === 0;
      const at = d.when.kind === 'at' ? d.when : undefined;
      rows.push([
        parts[i]?.text ?? '',
        head ? d.targets.map((id) => profileCell(profiles, id)).join(' ') : '',
        head && at ? at.local.slice(0, 10) : '',
        head && at ? at.local.slice(11, 16) : '',
        head && at ? at.zone : '',
        head && d.when.kind === 'queue' ? 'yes' : '',
        thread,
        ...variantColumns.map(([, n]) => variants[n]?.[i]?.text ?? ''),
      ]);
    }
  }
  const csv = Papa.unparse(
    { fields, data: rows },
    { delimiter: options.delimiter ?? ',', newline: '\r\n', escapeFormulae: FORMULA_START },
  );
  return (options.bom ?? true) ? BOM + csv : csv;
}

/** What `writeDraftsJson` writes: a format name and version, so a later Colonnade reads it right. */
export const DRAFTS_JSON_FORMAT = 'colonnade-drafts';
export const DRAFTS_JSON_VERSION = 1;

const JsonDraftSchema = z.object({ content: PostContentSchema, targets: DraftTargetsSchema, when: WhenSchema });

/**
 * Drafts as JSON: `{ format: "colonnade-drafts", version: 1, exportedAt, drafts: [...] }`, each
 * draft whole (content with media references, alt text, variants, reply and quote; targets as
 * profile ids; when). Media bytes are not included.
 */
export function writeDraftsJson(drafts: readonly Draft[], exportedAt = new Date()): string {
  return JSON.stringify(
    {
      format: DRAFTS_JSON_FORMAT,
      version: DRAFTS_JSON_VERSION,
      exportedAt: exportedAt.toISOString(),
      drafts: drafts.map(({ id, content, targets, when, createdAt, updatedAt }) => ({
        id,
        content,
        targets,
        when,
        createdAt,
        updatedAt,
      })),
    },
    null,
    2,
  );
}

/**
 * Reads drafts from JSON written by `writeDraftsJson` (or a bare array of drafts). Each draft's
 * content, targets and when are taken (it gets a new id when stored). Problems: `import-not-json`
 * (`detail`), `import-not-drafts`, `import-format-newer` (`version`), per draft
 * `import-draft-invalid` (`field`; the problem's `item` counts from 1).
 */
export function readDraftsJson(text: string): DraftImport {
  let data: unknown;
  try {
    data = JSON.parse(text.startsWith(BOM) ? text.slice(1) : text);
  } catch (error) {
    return { drafts: [], problems: [{ reason: 'import-not-json', params: { detail: String(error).slice(0, 300) } }] };
  }
  const file = z
    .object({
      format: z.literal(DRAFTS_JSON_FORMAT),
      version: z.number().int().positive(),
      drafts: z.array(z.unknown()),
    })
    .safeParse(data);
  let items: unknown[];
  if (Array.isArray(data)) items = data;
  else if (!file.success) return { drafts: [], problems: [{ reason: 'import-not-drafts', params: {} }] };
  else if (file.data.version > DRAFTS_JSON_VERSION) {
    return {
      drafts: [],
      problems: [{ reason: 'import-format-newer', params: { version: String(file.data.version) } }],
    };
  } else items = file.data.drafts;
  const drafts: ImportedDraft[] = [];
  const problems: ImportProblem[] = [];
  items.forEach((raw, i) => {
    const parsed = JsonDraftSchema.safeParse(raw);
    if (parsed.success) drafts.push({ ...parsed.data, item: i + 1 });
    else {
      const field = parsed.error.issues[0]?.path.join('.') ?? '';
      problems.push({ item: i + 1, reason: 'import-draft-invalid', params: { field } });
    }
  });
  return { drafts, problems };
}

/** Stores what an import read, as new drafts, in one transaction (all or none). */
export async function importDrafts(store: Pick<DraftStore, 'createMany'>, imported: DraftImport): Promise<Draft[]> {
  return store.createMany(imported.drafts.map(({ content, targets, when }) => ({ content, targets, when })));
}
