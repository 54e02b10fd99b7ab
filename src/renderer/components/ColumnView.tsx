// One column of the deck: a region named by its title, with its posts as a feed of articles in
// a virtual list (react-virtuoso), a "new posts" marker instead of jumping while the user reads
// (announced politely), infinite scroll backwards, its network status in words, and
// keyboard-reachable controls. The feed follows the WAI-ARIA feed pattern
// (https://www.w3.org/WAI/ARIA/apg/patterns/feed/): Page Down / Page Up move focus to the next /
// previous article, Ctrl+End / Ctrl+Home leave the feed for the next / previous focusable element,
// and focus stays in the feed when the virtual list unmounts the focused article.
import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useLiveQuery } from 'dexie-react-hooks';
import { ArrowLeft, ArrowRight, GripVertical, X } from 'lucide-react';
import {
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type FocusEvent,
  type KeyboardEvent,
  type PointerEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import { Virtuoso, type ListProps, type ScrollerProps, type VirtuosoHandle } from 'react-virtuoso';
import type { PostAction } from '../../shared/adapter';
import { COLUMN_WIDTH, type Account, type Column, type Post } from '../../shared/model';
import { columnEntries, olderStep, type ShownEntry } from '../db/database';
import { useAppStore } from '../state/store';
import { useServices } from './context';
import { describeError, describeThrown } from './errors';
import { PostCard } from './PostCard';
import { useTick } from './time';
import type { TFunction } from 'i18next';

const PAGE = 40;

export function columnTitle(t: TFunction, column: Pick<Column, 'kind' | 'query' | 'label'>): string {
  switch (column.kind) {
    case 'hashtag':
    case 'search':
    case 'user':
    case 'list':
      return t(`columns.title.${column.kind}`, { query: column.label ?? column.query ?? '' });
    default:
      return t(`columns.kind.${column.kind}`);
  }
}

interface FeedContext {
  label: string;
  busy: boolean;
}

function FeedList({ context, ref, ...props }: ListProps & { context?: FeedContext }) {
  return <div {...props} ref={ref} role="feed" aria-label={context?.label} aria-busy={context?.busy ?? false} />;
}

/**
 * The list's scroller, out of the Tab order: react-virtuoso makes it a tab stop (`tabIndex={0}`)
 * with no name and no visible focus; its articles are the feed's focusable elements.
 */
function FeedScroller({
  context: _context,
  tabIndex: _tabIndex,
  ref,
  ...props
}: ScrollerProps & { context?: FeedContext }) {
  return <div {...props} ref={ref} />;
}

/** What can take focus with Tab, in document order (visible, enabled, not inert). */
const TABBABLE =
  'a[href], button, input, select, textarea, summary, audio[controls], video[controls], [tabindex], [contenteditable="true"]';
function tabbables(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>(TABBABLE)].filter(
    (el) =>
      el.tabIndex >= 0 &&
      !el.matches(':disabled') &&
      !el.closest('[inert]') &&
      el.checkVisibility({ visibilityProperty: true }),
  );
}

/** The first focusable element after `feed` (Ctrl+End), or the last one before it (Ctrl+Home). */
export function focusableBeside(feed: Element, side: 'after' | 'before'): HTMLElement | undefined {
  const all = tabbables().filter((el) => !feed.contains(el) && !el.contains(feed));
  return side === 'after'
    ? all.find((el) => feed.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)
    : all.filter((el) => feed.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING).at(-1);
}

/** The article of the virtual list's item `index`, when it is rendered. */
const renderedArticle = (feed: Element, index: number) =>
  feed.querySelector<HTMLElement>(`[data-index="${index}"] > article`);

export function ColumnView(props: {
  column: Column;
  index: number;
  count: number;
  account: Account | undefined;
  language: string;
}) {
  const { column, index, count, account, language } = props;
  const { t } = useTranslation();
  const { actions, db } = useServices();
  const status = useAppStore((s) => s.statuses[column.id]);
  const title = columnTitle(t, column);
  const titleId = useId();
  const [limit, setLimit] = useState(PAGE);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [reachedEnd, setReachedEnd] = useState(false);
  const [olderError, setOlderError] = useState<string | null>(null);
  const [frozenAt, setFrozenAt] = useState<string | null>(null);
  const virtuoso = useRef<VirtuosoHandle>(null);
  const body = useRef<HTMLDivElement>(null);
  const [draftWidth, setDraftWidth] = useState<number | null>(null);
  useEffect(() => setDraftWidth(null), [column.width]);
  useTick(30_000);

  const entries = useLiveQuery(() => columnEntries(db, column.id, limit), [db, column.id, limit]);
  // While the user reads further down, new entries wait behind a marker instead of shifting the
  // list. "New" is by the time an entry entered the timeline (a repost made now of an old post is new).
  const { shown, waiting } = useMemo(() => {
    const all = entries ?? [];
    if (!frozenAt) return { shown: all, waiting: 0 };
    const shownEntries = all.filter((e) => e.at <= frozenAt);
    return { shown: shownEntries, waiting: all.length - shownEntries.length };
  }, [entries, frozenAt]);

  const loadOlder = useCallback(async () => {
    if (loadingOlder || !entries) return;
    // The cache first: everything it holds is shown, even after history reached its beginning.
    const step = olderStep(entries.length, limit, reachedEnd);
    if (step === 'show-more') setLimit((l) => l + PAGE);
    if (step !== 'fetch') return;
    setLoadingOlder(true);
    setOlderError(null);
    try {
      const more = await actions.loadOlder(column.id);
      if (!more) setReachedEnd(true);
      setLimit((l) => l + PAGE);
    } catch (err) {
      setOlderError(describeThrown(t, err, language, 'dialog', account?.network));
    } finally {
      setLoadingOlder(false);
    }
  }, [actions, column.id, entries, language, limit, loadingOlder, reachedEnd, t]);

  // A column this renderer has no cache for (a new browser profile, a cleared cache) starts from
  // the newest page; live deliveries only bring what is newer than main's cursor.
  const fetchedFirst = useRef(false);
  useEffect(() => {
    if (entries && entries.length === 0 && !fetchedFirst.current) {
      fetchedFirst.current = true;
      void loadOlder();
    }
  }, [entries, loadOlder]);

  const sortable = useSortable({ id: column.id });
  const style = {
    width: draftWidth ?? column.width,
    transform: CSS.Translate.toString(sortable.transform),
    transition: sortable.transition,
  };

  // An action's error (a like on a deleted post) is the action's, not the column's: it shows
  // beside the column's status, until dismissed or until the column is next live.
  const [actError, setActError] = useState<{ text: string; since: string } | null>(null);
  const onAct = useCallback(
    (post: Post, action: PostAction) => {
      setActError(null);
      actions.act(column.profileId, post, action).catch((err: unknown) =>
        setActError({
          text: describeThrown(t, err, language, 'dialog', account?.network),
          since: useAppStore.getState().statuses[column.id]?.checkedAt ?? new Date(0).toISOString(),
        }),
      );
    },
    [actions, column.id, column.profileId, language, t],
  );
  useEffect(() => {
    if (actError && status?.state === 'live' && status.checkedAt && status.checkedAt > actError.since) {
      setActError(null);
    }
  }, [actError, status]);

  const feedElement = () => body.current?.querySelector<HTMLElement>('[role="feed"]') ?? null;

  /**
   * Moves focus to the article at `index`: at once when it is rendered (scrolled to its start
   * when not wholly in view), else after react-virtuoso has scrolled to it and rendered it.
   */
  const focusEntry = useCallback((index: number, scroll: 'if-needed' | 'always' = 'if-needed') => {
    const feed = body.current?.querySelector<HTMLElement>('[role="feed"]');
    if (!feed) return;
    const here = scroll === 'if-needed' ? renderedArticle(feed, index) : null;
    if (here) {
      const scroller = feed.closest('[data-virtuoso-scroller]') ?? feed;
      const box = here.getBoundingClientRect();
      const view = scroller.getBoundingClientRect();
      // react-virtuoso scrolls, so it can correct the offset as it measures the items it renders.
      if (box.top < view.top || box.bottom > view.bottom) {
        virtuoso.current?.scrollToIndex({ index, align: 'start', behavior: 'auto' });
      }
      here.focus({ preventScroll: true });
      return;
    }
    virtuoso.current?.scrollToIndex({ index, align: 'start', behavior: 'auto' });
    let frames = 0;
    const attempt = () => {
      const el = body.current && renderedArticle(body.current, index);
      if (el) el.focus({ preventScroll: true });
      else if (++frames < 60) requestAnimationFrame(attempt);
    };
    requestAnimationFrame(attempt);
  }, []);

  // The feed's keys (WAI-ARIA feed pattern), from an article or anything inside one.
  const onFeedKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const feed = feedElement();
    const article = (e.target as HTMLElement).closest('article');
    if (!feed || !article || !feed.contains(article)) return;
    if ((e.key === 'PageDown' || e.key === 'PageUp') && !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey) {
      e.preventDefault();
      const index = Number(article.parentElement?.dataset.index);
      const next = index + (e.key === 'PageDown' ? 1 : -1);
      if (Number.isInteger(next) && next >= 0 && next < shown.length) focusEntry(next);
    } else if ((e.key === 'End' || e.key === 'Home') && (e.ctrlKey || e.metaKey) && !e.altKey) {
      const to = focusableBeside(feed, e.key === 'End' ? 'after' : 'before');
      if (!to) return;
      e.preventDefault();
      to.focus();
    }
  };

  // Focus stays in the feed when the virtual list unmounts the focused article (scrolled far away
  // by wheel or scrollbar, or its post deleted): the same entry if it is rendered again, else the
  // first article in view. Focus the user moved elsewhere is left alone.
  const lastFocus = useRef<{ key: string; el: HTMLElement } | null>(null);
  const onBodyFocus = (e: FocusEvent<HTMLDivElement>) => {
    const key = (e.target as HTMLElement).closest('article')?.dataset.entryKey;
    lastFocus.current = key ? { key, el: e.target as HTMLElement } : null;
  };
  const onBodyBlur = (e: FocusEvent<HTMLDivElement>) => {
    const left = e.target as HTMLElement;
    if (e.relatedTarget && !e.currentTarget.contains(e.relatedTarget as Node)) lastFocus.current = null;
    else if (!e.relatedTarget) {
      // Focus went to nothing: by a click outside (the element is still there), or by removal.
      setTimeout(() => {
        if (lastFocus.current?.el === left && left.isConnected && !body.current?.contains(document.activeElement)) {
          lastFocus.current = null;
        }
      }, 0);
    }
  };
  useEffect(() => {
    const root = body.current;
    if (!root) return;
    const observer = new MutationObserver(() => {
      const last = lastFocus.current;
      if (!last || last.el.isConnected) return;
      if (document.activeElement && document.activeElement !== document.body) return;
      const feed = root.querySelector<HTMLElement>('[role="feed"]');
      if (!feed) return;
      const articles = [...feed.querySelectorAll<HTMLElement>('article')];
      const same = articles.find((a) => a.dataset.entryKey === last.key);
      const top = (feed.closest('[data-virtuoso-scroller]') ?? feed).getBoundingClientRect().top;
      const inView = articles.find((a) => a.getBoundingClientRect().bottom > top + 1);
      (same ?? inView)?.focus({ preventScroll: true });
    });
    observer.observe(root, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, []);

  // "N new posts": activating it shows them and focuses the first (the button itself goes away).
  const pendingFocus = useRef(false);
  const showNew = () => {
    pendingFocus.current = true;
    setFrozenAt(null);
  };
  useEffect(() => {
    if (!pendingFocus.current || frozenAt !== null) return;
    pendingFocus.current = false;
    focusEntry(0, 'always');
  }, [focusEntry, frozenAt, shown]);

  // Said politely once the count settles (a burst of arrivals is one announcement), not on every render.
  const [announcement, setAnnouncement] = useState('');
  useEffect(() => {
    if (waiting === 0) {
      setAnnouncement('');
      return;
    }
    const timer = setTimeout(() => setAnnouncement(t('columns.newPosts', { count: waiting })), 1_500);
    return () => clearTimeout(timer);
  }, [t, waiting]);

  // The feed's size is known only once the column has reached the beginning of its history.
  const atBeginning = reachedEnd && (entries?.length ?? 0) < limit;

  const statusText =
    (status?.state === 'error' || status?.state === 'paused') && status.error
      ? describeError(t, status.error, language, 'column', account?.network)
      : null;

  return (
    <section
      ref={sortable.setNodeRef}
      style={style}
      className={`column${sortable.isDragging ? ' dragging' : ''}`}
      aria-labelledby={titleId}
      data-column-id={column.id}
    >
      <header className="column-head">
        <button
          type="button"
          className="icon grip"
          aria-label={t('columns.drag', { title })}
          title={t('columns.drag', { title })}
          {...sortable.attributes}
          {...sortable.listeners}
        >
          <GripVertical size={16} aria-hidden="true" />
        </button>
        <div className="column-titles">
          <h2 id={titleId} className="column-title">
            {title}
          </h2>
          {account && (
            <p className="column-profile">
              @{account.profile.handle} · {account.network === 'sandbox' ? 'Sandbox' : account.network}
              {account.practice && (
                <span className="badge practice" title={t('columns.practiceHelp')}>
                  {t('columns.practice')}
                </span>
              )}
            </p>
          )}
        </div>
        <div className="column-tools">
          <button
            type="button"
            className="icon"
            aria-label={t('columns.moveLeft')}
            title={t('columns.moveLeft')}
            disabled={index === 0}
            onClick={() => void actions.moveColumn(column.id, index - 1)}
          >
            <ArrowLeft size={16} aria-hidden="true" />
          </button>
          <button
            type="button"
            className="icon"
            aria-label={t('columns.moveRight')}
            title={t('columns.moveRight')}
            disabled={index === count - 1}
            onClick={() => void actions.moveColumn(column.id, index + 1)}
          >
            <ArrowRight size={16} aria-hidden="true" />
          </button>
          <button
            type="button"
            className="icon"
            aria-label={t('columns.remove')}
            title={t('columns.remove')}
            onClick={() => void actions.removeColumn(column.id)}
          >
            <X size={16} aria-hidden="true" />
          </button>
        </div>
      </header>
      {statusText && (
        <p className="column-status error" role="status">
          {statusText}
        </p>
      )}
      {status?.skipped ? (
        <p className="column-status warn" role="status">
          {t('columns.skipped', { count: status.skipped })}
        </p>
      ) : null}
      {actError && (
        <div className="column-status error action-error" role="alert">
          <span>{actError.text}</span>
          <button
            type="button"
            className="icon"
            aria-label={t('columns.dismiss')}
            title={t('columns.dismiss')}
            onClick={() => setActError(null)}
          >
            <X size={14} aria-hidden="true" />
          </button>
        </div>
      )}
      {waiting > 0 && (
        <button type="button" className="new-posts" onClick={showNew}>
          {t('columns.newPosts', { count: waiting })}
        </button>
      )}
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      <div className="column-body" ref={body} onKeyDown={onFeedKeyDown} onFocus={onBodyFocus} onBlur={onBodyBlur}>
        {entries === undefined ? (
          <p className="column-note">{t('columns.loading')}</p>
        ) : entries.length === 0 && !statusText ? (
          <p className="column-note">{status?.state === 'live' ? t('columns.empty') : t('columns.loading')}</p>
        ) : (
          <Virtuoso<ShownEntry, FeedContext>
            ref={virtuoso}
            data={shown}
            context={{ label: t('columns.feed', { title }), busy: loadingOlder }}
            components={{
              List: FeedList,
              Scroller: FeedScroller,
              Footer: () => <FeedFooter loading={loadingOlder} end={atBeginning} error={olderError} />,
            }}
            computeItemKey={(_, entry) => entry.key}
            itemContent={(i, entry) => (
              <PostCard
                entry={entry}
                position={i + 1}
                total={atBeginning ? shown.length : -1}
                language={language}
                onAct={onAct}
              />
            )}
            endReached={() => void loadOlder()}
            atTopStateChange={(atTop) => {
              if (atTop) setFrozenAt(null);
              else setFrozenAt((f) => f ?? shown[0]?.at ?? null);
            }}
            increaseViewportBy={400}
          />
        )}
      </div>
      <ResizeHandle column={column} title={title} width={draftWidth ?? column.width} setDraft={setDraftWidth} />
    </section>
  );
}

function FeedFooter(props: { loading: boolean; end: boolean; error: string | null }) {
  const { t } = useTranslation();
  if (props.error) return <p className="column-note error">{props.error}</p>;
  if (props.loading) return <p className="column-note">{t('columns.loadingOlder')}</p>;
  if (props.end) return <p className="column-note">{t('columns.end')}</p>;
  return null;
}

/** The column's right edge: drag with a pointer, or focus it and use the arrow keys. */
function ResizeHandle(props: { column: Column; title: string; width: number; setDraft: (w: number | null) => void }) {
  const { column, title, width, setDraft } = props;
  const { t } = useTranslation();
  const { actions } = useServices();
  const start = useRef<{ x: number; width: number } | null>(null);
  const clamp = (w: number) => Math.round(Math.min(COLUMN_WIDTH.max, Math.max(COLUMN_WIDTH.min, w)));

  const commit = (w: number) => {
    if (w !== column.width) void actions.resizeColumn(column.id, w);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const step = e.shiftKey ? 60 : 20;
    const next =
      e.key === 'ArrowLeft'
        ? width - step
        : e.key === 'ArrowRight'
          ? width + step
          : e.key === 'Home'
            ? COLUMN_WIDTH.min
            : e.key === 'End'
              ? COLUMN_WIDTH.max
              : null;
    if (next === null) return;
    e.preventDefault();
    // Shown at once, so a key pressed before main answers steps from here, not from the old width.
    setDraft(clamp(next));
    commit(clamp(next));
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    start.current = { x: e.clientX, width: column.width };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (start.current) setDraft(clamp(start.current.width + e.clientX - start.current.x));
  };
  const onPointerUp = () => {
    if (start.current && width !== column.width) commit(width);
    start.current = null;
  };
  return (
    <div
      className="resize-handle"
      role="separator"
      aria-orientation="vertical"
      aria-label={t('columns.resize', { title })}
      aria-valuemin={COLUMN_WIDTH.min}
      aria-valuemax={COLUMN_WIDTH.max}
      aria-valuenow={width}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
    />
  );
}
