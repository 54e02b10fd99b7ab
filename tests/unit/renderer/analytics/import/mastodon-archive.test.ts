// Importing a Mastodon account archive: the zip Mastodon delivers (outbox.json, actor.json, media)
// and its outbox.json alone, generated in Mastodon's own format (tests/support/archive-fixtures.ts).
import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../../../../src/renderer/analytics/import/mastodon-archive';
import { runImport } from '../../../../../src/renderer/analytics/import/run-import';
import {
  buildMastodonArchiveZip,
  mastodonAnnounce,
  mastodonCreate,
  mastodonOutbox,
  type MastodonActorSpec,
} from '../../../../support/archive-fixtures';
import { MemorySink } from './memory-sink';

const ALICE: MastodonActorSpec = { host: 'mastodon.example', username: 'alice' };
const EXPORTED = '2025-03-01T08:00:00Z';
const AT = (iso: string) => Date.parse(iso);
const CONNECTED = [{ id: 'mastodon:mastodon.example/109876', network: 'mastodon', handle: 'alice@mastodon.example' }];
const blobOf = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' });

/** Mastodon's HTML for a post with a shortened link, a hashtag and a mention. */
const LAUNCH_HTML =
  '<p>Launch day &amp; Q&amp;A at 5! <a href="https://mastodon.example/tags/Launch" class="mention hashtag" rel="tag">#<span>Launch</span></a></p>' +
  '<p>Notes: <a href="https://example.com/blog/release-notes-2025" target="_blank" rel="nofollow noopener" translate="no">' +
  '<span class="invisible">https://</span><span class="ellipsis">example.com/blog/release-notes</span><span class="invisible">-2025</span></a><br />' +
  'thanks <span class="h-card" translate="no"><a href="https://other.example/@bob" class="u-url mention">@<span>bob</span></a></span></p>';

function outboxItems(): unknown[] {
  return [
    mastodonCreate(ALICE, {
      id: '113000000000000010',
      at: AT('2025-02-20T09:30:00Z'),
      html: LAUNCH_HTML,
      hashtags: ['Launch'],
      media: true,
      likes: 42,
      shares: 7,
    }),
    mastodonAnnounce(
      ALICE,
      '113000000000000009',
      AT('2025-02-19T10:00:00Z'),
      'https://other.example/users/bob/statuses/1',
    ),
    mastodonCreate(ALICE, {
      id: '113000000000000008',
      at: AT('2025-02-18T10:00:00Z'),
      html: '<p>A private word</p>',
      visibility: 'direct',
    }),
    mastodonCreate(ALICE, {
      id: '113000000000000007',
      at: AT('2025-02-17T10:00:00Z'),
      html: '<p>For followers only, a reply</p>',
      visibility: 'private',
      inReplyTo: 'https://other.example/users/bob/statuses/2',
    }),
    mastodonCreate(ALICE, {
      id: '113000000000000006',
      at: AT('2025-02-16T10:00:00Z'),
      html: '<p>Look at this</p><p class="quote-inline">RE: <a href="https://other.example/@bob/3">other.example/@bob/3</a></p>',
      quote: 'https://other.example/users/bob/statuses/3',
    }),
  ];
}

describe('importing a Mastodon archive', () => {
  it('keeps own posts with their text, hashtags, media, replies and quotes; boosts and direct messages are left out', async () => {
    const sink = new MemorySink();
    const report = await runImport(
      blobOf(await buildMastodonArchiveZip(ALICE, outboxItems(), { exportedAt: EXPORTED })),
      'archive-20250301080000-abc.zip',
      sink,
      { knownProfiles: CONNECTED },
    );

    expect(report).toMatchObject({
      network: 'mastodon',
      profile: { id: 'mastodon:mastodon.example/109876', handle: 'alice@mastodon.example', linked: true },
      postsRead: 3,
      postsImported: 3,
      skippedReposts: 1,
      skippedPrivate: 1,
      snapshots: 1,
      problems: [],
    });
    expect(sink.posts.get('mastodon:mastodon.example/113000000000000010')).toEqual({
      id: 'mastodon:mastodon.example/113000000000000010',
      network: 'mastodon',
      profileId: 'mastodon:mastodon.example/109876',
      handle: 'alice@mastodon.example',
      createdAt: AT('2025-02-20T09:30:00Z'),
      text: 'Launch day & Q&A at 5! #Launch\n\nNotes: example.com/blog/release-notes…\nthanks @bob',
      hashtags: ['Launch'],
      hasMedia: true,
      isReply: false,
      isQuote: false,
      url: 'https://mastodon.example/@alice/113000000000000010',
    });
    expect(sink.posts.get('mastodon:mastodon.example/113000000000000007')).toMatchObject({
      isReply: true,
      text: 'For followers only, a reply',
    });
    expect(sink.posts.get('mastodon:mastodon.example/113000000000000006')).toMatchObject({
      isQuote: true,
      text: 'Look at this',
    });
    // Counts only where the server wrote them (Mastodon 4.4+), dated by the archive's export.
    const exportedAt = [...sink.snapshots.values()][0]?.at ?? 0;
    expect(Math.abs(exportedAt - AT(EXPORTED))).toBeLessThan(2000);
    expect([...sink.snapshots.values()]).toEqual([
      {
        postId: 'mastodon:mastodon.example/113000000000000010',
        at: exportedAt,
        values: {
          likes: 42,
          reposts: 7,
          replies: null,
          quotes: null,
          bookmarks: null,
          impressions: null,
          linkClicks: null,
          profileClicks: null,
        },
        source: 'mastodon-archive',
      },
    ]);
  });

  it('takes the account id from numeric ActivityPub ids when the account is not connected', async () => {
    const numeric = { ...ALICE, numericId: '110000000000000042' };
    const items = [
      mastodonCreate(numeric, { id: '113000000000000001', at: AT('2025-01-01T00:00:00Z'), html: '<p>hi</p>' }),
    ];
    const report = await runImport(blobOf(await buildMastodonArchiveZip(numeric, items)), 'a.zip', new MemorySink());
    expect(report.profile).toEqual({
      id: 'mastodon:mastodon.example/110000000000000042',
      handle: 'alice@mastodon.example',
      linked: true,
    });
    expect(report.problems).toEqual([]);
  });

  it('keeps the posts of an account Colonnade does not know under a provisional profile, and says so', async () => {
    const sink = new MemorySink();
    const report = await runImport(blobOf(await buildMastodonArchiveZip(ALICE, outboxItems())), 'a.zip', sink);
    expect(report.profile).toEqual({
      id: 'mastodon:mastodon.example/@alice',
      handle: 'alice@mastodon.example',
      linked: false,
    });
    expect(report.problems).toEqual([
      { where: { file: 'actor.json' }, why: 'profile-not-linked', params: { handle: 'alice@mastodon.example' } },
    ]);
    // The posts' own ids do not depend on the profile: they meet the collected ones.
    expect(sink.posts.has('mastodon:mastodon.example/113000000000000010')).toBe(true);
  });

  it('reads outbox.json alone, finding the account in the posts', async () => {
    const file = new File([mastodonOutbox(outboxItems())], 'outbox.json', { lastModified: AT('2025-03-02T00:00:00Z') });
    const sink = new MemorySink();
    const report = await runImport(file, 'outbox.json', sink, { knownProfiles: CONNECTED });
    expect(report).toMatchObject({
      profile: { id: 'mastodon:mastodon.example/109876', linked: true },
      postsImported: 3,
      observedAt: AT('2025-03-02T00:00:00Z'),
      problems: [],
    });
  });

  it('counts nothing twice when the same archive is imported again', async () => {
    const sink = new MemorySink();
    const file = blobOf(await buildMastodonArchiveZip(ALICE, outboxItems()));
    await runImport(file, 'a.zip', sink, { knownProfiles: CONNECTED });
    const again = await runImport(file, 'a.zip', sink, { knownProfiles: CONNECTED });
    expect(again).toMatchObject({ postsRead: 3, postsImported: 0, duplicates: 3 });
    expect(sink.posts.size).toBe(3);
    expect(sink.snapshots.size).toBe(1);
  });

  it('keeps the posts before the place a damaged outbox is cut, and the posts around a bad date', async () => {
    const items = outboxItems();
    items.splice(
      1,
      0,
      mastodonCreate(ALICE, { id: '113000000000000011', at: 0, html: '<p>when?</p>', publishedText: 'not a date' }),
    );
    const zip = await buildMastodonArchiveZip(ALICE, items, {
      // Cut in the middle of the followers-only reply (the 5th item).
      damageOutbox: (text) => text.slice(0, text.indexOf('For followers only') + 5),
    });
    const sink = new MemorySink();
    const report = await runImport(blobOf(zip), 'a.zip', sink, { knownProfiles: CONNECTED });
    expect(report.problems).toEqual([
      { where: { file: 'outbox.json' }, why: 'file-truncated', params: { count: 4 } },
      {
        where: { file: 'outbox.json', item: 1, id: '113000000000000011' },
        why: 'item-bad-date',
        params: { value: 'not a date' },
      },
    ]);
    expect([...sink.posts.keys()]).toEqual(['mastodon:mastodon.example/113000000000000010']);
    expect(report).toMatchObject({ skippedReposts: 1, skippedPrivate: 1 });
  });
});

describe('a Mastodon archive cut short (an incomplete download: no central directory)', () => {
  const posts = Array.from({ length: 40 }, (_, i) =>
    mastodonCreate(ALICE, {
      id: String(113000000000000100n - BigInt(i)),
      at: AT('2025-02-20T09:30:00Z') - i * 3_600_000,
      html: `<p>Post ${i}: ${'a few words '.repeat(i % 7)}</p>`,
      likes: i,
    }),
  );
  const idOf = (i: number) => `mastodon:mastodon.example/${113000000000000100n - BigInt(i)}`;
  const entryAt = (zip: Uint8Array, path: string) => Buffer.from(zip).indexOf(path) - 30;

  it('keeps the posts of outbox.json up to the cut (cut at 50%, inside outbox.json)', async () => {
    const zip = await buildMastodonArchiveZip(ALICE, posts);
    const cutAt = Math.floor(zip.length / 2);
    // outbox.json is the zip's first entry and more than half of it.
    expect(entryAt(zip, 'media_attachments/files/1/original/photo.png')).toBeGreaterThan(cutAt);
    const sink = new MemorySink();
    const report = await runImport(blobOf(zip.slice(0, cutAt)), 'archive.zip', sink, { knownProfiles: CONNECTED });

    const kept = report.problems.find((p) => p.why === 'file-truncated');
    const count = Number(kept?.params?.count);
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(40);
    // actor.json was after the cut: the account is read from the posts.
    // The report says first that the zip is incomplete, and where it ends.
    expect(report.problems).toEqual([
      { where: { file: 'archive.zip' }, why: 'zip-incomplete', params: { count: 0, entry: 'outbox.json' } },
      { where: { file: 'actor.json' }, why: 'actor-unreadable' },
      { where: { file: 'outbox.json' }, why: 'file-truncated', params: { count } },
    ]);
    expect(report).toMatchObject({ network: 'mastodon', postsRead: count, postsImported: count });
    expect([...sink.posts.keys()]).toEqual(Array.from({ length: count }, (_, i) => idOf(i)));
  });

  it('keeps every post when the file ends after outbox.json (in actor.json, or in the directory)', async () => {
    const zip = await buildMastodonArchiveZip(ALICE, posts);
    const inActor = await runImport(blobOf(zip.slice(0, entryAt(zip, 'actor.json') + 60)), 'a.zip', new MemorySink(), {
      knownProfiles: CONNECTED,
    });
    expect(inActor.postsRead).toBe(40);
    expect(inActor.problems).toEqual([
      { where: { file: 'a.zip' }, why: 'zip-incomplete', params: { count: 4, entry: 'actor.json' } },
      { where: { file: 'actor.json' }, why: 'actor-unreadable' },
    ]);

    const noDirectory = await runImport(blobOf(zip.slice(0, zip.length - 100)), 'a.zip', new MemorySink(), {
      knownProfiles: CONNECTED,
    });
    // Only the directory is cut: every entry is there, nothing is said missing.
    expect(noDirectory).toMatchObject({ postsRead: 40, problems: [] });
  });

  it('refuses, as zip-damaged, a zip cut before anything of outbox.json can be read', async () => {
    const zip = await buildMastodonArchiveZip(ALICE, posts);
    const cut = await runImport(blobOf(zip.slice(0, 25)), 'a.zip', new MemorySink()).catch((e) => e);
    expect(cut).toMatchObject({ code: 'zip-damaged' });
  });
});

describe('Mastodon HTML as text', () => {
  it('keeps what a reader sees: paragraphs, line breaks, decoded entities, shortened links', () => {
    expect(htmlToText(LAUNCH_HTML)).toBe(
      'Launch day & Q&A at 5! #Launch\n\nNotes: example.com/blog/release-notes…\nthanks @bob',
    );
    expect(htmlToText('plain &lt;text&gt;')).toBe('plain <text>');
    expect(htmlToText('<p>a</p><script>alert(1)</script><p>b</p>')).toBe('a\n\nb');
  });
});
