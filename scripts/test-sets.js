#!/usr/bin/env node
/**
 * Named subsets of the jest suite, as jest path patterns (matched against each test file's path).
 *
 *   fast     `npm run test:fast`: unit tests, the model checker at its default number of random runs, the replay of
 *            recorded histories and the ingress tests. Nothing here starts a whole system; it still needs the test
 *            run's Temporal dev server, which jest's global setup starts (a few seconds).
 *   lts-leg  What CI runs again under Node 22 (`npm run test:lts:leg`): everything whose behaviour can depend on the
 *            Node version. The sync rules and the model checker are plain JavaScript and run under Node 20 only.
 *
 * `node scripts/test-sets.js <set> [jest arguments]` runs jest on a set; `--list` prints its files instead.
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const SETS = {
  fast: {
    include: [
      '/test/common/',
      '/test/mappings/',
      // The sync rules, the model checker (convergence.property: its default random runs) and its regressions.
      '/test/sync/',
      '/test/replay/',
      '/test/ingress/',
      '/test/operator/ingress-',
      '/test/backfill/(match|seed|bulk-link)\\.test\\.ts$',
      '/test/temporal/(connection-options|workflow-memory)\\.test\\.ts$',
      '/test/soak/compare\\.test\\.ts$',
    ],
    // ProjectSync against real Temporal and both sandboxes, minutes long: npm test runs it.
    exclude: ['/test/sync/project-sync\\.workflow\\.test\\.ts$'],
  },
  'lts-leg': {
    include: [
      // npm run build (tsc, the workflow bundle) and every process run from dist/: a project synced end to end.
      '/test/build/',
      // `tandem start`: its own Temporal dev server, both sandboxes, the workers, the ingress, one process.
      '/test/start/start\\.test\\.ts$',
      // The sandboxes against other HTTP and CometD clients (Node's http stack, faye, cometd-nodejs-client).
      '/test/sandbox/salesforce/(rest|streaming)-other-clients\\.test\\.ts$',
      // Temporal's native bridge in process, and the workflow sandbox (node:vm) replaying recorded histories.
      '/test/foundation/',
      '/test/replay/',
      // Node's TLS and HTTP/2 under the Temporal connection settings; crypto, logging and metrics.
      '/test/temporal/(tls-server|connection-options)\\.test\\.ts$',
      '/test/common/',
      // The ingress (fastify) in process.
      '/test/operator/ingress-inject\\.test\\.ts$',
    ],
    exclude: [],
  },
};

function jestArgs(name) {
  const set = SETS[name];
  if (!set) throw new Error(`no test set ${name}; sets: ${Object.keys(SETS).join(', ')}`);
  return [
    '--testPathPatterns',
    ...set.include,
    ...(set.exclude.length ? ['--testPathIgnorePatterns', ...set.exclude] : []),
  ];
}

module.exports = { SETS, jestArgs };

if (require.main === module) {
  const [name, ...rest] = process.argv.slice(2);
  const root = path.resolve(__dirname, '..');
  const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
  const list = rest[0] === '--list';
  const args = [jest, ...jestArgs(name), ...(list ? ['--listTests'] : rest)];
  const run = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
