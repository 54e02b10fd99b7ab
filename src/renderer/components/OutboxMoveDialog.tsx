// "Move…" / "Choose another time…": a post's new date and time, typed in its audience's zone (the
// job keeps its zone: 9:00 New York stays a New York time), with what that is in the CM's zone.
// The keyboard's way to do what a drag does in the calendar; a refusal (a time that has passed)
// is said in words here, and nothing moves.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublishJob } from '../../shared/outbox';
import { zonedToInstant } from '../../shared/schedule/zoned-time';
import { isOpenTarget } from '../state/outbox';
import { useServices } from './context';
import { Dialog } from './Dialog';
import { useOutboxView } from './outbox-context';
import { dualTime, fieldsFor, formatIn, zoneCity } from './outbox-time';
import { jobText } from './outbox-words';
import { useDialogAction } from './use-dialog-action';

export function OutboxMoveDialog(props: {
  job: PublishJob;
  /** Its time now (ISO), or null. */
  at: string | null;
  /** The zone it keeps. */
  zone: string;
  language: string;
  onClose(): void;
  /** Moved: to this instant (ISO). */
  onMoved(at: string): void;
}) {
  const { t } = useTranslation();
  const { job, zone } = props;
  const view = useOutboxView();
  const { words } = view;
  const { actions } = useServices();
  const [fields, setFields] = useState(() => fieldsFor(props.at, zone, view.now()));
  const { busy, error, setError, run } = useDialogAction(props.language);
  const open = job.targets.filter(isOpenTarget).length;
  const local = `${fields.date}T${fields.time}`;
  let at: string | null = null;
  try {
    at = fields.date && fields.time ? new Date(zonedToInstant(local, zone).at).toISOString() : null;
  } catch {
    at = null;
  }
  const mine = zone !== words.zone;
  const noteId = useId();
  const text = jobText(job);

  const submit = () => {
    if (!at) return setError(t('outbox.move.needed'));
    const moved = at;
    void run(async () => {
      await actions.outbox.reschedule(job.id, { kind: 'at', local, zone });
      view.say(t('outbox.done.moved', { time: dualTime(moved, zone, words.zone, words.locale, true) }));
      props.onMoved(moved);
      props.onClose();
    });
  };

  return (
    <Dialog
      title={t('outbox.move.title')}
      onClose={props.onClose}
      onSubmit={submit}
      submitLabel={t('outbox.move.submit')}
      submitDisabled={busy}
    >
      <p className="outbox-text" dir="auto">
        {text || t('outbox.noText')}
      </p>
      <div className="outbox-move-fields">
        <label className="field">
          <span>{t('outbox.move.date')}</span>
          <input
            type="date"
            required
            value={fields.date}
            aria-describedby={noteId}
            onChange={(e) => {
              setFields((f) => ({ ...f, date: e.target.value }));
              setError(null);
            }}
          />
        </label>
        <label className="field">
          <span>{t('outbox.move.time', { zone: zoneCity(zone) })}</span>
          <input
            type="time"
            required
            value={fields.time}
            aria-describedby={noteId}
            onChange={(e) => {
              setFields((f) => ({ ...f, time: e.target.value }));
              setError(null);
            }}
          />
        </label>
      </div>
      <p id={noteId} className="muted small">
        {t('outbox.move.zone', { zone })}
        {mine &&
          at &&
          ` ${t('outbox.move.yours', { time: formatIn(at, words.zone, 'EEE d MMM, HH:mm', words.locale), zone: zoneCity(words.zone) })}`}
        {open > 1 && ` ${t('outbox.move.all', { count: open })}`}
      </p>
      {error && (
        <p className="form-error" role="alert">
          {t('outbox.done.notMoved')} {error}
        </p>
      )}
    </Dialog>
  );
}
