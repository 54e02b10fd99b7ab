// What the composer writes and the outbox sends: a post's content (one part, or a thread of
// parts, with per-network variants), when it goes (now, at a local time in a zone, or the next
// free slot of each profile's queue), and each target profile's progress. Main owns the jobs
// (src/main/core/outbox, persisted in a journal); the renderer mirrors them through
// `outbox.list` and the `outbox.changed` event, and keeps drafts (the same content) in Dexie.
import { z } from 'zod';
import { AppErrorSchema } from './errors';
import { InstantSchema, NetworkIdSchema } from './model';

const Id = z.string().min(1).max(200);

/** An IANA time-zone name ("Europe/Paris"); checked against the runtime's tz database by main. */
export const ZoneSchema = z.string().min(1).max(64);

/** A wall-clock date and time without a zone, to the minute: "2027-03-29T09:00". */
export const LocalDateTimeSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d$/);

/** A time of day "HH:MM" (24-hour). */
export const LocalTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

/** ISO weekday: 1 Monday … 7 Sunday. */
export const WeekdaySchema = z.number().int().min(1).max(7);

/** One weekly posting slot: these days, at this time, in the schedule's zone. */
export const PostingSlotSchema = z.object({
  days: z.array(WeekdaySchema).min(1).max(7),
  time: LocalTimeSchema,
});
export type PostingSlot = z.infer<typeof PostingSlotSchema>;

/** A profile's queue: its weekly slots in its audience's zone. */
export const PostingScheduleSchema = z.object({
  zone: ZoneSchema,
  slots: z.array(PostingSlotSchema).max(100),
});
export type PostingSchedule = z.infer<typeof PostingScheduleSchema>;

/**
 * An image, GIF or video staged in main's media store (`media.stage`): `id` is the SHA-256 of its
 * bytes (hex), so staging the same file twice keeps one copy.
 */
export const MediaRefSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/),
  mimeType: z.string().min(3).max(100),
  /** Size in bytes. */
  bytes: z.number().int().positive(),
  /** The alt text (image description) the CM wrote; empty when she wrote none. */
  alt: z.string().max(5_000),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  /** A video's (or an animated GIF's) length in seconds, as the composer read it. */
  durationSec: z.number().nonnegative().max(1e6).optional(),
  /** A video's frame rate (frames per second), as the composer read it. */
  frameRate: z.number().positive().max(1_000).optional(),
  /**
   * A GIF made into a looping MP4 by the composer, staged too (id: its SHA-256, bytes: its size),
   * for networks that play GIFs only as videos (media-rules.ts `gifAsVideo`: Bluesky).
   */
  asVideo: z.object({ id: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().positive() }).optional(),
  /** The file's name as she picked it, for the UI. */
  name: z.string().max(300).optional(),
});
export type MediaRef = z.infer<typeof MediaRefSchema>;

/** One post of a thread (or the only one). */
export const PostPartSchema = z.object({
  text: z.string().max(50_000),
  media: z.array(MediaRefSchema).max(10),
});
export type PostPart = z.infer<typeof PostPartSchema>;

/**
 * What is posted: `parts` (one post, or a thread in order), and optionally other parts for one
 * network (a shorter text for X, say), used for every target on that network.
 */
export const PostContentSchema = z.object({
  parts: z.array(PostPartSchema).min(1).max(50),
  variants: z.partialRecord(NetworkIdSchema, z.array(PostPartSchema).min(1).max(50)).optional(),
  /** The post the first part replies to (a reply from a column): only for targets on its network. */
  replyTo: Id.optional(),
  /** The post the first part quotes. */
  quoteOf: Id.optional(),
});
export type PostContent = z.infer<typeof PostContentSchema>;

/** The parts a target on `network` posts: its variant if there is one, else the shared parts. */
export function partsFor(content: PostContent, network: z.infer<typeof NetworkIdSchema>): PostPart[] {
  return content.variants?.[network] ?? content.parts;
}

/** When a job goes out, as the CM chose it. */
export const WhenSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('now') }),
  /** At this wall-clock time in this zone: 9:00 Paris stays 9:00 Paris across a DST change. */
  z.object({ kind: z.literal('at'), local: LocalDateTimeSchema, zone: ZoneSchema }),
  /** The next free slot of each target profile's queue. */
  z.object({ kind: z.literal('queue') }),
]);
export type When = z.infer<typeof WhenSchema>;

/**
 * A target's progress:
 * - `scheduled`: waits in Colonnade for `due.at`;
 * - `on-server`: handed to the Mastodon instance's scheduled statuses (it posts even with
 *   Colonnade closed);
 * - `sending`: a send is under way (after a crash: its outcome is unknown and is looked for first);
 * - `waiting`: due, but held by `waitingFor` (offline, a profile to reconnect, a rate limit);
 * - `held`: missed while Colonnade was closed, beyond the catch-up policy: the CM decides;
 * - `sent`, `failed`, `cancelled`: done (a failed target can be retried).
 */
export const TargetStateSchema = z.enum([
  'scheduled',
  'on-server',
  'sending',
  'waiting',
  'held',
  'sent',
  'failed',
  'cancelled',
]);
export type TargetState = z.infer<typeof TargetStateSchema>;

/** A target's due time: the instant, and the wall-clock time and zone it was chosen in. */
export const DueSchema = z.object({
  at: InstantSchema,
  local: LocalDateTimeSchema,
  zone: ZoneSchema,
  /** Taken from the profile's queue (a slot), rather than chosen. */
  slot: z.boolean().optional(),
});
export type Due = z.infer<typeof DueSchema>;

export const SentPartSchema = z.object({
  /** Chosen when the job is made and reused on every attempt (Bluesky record key, Mastodon Idempotency-Key). */
  key: z.string().min(8).max(100),
  /** The post once sent (`${network}:${nativeId}`), and its web address. */
  postId: Id.optional(),
  url: z.string().max(2_000).nullable().optional(),
  sentAt: InstantSchema.optional(),
});
export type SentPart = z.infer<typeof SentPartSchema>;

export const TargetSchema = z.object({
  profileId: Id,
  network: NetworkIdSchema,
  /** Null: as soon as possible ("Post now"). */
  due: DueSchema.nullable(),
  state: TargetStateSchema,
  /** Why a `waiting` target waits (a `reasons` key: offline, needs-reconnect, rate-limited). */
  waitingFor: z.string().max(100).optional(),
  /** One entry per part to post, in order; a thread goes on from the first part without a post. */
  parts: z.array(SentPartSchema).min(1).max(50),
  /** A send under way: the part and when it began (ISO). After a crash, its outcome is unknown. */
  attempt: z.object({ part: z.number().int().nonnegative(), startedAt: InstantSchema }).nullable(),
  /** Attempts made since the last success or retry. */
  attempts: z.number().int().nonnegative(),
  error: AppErrorSchema.optional(),
  /** The Mastodon instance's scheduled status id while `on-server`. */
  serverId: z.string().max(200).optional(),
  /** Minutes after its due time it went out (after a sleep, offline, a closed app); absent when on time. */
  lateMinutes: z.number().int().nonnegative().optional(),
  /**
   * While `sending`: how far the upload of the part's media is, in bytes (all its media together),
   * then `processing` while the network prepares a video. Not kept once the send ends.
   */
  upload: z
    .object({
      sent: z.number().int().nonnegative(),
      total: z.number().int().positive(),
      processing: z.boolean().optional(),
    })
    .optional(),
  updatedAt: InstantSchema,
});
export type Target = z.infer<typeof TargetSchema>;

export const PublishJobSchema = z.object({
  /** Chosen by the renderer: submitting the same id twice makes one job. */
  id: z.string().min(8).max(100),
  createdAt: InstantSchema,
  content: PostContentSchema,
  when: WhenSchema,
  targets: z.array(TargetSchema).min(1).max(50),
  /** The draft it was made from (the renderer deletes or keeps it). */
  draftId: Id.optional(),
});
export type PublishJob = z.infer<typeof PublishJobSchema>;

/** A job is finished when no target of it will be sent any more. */
export function jobFinished(job: PublishJob): boolean {
  return job.targets.every((t) => t.state === 'sent' || t.state === 'failed' || t.state === 'cancelled');
}

/** What to do with a post missed while Colonnade was closed (or the computer asleep). */
export const CatchUpPolicySchema = z.object({
  /** Posted late when at most this many minutes late; held for the CM's review beyond. */
  postLateUpToMinutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60),
});
export type CatchUpPolicy = z.infer<typeof CatchUpPolicySchema>;

export const DEFAULT_CATCH_UP: CatchUpPolicy = { postLateUpToMinutes: 60 };
