// The Outbox (issue 8): every publish job, per target profile, in lists (needs attention,
// scheduled, sent) beside a calendar (week and month) where a post is moved by dragging it or,
// with the keyboard, by "Move…". A large modal dialog rather than a panel in place of the deck:
// it is a task over the whole outbox that needs the window's width (lists and a 7-day grid side
// by side), the deck underneath keeps its columns and reading positions untouched (a panel in its
// place would unmount the virtual lists), and, like Accounts and the composer, Escape or Close
// ends it with focus back on the top bar's Outbox button (use-modal-dialog, as Dialog.tsx).
// "Edit…" on a post opens the app's composer over it (state/store.ts `openComposer` with `edit`).
// Loaded on first opening (App's top bar, OutboxButton), like the composer.
import { ListOrdered, X } from 'lucide-react';
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublishJob } from '../../shared/outbox';
import { isOpenTarget, useOutboxStore } from '../state/outbox';
import { openComposer, useAppStore } from '../state/store';
import { describeThrown } from './errors';
import { OutboxCalendar } from './OutboxCalendar';
import { OutboxLists } from './OutboxLists';
import { OutboxMoveDialog } from './OutboxMoveDialog';
import { OutboxQueueDialog } from './OutboxQueueDialog';
import { OutboxViewContext, type OutboxView } from './outbox-context';
import { calendarLocale, systemZone, zoneCity } from './outbox-time';
import { useModalDialog } from './use-modal-dialog';
import './outbox.css';

export interface OutboxDialogProps {
  onClose(): void;
  /** Close the Outbox and open Accounts (a profile to reconnect). */
  onOpenAccounts(): void;
  language: string;
  /** The CM's zone; the computer's by default (tests give one). */
  zone?: string;
  /** Now in ms; the computer's clock by default (tests give one). */
  now?: () => number;
  /** The computer's locale tag ("en-GB"), for the English calendar's first weekday; navigator's by default. */
  systemLocale?: string;
}

export function OutboxDialog(props: OutboxDialogProps) {
  const { t } = useTranslation();
  const { language } = props;
  // Shown modal; focus goes back to what opened it (its button) however it closes.
  const ref = useModalDialog();
  const [dialogEl, setDialogEl] = useState<HTMLDialogElement | null>(null);
  const titleId = useId();
  const accounts = useAppStore((s) => s.accounts);
  const jobsById = useOutboxStore((s) => s.jobs);
  const jobs = useMemo(() => Object.values(jobsById), [jobsById]);
  const [zone] = useState(() => props.zone ?? systemZone());
  const locale = useMemo(() => calendarLocale(language, props.systemLocale), [language, props.systemLocale]);
  const words = useMemo(() => ({ t, language, locale, zone, accounts }), [t, language, locale, zone, accounts]);
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [moving, setMoving] = useState<{
    jobId: string;
    at: string | null;
    zone: string;
    fromCalendar: boolean;
  } | null>(null);
  const [revealed, setRevealed] = useState<OutboxView['revealed']>(null);
  const [queues, setQueues] = useState(false);
  const nowFn = props.now;
  const now = useCallback(() => (nowFn ? nowFn() : Date.now()), [nowFn]);

  // dnd-kit's announcements go inside the dialog: the rest of the page is inert while it is modal.
  useEffect(() => setDialogEl(ref.current), [ref]);

  const act = useCallback<OutboxView['act']>(
    async (jobId, work, done, refused) => {
      setBusy((b) => new Set(b).add(jobId));
      setStatus('');
      setProblem('');
      try {
        await work();
        setStatus(done);
        return true;
      } catch (err) {
        const why = describeThrown(t, err, language);
        setProblem(refused ? `${refused} ${why}` : why);
        return false;
      } finally {
        setBusy((b) => {
          const next = new Set(b);
          next.delete(jobId);
          return next;
        });
      }
    },
    [t, language],
  );
  // A job being edited in the composer (opened over the Outbox), with its content then: once the
  // composer closes, the status line says whether the changes were saved.
  const [editing, setEditing] = useState<{ jobId: string; content: string } | null>(null);
  const composing = useAppStore((s) => s.compose !== null);
  const edit = useCallback((job: PublishJob) => {
    setStatus('');
    setProblem('');
    setEditing({ jobId: job.id, content: JSON.stringify(job.content) });
    openComposer({
      edit: { jobId: job.id },
      initial: {
        targets: job.targets.filter(isOpenTarget).map((x) => x.profileId),
        parts: structuredClone(job.content.parts),
        variants: structuredClone(job.content.variants ?? {}),
        when: job.when,
      },
    });
  }, []);
  useEffect(() => {
    if (!editing || composing) return;
    const job = jobsById[editing.jobId];
    if (job && JSON.stringify(job.content) !== editing.content) setStatus(t('outbox.done.edited'));
    setEditing(null);
  }, [editing, composing, jobsById, t]);
  const move = useCallback(
    (job: PublishJob, at: string | null, z: string, fromCalendar = false) =>
      setMoving({ jobId: job.id, at, zone: z, fromCalendar }),
    [],
  );
  const { onOpenAccounts } = props;
  const view = useMemo<OutboxView>(
    () => ({
      words,
      busy,
      act,
      move,
      edit,
      say: (text: string) => {
        setProblem('');
        setStatus(text);
      },
      revealed,
      openAccounts: onOpenAccounts,
      now,
    }),
    [words, busy, act, move, edit, revealed, onOpenAccounts, now],
  );
  const movingJob = moving ? jobsById[moving.jobId] : undefined;

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className="dialog outbox-dialog"
      // Escape and close reach here from the dialogs inside too (React bubbles them): only this one's.
      onClose={(e) => e.target === e.currentTarget && props.onClose()}
      onCancel={(e) => {
        if (e.target !== e.currentTarget) return;
        e.preventDefault();
        props.onClose();
      }}
    >
      <OutboxViewContext.Provider value={view}>
        <div className="outbox">
          <header className="outbox-head">
            <h2 id={titleId}>{t('outbox.title')}</h2>
            <p className="muted outbox-zone">{t('outbox.yourZone', { zone: zoneCity(zone) })}</p>
            <button type="button" onClick={() => setQueues(true)}>
              <ListOrdered size={16} aria-hidden="true" /> {t('outbox.queues')}
            </button>
            <button
              type="button"
              className="icon"
              aria-label={t('outbox.close')}
              title={t('outbox.close')}
              onClick={props.onClose}
            >
              <X size={16} aria-hidden="true" />
            </button>
          </header>
          <p className="outbox-status" role="status">
            {status}
          </p>
          {problem && (
            <p className="form-error outbox-problem" role="alert">
              {problem}
            </p>
          )}
          <div className="outbox-body">
            <OutboxLists jobs={jobs} />
            <OutboxCalendar jobs={jobs} announcer={dialogEl} />
          </div>
        </div>
        {moving && movingJob && (
          <OutboxMoveDialog
            job={movingJob}
            at={moving.at}
            zone={moving.zone}
            language={language}
            onClose={() => setMoving(null)}
            onMoved={(at) => moving.fromCalendar && setRevealed((r) => ({ at, n: (r?.n ?? 0) + 1 }))}
          />
        )}
        {queues && <OutboxQueueDialog language={language} onClose={() => setQueues(false)} />}
      </OutboxViewContext.Provider>
    </dialog>
  );
}
