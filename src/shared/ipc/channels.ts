// Channel names only, with no schema library: the sandboxed preload bundles this file alone.
// The contract (contract.ts) gives each name its schemas; a name here without one fails to compile.

export const REQUEST_CHANNELS = [
  'app.info',
  'settings.get',
  'settings.update',
  'layout.get',
  'deck.create',
  'deck.rename',
  'deck.delete',
  'deck.activate',
  'column.add',
  'column.remove',
  'column.move',
  'column.resize',
  'accounts.list',
  'accounts.connect',
  'accounts.cancel',
  'accounts.remove',
  'column.lists',
  'post.act',
  'usage.get',
  'usage.configure',
  'column.fetch',
  'events.pending',
  'events.ack',
  'notices.list',
  'notices.dismiss',
  'column.configure',
  'column.visible',
  'gap.load',
  'alerts.seen',
  'column.reseed',
  'column.refresh',
  'column.statuses',
  'post.thread',
  'profile.get',
  'outbox.list',
  'outbox.submit',
  'outbox.reschedule',
  'outbox.edit',
  'outbox.cancel',
  'outbox.retry',
  'outbox.remove',
  'queue.get',
  'queue.set',
  'media.stage',
  'media.has',
  'analytics.pending',
  'analytics.ack',
  'analytics.statuses',
  'analytics.backfill',
] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];

export const EVENT_CHANNELS = [
  'layout.changed',
  'settings.changed',
  'feed.delivery',
  'column.status',
  'accounts.changed',
  'outbox.changed',
  'accounts.authorize',
  'usage.changed',
  'notices.changed',
  'alert.fired',
  'alert.open',
  'analytics.delivery',
  'analytics.status',
] as const;
export type EventChannel = (typeof EVENT_CHANNELS)[number];

export const isRequestChannel = (name: unknown): name is RequestChannel =>
  typeof name === 'string' && (REQUEST_CHANNELS as readonly string[]).includes(name);
export const isEventChannel = (name: unknown): name is EventChannel =>
  typeof name === 'string' && (EVENT_CHANNELS as readonly string[]).includes(name);

/** The Electron IPC channel a contract request travels on (namespaced so nothing else collides). */
export const ipcRequestName = (channel: RequestChannel) => `colonnade:${channel}`;
export const ipcEventName = (channel: EventChannel) => `colonnade-event:${channel}`;
