/**
 * ProcoreProjectRouter: one small workflow per Procore project, keyed by the Procore id that webhooks carry.
 * It learns once which Salesforce record the project belongs to (its origin_id) and forwards each event to that
 * record's ProjectSync. A project born in Procore (no origin_id) first gets its Salesforce record
 * (adopt-procore-project.ts), unless that is switched off: then it is left alone, the log says so, and the router ends
 * once idle, so that the next event starts one under the setting then in force.
 * A project Procore does not have (a stale event of a deleted project, or an id that never existed) has nothing to
 * route: its read answers 404 once, that event and every later one are dropped unread (logged and counted), and the
 * router ends once idle. Any other answer that cannot change drops its event; only an answer that can change waits.
 * The ingress can thus hand a webhook to Temporal without calling Procore first.
 */
import {
  allHandlersFinished,
  condition,
  defineQuery,
  defineSignal,
  getExternalWorkflowHandle,
  log,
  ParentClosePolicy,
  proxyActivities,
  proxySinks,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { ProcoreActivities } from '../../activities/procore/types';
import { errors } from '../../common/errors';
import { toSalesforceId18 } from '../../common/salesforce-id';
import { procoreApiOptions } from '../activity-options';
import { parkReason, type ParkReason } from '../failures';
import { procoreChanged, type ProcoreChange, projectSyncWorkflowId } from '../project-sync/messages';
import { isProcoreChange } from '../project-sync/validate';
import { rememberEvent } from '../recent-events';
import type { SyncSinks } from '../sinks';
import { acceptVersionChecks, continueAsNewOnTarget, targetVersionMoved } from '../versioning';
import { routeUnlinkedProject } from './adopt-procore-project';

const procore = proxyActivities<ProcoreActivities>(procoreApiOptions);
const { syncMetrics } = proxySinks<SyncSinks>();

const RECENT_EVENT_LIMIT = 200;
/** How long to wait before handing an event on again when its ProjectSync could be neither signalled nor started. */
const REDELIVERY_DELAY = '10 seconds';
/** Procore could not be read to learn the link: the event waits, it is not dropped. */
const UNREACHABLE = Symbol('unreachable');
/** Procore answered that it cannot give the project, and asking again would get the same answer: the event is dropped. */
const REFUSED = Symbol('refused');

/**
 * Whether an answer to the router's read cannot change: asking again would cost another call for the same answer.
 * A failed login is the exception: the operator fixes the credentials, and the event then goes through.
 */
function cannotChange(reason: ParkReason): boolean {
  return !reason.retryable && reason.code !== errors.PROCORE_AUTH_FAILED.code;
}

export interface ProcoreProjectRouterInput {
  procoreProjectId: string;
  carried?: { salesforceId: string | null; recentEventIds: string[]; queue: ProcoreChange[] };
  /** TANDEM_CREATE_IN_SALESFORCE, from whoever started the router (the ingress); absent counts as off. */
  createInSalesforce?: boolean;
}

/** Sent by ProjectSync when it links a Procore project, so the router never has to read origin_id itself. */
export const linkKnown = defineSignal<[string]>('linkKnown');

/** The Salesforce record the router forwards to, null while it does not know: the ingress asks, to skip the hop. */
export const routedToQuery = defineQuery<string | null>('routedTo');

export function procoreRouterWorkflowId(procoreProjectId: string): string {
  return `procore-project-${procoreProjectId}`;
}

/**
 * Signals the record's ProjectSync; if none runs (terminated, never started, another namespace before), starts one
 * and signals it. Returns whether the event was handed over.
 */
async function deliver(salesforceId: string, change: ProcoreChange): Promise<boolean> {
  const workflowId = projectSyncWorkflowId(salesforceId);
  try {
    await getExternalWorkflowHandle(workflowId).signal(procoreChanged, change);
    return true;
  } catch (err) {
    log.info('No ProjectSync runs for the record; starting one', { salesforceId, error: String(err) });
  }
  try {
    // By name: importing the workflow function would make the two workflow modules import each other.
    await startChild('projectSync', {
      workflowId,
      args: [{ salesforceId }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  try {
    await getExternalWorkflowHandle(workflowId).signal(procoreChanged, change);
    return true;
  } catch (err) {
    log.warn('Could not hand the Procore event to its ProjectSync; trying again shortly', {
      salesforceId,
      error: String(err),
    });
    return false;
  }
}

export async function procoreProjectRouter(input: ProcoreProjectRouterInput): Promise<void> {
  const { procoreProjectId } = input;
  let salesforceId = input.carried?.salesforceId ?? null;
  const recentEventIds = [...(input.carried?.recentEventIds ?? [])];
  const queue = [...(input.carried?.queue ?? [])];
  /** Set when an unlinked project was left alone because creation is off. */
  let endWhenIdle = false;
  /** Set when Procore answered that the project does not exist: later events are dropped without another read. */
  let notFound: ParkReason | null = null;

  acceptVersionChecks();
  setHandler(routedToQuery, () => salesforceId);
  setHandler(linkKnown, (id) => {
    salesforceId ??= toSalesforceId18(id);
  });
  setHandler(procoreChanged, (change) => {
    // A throwing handler would fail the workflow task again and again: bad input is logged and dropped.
    if (!isProcoreChange(change))
      return log.warn('Malformed signal dropped', { signal: 'procoreChanged', payload: change });
    if (recentEventIds.includes(change.eventId) || queue.some((q) => q.eventId === change.eventId)) return;
    queue.push(change);
  });

  const remember = (eventId: string) => rememberEvent(recentEventIds, eventId, RECENT_EVENT_LIMIT);

  /** An event about a project Procore does not have: nothing to route it to, and no reason to ask again. */
  function dropNotFound(change: ProcoreChange, reason: ParkReason): typeof REFUSED {
    log.warn('Procore has no such project: its event is dropped, and the router ends once idle', {
      procoreProjectId,
      eventId: change.eventId,
      eventType: change.eventType,
      code: reason.code,
    });
    syncMetrics.dropped('procore_project_not_found');
    return REFUSED;
  }

  /** The Salesforce id this project is linked to, read from Procore's origin_id the first time it is needed. */
  async function resolveLink(change: ProcoreChange): Promise<string | null | typeof UNREACHABLE | typeof REFUSED> {
    if (salesforceId) return salesforceId;
    // Tandem's own create of this project: the ProjectSync already knows the link.
    if (change.madeByTandem) return null;
    if (notFound) return dropNotFound(change, notFound);
    try {
      const project = await procore.readProcoreProject(procoreProjectId);
      const linked = toSalesforceId18(project.originId);
      if (linked) return (salesforceId = linked);
      const route = await routeUnlinkedProject(project, change, input.createInSalesforce === true);
      if (route === 'unreachable') return UNREACHABLE;
      endWhenIdle ||= route === 'creation-off';
      return typeof route === 'object' ? (salesforceId = route.salesforceId) : null;
    } catch (err) {
      const reason = parkReason(err);
      if (!reason) throw err;
      if (reason.code === errors.PROCORE_PROJECT_NOT_FOUND.code) return dropNotFound(change, (notFound = reason));
      if (cannotChange(reason)) {
        log.warn('Procore refused to read the project, and would again: its event is dropped', {
          procoreProjectId,
          eventId: change.eventId,
          ...reason,
        });
        syncMetrics.dropped('procore_read_refused');
        return REFUSED;
      }
      log.warn('Could not read the Procore project to route its event; trying again shortly', {
        procoreProjectId,
        ...reason,
      });
      return UNREACHABLE;
    }
  }

  // A new target version is reached by continuing as new (workflows/versioning.ts).
  const canContinueAsNew = () =>
    (workflowInfo().continueAsNewSuggested || targetVersionMoved()) && allHandlersFinished();
  const ended = () =>
    (endWhenIdle || notFound !== null) && salesforceId === null && queue.length === 0 && allHandlersFinished();
  for (;;) {
    await condition(() => queue.length > 0 || canContinueAsNew() || ended());
    if (ended()) return;
    const change = queue[0];
    if (!change) break;
    const target = await resolveLink(change);
    if (target === UNREACHABLE) {
      await sleep(REDELIVERY_DELAY);
      continue;
    }
    if (target === REFUSED) {
      queue.shift();
      remember(change.eventId);
      continue;
    }
    // The event leaves the queue only once its ProjectSync holds it.
    if (target && !(await deliver(target, change))) {
      await sleep(REDELIVERY_DELAY);
      continue;
    }
    queue.shift();
    remember(change.eventId);
  }
  await continueAsNewOnTarget<typeof procoreProjectRouter>({
    procoreProjectId,
    carried: { salesforceId, recentEventIds, queue },
    createInSalesforce: input.createInSalesforce,
  });
}
