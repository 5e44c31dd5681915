/**
 * Parked records heal, end to end, each part a separate process: an outage of either system longer than the
 * activity retry budget parks every record edited in it, each parked sync tries again with a growing back-off (seen
 * through its syncState query), and once the system is back both sides converge with no new edit and no operator.
 * The budgets are shortened here (TANDEM_ACTIVITY_MAX_*, TANDEM_RETRY_*) so that CI sees it in a minute; the outage
 * lasts TANDEM_OUTAGE_S seconds (default 30), e.g. `TANDEM_OUTAGE_S=600` for the 10-minute outage.
 */
import { eventually } from '../support/eventually';
import {
  consoleUser,
  linkedPair,
  procoreProject,
  salesforceProject,
  setFaults,
  startSystem,
  syncState,
  type ProcoreProject,
  type RunningSystem,
} from '../support/system';
import { TEST_NAMESPACES } from '../support/temporal';
import type { ProjectSyncView } from '../../workflows/project-sync/messages';

const OUTAGE_MS = Number(process.env.TANDEM_OUTAGE_S ?? 30) * 1000;
const RETRY_FIRST_MS = 2000;
const RETRY_MAX_MS = 20_000;
/** Longer than the retry budget below (3 attempts at most 2 s apart) plus a few parked retries. */
const PARK_WITHIN_MS = 60_000;
const HEAL_WITHIN_MS = RETRY_MAX_MS + 60_000;

jest.setTimeout(OUTAGE_MS + PARK_WITHIN_MS + HEAL_WITHIN_MS + 120_000);

let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem(
    TEST_NAMESPACES.outage,
    {
      TANDEM_ACTIVITY_MAX_ATTEMPTS: '3',
      TANDEM_ACTIVITY_MAX_INTERVAL_MS: '2000',
      TANDEM_RETRY_FIRST_MS: String(RETRY_FIRST_MS),
      TANDEM_RETRY_MAX_MS: String(RETRY_MAX_MS),
    },
    { label: 'outage' },
  );
}, 120_000);

afterAll(async () => {
  await system?.stop();
});

interface Pair {
  id: string;
  pc: ProcoreProject;
}

async function linkedPairs(names: string[]): Promise<Pair[]> {
  const pairs: Pair[] = [];
  for (const Name of names) {
    const created = await consoleUser.createSalesforceProject(system, { Name });
    pairs.push({ id: created.Id, pc: (await linkedPair(system, created.Id)).pc });
  }
  await eventually(
    async () => (await Promise.all(pairs.map(({ id }) => syncState(system, id)))).every((s) => s.status === 'synced'),
    'every pair synced before the outage',
  );
  return pairs;
}

const states = (pairs: Pair[]) => Promise.all(pairs.map(({ id }) => syncState(system, id)));
const parkedOn = (code: string, least: number) => (s: ProjectSyncView) =>
  s.status === 'error' && s.parked?.code === code && (s.parked.retries ?? 0) >= least;

/**
 * Holds the outage (the sandbox answering 500/503 to every API call) while the edits park, for OUTAGE_MS at least
 * and until each sync has tried again twice; returns the states then, and when they had all parked.
 */
async function parkThroughOutage(pairs: Pair[], code: string, startedAt: number) {
  await eventually(async () => (await states(pairs)).every(parkedOn(code, 0)), 'the edits parked', PARK_WITHIN_MS);
  const parkedAfterMs = Date.now() - startedAt;
  const parked = await eventually(
    async () => {
      const now = await states(pairs);
      return Date.now() - startedAt >= OUTAGE_MS && now.every(parkedOn(code, 2)) ? now : undefined;
    },
    `the outage of ${OUTAGE_MS} ms, each parked sync trying again`,
    OUTAGE_MS + PARK_WITHIN_MS,
    500,
  );
  return { parked, parkedAfterMs };
}

/** The back-off grows: each retry waits twice as long as the one before, up to the cap. */
function expectGrowingBackOff(parked: ProjectSyncView[], code: string): void {
  for (const state of parked) {
    expect(state.parked).toMatchObject({ code, retryable: true });
    const retries = state.parked!.retries!;
    expect(retries).toBeGreaterThanOrEqual(2);
    const delay = state.parked!.nextRetryAt! - state.parked!.at;
    expect(delay).toBe(Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** retries));
    expect(delay).toBeGreaterThan(RETRY_FIRST_MS);
  }
}

interface Outage {
  system: 'Procore' | 'Salesforce';
  sandboxUrl: () => string;
  /** The park code of a call to the system that is down. */
  code: string;
  /** An edit made in the other system while it is down. */
  edit: (pair: Pair) => Promise<unknown>;
  /** Whether the system that was down now holds that edit. */
  holdsEdit: (pair: Pair) => Promise<boolean>;
}

/** Makes each pair's edit during the outage, checks that it parks and keeps retrying, and that it heals after. */
async function healsAfter(outage: Outage, names: string[]): Promise<void> {
  const pairs = await linkedPairs(names);
  // Every API call answers 500 or 503 (Procore sends Retry-After 1 s, Salesforce none): the retry budget runs out.
  await setFaults(outage.sandboxUrl(), { errorRate: 1 });
  const startedAt = Date.now();
  let during;
  try {
    for (const pair of pairs) await outage.edit(pair);
    during = await parkThroughOutage(pairs, outage.code, startedAt);
  } finally {
    await setFaults(outage.sandboxUrl(), null);
  }
  const recoveredAt = Date.now();
  expectGrowingBackOff(during.parked, outage.code);
  await eventually(
    async () => {
      const held = await Promise.all(pairs.map(outage.holdsEdit));
      return held.every(Boolean) && (await states(pairs)).every((s) => !s.parked);
    },
    'every parked record healed by its own retry',
    HEAL_WITHIN_MS,
    500,
  );
  expect((await states(pairs)).map((s) => s.status)).toEqual(pairs.map(() => 'synced'));
  const timings = {
    outageMs: recoveredAt - startedAt,
    parkedAfterMs: during.parkedAfterMs,
    healedAfterRecoveryMs: Date.now() - recoveredAt,
  };
  console.info(`${outage.system} outage: ${JSON.stringify(timings)}`);
}

describe('parked records heal with no new edit and no operator', () => {
  it('after a Procore outage longer than the activity retries', async () => {
    await healsAfter(
      {
        system: 'Procore',
        sandboxUrl: () => system.procoreUrl,
        code: 'TANDEM_PROCORE_UNAVAILABLE',
        edit: ({ id }) => consoleUser.editSalesforceProject(system, id, { City__c: 'Outage City' }),
        holdsEdit: async ({ pc }) => (await procoreProject(system, pc.id)).city === 'Outage City',
      },
      ['Outage Annex', 'Outage Bridge', 'Outage Cellar'],
    );
  });

  it('after a Salesforce outage longer than the activity retries', async () => {
    await healsAfter(
      {
        system: 'Salesforce',
        sandboxUrl: () => system.salesforceUrl,
        code: 'TANDEM_SALESFORCE_UNAVAILABLE',
        edit: ({ pc }) => consoleUser.editProcoreProject(system, pc.id, { city: 'Blackout City' }),
        holdsEdit: async ({ id }) => (await salesforceProject(system, id)).City__c === 'Blackout City',
      },
      ['Blackout Depot', 'Blackout Exchange', 'Blackout Foundry'],
    );
  });
});
