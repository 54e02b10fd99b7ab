// One column of the deck: a region named by its title, with its posts as a feed of articles in
// a virtual list (react-virtuoso), a "new posts" marker instead of jumping while the user reads,
// infinite scroll backwards, its network status in words, and keyboard-reachable controls.
import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useLiveQuery } from 'dexie-react-hooks';
import { ArrowLeft, ArrowRight, GripVertical, X } from 'lucide-react';
import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Virtuoso, type ListProps, type VirtuosoHandle } from 'react-virtuoso';
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

  const showNew = () => {
    setFrozenAt(null);
    virtuoso.current?.scrollToIndex({ index: 0, behavior: 'auto' });
  };

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
      <div className="column-body">
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
              Footer: () => (
                <FeedFooter
                  loading={loadingOlder}
                  end={reachedEnd && (entries?.length ?? 0) < limit}
                  error={olderError}
                />
              ),
            }}
            computeItemKey={(_, entry) => entry.key}
            itemContent={(i, entry) => (
              <PostCard entry={entry} position={i + 1} total={shown.length} language={language} onAct={onAct} />
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
