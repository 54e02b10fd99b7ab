// The benchmark runner.
//
//   npm run bench                  every benchmark
//   npm run bench -- NAME [NAME…]  only those (an unknown name lists the known ones, exit 2)
//   npm run bench -- --build       rebuild out/ first (otherwise only when it is missing)
//   npm run bench -- --list        the known names
//
// A benchmark is any bench/<name>.mjs (other than this file) exporting `async function run({ log })`
// that returns an object of figures; helpers live in bench/lib/. Progress goes to stdout as plain
// lines, and for each benchmark its figures come LAST as one JSON line: {"bench":"<name>",…}.
// On failure that line is {"bench":"<name>","error":"…"} and the runner exits 1 once all have run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const BENCH_DIR = import.meta.dirname;
const ROOT = path.resolve(BENCH_DIR, '..');
const BUILT = ['out/main/host.js', 'out/renderer/index.html'];
const LOCAL_NODE = path.join(ROOT, 'node_modules/.bin/node');

// The benchmarks reuse tests/e2e/support/*.ts, which need a Node that strips types (22.18+). npm
// scripts put the project's own Node (24, the `node` devDependency) first on PATH; a bare
// `node bench/run.mjs` on an older system Node hands over to that one.
function ensureTypeStripping() {
  if (process.features.typescript) return;
  if (fs.existsSync(LOCAL_NODE) && fs.realpathSync(LOCAL_NODE) !== fs.realpathSync(process.execPath)) {
    console.log(`Node ${process.versions.node} cannot load .ts files: running again with ${LOCAL_NODE}`);
    const result = spawnSync(LOCAL_NODE, [import.meta.filename, ...process.argv.slice(2)], { stdio: 'inherit' });
    process.exit(result.status ?? 1);
  }
  console.error(
    `The benchmarks need Node 24 (this is ${process.versions.node}, which cannot load .ts files). ` +
      'Run `npm install`, then `npm run bench`.',
  );
  process.exit(1);
}

function available() {
  return fs
    .readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
    .map((f) => f.slice(0, -'.mjs'.length))
    .sort();
}

function build(reason) {
  console.log(`Building first (${reason}): npx electron-vite build`);
  const result = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    console.error(`The build failed (${result.error?.message ?? `exit ${result.status}`}).`);
    process.exit(1);
  }
}

async function main() {
  ensureTypeStripping();
  const args = process.argv.slice(2);
  const known = available();
  if (args.includes('--list')) {
    console.log(known.join('\n'));
    return 0;
  }
  const names = args.filter((a) => !a.startsWith('-'));
  const unknown = names.filter((n) => !known.includes(n));
  const badFlags = args.filter((a) => a.startsWith('-') && a !== '--build');
  if (unknown.length || badFlags.length) {
    const what = [...unknown.map((n) => `benchmark "${n}"`), ...badFlags.map((f) => `option "${f}"`)];
    console.error(`Unknown ${what.join(', ')}. Available benchmarks:\n${known.map((n) => `  ${n}`).join('\n')}`);
    console.error('Usage: npm run bench [-- [--build] [NAME…]]');
    return 2;
  }

  const missing = BUILT.filter((f) => !fs.existsSync(path.join(ROOT, f)));
  if (args.includes('--build')) build('asked with --build');
  else if (missing.length) build(`${missing.join(' and ')} missing`);

  // Only now: the helpers load the test support (and Playwright), which a bad command line need not wait for.
  const { stopStrayHosts } = await import('./lib/support.mjs');
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      const stopped = stopStrayHosts();
      console.error(`\nInterrupted (${signal})${stopped.length ? `; stopped host(s) ${stopped.join(', ')}` : ''}.`);
      process.exit(130);
    });
  }

  let failed = 0;
  for (const name of names.length ? names : known) {
    console.log(`== ${name} ==`);
    const log = (line) => console.log(`[${name}] ${line}`);
    const started = performance.now();
    let figures;
    try {
      const mod = await import(pathToFileURL(path.join(BENCH_DIR, `${name}.mjs`)).href);
      if (typeof mod.run !== 'function') throw new Error(`bench/${name}.mjs exports no run() function.`);
      figures = await mod.run({ log });
      log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (err) {
      failed++;
      console.error(`[${name}] FAILED: ${err?.stack ?? err}`);
      figures = { error: String(err?.message ?? err) };
    } finally {
      stopStrayHosts();
    }
    console.log(JSON.stringify({ bench: name, ...figures }));
  }
  return failed ? 1 : 0;
}

process.exitCode = await main();
