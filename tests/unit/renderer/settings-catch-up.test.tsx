// @vitest-environment jsdom
// The outbox's catch-up policy in Settings (issue 8): how late a post missed while Colonnade was
// closed may still go out; beyond, it waits in the Outbox.
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { SettingsDialog } from '../../../src/renderer/components/SettingsDialog';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import { textOf, type } from './dom';
import { freshAppPerTest, mainAnswering, showDialog } from './test-app';

freshAppPerTest({ settings: DEFAULT_SETTINGS });

describe('the catch-up policy', () => {
  it('shows 60 minutes by default, saves a new value when the field is left, and refuses what is not minutes', async () => {
    const { sent, services } = mainAnswering((channel, request: Record<string, unknown>) => {
      if (channel === 'settings.update') return { ...DEFAULT_SETTINGS, ...request };
      throw new Error(`unexpected ${channel}`);
    });
    const dialog = await showDialog(<SettingsDialog onClose={() => {}} language="en" />, services);
    const field = dialog.querySelector<HTMLInputElement>('#catch-up-minutes')!;
    expect(field.value).toBe('60');
    expect(textOf(dialog.querySelector('#catch-up-help'))).toMatch(/^Up to 60 minutes late, a missed post goes out/);
    await type(field, '15');
    await act(async () => field.dispatchEvent(new FocusEvent('focusout', { bubbles: true })));
    expect(sent).toEqual([{ channel: 'settings.update', request: { catchUp: { postLateUpToMinutes: 15 } } }]);
    await type(field, '2.5');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(textOf(dialog.querySelector('#catch-up-help'))).toBe(
      'Write a whole number of minutes, from 0 to 10,080 (a week).',
    );
    await act(async () => field.dispatchEvent(new FocusEvent('focusout', { bubbles: true })));
    expect(sent).toHaveLength(1);
  });

  it('in French', async () => {
    const { services } = mainAnswering(() => ({}));
    const dialog = await showDialog(<SettingsDialog onClose={() => {}} language="fr" />, services, 'fr');
    expect(textOf(dialog.querySelector('label[for="catch-up-minutes"]'))).toBe(
      'Publications programmées manquées pendant que Colonnade était fermé\u202f: les publier en retard jusqu’à (minutes)',
    );
  });
});
