// What the composer shows, and does not let change, while it edits a scheduled post (the Outbox's
// "Edit…"): the profiles it goes out as and its time, as the outbox holds them now (a profile
// cancelled meanwhile leaves the list). Only the text, media, versions and thread parts are
// edited there (`outbox.edit`); the time changes with "Move…" (`outbox.reschedule`) and a profile
// leaves with its own "Cancel", both in the Outbox, which the words here say.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { isOpenTarget, useOutboxStore } from '../state/outbox';
import { useAppStore } from '../state/store';
import { calendarLocale, systemZone } from './outbox-time';
import { dueWords, profileLabel, targetWords, type OutboxWords } from './outbox-words';

export function ComposerEditFacts(props: {
  jobId: string;
  /** The profiles (ids) it went out as when the composer opened: shown if the job has left the outbox. */
  targets: readonly string[];
  language: string;
}) {
  const { t } = useTranslation();
  const job = useOutboxStore((s) => s.jobs[props.jobId]);
  const accounts = useAppStore((s) => s.accounts);
  const words = useMemo<OutboxWords>(
    () => ({ t, language: props.language, locale: calendarLocale(props.language), zone: systemZone(), accounts }),
    [t, props.language, accounts],
  );
  const open = job?.targets.filter(isOpenTarget) ?? [];
  const profiles = job
    ? open.map((x) => profileLabel(words, x))
    : props.targets.map((id) => {
        const a = accounts.find((x) => x.id === id);
        return a ? `@${a.profile.handle}` : id;
      });
  // Each profile's time once (a queued post's profiles may each have their own slot); one missed
  // or waiting says so, as the Outbox does.
  const times = [
    ...new Set(
      open.map((x) =>
        x.state === 'scheduled' || x.state === 'on-server'
          ? x.due
            ? t('composer.editWhen', { time: dueWords(words, x) })
            : t('composer.editAsap')
          : job
            ? targetWords(words, job, x).status
            : '',
      ),
    ),
  ].filter(Boolean);
  return (
    <section className="compose-edit-facts">
      <p>{t('composer.editAs', { profiles: profiles.join(', ') })}</p>
      {times.map((time) => (
        <p key={time}>{time}</p>
      ))}
      <p className="muted small">{t('composer.editFixed')}</p>
    </section>
  );
}
