import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import * as activities from './fixtures/greeting-activities';
import { addNameSignal, finishSignal, greetingWorkflow, namesQuery } from './fixtures/greeting-workflow';
import { TEST_NAMESPACES, temporalAddress, uniqueTaskQueue } from '../support/temporal';

describe('a real Temporal dev server', () => {
  let bundle: WorkflowBundleWithSourceMap;
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    bundle = await bundleWorkflowCode({
      workflowsPath: path.join(__dirname, 'fixtures', 'greeting-workflow.ts'),
      logger: new DefaultLogger('WARN'),
    });
    connection = await Connection.connect({ address: temporalAddress() });
    client = new Client({ connection });
  });
  afterAll(async () => connection?.close());

  it('runs a workflow on a real worker, answering a signal and a query', async () => {
    const taskQueue = uniqueTaskQueue('foundation');
    const nativeConnection = await NativeConnection.connect({ address: temporalAddress() });
    const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle: bundle, activities });
    try {
      const result = await worker.runUntil(async () => {
        const handle = await client.workflow.start(greetingWorkflow, {
          taskQueue,
          workflowId: `greeting-${taskQueue}`,
          args: ['Hello'],
        });
        await handle.signal(addNameSignal, 'Salesforce');
        await handle.signal(addNameSignal, 'Procore');
        expect(await handle.query(namesQuery)).toEqual(['Salesforce', 'Procore']);
        await handle.signal(finishSignal);
        return handle.result();
      });
      expect(result).toBe('Hello Salesforce and Procore (attempt 1)');
    } finally {
      await nativeConnection.close();
    }
  });

  it('lists the search attributes Tandem needs', async () => {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    expect(Object.keys(customAttributes ?? {})).toEqual(
      expect.arrayContaining(['SalesforceId', 'ProcoreProjectId', 'SyncStatus']),
    );
  });
});

describe('the test namespaces', () => {
  it.each(Object.values(TEST_NAMESPACES))('%s exists with the search attributes', async (namespace) => {
    const connection = await Connection.connect({ address: temporalAddress() });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
      expect(Object.keys(customAttributes ?? {})).toEqual(
        expect.arrayContaining(['SalesforceId', 'ProcoreProjectId', 'SyncStatus']),
      );
    } finally {
      await connection.close();
    }
  });
});
