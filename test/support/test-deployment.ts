/**
 * Workers a test creates itself run as a Deployment Version, as Tandem's own workers do: every workflow type declares
 * its versioning behaviour (workflows/versioning.ts), which Temporal accepts only from versioned workers. The version
 * is made current once its workers poll, so the test's workflows are routed to them.
 */
import { readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import type { WorkerDeploymentOptions } from '@temporalio/worker';
import { createLogger } from '../../common/logger';
import { buildIdOf, type DeploymentVersion, versionedWorker } from '../../workers/temporal/deployment-version';
import { settleCurrentVersion } from '../../workers/temporal/current-version';

export interface TestDeployment {
  version: DeploymentVersion;
  workerOptions: WorkerDeploymentOptions;
  /** After the workers' `run()`: waits until the server knows the version, and makes it current. */
  makeCurrent(client: Client): Promise<void>;
}

/** One deployment per test file (`name`), whose build id is the bundle's, as in production. */
export function testDeployment(name: string, bundlePath: string): TestDeployment {
  const version = { deploymentName: `test-${name}`, buildId: buildIdOf('test', readFileSync(bundlePath)) };
  return {
    version,
    workerOptions: versionedWorker(version),
    makeCurrent: (client) => settleCurrentVersion(client, version, 'if-none', createLogger('test-deployment', 'warn')),
  };
}
