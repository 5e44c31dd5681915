/**
 * The projects the benchmark edits. On the Tandem pair they are created in Salesforce (console) and Tandem creates
 * and links them in Procore; on the floor pair both records are created directly, already linked.
 */
import type { SalesforceSession } from '../../activities/salesforce/session';
import { boundedMap, consoleUser, type LinkedProject } from './console-user';
import { sleep } from './clock';
import type { SandboxUrls } from './systems';

const CREATE_CONCURRENCY = 8;
/** Projects created together, at most two waves unlinked at a time. */
const LINK_WAVE = 100;

const projectName = (index: number) => `Bench Project ${String(index + 1).padStart(4, '0')}`;

async function linksInSalesforce(session: SalesforceSession): Promise<Map<string, number>> {
  const conn = await session.connection();
  const links = new Map<string, number>();
  let page = await conn.query<{ Id: string; Procore_ID__c: string | null }>('SELECT Id, Procore_ID__c FROM Project__c');
  for (;;) {
    for (const record of page.records) if (record.Procore_ID__c) links.set(record.Id, Number(record.Procore_ID__c));
    if (page.done || !page.nextRecordsUrl) return links;
    page = await conn.queryMore<{ Id: string; Procore_ID__c: string | null }>(page.nextRecordsUrl);
  }
}

/**
 * Creates `count` projects in Salesforce in waves and waits until the sync linked each to its Procore project. A wave
 * is created only once all but the last one are linked, as projects arrive in a real org: 10,000 records created
 * at once would all be busy together, beyond any bounded workflow cache.
 */
export async function populateThroughSync(
  pair: SandboxUrls,
  session: SalesforceSession,
  count: number,
  timeoutMs: number,
  progress: (line: string) => void = () => undefined,
): Promise<LinkedProject[]> {
  const deadline = Date.now() + timeoutMs;
  const created: Array<{ Id: string }> = [];
  let links = new Map<string, number>();
  let toldAt = Date.now();
  // Each look reads every record: at 10,000 projects, not twice a second.
  const pollMs = Math.max(500, count / 5);
  const waitForLinks = async (atLeast: number) => {
    for (;;) {
      links = await linksInSalesforce(session);
      const linked = created.filter((record) => links.has(record.Id)).length;
      if (Date.now() - toldAt > 30_000) {
        progress(`  ${linked} of ${count} linked (${created.length} created)`);
        toldAt = Date.now();
      }
      if (linked >= atLeast) return;
      if (Date.now() > deadline)
        throw new Error(`only ${linked} of ${count} projects were linked within ${timeoutMs} ms`);
      await sleep(pollMs);
    }
  };
  for (let start = 0; start < count; start += LINK_WAVE) {
    const wave = await boundedMap(Math.min(LINK_WAVE, count - start), CREATE_CONCURRENCY, (i) =>
      consoleUser.createSalesforceProject(pair, { Name: projectName(start + i), City__c: 'Seattle' }),
    );
    created.push(...wave);
    if (created.length < count) await waitForLinks(created.length - LINK_WAVE);
  }
  await waitForLinks(count);
  return created.map((record) => ({ salesforceId: record.Id, procoreId: links.get(record.Id)! }));
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
