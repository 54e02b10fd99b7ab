// Types of punycode.js (RFC 3492; mathiasbynens/punycode.js), imported by its file: the bare name
// `punycode` is Node's deprecated built-in module.
declare module 'punycode/punycode.js' {
  const punycode: {
    /** A string of Unicode code points → its Punycode (RFC 3492 §6.3), without `xn--`. */
    encode(input: string): string;
    /** Punycode (without `xn--`) → the Unicode string. */
    decode(input: string): string;
    /** Each non-ASCII label of a domain → `xn--` + its Punycode (no Nameprep). */
    toASCII(domain: string): string;
    toUnicode(domain: string): string;
    readonly version: string;
  };
  export default punycode;
}
