// The outbox as the renderer mirrors it. Main owns every publish job (src/main/core/outbox); this
// slice is filled from `outbox.list` at each (re)connection and kept by the `outbox.changed`
// event (both in sync.ts), and by the answers of the actions below. Components read it through
// `useOutboxStore` and act through `makeOutboxActions` (spread into the app's actions as
// `actions.outbox`), never through IPC.
import { create } from 'zustand';
import type { Api } from '../api';
import { dueAt } from '../../shared/schedule/zoned-time';
import type { PostContent, PostingSchedule, PublishJob, Target, When } from '../../shared/outbox';

export interface OutboxState {
  /** Every job main holds, by id. */
  jobs: Record<string, PublishJob>;
  /** True once the first `outbox.list` answered. */
  loaded: boolean;
}

export const useOutboxStore = create<OutboxState>()(() => ({ jobs: {}, loaded: false }));

/** The store as the app starts (tests reset it after each test). */
export function resetOutbox(): void {
  useOutboxStore.setState({ jobs: {}, loaded: false }, true);
}

/**
 * How new a job's copy is: its latest change (main sets a target's `updatedAt` on every change it
 * makes), in ms. Copies of one job are compared with it: an older one never replaces a newer one.
 */
export function jobStamp(job: PublishJob): number {
  let stamp = Date.parse(job.createdAt);
  for (const t of job.targets) stamp = Math.max(stamp, Date.parse(t.updatedAt));
  return stamp;
}

// Jobs that main told about while an `outbox.list` was on its way: their live copy may be newer
// than the list's (an event is not ordered with a response), and a job made meanwhile may be missing
// from the list.
let liveNumber = 0;
const liveAt = new Map<string, number>();

/** Marks the start of an `outbox.list` request; give the mark to `outboxListed` with its answer. */
export function outboxListStarted(): number {
  return liveNumber;
}

/**
 * Main's list (`outbox.list`, answered after `mark`) becomes the slice: it is the truth, except
 * for copies told live since `mark` that are at least as new (`jobStamp`), and jobs made since.
 * A job neither listed nor told since is gone (removed, or main started afresh).
 */
export function outboxListed(list: readonly PublishJob[], mark: number): void {
  useOutboxStore.setState((s) => {
    const jobs: Record<string, PublishJob> = {};
    for (const job of list) jobs[job.id] = job;
    for (const [id, n] of liveAt) {
      if (n <= mark) continue;
      const live = s.jobs[id];
      const listed = jobs[id];
      if (live && (!listed || jobStamp(live) >= jobStamp(listed))) jobs[id] = live;
    }
    return { jobs, loaded: true };
  });
  for (const [id, n] of liveAt) if (n <= mark) liveAt.delete(id);
}

/** A job as main sent it (`outbox.changed`, or an action's answer): kept unless the slice has a newer copy. */
export function outboxJobChanged(job: PublishJob): void {
  liveAt.set(job.id, ++liveNumber);
  useOutboxStore.setState((s) => {
    const current = s.jobs[job.id];
    if (current && jobStamp(current) > jobStamp(job)) return s;
    return { jobs: { ...s.jobs, [job.id]: job } };
  });
}

/** A job left main's outbox (removed from the history). */
export function outboxJobRemoved(jobId: string): void {
  liveAt.delete(jobId);
  useOutboxStore.setState((s) => {
    if (!(jobId in s.jobs)) return s;
    const { [jobId]: _, ...rest } = s.jobs;
    return { jobs: rest };
  });
}

/** A target main will still send (or hand to its server): what "Cancel" and "Move" act on. */
export function isOpenTarget(t: Target): boolean {
  return t.state === 'scheduled' || t.state === 'waiting' || t.state === 'held' || t.state === 'on-server';
}

/**
 * A job whose text, media and versions can still be changed (`outbox.edit`): a target still to go,
 * none being sent, and no part of it out yet (main refuses otherwise: `job-started`, the rule of
 * src/main/core/outbox/outbox.ts `edit`).
 */
export function jobEditable(job: PublishJob): boolean {
  return (
    job.targets.some(isOpenTarget) && !job.targets.some((t) => t.state === 'sending' || t.parts.some((p) => !!p.postId))
  );
}

/**
 * Targets that need the CM: failed, held (missed while Colonnade was closed) and waiting for a
 * profile to be reconnected. The top bar's Outbox badge counts the posts that have one.
 */
export function needsCm(t: Target): boolean {
  return t.state === 'failed' || t.state === 'held' || (t.state === 'waiting' && t.waitingFor === 'needs-reconnect');
}

/**
 * How many posts (jobs) have a target that needs the CM (`needsCm`): one post failed on two
 * profiles is one post, as the badge's words ("1 post needs your attention") say.
 */
export function attentionCount(jobs: Record<string, PublishJob>): number {
  let n = 0;
  for (const job of Object.values(jobs)) if (job.targets.some(needsCm)) n++;
  return n;
}

export type OutboxActions = ReturnType<typeof makeOutboxActions>;

/**
 * What the Outbox view can ask main. Each answers (or throws ApiError, for the caller to say in
 * words where it happened) and puts main's answer in the slice.
 */
export function makeOutboxActions(api: Api) {
  return {
    /**
     * Move a job's unsent targets to `when` (main refuses a time that has passed:
     * `schedule-in-past`). With a time (`kind: 'at'`) the calendar shows the post there at once,
     * and puts it back where it was if main refuses.
     */
    reschedule: async (jobId: string, when: When): Promise<PublishJob> => {
      const before = useOutboxStore.getState().jobs[jobId];
      let shown: PublishJob | undefined;
      if (before && when.kind === 'at') {
        try {
          const due = dueAt(when.local, when.zone);
          shown = {
            ...before,
            when,
            targets: before.targets.map((t) => (isOpenTarget(t) ? { ...t, due: { ...due } } : t)),
          };
          const optimistic = shown;
          useOutboxStore.setState((s) => ({ jobs: { ...s.jobs, [jobId]: optimistic } }));
        } catch {
          shown = undefined; // a zone or date main will refuse in words: nothing moves meanwhile
        }
      }
      try {
        const job = await api('outbox.reschedule', { jobId, when });
        outboxJobChanged(job);
        return job;
      } catch (err) {
        // Back where it was, unless main told of a newer copy meanwhile.
        if (shown && before && useOutboxStore.getState().jobs[jobId] === shown) {
          useOutboxStore.setState((s) => ({ jobs: { ...s.jobs, [jobId]: before } }));
        }
        throw err;
      }
    },
    /**
     * Replace the content (parts, variants, media) of a job none of whose parts went out; its
     * targets and time stay. Main refuses (`job-started`) once a part went out or is being sent,
     * and checks the new content against each target's limits as `outbox.submit` does.
     */
    edit: async (jobId: string, content: PostContent): Promise<PublishJob> => {
      const job = await api('outbox.edit', { jobId, content });
      outboxJobChanged(job);
      return job;
    },
    /** Cancel a job's unsent (and failed) targets: all, or those of `profileIds`. */
    cancel: async (jobId: string, profileIds?: string[]): Promise<PublishJob> => {
      const job = await api('outbox.cancel', { jobId, ...(profileIds ? { profileIds } : {}) });
      outboxJobChanged(job);
      return job;
    },
    /**
     * Send again, now, these targets of a job (`profileIds`: failed or held ones). Always named:
     * main's "all" would also take the held and waiting ones.
     */
    retry: async (jobId: string, profileIds: string[]): Promise<PublishJob> => {
      const job = await api('outbox.retry', { jobId, profileIds });
      outboxJobChanged(job);
      return job;
    },
    /** Remove a finished job from the history. */
    remove: async (jobId: string): Promise<void> => {
      await api('outbox.remove', { jobId });
      outboxJobRemoved(jobId);
    },
    /** A profile's queue (weekly posting slots in its audience's zone), null when it has none. */
    queue: (profileId: string) => api('queue.get', { profileId }),
    /** Save (or clear, with null) a profile's queue; answers it as main saved it. */
    setQueue: (profileId: string, schedule: PostingSchedule | null) => api('queue.set', { profileId, schedule }),
  };
}
