// Mastodon status HTML → the plain text a column shows, with hashtag, mention and link spans.
// htmlparser2 (a streaming, forgiving HTML parser that decodes entities) reads the markup; the
// status's own `tags` and `mentions` say what each link is, so a remote server's odd markup still
// yields the right entity values. Main's Mastodon adapter reads statuses with it, and the
// renderer's archive import (a Worker: no DOMParser there) reads an outbox.json's Notes.
import { Parser } from 'htmlparser2';
import type { Entity } from './model';

export interface StatusRefs {
  /** Hashtags of the status, as Mastodon lists them (`name`, `url`). */
  tags: ReadonlyArray<{ name: string; url: string }>;
  /** Mentioned accounts (`acct` is `user` or `user@domain`, `url` their profile). */
  mentions: ReadonlyArray<{ acct: string; url: string; username: string }>;
  /**
   * The status carries a `quote` (Mastodon 4.4+): hide its `quote-inline` fallback ("RE: <link>",
   * which Mastodon adds to the content for clients without quotes and its web app hides), since
   * the quoted post is shown itself.
   */
  hideQuoteFallback?: boolean | undefined;
}

export interface PlainText {
  text: string;
  entities: Entity[];
}

const BLOCKS = new Set(['p', 'blockquote', 'pre', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'div']);
const SKIPPED = new Set(['script', 'style', 'template']);
/** Elements that never have a closing tag, so they must not enter the open-element stack. */
const VOID = new Set(['br', 'img', 'hr', 'input', 'meta', 'link', 'wbr', 'source', 'area', 'col', 'embed']);

interface OpenLink {
  start: number;
  href: string;
  classes: string[];
  rel: string[];
}

interface OpenElement {
  name: string;
  /** Text inside is hidden (Mastodon's `invisible` spans: the scheme and tail of long URLs). */
  invisible: boolean;
  /** Text inside is shortened on screen (Mastodon's `ellipsis` span): add "…" when it closes. */
  ellipsis: boolean;
  link?: OpenLink;
}

/** WHATWG URL, in every runtime this runs in (Node, the page, a Worker); shared/ has no DOM types. */
const WebUrl = (globalThis as unknown as { URL: new (url: string) => { host: string; pathname: string } }).URL;

function sameUrl(a: string, b: string): boolean {
  try {
    const x = new WebUrl(a);
    const y = new WebUrl(b);
    return x.host.toLowerCase() === y.host.toLowerCase() && decodeURI(x.pathname) === decodeURI(y.pathname);
  } catch {
    return a === b;
  }
}

/**
 * Converts status HTML to plain text. Paragraphs become blank lines, `<br>` a newline; link text is
 * kept as Mastodon displays it while the entity keeps the full URL: Mastodon's link formatting
 * (app/lib/text_formatter.rb `link_html`) wraps the scheme and the tail past 30 characters in
 * `<span class="invisible">` (hidden on screen) and the shown part in `<span class="ellipsis">`
 * (drawn with a trailing "…"), so the text holds exactly what Mastodon shows
 * ("example.com/blog/release-notes…") and no `Entity.display` is needed. Custom emoji stay as
 * `:shortcode:` (the renderer replaces them). Offsets are UTF-16 code units, end exclusive.
 */
export function htmlToPlainText(html: string, refs: StatusRefs): PlainText {
  let text = '';
  const entities: Entity[] = [];
  const stack: OpenElement[] = [];
  let skipDepth = 0;
  /** Pending paragraph break: written only before the next visible text. */
  let pendingBreak = '';

  const hidden = () => stack.some((e) => e.invisible);
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

  const closeLink = (link: OpenLink) => {
    const start = link.start;
    const end = text.length;
    if (end <= start) return;
    const shown = text.slice(start, end);
    const isTag = link.classes.includes('hashtag') || link.rel.includes('tag') || /^#/.test(shown);
    const isMention = !isTag && (link.classes.includes('mention') || /^@/.test(shown));
    if (isTag) {
      const byUrl = refs.tags.find((t) => sameUrl(t.url, link.href));
      const name = byUrl?.name ?? shown.replace(/^#/, '');
      entities.push({ kind: 'hashtag', start, end, value: name });
    } else if (isMention) {
      const byUrl = refs.mentions.find((m) => sameUrl(m.url, link.href));
      const username = shown.replace(/^@/, '');
      const byName = refs.mentions.filter((m) => m.username.toLowerCase() === username.toLowerCase());
      const acct = byUrl?.acct ?? (byName.length === 1 ? byName[0]?.acct : undefined);
      if (acct) entities.push({ kind: 'mention', start, end, value: acct });
      else if (/^https?:/i.test(link.href)) entities.push({ kind: 'link', start, end, value: link.href });
    } else if (/^https?:/i.test(link.href)) {
      entities.push({ kind: 'link', start, end, value: link.href });
    }
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
          // A line break inside a paragraph: written even before more text, as a browser shows it.
          if (text.length > 0 && !hidden()) {
            text += pendingBreak || '\n';
            pendingBreak = '';
          }
          return;
        }
        if (BLOCKS.has(name)) requestBreak(name === 'li' ? '\n' : '\n\n');
        if (VOID.has(name)) return;
        const classes = (attribs.class ?? '').split(/\s+/).filter(Boolean);
        const element: OpenElement = {
          name,
          invisible:
            classes.includes('invisible') || (refs.hideQuoteFallback === true && classes.includes('quote-inline')),
          ellipsis: classes.includes('ellipsis'),
        };
        if (name === 'a') {
          // Flush a pending paragraph break first, so the link starts where its text does.
          if (pendingBreak && text.length > 0) {
            text += pendingBreak;
            pendingBreak = '';
          }
          element.link = {
            start: text.length,
            href: attribs.href ?? '',
            classes,
            rel: (attribs.rel ?? '').split(/\s+/).filter(Boolean),
          };
        }
        stack.push(element);
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
        // Close up to the matching element (htmlparser2 reports implied closes too).
        const index = stack.map((e) => e.name).lastIndexOf(name);
        if (index < 0) return;
        const closing = stack.splice(index);
        for (const element of closing.reverse()) {
          if (element.ellipsis && !hidden()) write('…');
          if (element.link) closeLink(element.link);
        }
        if (BLOCKS.has(name)) requestBreak(name === 'li' ? '\n' : '\n\n');
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();

  // Trailing whitespace never carries an entity; trim it and clamp spans to the text.
  const trimmed = text.replace(/\s+$/u, '');
  return {
    text: trimmed,
    entities: entities
      .filter((e) => e.start < trimmed.length)
      .map((e) => ({ ...e, end: Math.min(e.end, trimmed.length) }))
      .sort((a, b) => a.start - b.start),
  };
}
