// A status in its conversation: GET /api/v1/statuses/:id and GET /api/v1/statuses/:id/context →
// the model's ThreadView.
//
// Mastodon answers the context flat: `ancestors` root first (the chain of `in_reply_to_id`,
// Status::ThreadingConcern#ancestor_statuses), `descendants` depth-first, each level in id order
// (#descendant_ids: ORDER BY path), then the authors' replies to themselves moved up ahead of the
// others (#promote_by!), statuses the viewer may not see left out (permitted_statuses_from_ids:
// blocks, mutes, private posts). Mastodon's web app rebuilds the tree from `in_reply_to_id` and
// walks it depth-first in that order (app/javascript/mastodon/selectors/contexts.ts,
// getDescendantsIds); so do we, which gives each reply its depth.
import { threadNote, type Post, type ThreadNote, type ThreadView } from '../../../shared/model';
import { parseStatus, problemOf, rawIdOf, readPost, StatusShape, toPost, type NormalizeContext } from './normalize';

export interface ThreadRead {
  view: ThreadView;
  /** Statuses of the context that could not be read: ids and why, for the log. */
  unreadable: Array<{ id: string; problem: string }>;
}

/**
 * The thread of `anchor` (a Status, as masto hands it over) from its `context` (a Context). Filters
 * apply in the `thread` context (CustomFilter::VALID_CONTEXTS; the caller sets it in `ctx`): a
 * `hide` filter leaves an ancestor out, and a reply out with the replies under it (they would
 * otherwise show under a post that is not there); the anchor itself is never left out, its hide
 * filters fold it instead, as Mastodon's web app shows the status one opened
 * (`warnInsteadOfHide`). A descendant whose parent is not in the answer (Mastodon left the parent
 * out: a block, a mute, a private post) cannot be placed and is left out too. Every reply left
 * out is counted in `more`, with a note saying why (`thread-replies-filtered`,
 * `thread-replies-unplaceable`, with their count and the `server`); so is an ancestor chain that
 * stops short of its root (a deleted or hidden post: `thread-ancestor-not-shown`), and
 * `refreshing` (Mastodon 4.5's `Mastodon-Async-Refresh` header: the server is still fetching
 * replies from other servers: `thread-mastodon-refreshing`).
 * Throws (parseStatus) when the anchor itself cannot be read.
 */
export function threadFrom(
  anchor: unknown,
  context: { ancestors?: unknown; descendants?: unknown } | null | undefined,
  ctx: NormalizeContext,
  instance: string,
  refreshing = false,
): ThreadRead {
  const unreadable: ThreadRead['unreadable'] = [];
  const status = parseStatus(anchor, instance);
  const post = toPost(status, { ...ctx, warnInsteadOfHide: true });
  const anchorId = (status.reblog ?? status).id;

  /** A status of the context read on its own: undefined when unreadable (logged), null when hidden. */
  const read = (raw: unknown): { post: Post | null; id: string; parent: string | null } | undefined => {
    const parsed = StatusShape.safeParse(raw);
    if (!parsed.success) {
      unreadable.push({ id: rawIdOf(raw), problem: problemOf(parsed.error) });
      return undefined;
    }
    const s = parsed.data.reblog ?? parsed.data;
    const { post: shown, hidden } = readPost(parsed.data, ctx);
    return { post: hidden ? null : shown, id: s.id, parent: s.inReplyToId ?? null };
  };

  // Ancestors, root first, as sent. The chain has a gap where a post does not answer the one
  // before it (the first one answers nothing, the anchor answers the last): Mastodon stops at a
  // deleted post and leaves out those the viewer may not see.
  const ancestors: Post[] = [];
  let hiddenAncestors = 0;
  let gap = false;
  let previous: string | null = null;
  const rawAncestors = Array.isArray(context?.ancestors) ? context.ancestors : [];
  for (const raw of rawAncestors) {
    const a = read(raw);
    if (!a) {
      hiddenAncestors++;
      gap = true; // what it answers is unknown
      previous = null;
      continue;
    }
    if (a.parent !== previous) gap = true;
    previous = a.id;
    if (a.post) ancestors.push(a.post);
    else hiddenAncestors++;
  }
  if (((status.reblog ?? status).inReplyToId ?? null) !== previous) gap = true;

  // Descendants: children by parent in Mastodon's order, then depth-first from the anchor.
  const children = new Map<string, Array<{ post: Post | null; id: string }>>();
  let unplaceable = 0;
  const rawDescendants = Array.isArray(context?.descendants) ? context.descendants : [];
  for (const raw of rawDescendants) {
    const d = read(raw);
    if (!d) {
      unplaceable++;
      continue;
    }
    if (!d.parent) continue; // not a reply: not part of this thread
    const list = children.get(d.parent) ?? [];
    list.push({ post: d.post, id: d.id });
    children.set(d.parent, list);
  }
  const replies: ThreadView['replies'] = [];
  let hiddenReplies = 0;
  const placed = new Set<string>([anchorId]);
  const countBelow = (id: string): number => {
    let n = 0;
    for (const child of children.get(id) ?? []) {
      if (placed.has(child.id)) continue;
      placed.add(child.id);
      n += 1 + countBelow(child.id);
    }
    return n;
  };
  const walk = (id: string, depth: number) => {
    for (const child of children.get(id) ?? []) {
      if (placed.has(child.id)) continue; // a cycle, or a status sent twice
      placed.add(child.id);
      if (!child.post) {
        hiddenReplies += 1 + countBelow(child.id);
        continue;
      }
      replies.push({ post: child.post, depth });
      walk(child.id, depth + 1);
    }
  };
  walk(anchorId, 1);
  let orphans = 0;
  for (const list of children.values()) for (const child of list) if (!placed.has(child.id)) orphans++;
  // An unreadable descendant hides what hangs below it: those are orphans, counted once.
  const missing = unplaceable + orphans;

  const notes: ThreadNote[] = [];
  if (gap || hiddenAncestors > 0) notes.push(threadNote('thread-ancestor-not-shown'));
  if (hiddenReplies > 0) notes.push(threadNote('thread-replies-filtered', hiddenReplies));
  if (missing > 0) notes.push(threadNote('thread-replies-unplaceable', missing, { server: instance }));
  if (refreshing) notes.push(threadNote('thread-mastodon-refreshing', undefined, { server: instance }));
  return {
    view: {
      ancestors,
      post,
      replies,
      more: hiddenReplies + missing,
      ...(notes.length ? { notes } : {}),
    },
    unreadable,
  };
}
