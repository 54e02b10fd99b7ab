// @vitest-environment jsdom
// A draft's versions in the Drafts column (issue 8: "the last versions of each draft kept as
// history"): a CM who typed over her draft finds the earlier text listed, previews it, restores
// it, and the text she restored over is kept as a version in turn (so the restore can be undone).
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DraftsList } from '../../../src/renderer/components/DraftsList';
import { DraftStore } from '../../../src/renderer/drafts/draft-store';
import { allByRole, byRole, click, nameOf, settle, textOf } from './dom';
import { freshAppPerTest, mainAnswering, show, testDatabase } from './test-app';

freshAppPerTest();

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 50 && !ok(); i++) await settle();
  expect(ok()).toBe(true);
};

const BEFORE = 'Soldes d’été demain à 9 h, jusqu’à −30 % sur la collection';
const AFTER = 'Oops';

/** A draft written, then typed over after a pause (two versions), as the composer's autosaver saves it. */
async function overwrittenDraft(name: string) {
  const db = testDatabase(name);
  let now = Date.now() - 60_000;
  const store = new DraftStore(db, { now: () => now });
  const draft = await store.create();
  await store.save(draft.id, { content: { parts: [{ text: 'Soldes', media: [] }] } });
  await store.save(draft.id, { content: { parts: [{ text: BEFORE, media: [] }] } });
  const typedAt = now;
  now += 10_000; // A pause: the next save starts a new version.
  await store.save(draft.id, { content: { parts: [{ text: AFTER, media: [] }] } });
  return { db, store, id: draft.id, typedAt };
}

const times = (language: string) => new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'medium' });
const section = (container: HTMLElement) => container.querySelector<HTMLElement>('.draft-versions');
const versionItems = (container: HTMLElement) => [...(section(container)?.querySelectorAll('li') ?? [])];
const draftText = (container: HTMLElement) => textOf(container.querySelector('.draft-text'));

describe('a draft’s versions', () => {
  it('lists the text typed over, restores it, and keeps the text it replaced as a version', async () => {
    const { db, store, id, typedAt } = await overwrittenDraft('drafts-versions-en');
    const { services } = mainAnswering(() => ({}));
    const { container } = await show(<DraftsList db={db} language="en" />, { ...services, db });
    await until(() => draftText(container) === AFTER);

    const toggle = byRole(container, 'button', 'Versions of draft: Oops');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await click(toggle);
    await until(() => versionItems(container).length === 2);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(section(container)?.id).toBe(toggle.getAttribute('aria-controls'));
    expect(nameOf(section(container)!)).toBe('Versions kept of this draft');

    // Newest first: the draft as it is, then the text she typed over, at the time she last typed it.
    const time = times('en').format(typedAt);
    const [current, earlier] = versionItems(container);
    expect(textOf(current)).toMatch(/^.+ \(current\) — Oops$/);
    expect(textOf(earlier!.querySelector('button'))).toBe(`${time} — ${BEFORE}`);
    expect(earlier!.querySelector('[dir="auto"]')).not.toBeNull();
    // The current version has nothing to restore.
    expect(allByRole(current!, 'button', /^Restore/)).toHaveLength(0);

    // The earlier version is previewed whole; picking the current one previews it instead.
    const preview = () => container.querySelector<HTMLElement>('[role="region"]');
    expect(nameOf(preview()!)).toBe(`Version of ${time}`);
    expect(textOf(preview())).toBe(BEFORE);
    await click(byRole(current!, 'button', /\(current\)/));
    expect(textOf(preview())).toBe(AFTER);
    expect(byRole(current!, 'button', /\(current\)/).getAttribute('aria-pressed')).toBe('true');

    // Restore: the draft holds the old text again, and "Oops" is now an earlier version.
    await click(byRole(container, 'button', `Restore this version (${time}): Soldes d’été demain à 9 h, jus…`));
    await until(() => draftText(container) === BEFORE);
    expect((await store.get(id))?.content.parts[0]?.text).toBe(BEFORE);
    await until(() => versionItems(container).length === 3);
    const texts = versionItems(container).map((li) => textOf(li.querySelector('[dir="auto"]')));
    expect(texts).toEqual([BEFORE, AFTER, BEFORE]);
    expect(textOf(section(container)!.querySelector('[role="status"]'))).toBe(
      'Version restored. The text it replaced is kept as a version.',
    );

    // And the restore can be undone: restoring "Oops" brings it back.
    const oops = versionItems(container)[1]!;
    await click(byRole(oops, 'button', /^Restore this version \(.+\): Oops$/));
    await until(() => draftText(container) === AFTER);
    expect((await store.get(id))?.content.parts[0]?.text).toBe(AFTER);
  });

  it('speaks French, with a narrow no-break space before the colon', async () => {
    const { db, typedAt } = await overwrittenDraft('drafts-versions-fr');
    const { services } = mainAnswering(() => ({}));
    const { container } = await show(<DraftsList db={db} language="fr" />, { ...services, db }, 'fr');
    await until(() => draftText(container) === AFTER);

    const toggle = byRole(container, 'button', 'Versions du brouillon\u202f: Oops');
    expect(textOf(toggle)).toBe('Versions…');
    await click(toggle);
    await until(() => versionItems(container).length === 2);
    expect(nameOf(section(container)!)).toBe('Versions gardées de ce brouillon');
    const time = times('fr').format(typedAt);
    expect(textOf(versionItems(container)[0])).toMatch(/\(actuelle\) — Oops$/);
    const restore = byRole(
      container,
      'button',
      `Restaurer cette version (${time})\u202f: Soldes d’été demain à 9 h, jus…`,
    );
    expect(textOf(restore)).toBe('Restaurer cette version');
    expect(nameOf(container.querySelector('[role="region"]')!)).toBe(`Version du ${time}`);
    await click(restore);
    await until(() => draftText(container) === BEFORE);
    expect(textOf(section(container)!.querySelector('[role="status"]'))).toBe(
      'Version restaurée. Le texte remplacé est gardé comme version.',
    );
  });
});
