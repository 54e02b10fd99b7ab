// @vitest-environment jsdom
// The Outbox view as a CM meets it: each target's outcome in words (English and French), retrying
// only what failed, the calendar showing a post in her zone and its audience's, moving a post with
// the keyboard or by dragging it (outbox.reschedule with the job's zone), and a refused move said
// in words with the post back where it was.
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/renderer/api';
import { OutboxButton } from '../../../src/renderer/components/OutboxButton';
import { OutboxDialog } from '../../../src/renderer/components/OutboxDialog';
import { useOutboxStore } from '../../../src/renderer/state/outbox';
import type { PublishJob } from '../../../src/shared/outbox';
import type { Language } from '../../../src/shared/settings';
import { byRole, click, settle, textOf, type } from './dom';
import { accounts, BLUESKY, everyState, job, MASTODON, NEW_YORK, NOW, PARIS, target, X } from './outbox-fixtures';
import { freshAppPerTest, mainAnswering, show } from './test-app';

freshAppPerTest({ accounts });

const N = '\u202f';

/** Main with `jobs` in its outbox, answering requests with `answer` (each recorded in `sent`). */
function withJobs(jobs: PublishJob[], answer: (channel: string, request: never) => unknown = () => ({})) {
  useOutboxStore.setState({ jobs: Object.fromEntries(jobs.map((j) => [j.id, j])), loaded: true });
  return mainAnswering(answer);
}

/** The Outbox open in `language`, seen from Paris on Monday 29 March 2027 at 08:00. */
async function openOutbox(
  jobs: PublishJob[],
  opts: {
    language?: Language;
    systemLocale?: string;
    answer?: (channel: string, request: never) => unknown;
    onOpenAccounts?: () => void;
  } = {},
) {
  const language = opts.language ?? 'en';
  const main = withJobs(jobs, opts.answer);
  await show(
    <OutboxDialog
      onClose={() => {}}
      onOpenAccounts={opts.onOpenAccounts ?? (() => {})}
      language={language}
      zone={PARIS}
      now={() => NOW}
      systemLocale={opts.systemLocale ?? (language === 'fr' ? 'fr-FR' : 'en-US')}
    />,
    main.services,
    language,
  );
  await settle();
  return { ...main, dialog: byRole(document, 'dialog') };
}

/** The row of `profile` (its words, "@brand on X") in the job whose text is `text`. */
function targetRow(scope: ParentNode, text: string, profile: string): HTMLElement {
  const jobItem = [...scope.querySelectorAll<HTMLElement>('li.outbox-job')].find(
    (li) => textOf(li.querySelector('.outbox-text')) === text,
  );
  const row = [...(jobItem?.querySelectorAll<HTMLElement>('li.outbox-target') ?? [])].find(
    (li) => textOf(li.querySelector('.outbox-profile')) === profile,
  );
  if (!row) throw new Error(`no row for ${profile} in “${text}”`);
  return row;
}
const said = (row: HTMLElement) =>
  [textOf(row.querySelector('.outbox-state')), textOf(row.querySelector('.outbox-note'))].filter(Boolean).join(' ');
const sectionOf = (dialog: HTMLElement, name: RegExp) =>
  [...dialog.querySelectorAll<HTMLElement>('section.outbox-section')].find((s) =>
    name.test(textOf(s.querySelector('h3'))),
  )!;

describe('each target’s outcome, in words', () => {
  it('in English: scheduled, on the server, waiting (offline, reconnect, rate limit), held, sent with its link, a failed thread part, cancelled', async () => {
    const { dialog } = await openOutbox(everyState());
    expect(said(targetRow(dialog, 'Launch day', '@brand on X'))).toBe(
      'Scheduled for Mon 29 Mar, 09:00 Paris · 03:00 New York Colonnade must be running at that time.',
    );
    expect(said(targetRow(dialog, 'Launch on Mastodon', '@brand on Mastodon'))).toBe(
      'Scheduled for Mon 29 Mar, 09:00 Paris · 03:00 New York On mastodon.social’s schedule: posts even when Colonnade is closed.',
    );
    expect(said(targetRow(dialog, 'Offline one', '@brand on X'))).toBe(
      'Waiting for the network: it goes out when this computer is back online.',
    );
    const reconnect = targetRow(dialog, 'Reconnect one', '@brand.bsky.social on Bluesky');
    expect(said(reconnect)).toBe('Waiting: this profile needs reconnecting. It goes out once you reconnect it.');
    expect(byRole(reconnect, 'button', 'Reconnect in Accounts…')).toBeTruthy();
    expect(said(targetRow(dialog, 'Rate limited one', '@brand on X'))).toBe(
      'Waiting: X limits posting from this profile until 14:05. It goes out then, by itself.',
    );
    const held = targetRow(dialog, 'Missed one', '@brand on X');
    expect(said(held)).toBe(
      // Due on Sunday evening in New York: already Monday in Paris.
      'Missed while Colonnade was closed. It was due on Mon 29 Mar, 02:00 Paris · Sun 20:00 New York. Send it now, choose another time, or cancel it.',
    );
    expect([...held.querySelectorAll('button')].map((b) => b.getAttribute('aria-label'))).toEqual([
      'Send now: @brand on X, “Missed one” (Mon 29 Mar, 02:00)',
      'Choose another time…: @brand on X, “Missed one” (Mon 29 Mar, 02:00)',
      'Cancel: @brand on X, “Missed one” (Mon 29 Mar, 02:00)',
    ]);
    const sent = targetRow(dialog, 'Sent one', '@brand on Mastodon');
    expect(said(sent)).toBe('Sent on Sun 28 Mar, 09:00');
    const link = sent.querySelector('a')!;
    expect(link.getAttribute('href')).toBe('https://mastodon.social/@brand/9');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('aria-label')).toBe('Open the post on Mastodon (@brand on Mastodon)');
    const thread = targetRow(dialog, 'A thread that broke', '@brand.bsky.social on Bluesky');
    expect(said(thread)).toBe(
      'Part 2 of 3 was not sent: The network refuses a post with the same text as one this account just made. The parts after it were not sent either.',
    );
    // The part that went out is still there to open.
    expect(thread.querySelector('a')?.getAttribute('aria-label')).toBe(
      'Open part 1 of 3 on Bluesky (@brand.bsky.social on Bluesky)',
    );
    expect(said(targetRow(dialog, 'Cancelled one', '@brand on X'))).toBe('Cancelled');
  });

  it('in French, with a narrow no-break space before the colons', async () => {
    const { dialog } = await openOutbox(everyState(), { language: 'fr' });
    expect(said(targetRow(dialog, 'Launch day', '@brand sur X'))).toBe(
      'Programmée pour le lun. 29 mars, 09:00 Paris · 03:00 New York Colonnade doit être ouvert à cette heure-là.',
    );
    expect(said(targetRow(dialog, 'Launch on Mastodon', '@brand sur Mastodon'))).toBe(
      `Programmée pour le lun. 29 mars, 09:00 Paris · 03:00 New York Dans la programmation de mastodon.social${N}: sera publiée même si Colonnade est fermé.`,
    );
    expect(said(targetRow(dialog, 'Reconnect one', '@brand.bsky.social sur Bluesky'))).toBe(
      `En attente${N}: ce profil doit être reconnecté. La publication partira une fois le profil reconnecté.`,
    );
    expect(said(targetRow(dialog, 'Rate limited one', '@brand sur X'))).toBe(
      `En attente${N}: X limite les publications de ce profil jusqu’à 14:05. Elle partira alors d’elle-même.`,
    );
    expect(said(targetRow(dialog, 'Missed one', '@brand sur X'))).toBe(
      'Manquée pendant que Colonnade était fermé. Elle était prévue le lun. 29 mars, 02:00 Paris · dim. 20:00 New York. Envoyez-la maintenant, choisissez une autre heure ou annulez-la.',
    );
    expect(said(targetRow(dialog, 'A thread that broke', '@brand.bsky.social sur Bluesky'))).toBe(
      `La partie 2 sur 3 n’a pas été envoyée${N}: Le réseau refuse une publication au texte identique à celle que ce compte vient de faire. Les parties suivantes non plus.`,
    );
    expect(said(targetRow(dialog, 'Sent one', '@brand sur Mastodon'))).toBe('Envoyée le dim. 28 mars, 09:00');
    expect(textOf(sectionOf(dialog, /^À traiter/).querySelector('h3'))).toBe('À traiter (5)');
  });

  it('“Reconnect in Accounts…” takes the CM to Accounts', async () => {
    let opened = 0;
    const { dialog } = await openOutbox(everyState(), { onOpenAccounts: () => opened++ });
    await click(
      byRole(targetRow(dialog, 'Reconnect one', '@brand.bsky.social on Bluesky'), 'button', 'Reconnect in Accounts…'),
    );
    expect(opened).toBe(1);
  });

  it('lists what needs attention, what is scheduled by time, and what was sent', async () => {
    const { dialog } = await openOutbox(everyState());
    const texts = (section: HTMLElement) =>
      [...section.querySelectorAll('li.outbox-job .outbox-text')].map((p) => textOf(p));
    expect(texts(sectionOf(dialog, /^Needs attention/))).toHaveLength(5);
    expect(texts(sectionOf(dialog, /^Scheduled/))).toEqual(['Launch day', 'Launch on Mastodon']);
    expect(texts(sectionOf(dialog, /^History/))).toEqual(['Sent one', 'Cancelled one']);
  });

  it('the top bar’s Outbox button counts posts with a failed, held or to-reconnect target', async () => {
    const main = withJobs(everyState());
    const { container } = await show(<OutboxButton language="en" onOpenAccounts={() => {}} />, main.services);
    // The thread's failed part, the held post, the profile to reconnect (not offline nor rate-limited).
    expect(byRole(container, 'button').getAttribute('aria-label')).toBe('Outbox, 3 posts need your attention');
    expect(textOf(container.querySelector('.tool-badge'))).toBe('3');
  });
});

describe('retrying', () => {
  const broken = () =>
    job('job-mixed', 'Spring sale', [
      target(X, 'failed', { error: { code: 'transient', message: 'Timeout' } }),
      target(BLUESKY, 'failed', { error: { code: 'invalid', message: 'Bad', reason: 'duplicate-post' } }),
      target(MASTODON, 'held', { waitingFor: 'missed-while-closed' }),
    ]);

  it('“Try the 2 failed ones again” sends only the failed targets, not the held one', async () => {
    const { dialog, sent } = await openOutbox([broken()], { answer: () => broken() });
    await click(byRole(dialog, 'button', 'Try the 2 failed ones again: “Spring sale”'));
    expect(sent).toEqual([{ channel: 'outbox.retry', request: { jobId: 'job-mixed', profileIds: [X, BLUESKY] } }]);
    expect(textOf(dialog.querySelector('[role="status"]'))).toBe('Sending again.');
  });

  it('a target’s own “Try again” sends that one only', async () => {
    const { dialog, sent } = await openOutbox([broken()], { answer: () => broken() });
    await click(byRole(dialog, 'button', 'Try again: @brand.bsky.social on Bluesky, “Spring sale”'));
    expect(sent).toEqual([{ channel: 'outbox.retry', request: { jobId: 'job-mixed', profileIds: [BLUESKY] } }]);
  });

  it('cancels one target or the whole post, and removes a finished one from the history', async () => {
    const scheduled = job(
      'job-two',
      'Two profiles',
      [target(X, 'scheduled'), target(BLUESKY, 'scheduled')],
      '2027-03-30T03:00',
    );
    const done = job('job-done', 'All done', [target(X, 'cancelled')]);
    const { dialog, sent } = await openOutbox([scheduled, done], {
      answer: (channel) => (channel === 'outbox.remove' ? {} : scheduled),
    });
    await click(byRole(dialog, 'button', 'Cancel: @brand on X, “Two profiles” (Tue 30 Mar, 09:00)'));
    await click(byRole(dialog, 'button', 'Yes, cancel it for @brand on X: “Two profiles” (Tue 30 Mar, 09:00)'));
    await click(byRole(dialog, 'button', 'Cancel the post “Two profiles” (Tue 30 Mar, 09:00)'));
    await click(byRole(dialog, 'button', 'Yes, cancel the post “Two profiles” (Tue 30 Mar, 09:00)'));
    await click(byRole(dialog, 'button', 'Remove from history “All done”'));
    expect(sent).toEqual([
      { channel: 'outbox.cancel', request: { jobId: 'job-two', profileIds: [X] } },
      { channel: 'outbox.cancel', request: { jobId: 'job-two' } },
      { channel: 'outbox.remove', request: { jobId: 'job-done' } },
    ]);
    expect(useOutboxStore.getState().jobs['job-done']).toBeUndefined();
    expect(textOf(dialog.querySelector('[role="status"]'))).toBe('Removed from the history.');
  });
});

/** The calendar's grid, its cell at `key` ("2027-03-29T09" in the week), and the posts in a cell. */
const grid = (dialog: HTMLElement) => dialog.querySelector<HTMLElement>('table[role="grid"]')!;
const cell = (dialog: HTMLElement, key: string) => grid(dialog).querySelector<HTMLElement>(`td[data-cell="${key}"]`)!;
const postsIn = (td: HTMLElement) => [...td.querySelectorAll<HTMLElement>('.cal-entry')];
const focus = async (el: HTMLElement) => act(async () => el.focus());
const press = async (el: HTMLElement, key: string, extra: KeyboardEventInit = {}) =>
  act(async () => {
    el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...extra }));
  });

describe('the calendar', () => {
  const launch = () =>
    job('job-launch', 'Launch day', [target(X, 'scheduled'), target(BLUESKY, 'scheduled')], '2027-03-29T03:00');

  it('shows a week with the post at 09:00 in Paris and 03:00 in New York, Sunday first in American English', async () => {
    const { dialog } = await openOutbox([launch()]);
    const heads = [...grid(dialog).querySelectorAll('thead th')].map((th) => textOf(th.querySelector('[aria-hidden]')));
    expect(heads.slice(1)).toEqual(['Sun 28', 'Mon 29', 'Tue 30', 'Wed 31', 'Thu 1', 'Fri 2', 'Sat 3']);
    const [post] = postsIn(cell(dialog, '2027-03-29T09'));
    expect(textOf(post!.querySelector('.cal-time'))).toBe('09:00 Paris · 03:00 New York');
    expect(post!.getAttribute('aria-label')).toBe(
      'Mon 29 Mar, 09:00 Paris · 03:00 New York: Launch day. @brand on X, @brand.bsky.social on Bluesky',
    );
    // Its row and column headers say when, for a screen reader moving through the grid.
    expect(textOf(cell(dialog, '2027-03-29T09').closest('tr')!.querySelector('th[scope="row"]'))).toBe('09:00');
  });

  it('starts its weeks on Monday in French and shows a month', async () => {
    const { dialog } = await openOutbox([launch()], { language: 'fr' });
    const heads = [...grid(dialog).querySelectorAll('thead th')].map((th) => textOf(th.querySelector('[aria-hidden]')));
    expect(heads.slice(1)).toEqual(['lun. 29', 'mar. 30', 'mer. 31', 'jeu. 1', 'ven. 2', 'sam. 3', 'dim. 4']);
    await click(byRole(dialog, 'button', 'Mois'));
    expect(grid(dialog).getAttribute('aria-label')).toBe('mars 2027');
    const monthHeads = [...grid(dialog).querySelectorAll('thead th .visually-hidden')].map((s) => textOf(s));
    expect(monthHeads[0]).toBe('lundi');
    expect(postsIn(cell(dialog, '2027-03-29'))).toHaveLength(1);
  });

  it('is a grid with one tab stop that the arrow keys move, and Enter reaches a cell’s posts', async () => {
    const { dialog } = await openOutbox([launch()]);
    const tabStops = () => [...grid(dialog).querySelectorAll<HTMLElement>('[tabindex="0"]')];
    expect(tabStops().map((el) => el.dataset.cell)).toEqual(['2027-03-29T08']);
    await focus(tabStops()[0]!);
    await press(document.activeElement as HTMLElement, 'ArrowDown');
    expect((document.activeElement as HTMLElement).dataset.cell).toBe('2027-03-29T09');
    await press(document.activeElement as HTMLElement, 'ArrowRight');
    await press(document.activeElement as HTMLElement, 'ArrowLeft');
    expect(tabStops().map((el) => el.dataset.cell)).toEqual(['2027-03-29T09']);
    await press(document.activeElement as HTMLElement, 'Enter');
    expect(document.activeElement?.classList.contains('cal-entry')).toBe(true);
    await press(document.activeElement as HTMLElement, 'Escape');
    expect((document.activeElement as HTMLElement).dataset.cell).toBe('2027-03-29T09');
  });

  it('moves a post with the keyboard: Enter on it, a date and time in New York, “Move”', async () => {
    const moved = job(
      'job-launch',
      'Launch day',
      [target(X, 'scheduled'), target(BLUESKY, 'scheduled')],
      '2027-03-31T10:30',
    );
    const { dialog, sent } = await openOutbox([launch()], { answer: () => moved });
    await focus(cell(dialog, '2027-03-29T09'));
    await press(document.activeElement as HTMLElement, 'Enter');
    await click(document.activeElement as HTMLElement);
    const move = byRole(document, 'dialog', /Move the post/);
    const date = move.querySelector<HTMLInputElement>('input[type="date"]')!;
    const time = byRole(move, 'time', 'Time in New York');
    expect([date.value, (time as HTMLInputElement).value]).toEqual(['2027-03-29', '03:00']);
    expect(textOf(move.querySelector('p.muted'))).toBe(
      'The post keeps its time zone, America/New_York. That is Mon 29 Mar, 09:00 for you (Paris). All 2 of its profiles still to go move to this time.',
    );
    await type(date, '2027-03-31');
    await type(time, '10:30');
    await act(async () => move.querySelector('form')!.requestSubmit());
    await settle();
    expect(sent).toEqual([
      {
        channel: 'outbox.reschedule',
        request: { jobId: 'job-launch', when: { kind: 'at', local: '2027-03-31T10:30', zone: NEW_YORK } },
      },
    ]);
    expect(textOf(dialog.querySelector('[role="status"]'))).toBe('Moved to Wed 31 Mar, 16:30 Paris · 10:30 New York.');
    // Focus follows the post to its new cell, which is the grid's tab stop now.
    expect((document.activeElement as HTMLElement).dataset.cell).toBe('2027-03-31T16');
    expect(postsIn(cell(dialog, '2027-03-31T16'))).toHaveLength(1);
    expect(postsIn(cell(dialog, '2027-03-29T09'))).toHaveLength(0);
  });

  it('moves a post dragged to another day and hour: its Paris hour, told in New York time', async () => {
    const moved = launch();
    const { dialog, sent } = await openOutbox([moved], { answer: () => moved });
    const [post] = postsIn(cell(dialog, '2027-03-29T09'));
    await drag(post!, cell(dialog, '2027-03-31T14'));
    // 14:00 Paris on Wednesday is 08:00 in New York; the minutes stay (:00).
    expect(sent).toEqual([
      {
        channel: 'outbox.reschedule',
        request: { jobId: 'job-launch', when: { kind: 'at', local: '2027-03-31T08:00', zone: NEW_YORK } },
      },
    ]);
    expect(textOf(dialog.querySelector('[role="status"]'))).toBe('Moved to Wed 31 Mar, 14:00 Paris · 08:00 New York.');
  });

  it('a refused move is said in words and the post goes back', async () => {
    let refuse: (err: unknown) => void = () => {};
    const { dialog } = await openOutbox([launch()], {
      answer: () => new Promise((_, reject) => (refuse = reject)),
    });
    const [post] = postsIn(cell(dialog, '2027-03-29T09'));
    await drag(post!, cell(dialog, '2027-03-29T07'));
    // Shown where it was dropped while main answers…
    expect(postsIn(cell(dialog, '2027-03-29T07'))).toHaveLength(1);
    await act(async () =>
      refuse(new ApiError({ code: 'invalid', message: 'That time has passed.', reason: 'schedule-in-past' })),
    );
    await settle();
    // …and back at 09:00 when main refuses.
    expect(postsIn(cell(dialog, '2027-03-29T07'))).toHaveLength(0);
    expect(postsIn(cell(dialog, '2027-03-29T09'))).toHaveLength(1);
    expect(textOf(dialog.querySelector('[role="alert"]'))).toBe(
      'The post could not be moved: That time has passed. Choose a time to come.',
    );
  });

  it('a refused move in the Move dialog is said there, in French', async () => {
    const { dialog } = await openOutbox([launch()], {
      language: 'fr',
      answer: () => {
        throw new ApiError({ code: 'invalid', message: 'That time has passed.', reason: 'schedule-in-past' });
      },
    });
    await click(postsIn(cell(dialog, '2027-03-29T09'))[0]!);
    const move = byRole(document, 'dialog', /Déplacer la publication/);
    await act(async () => move.querySelector('form')!.requestSubmit());
    await settle();
    expect(textOf(move.querySelector('[role="alert"]'))).toBe(
      `La publication n’a pas pu être déplacée${N}: Cette heure est passée. Choisissez une heure à venir.`,
    );
  });
});

/**
 * Drags `from` onto `to` with the pointer, as dnd-kit's PointerSensor hears it. jsdom lays nothing
 * out: `to` is given a box (the others have none), and the pointer moves into it.
 */
async function drag(from: HTMLElement, to: HTMLElement) {
  to.getBoundingClientRect = () => ({
    x: 100,
    y: 100,
    left: 100,
    top: 100,
    right: 160,
    bottom: 140,
    width: 60,
    height: 40,
    toJSON: () => ({}),
  });
  const pointer = (kind: string, x: number, y: number) => {
    const e = new MouseEvent(kind, { bubbles: true, cancelable: true, clientX: x, clientY: y, button: 0 });
    Object.defineProperty(e, 'isPrimary', { value: true });
    Object.defineProperty(e, 'pointerId', { value: 1 });
    return e;
  };
  await act(async () => {
    from.dispatchEvent(pointer('pointerdown', 5, 5));
  });
  await act(async () => {
    document.dispatchEvent(pointer('pointermove', 20, 20));
  });
  await act(async () => {
    document.dispatchEvent(pointer('pointermove', 120, 120));
  });
  await act(async () => {
    document.dispatchEvent(pointer('pointerup', 120, 120));
  });
  await settle();
}
