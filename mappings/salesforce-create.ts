/**
 * The Salesforce fields of a new record for a project born in Procore: every field that flows from Procore, as the
 * mapping converts it. Pure: the Salesforce activity that creates the record calls it with the worker's mapping.
 */
import { flowsFrom, fromProcore, toSalesforce } from './project-mapping';
import type { ProjectMapping, RawFields } from './types';

export interface SalesforceCreateValues {
  values: RawFields;
  /** Canonical names of fields whose Procore value the mapping cannot translate: left empty for the sync to report. */
  untranslatable: string[];
}

export function salesforceValuesForProcoreProject(mapping: ProjectMapping, project: RawFields): SalesforceCreateValues {
  const values: RawFields = {};
  const untranslatable: string[] = [];
  for (const field of mapping.fields) {
    if (!flowsFrom(field, 'procore')) continue;
    // One field at a time: an unknown lookup id leaves that field empty rather than the project without a record.
    const single = { ...mapping, fields: [field] };
    try {
      const canonical = fromProcore(single, project);
      // Empty values are left out, so that Salesforce's own defaults apply.
      if (canonical[field.name] === null) continue;
      Object.assign(values, toSalesforce(single, canonical));
    } catch {
      untranslatable.push(field.name);
    }
  }
  return { values, untranslatable };
}
