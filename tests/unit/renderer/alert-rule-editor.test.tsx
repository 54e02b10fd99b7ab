// @vitest-environment jsdom
// A column's alert rule as the CM edits it: each choice explained, what is refused (in words, next
// to the field), and the rule main receives (`column.configure` with `alerts`, on the column's deck).
import { beforeEach, describe, expect, it } from 'vitest';
import { AlertRuleEditor } from '../../../src/renderer/components/AlertRuleEditor';
import type { AlertRule, Column, Layout } from '../../../src/shared/model';
import type { Language } from '../../../src/shared/settings';
import { allByRole, byRole, click, descriptionOf, submit, type } from './dom';
import { freshAppPerTest, mainAnswering, seedStore, showDialog } from './test-app';

const MONITOR: Column = {
  id: 'col-monitor',
  kind: 'monitor',
  profileId: 'sandbox:practice',
  width: 340,
  monitor: { profileIds: ['sandbox:practice'], hashtags: ['IFPower'], keywords: [], exclude: [] },
};
// The column is on a deck that is not the active one: the rule is saved on its own deck.
const layoutWith = (column: Column): Layout => ({
  decks: [
    { id: 'deck-home', name: 'Home', columns: [] },
    { id: 'deck-watch', name: 'Watch', columns: [column] },
  ],
  activeDeckId: 'deck-home',
});

function fakeMain(column: Column) {
  return mainAnswering((channel) => {
    if (channel === 'column.configure') return layoutWith(column);
    throw new Error(`unexpected ${channel}`);
  });
}

let done: number;
beforeEach(() => {
  done = 0;
});
freshAppPerTest();

async function open(column: Column, language: Language = 'en') {
  seedStore({ layout: layoutWith(column) });
  const main = fakeMain(column);
  const dialog = await showDialog(
    <AlertRuleEditor column={column} title="#IFPower" onDone={() => done++} />,
    main.services,
    language,
  );
  return { ...main, dialog };
}

/** The rule main receives, with the schema's defaults for what is not said. */
const rule = (extra: Partial<AlertRule>): AlertRule => ({
  enabled: true,
  when: 'every',
  accounts: [],
  minEngagement: 0,
  burstPosts: 10,
  burstMinutes: 10,
  sound: false,
  quietHours: null,
  ...extra,
});

describe('the alert rule editor', () => {
  it('opens on “every new post”, turned on, each choice explained; saving sends that rule on the column’s deck', async () => {
    const { dialog, sent } = await open(MONITOR);
    expect(dialog.querySelector('h2')?.textContent).toBe('Alerts for #IFPower');
    expect((byRole(dialog, 'checkbox', 'Alert me about new posts in this column') as HTMLInputElement).checked).toBe(
      true,
    );
    const radios = allByRole(byRole(dialog, 'group', 'Which posts'), 'radio');
    expect(radios.map((r) => [(r as HTMLInputElement).value, (r as HTMLInputElement).checked])).toEqual([
      ['every', true],
      ['accounts', false],
      ['engagement', false],
      ['burst', false],
    ]);
    // Each choice says what it does.
    expect(descriptionOf(radios[0]!)).toBe(
      'One alert per new post. When more than three arrive at once, one alert counts them.',
    );
    expect(descriptionOf(radios[3]!)).toMatch(/^One alert when this many posts arrive within these minutes/);
    expect(descriptionOf(byRole(dialog, 'checkbox', 'Quiet hours'))).toMatch(/no desktop notification and no sound/);

    await submit(dialog);
    expect(sent).toEqual([
      {
        channel: 'column.configure',
        request: { deckId: 'deck-watch', columnId: 'col-monitor', alerts: rule({}) },
      },
    ]);
    expect(done).toBe(1);
  });

  it('a burst of 5 posts in 3 minutes, with a sound and quiet hours from 22:00 to 07:00', async () => {
    const { dialog, sent } = await open(MONITOR);
    await click(byRole(dialog, 'radio', 'A burst of posts'));
    await type(byRole(dialog, 'spinbutton', 'Posts'), '5');
    await type(byRole(dialog, 'spinbutton', 'Within (minutes)'), '3');
    await click(byRole(dialog, 'checkbox', 'Play a sound'));
    await click(byRole(dialog, 'checkbox', 'Quiet hours'));
    expect((byRole(dialog, 'time', 'From') as HTMLInputElement).value).toBe('22:00');
    await type(byRole(dialog, 'time', 'To'), '07:30');
    await submit(dialog);
    expect(sent.map((s) => s.request)).toEqual([
      {
        deckId: 'deck-watch',
        columnId: 'col-monitor',
        alerts: rule({
          when: 'burst',
          burstPosts: 5,
          burstMinutes: 3,
          sound: true,
          quietHours: { from: '22:00', to: '07:30' },
        }),
      },
    ]);
  });

  it('posts from listed accounts: handles with or without @, and none listed is refused in words', async () => {
    const { dialog, sent } = await open(MONITOR);
    await click(byRole(dialog, 'radio', 'Posts from some accounts'));
    const handles = byRole(dialog, 'textbox', 'Accounts');
    await submit(dialog);
    expect(handles.getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(handles)).toContain('List at least one account, or choose other posts to be alerted about.');
    expect(document.activeElement).toBe(handles);
    expect(sent).toEqual([]);

    await type(handles, '@ada.bsky.social, bob@mastodon.social  @Cy');
    await submit(dialog);
    expect(sent.map((s) => (s.request as { alerts: AlertRule }).alerts)).toEqual([
      rule({ when: 'accounts', accounts: ['ada.bsky.social', 'bob@mastodon.social', 'Cy'] }),
    ]);
  });

  it('refuses an engagement threshold that is no whole number, and quiet hours that start when they end', async () => {
    const { dialog, sent } = await open(MONITOR);
    await click(byRole(dialog, 'radio', 'Posts that draw attention'));
    const threshold = byRole(dialog, 'spinbutton', 'At least (likes + reposts + replies + quotes)');
    await type(threshold, '-3');
    await submit(dialog);
    expect(descriptionOf(threshold)).toBe(
      'At least (likes + reposts + replies + quotes): a whole number from 0 to 10,000,000.',
    );
    await type(threshold, '250');
    await click(byRole(dialog, 'checkbox', 'Quiet hours'));
    await type(byRole(dialog, 'time', 'To'), '22:00');
    await submit(dialog);
    expect(descriptionOf(byRole(dialog, 'time', 'From'))).toBe(
      'Quiet hours start and end at the same time: change one, or turn quiet hours off.',
    );
    expect(sent).toEqual([]);
    await type(byRole(dialog, 'time', 'To'), '06:00');
    await submit(dialog);
    expect(sent.map((s) => (s.request as { alerts: AlertRule }).alerts)).toEqual([
      rule({ when: 'engagement', minEngagement: 250, quietHours: { from: '22:00', to: '06:00' } }),
    ]);
  });

  it('opens on the column’s rule, and turning it off keeps the rest of it', async () => {
    const saved = rule({ when: 'engagement', minEngagement: 40, sound: true });
    const { dialog, sent } = await open({ ...MONITOR, alerts: saved });
    expect((byRole(dialog, 'radio', 'Posts that draw attention') as HTMLInputElement).checked).toBe(true);
    expect((byRole(dialog, 'spinbutton', /^At least/) as HTMLInputElement).value).toBe('40');
    await click(byRole(dialog, 'checkbox', 'Alert me about new posts in this column'));
    // Off: the rest of the form cannot be changed (a disabled group), and is kept.
    expect((byRole(dialog, 'group', 'Which posts') as HTMLFieldSetElement).disabled).toBe(true);
    await submit(dialog);
    expect(sent.map((s) => (s.request as { alerts: AlertRule }).alerts)).toEqual([{ ...saved, enabled: false }]);
  });

  it('speaks French, with the narrow no-break space before a colon', async () => {
    const { dialog } = await open(MONITOR, 'fr');
    expect(dialog.querySelector('h2')?.textContent).toBe('Alertes pour #IFPower');
    await click(byRole(dialog, 'radio', 'Une rafale de publications'));
    await type(byRole(dialog, 'spinbutton', 'Publications'), '1');
    await submit(dialog);
    expect(descriptionOf(byRole(dialog, 'spinbutton', 'Publications'))).toBe(
      'Publications\u202f: un nombre entier de 2 à 10\u202f000.',
    );
  });
});
