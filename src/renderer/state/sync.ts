// The one module that listens to main. It writes events into the store and Dexie, and
// acknowledges feed deliveries only after their Dexie commit, so a reload loses nothing.
import type { EventOf, FeedDelivery } from '../../shared/ipc/contract';
import type { Api } from '../api';
import type { Bridge } from '../bridge';
import { storeColumnEntries, type ColonnadeDb } from '../db/database';
import { outboxJobChanged, outboxListed, outboxListStarted } from './outbox';
import { alertArrived, showInColumn, useAppStore } from './store';

export function startSync(bridge: Bridge, api: Api, db: ColonnadeDb): () => void {
  // The highest delivery stored and acknowledged. Main forgets every delivery up to an
  // acknowledged number, so deliveries are stored strictly in order, and none is acknowledged
  // past one that could not be stored.
  let acked = 0;
  // Deliveries are applied one after another, in order.
  let queue: Promise<void> = Promise.resolve();
  // Until the pending list of this connection is applied, live deliveries wait here: one arriving
  // before that list would otherwise be stored (and acknowledged) ahead of older ones.
  let syncing = true;
  let held: FeedDelivery[] = [];
  // A delivery failed to store: nothing after it is acknowledged until the next resync re-sends it.
  let failed = false;

  const apply = (delivery: FeedDelivery) => {
    queue = queue
      .then(async () => {
        if (delivery.seq <= acked || failed) return;
        // Entries and counts, then the posts the network says are gone leave every column.
        await storeColumnEntries(db, delivery.columnId, delivery.entries, delivery.metrics, delivery.removed ?? []);
        // Gap markers main filled (or narrowed: a new marker came with this delivery) leave the column.
        if (delivery.closedGaps?.length) {
          await db.entries.bulkDelete(
            delivery.closedGaps.map((id) => [delivery.columnId, `gap:${id}`] as [string, string]),
          );
        }
        if (delivery.older !== undefined && !(await db.columnCursors.get(delivery.columnId))) {
          // A column's first page says where its history continues; scrolling back starts there.
          await db.columnCursors.put({
            columnId: delivery.columnId,
            older: delivery.older,
            reachedEnd: delivery.older === null,
          });
        }
        acked = delivery.seq;
        await api('events.ack', { upTo: delivery.seq });
      })
      .catch((err: unknown) => {
        // Not acknowledged, so main keeps it (and everything after it) and sends it again: resync
        // soon rather than acknowledge a later one, which would make main forget this one.
        console.error('A delivery could not be stored', err);
        if (!failed) {
          failed = true;
          setTimeout(() => void resync().catch(() => undefined), 2_000);
        }
      });
    return queue;
  };

  const resync = async () => {
    syncing = true;
    const outboxMark = outboxListStarted();
    const [layout, settings, accounts, usage, notices, pending, statuses, outbox] = await Promise.all([
      api('layout.get', {}),
      api('settings.get', {}),
      api('accounts.list', {}),
      api('usage.get', {}),
      api('notices.list', {}),
      api('events.pending', {}),
      // Each column's state now (a profile that needs reconnecting, a paused budget…), not at its next poll.
      api('column.statuses', {}),
      // Every publish job (the Outbox view, the top bar's count); `outbox.changed` keeps it.
      api('outbox.list', {}),
    ]);
    outboxListed(outbox, outboxMark);
    useAppStore.setState((s) => ({
      layout,
      settings,
      accounts,
      notices,
      usage: Object.fromEntries(usage.map((u) => [u.accountId, u])),
      // What arrived live meanwhile is newer than the snapshot.
      statuses: { ...Object.fromEntries(statuses.map((x) => [x.columnId, x])), ...s.statuses },
      connected: true,
    }));
    // Columns open once what main kept for us is in Dexie: they show it at once. A column's first
    // page comes from main too (with its `older` cursor); the renderer only pages back from there.
    // Main's pending list is everything not yet acknowledged (after a restart of main, its
    // numbers start again): it is the truth, then what arrived live meanwhile, in order.
    await queue;
    acked = 0;
    failed = false;
    for (const d of pending) void apply(d);
    const live = held.sort((a, b) => a.seq - b.seq);
    held = [];
    for (const d of live) void apply(d);
    syncing = false;
    await queue;
    // A column this renderer holds nothing of (a new browser profile, cleared storage) while main
    // already gave it its first page: main delivers that page again, with its cursor.
    const columns = layout.decks
      .flatMap((d) => d.columns)
      .filter((c) => c.kind !== 'scheduled' && c.kind !== 'drafts' && c.kind !== 'analytics');
    for (const c of columns) {
      // Every first page stores the column's cursor: none means nothing was ever stored here.
      if (!(await db.columnCursors.get(c.id))) void api('column.reseed', { columnId: c.id }).catch(() => undefined);
    }
  };

  const offs = [
    bridge.on('layout.changed', (p) => useAppStore.setState({ layout: p as EventOf<'layout.changed'> })),
    bridge.on('settings.changed', (p) => useAppStore.setState({ settings: p as EventOf<'settings.changed'> })),
    bridge.on('column.status', (p) => {
      const status = p as EventOf<'column.status'>;
      useAppStore.setState((s) => ({ statuses: { ...s.statuses, [status.columnId]: status } }));
    }),
    bridge.on('feed.delivery', (p) => {
      if (syncing) held.push(p as FeedDelivery);
      else void apply(p as FeedDelivery);
    }),
    bridge.on('notices.changed', (p) => useAppStore.setState({ notices: p as EventOf<'notices.changed'> })),
    bridge.on('accounts.changed', (p) => useAppStore.setState({ accounts: p as EventOf<'accounts.changed'> })),
    bridge.on('usage.changed', (p) => {
      const u = p as EventOf<'usage.changed'>;
      useAppStore.setState((s) => ({ usage: { ...s.usage, [u.accountId]: u } }));
    }),
    bridge.on('accounts.authorize', (p) =>
      useAppStore.setState({ authorizeUrl: (p as EventOf<'accounts.authorize'>).url }),
    ),
    bridge.on('outbox.changed', (p) => outboxJobChanged(p as EventOf<'outbox.changed'>)),
    // An alert rule fired: listed in the page (a toast) with main's unseen count (the badge).
    bridge.on('alert.fired', (p) => alertArrived(p as EventOf<'alert.fired'>)),
    // The CM clicked an alert's desktop notification: its column's deck comes forward and the
    // column is asked to show the post (the store's `reveal`).
    bridge.on('alert.open', (p) => {
      const { columnId, postId } = p as EventOf<'alert.open'>;
      const activate = async (deckId: string) =>
        useAppStore.setState({ layout: await api('deck.activate', { deckId }) });
      showInColumn(activate, columnId, postId).catch((err: unknown) =>
        console.error('An alert could not be shown', err),
      );
    }),
  ];
  bridge.onConnection((connected) => {
    if (connected) void resync();
    else {
      syncing = true; // until the next connection's pending list
      useAppStore.setState({ connected: false });
    }
  });

  void resync().then(
    () => useAppStore.setState({ phase: 'ready' }),
    (err: unknown) =>
      useAppStore.setState({ phase: 'failed', failure: err instanceof Error ? err.message : String(err) }),
  );
  return () => offs.forEach((off) => off());
}
