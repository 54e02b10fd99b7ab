// A Mastodon post's HTML (`content` in its ActivityPub Note) as the plain text the analytics keep.
// Web Workers have no DOMParser, so htmlparser2 reads the markup: a forgiving streaming parser
// that decodes entities, already what main's Mastodon adapter uses for the same HTML
// (src/main/networks/mastodon/html.ts, which the renderer may not import). This keeps only what
// a reader sees: paragraphs become blank lines, <br> a newline, and the parts of long links
// Mastodon hides (`<span class="invisible">`, app/lib/text_formatter.rb) stay hidden, with "…"
// where it shortens them (`<span class="ellipsis">`).
import { Parser } from 'htmlparser2';

const BLOCKS = new Set(['p', 'blockquote', 'pre', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'div']);
const SKIPPED = new Set(['script', 'style', 'template']);
const VOID = new Set(['br', 'img', 'hr', 'input', 'meta', 'link', 'wbr', 'source', 'area', 'col', 'embed']);

interface Open {
  name: string;
  hidden: boolean;
  ellipsis: boolean;
}

/**
 * Converts post HTML to plain text (see the file's comment). `quoteFallbackHidden` hides Mastodon's
 * `quote-inline` paragraph ("RE: <link>", added for clients without quotes) on a post that
 * carries a quote, as Mastodon's own web app does.
 */
export function htmlToText(html: string, options: { quoteFallbackHidden?: boolean } = {}): string {
  if (!html.includes('<') && !html.includes('&')) return html.trim();
  let text = '';
  let pendingBreak = '';
  let skipDepth = 0;
  const stack: Open[] = [];
  const hidden = () => stack.some((e) => e.hidden);
  const write = (chunk: string) => {
    if (!chunk) return;
    if (pendingBreak && text.length > 0) text += pendingBreak;
    pendingBreak = '';
    text += chunk;
  };
  const requestBreak = (kind: '\n' | '\n\n') => {
    if (text.length === 0) return;
    if (kind === '\n\n' || pendingBreak === '') pendingBreak = kind;
  };
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (SKIPPED.has(name)) {
          skipDepth += 1;
          return;
        }
        if (skipDepth > 0) return;
        if (name === 'br') {
          if (text.length > 0 && !hidden()) {
            text += pendingBreak || '\n';
            pendingBreak = '';
          }
          return;
        }
        if (BLOCKS.has(name)) requestBreak(name === 'li' ? '\n' : '\n\n');
        if (VOID.has(name)) return;
        const classes = (attribs.class ?? '').split(/\s+/);
        stack.push({
          name,
          hidden:
            classes.includes('invisible') || (options.quoteFallbackHidden === true && classes.includes('quote-inline')),
          ellipsis: classes.includes('ellipsis'),
        });
      },
      ontext(chunk) {
        if (skipDepth > 0 || hidden()) return;
        write(chunk);
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) {
          skipDepth = Math.max(0, skipDepth - 1);
          return;
        }
        if (skipDepth > 0 || VOID.has(name)) return;
        const index = stack.map((e) => e.name).lastIndexOf(name);
        if (index < 0) return;
        for (const element of stack.splice(index).reverse()) {
          if (element.ellipsis && !hidden()) write('…');
        }
        if (BLOCKS.has(name)) requestBreak(name === 'li' ? '\n' : '\n\n');
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return text.trim();
}
