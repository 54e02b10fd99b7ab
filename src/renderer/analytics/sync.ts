// The renderer's end of the analytics deliveries (issue 9): what main's metrics collector sends
// (`analytics.delivery`: own posts, count snapshots, follower counts) is stored in the archive
// (archive-store.ts `AnalyticsArchive.ingest`, one Dexie transaction) and acknowledged only
// after that commit (`analytics.ack`), in order. Main keeps what is not acknowledged across a
// reload of this window and a restart of main (`analytics.pending`), so nothing is lost; an
// ingest is idempotent, so a delivery stored twice (a reload between commit and ack) adds nothing.
// Like state/sync.ts for the feed deliveries. Collection statuses (`analytics.status`) go to
// `onStatus` for the UI (backfill progress, last collected, what waits and why).
import type { AnalyticsDelivery } from '../../shared/analytics';
import type { AnalyticsStatus } from '../../shared/analytics-collection';
import type { Api } from '../api';
import type { Bridge } from '../bridge';
import type { IngestBatch } from './archive-store';

/** Where deliveries are stored: the archive's one way in (`AnalyticsArchive`). */
export interface AnalyticsSink {
  ingest(batch: IngestBatch): Promise<unknown>;
}

/** How long after a failed store the sync asks main for its pending deliveries again (ms). */
export const RESYNC_AFTER_FAILURE_MS = 2_000;

/**
 * Starts storing main's analytics deliveries into `archive` (see the file's head). `onStatus`
 * hears every profile's collection status: all of them at each (re)connection, then each change.
 * `retryMs`: how long after a failed store it resyncs (RESYNC_AFTER_FAILURE_MS unless a test says).
 * Answers a function that stops listening.
 */
export function startAnalyticsSync(
  bridge: Pick<Bridge, 'on' | 'onConnection'>,
  api: Api,
  archive: AnalyticsSink,
  /** Main's statuses: `all` is every profile's (replaces what was known), `one` a profile's update. */
  onStatus: (statuses: AnalyticsStatus[], scope: 'all' | 'one') => void = () => undefined,
  options: { retryMs?: number } = {},
): () => void {
  // The highest delivery stored and acknowledged. Main forgets every delivery up to an
  // acknowledged number, so deliveries are stored strictly in order and none is acknowledged
  // past one that could not be stored.
  let acked = 0;
  let queue: Promise<void> = Promise.resolve();
  // Until main's pending list is applied, live deliveries wait here (they are newer).
  let syncing = true;
  let held: AnalyticsDelivery[] = [];
  let failed = false;
  let stopped = false;

  const apply = (delivery: AnalyticsDelivery): Promise<void> => {
    queue = queue
      .then(async () => {
        if (delivery.seq <= acked || failed || stopped) return;
        await archive.ingest({
          posts: delivery.posts,
          snapshots: delivery.snapshots,
          followers: delivery.followers,
          gone: delivery.gone ?? [],
        });
        acked = delivery.seq;
        await api('analytics.ack', { upTo: delivery.seq });
      })
      .catch((err: unknown) => {
        // Not acknowledged: main keeps it and everything after it; ask for them again soon.
        console.error('Analytics could not be stored', err);
        if (!failed) {
          failed = true;
          setTimeout(() => void resync().catch(() => undefined), options.retryMs ?? RESYNC_AFTER_FAILURE_MS);
        }
      });
    return queue;
  };

  const resync = async (): Promise<void> => {
    syncing = true;
    await queue;
    failed = false;
    acked = 0;
    onStatus(await api('analytics.statuses', {}), 'all');
    // Main's pending deliveries, page by page, then what arrived live meanwhile, in order.
    let after = 0;
    for (;;) {
      const page = await api('analytics.pending', { after });
      for (const d of page.deliveries) void apply(d);
      await queue;
      if (!page.more || !page.deliveries.length || failed) break;
      after = page.deliveries.at(-1)!.seq;
    }
    const live = held.sort((a, b) => a.seq - b.seq);
    held = [];
    for (const d of live) void apply(d);
    syncing = false;
    await queue;
  };

  const offs = [
    bridge.on('analytics.delivery', (p) => {
      const delivery = p as AnalyticsDelivery;
      if (syncing) held.push(delivery);
      else void apply(delivery);
    }),
    bridge.on('analytics.status', (p) => onStatus([p as AnalyticsStatus], 'one')),
  ];
  bridge.onConnection((connected) => {
    if (stopped) return;
    if (connected) void resync().catch((err: unknown) => console.error('Analytics could not resync', err));
    else syncing = true;
  });
  void resync().catch((err: unknown) => console.error('Analytics could not sync', err));
  return () => {
    stopped = true;
    offs.forEach((off) => off());
  };
}
