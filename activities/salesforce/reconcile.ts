/**
 * The Salesforce sweep of the reconciliation, through the replication API (`getUpdated`/`getDeleted`): the records
 * changed or deleted since the previous sweep's latestDateCovered, which CDC may have missed (an outage longer than
 * its 72-hour retention, a subscriber that lost events). A record is handed to its ProjectSync, as a gap event
 * (which makes it read the record), only when the sync has not seen that state: an unchanged org signals nothing.
 *
 * The replication API counts whole minutes and leaves out the running one, so a change is seen once its minute is
 * over; each sweep re-covers the last full minute, which costs nothing when nothing differs.
 */
import { Context } from '@temporalio/activity';
import type { Connection } from 'jsforce';
import { toApplicationFailure } from '../../common/errors';
import { reconcileDifferences, reconcilePagesRead, reconcileProjectsRead, reconcileSweeps } from '../../common/metrics';
import type { SalesforceChange } from './types';
import {
  type SalesforceSweepInput,
  type SalesforceSweepResult,
  type SyncViewAnswer,
  type SyncViews,
} from '../sweeps/types';
import { syncMissed } from '../sweeps/sync-missed';
import type { SalesforceHandoff } from './cdc/follow-changes';
import { classifySalesforceError } from './failures';
import { parseSalesforceDateTime } from './project-activities';
import type { SalesforceSession } from './session';

const SOBJECT = 'Project__c';
const MINUTE_MS = 60_000;
/** The replication API answers for the last 30 days; a little less, so a slow call is not refused. */
const REACH_MS = 30 * 24 * 60 * MINUTE_MS - 5 * MINUTE_MS;
/** Ids per query: short enough for a GET URL. */
const IDS_PER_QUERY = 200;
/** Records whose syncs' views are asked for together. */
const VIEWS_AT_ONCE = 100;

interface Stamped {
  id: string;
  changedAt: number;
  deleted: boolean;
}

export function salesforceReconcileEventId(salesforceId: string, changedAt: number, deleted: boolean): string {
  return `reconcile:sf:${salesforceId}:${deleted ? 'deleted' : 'updated'}:${changedAt}`;
}

/** The window to ask for: from the cursor (or the look-back), never shorter than the API's one minute. */
export function sweepWindow(input: SalesforceSweepInput, now: number): { start: number; end: number } {
  const lastFullMinute = Math.floor(now / MINUTE_MS) * MINUTE_MS - MINUTE_MS;
  const wanted = input.full ? now - REACH_MS : (input.since ?? now - input.firstLookbackMs);
  return { start: Math.max(now - REACH_MS, Math.min(wanted, lastFullMinute)), end: now };
}

/** The changed records' LastModifiedDate (queryAll: one deleted since the window is seen as deleted). */
async function stampsOf(conn: Connection, ids: string[], counts: { pagesRead: number }): Promise<Stamped[]> {
  const out: Stamped[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const list = ids
      .slice(i, i + IDS_PER_QUERY)
      .map((id) => `'${id}'`)
      .join(',');
    const result = await conn.query<{ Id: string; LastModifiedDate: string; IsDeleted: boolean }>(
      `SELECT Id, LastModifiedDate, IsDeleted FROM ${SOBJECT} WHERE Id IN (${list})`,
      { scanAll: true },
    );
    counts.pagesRead++;
    reconcilePagesRead.inc({ system: 'salesforce' });
    for (const r of result.records)
      out.push({ id: r.Id, changedAt: parseSalesforceDateTime(r.LastModifiedDate), deleted: r.IsDeleted === true });
  }
  return out;
}

/** Whether the record's sync has not seen this state of it; a record deleted before any sync has nothing to end. */
function missed(record: Stamped, view: SyncViewAnswer): boolean {
  if (record.deleted && !view) return false;
  return syncMissed(view, 'salesforce', record.changedAt, record.deleted);
}

function gapEvent(record: Stamped): SalesforceChange {
  return {
    eventId: salesforceReconcileEventId(record.id, record.changedAt, record.deleted),
    changeType: record.deleted ? 'GAP_DELETE' : 'GAP_UPDATE',
    commitTimestamp: record.changedAt,
    madeByTandem: false,
    // A gap event carries no values: the ProjectSync reads the record.
    fields: {},
  };
}

export function createSalesforceReconcileActivities(
  session: SalesforceSession,
  handoff: Pick<SalesforceHandoff, 'salesforceChange'>,
  views: SyncViews,
) {
  return {
    async sweepSalesforceProjects(input: SalesforceSweepInput): Promise<SalesforceSweepResult> {
      const counts = { pagesRead: 0, projectsRead: 0, differences: 0 };
      try {
        const conn = await session.connection();
        const { start, end } = sweepWindow(input, Date.now());
        const [updated, deleted] = await Promise.all([
          conn.sobject(SOBJECT).updated(new Date(start), new Date(end)),
          conn.sobject(SOBJECT).deleted(new Date(start), new Date(end)),
        ]);
        counts.pagesRead += 2;
        reconcilePagesRead.inc({ system: 'salesforce' }, 2);
        const records: Stamped[] = [
          ...(await stampsOf(conn, updated.ids, counts)),
          ...deleted.deletedRecords.map((r) => ({
            id: r.id,
            changedAt: parseSalesforceDateTime(r.deletedDate),
            deleted: true,
          })),
        ];
        counts.projectsRead = records.length;
        reconcileProjectsRead.inc({ system: 'salesforce' }, records.length);
        const handed = new Set<string>();
        for (let i = 0; i < records.length; i += VIEWS_AT_ONCE) {
          const page = records.slice(i, i + VIEWS_AT_ONCE);
          Context.current().heartbeat({ record: page[0]?.id });
          const listed = await views.views(page.map((record) => record.id));
          for (const record of page) {
            if (handed.has(record.id)) continue;
            const seen = listed.get(record.id);
            if (seen && !missed(record, seen)) continue;
            if (!missed(record, await views.view(record.id))) continue;
            await handoff.salesforceChange(record.id, gapEvent(record));
            handed.add(record.id);
            counts.differences++;
            reconcileDifferences.inc({ system: 'salesforce' });
          }
        }
        reconcileSweeps.inc({ system: 'salesforce' });
        Context.current().log.info('Salesforce sweep done', { start: new Date(start).toISOString(), ...counts });
        const covered = Math.min(
          parseSalesforceDateTime(updated.latestDateCovered),
          parseSalesforceDateTime(deleted.latestDateCovered),
        );
        return { cursor: covered, ...counts };
      } catch (err) {
        throw toApplicationFailure(classifySalesforceError(err, SOBJECT));
      }
    },
  };
}
