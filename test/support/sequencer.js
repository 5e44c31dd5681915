/**
 * The order jest starts test files in (jest.config.js `testSequencer`). Jest's own order runs the longest files first,
 * by their durations in its cache, and by file size where it has none: on CI's fresh clone it has none, and file size
 * says little here (the short soak file runs for minutes). So a file jest has no duration for gets its typical one from
 * TYPICAL_S below (measured on CI's 2-core machine); a file it does not name counts as UNKNOWN_S.
 *
 * The cluster test runs last: `.ci/run` builds its Temporal server in the background while the other files run, and
 * the cluster test waits for that build (test/support/cluster.ts `clusterToolsReady`).
 */
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

/** Seconds, per file relative to the repository root: the slow ones; anything under a few seconds is left out. */
const TYPICAL_S = {
  'test/e2e/reconcile.test.ts': 200,
  'test/e2e/sync.test.ts': 180,
  'test/sync/project-sync.workflow.test.ts': 150,
  'test/soak/soak.test.ts': 120,
  'test/e2e/outage.test.ts': 110,
  'test/backfill/backfill.e2e.test.ts': 100,
  'test/e2e/mapping-change.test.ts': 80,
  'test/e2e/salesforce-wins.test.ts': 70,
  'test/e2e/procore-born.test.ts': 70,
  'test/start/crash-recovery.test.ts': 60,
  'test/e2e/create-in-procore-off.test.ts': 60,
  'test/sandbox/salesforce/replication.test.ts': 60,
  'test/e2e/procore-stored-values.test.ts': 50,
  'test/build/compiled.test.ts': 50,
  'test/operator/ingress-fuzz.test.ts': 45,
  'test/start/start.test.ts': 45,
  'test/ingress/webhook-keeper.test.ts': 40,
  'test/browser/console.test.ts': 35,
  'test/browser/operator-page.test.ts': 35,
  'test/operator/cli-and-auth.test.ts': 30,
  'test/operator/operator-api.test.ts': 30,
  'test/backfill/mapping-check.test.ts': 30,
  'test/bench/smoke.test.ts': 30,
  'test/temporal/renewable-worker.test.ts': 25,
};

const LAST = ['test/cluster/'];

/** A file with no duration, cached or typical: after the known long ones, before the known short ones. */
const UNKNOWN_S = 20;

class TandemSequencer extends Sequencer {
  sort(tests) {
    // Jest's own sort runs files without timing first and then by their size; here every file has an estimate.
    const estimate = (test) => super.time(test) ?? (TYPICAL_S[relative(test)] ?? UNKNOWN_S) * 1000;
    const isLast = (test) => LAST.some((prefix) => relative(test).startsWith(prefix));
    for (const test of tests) test.duration = estimate(test);
    return [...tests].sort(
      (a, b) =>
        Number(isLast(a)) - Number(isLast(b)) ||
        // A file that failed last time first (a local run's quickest answer), then the longest first.
        Number(this.hasFailed(b)) - Number(this.hasFailed(a)) ||
        b.duration - a.duration,
    );
  }
}

function relative(test) {
  return path.relative(test.context.config.rootDir, test.path).split(path.sep).join('/');
}

module.exports = TandemSequencer;
