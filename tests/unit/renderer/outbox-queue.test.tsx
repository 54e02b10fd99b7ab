// @vitest-environment jsdom
// A profile's posting queue, reached from the Outbox: its weekly posting times read with
// queue.get, edited (days, time, added, removed) and saved with queue.set; a schedule the
// scheduler would refuse is said in words before anything is sent.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/renderer/api';
import { OutboxDialog } from '../../../src/renderer/components/OutboxDialog';
import type { Language } from '../../../src/shared/settings';
import { allByRole, byRole, click, settle, textOf, type } from './dom';
import { accounts, BLUESKY, NOW, PARIS, X } from './outbox-fixtures';
import { freshAppPerTest, mainAnswering, show } from './test-app';

freshAppPerTest({ accounts });

const N = '\u202f';

async function openQueues(
  answer: (channel: string, request: never) => unknown,
  language: Language = 'en',
  zone: string = PARIS,
) {
  const main = mainAnswering(answer);
  await show(
    <OutboxDialog
      onClose={() => {}}
      onOpenAccounts={() => {}}
      language={language}
      zone={zone}
      now={() => NOW}
      systemLocale={language === 'fr' ? 'fr-FR' : 'en-US'}
    />,
    main.services,
    language,
  );
  await click(byRole(document, 'button', language === 'fr' ? 'Créneaux de publication…' : 'Posting queues…'));
  await settle();
  const dialogs = allByRole(document, 'dialog');
  return { ...main, queue: dialogs.at(-1)! };
}

describe('a profile’s posting queue', () => {
  it('shows the saved times, and saves an added, an edited and a removed one', async () => {
    const { queue, sent } = await openQueues((channel, request: { schedule?: unknown }) =>
      channel === 'queue.get'
        ? {
            zone: 'America/New_York',
            slots: [
              { days: [1, 2, 3, 4, 5], time: '09:00' },
              { days: [6], time: '11:00' },
            ],
          }
        : request.schedule,
    );
    expect(sent).toEqual([{ channel: 'queue.get', request: { profileId: X } }]);
    expect((byRole(queue, 'textbox', 'Time zone of its audience') as HTMLInputElement).value).toBe('America/New_York');
    const first = byRole(queue, 'group', 'Posting time 1');
    // Sunday first in American English.
    expect(
      allByRole(first, 'checkbox').map((c) => `${c.getAttribute('aria-label')}:${(c as HTMLInputElement).checked}`),
    ).toEqual([
      'Sunday:false',
      'Monday:true',
      'Tuesday:true',
      'Wednesday:true',
      'Thursday:true',
      'Friday:true',
      'Saturday:false',
    ]);
    await click(byRole(first, 'checkbox', 'Friday'));
    await type(byRole(first, 'time', 'Time'), '08:30');
    await click(byRole(queue, 'button', 'Remove posting time 2'));
    await click(byRole(queue, 'button', 'Add a posting time'));
    await click(byRole(queue, 'button', 'Save'));
    await settle();
    expect(sent.at(-1)).toEqual({
      channel: 'queue.set',
      request: {
        profileId: X,
        schedule: {
          zone: 'America/New_York',
          slots: [
            { days: [1, 2, 3, 4], time: '08:30' },
            { days: [1, 2, 3, 4, 5], time: '09:00' },
          ],
        },
      },
    });
    expect(textOf(queue.querySelector('[role="status"]:not(:empty)'))).toBe('Queue saved.');
  });

  it('starts a profile without a queue in the CM’s zone, and says in French what the scheduler would refuse', async () => {
    const { queue, sent } = await openQueues(() => null, 'fr');
    await click(byRole(queue, 'button', 'Ajouter une heure de publication'));
    await click(byRole(queue, 'button', 'Ajouter une heure de publication'));
    expect((byRole(queue, 'textbox', 'Fuseau horaire de son public') as HTMLInputElement).value).toBe(PARIS);
    await click(byRole(queue, 'button', 'Enregistrer'));
    expect(textOf(queue.querySelector('[role="alert"]'))).toBe(
      `Deux créneaux de publication tombent le même jour à 09:00${N}: gardez-en un.`,
    );
    await type(byRole(queue, 'textbox', 'Fuseau horaire de son public'), 'Mars/Olympus');
    await type(byRole(byRole(queue, 'group', 'Heure de publication 2'), 'time', 'Heure'), '12:30');
    await click(byRole(queue, 'button', 'Enregistrer'));
    expect(textOf(queue.querySelector('[role="alert"]'))).toBe(
      `Colonnade ne connaît pas le fuseau horaire «${N}Mars/Olympus${N}».`,
    );
    // Nothing but the reading went to main.
    expect(sent.map((s) => s.channel)).toEqual(['queue.get']);
  });

  it('suggests zones under their current names: Asia/Kolkata, not ICU’s Asia/Calcutta', async () => {
    // A computer set to Asia/Calcutta (ICU's name): a new queue starts in Asia/Kolkata.
    const { queue } = await openQueues(() => null, 'en', 'Asia/Calcutta');
    const field = byRole(queue, 'textbox', 'Time zone of its audience') as HTMLInputElement;
    expect(field.value).toBe('Asia/Kolkata');
    const suggested = [...(field.list?.options ?? [])].map((o) => o.value);
    expect(suggested).toContain('Asia/Kolkata');
    expect(suggested).toContain('Europe/Kyiv');
    expect(suggested).not.toContain('Asia/Calcutta');
    expect(suggested).not.toContain('Europe/Kiev');
    expect(new Set(suggested).size).toBe(suggested.length);
  });

  it('reads another profile’s queue when chosen, and says main’s refusal in words', async () => {
    const { queue, sent } = await openQueues((channel) => {
      if (channel === 'queue.get') return { zone: PARIS, slots: [{ days: [1], time: '09:00' }] };
      throw new ApiError({
        code: 'not-found',
        message: 'That profile is not connected.',
        reason: 'profile-not-connected',
      });
    });
    await type(byRole(queue, 'combobox', 'Profile'), BLUESKY);
    await settle();
    expect(sent.at(-1)).toEqual({ channel: 'queue.get', request: { profileId: BLUESKY } });
    await click(byRole(queue, 'button', 'Save'));
    await settle();
    expect(textOf(queue.querySelector('[role="alert"]'))).toBe(
      'This profile is no longer connected: connect it again in Accounts, or take it out of the column.',
    );
  });
});
