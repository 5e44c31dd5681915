/**
 * The mapping as workflows receive it: data with a version, never code compiled into their bundle. The sync worker
 * serves the mapping it validated (lookups written by name resolved to ids) through the local activity
 * `currentMapping`; its answer is recorded in the workflow's history, so a replay uses the value recorded there.
 */
import type { ProjectMapping } from './types';

export interface VersionedMapping {
  /** A digest of the resolved, validated mapping: equal mappings have equal versions. */
  version: string;
  mapping: ProjectMapping;
}

/** Served by the sync worker on the workflow task queue (a local activity: no task queue hop, no rate cap). */
export interface MappingActivities {
  currentMapping(): Promise<VersionedMapping>;
}

/** The payload of ProjectSync's `mappingChanged` signal: the version the operator applied. */
export interface MappingChange {
  version: string;
}
