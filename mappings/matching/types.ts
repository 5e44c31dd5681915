/** What a backfill compares and what it decides: plain JSON, so the plan can travel into a workflow. */
import type { CanonicalValue, ConflictPolicy, RawFields, Side } from '../types';

export interface SalesforceCandidate {
  id: string;
  deleted: boolean;
  /** `Procore_ID__c`, if set. */
  procoreId: string | null;
  /** LastModifiedDate, epoch ms. */
  modifiedAt: number;
  /** Raw REST field values. */
  fields: RawFields;
}

export interface ProcoreCandidate {
  id: string;
  originId: string | null;
  active: boolean;
  /** updated_at, epoch ms. */
  modifiedAt: number;
  /** The project as Procore shows it. */
  fields: RawFields;
}

export type LinkPolicy = ConflictPolicy;

export interface FieldDifference {
  field: string;
  salesforce: CanonicalValue;
  procore: CanonicalValue;
  winner: Side;
  /** Why that side wins: the field's direction, its policy, or the only side with a value. */
  reason: 'direction' | 'only-value' | LinkPolicy;
}

export interface PairToLink {
  salesforceId: string;
  procoreId: string;
  /** How the pair was found: one side's link field already names the other, or the match key. */
  by: 'salesforce-link' | 'procore-link' | 'match-key';
  key: string | null;
  writeSalesforceLink: boolean;
  writeProcoreLink: boolean;
  /** Modification times the plan saw: the values it decided on are only written if these still hold. */
  salesforceModifiedAt: number;
  procoreModifiedAt: number;
  differences: FieldDifference[];
}

export interface AmbiguousMatch {
  key: string;
  salesforceIds: string[];
  procoreIds: string[];
  reason: string;
}

export interface LinkProblem {
  salesforceId: string | null;
  procoreId: string | null;
  reason: string;
}

export interface BackfillPlan {
  matchKey: string;
  linked: Array<{ salesforceId: string; procoreId: string }>;
  toLink: PairToLink[];
  toCreateInProcore: Array<{ salesforceId: string; key: string | null }>;
  toCreateInSalesforce: Array<{ procoreId: string; key: string | null; active: boolean }>;
  ambiguous: AmbiguousMatch[];
  /** Link fields that contradict each other or name nothing: reported, left alone. */
  conflictingLinks: LinkProblem[];
  /** Procore projects linked to a deleted Salesforce record: left alone. */
  linkedToDeleted: Array<{ salesforceId: string; procoreId: string }>;
  counts: { salesforce: number; salesforceDeleted: number; procore: number; procoreInactive: number };
}
