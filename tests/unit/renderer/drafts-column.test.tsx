// @vitest-environment jsdom
// The Drafts column (issue 8): every draft, newest first, found by a word typed without its
// accents, opened in the composer where it was left, deleted to a trash it comes back from.
import 'fake-indexeddb/auto';
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { DraftsList } from '../../../src/renderer/components/DraftsList';
import { DraftStore } from '../../../src/renderer/drafts/draft-store';
import { useAppStore } from '../../../src/renderer/state/store';
import { allByRole, byRole, click, settle, textOf, type } from './dom';
import { accountOn, freshAppPerTest, mainAnswering, show, testDatabase } from './test-app';

const MASTODON = accountOn('mastodon', 'brand@mastodon.social');
freshAppPerTest({ accounts: [MASTODON] });

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 50 && !ok(); i++) await settle();
};

describe('the Drafts column', () => {
  it('lists, finds without accents, opens, deletes to the trash and restores', async () => {
    const db = testDatabase('drafts-column');
    const store = new DraftStore(db);
    await store.create({ content: { parts: [{ text: 'Soldes d’été demain', media: [] }] }, targets: [MASTODON.id] });
    await store.create({
      content: {
        parts: [
          { text: 'Thread 1/2', media: [] },
          { text: 'Thread 2/2', media: [] },
        ],
      },
      targets: [MASTODON.id],
      when: { kind: 'at', local: '2031-03-31T09:00', zone: 'Europe/Paris' },
    });
    const { services } = mainAnswering(() => ({}));
    const { container } = await show(<DraftsList db={db} language="en" />, { ...services, db });
    await until(() => allByRole(container, 'listitem').length === 2);
    const items = allByRole(container, 'listitem').map((li) => textOf(li));
    expect(items[0]).toMatch(
      /^Thread 1\/2 Thread 2\/2 ?thread of 2 posts · @brand@mastodon\.social \(Mastodon\) · at 2031-03-31 09:00 \(Europe\/Paris\)/,
    );
    expect(items[1]).toMatch(/^Soldes d’été demain/);
    // "ete" finds "été".
    const search = container.querySelector<HTMLInputElement>('input[type="search"]')!;
    expect(textOf(container.querySelector(`label[for="${search.id}"]`))).toBe('Search drafts');
    await type(search, 'ete');
    await until(() => allByRole(container, 'listitem').length === 1);
    expect(textOf(allByRole(container, 'listitem')[0])).toMatch(/^Soldes d’été demain/);
    // Open: the composer opens with it, where it was left.
    await click(byRole(container, 'button', 'Open draft: Soldes d’été demain'));
    expect(useAppStore.getState().compose).toMatchObject({
      initial: { parts: [{ text: 'Soldes d’été demain', media: [] }], targets: [MASTODON.id] },
    });
    // Delete, then find it in the trash and restore it.
    await click(byRole(container, 'button', 'Delete draft: Soldes d’été demain'));
    await until(() => allByRole(container, 'listitem').length === 0);
    expect(textOf(container.querySelector('.column-note'))).toBe('No draft matches.');
    await act(async () => byRole(container, 'button', 'Trash').click());
    await until(() => allByRole(container, 'listitem').length === 1);
    await click(byRole(container, 'button', 'Restore draft: Soldes d’été demain'));
    await click(byRole(container, 'button', 'Trash'));
    await until(() => allByRole(container, 'listitem').length === 1);
    expect(textOf(allByRole(container, 'listitem')[0])).toMatch(/^Soldes d’été demain/);
  });
});
