// Fault injection for the outbox (issue 8, "exactly once"): the real core runs in a child process
// (tests/support/outbox-core-child.ts: Node ports, file journal, the real X, Mastodon and Bluesky
// modules) against the X and Mastodon emulators and a local Bluesky network, all three slowed
// down so a send takes 100–300 ms. Thirty jobs, each to one profile on every network (some of
// them 3-part threads, some "now", some at the next minute), are submitted, and the child is
// killed with SIGKILL at random moments (during the submissions, then while it sends), started
// again on the same data folder, killed again… Then it runs to the end, and the posts are counted
// ON THE SERVERS: every part of every job exactly once per network, each thread a chain of
// replies in order, and outbox.list saying every target sent with those posts' ids.
//
// The kill times and the jobs come from a seeded generator: the seed is printed, and
// OUTBOX_KILL_SEED=<seed> runs the same plan again (the interleaving with the servers still
// depends on timing). OUTBOX_KILL_ROUNDS sets how many kills (default 8); OUTBOX_KILL_KEEP=1 keeps
// the child's data folder (journal, logs) and prints where. The child's clock runs a few seconds
// ahead of the servers' so that the next minute comes 20 s after it starts (see outbox-core-child).
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../../src/shared/model';
import type { PostContent, PublishJob, When } from '../../../src/shared/outbox';
import { instantToZoned } from '../../../src/shared/schedule/zoned-time';
import { startMastodonEmulator, OWNER_USERNAME, type MastodonEmulator } from '../../emulators/mastodon';
import { ME_ID, startXEmulator, type XEmulator } from '../../emulators/x';
import { startBlueskyNetwork, type BlueskyTestAccount, type BlueskyTestNetwork } from '../../support/bluesky-network';
import { CoreGone, readOutboxJournal, startCoreProcess, type CoreProcess } from '../../support/outbox-core-process';

const SEED = Number(process.env.OUTBOX_KILL_SEED ?? randomInt(1, 2 ** 31 - 1));
const ROUNDS = Number(process.env.OUTBOX_KILL_ROUNDS ?? 8);
const JOBS = 30;
/** A kill lands this long (uniform, ms) after the child is ready (or the submissions start). */
const KILL_WINDOW_MS = 2_000;
/** The child's clock is set so the next minute (the "at" jobs' time) is this far after its start. */
const LEAD_MS = 20_000;
const ZONE = 'Europe/Paris';
/** Server latencies: before acting, then before answering (ms). */
const LATENCY = { beforeMs: 30, afterMs: 100 };
const FINAL_STATES = new Set(['sent', 'failed', 'cancelled']);

/** mulberry32: a small seeded generator, [0, 1). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let bluesky: BlueskyTestNetwork;
let brand: BlueskyTestAccount;
let x: XEmulator;
let masto: MastodonEmulator;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonnade-outbox-kill-'));
let child: CoreProcess | undefined;

beforeAll(async () => {
  [bluesky, x, masto] = await Promise.all([startBlueskyNetwork(), startXEmulator(), startMastodonEmulator()]);
  brand = await bluesky.createAccount('brand');
}, 120_000);

afterAll(async () => {
  await child?.kill();
  await Promise.all([bluesky?.close(), x?.close(), masto?.close()]);
  if (process.env.OUTBOX_KILL_KEEP) console.log(`outbox-kill: the data folder is kept: ${dataDir}`);
  else fs.rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

interface PlannedJob {
  id: string;
  texts: string[];
  when: When;
}

/** Every post of this run a server holds, by text. */
interface ServerPost {
  id: string;
  /** The post it replies to (X, Mastodon: id; Bluesky: parent AT-URI), or null. */
  parent: string | null;
  /** Bluesky: the thread's root AT-URI. */
  root?: string | null;
  /** Ordering key: X and Mastodon ids grow with time; Bluesky by createdAt. */
  order: bigint | string;
}

async function blueskyPosts(prefix: string): Promise<Map<string, ServerPost[]>> {
  const out = new Map<string, ServerPost[]>();
  let cursor: string | undefined;
  do {
    const { data } = await brand.agent.com.atproto.repo.listRecords({
      repo: brand.did,
      collection: 'app.bsky.feed.post',
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    for (const r of data.records) {
      const v = r.value as {
        text?: string;
        createdAt?: string;
        reply?: { parent: { uri: string }; root: { uri: string } };
      };
      if (!v.text?.startsWith(prefix)) continue;
      const list = out.get(v.text) ?? [];
      list.push({
        id: r.uri,
        parent: v.reply?.parent.uri ?? null,
        root: v.reply?.root.uri ?? null,
        order: v.createdAt ?? '',
      });
      out.set(v.text, list);
    }
    cursor = data.cursor;
  } while (cursor);
  return out;
}

function xPosts(prefix: string): Map<string, ServerPost[]> {
  const out = new Map<string, ServerPost[]>();
  for (const t of x.state.timeline((t) => t.authorId === ME_ID && t.text.startsWith(prefix))) {
    const list = out.get(t.text) ?? [];
    list.push({ id: t.id, parent: t.referenced.find((r) => r.type === 'replied_to')?.id ?? null, order: BigInt(t.id) });
    out.set(t.text, list);
  }
  return out;
}

function mastodonPosts(prefix: string): Map<string, ServerPost[]> {
  const out = new Map<string, ServerPost[]>();
  for (const s of masto.statusesBy(OWNER_USERNAME)) {
    if (!s.text.startsWith(prefix)) continue;
    const list = out.get(s.text) ?? [];
    list.push({ id: s.id, parent: s.inReplyToId, order: BigInt(s.id) });
    out.set(s.text, list);
  }
  return out;
}

describe('the outbox killed while it sends', () => {
  it('every job goes out exactly once per network, threads in order, whatever the kills', async () => {
    console.log(`outbox-kill: seed ${SEED} (run again with OUTBOX_KILL_SEED=${SEED})`);
    const rand = seeded(SEED);
    const prefix = `Kill test ${SEED}:`;

    // The child's clock is a little ahead, so the next minute is LEAD_MS after it starts.
    const now0 = Date.now();
    const minute = Math.ceil((now0 + LEAD_MS) / 60_000) * 60_000;
    const clockOffsetMs = minute - LEAD_MS - now0;
    const slow = { origins: [new URL(bluesky.pdsUrl).origin], beforeMs: 10, afterMs: 50 };
    const start = () => startCoreProcess({ dataDir, clockOffsetMs, slow });

    child = await start();
    const connect = (request: Record<string, unknown>) =>
      child!.call<Account>('accounts.connect', { request, allowWeakStorage: true });
    const accounts = {
      x: await connect({ network: 'x', method: 'x-oauth1', ...x.control.issueOAuth1(), apiBase: x.url }),
      mastodon: await connect({
        network: 'mastodon',
        method: 'mastodon-token',
        instanceUrl: masto.url,
        accessToken: masto.issueToken(),
      }),
      bluesky: await connect({
        network: 'bluesky',
        method: 'bluesky-app-password',
        service: bluesky.pdsUrl,
        identifier: brand.handle,
        appPassword: brand.password,
      }),
    };
    x.control.setLatency(LATENCY);
    masto.setLatency(LATENCY);

    // The jobs: a third of them threads of 3, a third at the next minute, the rest now.
    const at: When = { kind: 'at', local: instantToZoned(minute, ZONE).local, zone: ZONE };
    const jobs: PlannedJob[] = Array.from({ length: JOBS }, (_, i) => {
      const parts = rand() < 1 / 4 ? 3 : 1;
      const n = String(i + 1).padStart(2, '0');
      return {
        id: `kill-${SEED}-${n}`,
        texts: Array.from({ length: parts }, (__, k) =>
          parts === 1 ? `${prefix} post ${n}` : `${prefix} post ${n}, part ${k + 1} of ${parts}`,
        ),
        when: rand() < 1 / 3 ? at : { kind: 'now' },
      };
    });
    const profileIds = [accounts.x.id, accounts.mastodon.id, accounts.bluesky.id];
    const content = (j: PlannedJob): PostContent => ({ parts: j.texts.map((text) => ({ text, media: [] })) });

    // Submitted one after another, as a CM clicks; a submission the core never answered is
    // submitted again after the restart (the same id makes one job).
    const acknowledged = new Set<string>();
    /** Submissions the core never answered (killed meanwhile): made again after the restart. */
    let unanswered = 0;
    const submitPending = async (core: CoreProcess) => {
      for (const j of jobs) {
        if (acknowledged.has(j.id)) continue;
        try {
          await core.call<PublishJob>('outbox.submit', { id: j.id, content: content(j), profileIds, when: j.when });
          acknowledged.add(j.id);
        } catch (err) {
          if (err instanceof CoreGone) {
            unanswered++;
            return;
          }
          throw err;
        }
      }
    };

    const rounds: string[] = [];
    const began = Date.now();
    const seconds = (at = Date.now()) => `${((at - began) / 1000).toFixed(1)} s`;
    let kills = 0;
    let uncertain = 0;
    let landedUncertain = 0;
    let torn = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const delay = Math.floor(rand() * KILL_WINDOW_MS);
      const work = submitPending(child);
      await sleep(delay);
      await child.kill();
      kills++;
      await work;
      // Requests in flight still land (the servers act after `beforeMs`): let them, then look.
      await sleep(LATENCY.beforeMs + 200);
      const journal = readOutboxJournal(dataDir);
      if (journal.torn) torn++;
      const servers = { x: xPosts(prefix), mastodon: mastodonPosts(prefix), bluesky: await blueskyPosts(prefix) };
      let sending = 0;
      let landed = 0;
      for (const job of journal.jobs.values()) {
        const planned = jobs.find((j) => j.id === job.id)!;
        for (const t of job.targets) {
          if (t.state !== 'sending' || !t.attempt) continue;
          sending++;
          const text = planned.texts[t.attempt.part]!;
          if (servers[t.network as 'x' | 'mastodon' | 'bluesky'].has(text)) landed++;
        }
      }
      uncertain += sending;
      landedUncertain += landed;
      const finished = [...journal.jobs.values()].every((j) => j.targets.every((t) => FINAL_STATES.has(t.state)));
      const line =
        `${seconds()}: kill ${kills} after ${delay} ms: ${journal.jobs.size}/${JOBS} jobs in the journal, ` +
        `${sending} send(s) under way (${landed} already on the server)${journal.torn ? ', journal torn' : ''}`;
      const restart = Date.now();
      child = await start();
      rounds.push(`${line}; restarted in ${Date.now() - restart} ms`);
      if (finished && journal.jobs.size === JOBS && Date.now() + clockOffsetMs > minute) break;
    }

    // The last run: nothing kills it; everything goes out.
    const survivor = child;
    await submitPending(survivor);
    let list: PublishJob[] = [];
    const deadline = Date.now() + 120_000;
    for (;;) {
      list = await survivor.call<PublishJob[]>('outbox.list');
      if (list.length === JOBS && list.every((j) => j.targets.every((t) => FINAL_STATES.has(t.state)))) break;
      if (Date.now() > deadline) break;
      await sleep(250);
    }

    // When each network's last part went out (sentAt is on the child's clock).
    const lastSent = (network: string) =>
      seconds(
        Math.max(
          ...list.flatMap((j) =>
            j.targets
              .filter((t) => t.network === network)
              .flatMap((t) => t.parts.map((p) => Date.parse(p.sentAt ?? '0'))),
          ),
        ) - clockOffsetMs,
      );
    rounds.push(
      `${seconds()}: the last run is done (last parts sent: X ${lastSent('x')}, Mastodon ${lastSent('mastodon')}, Bluesky ${lastSent('bluesky')})`,
    );
    const servers = { x: xPosts(prefix), mastodon: mastodonPosts(prefix), bluesky: await blueskyPosts(prefix) };
    const count = (m: Map<string, ServerPost[]>) => [...m.values()].reduce((n, l) => n + l.length, 0);
    const expected = jobs.reduce((n, j) => n + j.texts.length, 0);
    console.log(
      [
        `outbox-kill: seed ${SEED}, ${JOBS} jobs × 3 networks (${jobs.filter((j) => j.texts.length > 1).length} threads of 3, ` +
          `${jobs.filter((j) => j.when.kind === 'at').length} at ${at.kind === 'at' ? at.local : ''} ${ZONE}), ${expected} posts per network`,
        ...rounds.map((r) => `  ${r}`),
        `  ${kills} kills, ${unanswered} submission(s) unanswered and made again, ${uncertain} uncertain sends ` +
          `(${landedUncertain} had landed), ${torn} torn journal tail(s)`,
        `  counted on the servers: X ${count(servers.x)}, Mastodon ${count(servers.mastodon)}, Bluesky ${count(servers.bluesky)}` +
          ` (requests: X ${x.requests.length}, Mastodon ${masto.requests.length})`,
      ].join('\n'),
    );

    const problems: string[] = [];
    for (const j of jobs) {
      const job = list.find((l) => l.id === j.id);
      if (!job) {
        problems.push(`${j.id}: not in the outbox`);
        continue;
      }
      for (const network of ['x', 'mastodon', 'bluesky'] as const) {
        const target = job.targets.find((t) => t.network === network);
        if (target?.state !== 'sent')
          problems.push(`${j.id} ${network}: ${target?.state ?? 'no target'} ${target?.error?.message ?? ''}`);
        const posts = j.texts.map((text) => servers[network].get(text) ?? []);
        posts.forEach((p, k) => {
          if (p.length !== 1) problems.push(`${j.id} ${network} part ${k + 1}: ${p.length} posts on the server`);
        });
        if (posts.some((p) => p.length !== 1)) continue;
        const chain = posts.map((p) => p[0]!);
        chain.forEach((post, k) => {
          const parent = k === 0 ? null : chain[k - 1]!.id;
          if (post.parent !== parent)
            problems.push(`${j.id} ${network} part ${k + 1}: replies to ${post.parent}, not ${parent}`);
          if (network === 'bluesky' && k > 0 && post.root !== chain[0]!.id)
            problems.push(`${j.id} bluesky part ${k + 1}: root ${post.root}, not ${chain[0]!.id}`);
          if (k > 0 && post.order < chain[k - 1]!.order)
            problems.push(`${j.id} ${network} part ${k + 1}: before part ${k}`);
          const postId =
            network === 'bluesky'
              ? `bluesky:${encodeURIComponent(post.id)}`
              : network === 'mastodon'
                ? `mastodon:${masto.domain}/${post.id}`
                : `x:${post.id}`;
          const recorded = target?.parts[k]?.postId;
          if (recorded !== postId)
            problems.push(`${j.id} ${network} part ${k + 1}: outbox says ${recorded}, server ${postId}`);
        });
      }
    }
    if (problems.length) {
      const log = path.join(dataDir, 'logs', 'colonnade.log');
      console.log(`outbox-kill: seed ${SEED} FAILED\n${problems.join('\n')}`);
      if (fs.existsSync(log))
        console.log(
          fs
            .readFileSync(log, 'utf8')
            .split('\n')
            .filter((l) => !l.includes('"level":"info"'))
            .slice(-60)
            .join('\n'),
        );
    }
    expect(problems).toEqual([]);
    expect([count(servers.x), count(servers.mastodon), count(servers.bluesky)]).toEqual([expected, expected, expected]);
    expect(x.violations).toEqual([]);
    expect(masto.violations).toEqual([]);
    await survivor.stop();
    child = undefined;
  }, 240_000);
});
