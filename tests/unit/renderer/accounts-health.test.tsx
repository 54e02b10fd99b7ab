// @vitest-environment jsdom
// An account that its network refuses, in Accounts: the badge in the UI's words, and main's own
// (English) words apart, never inside a French sentence.
import { afterEach, describe, expect, it } from 'vitest';
import { AccountsDialog } from '../../../src/renderer/components/AccountsDialog';
import type { AppServices } from '../../../src/renderer/components/context';
import { initialState, useAppStore } from '../../../src/renderer/state/store';
import type { Account } from '../../../src/shared/model';
import type { Language } from '../../../src/shared/settings';
import { byRole, render, textOf, type Rendered } from './dom';

const REASON = 'Your X plan does not include search.';
const refused: Account = {
  id: 'x:brand',
  network: 'x',
  profile: { id: 'x:brand', network: 'x', handle: 'brand', displayName: 'Brand', avatarUrl: null, url: null },
  health: { state: 'not-allowed', reason: REASON },
  practice: false,
  columnKinds: ['home'],
  server: 'https://api.x.com',
  textRules: { counting: 'weighted', maxLength: 280, maxImages: 4, maxAltLength: 1000 },
};

let view: Rendered;
afterEach(() => view.unmount());

async function rowOf(language: Language, account: Account = refused) {
  useAppStore.setState({ ...initialState, accounts: [account], phase: 'ready' });
  view = await render(
    <AccountsDialog onClose={() => {}} language={language} />,
    { actions: {}, db: {} } as unknown as AppServices,
    language,
  );
  const row = byRole(byRole(document, 'dialog'), 'listitem', /@brand/);
  return { badge: textOf(row.querySelector('.badge')), details: textOf(row.querySelector('.health-details')) };
}

describe('a refused account’s health', () => {
  it('in French: “Non autorisé”, and main’s words apart as “Détails”', async () => {
    expect(await rowOf('fr')).toEqual({
      badge: 'Non autorisé',
      details: `Détails\u202f: «\u202f${REASON}\u202f»`,
    });
  });

  it('in English: the reason in the badge, said once', async () => {
    expect(await rowOf('en')).toEqual({ badge: `Not allowed: ${REASON}`, details: '' });
  });

  it('where main kept the refusal, said wholly in the UI’s language from its reason', async () => {
    const withError: Account = {
      ...refused,
      health: {
        state: 'not-allowed',
        reason: REASON,
        error: { code: 'not-allowed', message: REASON, reason: 'x-plan-excludes', params: { feature: 'search' } },
      },
    };
    const fr = await rowOf('fr', withError);
    view.unmount();
    expect(fr.badge).toBe('Non autorisé');
    expect(fr.details).toContain('Votre offre X ne comprend pas');
    expect(fr.details).not.toContain(REASON);
    expect(await rowOf('en', withError)).toEqual({
      badge: 'Not allowed: Your X plan does not include search.',
      details: '',
    });
  });
});
