// What the metrics collector keeps between runs (owner: main; journal `analytics`): the CM's own
// posts it collects (id, profile, posting time, last observation, last known counts), each
// profile's last follower count and backfill, and the deliveries the renderer has not yet
// acknowledged. The renderer keeps the history itself (Dexie, src/renderer/analytics); main only
// keeps what it needs to plan the next observation and to deliver exactly what is new.
//
// Persistence: every change is one journal record (`Change`, applied the same way live and on
// load), made durable before its delivery leaves; now and then the journal is folded into a
// compact snapshot: posts grouped by profile, ids stored after the profile's common prefix (a
// Bluesky post id repeats its author's DID), counts as short arrays. 100,000 posts take a few MB.
import { z } from 'zod';
import {
  AnalyticsDeliverySchema,
  METRIC_NAMES,
  type AnalyticsDelivery,
  type MetricValues,
} from '../../../shared/analytics';
import { BackfillStatusSchema, type BackfillStatus } from '../../../shared/analytics-collection';
import { NetworkIdSchema, type NetworkId } from '../../../shared/model';
import type { Logger } from '../ports';

/** The last known value of each metric, in METRIC_NAMES order (null: never known). */
export type KnownValues = Array<number | null>;

export interface TrackedPost {
  id: string;
  profileId: string;
  network: NetworkId;
  /** Posting time, ms since the epoch. */
  createdAt: number;
  /** When its counts were last observed (ms), or null: never. */
  lastAt: number | null;
  /** Last known counts (a metric unknown in the last observation keeps its earlier value). */
  last: KnownValues | null;
  /** The OwnPost delivered was made from the network's post (not only from the outbox's job). */
  fromNetwork: boolean;
}

/** A backfill as kept: its status and where it goes on from (the adapter's `older` cursor). */
export const BackfillRecordSchema = BackfillStatusSchema.extend({
  cursor: z.string().max(4096).nullable(),
});
export type BackfillRecord = z.infer<typeof BackfillRecordSchema>;

const FollowersSchema = z.object({
  day: z.iso.date(),
  count: z.number().int().nonnegative(),
  at: z.number().int().nonnegative(),
});

export const ProfileRecordSchema = z.object({
  network: NetworkIdSchema,
  lastCollectedAt: z.number().int().nonnegative().nullable(),
  followers: FollowersSchema.nullable(),
  backfill: BackfillRecordSchema.nullable(),
});
export type ProfileRecord = z.infer<typeof ProfileRecordSchema>;

const Id = z.string().min(1).max(300);
const Counts = z.array(z.number().int().nonnegative().nullable()).max(METRIC_NAMES.length);

/** One change of the collector's state: a journal record. */
export const ChangeSchema = z.object({
  op: z.literal('change'),
  /** When it was made (ms): the time of the observations it records. */
  at: z.number().int().nonnegative(),
  /** Posts registered: id, profile, posting time (ms), made from the network's post (1) or a sent job (0). */
  added: z.array(z.tuple([Id, Id, z.number().int(), z.union([z.literal(0), z.literal(1)])])).optional(),
  /** Posts whose network version of the OwnPost was delivered. */
  upgraded: z.array(Id).optional(),
  /** Posts observed at `at` (snapshot delivered or not: unchanged counts are not delivered again). */
  checked: z.array(Id).optional(),
  /** Posts the network says are gone: no longer collected. */
  gone: z.array(Id).optional(),
  profile: z
    .object({
      id: Id,
      network: NetworkIdSchema,
      lastCollectedAt: z.number().int().nonnegative().optional(),
      followers: FollowersSchema.optional(),
      backfill: BackfillRecordSchema.nullable().optional(),
    })
    .optional(),
  /** The delivery this change made: its snapshots update the posts' last known counts. */
  delivery: AnalyticsDeliverySchema.optional(),
});
export type Change = z.infer<typeof ChangeSchema>;

const AckSchema = z.object({ op: z.literal('ack'), upTo: z.number().int().nonnegative() });
const RecordSchema = z.discriminatedUnion('op', [ChangeSchema, AckSchema]);

const RowSchema = z.tuple([
  z.string().max(300),
  z.number().int(),
  z.number().int().nullable(),
  z.union([Counts, z.literal(0)]),
  z.union([z.literal(0), z.literal(1)]),
]);
const SnapshotSchema = z.object({
  v: z.literal(1),
  seq: z.number().int().nonnegative(),
  acked: z.number().int().nonnegative(),
  profiles: z.record(Id, ProfileRecordSchema),
  posts: z.record(Id, z.object({ prefix: z.string().max(300), rows: z.array(z.unknown()) })),
  pending: z.array(z.unknown()),
});

/** The network of a `Post.id` (`${network}:${nativeId}`), or undefined. */
export function networkOfPostId(id: string): NetworkId | undefined {
  const parsed = NetworkIdSchema.safeParse(id.slice(0, id.indexOf(':')));
  return parsed.success ? parsed.data : undefined;
}

/** `values` as KnownValues. */
export const toKnown = (values: MetricValues): KnownValues => METRIC_NAMES.map((k) => values[k]);

/**
 * True when an observation tells something new: the post was never observed, or a count it
 * gives differs from the last known one. A count it does not give (X's owner-only ones after
 * day 30) changes nothing.
 */
export function countsChanged(last: KnownValues | null, values: MetricValues): boolean {
  if (!last) return true;
  return METRIC_NAMES.some((k, i) => values[k] !== null && values[k] !== (last[i] ?? null));
}

/** `last` with what `values` gives (a null in `values` keeps the earlier count). */
export function mergeKnown(last: KnownValues | null, values: MetricValues): KnownValues {
  return METRIC_NAMES.map((k, i) => values[k] ?? last?.[i] ?? null);
}

function commonPrefix(ids: readonly string[]): string {
  if (!ids.length) return '';
  let prefix = ids[0]!;
  for (const id of ids) {
    let n = 0;
    const max = Math.min(prefix.length, id.length);
    while (n < max && prefix.charCodeAt(n) === id.charCodeAt(n)) n++;
    prefix = prefix.slice(0, n);
    if (!prefix) break;
  }
  // Keep at least one character of each id apart (an empty suffix reads as nothing).
  const shortest = Math.min(...ids.map((id) => id.length));
  return prefix.slice(0, Math.max(0, shortest - 1));
}

const emptyProfile = (network: NetworkId): ProfileRecord => ({
  network,
  lastCollectedAt: null,
  followers: null,
  backfill: null,
});

export class AnalyticsRegistry {
  readonly posts = new Map<string, TrackedPost>();
  readonly profiles = new Map<string, ProfileRecord>();
  private readonly counts = new Map<string, number>();
  /** Deliveries not yet acknowledged, in order. */
  pending: AnalyticsDelivery[] = [];
  seq = 0;
  acked = 0;
  /** Rows (ids, snapshots) written to the journal since the last snapshot. */
  rowsSinceCompact = 0;

  constructor(private readonly log: Logger) {}

  /** The profile's record (a blank one until something is known). */
  profile(profileId: string, network: NetworkId): ProfileRecord {
    return this.profiles.get(profileId) ?? emptyProfile(network);
  }

  /** Own posts collected for a profile. */
  countOf(profileId: string): number {
    return this.counts.get(profileId) ?? 0;
  }

  nextSeq(): number {
    return ++this.seq;
  }

  /** Applies one change (live, or read back from the journal). */
  apply(change: Change): void {
    for (const [id, profileId, createdAt, fromNetwork] of change.added ?? []) {
      if (this.posts.has(id)) continue;
      const network = networkOfPostId(id);
      if (!network) continue;
      this.posts.set(id, {
        id,
        profileId,
        network,
        createdAt,
        lastAt: null,
        last: null,
        fromNetwork: fromNetwork === 1,
      });
      this.counts.set(profileId, this.countOf(profileId) + 1);
    }
    for (const id of change.upgraded ?? []) {
      const t = this.posts.get(id);
      if (t) t.fromNetwork = true;
    }
    for (const id of change.checked ?? []) {
      const t = this.posts.get(id);
      if (t && (t.lastAt === null || t.lastAt < change.at)) t.lastAt = change.at;
    }
    const d = change.delivery;
    for (const s of d?.snapshots ?? []) {
      const t = this.posts.get(s.postId);
      if (!t) continue;
      t.last = mergeKnown(t.last, s.values);
      if (t.lastAt === null || t.lastAt < s.at) t.lastAt = s.at;
    }
    for (const id of change.gone ?? []) {
      const t = this.posts.get(id);
      if (!t) continue;
      this.posts.delete(id);
      this.counts.set(t.profileId, Math.max(0, this.countOf(t.profileId) - 1));
    }
    const p = change.profile;
    if (p) {
      const rec = { ...this.profile(p.id, p.network) };
      if (p.lastCollectedAt !== undefined) rec.lastCollectedAt = p.lastCollectedAt;
      if (p.followers !== undefined) rec.followers = p.followers;
      if (p.backfill !== undefined) rec.backfill = p.backfill;
      this.profiles.set(p.id, rec);
    }
    if (d) {
      this.seq = Math.max(this.seq, d.seq);
      if (d.seq > this.acked) this.pending.push(d);
    }
    this.rowsSinceCompact +=
      1 +
      (change.added?.length ?? 0) +
      (change.checked?.length ?? 0) +
      (d ? d.posts.length + d.snapshots.length + d.followers.length : 0);
  }

  /** The renderer stored every delivery up to `upTo`. */
  ack(upTo: number): void {
    this.acked = Math.max(this.acked, upTo);
    if (this.pending.length && this.pending[0]!.seq <= upTo) this.pending = this.pending.filter((d) => d.seq > upTo);
    this.rowsSinceCompact++;
  }

  /** Everything as one compact document (see the file's head). */
  snapshot(): z.input<typeof SnapshotSchema> {
    const byProfile = new Map<string, TrackedPost[]>();
    for (const t of this.posts.values()) {
      let list = byProfile.get(t.profileId);
      if (!list) byProfile.set(t.profileId, (list = []));
      list.push(t);
    }
    const posts: Record<string, { prefix: string; rows: unknown[] }> = {};
    for (const [profileId, list] of byProfile) {
      const prefix = commonPrefix(list.map((t) => t.id));
      posts[profileId] = {
        prefix,
        rows: list.map((t) => {
          const last = t.last ? [...t.last] : null;
          while (last && last.length && last[last.length - 1] === null) last.pop();
          return [t.id.slice(prefix.length), t.createdAt, t.lastAt, last ?? 0, t.fromNetwork ? 1 : 0];
        }),
      };
    }
    return {
      v: 1,
      seq: this.seq,
      acked: this.acked,
      profiles: Object.fromEntries(this.profiles),
      posts,
      pending: this.pending,
    };
  }

  /**
   * Loads a snapshot and the records after it. What cannot be read (a row, a record, a pending
   * delivery) is left out and logged; the rest loads. Answers what was loaded.
   */
  load(snapshot: unknown, records: readonly unknown[]): { posts: number; pending: number; unreadable: number } {
    let unreadable = 0;
    if (snapshot !== undefined) {
      const parsed = SnapshotSchema.safeParse(snapshot);
      if (!parsed.success) {
        unreadable++;
        this.log.error('analytics: the snapshot cannot be read; collection starts again from the journal', {});
      } else {
        const s = parsed.data;
        this.seq = s.seq;
        this.acked = s.acked;
        for (const [id, rec] of Object.entries(s.profiles)) this.profiles.set(id, rec);
        for (const [profileId, group] of Object.entries(s.posts)) {
          for (const raw of group.rows) {
            const row = RowSchema.safeParse(raw);
            const id = row.success ? group.prefix + row.data[0] : '';
            const network = networkOfPostId(id);
            if (!row.success || !network) {
              unreadable++;
              continue;
            }
            const [, createdAt, lastAt, last, fromNetwork] = row.data;
            const known = last === 0 ? null : METRIC_NAMES.map((_, i) => last[i] ?? null);
            this.posts.set(id, {
              id,
              profileId,
              network,
              createdAt,
              lastAt,
              last: known,
              fromNetwork: fromNetwork === 1,
            });
            this.counts.set(profileId, this.countOf(profileId) + 1);
          }
        }
        for (const raw of s.pending) {
          const d = AnalyticsDeliverySchema.safeParse(raw);
          if (d.success && d.data.seq > this.acked) this.pending.push(d.data);
          else if (!d.success) unreadable++;
        }
      }
    }
    for (const raw of records) {
      const r = RecordSchema.safeParse(raw);
      if (!r.success) {
        unreadable++;
        continue;
      }
      if (r.data.op === 'ack') this.ack(r.data.upTo);
      else this.apply(r.data);
    }
    if (unreadable)
      this.log.warn('analytics: parts of the saved state could not be read and were left out', { unreadable });
    this.rowsSinceCompact = 0;
    return { posts: this.posts.size, pending: this.pending.length, unreadable };
  }
}

export type { BackfillStatus };
