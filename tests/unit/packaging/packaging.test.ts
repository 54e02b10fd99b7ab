// The packaging configuration (electron-builder.yml), checked by packaging for real: electron-builder
// builds a Linux `dir` target (an unpacked app folder) from the built out/, and the test reads the
// resulting resources/app.asar. It needs no network and no Electron binary:
//
// - `electronDist` points at a stand-in Electron distribution made here. A directory that does not
//   contain electron-v<version>-<platform>-<arch>.zip is taken as an already unpacked Electron
//   (app-builder-lib/out/electron/ElectronFramework.js, `unpack` → `selectElectron`): it is copied
//   into the output as is, instead of downloading the zip. The only file electron-builder then
//   touches is the executable, which it renames from `electron` to the app's executable name
//   (`beforeCopyExtraFiles`); LICENSE is moved only if present, locales only pruned if asked.
// - `electronVersion` is given, read from node_modules/electron/package.json, so nothing has to
//   resolve the `electron` package (whose index.js downloads the binary when it is missing).
// - `npmRebuild: false`: there are no native modules, and rebuilding would fetch Electron headers.
// - The `dir` target needs no other tool (AppImage, deb, nsis and dmg would download theirs).
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { extractFile, listPackage } from '@electron/asar';
import { build, Platform } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const BUILT = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
const missing = BUILT.filter((f) => !fs.existsSync(path.join(ROOT, f)));
const NOT_BUILT = `${missing.join(', ')} missing: run \`npm run build\` first (\`npm test\` builds before the unit tests)`;

interface PackageJson {
  name: string;
  main?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const readJson = <T>(file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as T;
const pkg = readJson<PackageJson>(path.join(ROOT, 'package.json'));
const electronVersion = readJson<{ version: string }>(path.join(ROOT, 'node_modules/electron/package.json')).version;

let workDir = '';
let appOutDir = '';
let asarPath = '';
/** Every path in app.asar, relative, with forward slashes. */
let entries: string[] = [];
let durationMs = 0;

beforeAll(async () => {
  if (missing.length > 0) return;
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonnade-packaging-'));
  const electronDist = path.join(workDir, 'electron-dist');
  fs.mkdirSync(electronDist);
  fs.writeFileSync(path.join(electronDist, 'electron'), '#!/bin/sh\necho "stand-in for Electron"\n', { mode: 0o755 });
  fs.writeFileSync(path.join(electronDist, 'LICENSE'), 'Stand-in for the Electron license.\n');

  const started = Date.now();
  await build({
    projectDir: ROOT,
    targets: Platform.LINUX.createTarget('dir'),
    publish: 'never',
    // Merged over electron-builder.yml, which is what is under test.
    config: {
      electronDist,
      electronVersion,
      npmRebuild: false,
      directories: { output: path.join(workDir, 'dist') },
    },
  });
  durationMs = Date.now() - started;
  appOutDir = path.join(workDir, 'dist', 'linux-unpacked');
  asarPath = path.join(appOutDir, 'resources', 'app.asar');
  entries = listPackage(asarPath, { isPack: false }).map((e) => e.replace(/\\/g, '/').replace(/^\/+/, ''));
}, 90_000);

afterAll(() => {
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

const has = (entry: string) => entries.includes(entry);
const read = (entry: string) => extractFile(asarPath, entry).toString('utf8');

/** Bare module names a built main file imports, and the relative files it loads. */
function importsOf(source: string): { bare: string[]; relative: string[] } {
  // Only what can be a module specifier: the bundles also hold text such as `"from": "Only…"`.
  const specifiers = [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"']+)["']/g)]
    .map((m) => m[1]!)
    .filter((s) => /^(?:node:)?[@\w.][\w.@/-]*$/.test(s));
  return {
    bare: specifiers.filter((s) => !s.startsWith('.') && !s.startsWith('node:')),
    relative: specifiers.filter((s) => s.startsWith('.')),
  };
}

describe('electron-builder packaging (Linux dir target, stand-in Electron)', () => {
  it('builds without downloading anything, in reasonable time', (ctx) => {
    ctx.skip(missing.length > 0, NOT_BUILT);
    console.info(`electron-builder packaged the app in ${durationMs} ms`);
    expect(fs.existsSync(asarPath)).toBe(true);
    // The stand-in executable, renamed to the app's executable; Electron's license kept beside it.
    expect(fs.existsSync(path.join(appOutDir, pkg.name))).toBe(true);
    expect(fs.existsSync(path.join(appOutDir, 'LICENSE.electron.txt'))).toBe(true);
  });

  it('ships the built app, its icon, package.json and the production dependencies', (ctx) => {
    ctx.skip(missing.length > 0, NOT_BUILT);
    for (const entry of [...BUILT, 'build/icon.png', 'package.json', 'node_modules/electron-store/package.json']) {
      expect(entries, entry).toContain(entry);
    }
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      expect(entries, `dependency ${dep}`).toContain(`node_modules/${dep}/package.json`);
    }
    // The headless host is for tests and the harness, not for users.
    expect(entries).not.toContain('out/main/host.js');
    // The renderer's own files (scripts and styles referenced by index.html) came along.
    const html = read('out/renderer/index.html');
    const assets = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => `out/renderer/${m[1]!}`);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect(entries, asset).toContain(asset);
  });

  it('starts from package.json main, whose imports all resolve inside the archive', (ctx) => {
    ctx.skip(missing.length > 0, NOT_BUILT);
    const packaged = JSON.parse(read('package.json')) as PackageJson;
    expect(packaged.main).toBe('out/main/index.js');
    const seen = new Set<string>();
    const queue = [packaged.main!];
    const bare = new Set<string>();
    while (queue.length > 0) {
      const file = queue.shift()!;
      if (seen.has(file)) continue;
      seen.add(file);
      expect(entries, `${file} (imported by the main bundle)`).toContain(file);
      const found = importsOf(read(file));
      for (const b of found.bare) bare.add(b);
      for (const r of found.relative) queue.push(path.posix.join(path.posix.dirname(file), r));
    }
    const builtins = new Set(['electron', ...builtinModules]);
    for (const specifier of bare) {
      if (builtins.has(specifier)) continue;
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
      expect(entries, `module ${specifier}`).toContain(`node_modules/${name}/package.json`);
    }
  });

  it('ships no sources, tests, source maps, TypeScript, secrets or Electron itself', (ctx) => {
    ctx.skip(missing.length > 0, NOT_BUILT);
    const offending = (test: (entry: string) => boolean) => entries.filter(test);
    expect(offending((e) => e === 'src' || e.startsWith('src/'))).toEqual([]);
    expect(offending((e) => e === 'tests' || e.startsWith('tests/'))).toEqual([]);
    expect(offending((e) => /\.(ts|tsx|mts|cts)$/.test(e))).toEqual([]);
    expect(offending((e) => /\.map$/.test(e) || e.endsWith('.tsbuildinfo'))).toEqual([]);
    const base = (e: string) => e.split('/').pop()!;
    expect(offending((e) => /\.(key|pem)$/.test(e))).toEqual([]);
    expect(offending((e) => /^\.env(\..*)?$/.test(base(e)))).toEqual([]);
    expect(offending((e) => base(e).startsWith('host-secret'))).toEqual([]);
    expect(
      offending((e) => /^(electron\.vite\.config|vitest\.config|playwright\.config|eslint\.config)\./.test(e)),
    ).toEqual([]);
    expect(offending((e) => e.startsWith('node_modules/electron/'))).toEqual([]);
  });

  it('ships a devDependency only where a shipped package depends on it', (ctx) => {
    ctx.skip(missing.length > 0, NOT_BUILT);
    const shippedPackages = entries.filter((e) => /(^|\/)node_modules\/(@[^/]+\/)?[^/@]+\/package\.json$/.test(e));
    const neededBy = new Map<string, string>();
    for (const manifest of shippedPackages) {
      const { name, dependencies } = JSON.parse(read(manifest)) as PackageJson;
      for (const dep of Object.keys(dependencies ?? {})) neededBy.set(dep, name);
    }
    for (const dev of Object.keys(pkg.devDependencies ?? {})) {
      if (!has(`node_modules/${dev}/package.json`)) continue;
      expect(neededBy.get(dev), `${dev} is a devDependency but is in app.asar`).toBeDefined();
    }
  });
});
