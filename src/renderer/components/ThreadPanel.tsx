// A post in its conversation, in the side panel: what it answers (the first post of the thread
// first), the post itself highlighted, then its replies indented by depth, each saying whom it
// answers; replies the network did not include and what it cannot show are said in words.
import type { TFunction } from 'i18next';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Profile, ThreadNote, ThreadView } from '../../shared/model';
import type { PanelView } from '../state/store';
import { useServices } from './context';
import { describeThrown } from './errors';
import { PanelFeed, panelEntry, type PanelItem } from './PanelFeed';

/**
 * The thread as the panel lists it, in reading order: the ancestors (each answering the one
 * before), the thread's post (`focal`), then the replies depth-first as the network gave them,
 * each answering the nearest post above it one level up (the thread's post for depth 1).
 */
export function threadItems(thread: ThreadView): PanelItem[] {
  const items: PanelItem[] = [];
  let previous: Profile | undefined;
  for (const post of thread.ancestors) {
    items.push({ entry: panelEntry(post), ...(previous ? { replyingTo: previous } : {}) });
    previous = post.author;
  }
  items.push({ entry: panelEntry(thread.post), focal: true, ...(previous ? { replyingTo: previous } : {}) });
  // The author at each depth on the way down to the current reply (0: the thread's post).
  const authors: Profile[] = [thread.post.author];
  for (const { post, depth } of thread.replies) {
    // A depth deeper than the one above by more than one (a reply whose parent is not served)
    // answers the deepest author known.
    const parent = authors[Math.min(depth - 1, authors.length - 1)]!;
    items.push({ entry: panelEntry(post), depth, replyingTo: parent });
    authors.length = Math.min(depth, authors.length);
    authors.push(post.author);
  }
  return items;
}

export function ThreadPanel(props: { view: Extract<PanelView, { kind: 'thread' }>; language: string }) {
  const { view, language } = props;
  const { t } = useTranslation();
  const { actions } = useServices();
  const [thread, setThread] = useState<ThreadView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setThread(await actions.thread(view.profileId, view.postId));
    } catch (err) {
      setError(describeThrown(t, err, language, 'dialog', view.network));
    } finally {
      setLoading(false);
    }
  }, [actions, language, t, view.network, view.postId, view.profileId]);
  useEffect(() => {
    void load();
  }, [load]);

  const items = useMemo(() => (thread ? threadItems(thread) : []), [thread]);

  if (!thread) {
    return (
      <div className="panel-note" aria-busy={loading}>
        {loading && <p role="status">{t('panel.thread.loading')}</p>}
        {error && (
          <div role="alert" className="form-error">
            <p>{error}</p>
            <button type="button" onClick={() => void load()}>
              {t('actions.retry')}
            </button>
          </div>
        )}
      </div>
    );
  }
  return (
    <PanelFeed
      view={view}
      items={items}
      label={t('panel.thread.feed')}
      busy={loading}
      language={language}
      complete
      footer={
        <div className="panel-note">
          {thread.replies.length === 0 && thread.more === 0 && <p>{t('panel.thread.noReplies')}</p>}
          {thread.more > 0 && (
            <p>
              {t('panel.thread.more', { count: thread.more, n: new Intl.NumberFormat(language).format(thread.more) })}
            </p>
          )}
          {thread.notes?.map((note, i) => (
            <p key={i} className="thread-note">
              {threadNoteText(t, note, language)}
            </p>
          ))}
        </div>
      }
    />
  );
}

/**
 * A note of the thread in the UI's words (`threadNotes.<reason>`): its `count` picks the plural
 * form and is written in the UI's number format (`{{n}}`: "1,200", "1 200"); its `params` fill
 * the words ("{{server}}") and are given as `replace`, so a param never reads as an i18next option.
 */
export function threadNoteText(t: TFunction, note: ThreadNote, language: string): string {
  const { reason, count, params } = note;
  if (count === undefined) return t(`threadNotes.${reason}`, { replace: { ...params } });
  return t(`threadNotes.${reason}`, {
    count,
    replace: { ...params, n: new Intl.NumberFormat(language).format(count) },
  });
}
