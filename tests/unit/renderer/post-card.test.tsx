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
      ['admin.sign_up', 'Gina signed up', 'Nouvelle inscription\u202f: Gina'],
      ['admin.report', 'Gina filed a report', 'Nouveau signalement de Gina'],
      ['severed_relationships', 'You lost follows or followers through a moderation decision', 'Vous avez perdu'],
      ['moderation_warning', 'Your account received a warning from the moderators', 'un avertissement'],
      ['annual_report', 'Your year in review (#Wrapstodon) is ready', 'Votre bilan de l’année'],
      ['quoted_update', 'Gina edited a post you quoted', 'Une publication que vous avez citée a été modifiée par Gina'],
      ['added_to_collection', 'Gina added you to a collection', 'dans une collection de Gina'],
      ['collection_update', 'Gina updated a collection you are in', 'Une collection de Gina'],
      // Bluesky (app.bsky.notification.listNotifications `reason` knownValues)
      ['starterpack-joined', 'Gina signed up with your starter pack', 'votre kit de démarrage\u202f: Gina'],
      ['verified', 'Gina verified your account', 'Votre compte a été vérifié par Gina'],
      ['unverified', 'Gina removed your account’s verification', 'retirée par Gina'],
      ['like-via-repost', 'Gina liked your repost', 'Votre partage a été aimé par Gina'],
      ['repost-via-repost', 'Gina reposted your repost', 'Votre partage a été partagé à nouveau par Gina'],
      ['subscribed-post', 'Gina just posted', 'Nouvelle publication de Gina'],
      [
        'contact-match',
        'From your contacts, now on Bluesky: Gina',
        'De vos contacts, désormais sur Bluesky\u202f: Gina',
      ],
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

  // A Bluesky link facet (app.bsky.richtext.facet#link) carries any URI the poster wrote.
  it.each([
    ['javascript:', 'javascript:alert(document.domain)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['file:', 'file:///etc/passwd'],
    ['an app scheme', 'colonnade://settings'],
    ['no address', 'not a url'],
  ])('shows a link to %s as its text, never a link', (_, uri) => {
    const text = 'read this now';
    const html = render({
      key: 'l',
      post: post({ text, entities: [{ kind: 'link', start: 5, end: 9, value: uri }] }),
    });
    expect(words(html)).toContain('read this now');
    expect(html).not.toMatch(/<a [^>]*dir="auto"/);
    expect(html).not.toContain('href="' + uri.slice(0, 5));
  });

  it('links a web facet (https, http) to its target', () => {
    const text = 'read this now';
    const facet = (value: string) =>
      render({ key: 'l', post: post({ text, entities: [{ kind: 'link', start: 5, end: 9, value }] }) });
    expect(facet('https://ifpower.example/launch?x=1')).toMatch(
      /read <a dir="auto" href="https:\/\/ifpower.example\/launch\?x=1" target="_blank" rel="noreferrer noopener" title="[^"]*https:\/\/ifpower.example\/launch\?x=1[^"]*">this<\/a> now/,
    );
    expect(facet('HTTP://Blog.Example/a')).toContain('href="http://blog.example/a"');
  });

  it('shows initials where an author has no picture', () => {
    const html = render({ key: 'a', post: post({ author: sampleProfile('gina', 'Gina Rossi') }) });
    expect(html).toMatch(/<div class="avatar placeholder" role="img" aria-label="Avatar of Gina Rossi">GR<\/div>/);
  });
});

describe('emoji reactions (Pleroma, Akkoma, Misskey forks)', () => {
  const reacted = (names: string[], reaction: string, reactionUrl?: string) => ({
    key: 'r',
    post: post({ text: 'New frame colours' }),
    notification: {
      ...notification('other', names),
      type: 'pleroma:emoji_reaction',
      reaction,
      ...(reactionUrl ? { reactionUrl } : {}),
    },
  });

  it('says who reacted with which emoji, in English and French', () => {
    expect(words(render(reacted(['Gina'], '🎉')))).toContain('Gina reacted 🎉 to your post');
    expect(words(render(reacted(['Gina', 'Hal', 'Ivy'], '🎉')))).toContain('Gina and 2 others reacted 🎉 to your post');
    expect(words(render(reacted(['Gina'], '🎉'), 'fr'))).toContain('Gina a réagi 🎉 à votre publication');
    expect(render(reacted(['Gina'], '🎉'))).toMatch(/<article[^>]*aria-label="Gina reacted 🎉 to your post, /);
    expect(words(render(reacted(['Gina'], '🎉')))).toContain('New frame colours');
    expect(words(render(reacted(['Gina'], '🎉')))).not.toContain('pleroma:emoji_reaction');
  });

  it('draws a custom emoji reaction as its image, with its shortcode as alt', () => {
    const html = render(reacted(['Gina'], ':blobcat:', 'https://akkoma.example/emoji/blobcat.png'));
    expect(html).toMatch(
      /reacted <img class="emoji" src="https:\/\/akkoma.example\/emoji\/blobcat.png" alt=":blobcat:"/,
    );
    expect(words(html)).toContain('Gina reacted :blobcat: to your post');
  });
});

describe('audio and attachments the server did not fetch', () => {
  const media = (extra: Partial<Post['media'][number]>): Post['media'][number] => ({
    kind: 'audio',
    alt: '',
    width: 16,
    height: 9,
    url: 'https://files.example/episode12.mp3',
    placeholderColor: '#000',
    ...extra,
  });

  it('plays audio in place (loading nothing until asked) and links to it, saying what it is', () => {
    const html = render({ key: 'a', post: post({ media: [media({ alt: 'Episode 12: moderation at scale' })] }) });
    expect(html).toMatch(/<audio controls="" preload="none" src="https:\/\/files.example\/episode12.mp3"/);
    expect(words(html)).toContain('Audio: Episode 12: moderation at scale');
    expect(html).toMatch(
      /<a href="https:\/\/files.example\/episode12.mp3" target="_blank"[^>]*>.*Open in your browser<\/a>/,
    );
    expect(words(render({ key: 'a', post: post({ media: [media({})] }) }, 'fr'))).toContain(
      'Audio\u202f: sans description',
    );
  });

  it('does not load audio from an address the page may not load (not https); it still says and links', () => {
    const html = render({ key: 'a', post: post({ media: [media({ url: 'http://files.example/e.mp3' })] }) });
    expect(html).not.toContain('<audio');
    expect(words(html)).toContain('Audio: no description');
    expect(html).toContain('href="http://files.example/e.mp3"');
  });

  it('a post of only an undescribed attachment the server did not fetch shows a link to it, never an empty card', () => {
    const file = media({ kind: 'file', url: 'https://remote.example/media/big-video.webm' });
    const html = render({ key: 'f', post: post({ text: '', entities: [], media: [file] }) });
    expect(words(html)).toContain('Attachment (not loaded by the server): remote.example');
    expect(html).toMatch(
      /<a href="https:\/\/remote.example\/media\/big-video.webm" target="_blank" rel="noreferrer noopener"/,
    );
    expect(words(render({ key: 'f', post: post({ text: '', media: [file] }) }, 'fr'))).toContain(
      'Pièce jointe (non chargée par le serveur)\u202f: remote.example',
    );
    for (const url of ['javascript:alert(1)', 'data:video/webm;base64,AAAA', 'file:///tmp/big-video.webm']) {
      const html = render({ key: 'f', post: post({ text: '', entities: [], media: [{ ...file, url }] }) });
      expect(words(html)).toContain('Attachment (not loaded by the server)');
      expect(html).not.toContain('<a ');
      const audio = render({ key: 'a', post: post({ media: [media({ url })] }) });
      expect(audio).not.toContain('<audio');
      expect(audio).not.toContain('<a ');
    }
    const nowhere = render({ key: 'f', post: post({ text: '', entities: [], media: [{ ...file, url: null }] }) });
    expect(words(nowhere)).toContain('Attachment (not loaded by the server)');
    expect(nowhere).not.toContain('<a ');
  });
});

describe('polls', () => {
  const poll = (extra: Partial<NonNullable<Post['poll']>> = {}): NonNullable<Post['poll']> => ({
    options: [
      { title: 'Dark mode', votes: 6 },
      { title: 'Scheduled threads', votes: 4 },
    ],
    voters: 10,
    multiple: false,
    endsAt: new Date(Date.now() + 2 * 86_400_000 - 60_000).toISOString(),
    closed: false,
    ...extra,
  });
  /** The text of each option as read aloud. */
  const options = (html: string) => [...html.matchAll(/<li[^>]*>(.*?)<\/li>/g)].map((m) => words(m[1]!).trim());

  it('lists each option with its share, the turnout and when it closes', () => {
    const html = render({ key: 'p', post: post({ poll: poll() }) });
    expect(options(html)).toEqual(['60% Dark mode', '40% Scheduled threads']);
    expect(words(html)).toContain('10 people · closes in 2 days');
    expect(html).toMatch(/<ul>/);
    // The bars are drawn, and hidden from screen readers.
    expect(html).toMatch(/<span class="poll-bar" aria-hidden="true" style="width:60%"><\/span>/);
    expect(words(render({ key: 'p', post: post({ poll: poll() }) }, 'fr'))).toContain(
      '10 personnes · se termine dans 2 jours',
    );
  });

  it('counts a multiple-choice poll’s shares of its voters, as Mastodon does, and marks the viewer’s votes', () => {
    const multi = poll({
      options: [
        { title: 'Lists', votes: 6 },
        { title: 'Filters', votes: 5 },
        { title: 'Scheduler', votes: 3 },
      ],
      voters: 8,
      multiple: true,
      ownVotes: [0, 2],
    });
    const html = render({ key: 'p', post: post({ poll: multi }) });
    expect(options(html)).toEqual(['75% Lists your vote', '63% Filters', '38% Scheduler your vote']);
    expect(html).toContain('aria-label="Poll, several choices allowed"');
  });

  it('says Closed, and while counts are hidden lists the options without shares', () => {
    const closed = render({ key: 'p', post: post({ poll: poll({ closed: true }) }) });
    expect(words(closed)).toContain('10 people · Closed');
    const hidden = poll({
      options: [
        { title: 'Yes', votes: null },
        { title: 'No', votes: null },
      ],
      voters: 12,
    });
    const html = render({ key: 'p', post: post({ poll: hidden }) });
    expect(options(html)).toEqual(['Yes', 'No']);
    expect(html).not.toContain('poll-bar');
    expect(words(html)).toContain('12 people · closes in 2 days · results shown when it closes');
  });

  it('says votes where the number of people is unknown, and nobody voting is 0%', () => {
    const unknown = poll({ voters: null, multiple: true, endsAt: null });
    expect(words(render({ key: 'p', post: post({ poll: unknown }) }))).toContain('10 votes');
    const empty = poll({
      options: [
        { title: 'A', votes: 0 },
        { title: 'B', votes: 0 },
      ],
      voters: 0,
    });
    expect(options(render({ key: 'p', post: post({ poll: empty }) }))).toEqual(['0% A', '0% B']);
  });

  it('draws custom emoji in options, and shows the poll inside a quote', () => {
    const emojis = [{ shortcode: 'hiroi-laugh', url: 'https://akkoma.example/e.png' }];
    const withEmoji = poll({
      options: [
        { title: 'Yes :hiroi-laugh:', votes: 1 },
        { title: 'No', votes: 1 },
      ],
    });
    const html = render({ key: 'p', post: post({ poll: withEmoji, emojis }) });
    expect(html).toMatch(/Yes <img class="emoji" src="https:\/\/akkoma.example\/e.png" alt=":hiroi-laugh:"/);
    const quoted = { ...samplePost(2, '2026-11-20T08:00:00.000Z'), poll: poll() };
    expect(options(render({ key: 'q', post: post({ quote: quoted }) }))).toEqual([
      '60% Dark mode',
      '40% Scheduled threads',
    ]);
  });
});

describe('custom emoji from Pleroma, Akkoma and Misskey', () => {
  it('draws shortcodes with a hyphen in text and names, and leaves them out of initials', () => {
    const emojis = [{ shortcode: 'hiroi-laugh', url: 'https://akkoma.example/hiroi-laugh.png' }];
    const author = { ...sampleProfile('hiroi', 'Hiroi :hiroi-laugh:'), emojis };
    const html = render({
      key: 'e',
      post: post({ text: 'that was great :hiroi-laugh:', entities: [], emojis, author }),
    });
    expect(
      html.match(/<img class="emoji" src="https:\/\/akkoma.example\/hiroi-laugh.png" alt=":hiroi-laugh:"/g),
    ).toHaveLength(2);
    // Accessible names say the emoji's name, without colons (the image keeps `:shortcode:` as alt).
    expect(html).toMatch(/aria-label="Avatar of Hiroi hiroi-laugh">H<\/div>/);
    expect(html).toMatch(/<article[^>]*aria-label="Hiroi hiroi-laugh, 3 days ago"/);
  });
});

/** The article's accessible name. */
const label = (html: string) => /<article[^>]*aria-label="([^"]*)"/.exec(html)?.[1];

describe('article names, from translated templates', () => {
  const ifpower = {
    ...sampleProfile('ifpower', 'IF Power :ifpower:'),
    emojis: [{ shortcode: 'ifpower', url: 'https://social.example/ifpower.png' }],
  };

  it('says a custom emoji in a name by its name, never as “:shortcode:”', () => {
    const html = render({ key: 'p', post: post({ author: ifpower }) });
    expect(label(html)).toBe('IF Power ifpower, 3 days ago');
    expect(html).toContain('alt=":ifpower:"'); // the visible name keeps its image
    const liked = render({ key: 'like:1', post: post(), notification: { kind: 'like', actors: [ifpower], count: 1 } });
    expect(label(liked)).toBe('IF Power ifpower liked your post, 5 minutes ago');
    // A shortcode the network did not list stays as written (it is text, not an emoji).
    const unlisted = render({ key: 'p', post: post({ author: sampleProfile('x', 'Ana :wave:') }) });
    expect(label(unlisted)).toBe('Ana :wave:, 3 days ago');
    // A custom reaction is said by its name too.
    const reaction = render({
      key: 'r',
      post: post(),
      notification: {
        ...notification('other', ['Gina']),
        reaction: ':blobcat:',
        reactionUrl: 'https://x.example/b.png',
      },
    });
    expect(label(reaction)).toBe('Gina reacted blobcat to your post, 5 minutes ago');
  });

  it('names who reposted it, in English and French', () => {
    const entry = { key: 'r-1', post: post({ author: ifpower }), repostedBy: sampleProfile('bob', 'Bob') };
    expect(label(render(entry))).toBe('IF Power ifpower, 3 days ago, reposted by Bob');
    expect(label(render(entry, 'fr'))).toBe('IF Power ifpower, il y a 3 jours, partage de Bob');
    // The same post met without a repost says no such thing.
    expect(label(render({ key: 'p', post: post({ author: ifpower }) }))).not.toContain('Bob');
  });

  it('does not repeat the name of a mention, reply or quote by its author', () => {
    const elodie = sampleProfile('elodie', 'Élodie Martin');
    for (const [kind, en, fr] of [
      ['mention', 'Élodie Martin mentioned you, 3 days ago', 'Élodie Martin vous a mentionné, il y a 3 jours'],
      [
        'reply',
        'Élodie Martin replied to your post, 3 days ago',
        'Élodie Martin a répondu à votre publication, il y a 3 jours',
      ],
      ['quote', 'Élodie Martin quoted your post, 3 days ago', 'Élodie Martin a cité votre publication, il y a 3 jours'],
    ] as const) {
      const entry = {
        key: 'n',
        post: post({ author: elodie }),
        notification: { kind, actors: [elodie], count: 1 },
      };
      expect(label(render(entry))).toBe(en);
      expect(label(render(entry, 'fr'))).toBe(fr);
    }
  });

  it('names the author after the sentence when someone else did it, with French spacing', () => {
    const entry = {
      key: 'n',
      post: post({ author: sampleProfile('nina', 'Nina') }),
      notification: notification('mention', ['Gina', 'Hal']),
    };
    expect(label(render(entry))).toBe('Gina and 1 other mentioned you: Nina, 3 days ago');
    // French puts a narrow no-break space (U+202F) before the colon.
    expect(label(render(entry, 'fr'))).toBe('Gina et 1 autre personne vous ont mentionné\u202f: Nina, il y a 3 jours');
  });
});

describe('the header of a post in a narrow column', () => {
  it('shows a compact time, with the full date on hover and the long form in the article’s name', () => {
    const html = render({ key: 'p', post: post() });
    expect(html).toMatch(/<time dateTime="[^"]+" title="[^"]+">3 days<\/time>/);
    expect(label(html)).toBe('Ada, 3 days ago');
    const fr = render({ key: 'p', post: post() }, 'fr');
    expect(fr).toMatch(/<time dateTime="[^"]+" title="[^"]+">3\u202fj<\/time>/);
    expect(label(fr)).toBe('Ada, il y a 3 jours');
    // Notifications too: the time follows the sentence.
    const liked = render({ key: 'like:1', post: post(), notification: notification('like', ['Gina']) });
    expect(liked).toMatch(/liked your post<\/span>\u00a0<time[^>]*>5 min<\/time>/);
  });

  it('keeps name and handle together, so the handle can give way whole', () => {
    const html = render({ key: 'p', post: post() });
    expect(html).toMatch(
      /<span class="post-who" title="@ada"><span class="post-name" dir="auto">Ada<\/span><span class="post-handle" dir="ltr">@ada<\/span><\/span>/,
    );
  });
});

describe('folds in French', () => {
  it('names what the fold button shows', () => {
    const folded = { key: 'p', post: post({ contentWarning: 'Spoilers' }) };
    expect(render(folded, 'fr')).toMatch(
      /<button type="button" aria-expanded="false">Afficher la publication<\/button>/,
    );
    expect(render(folded)).toMatch(/<button type="button" aria-expanded="false">Show post<\/button>/);
  });
});
