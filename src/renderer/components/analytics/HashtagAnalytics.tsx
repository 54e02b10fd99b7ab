// Hashtag analytics (issue 9): for each hashtag the deck monitors (Monitor and Hashtag columns),
// its volume over time, its top posts and its top contributors, from the posts those columns
// cached (../../analytics/hashtags.ts). It says what period that covers: only what the columns
// collected while the app ran, with the gaps they could not load.
import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NETWORK_NAMES } from '../../../shared/model';
import {
  hashtagStats,
  monitoredHashtags,
  readHashtagPosts,
  type HashtagPosts,
  type HashtagStats,
} from '../../analytics/hashtags';
import { useAppStore } from '../../state/store';
import { useServices } from '../context';
import { SERIES_COLORS, volumeCsv, type ChartSpec } from './chart-data';
import { formatDate, formatDateTime } from './dates';
import { TimeChart } from './TimeChart';

export interface HashtagAnalyticsProps {
  /** IANA zone days and weeks are cut in (the CM's). */
  zone: string;
  language: string;
}

/** Characters of a post's text shown in the top posts. */
const EXCERPT = 160;

export function HashtagAnalytics(props: HashtagAnalyticsProps) {
  const { zone, language } = props;
  const { t } = useTranslation();
  const { db } = useServices();
  const layout = useAppStore((s) => s.layout);
  const hashtags = useMemo(() => monitoredHashtags(layout), [layout]);
  const cached = useLiveQuery(() => readHashtagPosts(db, hashtags), [db, hashtags]);
  const [chosen, setChosen] = useState<string | null>(null);
  const [period, setPeriod] = useState<'day' | 'week'>('day');
  const numbers = useMemo(() => new Intl.NumberFormat(language), [language]);
  const headingId = useId();

  const current = cached?.find((h) => h.hashtag.key === chosen) ?? cached?.[0] ?? null;
  const stats = useMemo(
    () => (current ? hashtagStats(current.posts, { zone, period, top: 10, contributors: 10 }) : null),
    [current, zone, period],
  );

  return (
    <section className="hashtag-analytics" aria-labelledby={headingId}>
      <h2 id={headingId} className="analytics-heading">
        {t('analyticsCharts.hashtags.title')}
      </h2>
      <p className="small muted">{t('analyticsCharts.hashtags.scope')}</p>
      {hashtags.length === 0 ? (
        <p>{t('analyticsCharts.hashtags.none')}</p>
      ) : !cached ? (
        <p className="muted">{t('analyticsCharts.hashtags.loading')}</p>
      ) : (
        <>
          <HashtagOverview
            cached={cached}
            chosen={current?.hashtag.key ?? null}
            onChoose={setChosen}
            zone={zone}
            language={language}
            numbers={numbers}
          />
          {current && stats && (
            <HashtagDetail
              current={current}
              stats={stats}
              period={period}
              onPeriod={setPeriod}
              zone={zone}
              language={language}
              numbers={numbers}
            />
          )}
        </>
      )}
    </section>
  );
}

/** Every monitored hashtag in a row: what the cache holds of it; its button shows its details. */
function HashtagOverview(props: {
  cached: HashtagPosts[];
  chosen: string | null;
  onChoose: (key: string) => void;
  zone: string;
  language: string;
  numbers: Intl.NumberFormat;
}) {
  const { t } = useTranslation();
  const { cached, zone, language, numbers } = props;
  return (
    <table className="analytics-table">
      <caption className="visually-hidden">{t('analyticsCharts.hashtags.overviewCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('analyticsCharts.hashtags.hashtag')}</th>
          <th scope="col">{t('analyticsCharts.hashtags.postsCached')}</th>
          <th scope="col">{t('analyticsCharts.hashtags.covers')}</th>
        </tr>
      </thead>
      <tbody>
        {cached.map((h) => {
          // Newest first (readHashtagPosts).
          const to = h.posts.length ? Date.parse(h.posts[0]!.createdAt) : null;
          const from = h.posts.length ? Date.parse(h.posts[h.posts.length - 1]!.createdAt) : null;
          return (
            <tr key={h.hashtag.key}>
              <th scope="row">
                <button
                  type="button"
                  className="link-button"
                  aria-pressed={props.chosen === h.hashtag.key}
                  onClick={() => props.onChoose(h.hashtag.key)}
                >
                  #{h.hashtag.tag}
                </button>
              </th>
              <td>{numbers.format(h.posts.length)}</td>
              <td>
                {from === null || to === null
                  ? '—'
                  : formatDate(from, language, zone) === formatDate(to, language, zone)
                    ? formatDate(from, language, zone)
                    : t('analyticsCharts.hashtags.range', {
                        from: formatDate(from, language, zone),
                        to: formatDate(to, language, zone),
                      })}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function HashtagDetail(props: {
  current: HashtagPosts;
  stats: HashtagStats;
  period: 'day' | 'week';
  onPeriod: (period: 'day' | 'week') => void;
  zone: string;
  language: string;
  numbers: Intl.NumberFormat;
}) {
  const { t } = useTranslation();
  const { current, stats, period, zone, language, numbers } = props;
  const tag = `#${current.hashtag.tag}`;
  const headingId = useId();
  const spec = useMemo(
    (): ChartSpec => ({
      x: stats.volume.map((v) => v.start),
      period,
      leftLabel: t('analyticsCharts.hashtags.postsAxis'),
      wholeNumbers: true,
      lines: [
        {
          key: 'posts',
          label: t('analyticsCharts.hashtags.posts'),
          color: SERIES_COLORS.posts,
          values: stats.volume.map((v) => v.posts),
          axis: 'left',
          bars: true,
        },
      ],
    }),
    [stats, period, t],
  );
  const busiest = stats.volume.reduce<(typeof stats.volume)[number] | null>(
    (best, v) => (!best || v.posts > best.posts ? v : best),
    null,
  );
  const title = t(period === 'day' ? 'analyticsCharts.hashtags.volumeByDay' : 'analyticsCharts.hashtags.volumeByWeek', {
    tag,
  });

  return (
    <section className="hashtag-detail" aria-labelledby={headingId}>
      <h3 id={headingId}>{tag}</h3>
      {stats.from === null || stats.to === null ? (
        <p>{t('analyticsCharts.hashtags.noPosts', { tag })}</p>
      ) : (
        <>
          <p>
            {t('analyticsCharts.hashtags.coverage', {
              count: stats.posts,
              n: numbers.format(stats.posts),
              authors: t('analyticsCharts.counts.authors', { count: stats.authors, n: numbers.format(stats.authors) }),
              from: formatDateTime(stats.from, language, zone),
              to: formatDateTime(stats.to, language, zone),
              zone,
              networks: stats.networks.map((n) => NETWORK_NAMES[n]).join(', '),
            })}{' '}
            {current.gaps > 0 && t('analyticsCharts.hashtags.gaps', { count: current.gaps })}
          </p>
          <label className="field inline-field">
            <span>{t('analyticsCharts.hashtags.per')}</span>
            <select value={period} onChange={(e) => props.onPeriod(e.target.value === 'week' ? 'week' : 'day')}>
              <option value="day">{t('analyticsCharts.hashtags.perDay')}</option>
              <option value="week">{t('analyticsCharts.hashtags.perWeek')}</option>
            </select>
          </label>
          <TimeChart
            spec={spec}
            title={title}
            height={200}
            zone={zone}
            language={language}
            fileParts={['hashtag', current.hashtag.tag, period]}
            description={
              busiest
                ? stats.volume.length === 1
                  ? t(period === 'day' ? 'analyticsCharts.hashtags.onlyDay' : 'analyticsCharts.hashtags.onlyWeek', {
                      count: busiest.posts,
                      n: numbers.format(busiest.posts),
                      date: formatDate(busiest.start, language, zone),
                    })
                  : t(
                      period === 'day' ? 'analyticsCharts.hashtags.busiestDay' : 'analyticsCharts.hashtags.busiestWeek',
                      {
                        count: busiest.posts,
                        n: numbers.format(busiest.posts),
                        date: formatDate(busiest.start, language, zone),
                        span: t(period === 'day' ? 'analyticsCharts.counts.days' : 'analyticsCharts.counts.weeks', {
                          count: stats.volume.length,
                          n: numbers.format(stats.volume.length),
                        }),
                      },
                    )
                : ''
            }
            csv={{ label: t('analyticsCharts.exportCsv'), text: () => volumeCsv(stats.volume, zone) }}
            table={
              <table className="chart-data">
                <thead>
                  <tr>
                    <th scope="col">
                      {t(period === 'day' ? 'analyticsCharts.hashtags.day' : 'analyticsCharts.hashtags.weekOf')}
                    </th>
                    <th scope="col">{t('analyticsCharts.hashtags.posts')}</th>
                  </tr>
                </thead>
                <tbody>
                  {stats.volume.map((v) => (
                    <tr key={v.label}>
                      <th scope="row">{formatDate(v.start, language, zone)}</th>
                      <td>{numbers.format(v.posts)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            }
          />
          <div className="analytics-columns">
            <section aria-labelledby={`${headingId}-top`}>
              <h4 id={`${headingId}-top`}>{t('analyticsCharts.hashtags.topPosts')}</h4>
              <ol className="top-posts">
                {stats.top.map((p) => (
                  <li key={p.id}>
                    <div className="small muted">
                      @{p.author.handle} · {formatDateTime(Date.parse(p.createdAt), language, zone)} ·{' '}
                      {NETWORK_NAMES[p.network]}
                    </div>
                    <div className="top-post-text">
                      {p.text.length > EXCERPT ? `${p.text.slice(0, EXCERPT)}…` : p.text || t('alerts.noText')}
                    </div>
                    <div className="small">
                      {t('analyticsCharts.hashtags.engagement', {
                        likes: t('analyticsCharts.counts.likes', {
                          count: p.metrics.likes,
                          n: numbers.format(p.metrics.likes),
                        }),
                        reposts: t('analyticsCharts.counts.reposts', {
                          count: p.metrics.reposts,
                          n: numbers.format(p.metrics.reposts),
                        }),
                      })}
                    </div>
                  </li>
                ))}
              </ol>
            </section>
            <section aria-labelledby={`${headingId}-authors`}>
              <h4 id={`${headingId}-authors`}>{t('analyticsCharts.hashtags.topContributors')}</h4>
              <table className="analytics-table" aria-labelledby={`${headingId}-authors`}>
                <thead>
                  <tr>
                    <th scope="col">{t('analyticsCharts.hashtags.author')}</th>
                    <th scope="col">{t('analyticsCharts.hashtags.posts')}</th>
                    <th scope="col">{t('analyticsCharts.hashtags.likesReposts')}</th>
                  </tr>
                </thead>
                <tbody>
                  {stats.contributors.map((c) => (
                    <tr key={c.author.id}>
                      <th scope="row">
                        {c.author.displayName && c.author.displayName !== c.author.handle && (
                          <span>{c.author.displayName} </span>
                        )}
                        <span className="muted">@{c.author.handle}</span>
                      </th>
                      <td>{numbers.format(c.posts)}</td>
                      <td>{numbers.format(c.engagement)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
        </>
      )}
    </section>
  );
}
