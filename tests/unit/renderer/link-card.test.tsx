// Link preview cards and "cannot show" notes, as a reader of the column gets them (markup of the
// whole post card, react-dom/server), and the card's broken-thumbnail fallback.
import { isValidElement, type ReactElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it, vi } from 'vitest';
import { LinkCardView } from '../../../src/renderer/components/LinkCard';
import { hostOf, webUrlOf } from '../../../src/renderer/components/post-text';
import { PostCard } from '../../../src/renderer/components/PostCard';
import type { ShownEntry } from '../../../src/renderer/db/database';
import { createI18n } from '../../../src/renderer/i18n';
import type { Post } from '../../../src/shared/model';
import type { Language } from '../../../src/shared/settings';
import { samplePost } from './samples';

const THUMB = 'https://cdn.example/thumb.jpg';
const CARD = {
  url: 'https://www.blog.example/posts/42',
  title: 'Forty-two',
  description: 'Why 42 is the answer',
  imageUrl: THUMB,
};
const post = (extra: Partial<Post> = {}): ShownEntry['post'] => ({
  ...samplePost(1, new Date(Date.now() - 60_000).toISOString()),
  text: 'New on the blog',
  entities: [],
  cachedAt: 0,
  ...extra,
});
const render = (p: ShownEntry['post'], language: Language = 'en') =>
  renderToStaticMarkup(
    <I18nextProvider i18n={createI18n(language)}>
      <PostCard
        entry={{ key: 'k', at: new Date().toISOString(), post: p }}
        position={1}
        total={1}
        language={language}
      />
    </I18nextProvider>,
  );
/** The text a reader gets: markup without tags. */
const words = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
/** The card's own markup: the first element of class link-card, to its end. */
const cardOf = (html: string) => /<(a|div) class="link-card[^"]*"[^>]*>.*?<\/\1>/s.exec(html)?.[0] ?? '';

describe('link cards in the post', () => {
  it('a post whose link lives only in its card shows one link: host, title, description, thumbnail', () => {
    const html = render(post({ card: CARD }));
    const card = cardOf(html);
    // One ordinary link (reachable with Tab), opening outside, telling the page nothing of us.
    expect(card).toMatch(
      /^<a class="link-card" href="https:\/\/www\.blog\.example\/posts\/42" target="_blank" rel="noreferrer noopener" title="Opens https:\/\/www\.blog\.example\/posts\/42 in your browser">/,
    );
    expect(card).not.toContain('tabindex');
    expect(words(card).trim()).toBe('blog.example Forty-two Why 42 is the answer');
    expect(card).toContain(`<img src="${THUMB}" alt=""`);
    expect(words(html)).toContain('New on the blog');
  });

  it('a card with no title or description shows its host; without a picture, a placeholder', () => {
    const card = cardOf(render(post({ card: { url: 'https://guide.example/', title: '' } })));
    expect(words(card).trim()).toBe('guide.example');
    expect(card).not.toContain('<img');
    expect(card).toContain('<svg'); // the link icon in the thumbnail's place
  });

  it('a card whose address is not a web link is shown, never linked', () => {
    const html = render(post({ card: { url: 'javascript:alert(1)', title: 'Click me' } }));
    expect(html).not.toMatch(/href="javascript:/);
    expect(cardOf(html)).toMatch(
      /^<div class="link-card inert" role="group" aria-label="Link to javascript:alert\(1\), which Colonnade does not open">/,
    );
    expect(words(cardOf(html))).toContain('Click me');
    expect(render(post({ card: { url: 'at://did:plc:x/app.bsky.feed.post/1', title: 'x' } }))).not.toContain(
      'href="at:',
    );
  });

  it('a quoted post’s card is shown inside the quote', () => {
    const quote = { ...samplePost(2, new Date().toISOString()), text: 'quoted words', card: CARD };
    const html = render(post({ quote }));
    const inQuote = /<div class="quote" role="group".*$/s.exec(html)?.[0] ?? '';
    expect(cardOf(inQuote)).toContain('href="https://www.blog.example/posts/42"');
  });

  it('folded with the post behind a content warning; its picture held back while media are folded', () => {
    expect(render(post({ card: CARD, contentWarning: 'Spoilers' }))).not.toContain('link-card');
    const sensitive = render(post({ card: CARD, moderation: [{ scope: 'media', source: 'label', text: 'porn' }] }));
    expect(cardOf(sensitive)).toContain('href="https://www.blog.example/posts/42"');
    expect(sensitive).not.toContain(THUMB);
  });
});

describe('what Colonnade cannot show, in words', () => {
  const unsupported = { unsupported: 'app.bsky.embed.poll#view', url: 'https://bsky.app/profile/ada/post/3k' };
  it('says so in English and French, with the post’s page to see it all', () => {
    const en = render(post(unsupported));
    expect(words(en)).toContain(
      'Colonnade cannot show part of this post (app.bsky.embed.poll#view). Open the post in your browser',
    );
    expect(en).toContain(
      '<a href="https://bsky.app/profile/ada/post/3k" target="_blank" rel="noreferrer noopener">Open the post in your browser</a>',
    );
    expect(words(render(post(unsupported), 'fr'))).toContain(
      'Colonnade ne peut pas afficher une partie de cette publication (app.bsky.embed.poll#view). Ouvrir la publication dans votre navigateur',
    );
    expect(words(en)).toContain('New on the blog'); // the text is still there
  });

  it('without a web page for the post, the note stands alone; on a quoted post, inside the quote', () => {
    const alone = render(post({ unsupported: 'app.bsky.embed.poll#view', url: null }));
    expect(alone).toMatch(
      /<p class="post-unsupported">Colonnade cannot show part of this post \(app\.bsky\.embed\.poll#view\)\.<\/p>/,
    );
    const quote = { ...samplePost(2, new Date().toISOString()), unsupported: 'app.bsky.embed.poll#view' };
    const html = render(post({ quote }));
    expect(/<div class="quote" role="group".*$/s.exec(html)?.[0]).toContain('post-unsupported');
  });
});

describe('the card’s thumbnail', () => {
  /** The elements of a tree of React elements (no rendering: the props as given). */
  const elements = (node: ReactNode): ReactElement<Record<string, unknown>>[] => {
    if (Array.isArray(node)) return node.flatMap(elements);
    if (!isValidElement<Record<string, unknown>>(node)) return [];
    return [node, ...elements(node.props.children as ReactNode)];
  };
  const t = createI18n('en').t;

  it('a picture that fails to load gives way to the placeholder, as PostCard’s media do', () => {
    const onBroken = vi.fn();
    const tree = LinkCardView({ t, card: CARD, imageUrl: THUMB, onBroken });
    const img = elements(tree).find((e) => e.type === 'img');
    expect(img?.props.src).toBe(THUMB);
    (img?.props.onError as () => void)();
    expect(onBroken).toHaveBeenCalledTimes(1);
    // Once broken, LinkCard passes no picture: the placeholder icon takes its place.
    const after = elements(LinkCardView({ t, card: CARD, imageUrl: null, onBroken }));
    expect(after.some((e) => e.type === 'img')).toBe(false);
    expect(after.find((e) => e.props.className === 'link-card-thumb')?.props.children).toBeTruthy();
  });

  it('names hosts as readers know them', () => {
    expect(hostOf('https://www.blog.example/x?y=1')).toBe('blog.example');
    expect(hostOf('http://localhost:8080/x')).toBe('localhost');
    expect(hostOf('not a url')).toBe('not a url');
    expect(hostOf('javascript:alert(1)')).toBe('javascript:alert(1)');
  });

  it('takes web addresses only (http, https) as links', () => {
    expect(webUrlOf('https://blog.example/x')?.href).toBe('https://blog.example/x');
    expect(webUrlOf('http://127.0.0.1:8080/x')?.href).toBe('http://127.0.0.1:8080/x');
    for (const url of ['javascript:alert(1)', 'data:text/html,hi', 'file:///etc/passwd', 'ftp://x.example/', 'x', '']) {
      expect(webUrlOf(url)).toBeNull();
    }
    expect(webUrlOf(null)).toBeNull();
  });
});
