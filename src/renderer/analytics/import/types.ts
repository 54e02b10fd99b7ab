// Archive import (issue 9, "History beyond what the networks serve"): the shapes shared by the
// parsers, the run that feeds the analytics archive, the Web Worker and the page-side API.
//
// Owner: the renderer. An import reads a file the CM picked (an X data archive, a Mastodon account
// archive, or one file of either) inside a Web Worker, and hands batches of own posts and their
// counts to the analytics archive store (src/renderer/analytics/archive-store.ts), which keeps them
// in Dexie and tells which were already there (an import is idempotent: importing twice adds
// nothing). Nothing here talks to main or to a network.
import type { FollowerCount, MetricSnapshot, OwnPost } from '../../../shared/analytics';
import type { ArchiveChange } from '../archive-store';

/** The networks whose archives Colonnade reads. */
export type ArchiveNetwork = 'x' | 'mastodon';

/** One batch for the archive store: at most `batchSize` posts (default 500) and their snapshots. */
export interface ArchiveBatch {
  posts: OwnPost[];
  snapshots: MetricSnapshot[];
  followers: FollowerCount[];
}

/**
 * What the archive store says of a batch: posts it did not have, posts it had with nothing new,
 * and (when it says) posts it had and completed with what the batch knew more.
 */
export interface IngestResult {
  newPosts: number;
  duplicatePosts: number;
  updatedPosts?: number;
}

/**
 * Where an import's batches go: the analytics archive store's `ingest` (archive-store.ts), declared
 * here so the import does not depend on how the store is built (`AnalyticsArchive` fits it).
 * `ingest` must be idempotent (a post already kept counts as a duplicate, its snapshot at the same
 * instant is not added twice) and store a batch whole or not at all.
 */
export interface ArchiveSink {
  ingest(batch: ArchiveBatch): Promise<IngestResult>;
}

/**
 * An archive store in a Dexie database that the import's worker can write itself, on its own
 * connection (IndexedDB is shared by a page and its workers), so that the page does none of the
 * writing (structured clone and puts of 50,000 posts: seconds of the window's time). The worker
 * posts each committed batch's rows back, and the page's store `announce`s them to its listeners
 * (the analytics index). `AnalyticsArchive` (archive-store.ts) fits it; any other ArchiveSink is
 * handed the batches on the page.
 */
export interface SharedArchiveSink extends ArchiveSink {
  /** The database's name, which the worker opens with `openDatabase(name)` (src/renderer/db/database.ts). */
  readonly databaseName: string;
  /** Tells the page's listeners of rows the worker committed (`AnalyticsArchive.announce`). */
  announce(change: ArchiveChange): void;
}

/** Whether the worker can write into `sink` itself (see SharedArchiveSink). */
export function isSharedSink(sink: ArchiveSink): sink is SharedArchiveSink {
  const s = sink as Partial<SharedArchiveSink>;
  return typeof s.databaseName === 'string' && typeof s.announce === 'function';
}

/**
 * A profile Colonnade already knows (a connected account's profile), used to give imported posts
 * the same `profileId` the network adapters give collected ones when the archive alone cannot say
 * it (a Mastodon archive names its account by username, not by the id the API uses).
 */
export interface KnownProfile {
  /** `Profile.id`: `x:<user id>`, `mastodon:<domain>/<account id>`. */
  id: string;
  network: string;
  /** `Profile.handle`: X username, Mastodon `user@domain` (without '@' in front). */
  handle: string;
}

/** How far an import has gone, sent to the page about twice per batch (read, saved) and once per file. */
export interface ImportProgress {
  /** 'reading': unpacking and reading files; 'importing': handing posts to the archive. */
  phase: 'reading' | 'importing';
  /** The file being read (path inside the archive, or the picked file's name). */
  file: string;
  /** Bytes of the archive's post files read so far, and in all (uncompressed, UTF-8). */
  bytesDone: number;
  bytesTotal: number;
  /** Archive items (posts, reposts, damaged items) handled so far. */
  itemsDone: number;
  /** Items in all, when known (the X manifest counts them; otherwise known once a file is read). */
  itemsTotal: number | null;
  /** Own posts read so far, and of those the archive store has saved (the bar to show). */
  postsRead: number;
  postsSaved: number;
}

/**
 * Why a part of an archive could not be read. Each has words for the CM in the i18n files
 * (`archiveImport.problem.<code>`, see describe.ts):
 * - `file-missing`: a file the archive lists (or a part between others) is not in it;
 * - `file-unreadable`: a file in the zip could not be unpacked (damaged data);
 * - `file-not-posts`: a file does not hold a list of posts where one was expected;
 * - `file-truncated`: a file ends in the middle of a post (the posts before it were kept);
 * - `file-short`: the X manifest counts more posts in a file than it holds;
 * - `manifest-unreadable`: X's manifest could not be read (counts dated by the file's date);
 * - `date-from-file`: no export date in the archive: counts are dated by the file's own date;
 * - `item-unreadable`: one post's text is not valid JSON;
 * - `item-no-id`: one item is not a post (no usable id);
 * - `item-bad-date`: one post has no readable date;
 * - `item-invalid`: one post has values the analytics cannot keep (too long, wrong type);
 * - `item-bad-count`: a like or repost count is not a number (the post is kept without it);
 * - `profile-not-linked`: the Mastodon account is not connected: its posts are kept under a
 *   provisional profile id;
 * - `actor-unreadable`: Mastodon's actor.json is missing or unreadable (account read from the posts);
 * - `account-unreadable`: X's account.js is missing or unreadable (account read from the manifest).
 */
export const IMPORT_PROBLEM_CODES = [
  'file-missing',
  'zip-incomplete',
  'file-unreadable',
  'file-not-posts',
  'file-truncated',
  'file-short',
  'manifest-unreadable',
  'date-from-file',
  'item-unreadable',
  'item-no-id',
  'item-bad-date',
  'item-invalid',
  'item-bad-count',
  'profile-not-linked',
  'actor-unreadable',
  'account-unreadable',
] as const;
export type ImportProblemCode = (typeof IMPORT_PROBLEM_CODES)[number];

/** Where a problem is: a file, and within it an item's position (0-based) and id when known. */
export interface ProblemPlace {
  file: string;
  item?: number;
  id?: string;
}

export interface ImportProblem {
  where: ProblemPlace;
  why: ImportProblemCode;
  /** Numbers or names the words need (`count`, `expected`, `value`), by name. */
  params?: Record<string, string | number>;
}

/** What an import did, for the CM. */
export interface ImportReport {
  network: ArchiveNetwork;
  profile: {
    /** `Profile.id` the posts were kept under. */
    id: string;
    /** X username or Mastodon `user@domain`. */
    handle: string;
    /** False when the id is provisional (a Mastodon account not connected): see `profile-not-linked`. */
    linked: boolean;
  };
  /** When the archive's counts were observed (its export date), ms since the epoch; null if unknown. */
  observedAt: number | null;
  /** Own posts read from the archive (kept or already there). */
  postsRead: number;
  /** Posts the archive store did not have before. */
  postsImported: number;
  /** Posts it already had, with nothing new (collected, or imported before). */
  duplicates: number;
  /** Posts it already had and completed with what the archive knew more (a hashtag, a url). */
  postsUpdated: number;
  /** Reposts (X retweets, Mastodon boosts): not own posts, counted and left out. */
  skippedReposts: number;
  /** Mastodon direct messages: private conversations, left out of the analytics. */
  skippedPrivate: number;
  /** Count observations handed to the archive (one per post whose counts the archive has). */
  snapshots: number;
  /** What could not be read, at most 200 (`problemsOmitted` more when there were more). */
  problems: ImportProblem[];
  problemsOmitted: number;
  /** Wall time of the import, ms. */
  durationMs: number;
}

/**
 * Why an import could not be done at all (`archiveImport.error.<code>` in the i18n files):
 * - `not-an-archive`: neither an X nor a Mastodon archive, nor one of their post files;
 * - `zip-damaged`: the zip cannot be opened (an incomplete download loses its directory, at the end);
 * - `tar-gz`: an older Mastodon archive (.tar.gz): its outbox.json can be picked once extracted;
 * - `no-posts-file`: no post file (no data/tweets.js, no readable outbox.json);
 * - `x-account-unknown`: a lone tweets.js that does not say whose it is, matching no connected profile;
 * - `file-unreadable`: the picked file cannot be read (moved, permissions);
 * - `store-failed`: the analytics archive refused a batch (storage full, database closed);
 * - `worker-failed`: the import's worker stopped unexpectedly.
 */
export const IMPORT_ERROR_CODES = [
  'not-an-archive',
  'zip-damaged',
  'tar-gz',
  'no-posts-file',
  'x-account-unknown',
  'file-unreadable',
  'store-failed',
  'worker-failed',
] as const;
export type ImportErrorCode = (typeof IMPORT_ERROR_CODES)[number];

/** An import that could not be done; `code` has words in `archiveImport.error.<code>`. */
export class ArchiveImportError extends Error {
  readonly code: ImportErrorCode;
  readonly params: Record<string, string | number>;
  constructor(code: ImportErrorCode, message: string, params: Record<string, string | number> = {}) {
    super(message);
    this.name = 'ArchiveImportError';
    this.code = code;
    this.params = params;
  }
}

/** Options of one import run (in the worker, or in-process in tests and the bench). */
export interface ImportRunOptions {
  /** Profiles Colonnade knows, to link an archive's account to its `Profile.id`. */
  knownProfiles?: KnownProfile[];
  /** Posts per batch handed to the archive store (default 500: a batch costs the page < 50 ms). */
  batchSize?: number;
  /** Called about twice per batch (read, saved) and once per file read. */
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
  /** The time used for durations (tests). */
  now?: () => number;
}

// ---- Worker messages ----------------------------------------------------------------------------
// Page → worker: `start` once, then `ingested` (or `ingest-failed`) for each `batch`, `cancel` at will.
// Worker → page: `progress`; with `database` in `start`, `stored` after each batch the worker
// committed there itself; without, `batch` (the page stores it and answers `ingested`; at most 8
// unanswered); then one of `done`, `failed`, `cancelled`, sent once no write is under way (every
// `stored` comes before it).

export type PageToWorker =
  | {
      type: 'start';
      file: Blob;
      name: string;
      knownProfiles: KnownProfile[];
      batchSize?: number;
      /** The Dexie database the worker stores into itself (SharedArchiveSink.databaseName). */
      database?: string;
    }
  | { type: 'ingested'; seq: number; result: IngestResult }
  | { type: 'ingest-failed'; seq: number; message: string }
  | { type: 'cancel' };

export type WorkerToPage =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'batch'; seq: number; batch: ArchiveBatch }
  | { type: 'stored'; change: ArchiveChange }
  | { type: 'done'; report: ImportReport }
  | { type: 'failed'; code: ImportErrorCode; message: string; params: Record<string, string | number> }
  | { type: 'cancelled' };
