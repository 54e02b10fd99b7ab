// The Bluesky adapter's pure parts: record keys, facet offsets, image sizes, error words, cursors.
import { XRPCError } from '@atproto/api';
import { describe, expect, it } from 'vitest';
import { ColonnadeError } from '../../../../src/shared/errors';
import { BlueskyCredentialsSchema } from '../../../../src/main/networks/bluesky';
import { decodeCursor, encodeCursor } from '../../../../src/main/networks/bluesky/cursor';
import { toColonnadeError } from '../../../../src/main/networks/bluesky/errors';
import { imageSize } from '../../../../src/main/networks/bluesky/image-size';
import { entitiesFromFacets, postIdOf, uriOfPostId } from '../../../../src/main/networks/bluesky/normalize';
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
    expect(map(XRPCError.from(refused)).code).toBe('offline');
    const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) });
    expect(map(XRPCError.from(reset)).code).toBe('transient');
  });

  it('never repeats what the server or library said (it may hold secrets)', () => {
    const err = map(new XRPCError(400, 'InvalidRequest', 'token eyJhbGciOi.secret.sig was bad'));
    expect(err.message).not.toContain('eyJ');
  });
});

describe('cursors and credentials', () => {
  it('cursors round-trip and refuse garbage', () => {
    const older = encodeCursor({ older: 'server-cursor::1' });
    expect(decodeCursor(older)).toEqual({ older: 'server-cursor::1' });
    expect(() => decodeCursor('not a cursor')).toThrow(ColonnadeError);
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
