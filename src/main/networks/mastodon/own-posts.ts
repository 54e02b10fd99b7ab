// Telling whether one of the account's own statuses is the post Colonnade asked for: after a send
// whose answer was lost, and for a scheduled status Mastodon has since published (and deleted from
// its scheduled statuses). Mastodon answers a status as HTML, not the text that was sent, so both
// sides are brought to one comparable form.
import type { PublishRequest } from '../../../shared/adapter';
import type { Post } from '../../../shared/model';

/** A link as compared: without its scheme (Mastodon hides it, TextFormatter#link_to_url). */
const SCHEME = /\bhttps?:\/\//gi;
/** A mention as compared: `@user`, whatever its domain (Mastodon shows remote mentions as `@user`). */
const MENTION_DOMAIN = /(^|[^\p{L}\p{N}_/])@([\p{L}\p{N}_]+)@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;

/**
 * The form two texts are compared in: links without their scheme, mentions without their domain,
 * runs of whitespace (Mastodon's paragraphs and line breaks) as one space, trimmed, NFC.
 */
export function comparableText(text: string): string {
  return text.normalize('NFC').replace(MENTION_DOMAIN, '$1@$2').replace(SCHEME, '').replace(/\s+/gu, ' ').trim();
}

/**
 * What a status said, from its Post: the plain text the adapter derived from Mastodon's HTML,
 * with each link's shortened display ("example.com/blog/release-notes…") put back to its full
 * address, in comparable form.
 */
export function comparablePostText(post: Pick<Post, 'text' | 'entities'>): string {
  let text = post.text;
  const links = post.entities.filter((e) => e.kind === 'link').sort((a, b) => b.start - a.start);
  for (const link of links) text = text.slice(0, link.start) + link.value + text.slice(link.end);
  return comparableText(text);
}

/**
 * True when `post` is what `request` asked for: the same text (comparable form; where Colonnade
 * linked a quoted post instead of quoting it, Mastodon before 4.5, the text followed by that
 * link), the same reply target and as many attachments.
 */
export function isPostOf(post: Post, request: PublishRequest, options: { quoteLinked?: boolean } = {}): boolean {
  if ((post.replyTo ?? undefined) !== (request.replyTo ?? undefined)) return false;
  if (post.media.length !== (request.media?.length ?? 0)) return false;
  const said = comparablePostText(post);
  const asked = comparableText(request.text);
  if (said === asked) return true;
  return Boolean(options.quoteLinked && request.quoteOf && said.startsWith(asked));
}
