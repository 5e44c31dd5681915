/** The Salesforce half of a seeded world, as stored records: written straight to the store, so no change events. */
import { INTEGRATION_USER_ID } from '../salesforce/ids';
import type { RecordStore } from '../salesforce/store';
import type { RecordData } from '../salesforce/values';
import { generateWorld, type SeedOptions, type SeedSalesforceRecord } from './world';

function toRecord(seed: SeedSalesforceRecord): RecordData {
  const p = seed.project;
  return {
    Id: seed.id,
    OwnerId: INTEGRATION_USER_ID,
    IsDeleted: seed.deleted,
    Name: p.name,
    CreatedDate: p.modifiedAt,
    CreatedById: INTEGRATION_USER_ID,
    LastModifiedDate: p.modifiedAt,
    LastModifiedById: INTEGRATION_USER_ID,
    SystemModstamp: p.modifiedAt,
    Project_Number__c: p.projectNumber,
    Project_Type__c: p.projectType,
    Stage__c: p.stage,
    Street__c: p.street,
    City__c: p.city,
    State_Code__c: p.stateCode,
    Postal_Code__c: p.postalCode,
    Country_Code__c: p.countryCode,
    Start_Date__c: p.startDate,
    Completion_Date__c: p.completionDate,
    Estimated_Value__c: p.estimatedValue,
    Description__c: p.description,
    Active__c: p.active,
    Procore_ID__c: seed.procoreId === null ? null : String(seed.procoreId),
  };
}

/**
 * Fills an empty org with the seeded world's records. An org that already holds records (a data file from an
 * earlier run) is left as it is: seeding is for the first start, and must never overwrite someone's changes.
 * Returns how many records it wrote.
 */
export function seedSalesforceStore(store: RecordStore, options: SeedOptions): number {
  if (store.all(true).length > 0) return 0;
  const world = generateWorld(options);
  store.load({ nextRecordNumber: world.salesforce.length + 1, records: world.salesforce.map(toRecord) });
  return world.salesforce.length;
}
