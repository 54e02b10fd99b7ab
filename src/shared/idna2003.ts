// IDNA2003 ToASCII (RFC 3490) as GNU libidn runs it for Mastodon: the twitter-text gem's
// Extractor#is_valid_domain calls `IDN::Idna.toASCII(domain)` (idn-ruby, ext/idna.c: flags 0, so
// unassigned code points are refused and STD3 rules are off) and counts a URL whose domain fails
// as plain text. Pure: shared by the composer's counter (renderer) and main's check.
//
// What is faithful and what is approximated, per label (labels split on . 。 ． ｡):
// - an ASCII label is kept as is and must be 1..63 characters (RFC 3490 §4.1 steps 1, 8);
// - Nameprep (RFC 3491 = stringprep, RFC 3454, on Unicode 3.2):
//   - B.1 (mapped to nothing: soft hyphen, ZWJ/ZWNJ, variation selectors…): exact table;
//   - B.2 (case folding) + NFKC: APPROXIMATED by NFKC, `toLowerCase`, ß→ss and ς→σ, then NFKC
//     again, on the running engine's Unicode (B.2 on Unicode 3.2 folds a few more compatibility
//     characters); it only moves a label's punycode length by a character or two;
//   - prohibited output (C.1.2, C.2.2, C.3–C.9): exact table;
//   - unassigned in Unicode 3.2 (A.1, refused because the gem passes no ALLOW_UNASSIGNED): exact
//     table of the code points Unicode 3.2 assigns (so every emoji newer than 2002, 👁 included);
//   - bidi (§6): RandALCat is the exact D.1 table; LCat (D.2, bidi class L) is APPROXIMATED as
//     letters and spacing marks (\p{L} \p{Mc}) that are not RandALCat;
// - a label that is still not ASCII must not start with `xn--`, gets punycode (RFC 3492) and
//   `xn--`, and must be 1..63 characters.
// The tables were generated from Python's IDNA2003 implementation (encodings.idna, stringprep,
// unicodedata.ucd_3_2_0, which are RFC 3454's tables on Unicode 3.2) and are checked against it
// in tests/unit/shared/text-length.test.ts.
import punycodeJs from 'punycode/punycode.js';

/**
 * Code points Unicode 3.2 assigns (general category not Cn), as alternating base-36 numbers:
 * the gap since the end of the previous range (+1), then the length of the range (−1).
 * Generated from Python's `unicodedata.ucd_3_2_0.category(ch) != 'Cn'`.
 */
const UNICODE_3_2_ASSIGNED =
  '0,f4,1,h,s,2l,2,1q,h,27,g,f,4,1,4,0,3,0,5,6,1,0,1,j,1,17,1,12,9,3q,1,1y,1,11,2,1,6,f,x,11,2,6,1,' +
  '12,1,1,6,g,1,m,1,9,b,q,5,4,n,0,e,0,3,0,1,p,5,l,a,3x,2,e,1,d,1,t,3,q,1h,1d,9b,2,1,1g,2,h,2,4,3,o,' +
  'g,2,1,7,2,1,2,l,1,6,1,0,3,3,2,0,1,6,2,1,2,2,9,0,4,1,1,4,2,k,7,0,2,5,4,1,2,l,1,6,1,1,1,1,1,1,2,0,' +
  '1,4,4,1,2,2,b,3,1,0,7,e,c,2,1,6,1,0,1,2,1,l,1,6,1,1,1,4,2,9,1,2,1,2,2,0,f,0,5,9,h,2,1,7,2,1,2,l,' +
  '1,6,1,1,2,3,2,7,3,1,2,2,8,1,4,1,1,2,4,a,h,1,1,5,3,2,1,3,3,1,1,0,1,1,3,1,3,2,3,7,1,2,4,4,3,2,1,3,' +
  '9,0,f,b,e,2,1,7,1,2,1,m,1,9,1,4,4,6,1,2,1,3,7,1,9,1,4,9,i,1,1,7,1,2,1,m,1,9,1,4,4,6,1,2,1,3,7,1,' +
  '7,0,1,1,4,9,i,1,1,7,1,2,1,m,1,f,4,5,2,2,1,3,9,0,8,1,4,9,i,1,1,h,3,n,1,8,1,0,2,6,3,0,4,5,1,0,1,7,' +
  'i,2,c,1l,4,s,11,1,1,0,2,1,1,0,2,0,6,3,1,6,1,2,1,0,1,0,2,1,1,c,1,2,2,4,1,0,1,5,2,9,2,1,y,1z,1,x,' +
  '6,q,4,7,1,z,1,e,2,0,1c,x,1,4,1,1,1,6,3,3,6,p,1y,11,a,14,2,0,4,2h,5,1v,5,29,6,6,1,1q,1,0,1,3,2,6,' +
  '1,0,1,3,2,12,1,0,1,3,2,u,1,0,1,3,2,6,1,0,1,3,2,6,1,6,1,m,1,u,1,0,1,3,2,6,1,12,1,i,6,r,z,2c,c,hh,' +
  '9,s,3,28,f,c,1,6,b,m,9,j,c,c,1,2,1,1,c,2k,3,9,m,e,1,9,6,2f,8,15,11y,4b,4,2h,6,l,2,5,2,11,2,5,2,' +
  '7,1,0,1,0,1,0,1,u,2,1g,1,e,1,d,2,5,1,i,2,2,1,8,1,2a,4,0,7,4,6,7,2,q,h,h,u,q,l,1m,2,e,7,1c,c,fy,' +
  '1d,12,p,a,l,4e,1,7n,2,1,1,2s,2,9,3b,3,1,3,2,r,1,y,1,0,1,3,3,0,1,6,2,1f,3,n,1,d,h,r,4,lr,ow,p,1,' +
  '2g,c,5x,q,b,4,1r,1,2d,2,2u,5,13,4,2l,1,13,1k,18,3,z,d,16,3,24,4,1a,1,3a,4,2q,2,u,1,52t,22,g4l,' +
  '2i,wc,3,1i,1fd,8mb,2k,6r1,2,1m,45,6,c,4,5,p,1,4,1,0,1,1,1,1,1,2z,x,a4,g,1r,2,1h,14,c,3,f,g,3,c,' +
  'm,2,9,1,i,1,3,4,4,1,3q,2,0,1,59,3,5,2,5,2,5,2,2,3,6,1,6,a,4,le,u,1,3,c,q,51,11,2,11,148i,6t,a,' +
  '12,3,4z,f6,2c,1,1y,1,1,2,0,2,1,2,3,1,b,1,0,1,3,1,1,1,1s,1,3,2,7,1,6,1,r,1,3,1,4,1,0,3,6,1,9d,4,' +
  '81,4,1d,7wg,wye,g15,f1,fher,0,u,2n,1egw,1ekd,2,1ekd';

let assigned: Array<[number, number]> | null = null;
function assignedRanges(): Array<[number, number]> {
  if (assigned) return assigned;
  const numbers = UNICODE_3_2_ASSIGNED.split(',').map((n) => parseInt(n, 36));
  const ranges: Array<[number, number]> = [];
  let next = 0;
  for (let i = 0; i + 1 < numbers.length; i += 2) {
    const start = next + numbers[i]!;
    const end = start + numbers[i + 1]!;
    ranges.push([start, end]);
    next = end + 1;
  }
  return (assigned = ranges);
}

/** Whether Unicode 3.2 assigned code point `cp` (RFC 3454 table A.1 is the rest, less noncharacters). */
export function assignedInUnicode32(cp: number): boolean {
  const ranges = assignedRanges();
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [start, end] = ranges[mid]!;
    if (cp < start) hi = mid - 1;
    else if (cp > end) lo = mid + 1;
    else return true;
  }
  return false;
}

// The classes below are sets of single code points (marks and joiners among them), read one by one.
/** RFC 3454 table B.1: mapped to nothing. */
// eslint-disable-next-line no-misleading-character-class
const MAPPED_TO_NOTHING = /[\u00AD\u034F\u1806\u180B-\u180D\u200B-\u200D\u2060\uFE00-\uFE0F\uFEFF]/gu;
/** RFC 3454 tables C.1.2, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8, C.9 (Nameprep's prohibited output). */
const PROHIBITED =
  // eslint-disable-next-line no-misleading-character-class
  /[\u0080-\u00A0\u0340\u0341\u06DD\u070F\u1680\u180E\u2000-\u200F\u2028-\u202F\u205F-\u2063\u206A-\u206F\u2FF0-\u2FFB\u3000\uD800-\uF8FF\uFDD0-\uFDEF\uFEFF\uFFF9-\uFFFF\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}\u{F0000}-\u{10FFFF}]/u;
/** RFC 3454 table D.1: characters with bidi class R or AL (Unicode 3.2). */
const RAND_AL =
  /[\u05BE\u05C0\u05C3\u05D0-\u05EA\u05F0-\u05F4\u061B\u061F\u0621-\u063A\u0640-\u064A\u066D-\u066F\u0671-\u06D5\u06DD\u06E5\u06E6\u06FA-\u06FE\u0700-\u070D\u0710\u0712-\u072C\u0780-\u07A5\u07B1\u200F\uFB1D\uFB1F-\uFB28\uFB2A-\uFB36\uFB38-\uFB3C\uFB3E\uFB40\uFB41\uFB43\uFB44\uFB46-\uFBB1\uFBD3-\uFD3D\uFD50-\uFD8F\uFD92-\uFDC7\uFDF0-\uFDFC\uFE70-\uFE74\uFE76-\uFEFC]/u;
/** Table D.2 (bidi class L), approximated: letters and spacing marks. */
const LETTER = /[\p{L}\p{Mc}]/u;
const LABEL_SEPARATORS = /[.\u3002\uFF0E\uFF61]/u;
const MAX_LABEL_LENGTH = 63;

/** Nameprep (RFC 3491) of one label, or null when the label is refused (see the file comment). */
export function nameprep(label: string): string | null {
  const mapped = label
    .replace(MAPPED_TO_NOTHING, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/ς/g, 'σ')
    .normalize('NFKC');
  const chars = Array.from(mapped);
  for (const ch of chars) {
    if (PROHIBITED.test(ch) || !assignedInUnicode32(ch.codePointAt(0)!)) return null;
  }
  if (chars.some((ch) => RAND_AL.test(ch))) {
    if (chars.some((ch) => LETTER.test(ch) && !RAND_AL.test(ch))) return null;
    if (!RAND_AL.test(chars[0]!) || !RAND_AL.test(chars[chars.length - 1]!)) return null;
  }
  return mapped;
}

/** IDNA2003 ToASCII of one label (RFC 3490 §4.1 with AllowUnassigned and UseSTD3ASCIIRules off), or null. */
export function labelToAscii(label: string): string | null {
  // eslint-disable-next-line no-control-regex
  const ascii = (s: string) => /^[\u0000-\u007F]*$/.test(s);
  let out = label;
  if (!ascii(out)) {
    const prepared = nameprep(out);
    if (prepared === null) return null;
    out = prepared;
    if (!ascii(out)) {
      if (out.toLowerCase().startsWith('xn--')) return null;
      out = `xn--${punycode(out)}`;
    }
  }
  return out.length >= 1 && out.length <= MAX_LABEL_LENGTH ? out : null;
}

/**
 * IDNA2003 ToASCII of a whole domain, as `IDN::Idna.toASCII(domain)` answers it (labels joined
 * with "."), or null where libidn raises (a label empty or over 63 characters after punycode, a
 * character unassigned in Unicode 3.2 such as an emoji, a prohibited character, mixed
 * right-to-left and left-to-right letters).
 */
export function idna2003ToAscii(domain: string): string | null {
  const labels: string[] = [];
  for (const label of domain.split(LABEL_SEPARATORS)) {
    const ascii = labelToAscii(label);
    if (ascii === null) return null;
    labels.push(ascii);
  }
  return labels.join('.');
}

/**
 * The punycode of `input` (RFC 3492, without `xn--`), by punycode.js (mathiasbynens/punycode.js,
 * `encode`: the label as is, no mapping or `xn--` of its own).
 */
export function punycode(input: string): string {
  return punycodeJs.encode(input);
}
