// What the parts of the Outbox view (lists, calendar, dialogs) share: the words' context, one
// way to run an action and say its outcome (role=status, or the refusal in words, role=alert),
// and opening "Move" or the composer ("Edit…") for a post. Given by OutboxDialog.
import { createContext, useContext } from 'react';
import type { PublishJob } from '../../shared/outbox';
import type { OutboxWords } from './outbox-words';

export interface OutboxView {
  words: OutboxWords;
  /** Jobs with an action under way (their buttons are off meanwhile). */
  busy: ReadonlySet<string>;
  /**
   * Runs `work` for a job: says `done` in the view's status line when it succeeds, or what went
   * wrong, in words (`refused` before it: "The post could not be moved:"), when it fails.
   * Answers true on success.
   */
  act(jobId: string, work: () => Promise<unknown>, done: string, refused?: string): Promise<boolean>;
  /** Says `text` in the view's status line (a move made in the Move dialog). */
  say(text: string): void;
  /**
   * Opens "Move" for a job: its time `at` (ISO; null when it has none), in its zone `zone`. From
   * the calendar (`fromCalendar`), focus follows the post to its new cell once moved.
   */
  move(job: PublishJob, at: string | null, zone: string, fromCalendar?: boolean): void;
  /**
   * Opens the composer on a job not yet sent ("Edit…"): its parts, versions and media to change,
   * its profiles and time shown as they are; saving sends `outbox.edit`.
   */
  edit(job: PublishJob): void;
  /** A post moved from the calendar's "Move…" to `at` (ISO): the calendar shows and focuses it. */
  revealed: { at: string; n: number } | null;
  /** Closes the Outbox and opens Accounts (to reconnect a profile). */
  openAccounts(): void;
  /** Now, in ms (a test's clock, else the computer's). */
  now(): number;
}

export const OutboxViewContext = createContext<OutboxView | null>(null);

export function useOutboxView(): OutboxView {
  const view = useContext(OutboxViewContext);
  if (!view) throw new Error('useOutboxView outside the Outbox view');
  return view;
}

/** The zone a job keeps when moved: the one its time was chosen in, else its first target's. */
export function jobZone(job: PublishJob, fallback: string): string {
  if (job.when.kind === 'at') return job.when.zone;
  return job.targets.find((t) => t.due)?.due?.zone ?? fallback;
}
