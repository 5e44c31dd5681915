/**
 * What creating and linking one project costs Temporal and the worker, counted in the histories of a sample of
 * linked projects (their ProjectSync and their router): workflow tasks, activities, local activities, signals and
 * child starts. Counted before any edit, so it is the creation path alone; counts do not depend on the machine's load.
 */
import type { Client } from '@temporalio/client';
import { procoreRouterWorkflowId } from '../../workflows/procore-router/procore-router';
import { projectSyncWorkflowId } from '../../workflows/project-sync/messages';
import { boundedMap, type LinkedProject } from './console-user';

export interface LinkCost {
  /** Projects whose histories were counted. */
  sampled: number;
  /** Means per project, ProjectSync and router together. */
  workflowTasks: number;
  activities: number;
  localActivities: number;
  signals: number;
  childStarts: number;
  historyEvents: number;
  /** Activities per project by name, e.g. { readSalesforceProject: 1, … }. */
  activitiesByName: Record<string, number>;
}

/** Totals over the sample, as LinkCost has them per project. */
interface Counts extends Omit<LinkCost, 'sampled' | 'activitiesByName'> {
  byName: Map<string, number>;
}

async function count(client: Client, workflowId: string, into: Counts): Promise<void> {
  const history = await client.workflow
    .getHandle(workflowId)
    .fetchHistory()
    .catch(() => undefined);
  for (const event of history?.events ?? []) {
    into.historyEvents++;
    if (event.workflowTaskCompletedEventAttributes) into.workflowTasks++;
    if (event.workflowExecutionSignaledEventAttributes) into.signals++;
    if (event.startChildWorkflowExecutionInitiatedEventAttributes) into.childStarts++;
    if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity') into.localActivities++;
    const name = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (name) {
      into.activities++;
      into.byName.set(name, (into.byName.get(name) ?? 0) + 1);
    }
  }
}

export async function linkCost(client: Client, projects: LinkedProject[], sample = 20): Promise<LinkCost> {
  const picked = projects.slice(0, sample);
  const counts: Counts = {
    workflowTasks: 0,
    activities: 0,
    localActivities: 0,
    signals: 0,
    childStarts: 0,
    historyEvents: 0,
    byName: new Map(),
  };
  await boundedMap(picked.length, 4, async (i) => {
    const project = picked[i]!;
    await count(client, projectSyncWorkflowId(project.salesforceId), counts);
    await count(client, procoreRouterWorkflowId(String(project.procoreId)), counts);
  });
  const n = Math.max(1, picked.length);
  const mean = (x: number) => Math.round((x / n) * 100) / 100;
  return {
    sampled: picked.length,
    workflowTasks: mean(counts.workflowTasks),
    activities: mean(counts.activities),
    localActivities: mean(counts.localActivities),
    signals: mean(counts.signals),
    childStarts: mean(counts.childStarts),
    historyEvents: mean(counts.historyEvents),
    activitiesByName: Object.fromEntries([...counts.byName].map(([name, x]) => [name, mean(x)])),
  };
}
