// The emulated instance's data: accounts, statuses, media, notifications, lists, apps and tokens,
// seeded deterministically, and their JSON as Mastodon writes it (snake_case, HTML content).

export interface AccountRecord {
  id: string;
  username: string;
  /** Null for accounts of this instance; the remote domain otherwise. */
  domain: string | null;
  displayName: string;
  note: string;
  createdAt: number;
  followers: number;
  suspended: boolean;
  /** Follow requests need approval (Account `locked`). */
  locked?: boolean;
  /** An automated account (Account `bot`). */
  bot?: boolean;
  /** A header image of its own (a path on the instance); Mastodon's stand-in otherwise. */
  header?: string;
}

/** A custom emoji of the instance (REST::CustomEmojiSerializer). */
export interface EmojiRecord {
  shortcode: string;
  /** Animated where the image is (a GIF); `static_url` is always a still PNG. */
  animated: boolean;
}

/** One of an account's filters (CustomFilter with its keywords; Mastodon 4.0+ filters v2). */
export interface FilterRecord {
  id: string;
  accountId: string;
  title: string;
  context: Array<'home' | 'notifications' | 'public' | 'thread' | 'account'>;
  action: 'warn' | 'hide' | 'blur';
  keywords: string[];
  expiresAt: number | null;
}

export interface StatusRecord {
  id: string;
  accountId: string;
  /** The source text as typed (the emulator renders it to HTML like Mastodon's formatter). */
  text: string;
  createdAt: number;
  inReplyToId: string | null;
  inReplyToAccountId: string | null;
  /** Set on a boost: the boosted status's id. */
  reblogOf: string | null;
  quotedStatusId: string | null;
  /** The quote's state as Mastodon serializes it (QuoteStateEnum); accepted unless told. */
  quoteState: string;
  /** `sensitive` as the author marked it (Mastodon forces it on with a content warning). */
  sensitive: boolean;
  spoilerText: string;
  mediaIds: string[];
  tags: string[];
  mentionIds: string[];
  favouritedBy: Set<string>;
  baseFavourites: number;
  baseReblogs: number;
  replies: number;
  deleted: boolean;
  poll?: PollRecord;
  /** `language` as the author's app stated it (ISO 639-1), or null; 'en' unless told. */
  language?: string | null;
}

export interface MediaRecord {
  id: string;
  accountId: string;
  description: string | null;
  mimeType: string;
  size: number;
  statusId: string | null;
  /** MediaAttachment `type` (image unless told): `unknown` is remote media this server did not fetch. */
  type?: 'image' | 'gifv' | 'video' | 'audio' | 'unknown';
  /** The original on another server (`remote_url`), for remote media. */
  remoteUrl?: string | null;
  /** Length in seconds, for audio and video. */
  duration?: number;
  /** The scheduled status it waits with (MediaAttachment `scheduled_status_id`), until published. */
  scheduledStatusId?: string | null;
  /** Still processing (`url` null): GET /api/v1/media/:id answers 206 this many more times. */
  processingPolls?: number;
}

/**
 * A status waiting to be published (ScheduledStatus: `scheduled_at` and the `params`
 * PostStatusService#scheduled_options kept, which PublishScheduledStatusWorker posts when due).
 */
export interface ScheduledRecord {
  /** A plain sequence id (the scheduled_statuses table's bigint primary key, not a snowflake). */
  id: string;
  accountId: string;
  scheduledAt: number;
  text: string | null;
  mediaIds: string[];
  inReplyToId: string | null;
  quotedStatusId: string | null;
  sensitive: boolean | null;
  spoilerText: string | null;
  visibility: string | null;
  language: string | null;
}

/** A status's poll (Poll, with its cached tallies and who voted what). */
export interface PollRecord {
  id: string;
  options: string[];
  /** Votes per option. */
  tallies: number[];
  /** How many people voted (null on polls from before Mastodon 2.8). */
  voters: number | null;
  multiple: boolean;
  hideTotals: boolean;
  /** When voting closes (ms), or null. */
  expiresAt: number | null;
  /** Account id → the option indexes it chose. */
  votes: Map<string, number[]>;
}

export interface NotificationRecord {
  id: string;
  /** Mastodon's NotificationTypeEnum. */
  type: string;
  forAccountId: string;
  fromAccountId: string;
  statusId: string | null;
  createdAt: number;
  /** Mastodon's group key (Notification::Groups#set_group_key!), `ungrouped-<id>` otherwise. */
  groupKey: string;
}

/** Notification types Mastodon groups (Notification::Groups::GROUPABLE_NOTIFICATION_TYPES). */
export const GROUPABLE_TYPES = new Set(['favourite', 'reblog', 'follow', 'admin.sign_up']);
/** Types whose notification carries a status (REST::NotificationGroupSerializer#status_type?). */
export const STATUS_TYPES = new Set([
  'favourite',
  'reblog',
  'status',
  'mention',
  'poll',
  'update',
  'quote',
  'quoted_update',
]);
const GROUP_SPAN_HOURS = 12;

export interface ListRecord {
  id: string;
  title: string;
  ownerId: string;
  memberIds: string[];
}

export interface AppRecord {
  clientId: string;
  clientSecret: string;
  name: string;
  redirectUris: string[];
  scopes: string;
}

export interface TokenRecord {
  token: string;
  accountId: string;
  scopes: string;
  revoked: boolean;
}

type Json = Record<string, unknown>;

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SEED_TIME = Date.UTC(2026, 10, 25, 8, 0, 0);
export const OWNER_USERNAME = 'colonnade_team';
export const HASHTAGS = ['colonnade', 'community', 'opensource', 'fediverse', 'coffee'] as const;

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const TOKEN_PATTERN =
  /(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)'])|(?<![\p{L}\p{N}_/@])@([a-z0-9_]+)(?:@([a-z0-9.-]+\.[a-z]{2,}))?|(?<![\p{L}\p{N}_/&])#([\p{L}\p{N}_]*[\p{L}_][\p{L}\p{N}_]*)/giu;

export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export const isId = (s: string) => /^\d{1,19}$/.test(s);

export class World {
  readonly accounts = new Map<string, AccountRecord>();
  readonly statuses = new Map<string, StatusRecord>();
  readonly media = new Map<string, MediaRecord>();
  readonly notifications: NotificationRecord[] = [];
  readonly lists = new Map<string, ListRecord>();
  readonly apps = new Map<string, AppRecord>();
  readonly tokens = new Map<string, TokenRecord>();
  /** Who follows whom: follower id → followed ids. */
  readonly follows = new Map<string, Set<string>>();
  /** Who blocks whom: blocker id → blocked ids. */
  readonly blocks = new Map<string, Set<string>>();
  /**
   * `${accountId}:${key}` → the status or scheduled status id an Idempotency-Key gave and when
   * (PostStatusService#with_idempotency: `redis.setex(key, 3_600, id)`, so it lasts an hour).
   */
  readonly idempotency = new Map<string, { id: string; at: number }>();
  /** Scheduled statuses by id. */
  readonly scheduled = new Map<string, ScheduledRecord>();
  readonly emojis = new Map<string, EmojiRecord>();
  readonly filters: FilterRecord[] = [];
  /** Notification group buckets: `${accountId}/${typePrefix}` → hour bucket (Mastodon keeps it in redis). */
  private readonly groupBuckets = new Map<string, number>();
  ownerId = '';
  private nextStatus = 110_000_000_000_000_000n;
  private nextOther = 1_000;
  private nextScheduled = 3_000;

  constructor(
    readonly origin: string,
    readonly domain: string,
    readonly now: () => number = () => Date.now(),
  ) {}

  newStatusId(): string {
    this.nextStatus += 1_000n;
    return this.nextStatus.toString();
  }

  newId(): string {
    this.nextOther += 1;
    return String(this.nextOther);
  }

  newScheduledId(): string {
    this.nextScheduled += 1;
    return String(this.nextScheduled);
  }

  /**
   * A scheduled status as REST::ScheduledStatusSerializer writes it (Mastodon 4.5): `params` are the
   * options PostStatusService#scheduled_options kept, as sent (null where the request left them
   * out), with `scheduled_at` and `idempotency` null, `with_rate_limit` false, the app's id, and
   * `quoted_status_id` as a string; `in_reply_to_id` is a JSON integer, as Mastodon stores it.
   */
  scheduledJson(r: ScheduledRecord): Json {
    return {
      id: r.id,
      scheduled_at: new Date(r.scheduledAt).toISOString(),
      params: {
        text: r.text,
        poll: null,
        media_ids: r.mediaIds.length > 0 ? r.mediaIds : null,
        sensitive: r.sensitive,
        visibility: r.visibility,
        language: r.language,
        idempotency: null,
        scheduled_at: null,
        spoiler_text: r.spoilerText,
        application_id: 1,
        in_reply_to_id: r.inReplyToId === null ? null : Number(r.inReplyToId),
        quoted_status_id: r.quotedStatusId,
        quote_approval_policy: 'public',
        allowed_mentions: null,
        with_rate_limit: false,
      },
      media_attachments: r.mediaIds.flatMap((id) => {
        const m = this.media.get(id);
        return m ? [this.mediaJson(m)] : [];
      }),
    };
  }

  accountByAcct(acct: string): AccountRecord | undefined {
    const [username = '', domain] = acct.replace(/^@/, '').toLowerCase().split('@');
    const wanted = domain === undefined || domain === this.domain.toLowerCase() ? null : domain;
    return [...this.accounts.values()].find((a) => a.username.toLowerCase() === username && a.domain === wanted);
  }

  acct(a: AccountRecord): string {
    return a.domain ? `${a.username}@${a.domain}` : a.username;
  }

  accountUrl(a: AccountRecord): string {
    return a.domain ? `https://${a.domain}/@${a.username}` : `${this.origin}/@${a.username}`;
  }

  /** Mastodon's length: every URL counts 23, a remote mention counts only its @username. */
  countLength(text: string): number {
    let n = 0;
    let last = 0;
    for (const m of text.matchAll(TOKEN_PATTERN)) {
      n += [...text.slice(last, m.index)].length;
      if (m[1]) n += 23;
      else if (m[2] !== undefined) n += 1 + [...m[2]].length;
      else n += [...m[0]].length;
      last = m.index + m[0].length;
    }
    return n + [...text.slice(last)].length;
  }

  /** Hashtags and known accounts mentioned in a source text. */
  parse(text: string): { tags: string[]; mentionIds: string[] } {
    const tags: string[] = [];
    const mentionIds: string[] = [];
    for (const m of text.matchAll(TOKEN_PATTERN)) {
      if (m[2] !== undefined) {
        const account = this.accountByAcct(m[3] ? `${m[2]}@${m[3]}` : m[2]);
        if (account && !mentionIds.includes(account.id)) mentionIds.push(account.id);
      } else if (m[4] !== undefined && !tags.includes(m[4].toLowerCase())) {
        tags.push(m[4].toLowerCase());
      }
    }
    return { tags, mentionIds };
  }

  /** Source text to HTML the way Mastodon's formatter renders local statuses. */
  renderHtml(text: string): string {
    const renderLine = (line: string) => {
      let out = '';
      let last = 0;
      for (const m of line.matchAll(TOKEN_PATTERN)) {
        out += escapeHtml(line.slice(last, m.index));
        last = m.index + m[0].length;
        if (m[1]) {
          const url = m[1];
          // TextFormatter#link_to_url: the scheme and "www." are invisible, 30 characters shown.
          const display = url.replace(/^https?:\/\/(www\.)?/, '');
          const scheme = url.slice(0, url.length - display.length);
          const shown =
            display.length > 30
              ? `<span class="ellipsis">${escapeHtml(display.slice(0, 30))}</span><span class="invisible">${escapeHtml(display.slice(30))}</span>`
              : `<span class="">${escapeHtml(display)}</span><span class="invisible"></span>`;
          out += `<a href="${escapeHtml(url)}" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">${escapeHtml(scheme)}</span>${shown}</a>`;
        } else if (m[2] !== undefined) {
          const account = this.accountByAcct(m[3] ? `${m[2]}@${m[3]}` : m[2]);
          out += account
            ? `<span class="h-card" translate="no"><a href="${escapeHtml(this.accountUrl(account))}" class="u-url mention">@<span>${escapeHtml(account.username)}</span></a></span>`
            : escapeHtml(m[0]);
        } else if (m[4] !== undefined) {
          out += `<a href="${this.origin}/tags/${encodeURIComponent(m[4].toLowerCase())}" class="mention hashtag" rel="tag">#<span>${escapeHtml(m[4])}</span></a>`;
        }
      }
      return out + escapeHtml(line.slice(last));
    };
    return text
      .trim()
      .split(/\n{2,}/)
      .map((para) => `<p>${para.split('\n').map(renderLine).join('<br />')}</p>`)
      .join('');
  }

  emojiJson(shortcode: string): Json | undefined {
    const e = this.emojis.get(shortcode);
    if (!e) return undefined;
    const base = `${this.origin}/system/custom_emojis/images/${encodeURIComponent(shortcode)}`;
    return {
      shortcode,
      url: `${base}/original.${e.animated ? 'gif' : 'png'}`,
      static_url: `${base}/static.png`,
      visible_in_picker: true,
      category: null,
    };
  }

  /** The custom emoji a text uses (`:shortcode:` of a known emoji), as Mastodon lists them. */
  emojisIn(...texts: string[]): Json[] {
    const found: Json[] = [];
    const seen = new Set<string>();
    for (const text of texts) {
      for (const m of text.matchAll(/:([a-zA-Z0-9_]{2,}):/g)) {
        const code = m[1] ?? '';
        if (seen.has(code)) continue;
        const json = this.emojiJson(code);
        if (json) {
          seen.add(code);
          found.push(json);
        }
      }
    }
    return found;
  }

  /** FilterResults of the viewer's active filters matching a status (Account#status_matches_filters). */
  filteredFor(s: StatusRecord, viewerId: string, at: number): Json[] {
    const text = s.text.toLowerCase();
    return this.filters
      .filter((f) => f.accountId === viewerId && (f.expiresAt === null || f.expiresAt > at))
      .flatMap((f) => {
        const matches = f.keywords.filter((k) =>
          new RegExp(
            `(?<![\\p{L}\\p{N}_])${k.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}_])`,
            'u',
          ).test(text),
        );
        if (matches.length === 0) return [];
        return [
          {
            filter: {
              id: f.id,
              title: f.title,
              context: f.context,
              expires_at: f.expiresAt === null ? null : new Date(f.expiresAt).toISOString(),
              filter_action: f.action,
            },
            keyword_matches: matches,
            status_matches: [],
          },
        ];
      });
  }

  accountJson(a: AccountRecord): Json {
    const statuses = [...this.statuses.values()].filter((s) => s.accountId === a.id && !s.deleted);
    const last = statuses.reduce((max, s) => Math.max(max, s.createdAt), 0);
    const following = this.follows.get(a.id)?.size ?? 0;
    return {
      id: a.id,
      username: a.username,
      acct: this.acct(a),
      display_name: a.displayName,
      locked: a.locked ?? false,
      bot: a.bot ?? false,
      discoverable: true,
      indexable: true,
      group: false,
      hide_collections: false,
      noindex: false,
      created_at: new Date(a.createdAt).toISOString(),
      note: `<p>${escapeHtml(a.note)}</p>`,
      url: this.accountUrl(a),
      uri: a.domain ? `https://${a.domain}/users/${a.username}` : `${this.origin}/users/${a.username}`,
      avatar: `${this.origin}/system/avatars/${a.id}.png`,
      avatar_static: `${this.origin}/system/avatars/${a.id}.png`,
      header: `${this.origin}${a.header ?? '/headers/original/missing.png'}`,
      header_static: `${this.origin}${a.header ?? '/headers/original/missing.png'}`,
      followers_count: a.followers,
      following_count: following,
      statuses_count: statuses.length,
      last_status_at: last ? new Date(last).toISOString().slice(0, 10) : null,
      emojis: this.emojisIn(a.displayName),
      fields: [],
      roles: [],
    };
  }

  credentialAccountJson(a: AccountRecord): Json {
    return {
      ...this.accountJson(a),
      source: {
        privacy: 'public',
        sensitive: false,
        language: 'en',
        note: a.note,
        fields: [],
        follow_requests_count: 0,
        indexable: true,
      },
      role: { id: '-99', name: '', permissions: '0', color: '', highlighted: false },
    };
  }

  /**
   * An attachment (REST::MediaAttachmentSerializer): images with their sizes; audio with its
   * duration only; `unknown` (remote media not fetched) with no `url`, no `meta`, only `remote_url`.
   */
  mediaJson(m: MediaRecord): Json {
    const type = m.type ?? 'image';
    const base = { id: m.id, type, description: m.description };
    if (type === 'unknown') {
      return { ...base, url: null, preview_url: null, remote_url: m.remoteUrl ?? null, meta: null, blurhash: null };
    }
    const file = `${this.origin}/system/media_attachments/files/${m.id}/original/`;
    if (type === 'audio') {
      const duration = m.duration ?? 60;
      return {
        ...base,
        url: `${file}audio.mp3`,
        preview_url: null,
        remote_url: m.remoteUrl ?? null,
        meta: { length: new Date(duration * 1000).toISOString().slice(11, 21), duration, original: { duration } },
        blurhash: null,
      };
    }
    if (type === 'video' || type === 'gifv') {
      const duration = m.duration ?? 1;
      const ready = m.processingPolls === undefined;
      return {
        ...base,
        url: ready ? `${file}video.mp4` : null,
        preview_url: `${this.origin}/system/media_attachments/files/${m.id}/small/video.png`,
        remote_url: m.remoteUrl ?? null,
        meta: ready
          ? {
              original: { width: 32, height: 32, frame_rate: '10/1', duration, bitrate: 10_000 },
              small: { width: 32, height: 32, size: '32x32', aspect: 1 },
            }
          : null,
        blurhash: null,
      };
    }
    const url = `${file}image.png`;
    return {
      ...base,
      url,
      preview_url: `${this.origin}/system/media_attachments/files/${m.id}/small/image.png`,
      remote_url: m.remoteUrl ?? null,
      meta: {
        original: { width: 1200, height: 675, size: '1200x675', aspect: 1.7777777777777777 },
        small: { width: 640, height: 360, size: '640x360', aspect: 1.7777777777777777 },
      },
      blurhash: 'UFGk~f~q%Mxu-;xuxuof4nxu%Mfkxuofayof',
    };
  }

  /** What a quote of `s` looks like (REST::BaseQuoteSerializer): the state, and the status when accepted. */
  private quoteJson(s: StatusRecord, viewerId: string, shallow: boolean): Json | null {
    if (!s.quotedStatusId) return null;
    const quoted = this.statuses.get(s.quotedStatusId);
    const gone = !quoted || quoted.deleted;
    const state = s.quoteState === 'accepted' && gone ? 'deleted' : s.quoteState;
    if (shallow) return { state, quoted_status_id: state === 'accepted' && quoted ? quoted.id : null };
    return {
      state,
      quoted_status: state === 'accepted' && quoted ? this.statusJson(quoted, viewerId, { shallow: true }) : null,
    };
  }

  /**
   * A status as `viewerId` sees it (REST::StatusSerializer; a quoted status as
   * REST::ShallowStatusSerializer, whose own quote is a ShallowQuote).
   */
  statusJson(s: StatusRecord, viewerId: string, options: { shallow?: boolean } = {}): Json {
    const account = this.accounts.get(s.accountId);
    if (!account) throw new Error(`status ${s.id} has no author`);
    const base = {
      id: s.id,
      created_at: new Date(s.createdAt).toISOString(),
      in_reply_to_id: s.inReplyToId,
      in_reply_to_account_id: s.inReplyToAccountId,
      sensitive: s.sensitive || s.spoilerText !== '',
      spoiler_text: s.spoilerText,
      visibility: 'public',
      language: s.language === undefined ? 'en' : s.language,
      uri: `${this.origin}/users/${account.username}/statuses/${s.id}`,
      url: `${this.origin}/@${account.username}/${s.id}`,
      edited_at: null,
      muted: false,
      bookmarked: false,
      application: { name: 'Web', website: null },
      account: this.accountJson(account),
      card: null,
      poll: this.pollJson(s, viewerId),
    };
    if (s.reblogOf) {
      const original = this.statuses.get(s.reblogOf);
      if (!original) throw new Error(`boost ${s.id} has no original`);
      return {
        ...base,
        sensitive: false,
        spoiler_text: '',
        content: '',
        emojis: [],
        // The filters of the boosted status (CustomFilter.apply_cached_filters reads status.proper).
        filtered: this.filteredFor(original, viewerId, this.now()),
        replies_count: 0,
        reblogs_count: 0,
        favourites_count: 0,
        quotes_count: 0,
        favourited: false,
        reblogged: false,
        reblog: this.statusJson(original, viewerId),
        poll: null,
        media_attachments: [],
        mentions: [],
        tags: [],
        quote: null,
      };
    }
    const boosts = [...this.statuses.values()].filter((b) => b.reblogOf === s.id && !b.deleted);
    const quoted = s.quotedStatusId ? this.statuses.get(s.quotedStatusId) : undefined;
    const quotes = [...this.statuses.values()].filter(
      (q) => q.quotedStatusId === s.id && !q.deleted && q.quoteState === 'accepted',
    );
    // Mastodon 4.5 adds a "RE: <link>" paragraph for clients without quotes, when the text has no link to it.
    const quotedUrl = quoted
      ? `${this.origin}/@${this.accounts.get(quoted.accountId)?.username ?? ''}/${quoted.id}`
      : '';
    const fallback =
      quoted && !s.text.includes(quotedUrl)
        ? `<p class="quote-inline">RE: ${this.renderHtml(quotedUrl).replace(/^<p>|<\/p>$/g, '')}</p>`
        : '';
    return {
      ...base,
      content: fallback + this.renderHtml(s.text),
      emojis: this.emojisIn(s.spoilerText, s.text),
      filtered: this.filteredFor(s, viewerId, this.now()),
      replies_count: s.replies,
      reblogs_count: s.baseReblogs + boosts.length,
      favourites_count: s.baseFavourites + s.favouritedBy.size,
      quotes_count: quotes.length,
      favourited: s.favouritedBy.has(viewerId),
      reblogged: boosts.some((b) => b.accountId === viewerId),
      reblog: null,
      media_attachments: s.mediaIds.flatMap((id) => {
        const m = this.media.get(id);
        return m ? [this.mediaJson(m)] : [];
      }),
      mentions: s.mentionIds.flatMap((id) => {
        const a = this.accounts.get(id);
        return a ? [{ id: a.id, username: a.username, url: this.accountUrl(a), acct: this.acct(a) }] : [];
      }),
      tags: s.tags.map((name) => ({ name, url: `${this.origin}/tags/${encodeURIComponent(name)}` })),
      quote: this.quoteJson(s, viewerId, options.shallow ?? false),
    };
  }

  /**
   * A poll as `viewerId` sees it (REST::PollSerializer): option counts null while `hide_totals`
   * hides them and the poll is open (Poll#show_totals_now?); the author counts as having voted
   * (Poll#voted?).
   */
  pollJson(s: StatusRecord, viewerId: string): Json | null {
    const p = s.poll;
    if (!p) return null;
    const expired = p.expiresAt !== null && p.expiresAt <= this.now();
    const showTotals = expired || !p.hideTotals;
    const own = p.votes.get(viewerId) ?? [];
    return {
      id: p.id,
      expires_at: p.expiresAt === null ? null : new Date(p.expiresAt).toISOString(),
      expired,
      multiple: p.multiple,
      votes_count: p.tallies.reduce((a, b) => a + b, 0),
      voters_count: p.voters,
      voted: s.accountId === viewerId || own.length > 0,
      own_votes: own,
      options: p.options.map((title, i) => ({ title, votes_count: showTotals ? (p.tallies[i] ?? 0) : null })),
      emojis: this.emojisIn(...p.options),
    };
  }

  notificationJson(n: NotificationRecord, viewerId: string, withGroupKey = true): Json {
    const from = this.accounts.get(n.fromAccountId);
    if (!from) throw new Error(`notification ${n.id} has no account`);
    const status = n.statusId ? this.statuses.get(n.statusId) : undefined;
    return {
      id: n.id,
      type: n.type,
      ...(withGroupKey ? { group_key: n.groupKey } : {}),
      created_at: new Date(n.createdAt).toISOString(),
      account: this.accountJson(from),
      ...(status && !status.deleted ? { status: this.statusJson(status, viewerId) } : {}),
    };
  }

  addStatus(
    accountId: string,
    text: string,
    at: number,
    extra: Partial<
      Pick<
        StatusRecord,
        | 'inReplyToId'
        | 'reblogOf'
        | 'quotedStatusId'
        | 'quoteState'
        | 'mediaIds'
        | 'sensitive'
        | 'spoilerText'
        | 'language'
      >
    > = {},
  ): StatusRecord {
    const { tags, mentionIds } = extra.reblogOf ? { tags: [], mentionIds: [] } : this.parse(text);
    const parent = extra.inReplyToId ? this.statuses.get(extra.inReplyToId) : undefined;
    const status: StatusRecord = {
      id: this.newStatusId(),
      accountId,
      text,
      createdAt: at,
      inReplyToId: parent?.id ?? null,
      inReplyToAccountId: parent?.accountId ?? null,
      reblogOf: extra.reblogOf ?? null,
      quotedStatusId: extra.quotedStatusId ?? null,
      quoteState: extra.quoteState ?? 'accepted',
      sensitive: extra.sensitive ?? false,
      spoilerText: extra.spoilerText ?? '',
      mediaIds: extra.mediaIds ?? [],
      tags,
      mentionIds,
      favouritedBy: new Set(),
      baseFavourites: 0,
      baseReblogs: 0,
      replies: 0,
      deleted: false,
      ...(extra.language !== undefined ? { language: extra.language } : {}),
    };
    if (parent) parent.replies += 1;
    this.statuses.set(status.id, status);
    for (const mentioned of mentionIds) {
      if (mentioned !== accountId) {
        this.notify({ type: 'mention', forAccountId: mentioned, fromAccountId: accountId, statusId: status.id, at });
      }
    }
    const quoted = extra.quotedStatusId ? this.statuses.get(extra.quotedStatusId) : undefined;
    if (quoted && quoted.accountId !== accountId) {
      this.notify({ type: 'quote', forAccountId: quoted.accountId, fromAccountId: accountId, statusId: status.id, at });
    }
    return status;
  }

  notify(n: {
    type: NotificationRecord['type'];
    forAccountId: string;
    fromAccountId: string;
    statusId: string | null;
    at: number;
  }): NotificationRecord {
    const id = this.newId();
    const record: NotificationRecord = {
      id,
      type: n.type,
      forAccountId: n.forAccountId,
      fromAccountId: n.fromAccountId,
      statusId: n.statusId,
      createdAt: n.at,
      groupKey: this.groupKey(n.forAccountId, n.type, n.statusId, n.at) ?? `ungrouped-${id}`,
    };
    this.notifications.push(record);
    return record;
  }

  /**
   * Notification::Groups#set_group_key!: favourites and boosts of one status, follows, sign-ups,
   * in hour buckets reused while the group spans less than 12 hours.
   */
  private groupKey(forAccountId: string, type: string, statusId: string | null, at: number): string | undefined {
    if (!GROUPABLE_TYPES.has(type)) return undefined;
    const prefix = type === 'favourite' || type === 'reblog' ? `${type}-${statusId ?? ''}` : type;
    const key = `${forAccountId}/${prefix}`;
    let bucket = Math.floor(at / 3_600_000);
    const previous = this.groupBuckets.get(key);
    if (previous !== undefined && bucket < previous + GROUP_SPAN_HOURS && bucket >= previous) bucket = previous;
    this.groupBuckets.set(key, bucket);
    return `${prefix}-${bucket}`;
  }

  /** True when one of the two accounts blocks the other. */
  blockedBetween(a: string, b: string): boolean {
    return Boolean(this.blocks.get(a)?.has(b) || this.blocks.get(b)?.has(a));
  }

  /**
   * GET /api/v1/statuses/:id/context as Mastodon answers it (Status::ThreadingConcern): ancestors
   * root first along `in_reply_to_id` up to the first one gone; descendants depth-first with each
   * level in id order (ORDER BY path), a deleted status ending its branch; then statuses of an
   * account blocking or blocked by the viewer left out (StatusFilter; what hangs below them
   * stays), and replies of authors to themselves moved up ahead of the others (#promote_by!).
   */
  context(s: StatusRecord, viewerId: string): { ancestors: StatusRecord[]; descendants: StatusRecord[] } {
    const permitted = (x: StatusRecord) => !this.blockedBetween(viewerId, x.accountId);
    const ancestors: StatusRecord[] = [];
    const seen = new Set<string>([s.id]);
    for (let id = s.inReplyToId; id && !seen.has(id);) {
      const parent = this.statuses.get(id);
      if (!parent || parent.deleted) break;
      seen.add(id);
      ancestors.unshift(parent);
      id = parent.inReplyToId;
    }
    const byParent = new Map<string, StatusRecord[]>();
    for (const x of this.statuses.values()) {
      if (!x.inReplyToId || x.deleted || x.reblogOf) continue;
      const list = byParent.get(x.inReplyToId) ?? [];
      list.push(x);
      byParent.set(x.inReplyToId, list);
    }
    const descendants: StatusRecord[] = [];
    const walk = (id: string) => {
      for (const child of (byParent.get(id) ?? []).sort((a, b) => compareIds(a.id, b.id))) {
        if (seen.has(child.id)) continue;
        seen.add(child.id);
        descendants.push(child);
        walk(child.id);
      }
    };
    walk(s.id);
    const kept = descendants.filter(permitted);
    const self = (x: StatusRecord) => x.inReplyToAccountId === x.accountId;
    const insertAt = kept.findIndex((x) => !self(x));
    const promoted =
      insertAt < 0
        ? kept
        : [
            ...kept.slice(0, insertAt),
            ...kept.slice(insertAt).filter(self),
            ...kept.slice(insertAt).filter((x) => !self(x)),
          ];
    return { ancestors: ancestors.filter(permitted), descendants: promoted };
  }

  /** Relationship (REST::RelationshipSerializer) of `viewerId` with `a`. */
  relationshipJson(viewerId: string, a: AccountRecord): Json {
    return {
      id: a.id,
      following: Boolean(this.follows.get(viewerId)?.has(a.id)),
      showing_reblogs: Boolean(this.follows.get(viewerId)?.has(a.id)),
      notifying: false,
      languages: null,
      followed_by: Boolean(this.follows.get(a.id)?.has(viewerId)),
      blocking: Boolean(this.blocks.get(viewerId)?.has(a.id)),
      blocked_by: Boolean(this.blocks.get(a.id)?.has(viewerId)),
      muting: false,
      muting_notifications: false,
      muting_expires_at: null,
      requested: false,
      requested_by: false,
      domain_blocking: false,
      endorsed: false,
      note: '',
    };
  }

  /** Statuses (boosts included) in `viewerId`'s home timeline, newest first. */
  home(viewerId: string): StatusRecord[] {
    const followed = this.follows.get(viewerId) ?? new Set<string>();
    return this.newestFirst((s) => s.accountId === viewerId || followed.has(s.accountId));
  }

  newestFirst(filter: (s: StatusRecord) => boolean): StatusRecord[] {
    return [...this.statuses.values()].filter((s) => !s.deleted && filter(s)).sort((a, b) => compareIds(b.id, a.id));
  }

  /** The seeded instance: 13 accounts, 260 statuses, notifications and two lists. */
  seed(statusCount: number): void {
    const rand = random(20261125);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
    const people: Array<[string, string | null, string]> = [
      [OWNER_USERNAME, null, 'Colonnade Team'],
      ['alice', null, 'Alice Martin'],
      ['bob', null, 'Bob Okafor'],
      ['chloe', null, 'Chloé Dubois'],
      ['dmitri', null, 'Dmitri Volkov'],
      ['emeka', null, 'Emeka Eze'],
      ['fatima', null, 'Fatima Zahra'],
      ['goran', null, 'Goran Petrović'],
      ['hana', null, 'Hana Sato'],
      ['ines', 'other.example', 'Inês Costa'],
      ['jonas', 'other.example', 'Jonas Berg'],
      ['zed', null, 'Zed (not followed)'],
      ['press_desk', null, 'Press Desk'],
    ];
    for (const [i, [username, domain, displayName]] of people.entries()) {
      const id = String(100 + i);
      this.accounts.set(id, {
        id,
        username,
        domain,
        displayName,
        note: `${displayName} on the emulated instance.`,
        createdAt: SEED_TIME - (400 - i) * 86_400_000,
        followers: 50 + i * 37,
        suspended: false,
      });
    }
    this.ownerId = '100';
    this.emojis.set('colonnade', { shortcode: 'colonnade', animated: false });
    this.emojis.set('blobwave', { shortcode: 'blobwave', animated: true });
    const others = [...this.accounts.keys()].filter((id) => id !== this.ownerId);
    this.follows.set(this.ownerId, new Set(others.filter((id) => this.accounts.get(id)?.username !== 'zed')));
    this.lists.set('1', { id: '1', title: 'Partners', ownerId: this.ownerId, memberIds: ['101', '102', '109'] });
    this.lists.set('2', { id: '2', title: 'Press', ownerId: this.ownerId, memberIds: ['103', '104', '112'] });

    const openings = [
      'Shipping the new release today',
      'Great turnout at the meetup',
      'Reading the docs on moderation tools',
      'Coffee first, then the roadmap',
      'Our community call starts soon',
      'Thanks to everyone who filed issues',
      'Trying out the scheduler',
      'Weekend notes on accessibility & alt text',
    ];
    const links = ['https://example.com/blog/release-notes-for-the-autumn-update', 'https://example.org/docs', ''];
    const ids = [...this.accounts.keys()];
    const step = 7 * 60_000;
    for (let i = 0; i < statusCount; i++) {
      const at = SEED_TIME - (statusCount - i) * step;
      const author = pick(ids);
      const earlier = [...this.statuses.values()].filter((s) => !s.reblogOf);
      if (earlier.length > 10 && rand() < 0.08) {
        const original = pick(earlier.slice(-40));
        if (original.accountId !== author) {
          this.addStatus(author, '', at, { reblogOf: original.id });
          continue;
        }
      }
      const parts = [`${pick(openings)} <${i}>`];
      if (rand() < 0.6) parts.push(`#${pick(HASHTAGS)}`);
      if (rand() < 0.25) parts.push(`#${pick(HASHTAGS)}`);
      if (author !== this.ownerId && rand() < 0.3) parts.push(`@${OWNER_USERNAME}`);
      if (rand() < 0.15) parts.push('@ines@other.example');
      const link = pick(links);
      if (link && rand() < 0.3) parts.push(link);
      const replyTo = earlier.length > 5 && rand() < 0.1 ? pick(earlier.slice(-20)) : undefined;
      const status = this.addStatus(author, parts.join(' '), at, replyTo ? { inReplyToId: replyTo.id } : {});
      status.baseFavourites = Math.floor(rand() * 30);
      status.baseReblogs = Math.floor(rand() * 8);
      if (author === this.ownerId && rand() < 0.7) {
        this.notify({
          type: rand() < 0.6 ? 'favourite' : 'reblog',
          forAccountId: this.ownerId,
          fromAccountId: pick(others),
          statusId: status.id,
          at: at + 60_000,
        });
      }
      if (rand() < 0.03) {
        this.notify({ type: 'follow', forAccountId: this.ownerId, fromAccountId: pick(others), statusId: null, at });
      }
    }
    this.notifications.sort((a, b) => a.createdAt - b.createdAt);
    // Notification ids follow time, as Mastodon's do.
    let n = 5_000;
    for (const record of this.notifications) {
      const ungrouped = record.groupKey.startsWith('ungrouped-');
      record.id = String((n += 1));
      if (ungrouped) record.groupKey = `ungrouped-${record.id}`;
    }
    this.nextOther = Math.max(this.nextOther, n);
  }
}
