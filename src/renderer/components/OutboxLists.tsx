// The Outbox's lists: "Needs attention" (failed, held, waiting), "Scheduled" (by due time) and
// "Sent" (history, newest first). Each job shows its text and, per target profile, its state in
// words (outbox-words.ts) with what can be done there: try a failed one again, send a held one now,
// give it another time, change its text ("Edit…", in the composer), cancel it (once confirmed),
// reconnect its profile, open the post that went out.
import { ExternalLink } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import { NETWORK_NAMES } from '../../shared/model';
import type { PublishJob, Target } from '../../shared/outbox';
import { TargetUpload } from './TargetUpload';
import { isOpenTarget, jobEditable, useOutboxStore } from '../state/outbox';
import { useServices } from './context';
import { jobZone, useOutboxView } from './outbox-context';
import { accountOf, jobName, jobsOf, jobText, profileLabel, targetWords, type OutboxSection } from './outbox-words';
import { hostOf, webUrlOf } from './post-text';

const SECTIONS: OutboxSection[] = ['attention', 'scheduled', 'sent'];

/**
 * A cancel that asks first: `confirming` while the question shows; `keep()` (Keep the post,
 * Escape, a refusal) closes it and gives focus back to the Cancel button (`cancelButton`).
 */
function useCancelConfirm() {
  const [confirming, setConfirming] = useState(false);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  useEffect(() => {
    if (confirming || !refocus.current) return;
    refocus.current = false;
    cancelButton.current?.focus();
  }, [confirming]);
  const keep = () => {
    refocus.current = true;
    setConfirming(false);
  };
  return { confirming, setConfirming, cancelButton, keep };
}

export function OutboxLists(props: { jobs: readonly PublishJob[] }) {
  const { words } = useOutboxView();
  const { t } = words;
  const loaded = useOutboxStore((s) => s.loaded);
  const baseId = useId();
  return (
    <div className="outbox-lists">
      {!loaded && <p className="muted">{t('outbox.loading')}</p>}
      {SECTIONS.map((section) => {
        const jobs = jobsOf(props.jobs, section);
        const headingId = `${baseId}-${section}`;
        return (
          <section key={section} className={`outbox-section outbox-${section}`} aria-labelledby={headingId}>
            <h3 id={headingId}>
              {t(`outbox.sections.${section}`)} <span className="outbox-count">({jobs.length})</span>
            </h3>
            {jobs.length === 0 ? (
              <p className="muted">{t(`outbox.sections.${section}Empty`)}</p>
            ) : (
              <ul className="outbox-jobs">
                {jobs.map((job) => (
                  <JobItem key={job.id} job={job} />
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}

/**
 * One job: its text, its targets' outcomes, and what can be done with the whole of it. Each button
 * is named with the job (`jobName`: its text and time), its visible words kept short. "Cancel the
 * post" asks first, in place: main cannot undo a cancel (see `CancelConfirm`).
 */
function JobItem(props: { job: PublishJob }) {
  const { job } = props;
  const view = useOutboxView();
  const { words } = view;
  const { t } = words;
  const { actions } = useServices();
  const textId = useId();
  const busy = view.busy.has(job.id);
  const text = jobText(job);
  const threadLength = Math.max(...job.targets.map((x) => x.parts.length));
  const open = job.targets.filter(isOpenTarget);
  const failed = job.targets.filter((x) => x.state === 'failed');
  const finished = job.targets.every((x) => x.state === 'sent' || x.state === 'failed' || x.state === 'cancelled');
  const zone = jobZone(job, words.zone);
  const firstDue = open.find((x) => x.due)?.due?.at ?? null;
  const post = jobName(words, job);
  const { confirming, setConfirming, cancelButton, keep } = useCancelConfirm();
  const item = useRef<HTMLLIElement>(null);
  const cancel = async () => {
    const dialog = item.current?.closest('dialog');
    const ok = await view.act(job.id, () => actions.outbox.cancel(job.id), t('outbox.done.cancelled'));
    if (!ok) return keep();
    setConfirming(false);
    // The job moved to the history (another list): focus follows it there.
    requestAnimationFrame(() =>
      [...(dialog?.querySelectorAll<HTMLElement>('li.outbox-job') ?? [])]
        .find((li) => li.dataset.job === job.id)
        ?.focus(),
    );
  };
  return (
    <li ref={item} className="outbox-job" aria-labelledby={textId} data-job={job.id} tabIndex={-1}>
      <p id={textId} className="outbox-text" dir="auto">
        {text || t('outbox.noText')}
      </p>
      {threadLength > 1 && <p className="muted small">{t('outbox.thread', { count: threadLength })}</p>}
      <ul className="outbox-targets" aria-label={t('outbox.profiles')}>
        {job.targets.map((target) => (
          <TargetItem key={target.profileId} job={job} target={target} many={job.targets.length > 1} />
        ))}
      </ul>
      {confirming ? (
        <CancelConfirm
          question={t('outbox.confirmCancel.question', {
            profiles: open.map((x) => profileLabel(words, x)).join(', '),
          })}
          keep={t('outbox.confirmCancel.keep')}
          keepName={t('outbox.named.keep', { post })}
          yes={t('outbox.confirmCancel.yes')}
          yesName={t('outbox.named.confirmCancel', { post })}
          busy={busy}
          onCancel={() => void cancel()}
          onKeep={keep}
        />
      ) : (
        <div className="outbox-actions">
          {failed.length > 1 && (
            <button
              type="button"
              disabled={busy}
              aria-label={t('outbox.named.retryFailed', { count: failed.length, post })}
              onClick={() =>
                void view.act(
                  job.id,
                  () =>
                    actions.outbox.retry(
                      job.id,
                      failed.map((x) => x.profileId),
                    ),
                  t('outbox.done.retried'),
                )
              }
            >
              {t('outbox.actions.retryFailed', { count: failed.length })}
            </button>
          )}
          {jobEditable(job) && (
            <button
              type="button"
              disabled={busy}
              aria-label={t('outbox.named.edit', { post })}
              onClick={() => view.edit(job)}
            >
              {t('outbox.actions.edit')}
            </button>
          )}
          {open.length > 0 && (
            <button
              type="button"
              disabled={busy}
              aria-label={t('outbox.named.move', { post })}
              onClick={() => view.move(job, firstDue, zone)}
            >
              {t('outbox.actions.move')}
            </button>
          )}
          {open.length > 0 && (
            <button
              ref={cancelButton}
              type="button"
              disabled={busy}
              aria-label={t('outbox.named.cancelPost', { post })}
              onClick={() => setConfirming(true)}
            >
              {t('outbox.actions.cancelPost')}
            </button>
          )}
          {finished && (
            <button
              type="button"
              disabled={busy}
              aria-label={t('outbox.named.remove', { post })}
              onClick={() => void view.act(job.id, () => actions.outbox.remove(job.id), t('outbox.done.removed'))}
            >
              {t('outbox.actions.remove')}
            </button>
          )}
        </div>
      )}
    </li>
  );
}

/**
 * "Cancel the post" (and a profile's own "Cancel") asks first, in place of its buttons, with focus on "Keep the post"
 * (Escape keeps it too). A confirmation rather than an undo: main cannot take a cancel back (a
 * cancelled target never goes back to scheduled, and a Mastodon post's instance has dropped its
 * copy), and holding the cancel back in the renderer for an undo would leave the post free to go
 * out meanwhile, or for good if Colonnade quit before the delay ended.
 */
function CancelConfirm(props: {
  /** The question, naming the profiles that will not get the post. */
  question: string;
  /** "Keep" and "Yes, cancel": visible words, and accessible names (with the post and its time). */
  keep: string;
  keepName: string;
  yes: string;
  yesName: string;
  busy: boolean;
  onCancel(): void;
  onKeep(): void;
}) {
  const questionId = useId();
  const keepButton = useRef<HTMLButtonElement>(null);
  useEffect(() => keepButton.current?.focus(), []);
  return (
    <div
      role="group"
      aria-labelledby={questionId}
      className="outbox-actions outbox-confirm"
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        // Keeps the post; the Outbox stays open.
        e.preventDefault();
        e.stopPropagation();
        props.onKeep();
      }}
    >
      <p id={questionId} className="outbox-confirm-question">
        {props.question}
      </p>
      <button ref={keepButton} type="button" disabled={props.busy} aria-label={props.keepName} onClick={props.onKeep}>
        {props.keep}
      </button>
      <button
        type="button"
        className="danger"
        disabled={props.busy}
        aria-label={props.yesName}
        onClick={props.onCancel}
      >
        {props.yes}
      </button>
    </div>
  );
}

/**
 * One target profile of a job: its state in words, its links once sent, and its own actions, named
 * with the profile and that profile's own time. Its "Cancel" asks first, as "Cancel the post" does
 * (a Mastodon copy on the instance's schedule is deleted at once, and nothing undoes it).
 */
function TargetItem(props: { job: PublishJob; target: Target; many: boolean }) {
  const { job, target } = props;
  const view = useOutboxView();
  const { words } = view;
  const { t } = words;
  const { actions } = useServices();
  const busy = view.busy.has(job.id);
  const who = profileLabel(words, target);
  const said = targetWords(words, job, target);
  // Named with the profile and the job at this profile's time: "Try again: @brand on X, “Spring
  // sale” (Mon 29 Mar, 09:00)".
  const post = jobName(words, job, target);
  const named = (action: string) => t('outbox.named.target', { action, profile: who, post });
  const retry = (done: string) => void view.act(job.id, () => actions.outbox.retry(job.id, [target.profileId]), done);
  const { confirming, setConfirming, cancelButton, keep } = useCancelConfirm();
  const cancel = async () => {
    const ok = await view.act(
      job.id,
      () => actions.outbox.cancel(job.id, [target.profileId]),
      t('outbox.done.cancelled'),
    );
    if (!ok) return keep();
    setConfirming(false);
  };
  const server = target.state === 'on-server' ? accountOf(words, target)?.server : undefined;
  const links = target.parts
    .map((p, i) => ({ url: webUrlOf(p.url), part: i + 1 }))
    .filter((l): l is { url: URL; part: number } => l.url !== null);
  const network = NETWORK_NAMES[target.network];
  return (
    <li className={`outbox-target tone-${said.tone}`} data-state={target.state}>
      <span className="outbox-profile">{who}</span>
      <span className="outbox-state">{said.status}</span>
      <TargetUpload target={target} network={network} language={words.language} />
      {said.note && <span className="outbox-note">{said.note}</span>}
      {links.length > 0 && (
        <span className="outbox-links">
          {links.map((l) => (
            <a
              key={l.part}
              href={l.url.href}
              target="_blank"
              rel="noreferrer noopener"
              title={l.url.href}
              aria-label={
                target.parts.length > 1
                  ? t('outbox.actions.openPartOn', { part: l.part, parts: target.parts.length, network, profile: who })
                  : t('outbox.actions.openOn', { network, profile: who })
              }
            >
              <ExternalLink size={13} aria-hidden="true" />{' '}
              {target.parts.length > 1 ? t('outbox.actions.openPart', { part: l.part }) : t('outbox.actions.open')}
            </a>
          ))}
        </span>
      )}
      {confirming && (
        <CancelConfirm
          question={
            target.state === 'on-server'
              ? t('outbox.confirmCancelTarget.questionServer', {
                  profile: who,
                  server: server ? hostOf(server) : t('outbox.state.instance'),
                })
              : t('outbox.confirmCancelTarget.question', { profile: who })
          }
          keep={t('outbox.confirmCancelTarget.keep')}
          keepName={t('outbox.named.keepTarget', { profile: who, post })}
          yes={t('outbox.confirmCancelTarget.yes')}
          yesName={t('outbox.named.confirmCancelTarget', { profile: who, post })}
          busy={busy}
          onCancel={() => void cancel()}
          onKeep={keep}
        />
      )}
      <span className="outbox-target-actions" hidden={confirming}>
        {target.state === 'failed' && (
          <button
            type="button"
            disabled={busy}
            aria-label={named(t('outbox.actions.retry'))}
            onClick={() => retry(t('outbox.done.retried'))}
          >
            {t('outbox.actions.retry')}
          </button>
        )}
        {target.state === 'held' && (
          <>
            <button
              type="button"
              disabled={busy}
              aria-label={named(t('outbox.actions.sendNow'))}
              onClick={() => retry(t('outbox.done.sending'))}
            >
              {t('outbox.actions.sendNow')}
            </button>
            <button
              type="button"
              disabled={busy}
              aria-label={named(t('outbox.actions.otherTime'))}
              onClick={() => view.move(job, target.due?.at ?? null, jobZone(job, words.zone))}
            >
              {t('outbox.actions.otherTime')}
            </button>
          </>
        )}
        {target.state === 'waiting' && target.waitingFor === 'needs-reconnect' && (
          <button type="button" onClick={view.openAccounts}>
            {t('outbox.actions.accounts')}
          </button>
        )}
        {/* A held or waiting one, a failed one (given up), or one of several still to go. */}
        {(target.state === 'held' ||
          target.state === 'waiting' ||
          target.state === 'failed' ||
          (props.many && isOpenTarget(target))) && (
          <button
            ref={cancelButton}
            type="button"
            disabled={busy}
            aria-label={named(t('outbox.actions.cancel'))}
            onClick={() => setConfirming(true)}
          >
            {t('outbox.actions.cancel')}
          </button>
        )}
      </span>
    </li>
  );
}
