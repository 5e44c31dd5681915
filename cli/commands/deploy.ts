/**
 * `tandem deploy`: the Worker Versioning steps of a rollout (docs/deploying.md), thin over Temporal's Worker
 * Deployment API. Each step that moves routing also signals the open runs, so idle syncs move too.
 */
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import { loadConfig, loadDotEnv } from '../../common/config';
import { connectClient } from '../../workers/temporal/connection';
import {
  describeDeployment,
  nudgeWorkflows,
  setCurrentVersion,
  setRampingVersion,
} from '../../workers/temporal/deployments';
import { usageOf } from '../command-list';

const USAGE = usageOf('deploy');

async function printStatus(client: Client, name: string): Promise<number> {
  const state = await describeDeployment(client, name);
  if (!state) {
    process.stdout.write(`deployment ${name}: no worker has polled yet\n`);
    return 1;
  }
  process.stdout.write(`deployment ${name}\n`);
  for (const v of state.versions) {
    const role =
      v.buildId === state.current
        ? 'current'
        : v.buildId === state.ramping?.buildId
          ? `ramping ${state.ramping.percentage}%`
          : v.drainage.toLowerCase() || 'inactive';
    process.stdout.write(`  ${v.buildId}  ${role}\n`);
  }
  return 0;
}

async function nudge(client: Client, name: string): Promise<void> {
  const nudged = await nudgeWorkflows(client, name);
  process.stdout.write(`signalled ${nudged} open workflows to check their version\n`);
}

async function step(client: Client, name: string, args: string[]): Promise<number> {
  const [sub, buildId, percent] = args;
  if (sub === 'status') return printStatus(client, name);
  if (sub === 'nudge') {
    await nudge(client, name);
    return 0;
  }
  if ((sub === 'promote' || sub === 'rollback') && buildId) {
    await setCurrentVersion(client, { deploymentName: name, buildId });
    process.stdout.write(`${name}: ${buildId} is current\n`);
    await nudge(client, name);
    return 0;
  }
  const percentage = Number(sub === 'ramp' && percent === undefined ? buildId : percent);
  if (sub === 'ramp' && Number.isFinite(percentage) && percentage >= 0 && percentage <= 100) {
    const build = percent === undefined ? undefined : buildId;
    await setRampingVersion(client, name, build, percentage);
    process.stdout.write(build ? `${name}: ${build} ramping at ${percentage}%\n` : `${name}: ramp stopped\n`);
    if (build) await nudge(client, name);
    return 0;
  }
  process.stderr.write(USAGE);
  return 2;
}

export async function deployCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { deployment: { type: 'string' } },
  });
  loadDotEnv();
  const config = loadConfig();
  const client = await connectClient(config);
  try {
    return await step(client, values.deployment ?? config.TANDEM_DEPLOYMENT_NAME, positionals);
  } finally {
    await client.connection.close();
  }
}
