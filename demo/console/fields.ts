/**
 * The fields a person edits on each side, with the values each system offers for its pick lists, both from the
 * mapping's lookups (Salesforce's picklist values, and the Procore ids they stand for).
 */
import { projectMapping } from '../../mappings';
import type { ProcoreProject, SalesforceRecord } from './sources';

export interface FormField {
  name: string;
  label: string;
  kind: 'text' | 'date' | 'number' | 'select';
  /** Select values are sent as numbers when true (Procore ids). */
  numeric?: boolean;
  required?: boolean;
  options?: ReadonlyArray<{ value: string; label: string }>;
}

export type FormValues = Record<string, string | number | null>;

function picklist(lookup: string): FormField['options'] {
  return (projectMapping.lookups[lookup] ?? []).map((row) => ({ value: row.salesforce, label: row.salesforce }));
}

function references(lookup: string): FormField['options'] {
  return (projectMapping.lookups[lookup] ?? []).map((row) => ({ value: String(row.procore), label: row.salesforce }));
}

export const SALESFORCE_FIELDS: readonly FormField[] = [
  { name: 'Name', label: 'Project name', kind: 'text', required: true },
  { name: 'Project_Number__c', label: 'Project number', kind: 'text' },
  { name: 'Project_Type__c', label: 'Project type', kind: 'select', options: picklist('projectTypes') },
  { name: 'Stage__c', label: 'Stage', kind: 'select', options: picklist('projectStages') },
  { name: 'City__c', label: 'City', kind: 'text' },
  { name: 'Start_Date__c', label: 'Start date', kind: 'date' },
  { name: 'Estimated_Value__c', label: 'Estimated value', kind: 'number' },
  { name: 'Description__c', label: 'Description', kind: 'text' },
];

export const PROCORE_FIELDS: readonly FormField[] = [
  { name: 'name', label: 'Name', kind: 'text', required: true },
  { name: 'project_number', label: 'Project number', kind: 'text' },
  {
    name: 'project_type_id',
    label: 'Project type',
    kind: 'select',
    numeric: true,
    options: references('projectTypes'),
  },
  { name: 'project_stage_id', label: 'Stage', kind: 'select', numeric: true, options: references('projectStages') },
  { name: 'city', label: 'City', kind: 'text' },
  { name: 'start_date', label: 'Start date', kind: 'date' },
  { name: 'total_value', label: 'Total value', kind: 'number' },
  { name: 'description', label: 'Description', kind: 'text' },
];

/** What the Salesforce form shows when a record is opened for editing. */
export function salesforceFormValues(record: SalesforceRecord): FormValues {
  const values: FormValues = {};
  const fields = record as unknown as Record<string, unknown>;
  for (const field of SALESFORCE_FIELDS) {
    const value = fields[field.name];
    values[field.name] = typeof value === 'string' || typeof value === 'number' ? value : null;
  }
  return values;
}

/** Procore shows types and stages as objects but takes them back as ids. */
export function procoreFormValues(project: ProcoreProject): FormValues {
  return {
    name: project.name,
    project_number: project.project_number ?? null,
    project_type_id: project.project_type?.id ?? null,
    project_stage_id: project.project_stage?.id ?? null,
    city: project.city ?? null,
    start_date: project.start_date ?? null,
    total_value: project.total_value ?? null,
    description: project.description ?? null,
  };
}
