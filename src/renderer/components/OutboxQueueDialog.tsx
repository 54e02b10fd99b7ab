// A profile's posting queue (reached from the Outbox): its weekly posting times (days and a time)
// in its audience's zone. "Add to queue" in the composer takes the next free one. Read with
// `queue.get`, saved with `queue.set`; checked first with the scheduler's own rules
// (shared/schedule/slots.ts's validateSchedule: a known zone, no two times on one day at once),
// so a refusal is said in the same words main would use.
import { Plus, Trash2 } from 'lucide-react';
import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toAppError } from '../../shared/errors';
import { NETWORK_NAMES } from '../../shared/model';
import type { PostingSchedule, PostingSlot } from '../../shared/outbox';
import { validateSchedule } from '../../shared/schedule/slots';
import { currentZoneName, knownZones } from '../../shared/schedule/zones';
import { useAppStore } from '../state/store';
import { useServices } from './context';
import { Dialog } from './Dialog';
import { describeError, describeThrown } from './errors';
import { useOutboxView } from './outbox-context';

/** A new posting time: weekdays (ISO 1–5) at 9:00. */
const NEW_SLOT: PostingSlot = { days: [1, 2, 3, 4, 5], time: '09:00' };

export function OutboxQueueDialog(props: { language: string; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const { language } = props;
  const { actions } = useServices();
  const { words } = useOutboxView();
  const accounts = useAppStore((s) => s.accounts);
  const [profileId, setProfileId] = useState(accounts[0]?.id ?? '');
  const [schedule, setSchedule] = useState<PostingSchedule | null>(null);
  const [loading, setLoading] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const zonesId = useId();
  // The zone field's suggestions, under current names (Asia/Kolkata, not ICU's Asia/Calcutta).
  const zones = useMemo(knownZones, []);
  // Days in the week's order of the UI's locale (Monday first in French, Sunday in American English).
  const firstDay = words.locale.options?.weekStartsOn ?? 1;
  const days = Array.from({ length: 7 }, (_, i) => ((firstDay + i + 6) % 7) + 1);
  const dayName = (iso: number, width: 'abbreviated' | 'wide') =>
    words.locale.localize.day((iso % 7) as 0 | 1 | 2 | 3 | 4 | 5 | 6, { width });

  useEffect(() => {
    if (!profileId) return;
    let live = true;
    setLoading(true);
    setError(null);
    setStatus('');
    actions.outbox
      .queue(profileId)
      .then((saved) => live && setSchedule(saved ?? { zone: currentZoneName(words.zone), slots: [] }))
      .catch((err: unknown) => live && (setSchedule(null), setError(describeThrown(t, err, language))))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [profileId, actions, words.zone, t, language]);

  const change = (next: PostingSchedule) => {
    setSchedule(next);
    setError(null);
    setStatus('');
  };
  const setSlot = (i: number, slot: PostingSlot) =>
    schedule && change({ ...schedule, slots: schedule.slots.map((s, j) => (j === i ? slot : s)) });

  const save = async () => {
    if (!schedule) return;
    const cleaned: PostingSchedule = {
      zone: schedule.zone.trim(),
      slots: schedule.slots.map((s) => ({ ...s, days: [...s.days].sort((a, b) => a - b) })),
    };
    try {
      // A posting time with no day, an unknown zone, two times at once: main's own words.
      validateSchedule(cleaned);
    } catch (err) {
      // Its three reasons (unknown-zone, slot-invalid, slot-duplicate) said with their own params:
      // describeError would fill `{{time}}` with a reset time (errors.ts), and there is none here.
      const e = toAppError(err);
      const key = `reasons.${e.reason ?? ''}`;
      return setError(e.reason && i18n.exists(key) ? t(key, e.params ?? {}) : describeError(t, e, language));
    }
    setBusy(true);
    try {
      const saved = await actions.outbox.setQueue(profileId, cleaned);
      setSchedule(saved ?? { zone: cleaned.zone, slots: [] });
      setStatus(t('outbox.queue.saved'));
    } catch (err) {
      setError(describeThrown(t, err, language));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={t('outbox.queue.title')}
      onClose={props.onClose}
      onSubmit={() => void save()}
      submitLabel={t('actions.save')}
      submitDisabled={busy || loading || !schedule}
    >
      {accounts.length === 0 ? (
        <p className="muted">{t('outbox.queue.noProfiles')}</p>
      ) : (
        <>
          <p className="muted small">{t('outbox.queue.help')}</p>
          <label className="field">
            <span>{t('outbox.queue.profile')}</span>
            <select value={profileId} onChange={(e) => setProfileId(e.target.value)}>
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {t('outbox.profileOn', { handle: a.profile.handle, network: NETWORK_NAMES[a.network] })}
                </option>
              ))}
            </select>
          </label>
          {loading && (
            <p className="muted" role="status">
              {t('outbox.loading')}
            </p>
          )}
          {schedule && !loading && (
            <>
              <label className="field">
                <span>{t('outbox.queue.zone')}</span>
                <input
                  value={schedule.zone}
                  list={zonesId}
                  spellCheck={false}
                  autoComplete="off"
                  onChange={(e) => change({ ...schedule, zone: e.target.value })}
                />
                <datalist id={zonesId}>
                  {zones.map((z) => (
                    <option key={z} value={z} />
                  ))}
                </datalist>
              </label>
              <h3 className="outbox-queue-heading">{t('outbox.queue.slots')}</h3>
              {schedule.slots.length === 0 ? (
                <p className="muted">{t('outbox.queue.empty')}</p>
              ) : (
                <ul className="outbox-slots">
                  {schedule.slots.map((slot, i) => (
                    <li key={i}>
                      <fieldset>
                        <legend>{t('outbox.queue.slot', { n: i + 1 })}</legend>
                        <div className="outbox-slot-days">
                          {days.map((d) => (
                            <label key={d} className="outbox-day" title={dayName(d, 'wide')}>
                              <input
                                type="checkbox"
                                aria-label={dayName(d, 'wide')}
                                checked={slot.days.includes(d)}
                                onChange={(e) =>
                                  setSlot(i, {
                                    ...slot,
                                    days: e.target.checked ? [...slot.days, d] : slot.days.filter((x) => x !== d),
                                  })
                                }
                              />
                              <span aria-hidden="true">{dayName(d, 'abbreviated')}</span>
                            </label>
                          ))}
                        </div>
                        <label className="field outbox-slot-time">
                          <span>{t('outbox.queue.time')}</span>
                          <input
                            type="time"
                            required
                            value={slot.time}
                            onChange={(e) => setSlot(i, { ...slot, time: e.target.value })}
                          />
                        </label>
                        <button
                          type="button"
                          onClick={() => change({ ...schedule, slots: schedule.slots.filter((_, j) => j !== i) })}
                        >
                          <Trash2 size={14} aria-hidden="true" /> {t('outbox.queue.remove', { n: i + 1 })}
                        </button>
                      </fieldset>
                    </li>
                  ))}
                </ul>
              )}
              <button
                type="button"
                disabled={schedule.slots.length >= 100}
                onClick={() => change({ ...schedule, slots: [...schedule.slots, { ...NEW_SLOT }] })}
              >
                <Plus size={14} aria-hidden="true" /> {t('outbox.queue.add')}
              </button>
            </>
          )}
          <p className="outbox-status" role="status">
            {status}
          </p>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
        </>
      )}
    </Dialog>
  );
}
