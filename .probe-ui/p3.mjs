import { open } from './common.mjs';
const { browser, page } = await open();
const sec = page.locator('section').nth(4);
await sec.scrollIntoViewIfNeeded();
await page.waitForTimeout(500);
await sec.screenshot({ path: '/tmp/ui-probe/04-noa.png' });
// overflow info
console.log(await page.evaluate(() => { const m = document.querySelector('.deck-panel'); const d = document.querySelector('.deck') || m; return { sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth, panel: [m.scrollWidth, m.clientWidth, getComputedStyle(m).overflowX], deckcls: [...document.querySelectorAll('main *')].slice(0,3).map(e=>e.className+':'+e.scrollWidth+'/'+e.clientWidth+':'+getComputedStyle(e).overflowX) }; }));
const rtl = await sec.locator('article').evaluateAll(as => as.map(a => { const p = a.querySelector('.post-text'); return p ? { dir: p.getAttribute('dir'), computed: getComputedStyle(p).direction, align: getComputedStyle(p).textAlign, text: p.textContent } : null; }));
console.log(JSON.stringify(rtl, null, 1));
await browser.close();
