// A profile's overview (issue 9): for one of the CM's profiles, or all, over a period (the last 28
// or 90 days, a year, everything, or dates she picks): how many posts, their average engagement
// rate with the formula beside it, likes and reposts per post by week or month (a chart), the
// best hours and days to post from her own history (a heatmap, a table, the best cells in
// words), and the top posts by engagement rate and by reposts. What is partial is said: posts
// without a rate are counted apart, per network, with the reason.
import { useContext, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ENGAGEMENT_PARTS, type EngagementFormula } from '../../../shared/engagement';
import { NETWORK_NAMES, NETWORKS, type NetworkId } from '../../../shared/model';
import { zonedToInstant } from '../../../shared/schedule/zoned-time';
import { AnalyticsArchive } from '../../analytics/archive-store';
import type { AnalyticsFilter, AnalyticsIndex, AnalyticsRow, PeriodStats, TimeCell } from '../../analytics/query';
import { ServicesContext } from '../context';
import {
  MIN_RATED_FOR_BEST,
  SERIES_COLORS,
  bestCells,
  heatLevels,
  hourSpan,
  periodsCsv,
  totalsOf,
  type ChartSpec,
} from './chart-data';
import { formatDate, formatDateTime, formatMonth, weekdayNames } from './dates';
import { shownNumber } from './engagement-words';
import { TimeChart } from './TimeChart';

export interface ProfileOverviewProps {
  index: AnalyticsIndex;
  /** IANA zone periods, days and hours are cut in (the CM's). */
  zone: string;
  language: string;
  /**
   * Where the top posts' texts are read (default: the archive on the app's database, when the
   * app's services are there; without either, posts are listed without their text).
   */
  archive?: AnalyticsArchive;
  /** Opens a post's detail (its history); without it the top posts have no "History" button. */
  onOpenPost?: (postId: string) => void;
}

export type RangeChoice = '28d' | '90d' | '365d' | 'all' | 'custom';
const RANGES: readonly RangeChoice[] = ['28d', '90d', '365d', 'all', 'custom'];
const DAYS: Record<'28d' | '90d' | '365d', number> = { '28d': 28, '90d': 90, '365d': 365 };
const DAY = 86_400_000;
const TOP = 5;
const EXCERPT = 140;

/** The next calendar day of "2026-11-30" ("2026-12-01"). */
const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);

/**
 * The date bounds of a range choice: the last N days up to `now`, everything, or from the first
 * day's midnight in `zone` to the end of the last day (both days included). Null for a custom
 * range that is incomplete or ends before it starts.
 */
export function rangeBounds(
  choice: RangeChoice,
  now: number,
  zone: string,
  custom: { from: string; to: string },
): Pick<AnalyticsFilter, 'from' | 'to'> | null {
  if (choice === 'all') return {};
  if (choice !== 'custom') return { from: now - DAYS[choice] * DAY };
  const valid = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d);
  if (!valid(custom.from) || !valid(custom.to) || custom.to < custom.from) return null;
  return {
    from: zonedToInstant(`${custom.from}T00:00`, zone).at,
    to: zonedToInstant(`${nextDay(custom.to)}T00:00`, zone).at,
  };
}

/** Posts without an engagement rate, on one network. */
interface Unrated {
  network: NetworkId;
  posts: number;
}

export function ProfileOverview(props: ProfileOverviewProps) {
  const { index, zone, language } = props;
  const { t } = useTranslation();
  const services = useContext(ServicesContext);
  const archive = useMemo(
    () => props.archive ?? (services ? new AnalyticsArchive(services.db) : null),
    [props.archive, services],
  );
  const [version, setVersion] = useState(index.version);
  const [now, setNow] = useState(() => Date.now());
  useEffect(
    () =>
      index.subscribe(() => {
        setVersion(index.version);
        setNow(Date.now());
      }),
    [index],
  );
  const [profileId, setProfileId] = useState('');
  const [range, setRange] = useState<RangeChoice>('90d');
  const [custom, setCustom] = useState({ from: '', to: '' });
  const [by, setBy] = useState<'week' | 'month'>('week');
  const ids = { profile: useId(), range: useId(), from: useId(), to: useId(), by: useId(), heading: useId() };

  const profiles = useMemo(() => index.profiles(), [index, version]);
  const bounds = rangeBounds(range, now, zone, custom);
  const filterKey = JSON.stringify([profileId, bounds]);
  const filter = useMemo(
    (): AnalyticsFilter | null => (bounds ? { ...(profileId ? { profiles: [profileId] } : {}), ...bounds } : null),
    [filterKey],
  );

  const figures = useMemo(() => {
    if (!filter) return null;
    const periods = index.periods(filter, { period: by, zone });
    const totals = totalsOf(periods);
    const unrated: Unrated[] = [];
    const networks: NetworkId[] = [];
    for (const network of NETWORKS) {
      const f = { ...filter, networks: [network] };
      const posts = index.count(f);
      if (posts === 0) continue;
      networks.push(network);
      // A rate bound leaves out the posts without a rate (AnalyticsFilter.rate); rates are never negative.
      const rated = index.count({ ...f, rate: { min: 0 } });
      if (posts > rated) unrated.push({ network, posts: posts - rated });
    }
    const rows = (key: 'rate' | 'reposts') => Array.from(index.top(filter, key, TOP), (r) => index.row(r));
    return {
      periods,
      totals,
      unrated,
      networks,
      byRate: rows('rate').filter((r) => r.engagement.rate !== null),
      byReposts: rows('reposts').filter((r) => r.latest.reposts !== null),
      cells: index.bestTimes(filter, zone),
    };
  }, [index, version, filter, by, zone]);

  const numbers = useMemo(() => new Intl.NumberFormat(language, { maximumFractionDigits: 1 }), [language]);
  const percent = useMemo(
    () => new Intl.NumberFormat(language, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 2 }),
    [language],
  );

  return (
    <section className="profile-overview" aria-labelledby={ids.heading}>
      <h2 id={ids.heading} className="analytics-heading">
        {t('analyticsCharts.overview.title')}
      </h2>
      <div className="analytics-controls">
        <label className="field" htmlFor={ids.profile}>
          <span>{t('analyticsCharts.overview.profile')}</span>
          <select id={ids.profile} value={profileId} onChange={(e) => setProfileId(e.target.value)}>
            <option value="">{t('analyticsCharts.overview.allProfiles')}</option>
            {profiles.map((p) => (
              <option key={p.profileId} value={p.profileId}>
                {p.handle ? `@${p.handle}` : p.profileId} ({NETWORK_NAMES[p.network]})
              </option>
            ))}
          </select>
        </label>
        <label className="field" htmlFor={ids.range}>
          <span>{t('analyticsCharts.overview.period')}</span>
          <select
            id={ids.range}
            value={range}
            onChange={(e) => {
              setRange(e.target.value as RangeChoice);
              setNow(Date.now());
            }}
          >
            {RANGES.map((r) => (
              <option key={r} value={r}>
                {t(`analyticsCharts.overview.ranges.${r}`)}
              </option>
            ))}
          </select>
        </label>
        {range === 'custom' && (
          <>
            <label className="field" htmlFor={ids.from}>
              <span>{t('analyticsCharts.overview.from')}</span>
              <input
                id={ids.from}
                type="date"
                value={custom.from}
                onChange={(e) => setCustom((c) => ({ ...c, from: e.target.value }))}
              />
            </label>
            <label className="field" htmlFor={ids.to}>
              <span>{t('analyticsCharts.overview.to')}</span>
              <input
                id={ids.to}
                type="date"
                value={custom.to}
                onChange={(e) => setCustom((c) => ({ ...c, to: e.target.value }))}
              />
            </label>
          </>
        )}
        <label className="field" htmlFor={ids.by}>
          <span>{t('analyticsCharts.overview.by')}</span>
          <select id={ids.by} value={by} onChange={(e) => setBy(e.target.value === 'month' ? 'month' : 'week')}>
            <option value="week">{t('analyticsCharts.overview.byWeek')}</option>
            <option value="month">{t('analyticsCharts.overview.byMonth')}</option>
          </select>
        </label>
      </div>
      {!filter || !figures ? (
        <p className="form-error">{t('analyticsCharts.overview.customNeeded')}</p>
      ) : figures.totals.posts === 0 ? (
        <p>{t('analyticsCharts.overview.noPosts')}</p>
      ) : (
        <>
          <Figures
            totals={figures.totals}
            unrated={figures.unrated}
            networks={figures.networks}
            numbers={numbers}
            percent={percent}
          />
          <PeriodChart
            periods={figures.periods}
            by={by}
            zone={zone}
            language={language}
            numbers={numbers}
            percent={percent}
            fileParts={['overview', profiles.find((p) => p.profileId === profileId)?.handle ?? 'all', range, by]}
          />
          <BestTimes cells={figures.cells} zone={zone} language={language} percent={percent} />
          <div className="analytics-columns">
            <TopPosts
              title={t('analyticsCharts.overview.topByRate')}
              rows={figures.byRate}
              archive={archive}
              value={(r) => percent.format(r.engagement.rate!)}
              zone={zone}
              language={language}
              onOpenPost={props.onOpenPost}
            />
            <TopPosts
              title={t('analyticsCharts.overview.topByReposts')}
              rows={figures.byReposts}
              archive={archive}
              value={(r) => t('analyticsCharts.overview.reposts', { count: r.latest.reposts ?? 0 })}
              zone={zone}
              language={language}
              onOpenPost={props.onOpenPost}
            />
          </div>
        </>
      )}
    </section>
  );
}

/** The engagement formula in words: its parts added, over its denominator. */
function useFormulaText(): (formula: EngagementFormula) => string {
  const { t } = useTranslation();
  return (formula) =>
    t(`analyticsCharts.overview.formula.${formula}`, {
      parts: ENGAGEMENT_PARTS[formula].map((m) => t(`analyticsCharts.metrics.${m}`).toLocaleLowerCase()).join(' + '),
    });
}

function Figures(props: {
  totals: ReturnType<typeof totalsOf>;
  unrated: Unrated[];
  networks: NetworkId[];
  numbers: Intl.NumberFormat;
  percent: Intl.NumberFormat;
}) {
  const { t } = useTranslation();
  const formulaText = useFormulaText();
  const { totals, numbers, percent } = props;
  // The formulas that apply: those the rated posts used, else those of the networks shown.
  const formulas: EngagementFormula[] = totals.formulas.length
    ? totals.formulas
    : (['impressions', 'followers'] as const).filter((f) =>
        props.networks.some((n) => (n === 'x' ? f === 'impressions' : f === 'followers')),
      );
  return (
    <>
      <dl className="analytics-figures">
        <div>
          <dt>{t('analyticsCharts.overview.posts')}</dt>
          <dd>{numbers.format(totals.posts)}</dd>
        </div>
        {totals.byFormula.impressions && totals.byFormula.followers ? (
          // Rates per impression and per follower are not comparable: one figure each, never their mean.
          (['impressions', 'followers'] as const).map((f) => (
            <div key={f}>
              <dt>{t(`analyticsCharts.overview.averageRateBy.${f}`)}</dt>
              <dd>
                {percent.format(totals.byFormula[f]!.averageRate)}
                <span className="small muted">
                  {' '}
                  {t('analyticsCharts.overview.ratedPosts', { count: totals.byFormula[f]!.rated })}
                </span>
              </dd>
            </div>
          ))
        ) : (
          <div>
            <dt>{t('analyticsCharts.overview.averageRate')}</dt>
            <dd>
              {totals.averageRate === null ? '—' : percent.format(totals.averageRate)}
              <span className="small muted"> {t('analyticsCharts.overview.ratedPosts', { count: totals.rated })}</span>
            </dd>
          </div>
        )}
        <div>
          <dt>{t('analyticsCharts.overview.likesPerPost')}</dt>
          <dd>
            {totals.likesPerPost === null ? '—' : numbers.format(totals.likesPerPost)}
            {totals.likesKnown < totals.posts && (
              <span className="small muted">
                {' '}
                {t('analyticsCharts.overview.knownFor', {
                  known: numbers.format(totals.likesKnown),
                  count: totals.posts,
                })}
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('analyticsCharts.overview.repostsPerPost')}</dt>
          <dd>
            {totals.repostsPerPost === null ? '—' : numbers.format(totals.repostsPerPost)}
            {totals.repostsKnown < totals.posts && (
              <span className="small muted">
                {' '}
                {t('analyticsCharts.overview.knownFor', {
                  known: numbers.format(totals.repostsKnown),
                  count: totals.posts,
                })}
              </span>
            )}
          </dd>
        </div>
      </dl>
      <ul className="small muted analytics-formulas" aria-label={t('analyticsCharts.overview.formulas')}>
        {formulas.map((f) => (
          <li key={f}>{formulaText(f)}</li>
        ))}
      </ul>
      {props.unrated.length > 0 && (
        <div className="analytics-partial small" role="note">
          <p>{t('analyticsCharts.overview.unratedLead')}</p>
          <ul>
            {props.unrated.map((u) => (
              <li key={u.network}>
                {t(
                  u.network === 'x' ? 'analyticsCharts.overview.unratedX' : 'analyticsCharts.overview.unratedFollowers',
                  {
                    count: u.posts,
                    n: numbers.format(u.posts),
                    network: NETWORK_NAMES[u.network],
                  },
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

function PeriodChart(props: {
  periods: PeriodStats[];
  by: 'week' | 'month';
  zone: string;
  language: string;
  numbers: Intl.NumberFormat;
  percent: Intl.NumberFormat;
  fileParts: string[];
}) {
  const { t } = useTranslation();
  const { periods, by, zone, language, numbers, percent } = props;
  const spec = useMemo(
    (): ChartSpec => ({
      x: periods.map((p) => p.start),
      period: by,
      leftLabel: t('analyticsCharts.overview.perPostAxis'),
      lines: [
        {
          key: 'likesPerPost',
          label: t('analyticsCharts.overview.likesPerPost'),
          color: SERIES_COLORS.likes,
          values: periods.map((p) => p.likesPerPost),
          axis: 'left',
        },
        {
          key: 'repostsPerPost',
          label: t('analyticsCharts.overview.repostsPerPost'),
          color: SERIES_COLORS.reposts,
          values: periods.map((p) => p.repostsPerPost),
          axis: 'left',
        },
      ],
    }),
    [periods, by, t],
  );
  const formatValue = useMemo(() => (v: number) => numbers.format(v), [numbers]);
  const periodName = (p: PeriodStats) =>
    by === 'week'
      ? t('analyticsCharts.overview.weekOf', { date: formatDate(p.start, language, zone) })
      : formatMonth(p.start, language, zone);
  const best = periods.reduce<PeriodStats | null>(
    (b, p) => (p.repostsPerPost !== null && (!b || p.repostsPerPost > b.repostsPerPost!) ? p : b),
    null,
  );
  const title = t(by === 'week' ? 'analyticsCharts.overview.chartByWeek' : 'analyticsCharts.overview.chartByMonth');
  return (
    <TimeChart
      spec={spec}
      title={title}
      zone={zone}
      language={language}
      formatValue={formatValue}
      fileParts={props.fileParts}
      description={
        <p>
          {t(by === 'week' ? 'analyticsCharts.overview.chartWeeks' : 'analyticsCharts.overview.chartMonths', {
            count: periods.length,
            from: formatDate(periods[0]!.start, language, zone),
            to: formatDate(periods[periods.length - 1]!.start, language, zone),
          })}{' '}
          {best &&
            t(
              best.likesPerPost === null
                ? 'analyticsCharts.overview.bestPeriodNoLikes'
                : 'analyticsCharts.overview.bestPeriod',
              {
                period: periodName(best),
                reposts: t('analyticsCharts.counts.reposts', {
                  count: shownNumber(best.repostsPerPost!),
                  n: numbers.format(best.repostsPerPost!),
                }),
                likes:
                  best.likesPerPost === null
                    ? ''
                    : t('analyticsCharts.counts.likes', {
                        count: shownNumber(best.likesPerPost),
                        n: numbers.format(best.likesPerPost),
                      }),
              },
            )}
        </p>
      }
      csv={{ label: t('analyticsCharts.exportCsv'), text: () => periodsCsv(periods, zone) }}
      table={
        <table className="chart-data">
          <thead>
            <tr>
              <th scope="col">
                {t(by === 'week' ? 'analyticsCharts.overview.week' : 'analyticsCharts.overview.month')}
              </th>
              <th scope="col">{t('analyticsCharts.overview.posts')}</th>
              <th scope="col">{t('analyticsCharts.overview.averageRate')}</th>
              <th scope="col">{t('analyticsCharts.overview.likesPerPost')}</th>
              <th scope="col">{t('analyticsCharts.overview.repostsPerPost')}</th>
            </tr>
          </thead>
          <tbody>
            {periods.map((p) => (
              <tr key={p.label}>
                <th scope="row">{periodName(p)}</th>
                <td>{numbers.format(p.posts)}</td>
                <td>
                  {p.averageRate === null ? '—' : percent.format(p.averageRate)}
                  {p.rated < p.posts && p.averageRate !== null && (
                    <span className="muted"> ({t('analyticsCharts.overview.ratedPosts', { count: p.rated })})</span>
                  )}
                </td>
                <td>{p.likesPerPost === null ? '—' : numbers.format(p.likesPerPost)}</td>
                <td>{p.repostsPerPost === null ? '—' : numbers.format(p.repostsPerPost)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

/**
 * Best hours and days to post: a 7 × 24 table (weekdays by hours of posting in the CM's zone),
 * each cell shaded by its mean engagement rate and saying it (with its posts) to screen readers
 * and on hover; the best cells in words above it.
 */
export function BestTimes(props: { cells: TimeCell[]; zone: string; language: string; percent: Intl.NumberFormat }) {
  const { t } = useTranslation();
  const { cells, zone, language, percent } = props;
  const headingId = useId();
  const days = weekdayNames(language);
  const shortDays = weekdayNames(language, 'short');
  const levels = heatLevels(cells);
  const best = bestCells(cells);
  const rated = cells.reduce((n, c) => n + c.rated, 0);
  const cellText = (c: TimeCell) =>
    c.posts === 0
      ? t('analyticsCharts.bestTimes.noPost')
      : c.averageRate === null
        ? t('analyticsCharts.bestTimes.unratedCell', { count: c.posts })
        : t('analyticsCharts.bestTimes.cell', { rate: percent.format(c.averageRate), count: c.posts });
  return (
    <section className="best-times" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('analyticsCharts.bestTimes.title')}</h3>
      <p>
        {rated === 0
          ? t('analyticsCharts.bestTimes.noRated')
          : best.length === 0
            ? t('analyticsCharts.bestTimes.tooFew', { min: MIN_RATED_FOR_BEST })
            : t('analyticsCharts.bestTimes.best', {
                cells: best
                  .map((c) =>
                    t('analyticsCharts.bestTimes.bestCell', {
                      day: days[c.weekday - 1],
                      hours: hourSpan(c.hour),
                      rate: percent.format(c.averageRate!),
                      count: c.rated,
                    }),
                  )
                  .join(t('analyticsCharts.bestTimes.separator')),
                zone,
              })}
      </p>
      <div className="heatmap-scroll">
        <table className="heatmap">
          <caption className="small muted">{t('analyticsCharts.bestTimes.caption', { zone })}</caption>
          <thead>
            <tr>
              <td />
              {Array.from({ length: 24 }, (_, h) => (
                <th key={h} scope="col" abbr={hourSpan(h)}>
                  {String(h).padStart(2, '0')}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {days.map((day, d) => (
              <tr key={day}>
                <th scope="row" abbr={day}>
                  {shortDays[d]}
                </th>
                {cells.slice(d * 24, d * 24 + 24).map((c, h) => (
                  <td
                    key={h}
                    className={`heat heat-${levels[d * 24 + h]}${best.includes(c) ? ' heat-best' : ''}`}
                    title={`${day} ${hourSpan(h)}: ${cellText(c)}`}
                  >
                    <span className="visually-hidden">{cellText(c)}</span>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="small muted heat-legend" aria-hidden="true">
        <span>{t('analyticsCharts.bestTimes.lower')}</span>
        {[0, 1, 2, 3, 4].map((l) => (
          <span key={l} className={`heat heat-${l} heat-swatch`} />
        ))}
        <span>{t('analyticsCharts.bestTimes.higher')}</span>
      </p>
    </section>
  );
}

/** A top list: each post's time, author, text (when the archive gives it) and the figure ranked by. */
function TopPosts(props: {
  title: string;
  rows: AnalyticsRow[];
  archive: AnalyticsArchive | null;
  value: (row: AnalyticsRow) => string;
  zone: string;
  language: string;
  onOpenPost: ((postId: string) => void) | undefined;
}) {
  const { t } = useTranslation();
  const { rows, archive, zone, language } = props;
  const headingId = useId();
  const [texts, setTexts] = useState<Map<string, string>>(new Map());
  const idsKey = rows.map((r) => r.id).join('\n');
  useEffect(() => {
    if (!archive || idsKey === '') return;
    let live = true;
    const ids = idsKey.split('\n');
    archive.posts(ids).then(
      (posts) => live && setTexts(new Map(posts.flatMap((p) => (p ? [[p.id, p.text] as const] : [])))),
      () => undefined, // The list stands without texts.
    );
    return () => {
      live = false;
    };
  }, [archive, idsKey]);
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>{props.title}</h3>
      {rows.length === 0 ? (
        <p className="muted">{t('analyticsCharts.overview.noTop')}</p>
      ) : (
        <ol className="top-posts">
          {rows.map((r) => {
            const text = texts.get(r.id);
            return (
              <li key={r.id}>
                <div className="small muted">
                  {formatDateTime(r.createdAt, language, zone)} · @{r.handle} · {NETWORK_NAMES[r.network]}
                </div>
                {text !== undefined && (
                  <div className="top-post-text">{text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text}</div>
                )}
                <div className="top-post-figure">
                  <strong>{props.value(r)}</strong>
                  {props.onOpenPost && (
                    <button type="button" className="small" onClick={() => props.onOpenPost!(r.id)}>
                      {t('analyticsCharts.overview.history')}
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
