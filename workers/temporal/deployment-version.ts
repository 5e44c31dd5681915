/**
 * The Worker Deployment Version a Tandem worker polls as. Every worker of one release (sync, CDC, activity-only)
 * shares it, so a versioned workflow's activities run on workers of the same build (docs/deploying.md).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkerDeploymentOptions } from '@temporalio/worker';
import type { TandemConfig } from '../../common/config';
import { PROJECT_ROOT } from '../../common/project-root';

export interface DeploymentVersion {
  deploymentName: string;
  buildId: string;
}

function release(): string {
  return (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * `<release>-<first 10 hex of the bundle's sha256>`: the release says what an operator shipped, the hash tells two
 * builds of one release apart (a workflow change always changes the bundle; an activity-only change does not,
 * and needs no new version).
 */
export function buildIdOf(releaseVersion: string, bundleCode: Buffer | string): string {
  return `${releaseVersion}-${createHash('sha256').update(bundleCode).digest('hex').slice(0, 10)}`;
}

export function deploymentVersion(
  config: Pick<TandemConfig, 'TANDEM_DEPLOYMENT_NAME' | 'TANDEM_BUILD_ID'>,
  bundlePath: string,
): DeploymentVersion {
  return {
    deploymentName: config.TANDEM_DEPLOYMENT_NAME,
    buildId: config.TANDEM_BUILD_ID ?? buildIdOf(release(), readFileSync(bundlePath)),
  };
}

/** For Worker.create. Every workflow type declares its own behaviour (workflows/versioning.ts); PINNED is the safe default. */
export function versionedWorker(version: DeploymentVersion): WorkerDeploymentOptions {
  return { useWorkerVersioning: true, version, defaultVersioningBehavior: 'PINNED' };
}

export const versionName = (v: DeploymentVersion) => `${v.deploymentName}:${v.buildId}`;
