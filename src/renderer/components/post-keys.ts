// The keys that act on a focused post, in a column's feed and in the side panel alike (listed in
// the shortcuts sheet, ShortcutsSheet.tsx).
import type { KeyboardEvent } from 'react';

/** What a key does to the post that has focus. */
export type PostShortcut = 'open' | 'like' | 'repost' | 'reply' | 'quote' | 'thread' | 'profile';

const LETTERS: Readonly<Record<string, PostShortcut>> = {
  l: 'like',
  t: 'repost',
  r: 'reply',
  q: 'quote',
  o: 'thread',
  p: 'profile',
};

/**
 * The post key pressed, or null: Enter opens the post in the browser; L likes, T reposts, R
 * replies, Q quotes, O opens its thread and P its author's profile in the side panel. Letters in
 * either case, without Ctrl, Alt or Meta (Shift+Enter is no key here). The caller checks that the
 * key comes from the article itself, not from a control inside it.
 */
export function postShortcut(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>) {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.key === 'Enter') return e.shiftKey ? null : 'open';
  return e.key.length === 1 ? (LETTERS[e.key.toLowerCase()] ?? null) : null;
}
