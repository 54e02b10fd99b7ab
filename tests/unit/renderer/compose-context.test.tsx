// @vitest-environment jsdom
// Replying to and quoting a post (issue 7, "Reading"): the composer shows the post above the text,
// read-only and in its own direction, goes out as the column's acting profile or another of the
// CM's profiles on that network, and sends `replyTo` or `quoteOf` with it.
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/renderer/api';
import { ComposeDialog, replyStart } from '../../../src/renderer/components/ComposeDialog';
import type { AppServices } from '../../../src/renderer/components/context';
import type { Post } from '../../../src/shared/model';
import type { Language } from '../../../src/shared/settings';
import { allByRole, byRole, click, nameOf, submit, textOf, type } from './dom';
import { samplePost, sampleProfile } from './samples';
import { accountOn as account, freshAppPerTest, mainAnswering, showDialog } from './test-app';

const ACCOUNTS = [
  account('mastodon', 'brand@mastodon.social'),
  account('x', 'brand'),
  account('mastodon', 'shop@mastodon.social'),
  account('mastodon', 'ceo@mastodon.social'),
];

/** A Mastodon post in Arabic by @lina@example.org. */
const arabic: Post = {
  ...samplePost(7, new Date(Date.now() - 3_600_000).toISOString()),
  id: 'mastodon:109',
  network: 'mastodon',
  nativeId: '109',
  author: { ...sampleProfile('lina@example.org', 'Lina'), network: 'mastodon', id: 'mastodon:lina' },
  text: 'مرحبا بالجميع',
  entities: [],
};

/** A fake main that records what is asked and answers a publish with the post. */
function fakeMain(fail?: ApiError) {
  return mainAnswering((channel, request: Record<string, unknown>) => {
    if (fail) throw fail;
    if (channel === 'queue.get') return null;
    if (channel === 'outbox.submit') return { ...request, createdAt: new Date().toISOString(), targets: [] };
    throw new Error(`unexpected ${channel}`);
  });
}

/** What the composer asked main to post (leaving out its look-ups of queues). */
const submitted = (sent: Array<{ channel: string; request: unknown }>) =>
  sent.filter((s) => s.channel === 'outbox.submit');

let closed: number;
beforeEach(() => {
  closed = 0;
});
freshAppPerTest({ accounts: ACCOUNTS });

const open = (
  services: AppServices,
  props: { replyTo?: Post; quoteOf?: Post; profileId?: string },
  language: Language = 'en',
) => showDialog(<ComposeDialog onClose={() => closed++} language={language} {...props} />, services, language);

describe('a reply', () => {
  it('shows the post replied to above the text, read-only and in its own direction', async () => {
    const dialog = await open(fakeMain().services, { replyTo: arabic, profileId: 'mastodon:shop@mastodon.social' });
    expect(textOf(dialog.querySelector('h2'))).toBe('Reply to Lina');
    const context = dialog.querySelector('section.compose-context')!;
    expect(nameOf(context)).toBe('Replying to @lina@example.org');
    const words = context.querySelector('.post-text')!;
    expect(textOf(words)).toBe('مرحبا بالجميع');
    expect(words.getAttribute('dir')).toBe('auto');
    // Nothing in it is editable: the only text box is the reply's own.
    expect(context.querySelectorAll('textarea, input, [contenteditable]')).toHaveLength(0);
    expect(allByRole(dialog, 'textbox')).toHaveLength(1);
  });

  it('goes out as the column’s acting profile, changeable among the CM’s profiles on that network only', async () => {
    const { sent, services } = fakeMain();
    const dialog = await open(services, { replyTo: arabic, profileId: 'mastodon:shop@mastodon.social' });
    const as = byRole(dialog, 'combobox', 'Reply as') as HTMLSelectElement;
    expect(as.value).toBe('mastodon:shop@mastodon.social');
    // The X profile is not offered for a Mastodon post.
    expect([...as.options].map((o) => o.text)).toEqual([
      '@brand@mastodon.social',
      '@shop@mastodon.social',
      '@ceo@mastodon.social',
    ]);
    await type(as, 'mastodon:ceo@mastodon.social');
    // On Mastodon a reply starts with the author's handle (only a mention notifies them).
    const text = byRole(dialog, 'textbox', 'Text') as HTMLTextAreaElement;
    expect(text.value).toBe('@lina@example.org ');
    await type(text, '@lina@example.org شكرا');
    expect(textOf(byRole(dialog, 'button', 'Reply'))).toBe('Reply');
    await submit(dialog);
    expect(submitted(sent)).toEqual([
      {
        channel: 'outbox.submit',
        request: {
          id: expect.any(String),
          draftId: expect.any(String),
          profileIds: ['mastodon:ceo@mastodon.social'],
          content: { parts: [{ text: '@lina@example.org شكرا', media: [] }], replyTo: 'mastodon:109' },
          when: { kind: 'now' },
        },
      },
    ]);
    expect(closed).toBe(1);
  });

  it('with one profile on the network, says which one it goes out as (no select)', async () => {
    const x: Post = { ...arabic, id: 'x:5', network: 'x', author: { ...arabic.author, network: 'x', handle: 'lina' } };
    const { sent, services } = fakeMain();
    const dialog = await open(services, { replyTo: x, profileId: 'x:brand' });
    expect(allByRole(dialog, 'combobox')).toHaveLength(0);
    expect(textOf(dialog.querySelector('.compose-as'))).toBe('Replying as @brand');
    // On X the reply is addressed by its reference: no handle in the text.
    expect((byRole(dialog, 'textbox', 'Text') as HTMLTextAreaElement).value).toBe('');
    await type(byRole(dialog, 'textbox', 'Text'), 'Thanks!');
    await submit(dialog);
    const request = submitted(sent)[0]?.request as { profileIds: string[]; content: Record<string, unknown> };
    expect(request).toMatchObject({
      profileIds: ['x:brand'],
      content: { replyTo: 'x:5', parts: [{ text: 'Thanks!' }] },
    });
    expect(request.content).not.toHaveProperty('quoteOf');
  });

  it('a failure is said in words in the composer, and nothing closes', async () => {
    const refused = new ApiError({ code: 'not-found', message: 'gone', reason: 'deleted' });
    const dialog = await open(fakeMain(refused).services, {
      replyTo: arabic,
      profileId: 'mastodon:shop@mastodon.social',
    });
    await submit(dialog);
    expect(textOf(byRole(dialog, 'alert'))).toMatch(/no longer exists/);
    expect(closed).toBe(0);
  });
});

describe('a quote', () => {
  it('shows the quoted post, sends quoteOf (no replyTo), and starts empty', async () => {
    const { sent, services } = fakeMain();
    const dialog = await open(services, { quoteOf: arabic, profileId: 'mastodon:brand@mastodon.social' });
    expect(textOf(dialog.querySelector('h2'))).toBe('Quote Lina');
    expect(nameOf(dialog.querySelector('section.compose-context')!)).toBe('Quoting @lina@example.org');
    expect((byRole(dialog, 'combobox', 'Quote as') as HTMLSelectElement).value).toBe('mastodon:brand@mastodon.social');
    const text = byRole(dialog, 'textbox', 'Text') as HTMLTextAreaElement;
    expect(text.value).toBe('');
    await type(text, 'Worth reading');
    await click(byRole(dialog, 'button', 'Post'));
    expect(submitted(sent).map((s) => s.request)).toEqual([
      {
        id: expect.any(String),
        draftId: expect.any(String),
        profileIds: ['mastodon:brand@mastodon.social'],
        content: { parts: [{ text: 'Worth reading', media: [] }], quoteOf: 'mastodon:109' },
        when: { kind: 'now' },
      },
    ]);
  });

  it('in French', async () => {
    const dialog = await open(
      fakeMain().services,
      { quoteOf: arabic, profileId: 'mastodon:brand@mastodon.social' },
      'fr',
    );
    expect(textOf(dialog.querySelector('h2'))).toBe('Citer Lina');
    expect(nameOf(dialog.querySelector('section.compose-context')!)).toBe('Citation de @lina@example.org');
    expect(allByRole(dialog, 'combobox', 'Citer en tant que')).toHaveLength(1);
  });
});

describe('a new post', () => {
  it('has no context, offers every profile, and sends neither replyTo nor quoteOf', async () => {
    const { sent, services } = fakeMain();
    const dialog = await open(services, {});
    expect(textOf(dialog.querySelector('h2'))).toBe('New post');
    expect(dialog.querySelector('.compose-context')).toBeNull();
    const group = byRole(dialog, 'group', 'Post as');
    expect(allByRole(group, 'checkbox')).toHaveLength(4);
    await type(byRole(dialog, 'textbox', 'Text'), 'Hello');
    await submit(dialog);
    expect(submitted(sent)[0]!.request).toEqual({
      id: expect.any(String),
      draftId: expect.any(String),
      profileIds: ['mastodon:brand@mastodon.social'],
      content: { parts: [{ text: 'Hello', media: [] }] },
      when: { kind: 'now' },
    });
  });
});

describe('replyStart', () => {
  it('starts a Mastodon or Sandbox reply with the author’s handle, not an X or Bluesky one, nor a reply to oneself', () => {
    expect(replyStart(arabic, 'brand@mastodon.social')).toBe('@lina@example.org ');
    expect(replyStart({ ...arabic, network: 'sandbox' }, 'practice')).toBe('@lina@example.org ');
    expect(replyStart({ ...arabic, network: 'x' }, 'brand')).toBe('');
    expect(replyStart({ ...arabic, network: 'bluesky' }, 'brand.bsky.social')).toBe('');
    expect(replyStart(arabic, 'lina@example.org')).toBe('');
  });
});
