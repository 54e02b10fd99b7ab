// A post's metric history (issue 9, "a post's detail: the curve of likes and reposts over time"):
// every observation the archive holds, as a chart in the CM's zone (likes, reposts, replies and
// quotes on the left axis; impressions, where the network gives them, dashed on the right), the
// first and last values in words, the observations as a table, a PNG and the whole series as CSV.
// It follows the archive: a new observation of the post redraws it.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalyticsArchive } from '../../analytics/archive-store';
import type { SeriesPoint } from '../../analytics/series-codec';
import {
  HISTORY_COUNTS,
  SERIES_COLORS,
  SOURCE_KEYS,
  historyChanges,
  historyCsv,
  historyShape,
  type ChartSpec,
  type HistoryShape,
} from './chart-data';
import { formatDateTime } from './dates';
import { TimeChart } from './TimeChart';

type Loaded = { status: 'loading' } | { status: 'ready'; points: SeriesPoint[] } | { status: 'failed'; reason: string };

export interface PostHistoryProps {
  archive: AnalyticsArchive;
  /** `Post.id` of one of the CM's own posts. */
  postId: string;
  /** IANA zone the times are shown in (the CM's). */
  zone: string;
  /** The UI's language. */
  language: string;
}

export function PostHistory(props: PostHistoryProps) {
  const { archive, postId, zone, language } = props;
  const { t } = useTranslation();
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });

  useEffect(() => {
    let live = true;
    setLoaded({ status: 'loading' });
    const load = () =>
      archive.series(postId).then(
        (points) => live && setLoaded({ status: 'ready', points }),
        (err: unknown) =>
          live && setLoaded({ status: 'failed', reason: err instanceof Error ? err.message : String(err) }),
      );
    void load();
    const stop = archive.subscribe((change) => {
      if (change.posts.some((p) => p.id === postId)) void load();
    });
    return () => {
      live = false;
      stop();
    };
  }, [archive, postId]);

  const points = loaded.status === 'ready' ? loaded.points : null;
  const shape = useMemo(() => (points ? historyShape(points) : null), [points]);
  const numbers = useMemo(() => new Intl.NumberFormat(language), [language]);
  const formatValue = useMemo(() => (v: number) => numbers.format(v), [numbers]);
  const spec = useMemo((): ChartSpec | null => {
    if (!shape) return null;
    return {
      x: shape.x,
      // Counts: no tick between whole numbers (a post with 0 or 1 like has no "0.2").
      wholeNumbers: true,
      leftLabel: t('analyticsCharts.history.countsAxis'),
      rightLabel: t('analyticsCharts.metrics.impressions'),
      lines: shape.known.map((metric) => ({
        key: metric,
        label: t(`analyticsCharts.metrics.${metric}`),
        color: SERIES_COLORS[metric],
        values: shape.values[metric],
        axis: metric === 'impressions' ? 'right' : 'left',
        dashed: metric === 'impressions',
      })),
    };
  }, [shape, t]);

  if (loaded.status === 'loading') return <p className="muted">{t('analyticsCharts.history.loading')}</p>;
  if (loaded.status === 'failed')
    return (
      <p role="alert" className="form-error">
        {t('analyticsCharts.history.failed', { reason: loaded.reason })}
      </p>
    );
  if (!shape || !spec || !points || shape.x.length === 0)
    return <p className="muted">{t('analyticsCharts.history.empty')}</p>;

  const first = shape.x[0]!;
  const last = shape.x[shape.x.length - 1]!;
  const description = (
    <>
      <p>
        {t('analyticsCharts.history.summary', {
          count: points.length,
          from: formatDateTime(first, language, zone),
          to: formatDateTime(last, language, zone),
          zone,
        })}
      </p>
      <ul className="chart-changes">
        {historyChanges(shape).map((c) => (
          <li key={c.metric}>
            {c.firstAt === c.lastAt
              ? t('analyticsCharts.history.value', {
                  metric: t(`analyticsCharts.metrics.${c.metric}`),
                  value: numbers.format(c.last),
                })
              : c.first === c.last
                ? t('analyticsCharts.history.same', {
                    metric: t(`analyticsCharts.metrics.${c.metric}`),
                    value: numbers.format(c.last),
                  })
                : t('analyticsCharts.history.change', {
                    metric: t(`analyticsCharts.metrics.${c.metric}`),
                    first: numbers.format(c.first),
                    last: numbers.format(c.last),
                  })}
          </li>
        ))}
      </ul>
      {shape.unknown.length > 0 && (
        <p className="muted">
          {t('analyticsCharts.history.unknown', {
            metrics: shape.unknown.map((m) => t(`analyticsCharts.metrics.${m}`)).join(', '),
          })}
        </p>
      )}
    </>
  );

  return (
    <TimeChart
      spec={spec}
      title={t('analyticsCharts.history.title')}
      description={description}
      zone={zone}
      language={language}
      formatValue={formatValue}
      fileParts={['post-history', postId]}
      csv={{ label: t('analyticsCharts.exportSeriesCsv'), text: () => historyCsv(postId, points, zone) }}
      table={<HistoryTable points={points} shape={shape} zone={zone} language={language} numbers={numbers} />}
    />
  );
}

/** Every observation with its time, source and the counts the chart draws. */
function HistoryTable(props: {
  points: SeriesPoint[];
  shape: HistoryShape;
  zone: string;
  language: string;
  numbers: Intl.NumberFormat;
}) {
  const { t } = useTranslation();
  const { points, shape, zone, language, numbers } = props;
  // Counts never known get no column (the summary names them).
  const metrics = shape.known.length ? shape.known : HISTORY_COUNTS;
  return (
    <table className="chart-data">
      <caption className="visually-hidden">{t('analyticsCharts.history.tableCaption', { zone })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('analyticsCharts.history.time')}</th>
          <th scope="col">{t('analyticsCharts.history.source')}</th>
          {metrics.map((m) => (
            <th scope="col" key={m}>
              {t(`analyticsCharts.metrics.${m}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {points.map((p) => (
          <tr key={`${p.at}-${p.source}`}>
            <th scope="row">{formatDateTime(p.at, language, zone)}</th>
            <td>{t(`analyticsCharts.sources.${SOURCE_KEYS[p.source]}`)}</td>
            {metrics.map((m) => (
              <td key={m}>{p.values[m] === null ? '—' : numbers.format(p.values[m])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
