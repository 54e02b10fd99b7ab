// One post's details in the analytics view (issue 9, "A post's detail: its metric history as a
// chart"): its text, where it is, every count (unknown ones said), its engagement rate with the
// formula and what it could not count, the curve of its counts over time (PostHistory, loaded on
// demand, with its history to CSV and PNG). A region named by the post; focus moves to its heading when it
// opens, Escape or Close gives it back to the row it was opened from.
import { ExternalLink, X } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { METRIC_NAMES } from '../../../shared/analytics';
import { NETWORK_NAMES } from '../../../shared/model';
import type { AnalyticsArchive, ArchivedPost } from '../../analytics/archive-store';
import type { AnalyticsRow } from '../../analytics/query';
import { decodeSeries } from '../../analytics/series-codec';
import { PostHistorySlot } from './charts';
import { formatDateTime } from './dates';
import { rateWords, sourcesOf } from './engagement-words';
import { CountCell } from './PostsTable';

export function PostDetail(props: {
  archive: AnalyticsArchive;
  /** The post's row in the index; null when the index does not hold it (yet). */
  row: AnalyticsRow | null;
  postId: string;
  zone: string;
  language: string;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const { archive, row, postId, zone, language } = props;
  const [post, setPost] = useState<ArchivedPost | null | undefined>(undefined);
  const heading = useRef<HTMLHeadingElement>(null);
  const headingId = useId();
  useEffect(() => {
    let live = true;
    void archive.posts([postId]).then(([p]) => live && setPost(p ?? null));
    return () => {
      live = false;
    };
  }, [archive, postId, row?.engagement.rate, row?.latest]);
  useEffect(() => heading.current?.focus(), []);

  const numbers = new Intl.NumberFormat(language);
  const sources = post?.series ? sourcesOf(decodeSeries(post.series)) : null;
  const words = row ? rateWords(t, language, row, sources) : null;

  return (
    <section
      className="analytics-detail"
      aria-labelledby={headingId}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          // Escape closes the details first, the whole view next time.
          e.preventDefault();
          e.stopPropagation();
          props.onClose();
        }
      }}
    >
      <header className="analytics-detail-head">
        <h3 id={headingId} ref={heading} tabIndex={-1}>
          {row
            ? t('analyticsView.detail.title', {
                handle: row.handle,
                date: formatDateTime(row.createdAt, language, zone, 'full'),
              })
            : t('analyticsView.detail.titleUnknown')}
        </h3>
        <button
          type="button"
          className="icon"
          aria-label={t('analyticsView.detail.close')}
          title={t('analyticsView.detail.close')}
          onClick={props.onClose}
        >
          <X size={16} aria-hidden="true" />
        </button>
      </header>
      {row && (
        <p className="analytics-detail-meta">
          <span dir="ltr">@{row.handle}</span> · {NETWORK_NAMES[row.network]}
          {row.isReply ? ` · ${t('analyticsView.detail.reply')}` : ''}
          {row.isQuote ? ` · ${t('analyticsView.detail.quote')}` : ''}
          {row.hasMedia ? ` · ${t('analyticsView.detail.media')}` : ''}
        </p>
      )}
      <p className="analytics-detail-text" dir="auto">
        {post === undefined ? t('analyticsView.table.loadingText') : post?.text || t('analyticsView.table.noText')}
      </p>
      {post?.goneAt != null && (
        <p className="analytics-detail-gone">
          {t('analyticsView.detail.gone', {
            network: NETWORK_NAMES[post.network],
            date: formatDateTime(post.goneAt, language, zone, 'full'),
          })}
        </p>
      )}
      {post?.url && post.goneAt == null && (
        <p>
          <a href={post.url} target="_blank" rel="noreferrer">
            <ExternalLink size={14} aria-hidden="true" />{' '}
            {t('analyticsView.detail.open', { network: NETWORK_NAMES[post.network] })}
          </a>
        </p>
      )}
      {row && words && (
        <>
          <p className="analytics-detail-rate">
            {words.rate !== null ? (
              <strong>{t('analyticsView.rate.short', { rate: words.rate })}</strong>
            ) : (
              <strong>{t('analyticsView.rate.none')}</strong>
            )}{' '}
            · {words.formula}
            {words.notes.map((n) => ` · ${n}`).join('')}
          </p>
          <dl className="analytics-detail-counts">
            {METRIC_NAMES.map((m) => (
              <div key={m}>
                <dt>{t(`analyticsView.metricTitle.${m}`)}</dt>
                <dd>
                  <CountCell value={row.latest[m]} numbers={numbers} t={t} />
                </dd>
              </div>
            ))}
          </dl>
          {post?.latestAt != null && (
            <p className="small muted">
              {t('analyticsView.detail.countsAt', {
                date: formatDateTime(post.latestAt, language, zone),
                sources: (sources ?? []).map((s) => t(`analyticsView.source.${s}`)).join(', '),
              })}
            </p>
          )}
        </>
      )}
      <div className="analytics-detail-chart">
        <PostHistorySlot archive={archive} postId={postId} zone={zone} language={language} />
      </div>
    </section>
  );
}
