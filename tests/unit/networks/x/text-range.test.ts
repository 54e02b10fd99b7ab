// X text as the network has it, against the X emulator: long posts (X Premium "notes", whose
// `text` X cuts short and whose whole text is in `note_tweet`) read in full everywhere posts are
// read, and a reply reads from its `display_text_range` (its leading @mentions left out, as X shows it).
import { describe, expect, it } from 'vitest';
import { TimelineEntrySchema, type ColumnKind, type Post, type TimelineEntry } from '../../../../src/shared/model';
import { ME_ID, ME_USERNAME, type XEmulator } from '../../../emulators/x';
import type { JsonObject } from '../../../emulators/x/server';
import { rig, type Rig, useEmulator } from './harness';

const ADA = '1500000000000000010'; // followed
const BREW = '1500000000000000011'; // followed
const GUS = '1500000000000000016'; // not followed
const HOME = 'GET /2/users/{id}/timelines/reverse_chronological';

let emu: XEmulator;
let r: Rig;

useEmulator({ homePosts: 30 }, (e) => {
  emu = e;
  r = rig(e);
});

async function read(kind: ColumnKind, limit = 5, query?: string) {
  const page = await r.adapter.readTimeline({ kind, query, direction: 'older', limit });
  for (const e of page.items) TimelineEntrySchema.parse(e);
  return page;
}

function entryFor(entries: TimelineEntry[], key: string): TimelineEntry {
  const e = entries.find((x) => x.key === key);
  expect(e, `entry ${key}`).toBeDefined();
  return e!;
}

const spans = (p: Pick<Post, 'text' | 'entities'>) =>
  p.entities.map((e) => [e.kind, p.text.slice(e.start, e.end), e.value]);

/** A post of exactly `length` characters: `head`, filler words, then `tail`. */
function longText(head: string, tail: string, length = 600): string {
  const words = 'we met the whole community at the fair and listened to every story they brought ';
  let middle = '';
  while (Array.from(head + middle + tail).length < length) middle += words;
  const room = length - Array.from(head + tail).length;
  return head + Array.from(middle).slice(0, room).join('') + tail;
}

/** The raw `data` items of the next answer of `endpoint`, as X sent them. */
function peek(endpoint: string): JsonObject[] {
  const seen: JsonObject[] = [];
  emu.control.alterNext(endpoint, (body) => {
    seen.push(...structuredClone((body['data'] as JsonObject[] | undefined) ?? []));
  });
  return seen;
}

describe('X long posts (note_tweet)', () => {
  it('reads a 600-character post in full, with the entities of its whole text', async () => {
    const text = longText('Q&A recap #launch @brew_lab: ', ' more at https://example.com/recap #community 🎉');
    expect(Array.from(text)).toHaveLength(600);
    const t = emu.control.addTweet({ authorId: ADA, text });
    const raw = peek(HOME);
    const post = entryFor((await read('home')).items, `x:${t.id}`).post!;

    // X cut `text` short and sent the whole in note_tweet (live name; the spec's `note_post`).
    const sent = raw.find((d) => d['id'] === t.id)!;
    const cut = String(sent['text']).replace(/&amp;/g, '&');
    expect(Array.from(cut).length).toBeLessThanOrEqual(270);
    expect(text.startsWith(cut)).toBe(true);
    expect(sent['note_tweet']).toMatchObject({ text: expect.stringContaining('Q&amp;A recap') });
    expect(emu.drift.get('note_tweet')).toBeGreaterThan(0);

    expect(post.text).toBe(text.replace('https://example.com/recap', post.text.match(/https:\/\/t\.co\/\w+/)![0]));
    expect(Array.from(post.text)).toHaveLength(600 - 'https://example.com/recap'.length + 23);
    expect(post.text.startsWith('Q&A recap #launch @brew_lab: ')).toBe(true);
    expect(post.text.endsWith(' #community 🎉')).toBe(true);
    expect(spans(post)).toEqual([
      ['hashtag', '#launch', 'launch'],
      ['mention', '@brew_lab', 'brew_lab'],
      ['link', expect.stringMatching(/^https:\/\/t\.co\//), 'https://example.com/recap'],
      ['hashtag', '#community', 'community'],
    ]);
    expect(post.entities.find((e) => e.kind === 'link')?.display).toBe('example.com/recap');
  });

  it('reads a long post in full when it is retweeted, quoted, or found by search', async () => {
    const text = longText('Our long story of the gallery night: ', ' thanks for reading #gallerynight');
    const orig = emu.control.addTweet({ authorId: GUS, text });
    const rt = emu.control.retweet(BREW, orig.id);
    const quote = emu.control.addTweet({ authorId: ADA, text: 'Worth the read' });
    quote.referenced.push({ type: 'quoted', id: orig.id });

    const items = (await read('home')).items;
    expect(entryFor(items, `x:${rt.id}`).post).toMatchObject({ id: `x:${orig.id}`, text });
    expect(entryFor(items, `x:${quote.id}`).post!.quote).toMatchObject({ id: `x:${orig.id}`, text });
    expect(spans(entryFor(items, `x:${rt.id}`).post!)).toEqual([['hashtag', '#gallerynight', 'gallerynight']]);

    // The hashtag lies past X's cut: search finds the post by it, and shows it whole.
    const found = (await read('hashtag', 10, 'gallerynight')).items;
    expect(entryFor(found, `x:${orig.id}`).post!.text).toBe(text);
  });

  it('reads a long post with a photo without the photo’s link', async () => {
    const text = longText('Photos from the fair ', ' #fair');
    const t = emu.control.addTweet({ authorId: ADA, text });
    const photo = emu.state.addMedia(ADA, 'image/png', 1200, 800);
    photo.altText = 'The fair';
    photo.finalized = true;
    emu.state.attachMedia(t, [photo]);
    const post = entryFor((await read('home')).items, `x:${t.id}`).post!;
    expect(post.text).toBe(text);
    expect(post.media).toEqual([expect.objectContaining({ alt: 'The fair' })]);
    expect(spans(post)).toEqual([['hashtag', '#fair', 'fair']]);
  });

  it('shows a post of 280 characters as it is, without a note', async () => {
    const text = longText('Exactly at the limit ', ' end', 280);
    const t = emu.control.addTweet({ authorId: ADA, text });
    const raw = peek(HOME);
    const post = entryFor((await read('home')).items, `x:${t.id}`).post!;
    expect(post.text).toBe(text);
    expect(raw.find((d) => d['id'] === t.id)).not.toHaveProperty('note_tweet');
  });
});

describe('X replies (display_text_range)', () => {
  it('reads `@a @b thanks!` as `thanks!`, the reply still known', async () => {
    const parent = emu.control.addTweet({ authorId: BREW, text: 'We opened the new roastery @ada_makes' });
    const reply = emu.control.addTweet({
      authorId: ADA,
      text: '@brew_lab @gallery_gus thanks!',
      replyTo: parent.id,
    });
    const raw = peek(HOME);
    const post = entryFor((await read('home')).items, `x:${reply.id}`).post!;
    expect(raw.find((d) => d['id'] === reply.id)?.['display_text_range']).toEqual([23, 30]);
    expect(post.text).toBe('thanks!');
    expect(post.entities).toEqual([]);
    expect(post.replyTo).toBe(`x:${parent.id}`);
  });

  it('shifts the entities after the hidden mentions, and keeps a mention inside the text', async () => {
    const parent = emu.control.addTweet({ authorId: BREW, text: 'Coffee tasting tonight' });
    const reply = emu.control.addTweet({
      authorId: ADA,
      text: '@brew_lab 👩🏽‍💻 count me in #coffee with @gallery_gus https://example.com/tasting',
      replyTo: parent.id,
    });
    const post = entryFor((await read('home')).items, `x:${reply.id}`).post!;
    expect(post.text.startsWith('👩🏽‍💻 count me in #coffee with @gallery_gus https://t.co/')).toBe(true);
    expect(spans(post)).toEqual([
      ['hashtag', '#coffee', 'coffee'],
      ['mention', '@gallery_gus', 'gallery_gus'],
      ['link', expect.stringMatching(/^https:\/\/t\.co\//), 'https://example.com/tasting'],
    ]);
  });

  it('keeps the mentions a post that is not a reply starts with', async () => {
    const t = emu.control.addTweet({ authorId: ADA, text: '@brew_lab @gallery_gus meet us at noon' });
    const post = entryFor((await read('home')).items, `x:${t.id}`).post!;
    expect(post.text).toBe('@brew_lab @gallery_gus meet us at noon');
    expect(spans(post).map((s) => s[1])).toEqual(['@brew_lab', '@gallery_gus']);
  });

  it('reads a long reply in full without its leading mentions', async () => {
    const parent = emu.control.addTweet({ authorId: BREW, text: 'Tell us your story' });
    const body = longText('Here is mine: ', ' #stories', 560);
    const reply = emu.control.addTweet({
      authorId: ADA,
      text: `@brew_lab @${ME_USERNAME} ${body}`,
      replyTo: parent.id,
    });
    const post = entryFor((await read('home')).items, `x:${reply.id}`).post!;
    expect(post.text).toBe(body);
    expect(spans(post)).toEqual([['hashtag', '#stories', 'stories']]);
  });

  it('shows a reply of mentions and a photo as its photo alone', async () => {
    const parent = emu.control.addTweet({ authorId: BREW, text: 'Show us your cup' });
    const reply = emu.control.addTweet({ authorId: ADA, text: '@brew_lab', replyTo: parent.id });
    const photo = emu.state.addMedia(ADA, 'image/png', 800, 800);
    photo.altText = 'My cup';
    photo.finalized = true;
    emu.state.attachMedia(reply, [photo]);
    const post = entryFor((await read('home')).items, `x:${reply.id}`).post!;
    expect(post.text).toBe('');
    expect(post.entities).toEqual([]);
    expect(post.media).toEqual([expect.objectContaining({ alt: 'My cup' })]);
  });

  it('still says a mention of hers that is a reply is a reply, in the words after the mentions', async () => {
    const mine = emu.control.addTweet({ authorId: ME_ID, text: 'New roadmap' });
    const reply = emu.control.addTweet({ authorId: GUS, text: `@${ME_USERNAME} love it`, replyTo: mine.id });
    const entry = entryFor((await read('notifications', 10)).items, `x:${reply.id}`);
    expect(entry).toMatchObject({
      notification: { kind: 'reply' },
      post: { text: 'love it', replyTo: `x:${mine.id}` },
    });
  });

  it('retries an uncertain send of a reply that starts with mentions and posts once', async () => {
    const parent = emu.control.addTweet({ authorId: BREW, text: 'Who is coming Friday?' });
    emu.control.failNext('POST /2/tweets', 'commit-then-error');
    const text = '@brew_lab @ada_makes we are, Q&A included';
    const post = await r.adapter.publish({ text, replyTo: `x:${parent.id}`, idempotencyKey: 'k-reply' });
    expect(emu.state.timeline((t) => t.text === text)).toHaveLength(1);
    expect(post).toMatchObject({ text: 'we are, Q&A included', replyTo: `x:${parent.id}` });
  });
});
