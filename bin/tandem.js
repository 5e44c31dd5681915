#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so `npx tandem` works on a fresh clone without a build step.
require('tsx/cjs');
require('../cli/main.ts');
