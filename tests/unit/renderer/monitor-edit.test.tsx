// @vitest-environment jsdom
// "Edit monitor" in a monitor column's options, as a CM uses it: the saved query in the form,
// changed and sent with the options in one `column.configure`; what the form refuses (in words,
// nothing sent); main's refusal in the UI's language; the filter's language list by name.
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/renderer/api';
import { ColumnOptionsDialog } from '../../../src/renderer/components/ColumnOptionsDialog';
import type { AppServices } from '../../../src/renderer/components/context';
import type { AppError } from '../../../src/shared/errors';
import type { Column, Layout, NetworkId } from '../../../src/shared/model';
import type { Language } from '../../../src/shared/settings';
import { allByRole, byRole, click, descriptionOf, submit, textOf, type } from './dom';
import { accountOn, freshAppPerTest, mainAnswering, showDialog } from './test-app';

const account = (network: NetworkId, handle: string) =>
  accountOn(network, handle, { columnKinds: ['home', 'hashtag', 'search'] });

const ACCOUNTS = [account('x', 'brand'), account('bluesky', 'brand.bsky.social'), account('mastodon', 'brand')];
const MONITOR: Column = {
  id: 'col-1',
  kind: 'monitor',
  profileId: 'x:brand',
  width: 340,
  monitor: {
    profileIds: ['x:brand', 'bluesky:brand.bsky.social'],
    hashtags: ['IFPower'],
    keywords: ['battery'],
    exclude: [],
    language: 'fr',
  },
};
const LAYOUT: Layout = { decks: [{ id: 'deck-1', name: 'Launch', columns: [MONITOR] }], activeDeckId: 'deck-1' };

/** A fake main recording every request; `refuse` makes `column.configure` fail with that error. */
function fakeMain(refuse?: AppError) {
  return mainAnswering((channel) => {
    if (channel === 'column.configure') {
      if (refuse) throw new ApiError(refuse);
      return LAYOUT;
    }
    throw new Error(`unexpected ${channel}`);
  });
}

let closed: number;
beforeEach(() => {
  closed = 0;
});
freshAppPerTest({ accounts: ACCOUNTS, layout: LAYOUT });

const open = (services: AppServices, language: Language = 'en', column: Column = MONITOR) =>
  showDialog(
    <ColumnOptionsDialog column={column} title="#IFPower · battery" onClose={() => closed++} language={language} />,
    services,
    language,
  );

describe('Edit monitor, in a monitor column’s options', () => {
  it('shows the saved query; unticking the first profile and changing the hashtags sends the new query with the options', async () => {
    const { sent, services } = fakeMain();
    const dialog = await open(services);
    const edit = byRole(dialog, 'button', 'Edit monitor');
    expect(edit.getAttribute('aria-expanded')).toBe('false');
    expect(allByRole(dialog, 'textbox', 'Hashtags')).toHaveLength(0);
    await click(edit);
    expect(edit.getAttribute('aria-expanded')).toBe('true');

    const hashtags = byRole(dialog, 'textbox', 'Hashtags') as HTMLInputElement;
    expect(hashtags.value).toBe('#IFPower');
    expect((byRole(dialog, 'textbox', 'Keywords') as HTMLInputElement).value).toBe('battery');
    const boxes = allByRole(byRole(dialog, 'group', 'Profiles to search with'), 'checkbox') as HTMLInputElement[];
    expect(boxes.map((b) => b.checked)).toEqual([true, true, false]);
    // The query's language, by name, in the monitor's list.
    const languages = allByRole(dialog, 'combobox', 'Language') as HTMLSelectElement[];
    expect(languages[0]!.selectedOptions[0]!.textContent).toBe('French');

    await click(boxes[0]!); // untick X, the first profile
    await click(boxes[2]!); // tick Mastodon
    await type(hashtags, '#IFPower, ＃東京');
    await submit(dialog);

    expect(sent).toEqual([
      {
        channel: 'column.configure',
        request: {
          deckId: 'deck-1',
          columnId: 'col-1',
          options: expect.any(Object),
          monitor: {
            profileIds: ['bluesky:brand.bsky.social', 'mastodon:brand'],
            hashtags: ['IFPower', '東京'],
            keywords: ['battery'],
            exclude: [],
            language: 'fr',
          },
        },
      },
    ]);
    expect(closed).toBe(1);
  });

  it('leaves the query alone unless opened, and "Keep the monitor as it is" forgets the changes', async () => {
    const { sent, services } = fakeMain();
    const dialog = await open(services);
    await click(byRole(dialog, 'button', 'Edit monitor'));
    await type(byRole(dialog, 'textbox', 'Hashtags'), '#Other');
    await click(byRole(dialog, 'button', 'Keep the monitor as it is'));
    expect(allByRole(dialog, 'textbox', 'Hashtags')).toHaveLength(0);
    await submit(dialog);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.request).not.toHaveProperty('monitor');
  });

  it('refuses, next to the field that gets focus, a monitor with no profile or a hashtag none of its networks makes; nothing is sent', async () => {
    const { sent, services } = fakeMain();
    const dialog = await open(services);
    await click(byRole(dialog, 'button', 'Edit monitor'));
    const hashtags = byRole(dialog, 'textbox', 'Hashtags');
    await type(hashtags, '#2024');
    await submit(dialog);
    expect(descriptionOf(hashtags)).toContain(
      'X and Bluesky do not treat “#2024” as a hashtag: a hashtag needs at least one letter.',
    );
    expect(document.activeElement).toBe(hashtags);

    await type(hashtags, '#IFPower');
    for (const box of allByRole(dialog, 'checkbox', /^@/) as HTMLInputElement[]) if (box.checked) await click(box);
    await submit(dialog);
    expect(descriptionOf(byRole(dialog, 'group', 'Profiles to search with'))).toContain(
      'Choose at least one profile to search with.',
    );
    expect(sent).toEqual([]);
    expect(closed).toBe(0);
  });

  it('says main’s refusal in French, from its reason, without English words', async () => {
    const { services } = fakeMain({
      code: 'bad-request',
      message: 'A monitor needs at least one profile to search with: tick one.',
      reason: 'monitor-needs-profile',
      field: 'monitor.profileIds',
    });
    const dialog = await open(services, 'fr');
    await click(byRole(dialog, 'button', 'Modifier la veille'));
    await submit(dialog);
    expect(textOf(byRole(dialog, 'alert'))).toBe(
      'Une veille a besoin d’au moins un profil avec lequel chercher\u202f: cochez-en un.',
    );
    expect(closed).toBe(0);
  });

  it('is not offered on a column that is not a monitor; its language filter is a list of names', async () => {
    const home: Column = { id: 'col-2', kind: 'home', profileId: 'x:brand', width: 340 };
    const dialog = await open(fakeMain().services, 'fr', home);
    expect(allByRole(dialog, 'button', 'Modifier la veille')).toHaveLength(0);
    const language = byRole(dialog, 'combobox', 'Seulement les publications dans cette langue') as HTMLSelectElement;
    expect([...language.options].slice(0, 1).map((o) => o.textContent)).toEqual(['Toutes les langues']);
    expect([...language.options].map((o) => [o.value, o.textContent])).toContainEqual(['de', 'Allemand']);
  });
});
