// The Mastodon account archive (Settings → Import and export → Request your archive): its posts,
// and their like and boost counts where the server wrote them.
//
// Format, as Mastodon writes it (app/services/backup_service.rb): a zip (a .tar.gz before 4.2)
// holding outbox.json, actor.json, likes.json, bookmarks.json and the media. outbox.json is an
// ActivityStreams OrderedCollection whose `orderedItems` are one activity per status
// (ActivityPub::CreateNoteSerializer or, for a boost, AnnounceNoteSerializer):
// - `Create` with `object`, the Note (app/serializers/activitypub/note_serializer.rb): `id`
//   (https://host/users/<name>/statuses/<status id>, or https://host/ap/users/<account id>/
//   statuses/<status id> for accounts on numeric ActivityPub ids, Mastodon 4.4+), `url`,
//   `published` (ISO 8601), `content` (HTML), `inReplyTo`, `to`/`cc` (who it is addressed to:
//   the Public collection, the followers collection, or only the people mentioned: a direct
//   message), `tag` (type "Hashtag", name "#tag"), `attachment` (media), and, from Mastodon 4.4
//   (mastodon/mastodon#32007), `likes` and `shares` collections with `totalItems`; quotes (4.5)
//   carry `quote` (FEP-044f; `quoteUri`, `_misskey_quote` elsewhere).
// - `Announce` with `object` the boosted post's URI: a boost, not an own post.
// actor.json is the account (ActivityPub::ActorSerializer): `id`, `preferredUsername`.
//
// Ids match the Mastodon adapter's (src/main/networks/mastodon/normalize.ts `postId`): a post is
// `mastodon:<domain>/<status id>`, a profile `mastodon:<domain>/<account id>`. The archive has
// the status ids, but the account id only when the account uses numeric ActivityPub ids; otherwise
// it comes from the connected profile with the same handle, or the posts are kept under a
// provisional profile id (`mastodon:<domain>/@<username>`) and the report says so.
import type { MetricSnapshot, OwnPost } from '../../../shared/analytics';
import { MetricSnapshotSchema, OwnPostSchema } from '../../../shared/analytics';
import type { ArchiveFile, ArchiveSource } from './archive-source';
import { htmlToPlainText } from '../../../shared/mastodon-html';
import { walkArrayItems, type ArrayItem } from './json-items';
import type { ReadContext } from './read-context';
import { ArchiveImportError } from './types';

const OUTBOX_FILE = /(?:^|\/)outbox\.json$/;
const ACTOR_FILE = /(?:^|\/)actor\.json$/;
const PUBLIC = new Set(['https://www.w3.org/ns/activitystreams#Public', 'as:Public', 'Public']);

/** True when the zip is a Mastodon archive (it has outbox.json). */
export function isMastodonArchive(source: ArchiveSource): boolean {
  return source.files.some((f) => OUTBOX_FILE.test(f.path));
}

/** True when a lone file's first characters are those of an ActivityStreams outbox. */
export function isOutboxText(start: string): boolean {
  return /^\uFEFF?\s*\{/.test(start) && /"(?:orderedItems|OrderedCollection)"/.test(start);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);
const list = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];

/** An ActivityStreams reference: a URI, or an object with an `id`. */
function refOf(value: unknown): string | null {
  return str(value) ?? (isRecord(value) ? str(value.id) : null);
}

function urlOrNull(value: string | null): URL | null {
  if (!value) return null;
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** The items of outbox.json: the fast path parses it whole; a damaged one is walked item by item. */
function outboxItems(text: string): { items: ArrayItem[]; truncated: boolean } | null {
  try {
    const whole = JSON.parse(text) as unknown;
    if (isRecord(whole) && Array.isArray(whole.orderedItems)) {
      return { items: whole.orderedItems.map((value: unknown) => ({ ok: true, value })), truncated: false };
    }
  } catch {
    // Damaged: find the array and walk it.
  }
  const key = /"orderedItems"\s*:\s*\[/.exec(text);
  if (!key) return null;
  const open = key.index + key[0].length - 1;
  return walkArrayItems(text, open);
}

interface Actor {
  uri: string;
  host: string;
  username: string | null;
  /** The account id, when the actor's URI carries it (numeric ActivityPub ids). */
  accountId: string | null;
}

function actorFrom(uri: string | null, username: string | null): Actor | null {
  const url = urlOrNull(uri);
  if (!url || !uri) return null;
  const numeric = /\/ap\/users\/(\d+)\/?$/.exec(url.pathname);
  const named = /\/users\/([^/]+)\/?$/.exec(url.pathname);
  return {
    uri,
    host: url.host,
    username: username ?? (named && !numeric ? decodeURIComponent(named[1] ?? '') : null),
    accountId: numeric?.[1] ?? null,
  };
}

/** The account from the posts when actor.json is missing: the activities' `actor`, the posts' `url`. */
function actorFromItems(items: ArrayItem[]): Actor | null {
  for (const item of items) {
    if (!item.ok || !isRecord(item.value)) continue;
    const activity = item.value;
    const note = isRecord(activity.object) ? activity.object : null;
    const uri = refOf(activity.actor) ?? (note ? refOf(note.attributedTo) : null);
    if (!uri) continue;
    let username: string | null = null;
    const url = urlOrNull(note ? str(note.url) : null);
    const m = url ? /^\/@([^/@]+)\/[^/]+$/.exec(url.pathname) : null;
    if (m) username = decodeURIComponent(m[1] ?? '');
    const actor = actorFrom(uri, username);
    if (actor?.username) return actor;
  }
  return null;
}

interface Account {
  id: string;
  handle: string;
  linked: boolean;
  /** The domain in post ids: the connected profile's (the instance's LOCAL_DOMAIN), else the actor's host. */
  domain: string;
}

function resolveAccount(actor: Actor, ctx: ReadContext): Account {
  const handle = `${actor.username ?? ''}@${actor.host}`;
  const lower = handle.toLowerCase();
  const known = ctx.knownProfiles.find(
    (p) => p.network === 'mastodon' && p.handle.replace(/^@/, '').toLowerCase() === lower && actor.username !== null,
  );
  const knownDomain = known ? /^mastodon:([^/]+)\//.exec(known.id)?.[1] : undefined;
  if (known && knownDomain)
    return { id: known.id, handle: known.handle.replace(/^@/, ''), linked: true, domain: knownDomain };
  if (actor.accountId) {
    const id = `mastodon:${actor.host}/${actor.accountId}`;
    const byId = ctx.knownProfiles.find((p) => p.id === id);
    return { id, handle: byId?.handle.replace(/^@/, '') ?? handle, linked: true, domain: actor.host };
  }
  ctx.problem({ file: 'actor.json' }, 'profile-not-linked', { handle });
  return { id: `mastodon:${actor.host}/@${actor.username ?? 'unknown'}`, handle, linked: false, domain: actor.host };
}

/** A post addressed to no collection (neither the public nor the followers): a direct message. */
function isDirect(note: Record<string, unknown>, activity: Record<string, unknown>): boolean {
  const audience = [...list(note.to), ...list(note.cc), ...list(activity.to), ...list(activity.cc)].flatMap((a) => {
    const ref = refOf(a);
    return ref ? [ref] : [];
  });
  if (audience.length === 0) return false; // not said: keep it
  return !audience.some((a) => PUBLIC.has(a) || /\/followers\/?$/.test(a));
}

function totalOf(collection: unknown): number | null {
  if (!isRecord(collection)) return null;
  const total = collection.totalItems;
  return typeof total === 'number' && Number.isSafeInteger(total) && total >= 0 ? total : null;
}

/** The status id in a Note's id (…/statuses/<id>) or, failing that, its url (…/@user/<id>). */
function statusIdOf(note: Record<string, unknown>): string | null {
  const byId = /\/statuses\/([A-Za-z0-9_-]{1,64})\/?$/.exec(urlOrNull(str(note.id))?.pathname ?? '');
  if (byId) return byId[1] ?? null;
  const byUrl = /\/@[^/]+\/([A-Za-z0-9_-]{1,64})\/?$/.exec(urlOrNull(str(note.url))?.pathname ?? '');
  return byUrl?.[1] ?? null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

function dateOf(value: unknown): number | null {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return null;
  const at = Date.parse(value);
  return Number.isFinite(at) ? at : null;
}

async function readText(file: ArchiveFile, ctx: ReadContext, progress: boolean): Promise<string | null> {
  try {
    return await file.read({
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(progress ? { onBytes: (done: number) => ctx.reading(file.path, done) } : {}),
    });
  } catch (error) {
    ctx.signal?.throwIfAborted();
    ctx.problem({ file: file.path }, 'file-unreadable', {
      detail: error instanceof Error ? error.message : String(error),
    });
    return null;
  }
}

/**
 * Reads a Mastodon archive (a zip) or its outbox.json into the import run: the account (from
 * actor.json, else from the posts), then every own post; boosts and direct messages are counted
 * and left out. A snapshot goes with a post only when the server wrote its counts (4.4+), dated
 * by the archive's outbox.json. Throws ArchiveImportError `no-posts-file` when there is no
 * readable outbox.
 */
export async function readMastodonArchive(source: ArchiveSource, ctx: ReadContext): Promise<void> {
  const outbox = source.kind === 'file' ? source.files[0] : source.find(OUTBOX_FILE);
  if (!outbox) throw new ArchiveImportError('no-posts-file', 'The archive has no outbox.json');
  ctx.plan({ bytesTotal: outbox.size, itemsTotal: null });

  let actor: Actor | null = null;
  if (source.kind === 'zip') {
    const dir = outbox.path.slice(0, outbox.path.length - 'outbox.json'.length);
    const actorFile = source.files.find((f) => f.path === `${dir}actor.json`) ?? source.find(ACTOR_FILE);
    const text = actorFile ? await readText(actorFile, ctx, false) : null;
    try {
      const value = text ? (JSON.parse(text) as unknown) : null;
      if (isRecord(value)) actor = actorFrom(str(value.id), str(value.preferredUsername));
    } catch {
      actor = null;
    }
    if (!actor) ctx.problem({ file: actorFile?.path ?? 'actor.json' }, 'actor-unreadable');
  }

  const text = await readText(outbox, ctx, true);
  ctx.read(outbox.path, outbox.size);
  const read = text === null ? null : outboxItems(text);
  if (!read) {
    if (text !== null) ctx.problem({ file: outbox.path }, 'file-not-posts');
    throw new ArchiveImportError('no-posts-file', 'The outbox cannot be read', { file: outbox.path });
  }
  const { items, truncated } = read;
  if (truncated) ctx.problem({ file: outbox.path }, 'file-truncated', { count: items.length });
  ctx.itemsFound(items.length);

  actor ??= actorFromItems(items);
  if (!actor?.username && !actor?.accountId) {
    throw new ArchiveImportError('no-posts-file', 'The outbox does not say whose it is', { file: outbox.path });
  }
  const account = resolveAccount(actor, ctx);
  const observedAt = outbox.modified;
  ctx.identify({
    network: 'mastodon',
    profile: { id: account.id, handle: account.handle, linked: account.linked },
    observedAt,
    followers: [],
  });

  const path = outbox.path;
  for (let index = 0; index < items.length; index += 1) {
    if ((index & 255) === 0) ctx.signal?.throwIfAborted();
    const item = items[index] as ArrayItem;
    if (!item.ok) {
      ctx.badItem({ file: path, item: index }, 'item-unreadable', { detail: item.error });
      continue;
    }
    const activity = isRecord(item.value) ? item.value : {};
    if (activity.type === 'Announce') {
      ctx.repost();
      continue;
    }
    const note = isRecord(activity.object) ? activity.object : null;
    if (activity.type !== 'Create' || !note) {
      ctx.badItem({ file: path, item: index }, 'item-no-id');
      continue;
    }
    const statusId = statusIdOf(note);
    if (!statusId) {
      ctx.badItem({ file: path, item: index }, 'item-no-id');
      continue;
    }
    const id = `mastodon:${account.domain}/${statusId}`;
    if (isDirect(note, activity)) {
      ctx.privateMessage();
      continue;
    }
    const createdAt = dateOf(note.published) ?? dateOf(activity.published);
    if (createdAt === null) {
      const written = note.published ?? activity.published;
      ctx.badItem(
        { file: path, item: index, id: statusId },
        'item-bad-date',
        written == null || written === '' ? undefined : { value: String(written).slice(0, 60) },
      );
      continue;
    }
    const quote = Boolean(refOf(note.quote) ?? str(note.quoteUri) ?? str(note._misskey_quote) ?? str(note.quoteUrl));
    const contentMap = isRecord(note.contentMap)
      ? Object.values(note.contentMap).find((v) => typeof v === 'string')
      : undefined;
    const html = str(note.content) ?? (typeof contentMap === 'string' ? contentMap : '');
    const hashtags = list(note.tag).flatMap((t) =>
      isRecord(t) && t.type === 'Hashtag' && typeof t.name === 'string' && t.name.replace(/^#/, '')
        ? [t.name.replace(/^#/, '')]
        : [],
    );
    const post: OwnPost = {
      id,
      network: 'mastodon',
      profileId: account.id,
      handle: account.handle,
      createdAt,
      text: htmlToText(html, quote),
      hashtags,
      hasMedia: list(note.attachment).length > 0,
      isReply: refOf(note.inReplyTo) !== null,
      isQuote: quote,
      url: str(note.url) ?? str(note.id),
    };
    if (!OwnPostSchema.safeParse(post).success) {
      ctx.badItem({ file: path, item: index, id: statusId }, 'item-invalid');
      continue;
    }
    const likes = totalOf(note.likes);
    const reposts = totalOf(note.shares);
    let snapshot: MetricSnapshot | null = null;
    if (observedAt !== null && observedAt >= createdAt && (likes !== null || reposts !== null)) {
      const candidate: MetricSnapshot = {
        postId: id,
        at: observedAt,
        values: {
          likes,
          reposts,
          replies: totalOf(note.replies),
          quotes: null,
          bookmarks: null,
          impressions: null,
          linkClicks: null,
          profileClicks: null,
        },
        source: 'mastodon-archive',
      };
      if (MetricSnapshotSchema.safeParse(candidate).success) snapshot = candidate;
    }
    await ctx.post(post, snapshot);
  }
}

/**
 * A Note's `content` HTML as the plain text the analytics keep: what a reader sees (Mastodon's
 * hidden link parts stay hidden; `quote`: its "RE:" fallback line too), without entities.
 */
export function htmlToText(html: string, quote = false): string {
  return htmlToPlainText(html, { tags: [], mentions: [], hideQuoteFallback: quote }).text.trim();
}
