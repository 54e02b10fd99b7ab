// Bluesky as a network adapter, on @atproto/api. Reads go to the account's PDS, which proxies
// every app.bsky.* call to its AppView (api.bsky.app for Bluesky's PDSes), as the official app
// does; writes are records in the account's repository.
import {
  AppBskyFeedDefs,
  RichText,
  type Agent,
  type AppBskyEmbedImages,
  type AppBskyFeedPost,
  type AppBskyRichtextFacet,
  type ComAtprotoRepoStrongRef,
} from '@atproto/api';
import type {
  ListInfo,
  NetworkAdapter,
  PostAction,
  PublishRequest,
  RateLimitState,
  TextRules,
  TimelineRequest,
} from '../../../shared/adapter';
import { ColonnadeError } from '../../../shared/errors';
import { entryOf, type ColumnKind, type Metrics, type Page, type Post, type Profile, type TimelineEntry } from '../../../shared/model';
import type { AdapterContext as NetworkAdapterContext } from '../module';
import type { BlueskyCredentials } from './credentials';
import { decodeCursor, encodeCursor } from './cursor';
import { isAuthFailure } from './errors';
import { imageSize } from './image-size';
import {
  NETWORK,
  entitiesFromFacets,
  parseAtUri,
  postIdOf,
  postOf,
  profileOf,
  recordFields,
  uriOfPostId,
  nativeIdOf,
  webUrlOf,
} from './normalize';
import { AccountSession } from './session';
import { tidFromKey } from './tid';

/** What the app gives the adapter (see networks/module.ts). */
export type AdapterContext = NetworkAdapterContext<BlueskyCredentials>;

const COLUMN_KINDS: ColumnKind[] = ['home', 'mentions', 'notifications', 'hashtag', 'search', 'user', 'list'];
/** app.bsky.feed.post: text maxGraphemes 300; embed.images: 4 images of at most 2 MB each. */
const RULES: TextRules = { counting: 'graphemes', maxLength: 300, maxImages: 4, maxAltLength: 2000 };
const MAX_IMAGE_BYTES = 2_000_000;
/** app.bsky.feed.post text maxLength: 3000 bytes of UTF-8, whatever the grapheme count. */
const MAX_TEXT_BYTES = 3000;
const MAX_PAGE = 100;
const GET_POSTS_BATCH = 25;
/** Keys of the newest items a 'newer' cursor remembers. */
const NEWER_KEYS = 3;
const POST = 'app.bsky.feed.post';
const MENTION_REASONS = ['mention', 'reply', 'quote'];
const SUBJECT_REASONS = new Set(['like', 'repost', 'like-via-repost', 'repost-via-repost']);

/** One timeline entry before paging: what it shows, when it arrived, and a key unique in its feed. */
type Entry = TimelineEntry & { post: Post };

interface RawPage {
  entries: Entry[];
  cursor: string | undefined;
}

const segmenter = new Intl.Segmenter();
const graphemes = (s: string) => [...segmenter.segment(s)].length;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function feedEntries(feed: AppBskyFeedDefs.FeedViewPost[]): Entry[] {
  return feed.map((item) => {
    const reason = item.reason;
    if (AppBskyFeedDefs.isReasonRepost(reason)) {
      return {
        key: reason.uri ?? `${item.post.uri}#${reason.by.did}`,
        at: reason.indexedAt,
        post: postOf(item.post),
        repostedBy: profileOf(reason.by),
      };
    }
    return { key: item.post.uri, at: item.post.indexedAt, post: postOf(item.post) };
  });
}

export class BlueskyAdapter implements NetworkAdapter {
  readonly network = NETWORK;
  private readonly account: AccountSession;
  private lastRateLimit: RateLimitState | null = null;
  private profile: Profile | null = null;
  /** Like/repost records this adapter made, by post URI, until the AppView shows them. */
  private readonly myLikes = new Map<string, string>();
  private readonly myReposts = new Map<string, string>();

  constructor(
    credentials: BlueskyCredentials,
    private readonly ctx: AdapterContext,
    testFetch?: typeof globalThis.fetch,
  ) {
    this.account = new AccountSession({
      credentials,
      clock: ctx.clock,
      log: ctx.log,
      save: (next) => ctx.saveCredentials(next),
      onResponse: (headers) => this.noteRateLimit(headers),
      ...(testFetch ? { fetch: testFetch } : {}),
    });
  }

  private noteRateLimit(headers: Headers): void {
    const limit = Number(headers.get('ratelimit-limit'));
    const remaining = Number(headers.get('ratelimit-remaining'));
    const reset = Number(headers.get('ratelimit-reset'));
    if (!headers.has('ratelimit-limit') || ![limit, remaining, reset].every(Number.isFinite)) return;
    this.lastRateLimit = { limit, remaining, resetAt: new Date(reset * 1000).toISOString() };
  }

  private call<T>(fn: (agent: Agent) => Promise<T>): Promise<T> {
    return this.account.call(fn);
  }

  // ---- account ---------------------------------------------------------------------------------

  async verify(): Promise<Profile> {
    const res = await this.call((agent) => agent.app.bsky.actor.getProfile({ actor: this.account.did }));
    this.profile = profileOf(res.data);
    return this.profile;
  }

  columnKinds(): ColumnKind[] {
    return [...COLUMN_KINDS];
  }

  textRules(): TextRules {
    return { ...RULES };
  }

  pollIntervalMs(kind: ColumnKind): number {
    // Bluesky allows about 3,000 requests per 5 minutes per account; a deck of 20 columns
    // polling at these pauses stays far below.
    return kind === 'home' || kind === 'mentions' || kind === 'notifications' ? 15_000 : 30_000;
  }

  rateLimit(): RateLimitState | null {
    return this.lastRateLimit;
  }

  // ---- reading ---------------------------------------------------------------------------------

  /** Posts by URI, in the order asked, leaving out those the AppView does not know. */
  private async hydrate(uris: readonly string[]): Promise<Map<string, AppBskyFeedDefs.PostView>> {
    const unique = [...new Set(uris)];
    const out = new Map<string, AppBskyFeedDefs.PostView>();
    const pages = await Promise.all(
      chunks(unique, GET_POSTS_BATCH).map((batch) =>
        this.call((agent) => agent.app.bsky.feed.getPosts({ uris: batch })),
      ),
    );
    for (const page of pages) for (const view of page.data.posts) out.set(view.uri, view);
    return out;
  }

  private async notificationPage(limit: number, cursor: string | undefined, mentionsOnly: boolean): Promise<RawPage> {
    const res = await this.call((agent) =>
      agent.app.bsky.notification.listNotifications({
        limit,
        ...(cursor ? { cursor } : {}),
        ...(mentionsOnly ? { reasons: MENTION_REASONS } : {}),
      }),
    );
    const wanted: Array<{ key: string; at: string; uri: string }> = [];
    for (const n of res.data.notifications) {
      if (MENTION_REASONS.includes(n.reason)) {
        wanted.push({ key: n.uri, at: n.indexedAt, uri: n.uri });
      } else if (!mentionsOnly && SUBJECT_REASONS.has(n.reason) && n.reasonSubject) {
        if (parseAtUri(n.reasonSubject)?.collection === POST) {
          wanted.push({ key: n.uri, at: n.indexedAt, uri: n.reasonSubject });
        }
      }
    }
    const views = await this.hydrate(wanted.map((w) => w.uri));
    const entries: Entry[] = [];
    for (const w of wanted) {
      const view = views.get(w.uri);
      if (view) entries.push({ key: w.key, at: w.at, post: postOf(view) });
    }
    return { entries, cursor: res.data.cursor };
  }

  private async rawPage(req: TimelineRequest, limit: number, cursor: string | undefined): Promise<RawPage> {
    const query = (req.query ?? '').trim();
    const c = cursor ? { cursor } : {};
    switch (req.kind) {
      case 'home': {
        const res = await this.call((agent) => agent.app.bsky.feed.getTimeline({ limit, ...c }));
        return { entries: feedEntries(res.data.feed), cursor: res.data.cursor };
      }
      case 'mentions':
        return this.notificationPage(limit, cursor, true);
      case 'notifications':
        return this.notificationPage(limit, cursor, false);
      case 'hashtag':
      case 'search': {
        const q = req.kind === 'hashtag' ? `#${query.replace(/^#+/, '')}` : query;
        if (q.replace(/^#/, '').length === 0)
          throw new ColonnadeError('invalid', 'This column needs a hashtag or words.');
        const res = await this.call((agent) => agent.app.bsky.feed.searchPosts({ q, sort: 'latest', limit, ...c }));
        const entries = res.data.posts.map((view) => ({ key: view.uri, at: view.indexedAt, post: postOf(view) }));
        return { entries, cursor: res.data.cursor };
      }
      case 'user': {
        const actor = query.replace(/^@+/, '');
        if (!actor) throw new ColonnadeError('invalid', 'This column needs a handle.');
        const res = await this.call((agent) =>
          agent.app.bsky.feed.getAuthorFeed({ actor, limit, filter: 'posts_with_replies', ...c }),
        );
        return { entries: feedEntries(res.data.feed), cursor: res.data.cursor };
      }
      case 'list': {
        const collection = parseAtUri(query)?.collection;
        if (collection === 'app.bsky.graph.list') {
          const res = await this.call((agent) => agent.app.bsky.feed.getListFeed({ list: query, limit, ...c }));
          return { entries: feedEntries(res.data.feed), cursor: res.data.cursor };
        }
        if (collection === 'app.bsky.feed.generator') {
          const res = await this.call((agent) => agent.app.bsky.feed.getFeed({ feed: query, limit, ...c }));
          return { entries: feedEntries(res.data.feed), cursor: res.data.cursor };
        }
        throw new ColonnadeError('not-found', 'That is not a Bluesky list or feed.');
      }
      case 'scheduled':
      case 'drafts':
        throw new ColonnadeError('invalid', 'Scheduled posts and drafts are not network timelines.');
    }
  }

  async readTimeline(req: TimelineRequest): Promise<Page<TimelineEntry>> {
    const limit = Math.max(1, Math.min(MAX_PAGE, Math.floor(req.limit)));
    const state = req.cursor ? decodeCursor(req.cursor) : null;

    if (req.direction === 'newer' && state && 'newerThan' in state) {
      const { at, keys } = state.newerThan;
      const page = await this.rawPage(req, limit, undefined);
      const known = new Set(keys);
      const firstKnown = page.entries.findIndex((e) => known.has(e.key));
      const fresh =
        firstKnown >= 0
          ? page.entries.slice(0, firstKnown)
          : page.entries.filter((e) => e.at > at || (e.at === at && !known.has(e.key)));
      return {
        items: dedupe(fresh),
        older: null,
        newer: fresh.length ? newerCursor(fresh) : (req.cursor ?? newerCursor([])),
      };
    }
    if (req.direction === 'newer' && state) {
      throw new ColonnadeError('invalid', 'That page position cannot be used to look for newer posts.');
    }

    const serverCursor = state && 'older' in state ? state.older : undefined;
    const page = await this.rawPage(req, limit, serverCursor);
    // A server cursor that does not move (or a page with nothing) is the end of history.
    const more = page.cursor && page.cursor !== serverCursor && page.entries.length > 0;
    return {
      items: dedupe(page.entries),
      older: more && page.cursor ? encodeCursor({ older: page.cursor }) : null,
      newer: serverCursor ? null : newerCursor(page.entries),
    };
  }

  async refreshMetrics(postIds: readonly string[]): Promise<Map<string, Metrics>> {
    const uris = new Map<string, string>();
    for (const id of postIds) {
      try {
        uris.set(uriOfPostId(id), id);
      } catch {
        // not ours: left out
      }
    }
    const views = await this.hydrate([...uris.keys()]);
    const out = new Map<string, Metrics>();
    for (const [uri, view] of views) {
      const id = uris.get(uri);
      if (id) out.set(id, postOf(view).metrics);
    }
    return out;
  }

  async lists(): Promise<ListInfo[]> {
    const did = (await this.ready()).did;
    const [own, feeds, prefs] = await Promise.all([
      this.call((agent) => agent.app.bsky.graph.getLists({ actor: did, limit: 100 })),
      this.call((agent) => agent.app.bsky.feed.getActorFeeds({ actor: did, limit: 100 })),
      this.call((agent) => agent.getPreferences()),
    ]);
    const out = new Map<string, ListInfo>();
    for (const list of own.data.lists) {
      if (list.purpose === 'app.bsky.graph.defs#curatelist')
        out.set(list.uri, { id: list.uri, name: list.name, kind: 'list' });
    }
    for (const feed of feeds.data.feeds) out.set(feed.uri, { id: feed.uri, name: feed.displayName, kind: 'feed' });
    const savedFeeds = prefs.savedFeeds.filter((f) => f.type === 'feed' && !out.has(f.value)).map((f) => f.value);
    const savedLists = prefs.savedFeeds.filter((f) => f.type === 'list' && !out.has(f.value)).map((f) => f.value);
    if (savedFeeds.length) {
      const res = await this.call((agent) => agent.app.bsky.feed.getFeedGenerators({ feeds: savedFeeds }));
      for (const feed of res.data.feeds) out.set(feed.uri, { id: feed.uri, name: feed.displayName, kind: 'feed' });
    }
    for (const uri of savedLists) {
      const res = await this.call((agent) => agent.app.bsky.graph.getList({ list: uri, limit: 1 })).catch(
        (err: unknown) => {
          if (err instanceof ColonnadeError && err.code === 'not-found') return null;
          throw err;
        },
      );
      if (res) out.set(uri, { id: uri, name: res.data.list.name, kind: 'list' });
    }
    return [...out.values()];
  }

  // ---- acting ----------------------------------------------------------------------------------

  private async ready(): Promise<{ did: string }> {
    await this.account.ready();
    return { did: this.account.did };
  }

  private async viewOf(postId: string): Promise<AppBskyFeedDefs.PostView> {
    const uri = uriOfPostId(postId);
    const view = (await this.hydrate([uri])).get(uri);
    if (!view) throw new ColonnadeError('not-found', 'That Bluesky post no longer exists.');
    return view;
  }

  private async deleteRecordAt(uri: string): Promise<void> {
    const at = parseAtUri(uri);
    if (!at) return;
    await this.call((agent) =>
      agent.com.atproto.repo.deleteRecord({ repo: at.did, collection: at.collection, rkey: at.rkey }),
    );
  }

  async act(postId: string, action: PostAction): Promise<void> {
    const { did } = await this.ready();
    if (action === 'delete') {
      const uri = uriOfPostId(postId);
      if (parseAtUri(uri)?.did !== did) throw new ColonnadeError('not-allowed', 'Only your own posts can be deleted.');
      await this.deleteRecordAt(uri);
      return;
    }
    const uri = uriOfPostId(postId);
    const likeish = action === 'like' || action === 'unlike';
    const mine = likeish ? this.myLikes : this.myReposts;
    const collection = likeish ? 'app.bsky.feed.like' : 'app.bsky.feed.repost';
    if (action === 'like' || action === 'repost') {
      if (mine.has(uri)) return;
      const view = await this.viewOf(postId);
      if (likeish ? view.viewer?.like : view.viewer?.repost) return;
      const res = await this.call((agent) =>
        agent.com.atproto.repo.createRecord({
          repo: did,
          collection,
          record: {
            $type: collection,
            subject: { uri: view.uri, cid: view.cid },
            createdAt: new Date(this.ctx.clock.now()).toISOString(),
          },
        }),
      );
      mine.set(uri, res.data.uri);
      return;
    }
    let recordUri = mine.get(uri);
    if (!recordUri) {
      const view = await this.viewOf(postId);
      recordUri = likeish ? view.viewer?.like : view.viewer?.repost;
    }
    if (recordUri) await this.deleteRecordAt(recordUri);
    mine.delete(uri);
  }

  // ---- publishing ------------------------------------------------------------------------------

  private validate(request: PublishRequest): void {
    if (graphemes(request.text) > RULES.maxLength) {
      throw new ColonnadeError('invalid', `Bluesky posts are at most ${RULES.maxLength} characters.`, {
        field: 'text',
      });
    }
    if (Buffer.byteLength(request.text, 'utf8') > MAX_TEXT_BYTES) {
      throw new ColonnadeError('invalid', 'This post holds too many complex characters (emoji) for Bluesky.', {
        field: 'text',
      });
    }
    const media = request.media ?? [];
    if (media.length > RULES.maxImages) {
      throw new ColonnadeError('invalid', `A Bluesky post carries at most ${RULES.maxImages} images.`, {
        field: 'media',
      });
    }
    if (request.text.trim().length === 0 && media.length === 0) {
      throw new ColonnadeError('invalid', 'There is nothing to post.', { field: 'text' });
    }
    for (const m of media) {
      if (!m.mimeType.startsWith('image/')) {
        throw new ColonnadeError('invalid', 'Bluesky takes images here (PNG, JPEG, GIF, WebP).', { field: 'media' });
      }
      if (m.data.byteLength > MAX_IMAGE_BYTES) {
        throw new ColonnadeError('invalid', 'Images on Bluesky are at most 2 MB each.', { field: 'media' });
      }
      if (graphemes(m.alt) > RULES.maxAltLength) {
        throw new ColonnadeError('invalid', `Alt text on Bluesky is at most ${RULES.maxAltLength} characters.`, {
          field: 'media',
        });
      }
    }
  }

  /** The post record at `rkey` in this account's repository, or null. */
  private async ownRecord(did: string, rkey: string): Promise<Record<string, unknown> | null> {
    return this.account.call(async (agent) => {
      try {
        const res = await agent.com.atproto.repo.getRecord({ repo: did, collection: POST, rkey });
        return res.data.value as Record<string, unknown>;
      } catch (err) {
        if (isAuthFailure(err)) throw err;
        const code = (err as { error?: unknown }).error;
        const status = (err as { status?: unknown }).status;
        if (code === 'RecordNotFound' || code === 'NotFound' || status === 404) return null;
        throw err;
      }
    });
  }

  private async strongRef(
    postId: string,
  ): Promise<{ ref: ComAtprotoRepoStrongRef.Main; view: AppBskyFeedDefs.PostView }> {
    const view = await this.viewOf(postId);
    return { ref: { uri: view.uri, cid: view.cid }, view };
  }

  private async buildRecord(request: PublishRequest, agent: Agent): Promise<AppBskyFeedPost.Record> {
    const rt = new RichText({ text: request.text });
    await rt.detectFacets(agent); // mentions resolve to DIDs; unknown handles stay plain text
    const record: AppBskyFeedPost.Record = {
      $type: POST,
      text: rt.text,
      createdAt: new Date(this.ctx.clock.now()).toISOString(),
    };
    if (rt.facets?.length) record.facets = rt.facets as AppBskyRichtextFacet.Main[];

    if (request.replyTo) {
      const { ref, view } = await this.strongRef(request.replyTo);
      const parentReply = (view.record as { reply?: { root?: ComAtprotoRepoStrongRef.Main } }).reply;
      const root = parentReply?.root?.uri && parentReply.root.cid ? parentReply.root : ref;
      record.reply = { root: { uri: root.uri, cid: root.cid }, parent: ref };
    }

    const images: AppBskyEmbedImages.Image[] = [];
    for (const m of request.media ?? []) {
      const up = await this.call((a) => a.uploadBlob(m.data, { encoding: m.mimeType }));
      const dims = imageSize(m.data);
      images.push({ image: up.data.blob, alt: m.alt, ...(dims ? { aspectRatio: dims } : {}) });
    }
    const imageEmbed = { $type: 'app.bsky.embed.images' as const, images };
    if (request.quoteOf) {
      const { ref } = await this.strongRef(request.quoteOf);
      const quote = { $type: 'app.bsky.embed.record' as const, record: ref };
      record.embed = images.length
        ? { $type: 'app.bsky.embed.recordWithMedia', record: quote, media: imageEmbed }
        : quote;
    } else if (images.length) {
      record.embed = imageEmbed;
    }
    return record;
  }

  async publish(request: PublishRequest): Promise<Post> {
    this.validate(request);
    if (!request.idempotencyKey) throw new ColonnadeError('invalid', 'A post needs an idempotency key.');
    const { did } = await this.ready();
    const rkey = tidFromKey(request.idempotencyKey);
    const uri = `at://${did}/${POST}/${rkey}`;

    // A retry of a post that went through (even if its answer was lost) finds it here.
    const existing = await this.ownRecord(did, rkey);
    if (existing) return this.published(uri, existing, request);

    const record = await this.buildRecord(request, this.account.agent);
    try {
      await this.account.call((agent) =>
        agent.com.atproto.repo.createRecord({ repo: did, collection: POST, rkey, record }),
      );
    } catch (err) {
      // Two attempts raced, or the answer was lost: the record key decides.
      const raced = await this.ownRecord(did, rkey).catch(() => null);
      if (!raced) throw err;
      return this.published(uri, raced, request);
    }
    this.ctx.log.info('bluesky: published', { uri });
    return this.published(uri, record as unknown as Record<string, unknown>, request);
  }

  /** The post as the AppView shows it (it indexes within a second or so), else built from the record. */
  private async published(uri: string, record: Record<string, unknown>, request: PublishRequest): Promise<Post> {
    const fields = recordFields(record);
    if (fields.text !== request.text) {
      throw new ColonnadeError('invalid', 'This idempotency key was already used for a different post.');
    }
    for (const wait of [0, 300, 700]) {
      if (wait) await new Promise<void>((resolve) => this.ctx.clock.setTimeout(resolve, wait));
      const view = (await this.hydrate([uri]).catch(() => new Map<string, AppBskyFeedDefs.PostView>())).get(uri);
      if (view) return postOf(view);
    }
    const author = this.profile ?? (await this.verify());
    const createdAt =
      typeof fields.createdAt === 'string' ? fields.createdAt : new Date(this.ctx.clock.now()).toISOString();
    const post: Post = {
      id: postIdOf(uri),
      network: NETWORK,
      nativeId: nativeIdOf(uri),
      author,
      text: fields.text,
      entities: entitiesFromFacets(fields.text, fields.facets),
      media: (request.media ?? []).map((m) => ({
        kind: 'image' as const,
        alt: m.alt,
        ...(imageSize(m.data) ?? { width: 1, height: 1 }),
        url: null,
        placeholderColor: '#1f3b57',
      })),
      createdAt: new Date(createdAt).toISOString(),
      url: webUrlOf(author.handle, uri),
      metrics: { likes: 0, reposts: 0, replies: 0, quotes: 0, impressions: null },
      viewer: { liked: false, reposted: false },
    };
    if (fields.replyParentUri) post.replyTo = postIdOf(fields.replyParentUri);
    return post;
  }
}

function dedupe(entries: Entry[]): TimelineEntry[] {
  const seen = new Set<string>();
  const out: TimelineEntry[] = [];
  for (const e of entries) {
    if (seen.has(e.key)) continue;
    seen.add(e.key);
    out.push(e);
  }
  return out;
}

function newerCursor(entries: Entry[]): string {
  const first = entries[0];
  return encodeCursor({
    newerThan: { at: first?.at ?? '', keys: entries.slice(0, NEWER_KEYS).map((e) => e.key) },
  });
}
