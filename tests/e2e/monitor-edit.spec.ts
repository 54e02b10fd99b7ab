// Form and wording fixes a tester found (issue 7), in Chromium against the headless host: the X
// cost meter fits the Accounts dialog in English and French, wide and narrow; a monitor's query is
// edited from its column's options, where a hashtag no chosen network makes is refused in words;
// the language lists name every language once, in the UI's language, never as a bare code
// (Chromium's own ICU data lacks many names: src/renderer/components/languages.ts).
import type { Locator, Page } from '@playwright/test';
import { startXEmulator, type XEmulator } from '../emulators/x';
import { openColumn, pageErrors } from './support/deck';
import { expect, test as base } from './support/fixtures';
import { connectXWithKeys } from './support/networks';

const test = base.extend<{ x: XEmulator }>({
  // eslint-disable-next-line no-empty-pattern
  x: async ({}, use) => {
    const x = await startXEmulator();
    await use(x);
    await x.close();
    expect(x.violations).toEqual([]);
  },
});

async function switchLanguage(page: Page, to: 'en' | 'fr') {
  await page.getByRole('button', { name: to === 'fr' ? 'Settings' : 'Réglages' }).click();
  const settings = page.getByRole('dialog', { name: to === 'fr' ? 'Settings' : 'Réglages' });
  await settings.getByRole('combobox', { name: to === 'fr' ? 'Language' : 'Langue' }).selectOption(to);
  await page.getByRole('button', { name: to === 'fr' ? 'Fermer' : 'Close' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', to);
}

/**
 * What sticks out of `within` (`box` itself by default): every element of `box` whose box passes
 * its right or left edge, and whether `box` scrolls sideways. Empty when everything fits.
 */
async function overflowOf(box: Locator, within: Locator = box): Promise<string[]> {
  const edge = (await within.evaluate((el) => el.getBoundingClientRect().toJSON())) as DOMRect;
  return box.evaluate((root, edge) => {
    const out: string[] = [];
    if (root.scrollWidth > root.clientWidth + 1) out.push(`scrolls: ${root.scrollWidth} > ${root.clientWidth}`);
    for (const el of root.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0) continue;
      if (r.right > edge.right + 0.5 || r.left < edge.left - 0.5)
        out.push(`${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? '').slice(0, 30)}"`);
    }
    return out;
  }, edge);
}

test('the X cost meter fits the Accounts dialog, in English and French, in a wide and a narrow window', async ({
  page,
  harness,
  x,
}) => {
  await page.goto(harness.url);
  const handle = await connectXWithKeys(page, x);
  for (const language of ['en', 'fr'] as const) {
    if (language === 'fr') await switchLanguage(page, 'fr');
    for (const width of [1400, 640, 420]) {
      await page.setViewportSize({ width, height: 850 });
      await page.getByRole('button', { name: language === 'en' ? 'Accounts' : 'Comptes' }).click();
      const dialog = page.getByRole('dialog', { name: language === 'en' ? 'Accounts' : 'Comptes' });
      const meter = dialog.getByRole('region', {
        name: `${language === 'en' ? 'X cost meter' : 'Compteur de coûts X'} @${handle}`,
      });
      await expect(meter).toBeVisible();
      await meter.scrollIntoViewIfNeeded();
      await dialog.screenshot({ path: test.info().outputPath(`cost-meter-${language}-${width}.png`) });
      const row = meter.locator('xpath=ancestor::li[1]');
      expect({ language, width, meter: await overflowOf(meter, row) }).toEqual({ language, width, meter: [] });
      expect({ language, width, dialog: await overflowOf(dialog.locator('form')) }).toEqual({
        language,
        width,
        dialog: [],
      });
      // Each price field is wide enough to show an amount.
      for (const field of await meter.getByRole('textbox').all()) {
        expect((await field.boundingBox())!.width).toBeGreaterThanOrEqual(80);
      }
      await dialog.getByRole('button', { name: language === 'en' ? 'Cancel' : 'Annuler' }).click();
      await expect(dialog).toBeHidden();
    }
  }
});

/** The language list of a select, as [value, text] pairs (the "any language" choice first). */
const optionsOf = (select: Locator) =>
  select.evaluate((el) => [...(el as HTMLSelectElement).options].map((o) => [o.value, o.text] as const));

/** Every language named (never its bare code), each name once, in the UI language's order. */
function expectNamedOnce(options: ReadonlyArray<readonly [string, string]>, language: 'en' | 'fr') {
  const languages = options.slice(1);
  expect(languages.length).toBeGreaterThan(150);
  expect(languages.filter(([code, name]) => name.toLowerCase() === code)).toEqual([]);
  const names = languages.map(([, name]) => name);
  expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  expect(names).toEqual([...names].sort(new Intl.Collator(language).compare));
}

test('a monitor’s query is edited from its column’s options; a hashtag no chosen network makes is refused in words', async ({
  page,
  harness,
}) => {
  const errors = pageErrors(page);
  await openColumn(page, harness.url, '#IFPower', { posts: false });

  // A monitor of #IFPower on the Sandbox profile; its language list, in Chromium's own data.
  await page.getByRole('button', { name: 'Add column' }).click();
  const add = page.getByRole('dialog', { name: 'Add a column' });
  await add.getByRole('radio', { name: /^Monitor/ }).check();
  expectNamedOnce(await optionsOf(add.getByRole('combobox', { name: 'Language' })), 'en');
  // "#🚲" is no Sandbox hashtag (nor an X or Mastodon one): refused in words, nothing added.
  await add.getByRole('textbox', { name: 'Hashtags' }).fill('#🚲');
  await add.getByRole('button', { name: 'Add' }).click();
  await expect(add.getByRole('alert')).toHaveText(
    'Sandbox does not treat “#🚲” as a hashtag: a hashtag needs at least one letter.',
  );
  await add.getByRole('textbox', { name: 'Hashtags' }).fill('#IFPower');
  await add.getByRole('button', { name: 'Add' }).click();
  await expect(add).toBeHidden();
  const monitor = page.locator('section.column').last();
  await expect(monitor.getByRole('heading', { name: '#IFPower' })).toBeVisible();

  // Column options → Edit monitor: the saved query, ready to change.
  await monitor.getByRole('button', { name: 'Column menu: #IFPower' }).click();
  await page.getByRole('menuitem', { name: 'Column options…' }).click();
  const options = page.getByRole('dialog', { name: 'Options of #IFPower' });
  const edit = options.getByRole('button', { name: 'Edit monitor' });
  await expect(edit).toHaveAttribute('aria-expanded', 'false');
  await edit.click();
  await expect(edit).toHaveAttribute('aria-expanded', 'true');
  const hashtags = options.getByRole('textbox', { name: 'Hashtags' });
  await expect(hashtags).toHaveValue('#IFPower');
  await expect(options.getByRole('checkbox', { name: /^@practice/ })).toBeChecked();

  // Digits alone are no hashtag: said next to the field, which gets focus; nothing saved.
  await hashtags.fill('#IFPower, #2024');
  await options.getByRole('button', { name: 'Save' }).click();
  await expect(options.getByRole('alert')).toHaveText(
    'Sandbox does not treat “#2024” as a hashtag: a hashtag needs at least one letter.',
  );
  await expect(hashtags).toBeFocused();
  await page.screenshot({ path: test.info().outputPath('edit-monitor-refused.png') });

  await hashtags.fill('#IFPower, #Launch');
  await options.getByRole('textbox', { name: 'Keywords' }).fill('battery');
  await options.getByRole('button', { name: 'Save' }).click();
  await expect(options).toBeHidden();
  // The column says its new query, and keeps it after a reload (main saved it).
  await expect(monitor.getByRole('heading', { name: '#IFPower #Launch · battery' })).toBeVisible();
  await page.reload();
  const again = page.locator('section.column').last();
  await expect(again.getByRole('heading', { name: '#IFPower #Launch · battery' })).toBeVisible();

  // In French: the same form, its words and its languages in French.
  await switchLanguage(page, 'fr');
  await again.getByRole('button', { name: /^Menu de la colonne.*#IFPower #Launch · battery$/ }).click();
  await page.getByRole('menuitem', { name: /^Options de la colonne/ }).click();
  const fr = page.getByRole('dialog', { name: /#IFPower #Launch · battery/ });
  await fr.getByRole('button', { name: 'Modifier la veille' }).click();
  expectNamedOnce(await optionsOf(fr.getByRole('combobox', { name: 'Langue' }).first()), 'fr');
  await fr.getByRole('textbox', { name: 'Hashtags' }).fill('#vélo-électrique');
  await fr.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(fr.getByRole('alert')).toHaveText(
    'Sandbox arrête un hashtag avant «\u202f-\u202f»\u202f: «\u202f#vélo-électrique\u202f» serait lu «\u202f#vélo\u202f».',
  );
  await page.screenshot({ path: test.info().outputPath('edit-monitor-fr.png') });
  expect(errors).toEqual([]);
});
