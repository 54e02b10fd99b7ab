// The Bluesky adapter's pure parts: record keys, facet offsets, image sizes, error words, cursors.
import { XRPCError } from '@atproto/api';
import { describe, expect, it } from 'vitest';
import { ColonnadeError } from '../../../../src/shared/errors';
import { PostSchema, type Post } from '../../../../src/shared/model';
import { BlueskyCredentialsSchema } from '../../../../src/main/networks/bluesky';
import { decodeCursor, encodeCursor, keyDigest, markNames } from '../../../../src/main/networks/bluesky/cursor';
import { toColonnadeError } from '../../../../src/main/networks/bluesky/errors';
import { rateWindowOf } from '../../../../src/main/networks/bluesky/http';
import { imageSize } from '../../../../src/main/networks/bluesky/image-size';
import {
  UnreadableItem,
  effectiveLabels,
  entitiesFromFacets,
  postIdOf,
  postOf,
  quoteOf,
  uriOfPostId,
} from '../../../../src/main/networks/bluesky/normalize';
import { DEFAULT_LABEL_SETTINGS, type AppBskyFeedDefs, type ModerationOpts } from '@atproto/api';
import { TID_PATTERN, tidFromKey } from '../../../../src/main/networks/bluesky/tid';
import { png } from '../../../support/bluesky-fixtures';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('record keys from idempotency keys', () => {
  it('are valid TIDs, the same for the same key, different for different keys', () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `key-${i}`);
    const tids = keys.map(tidFromKey);
    expect(tids.every((t) => TID_PATTERN.test(t))).toBe(true);
    expect(new Set(tids).size).toBe(keys.length);
    expect(tidFromKey('key-7')).toBe(tids[7]);
  });

  it('never lie in the future', () => {
    const alphabet = '234567abcdefghijklmnopqrstuvwxyz';
    for (const key of ['a', 'b', crypto.randomUUID()]) {
      const micros = [...tidFromKey(key).slice(0, 11)].reduce((n, c) => n * 32n + BigInt(alphabet.indexOf(c)), 0n);
      expect(Number(micros / 1000n)).toBeLessThan(Date.now());
    }
  });
});

describe('facets to entities', () => {
  it('turns UTF-8 byte ranges into UTF-16 ranges past accents, emoji and skin tones', () => {
    const text = 'Café 👋🏽 #tag https://x.example/é @a.test';
    const tag = text.indexOf('#tag');
    const link = text.indexOf('https');
    const at = text.indexOf('@a.test');
    const range = (start: number, end: number) => ({
      byteStart: bytes(text.slice(0, start)),
      byteEnd: bytes(text.slice(0, end)),
    });
    const facets = [
      { index: range(at, at + 7), features: [{ $type: 'app.bsky.richtext.facet#mention', did: 'did:plc:a' }] },
      { index: range(tag, tag + 4), features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'tag' }] },
      {
        index: range(link, link + 'https://x.example/é'.length),
        features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://x.example/%C3%A9' }],
      },
    ];
    const entities = entitiesFromFacets(text, facets);
    expect(entities.map((e) => [e.kind, text.slice(e.start, e.end), e.value])).toEqual([
      ['hashtag', '#tag', 'tag'],
      ['link', 'https://x.example/é', 'https://x.example/%C3%A9'],
      ['mention', '@a.test', 'a.test'],
    ]);
  });

  it('skips facets that are malformed or split a character', () => {
    const text = '👋 hi';
    const facets = [
      { index: { byteStart: 1, byteEnd: 4 }, features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'x' }] },
      { index: { byteStart: 5, byteEnd: 99 }, features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'y' }] },
      { index: { byteStart: 5, byteEnd: 7 }, features: [{ $type: 'app.bsky.richtext.facet#unknown' }] },
      { features: [] },
      null,
    ];
    expect(entitiesFromFacets(text, facets)).toEqual([]);
    expect(entitiesFromFacets(text, undefined)).toEqual([]);
  });

  it('holds past a family emoji and CJK; skips ranges out of bounds, reversed, negative, splitting, or unknown', () => {
    const text = '👨‍👩‍👧‍👦 日本語 #タグ https://x.example';
    const tag = text.indexOf('#タグ');
    const link = text.indexOf('https');
    const r = (s: number, e: number) => ({ byteStart: bytes(text.slice(0, s)), byteEnd: bytes(text.slice(0, e)) });
    const linkTo = (uri: string) => [{ $type: 'app.bsky.richtext.facet#link', uri }];
    const facets = [
      { index: r(tag, tag + 3), features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'タグ' }] },
      { index: r(link, text.length), features: linkTo('https://x.example') },
      { index: { byteStart: 0, byteEnd: 9999 }, features: linkTo('https://a') },
      { index: { byteStart: 10, byteEnd: 2 }, features: linkTo('https://b') },
      { index: { byteStart: 1, byteEnd: 3 }, features: linkTo('https://c') },
      { index: { byteStart: -4, byteEnd: 3 }, features: linkTo('https://d') },
      { index: r(tag, tag + 3), features: [{ $type: 'app.bsky.richtext.facet#unknown' }] },
      { index: null, features: null },
    ];
    const ents = entitiesFromFacets(text, facets);
    expect(ents.map((e) => [text.slice(e.start, e.end), e.value])).toEqual([
      ['#タグ', 'タグ'],
      ['https://x.example', 'https://x.example'],
    ]);
  });

  it('a link whose visible text differs from its URI keeps the URI as the target', () => {
    const ents = entitiesFromFacets('see bsky.app', [
      {
        index: { byteStart: 4, byteEnd: 12 },
        features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://evil.example/' }],
      },
    ]);
    expect(ents).toEqual([{ kind: 'link', start: 4, end: 12, value: 'https://evil.example/' }]);
  });
});

describe('post ids', () => {
  it('round-trip an AT-URI through a global id holding no ":" or "/" after the network', () => {
    const uri = 'at://did:plc:abc123/app.bsky.feed.post/3kabcdefghij2';
    const id = postIdOf(uri);
    expect(id.slice('bluesky:'.length)).not.toMatch(/[:/]/);
    expect(uriOfPostId(id)).toBe(uri);
  });

  it('refuse ids that are not Bluesky posts', () => {
    for (const id of [
      'x:123',
      'bluesky:%E0%A4%A',
      'bluesky:' + encodeURIComponent('at://did:plc:a/app.bsky.feed.like/3k'),
    ]) {
      expect(() => uriOfPostId(id)).toThrow(ColonnadeError);
    }
  });
});

describe('image sizes', () => {
  it('reads PNG, GIF, JPEG and WebP headers', () => {
    expect(imageSize(png(640, 480))).toEqual({ width: 640, height: 480 });
    const gif = Buffer.from('GIF89a\x20\x03\x58\x02', 'latin1');
    expect(imageSize(gif)).toEqual({ width: 800, height: 600 });
    const jpeg = Buffer.from([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0x2c, 0x01, 0x90, 0x03,
    ]);
    expect(imageSize(jpeg)).toEqual({ width: 400, height: 300 });
    const webp = Buffer.alloc(30);
    webp.write('RIFF', 0, 'latin1');
    webp.write('WEBPVP8X', 8, 'latin1');
    webp.writeUIntLE(1023, 24, 3);
    webp.writeUIntLE(767, 27, 3);
    expect(imageSize(webp)).toEqual({ width: 1024, height: 768 });
  });

  it('answers null for anything else, or a truncated file', () => {
    expect(imageSize(new Uint8Array([1, 2, 3]))).toBeNull();
    expect(imageSize(png(10, 10).subarray(0, 20))).toBeNull();
  });
});

const DID = 'did:plc:alice';
const URI = `at://${DID}/app.bsky.feed.post/3kabcdefghij2`;
const view = (extra: Record<string, unknown> = {}): AppBskyFeedDefs.PostView =>
  ({
    $type: 'app.bsky.feed.defs#postView',
    uri: URI,
    cid: 'bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm',
    author: { did: DID, handle: 'alice.test', displayName: 'Alice' },
    record: { $type: 'app.bsky.feed.post', text: 'hello', createdAt: '2026-11-25T08:00:00.000Z' },
    indexedAt: '2026-11-25T08:00:01.000Z',
    ...extra,
  }) as AppBskyFeedDefs.PostView;
const LABELER = 'did:plc:labeller';
const opts = (prefs: Partial<ModerationOpts['prefs']> = {}): ModerationOpts => ({
  userDid: 'did:plc:viewer',
  prefs: {
    adultContentEnabled: false,
    labels: { ...DEFAULT_LABEL_SETTINGS },
    labelers: [{ did: LABELER, labels: {} }],
    mutedWords: [],
    hiddenPosts: [],
    ...prefs,
  },
  labelDefs: {},
});
const label = (val: string, src = LABELER, extra: Record<string, unknown> = {}) => ({
  src,
  uri: URI,
  val,
  cts: '2026-11-25T08:00:00.000Z',
  ...extra,
});

describe('posts that cannot be read', () => {
  it('throw UnreadableItem with the post’s uri: invalid record, missing author', () => {
    const cases = [
      view({ record: { $type: 'app.bsky.feed.post', text: 42, createdAt: 'yesterday' } }),
      view({ record: { $type: 'app.bsky.feed.like', subject: {}, createdAt: '2026-11-25T08:00:00.000Z' } }),
      view({ author: undefined }),
      view({ author: { did: DID } }),
    ];
    for (const v of cases) {
      expect(() => postOf(v)).toThrow(UnreadableItem);
      try {
        postOf(v);
      } catch (err) {
        expect((err as UnreadableItem).uri).toBe(URI);
      }
    }
    expect(postOf(view())?.text).toBe('hello');
  });

  it('reads what the viewer did with a post', () => {
    const post = postOf(view({ viewer: { like: `at://did:plc:viewer/app.bsky.feed.like/3k`, repost: undefined } }));
    expect(post?.viewer).toEqual({ liked: true, reposted: false });
  });
});

const BOB = 'did:plc:bob';
const QUOTED_URI = `at://${BOB}/app.bsky.feed.post/3kbbbbbbbbbb2`;
/** An app.bsky.embed.record#viewRecord of bob's post, with `embeds` as the AppView hydrates them. */
const viewRecord = (embeds?: unknown[]) => ({
  $type: 'app.bsky.embed.record#viewRecord',
  uri: QUOTED_URI,
  cid: 'bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm',
  author: { did: BOB, handle: 'bob.test' },
  value: { $type: 'app.bsky.feed.post', text: 'quoted words', createdAt: '2026-11-25T07:00:00.000Z' },
  indexedAt: '2026-11-25T07:00:01.000Z',
  ...(embeds ? { embeds } : {}),
});
const external = (extra: Record<string, unknown> = {}) => ({
  $type: 'app.bsky.embed.external#view',
  external: {
    uri: 'https://blog.example/posts/42',
    title: 'Forty-two',
    description: 'Why 42',
    thumb: 'https://cdn.bsky.app/img/feed_thumbnail/plain/did:plc:alice/bafkthumb@jpeg',
    ...extra,
  },
});
/** postOf, and the post checked against the shared schema (what crosses to the renderer). */
const read = (extra: Record<string, unknown>): Post => PostSchema.parse(postOf(view(extra), opts()));

describe('link cards (app.bsky.embed.external)', () => {
  // social-app#6990 / #8576: posters remove the URL from the text once the card is made; the link
  // then lives only in embed.external.
  it('a link-card post whose text has no URL still carries its link, title, description and thumbnail', () => {
    const post = read({
      record: { $type: 'app.bsky.feed.post', text: 'New on the blog', createdAt: '2026-11-25T08:00:00.000Z' },
      embed: external(),
    });
    expect(post.text).toBe('New on the blog');
    expect(post.entities).toEqual([]);
    expect(post.card).toEqual({
      url: 'https://blog.example/posts/42',
      title: 'Forty-two',
      description: 'Why 42',
      imageUrl: 'https://cdn.bsky.app/img/feed_thumbnail/plain/did:plc:alice/bafkthumb@jpeg',
    });
    expect(post.media).toEqual([]);
    expect(post.unsupported).toBeUndefined();
  });

  it('a card with an empty title and no thumbnail or description keeps just its link; long words are cut', () => {
    expect(read({ embed: external({ title: '', description: '', thumb: undefined }) }).card).toEqual({
      url: 'https://blog.example/posts/42',
      title: '',
    });
    const long = read({ embed: external({ title: 'T'.repeat(1500), description: 'D'.repeat(3000) }) }).card;
    expect([long?.title.length, long?.description?.length]).toEqual([1000, 2000]);
  });

  it('a quote whose media is a link card (recordWithMedia) keeps the card on the quoting post, the quote inside', () => {
    const post = read({
      embed: { $type: 'app.bsky.embed.recordWithMedia#view', record: { record: viewRecord() }, media: external() },
    });
    expect(post.card?.url).toBe('https://blog.example/posts/42');
    expect(post.quote).toMatchObject({ text: 'quoted words', author: { handle: 'bob.test' } });
    expect(post.quote?.card).toBeUndefined();
  });

  it('a quoted post with a link card shows the card inside the quote', () => {
    const post = read({ embed: { $type: 'app.bsky.embed.record#view', record: viewRecord([external()]) } });
    expect(post.card).toBeUndefined();
    expect(post.quote?.card).toMatchObject({ url: 'https://blog.example/posts/42', title: 'Forty-two' });
  });
});

describe('embeds Colonnade does not know (lexicon unions are open)', () => {
  it('a post with an unknown embed is shown with its text and facets, the embed named', () => {
    const post = read({
      record: {
        $type: 'app.bsky.feed.post',
        text: 'Tea? see x.example',
        facets: [
          {
            index: { byteStart: 9, byteEnd: 18 },
            features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://x.example/' }],
          },
        ],
        createdAt: '2026-11-25T08:00:00.000Z',
      },
      embed: { $type: 'app.bsky.embed.poll#view', question: 'Tea?' },
    });
    expect(post.text).toBe('Tea? see x.example');
    expect(post.entities).toEqual([{ kind: 'link', start: 9, end: 18, value: 'https://x.example/' }]);
    expect(post.unsupported).toBe('app.bsky.embed.poll#view');
    expect(post.media).toEqual([]);
  });

  it('a quoted post carrying an unknown embed shows its text, the embed named on the quote', () => {
    const post = read({
      embed: {
        $type: 'app.bsky.embed.record#view',
        record: viewRecord([{ $type: 'app.bsky.embed.poll#view', question: 'Tea?' }]),
      },
    });
    expect(post.quote).toMatchObject({ text: 'quoted words', unsupported: 'app.bsky.embed.poll#view' });
    expect(post.quoteUnavailable).toBeUndefined();
    expect(post.unsupported).toBeUndefined();
  });

  it('a quote whose media is of an unknown type keeps the quote and names the media', () => {
    const post = read({
      embed: {
        $type: 'app.bsky.embed.recordWithMedia#view',
        record: { record: viewRecord() },
        media: { $type: 'app.bsky.embed.audio#view', playlist: 'https://a/p.m3u8' },
      },
    });
    expect(post.quote?.text).toBe('quoted words');
    expect(post.unsupported).toBe('app.bsky.embed.audio#view');
  });

  it('known embeds missing their parts are named, never thrown; a bad image leaves the others', () => {
    const said = (embed: unknown) => {
      const post = read({ embed });
      expect(post.text).toBe('hello');
      return { media: post.media.length, unsupported: post.unsupported, quoteUnavailable: post.quoteUnavailable };
    };
    expect(said({ $type: 'app.bsky.embed.images#view', images: 'none' })).toEqual({
      media: 0,
      unsupported: 'app.bsky.embed.images#view',
    });
    expect(said({ $type: 'app.bsky.embed.external#view', external: { title: 'no uri' } })).toEqual({
      media: 0,
      unsupported: 'app.bsky.embed.external#view',
    });
    expect(said({ images: [] })).toEqual({ media: 0, unsupported: 'embed without a $type' });
    expect(said('text')).toEqual({ media: 0, unsupported: 'embed without a $type' });
    expect(said({ $type: 'app.bsky.embed.gallery#view', items: 3 })).toEqual({
      media: 0,
      unsupported: 'app.bsky.embed.gallery#view',
    });
    const images = {
      $type: 'app.bsky.embed.images#view',
      images: [
        { thumb: 'https://cdn/t', alt: 'no fullsize' },
        { thumb: 'https://cdn/t', fullsize: 'https://cdn/f', alt: 7 },
      ],
    };
    expect(read({ embed: images }).media).toEqual([
      { kind: 'image', alt: '', width: 1, height: 1, url: 'https://cdn/f', placeholderColor: '#1f3b57' },
    ]);
    // recordWithMedia missing its record, or its media: the rest is shown, the missing part said.
    expect(said({ $type: 'app.bsky.embed.recordWithMedia#view', media: images })).toEqual({
      media: 1,
      unsupported: undefined,
      quoteUnavailable: 'The quoted record is of a kind Colonnade cannot show.',
    });
    const noMedia = read({ embed: { $type: 'app.bsky.embed.recordWithMedia#view', record: { record: viewRecord() } } });
    expect(noMedia.quote?.text).toBe('quoted words');
    expect(noMedia.unsupported).toBe('app.bsky.embed.recordWithMedia#view without media');
    // A quoted post without its author, with the viewer's moderation on: the quote is said unreadable.
    const { author: _, ...authorless } = viewRecord();
    for (const embed of [
      { $type: 'app.bsky.embed.record#view', record: authorless },
      { $type: 'app.bsky.embed.recordWithMedia#view', record: { record: authorless }, media: images },
    ]) {
      expect(said(embed).quoteUnavailable).toBe('The quoted post could not be read.');
    }
    // Labels that name nothing are ignored, not thrown on.
    expect(read({ labels: 'porn' }).text).toBe('hello');
    expect(read({ labels: [null, { val: '!hide' }] }).text).toBe('hello');
  });

  it('a video shows as a video (or a GIF) with its alt text', () => {
    const video = (presentation?: string) =>
      read({
        embed: {
          $type: 'app.bsky.embed.video#view',
          cid: 'bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm',
          playlist: 'https://video/p.m3u8',
          thumbnail: 'https://video/t.jpg',
          alt: 'a clip',
          aspectRatio: { width: 16, height: 9 },
          ...(presentation ? { presentation } : {}),
        },
      }).media;
    expect(video()).toEqual([
      { kind: 'video', alt: 'a clip', width: 16, height: 9, url: 'https://video/t.jpg', placeholderColor: '#1f3b57' },
    ]);
    expect(video('gif')[0]?.kind).toBe('gif');
  });
});

describe('quoted records in words', () => {
  const author = { did: 'did:plc:bob', handle: 'bob.test' };
  const words = (record: Record<string, unknown>) => {
    const q = quoteOf(record as Parameters<typeof quoteOf>[0], undefined);
    return 'unavailable' in q ? q.unavailable : `quote: ${q.quote.text}`;
  };
  it('says why a quoted post cannot be shown, and names records that are not posts', () => {
    expect(words({ $type: 'app.bsky.embed.record#viewNotFound', uri: URI, notFound: true })).toBe(
      'The quoted post was deleted.',
    );
    const blocked = (viewer: Record<string, unknown>) =>
      words({ $type: 'app.bsky.embed.record#viewBlocked', uri: URI, blocked: true, author: { did: DID, viewer } });
    expect(blocked({ blockedBy: true })).toBe('The author of the quoted post has blocked you.');
    expect(blocked({ blocking: 'at://did:plc:viewer/app.bsky.graph.block/3k' })).toBe(
      'You blocked the author of the quoted post.',
    );
    expect(blocked({})).toBe('The quoted post is unavailable: a block stands between you and its author.');
    expect(words({ $type: 'app.bsky.embed.record#viewDetached', uri: URI, detached: true })).toBe(
      'The author of the quoted post detached it from this post.',
    );
    expect(
      words({
        $type: 'app.bsky.feed.defs#generatorView',
        uri: 'at://did:plc:bob/app.bsky.feed.generator/x',
        cid: 'c',
        did: 'did:web:feed',
        creator: author,
        displayName: 'Cats',
        indexedAt: '2026-11-25T08:00:00.000Z',
      }),
    ).toBe('A custom feed: “Cats” by @bob.test.');
    expect(
      words({
        $type: 'app.bsky.graph.defs#listView',
        uri: 'at://did:plc:bob/app.bsky.graph.list/x',
        cid: 'c',
        creator: author,
        name: 'Trolls',
        purpose: 'app.bsky.graph.defs#modlist',
        indexedAt: '2026-11-25T08:00:00.000Z',
      }),
    ).toBe('A moderation list: “Trolls” by @bob.test.');
    expect(
      words({
        $type: 'app.bsky.graph.defs#starterPackViewBasic',
        uri: 'at://did:plc:bob/app.bsky.graph.starterpack/x',
        cid: 'c',
        record: { name: 'Photographers' },
        creator: author,
        indexedAt: '2026-11-25T08:00:00.000Z',
      }),
    ).toBe('A starter pack: “Photographers” by @bob.test.');
    expect(
      words({
        $type: 'app.bsky.labeler.defs#labelerView',
        uri: 'at://did:plc:bob/app.bsky.labeler.service/self',
        cid: 'c',
        creator: author,
        indexedAt: '2026-11-25T08:00:00.000Z',
      }),
    ).toBe('A labeller by @bob.test.');
    expect(words({ $type: 'app.bsky.embed.somethingNew#view' })).toBe(
      'The quoted record is of a kind Colonnade cannot show.',
    );
    expect(
      words({
        $type: 'app.bsky.embed.record#viewRecord',
        uri: URI,
        cid: 'c',
        author,
        value: { $type: 'app.bsky.feed.post', text: 7 },
        indexedAt: '2026-11-25T08:00:00.000Z',
      }),
    ).toBe('The quoted post could not be read.');
  });
});

describe('labels as the viewer’s moderation', () => {
  const moderated = (labels: unknown[], o = opts()) => postOf(view({ labels }), o);

  it('a labeller’s !warn folds the post, !hide leaves it out; labellers the viewer does not use are ignored', () => {
    expect(moderated([label('!warn')])?.moderation).toEqual([
      { scope: 'post', source: 'label', text: 'Content warning' },
    ]);
    expect(moderated([label('!hide')])).toBeNull();
    expect(moderated([label('!hide', 'did:plc:stranger')])?.moderation).toBeUndefined();
    // Self-labels of !warn / !hide mean nothing (no-self).
    expect(moderated([label('!hide', DID)])?.moderation).toBeUndefined();
  });

  it('adult media labels: left out with adult content off; media folded and named when set to warn', () => {
    expect(moderated([label('porn', DID)])).toBeNull();
    expect(moderated([label('graphic-media', DID)])).toBeNull();
    expect(moderated([label('nudity', DID)])?.moderation).toBeUndefined();
    const warn = opts({
      adultContentEnabled: true,
      labels: { porn: 'warn', sexual: 'warn', nudity: 'warn', 'graphic-media': 'warn' },
    });
    const media = (val: string) => moderated([label(val, DID)], warn)?.moderation;
    expect(media('porn')).toEqual([{ scope: 'media', source: 'label', text: 'Adult content' }]);
    expect(media('sexual')).toEqual([{ scope: 'media', source: 'label', text: 'Sexually suggestive' }]);
    expect(media('nudity')).toEqual([{ scope: 'media', source: 'label', text: 'Non-sexual nudity' }]);
    expect(media('graphic-media')).toEqual([{ scope: 'media', source: 'label', text: 'Graphic media' }]);
    expect(media('gore')).toEqual([{ scope: 'media', source: 'label', text: 'Graphic media' }]);
  });

  it('a labeller’s own label is named from its definition', () => {
    const o = opts();
    o.labelDefs = {
      [LABELER]: [
        {
          identifier: 'spoiler',
          severity: 'inform',
          blurs: 'content',
          defaultSetting: 'warn',
          configurable: true,
          flags: [],
          definedBy: LABELER,
          behaviors: { content: { contentList: 'blur', contentView: 'blur' } },
          locales: [{ lang: 'en', name: 'Spoiler', description: 'Plot details' }],
        },
      ],
    };
    expect(moderated([label('spoiler')], o)?.moderation).toEqual([{ scope: 'post', source: 'label', text: 'Spoiler' }]);
  });

  it('a quote-with-media of someone who blocked the viewer leaves the list, as social-app does', () => {
    // @atproto/api moderatePost: the quoted record's block cause (downgraded) is a contentList filter.
    const blocked = {
      $type: 'app.bsky.embed.record#viewBlocked',
      uri: QUOTED_URI,
      blocked: true,
      author: { did: BOB, viewer: { blockedBy: true } },
    };
    const images = {
      $type: 'app.bsky.embed.images#view',
      images: [{ thumb: 'https://cdn/t', fullsize: 'https://cdn/f', alt: 'cat' }],
    };
    expect(
      postOf(
        view({ embed: { $type: 'app.bsky.embed.recordWithMedia#view', record: { record: blocked }, media: images } }),
        opts(),
      ),
    ).toBeNull();
    expect(postOf(view({ embed: { $type: 'app.bsky.embed.record#view', record: blocked } }), opts())).toBeNull();
  });

  it('a labeller’s !hide withdrawn by a later negation no longer hides', () => {
    const hide = label('!hide', LABELER, { cts: '2026-11-25T08:00:00.000Z' });
    expect(moderated([hide])).toBeNull();
    expect(moderated([hide, label('!hide', LABELER, { neg: true, cts: '2026-11-25T09:00:00.000Z' })])).not.toBeNull();
  });

  it('a negation withdraws the label it names (neg)', () => {
    const given = label('!warn', LABELER, { cts: '2026-11-25T08:00:00.000Z' });
    const withdrawn = label('!warn', LABELER, { cts: '2026-11-25T09:00:00.000Z', neg: true });
    expect(effectiveLabels([given, withdrawn])).toEqual([]);
    const again = label('!warn', LABELER, { cts: '2026-11-25T10:00:00.000Z' });
    expect(effectiveLabels([given, withdrawn, again])).toEqual([again]);
    expect(moderated([given, withdrawn])?.moderation).toBeUndefined();
  });
});

describe('errors in words', () => {
  const now = Date.UTC(2026, 10, 25);
  const map = (err: unknown) => toColonnadeError(err, now);

  it('maps XRPC answers to the shared taxonomy', () => {
    expect(map(new XRPCError(400, 'ExpiredToken', 'Token has expired')).code).toBe('auth-expired');
    expect(map(new XRPCError(400, 'InvalidToken', 'bad')).code).toBe('auth-expired');
    expect(map(new XRPCError(401, 'AuthenticationRequired', 'no')).code).toBe('auth-expired');
    expect(map(new XRPCError(400, 'InvalidRequest', 'bad')).code).toBe('invalid');
    expect(map(new XRPCError(400, 'NotFound', 'gone')).code).toBe('not-found');
    expect(map(new XRPCError(400, 'AccountTakedown', 'no')).code).toBe('not-allowed');
    expect(map(new XRPCError(500, 'InternalServerError', 'oops')).code).toBe('transient');
    expect(map(new XRPCError(503, undefined, 'oops')).code).toBe('transient');
  });

  it('says when a rate limit lifts', () => {
    const limited = map(new XRPCError(429, 'RateLimitExceeded', 'slow', { 'ratelimit-reset': '1900000000' }));
    expect(limited).toMatchObject({ code: 'rate-limited', resetAt: '2030-03-17T17:46:40.000Z' });
    const noHeader = map(new XRPCError(429, 'RateLimitExceeded', 'slow'));
    expect(noHeader.resetAt).toBe(new Date(now + 60_000).toISOString());
  });

  it('tells offline from a broken connection, through the causes fetch wraps them in', () => {
    const refused = new TypeError('fetch failed', {
      cause: new AggregateError([Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })]),
    });
    expect(map(XRPCError.from(refused))).toMatchObject({ code: 'offline', reason: 'unreachable' });
    const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) });
    expect(map(XRPCError.from(reset)).code).toBe('transient');
  });

  it('keeps the server’s words as detail, with tokens cut out', () => {
    const err = map(new XRPCError(400, 'InvalidRequest', 'token eyJhbGciOi.secret.sig was bad'));
    expect(err.message).not.toContain('eyJ');
    expect(err.detail).toBe('token [token] was bad');
    expect(err.reason).toBe('invalid-request');
  });

  it('says who blocked whom, by the name the column asked for, else by the DID the server names', () => {
    const by = new XRPCError(400, 'BlockedByActor', 'Requester is blocked by actor: did:plc:bob');
    expect(toColonnadeError(by, now, { actor: '@bob.test' }).toJSON()).toMatchObject({
      code: 'not-allowed',
      reason: 'blocked-by',
      params: { name: '@bob.test' },
      detail: 'Requester is blocked by actor: did:plc:bob',
    });
    expect(map(by).params).toEqual({ name: 'did:plc:bob' });
    const blocking = new XRPCError(400, 'BlockedActor', 'Requester has blocked actor: did:plc:bob');
    expect(toColonnadeError(blocking, now, { actor: '@bob.test' })).toMatchObject({
      reason: 'blocking',
      params: { name: '@bob.test' },
    });
  });

  it('gives every documented error its reason', () => {
    const reason = (err: XRPCError) => [map(err).code, map(err).reason];
    expect(reason(new XRPCError(400, 'ExpiredToken', 'Token has expired'))).toEqual([
      'auth-expired',
      'session-expired',
    ]);
    expect(reason(new XRPCError(400, 'AccountTakedown', 'Account has been taken down'))).toEqual([
      'not-allowed',
      'account-takedown',
    ]);
    expect(reason(new XRPCError(401, 'AuthFactorTokenRequired', 'A sign in code has been sent'))).toEqual([
      'invalid',
      'two-factor-required',
    ]);
    expect(reason(new XRPCError(400, 'RecordNotFound', 'Could not locate record'))).toEqual(['not-found', 'deleted']);
    expect(reason(new XRPCError(400, 'InvalidRequest', 'Profile not found'))).toEqual([
      'not-found',
      'profile-not-found',
    ]);
    expect(reason(new XRPCError(400, 'InvalidRequest', 'Unable to resolve handle'))).toEqual([
      'not-found',
      'unknown-handle',
    ]);
    expect(reason(new XRPCError(400, 'RepoTakendown', 'Repo has been takendown'))).toEqual([
      'not-found',
      'account-unavailable',
    ]);
    expect(reason(new XRPCError(413, 'PayloadTooLarge', 'request entity too large'))).toEqual(['invalid', 'too-large']);
    expect(reason(new XRPCError(503, 'NotEnoughResources', 'busy'))).toEqual(['transient', 'server-error']);
    // A request's deadline (AbortSignal.timeout), as @atproto/xrpc wraps it.
    const deadline = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(reason(XRPCError.from(deadline))).toEqual(['transient', 'timeout']);
    expect(reason(new XRPCError(429, 'RateLimitExceeded', 'Rate Limit Exceeded'))).toEqual([
      'rate-limited',
      'rate-limited',
    ]);
  });
});

describe('rate-limit windows (RateLimit-* headers of @atproto/xrpc-server)', () => {
  const now = Date.UTC(2026, 10, 25, 8, 0, 0);
  const headers = (h: Record<string, string>) => new Headers(h);
  const xrpc = (nsid: string) => `https://pds.example/xrpc/${nsid}?limit=50`;

  it('reads a window, names its bucket, and ignores answers that carry none or garbage', () => {
    const read = headers({
      'ratelimit-limit': '3000',
      'ratelimit-remaining': '2990',
      'ratelimit-reset': String(now / 1000 + 240),
      'ratelimit-policy': '3000;w=300',
    });
    expect(rateWindowOf(read, xrpc('app.bsky.feed.searchPosts'), now)).toEqual({
      bucket: 'requests',
      limit: 3000,
      remaining: 2990,
      resetAt: new Date(now + 240_000).toISOString(),
    });
    // A write whose tightest window was the hourly write points.
    const write = headers({
      'ratelimit-limit': '5000',
      'ratelimit-remaining': '4997',
      'ratelimit-reset': String(now / 1000 + 3000),
      'ratelimit-policy': '5000;w=3600',
    });
    expect(rateWindowOf(write, xrpc('com.atproto.repo.createRecord'), now)?.bucket).toBe('writes');
    // A write whose tightest window was the per-IP one.
    expect(rateWindowOf(read, xrpc('com.atproto.repo.createRecord'), now)?.bucket).toBe('requests');
    const signIn = headers({ 'ratelimit-limit': '30', 'ratelimit-remaining': '29', 'ratelimit-reset': '1900000000' });
    expect(rateWindowOf(signIn, xrpc('com.atproto.server.createSession'), now)).toMatchObject({
      bucket: 'sign-in',
      limit: 30,
      remaining: 29,
    });
    // Seconds from now, as the IETF draft has it, from a server that follows it.
    const delta = headers({ 'ratelimit-limit': '100', 'ratelimit-remaining': '5', 'ratelimit-reset': '60' });
    expect(rateWindowOf(delta, xrpc('app.bsky.feed.getTimeline'), now)?.resetAt).toBe(
      new Date(now + 60_000).toISOString(),
    );
    expect(rateWindowOf(headers({}), xrpc('app.bsky.feed.getTimeline'), now)).toBeNull();
    const garbage = headers({ 'ratelimit-limit': 'lots', 'ratelimit-remaining': '1', 'ratelimit-reset': '1' });
    expect(rateWindowOf(garbage, xrpc('app.bsky.feed.getTimeline'), now)).toBeNull();
  });
});

describe('cursors and credentials', () => {
  it('cursors round-trip and refuse garbage', () => {
    const older = encodeCursor({ older: 'server-cursor::1' });
    expect(decodeCursor(older)).toEqual({ older: 'server-cursor::1' });
    expect(() => decodeCursor('not a cursor')).toThrow(ColonnadeError);
    const mark = {
      at: '2026-11-25T08:00:00.000Z',
      keys: [keyDigest('a'), keyDigest('b')],
      floor: '2026-11-25T07:59:00.000Z',
    };
    const between = encodeCursor({ between: { older: 'srv', mark, pages: 2 } });
    expect(decodeCursor(between)).toEqual({ between: { older: 'srv', mark, pages: 2 } });
  });

  it('a newer mark names keys by digest, and still reads the keys themselves in cursors saved before', () => {
    const legacy = Buffer.from(
      JSON.stringify({ newerThan: { at: '2026-11-25T08:00:00.000Z', keys: ['k1'] } }),
    ).toString('base64url');
    const decoded = decodeCursor(legacy);
    expect(decoded).toEqual({ newerThan: { at: '2026-11-25T08:00:00.000Z', keys: ['k1'] } });
    const named = markNames((decoded as { newerThan: { at: string; keys: string[] } }).newerThan);
    expect([named('k1'), named('k2')]).toEqual([true, false]);
    expect(markNames({ at: '', keys: [keyDigest('k2')] })('k2')).toBe(true);
  });

  it('a cursor stays within 2,048 characters: a long server cursor leaves room by naming fewer keys', () => {
    const keys = Array.from({ length: 100 }, (_, i) => keyDigest(`key-${i}`));
    const mark = { at: '2026-11-25T08:00:00.000Z', keys, floor: '2026-11-25T07:00:00.000Z' };
    const cursor = encodeCursor({ between: { older: 'x'.repeat(900), mark, pages: 1 } });
    expect(cursor.length).toBeLessThanOrEqual(2048);
    const state = decodeCursor(cursor) as { between: { mark: { keys: string[]; floor: string } } };
    expect(state.between.mark.keys.length).toBeLessThan(100);
    expect(state.between.mark.keys).toEqual(keys.slice(0, state.between.mark.keys.length)); // the newest kept
    expect(state.between.mark.floor).toBe('2026-11-25T07:00:00.000Z');
  });

  it('credentials default to bsky.social and accept any http(s) server', () => {
    const parsed = BlueskyCredentialsSchema.parse({ identifier: 'me.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' });
    expect(parsed.service).toBe('https://bsky.social');
    expect(
      BlueskyCredentialsSchema.safeParse({ service: 'http://127.0.0.1:2583', identifier: 'a', appPassword: 'b' })
        .success,
    ).toBe(true);
    expect(BlueskyCredentialsSchema.safeParse({ service: 'ftp://x', identifier: 'a', appPassword: 'b' }).success).toBe(
      false,
    );
  });
});
