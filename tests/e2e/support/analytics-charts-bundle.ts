// Bundles the analytics charts' test page (./analytics-charts-page.tsx) with Vite, in memory, and
// serves it to a Playwright page on an origin of its own under the app's Content-Security-Policy
// (read from src/renderer/index.html), so a chart that needed inline styles or scripts would fail
// here as in the app. Answers the page's address.
import fs from 'node:fs';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import type { Page } from '@playwright/test';
import { build, type Rolldown } from 'vite';

const ROOT = path.resolve(import.meta.dirname, '../../..');
export const CHARTS_ORIGIN = 'http://charts.colonnade.test';

interface Served {
  type: string;
  body: string | Uint8Array;
}

/** The app's CSP, as its index.html declares it. */
function appCsp(): string {
  const html = fs.readFileSync(path.join(ROOT, 'src/renderer/index.html'), 'utf8');
  const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
  if (!csp) throw new Error('No Content-Security-Policy in src/renderer/index.html');
  return csp;
}

/** The page's files by path: its HTML, script and stylesheet. */
export async function bundleChartsPage(): Promise<Map<string, Served>> {
  const output = await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    plugins: [react()],
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      write: false,
      minify: true,
      target: 'es2023',
      cssCodeSplit: false,
      lib: {
        entry: path.join(ROOT, 'tests/e2e/support/analytics-charts-page.tsx'),
        formats: ['es'],
        fileName: 'page',
      },
    },
  });
  const outputs = (Array.isArray(output) ? output : [output]) as Rolldown.RolldownOutput[];
  const items = outputs.flatMap((o) => o.output);
  const files = new Map<string, Served>();
  let css = '';
  for (const item of items) {
    if (item.type === 'chunk') files.set(`/${item.fileName}`, { type: 'text/javascript', body: item.code });
    else if (item.fileName.endsWith('.css')) css += String(item.source);
  }
  const entry = items.find((i) => i.type === 'chunk' && i.isEntry);
  if (!entry) throw new Error('The charts page bundled into no entry script.');
  files.set('/page.css', { type: 'text/css', body: css });
  files.set('/', {
    type: 'text/html; charset=utf-8',
    body:
      `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
      `<meta http-equiv="Content-Security-Policy" content="${appCsp()}">` +
      `<title>Analytics charts</title><link rel="stylesheet" href="/page.css"></head>` +
      `<body><div id="root"></div><script type="module" src="/${entry.fileName}"></script></body></html>`,
  });
  return files;
}

/**
 * Serves `files` to `page` on CHARTS_ORIGIN and records the CSP violations it meets
 * (`window.cspViolations`).
 */
export async function serveChartsPage(page: Page, files: Map<string, Served>): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`),
    );
  });
  await page.route(`${CHARTS_ORIGIN}/**`, (route) => {
    const file = files.get(new URL(route.request().url()).pathname);
    return file
      ? route.fulfill({ status: 200, contentType: file.type, body: Buffer.from(file.body) })
      : route.fulfill({ status: 404, body: 'Not found' });
  });
}
