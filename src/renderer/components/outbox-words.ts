// What the Outbox view says about a job and each of its targets, in the UI's language: where a
// job is listed (needs attention, scheduled, sent), each target's state in words (sent with its
// time, failed with the reason and the part of a thread, waiting and why, on the server), and the
// calendar's entries. Pure functions over the mirrored jobs (state/outbox.ts), tested without React.
import type { TFunction } from 'i18next';
import type { Locale } from 'date-fns';
import { NETWORK_NAMES, type Account } from '../../shared/model';
import { partsFor, type PublishJob, type Target } from '../../shared/outbox';
import { isOpenTarget } from '../state/outbox';
import { describeError } from './errors';
import { dualTime, formatIn } from './outbox-time';
import { hostOf } from './post-text';

/** What the words need: translations, the UI's language and date locale, the CM's zone, her accounts. */
export interface OutboxWords {
  t: TFunction;
  language: string;
  locale: Locale;
  /** The CM's zone (the computer's): every time is told in it first. */
  zone: string;
  accounts: readonly Account[];
}

/** Where a job is listed. */
export type OutboxSection = 'attention' | 'scheduled' | 'sent';

/**
 * A job with a target failed, held or waiting needs attention; else one with a target still to
 * go (scheduled, on a server's schedule, being sent) is scheduled; else it is history (sent, or
 * cancelled).
 */
export function sectionOf(job: PublishJob): OutboxSection {
  if (job.targets.some((t) => t.state === 'failed' || t.state === 'held' || t.state === 'waiting')) return 'attention';
  if (job.targets.some((t) => t.state === 'scheduled' || t.state === 'on-server' || t.state === 'sending'))
    return 'scheduled';
  return 'sent';
}

const latest = (job: PublishJob) => Math.max(...job.targets.map((t) => Date.parse(t.updatedAt)));
const sentAt = (job: PublishJob) =>
  Math.max(
    Date.parse(job.createdAt),
    ...job.targets.flatMap((t) => t.parts.map((p) => (p.sentAt ? Date.parse(p.sentAt) : 0))),
  );
/** The earliest due time of a job's targets still to go; -Infinity for "as soon as possible". */
const nextDue = (job: PublishJob) => {
  const open = job.targets.filter((t) => isOpenTarget(t) || t.state === 'sending');
  if (open.some((t) => !t.due)) return -Infinity;
  return Math.min(...open.map((t) => Date.parse(t.due!.at)));
};

/**
 * The jobs of a section in the order it lists them: scheduled by due time (soonest first, "as soon
 * as possible" before), needing attention by their last change (newest first), sent by the time
 * their last part went out (newest first).
 */
export function jobsOf(jobs: readonly PublishJob[], section: OutboxSection): PublishJob[] {
  const chosen = jobs.filter((j) => sectionOf(j) === section);
  const by = section === 'scheduled' ? (j: PublishJob) => -nextDue(j) : section === 'sent' ? sentAt : latest;
  return chosen.sort((a, b) => by(b) - by(a) || b.createdAt.localeCompare(a.createdAt));
}

/** The account a target posts as (undefined when it was removed since). */
export const accountOf = (w: OutboxWords, t: Target) => w.accounts.find((a) => a.profile.id === t.profileId);

/** "@brand on Bluesky": the profile a target posts as, and its network. */
export function profileLabel(w: OutboxWords, target: Target): string {
  const account = accountOf(w, target);
  const handle = account ? account.profile.handle : target.profileId.replace(/^[a-z]+:/, '');
  return w.t('outbox.profileOn', { handle, network: NETWORK_NAMES[target.network] });
}

/**
 * The text a job shows, trimmed ('' for none): its first part as its network posts it when all its
 * targets are on one network (a variant), else the shared text.
 */
export function jobText(job: PublishJob | null): string {
  if (!job) return '';
  const networks = new Set(job.targets.map((t) => t.network));
  const [network] = networks;
  const parts = networks.size === 1 && network ? partsFor(job.content, network) : job.content.parts;
  return (parts[0]?.text ?? '').trim();
}

/** How many graphemes of a job's text a control's name keeps (`jobName`). */
const NAME_TEXT_LENGTH = 40;

/**
 * `text` on one line, at most `max` graphemes (Intl.Segmenter: a cut never splits an emoji or an
 * accented letter), with "…" where it was cut.
 */
export function shortText(text: string, max = NAME_TEXT_LENGTH): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(line)];
  if (graphemes.length <= max) return line;
  return `${graphemes
    .slice(0, max - 1)
    .map((g) => g.segment)
    .join('')
    .trimEnd()}…`;
}

/**
 * The job a control acts on, in words, for its accessible name: its text shortened (`shortText`)
 * and its time in the CM's zone, "“Launch day” (Mon 29 Mar, 09:00)". The time is the earliest of
 * its targets still to go, else when its last part went out, else any target's; none when it has
 * none ("as soon as possible"). Per-job buttons carry it so that a screen reader's list of buttons
 * tells "Cancel the post" of one job from another's (WCAG 2.4.6, 2.5.3: the visible words first).
 * With `target` (a profile's own buttons), the time is that target's: its due time while it is
 * still to go, else when its last part went out, else its due time.
 */
export function jobName(w: OutboxWords, job: PublishJob | null, target?: Target): string {
  const text = job ? shortText(jobText(job)) : '';
  const post = text ? w.t('outbox.named.text', { text }) : w.t('outbox.noText');
  if (!job) return post;
  const targets = target ? [target] : job.targets;
  const open = targets.filter((t) => (isOpenTarget(t) || t.state === 'sending') && t.due);
  const due = (targets: Target[]) => Math.min(...targets.map((t) => Date.parse(t.due!.at)));
  const sent = Math.max(0, ...targets.flatMap((t) => t.parts.map((p) => (p.sentAt ? Date.parse(p.sentAt) : 0))));
  const any = targets.filter((t) => t.due);
  const at = open.length ? due(open) : sent > 0 ? sent : any.length ? due(any) : null;
  if (at === null || !Number.isFinite(at)) return post;
  return w.t('outbox.named.timed', { post, time: formatIn(at, w.zone, 'EEE d MMM, HH:mm', w.locale) });
}

/** How many posts a target's thread has (1 for a single post). */
export const partCount = (target: Target) => target.parts.length;

/** A due time in words: "Mon 29 Mar, 09:00 Paris · 03:00 New York", or "As soon as possible". */
export function dueWords(w: OutboxWords, target: Target): string {
  if (!target.due) return w.t('outbox.state.asap');
  return dualTime(target.due.at, target.due.zone, w.zone, w.locale, true);
}

/**
 * `text` as a sentence that another can follow: a full stop added when it ends without one (a
 * network's words quoted, "Mastodon said: “Something went wrong”"), so that "… The parts after
 * it…" reads as two sentences.
 */
export function sentence(text: string): string {
  const trimmed = text.trimEnd();
  return /[.!?…](\s*[”»"’')])*$/u.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** How late a sent target went out, in whole minutes, when more than a minute late; else 0. */
export function minutesLate(target: Target): number {
  if (target.lateMinutes) return target.lateMinutes;
  const first = target.parts.find((p) => p.sentAt)?.sentAt;
  if (!first || !target.due) return 0;
  const late = Date.parse(first) - Date.parse(target.due.at);
  return late > 60_000 ? Math.round(late / 60_000) : 0;
}

/** A target's state in words, and what it means for the CM (a second sentence, when there is one). */
export interface TargetWords {
  status: string;
  note?: string;
  /** How it looks: `bad` failed, `warn` waits for something or someone, `good` sent. */
  tone: 'good' | 'warn' | 'bad' | 'plain';
}

/**
 * A target's state in words:
 * - scheduled: its time in the CM's zone and the audience's ("Scheduled for Mon 29 Mar, 09:00 Paris
 *   · 03:00 New York"), and, for every network but Mastodon (whose instance can hold it), that
 *   Colonnade must be running then;
 * - on the server: "On mastodon.social's schedule: posts even when Colonnade is closed";
 * - waiting: offline, "this profile needs reconnecting", or rate-limited until HH:MM;
 * - held: missed while Colonnade was closed, with its time;
 * - sent: when (and how late, and why when the catch-up policy sent it); failed: the reason in words (errors.ts), with "part 2 of 3" for
 *   a thread's part; cancelled (and why, when the instance dropped it).
 */
export function targetWords(w: OutboxWords, job: PublishJob, target: Target): TargetWords {
  const { t } = w;
  const why = (error = target.error) =>
    error ? describeError(t, error, w.language, 'composer', target.network) : t('errors.internal');
  switch (target.state) {
    case 'scheduled': {
      const status = target.due ? t('outbox.state.scheduled', { time: dueWords(w, target) }) : t('outbox.state.asap');
      // A send that failed for now (the network's trouble): main tries again by itself.
      if (target.error && target.attempts > 0) return { status, note: t('outbox.state.retrying'), tone: 'warn' };
      // Still with Colonnade (a Mastodon post less than 5 minutes ahead, or one its instance did not
      // take): Colonnade must be running then, on every network.
      const must = target.due ? t('outbox.state.mustRun') : undefined;
      // The instance refused to hold it (its limits): Colonnade sends it itself.
      const note = target.error ? `${must ? sentence(why()) : why()} ${must ?? ''}`.trim() : must;
      return { status, ...(note ? { note } : {}), tone: 'plain' };
    }
    case 'on-server': {
      const server = accountOf(w, target)?.server;
      return {
        status: t('outbox.state.scheduled', { time: dueWords(w, target) }),
        note: t('outbox.state.onServer', { server: server ? hostOf(server) : t('outbox.state.instance') }),
        tone: 'good',
      };
    }
    case 'sending': {
      const parts = partCount(target);
      const part = (target.attempt?.part ?? target.parts.findIndex((p) => !p.postId)) + 1;
      return {
        status: parts > 1 ? t('outbox.state.sendingPart', { part, parts }) : t('outbox.state.sending'),
        tone: 'plain',
      };
    }
    case 'waiting': {
      const network = NETWORK_NAMES[target.network];
      switch (target.waitingFor) {
        case 'offline':
          return { status: t('outbox.state.offline'), tone: 'warn' };
        case 'needs-reconnect':
          return { status: t('outbox.state.reconnect'), tone: 'warn' };
        case 'rate-limited': {
          const reset = target.error?.resetAt;
          return {
            status: reset
              ? t('outbox.state.rateLimited', { network, time: formatIn(reset, w.zone, 'HH:mm', w.locale) })
              : t('outbox.state.rateLimitedNoTime', { network }),
            tone: 'warn',
          };
        }
        default:
          return { status: t('outbox.state.waiting'), tone: 'warn' };
      }
    }
    case 'held':
      return {
        status: t('outbox.state.held'),
        note: target.due ? t('outbox.state.heldDue', { time: dueWords(w, target) }) : undefined,
        tone: 'bad',
      };
    case 'sent': {
      const times = target.parts.map((p) => (p.sentAt ? Date.parse(p.sentAt) : 0));
      const last = Math.max(...times);
      const time = last > 0 ? formatIn(last, w.zone, 'EEE d MMM, HH:mm', w.locale) : '';
      // Late: by the catch-up policy (main sets `lateMinutes` when it sends a post missed while
      // Colonnade was closed or the computer asleep), else for a reason main no longer records
      // once sent (offline, a rate limit, a reconnect, a held post sent later): the lateness alone.
      const late = minutesLate(target);
      const status = !time
        ? t('outbox.state.sentNoTime')
        : late === 0
          ? t('outbox.state.sent', { time })
          : target.lateMinutes
            ? t('outbox.state.sentLateCatchUp', { time, count: late })
            : t('outbox.state.sentLate', { time, count: late });
      return { status, tone: 'good' };
    }
    case 'failed': {
      const part = target.error?.params?.part;
      const parts = target.error?.params?.parts;
      // A thread stops at its refused part: the parts after it wait with it.
      const key = part === parts ? 'failedLastPart' : 'failedPart';
      const status =
        part && parts
          ? t(`outbox.state.${key}`, { part, parts, why: key === 'failedPart' ? sentence(why()) : why() })
          : t('outbox.state.failed', { why: why() });
      return { status, tone: 'bad' };
    }
    case 'cancelled':
      return {
        status: target.error ? t('outbox.state.cancelledWhy', { why: why() }) : t('outbox.state.cancelled'),
        tone: 'plain',
      };
  }
}

/** One post in the calendar: a job's targets due at one instant. */
export interface CalendarEntry {
  /** Unique: the job and the instant. */
  id: string;
  job: PublishJob;
  /** Due instant (ISO), and the audience's zone it was chosen in (the job's zone, kept on a move). */
  at: string;
  zone: string;
  targets: Target[];
  /** Still to go: it can be moved. Sent or being sent: shown, not movable. */
  movable: boolean;
}

/**
 * Every post the calendar shows: each job's targets with a due time that are still to go, being
 * sent, or sent, one entry per job and instant (a post to five profiles at 9:00 is one entry; a
 * queued post whose profiles' slots differ is one entry per slot). Sorted by time.
 */
export function calendarEntries(jobs: readonly PublishJob[]): CalendarEntry[] {
  const entries = new Map<string, CalendarEntry>();
  for (const job of jobs) {
    for (const target of job.targets) {
      if (!target.due || target.state === 'cancelled' || target.state === 'failed') continue;
      const id = `${job.id}@${target.due.at}`;
      let entry = entries.get(id);
      if (!entry) {
        entry = { id, job, at: target.due.at, zone: target.due.zone, targets: [], movable: false };
        entries.set(id, entry);
      }
      entry.targets.push(target);
      if (isOpenTarget(target)) entry.movable = true;
    }
  }
  return [...entries.values()].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.id.localeCompare(b.id));
}
