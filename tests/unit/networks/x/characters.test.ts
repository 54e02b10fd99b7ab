// Characters X refuses whatever the length: twitter-text's invalid characters (U+FEFF, U+FFFE,
// U+FFFF: js/src/regexp/invalidCharsGroup.js) make `parseTweet(...).valid` false. A byte order
// mark comes in with text pasted from a file or a spreadsheet. Colonnade names the character and
// where it is (composer and main), never calls the post "too long", never sends what X would
// refuse, and drops only a byte order mark that starts the text (an encoding signature).
import { createInstance, type TFunction } from 'i18next';
import twitterText from 'twitter-text';
import { describe, expect, it } from 'vitest';
import en from '../../../../src/shared/i18n/en.json';
import fr from '../../../../src/shared/i18n/fr.json';
import { describeError } from '../../../../src/renderer/components/errors';
import { ColonnadeError } from '../../../../src/shared/errors';
import { countText, measureText, xPostText, xRefusedCharacters } from '../../../../src/shared/text-length';
import { ME_ID, type XEmulator } from '../../../emulators/x';
import { rig, useEmulator } from './harness';

const X_RULES = { counting: 'weighted', maxLength: 280 } as const;
const DOORS = 'Doors open at 9 in the foyer!';

function tFor(lng: 'en' | 'fr'): TFunction {
  const i18n = createInstance();
  void i18n.init({
    initAsync: false,
    lng,
    resources: { en: { translation: en }, fr: { translation: fr } },
    interpolation: { escapeValue: false },
  });
  return i18n.t;
}

describe('characters X refuses (text-length, the composer’s and main’s rule)', () => {
  it('twitter-text refuses these three whatever the length: the rule this follows', () => {
    for (const ch of ['\uFEFF', '\uFFFE', '\uFFFF']) {
      expect(twitterText.parseTweet(`Doors ${ch}open`).valid).toBe(false);
      expect(twitterText.isInvalidTweet(`Doors ${ch}open`)).toBe('invalid_characters');
    }
    // Directional formatting characters were invalid in twitter-text 1.x only.
    expect(twitterText.parseTweet('Doors \u202Aopen').valid).toBe(true);
  });

  it('a BOM at the start is dropped before sending and refused nowhere; it weighs nothing', () => {
    expect(xPostText(`\uFEFF${DOORS}`)).toBe(DOORS);
    expect(xRefusedCharacters(`\uFEFF${DOORS}`)).toEqual([]);
    expect(countText(`\uFEFF${DOORS}`, X_RULES)).toBe(29);
    expect(measureText(`\uFEFF${DOORS}`, X_RULES)).toMatchObject({ over: false, refused: [] });
  });

  it('a BOM in the middle is named with its place, counted in characters as read', () => {
    const text = 'Doors 🎉 open\uFEFF at 9';
    expect(xRefusedCharacters(text)).toEqual([
      {
        code: 'U+FEFF',
        key: 'byte-order-mark',
        name: expect.stringMatching(/byte order mark/),
        index: 13,
        position: 13,
      },
    ]);
    const m = measureText(text, X_RULES);
    expect(m.over).toBe(false);
    expect(m.refused.map((r) => r.code)).toEqual(['U+FEFF']);
  });

  it('U+FFFE and U+FFFF are named too, each where it is; a BOM at the end goes with the outer blanks', () => {
    expect(xRefusedCharacters('a\uFFFEb\uFFFFc').map((r) => [r.code, r.key, r.position])).toEqual([
      ['U+FFFE', 'noncharacter-fffe', 2],
      ['U+FFFF', 'noncharacter-ffff', 4],
    ]);
    expect(measureText(`${DOORS}\uFEFF`, X_RULES).refused).toEqual([]);
  });

  it('only X refuses them: Bluesky and Mastodon counting sees no refused character', () => {
    expect(measureText('a\uFEFFb', { counting: 'graphemes', maxLength: 300, maxBytes: 3000 }).refused).toEqual([]);
    expect(measureText('a\uFEFFb', { counting: 'characters', maxLength: 500 }).refused).toEqual([]);
  });

  it('the reason reads in both languages with the character’s name in words', () => {
    const err = new ColonnadeError('invalid', 'English', {
      reason: 'invalid-character',
      params: { code: 'U+FEFF', character: 'byte-order-mark', position: '12' },
    }).toJSON();
    expect(describeError(tFor('en'), err, 'en', 'composer')).toBe(
      'X refuses posts containing the character U+FEFF (a byte order mark, an invisible character), and this one has it at character 12. It usually comes in unseen with text pasted from a file: delete it, then post.',
    );
    expect(describeError(tFor('fr'), err, 'fr', 'composer')).toContain(
      'le caractère U+FEFF (une marque d’ordre des octets, un caractère invisible)',
    );
  });
});

describe('publishing text with characters X refuses (the emulator)', () => {
  let emu: XEmulator;
  useEmulator({ homePosts: 10 }, (e) => {
    emu = e;
  });
  const posts = () => emu.requests.filter((r) => r.endpoint === 'POST /2/tweets').length;

  it('a 30-character post starting with a BOM is posted once, without the BOM, not refused as too long', async () => {
    const { adapter } = rig(emu);
    const before = posts();
    const post = await adapter.publish({ text: `\uFEFF${DOORS}`, idempotencyKey: 'bom-start' });
    expect(post.text).toBe(DOORS);
    expect(posts() - before).toBe(1);
    expect(emu.state.timeline((t) => t.authorId === ME_ID && t.text === DOORS)).toHaveLength(1);
  });

  it('140 newer emoji sequences (🧑‍🔧, 2 each as X counts them) are 280 and posted, not refused', async () => {
    const { adapter } = rig(emu);
    const text = '🧑‍🔧'.repeat(140);
    const post = await adapter.publish({ text, idempotencyKey: 'mechanics' });
    expect(post.text).toBe(text);
    await expect(adapter.publish({ text: `${text}!`, idempotencyKey: 'mechanics-over' })).rejects.toMatchObject({
      reason: 'too-long',
    });
  });

  it.each([
    ['a BOM in the middle', `Doors open\uFEFF at 9`, 'U+FEFF', 'byte-order-mark', '11'],
    ['a BOM at the end of the text given to main', `Doors open at 9\uFEFF`, 'U+FEFF', 'byte-order-mark', '16'],
    ['U+FFFE', 'Doors \uFFFEopen', 'U+FFFE', 'noncharacter-fffe', '7'],
    ['U+FFFF', 'Doors open\uFFFF', 'U+FFFF', 'noncharacter-ffff', '11'],
  ])('%s: refused before sending as invalid-character, named with its place', async (_, text, code, key, position) => {
    const { adapter } = rig(emu);
    const before = posts();
    const err = (await adapter
      .publish({ text, idempotencyKey: `bad-${code}-${position}` })
      .catch((e: unknown) => e)) as ColonnadeError;
    expect(err).toBeInstanceOf(ColonnadeError);
    expect(err).toMatchObject({
      code: 'invalid',
      reason: 'invalid-character',
      params: { code, character: key, position },
    });
    expect(err.message).not.toMatch(/at most 280/);
    expect(posts()).toBe(before);
  });

  it('a post over 280 with a refused character names the character first (removing it is needed anyway)', async () => {
    const { adapter } = rig(emu);
    const err = (await adapter
      .publish({ text: `${'a'.repeat(300)}\uFEFF`.replace('aaaa', 'aa\uFEFFaa'), idempotencyKey: 'long-bom' })
      .catch((e: unknown) => e)) as ColonnadeError;
    expect(err).toMatchObject({ reason: 'invalid-character', params: { position: '3' } });
  });
});
