// @vitest-environment jsdom
// Where the collection of the CM's counts stands, as the Posts tab says it under its summary: a
// profile's history being read back with its progress, why collection waits, its posts followed
// and when their counts were read; in English and French, in the singular where it is one.
import { afterEach, describe, expect, it } from 'vitest';
import type { AnalyticsStatus } from '../../../../src/shared/analytics-collection';
import type { Account } from '../../../../src/shared/model';
import { useAnalyticsStatus } from '../../../../src/renderer/analytics/status';
import { CollectionStatus } from '../../../../src/renderer/components/analytics/CollectionStatus';
import type { AppServices } from '../../../../src/renderer/components/context';
import { initialState, useAppStore } from '../../../../src/renderer/state/store';
import { render, textOf, type Rendered } from '../dom';
import { sampleProfile } from '../samples';

const ZONE = 'Europe/Paris';
let shown: Rendered[] = [];
afterEach(() => {
  for (const r of shown) r.unmount();
  shown = [];
  useAnalyticsStatus.setState({ statuses: [] });
  useAppStore.setState({ ...initialState });
});

const status = (over: Partial<AnalyticsStatus>): AnalyticsStatus => ({
  profileId: 'sandbox:practice',
  network: 'sandbox',
  posts: 0,
  lastCollectedAt: null,
  nextAt: null,
  due: 0,
  waiting: null,
  followers: null,
  backfill: null,
  ...over,
});
const backfill = (over: Partial<NonNullable<AnalyticsStatus['backfill']>>) => ({
  state: 'running' as const,
  scanned: 0,
  ownPosts: 0,
  total: null,
  reachedBack: null,
  limit: null,
  error: null,
  startedAt: '2026-11-30T07:00:00.000Z',
  updatedAt: '2026-11-30T07:00:00.000Z',
  ...over,
});

async function show(statuses: AnalyticsStatus[], language: 'en' | 'fr' = 'en', handles?: Map<string, string>) {
  const practice = { ...sampleProfile('practice'), id: 'sandbox:practice', network: 'sandbox' as const };
  useAppStore.setState({ accounts: [{ id: 'sandbox:practice', network: 'sandbox', profile: practice } as Account] });
  useAnalyticsStatus.setState({ statuses });
  const view = await render(
    <CollectionStatus zone={ZONE} language={language} {...(handles ? { handles } : {})} />,
    {} as AppServices,
    language,
  );
  shown.push(view);
  return view.container;
}
const lines = (page: HTMLElement) => [...page.querySelectorAll('li')].map(textOf);

describe("the collection's status", () => {
  it('says a history being read back, how far, with a progress bar', async () => {
    const page = await show([status({ backfill: backfill({ scanned: 40, total: 134 }) })]);
    expect(lines(page)).toEqual(['@practice (Sandbox): reading back its history, 40 of 134 posts']);
    const bar = page.querySelector('progress')!;
    expect([bar.value, bar.max]).toEqual([40, 134]);
  });

  it('names a profile removed from Accounts as the archive knows it, and says its counts are no longer read', async () => {
    const removed = status({
      profileId: 'mastodon:127.0.0.1:35971/100',
      network: 'mastodon',
      posts: 15,
      lastCollectedAt: '2026-11-30T08:05:00.000Z',
      backfill: backfill({ state: 'running', scanned: 3, total: 15 }),
    });
    const page = await show(
      [removed],
      'en',
      new Map([['mastodon:127.0.0.1:35971/100', 'colonnade_team@127.0.0.1:35971']]),
    );
    expect(lines(page)).toEqual([
      '@colonnade_team@127.0.0.1:35971 (Mastodon): no longer connected; its posts and their history are kept, their counts are no longer read.',
    ]);
    expect(page.querySelector('progress')).toBeNull();
  });

  it('says the posts followed and when their counts were read, once the history is in', async () => {
    const page = await show([
      status({
        posts: 134,
        lastCollectedAt: '2026-11-30T08:05:00.000Z',
        backfill: backfill({ state: 'done', scanned: 134, total: 134 }),
      }),
    ]);
    expect(lines(page)).toEqual(['@practice (Sandbox): 134 posts followed, counts of Nov 30, 2026, 09:05']);
    expect(page.querySelector('progress')).toBeNull();
  });

  it('says the first counts are coming before the first round, and why collection waits', async () => {
    expect(lines(await show([status({})]))).toEqual(['@practice (Sandbox): the first counts are on their way']);
    const offline = await show([
      status({ waiting: { code: 'offline', message: 'This computer is offline.', reason: 'offline-paused' } }),
    ]);
    expect(lines(offline)[0]).toMatch(/^@practice \(Sandbox\): waiting\. This computer is offline/);
  });

  it('speaks French, in the singular where it is one', async () => {
    const page = await show(
      [
        status({
          posts: 1,
          lastCollectedAt: '2026-11-30T08:05:00.000Z',
          backfill: backfill({ state: 'done', scanned: 1, total: 1 }),
        }),
      ],
      'fr',
    );
    expect(lines(page)).toEqual(['@practice (Sandbox)\u202f: 1 publication suivie, compteurs du 30 nov. 2026, 09:05']);
  });
});
