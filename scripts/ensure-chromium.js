#!/usr/bin/env node
// The browser test drives Debian's chromium through playwright-core (no browser download). This installs it
// when it is missing and we may (root with apt-get); otherwise it says how, and exits non-zero.
const { execFileSync, spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');

const CHROMIUM = '/usr/bin/chromium';

function hasAptGet() {
  return spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
}

function apt(args) {
  process.stderr.write(`tandem: apt-get ${args.join(' ')}\n`);
  execFileSync('apt-get', args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function main() {
  if (existsSync(CHROMIUM)) return 0;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !hasAptGet()) {
    process.stderr.write(
      `tandem: the browser test needs Chromium at ${CHROMIUM}. Install it with\n` +
        '  sudo apt-get update && sudo apt-get install -y chromium\n' +
        '(Debian and Ubuntu), then run the tests again.\n',
    );
    return 1;
  }
  process.stderr.write(`tandem: installing Chromium for the browser test (${CHROMIUM} is missing)\n`);
  try {
    apt(['update']);
    apt(['install', '-y', '--no-install-recommends', 'chromium']);
  } catch (err) {
    process.stderr.write(`tandem: installing chromium failed: ${err.message}\n`);
    return 1;
  }
  if (!existsSync(CHROMIUM)) {
    process.stderr.write(`tandem: apt-get installed chromium, but ${CHROMIUM} is still missing\n`);
    return 1;
  }
  process.stderr.write('tandem: Chromium installed\n');
  return 0;
}

if (require.main === module) process.exitCode = main();

module.exports = { CHROMIUM, ensureChromium: main };
