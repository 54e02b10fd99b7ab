// @vitest-environment jsdom
// A column's post actions and its status line (issue 7, "Reading"): Reply, Quote, the thread and
// the author's profile from a post's buttons and keys, as the profile the column acts as (or the
// one chosen in the post's menu); a column slowed or paused by a budget says so quietly, with the
// next check's time; a monitor column is named by its hashtags and keywords.
import 'fake-indexeddb/auto';
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { columnTitle, quietStatus } from '../../../src/renderer/components/ColumnView';
import { storeColumnEntries } from '../../../src/renderer/db/database';
import { createI18n } from '../../../src/renderer/i18n';
import { useAppStore } from '../../../src/renderer/state/store';
import type { ColumnStatus } from '../../../src/shared/ipc/contract';
import type { Column } from '../../../src/shared/model';
import { sampleEntry } from './samples';
import {
  accountOn,
  columnView,
  fakeApi,
  freshAppPerTest,
  seedDeck,
  servicesOver,
  show,
  testDatabase,
  until,
} from './test-app';

freshAppPerTest();

const account = (network: 'sandbox' | 'x', handle: string) =>
  accountOn(network, handle, {
    textRules: { counting: 'graphemes', maxLength: 500, maxImages: 4, maxAltLength: 1000 },
  });
const PRACTICE = account('sandbox', 'practice');
const SECOND = account('sandbox', 'brand');
const X = account('x', 'brand');

const home: Column = { id: 'home', kind: 'home', profileId: PRACTICE.profile.id, width: 340 };
/** 14:05 today, local time (the column says times in the computer's zone). */
const at1405 = () => {
  const d = new Date();
  d.setHours(14, 5, 0, 0);
  return d.toISOString();
};

/** A column in the DOM with Dexie on fake-indexeddb and main faked: every request recorded. */
async function mountColumn(name: string, column: Column, language: 'en' | 'fr' = 'en') {
  const db = testDatabase(name);
  const layout = seedDeck([column], { accounts: [PRACTICE, SECOND, X] }, 'Deck');
  const { api, calls } = fakeApi(layout, ({ channel }) => (channel === 'layout.get' ? layout : {}));
  await storeColumnEntries(
    db,
    column.id,
    [1, 2, 3].map((n) => sampleEntry(n, new Date(Date.now() - n * 60_000).toISOString())),
  );
  const account = useAppStore.getState().accounts.find((a) => a.profile.id === column.profileId);
  const view = await show(
    columnView(column, { account, language, list: { viewportHeight: 900, itemHeight: 120 } }),
    servicesOver(api, db),
    language,
  );
  const host = view.container;
  await until(() => expect(host.querySelectorAll('article')).toHaveLength(3));
  return { host, calls };
}

const button = (root: ParentNode, name: string | RegExp) => {
  const found = [...root.querySelectorAll<HTMLButtonElement>('button, [role^="menuitem"]')].filter((b) => {
    const said = b.getAttribute('aria-label') ?? b.textContent ?? '';
    return typeof name === 'string' ? said === name : name.test(said);
  });
  if (found.length !== 1) throw new Error(`${found.length} buttons ${String(name)}`);
  return found[0]!;
};
const press = (el: HTMLElement, key: string) =>
  act(async () => {
    el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
  });

describe('post actions from a column', () => {
  it('Reply and Quote open the composer with the post, as the column’s profile', async () => {
    const { host } = await mountColumn('actions-buttons', home);
    const first = host.querySelector('article')!;
    act(() => button(first, 'Reply, 0 replies').click());
    expect(useAppStore.getState().compose).toEqual({
      replyTo: expect.objectContaining({ id: 'sandbox:test-1' }),
      profileId: 'sandbox:practice',
    });
    act(() => button(first, 'Quote, 0 quotes').click());
    expect(useAppStore.getState().compose).toEqual({
      quoteOf: expect.objectContaining({ id: 'sandbox:test-1' }),
      profileId: 'sandbox:practice',
    });
  });

  it('with another profile chosen in the post’s menu, likes, replies and opens threads as that one', async () => {
    const { host, calls } = await mountColumn('actions-as', home);
    const first = () => host.querySelector('article')!;
    act(() => button(first(), 'More actions').click());
    act(() => button(document, '@brand').click());
    await until(() => expect(first().textContent).toContain('as @brand'));
    act(() => button(first(), /^Like, /).click());
    await until(() => expect(calls.some((c) => c.channel === 'post.act')).toBe(true));
    expect(calls.find((c) => c.channel === 'post.act')?.payload).toEqual({
      profileId: 'sandbox:brand',
      postId: 'sandbox:test-1',
      action: 'like',
    });
    act(() => button(first(), 'Reply, 0 replies').click());
    expect(useAppStore.getState().compose?.profileId).toBe('sandbox:brand');
    // The post's time opens its thread, read as that profile.
    act(() => button(first(), /^Open thread, posted 1 minute ago$/).click());
    expect(useAppStore.getState().panel).toEqual([
      { kind: 'thread', network: 'sandbox', profileId: 'sandbox:brand', postId: 'sandbox:test-1' },
    ]);
  });

  it('keys on a focused post: R replies, Q quotes, O opens the thread, P the author; Enter still opens the browser', async () => {
    const { host } = await mountColumn('actions-keys', home);
    const second = host.querySelectorAll('article')[1] as HTMLElement;
    act(() => second.focus());
    await press(second, 'r');
    expect(useAppStore.getState().compose).toMatchObject({ replyTo: { id: 'sandbox:test-2' } });
    await press(second, 'Q');
    expect(useAppStore.getState().compose).toMatchObject({ quoteOf: { id: 'sandbox:test-2' } });
    await press(second, 'o');
    expect(useAppStore.getState().panel).toEqual([
      { kind: 'thread', network: 'sandbox', profileId: 'sandbox:practice', postId: 'sandbox:test-2' },
    ]);
    await press(second, 'p');
    expect(useAppStore.getState().panel).toEqual([
      { kind: 'profile', network: 'sandbox', profileId: 'sandbox:practice', handle: 'ada' },
    ]);
    // Enter opens the post in the browser (this one has no address: the column says so).
    await press(second, 'Enter');
    expect(host.textContent).toContain('This post has no web address.');
    expect(useAppStore.getState().panel).toHaveLength(1);
  });
});

describe('the column’s pace, said quietly', () => {
  const t = createI18n('en').t;
  const tFr = createI18n('fr').t;
  const status = (s: Partial<ColumnStatus>): ColumnStatus => ({ columnId: 'home', state: 'live', ...s });

  it('says why it is slowed and when it checks next, in the CM’s language', () => {
    const slowed = status({ slowed: 'rate-budget', nextAt: at1405() });
    expect(quietStatus(t, slowed, 'en', 'x')).toBe(
      'Polled less often to stay within the network’s rate limit for this account. Next check at 14:05.',
    );
    expect(quietStatus(tFr, slowed, 'fr', 'x')).toMatch(/ Prochaine vérification à 14:05\.$/);
    expect(quietStatus(t, status({ slowed: 'monthly-budget-pace', nextAt: at1405() }), 'en', 'x')).toBe(
      'Polled less often so the monthly X budget lasts the month. Next check at 14:05.',
    );
    // At its own pace, or in error: nothing quiet to say.
    expect(quietStatus(t, status({ nextAt: at1405() }), 'en', 'x')).toBeNull();
    expect(
      quietStatus(t, status({ state: 'error', error: { code: 'transient', message: 'x' } }), 'en', 'x'),
    ).toBeNull();
  });

  it('a column paused by the X monthly budget says so in its status line, not as an error', async () => {
    const { host } = await mountColumn('pace-paused', home);
    act(() =>
      useAppStore.setState({
        statuses: {
          home: status({
            state: 'paused',
            error: { code: 'not-allowed', message: 'spent', reason: 'monthly-budget' },
          }),
        },
      }),
    );
    const line = host.querySelector('[data-testid="column-pace"]')!;
    expect(line.textContent).toBe(
      'The monthly X budget is spent: Colonnade stopped reading from X for this account. Raise the budget in Accounts to resume.',
    );
    expect(line.className).toBe('column-status quiet');
    expect(host.querySelector('.column-status.error, [role="alert"]')).toBeNull();
    // Slowed by the shared rate budget: the reason and the next check.
    act(() => useAppStore.setState({ statuses: { home: status({ slowed: 'rate-budget', nextAt: at1405() }) } }));
    expect(host.querySelector('[data-testid="column-pace"]')!.textContent).toMatch(/Next check at 14:05\.$/);
  });
});

describe('a monitor column', () => {
  const monitor: Column = {
    id: 'mon',
    kind: 'monitor',
    profileId: PRACTICE.profile.id,
    width: 340,
    monitor: {
      hashtags: ['IFPower', 'Brand'],
      keywords: ['battery', 'e-bike launch'],
      exclude: [],
      profileIds: [PRACTICE.profile.id, X.profile.id, SECOND.profile.id],
    },
  };

  it('is a region named by its hashtags and keywords, its networks said under the title', async () => {
    expect(columnTitle(createI18n('en').t, monitor)).toBe('#IFPower #Brand · battery, e-bike launch');
    expect(columnTitle(createI18n('en').t, { ...monitor, monitor: { ...monitor.monitor!, keywords: [] } })).toBe(
      '#IFPower #Brand',
    );
    const { host } = await mountColumn('monitor-title', monitor);
    const region = host.querySelector('section')!;
    expect(document.getElementById(region.getAttribute('aria-labelledby')!)!.textContent).toBe(
      '#IFPower #Brand · battery, e-bike launch',
    );
    expect(region.querySelector('.column-profile > span')!.textContent).toBe('Sandbox · X');
    // Through the practice profile: labelled practice data, as a Sandbox column is.
    expect(region.querySelector('.column-profile .badge.practice')?.textContent).toBe('Practice data');
  });
});
