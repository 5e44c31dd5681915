/**
 * The sync rules as they were before the convergent patch (the unpatched branch of ProjectSync), driven against the
 * simulation. Kept so the regression cases can show each hole of issue 11 still fails on them.
 */
import type { ProcoreProjectRecord } from '../../../activities/procore/types';
import type { SalesforceProjectRecord } from '../../../activities/salesforce/types';
import type { CanonicalFields, RawFields } from '../../../mappings/types';
import type { QueuedChange } from '../../../workflows/project-sync/messages';
import type { ProjectSyncModel } from '../../../workflows/project-sync/model';

export interface LegacyIo {
  readSalesforce(id: string): Promise<SalesforceProjectRecord>;
  readProcore(id: string): Promise<ProcoreProjectRecord>;
  writeSalesforce(id: string, fields: RawFields, unmodifiedSince: null): Promise<unknown>;
  blindUpdateProcore(id: string, values: CanonicalFields): Promise<ProcoreProjectRecord>;
  now(): number;
}

export async function legacyBatch(model: ProjectSyncModel, batch: QueuedChange[], io: LegacyIo): Promise<void> {
  const reads = { procore: false };
  const { salesforceId } = model.state.link;
  const rereadProcore = async () => {
    const id = model.state.link.procoreProjectId;
    if (!id || reads.procore) return;
    reads.procore = true;
    const project = await io.readProcore(id);
    model.observeProcore(project.fields, project.updatedAt);
  };
  const rereadSalesforce = async () => {
    const record = await io.readSalesforce(salesforceId);
    model.observeSalesforce(record.fields, record.lastModifiedAt, true);
  };
  for (const item of batch) {
    if (item.kind === 'resync') {
      await rereadSalesforce();
      await rereadProcore();
      continue;
    }
    if (item.kind === 'salesforce') {
      if (model.isSalesforceEcho(item.change)) model.dropEcho();
      else model.observeSalesforce(item.change.fields, item.change.commitTimestamp, false);
    } else if (item.change.madeByTandem) model.dropEcho();
    else await rereadProcore();
    model.remember(item.change.eventId);
  }
  const procoreProjectId = model.state.link.procoreProjectId;
  const forProcore = model.pendingFor('procore');
  if (procoreProjectId && Object.keys(forProcore).length > 0) {
    const project = await io.blindUpdateProcore(procoreProjectId, forProcore);
    model.recordProcoreWrite(forProcore, project.fields, project.updatedAt, io.now());
  }
  if (model.needsSalesforceWrite()) {
    const forSalesforce = model.pendingFor('salesforce');
    await io.writeSalesforce(salesforceId, model.salesforceUpdateBody(forSalesforce), null);
    model.recordSalesforceWrite(forSalesforce, io.now());
  }
}
