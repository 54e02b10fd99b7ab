// Mastodon preview cards (Status `card`, PreviewCard) → the post's link card, shown where Mastodon's
// web app shows it (app/javascript/mastodon/components/status.jsx).
import { describe, expect, it } from 'vitest';
import { parseStatus, toPost } from '../../../../src/main/networks/mastodon/normalize';
import { PostSchema } from '../../../../src/shared/model';

const DOMAIN = 'social.example';
const account = (id: string, username: string) => ({
  id,
  username,
  acct: username,
  displayName: username,
  avatar: null,
  url: null,
});
/** A PreviewCard as masto hands it over (camelCase), with every field the API description requires. */
const card = (extra: Record<string, unknown> = {}) => ({
  url: 'https://blog.example/posts/42',
  title: 'Forty-two',
  description: 'Why 42',
  type: 'link',
  authorName: '',
  authorUrl: '',
  authors: [],
  providerName: 'Blog',
  providerUrl: '',
  html: '',
  width: 400,
  height: 200,
  image: 'https://files.social.example/cache/preview_cards/images/42.jpg',
  embedUrl: '',
  blurhash: null,
  ...extra,
});
const status = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  createdAt: '2026-11-22T08:00:00.000Z',
  content: `<p>Status ${id} <a href="https://blog.example/posts/42">blog.example/posts/42</a></p>`,
  account: account('1', 'ada'),
  ...extra,
});
const post = (raw: Record<string, unknown>) => PostSchema.parse(toPost(parseStatus(raw, DOMAIN), DOMAIN));

describe('Mastodon preview cards', () => {
  it('a link card becomes the post’s card: url, title, description, image', () => {
    expect(post(status('1', { card: card() })).card).toEqual({
      url: 'https://blog.example/posts/42',
      title: 'Forty-two',
      description: 'Why 42',
      imageUrl: 'https://files.social.example/cache/preview_cards/images/42.jpg',
    });
  });

  it('photo, video and rich cards are links to their page too; an empty description or no image is left out', () => {
    for (const type of ['photo', 'video', 'rich']) {
      expect(post(status('2', { card: card({ type }) })).card?.url).toBe('https://blog.example/posts/42');
    }
    expect(post(status('3', { card: card({ description: '', image: null }) })).card).toEqual({
      url: 'https://blog.example/posts/42',
      title: 'Forty-two',
    });
  });

  it('a status with media or a quote shows those instead of the card, as Mastodon’s web app does', () => {
    const image = {
      id: 'm1',
      type: 'image',
      url: 'https://files.social.example/m1.png',
      description: 'a picture',
      meta: { original: { width: 8, height: 6 } },
    };
    expect(post(status('4', { card: card(), mediaAttachments: [image] })).card).toBeUndefined();
    const quoted = status('5', { account: account('2', 'bea'), card: card({ url: 'https://other.example/' }) });
    const quoting = post(
      status('6', {
        card: card({ url: 'https://social.example/@bea/5' }),
        quote: { state: 'accepted', quotedStatus: quoted },
      }),
    );
    expect(quoting.card).toBeUndefined();
    // The quoted status keeps its own card inside the quote.
    expect(quoting.quote?.card?.url).toBe('https://other.example/');
  });

  it('a card that is not a web link, or cannot be read, is left out and the post still shown', () => {
    for (const bad of [card({ url: 'javascript:alert(1)' }), card({ url: 42 }), 'card', { title: 'no url' }]) {
      const p = post(status('7', { card: bad }));
      expect(p.card).toBeUndefined();
      expect(p.text).toContain('Status 7');
    }
  });

  it('long titles and descriptions are cut to the model’s limits', () => {
    const c = post(status('8', { card: card({ title: 'T'.repeat(1500), description: 'D'.repeat(2500) }) })).card;
    expect([c?.title.length, c?.description?.length]).toEqual([1000, 2000]);
  });
});
