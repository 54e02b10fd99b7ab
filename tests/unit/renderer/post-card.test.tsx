// The post card as markup (react-dom/server): what a reader of the column gets in words.
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { PostCard } from '../../../src/renderer/components/PostCard';
import type { ShownEntry } from '../../../src/renderer/db/database';
import { createI18n } from '../../../src/renderer/i18n';
import type { Language } from '../../../src/shared/settings';
import type { Post, TimelineEntry } from '../../../src/shared/model';
import { samplePost, sampleProfile } from './samples';

const at = new Date(Date.now() - 5 * 60_000).toISOString();
const post = (extra: Partial<Post> = {}): ShownEntry['post'] => ({
  ...samplePost(1, new Date(Date.now() - 3 * 86_400_000).toISOString()),
  cachedAt: 0,
  ...extra,
});
const render = (entry: Omit<ShownEntry, 'at'> & { at?: string }, language: Language = 'en') =>
  renderToStaticMarkup(
    <I18nextProvider i18n={createI18n(language)}>
      <PostCard entry={{ at, ...entry }} position={1} total={1} language={language} />
    </I18nextProvider>,
  );
/** The text a reader gets: markup without tags, images by their alt text. */
const words = (html: string) =>
  html
    .replace(/<img[^>]*alt="([^"]*)"[^>]*>/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&');
const notification = (
  kind: NonNullable<TimelineEntry['notification']>['kind'],
  names: string[],
  count = names.length,
): NonNullable<TimelineEntry['notification']> => ({
  kind,
  actors: names.map((n) => sampleProfile(n.toLowerCase(), n)),
  count,
});

describe('notifications in words', () => {
  it('says who did what, grouped, in English and French', () => {
    const liked = { key: 'like:1', post: post(), notification: notification('like', ['Gina', 'Hal'], 4) };
    expect(words(render(liked))).toContain('Gina and 3 others liked your post');
    expect(words(render(liked, 'fr'))).toContain('Gina et 3 autres personnes ont aimé votre publication');
    const one = { key: 'like:1', post: post(), notification: notification('like', ['Gina']) };
    expect(words(render(one))).toContain('Gina liked your post');
    const two = { key: 'like:1', post: post(), notification: notification('like', ['Gina', 'Hal']) };
    expect(words(render(two))).toContain('Gina and 1 other liked your post');
    expect(words(render(two, 'fr'))).toContain('Gina et 1 autre personne ont aimé votre publication');
    const reposted = { key: 'repost:1', post: post(), notification: notification('repost', ['Bob']) };
    expect(words(render(reposted))).toContain('Bob reposted your post');
    expect(words(render(reposted, 'fr'))).toContain('Bob a partagé votre publication');
    // The article is named by the sentence too.
    expect(render(liked)).toMatch(/<article[^>]*aria-label="Gina and 3 others liked your post, 5 minutes ago"/);
  });

  it('shows a follow without any post body, and a mention, reply or quote with its post', () => {
    const follow = render({ key: 'follow:1', post: null, notification: notification('follow', ['Hal']) });
    expect(words(follow)).toContain('Hal followed you');
    expect(words(follow)).toContain('@hal');
    expect(follow).not.toContain('post-text');
    expect(follow).not.toMatch(/aria-label="Like, /);
    for (const [kind, sentence] of [
      ['mention', 'Gina mentioned you'],
      ['reply', 'Gina replied to your post'],
      ['quote', 'Gina quoted your post'],
    ] as const) {
      const html = render({
        key: 'n',
        post: post({ text: '@practice hello' }),
        notification: notification(kind, ['Gina']),
      });
      expect(words(html)).toContain(sentence);
      expect(words(html)).toContain('@practice hello');
      expect(html).toMatch(/aria-label="Like, 1 like"/); // the post's own actions
    }
  });
});

describe('notifications Colonnade has no kind for', () => {
  const other = (type: string, names = ['Gina']) => ({ ...notification('other', names), type });

  it('says each type the network names in a sentence, in English and French', () => {
    for (const [type, en, fr] of [
      // Mastodon (app/models/notification.rb TYPES)
      ['status', 'Gina just posted', 'Nouvelle publication de Gina'],
      ['update', 'Gina edited a post', 'Publication modifiée par Gina'],
      ['poll', 'A poll by Gina has ended', 'Le sondage de Gina est terminé'],
      ['follow_request', 'Gina asked to follow you', 'Demande d’abonnement de Gina'],
      ['admin.sign_up', 'Gina signed up', 'Nouvelle inscription : Gina'],
      ['admin.report', 'Gina filed a report', 'Nouveau signalement de Gina'],
      ['severed_relationships', 'You lost follows or followers through a moderation decision', 'Vous avez perdu'],
      ['moderation_warning', 'Your account received a warning from the moderators', 'un avertissement'],
      ['annual_report', 'Your year in review (#Wrapstodon) is ready', 'Votre bilan de l’année'],
      ['quoted_update', 'Gina edited a post you quoted', 'Une publication que vous avez citée a été modifiée par Gina'],
      ['added_to_collection', 'Gina added you to a collection', 'dans une collection de Gina'],
      ['collection_update', 'Gina updated a collection you are in', 'Une collection de Gina'],
      // Bluesky (app.bsky.notification.listNotifications `reason` knownValues)
      ['starterpack-joined', 'Gina signed up with your starter pack', 'votre kit de démarrage : Gina'],
      ['verified', 'Gina verified your account', 'Votre compte a été vérifié par Gina'],
      ['unverified', 'Gina removed your account’s verification', 'retirée par Gina'],
      ['like-via-repost', 'Gina liked your repost', 'Votre partage a été aimé par Gina'],
      ['repost-via-repost', 'Gina reposted your repost', 'Votre partage a été partagé à nouveau par Gina'],
      ['subscribed-post', 'Gina just posted', 'Nouvelle publication de Gina'],
      ['contact-match', 'From your contacts, now on Bluesky: Gina', 'De vos contacts, désormais sur Bluesky : Gina'],
    ] as const) {
      const entry = { key: 'n', post: null, notification: other(type) };
      expect(words(render(entry)), type).toContain(en);
      expect(words(render(entry, 'fr')), type).toContain(fr);
      expect(words(render(entry)), type).not.toContain(`: ${type}`);
    }
  });

  it('names who, with the post it is about, and the article is named by the same sentence', () => {
    const html = render({ key: 'n', post: post({ text: 'Which colour?' }), notification: other('poll') });
    expect(words(html)).toContain('A poll by Gina has ended');
    expect(words(html)).toContain('Which colour?');
    expect(html).toMatch(/<article[^>]*aria-label="A poll by Gina has ended, 5 minutes ago"/);
    expect(html).toMatch(/A poll by <bdi class="profile-name" dir="auto">Gina<\/bdi> has ended/);
  });

  it('names several who did it, and falls back to a sentence naming who for a word it does not know', () => {
    const several = { key: 'n', post: null, notification: other('follow_request', ['Gina', 'Hal', 'Ivy']) };
    expect(words(render(several))).toContain('Gina and 2 others asked to follow you');
    expect(words(render(several, 'fr'))).toContain('Demande d’abonnement de Gina et 2 autres personnes');
    const unknown = { key: 'n', post: null, notification: other('made_up.thing') };
    expect(words(render(unknown))).toContain('New notification from Gina (made_up.thing)');
    expect(words(render(unknown, 'fr'))).toContain('Nouvelle notification de Gina (made_up.thing)');
    const unknownMany = { key: 'n', post: null, notification: other('made_up', ['Gina', 'Hal']) };
    expect(words(render(unknownMany))).toContain('New notification from Gina and 1 other (made_up)');
  });
});

describe('the post card', () => {
  it('labels a repost from its entry, and not the same post met plainly', () => {
    const shown = post();
    const repost = render({ key: 'r-1', post: shown, repostedBy: sampleProfile('bob', 'Bob') });
    expect(words(repost)).toContain('Bob reposted');
    expect(words(render({ key: shown!.id, post: shown }))).not.toContain('reposted');
  });

  it('shows the quoted post inside, compact, with its author, text and media, or why it is unavailable', () => {
    const quoted = {
      ...samplePost(9, '2026-11-20T08:00:00.000Z'),
      author: sampleProfile('wren', 'Wren Adeyemi'),
      text: 'The original words',
      entities: [],
      media: [
        { kind: 'image' as const, alt: 'A red bike', width: 10, height: 10, url: null, placeholderColor: '#000' },
      ],
    };
    const html = render({ key: 'q', post: post({ text: 'Look at this', entities: [], quote: quoted }) });
    expect(html).toMatch(/role="group" aria-label="Quoted post by Wren Adeyemi"/);
    const inner = html.slice(html.indexOf('Quoted post by'));
    expect(words(inner)).toContain('Wren Adeyemi');
    expect(words(inner)).toContain('The original words');
    expect(inner).toContain('aria-label="Image: A red bike"');
    expect(html.indexOf('Look at this')).toBeLessThan(html.indexOf('The original words'));
    expect(words(render({ key: 'q', post: post({ quoteUnavailable: 'deleted' }) }))).toContain(
      'The quoted post was deleted.',
    );
    expect(words(render({ key: 'q', post: post({ quoteUnavailable: 'muted' }) }))).toContain(
      'The quoted post is not available (muted).',
    );
  });

  it('folds a filtered or labelled post in words, and hides sensitive media behind one button', () => {
    const filtered = render({
      key: 'f',
      post: post({ moderation: [{ scope: 'post', source: 'filter', text: 'Spoilers' }] }),
    });
    expect(words(filtered)).toContain('Filtered: Spoilers');
    expect(filtered).toMatch(/<button[^>]*aria-expanded="false"[^>]*>Show post<\/button>/);
    expect(filtered).not.toContain('post-text'); // the text waits behind the fold
    const labelled = render({
      key: 'l',
      post: post({ moderation: [{ scope: 'post', source: 'label', text: 'graphic-media' }] }),
    });
    expect(words(labelled)).toContain('Label: Graphic media');
    expect(
      words(render({ key: 'l', post: post({ moderation: [{ scope: 'post', source: 'label', text: 'spoiler' }] }) })),
    ).toContain('Label: spoiler');

    const image = {
      kind: 'image' as const,
      alt: 'A crash',
      width: 4,
      height: 3,
      url: 'https://m.example/a.jpg',
      placeholderColor: '#000',
    };
    const sensitive = render({
      key: 's',
      post: post({ media: [image], moderation: [{ scope: 'media', source: 'sensitive', text: '' }] }),
    });
    expect(words(sensitive)).toContain('Sensitive media — Show');
    expect(sensitive).toMatch(/<button[^>]*aria-expanded="false"[^>]*aria-label="Show media"[^>]*>Show<\/button>/);
    expect(sensitive).not.toContain('https://m.example/a.jpg');
    expect(words(sensitive)).toContain('Post 1 #IFPower'); // the words stay readable
    const labelledMedia = render({
      key: 's',
      post: post({ media: [image], moderation: [{ scope: 'media', source: 'label', text: 'graphic-media' }] }),
    });
    expect(words(labelledMedia)).toContain('Label: Graphic media — Show');
  });

  it('shows custom emoji as small images with the shortcode as alt, in text, names and content warnings', () => {
    const emojis = [{ shortcode: 'ifpower', url: 'data:image/svg+xml,x' }];
    const author = { ...sampleProfile('ifpower', 'IF Power :ifpower:'), emojis };
    const img = /<img class="emoji" src="data:image\/svg\+xml,x" alt=":ifpower:"/g;
    const html = render({ key: 'e', post: post({ text: 'Go :ifpower: :other:', entities: [], emojis, author }) });
    expect(html.match(img)).toHaveLength(2); // the name and the text
    expect(html).toContain('Go <img'); // inline, in the text
    expect(words(html)).toContain('Go :ifpower: :other:'); // :other: is not listed: it stays text
    const folded = render({
      key: 'e',
      post: post({ text: 'x', entities: [], emojis, contentWarning: 'Launch :ifpower:' }),
    });
    expect(folded).toMatch(/<strong>Launch <img class="emoji"[^>]*alt=":ifpower:"/);
    // Without the list, a shortcode is just text.
    expect(render({ key: 'e', post: post({ text: 'Go :ifpower:', entities: [] }) })).not.toContain('class="emoji"');
  });

  it('shows the still image of an animated emoji to who prefers reduced motion, with no script', () => {
    const emojis = [
      { shortcode: 'blobwave', url: 'https://m.example/blobwave.gif', staticUrl: 'https://m.example/blobwave.png' },
      { shortcode: 'ifpower', url: 'https://m.example/ifpower.png' },
    ];
    const author = { ...sampleProfile('ada', 'Ada :blobwave:'), emojis };
    const html = render({ key: 'e', post: post({ text: 'Hi :blobwave: :ifpower:', entities: [], emojis, author }) });
    const animated =
      '<picture><source media="(prefers-reduced-motion: reduce)" srcSet="https://m.example/blobwave.png"/>' +
      '<img class="emoji" src="https://m.example/blobwave.gif" alt=":blobwave:"';
    expect(html.split(animated)).toHaveLength(3); // in the name and in the text
    // An emoji without a still image is the image alone.
    expect(html).toMatch(/ <img class="emoji" src="https:\/\/m.example\/ifpower.png" alt=":ifpower:"/);
    expect(html.match(/<picture>/g)).toHaveLength(2);
    expect(words(html)).toContain('Hi :blobwave: :ifpower:');
  });

  it('gives user-written text its own direction, and links their display text', () => {
    const html = render({
      key: 'h',
      post: post({
        text: 'הסוללה החזיקה! https://t.co/x',
        entities: [{ kind: 'link', start: 15, end: 29, value: 'https://t.co/x', display: 'ifpower.example/a' }],
        contentWarning: 'ספוילר',
        author: sampleProfile('noa.rides', 'נועה כהן'),
      }),
    });
    expect(html).toMatch(/<span class="post-name" dir="auto">נועה כהן<\/span>/);
    expect(html).toMatch(/<p class="fold-reason" dir="auto"><strong>ספוילר<\/strong><\/p>/);
    const quote = render({
      key: 'q',
      post: post({ text: 'x', entities: [], quote: { ...samplePost(2, '2026-11-20T08:00:00.000Z'), text: 'مرحبا' } }),
    });
    expect(quote).toMatch(/<p class="post-text" dir="auto">مرحبا<\/p>/);
    const link = render({
      key: 'l',
      post: post({
        text: 'see https://t.co/x',
        entities: [{ kind: 'link', start: 4, end: 18, value: 'https://t.co/x', display: 'ifpower.example/a' }],
      }),
    });
    expect(link).toMatch(/<a dir="auto" href="https:\/\/t.co\/x"[^>]*>ifpower.example\/a<\/a>/);
  });

  it('shows initials where an author has no picture', () => {
    const html = render({ key: 'a', post: post({ author: sampleProfile('gina', 'Gina Rossi') }) });
    expect(html).toMatch(/<div class="avatar placeholder" role="img" aria-label="Avatar of Gina Rossi">GR<\/div>/);
  });
});
