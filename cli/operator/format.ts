/** A ProjectSync's state as an operator reads it in a terminal: one fact a line, nothing nested. */
import type { ProjectSyncView } from '../../workflows/project-sync/messages';

function ago(at: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 120) return `${seconds} s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}

function link(state: ProjectSyncView): string {
  const { procoreProjectId, writtenToSalesforce, ended, notCreatedInProcore } = state.link;
  if (ended) return `ended: Procore project ${procoreProjectId ?? '?'} was deleted in Procore`;
  if (notCreatedInProcore)
    return 'none: TANDEM_CREATE_IN_PROCORE is off (linked once Procore_ID__c names a project, or by tandem backfill)';
  if (!procoreProjectId) return 'not linked to a Procore project yet';
  return `Procore project ${procoreProjectId}${writtenToSalesforce ? '' : ' (Procore_ID__c not yet written to Salesforce)'}`;
}

function parked(state: ProjectSyncView): string {
  if (!state.parked) return 'no';
  const { code, message, field, at } = state.parked;
  return `${code}${field ? ` on ${field}` : ''}: ${message} (at ${new Date(at).toISOString()})`;
}

/** Syncs parked since the `heal-parked` patch try again by themselves; older ones wait for a change or a resync. */
function nextTry(state: ProjectSyncView): string {
  const { parked } = state;
  if (!parked) return 'not parked';
  if (parked.nextRetryAt === undefined) return 'on the next change or a resync';
  const why = parked.retryable ? 'the system was unavailable' : 'a value was rejected; re-checked periodically';
  return `${new Date(parked.nextRetryAt).toISOString()}, or at once on a change or a resync (tried again ${parked.retries ?? 0} times; ${why})`;
}

function pendingWrites(state: ProjectSyncView): string {
  const sides = Object.entries(state.pendingWrites).filter(([, fields]) => fields.length > 0);
  if (sides.length === 0) return 'none';
  return sides.map(([side, fields]) => `${side}: ${fields.join(', ')}`).join('; ');
}

export function formatSyncState(salesforceId: string, state: ProjectSyncView, now = Date.now()): string {
  const { stats } = state;
  const rows: Array<[string, string]> = [
    ['status', state.status],
    ['link', link(state)],
    ['parked', parked(state)],
    ['next try', nextTry(state)],
    ['pending writes', pendingWrites(state)],
    ['queued changes', String(state.queued)],
    [
      'last synced',
      state.lastSyncedAt ? `${new Date(state.lastSyncedAt).toISOString()} (${ago(state.lastSyncedAt, now)})` : 'never',
    ],
    [
      'events',
      `${stats.eventsApplied} applied, ${stats.echoesDropped} echoes dropped, ${stats.duplicatesDropped} duplicates dropped`,
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return (
    [`Salesforce ${salesforceId}`, ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`)].join('\n') +
    '\n'
  );
}
