// @vitest-environment jsdom
// The analytics charts as a CM meets them: a post's history, a profile's overview and the monitored
// hashtags, with what each says in words and tables (a chart is a canvas), and their exports.
// jsdom has no canvas: the drawing (time-chart.ts, uPlot) is replaced by a recorder of what it was
// asked to draw; tests/e2e/analytics-charts.spec.ts draws for real in Chromium.
import { followers, openDb, ownPost, snapshot } from './fixtures';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AnalyticsArchive } from '../../../../src/renderer/analytics/archive-store';
import { AnalyticsIndex } from '../../../../src/renderer/analytics/query';
import type { ChartSpec } from '../../../../src/renderer/components/analytics/chart-data';
import { HashtagAnalytics } from '../../../../src/renderer/components/analytics/HashtagAnalytics';
import { PostHistory } from '../../../../src/renderer/components/analytics/PostHistory';
import { ProfileOverview } from '../../../../src/renderer/components/analytics/ProfileOverview';
import type { AppServices } from '../../../../src/renderer/components/context';
import { storeColumnEntries } from '../../../../src/renderer/db/database';
import { initialState, useAppStore } from '../../../../src/renderer/state/store';
import type { Post } from '../../../../src/shared/model';
import { allByRole, byRole, click, nameOf, render, textOf, type, type Rendered } from '../dom';
import { until } from '../test-app';

const drawing = vi.hoisted(() => ({ charts: [] as Array<{ spec: ChartSpec; title?: string }> }));
vi.mock('../../../../src/renderer/components/analytics/time-chart', () => ({
  createTimeChart: (el: HTMLElement, spec: ChartSpec, options: { width: number }) => {
    drawing.charts.push({ spec });
    const canvas = document.createElement('canvas');
    el.append(canvas);
    return { width: options.width, ctx: { canvas }, series: [], destroy: () => canvas.remove(), setSize: () => {} };
  },
  chartPicture: (_chart: unknown, title: string) => {
    drawing.charts.at(-1)!.title = title;
    return document.createElement('canvas');
  },
  pngOf: async () => new Blob(['\x89PNG'], { type: 'image/png' }),
}));

/** What the page handed to the browser's download: file name and contents. */
let saved: Array<{ name: string; blob: Blob }>;
let rendered: Rendered[];
beforeEach(() => {
  saved = [];
  rendered = [];
  drawing.charts.length = 0;
  const blobs = new Map<string, Blob>();
  URL.createObjectURL = (blob: Blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, blob as Blob);
    return url;
  };
  URL.revokeObjectURL = () => {};
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ name: this.download, blob: blobs.get(this.href)! });
  });
});
afterEach(() => {
  for (const r of rendered) r.unmount();
  vi.restoreAllMocks();
  useAppStore.setState({ ...initialState });
});

async function show(ui: React.ReactNode, db = openDb(), language: 'en' | 'fr' = 'en') {
  const view = await render(ui, { db, actions: {} } as unknown as AppServices, language);
  rendered.push(view);
  return view.container;
}

const figureNamed = (scope: ParentNode, name: string) => {
  const found = [...scope.querySelectorAll('figure')].filter((f) => nameOf(f) === name);
  expect(found, `a figure named ${name}`).toHaveLength(1);
  return found[0]!;
};

const ZONE = 'Europe/Paris';
/** A table row as read cell by cell. */
const cells = (row: Element) => [...row.children].map(textOf).join(' ');
/** The overview's figures: each name with its value. */
const figuresOf = (page: ParentNode) =>
  Object.fromEntries(
    [...page.querySelectorAll('.analytics-figures > div')].map((d) => [
      textOf(d.querySelector('dt')),
      textOf(d.querySelector('dd')),
    ]),
  );

/** Each table's accessible name: aria-label, aria-labelledby, or its caption ('' when none). */
const tableNames = (scope: ParentNode) =>
  [...scope.querySelectorAll('table')].map((table) => {
    const by = table.getAttribute('aria-labelledby');
    if (table.getAttribute('aria-label')) return table.getAttribute('aria-label')!;
    if (by)
      return by
        .split(' ')
        .map((id) => textOf(document.getElementById(id)))
        .join(' ');
    return textOf(table.querySelector('caption'));
  });

describe("a post's history", () => {
  const post = ownPost('p1', '2026-11-02T08:00:00Z', { network: 'mastodon', profileId: 'mastodon:cm' });
  const observations = [
    snapshot(post.id, '2026-11-02T09:00:00Z', { likes: 1, reposts: 0, replies: 0 }),
    snapshot(post.id, '2026-11-02T10:00:00Z', { likes: 5, reposts: 1, replies: 1 }),
    snapshot(post.id, '2026-11-03T10:00:00Z', { likes: 9, reposts: 1, replies: 2 }, 'backfill'),
  ];
  async function archived() {
    const archive = new AnalyticsArchive(openDb());
    await archive.ingest({ posts: [post], snapshots: observations });
    return archive;
  }

  it('draws the counts it has over time and says them in words and in a table', async () => {
    const archive = await archived();
    const page = await show(<PostHistory archive={archive} postId={post.id} zone={ZONE} language="en" />, archive.db);
    await until(() => figureNamed(page, "History of the post's counts"));
    const figure = figureNamed(page, "History of the post's counts");
    const drawn = drawing.charts.at(-1)!.spec;
    expect(drawn.lines.map((l) => [l.key, l.axis, l.values])).toEqual([
      ['likes', 'left', [1, 5, 9]],
      ['reposts', 'left', [0, 1, 1]],
      ['replies', 'left', [0, 1, 2]],
    ]);
    expect(drawn.x).toEqual(observations.map((o) => o.at));
    const summary = textOf(figure.querySelector('.chart-summary'));
    expect(summary).toContain('3 observations from Nov 2, 2026, 10:00 to Nov 3, 2026, 11:00 (time zone Europe/Paris).');
    expect(summary).toContain('Likes: 1 → 9');
    expect(summary).toContain('Replies: 0 → 2');
    expect(summary).toContain('Not known for this post: Quotes, Impressions.');
    // The canvas is named by the figure and described by the words.
    const canvas = figure.querySelector('[role="img"]')!;
    expect(nameOf(canvas)).toBe("History of the post's counts");
    const rows = [...figure.querySelectorAll('table tbody tr')].map(cells);
    expect(rows).toEqual([
      'Nov 2, 2026, 10:00 Collected 1 0 0',
      'Nov 2, 2026, 11:00 Collected 5 1 1',
      'Nov 3, 2026, 11:00 Read back from the network 9 1 2',
    ]);
  });

  it('exports the whole series as CSV and the chart as PNG', async () => {
    const archive = await archived();
    const page = await show(<PostHistory archive={archive} postId={post.id} zone={ZONE} language="en" />, archive.db);
    await until(() => byRole(page, 'button', 'Export series CSV'));
    await click(byRole(page, 'button', 'Export series CSV'));
    expect(saved[0]!.name).toBe('post-history-mastodon_p1.csv');
    const csv = Papa.parse<Record<string, string>>((await saved[0]!.blob.text()).replace(/^\ufeff/, ''), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(csv.map((r) => [r.time, r.source, r.likes, r.quotes])).toEqual([
      ['2026-11-02T10:00:00+01:00', 'collector', '1', ''],
      ['2026-11-02T11:00:00+01:00', 'collector', '5', ''],
      ['2026-11-03T11:00:00+01:00', 'backfill', '9', ''],
    ]);
    await click(byRole(page, 'button', 'Save as PNG'));
    await until(() => expect(saved).toHaveLength(2));
    expect(saved[1]!.name).toBe('post-history-mastodon_p1.png');
    expect(saved[1]!.blob.type).toBe('image/png');
    expect(drawing.charts.at(-1)!.title).toBe("History of the post's counts");
  });

  it('follows the archive: a new observation is drawn and said', async () => {
    const archive = await archived();
    const page = await show(<PostHistory archive={archive} postId={post.id} zone={ZONE} language="en" />, archive.db);
    await until(() => figureNamed(page, "History of the post's counts"));
    await archive.ingest({
      snapshots: [snapshot(post.id, '2026-11-05T10:00:00Z', { likes: 12, reposts: 3, replies: 2 })],
    });
    await until(() => expect(textOf(page)).toContain('4 observations from'));
    expect(textOf(page)).toContain('Likes: 1 → 12');
    expect(drawing.charts.at(-1)!.spec.lines[0]!.values).toEqual([1, 5, 9, 12]);
  });

  it('says when nothing is recorded yet, and when the history cannot be read', async () => {
    const archive = new AnalyticsArchive(openDb());
    await archive.ingest({ posts: [post] });
    const page = await show(<PostHistory archive={archive} postId={post.id} zone={ZONE} language="en" />, archive.db);
    await until(() => expect(textOf(page)).toContain('No count of this post has been recorded yet'));
    expect(page.querySelector('figure')).toBeNull();

    await archive.db.ownPosts.update(post.id, { series: new Uint8Array([9, 9, 9]) });
    const broken = await show(<PostHistory archive={archive} postId={post.id} zone={ZONE} language="en" />, archive.db);
    await until(() => expect(textOf(byRole(broken, 'alert'))).toContain("This post's history could not be read"));
  });

  it('speaks French', async () => {
    const archive = await archived();
    const page = await show(
      <PostHistory archive={archive} postId={post.id} zone={ZONE} language="fr" />,
      archive.db,
      'fr',
    );
    await until(() => figureNamed(page, 'Historique des compteurs de la publication'));
    expect(textOf(page)).toContain('3 relevés, du 2 nov. 2026, 10:00 au 3 nov. 2026, 11:00 (fuseau Europe/Paris).');
    expect(textOf(page)).toContain('J’aime\u202f: 1 → 9');
    expect(byRole(page, 'button', 'Exporter la série en CSV')).toBeTruthy();
  });
});

describe("a profile's overview", () => {
  const DAY = 86_400_000;
  const now = Date.now();
  const at = (daysAgo: number, hourUtc = 8) =>
    new Date(Math.floor((now - daysAgo * DAY) / DAY) * DAY + hourUtc * 3_600_000).toISOString();

  /** Bluesky posts rated against 1,000 followers; two X posts, one imported without impressions. */
  async function indexed() {
    const archive = new AnalyticsArchive(openDb());
    const bsky = [10, 11, 12, 40, 200].map((d, i) => ownPost(`b${i}`, at(d), { text: `Bluesky post ${i}` }));
    const x = [5, 6].map((d, i) =>
      ownPost(`x${i}`, at(d), { network: 'x', profileId: 'x:42', handle: 'cm_x', text: `X post ${i}` }),
    );
    await archive.ingest({
      posts: [...bsky, ...x],
      snapshots: [
        ...bsky.map((p, i) =>
          snapshot(p.id, new Date(p.createdAt + DAY).toISOString(), {
            likes: 10 * (i + 1),
            reposts: i,
            replies: 0,
            quotes: 0,
          }),
        ),
        snapshot(x[0]!.id, new Date(x[0]!.createdAt + DAY).toISOString(), {
          likes: 50,
          reposts: 10,
          replies: 5,
          quotes: 0,
          impressions: 1000,
        }),
        snapshot(x[1]!.id, new Date(x[1]!.createdAt + DAY).toISOString(), { likes: 7, reposts: 2 }, 'x-archive'),
      ],
      followers: [followers('bluesky:cm', at(400).slice(0, 10), 1000)],
    });
    return { archive, index: await AnalyticsIndex.load(archive) };
  }

  it('gives the period figures with the formulas, and counts posts without a rate apart', async () => {
    const { archive, index } = await indexed();
    const opened: string[] = [];
    const page = await show(
      <ProfileOverview index={index} zone={ZONE} language="en" onOpenPost={(id) => opened.push(id)} />,
      archive.db,
    );
    // The last 90 days by default: 4 Bluesky posts and 2 X posts.
    expect(figuresOf(page)).toMatchObject({
      Posts: '6',
      // Rates: 1 %, 2.1 %, 3.2 %, 4.3 % (Bluesky) and 6.5 % (X): one mean per formula, never
      // a mean of rates per impression and per follower together.
      'Average rate per impression': '6.5% over 1 rated post',
      'Average rate per follower': '2.65% over 4 rated posts',
    });
    expect(figuresOf(page)['Average engagement rate']).toBeUndefined();
    expect(textOf(page)).toContain(
      'X: (likes + replies + reposts + quotes + bookmarks + link clicks + profile clicks) ÷ impressions',
    );
    expect(textOf(page)).toContain('Bluesky, Mastodon and Sandbox: (likes + reposts + replies + quotes) ÷ followers');
    expect(textOf(page.querySelector('.analytics-partial'))).toContain('X: 1 post without impressions');

    expect(tableNames(page).every((name) => name !== '')).toBe(true);
    await type(byRole(page, 'combobox', 'Period'), 'all');
    expect(figuresOf(page).Posts).toBe('7');
    await type(byRole(page, 'combobox', 'Profile'), 'x:42');
    expect(figuresOf(page).Posts).toBe('2');

    // The top posts open their history.
    await type(byRole(page, 'combobox', 'Profile'), '');
    const byRate = page.querySelector('.analytics-columns section')!;
    expect(textOf(byRate.querySelector('h3'))).toBe('Top posts by engagement rate');
    await until(() => expect(textOf(byRate.querySelector('li'))).toContain('X post 0'));
    await click(allByRole(byRate, 'button', 'History')[0]!);
    expect(opened).toEqual(['x:x0']);
  });

  it('charts likes and reposts per post by week or by month, with the data as a table', async () => {
    const { archive, index } = await indexed();
    const page = await show(<ProfileOverview index={index} zone={ZONE} language="en" />, archive.db);
    const weekly = figureNamed(page, 'Likes and reposts per post, by week');
    const spec = drawing.charts.at(-1)!.spec;
    expect(spec.lines.map((l) => l.key)).toEqual(['likesPerPost', 'repostsPerPost']);
    expect(spec.x.length).toBeGreaterThanOrEqual(6);
    const rows = weekly.querySelectorAll('table tbody tr');
    expect(rows.length).toBe(spec.x.length);
    await type(byRole(page, 'combobox', 'Chart'), 'month');
    figureNamed(page, 'Likes and reposts per post, by month');
    await click(byRole(page, 'button', 'Export CSV'));
    expect(saved[0]!.name).toBe('overview-all-90d-month.csv');
  });

  it('shows the best times as a 7 × 24 table and says the best in words', async () => {
    const archive = new AnalyticsArchive(openDb());
    // Three Tuesday 9:00 (Paris) posts at 6 %, three Friday 18:00 posts at 2 %: enough to tell.
    const tuesdays = ['2026-11-03T08:10:00Z', '2026-11-10T08:20:00Z', '2026-11-17T08:30:00Z'];
    const fridays = ['2026-11-06T17:10:00Z', '2026-11-13T17:10:00Z', '2026-11-20T17:10:00Z'];
    const posts = [...tuesdays, ...fridays].map((t, i) => ownPost(`t${i}`, t));
    await archive.ingest({
      posts,
      snapshots: posts.map((p, i) =>
        snapshot(p.id, new Date(p.createdAt + 3_600_000).toISOString(), {
          likes: i < 3 ? 60 : 20,
          reposts: 0,
          replies: 0,
          quotes: 0,
        }),
      ),
      followers: [followers('bluesky:cm', '2026-01-01', 1000)],
    });
    const index = await AnalyticsIndex.load(archive);
    const page = await show(<ProfileOverview index={index} zone={ZONE} language="en" />, archive.db);
    await type(byRole(page, 'combobox', 'Period'), 'all');
    const section = page.querySelector('.best-times')!;
    expect(textOf(section.querySelector('p'))).toBe(
      'Best times (time zone Europe/Paris): Tuesday 09:00–10:00, 6.0% over 3 posts; Friday 18:00–19:00, 2.0% over 3 posts.',
    );
    const table = section.querySelector('table')!;
    expect(table.querySelectorAll('tbody tr')).toHaveLength(7);
    expect(table.querySelectorAll('thead th')).toHaveLength(24);
    const tuesday = table.querySelectorAll('tbody tr')[1]!;
    expect(textOf(tuesday.querySelector('th'))).toBe('Tue');
    expect(textOf(tuesday.querySelectorAll('td')[9]!)).toBe('6.0% average, 3 posts');
    expect(tuesday.querySelectorAll('td')[9]!.className).toContain('heat-4');
    expect(textOf(tuesday.querySelectorAll('td')[10]!)).toBe('no post');
  });

  it('asks for both dates of a custom period, and takes them in the zone', async () => {
    const { archive, index } = await indexed();
    const page = await show(<ProfileOverview index={index} zone={ZONE} language="en" />, archive.db);
    await type(byRole(page, 'combobox', 'Period'), 'custom');
    expect(textOf(page)).toContain('Choose a start date and an end date on or after it.');
    const day = (iso: string) => iso.slice(0, 10);
    // From the 12-day-old post's day to the 10-day-old one's, both included.
    await type(page.querySelector<HTMLInputElement>('input[type="date"]')!, day(at(12)));
    await type(page.querySelectorAll<HTMLInputElement>('input[type="date"]')[1]!, day(at(10)));
    expect(figuresOf(page).Posts).toBe('3');
  });
});

describe('monitored hashtags', () => {
  const author = (handle: string) => ({
    id: `bluesky:${handle}`,
    network: 'bluesky' as const,
    handle,
    displayName: handle.toUpperCase(),
    avatarUrl: null,
    url: null,
  });
  const post = (id: string, at: string, text: string, handle: string, likes: number): Post => ({
    id: `bluesky:${id}`,
    network: 'bluesky',
    nativeId: id,
    author: author(handle),
    text,
    entities: [...text.matchAll(/#(\w+)/g)].map((m) => ({
      kind: 'hashtag' as const,
      start: m.index,
      end: m.index + m[0].length,
      value: m[1]!,
    })),
    media: [],
    createdAt: at,
    url: null,
    metrics: { likes, reposts: 1, replies: 0, quotes: 0, impressions: null },
  });

  it('lists each monitored hashtag with the period its posts cover, and details one', async () => {
    const db = openDb();
    useAppStore.setState({
      layout: {
        activeDeckId: 'd',
        decks: [
          {
            id: 'd',
            name: 'D',
            columns: [
              {
                id: 'mon',
                kind: 'monitor',
                profileId: 'bluesky:cm',
                width: 340,
                monitor: { hashtags: ['velo', 'ebike'], keywords: ['cargo'], exclude: [], profileIds: ['bluesky:cm'] },
              },
            ],
          },
        ],
      },
    });
    const posts = [
      post('1', '2026-11-02T09:00:00Z', 'Out on the #velo', 'ana', 5),
      post('2', '2026-11-02T10:00:00Z', 'Again #velo', 'ana', 50),
      post('3', '2026-11-04T10:00:00Z', 'My #velo', 'bob', 1),
      post('4', '2026-11-04T11:00:00Z', 'A cargo bike', 'cyd', 99),
    ];
    await storeColumnEntries(
      db,
      'mon',
      posts.map((p) => ({ key: p.id, at: p.createdAt, post: p })),
    );
    const page = await show(<HashtagAnalytics zone={ZONE} language="en" />, db);
    await until(() => expect(page.querySelectorAll('.analytics-table').length).toBe(2));
    const overview = [...page.querySelectorAll('.analytics-table')[0]!.querySelectorAll('tbody tr')].map(cells);
    expect(overview).toEqual(['#velo 3 Nov 2, 2026 – Nov 4, 2026', '#ebike 0 —']);
    expect(textOf(page)).toContain(
      '3 posts by 2 authors, collected from Nov 2, 2026, 10:00 to Nov 4, 2026, 11:00 (time zone Europe/Paris) on Bluesky.',
    );
    expect(textOf(figureNamed(page, 'Posts with #velo per day'))).toContain(
      'Busiest day: Nov 2, 2026, 2 posts (over 3 days).',
    );
    expect(drawing.charts.at(-1)!.spec.lines[0]!.values).toEqual([2, 0, 1]);
    const top = [...page.querySelectorAll('.top-posts li')].map(textOf);
    expect(top[0]).toContain('Again #velo');
    expect(top).toHaveLength(3); // the keyword-only post is not a #velo post
    const contributors = [...page.querySelectorAll('.analytics-table')[1]!.querySelectorAll('tbody tr')].map(cells);
    expect(contributors).toEqual(['ANA @ana 2 57', 'BOB @bob 1 2']);
    // Every table is named: the overview by its caption, a chart's data by the chart's title,
    // the contributors by their heading.
    expect(tableNames(page)).toEqual([
      'Monitored hashtags and the posts collected for each',
      'Posts with #velo per day',
      'Top contributors',
    ]);

    await click(byRole(page, 'button', '#ebike'));
    expect(textOf(page)).toContain('No post with #ebike collected yet.');
  });

  it('says a single day of posts by one author in the singular where it is one, in English and French', async () => {
    const db = openDb();
    useAppStore.setState({
      layout: {
        activeDeckId: 'd',
        decks: [
          {
            id: 'd',
            name: 'D',
            columns: [{ id: 'tag', kind: 'hashtag', profileId: 'bluesky:cm', width: 340, query: 'velo' }],
          },
        ],
      },
    });
    const posts = [
      post('1', '2026-11-02T09:00:00Z', 'Out on the #velo', 'ana', 1),
      post('2', '2026-11-02T10:00:00Z', 'Again #velo', 'ana', 50),
    ];
    await storeColumnEntries(
      db,
      'tag',
      posts.map((p) => ({ key: p.id, at: p.createdAt, post: p })),
    );
    const page = await show(<HashtagAnalytics zone={ZONE} language="en" />, db);
    const figure = await (async () => {
      await until(() => figureNamed(page, 'Posts with #velo per day'));
      return figureNamed(page, 'Posts with #velo per day');
    })();
    // One bar, a day long: the axis pads a day either side (time-chart.test.ts).
    expect(drawing.charts.at(-1)!.spec).toMatchObject({ period: 'day', x: [Date.parse('2026-11-02T00:00:00+01:00')] });
    expect(textOf(page)).toContain('2 posts by 1 author, collected from');
    expect(textOf(figure)).toContain('2 posts, all on Nov 2, 2026.');
    expect(cells(page.querySelector('.analytics-table tbody tr')!)).toBe('#velo 2 Nov 2, 2026');
    const top = [...page.querySelectorAll('.top-posts li')].map(textOf);
    expect(top[1]).toContain('1 like, 1 repost');

    const french = await show(<HashtagAnalytics zone={ZONE} language="fr" />, db, 'fr');
    await until(() => expect(textOf(french)).toContain('2 publications de 1 auteur, recueillies du'));
    expect(textOf(french)).toContain('2 publications, toutes le 2 nov. 2026.');
    expect([...french.querySelectorAll('.top-posts li')].map(textOf)[0]).toContain('50 j’aime, 1 partage');
  });

  it('says when no hashtag is monitored', async () => {
    useAppStore.setState({ layout: { activeDeckId: 'd', decks: [{ id: 'd', name: 'D', columns: [] }] } });
    const page = await show(<HashtagAnalytics zone={ZONE} language="en" />);
    expect(textOf(page)).toContain('No hashtag is monitored.');
  });
});
