// Importing an X data archive: the zip X delivers (generated in X's own format by
// tests/support/archive-fixtures.ts), an older one, a lone data/tweets.js, and damaged ones.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { AnalyticsArchive } from '../../../../../src/renderer/analytics/archive-store';
import { runImport } from '../../../../../src/renderer/analytics/import/run-import';
import { ArchiveImportError, type ImportProgress } from '../../../../../src/renderer/analytics/import/types';
import { parseXDate } from '../../../../../src/renderer/analytics/import/x-archive';
import {
  buildXArchiveZip,
  generatedRetweets,
  generateXTweets,
  xArchiveFiles,
  xPartPath,
  xTweet,
  type XArchiveSpec,
} from '../../../../support/archive-fixtures';
import { openDb } from '../../drafts/db';
import { MemorySink } from './memory-sink';

const GENERATED = '2025-01-22T05:46:38.082Z';
const ACCOUNT = { accountId: '1400000000000000001', username: 'colonnade_cm' };
const AT = (iso: string) => Date.parse(iso);

const blobOf = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' });

async function archive(spec: Partial<XArchiveSpec> & { parts: unknown[][] }): Promise<Blob> {
  return blobOf(await buildXArchiveZip({ ...ACCOUNT, generationDate: GENERATED, ...spec }));
}

/** A few posts of each kind the importer tells apart. */
function variety(): unknown[] {
  return [
    xTweet({
      id: '1880000000000000010',
      at: AT('2025-01-20T09:30:00Z'),
      text: 'Launch day! Q&A at 5 <3 #Launch #community',
      likes: 120,
      reposts: 14,
      hashtags: ['Launch', 'community'],
      media: true,
      mediaOwner: ACCOUNT.username,
    }),
    xTweet({ id: '1880000000000000009', at: AT('2025-01-19T18:00:00Z'), text: 'A retweet', retweet: true, likes: 0 }),
    xTweet({
      id: '1880000000000000008',
      at: AT('2025-01-18T08:00:00Z'),
      text: '@someone thanks!',
      likes: 3,
      reposts: 0,
      replyTo: '1870000000000000001',
    }),
    xTweet({
      id: '1880000000000000007',
      at: AT('2025-01-17T08:00:00Z'),
      text: 'This is worth reading https://t.co/QuOtEqUoTe',
      likes: 9,
      reposts: 2,
      quoteOf: { id: '1222222222222222222', username: 'friend' },
    }),
  ];
}

describe('importing an X archive', () => {
  it('keeps every own post of a two-part archive with its counts at the archive date, and skips retweets', async () => {
    const tweets = generateXTweets(40, ACCOUNT);
    const sink = new MemorySink();
    const report = await runImport(
      await archive({ parts: [variety(), tweets.slice(0, 20), tweets.slice(20)], followers: 2345 }),
      'twitter-2025-01-22.zip',
      sink,
    );

    const retweets = 1 + generatedRetweets(40);
    expect(report).toMatchObject({
      network: 'x',
      profile: { id: 'x:1400000000000000001', handle: 'colonnade_cm', linked: true },
      observedAt: AT(GENERATED),
      postsRead: 44 - retweets,
      postsImported: 44 - retweets,
      duplicates: 0,
      skippedReposts: retweets,
      snapshots: 44 - retweets,
      problems: [],
    });
    expect(sink.posts.size).toBe(44 - retweets);
    expect(sink.posts.has('x:1880000000000000009')).toBe(false);

    expect(sink.posts.get('x:1880000000000000010')).toEqual({
      id: 'x:1880000000000000010',
      network: 'x',
      profileId: 'x:1400000000000000001',
      handle: 'colonnade_cm',
      createdAt: AT('2025-01-20T09:30:00Z'),
      text: 'Launch day! Q&A at 5 <3 #Launch #community',
      hashtags: ['Launch', 'community'],
      hasMedia: true,
      isReply: false,
      isQuote: false,
      url: 'https://x.com/colonnade_cm/status/1880000000000000010',
    });
    expect(sink.posts.get('x:1880000000000000008')).toMatchObject({ isReply: true, isQuote: false, hasMedia: false });
    expect(sink.posts.get('x:1880000000000000007')).toMatchObject({ isReply: false, isQuote: true });

    expect(sink.snapshots.get(`x:1880000000000000010|${AT(GENERATED)}|x-archive`)).toEqual({
      postId: 'x:1880000000000000010',
      at: AT(GENERATED),
      values: {
        likes: 120,
        reposts: 14,
        replies: null,
        quotes: null,
        bookmarks: null,
        impressions: null,
        linkClicks: null,
        profileClicks: null,
      },
      source: 'x-archive',
    });
    expect(sink.followers).toEqual([
      { profileId: 'x:1400000000000000001', day: '2025-01-22', followers: 2345, at: AT(GENERATED) },
    ]);
  });

  it('reads the older layout: data/tweet.js, window.YTD.tweet.part0 and tweets without their wrapper', async () => {
    const bare = [
      xTweet({ id: '1100000000000000002', at: AT('2019-05-02T10:00:00Z'), text: 'Old post', likes: 4, bare: true }),
      xTweet({ id: '1100000000000000001', at: AT('2019-05-01T10:00:00Z'), text: 'Older post', likes: 1, bare: true }),
    ];
    const sink = new MemorySink();
    const report = await runImport(await archive({ parts: [bare], singular: true }), 'twitter-2019.zip', sink);
    expect(report.postsImported).toBe(2);
    expect(report.problems).toEqual([]);
    expect([...sink.posts.keys()]).toEqual(['x:1100000000000000002', 'x:1100000000000000001']);
  });

  it('reads an archive kept in a folder inside the zip', async () => {
    const sink = new MemorySink();
    const report = await runImport(
      await archive({ parts: [variety()], root: 'twitter-2025-01-22-abc/' }),
      'a.zip',
      sink,
    );
    expect(report.postsImported).toBe(3);
    expect(report.problems).toEqual([]);
  });

  it('never counts a post twice: importing the same archive again into the analytics archive adds nothing', async () => {
    const store = new AnalyticsArchive(openDb());
    const file = await archive({ parts: [variety(), generateXTweets(30, ACCOUNT)] });

    const first = await runImport(file, 'x.zip', store, { batchSize: 7 });
    const again = await runImport(file, 'x.zip', store, { batchSize: 7 });

    expect(first.postsImported).toBe(first.postsRead);
    expect(first.duplicates).toBe(0);
    expect(again).toMatchObject({ postsRead: first.postsRead, postsImported: 0, duplicates: first.postsRead });
    const [launch] = await store.posts(['x:1880000000000000010']);
    expect(launch).toMatchObject({ points: 1, latest: { likes: 120, reposts: 14 } });
    expect(await store.db.ownPosts.count()).toBe(first.postsRead);
  });

  it('hands the archive over in batches of at most batchSize posts', async () => {
    const sink = new MemorySink();
    await runImport(await archive({ parts: [generateXTweets(95, ACCOUNT)] }), 'x.zip', sink, { batchSize: 10 });
    expect(sink.batches.length).toBeGreaterThan(8);
    expect(Math.max(...sink.batches.map((b) => b.posts.length))).toBe(10);
  });

  it('reports progress: items and bytes only grow and reach their totals', async () => {
    const progress: ImportProgress[] = [];
    const tweets = generateXTweets(60, ACCOUNT);
    await runImport(await archive({ parts: [tweets.slice(0, 30), tweets.slice(30)] }), 'x.zip', new MemorySink(), {
      batchSize: 10,
      onProgress: (p) => progress.push(p),
    });
    expect(progress.length).toBeGreaterThan(5);
    for (let i = 1; i < progress.length; i += 1) {
      expect(progress[i]!.itemsDone).toBeGreaterThanOrEqual(progress[i - 1]!.itemsDone);
      expect(progress[i]!.bytesDone).toBeGreaterThanOrEqual(progress[i - 1]!.bytesDone);
      expect(progress[i]!.postsSaved).toBeGreaterThanOrEqual(progress[i - 1]!.postsSaved);
      expect(progress[i]!.postsSaved).toBeLessThanOrEqual(progress[i]!.postsRead);
    }
    const last = progress.at(-1)!;
    expect(last.itemsTotal).toBe(60);
    expect(last.itemsDone).toBe(60);
    expect(last.postsSaved).toBe(60 - generatedRetweets(60));
    expect(last.bytesDone).toBe(last.bytesTotal);
    expect(progress.some((p) => p.phase === 'importing' && p.itemsDone < 60)).toBe(true);
  });
});

describe('a lone data/tweets.js', () => {
  const loneFile = (items: unknown[], name = 'tweets.js') =>
    new File([xArchiveFiles({ ...ACCOUNT, generationDate: GENERATED, parts: [items] })[xPartPath(0)]!], name, {
      lastModified: AT('2025-01-23T10:00:00Z'),
    });

  it('finds its account from a connected profile named in its own media links, and dates counts by the file', async () => {
    const sink = new MemorySink();
    const report = await runImport(loneFile(variety()), 'tweets.js', sink, {
      knownProfiles: [
        { id: 'x:999', network: 'x', handle: 'someone_else' },
        { id: 'x:1400000000000000001', network: 'x', handle: 'Colonnade_CM' },
      ],
    });
    expect(report.profile).toEqual({ id: 'x:1400000000000000001', handle: 'colonnade_cm', linked: true });
    expect(report.postsImported).toBe(3);
    expect(report.observedAt).toBe(AT('2025-01-23T10:00:00Z'));
    expect(report.problems).toEqual([{ where: { file: 'tweets.js' }, why: 'date-from-file' }]);
    expect([...sink.snapshots.values()].every((s) => s.at === AT('2025-01-23T10:00:00Z'))).toBe(true);
  });

  it('finds its account id from a thread (a reply to oneself) when no profile is connected', async () => {
    const report = await runImport(loneFile(generateXTweets(30, ACCOUNT)), 'tweets.js', new MemorySink());
    expect(report.profile.id).toBe('x:1400000000000000001');
  });

  it('says so when it cannot tell whose posts they are', async () => {
    const items = [xTweet({ id: '5', at: AT('2025-01-01T00:00:00Z'), text: 'no media, no thread' })];
    const error = await runImport(loneFile(items), 'tweets.js', new MemorySink()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveImportError);
    expect((error as ArchiveImportError).code).toBe('x-account-unknown');
  });

  it('strips the assignment however it is written', async () => {
    const at = AT('2025-01-01T00:00:00Z');
    const item = JSON.stringify([xTweet({ id: '7', at, text: 'hi', media: true, mediaOwner: 'colonnade_cm' })]);
    const knownProfiles = [{ id: 'x:1400000000000000001', network: 'x', handle: 'colonnade_cm' }];
    for (const text of [
      `window.YTD.tweets.part0=${item};`,
      `\uFEFFwindow.YTD.tweets.part0 =\r\n${item}\r\n`,
      `window.YTD.tweet.part0 = ${item}`,
      `  window.YTD.tweets.part12 = ${item}`,
    ]) {
      const sink = new MemorySink();
      const report = await runImport(new File([text], 'tweets.js'), 'tweets.js', sink, { knownProfiles });
      expect(report.postsImported).toBe(1);
      expect(sink.posts.get('x:7')?.createdAt).toBe(at);
    }
  });
});

describe('a damaged X archive', () => {
  it('keeps what it can read and says which file, which post and why for the rest', async () => {
    const part0 = variety();
    // One post with a date that does not exist, one whose text is not JSON.
    part0.push(
      xTweet({ id: '1880000000000000006', at: 0, text: 'bad date', createdAtText: 'Wed Feb 31 10:00:00 +0000 2021' }),
    );
    part0.push(
      xTweet({ id: '1880000000000000005', at: AT('2025-01-10T08:00:00Z'), text: 'fine after the bad one', likes: 2 }),
    );
    const part1 = generateXTweets(10, { ...ACCOUNT, firstId: 1_700_000_000_000_000_000n });
    const spec: XArchiveSpec = {
      ...ACCOUNT,
      generationDate: GENERATED,
      parts: [part0, part1, generateXTweets(5, { ...ACCOUNT, firstId: 1_600_000_000_000_000_000n })],
      damage: {
        // A broken item in the middle of part 0 (a missing comma between two fields).
        [xPartPath(0)]: (text) => text.replace('"id_str" : "1880000000000000008",', '"id_str" : "1880000000000000008"'),
        // Part 1 cut short in the middle of its 7th post.
        [xPartPath(1)]: (text) => {
          let at = -1;
          for (let k = 0; k < 7; k += 1) at = text.indexOf('"tweet" :', at + 1);
          return text.slice(0, at + 200);
        },
      },
      omit: [xPartPath(2)],
    };
    const sink = new MemorySink();
    const report = await runImport(blobOf(await buildXArchiveZip(spec)), 'x.zip', sink);

    expect(report.problems).toEqual(
      expect.arrayContaining([
        { where: { file: xPartPath(0), item: 2 }, why: 'item-unreadable', params: { detail: expect.any(String) } },
        {
          where: { file: xPartPath(0), item: 4, id: '1880000000000000006' },
          why: 'item-bad-date',
          params: { value: 'Wed Feb 31 10:00:00 +0000 2021' },
        },
        { where: { file: xPartPath(1) }, why: 'file-truncated', params: { count: 6 } },
        { where: { file: xPartPath(1) }, why: 'file-short', params: { count: 6, expected: 10 } },
        { where: { file: xPartPath(2) }, why: 'file-missing' },
      ]),
    );
    expect(report.problems).toHaveLength(5);
    // Part 0: launch, quote, the post after the bad one (the retweet skipped); part 1: its first 6
    // items (generated retweets are every 10th from the 10th: none of them).
    expect(sink.posts.has('x:1880000000000000010')).toBe(true);
    expect(sink.posts.has('x:1880000000000000005')).toBe(true);
    expect(sink.posts.has('x:1880000000000000006')).toBe(false);
    expect(report.postsRead).toBe(3 + 6);
  });

  it('finds a missing part by the gap in the parts when there is no manifest', async () => {
    const spec: XArchiveSpec = {
      ...ACCOUNT,
      generationDate: GENERATED,
      parts: [
        variety(),
        generateXTweets(3, ACCOUNT),
        generateXTweets(3, { ...ACCOUNT, firstId: 1_500_000_000_000_000_000n }),
      ],
      noManifest: true,
      omit: [xPartPath(1)],
    };
    const report = await runImport(blobOf(await buildXArchiveZip(spec)), 'x.zip', new MemorySink());
    expect(report.problems).toEqual(
      expect.arrayContaining([
        { where: { file: xPartPath(1) }, why: 'file-missing' },
        { where: { file: xPartPath(0) }, why: 'date-from-file' },
      ]),
    );
    // Counts are dated by the zip entry's date (the archive's generation, when X wrote it).
    expect(report.observedAt).toBe(Math.floor(AT(GENERATED) / 2000) * 2000);
    expect(report.postsRead).toBe(6);
  });

  it('refuses what is not an archive, an older Mastodon .tar.gz, and a zip cut before anything can be read, in words', async () => {
    const notArchive = await runImport(new File(['hello'], 'notes.txt'), 'notes.txt', new MemorySink()).catch((e) => e);
    expect(notArchive).toMatchObject({ code: 'not-an-archive' });

    const gz = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
    const tarGz = await runImport(new Blob([gz]), 'archive.tar.gz', new MemorySink()).catch((e) => e);
    expect(tarGz).toMatchObject({ code: 'tar-gz' });

    const whole = await buildXArchiveZip({ ...ACCOUNT, generationDate: GENERATED, parts: [variety()] });
    // Cut inside the first entry's local header: not one entry to read.
    const cut = await runImport(blobOf(whole.slice(0, 20)), 'x.zip', new MemorySink()).catch((e) => e);
    expect(cut).toMatchObject({ code: 'zip-damaged' });
  });
});

describe('an X archive cut short (an incomplete download: no central directory)', () => {
  const part0 = generateXTweets(30, ACCOUNT);
  const part1 = generateXTweets(30, { ...ACCOUNT, firstId: 1_700_000_000_000_000_000n });
  const ownIds = (items: unknown[]) =>
    items
      .map((item) => (item as { tweet: { id_str: string; full_text: string } }).tweet)
      .filter((tweet) => !tweet.full_text.startsWith('RT @'))
      .map((tweet) => `x:${tweet.id_str}`);
  const whole = () => buildXArchiveZip({ ...ACCOUNT, generationDate: GENERATED, parts: [part0, part1] });
  /** Where an entry's local header starts in the zip. */
  const entryAt = (zip: Uint8Array, path: string) => Buffer.from(zip).indexOf(path) - 30;

  it('keeps the posts of the complete entries and of the cut one up to the cut (cut at 50%)', async () => {
    const zip = await whole();
    const cutAt = Math.floor(zip.length / 2);
    // The fixture's half falls inside data/tweets-part1.js (data/tweets.js is whole before it).
    expect(entryAt(zip, xPartPath(1))).toBeLessThan(cutAt);
    expect(entryAt(zip, 'data/account.js')).toBeGreaterThan(cutAt);
    const sink = new MemorySink();
    const report = await runImport(blobOf(zip.slice(0, cutAt)), 'twitter.zip', sink);

    const kept = report.problems.find((p) => p.why === 'file-truncated');
    expect(kept).toEqual({
      where: { file: xPartPath(1) },
      why: 'file-truncated',
      params: { count: expect.any(Number) },
    });
    const count = Number(kept?.params?.count);
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(30);
    // Account and manifest were after the cut: the account is read from the posts, counts dated
    // by the entries' date.
    expect(report.problems).toEqual([
      {
        where: { file: 'twitter.zip' },
        why: 'zip-incomplete',
        params: { count: expect.any(Number), entry: xPartPath(1) },
      },
      { where: { file: 'data/account.js' }, why: 'account-unreadable' },
      { where: { file: xPartPath(0) }, why: 'date-from-file' },
      kept,
    ]);
    expect(report.profile).toEqual({ id: 'x:1400000000000000001', handle: 'colonnade_cm', linked: true });
    const expected = [...ownIds(part0), ...ownIds(part1.slice(0, count))];
    expect(report.postsRead).toBe(expected.length);
    expect(report.postsImported).toBe(expected.length);
    expect([...sink.posts.keys()].sort()).toEqual(expected.sort());
  });

  it('keeps what it read of data/tweets-part1.js when the file ends inside it, at any point', async () => {
    const zip = await whole();
    const start = entryAt(zip, xPartPath(1));
    const end = entryAt(zip, 'data/account.js');
    let previous = -1;
    for (const fraction of [0.25, 0.6, 0.95]) {
      const cutAt = start + Math.floor((end - start) * fraction);
      const report = await runImport(blobOf(zip.slice(0, cutAt)), 'twitter.zip', new MemorySink());
      const count = Number(report.problems.find((p) => p.why === 'file-truncated')?.params?.count ?? -1);
      expect(count).toBeGreaterThan(previous);
      previous = count;
      expect(report.postsRead).toBe(ownIds(part0).length + ownIds(part1.slice(0, count)).length);
    }
  });

  it('reads every post when only the end (manifest, media, directory) is missing', async () => {
    const zip = await whole();
    const inManifest = entryAt(zip, 'data/manifest.js') + 100;
    const report = await runImport(blobOf(zip.slice(0, inManifest)), 'twitter.zip', new MemorySink());
    expect(report.postsRead).toBe(ownIds(part0).length + ownIds(part1).length);
    expect(report.problems.map((p) => p.why)).toEqual(['zip-incomplete', 'manifest-unreadable', 'date-from-file']);

    // Only the central directory lost: everything is read, nothing is missing.
    const noDirectory = await runImport(blobOf(zip.slice(0, zip.length - 200)), 'twitter.zip', new MemorySink());
    expect(noDirectory.postsRead).toBe(ownIds(part0).length + ownIds(part1).length);
    expect(noDirectory.observedAt).toBe(AT(GENERATED));
    expect(noDirectory.problems).toEqual([]);
  });
});

describe('X dates', () => {
  it("reads X's created_at and refuses dates that do not exist", () => {
    expect(parseXDate('Wed Oct 10 20:19:24 +0000 2018')).toBe(Date.UTC(2018, 9, 10, 20, 19, 24));
    expect(parseXDate('Wed Oct 10 22:19:24 +0200 2018')).toBe(Date.UTC(2018, 9, 10, 20, 19, 24));
    expect(parseXDate('2018-10-10T20:19:24.000Z')).toBe(Date.UTC(2018, 9, 10, 20, 19, 24));
    expect(parseXDate('Wed Feb 31 10:00:00 +0000 2021')).toBeNull();
    expect(parseXDate('yesterday')).toBeNull();
    expect(parseXDate(1539202764)).toBeNull();
  });
});
