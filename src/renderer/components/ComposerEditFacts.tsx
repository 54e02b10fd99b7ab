// What the composer shows, and does not let change, while it edits a scheduled post (the Outbox's
// "Edit…"): the profiles it goes out as and its time, as the outbox holds them now (a profile
// cancelled meanwhile leaves the list). Only the text, media, versions and thread parts are
// edited there (`outbox.edit`); the time changes with "Move…" (`outbox.reschedule`) and a profile
// leaves with its own "Cancel", both in the Outbox, which the words here say. The outbox store is
// live: once the post can no longer be edited (a part started going out, or nothing of it is left
// to go), it says so at once, with each profile's state, and the composer turns "Save" off
// (ComposeDialog, with the same rule: `jobEditable`).
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublishJob } from '../../shared/outbox';
import { isOpenTarget, jobEditable, useOutboxStore } from '../state/outbox';
import { useAppStore } from '../state/store';
import { calendarLocale, formatIn, systemZone } from './outbox-time';
import { dueWords, profileLabel, targetWords, type OutboxWords } from './outbox-words';

/** True when the job `job` (undefined: it left the outbox) can no longer take `outbox.edit`. */
function editLocked(job: PublishJob | undefined): boolean {
  return !job || !jobEditable(job);
}

/**
 * When a job began going out (ms): its earliest part sent, or send begun; null when none did
 * (cancelled, or gone).
 */
function startedAt(job: PublishJob): number | null {
  const times = job.targets.flatMap((t) => [
    ...t.parts.map((p) => (p.sentAt ? Date.parse(p.sentAt) : NaN)),
    t.attempt ? Date.parse(t.attempt.startedAt) : NaN,
  ]);
  const known = times.filter((x) => Number.isFinite(x));
  return known.length ? Math.min(...known) : null;
}

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
  const handles = () =>
    props.targets.map((id) => {
      const a = accounts.find((x) => x.id === id);
      return a ? `@${a.profile.handle}` : id;
    });
  if (editLocked(job)) {
    const started = job ? startedAt(job) : null;
    return (
      <section className="compose-edit-facts">
        <p className="form-error" role="alert">
          {started !== null
            ? t('composer.editStarted', { time: formatIn(started, words.zone, 'HH:mm', words.locale) })
            : t('composer.editGone')}
        </p>
        {job ? (
          job.targets.map((x) => (
            <p key={x.profileId}>
              {t('composer.editTargetState', {
                profile: profileLabel(words, x),
                state: targetWords(words, job, x).status,
              })}
            </p>
          ))
        ) : (
          <p>{t('composer.editAs', { profiles: handles().join(', ') })}</p>
        )}
      </section>
    );
  }
  const open = job!.targets.filter(isOpenTarget);
  const profiles = open.map((x) => profileLabel(words, x));
  // Each profile's time once (a queued post's profiles may each have their own slot); one missed
  // or waiting says so, as the Outbox does.
  const times = [
    ...new Set(
      open.map((x) =>
        x.state === 'scheduled' || x.state === 'on-server'
          ? x.due
            ? t('composer.editWhen', { time: dueWords(words, x) })
            : t('composer.editAsap')
          : targetWords(words, job!, x).status,
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
