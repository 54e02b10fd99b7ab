import { chromium } from '@playwright/test';
import fs from 'node:fs';
export const URL_ = process.env.URL_ || fs.readFileSync('/tmp/ui-probe/host1.log','utf8').match(/http:\S+/)[0];
export async function open(opts = {}) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking'] });
  const page = await browser.newPage({ viewport: opts.viewport || { width: 1600, height: 1000 }, ...(opts.ctx||{}) });
  page.on('console', m => { if (m.type()==='error' || m.type()==='warning') console.log('CONSOLE', m.type(), m.text().slice(0,300)); });
  page.on('pageerror', e => console.log('PAGEERROR', e.message));
  await page.goto(opts.url || URL_);
  await page.waitForSelector('article', { timeout: 20000 });
  await page.waitForTimeout(1500);
  return { browser, page };
}
