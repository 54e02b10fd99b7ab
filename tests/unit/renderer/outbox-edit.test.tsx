// @vitest-environment jsdom
// Changing a scheduled post from the Outbox: "Edit…" (in the lists and beside a calendar post)
// opens the composer on it with its thread, versions and profiles; "Save changes" sends
// `outbox.edit` with the new content, a refusal is said there with nothing lost, and no draft is
// left behind. Each per-job button is named with its post, and "Cancel the post" asks first.
import 'fake-indexeddb/auto';
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { ApiError, type Api } from '../../../src/renderer/api';
import { ComposeDialog } from '../../../src/renderer/components/ComposeDialog';
import { OutboxDialog } from '../../../src/renderer/components/OutboxDialog';
import { useOutboxStore } from '../../../src/renderer/state/outbox';
import { closeComposer, useAppStore } from '../../../src/renderer/state/store';
import type { PostContent, PublishJob } from '../../../src/shared/outbox';
import type { Language } from '../../../src/shared/settings';
import { allByRole, byRole, click, nameOf, settle, submit, textOf, type } from './dom';
import { accounts, BLUESKY, job, NOW, PARIS, target, X } from './outbox-fixtures';
import { freshAppPerTest, servicesOver, show, testDatabase } from './test-app';

freshAppPerTest({ accounts });

const N = '\u202f';

/** The composer as the app opens it (App.tsx), from the store's request. */
function ComposerHost(props: { language: Language }) {
  const composing = useAppStore((s) => s.compose);
  if (!composing) return null;
  return (
    <ComposeDialog
      onClose={closeComposer}
      language={props.language}
      initial={composing.initial}
      edit={composing.edit}
      draftId={composing.draftId}
    />
  );
}

/**
 * The Outbox over `jobs`, seen from Paris on Monday 29 March 2027 at 08:00, with the composer the
 * app would open over it; main answers `answer` (an error it throws is a refusal), every request
 * recorded in `sent`. The renderer's cache is a fresh IndexedDB (`db`).
 */
async function openOutbox(
  jobs: PublishJob[],
  answer: (channel: string, request: never) => unknown = () => ({}),
  language: Language = 'en',
) {
  useOutboxStore.setState({ jobs: Object.fromEntries(jobs.map((j) => [j.id, j])), loaded: true });
  const sent: Array<{ channel: string; request: unknown }> = [];
  const db = testDatabase(`outbox-edit-${Math.random()}`);
  const api = (async (channel: string, request: never) => {
    sent.push({ channel, request });
    return answer(channel, request);
  }) as unknown as Api;
  await show(
    <>
      <OutboxDialog
        onClose={() => {}}
        onOpenAccounts={() => {}}
        language={language}
        zone={PARIS}
        now={() => NOW}
        systemLocale={language === 'fr' ? 'fr-FR' : 'en-US'}
      />
      <ComposerHost language={language} />
    </>,
    servicesOver(api, db),
    language,
  );
  await settle();
  const outbox = byRole(document, 'dialog', language === 'fr' ? 'File d’envoi' : 'Outbox');
  // The lists (the calendar has an "Edit…" of the same name beside each post).
  const lists = outbox.querySelector<HTMLElement>('.outbox-lists')!;
  return { outbox, lists, sent, db };
}

/** A thread of two posts for X and Bluesky at 03:00 New York (09:00 Paris) with a shorter X version. */
const launch = (content?: PostContent): PublishJob => {
  const j = job(
    'job-launch',
    'Launch day',
    [target(X, 'scheduled', {}, 2), target(BLUESKY, 'scheduled', {}, 2)],
    '2027-03-29T03:00',
  );
  return {
    ...j,
    content: content ?? {
      parts: [
        { text: 'Launch day', media: [] },
        { text: 'Doors open at nine', media: [] },
      ],
      variants: { x: [{ text: 'Launch day on X', media: [] }] },
    },
  };
};
const LAUNCH = '“Launch day” (Mon 29 Mar, 09:00)';
const composerOf = () => byRole(document, 'dialog', 'Edit scheduled post');
const textbox = (scope: HTMLElement, name: string) => byRole(scope, 'textbox', name) as HTMLTextAreaElement;

describe('“Edit…” on a scheduled post', () => {
  it('opens the composer on its thread, versions and profiles, and saves the new content with outbox.edit', async () => {
    const edited = (content: PostContent) => ({ ...launch(content), targets: launch().targets });
    const { outbox, lists, sent, db } = await openOutbox([launch()], (channel, request: { content: PostContent }) =>
      channel === 'outbox.edit' ? edited(request.content) : null,
    );
    const editButton = byRole(lists, 'button', `Edit ${LAUNCH}`);
    expect(textOf(editButton)).toBe('Edit…');
    await act(async () => editButton.focus());
    await click(editButton);
    await settle();
    const composer = composerOf();
    // Its thread, its X version, its profiles and time as they are: not to be changed here.
    expect(textbox(composer, 'Post 1 of 2').value).toBe('Launch day');
    expect(textbox(composer, 'Post 2 of 2').value).toBe('Doors open at nine');
    expect((byRole(composer, 'checkbox', 'Version for X') as HTMLInputElement).checked).toBe(true);
    expect(textbox(composer.querySelector('section.compose-variant')!, 'Text for X').value).toBe('Launch day on X');
    const facts = [...composer.querySelectorAll('.compose-edit-facts p')].map((p) => textOf(p));
    expect(facts).toEqual([
      'Goes out as @brand on X, @brand.bsky.social on Bluesky.',
      // In the computer's zone first (the test machine's), then the audience's.
      expect.stringMatching(/^Scheduled for Mon 29 Mar, .*03:00 New York\.$/),
      'Only the text, images and versions change here. To change the time, use “Move…” in the Outbox; to leave out a profile, cancel it there.',
    ]);
    expect(allByRole(composer, 'group', 'Post as')).toHaveLength(0);
    expect(allByRole(composer, 'radio')).toHaveLength(0);
    expect(textOf(byRole(composer, 'button', 'Save changes'))).toBe('Save changes');

    await type(textbox(composer, 'Post 1 of 2'), 'Launch day is Monday');
    await submit(composer);
    await settle();
    expect(sent.filter((s) => s.channel.startsWith('outbox.'))).toEqual([
      {
        channel: 'outbox.edit',
        request: {
          jobId: 'job-launch',
          content: {
            parts: [
              { text: 'Launch day is Monday', media: [] },
              { text: 'Doors open at nine', media: [] },
            ],
            variants: { x: [{ text: 'Launch day on X', media: [] }] },
          },
        },
      },
    ]);
    // The composer closed, focus back on "Edit…"; the Outbox shows the new text and says it was saved.
    expect(allByRole(document, 'dialog', 'Edit scheduled post')).toHaveLength(0);
    expect(textOf(outbox.querySelector('li.outbox-job .outbox-text'))).toBe('Launch day is Monday');
    expect(textOf(outbox.querySelector('[role="status"]'))).toBe('Changes saved.');
    expect(document.activeElement).toBe(editButton);
    // No draft was made of it (the outbox holds the post): none to find in the Drafts column.
    for (let i = 0; i < 10; i++) await settle();
    expect(await db.drafts.count()).toBe(0);
  });

  it('a refusal from main (a part went out meanwhile) is said in the composer, which keeps what she wrote', async () => {
    const { lists, sent } = await openOutbox([launch({ parts: [{ text: 'Launch day', media: [] }] })], (channel) => {
      if (channel === 'outbox.edit')
        throw new ApiError({
          code: 'invalid',
          message: 'Part of this post has gone out already',
          reason: 'job-started',
        });
      return null;
    });
    await click(byRole(lists, 'button', `Edit ${LAUNCH}`));
    await settle();
    const composer = composerOf();
    await type(textbox(composer, 'Text'), 'Launch day, doors at nine');
    await submit(composer);
    await settle();
    expect(sent.map((s) => s.channel)).toContain('outbox.edit');
    expect(textOf(byRole(composer, 'alert'))).toBe(
      'Part of this post has gone out already; it can no longer be edited.',
    );
    expect(composer.isConnected).toBe(true);
    expect(textbox(composer, 'Text').value).toBe('Launch day, doors at nine');
  });

  it('counts as the composer does: over X’s limit, “Save changes” is off and says why', async () => {
    const x = job('job-x', 'Short', [target(X, 'scheduled')], '2027-03-29T03:00');
    const { lists } = await openOutbox([x]);
    await click(byRole(lists, 'button', 'Edit “Short” (Mon 29 Mar, 09:00)'));
    await settle();
    const composer = composerOf();
    await type(textbox(composer, 'Text'), 'a'.repeat(501));
    expect(textOf(composer.querySelector('#compose-over'))).toMatch(/^Too long for X/);
    expect((byRole(composer, 'button', 'Save changes') as HTMLButtonElement).disabled).toBe(true);
  });

  it('is offered only while no part went out: not on a post being sent, nor on a sent one', async () => {
    const sending = job('job-sending', 'On its way', [target(X, 'sending')], '2027-03-29T03:00');
    const sent = job('job-sent', 'Gone', [
      target(X, 'sent', { parts: [{ key: 'k-sent', postId: 'x:1', sentAt: '2027-03-28T07:00:00.000Z' }] }),
    ]);
    const { outbox } = await openOutbox([launch(), sending, sent]);
    // In the lists and beside the calendar's post: the scheduled one only.
    expect(allByRole(outbox, 'button', /^Edit /).map(nameOf)).toEqual([`Edit ${LAUNCH}`, `Edit ${LAUNCH}`]);
  });

  it('in French', async () => {
    const { lists } = await openOutbox([launch({ parts: [{ text: 'Launch day', media: [] }] })], () => null, 'fr');
    await click(byRole(lists, 'button', 'Modifier «\u202fLaunch day\u202f» (lun. 29 mars, 09:00)'));
    await settle();
    const composer = byRole(document, 'dialog', 'Modifier la publication programmée');
    expect(textOf(byRole(composer, 'button', 'Enregistrer les modifications'))).toBe('Enregistrer les modifications');
    expect(textOf(composer.querySelector('.compose-edit-facts'))).toContain(
      `utilisez «${N}Déplacer…${N}» dans la file d’envoi${N};`,
    );
  });
});

/** The calendar's cell at `key` ("2027-03-29T09"). */
const cell = (outbox: HTMLElement, key: string) =>
  outbox.querySelector<HTMLElement>(`table[role="grid"] td[data-cell="${key}"]`)!;
const press = async (el: Element, key: string) =>
  act(async () => {
    el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  });

describe('“Edit…” in the calendar', () => {
  it('is beside the post, reached with the right arrow from it, and opens the composer', async () => {
    const { outbox } = await openOutbox([launch()]);
    const nine = cell(outbox, '2027-03-29T09');
    await act(async () => nine.focus());
    await press(nine, 'Enter');
    expect(document.activeElement?.classList.contains('cal-entry')).toBe(true);
    await press(document.activeElement!, 'ArrowRight');
    expect(nameOf(document.activeElement!)).toBe(`Edit ${LAUNCH}`);
    expect(nine.contains(document.activeElement)).toBe(true);
    await press(document.activeElement!, 'ArrowLeft');
    expect(document.activeElement?.classList.contains('cal-entry')).toBe(true);
    await press(document.activeElement!, 'ArrowRight');
    await click(document.activeElement as HTMLElement);
    await settle();
    expect(textbox(composerOf(), 'Post 1 of 2').value).toBe('Launch day');
  });
});

describe('per-job buttons are named with their post', () => {
  it('Edit, Move, Cancel the post, Remove from history and retrying the failed ones each say which post', async () => {
    const failed = job('job-failed', 'Spring sale, everything must go before the summer arrives', [
      target(X, 'failed', { error: { code: 'transient', message: 'Timeout' } }),
      target(BLUESKY, 'failed', { error: { code: 'transient', message: 'Timeout' } }),
    ]);
    const done = job('job-done', 'All done', [target(X, 'cancelled')]);
    const { outbox } = await openOutbox([launch(), failed, done]);
    const names = (text: string) =>
      [...outbox.querySelectorAll<HTMLElement>('li.outbox-job')]
        .find((li) => textOf(li.querySelector('.outbox-text')).startsWith(text))!
        .querySelectorAll<HTMLElement>('.outbox-actions button');
    expect([...names('Launch day')].map((b) => [textOf(b), nameOf(b)])).toEqual([
      ['Edit…', `Edit ${LAUNCH}`],
      ['Move…', `Move ${LAUNCH}`],
      ['Cancel the post', `Cancel the post ${LAUNCH}`],
    ]);
    // A long text is cut in the name (at 40 characters, with “…”); one with no time has none.
    expect([...names('Spring sale')].map((b) => [textOf(b), nameOf(b)])).toEqual([
      ['Try the 2 failed ones again', 'Try the 2 failed ones again: “Spring sale, everything must go before…”'],
      ['Remove from history', 'Remove from history “Spring sale, everything must go before…”'],
    ]);
    expect([...names('All done')].map(nameOf)).toEqual(['Remove from history “All done”']);
  });
});

describe('“Cancel the post” asks first', () => {
  const cancelled = () => {
    const j = launch();
    return { ...j, targets: j.targets.map((x) => ({ ...x, state: 'cancelled' as const })) };
  };

  it('“Keep the post” (or Escape) sends nothing and gives focus back; “Yes, cancel the post” cancels it', async () => {
    const { outbox, sent } = await openOutbox([launch()], () => cancelled());
    const cancel = byRole(outbox, 'button', `Cancel the post ${LAUNCH}`);
    await click(cancel);
    const question = outbox.querySelector('[role="group"]')!;
    expect(nameOf(question)).toBe(
      'Cancel this post? It will not go out to @brand on X, @brand.bsky.social on Bluesky. This cannot be undone.',
    );
    expect(nameOf(document.activeElement!)).toBe(`Keep the post ${LAUNCH}`);
    await click(document.activeElement as HTMLElement);
    await settle();
    expect(sent).toEqual([]);
    expect(nameOf(document.activeElement!)).toBe(`Cancel the post ${LAUNCH}`);

    await click(byRole(outbox, 'button', `Cancel the post ${LAUNCH}`));
    await press(document.activeElement!, 'Escape');
    await settle();
    expect(sent).toEqual([]);
    expect(outbox.isConnected).toBe(true);
    expect(nameOf(document.activeElement!)).toBe(`Cancel the post ${LAUNCH}`);

    await click(byRole(outbox, 'button', `Cancel the post ${LAUNCH}`));
    await click(byRole(outbox, 'button', `Yes, cancel the post ${LAUNCH}`));
    await settle();
    expect(sent).toEqual([{ channel: 'outbox.cancel', request: { jobId: 'job-launch' } }]);
    expect(textOf(outbox.querySelector('[role="status"]'))).toBe('Cancelled.');
    // Now in the history, where focus followed it.
    expect((document.activeElement as HTMLElement).dataset.job).toBe('job-launch');
    expect(textOf(document.activeElement!.closest('section')?.querySelector('h3'))).toBe('History (1)');
  });

  it('a refusal (being sent right now) is said, and the post and its buttons stay', async () => {
    const { outbox } = await openOutbox([launch()], () => {
      throw new ApiError({ code: 'invalid', message: 'Being sent', reason: 'sending-now' });
    });
    await click(byRole(outbox, 'button', `Cancel the post ${LAUNCH}`));
    await click(byRole(outbox, 'button', `Yes, cancel the post ${LAUNCH}`));
    await settle();
    expect(textOf(outbox.querySelector('[role="alert"]'))).toBe(
      'This post is being sent right now; it cannot be cancelled.',
    );
    expect(nameOf(document.activeElement!)).toBe(`Cancel the post ${LAUNCH}`);
  });
});
