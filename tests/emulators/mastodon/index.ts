// A Mastodon client-API emulator for tests: node:http plus `ws` for streaming, state in memory.
// Every request and every answer is checked against the community OpenAPI description (see
// spec-validator.ts); what does not match is recorded in `violations` for tests to assert on.
// Streaming is not in the description and follows Mastodon's documentation instead: one socket at
// /api/v1/streaming, `stream=...` in the query or `{type:'subscribe', stream, tag|list}` messages,
// and events `{stream: [...], event, payload}` whose payload is a JSON string.
//
// Time: the emulator's clock is `options.now` (Date.now by default) plus whatever `advanceTime`
// added. Scheduled statuses (POST /api/v1/statuses with `scheduled_at`, /api/v1/scheduled_statuses)
// are published the way PublishScheduledStatusWorker does it, at their `scheduled_at`, as soon as
// anything observes that time has come: every request, before it is answered, and the control
// calls (`advanceTime`, `publishDue`, `postAs`, `postWith`, `boostAs`, `statusesBy`, `scheduledOf`).
// So a test moves time with `advanceTime(ms)` (or its own `now`) and the due posts are there.
//
// Latency: `setLatency({ beforeMs, afterMs })` slows every HTTP request down, as a distant or busy
// instance does: the emulator waits `beforeMs` after reading a request before acting on it, then
// `afterMs` after acting before it answers. A client that dies during `afterMs` never learns that
// its status was posted (what the outbox's fault-injection test kills the core in the middle of).
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MastodonSpec, type ParsedRequest, type Violation } from './spec-validator';
import {
  compareIds,
  GROUPABLE_TYPES,
  isId,
  OWNER_USERNAME,
  STATUS_TYPES,
  World,
  type FilterRecord,
  type NotificationRecord,
  type ScheduledRecord,
  type StatusRecord,
} from './world';

/**
 * The media limits a mastodon.social-like instance publishes (both /api/v1 and /api/v2/instance):
 * MediaAttachment IMAGE_MIME_TYPES (the common ones) and VIDEO_MIME_TYPES, the default limits.
 */
const MEDIA_LIMITS = {
  supported_mime_types: [
    'image/jpeg',
    'image/png',
    'image/gif',
    'image/webp',
    'video/webm',
    'video/mp4',
    'video/quicktime',
    'video/ogg',
  ],
  image_size_limit: 16_777_216,
  image_matrix_limit: 33_177_600,
  video_size_limit: 103_809_024,
  video_frame_rate_limit: 120,
  video_matrix_limit: 8_294_400,
};

/**
 * ScheduledStatus's rules (app/models/scheduled_status.rb, Mastodon 4.5): `scheduled_at` more than
 * MINIMUM_OFFSET (5 minutes) ahead, at most TOTAL_LIMIT (300) waiting per account and DAILY_LIMIT
 * (25) on one day (the UTC day of `scheduled_at`, Rails' time zone), each counted over every
 * scheduled status of the account, the one being updated included. Their words are
 * config/locales/en.yml `scheduled_statuses.*` (the too-soon one after the attribute's name).
 */
export const SCHEDULED_RULES = { minimumOffsetMs: 5 * 60_000, totalLimit: 300, dailyLimit: 25 } as const;
/** How long an Idempotency-Key is remembered (PostStatusService#with_idempotency: 3,600 s). */
const IDEMPOTENCY_TTL_MS = 3_600_000;

export type { Violation } from './spec-validator';
export { SPEC_PATCHES } from './spec-validator';
export { HASHTAGS, OWNER_USERNAME } from './world';

export interface MastodonEmulatorOptions {
  /** Seeded statuses (default 260: the owner's home then holds well over 100). */
  statusCount?: number;
  maxCharacters?: number;
  maxMediaAttachments?: number;
  descriptionLimit?: number;
  /** `configuration.statuses.characters_reserved_per_url`: what a link counts (Mastodon: 23). */
  urlLength?: number;
  /**
   * `api_versions.mastodon`: 2 and later (Mastodon 4.3+) serve grouped notifications at
   * /api/v2/notifications and several statuses at GET /api/v1/statuses?id[]= (before, both 404); 7 and later (Mastodon 4.5+) accept `quoted_status_id`.
   */
  apiVersion?: number;
  /**
   * Where the instance publishes its limits: `v2` (Mastodon 4.0+, the default); `v1` only (older
   * Mastodon, GoToSocial: /api/v2/instance and /api/v2/notifications answer 404); `pleroma` (v1
   * only, without `configuration`, with Pleroma's `max_toot_chars`, `max_media_attachments`,
   * `description_limit` and `uri` as a URL); `none` (neither answers).
   */
  instanceApi?: 'v2' | 'v1' | 'pleroma' | 'none';
  /** Requests per window per token (Mastodon: 300 per 5 minutes). */
  rateLimit?: { limit: number; windowMs: number };
  now?: () => number;
  /** `configuration.media_attachments.video_size_limit` (default 103,809,024: 99 MiB), enforced on upload. */
  videoSizeLimit?: number;
  /**
   * How many GET /api/v1/media/:id a video or GIF answers 206 (still processing, `url` null) after
   * POST /api/v2/media answered 202, before it answers 200 (default 1). Images are ready at once.
   */
  mediaProcessingPolls?: number;
}

export interface FaultSpec {
  status: number;
  /** Only requests whose path contains this. */
  pathIncludes?: string;
  error?: string;
  /** Answer an HTML page, as a proxy in front of an instance does. */
  html?: boolean;
  times?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  idempotencyKey: string | undefined;
  /**
   * How many items the answer carried (statuses, notifications, notification groups, or search
   * statuses), once answered; undefined for other answers and for requests never answered.
   */
  items?: number;
}

export interface MastodonEmulator {
  url: string;
  streamingUrl: string;
  domain: string;
  violations: Violation[];
  requests: RecordedRequest[];
  close(): Promise<void>;
  /** A new access token for an account (the owner by default), as the web UI would issue. */
  issueToken(username?: string): string;
  revokeToken(token: string): void;
  suspend(username: string): void;
  /** A status posted by someone on the instance (streams see it at once). */
  postAs(username: string, text: string): { id: string };
  /** The next matching requests answer this fault instead. */
  failNext(fault: FaultSpec): void;
  /**
   * The next request whose path contains `pathIncludes` (any, when absent) is accepted and never
   * answered: the connection stays open until the client gives up or the emulator closes.
   */
  hangNext(pathIncludes?: string): void;
  /**
   * Every HTTP request from now on waits `beforeMs` (ms) before the emulator acts on it and
   * `afterMs` between acting and answering (see the header); null or zeros: at once (the default).
   */
  setLatency(latency: { beforeMs?: number; afterMs?: number } | null): void;
  /**
   * Streaming connections opened but never upgraded, for a client's deadline: while set, an
   * upgrade request to /api/v1/streaming is accepted and left without an answer.
   */
  hangStreaming(hang: boolean): void;
  /** Drops every open streaming connection at once (as a restarting streaming server does); answers how many. */
  dropStreams(): number;
  /** Streaming connections open now. */
  openStreams(): number;
  /** The next matching request answers 200 with a body that is not JSON. */
  malformNext(pathIncludes?: string): void;
  /**
   * The next matching answer is changed by `mutate` before it is sent, and not checked against the
   * description (it is broken on purpose: a status with `account: null`, an unknown media type…).
   */
  corruptNext(pathIncludes: string, mutate: (body: unknown) => void): void;
  /** A status with options (content warning, sensitive media, a quote and its state). */
  postWith(
    username: string,
    text: string,
    options?: {
      spoilerText?: string;
      sensitive?: boolean;
      /** Attach this many images (with alt text "image N"). */
      images?: number;
      /** Attach these (after the images): audio, or remote media the server did not fetch (`unknown`). */
      attachments?: Array<{
        type: 'audio' | 'unknown' | 'video' | 'gifv';
        description?: string | null;
        remoteUrl?: string;
        duration?: number;
      }>;
      /** A poll (Poll): its options, votes per option, voters, and who of the instance voted what. */
      poll?: {
        options: string[];
        tallies?: number[];
        voters?: number | null;
        multiple?: boolean;
        hideTotals?: boolean;
        /** When voting closes (ms), or null for a poll without end (remote polls). */
        expiresAt?: number | null;
        votes?: Record<string, number[]>;
      };
      quoteOf?: string;
      quoteState?: string;
      /** A reply to this status (its `in_reply_to_id`). */
      inReplyTo?: string;
      /** `language` as stated (ISO 639-1), or null for none; 'en' by default. */
      language?: string | null;
      at?: number;
    },
  ): { id: string };
  /** `username` blocks `target`: the context of a status leaves either one's statuses out for the other. */
  blockAs(username: string, target: string): void;
  /** Changes what an account's page shows (bio, locked, bot, a header image of its own). */
  updateAccount(username: string, patch: { note?: string; locked?: boolean; bot?: boolean; header?: string }): void;
  /**
   * The context of this status answers with `Mastodon-Async-Refresh` (Mastodon 4.5: replies from
   * other servers are being fetched) until told otherwise.
   */
  refreshingContext(statusId: string, refreshing: boolean): void;
  /** `username` likes a status (and its author gets the notification). */
  favouriteAs(username: string, statusId: string, at?: number): void;
  /** `username` boosts a status now (or at `at`); answers the boost's id. */
  boostAs(username: string, statusId: string, at?: number): { id: string };
  /** `username` follows `target` (the owner by default), with its notification. */
  followAs(username: string, target?: string, at?: number): void;
  /** A notification of any Mastodon type (status, poll, update, follow_request…) for the owner. */
  notifyOwner(type: string, fromUsername: string, statusId: string | null, at?: number): { id: string };
  /** A filter of the owner's (v2 filters: title, context, action, keywords). */
  addFilter(filter: Omit<FilterRecord, 'id' | 'accountId' | 'expiresAt'> & { expiresAt?: number | null }): void;
  /** Renames an account (display names may carry `:shortcode:` custom emoji). */
  setDisplayName(username: string, name: string): void;
  setRateLimit(limit: number, windowMs: number): void;
  /** Spend the rate limit of every token of an account (the owner by default) for `forMs`. */
  exhaustRateLimit(forMs: number, username?: string): void;
  statusesBy(username: string): Array<{
    id: string;
    text: string;
    inReplyToId: string | null;
    quotedStatusId: string | null;
    mediaIds: string[];
  }>;
  mediaDescription(id: string): string | null | undefined;
  favouritedBy(statusId: string): string[];
  boostedBy(statusId: string): string[];
  statusExists(id: string): boolean;
  /** Open streaming connections. */
  streamingClients(): number;
  /** Resolves when a streaming subscription to this hashtag exists. */
  waitForHashtagSubscriber(tag: string): Promise<void>;
  /** The emulator's time now (ms): `options.now` plus what `advanceTime` added. */
  now(): number;
  /** Moves the emulator's clock forward by `ms`, then publishes the scheduled statuses now due. */
  advanceTime(ms: number): void;
  /** Publishes every scheduled status whose time has come (as PublishScheduledStatusWorker); answers how many. */
  publishDue(): number;
  /** An account's scheduled statuses (the owner's by default), soonest first. */
  scheduledOf(username?: string): Array<{ id: string; scheduledAt: number; text: string | null; mediaIds: string[] }>;
  /**
   * A scheduled status made elsewhere (the web UI, another app) without the API's checks, to fill
   * an account up to Mastodon's limits quickly; answers its id.
   */
  scheduleAs(username: string, text: string, at: number): { id: string };
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A non-JSON body (HTML pages, redirects). */
  text?: string;
  contentType?: string;
}

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const OOB = 'urn:ietf:wg:oauth:2.0:oob';

interface Subscription {
  stream: string;
  tag?: string;
  list?: string;
}

interface StreamClient {
  socket: WebSocket;
  accountId: string;
  subscriptions: Subscription[];
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function formToObject(entries: Iterable<[string, FormDataEntryValue | string]>): {
  fields: Record<string, unknown>;
  files: Map<string, File>;
} {
  const fields: Record<string, unknown> = {};
  const files = new Map<string, File>();
  for (const [rawKey, value] of entries) {
    const isArray = rawKey.endsWith('[]');
    const key = isArray ? rawKey.slice(0, -2) : rawKey;
    let v: unknown = value;
    if (typeof value !== 'string') {
      files.set(key, value);
      v = value.name || 'upload';
    }
    if (isArray) {
      const list = Array.isArray(fields[key]) ? (fields[key] as unknown[]) : [];
      list.push(v);
      fields[key] = list;
    } else fields[key] = v;
  }
  return { fields, files };
}

/** How many items an answer carries: an array's length, or its notification groups or statuses. */
function itemsIn(reply: Reply): number | undefined {
  if (reply.status >= 300 || reply.text !== undefined) return undefined;
  const body = reply.body;
  if (Array.isArray(body)) return body.length;
  const groups = (body as { notification_groups?: unknown } | null)?.notification_groups;
  if (Array.isArray(groups)) return groups.length;
  const statuses = (body as { statuses?: unknown; accounts?: unknown } | null)?.statuses;
  if (Array.isArray(statuses) && Array.isArray((body as { accounts?: unknown }).accounts)) return statuses.length;
  return undefined;
}

export async function startMastodonEmulator(options: MastodonEmulatorOptions = {}): Promise<MastodonEmulator> {
  const spec = await MastodonSpec.load();
  const baseNow = options.now ?? (() => Date.now());
  /** What `advanceTime` added to the clock. */
  let offset = 0;
  const now = () => baseNow() + offset;
  const violations: Violation[] = [];
  const requests: RecordedRequest[] = [];
  const faults: FaultSpec[] = [];
  const malformed: Array<string | undefined> = [];
  let rateLimit = options.rateLimit ?? { limit: 300, windowMs: 5 * 60_000 };
  const buckets = new Map<string, { remaining: number; resetAt: number }>();
  const codes = new Map<
    string,
    { clientId: string; redirectUri: string; accountId: string; scopes: string; challenge: string | null }
  >();
  const clients = new Set<StreamClient>();
  const subscriberWaiters: Array<{ tag: string; resolve: () => void }> = [];
  const maxCharacters = options.maxCharacters ?? 500;
  const maxMedia = options.maxMediaAttachments ?? 4;
  const descriptionLimit = options.descriptionLimit ?? 1500;
  const videoSizeLimit = options.videoSizeLimit ?? MEDIA_LIMITS.video_size_limit;
  const mediaProcessingPolls = options.mediaProcessingPolls ?? 1;
  const urlLength = options.urlLength ?? 23;
  const apiVersion = options.apiVersion ?? 7;
  const instanceApi = options.instanceApi ?? 'v2';
  const corruptions: Array<{ pathIncludes: string; mutate: (body: unknown) => void }> = [];
  const hangs: Array<string | undefined> = [];
  let latency = { beforeMs: 0, afterMs: 0 };
  /** Statuses whose context is answered with `Mastodon-Async-Refresh`. */
  const refreshing = new Set<string>();
  let hangUpgrades = false;
  /** Upgrade requests held unanswered (hangStreaming), destroyed on close. */
  const heldSockets = new Set<Duplex>();

  const server = createServer();
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => [...protocols][0] ?? false });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const domain = `127.0.0.1:${port}`;
  const world = new World(origin, domain, now);
  world.seed(options.statusCount ?? 260);

  const violation = (method: string, path: string, message: string) => violations.push({ method, path, message });

  const token = (accountId: string, scopes = 'read write') => {
    const value = randomBytes(24).toString('base64url');
    world.tokens.set(value, { token: value, accountId, scopes, revoked: false });
    return value;
  };

  const accountByUsername = (username: string) => {
    const account = world.accountByAcct(username);
    if (!account) throw new Error(`no account @${username} in the emulator`);
    return account;
  };

  // ---- streaming ----------------------------------------------------------------------------

  const send = (client: StreamClient, stream: string[], event: string, payload: string) => {
    client.socket.send(JSON.stringify({ stream, event, payload }));
  };

  const broadcastStatus = (status: StatusRecord) => {
    for (const client of clients) {
      const payload = JSON.stringify(world.statusJson(status, client.accountId));
      for (const sub of client.subscriptions) {
        if (sub.stream === 'hashtag' && sub.tag && !status.reblogOf && status.tags.includes(sub.tag.toLowerCase())) {
          send(client, ['hashtag', sub.tag], 'update', payload);
        }
        if (sub.stream === 'user') {
          const followed = world.follows.get(client.accountId);
          if (status.accountId === client.accountId || followed?.has(status.accountId)) {
            send(client, ['user'], 'update', payload);
          }
        }
        if (sub.stream === 'list' && sub.list) {
          const list = world.lists.get(sub.list);
          if (list?.memberIds.includes(status.accountId)) send(client, ['list', sub.list], 'update', payload);
        }
      }
    }
  };

  const broadcastNotification = (accountId: string, notificationId: string) => {
    const record = world.notifications.find((n) => n.id === notificationId);
    if (!record) return;
    for (const client of clients) {
      if (client.accountId !== accountId) continue;
      if (client.subscriptions.some((s) => s.stream === 'user' || s.stream === 'user:notification')) {
        const stream = client.subscriptions.find((s) => s.stream.startsWith('user'))?.stream ?? 'user';
        send(
          client,
          [stream],
          'notification',
          JSON.stringify(world.notificationJson(record, accountId, apiVersion >= 2)),
        );
      }
    }
  };

  const broadcastDelete = (id: string) => {
    for (const client of clients) {
      for (const sub of client.subscriptions) {
        const stream = [sub.stream, ...(sub.tag ? [sub.tag] : []), ...(sub.list ? [sub.list] : [])];
        send(client, stream, 'delete', id);
      }
    }
  };

  const subscribe = (client: StreamClient, sub: Subscription) => {
    client.subscriptions.push(sub);
    if (sub.stream === 'hashtag' && sub.tag) {
      for (const waiter of subscriberWaiters.splice(0)) {
        if (waiter.tag.toLowerCase() === sub.tag.toLowerCase()) waiter.resolve();
        else subscriberWaiters.push(waiter);
      }
    }
  };

  const newStatusSideEffects = (status: StatusRecord) => {
    broadcastStatus(status);
    for (const n of world.notifications.filter((n) => n.statusId === status.id && n.type === 'mention')) {
      broadcastNotification(n.forAccountId, n.id);
    }
  };

  // ---- scheduled statuses -------------------------------------------------------------------

  /** ScheduledStatus's validation errors for an account's post at `at`, in Mastodon's words and order. */
  const scheduleProblems = (accountId: string, at: number): string[] => {
    const problems: string[] = [];
    if (at <= now() + SCHEDULED_RULES.minimumOffsetMs) problems.push('Scheduled at date must be in the future');
    const own = [...world.scheduled.values()].filter((r) => r.accountId === accountId);
    if (own.length >= SCHEDULED_RULES.totalLimit) {
      problems.push(`You have exceeded the limit of ${SCHEDULED_RULES.totalLimit} scheduled posts`);
    }
    const day = new Date(at).toISOString().slice(0, 10);
    if (
      own.filter((r) => new Date(r.scheduledAt).toISOString().slice(0, 10) === day).length >= SCHEDULED_RULES.dailyLimit
    ) {
      problems.push(`You have exceeded the limit of ${SCHEDULED_RULES.dailyLimit} scheduled posts for today`);
    }
    return problems;
  };

  /** One of the caller's own scheduled statuses (`current_account.scheduled_statuses.find`), else 404. */
  const ownScheduledOr404 = (c: { params: Record<string, string>; accountId: string }): ScheduledRecord => {
    const record = world.scheduled.get(c.params.id ?? '');
    if (!record || record.accountId !== c.accountId) throw new HttpFailure(404, 'Record not found');
    return record;
  };

  /**
   * PublishScheduledStatusWorker for every scheduled status due by now, in time order: the
   * scheduled status is destroyed first, then PostStatusService posts its params; a post it cannot
   * make (the replied-to or quoted status gone: RecordNotFound; media no longer attachable) is
   * dropped without a word, as the worker rescues it. The status is dated its `scheduled_at` (the
   * worker runs then; the emulator only notices later). Answers how many were posted.
   */
  const publishDue = (): number => {
    const t = now();
    const due = [...world.scheduled.values()]
      .filter((r) => r.scheduledAt <= t)
      .sort((a, b) => a.scheduledAt - b.scheduledAt || compareIds(a.id, b.id));
    let published = 0;
    for (const r of due) {
      world.scheduled.delete(r.id);
      const media = r.mediaIds.map((id) => world.media.get(id));
      for (const m of media) if (m?.scheduledStatusId === r.id) m.scheduledStatusId = null;
      const gone = (id: string | null) => id !== null && (!world.statuses.get(id) || world.statuses.get(id)?.deleted);
      if (gone(r.inReplyToId) || gone(r.quotedStatusId)) continue;
      if (media.some((m) => !m || m.accountId !== r.accountId || m.statusId)) continue;
      const status = world.addStatus(r.accountId, r.text ?? '', r.scheduledAt, {
        mediaIds: r.mediaIds,
        ...(r.inReplyToId ? { inReplyToId: r.inReplyToId } : {}),
        ...(r.quotedStatusId ? { quotedStatusId: r.quotedStatusId } : {}),
        ...(r.sensitive ? { sensitive: true } : {}),
        ...(r.spoilerText ? { spoilerText: r.spoilerText } : {}),
        ...(r.language ? { language: r.language } : {}),
      });
      for (const m of media) if (m) m.statusId = status.id;
      newStatusSideEffects(status);
      published += 1;
    }
    return published;
  };

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    if (hangUpgrades) {
      heldSockets.add(socket); // accepted, never answered (destroyed on close)
      return;
    }
    if (url.pathname !== '/api/v1/streaming') {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    const protocol = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')[0]
      ?.trim();
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const value = url.searchParams.get('access_token') ?? bearer ?? protocol ?? '';
    const record = world.tokens.get(value);
    if (!record || record.revoked) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n{"error":"Error: Invalid token"}');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const client: StreamClient = { socket: ws, accountId: record.accountId, subscriptions: [] };
      clients.add(client);
      const stream = url.searchParams.get('stream');
      if (stream) {
        subscribe(client, {
          stream,
          ...(url.searchParams.get('tag') ? { tag: url.searchParams.get('tag') ?? '' } : {}),
          ...(url.searchParams.get('list') ? { list: url.searchParams.get('list') ?? '' } : {}),
        });
      }
      ws.on('message', (data) => {
        let message: { type?: unknown; stream?: unknown; tag?: unknown; list?: unknown };
        try {
          message = JSON.parse(String(data)) as typeof message;
        } catch {
          ws.send(JSON.stringify({ error: 'Invalid JSON', status: 400 }));
          return;
        }
        if (typeof message.stream !== 'string') {
          ws.send(JSON.stringify({ error: 'Unknown stream type', status: 400 }));
          return;
        }
        const sub: Subscription = {
          stream: message.stream,
          ...(typeof message.tag === 'string' ? { tag: message.tag } : {}),
          ...(typeof message.list === 'string' ? { list: message.list } : {}),
        };
        if (message.type === 'subscribe') subscribe(client, sub);
        else if (message.type === 'unsubscribe') {
          client.subscriptions = client.subscriptions.filter(
            (s) => !(s.stream === sub.stream && s.tag === sub.tag && s.list === sub.list),
          );
        }
      });
      ws.on('close', () => clients.delete(client));
    });
  });

  // ---- paging -------------------------------------------------------------------------------

  const num = (q: Record<string, string | string[]>, name: string): string | undefined => {
    const v = q[name];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };

  /** Mastodon's paging over items sorted newest first by id, with its Link header. */
  const paginate = <T>(
    items: T[],
    idOf: (item: T) => string,
    q: Record<string, string | string[]>,
    path: string,
    rawQuery: string,
    max = 40,
  ): { page: T[]; link?: string } => {
    const limit = Math.min(Math.max(Number(num(q, 'limit') ?? 20), 1), max);
    const maxId = num(q, 'max_id');
    const sinceId = num(q, 'since_id');
    const minId = num(q, 'min_id');
    for (const id of [maxId, sinceId, minId]) {
      if (id !== undefined && !isId(id)) return { page: [] };
    }
    let selected = items.filter(
      (item) =>
        (maxId === undefined || compareIds(idOf(item), maxId) < 0) &&
        (sinceId === undefined || compareIds(idOf(item), sinceId) > 0) &&
        (minId === undefined || compareIds(idOf(item), minId) > 0),
    );
    // min_id: the items immediately after it (the oldest of the newer ones), still newest first.
    selected = minId !== undefined ? selected.slice(-limit) : selected.slice(0, limit);
    const first = selected[0];
    const last = selected[selected.length - 1];
    if (!first || !last) return { page: selected };
    const keep = new URLSearchParams(rawQuery);
    for (const k of ['max_id', 'min_id', 'since_id']) keep.delete(k);
    const link = (key: string, id: string) => {
      const params = new URLSearchParams(keep);
      params.set(key, id);
      return `<${origin}${path}?${params.toString()}>`;
    };
    return {
      page: selected,
      link: `${link('max_id', idOf(last))}; rel="next", ${link('min_id', idOf(first))}; rel="prev"`,
    };
  };

  // ---- handlers -----------------------------------------------------------------------------

  interface Context {
    req: ParsedRequest;
    params: Record<string, string>;
    query: Record<string, string | string[]>;
    body: Record<string, unknown>;
    files: Map<string, File>;
    accountId: string;
  }

  const statusOr404 = (id: string | undefined) => {
    const status = id && isId(id) ? world.statuses.get(id) : undefined;
    if (!status || status.deleted) throw new HttpFailure(404, 'Record not found');
    return status;
  };

  /** A status the viewer may see (StatusPolicy#show?: not when its author blocks the viewer), else 404. */
  const visibleOr404 = (id: string | undefined, viewerId: string) => {
    const status = statusOr404(id);
    if (world.blocks.get(status.accountId)?.has(viewerId)) throw new HttpFailure(404, 'Record not found');
    return status;
  };

  const timeline = (c: Context, items: StatusRecord[]): Reply => {
    const { page, link } = paginate(items, (s) => s.id, c.query, c.req.path, c.req.query);
    return {
      status: 200,
      body: page.map((s) => world.statusJson(s, c.accountId)),
      ...(link ? { headers: { Link: link } } : {}),
    };
  };

  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

  const v1Instance = () => {
    const common = {
      title: 'Colonnade test instance',
      description: 'An emulated instance for tests.',
      short_description: 'An emulated instance for tests.',
      email: 'admin@colonnade.test',
      languages: ['en'],
      registrations: false,
      approval_required: false,
      invites_enabled: false,
      rules: [],
      stats: { user_count: world.accounts.size, status_count: world.statuses.size, domain_count: 2 },
      thumbnail: null,
      contact_account: null,
    };
    if (instanceApi === 'pleroma') {
      // Pleroma's InstanceView (lib/pleroma/web/mastodon_api/views/instance_view.ex, before 2.5).
      return {
        ...common,
        uri: origin,
        version: '2.7.2 (compatible; Pleroma 2.4.5)',
        urls: { streaming_api: `ws://${domain}` },
        max_toot_chars: maxCharacters,
        max_media_attachments: maxMedia,
        description_limit: descriptionLimit,
      };
    }
    return {
      ...common,
      uri: domain,
      version: '3.5.19',
      urls: { streaming_api: `ws://${domain}` },
      configuration: {
        accounts: { max_featured_tags: 10 },
        statuses: {
          max_characters: maxCharacters,
          max_media_attachments: maxMedia,
          characters_reserved_per_url: urlLength,
        },
        media_attachments: {
          ...MEDIA_LIMITS,
          video_size_limit: videoSizeLimit,
        },
        polls: { max_options: 4, max_characters_per_option: 50, min_expiration: 300, max_expiration: 2_629_746 },
      },
    };
  };

  /** Notifications of an account, newest first, as GET /api/v{1,2}/notifications select them. */
  const notificationsOf = (c: Context): NotificationRecord[] => {
    const list = (name: string) => {
      const v = c.query[name];
      return v === undefined ? undefined : Array.isArray(v) ? v : [v];
    };
    const wanted = list('types');
    const excluded = list('exclude_types') ?? [];
    return world.notifications
      .filter((n) => n.forAccountId === c.accountId && (!wanted || wanted.includes(n.type)))
      .filter((n) => !excluded.includes(n.type))
      .filter((n) => !n.statusId || !world.statuses.get(n.statusId)?.deleted)
      .sort((a, b) => compareIds(b.id, a.id));
  };

  /**
   * GET /api/v2/notifications as Api::V2::NotificationsController#index answers it: the page's
   * notifications deduplicated by group key (one per group, its most recent), each group counted
   * and sampled over the group's notifications up to the page's newest id
   * (NotificationGroup.load_groups_data), with the accounts and statuses side by side.
   */
  const groupedNotifications = (c: Context): Reply => {
    const limit = Math.min(Math.max(Number(num(c.query, 'limit') ?? 40), 1), 80);
    const maxId = num(c.query, 'max_id');
    const minId = num(c.query, 'min_id');
    const sinceId = num(c.query, 'since_id');
    const groupedTypesParam = c.query.grouped_types;
    const groupedTypes =
      groupedTypesParam === undefined
        ? GROUPABLE_TYPES
        : new Set(Array.isArray(groupedTypesParam) ? groupedTypesParam : [groupedTypesParam]);
    const all = notificationsOf(c);
    const keyOf = (n: NotificationRecord) => (groupedTypes.has(n.type) ? n.groupKey : `ungrouped-${n.id}`);
    const candidates = all.filter(
      (n) =>
        (maxId === undefined || compareIds(n.id, maxId) < 0) &&
        (sinceId === undefined || compareIds(n.id, sinceId) > 0) &&
        (minId === undefined || compareIds(n.id, minId) > 0),
    );
    // min_id: the groups just after it (walk up from the oldest), still listed newest first.
    const ordered = minId !== undefined ? [...candidates].reverse() : candidates;
    const picked: NotificationRecord[] = [];
    const seen = new Set<string>();
    for (const n of ordered) {
      const key = keyOf(n);
      if (seen.has(key)) continue;
      seen.add(key);
      picked.push(n);
      if (picked.length >= limit) break;
    }
    if (minId !== undefined) picked.reverse();
    const first = picked[0];
    const last = picked[picked.length - 1];
    const accountIds = new Set<string>();
    const statusIds = new Set<string>();
    const groups = picked.map((n) => {
      const key = keyOf(n);
      const members = key.startsWith('ungrouped-')
        ? [n]
        : all.filter((m) => keyOf(m) === key && first && compareIds(m.id, first.id) <= 0);
      const newest = members[0] ?? n;
      const inPage = members.filter((m) => last && compareIds(m.id, last.id) >= 0);
      const sample: string[] = [];
      for (const m of members) {
        if (!sample.includes(m.fromAccountId)) sample.push(m.fromAccountId);
        if (sample.length >= 8) break;
      }
      for (const id of sample) accountIds.add(id);
      if (n.statusId && STATUS_TYPES.has(n.type)) statusIds.add(n.statusId);
      return {
        group_key: key,
        notifications_count: members.length,
        type: n.type,
        most_recent_notification_id: Number(newest.id),
        page_min_id: (inPage[inPage.length - 1] ?? n).id,
        page_max_id: newest.id,
        latest_page_notification_at: new Date(newest.createdAt).toISOString(),
        sample_account_ids: sample,
        ...(STATUS_TYPES.has(n.type) ? { status_id: n.statusId } : {}),
      };
    });
    const statuses = [...statusIds].flatMap((id) => {
      const s = world.statuses.get(id);
      return s && !s.deleted ? [world.statusJson(s, c.accountId)] : [];
    });
    const accounts = [...accountIds].flatMap((id) => {
      const a = world.accounts.get(id);
      return a ? [world.accountJson(a)] : [];
    });
    let link: string | undefined;
    if (first && last) {
      const keep = new URLSearchParams(c.req.query);
      for (const k of ['max_id', 'min_id', 'since_id']) keep.delete(k);
      const make = (key: string, id: string) => {
        const params = new URLSearchParams(keep);
        params.set(key, id);
        return `<${origin}${c.req.path}?${params.toString()}>`;
      };
      link = `${make('max_id', last.id)}; rel="next", ${make('min_id', first.id)}; rel="prev"`;
    }
    return {
      status: 200,
      body: { accounts, statuses, notification_groups: groups },
      ...(link ? { headers: { Link: link } } : {}),
    };
  };

  const instanceV2 = (): Reply => ({
    status: 200,
    body: {
      domain,
      title: 'Colonnade test instance',
      version: apiVersion >= 7 ? '4.5.0' : '4.3.0',
      source_url: 'https://github.com/mastodon/mastodon',
      description: 'An emulated Mastodon instance for tests.',
      usage: { users: { active_month: world.accounts.size } },
      thumbnail: { url: `${origin}/packs/media/images/preview.png` },
      icon: [],
      languages: ['en', 'fr'],
      configuration: {
        urls: { streaming: `ws://${domain}`, status: null },
        accounts: { max_featured_tags: 10, max_pinned_statuses: 5 },
        statuses: {
          max_characters: maxCharacters,
          max_media_attachments: maxMedia,
          characters_reserved_per_url: urlLength,
        },
        media_attachments: {
          ...MEDIA_LIMITS,
          video_size_limit: videoSizeLimit,
          description_limit: descriptionLimit,
        },
        polls: { max_options: 4, max_characters_per_option: 50, min_expiration: 300, max_expiration: 2_629_746 },
        translation: { enabled: false },
      },
      registrations: { enabled: false, approval_required: false, message: null },
      api_versions: { mastodon: apiVersion },
      contact: { email: 'admin@colonnade.test', account: null },
      rules: [],
    },
  });

  const handlers: Record<string, (c: Context) => Reply | Promise<Reply>> = {
    getInstance: () => {
      if (instanceApi === 'none') throw new HttpFailure(404, 'Record not found');
      return { status: 200, body: v1Instance() };
    },

    getNotificationsV2: (c) => {
      if (instanceApi !== 'v2' || apiVersion < 2) throw new HttpFailure(404, 'Record not found');
      return groupedNotifications(c);
    },

    getInstanceV2: () => {
      if (instanceApi !== 'v2') throw new HttpFailure(404, 'Record not found');
      return instanceV2();
    },

    createApp: (c) => {
      const redirect = c.body.redirect_uris;
      const redirectUris = (Array.isArray(redirect) ? redirect : [redirect]).filter(
        (u): u is string => typeof u === 'string',
      );
      const app = {
        clientId: randomBytes(16).toString('base64url'),
        clientSecret: randomBytes(24).toString('base64url'),
        name: str(c.body.client_name) ?? 'app',
        redirectUris,
        scopes: str(c.body.scopes) ?? 'read',
      };
      world.apps.set(app.clientId, app);
      return {
        status: 200,
        body: {
          id: world.newId(),
          name: app.name,
          website: str(c.body.website) ?? null,
          scopes: app.scopes.split(' '),
          redirect_uri: app.redirectUris.join('\n'),
          redirect_uris: app.redirectUris,
          client_id: app.clientId,
          client_secret: app.clientSecret,
          client_secret_expires_at: 0,
          vapid_key: 'BCk-QqERU0q-CfYZjcuB6lnyyOYfJ2AifKqfeGIm7Z-HiTU5T9eTG5GxVA0_OH5mMlI4UkkDTpaZwozy0TzdZ2M=',
        },
      };
    },

    getOauthAuthorize: (c) => {
      const q = c.query;
      const app = world.apps.get(String(q.client_id));
      const redirectUri = String(q.redirect_uri);
      if (!app || !app.redirectUris.includes(redirectUri)) {
        return { status: 400, body: { error: 'invalid_request', error_description: 'Unknown client or redirect URI' } };
      }
      const challenge = typeof q.code_challenge === 'string' ? q.code_challenge : null;
      if (challenge && q.code_challenge_method !== 'S256') {
        return { status: 400, body: { error: 'invalid_request', error_description: 'Only S256 is supported' } };
      }
      const code = randomBytes(24).toString('base64url');
      const scopes = typeof q.scope === 'string' ? q.scope : 'read';
      codes.set(code, { clientId: app.clientId, redirectUri, accountId: world.ownerId, scopes, challenge });
      if (redirectUri === OOB) {
        return {
          status: 200,
          contentType: 'text/html; charset=utf-8',
          text: `<!doctype html><title>Authorization code</title><input class="oauth-code" readonly value="${code}">`,
        };
      }
      const target = new URL(redirectUri);
      target.searchParams.set('code', code);
      if (typeof q.state === 'string') target.searchParams.set('state', q.state);
      return { status: 302, headers: { Location: target.toString() }, text: '' };
    },

    postOauthToken: (c) => {
      const b = c.body;
      const app = world.apps.get(str(b.client_id) ?? '');
      if (!app || app.clientSecret !== b.client_secret) {
        return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } };
      }
      const grant = codes.get(str(b.code) ?? '');
      const invalid = (why: string) => ({ status: 400, body: { error: 'invalid_grant', error_description: why } });
      if (b.grant_type !== 'authorization_code') return invalid('Only authorization_code is emulated');
      if (!grant || grant.clientId !== app.clientId) return invalid('The authorization code is not valid');
      if (grant.redirectUri !== b.redirect_uri) return invalid('The redirect URI does not match');
      if (grant.challenge) {
        const verifier = str(b.code_verifier) ?? '';
        const computed = createHash('sha256').update(verifier).digest('base64url');
        if (computed !== grant.challenge) return invalid('The PKCE code verifier does not match');
      }
      codes.delete(str(b.code) ?? '');
      const access = token(grant.accountId, grant.scopes);
      return {
        status: 200,
        body: { access_token: access, token_type: 'Bearer', scope: grant.scopes, created_at: Math.floor(now() / 1000) },
      };
    },

    getAccountsVerifyCredentials: (c) => {
      const account = world.accounts.get(c.accountId);
      if (!account) throw new HttpFailure(404, 'Record not found');
      return { status: 200, body: world.credentialAccountJson(account) };
    },

    getTimelineHome: (c) => timeline(c, world.home(c.accountId)),

    getTimelinesTagByHashtag: (c) => {
      const tag = (c.params.hashtag ?? '').toLowerCase();
      return timeline(
        c,
        world.newestFirst((s) => !s.reblogOf && s.tags.includes(tag)),
      );
    },

    getTimelinesListByListId: (c) => {
      const list = world.lists.get(c.params.list_id ?? '');
      if (!list || list.ownerId !== c.accountId) throw new HttpFailure(404, 'Record not found');
      return timeline(
        c,
        world.newestFirst((s) => list.memberIds.includes(s.accountId)),
      );
    },

    getAccountLookup: (c) => {
      const account = world.accountByAcct(String(c.query.acct ?? ''));
      if (!account) throw new HttpFailure(404, 'Record not found');
      return { status: 200, body: world.accountJson(account) };
    },

    getAccountStatuses: (c) => {
      const account = world.accounts.get(c.params.id ?? '');
      if (!account) throw new HttpFailure(404, 'Record not found');
      const excludeReblogs = c.query.exclude_reblogs === 'true';
      return timeline(
        c,
        world.newestFirst((s) => s.accountId === account.id && !(excludeReblogs && s.reblogOf)),
      );
    },

    getNotifications: (c) => {
      const { page, link } = paginate(notificationsOf(c), (n) => n.id, c.query, c.req.path, c.req.query, 80);
      return {
        status: 200,
        // `group_key` came with grouped notifications (Mastodon 4.3, API version 2).
        body: page.map((n) => world.notificationJson(n, c.accountId, apiVersion >= 2)),
        ...(link ? { headers: { Link: link } } : {}),
      };
    },

    getSearchV2: (c) => {
      const q = String(c.query.q ?? '')
        .trim()
        .toLowerCase();
      const type = c.query.type;
      const words = q.split(/\s+/).filter(Boolean);
      const statuses =
        type === undefined || type === 'statuses'
          ? world.newestFirst((s) => !s.reblogOf && words.every((w) => s.text.toLowerCase().includes(w)))
          : [];
      // StatusesSearchService: max_id and min_id become `before:` / `after:` cutoffs and results stay
      // newest first (order id desc), then offset and limit apply; no Link header.
      const maxId = num(c.query, 'max_id');
      const minId = num(c.query, 'min_id');
      const limit = Math.min(Math.max(Number(num(c.query, 'limit') ?? 20), 1), 40);
      const offset = Number(num(c.query, 'offset') ?? 0);
      const page = statuses
        .filter(
          (s) =>
            (maxId === undefined || (isId(maxId) && compareIds(s.id, maxId) < 0)) &&
            (minId === undefined || (isId(minId) && compareIds(s.id, minId) > 0)),
        )
        .slice(offset, offset + limit);
      const accounts =
        type === undefined || type === 'accounts'
          ? [...world.accounts.values()].filter((a) => words.some((w) => a.username.includes(w)))
          : [];
      return {
        status: 200,
        body: {
          accounts: accounts.map((a) => world.accountJson(a)),
          statuses: page.map((s) => world.statusJson(s, c.accountId)),
          hashtags: [],
        },
      };
    },

    getLists: (c) => ({
      status: 200,
      body: [...world.lists.values()]
        .filter((l) => l.ownerId === c.accountId)
        .map((l) => ({ id: l.id, title: l.title, replies_policy: 'list', exclusive: false })),
    }),

    getStatus: (c) => ({ status: 200, body: world.statusJson(visibleOr404(c.params.id, c.accountId), c.accountId) }),

    // Api::V1::Statuses::ContextsController#show (Mastodon 4.5): what World#context selects, and
    // `Mastodon-Async-Refresh: id="…", retry=…` while replies from other servers are being fetched.
    getStatusContext: (c) => {
      const status = visibleOr404(c.params.id, c.accountId);
      const { ancestors, descendants } = world.context(status, c.accountId);
      return {
        status: 200,
        body: {
          ancestors: ancestors.map((s) => world.statusJson(s, c.accountId)),
          descendants: descendants.map((s) => world.statusJson(s, c.accountId)),
        },
        ...(refreshing.has(status.id)
          ? { headers: { 'Mastodon-Async-Refresh': `id="context:${status.id}:refresh", retry=2` } }
          : {}),
      };
    },

    // Api::V1::Accounts::RelationshipsController#index: one Relationship per known id, in order.
    getAccountRelationships: (c) => {
      const raw = c.query.id;
      const ids = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
      const found = [...new Set(ids)].flatMap((id) => {
        const a = world.accounts.get(id);
        return a ? [world.relationshipJson(c.accountId, a)] : [];
      });
      return { status: 200, body: found };
    },

    getStatuses: (c) => {
      // Mastodon 4.3 added the route (api_versions.mastodon 2); before, as on v1-only servers, 404.
      if (instanceApi === 'v1' || instanceApi === 'none' || (instanceApi === 'v2' && apiVersion < 2))
        throw new HttpFailure(404, 'Record not found');
      const raw = c.query.id;
      const ids = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
      // Api::V1::StatusesController#check_statuses_limit: more than DEFAULT_STATUSES_LIMIT (20)
      // distinct ids raise Mastodon::ValidationError, answered 422 by Api::BaseController.
      if (new Set(ids).size > 20) throw new HttpFailure(422, 'Mastodon::ValidationError');
      const found = ids.flatMap((id) => {
        const s = isId(id) ? world.statuses.get(id) : undefined;
        return s && !s.deleted ? [world.statusJson(s, c.accountId)] : [];
      });
      return { status: 200, body: found };
    },

    // Api::V1::StatusesController#create → PostStatusService#call (Mastodon 4.5). With `scheduled_at`
    // more than 5 minutes ahead it answers a ScheduledStatus (schedule_status!); at or before now,
    // the status is posted at once (scheduled_in_the_past?). The Idempotency-Key lasts an hour for
    // both (with_idempotency: `redis.setex(key, 3_600, @status.id)`), and a repeat is looked up
    // before preprocess_attributes! has read `scheduled_at`, so always among the account's statuses
    // (idempotency_duplicate: `scheduled?` is still false): the repeat of a post answers that post,
    // the repeat of a scheduled post (whose id is no status's) answers 404 and schedules nothing.
    createStatus: (c) => {
      const key = c.req.headers['idempotency-key'];
      if (key) {
        const existing = world.idempotency.get(`${c.accountId}:${key}`);
        if (existing && now() - existing.at < IDEMPOTENCY_TTL_MS) {
          const status = world.statuses.get(existing.id);
          if (!status || status.deleted || status.accountId !== c.accountId) {
            throw new HttpFailure(404, 'Record not found');
          }
          return { status: 200, body: world.statusJson(status, c.accountId) };
        }
      }
      const rawAt = str(c.body.scheduled_at);
      let scheduledAt: number | undefined;
      if (rawAt) {
        scheduledAt = Date.parse(rawAt);
        // `to_datetime` raising ArgumentError → a bare ActiveRecord::RecordInvalid.
        if (Number.isNaN(scheduledAt)) throw new HttpFailure(422, 'Record invalid');
        if (scheduledAt <= now()) scheduledAt = undefined;
      }
      const text = str(c.body.status) ?? '';
      const mediaIds = Array.isArray(c.body.media_ids) ? c.body.media_ids.map(String) : [];
      const fail = (message: string) => ({ status: 422, body: { error: `Validation failed: ${message}` } });
      const invalid =
        !text.trim() && mediaIds.length === 0
          ? "Text can't be blank"
          : world.countLength(text) > maxCharacters
            ? `Text character limit of ${maxCharacters} exceeded`
            : undefined;
      // schedule_status! validates the status it would post and raises a bare RecordInvalid.
      if (invalid && scheduledAt !== undefined) throw new HttpFailure(422, 'Record invalid');
      if (invalid) return fail(invalid);
      if (mediaIds.length > maxMedia) return fail(`Media attachments exceed the limit of ${maxMedia}`);
      for (const id of mediaIds) {
        const m = world.media.get(id);
        if (!m || m.accountId !== c.accountId || m.statusId) return fail('Media attachments are not valid');
      }
      // PostStatusService#validate_media!: media_attachments.validations.not_ready.
      if (mediaIds.some((id) => world.media.get(id)?.processingPolls !== undefined)) {
        return {
          status: 422,
          body: { error: 'Cannot attach files that have not finished processing. Try again in a moment!' },
        };
      }
      const replyTo = str(c.body.in_reply_to_id);
      if (replyTo) statusOr404(replyTo);
      const quoted = str(c.body.quoted_status_id);
      if (quoted && apiVersion >= 7) statusOr404(quoted);
      if (scheduledAt !== undefined) {
        const problems = scheduleProblems(c.accountId, scheduledAt);
        if (problems.length > 0) return fail(problems.join(', '));
        const record: ScheduledRecord = {
          id: world.newScheduledId(),
          accountId: c.accountId,
          scheduledAt,
          text: str(c.body.status) ?? null,
          mediaIds,
          inReplyToId: replyTo ?? null,
          quotedStatusId: quoted && apiVersion >= 7 ? quoted : null,
          sensitive: typeof c.body.sensitive === 'boolean' ? c.body.sensitive : null,
          spoilerText: str(c.body.spoiler_text) ?? null,
          visibility: str(c.body.visibility) ?? null,
          language: str(c.body.language) ?? null,
        };
        world.scheduled.set(record.id, record);
        for (const id of mediaIds) {
          const m = world.media.get(id);
          if (m) m.scheduledStatusId = record.id;
        }
        if (key) world.idempotency.set(`${c.accountId}:${key}`, { id: record.id, at: now() });
        return { status: 200, body: world.scheduledJson(record) };
      }
      const status = world.addStatus(c.accountId, text, now(), {
        mediaIds,
        ...(replyTo ? { inReplyToId: replyTo } : {}),
        ...(quoted && apiVersion >= 7 ? { quotedStatusId: quoted } : {}),
      });
      for (const id of mediaIds) {
        const m = world.media.get(id);
        if (m) m.statusId = status.id;
      }
      if (key) world.idempotency.set(`${c.accountId}:${key}`, { id: status.id, at: now() });
      newStatusSideEffects(status);
      return { status: 200, body: world.statusJson(status, c.accountId) };
    },

    // Api::V1::ScheduledStatusesController: the account's own scheduled statuses, newest id first,
    // paged by id (Paginable#to_a_paginated_by_id), 20 by default and at most 40; `next` only when
    // the page is full (records_continue?), `prev` whenever it is not empty.
    getScheduledStatuses: (c) => {
      const limit = Math.min(Math.max(Number(num(c.query, 'limit') ?? 20) || 20, 1), 40);
      const maxId = num(c.query, 'max_id');
      const sinceId = num(c.query, 'since_id');
      const minId = num(c.query, 'min_id');
      for (const id of [maxId, sinceId, minId]) if (id !== undefined && !isId(id)) return { status: 200, body: [] };
      const own = [...world.scheduled.values()]
        .filter((r) => r.accountId === c.accountId)
        .filter(
          (r) =>
            (maxId === undefined || compareIds(r.id, maxId) < 0) &&
            (sinceId === undefined || compareIds(r.id, sinceId) > 0) &&
            (minId === undefined || compareIds(r.id, minId) > 0),
        )
        .sort((a, b) => compareIds(b.id, a.id));
      const page = minId !== undefined ? own.slice(-limit) : own.slice(0, limit);
      const links: string[] = [];
      const url = (key: string, id: string) =>
        `<${origin}/api/v1/scheduled_statuses?${new URLSearchParams({
          ...(num(c.query, 'limit') ? { limit: String(limit) } : {}),
          [key]: id,
        }).toString()}>`;
      const last = page[page.length - 1];
      const first = page[0];
      if (last && page.length === limit) links.push(`${url('max_id', last.id)}; rel="next"`);
      if (first) links.push(`${url('min_id', first.id)}; rel="prev"`);
      return {
        status: 200,
        body: page.map((r) => world.scheduledJson(r)),
        ...(links.length > 0 ? { headers: { Link: links.join(', ') } } : {}),
      };
    },

    getScheduledStatus: (c) => ({ status: 200, body: world.scheduledJson(ownScheduledOr404(c)) }),

    // #update: only `scheduled_at` (params.permit(:scheduled_at)), then ScheduledStatus's validations,
    // which count every scheduled status of the account, this one included.
    updateScheduledStatus: (c) => {
      const record = ownScheduledOr404(c);
      const raw = str(c.body.scheduled_at);
      const at = raw === undefined ? record.scheduledAt : Date.parse(raw);
      if (Number.isNaN(at)) throw new HttpFailure(422, 'Record invalid');
      const problems = scheduleProblems(c.accountId, at);
      if (problems.length > 0) throw new HttpFailure(422, `Validation failed: ${problems.join(', ')}`);
      record.scheduledAt = at;
      return { status: 200, body: world.scheduledJson(record) };
    },

    // #destroy: gone, its media freed (`dependent: :nullify`); answers an empty object.
    deleteScheduledStatus: (c) => {
      const record = ownScheduledOr404(c);
      world.scheduled.delete(record.id);
      for (const m of world.media.values()) if (m.scheduledStatusId === record.id) m.scheduledStatusId = null;
      return { status: 200, body: {} };
    },

    deleteStatus: (c) => {
      const status = statusOr404(c.params.id);
      // Mastodon looks the status up among the caller's own: anyone else's is "not found".
      if (status.accountId !== c.accountId) throw new HttpFailure(404, 'Record not found');
      const body = { ...world.statusJson(status, c.accountId), text: status.text };
      status.deleted = true;
      for (const boost of world.statuses.values()) if (boost.reblogOf === status.id) boost.deleted = true;
      broadcastDelete(status.id);
      return { status: 200, body };
    },

    postStatusFavourite: (c) => {
      const status = statusOr404(c.params.id);
      const target = status.reblogOf ? statusOr404(status.reblogOf) : status;
      if (!target.favouritedBy.has(c.accountId) && target.accountId !== c.accountId) {
        world.notify({
          type: 'favourite',
          forAccountId: target.accountId,
          fromAccountId: c.accountId,
          statusId: target.id,
          at: now(),
        });
      }
      target.favouritedBy.add(c.accountId);
      return { status: 200, body: world.statusJson(target, c.accountId) };
    },

    postStatusUnfavourite: (c) => {
      const status = statusOr404(c.params.id);
      const target = status.reblogOf ? statusOr404(status.reblogOf) : status;
      target.favouritedBy.delete(c.accountId);
      return { status: 200, body: world.statusJson(target, c.accountId) };
    },

    postStatusReblog: (c) => {
      const status = statusOr404(c.params.id);
      const target = status.reblogOf ? statusOr404(status.reblogOf) : status;
      let boost = [...world.statuses.values()].find(
        (s) => s.reblogOf === target.id && s.accountId === c.accountId && !s.deleted,
      );
      if (!boost) {
        boost = world.addStatus(c.accountId, '', now(), { reblogOf: target.id });
        if (target.accountId !== c.accountId) {
          world.notify({
            type: 'reblog',
            forAccountId: target.accountId,
            fromAccountId: c.accountId,
            statusId: target.id,
            at: now(),
          });
        }
        broadcastStatus(boost);
      }
      return { status: 200, body: world.statusJson(boost, c.accountId) };
    },

    postStatusUnreblog: (c) => {
      const status = statusOr404(c.params.id);
      const target = status.reblogOf ? statusOr404(status.reblogOf) : status;
      for (const s of world.statuses.values()) {
        if (s.reblogOf === target.id && s.accountId === c.accountId) s.deleted = true;
      }
      return { status: 200, body: world.statusJson(target, c.accountId) };
    },

    createMediaV2: (c) => {
      const file = c.files.get('file');
      if (!file) return { status: 422, body: { error: 'Validation failed: File must be present' } };
      const description = str(c.body.description) ?? null;
      if (description && [...description].length > descriptionLimit) {
        return {
          status: 422,
          body: { error: `Validation failed: Description is too long (maximum is ${descriptionLimit} characters)` },
        };
      }
      if (!MEDIA_LIMITS.supported_mime_types.includes(file.type)) {
        return { status: 422, body: { error: 'Validation failed: File content type is invalid' } };
      }
      // MediaAttachment validates_attachment_size: VIDEO_LIMIT for videos and GIFs (larger_media_format?).
      const video = file.type.startsWith('video/');
      if (video && file.size > videoSizeLimit) {
        return {
          status: 422,
          body: { error: `Validation failed: File file size must be less than ${videoSizeLimit} Bytes` },
        };
      }
      const id = world.newStatusId();
      // A video is processed later (delay_processing: FFmpeg transcodes it); a GIF becomes a
      // looping video (gifv). Both answer 202 with `url: null` until processed.
      const delayed = video || file.type === 'image/gif';
      world.media.set(id, {
        id,
        accountId: c.accountId,
        description,
        mimeType: file.type,
        size: file.size,
        statusId: null,
        ...(video
          ? { type: 'video' as const, duration: 1 }
          : file.type === 'image/gif'
            ? { type: 'gifv' as const }
            : {}),
        ...(delayed ? { processingPolls: mediaProcessingPolls } : {}),
      });
      const m = world.media.get(id);
      return { status: delayed ? 202 : 200, body: m ? world.mediaJson(m) : {} };
    },

    // Api::V1::MediaController#show: 206 while processing (`url` null), 200 once done.
    getMedia: (c) => {
      const m = world.media.get(c.params.id ?? '');
      if (!m || m.accountId !== c.accountId) throw new HttpFailure(404, 'Record not found');
      if (m.processingPolls !== undefined) {
        if (m.processingPolls > 0) {
          m.processingPolls--;
          return { status: 206, body: world.mediaJson(m) };
        }
        delete m.processingPolls;
      }
      return { status: 200, body: world.mediaJson(m) };
    },
  };

  const PUBLIC = new Set(['getInstanceV2', 'getInstance', 'createApp', 'getOauthAuthorize', 'postOauthToken']);

  // ---- the HTTP loop ------------------------------------------------------------------------

  const respond = (res: ServerResponse, reply: Reply) => {
    // Held back (setLatency): a client gone meanwhile gets nothing.
    if (latency.afterMs > 0) setTimeout(() => !res.destroyed && write(res, reply), latency.afterMs);
    else write(res, reply);
  };
  const write = (res: ServerResponse, reply: Reply) => {
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    if (reply.text !== undefined) {
      headers['Content-Type'] = reply.contentType ?? 'text/html; charset=utf-8';
      res.writeHead(reply.status, headers).end(reply.text);
    } else {
      headers['Content-Type'] = 'application/json; charset=utf-8';
      res.writeHead(reply.status, headers).end(JSON.stringify(reply.body ?? {}));
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // The request observes the time: what was due by now is published before it is answered.
    publishDue();
    const url = new URL(req.url ?? '/', origin);
    const method = (req.method ?? 'GET').toUpperCase();
    if (!url.pathname.startsWith('/api/') && !url.pathname.startsWith('/oauth/')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const raw = await readBody(req);
    if (latency.beforeMs > 0) await new Promise((resolve) => setTimeout(resolve, latency.beforeMs));
    const contentType = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    let body: Record<string, unknown> = {};
    let files = new Map<string, File>();
    const parsed: ParsedRequest = { method, path: url.pathname, query: url.search.replace(/^\?/, ''), headers };
    const recorded: RecordedRequest = {
      method,
      path: url.pathname,
      query: parsed.query,
      idempotencyKey: headers['idempotency-key'],
    };
    requests.push(recorded);
    const hangIndex = hangs.findIndex((p) => p === undefined || url.pathname.includes(p));
    if (hangIndex >= 0) {
      hangs.splice(hangIndex, 1);
      return; // accepted and never answered: server.closeAllConnections() ends it on close()
    }
    try {
      if (raw.length > 0) {
        if (contentType === 'application/json') body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
        else if (contentType === 'application/x-www-form-urlencoded') {
          body = formToObject(new URLSearchParams(raw.toString('utf8'))).fields;
        } else if (contentType === 'multipart/form-data') {
          const form = await new Request(url, { method: 'POST', headers, body: new Uint8Array(raw) }).formData();
          ({ fields: body, files } = formToObject(form.entries()));
        }
        parsed.body = body;
      }
    } catch {
      violation(method, url.pathname, `request: the body is not valid ${contentType}`);
      respond(res, { status: 400, body: { error: 'The request body could not be parsed' } });
      return;
    }

    const match = spec.match(parsed);
    if (!match) {
      violation(method, url.pathname, 'request: no such operation in the Mastodon API description');
      respond(res, { status: 404, body: { error: 'Record not found' } });
      return;
    }
    const requestProblems = spec.checkRequest(parsed, match.operationId);
    if (requestProblems.length > 0) {
      for (const p of requestProblems) violation(method, url.pathname, p);
      // Not Mastodon's answer but the emulator refusing a request the description forbids.
      respond(res, { status: 400, body: { error: `Invalid request: ${requestProblems.join('; ')}` } });
      return;
    }

    let reply: Reply;
    const rateHeaders: Record<string, string> = {};
    try {
      let accountId = '';
      let bucketKey = `ip:${req.socket.remoteAddress ?? ''}`;
      const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
      const presented = bearer ? world.tokens.get(bearer) : undefined;
      // Like Mastodon, a request with a working token counts against its account even when public.
      if (presented && !presented.revoked) bucketKey = `token:${presented.token}`;
      if (!PUBLIC.has(match.operationId)) {
        const record = presented;
        if (!record || record.revoked) throw new HttpFailure(401, 'The access token is invalid');
        if (world.accounts.get(record.accountId)?.suspended) {
          throw new HttpFailure(403, 'Your login is currently disabled');
        }
        accountId = record.accountId;
      }
      if (match.operationId !== 'getOauthAuthorize') {
        const t = now();
        let bucket = buckets.get(bucketKey);
        if (!bucket || bucket.resetAt <= t) {
          bucket = { remaining: rateLimit.limit, resetAt: t + rateLimit.windowMs };
          buckets.set(bucketKey, bucket);
        }
        const exhausted = bucket.remaining <= 0;
        if (!exhausted) bucket.remaining -= 1;
        rateHeaders['X-RateLimit-Limit'] = String(rateLimit.limit);
        rateHeaders['X-RateLimit-Remaining'] = String(bucket.remaining);
        rateHeaders['X-RateLimit-Reset'] = new Date(bucket.resetAt).toISOString();
        if (exhausted) throw new HttpFailure(429, 'Too many requests');
      }

      const faultIndex = faults.findIndex((f) => !f.pathIncludes || url.pathname.includes(f.pathIncludes));
      const fault = faults[faultIndex];
      if (fault) {
        fault.times = (fault.times ?? 1) - 1;
        if (fault.times <= 0) faults.splice(faultIndex, 1);
        if (fault.html) {
          // A proxy's page, not Mastodon's answer: nothing in the description to check it against.
          respond(res, { status: fault.status, text: `<html><body><h1>${fault.status}</h1></body></html>` });
          return;
        }
        throw new HttpFailure(fault.status, fault.error ?? 'Something went wrong');
      }
      const malformedIndex = malformed.findIndex((p) => p === undefined || url.pathname.includes(p));
      if (malformedIndex >= 0) {
        malformed.splice(malformedIndex, 1);
        // Deliberately broken, so not checked against the description.
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', ...rateHeaders }).end('{"id": "1", ');
        return;
      }

      const handler = handlers[match.operationId];
      if (!handler) throw new HttpFailure(404, 'Record not found');
      reply = await handler({
        req: parsed,
        params: match.params,
        query: match.query,
        body,
        files,
        accountId,
      });
    } catch (err) {
      if (!(err instanceof HttpFailure)) throw err;
      reply = { status: err.status, body: { error: err.message } };
    }
    reply.headers = { ...rateHeaders, ...(reply.headers ?? {}) };
    recorded.items = itemsIn(reply);
    const corruptionIndex = corruptions.findIndex((x) => url.pathname.includes(x.pathIncludes));
    const corruption = corruptions[corruptionIndex];
    if (corruption && reply.status < 300 && reply.text === undefined) {
      corruptions.splice(corruptionIndex, 1);
      // Broken on purpose: not checked against the description.
      corruption.mutate(reply.body);
      respond(res, reply);
      return;
    }
    const responseProblems = spec.checkResponse(
      match.operationId,
      reply.status,
      reply.text === undefined ? (reply.body ?? {}) : undefined,
      reply.headers,
    );
    for (const p of responseProblems) violation(method, url.pathname, p);
    respond(res, reply);
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      violation(req.method ?? 'GET', req.url ?? '/', `emulator error: ${String(err)}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end('{"error":"emulator error"}');
    });
  });

  return {
    url: origin,
    streamingUrl: `ws://${domain}`,
    domain,
    violations,
    requests,
    close: async () => {
      for (const client of clients) client.socket.terminate();
      for (const socket of heldSockets) socket.destroy();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    issueToken: (username = OWNER_USERNAME) => token(accountByUsername(username).id),
    revokeToken: (value) => {
      const record = world.tokens.get(value);
      if (record) record.revoked = true;
      for (const client of clients) {
        if (record && client.accountId === record.accountId) client.socket.close(4001, 'token revoked');
      }
    },
    suspend: (username) => {
      accountByUsername(username).suspended = true;
    },
    postAs: (username, text) => {
      publishDue();
      const status = world.addStatus(accountByUsername(username).id, text, now());
      newStatusSideEffects(status);
      return { id: status.id };
    },
    failNext: (fault) => void faults.push({ ...fault }),
    hangNext: (pathIncludes) => void hangs.push(pathIncludes),
    setLatency: (next) => {
      latency = { beforeMs: next?.beforeMs ?? 0, afterMs: next?.afterMs ?? 0 };
    },
    hangStreaming: (hang) => {
      hangUpgrades = hang;
    },
    openStreams: () => clients.size,
    dropStreams: () => {
      const open = clients.size;
      for (const client of clients) client.socket.terminate();
      clients.clear();
      return open;
    },
    malformNext: (pathIncludes) => void malformed.push(pathIncludes),
    corruptNext: (pathIncludes, mutate) => void corruptions.push({ pathIncludes, mutate }),
    postWith: (username, text, opts = {}) => {
      publishDue();
      const accountId = accountByUsername(username).id;
      const at = opts.at ?? now();
      const mediaIds: string[] = [];
      for (let i = 0; i < (opts.images ?? 0); i++) {
        const id = world.newStatusId();
        world.media.set(id, {
          id,
          accountId,
          description: `image ${i + 1}`,
          mimeType: 'image/png',
          size: 100,
          statusId: null,
        });
        mediaIds.push(id);
      }
      for (const a of opts.attachments ?? []) {
        const id = world.newStatusId();
        world.media.set(id, {
          id,
          accountId,
          description: a.description ?? null,
          mimeType: a.type === 'audio' ? 'audio/mpeg' : 'application/octet-stream',
          size: 100,
          statusId: null,
          type: a.type,
          remoteUrl: a.remoteUrl ?? null,
          ...(a.duration !== undefined ? { duration: a.duration } : {}),
        });
        mediaIds.push(id);
      }
      if (opts.inReplyTo && !world.statuses.get(opts.inReplyTo)) throw new Error(`no status ${opts.inReplyTo}`);
      const status = world.addStatus(accountId, text, at, {
        mediaIds,
        ...(opts.inReplyTo ? { inReplyToId: opts.inReplyTo } : {}),
        ...(opts.language !== undefined ? { language: opts.language } : {}),
        ...(opts.spoilerText ? { spoilerText: opts.spoilerText } : {}),
        ...(opts.sensitive ? { sensitive: true } : {}),
        ...(opts.quoteOf ? { quotedStatusId: opts.quoteOf, quoteState: opts.quoteState ?? 'accepted' } : {}),
      });
      for (const id of mediaIds) {
        const m = world.media.get(id);
        if (m) m.statusId = status.id;
      }
      if (opts.poll) {
        const p = opts.poll;
        const tallies = p.options.map((_, i) => p.tallies?.[i] ?? 0);
        const votes = new Map<string, number[]>();
        for (const [username, choices] of Object.entries(p.votes ?? {}))
          votes.set(accountByUsername(username).id, choices);
        status.poll = {
          id: world.newId(),
          options: p.options,
          tallies,
          voters: p.voters === undefined ? tallies.reduce((a, b) => a + b, 0) : p.voters,
          multiple: p.multiple ?? false,
          hideTotals: p.hideTotals ?? false,
          expiresAt: p.expiresAt === undefined ? at + 86_400_000 : p.expiresAt,
          votes,
        };
      }
      newStatusSideEffects(status);
      return { id: status.id };
    },
    blockAs: (username, target) => {
      const by = accountByUsername(username);
      const blocked = world.blocks.get(by.id) ?? new Set<string>();
      blocked.add(accountByUsername(target).id);
      world.blocks.set(by.id, blocked);
    },
    updateAccount: (username, patch) => {
      Object.assign(accountByUsername(username), patch);
    },
    refreshingContext: (statusId, on) => {
      if (on) refreshing.add(statusId);
      else refreshing.delete(statusId);
    },
    favouriteAs: (username, statusId, at) => {
      const account = accountByUsername(username);
      const status = world.statuses.get(statusId);
      if (!status) throw new Error(`no status ${statusId} in the emulator`);
      status.favouritedBy.add(account.id);
      if (status.accountId !== account.id) {
        world.notify({
          type: 'favourite',
          forAccountId: status.accountId,
          fromAccountId: account.id,
          statusId,
          at: at ?? now(),
        });
      }
    },
    boostAs: (username, statusId, at) => {
      publishDue();
      const account = accountByUsername(username);
      const status = world.statuses.get(statusId);
      if (!status) throw new Error(`no status ${statusId} in the emulator`);
      const when = at ?? now();
      const boost = world.addStatus(account.id, '', when, { reblogOf: statusId });
      if (status.accountId !== account.id) {
        world.notify({ type: 'reblog', forAccountId: status.accountId, fromAccountId: account.id, statusId, at: when });
      }
      broadcastStatus(boost);
      return { id: boost.id };
    },
    followAs: (username, target = OWNER_USERNAME, at) => {
      const from = accountByUsername(username);
      const to = accountByUsername(target);
      const followed = world.follows.get(from.id) ?? new Set<string>();
      followed.add(to.id);
      world.follows.set(from.id, followed);
      world.notify({ type: 'follow', forAccountId: to.id, fromAccountId: from.id, statusId: null, at: at ?? now() });
    },
    notifyOwner: (type, fromUsername, statusId, at) => {
      const record = world.notify({
        type,
        forAccountId: world.ownerId,
        fromAccountId: accountByUsername(fromUsername).id,
        statusId,
        at: at ?? now(),
      });
      return { id: record.id };
    },
    addFilter: (filter) => {
      world.filters.push({
        ...filter,
        id: world.newId(),
        accountId: world.ownerId,
        expiresAt: filter.expiresAt ?? null,
      });
    },
    setDisplayName: (username, name) => {
      accountByUsername(username).displayName = name;
    },
    exhaustRateLimit: (forMs, username = OWNER_USERNAME) => {
      const accountId = accountByUsername(username).id;
      for (const record of world.tokens.values()) {
        if (record.accountId === accountId)
          buckets.set(`token:${record.token}`, { remaining: 0, resetAt: now() + forMs });
      }
    },
    setRateLimit: (limit, windowMs) => {
      rateLimit = { limit, windowMs };
      buckets.clear();
    },
    statusesBy: (username) => {
      publishDue();
      const account = accountByUsername(username);
      return world
        .newestFirst((s) => s.accountId === account.id && !s.reblogOf)
        .map((s) => ({
          id: s.id,
          text: s.text,
          inReplyToId: s.inReplyToId,
          quotedStatusId: s.quotedStatusId,
          mediaIds: s.mediaIds,
        }));
    },
    mediaDescription: (id) => world.media.get(id)?.description,
    favouritedBy: (id) =>
      [...(world.statuses.get(id)?.favouritedBy ?? [])].map((a) => world.accounts.get(a)?.username ?? a),
    boostedBy: (id) =>
      [...world.statuses.values()]
        .filter((s) => s.reblogOf === id && !s.deleted)
        .map((s) => world.accounts.get(s.accountId)?.username ?? s.accountId),
    statusExists: (id) => {
      const s = world.statuses.get(id);
      return Boolean(s && !s.deleted);
    },
    streamingClients: () => clients.size,
    waitForHashtagSubscriber: (tag) =>
      new Promise<void>((resolve) => {
        const found = [...clients].some((c) =>
          c.subscriptions.some((s) => s.stream === 'hashtag' && s.tag?.toLowerCase() === tag.toLowerCase()),
        );
        if (found) resolve();
        else subscriberWaiters.push({ tag, resolve });
      }),
    now,
    advanceTime: (ms) => {
      offset += ms;
      publishDue();
    },
    publishDue,
    scheduledOf: (username = OWNER_USERNAME) => {
      publishDue();
      const accountId = accountByUsername(username).id;
      return [...world.scheduled.values()]
        .filter((r) => r.accountId === accountId)
        .sort((a, b) => a.scheduledAt - b.scheduledAt || compareIds(a.id, b.id))
        .map((r) => ({ id: r.id, scheduledAt: r.scheduledAt, text: r.text, mediaIds: [...r.mediaIds] }));
    },
    scheduleAs: (username, text, at) => {
      const record: ScheduledRecord = {
        id: world.newScheduledId(),
        accountId: accountByUsername(username).id,
        scheduledAt: at,
        text,
        mediaIds: [],
        inReplyToId: null,
        quotedStatusId: null,
        sensitive: null,
        spoilerText: null,
        visibility: 'public',
        language: null,
      };
      world.scheduled.set(record.id, record);
      return { id: record.id };
    },
  };
}
