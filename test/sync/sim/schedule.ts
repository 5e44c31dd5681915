/**
 * The adversarial scheduler: from one seed, people edit both sides (mostly the same field), events are delivered
 * late, out of order and twice, Tandem's operations interleave with all of it and crash after their effect. Then
 * edits stop, everything is delivered, and the oracle judges; a resync afterwards must write nothing.
 */
import type { ConflictPolicy, Side } from '../../../mappings/types';
import { Sim, violations } from './harness';
import { FIELDS, simMapping } from './world';

export interface Scenario {
  seed: number;
  policy: ConflictPolicy;
  /** Procore's clock minus Salesforce's, ms. */
  skewMs: number;
  edits: number;
  crashRate: number;
  duplicateRate: number;
  /** Collects a line per step, for reading a failing schedule. */
  trace?: string[];
}

export interface Outcome {
  problems: string[];
  steps: number;
  edits: number;
  writes: Record<Side, number>;
}

const START = Date.parse('2026-11-30T09:00:00Z');
const STEP_LIMIT = 4000;
const MAX_CRASHES = 6;

/** mulberry32: small, fast and enough to replay a schedule from its seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Action = 'edit-salesforce' | 'edit-procore' | 'deliver-salesforce' | 'deliver-procore' | 'operation' | 'batch';

export async function runScenario(scenario: Scenario): Promise<Outcome> {
  const rng = random(scenario.seed);
  const sim = new Sim(simMapping(scenario.policy), START + Math.floor(rng() * 1000), {
    salesforce: 0,
    procore: scenario.skewMs,
  });
  let editsLeft = scenario.edits;
  let steps = 0;

  const enabled = (): Action[] => {
    const actions: Action[] = [];
    if (editsLeft > 0) actions.push('edit-salesforce', 'edit-procore');
    if (sim.world.salesforceEvents.length > 0) actions.push('deliver-salesforce');
    if (sim.world.procoreEvents.length > 0) actions.push('deliver-procore');
    if (sim.operation) actions.push('operation');
    if (sim.canTakeBatch()) actions.push('batch');
    return actions;
  };

  const runUntilIdle = async (): Promise<boolean> => {
    for (;;) {
      if (sim.failure) return true;
      const actions = enabled();
      if (actions.length === 0) return true;
      if (++steps > STEP_LIMIT) return false;
      sim.advance(Math.floor(rng() * rng() * 2500));
      const action = actions[Math.floor(rng() * actions.length)];
      const label = action === 'operation' ? (sim.operation?.label ?? '') : '';
      await perform(action);
      scenario.trace?.push(
        `${sim.world.real - START} ${action} ${label} sf=${JSON.stringify(sim.world.salesforce.values())} pc=${JSON.stringify(sim.world.procore.values())} snap=${JSON.stringify(sim.model.state.snapshot)} tandem=${JSON.stringify({ sf: sim.rules.seen('salesforce')?.values, pc: sim.rules.seen('procore')?.values, claims: sim.model.state.convergence?.claims })}`,
      );
    }
  };

  const perform = async (action: Action): Promise<void> => {
    switch (action) {
      case 'edit-salesforce':
      case 'edit-procore': {
        editsLeft--;
        // Mostly one field, so that edits of the same field on both sides meet often.
        const field = rng() < 0.6 ? 'city' : FIELDS[Math.floor(rng() * FIELDS.length)];
        sim.world.personEdit(action === 'edit-salesforce' ? 'salesforce' : 'procore', field);
        return;
      }
      case 'deliver-salesforce':
        return sim.deliver(
          'salesforce',
          Math.floor(rng() * sim.world.salesforceEvents.length),
          rng() < scenario.duplicateRate,
        );
      case 'deliver-procore':
        return sim.deliver(
          'procore',
          Math.floor(rng() * sim.world.procoreEvents.length),
          rng() < scenario.duplicateRate,
        );
      case 'operation':
        await sim.stepOperation(sim.crashes < MAX_CRASHES && rng() < scenario.crashRate);
        return;
      case 'batch':
        return sim.takeBatch();
    }
  };

  const writes = () => ({ salesforce: sim.world.salesforce.writes, procore: sim.world.procore.writes });
  if (!(await runUntilIdle()))
    return {
      problems: [`no quiescence after ${STEP_LIMIT} steps: Tandem keeps writing`],
      steps,
      edits: scenario.edits,
      writes: writes(),
    };
  const problems = violations(sim);
  if (problems.length > 0) return { problems, steps, edits: scenario.edits, writes: writes() };
  // Quiescent: a resync must find nothing to write.
  const before = writes();
  sim.model.enqueue({ kind: 'resync', request: { reason: 'check' } });
  if (!(await runUntilIdle()))
    return { problems: ['no quiescence after the final resync'], steps, edits: scenario.edits, writes: writes() };
  const after = writes();
  if (after.salesforce !== before.salesforce || after.procore !== before.procore)
    problems.push(`the final resync wrote (${JSON.stringify(before)} → ${JSON.stringify(after)})`);
  problems.push(...violations(sim));
  return { problems, steps, edits: scenario.edits, writes: after };
}
