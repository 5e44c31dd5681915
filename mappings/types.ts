/** The shape of a mapping file. Plain types, so workflow code can use them without pulling in a validator. */

export type FieldType = 'text' | 'date' | 'decimal' | 'boolean' | 'lookup';
export type Direction = 'both' | 'salesforce-to-procore' | 'procore-to-salesforce';
export type Side = 'salesforce' | 'procore';

/** A Procore field that is read and written under different names (`project_type.id` vs `project_type_id`). */
export interface ProcorePath {
  read: string;
  write: string;
}

export interface FieldMapping {
  /** Canonical name, used in sync state, logs and the operator API. */
  name: string;
  salesforce: string;
  procore: string | ProcorePath;
  type: FieldType;
  /** Name of a table in `lookups`, for type `lookup`. */
  lookup?: string;
  direction: Direction;
}

export interface LookupRow {
  salesforce: string;
  procore: number;
}

export interface ProjectMapping {
  salesforceObject: string;
  fields: FieldMapping[];
  lookups: Record<string, LookupRow[]>;
}

/** A field value in canonical form: text, ISO date, number or boolean; null means empty. */
export type CanonicalValue = string | number | boolean | null;
export type CanonicalFields = Record<string, CanonicalValue>;

/** Raw field values as one system sends or accepts them. */
export type RawFields = Record<string, unknown>;
