// The outbox and scheduler (design: "Scheduler and outbox"). Main owns every publish job: a post
// (or thread) to one or more profiles, now, at a chosen time, or in the next free slot of each
// profile's queue. Jobs live in a journal (one durable append per change, a snapshot now and
// then); one timer waits for the earliest due target; every target goes out exactly once:
// - a send is written down as under way (`attempt`) and made durable BEFORE the request leaves;
// - each part has an idempotency key chosen when the job was made: Bluesky's record key (the
//   same key cannot be created twice), Mastodon's Idempotency-Key; X has none, so the adapter
//   looks among the profile's own posts since `uncertainSince` before sending again;
// - after a crash a target found under way is sent again with `uncertainSince`, never blindly.
// Due times are wall-clock times in a zone (9:00 Paris stays 9:00 Paris across DST), refreshed
// from their zone when loaded. Missed while Colonnade was closed or asleep: the catch-up policy
// posts late up to N minutes and holds the rest for the CM. Offline: due targets wait for the
// network. A profile to reconnect: its targets wait, then go if still within the policy.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { MediaUpload, NetworkAdapter, UploadProgress } from '../../../shared/adapter';
import { ColonnadeError, toAppError, type AppError } from '../../../shared/errors';
import type { NetworkId } from '../../../shared/model';
import {
  PublishJobSchema,
  jobFinished,
  partsFor,
  type CatchUpPolicy,
  type Due,
  type PostContent,
  type PostingSchedule,
  type PublishJob,
  type Target,
  type When,
} from '../../../shared/outbox';
import { dueAt, instantToZoned, refreshDue } from '../../../shared/schedule/zoned-time';
import { freeSlotsAfter } from '../../../shared/schedule/slots';
import { exceededLimit, measureText, textToPublish, tooLongParams } from '../../../shared/text-length';
import type { Clock, JournalStore, Logger } from '../ports';
import { DueHeap } from './due-heap';

/** Later than this after its due time, a target that was never tried is "missed" (the policy decides). */
export const LATE_GRACE_MS = 60_000;
/** The timer never sleeps longer than this, so a wall-clock jump is noticed within a minute. */
export const HEARTBEAT_MS = 60_000;
/** Transient failures of one target before it is failed. */
export const MAX_ATTEMPTS = 5;
/** A server-scheduled post is looked for this long after its time (the server's worker runs then). */
const SERVER_CHECK_DELAY_MS = 60_000;
/** Records in the journal past which it is folded into a snapshot. */
const COMPACT_AFTER = 2_000;

export interface AccountState {
  network: NetworkId;
  /** 'needs-reconnect' holds the profile's targets until it is connected again. */
  health: 'connected' | 'needs-reconnect' | 'rate-limited' | 'not-allowed';
}

export interface OutboxDeps {
  clock: Clock;
  log: Logger;
  journal: JournalStore;
  adapterFor(profileId: string): NetworkAdapter | undefined;
  account(profileId: string): AccountState | undefined;
  /** The bytes of a staged medium (`MediaRef.id`), or null when they are gone. */
  mediaBytes(id: string): Promise<Uint8Array | null>;
  catchUp(): CatchUpPolicy;
  /** A profile's queue (weekly slots), or null when it has none. */
  schedule(profileId: string): PostingSchedule | null;
  /** A job changed (the renderer mirrors jobs through `outbox.changed`). */
  changed(job: PublishJob): void;
  /** What a send learnt of an account's health (a refused sign-in: Accounts says reconnect). */
  health?(profileId: string, error: AppError): void;
  /** A target failed or was held for review: a desktop notification says so. */
  attention?(job: PublishJob, target: Target): void;
  /** Random in [0, 1), for retry jitter. */
  random?: () => number;
}

export interface SubmitRequest {
  id: string;
  content: PostContent;
  profileIds: string[];
  when: When;
  draftId?: string | undefined;
}

const RecordSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('put'), job: z.unknown() }),
  z.object({ op: z.literal('delete'), id: z.string() }),
]);
const SnapshotSchema = z.object({ schemaVersion: z.literal(1), jobs: z.array(z.unknown()) });

const key = (jobId: string, profileId: string) => `${jobId}\u0000${profileId}`;

/**
 * Where a profile's queue was last found full: every slot of `schedule` (its JSON) in (from, full]
 * was taken, `count` taken instants lay in (from, full], and `next` walks the schedule's slots
 * after `full`. So adding 10,000 posts to a queue does not walk the filled weeks 10,000 times.
 */
interface QueueNote {
  schedule: string;
  from: number;
  full: number;
  count: number;
  next: Iterator<number>;
}
const NOTHING_TAKEN: ReadonlySet<number> = new Set();

export class Outbox {
  private readonly jobs = new Map<string, PublishJob>();
  private readonly heap = new DueHeap();
  /** The instant each target is next looked at; a heap entry with another instant is stale. */
  private readonly planned = new Map<string, number>();
  /** Targets tried in this run of Colonnade: the catch-up policy is only for ones never tried. */
  private readonly tried = new Set<string>();
  /** One chain of sends per profile: a thread's parts and a profile's posts go in order. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly sending = new Set<string>();
  /** Per profile, where its queue was last found full (see nextSlot). */
  private readonly queueNotes = new Map<string, QueueNote>();
  /** Jobs the journal could not read: kept in the log and the snapshot, never dropped silently. */
  private unreadable: unknown[] = [];
  private timer: unknown;
  private timerAt = Infinity;
  private online = true;
  private records = 0;
  private stopped = false;

  constructor(private readonly deps: OutboxDeps) {}

  /**
   * Loads the journal and plans every target: due times refreshed from their zones, targets found
   * under way (a crash mid-send) sent again with `uncertainSince`, server-scheduled ones checked
   * after their time. Answers how many jobs were loaded and how many could not be read.
   */
  start(): { jobs: number; unreadable: number } {
    const { snapshot, records, torn, unreadable } = this.deps.journal.load();
    const raw = new Map<string, unknown>();
    if (snapshot !== undefined) {
      const parsed = SnapshotSchema.safeParse(snapshot);
      if (parsed.success) {
        for (const j of parsed.data.jobs) raw.set((j as { id?: string })?.id ?? randomUUID(), j);
      } else this.deps.log.error('outbox: the snapshot is not readable; its jobs are kept aside', {});
    }
    for (const r of records) {
      const rec = RecordSchema.safeParse(r);
      if (!rec.success) continue;
      if (rec.data.op === 'delete') raw.delete(rec.data.id);
      else raw.set((rec.data.job as { id?: string })?.id ?? randomUUID(), rec.data.job);
    }
    for (const [id, j] of raw) {
      const job = PublishJobSchema.safeParse(j);
      if (!job.success) {
        // One unreadable job never hides the others: it is kept as it was, and said in the log.
        this.unreadable.push(j);
        this.deps.log.error('outbox: a job could not be read and is kept aside', { id: String(id).slice(0, 100) });
        continue;
      }
      this.jobs.set(job.data.id, job.data);
    }
    if (torn || unreadable) this.deps.log.warn('outbox: journal lines left out', { torn, unreadable });
    const now = this.deps.clock.now();
    for (const job of this.jobs.values()) {
      let changed = false;
      for (const t of job.targets) {
        if (t.due && (t.state === 'scheduled' || t.state === 'on-server' || t.state === 'waiting')) {
          const due = safeRefresh(t.due);
          if (due.at !== t.due.at) {
            t.due = due;
            changed = true;
          }
        }
        if (t.state === 'sending')
          this.deps.log.warn('outbox: a send was under way when Colonnade stopped', { job: job.id });
        this.plan(job, t, this.firstLook(t, now));
      }
      if (changed) void this.persist(job);
    }
    this.compact();
    this.arm();
    return { jobs: this.jobs.size, unreadable: this.unreadable.length };
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Every job, newest first. */
  list(): PublishJob[] {
    return [...this.jobs.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  get(jobId: string): PublishJob | undefined {
    return this.jobs.get(jobId);
  }

  /**
   * Makes a job: checks each target profile (connected, and each part within its network's
   * length), gives each target its due time (now; `when.local` in `when.zone`; or the next free
   * slot of the profile's queue) and each part an idempotency key, writes it down (durable when
   * this resolves), then plans it. Submitting an id again answers the job made the first time.
   * Throws invalid / not-found (with `field` and a `reason`) without making anything.
   */
  async submit(req: SubmitRequest): Promise<PublishJob> {
    const existing = this.jobs.get(req.id);
    if (existing) return existing;
    const now = this.deps.clock.now();
    const profileIds = [...new Set(req.profileIds)];
    if (profileIds.length === 0)
      throw new ColonnadeError('invalid', 'Choose at least one profile to post as.', {
        field: 'profileIds',
        reason: 'no-target',
      });
    // Every check that waits (a Mastodon instance's limits) comes first; the queue slots are then
    // taken and the job stored without a pause, so two submits never take the same slot.
    const checked: Array<{ profileId: string; network: Target['network'] }> = [];
    for (const [i, profileId] of profileIds.entries()) {
      const account = this.deps.account(profileId);
      const adapter = this.deps.adapterFor(profileId);
      if (!account || !adapter)
        throw new ColonnadeError('not-found', 'That profile is not connected.', {
          field: `profileIds.${i}`,
          reason: 'profile-not-connected',
        });
      await this.checkParts(req.content, account.network, adapter, profileId);
      checked.push({ profileId, network: account.network });
    }
    const again = this.jobs.get(req.id);
    if (again) return again;
    const at = this.deps.clock.now();
    const targets: Target[] = [];
    for (const { profileId, network } of checked) {
      const due = this.dueFor(req.when, profileId, at, targets);
      targets.push({
        profileId,
        network,
        due,
        state: 'scheduled',
        parts: partsFor(req.content, network).map(() => ({ key: newKey() })),
        attempt: null,
        attempts: 0,
        updatedAt: iso(at),
      });
    }
    const job: PublishJob = {
      id: req.id,
      createdAt: iso(now),
      content: req.content,
      when: req.when,
      targets,
      ...(req.draftId ? { draftId: req.draftId } : {}),
    };
    this.jobs.set(job.id, job);
    await this.persist(job);
    this.deps.changed(job);
    for (const t of job.targets) {
      if (this.canHandToServer(t, now)) void this.handToServer(job, t);
      else this.plan(job, t, t.due ? Date.parse(t.due.at) : now);
    }
    this.arm();
    return job;
  }

  /**
   * Moves a job's targets that are not sent yet to another time (or the queue's next slots). A
   * target on a Mastodon instance's schedule is moved there too. Throws not-found for an unknown
   * job and invalid (`schedule-in-past`, `queue-no-slots`) for a time it cannot take.
   */
  async reschedule(jobId: string, when: When): Promise<PublishJob> {
    const job = this.need(jobId);
    const now = this.deps.clock.now();
    const open = job.targets.filter((t) => isOpen(t));
    if (open.length === 0)
      throw new ColonnadeError('invalid', 'Nothing of this post is left to send.', { reason: 'job-finished' });
    const others = job.targets.filter((t) => !open.includes(t));
    const moved: Target[] = [];
    for (const t of open) moved.push({ ...t, due: this.dueFor(when, t.profileId, now, [...others, ...moved], jobId) });
    for (const [i, t] of open.entries()) {
      const next = moved[i]!;
      if (t.state === 'on-server' && t.serverId) {
        const adapter = this.deps.adapterFor(t.profileId);
        const scheduling = adapter?.serverScheduling;
        const at = next.due ? Date.parse(next.due.at) : now;
        if (scheduling && at - now >= scheduling.minimumLeadMs) {
          await scheduling.reschedule(t.serverId, at);
        } else if (scheduling) {
          await scheduling.cancel(t.serverId);
          delete t.serverId;
          t.state = 'scheduled';
        }
      }
      t.due = next.due;
      if (t.state === 'held' || t.state === 'waiting') t.state = 'scheduled';
      if (t.state === 'scheduled') {
        delete t.waitingFor;
        t.attempts = 0;
      }
      t.updatedAt = iso(now);
      this.tried.delete(key(job.id, t.profileId));
    }
    job.when = when;
    await this.save(job);
    for (const t of open) {
      if (this.canHandToServer(t, now)) void this.handToServer(job, t);
      else this.plan(job, t, t.state === 'on-server' ? Date.parse(t.due!.at) + SERVER_CHECK_DELAY_MS : dueMs(t, now));
    }
    this.arm();
    return job;
  }

  /**
   * Replaces the content of a job no part of which has gone out. Targets get new idempotency keys
   * (a new post); one on a Mastodon instance's schedule is cancelled there and handed again.
   */
  async edit(jobId: string, content: PostContent): Promise<PublishJob> {
    const job = this.need(jobId);
    if (job.targets.some((t) => t.state === 'sending' || t.parts.some((p) => p.postId)))
      throw new ColonnadeError('invalid', 'Part of this post has gone out already; it can no longer be edited.', {
        reason: 'job-started',
      });
    const now = this.deps.clock.now();
    for (const t of job.targets.filter(isOpen)) {
      const adapter = this.deps.adapterFor(t.profileId);
      if (adapter) await this.checkParts(content, t.network, adapter, t.profileId);
    }
    for (const t of job.targets.filter(isOpen)) {
      if (t.state === 'on-server' && t.serverId) {
        await this.deps.adapterFor(t.profileId)?.serverScheduling?.cancel(t.serverId);
        delete t.serverId;
        t.state = 'scheduled';
      }
      t.parts = partsFor(content, t.network).map(() => ({ key: newKey() }));
      t.updatedAt = iso(now);
    }
    job.content = content;
    await this.save(job);
    for (const t of job.targets.filter(isOpen)) {
      if (this.canHandToServer(t, now)) void this.handToServer(job, t);
      else this.plan(job, t, dueMs(t, now));
    }
    this.arm();
    return job;
  }

  /**
   * Cancels targets not sent yet (all of them, or those of `profileIds`); one on a Mastodon
   * instance's schedule is cancelled there first. A target being sent cannot be cancelled.
   */
  async cancel(jobId: string, profileIds?: string[]): Promise<PublishJob> {
    const job = this.need(jobId);
    const now = this.deps.clock.now();
    const chosen = job.targets.filter((t) => !profileIds || profileIds.includes(t.profileId));
    if (chosen.some((t) => t.state === 'sending'))
      throw new ColonnadeError('invalid', 'This post is being sent right now; it cannot be cancelled.', {
        reason: 'sending-now',
      });
    for (const t of chosen) {
      if (!isOpen(t) && t.state !== 'failed') continue;
      if (t.state === 'on-server' && t.serverId) {
        const scheduling = this.deps.adapterFor(t.profileId)?.serverScheduling;
        if (scheduling) await scheduling.cancel(t.serverId);
        delete t.serverId;
      }
      t.state = 'cancelled';
      delete t.waitingFor;
      t.updatedAt = iso(now);
      this.planned.delete(key(job.id, t.profileId));
    }
    await this.save(job);
    this.arm();
    return job;
  }

  /**
   * Sends again, now, the failed and held targets (all, or those of `profileIds`). Parts that went
   * out stay out: a thread goes on from its first unsent part.
   */
  async retry(jobId: string, profileIds?: string[]): Promise<PublishJob> {
    const job = this.need(jobId);
    const now = this.deps.clock.now();
    let any = false;
    for (const t of job.targets) {
      if (profileIds && !profileIds.includes(t.profileId)) continue;
      if (t.state !== 'failed' && t.state !== 'held' && t.state !== 'waiting') continue;
      t.state = 'scheduled';
      t.attempts = 0;
      delete t.error;
      delete t.waitingFor;
      t.updatedAt = iso(now);
      // Sent now on purpose: the catch-up policy has been answered.
      this.tried.add(key(job.id, t.profileId));
      any = true;
    }
    if (!any)
      throw new ColonnadeError('invalid', 'Nothing of this post is waiting to be sent again.', {
        reason: 'nothing-to-retry',
      });
    await this.save(job);
    for (const t of job.targets) if (t.state === 'scheduled') this.plan(job, t, now);
    this.arm();
    return job;
  }

  /** Removes a finished job from the history. */
  async remove(jobId: string): Promise<void> {
    const job = this.need(jobId);
    if (!jobFinished(job))
      throw new ColonnadeError('invalid', 'Cancel this post before removing it.', { reason: 'job-not-finished' });
    this.jobs.delete(jobId);
    await this.deps.journal.append([{ op: 'delete', id: jobId }]);
    this.records++;
  }

  /** The computer is online again (due targets go out) or went offline (they will wait). */
  setOnline(online: boolean): void {
    const was = this.online;
    this.online = online;
    if (online && !was) this.release((t) => t.state === 'waiting' && t.waitingFor === 'offline');
  }

  /**
   * A profile was connected again: its targets that waited for it go out if still within the
   * catch-up policy, and are held for the CM otherwise.
   */
  profileReady(profileId: string): void {
    const now = this.deps.clock.now();
    const late = this.deps.catchUp().postLateUpToMinutes * 60_000;
    for (const job of this.jobs.values()) {
      let changed = false;
      for (const t of job.targets) {
        if (t.profileId !== profileId || t.state !== 'waiting' || t.waitingFor !== 'needs-reconnect') continue;
        if (t.due && now - Date.parse(t.due.at) > Math.max(late, LATE_GRACE_MS)) {
          this.hold(job, t, now);
        } else {
          t.state = 'scheduled';
          delete t.waitingFor;
          this.plan(job, t, now);
        }
        changed = true;
      }
      if (changed) void this.save(job);
    }
    this.arm();
  }

  /** After sleep or a clock change: look at the timetable again now. */
  wake(): void {
    this.arm(true);
  }

  /** The instants of a profile's targets that hold queue slots (for the calendar and the next slot). */
  takenSlots(profileId: string, exceptJob?: string): Set<number> {
    const taken = new Set<number>();
    for (const job of this.jobs.values()) {
      if (job.id === exceptJob) continue;
      for (const t of job.targets) {
        if (t.profileId === profileId && t.due?.slot && t.state !== 'cancelled' && t.state !== 'failed')
          taken.add(Date.parse(t.due.at));
      }
    }
    return taken;
  }

  // ---- timetable --------------------------------------------------------------------------------

  /** When a loaded target is first looked at. */
  private firstLook(t: Target, now: number): number | null {
    switch (t.state) {
      case 'scheduled':
        return dueMs(t, now);
      case 'sending':
        // Its outcome is unknown: looked for, then sent if it never went. First of all, before
        // anything else of its profile goes out: X finds it only among the profile's latest posts.
        return 0;
      case 'on-server':
        return Date.parse(t.due!.at) + SERVER_CHECK_DELAY_MS;
      case 'waiting':
        // Offline and reconnect waits are released by their events; a rate limit by its reset.
        if (t.waitingFor === 'rate-limited') return t.error?.resetAt ? Date.parse(t.error.resetAt) : now;
        if (t.waitingFor === 'needs-reconnect') {
          const account = this.deps.account(t.profileId);
          return account && account.health !== 'needs-reconnect' ? now : null;
        }
        return now;
      default:
        return null;
    }
  }

  private plan(job: PublishJob, t: Target, at: number | null): void {
    const k = key(job.id, t.profileId);
    if (at === null) {
      this.planned.delete(k);
      return;
    }
    this.planned.set(k, at);
    this.heap.push({ at, jobId: job.id, profileId: t.profileId });
  }

  /** Sets the one timer for the earliest planned target (at most HEARTBEAT_MS away). */
  private arm(force = false): void {
    if (this.stopped) return;
    const now = this.deps.clock.now();
    let top = this.heap.peek();
    while (top && this.planned.get(key(top.jobId, top.profileId)) !== top.at) {
      this.heap.pop();
      top = this.heap.peek();
    }
    const at = top ? Math.min(top.at, now + HEARTBEAT_MS) : now + HEARTBEAT_MS;
    if (!force && this.timer !== undefined && this.timerAt <= at) return;
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = this.deps.clock.setTimeout(() => this.tick(), Math.max(0, at - now));
  }

  private tick(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    if (this.stopped) return;
    const now = this.deps.clock.now();
    for (;;) {
      const top = this.heap.peek();
      if (!top || top.at > now) break;
      this.heap.pop();
      const k = key(top.jobId, top.profileId);
      if (this.planned.get(k) !== top.at) continue;
      this.planned.delete(k);
      const job = this.jobs.get(top.jobId);
      const t = job?.targets.find((x) => x.profileId === top.profileId);
      if (job && t) this.look(job, t, now);
    }
    this.arm();
  }

  /** A target's planned time came. */
  private look(job: PublishJob, t: Target, now: number): void {
    if (t.state === 'on-server') {
      void this.checkServer(job, t);
      return;
    }
    if (t.state !== 'scheduled' && t.state !== 'sending' && t.state !== 'waiting') return;
    const k = key(job.id, t.profileId);
    if (!this.tried.has(k) && t.due) {
      // Never tried in this run and late: Colonnade was closed or the computer asleep.
      const late = now - Date.parse(t.due.at);
      if (late > LATE_GRACE_MS) {
        if (late > this.deps.catchUp().postLateUpToMinutes * 60_000) {
          this.hold(job, t, now);
          void this.save(job);
          return;
        }
        t.lateMinutes = Math.round(late / 60_000);
      }
    }
    this.tried.add(k);
    this.enqueue(job, t);
  }

  private hold(job: PublishJob, t: Target, now: number): void {
    t.state = 'held';
    t.waitingFor = 'missed-while-closed';
    t.updatedAt = iso(now);
    this.deps.log.info('outbox: a post missed its time and waits for the CM', { job: job.id });
    this.deps.attention?.(job, t);
  }

  /** Releases waiting targets matching `which` (they go out now). */
  private release(which: (t: Target) => boolean): void {
    const now = this.deps.clock.now();
    for (const job of this.jobs.values()) {
      for (const t of job.targets) {
        if (!which(t)) continue;
        this.tried.add(key(job.id, t.profileId));
        this.plan(job, t, now);
      }
    }
    this.arm();
  }

  // ---- sending ----------------------------------------------------------------------------------

  private enqueue(job: PublishJob, t: Target): void {
    const k = key(job.id, t.profileId);
    if (this.sending.has(k)) return;
    this.sending.add(k);
    const before = this.chains.get(t.profileId) ?? Promise.resolve();
    const next = before
      .then(() => this.send(job, t))
      .catch((err: unknown) => this.deps.log.error('outbox: a send failed unexpectedly', { error: String(err) }))
      .finally(() => this.sending.delete(k));
    this.chains.set(t.profileId, next);
  }

  private async send(job: PublishJob, t: Target): Promise<void> {
    if (this.jobs.get(job.id) !== job || (t.state !== 'scheduled' && t.state !== 'sending' && t.state !== 'waiting'))
      return;
    const now = this.deps.clock.now();
    if (!this.online) return this.wait(job, t, 'offline');
    const account = this.deps.account(t.profileId);
    const adapter = this.deps.adapterFor(t.profileId);
    if (!account || !adapter) {
      return this.fail(job, t, {
        code: 'not-found',
        message: 'That profile is no longer connected.',
        reason: 'profile-not-connected',
      });
    }
    if (account.health === 'needs-reconnect') return this.wait(job, t, 'needs-reconnect');
    const parts = partsFor(job.content, t.network);
    for (let i = t.parts.findIndex((p) => !p.postId); i >= 0 && i < parts.length; i++) {
      const part = parts[i]!;
      const uncertainSince = t.attempt?.part === i ? Date.parse(t.attempt.startedAt) : undefined;
      t.state = 'sending';
      t.attempt = {
        part: i,
        startedAt: uncertainSince !== undefined ? t.attempt!.startedAt : iso(this.deps.clock.now()),
      };
      t.updatedAt = iso(this.deps.clock.now());
      // Written down before the request leaves: a crash from here on is an uncertain send.
      await this.save(job);
      let post;
      try {
        const media = await this.media(part.media);
        const replyTo = i > 0 ? t.parts[i - 1]!.postId : sameNetwork(job.content.replyTo, t.network);
        const quoteOf = i === 0 ? sameNetwork(job.content.quoteOf, t.network) : undefined;
        post = await adapter.publish({
          text: textToPublish(part.text),
          media,
          idempotencyKey: t.parts[i]!.key,
          ...(replyTo ? { replyTo } : {}),
          ...(quoteOf ? { quoteOf } : {}),
          ...(uncertainSince !== undefined ? { uncertainSince } : {}),
          ...(media.length ? { onProgress: this.uploadProgress(job, t) } : {}),
        });
      } catch (err) {
        delete t.upload;
        return this.failure(job, t, i, parts.length, err, now);
      }
      delete t.upload;
      t.parts[i] = { ...t.parts[i]!, postId: post.id, url: post.url, sentAt: iso(this.deps.clock.now()) };
      t.attempt = null;
      t.attempts = 0;
      delete t.error;
      if (i === parts.length - 1) {
        t.state = 'sent';
        delete t.waitingFor;
      }
      t.updatedAt = iso(this.deps.clock.now());
      await this.save(job);
    }
    this.deps.log.info('outbox: sent', { job: job.id, network: t.network, parts: parts.length });
  }

  /**
   * Keeps a target's upload progress (`Target.upload`) and tells the renderer when the shown share
   * moves by a whole percent or processing begins; not written to the journal (a restart starts
   * the upload again).
   */
  private uploadProgress(job: PublishJob, t: Target): (progress: UploadProgress) => void {
    let shown = -1;
    let processing = false;
    return ({ sent, total, processing: now }) => {
      if (this.jobs.get(job.id) !== job || t.state !== 'sending' || total <= 0) return;
      const percent = Math.floor((sent / total) * 100);
      if (percent === shown && Boolean(now) === processing) return;
      shown = percent;
      processing = Boolean(now);
      t.upload = { sent, total, ...(processing ? { processing } : {}) };
      this.deps.changed(job);
    };
  }

  private async media(refs: PublishJob['content']['parts'][number]['media']): Promise<MediaUpload[]> {
    const out: MediaUpload[] = [];
    const bytesOf = async (id: string, name: string) => {
      const data = await this.deps.mediaBytes(id);
      if (!data)
        throw new ColonnadeError('not-found', 'A medium of this post is no longer on this computer.', {
          reason: 'media-missing',
          params: { name },
        });
      return data;
    };
    for (const m of refs) {
      const name = m.name ?? m.mimeType;
      out.push({
        data: await bytesOf(m.id, name),
        mimeType: m.mimeType,
        alt: m.alt,
        ...(m.width && m.height ? { width: m.width, height: m.height } : {}),
        ...(m.durationSec !== undefined ? { durationSec: m.durationSec } : {}),
        ...(m.frameRate !== undefined ? { frameRate: m.frameRate } : {}),
        ...(m.asVideo ? { asVideo: await bytesOf(m.asVideo.id, name) } : {}),
      });
    }
    return out;
  }

  /** What a failed attempt means: wait (offline, rate limit, reconnect), try again later, or fail. */
  private async failure(job: PublishJob, t: Target, part: number, parts: number, err: unknown, startedAt: number) {
    const e = toAppError(err);
    const error: AppError =
      parts > 1 ? { ...e, params: { ...e.params, part: String(part + 1), parts: String(parts) } } : e;
    t.error = error;
    const now = this.deps.clock.now();
    switch (e.code) {
      case 'offline':
        return this.wait(job, t, 'offline');
      case 'auth-expired':
        this.deps.health?.(t.profileId, e);
        return this.wait(job, t, 'needs-reconnect');
      case 'rate-limited': {
        await this.wait(job, t, 'rate-limited');
        this.plan(job, t, e.resetAt ? Math.max(Date.parse(e.resetAt), now) + 1_000 : now + 15 * 60_000);
        this.arm();
        return;
      }
      case 'transient':
      case 'internal': {
        t.attempts++;
        if (t.attempts >= MAX_ATTEMPTS) return this.fail(job, t, error, true);
        // The attempt stays written down: its outcome is unknown, so the next one looks first.
        t.state = 'scheduled';
        t.updatedAt = iso(now);
        await this.save(job);
        const backoff = Math.min(30_000 * 2 ** (t.attempts - 1), 15 * 60_000);
        this.plan(job, t, now + backoff * (0.75 + 0.5 * (this.deps.random?.() ?? Math.random())));
        this.arm();
        this.deps.log.warn('outbox: a send failed; trying again', {
          job: job.id,
          attempts: t.attempts,
          since: startedAt,
        });
        return;
      }
      default:
        // The network refused (invalid, not allowed, not found): nothing was posted.
        t.attempt = null;
        return this.fail(job, t, error);
    }
  }

  private async wait(job: PublishJob, t: Target, why: 'offline' | 'needs-reconnect' | 'rate-limited') {
    t.state = 'waiting';
    t.waitingFor = why;
    t.updatedAt = iso(this.deps.clock.now());
    await this.save(job);
  }

  private async fail(job: PublishJob, t: Target, error: AppError, keepAttempt = false) {
    t.state = 'failed';
    t.error = error;
    if (!keepAttempt) t.attempt = null;
    delete t.waitingFor;
    t.updatedAt = iso(this.deps.clock.now());
    await this.save(job);
    this.deps.log.warn('outbox: a target failed', { job: job.id, code: error.code, reason: error.reason });
    this.deps.attention?.(job, t);
  }

  // ---- a Mastodon instance's own schedule ----------------------------------------------------------

  private canHandToServer(t: Target, now: number): boolean {
    if (t.state !== 'scheduled' || !t.due || t.parts.length !== 1 || t.serverId) return false;
    const scheduling = this.deps.adapterFor(t.profileId)?.serverScheduling;
    // A margin of a minute over the server's minimum: the request takes time to arrive.
    return !!scheduling && this.online && Date.parse(t.due.at) - now >= scheduling.minimumLeadMs + 60_000;
  }

  /** Hands a target to its instance's scheduled statuses; on any refusal it stays with Colonnade. */
  private async handToServer(job: PublishJob, t: Target): Promise<void> {
    const adapter = this.deps.adapterFor(t.profileId);
    const scheduling = adapter?.serverScheduling;
    const at = Date.parse(t.due!.at);
    if (!scheduling) return this.plan(job, t, at);
    const part = partsFor(job.content, t.network)[0]!;
    try {
      const media = await this.media(part.media);
      const replyTo = sameNetwork(job.content.replyTo, t.network);
      const quoteOf = sameNetwork(job.content.quoteOf, t.network);
      const scheduled = await scheduling.schedule(
        {
          text: textToPublish(part.text),
          media,
          idempotencyKey: t.parts[0]!.key,
          ...(replyTo ? { replyTo } : {}),
          ...(quoteOf ? { quoteOf } : {}),
        },
        at,
      );
      if (t.state !== 'scheduled') {
        // Cancelled or moved meanwhile: the server's copy goes too.
        await scheduling.cancel(scheduled.id).catch(() => undefined);
        return;
      }
      t.state = 'on-server';
      t.serverId = scheduled.id;
      delete t.error;
      t.updatedAt = iso(this.deps.clock.now());
      await this.save(job);
      this.plan(job, t, at + SERVER_CHECK_DELAY_MS);
    } catch (err) {
      const e = toAppError(err);
      this.deps.log.warn('outbox: the instance did not take the scheduled post; Colonnade will send it', {
        job: job.id,
        code: e.code,
        reason: e.reason,
      });
      if (e.reason === 'server-schedule-limit') {
        t.error = e;
        await this.save(job);
      }
      this.plan(job, t, at);
    }
    this.arm();
  }

  /** After a server-scheduled post's time: did the instance publish it? */
  private async checkServer(job: PublishJob, t: Target): Promise<void> {
    const scheduling = this.deps.adapterFor(t.profileId)?.serverScheduling;
    const now = this.deps.clock.now();
    if (!scheduling || !t.serverId || !t.due) return;
    if (!this.online) return this.plan(job, t, now + SERVER_CHECK_DELAY_MS);
    const part = partsFor(job.content, t.network)[0]!;
    try {
      const found = await scheduling.status(
        t.serverId,
        { text: textToPublish(part.text), idempotencyKey: t.parts[0]!.key },
        Date.parse(t.due.at),
      );
      if (found.state === 'published') {
        t.parts[0] = { ...t.parts[0]!, postId: found.post.id, url: found.post.url, sentAt: found.post.createdAt };
        t.state = 'sent';
        delete t.serverId;
      } else if (found.state === 'scheduled') {
        // Moved on the instance (its web page): the calendar follows.
        const at = Date.parse(found.at);
        if (at !== Date.parse(t.due.at)) t.due = { ...t.due, at: new Date(at).toISOString() };
        this.plan(job, t, Math.max(at, now) + SERVER_CHECK_DELAY_MS);
      } else {
        t.state = 'cancelled';
        t.error = {
          code: 'not-found',
          message: 'The instance no longer has this scheduled post.',
          reason: 'cancelled-on-server',
        };
        delete t.serverId;
        this.deps.attention?.(job, t);
      }
      t.updatedAt = iso(now);
      await this.save(job);
    } catch (err) {
      const e = toAppError(err);
      if (e.code === 'auth-expired') t.waitingFor = 'needs-reconnect';
      this.plan(job, t, now + 2 * SERVER_CHECK_DELAY_MS);
    }
    this.arm();
  }

  // ---- checks and storage -----------------------------------------------------------------------

  private async checkParts(content: PostContent, network: NetworkId, adapter: NetworkAdapter, profileId: string) {
    const rules = adapter.loadTextRules
      ? await adapter.loadTextRules().catch(() => adapter.textRules())
      : adapter.textRules();
    for (const [i, part] of partsFor(content, network).entries()) {
      const text = textToPublish(part.text);
      if (!text && part.media.length === 0)
        throw new ColonnadeError('invalid', 'A post needs text or an image.', {
          field: `content.parts.${i}`,
          reason: 'post-empty',
          params: { profileId },
        });
      const limit = exceededLimit(measureText(text, rules));
      if (limit)
        throw new ColonnadeError('invalid', `The post is too long: ${limit.length} / ${limit.max} ${limit.unit}.`, {
          field: `content.parts.${i}`,
          reason: 'too-long',
          params: { ...tooLongParams(limit), profileId },
        });
    }
  }

  /** A target's due time for `when`; `others` hold slots already given in this request. */
  private dueFor(when: When, profileId: string, now: number, others: Target[], exceptJob?: string): Due | null {
    if (when.kind === 'now') return null;
    if (when.kind === 'at') {
      const due = dueAt(when.local, when.zone);
      if (Date.parse(due.at) < now - LATE_GRACE_MS)
        throw new ColonnadeError('invalid', 'That time has passed.', {
          field: 'when.local',
          reason: 'schedule-in-past',
        });
      return due;
    }
    const schedule = this.deps.schedule(profileId);
    const taken = this.takenSlots(profileId, exceptJob);
    for (const t of others) if (t.profileId === profileId && t.due?.slot) taken.add(Date.parse(t.due.at));
    const at = schedule ? this.nextSlot(profileId, schedule, now, taken, exceptJob) : null;
    if (!schedule || at === null)
      throw new ColonnadeError('invalid', 'This profile’s queue has no free slot: add posting times first.', {
        field: 'when',
        reason: 'queue-no-slots',
        params: { profileId },
      });
    return { ...dueAtInstant(at, schedule.zone), slot: true };
  }

  /**
   * The queue's next free slot after `now`, as nextFreeSlot (slots.ts) answers it, for a target
   * about to take it. Starts where the profile's queue was last found full (QueueNote) when that
   * still holds: same schedule, the clock not gone back, and as many taken instants in the full
   * stretch as then. A slot freed there (a cancel, a move, a failure, a removal) lowers that count
   * unless another instant came in, and an instant comes in only at a free slot, so the stretch is
   * still full. The one exception, a queued target that a Mastodon instance moved to another time
   * (checkServer), can make a freed slot be passed over, never a taken one be given. Otherwise,
   * and for a job being moved (`exceptJob`), the walk starts at `now`.
   */
  private nextSlot(
    profileId: string,
    schedule: PostingSchedule,
    now: number,
    taken: ReadonlySet<number>,
    exceptJob: string | undefined,
  ): number | null {
    const json = JSON.stringify(schedule);
    let note = exceptJob === undefined ? this.queueNotes.get(profileId) : undefined;
    if (
      !note ||
      note.schedule !== json ||
      note.from > now ||
      note.full <= now ||
      countIn(taken, note.from, note.full) !== note.count
    ) {
      note = { schedule: json, from: now, full: now, count: 0, next: freeSlotsAfter(schedule, now, NOTHING_TAKEN) };
    }
    let at: number | null = null;
    for (let r = note.next.next(); !r.done; r = note.next.next()) {
      if (!taken.has(r.value)) {
        at = r.value;
        break;
      }
    }
    if (at === null || exceptJob !== undefined) {
      this.queueNotes.delete(profileId);
      return at;
    }
    // The target about to be made takes `at`: the stretch is full up to it.
    this.queueNotes.set(profileId, { ...note, full: at, count: countIn(taken, note.from, at) + 1 });
    return at;
  }

  private need(jobId: string): PublishJob {
    const job = this.jobs.get(jobId);
    if (!job) throw new ColonnadeError('not-found', 'That post is not in the outbox.', { reason: 'job-not-found' });
    return job;
  }

  private async save(job: PublishJob): Promise<void> {
    await this.persist(job);
    this.deps.changed(job);
  }

  private async persist(job: PublishJob): Promise<void> {
    await this.deps.journal.append([{ op: 'put', job }]);
    this.records++;
    if (this.records > Math.max(COMPACT_AFTER, this.jobs.size)) this.compact();
  }

  private compact(): void {
    this.deps.journal.compact({ schemaVersion: 1, jobs: [...this.jobs.values(), ...this.unreadable] });
    this.records = 0;
  }
}

/** How many of `instants` are in (from, to]. */
function countIn(instants: ReadonlySet<number>, from: number, to: number): number {
  let n = 0;
  for (const at of instants) if (at > from && at <= to) n++;
  return n;
}

function isOpen(t: Target): boolean {
  return t.state === 'scheduled' || t.state === 'waiting' || t.state === 'held' || t.state === 'on-server';
}

function dueMs(t: Target, now: number): number {
  return t.due ? Date.parse(t.due.at) : now;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function newKey(): string {
  return randomUUID();
}

/** A reply or quote applies only to targets on the network of the post it names. */
function sameNetwork(postId: string | undefined, network: NetworkId): string | undefined {
  return postId?.startsWith(`${network}:`) ? postId : undefined;
}

function safeRefresh(due: Due): Due {
  try {
    return refreshDue(due);
  } catch {
    return due;
  }
}

/** A Due for an instant, with the wall-clock time it is in `zone`. */
function dueAtInstant(at: number, zone: string): Due {
  return { at: iso(at), local: instantToZoned(at, zone).local, zone };
}
