// A post in its conversation: app.bsky.feed.getPostThread → the model's ThreadView.
//
// The AppView answers a tree (bsky views `thread`, `threadParent`, `threadReplies`): the anchor as
// a #threadViewPost, its `parent` chain up to the root (each a #threadViewPost, or a #notFoundPost
// / #blockedPost where the chain breaks, nothing past `parentHeight`), and `replies` nested down
// to `depth`, in the order it serves them; a reply whose author has a block with the viewer is a
// #blockedPost, one blocked between third parties or taken down is left out. The root's
// threadgate comes alongside, with the replies its author hid (`hiddenReplies`).
import { AppBskyFeedDefs, type AppBskyFeedThreadgate } from '@atproto/api';
import { threadNote, type Post, type ThreadNote, type ThreadView } from '../../../shared/model';

/**
 * How one post view reads: a Post, null when the viewer's moderation leaves it out, undefined when
 * it cannot be read (the caller logs it).
 */
export type ReadPost = (view: AppBskyFeedDefs.PostView) => Post | null | undefined;

/** A node of the tree as served: a post (with its parent and replies), a gap, or something unknown. */
type Node = AppBskyFeedDefs.ThreadViewPost | AppBskyFeedDefs.NotFoundPost | AppBskyFeedDefs.BlockedPost | unknown;

const isPostNode = (node: Node): node is AppBskyFeedDefs.ThreadViewPost =>
  AppBskyFeedDefs.isThreadViewPost(node) && typeof (node as { post?: unknown }).post === 'object';

const repliesOf = (node: AppBskyFeedDefs.ThreadViewPost): Node[] =>
  Array.isArray(node.replies) ? (node.replies as Node[]) : [];

/** True when the post's record replies to something (lexicon app.bsky.feed.post `reply`). */
const isReply = (view: AppBskyFeedDefs.PostView) =>
  typeof (view.record as { reply?: { parent?: { uri?: unknown } } } | undefined)?.reply?.parent?.uri === 'string';

/**
 * The thread of an anchor node (a #threadViewPost; the caller refuses the others), `post` being
 * the anchor as the caller read it (with what would hide it folded: `foldFilters`). Ancestors, root first, are read as
 * feeds read posts: one the viewer's moderation leaves out is not shown, and a chain that stops
 * short of its root (a deleted or blocked post, or `parentHeight`) is said in a note. Replies are
 * walked depth-first in the AppView's order; a reply is left out, with everything below it, when
 * the root's threadgate hides it (`hiddenReplies`, except from its own author, as Bluesky's app
 * does), when the viewer's moderation leaves it out (moderatePost: muted accounts and words,
 * labels set to hide, hidden posts), when it cannot be read, or when it is a #blockedPost or
 * #notFoundPost. Everything left out is counted in `more`, with the replies the AppView knows of
 * (`replyCount`) but did not serve below a shown post (deeper than `depth`, or blocked between
 * others), and `notes` say why, each with its count (THREAD_NOTE_REASONS).
 */
export function threadOf(
  anchor: AppBskyFeedDefs.ThreadViewPost,
  post: Post,
  threadgate: AppBskyFeedDefs.ThreadgateView | undefined,
  viewerDid: string,
  read: ReadPost,
): ThreadView {
  // Ancestors: nearest first along `parent`, then reversed.
  const ancestors: Post[] = [];
  let hiddenAncestors = 0;
  let chainBreak: 'deleted' | 'blocked' | 'cut' | undefined;
  let node: Node = anchor.parent;
  let top: AppBskyFeedDefs.PostView = anchor.post;
  for (let guard = 0; node !== undefined && guard < 1000; guard++) {
    if (isPostNode(node)) {
      top = node.post;
      const shown = read(node.post);
      if (shown) ancestors.push(shown);
      else hiddenAncestors++;
      node = node.parent;
      continue;
    }
    chainBreak = AppBskyFeedDefs.isBlockedPost(node) ? 'blocked' : 'deleted';
    break;
  }
  // Past `parentHeight`, or outside the thread's boundary: the topmost post still replies to one.
  if (!chainBreak && isReply(top)) chainBreak = 'cut';
  ancestors.reverse();

  const record = threadgate?.record as AppBskyFeedThreadgate.Record | undefined;
  const hiddenByAuthor = new Set(
    Array.isArray(record?.hiddenReplies) ? record.hiddenReplies.filter((u) => typeof u === 'string') : [],
  );
  const replies: ThreadView['replies'] = [];
  const left = { hiddenByGate: 0, moderated: 0, blocked: 0, gone: 0, unserved: 0 };
  /** The posts served below a node left out, itself included. */
  const size = (n: Node): number => 1 + (isPostNode(n) ? repliesOf(n).reduce<number>((sum, r) => sum + size(r), 0) : 0);
  const unserved = (view: AppBskyFeedDefs.PostView, served: number) => {
    const known = typeof view.replyCount === 'number' && view.replyCount > 0 ? view.replyCount : 0;
    left.unserved += Math.max(0, known - served);
  };
  const walk = (parent: AppBskyFeedDefs.ThreadViewPost, depth: number, seen: Set<string>) => {
    const children = repliesOf(parent);
    unserved(parent.post, children.length);
    for (const child of children) {
      if (AppBskyFeedDefs.isBlockedPost(child)) {
        left.blocked++;
        continue;
      }
      if (!isPostNode(child)) {
        left.gone++; // #notFoundPost, or a node of a kind Colonnade does not know
        continue;
      }
      if (seen.has(child.post.uri)) continue;
      seen.add(child.post.uri);
      if (hiddenByAuthor.has(child.post.uri) && child.post.author?.did !== viewerDid) {
        left.hiddenByGate += size(child);
        continue;
      }
      const shown = read(child.post);
      if (!shown) {
        // Left out by moderation (null) or unreadable (undefined, logged by the caller).
        left.moderated += size(child);
        continue;
      }
      replies.push({ post: shown, depth });
      walk(child, depth + 1, seen);
    }
  };
  walk(anchor, 1, new Set([anchor.post.uri]));

  const notes: ThreadNote[] = [];
  if (chainBreak === 'deleted') notes.push(threadNote('thread-ancestor-deleted'));
  else if (chainBreak === 'blocked') notes.push(threadNote('thread-ancestor-blocked'));
  else if (chainBreak === 'cut') notes.push(threadNote('thread-ancestors-cut'));
  if (hiddenAncestors > 0) notes.push(threadNote('thread-ancestors-moderated', hiddenAncestors));
  if (left.hiddenByGate > 0) notes.push(threadNote('thread-replies-hidden-by-author', left.hiddenByGate));
  if (left.moderated > 0) notes.push(threadNote('thread-replies-moderated', left.moderated));
  if (left.blocked > 0) notes.push(threadNote('thread-replies-blocked', left.blocked));
  if (left.gone > 0) notes.push(threadNote('thread-replies-deleted', left.gone));
  if (left.unserved > 0) notes.push(threadNote('thread-bluesky-replies-unserved', left.unserved));
  return {
    ancestors,
    post,
    replies,
    more: left.hiddenByGate + left.moderated + left.blocked + left.gone + left.unserved,
    ...(notes.length ? { notes } : {}),
  };
}
