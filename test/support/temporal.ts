/** The dev server that global-setup started for this run. */
export function temporalAddress(): string {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address)
    throw new Error(
      'TEMPORAL_ADDRESS is not set: run the tests through jest (npm test), whose global setup starts Temporal',
    );
  return address;
}

/** A task queue no other test file shares, so workers never steal each other's tasks. */
export function uniqueTaskQueue(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}`;
}

/**
 * Namespaces that global-setup creates (with Tandem's search attributes) for test files that run Tandem's fixed
 * task queues: files running side by side then never share workers.
 */
export const TEST_NAMESPACES = {
  e2e: 'tandem-e2e',
  /** What Procore stores of Tandem's writes (test/e2e/procore-stored-values.test.ts). */
  procoreStored: 'tandem-e2e-procore-stored',
  workflows: 'tandem-workflows',
  cli: 'tandem-cli',
  /** The operator API with a bearer token, and the CLI against it. */
  operatorAuth: 'tandem-operator-auth',
  /** The ingress app built in-process (inject tests): no worker runs here. */
  ingress: 'tandem-ingress',
  /** The ingress fuzzed in-process: what unauthenticated calls hand to Temporal is counted here, so nothing shares it. */
  fuzz: 'tandem-fuzz',
  /** The operator page in Chromium, with a token. */
  operatorPage: 'tandem-operator-page',
  /** The compiled build (dist/) run as production runs it. */
  build: 'tandem-build',
  /** The benchmark's smoke test (test/bench). */
  bench: 'tandem-bench',
  /** `tandem backfill` against seeded sandboxes (test/backfill). */
  backfill: 'tandem-backfill',
  /** The periodic Procore sweep with every webhook dropped (test/e2e/reconcile.test.ts). */
  reconcile: 'tandem-reconcile',
  /** Projects born in Procore, with TANDEM_CREATE_IN_SALESFORCE switched off and on (test/e2e/procore-born.test.ts). */
  procoreBorn: 'tandem-e2e-procore-born',
  /** A mapping under which Salesforce wins every conflict: Procore writes without the compare read (test/e2e/salesforce-wins.test.ts). */
  salesforceWins: 'tandem-e2e-salesforce-wins',
  /** A lookup id changed in the mapping while syncs run (test/e2e/mapping-change.test.ts). */
  mapping: 'tandem-mapping',
  /** Outages of either system longer than shortened activity retries (test/e2e/outage.test.ts). */
  outage: 'tandem-e2e-outage',
  /** A workflow worker replaced in place (test/temporal/renewable-worker.test.ts). */
  renewal: 'tandem-worker-renewal',
  /** Creation switched off both ways: no Procore project for a new record (test/e2e/create-in-procore-off.test.ts). */
  createInProcoreOff: 'tandem-e2e-create-off',
  /** Webhooks about projects Procore does not have: a bounded number of reads, then nothing (test/e2e/unknown-project.test.ts). */
  unknownProject: 'tandem-e2e-unknown-project',
} as const;
