#!/usr/bin/env node
// The second step of `npm run build`: bundles the compiled workflows into dist/workflow-bundle.js.
const { writeCompiledBundle } = require('../dist/workers/temporal/workflow-bundle');

writeCompiledBundle().then(
  (file) => process.stdout.write(`workflow bundle: ${file}\n`),
  (err) => {
    process.stderr.write(`tandem build: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
