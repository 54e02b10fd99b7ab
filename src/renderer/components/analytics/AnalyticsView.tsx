// The full-window analytics view (issue 9): the CM's posts across profiles and networks with their
// engagement rates (Posts), each profile's weeks and months (Overview), and the monitored hashtags
// (Hashtags), with archive imports. Like the Outbox, a large modal dialog over the deck rather than
// a page in its place: the deck underneath keeps its columns and reading positions, and Escape or
// Close ends it with focus back on what opened it (the top bar's Analytics button, a column's
// "Open analytics"). Loaded on first opening (App, the columns). The index the tabs read is the
// renderer's one (analytics-services.ts), loaded once with its progress shown.
import { BarChart3, X } from 'lucide-react';
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { archiveOf } from '../../analytics/archive-store';
import { describeThrown } from '../errors';
import { useServices } from '../context';
import { systemZone } from '../outbox-time';
import { useModalDialog } from '../use-modal-dialog';
import { useAnalyticsIndex } from './analytics-services';
import { HashtagAnalyticsSlot, ProfileOverviewSlot } from './charts';
import { ImportArchive } from './ImportArchive';
import { PostsTab } from './PostsTab';
import './analytics.css';

const TABS = ['posts', 'overview', 'hashtags'] as const;
type Tab = (typeof TABS)[number];

export interface AnalyticsViewProps {
  onClose(): void;
  language: string;
  /** A post whose details show first. */
  postId?: string | null;
  /** The CM's zone; the computer's by default (tests give one). */
  zone?: string;
  /** Now in ms (tests). */
  now?: () => number;
}

export function AnalyticsView(props: AnalyticsViewProps) {
  const { t } = useTranslation();
  const { db } = useServices();
  const ref = useModalDialog();
  const titleId = useId();
  const archive = archiveOf(db);
  const { index, read, total, error, retry } = useAnalyticsIndex(archive);
  const [zone] = useState(() => props.zone ?? systemZone());
  const [tab, setTab] = useState<Tab>('posts');
  const tabs = useRef<Array<HTMLButtonElement | null>>([]);
  const { language } = props;
  const numbers = new Intl.NumberFormat(language);

  // A tab is made when first shown and kept (hidden) after: its filters, order and scroll stay.
  const [visited, setVisited] = useState<ReadonlySet<Tab>>(() => new Set<Tab>(['posts']));
  const show = (k: Tab) => {
    setTab(k);
    setVisited((v) => (v.has(k) ? v : new Set([...v, k])));
  };
  const loading = error ? (
    <div className="analytics-note" role="alert">
      <p>{t('analyticsView.loadFailed', { why: describeThrown(t, error, language) })}</p>
      <button type="button" onClick={retry}>
        {t('app.tryAgain')}
      </button>
    </div>
  ) : (
    <div className="analytics-note analytics-loading" role="status">
      <p>
        {total === null
          ? t('analyticsView.loading')
          : t('analyticsView.loadingCount', {
              read: numbers.format(read),
              total: numbers.format(total),
              count: total,
            })}
      </p>
      <progress
        aria-label={t('analyticsView.loading')}
        {...(total ? { value: Math.min(read, total), max: total } : {})}
      />
    </div>
  );

  const onTabKey = (e: KeyboardEvent, i: number) => {
    const next =
      e.key === 'ArrowRight'
        ? (i + 1) % TABS.length
        : e.key === 'ArrowLeft'
          ? (i - 1 + TABS.length) % TABS.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? TABS.length - 1
              : null;
    if (next === null) return;
    e.preventDefault();
    show(TABS[next]!);
    tabs.current[next]?.focus();
  };

  return (
    <dialog
      ref={ref}
      className="dialog analytics-dialog"
      aria-labelledby={titleId}
      onClose={props.onClose}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <div className="analytics">
        <header className="analytics-head">
          <h2 id={titleId}>
            <BarChart3 size={18} aria-hidden="true" /> {t('analyticsView.title')}
          </h2>
          <div role="tablist" aria-label={t('analyticsView.tabs.label')} className="analytics-tabs">
            {TABS.map((k, i) => (
              <button
                key={k}
                ref={(el) => {
                  tabs.current[i] = el;
                }}
                type="button"
                role="tab"
                id={`${titleId}-tab-${k}`}
                aria-selected={tab === k}
                aria-controls={`${titleId}-panel-${k}`}
                tabIndex={tab === k ? 0 : -1}
                className="analytics-tab"
                onClick={() => show(k)}
                onKeyDown={(e) => onTabKey(e, i)}
              >
                {t(`analyticsView.tabs.${k}`)}
              </button>
            ))}
          </div>
          <ImportArchive archive={archive} language={language} />
          <button
            type="button"
            className="icon analytics-close"
            aria-label={t('analyticsView.close')}
            title={t('analyticsView.close')}
            onClick={props.onClose}
          >
            <X size={18} aria-hidden="true" />
          </button>
        </header>
        {TABS.map((k) => (
          <div
            key={k}
            role="tabpanel"
            id={`${titleId}-panel-${k}`}
            aria-labelledby={`${titleId}-tab-${k}`}
            className="analytics-panel"
            hidden={tab !== k}
          >
            {!visited.has(k) ? null : k === 'hashtags' ? (
              // The monitored hashtags come from the columns' posts, not from the CM's own posts.
              <HashtagAnalyticsSlot zone={zone} language={language} />
            ) : index === null ? (
              loading
            ) : k === 'posts' ? (
              <PostsTab
                db={db}
                archive={archive}
                index={index}
                zone={zone}
                language={language}
                initialPostId={props.postId ?? null}
                {...(props.now ? { now: props.now } : {})}
              />
            ) : (
              <ProfileOverviewSlot index={index} archive={archive} zone={zone} language={language} />
            )}
          </div>
        ))}
      </div>
    </dialog>
  );
}
