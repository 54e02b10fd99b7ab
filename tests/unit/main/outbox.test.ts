import { describe, expect, it } from 'vitest';
import { ColonnadeError } from '../../../src/shared/errors';
import type { NetworkAdapter } from '../../../src/shared/adapter';
import type { PostContent, PostingSchedule, PublishJob, Target } from '../../../src/shared/outbox';
import { Outbox, type AccountState } from '../../../src/main/core/outbox/outbox';
import { FakeClock, MemoryJournals, MemoryLogger } from '../../doubles/ports';
import { PublishNetwork } from '../../doubles/publish-network';

const PARIS = 'Europe/Paris';
const text = (t: string): PostContent => ({ parts: [{ text: t, media: [] }] });

/** An outbox over publish-only networks, which a test can stop and start again on the same journal. */
function rig(
  opts: { clock?: FakeClock; journals?: MemoryJournals; networks?: PublishNetwork[]; lateMinutes?: number } = {},
) {
  const clock = opts.clock ?? new FakeClock(Date.UTC(2027, 2, 1, 8, 0)); // Monday 1 March 2027, 09:00 Paris
  const journals = opts.journals ?? new MemoryJournals();
  const networks = opts.networks ?? [
    new PublishNetwork('x', 'x:brand', clock),
    new PublishNetwork('bluesky', 'bluesky:brand', clock),
    new PublishNetwork('mastodon', 'mastodon:brand', clock),
  ];
  const adapters = new Map<string, NetworkAdapter>(networks.map((n) => [n.profileId, n.adapter()]));
  const health = new Map<string, AccountState['health']>();
  const schedules = new Map<string, PostingSchedule>();
  const changes: PublishJob[] = [];
  const attention: Target[] = [];
  const healthSaid: Array<{ id: string; code: string }> = [];
  const log = new MemoryLogger();
  const make = () =>
    new Outbox({
      clock,
      log,
      journal: journals.open('outbox'),
      adapterFor: (id) => adapters.get(id),
      account: (id) => {
        const n = networks.find((x) => x.profileId === id);
        return n ? { network: n.network, health: health.get(id) ?? 'connected' } : undefined;
      },
      mediaBytes: async () => new Uint8Array([1, 2, 3]),
      catchUp: () => ({ postLateUpToMinutes: opts.lateMinutes ?? 60 }),
      schedule: (id) => schedules.get(id) ?? null,
      changed: (job) => changes.push(structuredClone(job)),
      attention: (_job, t) => attention.push(structuredClone(t)),
      health: (id, e) => healthSaid.push({ id, code: e.code }),
      random: () => 0.5,
    });
  const outbox = make();
  outbox.start();
  const net = (network: string) => networks.find((n) => n.network === network)!;
  const target = (o: Outbox, jobId: string, profileId: string) =>
    o.get(jobId)!.targets.find((t) => t.profileId === profileId)!;
  return {
    clock,
    journals,
    networks,
    net,
    outbox,
    make,
    health,
    healthSaid,
    schedules,
    changes,
    attention,
    log,
    target,
  };
}

describe('the outbox: post now and at a time', () => {
  it('one announcement to three profiles on three networks goes out once to each', async () => {
    const r = rig();
    const job = await r.outbox.submit({
      id: 'job-00000001',
      content: text('Our new store opens today'),
      profileIds: ['x:brand', 'bluesky:brand', 'mastodon:brand'],
      when: { kind: 'now' },
    });
    await r.clock.advance(0);
    for (const n of r.networks) expect(n.count('Our new store opens today')).toBe(1);
    expect(r.outbox.get(job.id)!.targets.map((t) => t.state)).toEqual(['sent', 'sent', 'sent']);
    expect(r.target(r.outbox, job.id, 'bluesky:brand').parts[0]!.url).toBe('https://bluesky.example/brand/1');
    // Submitting the same job again (a double click, a retried IPC call) makes nothing new.
    await r.outbox.submit({
      id: 'job-00000001',
      content: text('Our new store opens today'),
      profileIds: ['x:brand'],
      when: { kind: 'now' },
    });
    await r.clock.advance(1_000);
    expect(r.net('x').count('Our new store opens today')).toBe(1);
  });

  it('9:00 Paris goes out at 9:00 Paris, on the minute, across the March and October changes', async () => {
    const r = rig({ clock: new FakeClock(Date.UTC(2027, 2, 20, 12, 0)) });
    const spring = await r.outbox.submit({
      id: 'job-spring1',
      content: text('Spring'),
      profileIds: ['x:brand'],
      when: { kind: 'at', local: '2027-03-29T09:00', zone: PARIS },
    });
    const autumn = await r.outbox.submit({
      id: 'job-autumn1',
      content: text('Autumn'),
      profileIds: ['x:brand'],
      when: { kind: 'at', local: '2027-11-01T09:00', zone: PARIS },
    });
    expect(spring.targets[0]!.due!.at).toBe('2027-03-29T07:00:00.000Z'); // UTC+2 after the change
    expect(autumn.targets[0]!.due!.at).toBe('2027-11-01T08:00:00.000Z'); // UTC+1 after the change
    await r.clock.advance(Date.UTC(2027, 2, 29, 6, 59, 59) - r.clock.now());
    expect(r.net('x').count('Spring')).toBe(0);
    await r.clock.advance(1_000);
    expect(r.net('x').count('Spring')).toBe(1);
    expect(r.net('x').posts[0]!.at).toBe(Date.UTC(2027, 2, 29, 7, 0));
    await r.clock.advance(Date.UTC(2027, 10, 1, 8, 0) - r.clock.now());
    expect(r.net('x').count('Autumn')).toBe(1);
    expect(r.net('x').posts[1]!.at).toBe(Date.UTC(2027, 10, 1, 8, 0));
    expect(r.target(r.outbox, autumn.id, 'x:brand').lateMinutes).toBeUndefined();
  });

  it('a time that has passed, a profile not connected, and a part too long are refused in words, and nothing is made', async () => {
    const r = rig();
    await expect(
      r.outbox.submit({
        id: 'job-past0001',
        content: text('x'),
        profileIds: ['x:brand'],
        when: { kind: 'at', local: '2027-02-28T09:00', zone: PARIS },
      }),
    ).rejects.toMatchObject({ code: 'invalid', reason: 'schedule-in-past' });
    await expect(
      r.outbox.submit({
        id: 'job-gone0001',
        content: text('x'),
        profileIds: ['x:brand', 'x:gone'],
        when: { kind: 'now' },
      }),
    ).rejects.toMatchObject({ code: 'not-found', reason: 'profile-not-connected', field: 'profileIds.1' });
    await expect(
      r.outbox.submit({
        id: 'job-long0001',
        content: text('a'.repeat(501)),
        profileIds: ['x:brand'],
        when: { kind: 'now' },
      }),
    ).rejects.toMatchObject({
      code: 'invalid',
      reason: 'too-long',
      params: { max: '500', length: '501', profileId: 'x:brand' },
    });
    expect(r.outbox.list()).toEqual([]);
  });

  it('a per-network variant goes to that network only', async () => {
    const r = rig();
    await r.outbox.submit({
      id: 'job-variant1',
      content: {
        parts: [{ text: 'Long version for everyone', media: [] }],
        variants: { x: [{ text: 'Short for X', media: [] }] },
      },
      profileIds: ['x:brand', 'mastodon:brand'],
      when: { kind: 'now' },
    });
    await r.clock.advance(0);
    expect(r.net('x').posts.map((p) => p.post.text)).toEqual(['Short for X']);
    expect(r.net('mastodon').posts.map((p) => p.post.text)).toEqual(['Long version for everyone']);
  });
});

describe('the outbox: threads', () => {
  it('a thread is a chain in order, each part replying to the one before', async () => {
    const r = rig();
    const parts = ['1/3 Thread', '2/3 goes on', '3/3 ends'].map((t) => ({ text: t, media: [] }));
    await r.outbox.submit({
      id: 'job-thread01',
      content: { parts },
      profileIds: ['bluesky:brand', 'x:brand'],
      when: { kind: 'now' },
    });
    await r.clock.advance(0);
    for (const n of [r.net('bluesky'), r.net('x')]) {
      expect(n.posts.map((p) => p.post.text)).toEqual(['1/3 Thread', '2/3 goes on', '3/3 ends']);
      expect(n.posts[1]!.request.replyTo).toBe(n.posts[0]!.post.id);
      expect(n.posts[2]!.request.replyTo).toBe(n.posts[1]!.post.id);
    }
  });

  it('a refused part stops the parts after it and says which; a retry goes on from it', async () => {
    const r = rig();
    const net = r.net('mastodon');
    const parts = ['one', 'two', 'three'].map((t) => ({ text: t, media: [] }));
    // The first call goes through, the second is refused by the server.
    net.failures = [
      undefined as unknown as ColonnadeError,
      new ColonnadeError('invalid', 'Text contains spam', { reason: 'server-refused' }),
    ];
    const job = await r.outbox.submit({
      id: 'job-thread02',
      content: { parts },
      profileIds: ['mastodon:brand'],
      when: { kind: 'now' },
    });
    await r.clock.advance(0);
    expect(net.posts.map((p) => p.post.text)).toEqual(['one']);
    const t = r.target(r.outbox, job.id, 'mastodon:brand');
    expect(t.state).toBe('failed');
    expect(t.error).toMatchObject({ code: 'invalid', params: { part: '2', parts: '3' } });
    expect(t.parts[0]!.postId).toBe(net.posts[0]!.post.id);
    expect(r.attention.at(-1)?.state).toBe('failed');
    await r.outbox.retry(job.id);
    await r.clock.advance(0);
    expect(net.posts.map((p) => p.post.text)).toEqual(['one', 'two', 'three']);
    expect(net.posts[1]!.request.replyTo).toBe(net.posts[0]!.post.id);
    expect(r.target(r.outbox, job.id, 'mastodon:brand').state).toBe('sent');
  });
});

describe('the outbox: exactly once', () => {
  it('killed while a send was under way: after the restart each network has the post once', async () => {
    for (const network of ['x', 'bluesky', 'mastodon'] as const) {
      const r = rig();
      const net = r.net(network);
      net.hangNext = true; // the server makes the post; Colonnade dies before the answer
      const job = await r.outbox.submit({
        id: `job-kill-${network}`,
        content: text(`Kill test ${network}`),
        profileIds: [`${network}:brand`],
        when: { kind: 'now' },
      });
      await r.clock.advance(0);
      expect(net.count(`Kill test ${network}`)).toBe(1);
      expect(r.target(r.outbox, job.id, `${network}:brand`).state).toBe('sending');
      r.outbox.stop();
      // The restart: a new outbox on the same journal.
      const again = r.make();
      again.start();
      await r.clock.advance(0);
      expect(net.count(`Kill test ${network}`)).toBe(1);
      const t = r.target(again, job.id, `${network}:brand`);
      expect(t.state).toBe('sent');
      expect(t.parts[0]!.postId).toBe(net.posts[0]!.post.id);
      // X has no key: the retry said since when to look.
      if (network === 'x') expect(net.calls.at(-1)!.uncertainSince).toBe(r.clock.now());
      again.stop();
    }
  });

  it('an answer lost on the way back: the next attempt finds the post instead of posting again', async () => {
    const r = rig();
    const net = r.net('x');
    net.loseNextAnswer = true;
    const job = await r.outbox.submit({
      id: 'job-lost0001',
      content: text('Lost answer'),
      profileIds: ['x:brand'],
      when: { kind: 'now' },
    });
    await r.clock.advance(0);
    expect(r.target(r.outbox, job.id, 'x:brand')).toMatchObject({
      state: 'scheduled',
      attempts: 1,
      error: { code: 'transient' },
    });
    await r.clock.advance(60_000);
    expect(net.count('Lost answer')).toBe(1);
    expect(r.target(r.outbox, job.id, 'x:brand').state).toBe('sent');
  });

  it('a thread killed after its second part: the restart posts the third only, replying to the second', async () => {
    const r = rig();
    const net = r.net('bluesky');
    const parts = ['A', 'B', 'C'].map((t) => ({ text: t, media: [] }));
    let calls = 0;
    const adapter = net.adapter();
    const publish = adapter.publish;
    // The second part is made on the server, then Colonnade dies.
    (adapter as { publish: typeof publish }).publish = async (req) => {
      calls++;
      if (calls === 2) {
        void publish(req);
        return new Promise(() => undefined);
      }
      return publish(req);
    };
    const r2 = rig({ clock: r.clock, journals: r.journals, networks: [net] });
    // r2's adapters come from net.adapter(); swap in the dying one for the first run.
    const dying = r2.make();
    (dying as unknown as { deps: { adapterFor: (id: string) => unknown } }).deps.adapterFor = () => adapter;
    r2.outbox.stop();
    dying.start();
    const job = await dying.submit({
      id: 'job-thread03',
      content: { parts },
      profileIds: ['bluesky:brand'],
      when: { kind: 'now' },
    });
    await r.clock.advance(0);
    expect(net.posts.map((p) => p.post.text)).toEqual(['A', 'B']);
    dying.stop();
    const again = r2.make();
    again.start();
    await r.clock.advance(0);
    expect(net.posts.map((p) => p.post.text)).toEqual(['A', 'B', 'C']);
    expect(net.posts[2]!.request.replyTo).toBe(net.posts[1]!.post.id);
    expect(r2.target(again, job.id, 'bluesky:brand').state).toBe('sent');
    again.stop();
  });

  it('a journal whose last change was cut short and one job that cannot be read: every other job is there', async () => {
    const r = rig({ clock: new FakeClock(Date.UTC(2027, 2, 1, 8, 0)) });
    for (let i = 0; i < 3; i++)
      await r.outbox.submit({
        id: `job-keep000${i}`,
        content: text(`Keep ${i}`),
        profileIds: ['mastodon:brand'],
        when: { kind: 'at', local: '2027-03-02T09:00', zone: PARIS },
      });
    r.outbox.stop();
    const name = 'outbox';
    const lines = r.journals.journals.get(name)!;
    // One job written by a future version (a field this one cannot read), then a torn line.
    const bad = JSON.stringify({
      s: 999,
      r: { op: 'put', job: { id: 'job-future01', createdAt: 'soon', targets: 'many' } },
    });
    r.journals.journals.set(name, `${lines}${bad}\n{"s":1000,"r":{"op":"put","jo`);
    const again = r.make();
    expect(again.start()).toEqual({ jobs: 3, unreadable: 1 });
    expect(
      again
        .list()
        .map((j) => j.id)
        .sort(),
    ).toEqual(['job-keep0000', 'job-keep0001', 'job-keep0002']);
    expect(r.log.text()).toMatch(/cut short|left out/);
    // The unreadable job is kept in the snapshot, not dropped.
    expect(r.journals.snapshots.get(name)).toContain('job-future01');
    again.stop();
  });
});

describe('the outbox: missed, offline, reconnect', () => {
  it('missed while closed: within the catch-up policy it goes late and says so; beyond, it is held for the CM', async () => {
    const r = rig({ lateMinutes: 30 });
    await r.outbox.submit({
      id: 'job-late0001',
      content: text('Late but ok'),
      profileIds: ['x:brand'],
      when: { kind: 'at', local: '2027-03-01T10:00', zone: PARIS },
    });
    await r.outbox.submit({
      id: 'job-late0002',
      content: text('Too late'),
      profileIds: ['x:brand'],
      when: { kind: 'at', local: '2027-03-01T09:30', zone: PARIS },
    });
    r.outbox.stop();
    // Colonnade is closed from 9:05 to 10:20 Paris.
    r.clock.time = Date.UTC(2027, 2, 1, 9, 20);
    const again = r.make();
    again.start();
    await r.clock.advance(0);
    expect(r.net('x').count('Late but ok')).toBe(1);
    expect(r.target(again, 'job-late0001', 'x:brand')).toMatchObject({ state: 'sent', lateMinutes: 20 });
    expect(r.net('x').count('Too late')).toBe(0);
    expect(r.target(again, 'job-late0002', 'x:brand')).toMatchObject({
      state: 'held',
      waitingFor: 'missed-while-closed',
    });
    expect(r.attention.some((t) => t.state === 'held')).toBe(true);
    await again.retry('job-late0002');
    await r.clock.advance(0);
    expect(r.net('x').count('Too late')).toBe(1);
    again.stop();
  });

  it('asleep past a due time: on waking the policy decides the same way', async () => {
    const r = rig({ lateMinutes: 10 });
    await r.outbox.submit({
      id: 'job-sleep001',
      content: text('Asleep'),
      profileIds: ['bluesky:brand'],
      when: { kind: 'at', local: '2027-03-01T09:30', zone: PARIS },
    });
    r.clock.time = Date.UTC(2027, 2, 1, 11, 0); // the lid was closed; no timer ran
    r.outbox.wake();
    await r.clock.advance(0);
    expect(r.target(r.outbox, 'job-sleep001', 'bluesky:brand').state).toBe('held');
    expect(r.net('bluesky').posts).toHaveLength(0);
  });

  it('the computer’s clock jumps (set by hand, a time-zone server): the post still goes at its wall-clock time, within the heartbeat', async () => {
    const r = rig();
    await r.outbox.submit({
      id: 'job-jump0001',
      content: text('After the jump'),
      profileIds: ['mastodon:brand'],
      when: { kind: 'at', local: '2027-03-01T12:00', zone: PARIS },
    });
    // The clock is put forward by two hours and a half without any timer running (no sleep event).
    r.clock.time = Date.UTC(2027, 2, 1, 11, 0, 30);
    await r.clock.advance(60_000); // the next heartbeat looks at the timetable again
    expect(r.net('mastodon').count('After the jump')).toBe(1);
    // Backwards: a post due at 13:00 is not sent early when the clock jumps back an hour.
    await r.outbox.submit({
      id: 'job-jump0002',
      content: text('Not early'),
      profileIds: ['mastodon:brand'],
      when: { kind: 'at', local: '2027-03-01T13:00', zone: PARIS },
    });
    r.clock.time -= 60 * 60_000;
    await r.clock.advance(60 * 60_000);
    expect(r.net('mastodon').count('Not early')).toBe(0);
    await r.clock.advance(60 * 60_000);
    expect(r.net('mastodon').count('Not early')).toBe(1);
    expect(r.net('mastodon').posts.at(-1)!.at).toBeGreaterThanOrEqual(Date.UTC(2027, 2, 1, 12, 0));
  });

  it('offline at its time: it waits, and goes when the network returns', async () => {
    const r = rig();
    r.outbox.setOnline(false);
    await r.outbox.submit({
      id: 'job-offline1',
      content: text('On the train'),
      profileIds: ['mastodon:brand'],
      when: { kind: 'at', local: '2027-03-01T09:10', zone: PARIS },
    });
    await r.clock.advance(11 * 60_000);
    expect(r.target(r.outbox, 'job-offline1', 'mastodon:brand')).toMatchObject({
      state: 'waiting',
      waitingFor: 'offline',
    });
    await r.clock.advance(3 * 60 * 60_000);
    expect(r.net('mastodon').posts).toHaveLength(0);
    r.outbox.setOnline(true);
    await r.clock.advance(0);
    expect(r.net('mastodon').count('On the train')).toBe(1);
  });

  it('a profile that needs reconnecting: its post waits, then goes after reconnecting within the policy', async () => {
    const r = rig({ lateMinutes: 60 });
    r.health.set('x:brand', 'needs-reconnect');
    await r.outbox.submit({
      id: 'job-recon001',
      content: text('After reconnect'),
      profileIds: ['x:brand'],
      when: { kind: 'now' },
    });
    await r.clock.advance(0);
    expect(r.target(r.outbox, 'job-recon001', 'x:brand')).toMatchObject({
      state: 'waiting',
      waitingFor: 'needs-reconnect',
    });
    // An expired token answers auth-expired at sending time too.
    r.health.set('x:brand', 'connected');
    r.net('x').failures = [new ColonnadeError('auth-expired', 'Token revoked')];
    await r.outbox.retry('job-recon001');
    await r.clock.advance(0);
    expect(r.target(r.outbox, 'job-recon001', 'x:brand')).toMatchObject({
      state: 'waiting',
      waitingFor: 'needs-reconnect',
    });
    // Accounts hears it too: the profile shows "needs reconnecting", not "Connected".
    expect(r.healthSaid).toEqual([{ id: 'x:brand', code: 'auth-expired' }]);
    await r.clock.advance(20 * 60_000);
    r.outbox.profileReady('x:brand');
    await r.clock.advance(0);
    expect(r.net('x').count('After reconnect')).toBe(1);
  });

  it('a rate limit holds the post until its reset, then it goes', async () => {
    const r = rig();
    const reset = new Date(r.clock.now() + 7 * 60_000).toISOString();
    r.net('x').failures = [new ColonnadeError('rate-limited', 'Too Many Requests', { resetAt: reset })];
    await r.outbox.submit({
      id: 'job-rate0001',
      content: text('Rate limited'),
      profileIds: ['x:brand'],
      when: { kind: 'now' },
    });
    await r.clock.advance(0);
    expect(r.target(r.outbox, 'job-rate0001', 'x:brand')).toMatchObject({
      state: 'waiting',
      waitingFor: 'rate-limited',
    });
    await r.clock.advance(6 * 60_000);
    expect(r.net('x').posts).toHaveLength(0);
    await r.clock.advance(2 * 60_000);
    expect(r.net('x').count('Rate limited')).toBe(1);
  });

  it('a server that keeps failing: five tries with growing pauses, then failed with the reason', async () => {
    const r = rig();
    r.net('mastodon').failures = Array.from({ length: 5 }, () => new ColonnadeError('transient', 'Bad gateway'));
    await r.outbox.submit({
      id: 'job-fail0001',
      content: text('Never'),
      profileIds: ['mastodon:brand'],
      when: { kind: 'now' },
    });
    await r.clock.advance(60 * 60_000);
    expect(r.net('mastodon').calls).toHaveLength(5);
    expect(r.target(r.outbox, 'job-fail0001', 'mastodon:brand')).toMatchObject({
      state: 'failed',
      error: { code: 'transient' },
    });
    expect(r.attention.at(-1)?.state).toBe('failed');
  });
});

describe('the outbox: the queue', () => {
  it('posts added to the queue take the next free slots; a cancelled one frees its slot', async () => {
    const r = rig({ clock: new FakeClock(Date.UTC(2027, 5, 11, 11, 0)) }); // Friday 11 June 2027, 13:00 Paris
    r.schedules.set('mastodon:brand', {
      zone: PARIS,
      slots: [
        { days: [1, 2, 3, 4, 5], time: '09:00' },
        { days: [1, 2, 3, 4, 5], time: '12:30' },
      ],
    });
    const at = async (id: string) =>
      (await r.outbox.submit({ id, content: text(id), profileIds: ['mastodon:brand'], when: { kind: 'queue' } }))
        .targets[0]!.due!;
    expect(await at('job-queue001')).toMatchObject({ local: '2027-06-14T09:00', zone: PARIS, slot: true });
    expect((await at('job-queue002')).local).toBe('2027-06-14T12:30');
    expect((await at('job-queue003')).local).toBe('2027-06-15T09:00');
    await r.outbox.cancel('job-queue002');
    expect((await at('job-queue004')).local).toBe('2027-06-14T12:30');
    await expect(
      r.outbox.submit({ id: 'job-noslots1', content: text('x'), profileIds: ['x:brand'], when: { kind: 'queue' } }),
    ).rejects.toMatchObject({ reason: 'queue-no-slots' });
    await r.clock.advance(Date.UTC(2027, 5, 14, 7, 0) - r.clock.now());
    expect(r.net('mastodon').posts.map((p) => p.post.text)).toEqual(['job-queue001']);
  });
});

describe('the outbox: the queue, two submits at once', () => {
  it('two posts added to the queue at the same moment take two slots, not one', async () => {
    const r = rig({ clock: new FakeClock(Date.UTC(2027, 5, 11, 11, 0)) });
    r.schedules.set('mastodon:brand', { zone: PARIS, slots: [{ days: [1, 2, 3, 4, 5], time: '09:00' }] });
    const [a, b] = await Promise.all(
      ['job-race0001', 'job-race0002'].map((id) =>
        r.outbox.submit({ id, content: text(id), profileIds: ['mastodon:brand'], when: { kind: 'queue' } }),
      ),
    );
    expect(new Set([a!.targets[0]!.due!.local, b!.targets[0]!.due!.local])).toEqual(
      new Set(['2027-06-14T09:00', '2027-06-15T09:00']),
    );
  });

  it('after a restart, a send that was under way is settled before the profile’s other posts go', async () => {
    const r = rig();
    const net = r.net('x');
    net.hangNext = true;
    await r.outbox.submit({
      id: 'job-first001',
      content: text('First'),
      profileIds: ['x:brand'],
      when: { kind: 'now' },
    });
    await r.outbox.submit({
      id: 'job-second01',
      content: text('Second'),
      profileIds: ['x:brand'],
      when: { kind: 'at', local: '2027-03-01T09:02', zone: PARIS },
    });
    await r.clock.advance(0);
    r.outbox.stop();
    r.clock.time += 10 * 60_000;
    const again = r.make();
    again.start();
    await r.clock.advance(0);
    // The uncertain one is looked for first; the later one then goes.
    expect(net.calls.map((c) => c.text)).toEqual(['First', 'First', 'Second']);
    expect(net.count('First')).toBe(1);
    again.stop();
  });
});

describe('the outbox: a Mastodon instance’s own schedule', () => {
  it('an hour ahead it is on the server, posts there with Colonnade closed, and shows as sent afterwards', async () => {
    const clock = new FakeClock(Date.UTC(2027, 2, 1, 8, 0));
    const m = new PublishNetwork('mastodon', 'mastodon:brand', clock, { serverScheduling: true });
    const r = rig({ clock, networks: [m] });
    const job = await r.outbox.submit({
      id: 'job-server01',
      content: text('From the server'),
      profileIds: ['mastodon:brand'],
      when: { kind: 'at', local: '2027-03-01T10:00', zone: PARIS },
    });
    await clock.advance(0);
    expect(r.target(r.outbox, job.id, 'mastodon:brand')).toMatchObject({ state: 'on-server' });
    expect(m.scheduled.size).toBe(1);
    r.outbox.stop(); // Colonnade closed
    await clock.advance(60 * 60_000);
    m.publishDue();
    expect(m.count('From the server')).toBe(1);
    clock.time += 30 * 60_000;
    const again = r.make();
    again.start();
    await clock.advance(0);
    expect(r.target(again, job.id, 'mastodon:brand')).toMatchObject({ state: 'sent' });
    expect(m.count('From the server')).toBe(1); // never sent a second time by Colonnade
    again.stop();
  });

  it('moving or cancelling it in Colonnade moves or cancels it on the server; less than 5 minutes ahead Colonnade sends it', async () => {
    const clock = new FakeClock(Date.UTC(2027, 2, 1, 8, 0));
    const m = new PublishNetwork('mastodon', 'mastodon:brand', clock, { serverScheduling: true });
    const r = rig({ clock, networks: [m] });
    const job = await r.outbox.submit({
      id: 'job-server02',
      content: text('Move me'),
      profileIds: ['mastodon:brand'],
      when: { kind: 'at', local: '2027-03-01T11:00', zone: PARIS },
    });
    await clock.advance(0);
    const id = r.target(r.outbox, job.id, 'mastodon:brand').serverId!;
    await r.outbox.reschedule(job.id, { kind: 'at', local: '2027-03-01T12:00', zone: PARIS });
    expect(m.scheduled.get(id)!.at).toBe(Date.UTC(2027, 2, 1, 11, 0));
    await r.outbox.cancel(job.id);
    expect(m.scheduled.size).toBe(0);
    const soon = await r.outbox.submit({
      id: 'job-server03',
      content: text('Soon'),
      profileIds: ['mastodon:brand'],
      when: { kind: 'at', local: '2027-03-01T09:03', zone: PARIS },
    });
    await clock.advance(0);
    expect(r.target(r.outbox, soon.id, 'mastodon:brand').state).toBe('scheduled');
    await clock.advance(3 * 60_000);
    expect(m.count('Soon')).toBe(1);
  });
});
