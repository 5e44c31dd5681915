/**
 * The order jest starts test files in (jest.config.js `testSequencer`). Jest's own order runs the longest files first,
 * by their durations in its cache, and by file size where it has none: on CI's fresh clone it has none, and file size
 * says little here (the short soak file runs for minutes). So a file jest has no duration for gets its typical one from
 * TYPICAL_S below (measured on CI's 2-core machine); a file it does not name counts as UNKNOWN_S.
 *
 * The cluster test runs last while its Temporal server is still being built: `.ci/run` builds it in the background
 * while the other files run, and the cluster test waits for that build (test/support/cluster.ts `clusterToolsReady`).
 * Once the build is done (a warm Go cache takes under a minute), it is ordered by its duration like any other file.
 */
const { existsSync } = require('node:fs');
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Seconds per file (relative to the repository root), from `.ci/run` on 2026-12-07 (commit 2c43be4, a loaded 2-core
 * machine): only the order matters. Files under 20 s are left out.
 */
const TYPICAL_S = {
  'test/soak/soak.test.ts': 270,
  'test/backfill/backfill.e2e.test.ts': 250,
  'test/e2e/reconcile.test.ts': 220,
  'test/cluster/cluster.test.ts': 210,
  'test/build/compiled.test.ts': 200,
  'test/e2e/sync.test.ts': 175,
  'test/e2e/outage.test.ts': 170,
  'test/e2e/unknown-project.test.ts': 195,
  'test/versioning/worker-versioning.test.ts': 90,
  'test/sync/project-sync.workflow.test.ts': 160,
  'test/replay/changed-mapping.test.ts': 140,
  'test/e2e/procore-born.test.ts': 140,
  'test/operator/cli-and-auth.test.ts': 120,
  'test/sync/convergence.property.test.ts': 115,
  'test/replay/replay.test.ts': 100,
  'test/ingress/webhook-keeper.test.ts': 90,
  'test/e2e/mapping-change.test.ts': 85,
  'test/backfill/mapping-check.test.ts': 80,
  'test/browser/console.test.ts': 80,
  'test/start/secure-defaults.test.ts': 75,
  'test/bench/smoke.test.ts': 70,
  'test/e2e/create-in-procore-off.test.ts': 65,
  'test/e2e/procore-stored-values.test.ts': 65,
  'test/sandbox/salesforce/replication.test.ts': 55,
  'test/start/start.test.ts': 55,
  'test/start/crash-recovery.test.ts': 55,
  'test/browser/operator-page.test.ts': 55,
  'test/e2e/salesforce-wins.test.ts': 45,
  'test/operator/operator-api.test.ts': 45,
  'test/start/fail-fast.test.ts': 45,
  'test/operator/ingress-fuzz.test.ts': 45,
  'test/sandbox/procore/cli.test.ts': 40,
  'test/soak/compare.test.ts': 40,
  'test/backfill/seed.test.ts': 30,
  'test/operator/ingress-inject.test.ts': 30,
  'test/architecture/dependencies.test.ts': 25,
  'test/temporal/renewable-worker.test.ts': 22,
};

const LAST = ['test/cluster/'];

/** A file with no duration, cached or typical: after the known long ones, before the known short ones. */
const UNKNOWN_S = 20;

/** The build the cluster test waits for is still running (`.ci/run` writes its status file when it ends). */
const clusterBuildPending = () => {
  const status = process.env.TANDEM_CLUSTER_INSTALL_STATUS;
  return Boolean(status) && !existsSync(status);
};

class TandemSequencer extends Sequencer {
  sort(tests) {
    // Jest's own sort runs files without timing first and then by their size; here every file has an estimate.
    const estimate = (test) => super.time(test) ?? (TYPICAL_S[relative(test)] ?? UNKNOWN_S) * 1000;
    // Waiting for the build, a cluster file started early would hold a worker idle: it goes last then.
    const pending = clusterBuildPending();
    const isLast = (test) => pending && LAST.some((prefix) => relative(test).startsWith(prefix));
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
