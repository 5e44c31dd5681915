/**
 * The model checker: ProjectSync's batch code against two simulated systems and an adversarial scheduler, for
 * thousands of random schedules. TANDEM_PROPERTY_RUNS sets how many; a failure prints fast-check's seed and path,
 * which TANDEM_PROPERTY_SEED and TANDEM_PROPERTY_PATH replay exactly.
 */
import fc from 'fast-check';
import type { ConflictPolicy } from '../../mappings/types';
import { runScenario, type Scenario } from './sim/schedule';

const runs = Number(process.env.TANDEM_PROPERTY_RUNS ?? 3000);
const seed = process.env.TANDEM_PROPERTY_SEED ? Number(process.env.TANDEM_PROPERTY_SEED) : undefined;
const path = process.env.TANDEM_PROPERTY_PATH;

const scenarios: fc.Arbitrary<Scenario> = fc.record({
  seed: fc.integer(),
  policy: fc.constantFrom<ConflictPolicy>('latest', 'salesforce-wins', 'procore-wins'),
  // Procore's clock up to 5 s either side of Salesforce's.
  skewMs: fc.integer({ min: -5000, max: 5000 }),
  edits: fc.integer({ min: 1, max: 20 }),
  crashRate: fc.constantFrom(0, 0.1, 0.3, 0.5),
  duplicateRate: fc.constantFrom(0, 0.2, 0.5),
});

describe('convergence under concurrent edits, late, duplicated and reordered events, skewed clocks and crashes', () => {
  it(
    `holds for ${runs} random schedules`,
    async () => {
      let edits = 0;
      await fc.assert(
        fc.asyncProperty(scenarios, async (scenario) => {
          const outcome = await runScenario(scenario);
          edits += outcome.edits;
          if (outcome.problems.length > 0) throw new Error(outcome.problems.join('\n'));
        }),
        { numRuns: runs, seed, path, endOnFailure: !!path },
      );
      expect(edits).toBeGreaterThan(runs);
    },
    Math.max(120_000, runs * 30),
  );
});
