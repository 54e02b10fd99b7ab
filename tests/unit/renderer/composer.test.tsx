// @vitest-environment jsdom
// The composer (issue 8): one post for several profiles across networks, a version of its own for
// a network, a time in a zone, a thread split to fit the strictest network, and a draft saved as
// she types (IndexedDB, within the autosaver's 100 ms) that goes to the trash once the post is in
// the outbox.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ComposeDialog } from '../../../src/renderer/components/ComposeDialog';
import { servicesOver, accountOn, freshAppPerTest, mainAnswering, showDialog, testDatabase } from './test-app';
import { allByRole, byRole, click, settle, submit, textOf, type } from './dom';
import type { Api } from '../../../src/renderer/api';

const X = accountOn('x', 'brand', {
  textRules: { counting: 'weighted', maxLength: 280, maxImages: 4, maxAltLength: 1000 },
});
const MASTODON = accountOn('mastodon', 'brand@mastodon.social', { server: 'https://mastodon.social' });
const BLUESKY = accountOn('bluesky', 'brand.bsky.social', {
  textRules: { counting: 'graphemes', maxLength: 300, maxBytes: 3000, maxImages: 4, maxAltLength: 2000 },
});
freshAppPerTest({ accounts: [X, MASTODON, BLUESKY] });

const answer = (channel: string, request: Record<string, unknown>) => {
  if (channel === 'queue.get')
    return request.profileId === MASTODON.id ? { zone: 'America/New_York', slots: [] } : null;
  if (channel === 'outbox.submit') return { ...request, createdAt: new Date().toISOString(), targets: [] };
  throw new Error(`unexpected ${channel}`);
};

describe('one post for several profiles', () => {
  it('goes to X and Mastodon with a shorter version for X, at 9:00 Paris, shown in the audience’s zone', async () => {
    const { sent, services } = mainAnswering(answer);
    const dialog = await showDialog(<ComposeDialog onClose={() => {}} language="en" />, services);
    const targets = byRole(dialog, 'group', 'Post as');
    await click(byRole(targets, 'checkbox', '@brand@mastodon.social Mastodon'));
    expect(allByRole(targets, 'checkbox').filter((c) => (c as HTMLInputElement).checked)).toHaveLength(2);
    await type(
      byRole(dialog, 'textbox', 'Text'),
      'Our spring collection is here, with every size back in stock at last',
    );
    await click(byRole(dialog, 'checkbox', 'Version for X'));
    await type(byRole(dialog, 'textbox', 'Text for X'), 'Spring collection: out now');
    await click(byRole(dialog, 'radio', 'At a date and time'));
    await type(dialog.querySelector('input[type="date"]')!, '2031-03-31');
    await type(dialog.querySelector('input[type="time"]')!, '09:00');
    await type(byRole(dialog, 'combobox', 'Time zone'), 'Europe/Paris');
    await settle();
    // 9:00 in Paris on 31 March 2031 is 3:00 in New York (the Mastodon profile's queue zone).
    expect(textOf(dialog.querySelector('.compose-when-zones'))).toMatch(
      /For the audience in America\/New York: .*03:00/,
    );
    expect(textOf(dialog.querySelector('.compose-when-notes'))).toMatch(
      /Mastodon profiles: the instance posts it by itself/,
    );
    expect(textOf(dialog.querySelector('.compose-when-notes'))).toMatch(/X: Colonnade must be running/);
    expect(textOf(byRole(dialog, 'button', 'Schedule'))).toBe('Schedule');
    await submit(dialog);
    const request = sent.find((s) => s.channel === 'outbox.submit')?.request;
    expect(request).toMatchObject({
      profileIds: ['x:brand', 'mastodon:brand@mastodon.social'],
      when: { kind: 'at', local: '2031-03-31T09:00', zone: 'Europe/Paris' },
      content: {
        parts: [{ text: 'Our spring collection is here, with every size back in stock at last', media: [] }],
        variants: { x: [{ text: 'Spring collection: out now', media: [] }] },
      },
    });
  });

  it('counts per network, says which one is over, and splits into a thread that fits the strictest', async () => {
    const { services } = mainAnswering(answer);
    const dialog = await showDialog(<ComposeDialog onClose={() => {}} language="en" />, services);
    await click(byRole(byRole(dialog, 'group', 'Post as'), 'checkbox', '@brand.bsky.social Bluesky'));
    const long = Array.from({ length: 8 }, (_, i) => `Sentence ${i + 1} tells our customers something useful.`).join(
      ' ',
    );
    await type(byRole(dialog, 'textbox', 'Text'), long);
    expect(textOf(dialog.querySelector('#compose-count'))).toMatch(/^X .* \/ 280 · Bluesky .* \/ 300/);
    expect(textOf(dialog.querySelector('#compose-over'))).toMatch(/Too long for X/);
    expect((byRole(dialog, 'button', 'Post') as HTMLButtonElement).disabled).toBe(true);
    await click(byRole(dialog, 'button', 'Split into a thread'));
    const parts = allByRole(dialog, 'textbox', /^Post \d of 2$/);
    expect(parts).toHaveLength(2);
    expect((byRole(dialog, 'button', 'Post') as HTMLButtonElement).disabled).toBe(false);
    expect(parts.map((p) => (p as HTMLTextAreaElement).value).join(' ')).toBe(long);
  });

  it('a time the clocks skip is said, with the time it will go at; zones under their current names', async () => {
    const { services } = mainAnswering(answer);
    const dialog = await showDialog(<ComposeDialog onClose={() => {}} language="en" />, services);
    await click(byRole(dialog, 'radio', 'At a date and time'));
    await type(dialog.querySelector('input[type="date"]')!, '2027-03-28');
    await type(dialog.querySelector('input[type="time"]')!, '02:30');
    await type(byRole(dialog, 'combobox', 'Time zone'), 'Europe/Paris');
    expect(textOf(dialog.querySelector('.compose-when-gap'))).toBe(
      '02:30 does not exist in Europe/Paris that day (the clocks go forward): it will go at 03:30.',
    );
    const zones = [...(byRole(dialog, 'combobox', 'Time zone') as HTMLSelectElement).options].map((o) => o.value);
    expect(zones).toContain('Asia/Kolkata');
    expect(zones).toContain('Europe/Kyiv');
    expect(zones).not.toContain('Asia/Calcutta');
  });

  it('in French', async () => {
    const { services } = mainAnswering(answer);
    const dialog = await showDialog(<ComposeDialog onClose={() => {}} language="fr" />, services, 'fr');
    expect(allByRole(dialog, 'group', 'Publier en tant que')).toHaveLength(1);
    await click(byRole(dialog, 'radio', 'Ajouter à la file (le prochain créneau libre de chaque profil)'));
    expect(textOf(byRole(dialog, 'button', 'Ajouter à la file'))).toBe('Ajouter à la file');
    expect(textOf(dialog.querySelector('.compose-when-notes'))).toContain('X\u202f: Colonnade doit être ouvert');
  });
});

describe('the draft', () => {
  it('is in IndexedDB as she types, and goes to the trash once the post is in the outbox', async () => {
    const db = testDatabase('composer-draft');
    const sent: Array<{ channel: string; request: unknown }> = [];
    const services = servicesOver(
      ((channel: string, request: never) => {
        sent.push({ channel, request });
        return Promise.resolve(answer(channel, request));
      }) as unknown as Api,
      db,
    );
    const dialog = await showDialog(<ComposeDialog onClose={() => {}} language="en" />, services);
    expect(await db.drafts.count()).toBe(0); // opening leaves nothing behind
    await type(byRole(dialog, 'textbox', 'Text'), 'Written on the train');
    // The autosaver writes within its 100 ms delay: wait for the write, not for a duration.
    for (let i = 0; i < 100 && (await db.drafts.count()) === 0; i++) await settle();
    const drafts = await db.drafts.toArray();
    expect(drafts.map((d) => d.content.parts[0]?.text)).toEqual(['Written on the train']);
    expect(drafts[0]!.targets).toEqual(['x:brand']);
    await submit(dialog);
    await settle();
    const request = sent.find((s) => s.channel === 'outbox.submit')?.request as { draftId: string };
    expect(request.draftId).toBe(drafts[0]!.id);
    expect((await db.drafts.get(drafts[0]!.id))?.deletedAt).toEqual(expect.any(Number));
  });
});
