/**
 * A workflow worker replaced in place, as a sync worker does when the Temporal SDK reports a run it lost
 * (workers/temporal/sdk-faults.ts): the new worker takes the running workflows over, the old one stops, and a burst
 * of the SDK's reports is one renewal. Against the test run's Temporal server, with Tandem's workflow bundle.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createLogger } from '../../common/logger';
import { RenewableWorker } from '../../workers/temporal/renewable-worker';
import { noticeSdkLog, onLostActivation } from '../../workers/temporal/sdk-faults';
import { workflowBundlePath } from '../../workers/temporal/workflow-bundle';
import { testDeployment, type TestDeployment } from '../support/test-deployment';
import { linkKnown, procoreRouterWorkflowId, routedToQuery } from '../../workflows/procore-router/procore-router';
import { eventually } from '../support/eventually';
import { TEST_NAMESPACES, temporalAddress } from '../support/temporal';

jest.setTimeout(60_000);

const namespace = TEST_NAMESPACES.renewal;
const taskQueue = `renewal-${process.pid}`;
const LOST = 'Extra buffered run should not have produced an activation';
const logger = createLogger('renewal-test', 'silent');

let connection: Connection;
let client: Client;
let codePath: string;
let deployment: TestDeployment;

beforeAll(async () => {
  [connection, codePath] = await Promise.all([
    Connection.connect({ address: temporalAddress() }),
    workflowBundlePath(),
  ]);
  client = new Client({ connection, namespace });
  deployment = testDeployment('renewal', codePath);
});

afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await connection?.close();
});

const connections: NativeConnection[] = [];

/** As the sync worker does: the SDK takes one worker per task queue and connection, so each has its own. */
async function createWorker(): Promise<Worker> {
  const connection = await NativeConnection.connect({ address: temporalAddress() });
  connections.push(connection);
  const workerDeploymentOptions = deployment.workerOptions;
  return Worker.create({ connection, namespace, taskQueue, workflowBundle: { codePath }, workerDeploymentOptions });
}

it('hands the running workflows to a new worker, stops the old one, and ends when shut down', async () => {
  const renewable = await RenewableWorker.start({ create: createWorker, logger });
  const running = renewable.run();
  await deployment.makeCurrent(client);
  const procoreProjectId = String(Date.now());
  const router = await client.workflow.start('procoreProjectRouter', {
    taskQueue,
    workflowId: procoreRouterWorkflowId(procoreProjectId),
    args: [{ procoreProjectId }],
  });
  expect(await router.query(routedToQuery)).toBeNull();

  const old = renewable.worker;
  expect(await renewable.renew('test')).toBe(true);
  expect(renewable.worker).not.toBe(old);
  expect(renewable.renewals).toBe(1);
  await eventually(async () => (old.getState() === 'STOPPED' ? true : undefined), 'the old worker stopped');

  // Only the new worker polls now: it takes the router over (replaying its history) and applies the signal.
  await router.signal(linkKnown, 'a0X8d0000000001EAA');
  expect(await eventually(async () => (await router.query(routedToQuery)) ?? undefined, 'the link')).toBe(
    'a0X8d0000000001EAA',
  );
  renewable.shutdown();
  await running;
  expect(renewable.worker.getState()).toBe('STOPPED');
  await router.terminate('test done');
});

it("renews once for a burst of the SDK's lost-activation reports, later again for a later one, and ignores its other messages", async () => {
  const renewable = await RenewableWorker.start({ create: createWorker, logger, minGapMs: 1500 });
  const running = renewable.run();
  const stopNoticing = onLostActivation(() => renewable.renewAfterFault('lost-activation'));
  try {
    noticeSdkLog('Worker state changed');
    expect(renewable.renewalPending).toBe(false);
    noticeSdkLog(LOST);
    noticeSdkLog(LOST);
    await eventually(async () => (renewable.renewals === 1 && !renewable.renewalPending ? true : undefined), 'one');
    // Within the gap after a renewal: it waits for the gap to pass, then renews once more.
    noticeSdkLog(LOST);
    noticeSdkLog(LOST);
    expect(renewable.renewalPending).toBe(true);
    expect(renewable.renewals).toBe(1);
    await eventually(async () => (renewable.renewals === 2 ? true : undefined), 'the second renewal');
  } finally {
    stopNoticing();
    renewable.shutdown();
    await running;
  }
});
