/**
 * ProcoreProjectRouter: one small workflow per Procore project, keyed by the Procore id that webhooks carry.
 * It learns once which Salesforce record the project belongs to (its origin_id) and forwards each event to that
 * record's ProjectSync. Procore projects not linked to Salesforce are left alone, and the log says so.
 * The ingress can thus hand a webhook to Temporal without calling Procore first.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineSignal,
  getExternalWorkflowHandle,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ProcoreActivities } from '../../activities/procore/types';
import { procoreApiOptions } from '../activity-options';
import { parkReason } from '../failures';
import { procoreChanged, type ProcoreChange, projectSyncWorkflowId } from '../project-sync/messages';

const procore = proxyActivities<ProcoreActivities>(procoreApiOptions);

const SALESFORCE_ID = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;
const RECENT_EVENT_LIMIT = 200;

export interface ProcoreProjectRouterInput {
  procoreProjectId: string;
  carried?: { salesforceId: string | null; recentEventIds: string[]; queue: ProcoreChange[] };
}

/** Sent by ProjectSync when it links a Procore project, so the router never has to read origin_id itself. */
export const linkKnown = defineSignal<[string]>('linkKnown');

export function procoreRouterWorkflowId(procoreProjectId: string): string {
  return `procore-project-${procoreProjectId}`;
}

export async function procoreProjectRouter(input: ProcoreProjectRouterInput): Promise<void> {
  const { procoreProjectId } = input;
  let salesforceId = input.carried?.salesforceId ?? null;
  const recentEventIds = [...(input.carried?.recentEventIds ?? [])];
  const queue = [...(input.carried?.queue ?? [])];

  setHandler(linkKnown, (id) => {
    if (!salesforceId && typeof id === 'string' && SALESFORCE_ID.test(id)) salesforceId = id;
  });
  setHandler(procoreChanged, (change) => {
    if (recentEventIds.includes(change.eventId) || queue.some((q) => q.eventId === change.eventId)) return;
    queue.push(change);
  });

  const remember = (eventId: string) => {
    recentEventIds.push(eventId);
    if (recentEventIds.length > RECENT_EVENT_LIMIT) recentEventIds.shift();
  };

  /** The Salesforce id this project is linked to, read from Procore's origin_id the first time it is needed. */
  async function resolveLink(change: ProcoreChange): Promise<string | null> {
    if (salesforceId) return salesforceId;
    // Tandem's own create of this project: the ProjectSync already knows the link.
    if (change.madeByTandem) return null;
    try {
      const project = await procore.readProcoreProject(procoreProjectId);
      if (project.originId && SALESFORCE_ID.test(project.originId)) return (salesforceId = project.originId);
      log.info('Procore project is not linked to Salesforce (no Salesforce id in origin_id); left alone', {
        procoreProjectId,
        originId: project.originId,
      });
    } catch (err) {
      const reason = parkReason(err);
      if (!reason) throw err;
      log.warn('Could not read the Procore project to route its event; dropped', { procoreProjectId, ...reason });
    }
    return null;
  }

  const canContinueAsNew = () => workflowInfo().continueAsNewSuggested && allHandlersFinished();
  for (;;) {
    await condition(() => queue.length > 0 || canContinueAsNew());
    const change = queue.shift();
    if (!change) break;
    const target = await resolveLink(change);
    remember(change.eventId);
    if (!target) continue;
    try {
      await getExternalWorkflowHandle(projectSyncWorkflowId(target)).signal(procoreChanged, change);
    } catch (err) {
      log.warn('No ProjectSync runs for the Salesforce record in origin_id; event left alone', {
        procoreProjectId,
        salesforceId: target,
        error: String(err),
      });
    }
  }
  await continueAsNew<typeof procoreProjectRouter>({
    procoreProjectId,
    carried: { salesforceId, recentEventIds, queue },
  });
}
