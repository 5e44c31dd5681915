/**
 * Shape checks for what signals carry. A handler must not throw on bad input (a plain error there fails the
 * workflow task again and again), so bad messages are logged and dropped instead.
 */
import type { MappingChange } from '../../mappings/versioned';
import { SALESFORCE_CHANGE_TYPES, type ProcoreChange, type ResyncRequest, type SalesforceChange } from './messages';

const CHANGE_TYPES = new Set<string>(SALESFORCE_CHANGE_TYPES);
const PROCORE_EVENT_TYPES = new Set(['create', 'update', 'delete']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isSalesforceChange(value: unknown): value is SalesforceChange {
  return (
    isRecord(value) &&
    typeof value.eventId === 'string' &&
    CHANGE_TYPES.has(value.changeType as string) &&
    typeof value.commitTimestamp === 'number' &&
    typeof value.madeByTandem === 'boolean' &&
    isRecord(value.fields)
  );
}

export function isProcoreChange(value: unknown): value is ProcoreChange {
  return (
    isRecord(value) &&
    typeof value.eventId === 'string' &&
    PROCORE_EVENT_TYPES.has(value.eventType as string) &&
    typeof value.procoreProjectId === 'string' &&
    /^\d+$/.test(value.procoreProjectId) &&
    typeof value.madeByTandem === 'boolean'
  );
}

export function isResyncRequest(value: unknown): value is ResyncRequest {
  return (
    isRecord(value) &&
    typeof value.reason === 'string' &&
    (value.procore === undefined || isProjectRecord(value.procore))
  );
}

function isProjectRecord(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    /^\d+$/.test(value.id) &&
    typeof value.updatedAt === 'number' &&
    isRecord(value.fields)
  );
}

export function isMappingChange(value: unknown): value is MappingChange {
  return isRecord(value) && typeof value.version === 'string' && value.version.length > 0;
}
