// A draft: what the composer holds (content, target profiles, when), kept in Dexie at every
// keystroke. Owner: the renderer (`drafts`, `draftVersions` and `draftMedia` tables, schema v5 in
// ../db/database.ts); nothing else writes them. Main sees a draft's content only when the CM
// sends it (a `PublishJob` with `draftId`).
import { z } from 'zod';
import { PostContentSchema, WhenSchema, type PostContent, type When } from '../../shared/outbox';

/** A point in time as the drafts store it: milliseconds since the epoch (`Date.now()`). */
const EpochMsSchema = z.number().int().nonnegative();

/** Target profiles of one draft: profile ids (`${network}:${nativeId}`), as many as a job takes. */
export const DraftTargetsSchema = z.array(z.string().min(1).max(200)).max(50);

/** A stored draft. A draft has no title: the UI names it by its first words. */
export const DraftSchema = z.object({
  id: z.string().min(1).max(100),
  content: PostContentSchema,
  targets: DraftTargetsSchema,
  when: WhenSchema,
  createdAt: EpochMsSchema,
  updatedAt: EpochMsSchema,
  /** Set when the CM deleted it (to the trash): restorable for `RESTORABLE_MS`, then purged. */
  deletedAt: EpochMsSchema.optional(),
});
export type Draft = z.infer<typeof DraftSchema>;

/** What a save changes: any of the draft's content, targets and when (each replaced whole). */
export interface DraftPatch {
  content?: PostContent;
  targets?: string[];
  when?: When;
}

/** What a new draft starts with (an import, a reply from a column); the rest takes the defaults. */
export interface DraftInit extends DraftPatch {
  /** Chosen by the caller (tests, an import that keeps ids); a random UUID otherwise. */
  id?: string;
}

/**
 * One version of a draft's history: its state at the end of one burst of typing (see
 * `VERSION_PAUSE_MS`). The newest version is the draft as it is now, and follows it while the CM
 * types; the ones before are what she can go back to.
 */
export interface DraftVersion {
  /** Auto-incremented by Dexie: larger is newer, across all drafts. */
  id: number;
  draftId: string;
  content: PostContent;
  targets: string[];
  when: When;
  /** The first save of the burst (ms since epoch). */
  startedAt: number;
  /** The last save of the burst (ms since epoch). */
  savedAt: number;
  /** Saves the burst took. */
  saves: number;
}

/**
 * The bytes of a draft's image, GIF or video, kept by the renderer until the draft is gone, so a
 * draft written offline (or before main staged its media) loses nothing in a crash. `id` is the
 * same SHA-256 (hex) as the `MediaRef` and as main's media store, so staging later finds it.
 */
export interface DraftMedia {
  id: string;
  mimeType: string;
  /** The file's bytes (an ArrayBuffer: every IndexedDB stores it, Blob support varies). */
  data: ArrayBuffer;
  /** When it was first kept (ms since epoch): a media no draft refers to yet is kept a day. */
  addedAt: number;
}

/** A version is started when the draft was not saved for more than this (ms): a pause in typing. */
export const VERSION_PAUSE_MS = 5_000;
/** …or when the current version already took this many saves (long uninterrupted typing). */
export const VERSION_MAX_SAVES = 100;
/** Versions kept per draft; older ones are dropped as new ones start. */
export const VERSIONS_KEPT = 20;
/** A deleted draft can be restored for 30 days (ms). */
export const RESTORABLE_MS = 30 * 24 * 60 * 60 * 1000;
/** Media bytes no draft or version refers to are kept this long (ms), for a save on its way. */
export const ORPHAN_MEDIA_MS = 24 * 60 * 60 * 1000;

/** A new draft's content: one empty part. */
export function emptyContent(): PostContent {
  return { parts: [{ text: '', media: [] }] };
}

/**
 * Text folded for search: compatibility-decomposed (NFKD, so "ﬁ" is "fi"), without combining
 * marks (accents: "Été" is "ete"), lower-cased, with the ligatures French writes (œ, æ) and ß
 * spelt out.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss');
}

/** Every text of a draft, shared parts and each network's variant, one per line. */
export function draftText(content: PostContent): string {
  const texts = content.parts.map((p) => p.text);
  for (const parts of Object.values(content.variants ?? {})) texts.push(...parts.map((p) => p.text));
  return texts.join('\n');
}

/**
 * Whether a draft matches a search: every word of `query` (folded, see `foldForSearch`) appears
 * in the text of some part or variant. An empty query matches every draft.
 */
export function matchesSearch(content: PostContent, query: string): boolean {
  const words = foldForSearch(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = foldForSearch(draftText(content));
  return words.every((w) => text.includes(w));
}

/** The ids of every media a content refers to (shared parts and variants). */
export function mediaIdsOf(content: PostContent): string[] {
  const ids: string[] = [];
  for (const p of content.parts) ids.push(...p.media.map((m) => m.id));
  for (const parts of Object.values(content.variants ?? {}))
    for (const p of parts) ids.push(...p.media.map((m) => m.id));
  return ids;
}
