import { open } from './common.mjs';
const { browser, page } = await open();
await page.screenshot({ path: '/tmp/ui-probe/01-initial.png' });
const cols = await page.$$eval('section', ss => ss.map(s => ({ label: s.getAttribute('aria-labelledby') && document.getElementById(s.getAttribute('aria-labelledby'))?.textContent, feed: s.querySelector('[role=feed]')?.getAttribute('aria-label'), n: s.querySelectorAll('article').length })));
console.log(JSON.stringify(cols, null, 1));
const arts = await page.$$eval('article', as => as.slice(0,60).map(a => ({ label: a.getAttribute('aria-label'), text: a.innerText.replace(/\s+/g,' ').slice(0,200), pos: a.getAttribute('aria-posinset'), size: a.getAttribute('aria-setsize') })));
console.log(JSON.stringify(arts, null, 1));
await browser.close();
