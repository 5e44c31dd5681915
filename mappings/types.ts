/** The shape of a mapping file. Plain types, so workflow code can use them without pulling in a validator. */

export type FieldType = 'text' | 'date' | 'decimal' | 'boolean' | 'lookup';
export type Direction = 'both' | 'salesforce-to-procore' | 'procore-to-salesforce';
export type Side = 'salesforce' | 'procore';

/**
 * Who wins when both systems changed a field since Tandem last synced it: one system always, or the later change by
 * each system's own clock (within the clock tolerance, Salesforce).
 */
export type ConflictPolicy = 'salesforce-wins' | 'procore-wins' | 'latest';
export const CONFLICT_POLICIES: readonly ConflictPolicy[] = ['salesforce-wins', 'procore-wins', 'latest'];
/** Used for fields that name no policy and mappings that set no default. */
export const DEFAULT_CONFLICT_POLICY: ConflictPolicy = 'latest';

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
  /** Overrides the mapping's `conflictPolicy` for this field. */
  conflict?: ConflictPolicy;
}

export interface LookupRow {
  salesforce: string;
  procore: number;
}

export interface ProjectMapping {
  salesforceObject: string;
  /** The conflict policy of fields that name none; `latest` if absent. */
  conflictPolicy?: ConflictPolicy;
  fields: FieldMapping[];
  lookups: Record<string, LookupRow[]>;
}

/** A field value in canonical form: text, ISO date, number or boolean; null means empty. */
export type CanonicalValue = string | number | boolean | null;
export type CanonicalFields = Record<string, CanonicalValue>;

/** Raw field values as one system sends or accepts them. */
export type RawFields = Record<string, unknown>;
