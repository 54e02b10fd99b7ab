// Errors in words: the reason's translation with its params, else the code's generic words for
// the place they are shown; the network's own words after; English and French.
import { describe, expect, it } from 'vitest';
import { tFor } from './translate';
import en from '../../../src/shared/i18n/en.json';
import fr from '../../../src/shared/i18n/fr.json';
import type { AppError } from '../../../src/shared/errors';
import { describeError, describeThrown } from '../../../src/renderer/components/errors';
import { ApiError } from '../../../src/renderer/api';
import { createCore } from '../../../src/main/core/app-core';
import { memoryPorts } from '../../doubles/ports';
import { postNow } from '../../support/post-now';

const tEn = tFor('en');
const tFr = tFor('fr');

const error = (e: Partial<AppError> & Pick<AppError, 'code'>): AppError => ({ message: 'English words', ...e });

/** A moment later today (an hour on, or the last minute of the day). */
const laterToday = () => {
  const end = new Date();
  end.setHours(23, 59, 0, 0);
  return new Date(Math.min(Date.now() + 3_600_000, end.getTime())).toISOString();
};

describe('describeError in French: the whole sentence in French, main’s English words only apart', () => {
  const N = '\u202f';
  // English words a French sentence must not hold (main's `message`, the network's `detail`).
  const englishIn = (text: string, english: string) => text.replace(`«${N}${english}${N}»`, '').includes(english);

  it.each([
    [
      error({ code: 'not-allowed', message: 'Only your own posts can be deleted.' }),
      `Cette action n’est pas autorisée pour ce profil. Détails${N}: «${N}Only your own posts can be deleted.${N}»`,
    ],
    [
      error({ code: 'not-found', message: 'That column no longer exists.' }),
      `Colonnade ne trouve pas ce qui est demandé${N}: il a peut-être été supprimé, ou son profil n’est plus connecté. Détails${N}: «${N}That column no longer exists.${N}»`,
    ],
    [
      error({ code: 'bad-request', message: 'Only a monitor column has a monitor query.' }),
      `Colonnade n’a pas pu faire cette demande telle quelle. Détails${N}: «${N}Only a monitor column has a monitor query.${N}»`,
    ],
  ])('%o, without a reason: French words, then “Détails”', (e, french) => {
    const said = describeError(tFr, e, 'fr');
    expect(said).toBe(french);
    expect(englishIn(said, e.message)).toBe(false);
    // English is unchanged: main's words are the sentence.
    expect(describeError(tEn, e, 'en')).toContain(e.message);
    expect(describeError(tEn, e, 'en')).not.toContain('Details');
  });

  it.each([
    [
      error({ code: 'not-allowed', reason: 'x-plan-excludes', params: { feature: 'search' }, message: 'Not in plan.' }),
      'Votre offre X ne comprend pas la recherche.',
    ],
    [
      error({ code: 'not-found', reason: 'profile-not-found', params: { name: '@bob' }, message: 'There is no @bob.' }),
      'Aucun compte ne s’appelle @bob.',
    ],
    [
      error({
        code: 'bad-request',
        reason: 'monitor-needs-profile',
        message: 'A monitor needs at least one profile to search with: tick one.',
      }),
      `Une veille a besoin d’au moins un profil avec lequel chercher${N}: cochez-en un.`,
    ],
    [
      error({ code: 'auth-expired', reason: 'session-expired' }),
      'Le réseau n’accepte plus la connexion de ce compte. Reconnectez le compte.',
    ],
  ])('%o, with a reason: its French words alone, no English', (e, french) => {
    expect(describeError(tFr, e, 'fr')).toBe(french);
  });

  it('the network’s own words come apart, named, and main’s English is then left out', () => {
    const refused = error({
      code: 'not-allowed',
      message: 'Refused by X.',
      detail: 'You are not allowed to create a Tweet with duplicate content.',
    });
    expect(describeError(tFr, refused, 'fr', 'composer', 'x')).toBe(
      `Cette action n’est pas autorisée pour ce profil. X a répondu${N}: «${N}You are not allowed to create a Tweet with duplicate content.${N}»`,
    );
  });
});

describe('describeError', () => {
  it('says the reason, filled with its params, numbers in the UI’s language', () => {
    const tooLong = error({ code: 'bad-request', reason: 'too-long', params: { max: '3000', unit: 'bytes' } });
    expect(describeError(tEn, tooLong, 'en', 'composer')).toBe(
      'This post is longer than the network allows (3,000 bytes): shorten it.',
    );
    expect(describeError(tFr, tooLong, 'fr', 'composer')).toBe(
      `Cette publication dépasse ce que le réseau accepte (3\u202f000 octets)\u202f: raccourcissez-la.`,
    );
  });

  it('a reason that only restates the code gives way to the place’s words: the reset time, who retries', () => {
    const limited = error({ code: 'rate-limited', reason: 'rate-limited', resetAt: laterToday() });
    expect(describeError(tEn, limited, 'en', 'column', 'mastodon')).toMatch(
      /until \d\d:\d\d\. Colonnade will resume by itself\./,
    );
    const trouble = error({ code: 'transient', reason: 'server-error', detail: 'Bad gateway' });
    expect(describeError(tEn, trouble, 'en', 'composer', 'mastodon')).not.toMatch(/will try again|Retrying/);
    expect(describeError(tEn, trouble, 'en', 'composer', 'mastodon')).toContain('Mastodon said: “Bad gateway”');
    const gone = error({ code: 'offline', reason: 'unreachable' });
    expect(describeError(tEn, gone, 'en', 'column', 'mastodon')).toBe('Offline, showing cached posts.');
    expect(describeError(tEn, gone, 'en', 'accounts', 'mastodon')).toMatch(
      /^Colonnade cannot reach that server; check the address/,
    );
  });

  it('names what the X plan lacks, in the UI’s language, then X’s own words', () => {
    const plan = error({
      code: 'not-allowed',
      reason: 'x-plan-excludes',
      params: { feature: 'search' },
      detail: 'This endpoint is not in your plan.',
    });
    expect(describeError(tEn, plan, 'en', 'column', 'x')).toBe(
      'Your X plan does not include search. X said: “This endpoint is not in your plan.”',
    );
    expect(describeError(tFr, plan, 'fr', 'column', 'x')).toMatch(/^Votre offre X ne comprend pas la recherche\./);
    // A feature the UI has no words for still reads as a sentence.
    const unknown = error({ code: 'not-allowed', reason: 'x-plan-excludes', params: { feature: 'telepathy' } });
    expect(describeError(tEn, unknown, 'en', 'column', 'x')).toBe('Your X plan does not include this.');
  });

  it('adds the network’s own words, naming the network when known', () => {
    const refused = error({
      code: 'not-allowed',
      reason: 'too-long',
      params: { max: '280', unit: 'characters' },
      detail: 'Tweet text is too long.',
    });
    expect(describeError(tEn, refused, 'en', 'composer', 'x')).toBe(
      'This post is longer than the network allows (280 characters): shorten it. X said: “Tweet text is too long.”',
    );
    expect(describeError(tFr, refused, 'fr', 'composer', 'x')).toContain(
      'X a répondu\u202f: «\u202fTweet text is too long.\u202f»',
    );
    expect(describeError(tEn, error({ code: 'invalid', detail: 'Validation failed' }), 'en')).toBe(
      'The network sent something Colonnade could not read. The network said: “Validation failed”',
    );
  });

  it('falls back to the code’s words for a reason the UI does not know, or one missing its params', () => {
    expect(describeError(tEn, error({ code: 'auth-expired', reason: 'no-such-reason' }), 'en')).toBe(
      'This profile needs to be reconnected.',
    );
    expect(describeError(tEn, error({ code: 'bad-request', reason: 'too-long' }), 'en')).toBe('English words');
  });

  it('in Accounts, an address nobody answers on says to check the address, not "showing cached posts"', () => {
    const offline = error({ code: 'offline' });
    expect(describeError(tEn, offline, 'en', 'accounts')).toBe(
      'Colonnade cannot reach that server; check the address.',
    );
    expect(describeError(tFr, offline, 'fr', 'accounts')).toBe(
      'Colonnade ne parvient pas à joindre ce serveur\u202f; vérifiez l’adresse.',
    );
    expect(describeError(tEn, offline, 'en', 'column')).toBe('Offline, showing cached posts.');
    expect(describeError(tEn, offline, 'en', 'composer')).not.toMatch(/cached/);
  });

  it('says "Retrying…" only in a column, which does retry by itself', () => {
    const transient = error({ code: 'transient' });
    expect(describeError(tEn, transient, 'en', 'column')).toMatch(/Retrying…/);
    for (const where of ['composer', 'accounts', 'dialog'] as const) {
      expect(describeError(tEn, transient, 'en', where)).not.toMatch(/Retrying/);
      expect(describeError(tFr, transient, 'fr', where)).not.toMatch(/Nouvel essai/);
    }
    expect(describeError(tEn, transient, 'en', 'composer')).toMatch(/will not be posted twice/);
  });

  it('names what a rate limit limits, with or without a reset time', () => {
    const limited = error({ code: 'rate-limited', resetAt: laterToday() });
    expect(describeError(tEn, limited, 'en', 'column')).toMatch(/how often this column can be read, until \d\d:\d\d/);
    // A reset on another day says the day (an X daily limit resets tomorrow).
    const tomorrow = error({ code: 'rate-limited', resetAt: new Date(Date.now() + 24 * 3_600_000).toISOString() });
    expect(describeError(tEn, tomorrow, 'en', 'composer')).toMatch(
      /until [A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2}, \d\d:\d\d/,
    );
    expect(describeError(tEn, limited, 'en', 'composer')).toMatch(/limits posting from this profile until/);
    expect(describeError(tEn, limited, 'en', 'accounts')).toMatch(/limits sign-in attempts until/);
    expect(describeError(tFr, error({ code: 'rate-limited' }), 'fr', 'composer')).toBe(
      'Le réseau limite les publications de ce profil pour le moment\u202f; réessayez plus tard.',
    );
  });

  it('says the spent X budget through its reason', () => {
    const budget = error({ code: 'not-allowed', reason: 'monthly-budget' });
    // The same words in a column and in Analytics (whose collector stops too): no "this column".
    expect(describeError(tEn, budget, 'en', 'column')).toBe(
      'The monthly X budget is spent: Colonnade stopped reading from X for this account. Raise the budget in Accounts to resume.',
    );
    expect(describeError(tFr, budget, 'fr', 'column')).toBe(fr.reasons['monthly-budget']);
  });

  it('describes anything thrown that is not an API error as internal', () => {
    expect(describeThrown(tEn, new Error('boom'), 'en')).toBe(en.errors.internal);
    expect(describeThrown(tEn, new ApiError(error({ code: 'offline' })), 'en', 'accounts')).toBe(en.errors.unreachable);
  });
});

describe('a post refused by main reaches the UI in words', () => {
  it('an empty post sent now: in English and in French', async () => {
    const ports = memoryPorts();
    const core = await createCore(ports);
    const result = await postNow(core, { profileId: 'sandbox:practice', text: '  ' }, ports.clock);
    core.stop();
    if (result.ok) throw new Error('expected a refusal');
    expect(describeError(tEn, result.error, 'en')).toBe('Write something to post.');
    expect(describeError(tFr, result.error, 'fr')).toBe('Écrivez quelque chose à publier.');
  });
});

describe('bad requests reach the French UI in French', () => {
  it.each([
    [{ channel: 'deck.create', payload: { name: ' ' } }, 'A deck needs a name.', 'Un tableau a besoin d’un nom.'],
    [
      { channel: 'deck.create', payload: { name: 'x'.repeat(61) } },
      'Deck names are at most 60 characters.',
      'Le nom d’un tableau fait au plus 60 caractères.',
    ],
    [
      { channel: 'column.move', payload: { deckId: 'd', columnId: 'c', toIndex: 99 } },
      '“Position” must be at most 49.',
      '« Position » doit valoir au plus 49.',
    ],
    [
      {
        channel: 'accounts.connect',
        payload: {
          request: { network: 'mastodon', method: 'mastodon-token', instanceUrl: 'mastodon social', accessToken: 't' },
        },
      },
      'Enter the instance’s address, like https://mastodon.social',
      'Saisissez l’adresse de l’instance, comme https://mastodon.social',
    ],
    [
      {
        channel: 'accounts.connect',
        payload: {
          request: { network: 'bluesky', method: 'bluesky-app-password', identifier: 'ada.example', appPassword: ' ' },
        },
      },
      'Fill in “App password”.',
      'Remplissez « Mot de passe d’application ».',
    ],
    [
      { channel: 'usage.configure', payload: { accountId: 'a', monthlyBudget: -1 } },
      '“Monthly budget” must be at least 0.',
      '« Budget mensuel » doit valoir au moins 0.',
    ],
  ])('%o', async ({ channel, payload }, english, french) => {
    const core = await createCore(memoryPorts());
    const result = await core.dispatch(channel, payload);
    core.stop();
    if (result.ok) throw new Error('expected a refusal');
    expect(result.error.code).toBe('bad-request');
    expect(result.error.message).toBe(english);
    expect(describeError(tEn, result.error, 'en')).toBe(english);
    expect(describeError(tFr, result.error, 'fr')).toBe(french);
  });
});
