// The X cost meter as the CM reads it (markup, react-dom/server), in English and French: posts
// read today and this month with their cost, and what count refreshes cost of it.
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { ServicesContext, type AppServices } from '../../../src/renderer/components/context';
import { UsagePanel } from '../../../src/renderer/components/UsagePanel';
import { createI18n } from '../../../src/renderer/i18n';
import type { AccountUsage } from '../../../src/shared/ipc/contract';

const services = { actions: {}, db: {} } as unknown as AppServices;

const usage: AccountUsage = {
  accountId: 'x:1',
  today: { posts: 359, ownPosts: 177, cost: 1.972, counts: { posts: 40, ownPosts: 60, cost: 0.26 } },
  month: { posts: 4_000, ownPosts: 1_200, cost: 21.2, counts: { posts: 500, ownPosts: 700, cost: 3.2 } },
  prices: { post: 0.005, ownPost: 0.001 },
  monthlyBudget: null,
  paused: false,
};

function lines(language: 'en' | 'fr', of: AccountUsage = usage): string[] {
  const html = renderToStaticMarkup(
    <I18nextProvider i18n={createI18n(language)}>
      <ServicesContext.Provider value={services}>
        <UsagePanel usage={of} handle="brand" language={language} />
      </ServicesContext.Provider>
    </I18nextProvider>,
  );
  return [...html.matchAll(/<p class="small">([^<]*)<\/p>/g)].map((m) => m[1]!.replace(/&#x27;/g, "'"));
}

describe('the X cost meter panel', () => {
  it('shows each post once, and what count refreshes cost apart', () => {
    expect(lines('en')).toEqual([
      'Today: 536 posts read (≈ $1.97)',
      'This month: 5,200 posts read (≈ $21.20)',
      'Of these, refreshing the counts of posts already shown: 100 today (≈ $0.26), 1,200 this month (≈ $3.20).',
    ]);
  });

  it('in French, with narrow no-break spaces before the colons', () => {
    const [today, month, counts] = lines('fr');
    expect(today).toBe('Aujourd’hui\u202f: 536 publications lues (≈ 1,97\u00a0$US)');
    expect(month).toMatch(/^Ce mois-ci\u202f: 5\u202f200 publications lues \(≈ 21,20/);
    expect(counts).toMatch(
      /^Dont l’actualisation des compteurs des publications déjà affichées\u202f: 100 aujourd’hui/,
    );
  });

  it('one post read is said in the singular, in both languages', () => {
    const one = { ...usage, today: { ...usage.today, posts: 1, ownPosts: 0 } };
    expect(lines('en', one)[0]).toBe('Today: 1 post read (≈ $1.97)');
    expect(lines('fr', one)[0]).toBe('Aujourd’hui\u202f: 1 publication lue (≈ 1,97\u00a0$US)');
  });
});
