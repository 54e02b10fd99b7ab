// The app around a component under test, for jsdom test files (`// @vitest-environment jsdom`):
// main faked with every request recorded, the store seeded as main leaves it, the renderer's
// Dexie cache (on fake-indexeddb: the test file imports 'fake-indexeddb/auto'), and all of it
// undone after each test (`cleanUpAfterEach`). Components are rendered through dom.tsx.
import { act, type ReactNode } from 'react';
import { VirtuosoMockContext } from 'react-virtuoso';
import { afterEach, beforeEach } from 'vitest';
import type { Api } from '../../../src/renderer/api';
import { ColumnView } from '../../../src/renderer/components/ColumnView';
import type { AppServices } from '../../../src/renderer/components/context';
import { openDatabase, type ColonnadeDb } from '../../../src/renderer/db/database';
import { makeActions } from '../../../src/renderer/state/actions';
import { resetOutbox } from '../../../src/renderer/state/outbox';
import { initialState, useAppStore, type AppState } from '../../../src/renderer/state/store';
import type { Account, Column, Layout, NetworkId } from '../../../src/shared/model';
import type { Language } from '../../../src/shared/settings';
import { byRole, render, type Rendered } from './dom';

// react-virtuoso's size watcher, which jsdom lacks.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

/**
 * A connected account as main lists it: `handle` on `network` (its id `network:handle`), practice
 * data on the Sandbox only, Home columns only, posts of up to 500 characters and 4 images.
 * `extra` replaces any of these.
 */
export function accountOn(network: NetworkId, handle: string, extra: Partial<Account> = {}): Account {
  const id = `${network}:${handle}`;
  return {
    id,
    network,
    profile: { id, network, handle, displayName: handle, avatarUrl: null, url: null },
    health: { state: 'connected' },
    practice: network === 'sandbox',
    columnKinds: ['home'],
    server: null,
    textRules: { counting: 'characters', maxLength: 500, maxImages: 4, maxAltLength: 1000 },
    ...extra,
  };
}

/** The app's services over `api`, with `db` as the cache (none by default: a dialog reads none). */
export const servicesOver = (api: Api, db?: ColonnadeDb): AppServices =>
  ({ actions: makeActions(api, db ?? ({} as ColonnadeDb)), db: db ?? {} }) as unknown as AppServices;

/** An api that records each request, in order, as `record` makes it, and answers `answer(record)`. */
function recording<Call>(record: (channel: string, body: never) => Call, answer: (call: Call) => unknown) {
  const calls: Call[] = [];
  const api = (async (channel: string, body: never) => {
    const call = record(channel, body);
    calls.push(call);
    return answer(call);
  }) as unknown as Api;
  return { api, calls };
}

/**
 * Main faked for a dialog: each request recorded in `sent` as `{ channel, request }`, answered
 * with what `answer` returns (an error it throws is main refusing). `services` are the app's over
 * it, with no cache.
 */
export function mainAnswering<Request = unknown>(answer: (channel: string, request: Request) => unknown) {
  const { api, calls: sent } = recording(
    (channel, request: Request) => ({ channel, request }),
    (call) => answer(call.channel, call.request),
  );
  return { sent, services: servicesOver(api) };
}

/**
 * Main faked for a column: each request recorded in `calls` as `{ channel, payload }`, and
 * answered with `answer(call)` (`layout` by default).
 */
export function fakeApi(
  layout: Layout,
  answer: (call: { channel: string; payload: unknown }) => unknown = () => layout,
) {
  return recording((channel, payload: unknown) => ({ channel, payload }), answer);
}

/** The store as main leaves it once the app is ready, with `state` (accounts, a layout…) in it. */
export function seedStore(state: Partial<AppState>) {
  useAppStore.setState({ ...initialState, phase: 'ready', ...state });
}

/**
 * Seeds the store as `seedStore` does, with `state` and a layout of one deck, `d`, named `name`,
 * holding `columns`. Answers that layout.
 */
export function seedDeck(columns: Column[], state: Partial<AppState> = {}, name = 'Sandbox'): Layout {
  const layout: Layout = { activeDeckId: 'd', decks: [{ id: 'd', name, columns }] };
  seedStore({ layout, ...state });
  return layout;
}

const views: Rendered[] = [];
const databases: ColonnadeDb[] = [];

/**
 * Call once in a test file: with `seed`, each test starts on the store as main leaves it with
 * `seed` in it (`seedStore`); after each test, what `show` rendered is unmounted, the page
 * emptied, the databases `testDatabase` opened are deleted, and the store is back as the app starts.
 */
export function freshAppPerTest(seed?: Partial<AppState>) {
  if (seed) beforeEach(() => seedStore(seed));
  afterEach(async () => {
    for (const view of views.splice(0)) view.unmount();
    document.body.innerHTML = '';
    for (const db of databases.splice(0)) {
      db.close();
      await db.delete();
    }
    useAppStore.setState({ ...initialState });
    resetOutbox();
  });
}

/**
 * Renders `ui` with `services` in `language` (dom.tsx's `render`), unmounted after the test;
 * `unmount()` does it sooner (as a page reload would).
 */
export async function show(ui: ReactNode, services: AppServices, language: Language = 'en'): Promise<Rendered> {
  const view = await render(ui, services, language);
  views.push(view);
  return {
    container: view.container,
    unmount: () => {
      views.splice(views.indexOf(view), 1);
      view.unmount();
    },
  };
}

/** Renders a dialog as `show` does, and answers its element. */
export async function showDialog(ui: ReactNode, services: AppServices, language: Language = 'en') {
  await show(ui, services, language);
  return byRole(document, 'dialog');
}

/** The renderer's cache under the name `name`, for one test (deleted after it). */
export function testDatabase(name: string): ColonnadeDb {
  const db = openDatabase(name);
  databases.push(db);
  return db;
}

/**
 * `column` as the deck shows it, its only column, acting as `account`. With `list`, inside
 * react-virtuoso told the sizes jsdom cannot measure: the list `viewportHeight` px high, each
 * post `itemHeight` px (react-virtuoso renders what fits).
 */
export function columnView(
  column: Column,
  opts: { account?: Account; language?: Language; list?: { viewportHeight: number; itemHeight: number } } = {},
): ReactNode {
  const view = (
    <ColumnView column={column} index={0} count={1} account={opts.account} language={opts.language ?? 'en'} />
  );
  return opts.list ? <VirtuosoMockContext.Provider value={opts.list}>{view}</VirtuosoMockContext.Provider> : view;
}

/** Waits, letting Dexie's live queries and React run (10 ms a turn, `turns` turns), until `check` passes. */
export async function until(check: () => void, turns = 100) {
  let last: unknown;
  for (let i = 0; i < turns; i++) {
    try {
      check();
      return;
    } catch (err) {
      last = err;
    }
    await act(async () => new Promise((r) => setTimeout(r, 10)));
  }
  throw last;
}
