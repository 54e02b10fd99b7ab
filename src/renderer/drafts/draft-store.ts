// The drafts in Dexie: create, save (one transaction per save, durable when it resolves), list and
// search, delete to the trash and restore, go back to a version, keep media bytes. Owner: the
// renderer; the composer writes through an autosaver (./autosaver.ts), the Drafts column reads
// `list`. Times come from `now` (ms since epoch) so tests drive them.
import Dexie from 'dexie';
import { ColonnadeError } from '../../shared/errors';
import { MediaRefSchema, type MediaRef } from '../../shared/outbox';
import type { ColonnadeDb } from '../db/database';
import {
  DraftSchema,
  ORPHAN_MEDIA_MS,
  RESTORABLE_MS,
  VERSION_MAX_SAVES,
  VERSION_PAUSE_MS,
  VERSIONS_KEPT,
  emptyContent,
  matchesSearch,
  mediaIdsOf,
  type Draft,
  type DraftInit,
  type DraftPatch,
  type DraftVersion,
} from './draft';

export interface DraftStoreOptions {
  /** The clock, ms since epoch (default `Date.now`). */
  now?: () => number;
  /** A new draft's id (default `crypto.randomUUID()`). */
  newId?: () => string;
}

export interface DraftListQuery {
  /** Words that must all appear in some part's or variant's text, case and accents aside. */
  search?: string;
  /** At most this many drafts (all when absent). */
  limit?: number;
  /** The trash instead: drafts deleted less than 30 days ago. */
  deleted?: boolean;
}

/** What a media's bytes come with: the `MediaRef` fields that are not read from the file. */
export interface MediaDetails {
  alt?: string;
  name?: string;
  width?: number;
  height?: number;
}

const notFound = (id: string) =>
  new ColonnadeError('not-found', `No draft ${id}`, { reason: 'draft-not-found', params: { id } });

/** Hex of a SHA-256 digest: the id main's media store gives the same bytes. */
async function sha256Hex(data: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A draft as validated for storage; a refused one is a `bad-request` naming the field. */
function checked(draft: Draft): Draft {
  const parsed = DraftSchema.safeParse(draft);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') ?? '';
  throw new ColonnadeError('bad-request', `Draft refused: ${field} ${issue?.message ?? ''}`.trim(), {
    field,
    reason: 'draft-invalid',
    params: { field },
  });
}

export class DraftStore {
  private readonly now: () => number;
  private readonly newId: () => string;

  constructor(
    private readonly db: ColonnadeDb,
    options: DraftStoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? (() => crypto.randomUUID());
  }

  /**
   * A new draft: `initial`'s fields, else one empty part, no target, "now". A draft made with
   * content (an import, a reply) starts its history with that content as its first version.
   */
  async create(initial: DraftInit = {}): Promise<Draft> {
    const [draft] = await this.createMany([initial]);
    return draft!;
  }

  /** Several new drafts in one transaction (an import): all are stored, or none. */
  async createMany(initials: readonly DraftInit[]): Promise<Draft[]> {
    const now = this.now();
    const drafts = initials.map((init) =>
      checked({
        id: init.id ?? this.newId(),
        content: init.content ?? emptyContent(),
        targets: init.targets ?? [],
        when: init.when ?? { kind: 'now' },
        createdAt: now,
        updatedAt: now,
      }),
    );
    await this.db.transaction('rw', this.db.drafts, this.db.draftVersions, async () => {
      await this.db.drafts.bulkAdd(drafts);
      const withContent = drafts.filter((_, i) => initials[i]!.content !== undefined);
      for (const d of withContent) await this.recordVersion(d, now, true);
    });
    return drafts;
  }

  /**
   * Applies `patch` to draft `id` (each field replaced whole) and records it in the draft's
   * history, in one Dexie transaction: when the promise resolves, IndexedDB has committed it.
   * Saving a deleted draft keeps it in the trash.
   *
   * @throws ColonnadeError `not-found` (reason `draft-not-found`) when there is no such draft;
   *   `bad-request` (reason `draft-invalid`, `field`) when the result breaks `DraftSchema`;
   *   Dexie's errors (quota, closed database) as they come.
   */
  async save(id: string, patch: DraftPatch): Promise<Draft> {
    return this.write(id, patch, false);
  }

  private async write(id: string, patch: DraftPatch, newVersion: boolean): Promise<Draft> {
    return this.db.transaction('rw', this.db.drafts, this.db.draftVersions, async () => {
      const stored = await this.db.drafts.get(id);
      if (!stored) throw notFound(id);
      const now = this.now();
      const draft = checked({
        ...stored,
        ...(patch.content ? { content: patch.content } : {}),
        ...(patch.targets ? { targets: patch.targets } : {}),
        ...(patch.when ? { when: patch.when } : {}),
        updatedAt: Math.max(now, stored.updatedAt),
      });
      await this.db.drafts.put(draft);
      await this.recordVersion(draft, now, newVersion);
      return draft;
    });
  }

  /**
   * Within a transaction on `draftVersions`: the draft's newest version follows it while the CM
   * types; a new one starts after a pause of `VERSION_PAUSE_MS`, after `VERSION_MAX_SAVES` saves,
   * or when asked (`fresh`). Only the newest `VERSIONS_KEPT` are kept.
   */
  private async recordVersion(draft: Draft, now: number, fresh: boolean): Promise<void> {
    // A new collection for each query: Dexie's `last()` reverses the collection it is called on.
    const ofDraft = () =>
      this.db.draftVersions.where('[draftId+id]').between([draft.id, Dexie.minKey], [draft.id, Dexie.maxKey]);
    const last = fresh ? undefined : await ofDraft().last();
    const state = { content: draft.content, targets: draft.targets, when: draft.when };
    if (last && now - last.savedAt <= VERSION_PAUSE_MS && last.saves < VERSION_MAX_SAVES) {
      await this.db.draftVersions.put({ ...last, ...state, savedAt: now, saves: last.saves + 1 });
      return;
    }
    await this.db.draftVersions.add({ draftId: draft.id, ...state, startedAt: now, savedAt: now, saves: 1 });
    const ids = await ofDraft().primaryKeys();
    if (ids.length > VERSIONS_KEPT) await this.db.draftVersions.bulkDelete(ids.slice(0, ids.length - VERSIONS_KEPT));
  }

  /** The draft, deleted or not; undefined when there is none (or it was purged). */
  async get(id: string): Promise<Draft | undefined> {
    return this.db.drafts.get(id);
  }

  /**
   * Drafts, most recently changed first: those not deleted, or with `deleted` the trash (deleted
   * less than 30 days ago). `search` keeps drafts whose text (any part or variant) holds every
   * word of it, case and accents aside ("ete" finds "Été", see `matchesSearch`).
   */
  async list(query: DraftListQuery = {}): Promise<Draft[]> {
    const since = this.now() - RESTORABLE_MS;
    let found = this.db.drafts
      .orderBy('updatedAt')
      .reverse()
      .filter((d) => (query.deleted ? d.deletedAt !== undefined && d.deletedAt > since : d.deletedAt === undefined));
    if (query.search?.trim()) {
      const search = query.search;
      found = found.and((d) => matchesSearch(d.content, search));
    }
    if (query.limit !== undefined) found = found.limit(query.limit);
    return found.toArray();
  }

  /** Moves a draft to the trash (`deletedAt`): `restore` brings it back for 30 days. */
  async delete(id: string): Promise<Draft> {
    return this.db.transaction('rw', this.db.drafts, async () => {
      const stored = await this.db.drafts.get(id);
      if (!stored) throw notFound(id);
      if (stored.deletedAt !== undefined) return stored;
      const draft = { ...stored, deletedAt: this.now() };
      await this.db.drafts.put(draft);
      return draft;
    });
  }

  /**
   * Takes a draft out of the trash, as it was.
   * @throws ColonnadeError `not-found`: no such draft (`draft-not-found`), or deleted more than
   *   30 days ago (`draft-expired`, even before `purgeExpired` removed it).
   */
  async restore(id: string): Promise<Draft> {
    return this.db.transaction('rw', this.db.drafts, async () => {
      const stored = await this.db.drafts.get(id);
      if (!stored) throw notFound(id);
      if (stored.deletedAt === undefined) return stored;
      if (stored.deletedAt <= this.now() - RESTORABLE_MS) {
        throw new ColonnadeError('not-found', `Draft ${id} was deleted more than 30 days ago`, {
          reason: 'draft-expired',
          params: { id },
        });
      }
      const { deletedAt: _, ...draft } = stored;
      await this.db.drafts.put(draft);
      return draft;
    });
  }

  /** The draft's history, newest first (the first is the draft as it is now). */
  async versions(id: string): Promise<DraftVersion[]> {
    return this.db.draftVersions
      .where('[draftId+id]')
      .between([id, Dexie.minKey], [id, Dexie.maxKey])
      .reverse()
      .toArray();
  }

  /**
   * Puts a version's content, targets and when back into the draft. The draft as it was stays in
   * the history, and the restored state starts a new version (so going back can be undone).
   * @throws ColonnadeError `not-found` (`draft-version-not-found`) when the version is not one of this draft's.
   */
  async restoreVersion(id: string, versionId: number): Promise<Draft> {
    const version = await this.db.draftVersions.get(versionId);
    if (!version || version.draftId !== id) {
      throw new ColonnadeError('not-found', `No version ${versionId} of draft ${id}`, {
        reason: 'draft-version-not-found',
        params: { id, version: String(versionId) },
      });
    }
    return this.write(id, { content: version.content, targets: version.targets, when: version.when }, true);
  }

  /**
   * Keeps a media file's bytes for drafts, by the SHA-256 of its bytes (hex), and answers the
   * `MediaRef` a draft's part holds (`mimeType` from the blob, `bytes` its size). Keeping the
   * same bytes twice keeps one copy.
   * @throws ColonnadeError `bad-request` (`media-empty`) for an empty file.
   */
  async putMedia(blob: Blob, details: MediaDetails = {}): Promise<MediaRef> {
    const data = await blob.arrayBuffer();
    if (data.byteLength === 0) throw new ColonnadeError('bad-request', 'Empty media file', { reason: 'media-empty' });
    // Hashed before the transaction: IndexedDB commits a transaction left waiting on other work.
    const id = await sha256Hex(data);
    const mimeType = blob.type || 'application/octet-stream';
    await this.db.draftMedia.put({ id, mimeType, data, addedAt: this.now() });
    return MediaRefSchema.parse({
      id,
      mimeType,
      bytes: data.byteLength,
      alt: details.alt ?? '',
      ...(details.name !== undefined ? { name: details.name } : {}),
      ...(details.width !== undefined ? { width: details.width } : {}),
      ...(details.height !== undefined ? { height: details.height } : {}),
    });
  }

  /** The bytes kept for media `id` (a SHA-256 hex), as a Blob of its type; undefined when none. */
  async media(id: string): Promise<Blob | undefined> {
    const row = await this.db.draftMedia.get(id);
    return row ? new Blob([row.data], { type: row.mimeType }) : undefined;
  }

  /**
   * Removes what is kept for nothing (call it at start-up): drafts deleted more than 30 days ago
   * with their history, and media bytes that no draft or version refers to, kept more than a day
   * (a media just kept for a save still on its way stays).
   * @returns how many drafts and media were removed.
   */
  async purgeExpired(): Promise<{ drafts: number; media: number }> {
    const now = this.now();
    const { drafts, draftVersions, draftMedia } = this.db;
    return this.db.transaction('rw', drafts, draftVersions, draftMedia, async () => {
      const all = await drafts.toArray();
      const expired = all.filter((d) => d.deletedAt !== undefined && d.deletedAt <= now - RESTORABLE_MS);
      for (const d of expired) {
        await draftVersions.where('[draftId+id]').between([d.id, Dexie.minKey], [d.id, Dexie.maxKey]).delete();
      }
      await drafts.bulkDelete(expired.map((d) => d.id));
      const used = new Set<string>();
      const gone = new Set(expired.map((d) => d.id));
      for (const d of all) if (!gone.has(d.id)) for (const m of mediaIdsOf(d.content)) used.add(m);
      await draftVersions.each((v) => {
        for (const m of mediaIdsOf(v.content)) used.add(m);
      });
      const old = await draftMedia
        .where('addedAt')
        .belowOrEqual(now - ORPHAN_MEDIA_MS)
        .primaryKeys();
      const orphans = old.filter((m) => !used.has(m));
      await draftMedia.bulkDelete(orphans);
      return { drafts: expired.length, media: orphans.length };
    });
  }
}
