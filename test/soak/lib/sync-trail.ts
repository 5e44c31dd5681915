/**
 * A ProjectSync's history told as short lines about the fields in question: the changes it was handed, the reads
 * and writes it made and what they answered, times in seconds from the start of the edits. Attached to a diverged
 * pair or a lost edit, so that a failing run (CI's included, whose Temporal server is gone afterwards) shows what
 * the sync knew and did. The same history says which reads of the Procore project reached the sync (compare.ts).
 */
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { ReadSpan } from '../../../sandbox/procore/project-reads';
import { type temporal as proto } from '@temporalio/proto';
import { projectMapping } from '../../../mappings';
import { projectSyncWorkflowId } from '../../../workflows/project-sync/messages';

type HistoryEvent = proto.api.history.v1.IHistoryEvent;
type Payloads = proto.api.common.v1.IPayloads | null | undefined;

/** The trail keeps the newest lines: what led up to the end state. */
const TRAIL_LINES = 60;
/** Runs continued as new, walked back from the current one, at most (a sync continues as new every 200 events). */
const RUNS = 50;
/** The activities whose answer shows the Procore project (a compare-then-write reads it; a PATCH answers with it). */
const PROCORE_READS = new Set([
  'readProcoreProject',
  'updateProcoreProjectIfUnchanged',
  'overwriteProcoreProject',
  'findOrCreateProcoreProject',
]);

interface FieldNames {
  canonical: string;
  salesforce: string;
  procore: string;
}

function namesOf(fields: string[]): FieldNames[] {
  return projectMapping.fields
    .filter((f) => fields.includes(f.name))
    .map((f) => ({
      canonical: f.name,
      salesforce: f.salesforce,
      procore: typeof f.procore === 'string' ? f.procore : f.procore.read.split('.')[0]!,
    }));
}

const decode = (payloads: Payloads): unknown[] =>
  (payloads?.payloads ?? []).map((p) => defaultPayloadConverter.fromPayload(p as Payload));

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function epochMs(time: HistoryEvent['eventTime']): number {
  return time ? Number(time.seconds ?? 0) * 1000 + Math.floor((time.nanos ?? 0) / 1e6) : 0;
}

/** One per soak, once it is quiet: each sync's history is fetched once for its trails and its answered reads. */
export class SyncTrail {
  private readonly histories = new Map<string, Promise<HistoryEvent[][]>>();

  constructor(
    private readonly client: Client,
    private readonly startedAt: number,
  ) {}

  /** The trail of one record's ProjectSync about `fields`; one line saying why when its history cannot be read. */
  async of(salesforceId: string, fields: string[]): Promise<string[]> {
    try {
      const runs = await this.runs(projectSyncWorkflowId(salesforceId));
      const names = namesOf(fields);
      return runs.flatMap((events) => this.tell(events, names)).slice(-TRAIL_LINES);
    } catch (err) {
      return [`(no history: ${(err as Error).message})`];
    }
  }

  /**
   * The spans in which the sync received a read of its Procore project since the edits began: from the start of the
   * attempt that completed to its completion. A read whose answer was lost (its worker killed, Temporal restarted)
   * left no such span: the sync never learnt what it showed.
   */
  async answeredProcoreReads(salesforceId: string): Promise<ReadSpan[]> {
    const spans: ReadSpan[] = [];
    for (const events of await this.runs(projectSyncWorkflowId(salesforceId))) {
      const names = new Map<string, string>();
      const started = new Map<string, number>();
      for (const event of events) {
        const scheduled = event.activityTaskScheduledEventAttributes;
        if (scheduled) names.set(String(event.eventId), scheduled.activityType?.name ?? '');
        const attempt = event.activityTaskStartedEventAttributes;
        if (attempt) started.set(String(attempt.scheduledEventId), epochMs(event.eventTime));
        const done = event.activityTaskCompletedEventAttributes;
        if (!done || !PROCORE_READS.has(names.get(String(done.scheduledEventId)) ?? '')) continue;
        const from = started.get(String(done.scheduledEventId));
        if (from !== undefined) spans.push({ from, to: epochMs(event.eventTime) });
      }
    }
    return spans;
  }

  /** The sync's runs since the edits began, oldest first. */
  private runs(workflowId: string): Promise<HistoryEvent[][]> {
    const known = this.histories.get(workflowId);
    if (known) return known;
    const fetched = this.fetchRuns(workflowId);
    this.histories.set(workflowId, fetched);
    return fetched;
  }

  private async fetchRuns(workflowId: string): Promise<HistoryEvent[][]> {
    const runs: HistoryEvent[][] = [];
    let runId: string | undefined;
    for (let i = 0; i < RUNS; i++) {
      const history = await this.client.workflow.getHandle(workflowId, runId).fetchHistory();
      const events = history.events ?? [];
      runs.unshift(events);
      runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
      if (!runId || epochMs(events[0]?.eventTime) < this.startedAt) break;
    }
    return runs;
  }

  private tell(events: HistoryEvent[], names: FieldNames[]): string[] {
    const scheduled = new Map<string, string>();
    const lines: string[] = [];
    for (const event of events) {
      const at = this.rel(epochMs(event.eventTime));
      const signal = event.workflowExecutionSignaledEventAttributes;
      if (signal) lines.push(`${at} ${signal.signalName}: ${this.signal(decode(signal.input)[0], names)}`);
      const started = event.activityTaskScheduledEventAttributes;
      if (started) {
        const name = started.activityType?.name ?? '?';
        scheduled.set(String(event.eventId), name);
        lines.push(`${at} ${name}(${this.args(decode(started.input), names)})`);
      }
      const done = event.activityTaskCompletedEventAttributes;
      if (done) {
        const name = scheduled.get(String(done.scheduledEventId)) ?? '?';
        lines.push(`${at}   ${name} → ${this.result(decode(done.result)[0], names)}`);
      }
      const failed = event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
      if (failed) {
        const name = scheduled.get(String(failed.scheduledEventId)) ?? '?';
        lines.push(`${at}   ${name} ✗ ${failed.failure?.message ?? 'failed'}`);
      }
    }
    return lines;
  }

  private rel(ms: unknown): string {
    const n = typeof ms === 'string' ? Date.parse(ms) : Number(ms);
    return Number.isFinite(n) ? `${((n - this.startedAt) / 1000).toFixed(1)}s` : String(ms);
  }

  /** The fields in question as a side holds them, under any of their names. */
  private values(fields: unknown, names: FieldNames[]): string {
    if (!isRecord(fields)) return '';
    const shown = names.flatMap(({ canonical, salesforce, procore }) =>
      [canonical, salesforce, procore]
        .filter((key, i, all) => all.indexOf(key) === i && key in fields)
        .map((key) => `${key}=${JSON.stringify(fields[key])}`),
    );
    return shown.length > 0 ? shown.join(' ') : '(other fields)';
  }

  private signal(input: unknown, names: FieldNames[]): string {
    if (!isRecord(input)) return JSON.stringify(input);
    const who = input.madeByTandem ? 'tandem' : 'person';
    if ('commitTimestamp' in input)
      return `r${String(input.replayId)} ${String(input.changeType)} commit ${this.rel(input.commitTimestamp)} ${who} ${this.values(input.fields, names)}`;
    if ('procoreProjectId' in input)
      return `${String(input.eventType)} at ${this.rel(input.timestamp)} ${who} ${String(input.eventId).startsWith('reconcile:') ? 'sweep' : 'webhook'}`;
    return JSON.stringify(input).slice(0, 160);
  }

  private args(args: unknown[], names: FieldNames[]): string {
    return args
      .slice(1)
      .map((arg) => (isRecord(arg) ? this.values(arg, names) : this.rel(arg)))
      .join(', ');
  }

  private result(value: unknown, names: FieldNames[]): string {
    if (!isRecord(value)) return JSON.stringify(value);
    if (isRecord(value.project)) {
      const read = value.readUpdatedAt === undefined ? '' : ` read ${this.rel(value.readUpdatedAt)}`;
      return `${String(value.outcome)} ${this.result(value.project, names)}${read}`;
    }
    if ('lastModifiedAt' in value)
      return `${String(value.status)} ${this.values(value.fields, names)} modified ${this.rel(value.lastModifiedAt)}`;
    if ('updatedAt' in value) return `${this.values(value.fields, names)} updated ${this.rel(value.updatedAt)}`;
    return JSON.stringify(value).slice(0, 160);
  }
}
