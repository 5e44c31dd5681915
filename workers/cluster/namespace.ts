/**
 * A Temporal cluster starts with only its system namespace: Tandem's namespace and its search attributes are
 * registered here (with SQL visibility they are per namespace). Used by `tandem cluster up` and, in
 * docker-compose.yml, by the one-shot `temporal-setup` service (`tandem cluster namespace`).
 */
import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_KEYS } from '../../workflows/search-attributes';

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
 * A search attribute is listed at once but usable only after the namespace cache refreshes (about 2 s): wait
 * until a visibility query naming every one of them is accepted.
 */
async function waitUntilQueryable(connection: Connection, namespace: string, timeoutMs: number): Promise<void> {
  const query = SEARCH_ATTRIBUTE_KEYS.map((key) => `${key.name} = "probe"`).join(' AND ');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await connection.workflowService.listWorkflowExecutions({ namespace, query, pageSize: 1 });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(250);
    }
  }
}

export async function ensureTandemNamespace(temporalAddress: string, namespace: string, timeoutMs = 30_000) {
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    await ensureNamespace(connection, namespace);
    const keyword = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
    const wanted = SEARCH_ATTRIBUTE_KEYS.filter((key) => key.type === SearchAttributeType.KEYWORD);
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = wanted.filter((key) => !(key.name in (customAttributes ?? {})));
    if (missing.length)
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((key) => [key.name, keyword])),
      });
    await waitUntilQueryable(connection, namespace, timeoutMs);
  } finally {
    await connection.close();
  }
}
