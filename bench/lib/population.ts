/**
 * The projects the benchmark edits. On the Tandem pair they are created in Salesforce (console) and Tandem creates
 * and links them in Procore; on the floor pair both records are created directly, already linked.
 */
import type { SalesforceSession } from '../../activities/salesforce/session';
import { boundedMap, consoleUser, type LinkedProject } from './console-user';
import { sleep } from './clock';
import type { SandboxUrls } from './systems';

const CREATE_CONCURRENCY = 8;
/** Records waiting for their link at any time, unless told otherwise (see `populateThroughSync`). */
export const DEFAULT_LINK_WINDOW = 50;
const POLL_MS = 500;
/** Ids in one `IN (…)` list: well inside SOQL's query length limit. */
const IDS_PER_QUERY = 100;

const projectName = (index: number) => `Bench Project ${String(index + 1).padStart(5, '0')}`;

export interface PopulateOptions {
  /** Records created and not yet linked, at most. */
  window: number;
  timeoutMs: number;
  progress?: (line: string) => void;
  /** Called after each look with the number linked so far (the memory series samples here). */
  onLinked?: (linked: number) => void;
}

/** The links of the given records that Tandem has written (`Procore_ID__c` set), by record id. */
async function linksOf(session: SalesforceSession, ids: string[]): Promise<Map<string, number>> {
  const conn = await session.connection();
  const links = new Map<string, number>();
  for (let at = 0; at < ids.length; at += IDS_PER_QUERY) {
    const list = ids
      .slice(at, at + IDS_PER_QUERY)
      .map((id) => `'${id}'`)
      .join(',');
    const page = await conn.query<{ Id: string; Procore_ID__c: string | null }>(
      `SELECT Id, Procore_ID__c FROM Project__c WHERE Id IN (${list})`,
    );
    for (const record of page.records) if (record.Procore_ID__c) links.set(record.Id, Number(record.Procore_ID__c));
  }
  return links;
}

/**
 * Creates `count` projects in Salesforce and waits until the sync linked each to its Procore project, keeping at
 * most `window` records unlinked at a time: as records arrive in a real org, and so that the busy workflows (a
 * record's ProjectSync and its router) fit the worker's workflow cache. A burst larger than the cache makes every
 * workflow task replay its history, which is what made linking crawl. Each look reads only the records
 * still waiting, not every record.
 */
export async function populateThroughSync(
  pair: SandboxUrls,
  session: SalesforceSession,
  count: number,
  options: PopulateOptions,
): Promise<LinkedProject[]> {
  const deadline = Date.now() + options.timeoutMs;
  const order: string[] = [];
  const waiting = new Set<string>();
  const links = new Map<string, number>();
  let toldAt = Date.now();
  while (links.size < count) {
    const room = Math.min(options.window - waiting.size, count - order.length);
    if (room > 0) {
      const first = order.length;
      const made = await boundedMap(room, CREATE_CONCURRENCY, (i) =>
        consoleUser.createSalesforceProject(pair, { Name: projectName(first + i), City__c: 'Seattle' }),
      );
      for (const record of made) {
        order.push(record.Id);
        waiting.add(record.Id);
      }
    }
    await sleep(POLL_MS);
    for (const [id, procoreId] of await linksOf(session, [...waiting])) {
      waiting.delete(id);
      links.set(id, procoreId);
    }
    options.onLinked?.(links.size);
    if (Date.now() - toldAt > 30_000) {
      options.progress?.(`  ${links.size} of ${count} linked (${order.length} created)`);
      toldAt = Date.now();
    }
    if (Date.now() > deadline)
      throw new Error(`only ${links.size} of ${count} projects were linked within ${options.timeoutMs} ms`);
  }
  return order.map((id) => ({ salesforceId: id, procoreId: links.get(id)! }));
}

/** Creates `count` linked pairs directly in both systems, for the floor (which has no creation path of its own). */
export function populateDirectly(pair: SandboxUrls, count: number): Promise<LinkedProject[]> {
  return boundedMap(count, CREATE_CONCURRENCY, async (i) => {
    const procore = await consoleUser.createProcoreProject(pair, { name: projectName(i), city: 'Seattle' });
    const salesforce = await consoleUser.createSalesforceProject(pair, {
      Name: projectName(i),
      City__c: 'Seattle',
      Procore_ID__c: String(procore.id),
    });
    await consoleUser.editProcoreProject(pair, procore.id, { origin_id: salesforce.Id });
    return { salesforceId: salesforce.Id, procoreId: procore.id };
  });
}
