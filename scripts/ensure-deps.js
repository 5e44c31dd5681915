#!/usr/bin/env node
// Runs before `npm test` and `npm start`: a fresh clone gets its packages and the Temporal CLI without a separate step.
const { execSync } = require('node:child_process');
const { existsSync, statSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const installed = path.join(root, 'node_modules', '.package-lock.json');
const lock = path.join(root, 'package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  process.stderr.write('tandem: installing npm packages (npm ci)\n');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}
execSync(`node ${JSON.stringify(path.join(root, 'bin', 'tandem.js'))} temporal install`, {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
});
