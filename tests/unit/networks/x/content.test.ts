// What an X column shows, against the X emulator: retweets as their originals, quotes inside,
// text as written, sensitive media, the CM's own likes and reposts, unreadable items left out.
import { describe, expect, it } from 'vitest';
import { ColonnadeError } from '../../../../src/shared/errors';
import { TimelineEntrySchema, type ColumnKind, type Post, type TimelineEntry } from '../../../../src/shared/model';
import { ME_ID, ME_USERNAME, type XEmulator } from '../../../emulators/x';
import type { JsonObject } from '../../../emulators/x/server';
import { memoryDocument, rig, type Rig, useEmulator } from './harness';

const ADA = '1500000000000000010'; // followed
const BREW = '1500000000000000011'; // followed
const GUS = '1500000000000000016'; // not followed
const HARBOR = '1500000000000000017'; // not followed
const HOME = 'GET /2/users/{id}/timelines/reverse_chronological';
const DAY = 24 * 3600_000;

let emu: XEmulator;
let r: Rig;

useEmulator({ homePosts: 40 }, (e) => {
  emu = e;
  r = rig(e);
});

async function read(kind: ColumnKind, limit = 10, query?: string, adapter = r.adapter) {
  const page = await adapter.readTimeline({ kind, query, direction: 'older', limit });
  for (const e of page.items) TimelineEntrySchema.parse(e);
  return page;
}

function entryFor(entries: TimelineEntry[], key: string): TimelineEntry {
  const e = entries.find((x) => x.key === key);
  expect(e, `entry ${key}`).toBeDefined();
  return e!;
}

const spans = (p: Pick<Post, 'text' | 'entities'>) =>
  p.entities.map((e) => [e.kind, p.text.slice(e.start, e.end), e.value, e.display]);

function photo(owner: string, alt = 'A photo') {
  const m = emu.state.addMedia(owner, 'image/png', 1600, 900);
  m.altText = alt;
  m.finalized = true;
  return m;
}

describe('X retweets', () => {
  it('shows a retweet made a minute ago of a 3-day-old post at the top, as the original in full', async () => {
    const long =
      'Three days ago we opened the new gallery wing: forty works, six artists, one long night of ' +
      'conversations that we are still thinking about today. Thank you all! #gallery';
    const orig = emu.control.addTweet({ authorId: GUS, text: long, createdAt: Date.now() - 3 * DAY });
    emu.state.attachMedia(orig, [photo(GUS, 'The new wing')]);
    orig.likes = new Set([ADA, BREW]);
    orig.impressions = 4321;
    const rt = emu.control.retweet(BREW, orig.id, Date.now() - 60_000);
    // X's retweet text is cut: `RT @gallery_gus: …` with the retweeter as author.
    expect(emu.state.tweets.get(rt.id)!.text).toMatch(/^RT @gallery_gus: .*…$/);

    const page = await read('home', 5);
    const top = page.items[0]!;
    expect(top.key).toBe(`x:${rt.id}`);
    expect(top.at).toBe(new Date(rt.createdAt).toISOString());
    expect(top.repostedBy).toMatchObject({ id: `x:${BREW}`, handle: 'brew_lab' });
    expect(top.post).toMatchObject({
      id: `x:${orig.id}`,
      nativeId: orig.id,
      author: { id: `x:${GUS}`, handle: 'gallery_gus' },
      text: long,
      createdAt: new Date(orig.createdAt).toISOString(),
      url: `https://x.com/gallery_gus/status/${orig.id}`,
      metrics: { likes: 2, reposts: 1, replies: 0, quotes: 0, impressions: 4321 },
      media: [expect.objectContaining({ kind: 'image', alt: 'The new wing', width: 1600, height: 900 })],
    });
    expect(spans(top.post!)).toEqual([['hashtag', '#gallery', 'gallery', undefined]]);
  });

  it('likes and reposts the original, and shows what the CM did after a restart', async () => {
    const memory = memoryDocument();
    const mine = rig(emu, undefined, memory);
    const orig = emu.control.addTweet({ authorId: GUS, text: 'Worth sharing' });
    const rt = emu.control.retweet(ADA, orig.id);
    const entry = entryFor((await read('home', 5, undefined, mine.adapter)).items, `x:${rt.id}`);
    expect(entry.post!.viewer).toBeUndefined();

    await mine.adapter.act(entry.post!.id, 'like');
    expect(orig.likes.has(ME_ID)).toBe(true);
    expect(emu.state.tweets.get(rt.id)!.likes.has(ME_ID)).toBe(false);
    await mine.adapter.act(entry.post!.id, 'repost');
    expect(orig.retweets.has(ME_ID)).toBe(true);

    // A new adapter on the same account memory: Colonnade after a restart.
    const restarted = rig(emu, undefined, memory);
    const items = (await read('home', 10, undefined, restarted.adapter)).items;
    // Her own retweet is now the top entry, reposted by her.
    expect(items[0]).toMatchObject({ repostedBy: { handle: ME_USERNAME }, post: { id: `x:${orig.id}` } });
    for (const e of items.filter((x) => x.post?.id === `x:${orig.id}`)) {
      expect(e.post!.viewer).toEqual({ liked: true, reposted: true });
      expect(e.post!.metrics.likes).toBe(1);
    }

    await restarted.adapter.act(`x:${orig.id}`, 'unlike');
    await restarted.adapter.act(`x:${orig.id}`, 'unrepost');
    const later = rig(emu, undefined, memory);
    const after = entryFor((await read('home', 10, undefined, later.adapter)).items, `x:${rt.id}`);
    expect(after.post!.viewer).toEqual({ liked: false, reposted: false });
    expect(orig.retweets.has(ME_ID)).toBe(false);
  });

  it('shows the quotes of quoted posts too (X expands one level: the second is looked up)', async () => {
    // Neither author is followed: the quote is only in includes, its quoted post nowhere.
    const quoted = emu.control.addTweet({ authorId: HARBOR, text: 'The original thought' });
    const quote = emu.control.addTweet({ authorId: GUS, text: 'Adding to this' });
    quote.referenced.push({ type: 'quoted', id: quoted.id });
    const rt = emu.control.retweet(BREW, quote.id);
    const before = emu.requests.filter((q) => q.endpoint === 'GET /2/tweets').length;
    const entry = entryFor((await read('home', 5)).items, `x:${rt.id}`);
    expect(entry.post).toMatchObject({
      id: `x:${quote.id}`,
      text: 'Adding to this',
      quote: { id: `x:${quoted.id}`, text: 'The original thought', author: { handle: 'harbor_news' } },
    });
    expect(entry.post!.quoteUnavailable).toBeUndefined();
    expect(emu.requests.filter((q) => q.endpoint === 'GET /2/tweets').length).toBe(before + 1);
  });

  it('leaves out a retweet whose original X does not include, logging its id, and shows the rest', async () => {
    const orig = emu.control.addTweet({ authorId: GUS, text: 'Soon gone' });
    const rt = emu.control.retweet(ADA, orig.id);
    orig.deleted = true;
    const own = rig(emu);
    const page = await read('home', 5, undefined, own.adapter);
    expect(page.skipped).toBe(1);
    expect(page.items.map((e) => e.key)).not.toContain(`x:${rt.id}`);
    expect(page.items).toHaveLength(4);
    expect(own.log.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ id: rt.id }) }),
    );
    rt.deleted = true;
  });
});

describe('X quotes', () => {
  it('shows the quoted post inside, with its author and media', async () => {
    const quoted = emu.control.addTweet({ authorId: GUS, text: 'Our poster for Friday' });
    emu.state.attachMedia(quoted, [photo(GUS, 'Poster')]);
    const q = emu.control.addTweet({ authorId: ADA, text: 'See you there!' });
    q.referenced.push({ type: 'quoted', id: quoted.id });
    const entry = entryFor((await read('home', 5)).items, `x:${q.id}`);
    expect(entry.post!.quote).toMatchObject({
      id: `x:${quoted.id}`,
      author: { handle: 'gallery_gus', displayName: 'Gus at the Gallery' },
      text: 'Our poster for Friday',
      media: [expect.objectContaining({ alt: 'Poster' })],
    });
    expect(entry.post!.quote).not.toHaveProperty('quote');
  });

  it('says why when the quoted post is gone, and still shows the quote', async () => {
    const quoted = emu.control.addTweet({ authorId: GUS, text: 'Deleted later' });
    const q = emu.control.addTweet({ authorId: ADA, text: 'This aged well' });
    q.referenced.push({ type: 'quoted', id: quoted.id });
    quoted.deleted = true;
    const entry = entryFor((await read('home', 5)).items, `x:${q.id}`);
    expect(entry.post).toMatchObject({ text: 'This aged well', quoteUnavailable: 'deleted' });
    expect(entry.post!.quote).toBeUndefined();
  });

  it('hides the trailing link to a quoted post that is shown inside', async () => {
    const quoted = emu.control.addTweet({ authorId: GUS, text: 'Linked, not quoted by id' });
    const q = emu.control.addTweet({
      authorId: ADA,
      text: `Look at this https://x.com/gallery_gus/status/${quoted.id}`,
    });
    q.referenced.push({ type: 'quoted', id: quoted.id });
    const post = entryFor((await read('home', 5)).items, `x:${q.id}`).post!;
    expect(post.text).toBe('Look at this');
    expect(post.entities).toEqual([]);
    expect(post.quote?.id).toBe(`x:${quoted.id}`);
  });
});

describe('X text as written', () => {
  it('retries an uncertain send of `Q&A tonight` and finds exactly one post on X', async () => {
    emu.control.failNext('POST /2/tweets', 'commit-then-error');
    const post = await r.adapter.publish({ text: 'Q&A tonight', idempotencyKey: 'k-qa' });
    expect(post.text).toBe('Q&A tonight');
    expect(emu.state.timeline((t) => t.text === 'Q&A tonight')).toHaveLength(1);
    // X sends the text escaped, as it stores it.
    expect(emu.requests.filter((q) => q.endpoint === 'POST /2/tweets').length).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['<', 'Tickets <20€ for students & friends >> link in bio'],
    ['&amp; typed', 'Write &amp; not & in HTML'],
    ['a link with &', 'Menu: https://example.com/menu?a=1&b=2 enjoy'],
  ])('retries an uncertain send with %s and posts once', async (_, text) => {
    emu.control.failNext('POST /2/tweets', 'commit-then-drop');
    const post = await r.adapter.publish({ text, idempotencyKey: `k-${text}` });
    expect(emu.state.timeline((t) => emu.state.typedText(t).startsWith(text.slice(0, 8)))).toHaveLength(1);
    expect(post.text.startsWith(text.slice(0, 8))).toBe(true);
  });

  it('answers a duplicate-content refusal after a lost answer with the post that landed', async () => {
    // The first send lands but its answer is lost; the look finds nothing yet (X shows it
    // late), the second send is refused as duplicate content: that is the post.
    const text = 'Doors open at 7 & close at 11';
    emu.control.failNext('POST /2/tweets', 'commit-then-error');
    emu.control.alterNext('GET /2/users/{id}/tweets', (body) => {
      delete body['data'];
      body['meta'] = { result_count: 0 };
      delete body['includes'];
    });
    const post = await r.adapter.publish({ text, idempotencyKey: 'k-dup-late' });
    expect(post.text).toBe(text);
    expect(emu.state.timeline((t) => t.text === text)).toHaveLength(1);
  });

  it('decodes &, < and > once, with every entity on the text a person reads', async () => {
    const t = emu.control.addTweet({
      authorId: ADA,
      text: 'Fish & chips <3 🐟 #food @brew_lab https://example.com/menu?a=1&b=2 &amp; more',
    });
    const post = entryFor((await read('home', 5)).items, `x:${t.id}`).post!;
    expect(post.text).toBe('Fish & chips <3 🐟 #food @brew_lab https://t.co/' + post.text.split('https://t.co/')[1]);
    expect(post.text.endsWith(' &amp; more')).toBe(true);
    expect(spans(post)).toEqual([
      ['hashtag', '#food', 'food', undefined],
      ['mention', '@brew_lab', 'brew_lab', undefined],
      [
        'link',
        expect.stringMatching(/^https:\/\/t\.co\//),
        'https://example.com/menu?a=1&b=2',
        'example.com/menu?a=1&b=2',
      ],
    ]);
  });

  it.each([
    ['a skin-tone ZWJ sequence', '👩🏽‍💻 #devrel @ada_makes'],
    ['flags', '🇫🇷🇨🇦 #launch @ada_makes'],
    ['a family', '👨‍👩‍👧‍👦 & co #launch @ada_makes'],
    ['text variation selectors', '☕️❤️ #café @ada_makes'],
    ['an astral CJK character', '𠮷野家 #launch @ada_makes'],
  ])('keeps entity offsets right after %s', async (_, text) => {
    const t = emu.control.addTweet({ authorId: BREW, text });
    const post = entryFor((await read('home', 5)).items, `x:${t.id}`).post!;
    expect(post.text).toBe(text);
    const tag = /#(\S+)/.exec(text)![1]!;
    expect(spans(post)).toEqual([
      ['hashtag', `#${tag}`, tag, undefined],
      ['mention', '@ada_makes', 'ada_makes', undefined],
    ]);
  });

  it('removes the t.co link of attached media and shows links as X displays them', async () => {
    const t = emu.control.addTweet({
      authorId: ADA,
      text: 'New menu 🍕 #food https://example.com/a/very/long/path/to/the/menu',
    });
    emu.state.attachMedia(t, [photo(ADA, 'The menu')]);
    expect(emu.state.tweets.get(t.id)!.text).toMatch(/ https:\/\/t\.co\/\w+ https:\/\/t\.co\/\w+$/);
    const post = entryFor((await read('home', 5)).items, `x:${t.id}`).post!;
    expect(post.text).toMatch(/^New menu 🍕 #food https:\/\/t\.co\/\w+$/);
    expect(spans(post)).toEqual([
      ['hashtag', '#food', 'food', undefined],
      [
        'link',
        expect.stringMatching(/^https:\/\/t\.co\//),
        'https://example.com/a/very/long/path/to/the/menu',
        'example.com/a/very/long/p…',
      ],
    ]);
    expect(post.media).toEqual([expect.objectContaining({ alt: 'The menu' })]);
  });

  it('publishes with an image and answers the text without the media link', async () => {
    const { png } = await import('./harness');
    const post = await r.adapter.publish({
      text: 'Menu & prices',
      media: [{ data: png(64, 64), mimeType: 'image/png', alt: 'Prices' }],
      idempotencyKey: 'k-menu',
    });
    expect(post.text).toBe('Menu & prices');
    expect(post.entities).toEqual([]);
  });
});

describe('X sensitive media', () => {
  it('hides media X marks possibly sensitive, in words', async () => {
    const t = emu.control.addTweet({ authorId: ADA, text: 'Behind the scenes' });
    emu.state.attachMedia(t, [photo(ADA)]);
    t.sensitive = true;
    const plain = emu.control.addTweet({ authorId: ADA, text: 'Just words' });
    plain.sensitive = true;
    const items = (await read('home', 5)).items;
    expect(entryFor(items, `x:${t.id}`).post!.moderation).toEqual([
      { scope: 'media', source: 'sensitive', text: 'Sensitive media' },
    ]);
    // Without media there is nothing to hide.
    expect(entryFor(items, `x:${plain.id}`).post!.moderation).toBeUndefined();
  });
});

describe('X notifications (mentions)', () => {
  it('says what each mention is: a reply, a quote of hers, a mention, a repost of hers', async () => {
    const mine = emu.control.addTweet({ authorId: ME_ID, text: 'Our roadmap for next year' });
    const reply = emu.control.addTweet({ authorId: ADA, text: `@${ME_USERNAME} love it` });
    reply.referenced.push({ type: 'replied_to', id: mine.id });
    reply.inReplyToUserId = ME_ID;
    const quote = emu.control.addTweet({ authorId: BREW, text: `Great plan @${ME_USERNAME}` });
    quote.referenced.push({ type: 'quoted', id: mine.id });
    const mention = emu.control.addTweet({ authorId: GUS, text: `Thanks @${ME_USERNAME} for coming` });
    const rt = emu.control.retweet(GUS, mine.id);
    const items = (await read('notifications', 10)).items;
    expect(entryFor(items, `x:${reply.id}`).notification).toEqual({
      kind: 'reply',
      actors: [expect.objectContaining({ handle: 'ada_makes' })],
      count: 1,
    });
    expect(entryFor(items, `x:${quote.id}`).notification).toMatchObject({ kind: 'quote', count: 1 });
    expect(entryFor(items, `x:${mention.id}`).notification).toMatchObject({ kind: 'mention' });
    expect(entryFor(items, `x:${rt.id}`)).toMatchObject({
      notification: { kind: 'repost', actors: [expect.objectContaining({ handle: 'gallery_gus' })] },
      post: { id: `x:${mine.id}` },
    });
    // The mentions column shows the same posts without notification words.
    const plain = (await read('mentions', 10)).items;
    expect(plain.every((e) => e.notification === undefined)).toBe(true);
  });
});

describe('X items that cannot be read', () => {
  it('leaves out a post whose author is missing from includes.users and a malformed one, showing the rest', async () => {
    const own = rig(emu);
    let ids: string[] = [];
    emu.control.alterNext(HOME, (body) => {
      const data = body['data'] as JsonObject[];
      ids = data.map((d) => String(d['id']));
      data[1]!['author_id'] = '1500000000000000999';
      data[2] = { id: ids[2]!, text: 42 } as unknown as JsonObject;
      data[3] = { text: 'no id' } as unknown as JsonObject;
    });
    const page = await read('home', 8, undefined, own.adapter);
    expect(page.skipped).toBe(3);
    expect(page.items.map((e) => e.key)).toEqual([ids[0], ...ids.slice(4)].map((id) => `x:${id}`));
    const warned = own.log.lines.filter((l) => l.level === 'warn').map((l) => l.fields?.['id']);
    expect(warned).toEqual([ids[1], ids[2], null]);
    // Paging goes on below the last item with an id.
    expect(page.older).toBe(`u:${ids[7]}`);
  });

  it('dates a post without created_at by its snowflake id', async () => {
    let id = '';
    emu.control.alterNext(HOME, (body) => {
      const first = (body['data'] as JsonObject[])[0]!;
      id = String(first['id']);
      delete first['created_at'];
    });
    const page = await read('home', 3);
    const expected = new Date(Number(BigInt(id) >> 22n) + 1288834974657).toISOString();
    expect(entryFor(page.items, `x:${id}`)).toMatchObject({ at: expected, post: { createdAt: expected } });
    expect(page.skipped).toBeUndefined();
  });

  it('shows a placeholder for media X did not describe', async () => {
    const t = emu.control.addTweet({ authorId: ADA, text: 'Two photos' });
    emu.state.attachMedia(t, [photo(ADA, 'one'), photo(ADA, 'two')]);
    emu.control.alterNext(HOME, (body) => {
      const includes = body['includes'] as JsonObject;
      includes['media'] = (includes['media'] as JsonObject[]).filter((m) => m['alt_text'] !== 'two');
    });
    const post = entryFor((await read('home', 3)).items, `x:${t.id}`).post!;
    expect(post.media.map((m) => [m.alt, m.url === null])).toEqual([
      ['one', false],
      ['', true],
    ]);
    expect(post.text).toBe('Two photos');
  });

  it('fails the page only when the answer itself cannot be read', async () => {
    emu.control.alterNext(HOME, (body) => {
      body['data'] = 'not a list';
    });
    const err = await r.adapter.readTimeline({ kind: 'home', direction: 'older', limit: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ColonnadeError);
    expect(err).toMatchObject({ code: 'invalid', reason: undefined });
  });
});
