/** Reading what Tandem made of a project born in Procore: its Salesforce record(s) and the link both ways. */
import { eventually } from './eventually';
import { procoreProject, type ProcoreProject, type RunningSystem, type SalesforceProject } from './system';

const FIELDS = [
  'Id',
  'Name',
  'Project_Number__c',
  'Project_Type__c',
  'Stage__c',
  'City__c',
  'Description__c',
  'Active__c',
  'Procore_ID__c',
];

/** Every live Salesforce record whose `Procore_ID__c` names the project. */
export async function salesforceRecordsNaming(
  system: RunningSystem,
  procoreId: number | string,
): Promise<SalesforceProject[]> {
  const found = await system.salesforce.query<SalesforceProject>(
    `SELECT ${FIELDS.join(', ')} FROM Project__c WHERE Procore_ID__c = '${String(procoreId)}'`,
  );
  return found.records;
}

export async function salesforceRecordCount(system: RunningSystem): Promise<number> {
  return (await system.salesforce.query('SELECT COUNT() FROM Project__c')).totalSize;
}

/** Waits until one Salesforce record names the Procore project and the project's origin_id names that record. */
export async function adoptedPair(
  system: RunningSystem,
  procoreId: number,
  timeoutMs = 30_000,
): Promise<{ sf: SalesforceProject; pc: ProcoreProject }> {
  return eventually(
    async () => {
      const records = await salesforceRecordsNaming(system, procoreId);
      if (records.length !== 1) return undefined;
      const pc = await procoreProject(system, procoreId);
      return pc.origin_id === records[0].Id ? { sf: records[0], pc } : undefined;
    },
    `Procore project ${procoreId} linked to one Salesforce record`,
    timeoutMs,
    200,
  );
}
