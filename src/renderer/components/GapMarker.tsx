// A gap marker in a column (`TimelineEntry.gap`, design: "Posts and timeline entries"): "Posts
// between 14:05 and 16:40 could not be loaded — Load them". An article of the feed like a post,
// so the feed's keys walk over it. "Load them" asks main (`gap.load`); the entries arrive as
// deliveries and the marker leaves once main says the gap is filled (`FeedDelivery.closedGaps`).
import { format, isSameDay } from 'date-fns';
import { enGB, fr } from 'date-fns/locale';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NetworkId } from '../../shared/model';
import type { ShownEntry } from '../db/database';
import { useServices } from './context';
import { describeThrown } from './errors';

/**
 * An instant of a gap in the reader's language: the time ("14:05") when it is today, else the
 * day and time ("24 Nov, 14:05"; French "24 nov., 14:05").
 */
export function gapTime(iso: string, language: string, now: Date = new Date()): string {
  const date = new Date(iso);
  const locale = language === 'fr' ? fr : enGB;
  return format(date, isSameDay(date, now) ? 'HH:mm' : 'd MMM, HH:mm', { locale });
}

export function GapMarker(props: {
  entry: ShownEntry & { gap: NonNullable<ShownEntry['gap']> };
  columnId: string;
  position: number;
  total: number;
  language: string;
  network: NetworkId | undefined;
}) {
  const { entry, columnId, language } = props;
  const { gap } = entry;
  const { t } = useTranslation();
  const { actions } = useServices();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const sentenceId = useId();
  const to = gapTime(gap.to, language);
  const sentence = gap.from
    ? t('reading.gap.between', { from: gapTime(gap.from, language), to })
    : t('reading.gap.before', { to });
  const load = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await actions.loadGap(columnId, gap.id);
    } catch (err) {
      setError(describeThrown(t, err, language, 'dialog', props.network));
    } finally {
      setBusy(false);
    }
  };
  return (
    <article
      className="post gap-marker"
      tabIndex={0}
      aria-posinset={props.position}
      aria-setsize={props.total}
      aria-labelledby={sentenceId}
      data-entry-key={entry.key}
    >
      <p id={sentenceId} className="gap-text">
        {sentence}
      </p>
      <p className="gap-why">{t(`reading.gap.why.${gap.why}`)}</p>
      <button type="button" aria-disabled={busy || undefined} aria-describedby={sentenceId} onClick={() => void load()}>
        {busy ? t('reading.gap.loading') : t('reading.gap.load')}
      </button>
      {error && (
        <p className="gap-error" role="alert">
          {error}
        </p>
      )}
    </article>
  );
}
