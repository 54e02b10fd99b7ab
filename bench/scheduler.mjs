// scheduler: the outbox (src/main/core/outbox/outbox.ts) with the real file journal
// (src/main/platform/file-journal.ts, fsync'd group commits) in a temporary folder, and
// publish-only network doubles (tests/doubles/publish-network.ts) that answer at once, so what is
// measured is the outbox itself: its timetable, its slot search and its journal.
//
//   scheduleMs   time to submit BENCH_SCHEDULER_JOBS (default 10,000) "Add to queue" jobs, one
//                target each, spread over BENCH_SCHEDULER_PROFILES (default 10) profiles whose
//                queues have 13 slots a day (8:00 to 20:00 Paris): each job takes its profile's
//                next free slot, weeks ahead. All submitted at once (a CSV import), until every
//                one is durable.
//   heapMB       what those queued jobs add to the JS heap (after a garbage collection, MB).
//   cancelMs     time to cancel all of them, at once, until durable.
//   p99LateMs    firing precision on the real clock (systemClock): BENCH_SCHEDULER_FIRE (default
//                2,000) jobs over 20 profiles, all due at the same instant, how late each publish
//                call starts after its due time (target: under 1 s, issue 8). Times are chosen to
//                the minute (LocalDateTime "HH:MM"), so "due within the next 20 s" means due at the
//                next minute: the run waits for it (up to 75 s). Also p50LateMs, maxLateMs, and
//                firstLateMs (the earliest call: the timer alone).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';
import { ROOT, envInt, performance, round1 } from './lib/support.mjs';

const ZONE = 'Europe/Paris';
const FIRE_PROFILES = 20;
const quiet = { info() {}, warn() {}, error() {} };

/** A full garbage collection (the runner is not started with --expose-gc). */
function collect() {
  v8.setFlagsFromString('--expose-gc');
  vm.runInNewContext('gc')();
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function run({ log = console.log } = {}) {
  const jobs = envInt('BENCH_SCHEDULER_JOBS', 10_000);
  const profiles = envInt('BENCH_SCHEDULER_PROFILES', 10);
  const fire = envInt('BENCH_SCHEDULER_FIRE', 2_000);
  const tsx = register({ namespace: 'scheduler' });
  const dirs = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonnade-bench-scheduler-'));
    dirs.push(dir);
    return dir;
  };
  try {
    const load = (file) => tsx.import(pathToFileURL(path.join(ROOT, file)).href, import.meta.url);
    const [{ Outbox }, { fileJournals }, { systemClock }, { PublishNetwork }, { instantToZoned }] = await Promise.all([
      load('src/main/core/outbox/outbox.ts'),
      load('src/main/platform/file-journal.ts'),
      load('src/main/core/ports.ts'),
      load('tests/doubles/publish-network.ts'),
      load('src/shared/schedule/zoned-time.ts'),
    ]);

    /** An outbox on a fresh journal folder over `count` publish-only profiles (X, Bluesky, Mastodon in turn). */
    const rig = (count, schedule) => {
      const kinds = ['x', 'bluesky', 'mastodon'];
      const nets = Array.from(
        { length: count },
        (_, i) => new PublishNetwork(kinds[i % 3], `${kinds[i % 3]}:brand${i}`, systemClock),
      );
      const adapters = new Map(nets.map((n) => [n.profileId, n.adapter()]));
      const outbox = new Outbox({
        clock: systemClock,
        log: quiet,
        journal: fileJournals(tempDir(), quiet).open('outbox'),
        adapterFor: (id) => adapters.get(id),
        account: (id) => {
          const n = nets.find((x) => x.profileId === id);
          return n ? { network: n.network, health: 'connected' } : undefined;
        },
        mediaBytes: async () => null,
        catchUp: () => ({ postLateUpToMinutes: 60 }),
        schedule: () => schedule,
        changed: () => undefined,
      });
      outbox.start();
      return { outbox, nets };
    };
    const text = (i) => ({ parts: [{ text: `Queued post ${i}`, media: [] }] });

    // ---- 10,000 queued jobs: schedule, memory, cancel ----------------------------------------
    const hours = Array.from({ length: 13 }, (_, h) => `${String(8 + h).padStart(2, '0')}:00`);
    const queue = { zone: ZONE, slots: hours.map((time) => ({ days: [1, 2, 3, 4, 5, 6, 7], time })) };
    collect();
    const heapBefore = process.memoryUsage().heapUsed;
    const a = rig(profiles, queue);
    log(`submitting ${jobs} queue jobs over ${profiles} profiles (13 slots a day each)…`);
    let t = performance.now();
    const made = await Promise.all(
      Array.from({ length: jobs }, (_, i) =>
        a.outbox.submit({
          id: `queued-${String(i).padStart(6, '0')}`,
          content: text(i),
          profileIds: [a.nets[i % profiles].profileId],
          when: { kind: 'queue' },
        }),
      ),
    );
    const scheduleMs = performance.now() - t;
    // Each profile's jobs hold distinct slots, the last weeks ahead.
    const slots = new Map();
    for (const job of made) {
      const target = job.targets[0];
      const set = slots.get(target.profileId) ?? new Set();
      set.add(target.due.at);
      slots.set(target.profileId, set);
    }
    const distinct = [...slots.values()].reduce((n, s) => n + s.size, 0);
    if (distinct !== jobs) throw new Error(`${jobs - distinct} queue jobs share a slot with another`);
    const last = Math.max(...made.map((j) => Date.parse(j.targets[0].due.at)));
    log(
      `scheduled in ${round1(scheduleMs)} ms; the last slot is ${round1((last - Date.now()) / 86_400_000)} days ahead`,
    );
    collect();
    const heapMB = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
    log(
      `heap: +${round1(heapMB)} MB with ${jobs} jobs queued (${round1(process.memoryUsage().heapUsed / 1048576)} MB in all)`,
    );
    t = performance.now();
    await Promise.all(made.map((job) => a.outbox.cancel(job.id)));
    const cancelMs = performance.now() - t;
    const left = a.outbox.list().filter((j) => j.targets[0].state !== 'cancelled').length;
    if (left) throw new Error(`${left} jobs are not cancelled`);
    a.outbox.stop();
    log(`cancelled in ${round1(cancelMs)} ms`);

    // ---- firing precision on the real clock -------------------------------------------------------
    const b = rig(FIRE_PROFILES, null);
    const due = Math.ceil((Date.now() + 15_000) / 60_000) * 60_000;
    const local = instantToZoned(due, ZONE).local;
    log(
      `submitting ${fire} jobs over ${FIRE_PROFILES} profiles, due at ${local} ${ZONE} (in ${round1((due - Date.now()) / 1000)} s)…`,
    );
    await Promise.all(
      Array.from({ length: fire }, (_, i) =>
        b.outbox.submit({
          id: `due-${String(i).padStart(6, '0')}`,
          content: text(i),
          profileIds: [b.nets[i % FIRE_PROFILES].profileId],
          when: { kind: 'at', local, zone: ZONE },
        }),
      ),
    );
    const sent = () => b.nets.reduce((n, net) => n + net.posts.length, 0);
    while (sent() < fire) {
      if (Date.now() > due + 60_000)
        throw new Error(`only ${sent()} of ${fire} jobs went out within a minute of their time`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Every call, with when it started (the double notes the clock as it is called).
    const late = b.nets.flatMap((net) => net.posts.map((p) => p.at - due));
    b.outbox.stop();
    const early = late.filter((ms) => ms < 0).length;
    if (early) throw new Error(`${early} jobs went out before their time`);
    const p99LateMs = percentile(late, 99);
    log(
      `fired: p50 ${round1(percentile(late, 50))} ms, p99 ${round1(p99LateMs)} ms, max ${round1(Math.max(...late))} ms, first ${round1(Math.min(...late))} ms late`,
    );

    return {
      jobs,
      scheduleMs: round1(scheduleMs),
      cancelMs: round1(cancelMs),
      p99LateMs: round1(p99LateMs),
      heapMB: round1(heapMB),
      profiles,
      fireJobs: fire,
      fireProfiles: FIRE_PROFILES,
      p50LateMs: round1(percentile(late, 50)),
      maxLateMs: round1(Math.max(...late)),
      firstLateMs: round1(Math.min(...late)),
    };
  } finally {
    await tsx.unregister();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}
