// @vitest-environment jsdom
// The analytics view (issue 9) as a CM meets it: her posts across networks with their engagement
// rates and the formula beside each, partial data said in words, filtered above a rate and sorted
// by it, saved views that come back, the table to CSV, an archive imported with its report, and a
// post's details with its history chart.
import 'fake-indexeddb/auto';
import { File as NodeFile } from 'node:buffer';
import Papa from 'papaparse';
import { act } from 'react';
import { VirtuosoMockContext } from 'react-virtuoso';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { archiveOf } from '../../../../src/renderer/analytics/archive-store';
import { runImport } from '../../../../src/renderer/analytics/import/run-import';
import type { ArchiveImporter } from '../../../../src/renderer/components/analytics/analytics-services';
import { ArchiveImporterContext } from '../../../../src/renderer/components/analytics/analytics-services';
import { AnalyticsView } from '../../../../src/renderer/components/analytics/AnalyticsView';
import { useArchiveImport } from '../../../../src/renderer/components/analytics/ImportArchive';
import type { ColonnadeDb } from '../../../../src/renderer/db/database';
import { buildXArchiveZip, generateXTweets, xPartPath } from '../../../support/archive-fixtures';
import { allByRole, byRole, click, nameOf, textOf, type } from '../dom';
import { freshAppPerTest, mainAnswering, show, testDatabase, until } from '../test-app';
import { followers, ownPost, snapshot } from './fixtures';
import { seedArchive } from './view-fixtures';

// The chart is the charts' own (tested there); here, that the view mounts it for the chosen post.
vi.mock('../../../../src/renderer/components/analytics/PostHistory', () => ({
  PostHistory: (props: { postId: string; zone: string; language: string }) => (
    <p data-testid="post-history">
      History of {props.postId} in {props.zone} ({props.language})
    </p>
  ),
}));

freshAppPerTest({});
// The window's archive import outlives a view: each test starts with none.
beforeEach(() => useArchiveImport.setState({ state: { phase: 'idle' }, cancel: null }));

const ZONE = 'Europe/Paris';

/** The view in a list tall enough for every row (react-virtuoso told the sizes jsdom cannot measure). */
async function showView(db: ColonnadeDb, importer?: ArchiveImporter, language: 'en' | 'fr' = 'en') {
  const { services } = mainAnswering(() => ({}));
  const onClose = vi.fn();
  const view = (
    <VirtuosoMockContext.Provider value={{ viewportHeight: 3000, itemHeight: 40 }}>
      <AnalyticsView onClose={onClose} language={language} zone={ZONE} now={() => Date.parse('2026-03-01T12:00:00Z')} />
    </VirtuosoMockContext.Provider>
  );
  const shown = await show(
    importer ? <ArchiveImporterContext.Provider value={importer}>{view}</ArchiveImporterContext.Provider> : view,
    { ...services, db },
    language,
  );
  return { ...shown, onClose };
}

/** The table's body rows, each as its cells' text. */
function tableRows(scope: ParentNode): string[][] {
  return [...scope.querySelectorAll('table.analytics-posts-table tbody tr')]
    .filter((tr) => tr.querySelector('td.c-text'))
    .map((tr) => [...tr.querySelectorAll('td')].map((td) => textOf(td)));
}
const postTexts = (scope: ParentNode) => tableRows(scope).map((cells) => cells[2]);
const summaryOf = (scope: ParentNode) =>
  [...scope.querySelectorAll('.analytics-summary p')].map((p) => textOf(p)).join(' ');
const field = (scope: ParentNode, name: string) => byRole(scope, 'textbox', name);

async function ready(container: HTMLElement, posts: number) {
  await until(() => expect(tableRows(container)).toHaveLength(posts));
  await until(() => expect(postTexts(container).every((t) => t !== 'Loading…')).toBe(true));
}

/**
 * Downloads the view starts (an object URL clicked as a link), captured: each file's name and
 * bytes. `restore()` puts the link's click back.
 */
function captureDownloads() {
  const saved: Array<{ name: string; blob: Blob }> = [];
  let lastBlob: Blob | null = null;
  URL.createObjectURL = (blob: Blob) => {
    lastBlob = blob;
    return 'blob:analytics';
  };
  URL.revokeObjectURL = () => undefined;
  const clicks = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ name: this.download, blob: lastBlob! });
  });
  return { saved, restore: () => clicks.mockRestore() };
}

describe('the analytics posts table', () => {
  it('filters posts with an engagement rate above a threshold, sorts by it, and says partial data in words', async () => {
    const db = testDatabase('analytics-view-filter');
    await seedArchive(db);
    const { container } = await showView(db);
    await ready(container, 5);
    // Newest first to begin with.
    expect(postTexts(container)).toEqual([
      'Bluesky thread #launch',
      'Quiet Tuesday',
      'Launch day #launch',
      'مرحبا Mastodon',
      'Old archive post',
    ]);
    const rows = tableRows(container);
    const rateOf = (text: string) => rows.find((r) => r[2] === text)![3];
    // Each rate with its formula; what it could not count said beside it.
    expect(rateOf('Launch day #launch')).toBe(
      'ER 6.0% · engagements / 1,000 impressions · link clicks and profile clicks unknown',
    );
    expect(rateOf('Quiet Tuesday')).toBe('ER 1.5% · engagements / 2,000 impressions');
    expect(rateOf('Old archive post')).toBe('No rate · no impressions known: X archive');
    expect(rateOf('Bluesky thread #launch')).toBe(
      'ER 3.0% · interactions / 500 followers · followers estimated (count of Feb 26, 2026, after posting)',
    );
    expect(rateOf('مرحبا Mastodon')).toBe('ER 4.0% · interactions / 200 followers · quotes unknown');
    // An unknown count is said, never a 0: the archive post's replies, the Mastodon post's quotes.
    const archived = rows.find((r) => r[2] === 'Old archive post')!;
    expect(archived.slice(4, 9)).toEqual(['12', '3', '–unknown', '–unknown', '–unknown']);
    // Each profile with its network; dates in the CM's zone and language; user text in its own direction.
    expect(rows.find((r) => r[2] === 'مرحبا Mastodon')![1]).toBe('@brand@mastodon.social Mastodon');
    expect(rows.find((r) => r[2] === 'Launch day #launch')![0]).toBe('Feb 20, 2026, 11:00');
    const arabic = [...container.querySelectorAll<HTMLElement>('.analytics-post-button')].find(
      (b) => textOf(b) === 'مرحبا Mastodon',
    )!;
    expect(textOf(arabic.querySelector('[dir="auto"]'))).toBe('مرحبا Mastodon');
    expect(summaryOf(container)).toBe(
      // Rates per impression and per follower are not averaged together.
      '5 posts average engagement rate 3.8% by engagements / impressions (2 posts); 3.5% by interactions / followers (2 posts) · 17.2 likes per post · 4 reposts per post',
    );

    // Above 3.5 %.
    await type(field(container, 'Engagement rate (%) min'), '3.5');
    await until(() => expect(tableRows(container)).toHaveLength(2));
    expect(postTexts(container)).toEqual(['Launch day #launch', 'مرحبا Mastodon']);
    expect(summaryOf(container)).toMatch(
      /^2 posts average engagement rate 6\.0% by engagements \/ impressions \(1 post\); 4\.0% by/,
    );

    // Sorted by rate: descending first, then ascending; the header says which.
    await type(field(container, 'Engagement rate (%) min'), '');
    await until(() => expect(tableRows(container)).toHaveLength(5));
    const rateHeader = () => byRole(container, 'button', 'Sort by Engagement rate').closest('th')!;
    expect(rateHeader().getAttribute('aria-sort')).toBe('none');
    await click(byRole(container, 'button', 'Sort by Engagement rate'));
    await until(() => expect(rateHeader().getAttribute('aria-sort')).toBe('descending'));
    expect(postTexts(container)).toEqual([
      'Launch day #launch',
      'مرحبا Mastodon',
      'Bluesky thread #launch',
      'Quiet Tuesday',
      // Without a rate: last in either direction.
      'Old archive post',
    ]);
    await click(byRole(container, 'button', 'Sort by Engagement rate'));
    await until(() => expect(rateHeader().getAttribute('aria-sort')).toBe('ascending'));
    expect(postTexts(container)).toEqual([
      'Quiet Tuesday',
      'Bluesky thread #launch',
      'مرحبا Mastodon',
      'Launch day #launch',
      'Old archive post',
    ]);

    // The other filters: a hashtag in any case, a network, replies only.
    await type(byRole(container, 'textbox', 'Hashtag'), '#LAUNCH');
    await until(() => expect(tableRows(container)).toHaveLength(2));
    await type(byRole(container, 'combobox', 'Network'), 'bluesky');
    await until(() => expect(postTexts(container)).toEqual(['Bluesky thread #launch']));
    await click(byRole(container, 'button', 'Clear filters'));
    await type(byRole(container, 'combobox', 'Replies'), 'yes');
    await until(() => expect(postTexts(container)).toEqual(['مرحبا Mastodon']));
    // A date range in the CM's zone, both days included.
    await click(byRole(container, 'button', 'Clear filters'));
    await type(container.querySelector<HTMLInputElement>('input[type="date"]')!, '2026-02-20');
    await type(container.querySelectorAll<HTMLInputElement>('input[type="date"]')[1]!, '2026-02-22');
    await until(() => expect(tableRows(container)).toHaveLength(2));
    // Counts: at least 20 likes.
    await click(byRole(container, 'button', 'Clear filters'));
    await type(field(container, 'Likes min'), '20');
    await until(() => expect(tableRows(container)).toHaveLength(2));
    await type(field(container, 'Likes min'), '');
    await until(() => expect(tableRows(container)).toHaveLength(5));
  });

  it('says a minimum above its maximum, or a from day after the to day, beside the fields', async () => {
    const db = testDatabase('analytics-view-reversed');
    await seedArchive(db);
    const { container } = await showView(db);
    await ready(container, 5);
    const alerts = () => allByRole(container, 'alert').map((a) => textOf(a));
    await type(field(container, 'Engagement rate (%) min'), '5');
    await type(field(container, 'Engagement rate (%) max'), '2');
    await until(() =>
      expect(alerts()).toEqual(['Engagement rate (%): the minimum is above the maximum, so no post can match.']),
    );
    expect(field(container, 'Engagement rate (%) max').getAttribute('aria-invalid')).toBe('true');
    expect(
      textOf(document.getElementById(field(container, 'Engagement rate (%) max').getAttribute('aria-describedby')!)),
    ).toBe('Engagement rate (%): the minimum is above the maximum, so no post can match.');
    await type(field(container, 'Engagement rate (%) max'), '20');
    await until(() => expect(alerts()).toEqual([]));
    await type(field(container, 'Engagement rate (%) min'), 'abc');
    await until(() =>
      expect(alerts()).toEqual(['Engagement rate (%): “abc” is not a number, so it sets no condition.']),
    );
    expect(field(container, 'Engagement rate (%) min').getAttribute('aria-invalid')).toBe('true');
    await type(field(container, 'Engagement rate (%) min'), '');
    await until(() => expect(alerts()).toEqual([]));
    await type(field(container, 'Likes min'), '40');
    await type(field(container, 'Likes max'), '3');
    await until(() => expect(alerts()).toEqual(['Likes: the minimum is above the maximum, so no post can match.']));
    const day = (name: string) =>
      [...container.querySelectorAll<HTMLInputElement>('input[type="date"]')].find((i) => nameOf(i) === name)!;
    await type(day('Posted from'), '2026-03-01');
    await type(day('Posted to'), '2026-02-01');
    await until(() =>
      expect(alerts()).toEqual([
        'Posted: the “from” day is after the “to” day, so no post can match.',
        'Likes: the minimum is above the maximum, so no post can match.',
      ]),
    );
    expect(day('Posted to').getAttribute('aria-invalid')).toBe('true');
  });

  it('saves a view, applies it after clearing the filters, keeps it across a reopening, and deletes it', async () => {
    const db = testDatabase('analytics-view-views');
    await seedArchive(db);
    const first = await showView(db);
    let container = first.container;
    await ready(container, 5);
    await type(field(container, 'Engagement rate (%) min'), '2');
    await type(byRole(container, 'combobox', 'Network'), 'x');
    await click(byRole(container, 'button', 'Sort by Likes'));
    await until(() => expect(postTexts(container)).toEqual(['Launch day #launch']));

    await click(byRole(container, 'button', 'Save view…'));
    await type(byRole(container, 'textbox', 'View name'), '  Best on X  ');
    await click(byRole(container, 'button', 'Save view'));
    await until(() =>
      expect(textOf(container.querySelector('.analytics-views [role="status"]'))).toBe('View “Best on X” saved.'),
    );

    await click(byRole(container, 'button', 'Clear filters'));
    await until(() => expect(tableRows(container)).toHaveLength(5));

    // Reopened: the view is still there, and applying it brings the filters and the sort back.
    first.unmount();
    container = (await showView(db)).container;
    await ready(container, 5);
    const views = byRole(container, 'combobox', 'Saved view') as HTMLSelectElement;
    await until(() => expect([...views.options].map((o) => o.text)).toEqual(['Choose a view…', 'Best on X']));
    await type(views, views.options[1]!.value);
    await until(() => expect(postTexts(container)).toEqual(['Launch day #launch']));
    expect((field(container, 'Engagement rate (%) min') as HTMLInputElement).value).toBe('2');
    expect((byRole(container, 'combobox', 'Network') as HTMLSelectElement).value).toBe('x');
    expect(byRole(container, 'button', 'Sort by Likes').closest('th')!.getAttribute('aria-sort')).toBe('descending');

    await click(byRole(container, 'button', 'Delete view'));
    await until(() => expect([...views.options].map((o) => o.text)).toEqual(['No saved views']));
  });

  it('exports the filtered, sorted table to CSV with the formula and the partial data of each post', async () => {
    const db = testDatabase('analytics-view-csv');
    await seedArchive(db);
    const { saved, restore } = captureDownloads();
    try {
      const { container } = await showView(db);
      await ready(container, 5);
      await type(byRole(container, 'combobox', 'Network'), 'x');
      await click(byRole(container, 'button', 'Sort by Engagement rate'));
      await until(() =>
        expect(postTexts(container)).toEqual(['Launch day #launch', 'Quiet Tuesday', 'Old archive post']),
      );
      await click(byRole(container, 'button', 'Export CSV'));
      await until(() => expect(saved).toHaveLength(1));
      expect(saved[0]!.name).toBe('colonnade-posts-2026-03-01.csv');
      expect(textOf(container.querySelector('.analytics-told'))).toBe('3 posts exported to CSV.');
      const bytes = new Uint8Array(await saved[0]!.blob.arrayBuffer());
      // A UTF-8 byte order mark first, so spreadsheets read accents right.
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder().decode(bytes);
      const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
      expect(parsed.errors).toEqual([]);
      expect(parsed.data.map((r) => r.text)).toEqual(['Launch day #launch', 'Quiet Tuesday', 'Old archive post']);
      expect(parsed.data[0]).toMatchObject({
        date: '2026-02-20T11:00:00+01:00',
        profile: 'brand',
        network: 'X',
        hashtags: '#launch',
        media: 'yes',
        likes: '40',
        impressions: '1000',
        'link clicks': '',
        engagements: '60',
        'engagement rate (%)': '6',
        formula: 'engagements / impressions',
        'partial data': 'link clicks and profile clicks unknown',
        address: 'https://x.com/brand/status/1',
        id: 'x:1',
      });
      expect(parsed.data[2]).toMatchObject({
        likes: '12',
        replies: '',
        impressions: '',
        'engagement rate (%)': '',
        formula: 'engagements / impressions',
        'partial data': 'no impressions known: X archive',
      });
    } finally {
      restore();
    }
  });

  it('exports in French as French spreadsheets open a .csv: semicolons between fields, a comma before decimals', async () => {
    const db = testDatabase('analytics-view-csv-fr');
    await seedArchive(db);
    const { saved, restore } = captureDownloads();
    try {
      const { container } = await showView(db, undefined, 'fr');
      await ready(container, 5);
      await click(byRole(container, 'button', 'Exporter en CSV'));
      await until(() => expect(saved).toHaveLength(1));
      const text = new TextDecoder().decode(await saved[0]!.blob.arrayBuffer());
      expect(text.split('\r\n')[0]).toMatch(/^date;profil;réseau;texte;hashtags;/);
      const parsed = Papa.parse<Record<string, string>>(text, { header: true, delimiter: ';', skipEmptyLines: true });
      expect(parsed.errors).toEqual([]);
      const launch = parsed.data.find((r) => r.texte === 'Launch day #launch')!;
      expect(launch['taux d’engagement (%)']).toBe('6');
      const mastodon = parsed.data.find((r) => r.texte === 'مرحبا Mastodon')!;
      expect(mastodon['taux d’engagement (%)']).toBe('4');
      const quiet = parsed.data.find((r) => r.texte === 'Quiet Tuesday')!;
      expect(quiet['taux d’engagement (%)']).toBe('1,5');
    } finally {
      restore();
    }
  });

  it('says a mean of one in the singular, and over how many posts when some counts are unknown', async () => {
    const db = testDatabase('analytics-view-singular');
    await archiveOf(db).ingest({
      posts: [
        ownPost('1', '2026-02-20T10:00:00Z', { text: 'One like' }),
        ownPost('2', '2026-02-21T10:00:00Z', {
          network: 'x',
          profileId: 'x:cm',
          handle: 'brand',
          text: 'Counts unknown',
        }),
      ],
      snapshots: [
        snapshot('bluesky:1', '2026-02-21T10:00:00Z', { likes: 1, reposts: 1, replies: 0, quotes: 0 }),
        snapshot('x:2', '2026-02-22T10:00:00Z', { replies: 3 }),
      ],
      followers: [followers('bluesky:cm', '2026-02-01', 100)],
    });
    const { container } = await showView(db);
    await ready(container, 2);
    expect(summaryOf(container)).toBe(
      '2 posts average engagement rate 2.0% (interactions / followers; 1 post has a rate) · ' +
        '1 like per post (over the 1 post whose likes are known) · 1 repost per post (over the 1 post whose reposts are known)',
    );
  });

  it('a post the network deleted stays with its last counts, said Deleted in the table, its details and the CSV', async () => {
    const db = testDatabase('analytics-view-gone');
    await seedArchive(db);
    const goneAt = Date.parse('2026-02-25T08:30:00Z');
    // Delivered by main's collector when X answers that the post no longer exists.
    await archiveOf(db).ingest({ gone: [{ postId: 'x:1', at: goneAt }] });
    // Said again later (the next round): the first time stays.
    await archiveOf(db).ingest({ gone: [{ postId: 'x:1', at: goneAt + 86_400_000 }] });
    const { saved, restore } = captureDownloads();
    try {
      const { container } = await showView(db);
      await ready(container, 5);
      // Still in the table with its rate and counts, marked.
      const launch = tableRows(container).find((r) => r[2]!.includes('Launch day'))!;
      expect(launch[2]).toBe('Deleted Launch day #launch');
      expect(launch[3]).toContain('ER 6.0%');
      expect(tableRows(container).filter((r) => r[2]!.startsWith('Deleted'))).toHaveLength(1);
      const button = [...container.querySelectorAll<HTMLElement>('.analytics-post-button')].find((b) =>
        textOf(b).includes('Launch day'),
      )!;
      await click(button);
      await until(() => expect(container.querySelector('section.analytics-detail')).not.toBeNull());
      const detail = container.querySelector<HTMLElement>('section.analytics-detail')!;
      await until(() =>
        expect(textOf(detail.querySelector('.analytics-detail-gone'))).toBe(
          'X said on Wednesday, February 25, 2026 at 09:30 that this post no longer exists. Its history is kept; its counts are as last seen.',
        ),
      );
      // No link to a post that is not there.
      expect(allByRole(detail, 'link')).toHaveLength(0);
      await click(byRole(container, 'button', 'Export CSV'));
      await until(() => expect(saved).toHaveLength(1));
      const parsed = Papa.parse<Record<string, string>>(new TextDecoder().decode(await saved[0]!.blob.arrayBuffer()), {
        header: true,
        skipEmptyLines: true,
      });
      const deleted = (text: string) => parsed.data.find((r) => r.text === text)?.['deleted from the network'];
      expect(deleted('Launch day #launch')).toBe('yes');
      expect(deleted('Quiet Tuesday')).toBe('no');
    } finally {
      restore();
    }
  });

  it('opens a post’s details with its history chart, and Escape gives focus back to its row', async () => {
    const db = testDatabase('analytics-view-detail');
    await seedArchive(db);
    const { container } = await showView(db);
    await ready(container, 5);
    const row = [...container.querySelectorAll<HTMLElement>('.analytics-post-button')].find(
      (b) => textOf(b) === 'Launch day #launch',
    )!;
    row.focus();
    await click(row);
    const detail = await (async () => {
      await until(() => expect(container.querySelector('section.analytics-detail')).not.toBeNull());
      return container.querySelector<HTMLElement>('section.analytics-detail')!;
    })();
    // A 24-hour clock, as everywhere in the app (dates.ts).
    expect(nameOf(detail)).toBe('Post by @brand, Friday, February 20, 2026 at 11:00');
    expect(document.activeElement).toBe(detail.querySelector('h3'));
    await until(() =>
      expect(textOf(detail.querySelector('[data-testid="post-history"]'))).toBe('History of x:1 in Europe/Paris (en)'),
    );
    expect(textOf(detail.querySelector('.analytics-detail-rate'))).toBe(
      'ER 6.0% · engagements / 1,000 impressions · link clicks and profile clicks unknown',
    );
    expect(textOf(detail.querySelector('.analytics-detail-counts'))).toContain('Link clicks–unknown');
    expect(row.closest('tr')!.getAttribute('aria-current')).toBe('true');
    await act(async () => {
      detail.querySelector('h3')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    await until(() => expect(container.querySelector('section.analytics-detail')).toBeNull());
    await until(() => expect(document.activeElement).toBe(row));
  });
});

describe('importing an archive from the analytics view', () => {
  const ACCOUNT = { accountId: '1400000000000000001', username: 'colonnade_cm' };
  // In-process: jsdom starts no workers (the worker's side is tested with import-worker.test.ts).
  const inProcess: ArchiveImporter = (file, options) =>
    runImport(file, file.name, options.store, {
      ...(options.knownProfiles ? { knownProfiles: options.knownProfiles } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      batchSize: 10,
    });
  let realCreate: typeof URL.createObjectURL;
  beforeEach(() => {
    realCreate = URL.createObjectURL;
  });
  afterEach(() => {
    URL.createObjectURL = realCreate;
  });

  async function pick(container: HTMLElement, file: NodeFile) {
    const input = container.querySelector<HTMLInputElement>('input[type="file"]')!;
    expect(nameOf(input)).toBe('Import an archive…');
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    await act(async () => input.dispatchEvent(new Event('change', { bubbles: true })));
  }

  it('imports an X archive, reports what it kept and left out, and lists its posts with no rate, said why', async () => {
    const db = testDatabase('analytics-view-import');
    const { container } = await showView(db, inProcess);
    await until(() => expect(textOf(container.querySelector('.analytics-note'))).toMatch(/^No posts here yet\./));
    const part1 = generateXTweets(10, { ...ACCOUNT, firstId: 1_700_000_000_000_000_000n });
    const bytes = await buildXArchiveZip({
      ...ACCOUNT,
      generationDate: '2025-01-22T05:46:38.082Z',
      parts: [generateXTweets(30, ACCOUNT), part1],
      followers: 1234,
      damage: {
        // Part 1 cut short in the middle of its 7th post.
        [xPartPath(1)]: (text) => {
          let at = -1;
          for (let k = 0; k < 7; k += 1) at = text.indexOf('"tweet" :', at + 1);
          return text.slice(0, at + 200);
        },
      },
    });
    await pick(container, new NodeFile([bytes], 'twitter-2025-01-22.zip', { type: 'application/zip' }));
    const report = () => container.querySelector('.analytics-import-report');
    await until(() => expect(report()).not.toBeNull(), 300);
    expect(report()!.getAttribute('role')).toBe('status');
    // 30 + 6 items read, every 10th a retweet (3 in part 0, none among part 1's first 6).
    expect(allByRole(report()!, 'listitem').map((li) => textOf(li))).toEqual([
      '33 posts imported',
      '0 posts were already here',
      '3 reposts left out (a repost is someone else’s post)',
      'data/tweets-part1.js: This file ends in the middle of a post: the 6 posts before it were read, the rest is missing.',
      'data/tweets-part1.js: Posts the archive announced in this file: 10; posts it holds: 6.',
    ]);
    expect(textOf(report()!.querySelector('p'))).toBe('twitter-2025-01-22.zip: posts of @colonnade_cm on X');
    expect(textOf(report())).toContain('2 problems:');
    // The table follows the archive: the posts are there, with no rate and the reason.
    await ready(container, 33);
    expect(summaryOf(container)).toMatch(/^33 posts no engagement rate known for these posts · /);
    expect(tableRows(container)[0]![3]).toBe('No rate · no impressions known: X archive');

    // Importing it again adds nothing: everything was there.
    await click(byRole(container, 'button', 'Dismiss'));
    await pick(container, new NodeFile([bytes], 'twitter-2025-01-22.zip', { type: 'application/zip' }));
    await until(() => expect(report()).not.toBeNull(), 300);
    expect(
      allByRole(report()!, 'listitem')
        .slice(0, 2)
        .map((li) => textOf(li)),
    ).toEqual(['0 posts imported', '33 posts were already here']);
  });

  it('goes on when Analytics is closed, shows its report when it opens again, and says an import the window did not see end', async () => {
    const db = testDatabase('analytics-view-import-closed');
    let go: (() => void) | null = null;
    // The worker's import, held until the view is closed.
    const held: ArchiveImporter = (file, options) =>
      new Promise((resolve, reject) => {
        go = () => void inProcess(file, options).then(resolve, reject);
      });
    const first = await showView(db, held);
    const bytes = await buildXArchiveZip({
      ...ACCOUNT,
      generationDate: '2025-01-22T05:46:38.082Z',
      parts: [generateXTweets(12, ACCOUNT)],
    });
    await pick(first.container, new NodeFile([bytes], 'twitter.zip', { type: 'application/zip' }));
    await until(() => expect(first.container.querySelector('.analytics-import-progress')).not.toBeNull());
    await until(() => expect(go).not.toBeNull());
    first.unmount();
    go!();
    await until(() => expect(useArchiveImport.getState().state.phase).toBe('done'), 300);
    const again = await showView(db, held);
    const report = again.container.querySelector('.analytics-import-report');
    expect(textOf(report?.querySelector('p'))).toBe('twitter.zip: posts of @colonnade_cm on X');
    expect(textOf(report)).toContain('posts imported');
    // The import ended: nothing says it was cut off next time.
    await until(async () => expect(await db.analyticsCache.get('import-running')).toBeUndefined());
    again.unmount();

    // A reload during an import: the next window says so, once dismissed never again.
    useArchiveImport.setState({ state: { phase: 'idle' }, cancel: null });
    await db.analyticsCache.put({ key: 'import-running', version: 0, data: { file: 'big.zip', startedAt: 1 } });
    const later = await showView(db, held);
    await until(() =>
      expect(textOf(later.container.querySelector('.analytics-import-report p'))).toBe(
        'The import of big.zip did not finish (Colonnade was closed or reloaded during it). The posts it saved are kept; import the file again to complete it: nothing is imported twice.',
      ),
    );
    await click(byRole(later.container, 'button', 'Dismiss'));
    await until(async () => expect(await db.analyticsCache.get('import-running')).toBeUndefined());
  });

  it('says in words why a file that is not an archive could not be imported', async () => {
    const db = testDatabase('analytics-view-import-bad');
    const { container } = await showView(db, inProcess);
    await until(() => expect(textOf(container.querySelector('.analytics-note'))).toMatch(/^No posts here yet\./));
    await pick(container, new NodeFile(['hello'], 'notes.txt', { type: 'text/plain' }));
    await until(() => expect(container.querySelector('.analytics-import-report')).not.toBeNull(), 300);
    expect(textOf(container.querySelector('.analytics-import-report p'))).toBe(
      'notes.txt: This file is not an X or Mastodon archive. Choose the .zip you downloaded, X’s data/tweets.js, or Mastodon’s outbox.json.',
    );
  });
});
