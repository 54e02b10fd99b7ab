// A target's media upload as the Outbox shows it while the post goes out (`Target.upload`, kept
// by main's outbox as the adapter sends): the share of the bytes sent, as a bar and in words
// ("Sending its media: 45% (12 MB of 26 MB)"), then "Bluesky is preparing the video…" while the
// network processes it. Nothing once the send is over, or for a post without media.
import { useTranslation } from 'react-i18next';
import type { Target } from '../../shared/outbox';
import { formatBytes } from '../media/words';

export function TargetUpload(props: {
  target: Pick<Target, 'state' | 'upload'>;
  /** The network (or Mastodon instance) as the Outbox names it. */
  network: string;
  /** The UI language, for numbers and sizes. */
  language: string;
}) {
  const { t } = useTranslation();
  const { target, network, language } = props;
  const upload = target.upload;
  if (target.state !== 'sending' || !upload) return null;
  const words = upload.processing
    ? t('outbox.processing', { network })
    : t('outbox.uploading', {
        percent: new Intl.NumberFormat(language, { style: 'percent' }).format(upload.sent / upload.total),
        sent: formatBytes(upload.sent, language),
        total: formatBytes(upload.total, language),
      });
  return (
    <span className="outbox-upload">
      {/* No value while processing: the bar says "under way" without a share. */}
      <progress max={upload.total} aria-label={words} {...(upload.processing ? {} : { value: upload.sent })} />{' '}
      <span>{words}</span>
    </span>
  );
}
