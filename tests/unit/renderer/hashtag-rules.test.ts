// Which hashtags each network makes (src/shared/hashtag-rules.ts), on cases other
// clients got wrong, and what the monitor form says in English and French when none of the chosen
// profiles' networks would make a hashtag of what was typed.
import { describe, expect, it } from 'vitest';
import { tFor } from './translate';
import { checkHashtag, linkedTag } from '../../../src/shared/hashtag-rules';
import { hashtagRefusalText } from '../../../src/renderer/components/MonitorFields';
import { EMPTY_MONITOR, readMonitor } from '../../../src/renderer/components/monitor-form';
import type { Account, NetworkId } from '../../../src/shared/model';

const ZWJ = '\u200d';

/**
 * What each network links in "#" + tag (without the sign), from its own source: '' when nothing.
 * X: twitter-text validHashtag; Mastodon: Tag HASHTAG_RE; Bluesky: @atproto/api TAG_REGEX.
 */
const CASES: Array<[typed: string, x: string, mastodon: string, bluesky: string]> = [
  ['🚲', '', '', '🚲'], // emoji alone: no letter for X or Mastodon; Bluesky takes any non-punctuation
  ['2024', '', '', ''], // digits alone: a year, a number, never a hashtag
  ['foo-bar', 'foo', 'foo', 'foo-bar'], // a hyphen ends it on X and Mastodon, not on Bluesky
  ['東京', '東京', '東京', '東京'], // letters of any script
  ['café', 'café', 'café', 'café'],
  [`a${ZWJ}b`, `a${ZWJ}b`, 'a', 'a'], // X keeps a zero-width joiner; Mastodon and Bluesky stop there
  [`👩${ZWJ}💻`, '', '', '👩'], // an emoji sequence joined by a ZWJ: Bluesky links its first emoji only
  ['IFPower.', 'IFPower', 'IFPower', 'IFPower'], // trailing punctuation is not part of it
  ['a·b', 'a·b', 'a·b', 'a·b'], // the middle dot is a hashtag character on X and Mastodon
  ['x'.repeat(65), 'x'.repeat(65), 'x'.repeat(65), ''], // Bluesky: at most 64 graphemes
];

describe('what each network makes a hashtag of', () => {
  it.each(CASES)('#%s', (typed, x, mastodon, bluesky) => {
    expect({
      x: linkedTag('x', typed).linked,
      mastodon: linkedTag('mastodon', typed).linked,
      bluesky: linkedTag('bluesky', typed).linked,
    }).toEqual({ x, mastodon, bluesky });
  });

  it('X gives up a hashtag followed by another sign or by ://', () => {
    expect(linkedTag('x', 'foo#bar').linked).toBe('');
    expect(linkedTag('x', 'foo://bar').linked).toBe('');
  });
});

describe('checkHashtag: a hashtag passes when one chosen network makes exactly it', () => {
  const ok = (typed: string, networks: NetworkId[]) => checkHashtag(typed, networks).ok;

  it('"#🚲" passes on Bluesky only', () => {
    expect(ok('#🚲', ['x', 'mastodon'])).toBe(false);
    expect(ok('#🚲', ['sandbox'])).toBe(false);
    expect(ok('#🚲', ['x', 'bluesky'])).toBe(true);
  });

  it('"#2024", "#" alone and "##x" pass nowhere', () => {
    for (const typed of ['#2024', '#', '##x', '＃＃x'])
      expect({ typed, ok: ok(typed, ['x', 'mastodon', 'bluesky', 'sandbox']) }).toEqual({ typed, ok: false });
  });

  it('the full-width sign is a sign: "＃東京" is the hashtag 東京', () => {
    expect(checkHashtag('＃東京', ['x'])).toEqual({ ok: true, tag: '東京' });
    expect(checkHashtag('#café', ['mastodon'])).toEqual({ ok: true, tag: 'café' });
    expect(checkHashtag('IFPower', ['sandbox'])).toEqual({ ok: true, tag: 'IFPower' });
  });

  it('says why, in English and in French', () => {
    const say = (lng: 'en' | 'fr', typed: string, networks: NetworkId[]) => {
      const checked = checkHashtag(typed, networks);
      if (checked.ok) throw new Error(`${typed} passed`);
      return hashtagRefusalText(tFor(lng), lng, typed, checked.refusal);
    };
    expect(say('en', '#🚲', ['x', 'mastodon'])).toBe(
      'X and Mastodon do not treat “#🚲” as a hashtag: a hashtag needs at least one letter.',
    );
    expect(say('fr', '#🚲', ['x', 'mastodon'])).toBe(
      'X et Mastodon ne reconnaissent pas «\u202f#🚲\u202f» comme hashtag\u202f: un hashtag contient au moins une lettre.',
    );
    expect(say('en', '2024', ['mastodon'])).toBe(
      'Mastodon does not treat “#2024” as a hashtag: a hashtag needs at least one letter.',
    );
    expect(say('en', '#foo-bar', ['x', 'mastodon'])).toBe(
      'X and Mastodon end a hashtag before “-”: “#foo-bar” would be read as “#foo”.',
    );
    expect(say('fr', '#foo-bar', ['x'])).toBe(
      'X arrête un hashtag avant «\u202f-\u202f»\u202f: «\u202f#foo-bar\u202f» serait lu «\u202f#foo\u202f».',
    );
    // An invisible character is named by its code point, not quoted as nothing.
    expect(say('en', `#a${ZWJ}b`, ['mastodon'])).toBe(
      `Mastodon ends a hashtag before U+200D (an invisible character): “#a${ZWJ}b” would be read as “#a”.`,
    );
    expect(say('en', '#', ['x'])).toBe('“#” alone is not a hashtag: type the word after it, or remove it.');
    expect(say('en', '##x', ['x'])).toBe('“##x” starts with more than one #: type “#x” to watch that hashtag.');
    expect(say('en', '#-launch', ['x'])).toBe(
      'X does not treat “#-launch” as a hashtag: a hashtag cannot start with “-”.',
    );
    expect(say('en', `#${'x'.repeat(65)}`, ['bluesky'])).toBe(
      `“#${'x'.repeat(65)}” is too long for a Bluesky hashtag: at most 64 characters.`,
    );
  });
});

describe('readMonitor refuses a hashtag none of the chosen profiles’ networks makes', () => {
  const account = (network: NetworkId, handle: string): Account => ({
    id: `${network}:${handle}`,
    network,
    profile: { id: `${network}:${handle}`, network, handle, displayName: handle, avatarUrl: null, url: null },
    health: { state: 'connected' },
    practice: network === 'sandbox',
    columnKinds: ['hashtag', 'search'],
    server: null,
    textRules: { counting: 'characters', maxLength: 500, maxImages: 4, maxAltLength: 1000 },
  });
  const accounts = [account('x', 'brand'), account('mastodon', 'brand'), account('bluesky', 'brand.bsky.social')];

  it('names the hashtag and the networks; with Bluesky chosen, "#🚲" is watched', () => {
    const draft = { ...EMPTY_MONITOR, profileIds: ['x:brand', 'mastodon:brand'], hashtags: '#IFPower, #🚲' };
    const read = readMonitor(draft, accounts);
    expect(read).toMatchObject({ ok: false, problem: { field: 'hashtags', key: 'notHashtag' } });
    if (read.ok) return;
    expect(read.problem.hashtag).toEqual({
      item: '#🚲',
      refusal: { kind: 'needsLetter', networks: ['x', 'mastodon'] },
    });

    const withBluesky = readMonitor(
      { ...draft, profileIds: [...draft.profileIds, 'bluesky:brand.bsky.social'] },
      accounts,
    );
    expect(withBluesky).toMatchObject({ ok: true, query: { hashtags: ['IFPower', '🚲'] } });
  });

  it('a repeat counts once, whatever its sign or capitals', () => {
    const read = readMonitor(
      { ...EMPTY_MONITOR, profileIds: ['x:brand'], hashtags: '＃東京 #東京, #Launch #launch' },
      accounts,
    );
    expect(read).toMatchObject({ ok: true, query: { hashtags: ['東京', 'Launch'] } });
  });
});
