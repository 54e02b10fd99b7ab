// A real, local Bluesky network for tests: PLC, PDS and the bsky AppView (plus the Ozone and
// bsync services dev-env always brings) from @atproto/dev-env, in this process, on a throwaway
// Postgres. Everything listens on 127.0.0.1 only and goes away on close().
//
//   const net = await startBlueskyNetwork();
//   const alice = await net.createAccount('alice');       // alice.test, with an app password
//   await net.post(alice, 'hello #colonnade');
//   await net.sync();                                      // wait for the AppView to index
//   ...
//   await net.close();
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AtpAgent, RichText, type AppBskyFeedPost, type BlobRef } from '@atproto/api';
import type { TestNetwork } from '@atproto/dev-env';
import type { AtUriString } from '@atproto/syntax';
import { freePort, startPostgres, type TestPostgres } from './bluesky-postgres';

export interface StrongRef {
  uri: string;
  cid: string;
}

export interface BlueskyTestAccount {
  handle: string;
  did: string;
  /** An app password (com.atproto.server.createAppPassword), what a Colonnade user would paste. */
  password: string;
  /** The account's main password (for the seed helpers and for revoking app passwords). */
  accountPassword: string;
  /** Logged in with the main password; the seed helpers post through it. */
  agent: AtpAgent;
}

export interface SeedPost {
  text: string;
  /** Detect links, mentions and hashtags (default true). */
  facets?: boolean;
  replyTo?: { root: StrongRef; parent: StrongRef };
  quote?: StrongRef;
  images?: Array<{ data: Uint8Array; mimeType: string; alt: string }>;
  /** Backdate the record (default: now). */
  createdAt?: string;
  /** Facets written as they are (app.bsky.richtext.facet), instead of detected ones. */
  rawFacets?: unknown[];
  /** Self-labels (com.atproto.label.defs#selfLabels): 'porn', 'graphic-media'… */
  labels?: string[];
  /** The record's `langs` (BCP-47 tags, at most 3). */
  langs?: string[];
}

export interface BlueskyNetworkFigures {
  /** Milliseconds to Postgres ready, to the whole network ready. */
  postgresStartMs: number;
  /** Loading @atproto/dev-env (PDS, AppView, Ozone code): most of the start. */
  importMs: number;
  networkStartMs: number;
  /** Growth of this process's resident memory over the start, in MB. */
  processRssGrowthMb: number;
  /** Proportional set size of Postgres and its backends (shared memory counted once), in MB. */
  postgresPssMb: number | null;
}

export interface BlueskyTestNetwork {
  pdsUrl: string;
  appviewUrl: string;
  plcUrl: string;
  figures: BlueskyNetworkFigures;
  /** Process ids serving the network: this one and the Postgres server. */
  pids: number[];
  /** `alice` becomes `alice.test` (at least 3 letters); answers a fresh account with an app password. */
  createAccount(handle: string): Promise<BlueskyTestAccount>;
  post(by: BlueskyTestAccount, post: SeedPost | string): Promise<StrongRef>;
  like(by: BlueskyTestAccount, subject: StrongRef): Promise<StrongRef>;
  repost(by: BlueskyTestAccount, subject: StrongRef): Promise<StrongRef>;
  follow(by: BlueskyTestAccount, subject: BlueskyTestAccount): Promise<StrongRef>;
  createList(by: BlueskyTestAccount, name: string): Promise<StrongRef>;
  addListMember(by: BlueskyTestAccount, list: StrongRef, member: BlueskyTestAccount): Promise<StrongRef>;
  /**
   * A custom feed owned by `by`, served by a feed generator in this process that answers
   * `posts()` (newest first) with cursor paging. Answers the feed's AT-URI.
   */
  createFeedGenerator(by: BlueskyTestAccount, rkey: string, name: string, posts: () => string[]): Promise<string>;
  /** Saves a feed in the account's preferences (so it shows among its feeds). */
  saveFeed(by: BlueskyTestAccount, feedUri: string): Promise<void>;
  revokeAppPassword(by: BlueskyTestAccount): Promise<void>;
  block(by: BlueskyTestAccount, subject: BlueskyTestAccount): Promise<StrongRef>;
  deleteRecord(by: BlueskyTestAccount, uri: string): Promise<void>;
  /**
   * The author of the thread's root sets its threadgate (app.bsky.feed.threadgate, record key of
   * the root): everyone may reply, and `hiddenReplies` are hidden.
   */
  threadgate(by: BlueskyTestAccount, root: StrongRef, hiddenReplies: string[]): Promise<void>;
  /** Changes the account's profile record (bio, a banner image, self-labels). */
  updateProfile(
    by: BlueskyTestAccount,
    fields: { description?: string; banner?: Uint8Array; labels?: string[] },
  ): Promise<void>;
  /** `by` mutes `subject` (app.bsky.graph.muteActor). */
  mute(by: BlueskyTestAccount, subject: BlueskyTestAccount): Promise<void>;
  /** The author of `post` detaches the quote `quoteUri` from it (app.bsky.feed.postgate). */
  detachQuote(by: BlueskyTestAccount, post: StrongRef, quoteUri: string): Promise<void>;
  /** Waits until the AppView has indexed everything written so far. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Loopback only: dev-env's servers call listen(port) (all interfaces). While a network runs,
// listen() calls without a host, or with a wildcard host, bind 127.0.0.1 instead.

const WILDCARDS = new Set(['', '0.0.0.0', '::', '::0', '0:0:0:0:0:0:0:0']);
const originalListen = net.Server.prototype.listen;
let loopbackUsers = 0;

function toLoopback(args: unknown[]): unknown[] {
  const [first, second, ...rest] = args;
  if (first === undefined || typeof first === 'function') {
    return [0, '127.0.0.1', ...args.slice(first === undefined ? 1 : 0)];
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof second === 'string') return WILDCARDS.has(second) ? [first, '127.0.0.1', ...rest] : args;
    return [first, '127.0.0.1', ...args.slice(1)];
  }
  if (typeof first === 'object' && first !== null && !('_handle' in first) && !('fd' in first)) {
    const options = first as net.ListenOptions;
    if (options.path === undefined && (options.host === undefined || WILDCARDS.has(options.host))) {
      return [{ ...options, host: '127.0.0.1', ipv6Only: false }, ...args.slice(1)];
    }
  }
  return args;
}

function forceLoopback(): () => void {
  if (loopbackUsers++ === 0) {
    net.Server.prototype.listen = function listen(this: net.Server, ...args: unknown[]) {
      return (originalListen as (...a: unknown[]) => net.Server).apply(this, toLoopback(args));
    } as typeof net.Server.prototype.listen;
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--loopbackUsers === 0) net.Server.prototype.listen = originalListen;
  };
}

// ---------------------------------------------------------------------------------------------

const letters = (n: number) =>
  Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');

const ENV_KEYS = ['DB_POSTGRES_URL', 'DB_POSTGRES_SCHEMA', 'REDIS_HOST', 'TMPDIR', 'LOG_ENABLED'] as const;

export interface BlueskyNetworkOptions {
  /**
   * Turn on the PDS's rate limits (env PDS_RATE_LIMITS_ENABLED, off in dev-env), as Bluesky's
   * own PDSes run: 3,000 requests per 5 minutes per IP, write points per account, and the
   * `RateLimit-*` headers on every answer (@atproto/pds rate-limits.js). Every request of the
   * test process comes from 127.0.0.1 and counts against the same 3,000.
   */
  rateLimits?: boolean;
}

export async function startBlueskyNetwork(options: BlueskyNetworkOptions = {}): Promise<BlueskyTestNetwork> {
  const t0 = performance.now();
  const rss0 = process.memoryUsage().rss;
  const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  const restoreEnv = () => {
    for (const k of ENV_KEYS) {
      const v = savedEnv[k];
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'colonnade-bsky-'));
  const scratch = path.join(root, 'tmp');
  fs.mkdirSync(scratch);
  const releaseLoopback = forceLoopback();

  let pg: TestPostgres | undefined;
  let closing: Promise<void> | undefined;
  let stopNetwork: (() => Promise<void>) | undefined;
  const teardown = async () => {
    try {
      await stopNetwork?.();
    } finally {
      try {
        await pg?.stop();
      } finally {
        releaseLoopback();
        restoreEnv();
        fs.rmSync(root, { recursive: true, force: true });
      }
    }
  };

  try {
    pg = await startPostgres(root);
    const postgresStartMs = performance.now() - t0;

    process.env.DB_POSTGRES_URL = pg.url;
    process.env.DB_POSTGRES_SCHEMA = `colonnade_${letters(10)}`;
    process.env.REDIS_HOST = '127.0.0.1:1'; // dev-env asserts it is set; nothing uses it
    process.env.TMPDIR = scratch; // the PDS leaves its data folders in the temp folder
    process.env.LOG_ENABLED ??= 'false';

    // Imported only now: dev-env's port registry settles on the temp folder when it loads.
    const tImport = performance.now();
    const { TestNetwork } = await import('@atproto/dev-env');
    const importMs = performance.now() - tImport;
    const [plcPort, pdsPort, bskyPort, ozonePort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const network = await TestNetwork.create({
      dbPostgresUrl: pg.url,
      dbPostgresSchema: process.env.DB_POSTGRES_SCHEMA,
      plc: { port: plcPort },
      pds: { port: pdsPort, ...(options.rateLimits ? { rateLimitsEnabled: true } : {}) },
      bsky: { port: bskyPort },
      ozone: { port: ozonePort },
    });
    stopNetwork = () => network.close();
    const networkStartMs = performance.now() - t0;
    const pgPss = pg.proportionalBytes();
    const figures: BlueskyNetworkFigures = {
      postgresStartMs: Math.round(postgresStartMs),
      importMs: Math.round(importMs),
      networkStartMs: Math.round(networkStartMs),
      processRssGrowthMb: Math.round((process.memoryUsage().rss - rss0) / 2 ** 20),
      postgresPssMb: pgPss === null ? null : Math.round(pgPss / 2 ** 20),
    };

    const pdsUrl = network.pds.url;
    const accounts = new Map<string, BlueskyTestAccount>();

    const create = async (by: BlueskyTestAccount, collection: string, record: Record<string, unknown>) => {
      const res = await by.agent.com.atproto.repo.createRecord({
        repo: by.did,
        collection,
        record: { $type: collection, createdAt: new Date().toISOString(), ...record },
      });
      return { uri: res.data.uri, cid: res.data.cid };
    };

    const api: BlueskyTestNetwork = {
      pdsUrl,
      appviewUrl: network.bsky.url,
      plcUrl: network.plc.url,
      figures,
      pids: [process.pid, pg.pid],

      async createAccount(name) {
        const handle = name.includes('.') ? name : `${name}.test`;
        const local = handle.split('.')[0] ?? 'user';
        const accountPassword = `pw-${letters(16)}`;
        const agent = new AtpAgent({ service: pdsUrl });
        await agent.createAccount({ handle, email: `${local}@example.test`, password: accountPassword });
        const did = agent.assertDid;
        await agent.com.atproto.repo.putRecord({
          repo: did,
          collection: 'app.bsky.actor.profile',
          rkey: 'self',
          record: { $type: 'app.bsky.actor.profile', displayName: local[0]?.toUpperCase() + local.slice(1) },
        });
        const app = await agent.com.atproto.server.createAppPassword({ name: `colonnade-${letters(6)}` });
        const account = { handle, did, password: app.data.password, accountPassword, agent };
        accounts.set(did, account);
        return account;
      },

      async post(by, input) {
        const spec: SeedPost = typeof input === 'string' ? { text: input } : input;
        const rt = new RichText({ text: spec.text });
        if (spec.facets !== false) await rt.detectFacets(by.agent);
        const record: Partial<AppBskyFeedPost.Record> = { text: rt.text };
        if (rt.facets?.length) record.facets = rt.facets;
        if (spec.rawFacets) record.facets = spec.rawFacets as typeof record.facets;
        if (spec.replyTo) record.reply = spec.replyTo;
        if (spec.langs) record.langs = spec.langs;
        let images: Array<{ image: BlobRef; alt: string }> = [];
        if (spec.images?.length) {
          images = [];
          for (const img of spec.images) {
            const up = await by.agent.uploadBlob(img.data, { encoding: img.mimeType });
            images.push({ image: up.data.blob, alt: img.alt });
          }
        }
        const imageEmbed = { $type: 'app.bsky.embed.images', images };
        if (spec.quote && images.length) {
          record.embed = {
            $type: 'app.bsky.embed.recordWithMedia',
            record: { $type: 'app.bsky.embed.record', record: spec.quote },
            media: imageEmbed,
          };
        } else if (spec.quote) {
          record.embed = { $type: 'app.bsky.embed.record', record: spec.quote };
        } else if (images.length) {
          record.embed = imageEmbed;
        }
        const labels = spec.labels?.length
          ? { labels: { $type: 'com.atproto.label.defs#selfLabels', values: spec.labels.map((val) => ({ val })) } }
          : {};
        return create(by, 'app.bsky.feed.post', {
          ...record,
          ...labels,
          createdAt: spec.createdAt ?? new Date().toISOString(),
        });
      },

      like: (by, subject) => create(by, 'app.bsky.feed.like', { subject }),
      repost: (by, subject) => create(by, 'app.bsky.feed.repost', { subject }),
      follow: (by, subject) => create(by, 'app.bsky.graph.follow', { subject: subject.did }),
      createList: (by, name) =>
        create(by, 'app.bsky.graph.list', { name, purpose: 'app.bsky.graph.defs#curatelist', description: '' }),
      addListMember: (by, list, member) =>
        create(by, 'app.bsky.graph.listitem', { subject: member.did, list: list.uri }),

      async createFeedGenerator(by, rkey, name, posts) {
        const feedUri = `at://${by.did}/app.bsky.feed.generator/${rkey}`;
        const handlers: Parameters<TestNetwork['createFeedGen']>[0] = {
          [feedUri]: ({ params }) => {
            const all = posts();
            const from = params.cursor ? Number(params.cursor) : 0;
            const limit = params.limit ?? 50;
            const slice = all.slice(from, from + limit);
            const feed = slice.map((post) => ({ post: post as AtUriString }));
            const next = from + slice.length;
            return {
              encoding: 'application/json',
              body: { feed, ...(next < all.length ? { cursor: String(next) } : {}) },
            };
          },
        };
        const gen = await network.createFeedGen(handlers);
        await by.agent.com.atproto.repo.putRecord({
          repo: by.did,
          collection: 'app.bsky.feed.generator',
          rkey,
          record: {
            $type: 'app.bsky.feed.generator',
            did: gen.did,
            displayName: name,
            createdAt: new Date().toISOString(),
          },
        });
        return feedUri;
      },

      async saveFeed(by, feedUri) {
        await by.agent.addSavedFeeds([{ type: 'feed', value: feedUri, pinned: true }]);
      },

      async revokeAppPassword(by) {
        const list = await by.agent.com.atproto.server.listAppPasswords();
        for (const p of list.data.passwords) {
          await by.agent.com.atproto.server.revokeAppPassword({ name: p.name });
        }
      },

      block: (by, subject) => create(by, 'app.bsky.graph.block', { subject: subject.did }),

      async deleteRecord(by, uri) {
        const [, , , collection, rkey] = uri.split('/');
        await by.agent.com.atproto.repo.deleteRecord({ repo: by.did, collection: collection!, rkey: rkey! });
      },

      async threadgate(by, root, hiddenReplies) {
        await by.agent.com.atproto.repo.putRecord({
          repo: by.did,
          collection: 'app.bsky.feed.threadgate',
          rkey: root.uri.split('/').pop()!,
          record: {
            $type: 'app.bsky.feed.threadgate',
            post: root.uri,
            hiddenReplies,
            createdAt: new Date().toISOString(),
          },
        });
      },

      async updateProfile(by, fields) {
        const current = await by.agent.com.atproto.repo.getRecord({
          repo: by.did,
          collection: 'app.bsky.actor.profile',
          rkey: 'self',
        });
        const record: Record<string, unknown> = { ...(current.data.value as Record<string, unknown>) };
        if (fields.description !== undefined) record.description = fields.description;
        if (fields.banner) {
          const up = await by.agent.uploadBlob(fields.banner, { encoding: 'image/png' });
          record.banner = up.data.blob;
        }
        if (fields.labels) {
          record.labels = {
            $type: 'com.atproto.label.defs#selfLabels',
            values: fields.labels.map((val) => ({ val })),
          };
        }
        await by.agent.com.atproto.repo.putRecord({
          repo: by.did,
          collection: 'app.bsky.actor.profile',
          rkey: 'self',
          record,
        });
      },

      async mute(by, subject) {
        await by.agent.mute(subject.did);
      },

      async detachQuote(by, post, quoteUri) {
        const rkey = post.uri.split('/').pop()!;
        await by.agent.com.atproto.repo.putRecord({
          repo: by.did,
          collection: 'app.bsky.feed.postgate',
          rkey,
          record: {
            $type: 'app.bsky.feed.postgate',
            post: post.uri,
            detachedEmbeddingUris: [quoteUri],
            createdAt: new Date().toISOString(),
          },
        });
      },

      sync: () => network.processAll(),

      close() {
        closing ??= teardown();
        return closing;
      },
    };
    return api;
  } catch (err) {
    await teardown().catch(() => undefined);
    throw err;
  }
}

/**
 * Local addresses ("127.0.0.1:port") of the TCP sockets the given processes listen on, from
 * /proc (Linux only; null elsewhere or when /proc cannot be read).
 */
export function listeningAddresses(pids: number[]): string[] | null {
  if (os.platform() !== 'linux') return null;
  try {
    const inodes = new Set<string>();
    for (const pid of pids) {
      for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
        const target = (() => {
          try {
            return fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
          } catch {
            return '';
          }
        })();
        const m = /^socket:\[(\d+)\]$/.exec(target);
        if (m?.[1]) inodes.add(m[1]);
      }
    }
    const out: string[] = [];
    for (const [file, v6] of [
      ['/proc/net/tcp', false],
      ['/proc/net/tcp6', true],
    ] as const) {
      if (!fs.existsSync(file)) continue;
      for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
        const cols = line.trim().split(/\s+/);
        const [local, state, inode] = [cols[1], cols[3], cols[9]];
        if (!local || state !== '0A' || !inode || !inodes.has(inode)) continue;
        const [hex, portHex] = local.split(':');
        const port = parseInt(portHex ?? '0', 16);
        let host: string;
        if (!v6 && hex) {
          host = [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
        } else {
          host =
            hex === '00000000000000000000000000000000'
              ? '::'
              : hex === '00000000000000000000000001000000'
                ? '::1'
                : `[${hex}]`;
        }
        out.push(`${host}:${port}`);
      }
    }
    return out;
  } catch {
    return null;
  }
}
