/**
 * A Temporal server starts with only its system namespace: Tandem's namespace and its search attributes are
 * registered here (with SQL visibility they are per namespace). Used by `tandem cluster up` and, in
 * docker-compose.yml, by the one-shot `temporal-setup` service (`tandem cluster namespace`); the soak and the benchmark
 * give each run a fresh namespace with it.
 */
import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_KEYS } from '../../workflows/search-attributes';
import { temporalConnectionOptions, type TemporalSettings } from './connection-options';

/** How long a closed workflow's history stays visible in the UI. */
const RETENTION = '72h';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isAlreadyExists(err: unknown): boolean {
  return err instanceof Error && /already exists/i.test(err.message);
}

async function ensureNamespace(connection: Connection, namespace: string): Promise<void> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return;
  } catch {
    // Not there yet.
  }
  await connection.workflowService
    .registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(RETENTION) })
    .catch((err: unknown) => {
      if (!isAlreadyExists(err)) throw err;
    });
}

/**
 * A new namespace, and a new search attribute, become usable only after the server's namespace cache refreshes
 * (about 2 s): retry a step until it is accepted or the deadline passes.
 */
async function retrying<T>(step: () => Promise<T>, deadline: number): Promise<T> {
  for (;;) {
    try {
      return await step();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(250);
    }
  }
}

/** `server`: a bare address (a local server), or Tandem's settings, whose TLS and API key are honoured. */
export async function ensureTandemNamespace(server: string | TemporalSettings, namespace: string, timeoutMs = 30_000) {
  const connection = await Connection.connect(
    typeof server === 'string' ? { address: server } : temporalConnectionOptions(server),
  );
  try {
    const deadline = Date.now() + timeoutMs;
    await ensureNamespace(connection, namespace);
    const keyword = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
    const wanted = SEARCH_ATTRIBUTE_KEYS.filter((key) => key.type === SearchAttributeType.KEYWORD);
    const { customAttributes } = await retrying(
      () => connection.operatorService.listSearchAttributes({ namespace }),
      deadline,
    );
    const missing = wanted.filter((key) => !(key.name in (customAttributes ?? {})));
    if (missing.length)
      await retrying(
        () =>
          connection.operatorService.addSearchAttributes({
            namespace,
            searchAttributes: Object.fromEntries(missing.map((key) => [key.name, keyword])),
          }),
        deadline,
      );
    // Listed at once, but a query naming them is accepted only after the refresh.
    const query = SEARCH_ATTRIBUTE_KEYS.map((key) => `${key.name} = "probe"`).join(' AND ');
    await retrying(
      () => connection.workflowService.listWorkflowExecutions({ namespace, query, pageSize: 1 }),
      deadline,
    );
  } finally {
    await connection.close();
  }
}
