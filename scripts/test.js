#!/usr/bin/env node
/**
 * `npm test`: lint (`npm run lint`: eslint, prettier, the folder rules) and the whole jest suite, side by side.
 * Lint is CPU work of a minute or two; most of jest's time is spent waiting on the systems it starts, so running
 * them together costs little more than jest alone. Lint's output is kept and printed once jest is done; the exit code
 * is non-zero if either failed. Arguments go to jest (e.g. `npm test -- --json --outputFile=x.json`).
 * TANDEM_TEST_LINT=0 skips lint (e.g. when it already ran).
 */
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const jestBin = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args, capture) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd: root, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    if (capture) {
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
    }
    child.on('error', (err) => resolve({ code: 1, output: `${output}${err.message}\n`, seconds: 0 }));
    child.on('close', (code, signal) =>
      resolve({ code: code ?? (signal ? 1 : 0), output, seconds: (Date.now() - started) / 1000 }),
    );
  });
}

async function main() {
  const lint = process.env.TANDEM_TEST_LINT === '0' ? null : run(npm, ['run', '--silent', 'lint'], true);
  const jest = await run(process.execPath, [jestBin, ...process.argv.slice(2)], false);
  if (lint) {
    const result = await lint;
    process.stderr.write(
      `\n== lint (eslint, prettier, folder rules), ran beside jest: ${result.seconds.toFixed(0)} s\n`,
    );
    process.stderr.write(result.output);
    process.stderr.write(result.code === 0 ? 'lint passed\n' : `lint FAILED (exit ${result.code})\n`);
    if (result.code !== 0) return 1;
  }
  return jest.code;
}

main().then((code) => process.exit(code));
