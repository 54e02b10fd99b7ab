// The posts of the side panel (a thread, a profile's posts) as a feed of articles, with the same
// buttons and keys as a column's (WAI-ARIA feed pattern: Page Down / Page Up between posts, Ctrl+End
// / Ctrl+Home to what follows / precedes the feed ("Load more posts"); on a
// focused post Enter opens it in the browser, L likes, T reposts, R replies, Q quotes, O opens its
// thread and P its author's profile, in this panel, with "Back" to return). Likes and reposts show
// at once and are undone if the network refuses; these posts are not a column's, so the panel
// keeps their new state itself.
import { X } from 'lucide-react';
import { useCallback, useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PostAction } from '../../shared/adapter';
import { NETWORK_NAMES, type Post, type Profile } from '../../shared/model';
import type { ShownEntry } from '../db/database';
import { openComposer, openPanel, useAppStore, type PanelView } from '../state/store';
import { focusableBeside } from './ColumnView';
import { useServices } from './context';
import { describeThrown } from './errors';
import { PostCard, type ActAs, type PostTool } from './PostCard';
import { postShortcut } from './post-keys';
import { webUrlOf } from './post-text';

/** One post of the panel: its entry, and in a thread its depth, whom it answers, and whether it is the thread's own. */
export interface PanelItem {
  entry: ShownEntry;
  /** Replies below the thread's post: 1 answers it, 2 answers a reply… (indented by it). */
  depth?: number;
  replyingTo?: Profile;
  focal?: boolean;
}

/** A timeline entry or a bare post as the panel shows it (not cached: `cachedAt` 0). */
export function panelEntry(post: Post, extra: Omit<ShownEntry, 'key' | 'at' | 'post'> = {}, key = post.id): ShownEntry {
  return { key, at: post.createdAt, post: { ...post, cachedAt: 0 }, ...extra };
}

/** The post with a like or repost (or its undoing) applied to its viewer state and counts. */
export function withAction(post: Post, action: PostAction): Post {
  const liked = action === 'like' ? true : action === 'unlike' ? false : (post.viewer?.liked ?? false);
  const reposted = action === 'repost' ? true : action === 'unrepost' ? false : (post.viewer?.reposted ?? false);
  const delta = (on: boolean, was: boolean | undefined) => (on === !!was ? 0 : on ? 1 : -1);
  return {
    ...post,
    viewer: { liked, reposted },
    metrics: {
      ...post.metrics,
      likes: Math.max(0, post.metrics.likes + delta(liked, post.viewer?.liked)),
      reposts: Math.max(0, post.metrics.reposts + delta(reposted, post.viewer?.reposted)),
    },
  };
}

export function PanelFeed(props: {
  view: PanelView;
  items: readonly PanelItem[];
  /** The feed's name ("Thread", "Posts by @ada"). */
  label: string;
  busy: boolean;
  language: string;
  /** Whether every post is here (sets `aria-setsize`; -1 while more may come). */
  complete: boolean;
  /** Shown after the posts (a "Load more" button, "N more replies"…). */
  footer?: ReactNode;
}) {
  const { view, items, language } = props;
  const { t } = useTranslation();
  const { actions } = useServices();
  const accounts = useAppStore((s) => s.accounts);
  // Who acts on these posts: the profile the panel reads as, or another of the CM's on the network.
  const [chosen, setChosen] = useState(view.profileId);
  const actAs = useMemo<ActAs>(() => {
    const options = accounts
      .filter((a) => a.network === view.network)
      .map((a) => ({ id: a.profile.id, handle: a.profile.handle }));
    const value = options.some((o) => o.id === chosen) ? chosen : (options[0]?.id ?? null);
    return { options, value, choose: setChosen };
  }, [accounts, chosen, view.network]);
  // Posts liked or reposted here, as they are now (by id).
  const [changed, setChanged] = useState<Record<string, Post>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const onAct = useCallback(
    (post: Post, action: PostAction, as?: string | null) => {
      const profileId = as ?? actAs.value;
      if (!profileId) return;
      setError(null);
      const before = changed[post.id];
      setChanged((c) => ({ ...c, [post.id]: withAction(c[post.id] ?? post, action) }));
      actions.act(profileId, post, action).catch((err: unknown) => {
        setChanged((c) => {
          const { [post.id]: _, ...rest } = c;
          return before ? { ...rest, [post.id]: before } : rest;
        });
        setError(describeThrown(t, err, language, 'dialog', post.network));
      });
    },
    [actAs.value, actions, changed, language, t],
  );

  const onTool = useCallback(
    (post: Post, tool: PostTool, as?: string | null) => {
      const profileId = as ?? actAs.value;
      if (tool === 'open' || tool === 'copy') {
        const web = webUrlOf(post.url);
        if (!web) return setNotice(t('reading.post.noAddress'));
        if (tool === 'open') {
          window.open(web.href, '_blank', 'noopener,noreferrer');
          return;
        }
        navigator.clipboard.writeText(web.href).then(
          () => setNotice(t('reading.post.copied')),
          () => setNotice(t('reading.post.copyFailed', { url: web.href })),
        );
        return;
      }
      if (!profileId) return setNotice(t('reading.post.noProfile', { network: NETWORK_NAMES[post.network] }));
      if (tool === 'reply') openComposer({ replyTo: post, profileId });
      else if (tool === 'quote') openComposer({ quoteOf: post, profileId });
      else if (tool === 'thread') {
        openPanel({ kind: 'thread', network: post.network, profileId, postId: post.id }, 'panel');
      } else openPanel({ kind: 'profile', network: post.network, profileId, handle: post.author.handle }, 'panel');
    },
    [actAs.value, t],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    const article = target.closest('article');
    if (!article || !e.currentTarget.contains(article)) return;
    const plain = !e.ctrlKey && !e.metaKey && !e.altKey;
    if ((e.key === 'PageDown' || e.key === 'PageUp') && plain && !e.shiftKey) {
      e.preventDefault();
      const all = [...e.currentTarget.querySelectorAll<HTMLElement>('article')];
      const next = all[all.indexOf(article) + (e.key === 'PageDown' ? 1 : -1)];
      next?.focus();
      next?.scrollIntoView?.({ block: 'nearest' });
      return;
    }
    if ((e.key === 'End' || e.key === 'Home') && (e.ctrlKey || e.metaKey) && !e.altKey) {
      const to = focusableBeside(e.currentTarget, e.key === 'End' ? 'after' : 'before');
      if (!to) return;
      e.preventDefault();
      to.focus();
      return;
    }
    if (target !== article) return;
    const item = items.find((i) => i.entry.key === article.dataset.entryKey);
    const post = item?.entry.post ? (changed[item.entry.post.id] ?? item.entry.post) : null;
    const which = postShortcut(e);
    if (!post || !which) return;
    e.preventDefault();
    if (which === 'like' || which === 'repost') {
      if (!actAs.value) return setNotice(t('reading.post.noProfile', { network: NETWORK_NAMES[post.network] }));
      const on = which === 'like' ? post.viewer?.liked : post.viewer?.reposted;
      onAct(post, which === 'like' ? (on ? 'unlike' : 'like') : on ? 'unrepost' : 'repost', actAs.value);
    } else onTool(post, which, actAs.value);
  };

  return (
    <>
      {notice && (
        <div className="column-status told" role="status">
          <span>{notice}</span>
          <DismissButton onClick={() => setNotice(null)} />
        </div>
      )}
      {error && (
        <div className="column-status error" role="alert">
          <span>{error}</span>
          <DismissButton onClick={() => setError(null)} />
        </div>
      )}
      <div className="panel-feed" role="feed" aria-label={props.label} aria-busy={props.busy} onKeyDown={onKeyDown}>
        {items.map((item, i) => {
          const post = item.entry.post;
          const now = post && changed[post.id] ? { ...item.entry, post: { ...changed[post.id]!, cachedAt: 0 } } : null;
          return (
            <div
              key={item.entry.key}
              className={`panel-item${item.depth ? ' reply' : ''}`}
              style={item.depth ? { ['--depth' as string]: Math.min(item.depth, 5) } : undefined}
            >
              <PostCard
                entry={now ?? item.entry}
                position={i + 1}
                total={props.complete ? items.length : -1}
                language={language}
                onAct={onAct}
                onTool={onTool}
                actAs={actAs}
                replyingTo={item.replyingTo}
                focal={item.focal}
              />
            </div>
          );
        })}
      </div>
      {props.footer}
    </>
  );
}

function DismissButton(props: { onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      className="icon"
      aria-label={t('columns.dismiss')}
      title={t('columns.dismiss')}
      onClick={props.onClick}
    >
      <X size={14} aria-hidden="true" />
    </button>
  );
}
