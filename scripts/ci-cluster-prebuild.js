#!/usr/bin/env node
/**
 * CI only (`.ci/run`, in the background from its first second): the `go install` that `tandem cluster install` runs
 * (workers/cluster/provision.ts), started before `npm ci` has finished, since the cluster tools need nothing from
 * node_modules and a cold build is the longest thing CI does. It uses plain Node (no tsx), so it reads the module
 * versions from workers/cluster/versions.ts and builds into the folders provision.ts names. `tandem cluster install`
 * runs after it and checks the result (and builds anything this missed, so a mismatch costs time, not correctness).
 * The binaries are linked without DWARF (-ldflags=-w): the link is a long single-threaded step of a cold build.
 */
const { spawnSync } = require('node:child_process');
const { accessSync, constants, mkdirSync, readFileSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const source = readFileSync(path.join(root, 'workers', 'cluster', 'versions.ts'), 'utf8');
const version = (key) => {
  const found = new RegExp(`\\b${key}:\\s*'([^']+)'`).exec(source);
  if (!found) throw new Error(`ci-cluster-prebuild: no ${key} in workers/cluster/versions.ts`);
  return found[1];
};
const server = version('temporalServer');
const ui = version('temporalUi');
const tools = path.join(root, '.tools', 'cluster');
const builds = [
  {
    dir: path.join(tools, `temporal-${server}`),
    bins: ['server', 'sql'],
    modules: [`go.temporal.io/server/cmd/server@v${server}`, `go.temporal.io/server/cmd/tools/sql@v${server}`],
  },
  {
    dir: path.join(tools, `ui-${ui}`),
    bins: ['server'],
    modules: [`github.com/temporalio/ui-server/v2/cmd/server@v${ui}`],
  },
];

const executable = (file) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

let failed = 0;
for (const build of builds) {
  if (build.bins.every((bin) => executable(path.join(build.dir, bin)))) {
    process.stderr.write(`ci-cluster-prebuild: ${build.dir} is there\n`);
    continue;
  }
  mkdirSync(build.dir, { recursive: true });
  const started = Date.now();
  process.stderr.write(`ci-cluster-prebuild: go install ${build.modules.join(' ')}\n`);
  const run = spawnSync('go', ['install', '-ldflags=-w', ...build.modules], {
    stdio: 'inherit',
    env: { ...process.env, GOBIN: build.dir, GOTOOLCHAIN: 'local' },
  });
  process.stderr.write(
    `ci-cluster-prebuild: exit ${run.status ?? run.error?.message} after ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
