/**
 * The model checker's harness: runs ProjectSync's batch code against the simulated world,
 * one step at a time. Every side effect Tandem asks for becomes an operation whose phases (the effect at the
 * system, the answer reaching Tandem) the scheduler interleaves with people's edits and event deliveries; a crash
 * drops the answer after the effect, and Temporal's retry runs the effect again.
 */
import { fromProcore } from '../../../mappings/project-mapping';
import type { CanonicalFields, ConflictPolicy, ProjectMapping, RawFields, Side } from '../../../mappings/types';
import {
  convergentBatch,
  type ProcoreWriteResult,
  type SalesforceWriteOutcome,
  type SyncIo,
  type SyncReport,
} from '../../../workflows/project-sync/convergent-batch';
import { ConvergentRules } from '../../../workflows/project-sync/convergent-rules';
import { sameValue } from '../../../workflows/project-sync/merge';
import { DEFAULT_SETTINGS, initialState, ProjectSyncModel } from '../../../workflows/project-sync/model';
import { FIELDS, type FieldName, type InTransit, PROCORE_ID, SALESFORCE_ID, World } from './world';

/**
 * `linked`: the pair starts in sync, as Tandem last saw it. `backfill`: a new sync is handed the record by the
 * backfill, with the Procore project as the backfill's link write left it, before any edit; it has seen nothing.
 */
export type Start = 'linked' | 'backfill';
const PRE_EXISTING_MS = 60_000;

interface Operation {
  label: string;
  /** Runs the next phase; a crash while the answer is on its way sends the operation back to its first phase. */
  advance(crash: boolean): void;
}

const QUIET: SyncReport = { echo: () => undefined, written: () => undefined, note: () => undefined };

export class Sim {
  readonly world: World;
  readonly model: ProjectSyncModel;
  readonly rules: ConvergentRules;
  operation: Operation | null = null;
  busy = false;
  failure: unknown = null;
  crashes = 0;
  /** Salesforce calls whose effects took place: reads, PATCHes, and the PATCHes refused with 412. */
  readonly salesforceCalls = { reads: 0, writes: 0, refused: 0 };

  constructor(
    readonly mapping: ProjectMapping,
    start: number,
    skew: Record<Side, number>,
    begin: Start = 'linked',
  ) {
    this.world = new World(start, skew);
    const state = initialState(SALESFORCE_ID);
    this.model = new ProjectSyncModel(state, [], mapping, DEFAULT_SETTINGS);
    this.rules = new ConvergentRules(state, mapping);
    if (begin === 'backfill') {
      // Records the backfill links already exist: both last changed a while ago, so no edit falls within the clock
      // tolerance of a never-agreed pair (where Salesforce wins by policy, with or without the handed project).
      this.world.salesforce.modifiedAt -= PRE_EXISTING_MS;
      this.world.procore.modifiedAt -= PRE_EXISTING_MS;
      const handed = this.world.readProcore();
      this.model.enqueue({ kind: 'resync', request: { reason: 'backfill: link', procore: handed } });
      return;
    }
    state.link = { salesforceId: SALESFORCE_ID, procoreProjectId: PROCORE_ID, writtenToSalesforce: true };
    // The pair starts in sync, as Tandem last saw it.
    const record = this.world.readSalesforce();
    const project = this.world.readProcore();
    this.rules.observeSalesforce(record, []);
    this.rules.observeProcore(project);
    this.model.markSynced(start);
  }

  static policies: ConflictPolicy[] = ['latest', 'salesforce-wins', 'procore-wins'];

  /** Lets Tandem's code run until it waits on an operation or finishes its batch. */
  async flush(): Promise<void> {
    for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  canTakeBatch(): boolean {
    return !this.busy && this.model.queue.length > 0;
  }

  async takeBatch(): Promise<void> {
    if (!this.canTakeBatch()) throw new Error('no batch to take');
    this.busy = true;
    const batch = this.model.takeQueued();
    convergentBatch(this.model, this.rules, batch, this.io, QUIET).then(
      () => {
        this.model.markSynced(this.world.real);
        this.busy = false;
      },
      (err: unknown) => {
        this.failure = err;
        this.busy = false;
      },
    );
    await this.flush();
  }

  async stepOperation(crash = false): Promise<string> {
    const op = this.operation;
    if (!op) throw new Error('no operation in flight');
    if (crash) this.crashes++;
    op.advance(crash);
    await this.flush();
    return op.label;
  }

  async deliver(side: Side, index = 0, duplicate = false): Promise<void> {
    if (side === 'salesforce') {
      const change = take(this.world.salesforceEvents, index, duplicate);
      this.model.enqueue({ kind: 'salesforce', change });
    } else {
      const change = take(this.world.procoreEvents, index, duplicate);
      this.model.enqueue({ kind: 'procore', change });
    }
    await this.flush();
  }

  /** Runs the operation in flight to its answer. */
  async complete(): Promise<void> {
    const current = this.operation;
    while (this.operation && this.operation === current) await this.stepOperation();
  }

  /** Scripted quiescence: operations finish, batches run, events arrive oldest first, until nothing is left. */
  async drain(stepMs = 300): Promise<void> {
    for (let guard = 0; guard < 1000; guard++) {
      this.advance(stepMs);
      if (this.operation) await this.stepOperation();
      else if (this.canTakeBatch()) await this.takeBatch();
      else if (this.world.salesforceEvents.length > 0) await this.deliver('salesforce');
      else if (this.world.procoreEvents.length > 0) await this.deliver('procore');
      else return;
    }
    throw new Error('no quiescence: Tandem keeps writing');
  }

  advance(ms: number): void {
    this.world.real += ms;
  }

  /** Whether anything is left to happen once people stop editing. */
  idle(): boolean {
    return (
      !this.operation &&
      !this.busy &&
      this.model.queue.length === 0 &&
      this.world.salesforceEvents.length === 0 &&
      this.world.procoreEvents.length === 0
    );
  }

  private attempts = 0;
  private operations = 0;

  /** The current attempt of the operation in flight: Tandem's writes are stamped with it. */
  attempt = 0;

  private begin<T>(
    label: string,
    phases: Array<() => T | undefined>,
    onAnswer: () => void = () => undefined,
  ): Promise<T> {
    return new Promise<T>((resolve) => {
      let phase = 0;
      let result: T | undefined;
      this.attempt = ++this.attempts;
      const operation = ++this.operations;
      const attempts = [this.attempt];
      this.world.attemptOf(this.attempt, operation);
      this.operation = {
        label,
        advance: (crash) => {
          if (phase < phases.length) {
            const out = phases[phase]();
            // A phase that answers early (a refused write) skips the phases after it.
            if (out !== undefined) {
              result = out;
              phase = phases.length;
            } else phase++;
            return;
          }
          if (crash) {
            phase = 0;
            this.attempt = ++this.attempts;
            attempts.push(this.attempt);
            this.world.attemptOf(this.attempt, operation);
            return;
          }
          this.operation = null;
          // A write answered as written tells Tandem its value is in place, whichever attempt put it there (a retry
          // that found it in place changed nothing, so the field still names an earlier attempt). A refusal tells it
          // nothing about earlier attempts.
          const confirms = isWritten(result);
          for (const attempt of confirms ? attempts : [this.attempt]) this.world.answered.add(String(attempt));
          onAnswer();
          resolve(result as T);
        },
      };
    });
  }

  /**
   * A read whose answer reaches Tandem shows it the values its earlier writes left there: from then on a person
   * who overwrites them replaces them knowingly (no retry of those writes can land any more).
   */
  private read<T>(side: Side, take: () => T): Promise<T> {
    let shown: string[] = [];
    return this.begin<T>(
      `read ${side}`,
      [
        () => {
          shown = this.shownBy(side);
          return take();
        },
      ],
      () => shown.forEach((known) => this.world.answered.add(known)),
    );
  }

  /** The writes of Tandem's whose values an answer showing this system's state now would show it. */
  private shownBy(side: Side): string[] {
    const fields = Object.entries(this.world.system(side).fields);
    return fields.flatMap(([name, held]) =>
      held.origin.attempt === null ? [] : [`${held.origin.attempt}:${side}:${name}`],
    );
  }

  readonly io: SyncIo = {
    readSalesforce: () =>
      this.read('salesforce', () => {
        this.salesforceCalls.reads++;
        return this.world.readSalesforce();
      }),
    readProcore: () => this.read('procore', () => this.world.readProcore()),
    writeSalesforce: (_id, fields, unmodifiedSince) => {
      const values = this.salesforceValues(fields);
      return this.begin<SalesforceWriteOutcome>('write salesforce', [
        () => {
          const sf = this.world.salesforce;
          this.salesforceCalls.writes++;
          if (unmodifiedSince !== null && sf.modifiedAt > unmodifiedSince) {
            this.salesforceCalls.refused++;
            return 'modified';
          }
          // Second granularity: an edit in the very second the condition names passes it and is overwritten.
          if (unmodifiedSince !== null && process.env.TANDEM_SIM_EXCUSE_SAME_SECOND) {
            for (const f of Object.keys(values) as FieldName[])
              this.world.excuse('salesforce', f, (e) => e.at !== unmodifiedSince || e.value === values[f]);
          }
          this.world.tandemWrite('salesforce', values, this.attempt);
          return 'written';
        },
      ]);
    },
    writeProcore: (_id, expected, target) => {
      const watched = Object.keys(target) as FieldName[];
      const seenAtRead: Partial<Record<FieldName, number | null>> = {};
      let toWrite: Partial<Record<FieldName, string | null>> = {};
      let shown: string[] = [];
      let readUpdatedAt = 0;
      return this.begin<ProcoreWriteResult>(
        'write procore',
        [
          () => {
            const read = this.world.readProcore();
            const current = fromProcore(this.mapping, read.fields);
            readUpdatedAt = read.updatedAt;
            toWrite = {};
            for (const f of watched) {
              seenAtRead[f] = this.world.procore.fields[f].origin.edit;
              if (sameValue(current[f], target[f])) continue;
              if (!sameValue(current[f], expected[f])) {
                shown = this.shownBy('procore');
                return { outcome: 'modified', project: this.world.readProcore() };
              }
              toWrite[f] = target[f] as string | null;
            }
            return undefined;
          },
          () => {
            // Procore has no conditional update: an edit between the read above and this PATCH is overwritten.
            for (const f of Object.keys(toWrite) as FieldName[])
              this.world.excuse('procore', f, (e) => e.id === seenAtRead[f]);
            if (Object.keys(toWrite).length > 0) this.world.tandemWrite('procore', toWrite, this.attempt);
            shown = this.shownBy('procore');
            return { outcome: 'written', project: this.world.readProcore(), readUpdatedAt };
          },
        ],
        () => shown.forEach((known) => this.world.answered.add(known)),
      );
    },
    overwriteProcore: (_id, target) => {
      let shown: string[] = [];
      return this.begin<ProcoreWriteResult>(
        'overwrite procore',
        [
          () => {
            this.world.tandemWrite('procore', target as Partial<Record<FieldName, string | null>>, this.attempt);
            shown = this.shownBy('procore');
            return { outcome: 'written', project: this.world.readProcore() };
          },
        ],
        () => shown.forEach((known) => this.world.answered.add(known)),
      );
    },
    findOrCreateProcore: () => Promise.reject(new Error('the simulated pair is linked from the start')),
    writeProcoreOrigin: () => Promise.reject(new Error('the simulated pair is linked from the start')),
    linked: () => Promise.resolve(),
  };

  private salesforceValues(fields: RawFields): Partial<Record<FieldName, string | null>> {
    const values: Partial<Record<FieldName, string | null>> = {};
    for (const f of FIELDS) {
      const name = this.world.salesforceName(f);
      if (name in fields) values[f] = fields[name] as string | null;
    }
    return values;
  }
}

/** Whether an operation's answer says a write was carried out (a read's answer is a record, not an outcome). */
function isWritten(result: unknown): boolean {
  if (result === 'written') return true;
  return typeof result === 'object' && result !== null && 'outcome' in result && result.outcome === 'written';
}

/** Takes one event off the wire; a duplicated delivery leaves a copy to arrive again later. */
function take<T>(queue: InTransit<T>[], index: number, duplicate: boolean): T {
  const [item] = queue.splice(index, 1);
  if (!item) throw new Error('no event in transit');
  if (duplicate && !item.duplicated) queue.push({ event: item.event, duplicated: true });
  return item.event;
}

/** What must hold once people stop and every message is through. */
export function violations(sim: Sim): string[] {
  const problems: string[] = [];
  if (sim.failure) problems.push(`Tandem failed: ${String(sim.failure)}`);
  const sf = sim.world.salesforce.values();
  const pc = sim.world.procore.values();
  const snapshot = sim.model.state.snapshot as CanonicalFields;
  for (const f of FIELDS) {
    if (sf[f] !== pc[f] || snapshot[f] !== sf[f])
      problems.push(`diverged on ${f}: salesforce=${sf[f]} procore=${pc[f]} tandem=${String(snapshot[f])}`);
  }
  for (const edit of sim.world.edits) {
    const final = sf[edit.field];
    if (final === edit.value || sim.world.excused.has(edit.id)) continue;
    if (sim.world.edits.some((later) => sim.world.replaces(later, edit))) continue;
    const concurrent = sim.world.edits.filter(
      (x) =>
        x.field === edit.field && x.side !== edit.side && !sim.world.replaces(x, edit) && !sim.world.replaces(edit, x),
    );
    const policy =
      sim.mapping.fields.find((f) => f.name === edit.field)?.conflict ?? sim.mapping.conflictPolicy ?? 'latest';
    const losesByPolicy =
      policy === 'latest' || (policy === 'salesforce-wins' ? edit.side === 'procore' : edit.side === 'salesforce');
    if (concurrent.length > 0 && losesByPolicy) continue;
    problems.push(
      `lost edit ${edit.side} #${edit.id} ${edit.field}=${edit.value} (final ${final}, policy ${policy}, concurrent ${concurrent.map((c) => c.id).join(',') || 'none'})`,
    );
  }
  return problems;
}
