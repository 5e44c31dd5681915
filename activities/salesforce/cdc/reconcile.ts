/**
 * Finding the records a CDC gap may have hidden: everything modified since a commit time, through SOQL's queryAll,
 * so that a record deleted in the gap is found too (its ProjectSync reads it, sees the delete and deactivates the
 * Procore project); plain query leaves deleted records out. By SystemModstamp, which every change bumps (a delete
 * included), and never earlier than LastModifiedDate.
 */
import type { Connection } from 'jsforce';

/** SOQL datetime literals take whole seconds: round down so the boundary record is included. */
function soqlDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export async function findProjectsModifiedSince(conn: Connection, sinceMs: number): Promise<string[]> {
  const ids: string[] = [];
  let page = await conn.query<{ Id: string }>(
    `SELECT Id FROM Project__c WHERE SystemModstamp >= ${soqlDateTime(sinceMs)} ORDER BY SystemModstamp`,
    { scanAll: true },
  );
  for (;;) {
    ids.push(...page.records.map((r) => r.Id));
    if (page.done || !page.nextRecordsUrl) return ids;
    page = await conn.queryMore<{ Id: string }>(page.nextRecordsUrl);
  }
}
