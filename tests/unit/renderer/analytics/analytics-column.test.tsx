// @vitest-environment jsdom
// The Analytics column (issue 9, "An Analytics column type in the deck"): Add column → Analytics,
// then a region named by its title with the CM's best posts of the last 30 days by engagement rate
// (or her latest), each with its rate and formula, as a feed of articles; "Open analytics" and a
// post's Enter open the full view.
import 'fake-indexeddb/auto';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AddColumnDialog } from '../../../../src/renderer/components/AddColumnDialog';
import { closeAnalytics, useAnalyticsWindow } from '../../../../src/renderer/components/analytics/analytics-window';
import type { Column } from '../../../../src/shared/model';
import { allByRole, byRole, click, nameOf, submit, textOf } from '../dom';
import {
  accountOn,
  columnView,
  fakeApi,
  freshAppPerTest,
  mainAnswering,
  seedDeck,
  servicesOver,
  show,
  showDialog,
  testDatabase,
  until,
} from '../test-app';
import { seedArchive } from './view-fixtures';

const PRACTICE = accountOn('sandbox', 'practice', {
  columnKinds: ['home', 'mentions', 'notifications', 'hashtag', 'search', 'user', 'list'],
});
freshAppPerTest({ accounts: [PRACTICE] });

beforeEach(() => {
  // "The last 30 days" end on 1 March 2026 (only Date is faked: Dexie's timers run as they are).
  vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-03-01T12:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
  closeAnalytics();
});

describe('Add column → Analytics', () => {
  it('is offered with every profile, asks for no profile, and adds an analytics column', async () => {
    const layout = seedDeck([], { accounts: [PRACTICE] }, 'Deck');
    const { sent, services } = mainAnswering((channel) => (channel === 'column.add' ? layout : {}));
    const dialog = await showDialog(<AddColumnDialog onClose={() => undefined} language="en" />, services);
    const radio = byRole(dialog, 'radio', /^Analytics/);
    expect(nameOf(radio)).toMatch(/^Analytics\s*Your own posts with their engagement rates, best first$/);
    await click(radio);
    expect(allByRole(dialog, 'combobox', 'Profile')).toHaveLength(0);
    await submit(dialog);
    await until(() => expect(sent.find((s) => s.channel === 'column.add')).toBeDefined());
    expect(sent.find((s) => s.channel === 'column.add')!.request).toMatchObject({
      spec: { kind: 'analytics', profileId: PRACTICE.profile.id },
    });
  });
});

describe('the Analytics column', () => {
  const column: Column = { id: 'stats', kind: 'analytics', profileId: PRACTICE.profile.id, width: 340 };

  async function mount() {
    const db = testDatabase('analytics-column');
    await seedArchive(db);
    const layout = seedDeck([column], { accounts: [PRACTICE] }, 'Deck');
    const { api } = fakeApi(layout, ({ channel }) => (channel === 'layout.get' ? layout : {}));
    const { container } = await show(columnView(column, { account: PRACTICE }), servicesOver(api, db));
    return container;
  }
  const articles = (host: ParentNode) => [...host.querySelectorAll<HTMLElement>('[role="feed"] > article')];
  const texts = (host: ParentNode) => articles(host).map((a) => textOf(a.querySelector('.analytics-column-text')));

  it('lists the best rates of the last 30 days with their formulas, or the latest posts, as a feed', async () => {
    const host = await mount();
    const region = host.querySelector('section')!;
    expect(nameOf(region)).toBe('Analytics');
    // Not a profile's timeline: no "@practice · Sandbox", no filters menu.
    expect(host.querySelector('.column-profile')).toBeNull();
    expect(allByRole(host, 'button', /menu/i)).toHaveLength(0);

    await until(() => expect(texts(host)).toHaveLength(2));
    await until(() => expect(texts(host).every((t) => t !== 'Loading…')).toBe(true));
    const feed = host.querySelector('[role="feed"]')!;
    expect(nameOf(feed)).toBe('Posts in Analytics');
    // Rated X posts of the last 30 days, best first; the 2024 archive post (no rate) is not among
    // them. Rates per impression and per follower are not ranked together: one button each.
    expect(byRole(host, 'button', 'Top rates per impression, 30 days').getAttribute('aria-pressed')).toBe('true');
    expect(texts(host)).toEqual(['Launch day #launch', 'Quiet Tuesday']);
    expect(textOf(articles(host)[0]!.querySelector('.analytics-column-rate'))).toBe(
      'ER 6.0% · engagements / 1,000 impressions · link clicks and profile clicks unknown',
    );
    expect(articles(host).map((a) => [a.getAttribute('aria-posinset'), a.getAttribute('aria-setsize')])).toEqual([
      ['1', '2'],
      ['2', '2'],
    ]);
    await click(byRole(host, 'button', 'Top rates per follower, 30 days'));
    await until(() => expect(texts(host)).toEqual(['مرحبا Mastodon', 'Bluesky thread #launch']));
    await until(() => expect(texts(host).every((t) => t !== 'Loading…')).toBe(true));
    expect(textOf(articles(host)[1]!.querySelector('.analytics-column-rate'))).toBe(
      'ER 3.0% · interactions / 500 followers · followers estimated (count of Feb 26, 2026, after posting)',
    );
    expect(articles(host)[0]!.querySelector('.analytics-column-text')!.getAttribute('dir')).toBe('auto');

    // Latest: every post, newest first, the one without a rate saying why.
    await click(byRole(host, 'button', 'Latest'));
    expect(byRole(host, 'button', 'Latest').getAttribute('aria-pressed')).toBe('true');
    await until(() => expect(texts(host)).toHaveLength(5));
    await until(() => expect(texts(host).at(-1)).toBe('Old archive post'));
    expect(textOf(articles(host)[4]!.querySelector('.analytics-column-rate'))).toBe(
      'No rate · no impressions known: X archive',
    );
    expect(textOf(articles(host)[4]!.querySelector('.analytics-column-counts'))).toBe('12 likes · 3 reposts');

    // Page Down moves between posts.
    articles(host)[0]!.focus();
    await act(async () => {
      articles(host)[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'PageDown', bubbles: true }));
    });
    expect(document.activeElement).toBe(articles(host)[1]);
  });

  it('speaks French: the rate as French writes it, the formula and what is missing in French', async () => {
    const db = testDatabase('analytics-column-fr');
    await seedArchive(db);
    const layout = seedDeck([column], { accounts: [PRACTICE] }, 'Deck');
    const { api } = fakeApi(layout, ({ channel }) => (channel === 'layout.get' ? layout : {}));
    const { container: host } = await show(
      columnView(column, { account: PRACTICE, language: 'fr' }),
      servicesOver(api, db),
      'fr',
    );
    expect(nameOf(host.querySelector('section')!)).toBe('Statistiques');
    await until(() => expect(texts(host)).toHaveLength(2));
    expect(byRole(host, 'button', 'Meilleurs taux par impression, 30 jours').getAttribute('aria-pressed')).toBe('true');
    expect(textOf(articles(host)[0]!.querySelector('.analytics-column-rate'))).toBe(
      'TE 6,0\u00a0% · engagements / 1\u202f000 impressions · données manquantes\u202f: clics sur les liens et clics sur le profil',
    );
    await click(byRole(host, 'button', 'Meilleurs taux par abonné, 30 jours'));
    await until(() => expect(texts(host)[0]).toBe('مرحبا Mastodon'));
    expect(textOf(articles(host)[0]!.querySelector('.analytics-column-rate'))).toBe(
      'TE 4,0\u00a0% · interactions / 200 abonnés · donnée manquante\u202f: citations',
    );
  });

  it('opens the full view, on a post’s details from the post', async () => {
    const host = await mount();
    // The texts read from the archive (the buttons are named by them).
    await until(() => expect(texts(host)).toContain('Launch day #launch'));
    await click(byRole(host, 'button', 'Open analytics'));
    expect(useAnalyticsWindow.getState()).toEqual({ open: true, postId: null });
    closeAnalytics();
    await act(async () => {
      articles(host)[1]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    });
    expect(useAnalyticsWindow.getState()).toEqual({ open: true, postId: 'x:2' });
    closeAnalytics();
    await click(byRole(host, 'button', 'Details: Launch day #launch'));
    expect(useAnalyticsWindow.getState()).toEqual({ open: true, postId: 'x:1' });
  });
});
