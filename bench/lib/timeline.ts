/**
 * Where a change's time goes inside Temporal, read from the workflow histories' event timestamps: for a sample of
 * measured changes, the milestones from the edit's commit to its arrival on the other side (the signal, workflow
 * tasks, the coalescing timer, each activity's scheduling, start and completion), averaged per direction.
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { procoreRouterWorkflowId } from '../../workflows/procore-router/procore-router';
import { projectSyncWorkflowId } from '../../workflows/project-sync/messages';
import type { LinkedProject } from './console-user';
import type { Direction } from './systems';
import type { ChangeSample } from './tracker';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

interface Milestone {
  label: string;
  at: number;
}

export interface Stage {
  /** `from → to`, the two milestones. */
  stage: string;
  meanMs: number;
  samples: number;
}

export type Timeline = Record<Direction, Stage[]>;

/** One change's milestones, each as milliseconds after its edit's commit: what an outlier spent its time on. */
export interface SlowChange {
  direction: Direction;
  latencyMs: number;
  salesforceId: string;
  milestones: Array<{ label: string; afterMs: number }>;
}

const timeOf = (event: HistoryEvent): number =>
  Number(event.eventTime?.seconds ?? 0) * 1000 + (event.eventTime?.nanos ?? 0) / 1e6;

/** Walks a history forwards from a point, each step finding the next event that matches. */
class HistoryCursor {
  private index = 0;
  readonly milestones: Milestone[] = [];

  constructor(private readonly events: HistoryEvent[]) {}

  /** Moves to the first matching event at or after `fromMs`; false if there is none. */
  seek(fromMs: number, match: (e: HistoryEvent) => boolean): boolean {
    const i = this.events.findIndex((e, n) => n >= this.index && timeOf(e) >= fromMs && match(e));
    if (i < 0) return false;
    this.index = i;
    return true;
  }

  /** Records the next matching event as a milestone; false (and nothing recorded) if there is none. */
  mark(label: string, match: (e: HistoryEvent) => boolean): HistoryEvent | undefined {
    const i = this.events.findIndex((e, n) => n >= this.index && match(e));
    if (i < 0) return undefined;
    this.index = i;
    this.milestones.push({ label, at: timeOf(this.events[i]!) });
    return this.events[i];
  }

  /** An activity's scheduling, start and completion. */
  activity(name: string): void {
    const scheduled = this.mark(
      `${name} scheduled`,
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === name,
    );
    if (!scheduled) return;
    const id = Number(scheduled.eventId);
    this.mark(`${name} started`, (e) => Number(e.activityTaskStartedEventAttributes?.scheduledEventId) === id);
    this.mark(`${name} completed`, (e) => Number(e.activityTaskCompletedEventAttributes?.scheduledEventId) === id);
  }
}

const signaled = (name: string) => (e: HistoryEvent) => e.workflowExecutionSignaledEventAttributes?.signalName === name;
const workflowTaskStarted = (e: HistoryEvent) => Boolean(e.workflowTaskStartedEventAttributes);

/** Signal (handed over), the workflow task that takes it, the coalescing timer: what every ProjectSync batch does. */
function syncBatch(cursor: HistoryCursor, signal: string, activities: string[]): void {
  cursor.mark(`ProjectSync signaled (${signal})`, signaled(signal));
  cursor.mark('ProjectSync workflow task started', workflowTaskStarted);
  cursor.mark('coalescing timer started', (e) => Boolean(e.timerStartedEventAttributes));
  cursor.mark('coalescing timer fired', (e) => Boolean(e.timerFiredEventAttributes));
  for (const name of activities) cursor.activity(name);
}

async function historyOf(client: Client, workflowId: string): Promise<HistoryEvent[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return history.events ?? [];
}

/** Clock skew allowance: the console's answer (the commit time used) comes a moment after the commit itself. */
const SLACK_MS = 50;

async function milestonesOf(client: Client, sample: ChangeSample, project: LinkedProject): Promise<Milestone[]> {
  const from = sample.committedAt - SLACK_MS;
  const sync = new HistoryCursor(await historyOf(client, projectSyncWorkflowId(project.salesforceId)));
  let routed: Milestone[] = [];
  if (sample.direction === 'salesforceToProcore') {
    if (!sync.seek(from, signaled('salesforceChanged'))) return [];
    syncBatch(sync, 'salesforceChanged', [
      'readSalesforceProject',
      'updateProcoreProjectIfUnchanged',
      'overwriteProcoreProject',
    ]);
  } else {
    // A change the ingress handed straight to the ProjectSync (it knew the link) never reached the router.
    const router = new HistoryCursor(await historyOf(client, procoreRouterWorkflowId(String(project.procoreId))));
    if (router.seek(from, signaled('procoreChanged'))) {
      router.mark('router signaled (webhook handed over)', signaled('procoreChanged'));
      router.mark('router workflow task started', workflowTaskStarted);
      // Only the first event of a project: the router reads origin_id once to learn the link.
      router.activity('readProcoreProject');
      router.mark('router signal to ProjectSync initiated', (e) =>
        Boolean(e.signalExternalWorkflowExecutionInitiatedEventAttributes),
      );
      routed = router.milestones;
    }
    if (!sync.seek(from, signaled('procoreChanged'))) return [];
    syncBatch(sync, 'procoreChanged', ['readProcoreProject', 'updateSalesforceProjectIfUnmodified']);
  }
  return [
    { label: 'edit committed', at: sample.committedAt },
    ...routed,
    ...sync.milestones,
    { label: 'value seen on the other side', at: sample.observedAt },
  ].sort((a, b) => a.at - b.at);
}

const shapeOf = (run: Milestone[]) => run.map((m) => m.label).join('|');

/** Averages consecutive milestone gaps over the samples that share the most common milestone sequence. */
function stagesOf(runs: Milestone[][]): Stage[] {
  const complete = runs.filter((r) => r.length > 2);
  const counts = new Map<string, number>();
  for (const run of complete) counts.set(shapeOf(run), (counts.get(shapeOf(run)) ?? 0) + 1);
  const shape = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const alike = complete.filter((r) => shapeOf(r) === shape);
  if (alike.length === 0) return [];
  return alike[0]!.slice(1).map((m, i) => {
    const gaps = alike.map((r) => r[i + 1]!.at - r[i]!.at);
    return {
      stage: `${alike[0]![i]!.label} → ${m.label}`,
      meanMs: Math.round((gaps.reduce((s, g) => s + g, 0) / gaps.length) * 10) / 10,
      samples: alike.length,
    };
  });
}

export async function timelineOf(
  client: Client,
  samples: ChangeSample[],
  projects: LinkedProject[],
  perDirection = 10,
): Promise<Timeline> {
  const pick = (direction: Direction) => {
    const of = samples.filter((s) => s.direction === direction);
    // From the middle of the window: past the start-up, before the tail.
    const start = Math.max(0, Math.floor(of.length / 2) - Math.floor(perDirection / 2));
    return of.slice(start, start + perDirection);
  };
  const timeline = {} as Timeline;
  for (const direction of ['salesforceToProcore', 'procoreToSalesforce'] as const) {
    const runs = await Promise.all(
      pick(direction).map((s) => milestonesOf(client, s, projects[s.project]!).catch(() => [])),
    );
    timeline[direction] = stagesOf(runs);
  }
  return timeline;
}

/** The slowest of the given changes in each direction, with its milestones. */
export async function slowestChanges(
  client: Client,
  samples: ChangeSample[],
  projects: LinkedProject[],
): Promise<SlowChange[]> {
  const slowest: SlowChange[] = [];
  for (const direction of ['salesforceToProcore', 'procoreToSalesforce'] as const) {
    const sample = samples
      .filter((s) => s.direction === direction)
      .reduce<ChangeSample | undefined>((worst, s) => (worst && worst.latencyMs >= s.latencyMs ? worst : s), undefined);
    if (!sample) continue;
    const project = projects[sample.project]!;
    const milestones = await milestonesOf(client, sample, project).catch((): Milestone[] => []);
    slowest.push({
      direction,
      latencyMs: Math.round(sample.latencyMs),
      salesforceId: project.salesforceId,
      milestones: milestones.map((m) => ({ label: m.label, afterMs: Math.round(m.at - sample.committedAt) })),
    });
  }
  return slowest;
}
