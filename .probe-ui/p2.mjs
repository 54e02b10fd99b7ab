import { open } from './common.mjs';
const { browser, page } = await open();
async function addColumn(kindName, query) {
  await page.getByRole('button', { name: /Add column/ }).first().click();
  const dlg = page.getByRole('dialog');
  await dlg.getByRole('radio', { name: new RegExp('^'+kindName) }).check();
  if (query) await dlg.getByRole('textbox').fill(query);
  await dlg.getByRole('button', { name: /^Add$/ }).click();
  await page.waitForTimeout(1500);
}
const dlgText = async () => {
  await page.getByRole('button', { name: /Add column/ }).first().click();
  await page.waitForTimeout(500);
  await page.screenshot({ path: '/tmp/ui-probe/02-addcolumn.png' });
  const t = await page.getByRole('dialog').innerText();
  await page.keyboard.press('Escape');
  return t;
};
console.log(await dlgText());
await addColumn('Notifications');
await addColumn('Mentions');
await addColumn('User', 'noa.rides');
await page.waitForTimeout(3000);
await page.screenshot({ path: '/tmp/ui-probe/03-cols.png' });
const cols = await page.$$eval('section', ss => ss.map(s => ({ t: s.querySelector('h2')?.textContent, n: s.querySelectorAll('article').length, status: [...s.querySelectorAll('.column-status,.column-note')].map(x=>x.textContent) })));
console.log(JSON.stringify(cols));
await browser.close();
