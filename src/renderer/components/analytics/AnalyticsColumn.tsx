// An Analytics column's body (column kind `analytics`, issue 9): the CM's own posts of the last
// 30 days with the best engagement rates (or her latest posts), across her profiles and networks,
// each with its rate and formula, and "Open analytics" for the full view. Like the other columns'
// posts, a feed of articles (https://www.w3.org/WAI/ARIA/apg/patterns/feed/): Page Down / Page Up
// move between them, Enter on one opens its details in the full view. The list is short (at most
// POSTS), so it is not virtualized. The index is the renderer's shared one (analytics-services.ts).
import { BarChart3 } from 'lucide-react';
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { NETWORK_NAMES, NETWORKS, type NetworkId } from '../../../shared/model';
import type { ColonnadeDb } from '../../db/database';
import { archiveOf, type ArchivedPost } from '../../analytics/archive-store';
import type { AnalyticsIndex } from '../../analytics/query';
import { decodeSeries } from '../../analytics/series-codec';
import { useAnalyticsIndex } from './analytics-services';
import { openAnalytics } from './analytics-window';
import { systemZone } from '../outbox-time';
import { dateTimeFormat } from './dates';
import { rateWords, sourcesOf } from './engagement-words';
import './analytics.css';

/** Posts the column lists. */
export const POSTS = 30;
/** How far back "top" looks (ms). */
export const TOP_WINDOW_MS = 30 * 24 * 60 * 60_000;

/**
 * What the column lists: the best rates of one formula (rates of different formulas do not rank
 * together: an X post's engagements / impressions is a few percent where a Mastodon post's
 * interactions / followers may be tens), or the latest posts.
 */
type Mode = 'top-impressions' | 'top-followers' | 'latest';

/** Networks whose rate divides by followers (src/shared/engagement.ts): every one but X. */
const FOLLOWER_NETWORKS = NETWORKS.filter((n) => n !== 'x');

/** A post's first words, for a button's name ("Details: Launch day in…"). */
const shortText = (text: string) => {
  const chars = [...text.trim()];
  return chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : chars.join('');
};

/** The rows the column lists: rated posts of the last 30 days of one formula by rate, or the latest posts. */
export function columnRows(index: AnalyticsIndex, mode: Mode, now: number): Uint32Array {
  if (mode === 'latest') return index.top({}, 'createdAt', POSTS);
  const networks = mode === 'top-impressions' ? (['x'] as NetworkId[]) : FOLLOWER_NETWORKS;
  return index.top({ from: now - TOP_WINDOW_MS, rate: { min: 0 }, networks }, 'rate', POSTS);
}

export function AnalyticsColumn(props: { db: ColonnadeDb; language: string; title: string; now?: () => number }) {
  const { t } = useTranslation();
  const { language } = props;
  const archive = archiveOf(props.db);
  const { index, read, total, error, retry } = useAnalyticsIndex(archive);
  const version = index?.version ?? -1;
  // The formulas of the profiles the archive holds: one "Top" button each; the one with the most
  // rated posts of the last 30 days shown first (an archive of unrated X posts does not hide the rest).
  // Each formula's top list is read once per index version; the list shown is one of them.
  const tops = useMemo(() => {
    const networks = new Set((index?.profiles() ?? []).map((p) => p.network));
    const formulas: Mode[] = [];
    if (networks.has('x')) formulas.push('top-impressions');
    if (FOLLOWER_NETWORKS.some((n) => networks.has(n))) formulas.push('top-followers');
    if (!formulas.length) formulas.push('top-impressions');
    const now = (props.now ?? Date.now)();
    return new Map(formulas.map((m) => [m, index ? columnRows(index, m, now) : new Uint32Array(0)]));
    // `version` moves when the index changes (an ingest).
  }, [index, version, props.now]);
  const formulas = [...tops.keys()];
  const busiest = formulas.reduce((a, b) => (tops.get(b)!.length > tops.get(a)!.length ? b : a));
  const [chosen, setMode] = useState<Mode | null>(null);
  const mode: Mode = chosen && (chosen === 'latest' || tops.has(chosen)) ? chosen : busiest;
  const rows = useMemo(() => {
    if (!index) return [];
    const found = tops.get(mode) ?? columnRows(index, mode, (props.now ?? Date.now)());
    return [...found].map((r) => index.row(r));
    // `version` moves when the index changes (an ingest): the list is made again.
  }, [index, tops, mode, version, props.now]);
  const [posts, setPosts] = useState<ReadonlyMap<string, ArchivedPost>>(new Map());
  useEffect(() => {
    let live = true;
    const ids = rows.map((r) => r.id);
    void archive.posts(ids).then((found) => {
      if (!live) return;
      const map = new Map<string, ArchivedPost>();
      found.forEach((p, i) => p && map.set(ids[i]!, p));
      setPosts(map);
    });
    return () => {
      live = false;
    };
  }, [archive, rows]);
  // The computer's zone, as the analytics view's (AnalyticsView).
  const dates = useMemo(() => dateTimeFormat(language, systemZone()), [language]);
  const numbers = new Intl.NumberFormat(language);

  const onFeedKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'PageDown' && e.key !== 'PageUp') return;
    const articles = [...e.currentTarget.querySelectorAll<HTMLElement>(':scope > article')];
    const at = articles.findIndex((a) => a.contains(document.activeElement));
    const next = e.key === 'PageDown' ? Math.min(at + 1, articles.length - 1) : Math.max(at - 1, 0);
    if (at === -1 || next === at) return;
    e.preventDefault();
    articles[next]?.focus();
  };

  return (
    <div className="analytics-column">
      <div className="analytics-column-tools">
        <div className="segmented" role="group" aria-label={t('analyticsView.column.show')}>
          {formulas.map((f) => (
            <button key={f} type="button" aria-pressed={mode === f} onClick={() => setMode(f)}>
              {formulas.length === 1
                ? t('analyticsView.column.top')
                : t(
                    f === 'top-impressions'
                      ? 'analyticsView.column.topImpressions'
                      : 'analyticsView.column.topFollowers',
                  )}
            </button>
          ))}
          <button type="button" aria-pressed={mode === 'latest'} onClick={() => setMode('latest')}>
            {t('analyticsView.column.latest')}
          </button>
        </div>
        <button type="button" onClick={() => openAnalytics()}>
          <BarChart3 size={14} aria-hidden="true" />
          {t('analyticsView.column.open')}
        </button>
      </div>
      {index === null ? (
        error ? (
          <div className="column-note error" role="alert">
            <p>{t('analyticsView.loadFailed', { why: String(error) })}</p>
            <button type="button" onClick={retry}>
              {t('app.tryAgain')}
            </button>
          </div>
        ) : (
          <p className="column-note" role="status">
            {total === null
              ? t('analyticsView.loading')
              : t('analyticsView.loadingCount', {
                  read: numbers.format(read),
                  total: numbers.format(total),
                  count: total,
                })}
          </p>
        )
      ) : rows.length === 0 ? (
        <p className="column-note">
          {index.size === 0
            ? t('analyticsView.column.empty')
            : mode !== 'latest'
              ? t('analyticsView.column.noneRated')
              : t('analyticsView.column.empty')}
        </p>
      ) : (
        <div
          role="feed"
          className="analytics-column-feed"
          aria-label={t('columns.feed', { title: props.title })}
          aria-busy={false}
          onKeyDown={onFeedKey}
        >
          {rows.map((row, i) => {
            const post = posts.get(row.id);
            const words = rateWords(t, language, row, post?.series ? sourcesOf(decodeSeries(post.series)) : null);
            const textId = `analytics-col-${row.row}-text`;
            return (
              <article
                key={row.id}
                className="analytics-column-post"
                tabIndex={0}
                aria-posinset={i + 1}
                aria-setsize={rows.length}
                aria-labelledby={textId}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && e.target === e.currentTarget) {
                    e.preventDefault();
                    openAnalytics(row.id);
                  }
                }}
              >
                <p className="analytics-column-meta">
                  <span dir="ltr">@{row.handle}</span> · {NETWORK_NAMES[row.network]} ·{' '}
                  <time dateTime={new Date(row.createdAt).toISOString()}>{dates.format(row.createdAt)}</time>
                </p>
                <p id={textId} className="analytics-column-text" dir="auto">
                  {post === undefined
                    ? t('analyticsView.table.loadingText')
                    : post.text || t('analyticsView.table.noText')}
                </p>
                <p className="analytics-column-rate">
                  {words.rate !== null ? (
                    <strong>{t('analyticsView.rate.short', { rate: words.rate })}</strong>
                  ) : (
                    <strong>{t('analyticsView.rate.none')}</strong>
                  )}{' '}
                  · {words.formula}
                  {words.notes.map((n) => ` · ${n}`).join('')}
                </p>
                <p className="analytics-column-counts">
                  {[
                    row.latest.likes === null
                      ? t('analyticsView.column.likesUnknown')
                      : t('analyticsView.column.likes', {
                          count: row.latest.likes,
                          n: numbers.format(row.latest.likes),
                        }),
                    row.latest.reposts === null
                      ? t('analyticsView.column.repostsUnknown')
                      : t('analyticsView.column.reposts', {
                          count: row.latest.reposts,
                          n: numbers.format(row.latest.reposts),
                        }),
                  ].join(' · ')}
                </p>
                <button
                  type="button"
                  className="link"
                  aria-label={t('analyticsView.column.detailsOf', { text: shortText(post?.text ?? '') || row.id })}
                  onClick={() => openAnalytics(row.id)}
                >
                  {t('analyticsView.column.details')}
                </button>
              </article>
            );
          })}
        </div>
      )}
    </div>
  );
}
