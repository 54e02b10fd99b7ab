// A metrics collector over one real network adapter (tests against the emulators and the local
// Bluesky network): its own fake clock for the schedule, a journal in memory that a test can
// reopen as a restarted app would, and what it delivered.
import { AnalyticsCollector, type AnalyticsOptions } from '../../src/main/core/analytics/collector';
import { RateBudget } from '../../src/main/core/monitors/budget';
import type { NetworkAdapter } from '../../src/shared/adapter';
import { METRIC_NAMES, type AnalyticsDelivery, type MetricValues } from '../../src/shared/analytics';
import type { AnalyticsStatus } from '../../src/shared/analytics-collection';
import type { NetworkId } from '../../src/shared/model';
import { FakeClock, MemoryJournals, MemoryLogger } from '../doubles/ports';

export interface CollectorRig {
  clock: FakeClock;
  journals: MemoryJournals;
  budget: RateBudget;
  deliveries: AnalyticsDelivery[];
  collector: AnalyticsCollector;
  profileId: string;
  /** Stops the collector and starts another on the same journal (a restarted app). */
  restart(): AnalyticsCollector;
  status(): AnalyticsStatus;
  /** Each metric's latest known value for a post, over every snapshot delivered (the renderer's view). */
  latest(postId: string): MetricValues;
  /** Rounds until the backfill is no longer running (at most `rounds`). */
  backfillToEnd(rounds?: number): Promise<AnalyticsStatus>;
}

export function collectorRig(
  adapter: NetworkAdapter,
  profile: { id: string; network: NetworkId; handle: string },
  options: AnalyticsOptions = {},
): CollectorRig {
  const clock = new FakeClock(Date.now());
  const journals = new MemoryJournals();
  const budget = new RateBudget(clock.now);
  const deliveries: AnalyticsDelivery[] = [];
  const make = () => {
    const c = new AnalyticsCollector(
      {
        clock,
        log: new MemoryLogger(),
        journal: journals.open('analytics'),
        adapterFor: (id) => (id === profile.id ? adapter : undefined),
        profiles: () => [profile],
        budget: () => budget,
        deliver: (d) => void deliveries.push(structuredClone(d)),
        random: () => 0.5,
      },
      { autoBackfill: false, ...options },
    );
    c.start();
    return c;
  };
  const rig: CollectorRig = {
    clock,
    journals,
    budget,
    deliveries,
    collector: make(),
    profileId: profile.id,
    restart: () => {
      rig.collector.stop();
      rig.collector = make();
      return rig.collector;
    },
    status: () => rig.collector.statuses().find((s) => s.profileId === profile.id)!,
    latest: (postId) => {
      const snaps = deliveries
        .flatMap((d) => d.snapshots.filter((s) => s.postId === postId))
        .sort((a, b) => a.at - b.at);
      const out = Object.fromEntries(METRIC_NAMES.map((k) => [k, null])) as MetricValues;
      for (const s of snaps) for (const k of METRIC_NAMES) if (s.values[k] !== null) out[k] = s.values[k];
      return out;
    },
    backfillToEnd: async (rounds = 50) => {
      for (let i = 0; i < rounds && rig.status().backfill?.state === 'running'; i++) await rig.collector.collectNow();
      return rig.status();
    },
  };
  return rig;
}
