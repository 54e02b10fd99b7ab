// The composition root of the core: builds every service from the ports and answers the
// contract. The Electron shell and the headless host each call createCore with their own ports.
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { NetworkAdapter } from '../../shared/adapter';
import { ColonnadeError, toAppError, type Result } from '../../shared/errors';
import type { Account, Column, Layout, MonitorQuery, Post } from '../../shared/model';
import type { NetworkModule } from '../networks/module';
import { AccountsService, accountView } from './accounts-service';
import { SandboxAdapter } from '../networks/sandbox/adapter';
import { SandboxWorld } from '../networks/sandbox/world';
import { DeliveryLog } from './delivery-log';
import { MonitorEngine } from './monitors/engine';
import { readColumnHistory } from './monitors/history';
import { AlertService } from './alerts';
import { resolveLanguage } from '../../shared/settings';
import { dispatch, EventBus, type EventListener, type Handlers } from './ipc-router';
import { LayoutService } from './layout-service';
import type { DocumentStores, Ports } from './ports';
import type { Notice } from '../../shared/ipc/contract';
import { SettingsService } from './settings-service';
import { UsageService } from './usage-service';
import { openVersionedDocument } from './versioned-document';
import { Outbox } from './outbox/outbox';
import { AnalyticsCollector, type AnalyticsOptions } from './analytics/collector';
import { MediaStaging } from './media-service';
import { outboxNotification } from './outbox/notifications';
import { DEFAULT_CATCH_UP, PostingScheduleSchema, type PostingSchedule } from '../../shared/outbox';
import { validateSchedule } from '../../shared/schedule/slots';

const SandboxStateSchema = z.object({ seed: z.number().int(), anchorMs: z.number().int() });

export interface Core {
  dispatch(channel: unknown, payload: unknown): Promise<Result<unknown>>;
  subscribe(listener: EventListener): () => void;
  stop(): void;
}

export interface CoreOptions {
  /** The networks accounts can be connected on (X, Bluesky, Mastodon; tests may pass doubles). */
  networks?: readonly NetworkModule[];
  /** The metrics collector's pace (tests make it smaller). */
  analytics?: AnalyticsOptions;
}

export async function createCore(ports: Ports, options: CoreOptions = {}): Promise<Core> {
  const { log, clock } = ports;
  const bus = new EventBus(log);

  // Every data file the core opens: one moved aside (damaged, newer, unreadable) becomes a notice
  // the UI shows until dismissed, saying which file, where the old copy is and what was reset.
  const notices: Notice[] = [];
  const documents: DocumentStores = {
    open: (name) => {
      const store = ports.documents.open(name);
      return {
        read: () => store.read(),
        write: (document) => store.write(document),
        delete: () => store.delete(),
        moveAside: (reason, why) => {
          const keptAs = store.moveAside(reason, why);
          notices.push({
            id: `reset-${name}-${clock.now()}-${notices.length}`,
            kind: 'document-reset',
            document: name,
            why,
            keptAs,
            at: new Date(clock.now()).toISOString(),
          });
          bus.emit('notices.changed', [...notices]);
          return keptAs;
        },
      };
    },
  };

  // Sandbox: one world per data folder, fixed at first launch (or by the host for tests).
  const sandboxState = openVersionedDocument(
    documents.open('sandbox'),
    {
      name: 'sandbox',
      schema: SandboxStateSchema,
      version: 1,
      migrations: {},
      defaults: () => ({ seed: ports.sandboxSeed ?? randomInt(1, 2 ** 31 - 1), anchorMs: clock.now() }),
    },
    log,
  ).get();
  const world = new SandboxWorld(sandboxState);
  const sandbox = new SandboxAdapter(world, clock);
  const practice = world.practiceProfile();

  const usage = new UsageService(documents.open('usage'), log, clock, (accountId) =>
    bus.emit('usage.changed', usage.usage(accountId)),
  );
  const connected = await AccountsService.open({
    store: documents.open('accounts'),
    secrets: ports.secrets,
    clock,
    log,
    modules: options.networks ?? [],
    onChange: () => bus.emit('accounts.changed', accounts()),
    authorize: (url) => {
      ports.openExternal(url);
      bus.emit('accounts.authorize', { url });
    },
    onReads: (accountId, reads) => usage.record(accountId, reads),
    onRateWindow: (accountId, window) => feeds.budget(accountId).observe(window),
    // A (re)connected account's columns poll at once, not after their back-off.
    onConnected: (accountId, how) => {
      feeds.wake(accountId, how === 'connected' ? 'all' : 'signed-out');
      outbox.profileReady(accountId);
      analytics.profileConnected(accountId);
    },
    memory: (accountId) => documents.open(`memory-${accountId.replace(/[^A-Za-z0-9_-]/g, '_')}`),
  });
  const xAccounts = () => connected.list().filter((a) => a.network === 'x');

  const accounts = (): Account[] => [
    {
      id: practice.id,
      network: 'sandbox',
      profile: practice,
      health: { state: 'connected' },
      practice: true,
      columnKinds: sandbox.columnKinds(),
      server: null,
      textRules: sandbox.textRules(),
      mediaRules: sandbox.mediaRules(),
    },
    ...connected.list().map((record) => accountView(record, connected.adapter(record.id))),
  ];
  const adapterFor = (profileId: string): NetworkAdapter | undefined =>
    profileId === practice.id ? sandbox : connected.adapter(profileId);

  const deliveries = new DeliveryLog(
    (d) => bus.emit('feed.delivery', d),
    (dropped) => feeds.rewind(dropped.map((d) => d.columnId)),
  );
  const settings = new SettingsService(documents.open('settings'), log, (s) => bus.emit('settings.changed', s));
  const networkOf = (profileId: string) => accounts().find((a) => a.id === profileId)?.network;

  // Posts recently delivered, by id (for alert notifications about counts that passed a threshold).
  const recentPosts = new Map<string, Post>();
  const alerts = new AlertService({
    clock,
    notifier: ports.notifier,
    language: () => resolveLanguage(settings.get().language, ports.osLocales()),
    titleOf: (column: Column) => columnTitleForAlerts(column, accounts()),
    localMinutes: () => {
      const d = new Date(clock.now());
      return d.getHours() * 60 + d.getMinutes();
    },
    fired: (alert) => bus.emit('alert.fired', alert),
    muted: () => settings.get().mute ?? [],
    open: (columnId, postId) => {
      ports.showWindow?.();
      bus.emit('alert.open', { columnId, postId });
    },
  });

  // The X monthly budget: spent, an account stops reading; spent too fast, it reads more slowly.
  const xSlowdown = (profileId: string) => {
    if (!xAccounts().some((a) => a.id === profileId)) return null;
    return budgetPace(usage.usage(profileId), clock.now());
  };
  const xPaused = (profileId: string) => {
    if (!xAccounts().some((a) => a.id === profileId)) return null;
    const u = usage.usage(profileId);
    return u.paused
      ? {
          code: 'not-allowed' as const,
          message: `The monthly X budget of $${u.monthlyBudget?.toFixed(2)} is spent: this account's columns stopped polling.`,
          reason: 'monthly-budget',
        }
      : null;
  };

  const feeds = new MonitorEngine({
    clock,
    log,
    adapterFor,
    networkOf,
    positions: documents.open('monitors'),
    // Bluesky's PDS limits per IP address (3,000 requests per 5 minutes): every account on one
    // PDS draws from one budget. X and Mastodon limit per account (per token, per user).
    budgetKey: (profileId) => {
      const account = accounts().find((a) => a.id === profileId);
      return account?.network === 'bluesky' && account.server ? `bluesky@${account.server}` : profileId;
    },
    deliver: (d) => {
      // The CM's own posts a column meets are collected by the analytics from then on.
      analytics.met(d.entries);
      for (const e of d.entries) {
        if (!e.post) continue;
        recentPosts.delete(e.post.id);
        recentPosts.set(e.post.id, e.post);
      }
      while (recentPosts.size > 5_000) recentPosts.delete(recentPosts.keys().next().value!);
      return deliveries.push(d).seq;
    },
    status: (s) => bus.emit('column.status', s),
    // Only a refused sign-in (or any success) changes an account's health: a column outside the
    // plan or a rate-limited endpoint says so in that column, never on the whole account.
    health: (profileId, error) => connected.noteOutcome(profileId, error),
    arrived: (column, entries) => alerts.arrived(column, entries),
    counted: (metrics) => alerts.counted(layout.allColumns(), metrics, (id) => recentPosts.get(id)),
    slowdown: (profileId) => xSlowdown(profileId),
    paused: (profileId) => xPaused(profileId),
  });

  // The metrics collector: the CM's own posts' counts on a schedule, follower counts, backfill;
  // a client of the engine's rate budgets and of the X cost meter (analytics/collector.ts).
  const analytics = new AnalyticsCollector(
    {
      clock,
      log,
      journal: ports.journals.open('analytics'),
      adapterFor,
      profiles: () => accounts().map((a) => ({ id: a.id, network: a.network, handle: a.profile.handle })),
      budget: (profileId) => feeds.budget(profileId),
      paused: (profileId) => xPaused(profileId),
      slowdown: (profileId) => xSlowdown(profileId),
      health: (profileId, error) => {
        if (error) connected.noteOutcome(profileId, error);
      },
      deliver: (d) => bus.emit('analytics.delivery', d),
      status: (s) => bus.emit('analytics.status', s),
    },
    options.analytics,
  );

  // Every deck's columns are followed; the active deck's are the shown ones.
  const follow = (l: Layout) =>
    feeds.follow(
      l.decks.flatMap((d) => d.columns),
      l.decks.find((d) => d.id === l.activeDeckId)?.columns.map((c) => c.id) ?? [],
    );
  const layout = new LayoutService(documents.open('layout'), log, practice.id, (l) => {
    follow(l);
    bus.emit('layout.changed', l);
  });
  // Each profile's queue (weekly posting slots). Owner: main; the renderer asks with queue.get.
  const queues = openVersionedDocument(
    documents.open('queues'),
    {
      name: 'queues',
      schema: z.object({ schedules: z.record(z.string(), PostingScheduleSchema) }),
      version: 1,
      migrations: {},
      defaults: () => ({ schedules: {} as Record<string, PostingSchedule> }),
    },
    log,
  );
  const outbox = new Outbox({
    clock,
    log,
    journal: ports.journals.open('outbox'),
    adapterFor,
    account: (profileId) => {
      const a = accounts().find((x) => x.id === profileId);
      return a ? { network: a.network, health: a.health.state } : undefined;
    },
    mediaBytes: (id) => ports.blobs.get(id),
    catchUp: () => settings.get().catchUp ?? DEFAULT_CATCH_UP,
    schedule: (profileId) => queues.get().schedules[profileId] ?? null,
    changed: (job) => {
      bus.emit('outbox.changed', job);
      analytics.sent(job);
    },
    health: (profileId, error) => connected.noteOutcome(profileId, error),
    attention: (job, target) => {
      const language = resolveLanguage(settings.get().language, ports.osLocales());
      const profile = accounts().find((a) => a.id === target.profileId)?.profile.handle ?? target.profileId;
      const words = outboxNotification(language, target, profile);
      if (words)
        ports.notifier.notify({ ...words, sound: false, ...(ports.showWindow ? { onClick: ports.showWindow } : {}) });
    },
  });

  // Media the composer stages for its posts (chunks in, SHA-256 checked, kept in the BlobStore).
  const media = new MediaStaging({ blobs: ports.blobs, clock, log });

  const offOnline = ports.online.onChange((online) => {
    feeds.setOnline(online);
    outbox.setOnline(online);
    analytics.setOnline(online);
  });
  feeds.setOnline(ports.online.isOnline());
  outbox.setOnline(ports.online.isOnline());
  analytics.setOnline(ports.online.isOnline());
  const offResume = ports.power.onResume(() => {
    log.info('resumed from sleep: every monitor catches up, the outbox looks at its timetable');
    feeds.wakeAll();
    outbox.wake();
    analytics.wake();
  });

  /**
   * A monitor searches hashtags or keywords on each of its profiles: each must be connected
   * (not-found) and able to search what the monitor asks (not-allowed), `field` naming the
   * profile in the request (`<prefix>.profileIds.<i>`).
   */
  const checkMonitorProfiles = (monitor: MonitorQuery, prefix: string): void => {
    for (const [i, profileId] of monitor.profileIds.entries()) {
      const account = accounts().find((a) => a.profile.id === profileId);
      if (!account)
        throw new ColonnadeError('not-found', 'That profile is not connected.', {
          field: `${prefix}.profileIds.${i}`,
          reason: 'profile-not-connected',
        });
      const needs = [
        ...(monitor.hashtags.length ? (['hashtag'] as const) : []),
        ...(monitor.keywords.length ? (['search'] as const) : []),
      ];
      if (needs.some((k) => !account.columnKinds.includes(k)))
        throw new ColonnadeError('not-allowed', 'This profile cannot search hashtags or keywords.', {
          field: `${prefix}.profileIds.${i}`,
          reason: 'profile-cannot-search',
        });
    }
  };

  const handlers: Handlers = {
    'app.info': () => ({
      version: ports.version,
      host: ports.host,
      platform: ports.platform,
      osLocales: ports.osLocales(),
    }),
    'settings.get': () => settings.get(),
    'settings.update': (patch) => settings.update(patch),
    'layout.get': () => layout.get(),
    'deck.create': ({ name }) => layout.createDeck(name),
    'deck.rename': ({ deckId, name }) => layout.renameDeck(deckId, name),
    'deck.delete': ({ deckId }) => layout.deleteDeck(deckId),
    'deck.activate': ({ deckId }) => layout.activateDeck(deckId),
    'column.add': ({ deckId, spec }) => {
      if (spec.kind === 'monitor' && spec.monitor) {
        checkMonitorProfiles(spec.monitor, 'spec.monitor');
        return layout.addColumn(deckId, spec);
      }
      const account = accounts().find((a) => a.profile.id === spec.profileId);
      if (!account)
        throw new ColonnadeError('not-found', 'That profile is not connected.', { field: 'spec.profileId' });
      // Drafts (and scheduled posts) and analytics are this computer's: any connected profile may hold the column.
      if (spec.kind !== 'drafts' && spec.kind !== 'analytics' && !account.columnKinds.includes(spec.kind)) {
        throw new ColonnadeError('not-allowed', 'This profile cannot show that kind of column.', {
          field: 'spec.kind',
        });
      }
      return layout.addColumn(deckId, spec);
    },
    'column.remove': ({ deckId, columnId }) => layout.removeColumn(deckId, columnId),
    'column.move': ({ deckId, columnId, toIndex }) => layout.moveColumn(deckId, columnId, toIndex),
    'column.resize': ({ deckId, columnId, width }) => layout.resizeColumn(deckId, columnId, width),
    'accounts.list': () => accounts(),
    'accounts.connect': async ({ request, allowWeakStorage }) => {
      const record = await connected.connect(request, allowWeakStorage);
      return accounts().find((a) => a.id === record.id)!;
    },
    'accounts.cancel': () => {
      connected.cancelConnect();
      return {};
    },
    'accounts.remove': ({ accountId }) => {
      connected.remove(accountId);
      feeds.profileRemoved(accountId);
      return {};
    },
    'usage.get': () => xAccounts().map((a) => usage.usage(a.id)),
    'usage.configure': ({ accountId, prices, monthlyBudget }) => {
      if (!xAccounts().some((a) => a.id === accountId)) {
        throw new ColonnadeError('not-found', 'The cost meter is for connected X accounts.');
      }
      return usage.configure(accountId, {
        ...(prices ? { prices } : {}),
        ...(monthlyBudget !== undefined ? { monthlyBudget } : {}),
      });
    },
    'column.lists': async ({ profileId }) => {
      const adapter = adapterFor(profileId);
      if (!adapter) throw new ColonnadeError('not-found', 'That profile is not connected.');
      return adapter.lists();
    },
    'post.act': async ({ profileId, postId, action }) => {
      const adapter = adapterFor(profileId);
      if (!adapter) throw new ColonnadeError('not-found', 'That profile is not connected.');
      await adapter.act(postId, action);
      // Her own post deleted from here: the analytics keep it, marked gone from now.
      if (action === 'delete') analytics.deleted(postId);
      return {};
    },
    'column.fetch': async ({ columnId, direction, cursor }) => {
      const column = layout.findColumn(columnId);
      if (!column) throw new ColonnadeError('not-found', 'That column no longer exists.');
      return readColumnHistory(column, { direction, cursor }, adapterFor);
    },
    'column.configure': ({ deckId, columnId, options, alerts: rule, monitor }) => {
      if (monitor) checkMonitorProfiles(monitor, 'monitor');
      return layout.configureColumn(deckId, columnId, {
        ...(options ? { options } : {}),
        ...(rule !== undefined ? { alerts: rule } : {}),
        ...(monitor ? { monitor } : {}),
      });
    },
    'column.visible': ({ columnId, postIds, createdAt, shown }) => {
      feeds.visible(columnId, postIds, shown, createdAt);
      return {};
    },
    'gap.load': async ({ columnId, gapId }) => {
      await feeds.loadGap(columnId, gapId);
      return {};
    },
    'column.statuses': () => feeds.statuses(),
    'column.reseed': ({ columnId }) => {
      if (!layout.findColumn(columnId)) throw new ColonnadeError('not-found', 'That column no longer exists.');
      feeds.reseed(columnId);
      return {};
    },
    'column.refresh': ({ columnId }) => {
      if (!layout.findColumn(columnId)) throw new ColonnadeError('not-found', 'That column no longer exists.');
      return { woken: feeds.refresh(columnId) };
    },
    'post.thread': async ({ profileId, postId }) => {
      const adapter = adapterFor(profileId);
      if (!adapter) throw new ColonnadeError('not-found', 'That profile is not connected.');
      return adapter.thread(postId);
    },
    'profile.get': async ({ profileId, handle, cursor }) => {
      const adapter = adapterFor(profileId);
      if (!adapter) throw new ColonnadeError('not-found', 'That profile is not connected.');
      const name = handle.replace(/^@+/, '');
      const [profile, posts] = await Promise.allSettled([
        adapter.profile(name),
        adapter.readTimeline({ kind: 'user', query: name, cursor, direction: 'older', limit: 20 }),
      ]);
      if (profile.status === 'rejected') throw profile.reason;
      // A profile whose posts cannot be read (protected, blocked) still shows, saying why.
      if (posts.status === 'rejected') {
        return {
          profile: profile.value,
          posts: { items: [], older: null, newer: null },
          postsError: toAppError(posts.reason),
        };
      }
      return { profile: profile.value, posts: posts.value };
    },
    'alerts.seen': () => {
      alerts.markSeen();
      return {};
    },
    'notices.list': () => [...notices],
    'notices.dismiss': ({ id }) => {
      const at = notices.findIndex((n) => n.id === id);
      if (at >= 0) {
        notices.splice(at, 1);
        bus.emit('notices.changed', [...notices]);
      }
      return [...notices];
    },
    'events.pending': () => deliveries.unacknowledged(),
    'outbox.list': () => outbox.list(),
    'outbox.submit': (request) => outbox.submit(request),
    'outbox.reschedule': ({ jobId, when }) => outbox.reschedule(jobId, when),
    'outbox.edit': ({ jobId, content }) => outbox.edit(jobId, content),
    'outbox.cancel': ({ jobId, profileIds }) => outbox.cancel(jobId, profileIds),
    'outbox.retry': ({ jobId, profileIds }) => outbox.retry(jobId, profileIds),
    'outbox.remove': async ({ jobId }) => {
      await outbox.remove(jobId);
      return {};
    },
    'media.stage': (request) => media.stage(request),
    'media.has': ({ id }) => media.has(id),
    'queue.get': ({ profileId }) => queues.get().schedules[profileId] ?? null,
    'queue.set': ({ profileId, schedule }) => {
      if (!accounts().some((a) => a.id === profileId))
        throw new ColonnadeError('not-found', 'That profile is not connected.', { field: 'profileId' });
      if (schedule) validateSchedule(schedule);
      const schedules = { ...queues.get().schedules };
      if (schedule) schedules[profileId] = schedule;
      else delete schedules[profileId];
      queues.set({ schedules });
      return schedule;
    },
    'analytics.pending': ({ after }) => analytics.pending(after ?? 0),
    'analytics.ack': ({ upTo }) => {
      analytics.ack(upTo);
      return {};
    },
    'analytics.statuses': () => analytics.statuses(),
    'analytics.backfill': ({ profileId, restart }) => analytics.backfill(profileId, restart ?? false),
    'events.ack': ({ upTo }) => {
      deliveries.ack(upTo);
      feeds.acknowledged(upTo);
      return {};
    },
  };

  follow(layout.get());
  const loaded = outbox.start();
  if (loaded.jobs || loaded.unreadable) log.info('outbox loaded', loaded);
  const collected = analytics.start();
  if (collected.posts || collected.pending || collected.unreadable) log.info('analytics loaded', collected);
  log.info('core started', { host: ports.host, version: ports.version });

  return {
    dispatch: (channel, payload) => dispatch(handlers, channel, payload, log),
    subscribe: (listener) => bus.subscribe(listener),
    stop: () => {
      offOnline();
      offResume();
      feeds.stop();
      outbox.stop();
      analytics.stop();
    },
  };
}

/** A column's title for notifications: its label, its hashtags, its query, or its kind and profile. */
function columnTitleForAlerts(column: Column, accounts: readonly Account[]): string {
  if (column.label) return column.label;
  if (column.monitor) {
    const m = column.monitor;
    return [...m.hashtags.map((t) => `#${t}`), ...m.keywords].join(' ');
  }
  if (column.kind === 'hashtag') return `#${column.query ?? ''}`;
  if (column.query) return column.query;
  const handle = accounts.find((a) => a.id === column.profileId)?.profile.handle;
  return handle ? `${column.kind} · @${handle}` : column.kind;
}

/**
 * How much slower an X account's columns poll so its monthly budget lasts the month: the month's
 * cost so far against the share of the month gone (UTC, as the meter counts), e.g. half the
 * budget spent a quarter into the month polls twice as slowly. Up to 10×; none without a budget
 * or before a day of the month has passed (too little to judge a pace).
 */
export function budgetPace(
  u: { month: { cost: number }; monthlyBudget: number | null },
  now: number,
): { factor: number; reason: string } | null {
  if (u.monthlyBudget === null || u.monthlyBudget <= 0) return null;
  const d = new Date(now);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  if (now - start < 86_400_000) return null;
  const spentShare = u.month.cost / u.monthlyBudget;
  const timeShare = (now - start) / (end - start);
  const factor = Math.min(10, spentShare / timeShare);
  return factor > 1 ? { factor, reason: 'monthly-budget-pace' } : null;
}
