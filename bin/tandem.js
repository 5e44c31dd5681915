#!/usr/bin/env node
// Production runs the compiled JavaScript in dist/ (`npm run build`; an install without dev dependencies has no
// TypeScript tooling at all). A source checkout runs the TypeScript through tsx, so `npx tandem` works on a fresh
// clone without a build step. TANDEM_RUN_FROM=dist|source overrides the choice.
const { existsSync } = require('node:fs');
const path = require('node:path');

const compiled = path.join(__dirname, '..', 'dist', 'cli', 'main.js');

function hasTsx() {
  try {
    require.resolve('tsx/cjs');
    return true;
  } catch {
    return false;
  }
}

const from = process.env.TANDEM_RUN_FROM ?? (hasTsx() ? 'source' : 'dist');
if (from === 'dist') {
  if (!existsSync(compiled)) {
    process.stderr.write(
      `tandem: ${compiled} is missing: run npm run build (or install dev dependencies to run from source)\n`,
    );
    process.exit(2);
  }
  require(compiled);
} else {
  require('tsx/cjs');
  require('../cli/main.ts');
}
