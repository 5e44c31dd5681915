/**
 * The Temporal server a soak runs on: its own dev server (a separate process), or one given by address, where the
 * run gets a fresh namespace so that workflow ids never meet an earlier run's (the sandboxes number records anew).
 */
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal as proto } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES, startDevServer } from '../../../workers/temporal/dev-server';
import { TEST_OUTPUT } from '../../support/process-harness';
import { sleep } from './random';

export interface SoakTemporal {
  address: string;
  namespace: string;
  stop(): Promise<void>;
}

export async function provideTemporal(address: string | undefined, label: string): Promise<SoakTemporal> {
  if (address)
    return {
      address,
      namespace: await createNamespace(address, `tandem-soak-${Date.now().toString(36)}`),
      stop: async () => undefined,
    };
  const namespace = 'tandem-soak';
  const server = await startDevServer({
    uiPort: false,
    namespace,
    logFile: path.join(TEST_OUTPUT, `${label}-temporal.log`),
  });
  return { address: server.address, namespace, stop: () => server.stop() };
}

async function createNamespace(address: string, namespace: string): Promise<string> {
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    const keyword = proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
    const searchAttributes = Object.fromEntries(SEARCH_ATTRIBUTES.map((name) => [name, keyword]));
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
    // A new namespace reaches every server component's cache only after a while.
    for (let attempt = 0; ; attempt++) {
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return namespace;
      } catch (err) {
        if (attempt >= 50) throw err;
        await sleep(200);
      }
    }
  } finally {
    await connection.close();
  }
}
