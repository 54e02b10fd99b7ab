// Where the collection of the CM's analytics stands, per profile (issue 9: "backfill on connecting a
// profile … with progress"): a profile's history being read back (how far, with a progress bar),
// the first counts on their way, why collection waits, or its posts followed and when their counts
// were last read. What main's collector says (`analytics.status`, mirrored in ../../analytics/
// status.ts): without it, a table still filling reads as complete, and an empty one as final.
import { useTranslation } from 'react-i18next';
import type { AnalyticsStatus } from '../../../shared/analytics-collection';
import { NETWORK_NAMES } from '../../../shared/model';
import { useAnalyticsStatus } from '../../analytics/status';
import { useAppStore } from '../../state/store';
import { describeError } from '../errors';
import { formatDateTime } from './dates';

/**
 * `handles`: the handles the archive knows by profile id (query.ts `profiles()`), for a profile
 * no longer connected: it is named as it was, and said no longer followed.
 */
export function CollectionStatus(props: { zone: string; language: string; handles?: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  const { zone, language } = props;
  const statuses = useAnalyticsStatus((s) => s.statuses);
  const accounts = useAppStore((s) => s.accounts);
  if (statuses.length === 0) return null;
  const numbers = new Intl.NumberFormat(language);
  const handles = new Map(accounts.map((a) => [a.profile.id, a.profile.handle]));
  const lines = [...statuses]
    .sort((a, b) => a.profileId.localeCompare(b.profileId))
    .map((s) => {
      const connected = handles.has(s.profileId);
      const who = {
        handle: handles.get(s.profileId) ?? props.handles?.get(s.profileId) ?? s.profileId,
        network: NETWORK_NAMES[s.network],
      };
      // Removed from Accounts: its posts and their history stay; nothing more is read.
      if (!connected) return { status: s, words: t('analyticsView.collection.removed', who) };
      return { status: s, words: wordsOf(s, who) };
    });

  function wordsOf(s: AnalyticsStatus, who: { handle: string; network: string }): string {
    const b = s.backfill;
    if (b?.state === 'failed' && b.error)
      return t('analyticsView.collection.failed', { ...who, why: describeError(t, b.error, language, 'column') });
    if (b?.state === 'running') {
      return b.total
        ? t('analyticsView.collection.backfill', {
            ...who,
            read: numbers.format(Math.min(b.scanned, b.total)),
            total: numbers.format(b.total),
            count: b.total,
          })
        : t('analyticsView.collection.backfillOpen', { ...who, read: numbers.format(b.scanned), count: b.scanned });
    }
    if (s.waiting)
      return t('analyticsView.collection.waiting', { ...who, why: describeError(t, s.waiting, language, 'column') });
    // Counts come from the collector's observations, and from the backfill's pages as it reads them.
    const times = [s.lastCollectedAt, b?.state === 'done' ? b.updatedAt : null].filter((x) => x !== null);
    const countsAt = times.length ? Math.max(...times.map((x) => Date.parse(x))) : null;
    if (s.posts === 0 && b?.state === 'done') return t('analyticsView.collection.none', who);
    if (countsAt === null) return t('analyticsView.collection.soon', who);
    const followed = t('analyticsView.collection.upToDate', {
      ...who,
      n: numbers.format(s.posts),
      count: s.posts,
      time: formatDateTime(countsAt, language, zone),
    });
    // X serves a profile's latest 3,200 posts only: the archive import brings the older ones.
    return b?.limit ? `${followed} ${describeError(t, b.limit, language, 'column')}` : followed;
  }

  return (
    <ul className="analytics-collection" aria-label={t('analyticsView.collection.label')}>
      {lines.map(({ status: s, words }) => (
        <li key={s.profileId}>
          {words}
          {handles.has(s.profileId) && s.backfill?.state === 'running' && s.backfill.total ? (
            <progress
              aria-label={words}
              value={Math.min(s.backfill.scanned, s.backfill.total)}
              max={s.backfill.total}
            />
          ) : null}
        </li>
      ))}
    </ul>
  );
}
