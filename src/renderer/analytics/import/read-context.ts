// What an archive reader (x-archive.ts, mastodon-archive.ts) tells the import run as it goes.
import type { FollowerCount, MetricSnapshot, OwnPost } from '../../../shared/analytics';
import type { ArchiveNetwork, ImportProblem, ImportProblemCode, KnownProfile, ProblemPlace } from './types';

export interface ArchiveIdentity {
  network: ArchiveNetwork;
  profile: { id: string; handle: string; linked: boolean };
  /** When the archive's counts were observed, ms since the epoch; null: no snapshots. */
  observedAt: number | null;
  /** Follower counts the archive gives (X: the manifest's follower count at export). */
  followers: FollowerCount[];
}

export interface ReadContext {
  readonly signal: AbortSignal | undefined;
  readonly knownProfiles: readonly KnownProfile[];
  /** What will be read: bytes of the post files and, when the archive says, items in all. */
  plan(plan: { bytesTotal: number; itemsTotal: number | null }): void;
  /** A post file is being read; `bytesDone` counts its bytes read so far. */
  reading(file: string, bytesDone: number): void;
  /** A post file was read whole (its bytes count as done). */
  read(file: string, size: number): void;
  /** Items in a file are now known (when the archive did not count them beforehand). */
  itemsFound(count: number): void;
  /** Who the archive belongs to: called once, before the first `post`. */
  identify(identity: ArchiveIdentity): void;
  /** One own post (and its counts at `observedAt`, when known). May wait for the archive store. */
  post(post: OwnPost, snapshot: MetricSnapshot | null): Promise<void>;
  /** One repost (X retweet, Mastodon boost): counted, not kept. */
  repost(): void;
  /** One private message (Mastodon direct): counted, not kept. */
  privateMessage(): void;
  /** One item that could not be read (counts as an item done). */
  badItem(where: ProblemPlace, why: ImportProblemCode, params?: ImportProblem['params']): void;
  /** One other thing that could not be read (a file, a count). */
  problem(where: ProblemPlace, why: ImportProblemCode, params?: ImportProblem['params']): void;
}
