// Reading a JSON array one item at a time, so that one damaged item, or a file cut short, costs
// that item and not the whole file. Healthy files take the fast path (one native JSON.parse);
// only a file that fails it is walked item by item. A streaming JSON parser would not do here:
// it stops at the first syntax error, where this must report the item and go on with the next.
//
// Also reads the X archive's data files, which are not JSON but one JavaScript assignment of a
// JSON array (`window.YTD.tweets.part0 = [ … ]`, `window.__THAR_CONFIG = { … }`).

/** One item of an array: its value, or why its text is not JSON. */
export type ArrayItem = { ok: true; value: unknown } | { ok: false; error: string };

export interface ArrayRead {
  items: ArrayItem[];
  /** The text ends before the array closes (a file cut short): `items` holds what came before. */
  truncated: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** The index of the quote closing the string whose opening quote is at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  let at = text.indexOf('"', open + 1);
  while (at !== -1) {
    let slashes = 0;
    for (let k = at - 1; k > open && text.charCodeAt(k) === BACKSLASH; k -= 1) slashes += 1;
    if (slashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
  return -1;
}

function parseItem(text: string): ArrayItem {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Reads the JSON array whose '[' is at `open` in `text`, item by item (see the file's comment).
 * Text after the array's closing ']' (a trailing ';') is ignored.
 */
export function readArrayItems(text: string, open: number): ArrayRead {
  // Fast path: the whole array is valid JSON.
  const close = text.lastIndexOf(']');
  if (close > open) {
    try {
      const whole = JSON.parse(text.slice(open, close + 1)) as unknown;
      if (Array.isArray(whole)) {
        return { items: whole.map((value: unknown) => ({ ok: true, value })), truncated: false };
      }
    } catch {
      // Damaged somewhere: walk it.
    }
  }
  return walkArrayItems(text, open);
}

/** The slow path of `readArrayItems`: item boundaries found by bracket depth, outside strings. */
export function walkArrayItems(text: string, open: number): ArrayRead {
  const items: ArrayItem[] = [];
  const n = text.length;
  let i = open + 1;
  for (;;) {
    while (i < n && isSpace(text.charCodeAt(i))) i += 1;
    if (i >= n) return { items, truncated: true };
    if (text.charCodeAt(i) === CLOSE_BRACKET) return { items, truncated: false };
    const start = i;
    let depth = 0;
    let ended = false;
    while (i < n) {
      const code = text.charCodeAt(i);
      if (code === QUOTE) {
        const end = stringEnd(text, i);
        if (end === -1) {
          i = n;
          break;
        }
        i = end + 1;
        continue;
      }
      if (code === OPEN_BRACE || code === OPEN_BRACKET) depth += 1;
      else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
        if (depth === 0) {
          ended = true; // the array's own ']'
          break;
        }
        depth -= 1;
      } else if (code === COMMA && depth === 0) {
        ended = true;
        break;
      }
      i += 1;
    }
    if (!ended) {
      // The text stops inside this item: it is lost, the file is cut short.
      return { items, truncated: true };
    }
    const itemText = text.slice(start, i).trim();
    if (itemText.length > 0) items.push(parseItem(itemText));
    if (text.charCodeAt(i) === COMMA) {
      i += 1;
      continue;
    }
    return { items, truncated: false };
  }
}

/** `window.YTD.<type>.part<N> =` (X's data files), with an optional BOM and spaces. */
const YTD_PREFIX = /^\uFEFF?\s*window\.YTD\.([A-Za-z0-9_]+)\.part(\d+)\s*=\s*/;

export interface YtdArray {
  /** Index of the array's '[' in the text. */
  open: number;
  /** The data type the assignment names (`tweets`, `tweet`), or null when the file has no prefix. */
  dataType: string | null;
  part: number | null;
}

/**
 * Finds the array an X archive data file assigns. Robust to what varies between archive versions:
 * the global's name (`tweets`/`tweet`), spaces, a BOM, a missing prefix (a file someone turned
 * into plain JSON), and anything else before the first '=' on the first line. Null when the text
 * does not start with an array assignment.
 */
export function findYtdArray(text: string): YtdArray | null {
  const head = text.slice(0, 4096);
  const match = YTD_PREFIX.exec(head);
  if (match) {
    const open = match[0].length;
    if (text.charCodeAt(open) !== OPEN_BRACKET) return null;
    return { open, dataType: match[1] ?? null, part: Number(match[2]) };
  }
  const bare = /^\uFEFF?\s*\[/.exec(head);
  if (bare) return { open: bare[0].length - 1, dataType: null, part: null };
  // An assignment to another name (`var tweets = [`): the '[' after the first '=' of the first line.
  const lineEnd = head.search(/[\r\n]/);
  const firstLine = lineEnd === -1 ? head : head.slice(0, lineEnd);
  const equals = firstLine.indexOf('=');
  if (equals === -1) return null;
  const after = /^\s*\[/.exec(head.slice(equals + 1));
  if (!after) return null;
  return { open: equals + after[0].length, dataType: null, part: null };
}

/** The value an X data file assigns (`window.__THAR_CONFIG = {…}` in manifest.js), or undefined. */
export function parseAssignedValue(text: string): unknown {
  const equals = text.indexOf('=');
  if (equals === -1) return undefined;
  const body = text
    .slice(equals + 1)
    .trim()
    .replace(/;\s*$/, '');
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
