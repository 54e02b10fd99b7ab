// @vitest-environment jsdom
// A tester's findings on the Outbox (issue 8), each as a CM meets it: a profile's own "Cancel" asks
// first; a post sent late says how late and why; a profile's buttons carry that profile's time and
// the badge counts posts; the composer editing a post that starts going out says so at once with
// Save off; the queue's refusal names the profile; a network's quoted words end their sentence.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ApiError, type Api } from '../../../src/renderer/api';
import { ComposeDialog } from '../../../src/renderer/components/ComposeDialog';
import { OutboxButton } from '../../../src/renderer/components/OutboxButton';
import { OutboxDialog } from '../../../src/renderer/components/OutboxDialog';
import { systemZone } from '../../../src/renderer/components/outbox-time';
import { useOutboxStore } from '../../../src/renderer/state/outbox';
import { closeComposer, useAppStore } from '../../../src/renderer/state/store';
import type { PublishJob } from '../../../src/shared/outbox';
import { dueAt } from '../../../src/shared/schedule/zoned-time';
import { byRole, click, nameOf, settle, submit, textOf, type } from './dom';
import { accounts, BLUESKY, job, MASTODON, NOW, PARIS, target, X } from './outbox-fixtures';
import { freshAppPerTest, mainAnswering, servicesOver, show, showDialog, testDatabase } from './test-app';
import { act } from 'react';

freshAppPerTest({ accounts });

function ComposerHost() {
  const composing = useAppStore((s) => s.compose);
  if (!composing) return null;
  return (
    <ComposeDialog
      onClose={closeComposer}
      language="en"
      initial={composing.initial}
      edit={composing.edit}
      draftId={composing.draftId}
    />
  );
}

/** The Outbox over `jobs` (Paris, Monday 29 March 2027, 08:00) with the composer the app opens over it. */
async function openOutbox(jobs: PublishJob[], answer: (channel: string, request: never) => unknown = () => ({})) {
  useOutboxStore.setState({ jobs: Object.fromEntries(jobs.map((j) => [j.id, j])), loaded: true });
  const sent: Array<{ channel: string; request: unknown }> = [];
  const api = (async (channel: string, request: never) => {
    sent.push({ channel, request });
    return answer(channel, request);
  }) as unknown as Api;
  await show(
    <>
      <OutboxDialog
        onClose={() => {}}
        onOpenAccounts={() => {}}
        language="en"
        zone={PARIS}
        now={() => NOW}
        systemLocale="en-US"
      />
      <ComposerHost />
    </>,
    servicesOver(api, testDatabase(`outbox-review-${Math.random()}`)),
    'en',
  );
  await settle();
  const outbox = byRole(document, 'dialog', 'Outbox');
  return { outbox, lists: outbox.querySelector<HTMLElement>('.outbox-lists')!, sent };
}

/** The words of `profile`'s row in the job whose text is `text`. */
function rowSays(scope: ParentNode, text: string, profile: string): string {
  const item = [...scope.querySelectorAll<HTMLElement>('li.outbox-job')].find(
    (li) => textOf(li.querySelector('.outbox-text')) === text,
  );
  const row = [...(item?.querySelectorAll<HTMLElement>('li.outbox-target') ?? [])].find(
    (li) => textOf(li.querySelector('.outbox-profile')) === profile,
  )!;
  return [textOf(row.querySelector('.outbox-state')), textOf(row.querySelector('.outbox-note'))]
    .filter(Boolean)
    .join(' ');
}

describe('a profile’s own “Cancel” asks first', () => {
  const two = () =>
    job(
      'job-two',
      'Two profiles',
      [target(X, 'scheduled'), target(MASTODON, 'on-server', { serverId: '9' })],
      '2027-03-30T03:00',
    );
  const TWO = '“Two profiles” (Tue 30 Mar, 09:00)';

  it('names the profile that will not get it; “Keep it” sends nothing; “Yes” cancels that profile only', async () => {
    const { lists, sent } = await openOutbox([two()], () => two());
    await click(byRole(lists, 'button', `Cancel: @brand on X, ${TWO}`));
    expect(sent).toEqual([]);
    const question = lists.querySelector('[role="group"]')!;
    expect(nameOf(question)).toBe(
      'Cancel this post for @brand on X? It will not go out to @brand on X. This cannot be undone.',
    );
    expect(nameOf(document.activeElement!)).toBe(`Keep it for @brand on X: ${TWO}`);
    await click(document.activeElement as HTMLElement);
    await settle();
    expect(sent).toEqual([]);
    expect(nameOf(document.activeElement!)).toBe(`Cancel: @brand on X, ${TWO}`);

    await click(byRole(lists, 'button', `Cancel: @brand on Mastodon, ${TWO}`));
    expect(nameOf(lists.querySelector('[role="group"]')!)).toBe(
      'Cancel this post for @brand on Mastodon? It will not go out to @brand on Mastodon, and its copy on mastodon.social’s schedule is deleted. This cannot be undone.',
    );
    await click(byRole(lists, 'button', `Yes, cancel it for @brand on Mastodon: ${TWO}`));
    await settle();
    expect(sent).toEqual([{ channel: 'outbox.cancel', request: { jobId: 'job-two', profileIds: [MASTODON] } }]);
  });
});

describe('a post sent late says so', () => {
  const due = dueAt('2027-03-29T09:00', PARIS).at;
  const sentAfter = (minutes: number, extra = {}) =>
    target(X, 'sent', {
      due: dueAt('2027-03-29T09:00', PARIS),
      parts: [
        { key: 'key-late-0001', postId: 'x:1', sentAt: new Date(Date.parse(due) + minutes * 60_000).toISOString() },
      ],
      ...extra,
    });

  it('by the catch-up policy: how late, and why; late for another reason: how late; on time: nothing', async () => {
    const { lists } = await openOutbox([
      job('job-caught-up', 'Caught up', [sentAfter(35, { lateMinutes: 35 })]),
      job('job-late', 'Late anyway', [sentAfter(3)]),
      job('job-on-time', 'On time', [sentAfter(0.5)]),
    ]);
    expect(rowSays(lists, 'Caught up', '@brand on X')).toBe(
      'Sent on Mon 29 Mar, 09:35, 35 minutes late: Colonnade was not running at its time (catch-up policy)',
    );
    expect(rowSays(lists, 'Late anyway', '@brand on X')).toBe('Sent on Mon 29 Mar, 09:03, 3 minutes late');
    expect(rowSays(lists, 'On time', '@brand on X')).toBe('Sent on Mon 29 Mar, 09:00');
  });
});

describe('names and counts', () => {
  it('a profile’s buttons carry that profile’s own time, not the earliest of the post', async () => {
    const queued = job('job-queued', 'Queued', [
      target(X, 'held', { due: dueAt('2027-03-29T09:00', PARIS) }),
      target(BLUESKY, 'held', { due: dueAt('2027-03-29T12:30', PARIS) }),
    ]);
    const { lists } = await openOutbox([queued]);
    byRole(lists, 'button', 'Send now: @brand on X, “Queued” (Mon 29 Mar, 09:00)');
    byRole(lists, 'button', 'Send now: @brand.bsky.social on Bluesky, “Queued” (Mon 29 Mar, 12:30)');
  });

  it('the Outbox badge counts posts: one post failed on two profiles is one post', async () => {
    const failed = { code: 'transient' as const, message: 'Timeout' };
    const main = mainAnswering(() => ({}));
    useOutboxStore.setState({
      jobs: {
        one: job('one', 'One post', [
          target(X, 'failed', { error: failed }),
          target(BLUESKY, 'failed', { error: failed }),
        ]),
      },
      loaded: true,
    });
    const { container } = await show(<OutboxButton language="en" onOpenAccounts={() => {}} />, main.services);
    expect(byRole(container, 'button').getAttribute('aria-label')).toBe('Outbox, 1 post needs your attention');
    expect(textOf(container.querySelector('.tool-badge'))).toBe('1');
  });
});

describe('editing a post that starts going out', () => {
  it('says so at once in the composer, keeps what she wrote, turns Save off, and still lists its profiles', async () => {
    const launch = job(
      'job-launch',
      'Launch day',
      [target(X, 'scheduled'), target(BLUESKY, 'scheduled')],
      '2027-03-29T03:00',
    );
    const { lists } = await openOutbox([launch]);
    await click(byRole(lists, 'button', 'Edit “Launch day” (Mon 29 Mar, 09:00)'));
    await settle();
    const composer = byRole(document, 'dialog', 'Edit scheduled post');
    await type(byRole(composer, 'textbox', 'Text') as HTMLTextAreaElement, 'Launch day, doors at nine');
    expect((byRole(composer, 'button', 'Save changes') as HTMLButtonElement).disabled).toBe(false);
    // Its time came: main starts sending it to X (the store is kept live by outbox.changed).
    const startedAt = '2027-03-29T07:35:00.000Z';
    await act(async () =>
      useOutboxStore.setState((s) => ({
        jobs: {
          ...s.jobs,
          'job-launch': {
            ...launch,
            targets: [
              { ...launch.targets[0]!, state: 'sending', attempt: { part: 0, startedAt }, updatedAt: startedAt },
              launch.targets[1]!,
            ],
          },
        },
      })),
    );
    const time = new Intl.DateTimeFormat('en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      timeZone: systemZone(),
    }).format(new Date(startedAt));
    expect(textOf(byRole(composer, 'alert'))).toBe(
      `This post started going out at ${time}: it can no longer be edited. Your changes are still here; copy them or close.`,
    );
    expect((byRole(composer, 'button', 'Save changes') as HTMLButtonElement).disabled).toBe(true);
    expect((byRole(composer, 'textbox', 'Text') as HTMLTextAreaElement).value).toBe('Launch day, doors at nine');
    const facts = textOf(composer.querySelector('.compose-edit-facts'));
    expect(facts).toContain('@brand on X: Sending…');
    expect(facts).toMatch(/@brand\.bsky\.social on Bluesky: Scheduled for Mon 29 Mar/);
    expect(facts).not.toMatch(/Goes out as \./);
  });
});

describe('words', () => {
  it('the queue’s refusal names the profile', async () => {
    const { services } = mainAnswering((channel) => {
      if (channel === 'queue.get') return null;
      if (channel === 'outbox.submit')
        throw new ApiError({
          code: 'invalid',
          message: 'no slot',
          reason: 'queue-no-slots',
          params: { profileId: X },
        });
      return null;
    });
    const dialog = await showDialog(<ComposeDialog onClose={() => {}} language="en" />, services);
    await type(byRole(dialog, 'textbox', 'Text'), 'Queued post');
    await click(byRole(dialog, 'radio', 'Add to the queue (each profile’s next free slot)'));
    await submit(dialog);
    await settle();
    expect(textOf(byRole(dialog, 'alert'))).toMatch(/^The queue of @brand on X has no posting times yet\./);
  });

  it('a network’s quoted words end their sentence before “The parts after it…”', async () => {
    const failed = job('job-thread', 'A thread', [
      target(
        MASTODON,
        'failed',
        {
          error: { code: 'invalid', message: 'x', detail: 'Something went wrong', params: { part: '2', parts: '3' } },
        },
        3,
      ),
    ]);
    const { lists } = await openOutbox([failed]);
    expect(rowSays(lists, 'A thread', '@brand on Mastodon')).toMatch(
      /Mastodon said: “Something went wrong”\. The parts after it were not sent either\.$/,
    );
  });
});
