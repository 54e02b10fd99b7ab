// The metrics collector inside the whole core, on the Sandbox's practice profile: it backfills
// the practice profile's history on its own, delivers posts, snapshots and follower counts as
// `analytics.delivery` events the renderer acknowledges, keeps what is unacknowledged across a
// restart of the core, says each profile's state (`analytics.status`), collects what the
// outbox sends, and tells the archive of a post deleted from Colonnade.
import { describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/app-core';
import type { AnalyticsDelivery } from '../../../src/shared/analytics';
import type { AnalyticsStatus } from '../../../src/shared/analytics-collection';
import type { Account } from '../../../src/shared/model';
import type { PublishJob } from '../../../src/shared/outbox';
import { memoryPorts } from '../../doubles/ports';

async function call<T = unknown>(core: Core, channel: string, payload: unknown = {}): Promise<T> {
  const result = await core.dispatch(channel, payload);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

function listen(core: Core) {
  const deliveries: AnalyticsDelivery[] = [];
  const statuses: AnalyticsStatus[] = [];
  core.subscribe((channel, payload) => {
    if (channel === 'analytics.delivery') deliveries.push(payload as AnalyticsDelivery);
    if (channel === 'analytics.status') statuses.push(payload as AnalyticsStatus);
  });
  return { deliveries, statuses };
}

describe('analytics in the core (Sandbox)', () => {
  it('backfills the practice profile, delivers until acknowledged, and keeps the rest across a restart', async () => {
    const ports = memoryPorts();
    let core = await createCore(ports);
    const seen = listen(core);
    const practice = (await call<Account[]>(core, 'accounts.list'))[0]!;
    await ports.clock.advance(61_000);
    const [status] = await call<AnalyticsStatus[]>(core, 'analytics.statuses');
    expect(status).toMatchObject({ profileId: practice.id, network: 'sandbox', backfill: { state: 'done' } });
    expect(status!.posts).toBeGreaterThan(50);
    expect(status!.backfill!.ownPosts).toBe(status!.posts);
    expect(status!.followers).toMatchObject({ count: expect.any(Number) as number });
    expect(seen.statuses.some((s) => s.backfill?.state === 'running' || s.backfill?.state === 'done')).toBe(true);

    // Every own post reached the renderer once, with its counts, and the day's follower count.
    const posts = seen.deliveries.flatMap((d) => d.posts);
    expect(new Set(posts.map((p) => p.id)).size).toBe(status!.posts);
    expect(posts.every((p) => p.profileId === practice.id)).toBe(true);
    // (A post a column met first was observed by the collector; the backfill's equal counts add nothing.)
    const observed = new Set(seen.deliveries.flatMap((d) => d.snapshots.map((s) => s.postId)));
    expect(posts.every((p) => observed.has(p.id))).toBe(true);
    expect(observed.size).toBe(status!.posts);
    expect(seen.deliveries.flatMap((d) => d.followers)).toHaveLength(1);

    // The renderer stored some; the core restarts: the rest is still pending, in pages.
    const seqs = seen.deliveries.map((d) => d.seq);
    const half = seqs[Math.floor(seqs.length / 2)]!;
    await call(core, 'analytics.ack', { upTo: half });
    core.stop();
    core = await createCore(ports);
    const again = listen(core);
    let after = 0;
    const pending: number[] = [];
    for (;;) {
      const page = await call<{ deliveries: AnalyticsDelivery[]; more: boolean }>(core, 'analytics.pending', { after });
      pending.push(...page.deliveries.map((d) => d.seq));
      if (!page.more) break;
      after = page.deliveries.at(-1)!.seq;
    }
    expect(pending).toEqual(seqs.filter((s) => s > half));
    await call(core, 'analytics.ack', { upTo: seqs.at(-1)! });
    expect((await call<{ deliveries: unknown[] }>(core, 'analytics.pending', {})).deliveries).toEqual([]);
    // The backfill is not made again; the posts are remembered.
    await ports.clock.advance(61_000);
    expect(again.deliveries.flatMap((d) => d.posts)).toEqual([]);
    const [restored] = await call<AnalyticsStatus[]>(core, 'analytics.statuses');
    expect(restored).toMatchObject({ posts: status!.posts, backfill: { state: 'done' } });
    core.stop();
  });

  it('collects what the outbox sends, from the moment it is sent', async () => {
    const ports = memoryPorts();
    const core = await createCore(ports);
    const seen = listen(core);
    const practice = (await call<Account[]>(core, 'accounts.list'))[0]!;
    const job = await call<PublishJob>(core, 'outbox.submit', {
      id: 'analytics-job-1',
      content: { parts: [{ text: 'Practice makes #perfect', media: [] }] },
      profileIds: [practice.id],
      when: { kind: 'now' },
    });
    let sent: PublishJob | undefined;
    for (let i = 0; i < 50 && sent?.targets[0]?.state !== 'sent'; i++) {
      await ports.clock.advance(1_000);
      sent = (await call<PublishJob[]>(core, 'outbox.list')).find((j) => j.id === job.id);
    }
    const postId = sent!.targets[0]!.parts[0]!.postId!;
    const own = seen.deliveries.flatMap((d) => d.posts).find((p) => p.id === postId);
    expect(own).toMatchObject({ profileId: practice.id, hashtags: ['perfect'], isReply: false });
    expect(seen.deliveries.flatMap((d) => d.snapshots).find((s) => s.postId === postId)).toMatchObject({
      source: 'outbox',
      values: { likes: 0, reposts: 0 },
    });
    const status = (await call<AnalyticsStatus[]>(core, 'analytics.statuses'))[0]!;
    expect(status.nextAt).not.toBeNull();

    // Deleted from Colonnade: the archive is told at once, and the post is no longer collected.
    const before = ports.clock.now();
    await call(core, 'post.act', { profileId: practice.id, postId, action: 'delete' });
    await ports.clock.advance(1_000);
    expect(seen.deliveries.flatMap((d) => d.gone ?? [])).toEqual([{ postId, at: before }]);
    // Not observed again (the practice profile is observed hourly while a post is young).
    const goneSeq = seen.deliveries.find((d) => d.gone?.length)!.seq;
    await ports.clock.advance(3 * 3_600_000);
    const later = seen.deliveries.filter((d) => d.seq > goneSeq);
    expect(later.flatMap((d) => d.snapshots).length).toBeGreaterThan(0); // others were
    expect(later.flatMap((d) => d.snapshots).filter((x) => x.postId === postId)).toEqual([]);
    core.stop();
  });

  it('refuses a backfill for a profile that is not connected', async () => {
    const core = await createCore(memoryPorts());
    const result = await core.dispatch('analytics.backfill', { profileId: 'x:nobody' });
    expect(result).toMatchObject({ ok: false, error: { code: 'not-found', reason: 'profile-not-connected' } });
    core.stop();
  });
});
