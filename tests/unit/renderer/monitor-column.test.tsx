// @vitest-environment jsdom
// "Add a column" → Monitor, as a CM fills it: profiles on several networks, hashtags, keywords,
// exclusions and a language, what it refuses (in words, next to the field), and what it asks main.
import { beforeEach, describe, expect, it } from 'vitest';
import { AddColumnDialog } from '../../../src/renderer/components/AddColumnDialog';
import type { AppServices } from '../../../src/renderer/components/context';
import { useAppStore } from '../../../src/renderer/state/store';
import { type Account, type ColumnKind, type NetworkId } from '../../../src/shared/model';
import type { Language } from '../../../src/shared/settings';
import { allByRole, byRole, click, descriptionOf, nameOf, submit, textOf, type } from './dom';
import { accountOn, freshAppPerTest, mainAnswering, showDialog } from './test-app';

/** What the adapters offer (each network adapter's `columnKinds`): no `monitor`, which runs on hashtag and search. */
const KINDS: readonly ColumnKind[] = ['home', 'mentions', 'notifications', 'hashtag', 'search', 'user', 'list'];

function account(network: NetworkId, handle: string, kinds: readonly ColumnKind[] = KINDS): Account {
  const made = accountOn(network, handle, { columnKinds: [...kinds] });
  return { ...made, profile: { ...made.profile, displayName: `${handle} (brand)` } };
}

const ACCOUNTS = [
  account('sandbox', 'practice'),
  account('x', 'brand'),
  account('bluesky', 'brand.bsky.social'),
  account('mastodon', 'brand@mastodon.social'),
];
const LAYOUT = { decks: [{ id: 'deck-1', name: 'Launch', columns: [] }], activeDeckId: 'deck-1' };

/** A fake main that records every request and answers `column.add` with the layout. */
function fakeMain() {
  return mainAnswering((channel) => {
    if (channel === 'column.add') return LAYOUT;
    throw new Error(`unexpected ${channel}`);
  });
}

let closed: number;
beforeEach(() => {
  closed = 0;
});
freshAppPerTest({ accounts: ACCOUNTS, layout: LAYOUT });

async function open(services: AppServices, language: Language = 'en', accounts = ACCOUNTS) {
  useAppStore.setState({ accounts });
  return showDialog(<AddColumnDialog onClose={() => closed++} language={language} />, services, language);
}

describe('a Monitor column: one query over several profiles and networks', () => {
  it('is a column type of its own; choosing it lists the profiles able to search, by network, with the one chosen ticked', async () => {
    const dialog = await open(fakeMain().services);
    const monitor = byRole(dialog, 'radio', /^Monitor/);
    expect(nameOf(monitor)).toMatch(/^Monitor\s*One query over several profiles and networks, in one column$/);
    await click(monitor);

    // The one-profile picker gives way to a checkbox per profile, grouped under its network's name.
    expect(allByRole(dialog, 'combobox', 'Profile')).toHaveLength(0);
    const profiles = byRole(dialog, 'group', 'Profiles to search with');
    expect(descriptionOf(profiles)).toMatch(/merged into one column, newest first/);
    const groups = allByRole(profiles, 'group').map((g) => textOf(g.querySelector('legend')));
    expect(groups).toEqual(['Sandbox Practice data', 'X', 'Bluesky', 'Mastodon']);
    const boxes = allByRole(profiles, 'checkbox');
    expect(boxes.map(nameOf)).toEqual([
      '@practice practice (brand)',
      '@brand brand (brand)',
      '@brand.bsky.social brand.bsky.social (brand)',
      '@brand@mastodon.social brand@mastodon.social (brand)',
    ]);
    expect(boxes.map((b) => (b as HTMLInputElement).checked)).toEqual([true, false, false, false]);
    // Every control has a name.
    for (const name of ['Hashtags', 'Keywords', 'Leave out posts containing']) byRole(dialog, 'textbox', name);
    expect((byRole(dialog, 'combobox', 'Language') as HTMLSelectElement).value).toBe('');
  });

  it('sends one query over three profiles on three networks, hashtags typed with or without #', async () => {
    const { sent, services } = fakeMain();
    const dialog = await open(services);
    await click(byRole(dialog, 'radio', /^Monitor/));
    await click(byRole(dialog, 'checkbox', /^@brand brand/));
    await click(byRole(dialog, 'checkbox', /^@brand\.bsky\.social/));
    // Commas between tags, or spaces where every word starts with '#'; a repeat counts once.
    await type(byRole(dialog, 'textbox', 'Hashtags'), '#IFPower, Launch, #EBike #Range, #ifpower');
    await type(byRole(dialog, 'textbox', 'Keywords'), 'battery swap,  range test ');
    await type(byRole(dialog, 'textbox', 'Leave out posts containing'), 'giveaway');
    await type(byRole(dialog, 'combobox', 'Language'), 'fr');
    await submit(dialog);

    expect(sent).toEqual([
      {
        channel: 'column.add',
        request: {
          deckId: 'deck-1',
          spec: {
            kind: 'monitor',
            profileId: 'sandbox:practice',
            monitor: {
              profileIds: ['sandbox:practice', 'x:brand', 'bluesky:brand.bsky.social'],
              hashtags: ['IFPower', 'Launch', 'EBike', 'Range'],
              keywords: ['battery swap', 'range test'],
              exclude: ['giveaway'],
              language: 'fr',
            },
          },
        },
      },
    ]);
    expect(closed).toBe(1);
  });

  it('refuses a monitor without a query or a profile, in words next to the field, which gets focus; nothing is sent', async () => {
    const { sent, services } = fakeMain();
    const dialog = await open(services);
    await click(byRole(dialog, 'radio', /^Monitor/));
    await submit(dialog);
    const hashtags = byRole(dialog, 'textbox', 'Hashtags');
    expect(hashtags.getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(hashtags)).toContain('A monitor needs at least one hashtag or keyword.');
    expect(document.activeElement).toBe(hashtags);

    await type(byRole(dialog, 'textbox', 'Keywords'), 'battery');
    // Typing clears the complaint.
    expect(allByRole(dialog, 'alert')).toHaveLength(0);
    await click(byRole(dialog, 'checkbox', /^@practice/));
    await submit(dialog);
    const profiles = byRole(dialog, 'group', 'Profiles to search with');
    expect(descriptionOf(profiles)).toContain('Choose at least one profile to search with.');
    expect(document.activeElement).toBe(byRole(dialog, 'checkbox', /^@practice/));
    expect(sent).toEqual([]);
    expect(closed).toBe(0);
  });

  it('refuses a hashtag with a space with the hashtag words, and offers to watch those words as keywords', async () => {
    const { sent, services } = fakeMain();
    const dialog = await open(services);
    await click(byRole(dialog, 'radio', /^Monitor/));
    await type(byRole(dialog, 'textbox', 'Hashtags'), '#IFPower, #electric bike');
    await submit(dialog);
    expect(textOf(byRole(dialog, 'alert'))).toContain(
      'A hashtag has no spaces. To follow posts with several words, add a Search column instead.',
    );
    expect(sent).toEqual([]);

    await click(byRole(dialog, 'button', 'Watch “electric bike” as keywords instead'));
    expect((byRole(dialog, 'textbox', 'Hashtags') as HTMLInputElement).value).toBe('#IFPower');
    expect((byRole(dialog, 'textbox', 'Keywords') as HTMLInputElement).value).toBe('electric bike');
    await submit(dialog);
    expect(sent).toMatchObject([
      { channel: 'column.add', request: { spec: { monitor: { hashtags: ['IFPower'], keywords: ['electric bike'] } } } },
    ]);
  });

  it('names a chosen profile that cannot search what is asked (an X plan without search)', async () => {
    const noSearch = account('x', 'brand', ['home', 'mentions', 'hashtag', 'user']);
    const { sent, services } = fakeMain();
    const dialog = await open(services, 'en', [ACCOUNTS[0]!, noSearch]);
    await click(byRole(dialog, 'radio', /^Monitor/));
    await click(byRole(dialog, 'checkbox', /^@brand/));
    await type(byRole(dialog, 'textbox', 'Keywords'), 'battery');
    await submit(dialog);
    expect(descriptionOf(byRole(dialog, 'group', 'Profiles to search with'))).toContain(
      '@brand on X cannot search keywords: untick it, or use hashtags.',
    );
    expect(sent).toEqual([]);
  });

  it('speaks French: “Veille”, the networks’ names, and languages named in French', async () => {
    const dialog = await open(fakeMain().services, 'fr');
    await click(byRole(dialog, 'radio', /^Veille/));
    byRole(dialog, 'group', 'Profils avec lesquels chercher');
    const language = byRole(dialog, 'combobox', 'Langue') as HTMLSelectElement;
    const options = [...language.options].map((o) => [o.value, o.textContent]);
    expect(options[0]).toEqual(['', 'Toutes les langues']);
    expect(options).toContainEqual(['fr', 'Français']);
    expect(options).toContainEqual(['de', 'Allemand']);
    // The 183 ISO 639-1 languages, each once (Twi, `tw`, is Akan for CLDR: one "Akan"), in French
    // alphabetical order after "every language".
    expect(options).toHaveLength(183);
    expect(options).toContainEqual(['ak', 'Akan']);
    expect(options.map((o) => o[0])).not.toContain('tw');
    expect(new Set(options.map((o) => o[1])).size).toBe(options.length);
    const names = options.slice(1).map((o) => o[1]!);
    expect(names).toEqual([...names].sort(new Intl.Collator('fr').compare));
    await submit(dialog);
    expect(descriptionOf(byRole(dialog, 'textbox', 'Hashtags'))).toContain(
      'Une veille a besoin d’au moins un hashtag ou un mot-clé.',
    );
  });
});

describe('the one-profile column types still work', () => {
  it('a Hashtag column refuses a tag its profile’s network never makes, in words, and sends nothing', async () => {
    const { sent, services } = fakeMain();
    const dialog = await open(services);
    await type(byRole(dialog, 'combobox', 'Profile'), 'mastodon:brand@mastodon.social');
    await click(byRole(dialog, 'radio', /^Hashtag/));
    await type(byRole(dialog, 'textbox', 'Hashtag'), '#2024');
    await submit(dialog);
    expect(textOf(byRole(dialog, 'alert'))).toBe(
      'Mastodon does not treat “#2024” as a hashtag: a hashtag needs at least one letter.',
    );
    // On Bluesky an emoji is a hashtag.
    await type(byRole(dialog, 'combobox', 'Profile'), 'bluesky:brand.bsky.social');
    await click(byRole(dialog, 'radio', /^Hashtag/));
    await type(byRole(dialog, 'textbox', 'Hashtag'), '#🚲');
    await submit(dialog);
    expect(sent).toMatchObject([{ channel: 'column.add', request: { spec: { kind: 'hashtag', query: '#🚲' } } }]);
  });

  it('a Hashtag column on the chosen profile', async () => {
    const { sent, services } = fakeMain();
    const dialog = await open(services);
    await type(byRole(dialog, 'combobox', 'Profile'), 'bluesky:brand.bsky.social');
    await click(byRole(dialog, 'radio', /^Hashtag/));
    await type(byRole(dialog, 'textbox', 'Hashtag'), '#IFPower');
    await submit(dialog);
    expect(sent).toEqual([
      {
        channel: 'column.add',
        request: {
          deckId: 'deck-1',
          spec: { kind: 'hashtag', profileId: 'bluesky:brand.bsky.social', query: '#IFPower' },
        },
      },
    ]);
    expect(closed).toBe(1);
  });
});
