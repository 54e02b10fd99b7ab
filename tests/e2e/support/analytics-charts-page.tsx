// A page of its own for the analytics charts (PostHistory, ProfileOverview, HashtagAnalytics) in
// Chromium: the renderer's modules unchanged, on a real IndexedDB, under the app's CSP, with a
// generated archive (two profiles, a year and more of posts) and a deck monitoring hashtags.
// tests/e2e/analytics-charts.spec.ts bundles it with Vite and serves it; `?lang=fr` for French.
/// <reference types="vite/client" />
import '../../../src/renderer/styles.css';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import type { FollowerCount, MetricSnapshot, OwnPost } from '../../../src/shared/analytics';
import type { Layout, Post, Profile, TimelineEntry } from '../../../src/shared/model';
import { AnalyticsArchive } from '../../../src/renderer/analytics/archive-store';
import { AnalyticsIndex } from '../../../src/renderer/analytics/query';
import { HashtagAnalytics } from '../../../src/renderer/components/analytics/HashtagAnalytics';
import { PostHistory } from '../../../src/renderer/components/analytics/PostHistory';
import { ProfileOverview } from '../../../src/renderer/components/analytics/ProfileOverview';
import { ServicesContext, type AppServices } from '../../../src/renderer/components/context';
import { openDatabase, storeColumnEntries } from '../../../src/renderer/db/database';
import { createI18n } from '../../../src/renderer/i18n';
import { useAppStore } from '../../../src/renderer/state/store';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZONE = 'Europe/Paris';
/** The history chart's post: an X post with 30 observations, impressions known. */
export const HISTORY_POST = 'x:1900000000000000001';

/** mulberry32: the same data on every run. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROFILES = [
  { id: 'x:42', network: 'x', handle: 'velolyon' },
  { id: 'bluesky:did:plc:velolyon', network: 'bluesky', handle: 'velolyon.bsky.social' },
] as const;

/** Own posts over 420 days: more at 9 and 18 h, Tuesday 9 h doing best. */
function ownArchive(now: number) {
  const rand = random(7);
  const posts: OwnPost[] = [];
  const snapshots: MetricSnapshot[] = [];
  for (let i = 0; i < 700; i++) {
    const profile = PROFILES[i % 2]!;
    const day = Math.floor(rand() * 420) + 1;
    const hour = rand() < 0.5 ? (rand() < 0.5 ? 9 : 18) : Math.floor(rand() * 24);
    const createdAt = Math.floor((now - day * DAY) / DAY) * DAY + (hour - 1) * HOUR + Math.floor(rand() * 50) * 60_000;
    const tuesday9 = new Date(createdAt).getUTCDay() === 2 && hour === 9;
    const id = `${profile.network}:${1_800_000_000 + i}`;
    posts.push({
      id,
      network: profile.network,
      profileId: profile.id,
      handle: profile.handle,
      createdAt,
      text: `Post ${i}: riding through Lyon #velo`,
      hashtags: ['velo'],
      hasMedia: rand() < 0.3,
      isReply: false,
      isQuote: false,
      url: null,
    });
    const likes = Math.floor((tuesday9 ? 120 : 30) * (0.5 + rand()));
    // An imported X post (no impressions) now and then: partial data, said apart.
    const imported = profile.network === 'x' && i % 25 === 0;
    for (const [k, h] of [1, 6, 24, 72, 168].entries()) {
      if (imported && k < 4) continue;
      const f = 1 - Math.exp(-h / 12);
      snapshots.push({
        postId: id,
        at: createdAt + h * HOUR,
        source: imported ? 'x-archive' : 'collector',
        values: {
          likes: Math.floor(likes * f),
          reposts: Math.floor(likes * 0.25 * f),
          replies: Math.floor(likes * 0.1 * f),
          quotes: Math.floor(likes * 0.03 * f),
          bookmarks: profile.network === 'x' && !imported ? Math.floor(likes * 0.05 * f) : null,
          impressions: profile.network === 'x' && !imported ? Math.floor(likes * 40 * f) : null,
          linkClicks: null,
          profileClicks: null,
        },
      });
    }
  }
  // The history chart's post: 40 days old, 30 observations, dense while young.
  const createdAt = now - 40 * DAY;
  posts.push({
    id: HISTORY_POST,
    network: 'x',
    profileId: 'x:42',
    handle: 'velolyon',
    createdAt,
    text: 'The new cargo bike lands on Monday #velo #Lyon',
    hashtags: ['velo', 'Lyon'],
    hasMedia: true,
    isReply: false,
    isQuote: false,
    url: null,
  });
  const hours = [1, 2, 3, 4, 6, 8, 10, 12, 16, 20, 24, 30, 36, 42, 48, 72, 96, 120, 144, 168, 192, 240, 288, 336, 432];
  hours.push(528, 624, 720, 840, 936);
  for (const h of hours) {
    const f = 1 - Math.exp(-h / 20);
    snapshots.push({
      postId: HISTORY_POST,
      at: createdAt + h * HOUR,
      source: 'collector',
      values: {
        likes: Math.floor(480 * f),
        reposts: Math.floor(96 * f),
        replies: Math.floor(41 * f),
        quotes: Math.floor(12 * f),
        bookmarks: Math.floor(30 * f),
        impressions: Math.floor(24_000 * f),
        linkClicks: h <= 720 ? Math.floor(300 * f) : null,
        profileClicks: h <= 720 ? Math.floor(90 * f) : null,
      },
    });
  }
  const followers: FollowerCount[] = [];
  for (let d = 430; d >= 0; d--) {
    const at = now - d * DAY;
    followers.push({
      profileId: PROFILES[1].id,
      day: new Date(at).toISOString().slice(0, 10),
      followers: 2000 + (430 - d) * 3,
      at,
    });
  }
  return { posts, snapshots, followers };
}

function author(i: number): Profile {
  return {
    id: `bluesky:did:plc:author${i}`,
    network: 'bluesky',
    handle: `rider${i}.bsky.social`,
    displayName: `Rider ${i}`,
    avatarUrl: null,
    url: null,
  };
}

function post(i: number, at: number, text: string, tags: string[], likes: number, by: Profile): Post {
  return {
    id: `bluesky:at://tag-post-${i}`,
    network: 'bluesky',
    nativeId: `at://tag-post-${i}`,
    author: by,
    text,
    entities: tags.map((tag) => {
      const start = text.indexOf(`#${tag}`);
      return { kind: 'hashtag' as const, start, end: start + tag.length + 1, value: tag };
    }),
    media: [],
    createdAt: new Date(at).toISOString(),
    url: null,
    metrics: { likes, reposts: Math.floor(likes / 4), replies: 1, quotes: 0, impressions: null },
  };
}

/** A deck monitoring #ebike and #velo (a Monitor column, also matching the keyword "cargo") and #Lyon (a Hashtag column). */
const LAYOUT: Layout = {
  activeDeckId: 'deck-1',
  decks: [
    {
      id: 'deck-1',
      name: 'Monitoring',
      columns: [
        {
          id: 'col-monitor',
          kind: 'monitor',
          profileId: 'bluesky:did:plc:velolyon',
          width: 340,
          monitor: {
            hashtags: ['ebike', 'velo'],
            keywords: ['cargo'],
            exclude: [],
            profileIds: ['bluesky:did:plc:velolyon'],
          },
        },
        { id: 'col-lyon', kind: 'hashtag', profileId: 'bluesky:did:plc:velolyon', query: 'Lyon', width: 340 },
      ],
    },
  ],
};

/** What the hashtag figures must say: posts per tag, authors per tag (keyword-only posts left out). */
type Expected = Record<string, { posts: number; authors: number }>;

async function monitoredPosts(db: ReturnType<typeof openDatabase>, now: number): Promise<Expected> {
  const rand = random(11);
  const authors: Record<string, Set<string>> = { velo: new Set(), ebike: new Set(), lyon: new Set() };
  const count: Record<string, number> = { velo: 0, ebike: 0, lyon: 0 };
  const monitor: TimelineEntry[] = [];
  const lyon: TimelineEntry[] = [];
  for (let i = 0; i < 180; i++) {
    const at = now - Math.floor(rand() * 21 * DAY);
    const by = author(Math.floor(rand() ** 2 * 30));
    const kind = i % 6;
    const likes = Math.floor(rand() ** 3 * 200);
    if (kind === 5) {
      // A keyword match without the tags: the monitor shows it, hashtag figures leave it out.
      monitor.push({
        key: `k${i}`,
        at: new Date(at).toISOString(),
        post: post(i, at, 'A cargo bike, no tag', [], likes, by),
      });
    } else if (kind === 4) {
      lyon.push({
        key: `l${i}`,
        at: new Date(at).toISOString(),
        post: post(i, at, `Sunday in #Lyon`, ['Lyon'], likes, by),
      });
      count.lyon!++;
      authors.lyon!.add(by.id);
    } else {
      const tag = kind < 3 ? 'velo' : 'ebike';
      count[tag]!++;
      authors[tag]!.add(by.id);
      monitor.push({
        key: `m${i}`,
        at: new Date(at).toISOString(),
        post: post(i, at, `Out on the #${tag}`, [tag], likes, by),
      });
    }
  }
  monitor.push({
    key: 'gap:1',
    at: new Date(now - 22 * DAY).toISOString(),
    post: null,
    gap: { id: '1', from: null, to: new Date(now - 21 * DAY).toISOString(), why: 'horizon' },
  });
  await storeColumnEntries(db, 'col-monitor', monitor);
  await storeColumnEntries(db, 'col-lyon', lyon);
  return Object.fromEntries(Object.keys(count).map((k) => [k, { posts: count[k]!, authors: authors[k]!.size }]));
}

declare global {
  interface Window {
    chartsPage?: { archive: AnalyticsArchive; historyPost: string; opened: string[]; expected: Expected };
    chartsPageReady?: boolean;
  }
}

async function main() {
  const params = new URLSearchParams(location.search);
  const language = params.get('lang') === 'fr' ? 'fr' : 'en';
  const only = params.get('only');
  const now = Date.now();
  const db = openDatabase(`charts-page-${now}`);
  const archive = new AnalyticsArchive(db);
  const { posts, snapshots, followers } = ownArchive(now);
  await archive.ingest({ followers });
  for (let i = 0; i < posts.length; i += 500) await archive.ingest({ posts: posts.slice(i, i + 500) });
  for (let i = 0; i < snapshots.length; i += 5000) await archive.ingest({ snapshots: snapshots.slice(i, i + 5000) });
  const expected = await monitoredPosts(db, now);
  useAppStore.setState({ layout: LAYOUT, phase: 'ready' });
  const index = await AnalyticsIndex.load(archive);
  const opened: string[] = [];
  window.chartsPage = { archive, historyPost: HISTORY_POST, opened, expected };
  document.documentElement.lang = language;
  const services = { db, actions: {} } as unknown as AppServices;
  const root = document.getElementById('root')!;
  createRoot(root).render(
    <I18nextProvider i18n={createI18n(language)}>
      <ServicesContext.Provider value={services}>
        <main className="charts-page">
          {(!only || only === 'history') && (
            <PostHistory archive={archive} postId={HISTORY_POST} zone={ZONE} language={language} />
          )}
          {(!only || only === 'overview') && (
            <ProfileOverview index={index} zone={ZONE} language={language} onOpenPost={(id) => opened.push(id)} />
          )}
          {(!only || only === 'hashtags') && <HashtagAnalytics zone={ZONE} language={language} />}
        </main>
      </ServicesContext.Provider>
    </I18nextProvider>,
  );
  window.chartsPageReady = true;
}

void main();
