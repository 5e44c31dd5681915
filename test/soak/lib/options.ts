/** What a soak run does: how long, on how many projects, how fast, from which seed; and the flags that set it. */
import { parseArgs } from 'node:util';
import { CONFLICT_POLICIES, type ConflictPolicy } from '../../../mappings/types';
import { CONFLICT_WINDOW_MS } from './ledger';

export interface SoakOptions {
  durationS: number;
  projects: number;
  /** Edits a second across all projects (a same-field conflict counts as its two edits). */
  rate: number;
  seed: number;
  /** Share of edit moments that are a deliberate same-field conflict: both sides within a second. */
  conflictShare: number;
  /** Same-field edits on the two sides closer than this may end with either value (see ledger.ts). */
  conflictWindowMs: number;
  /** Off: edits and conflicts only, no fault and no kill (tells model holes from fault handling). */
  faults: boolean;
  /** Fault kinds left out of the schedule (the short soak in `npm test` leaves out dropWebhooks: see soak.test.ts). */
  withoutFaults?: string[];
  /** Share of the projects created during the faulted phase rather than before it. */
  lateCreateShare: number;
  /** host:port of a running Temporal server (a fresh namespace is created); without it the soak starts its own. */
  temporal?: string;
  /** On the production shape (`tandem cluster up`) with a Temporal restart, a rolling deploy and a dead ingress. */
  cluster?: boolean;
  /** How long nothing may change before the systems count as quiet, and how long to wait for that. */
  quietMs: number;
  quiescenceTimeoutMs: number;
  /** How long to watch for writes once quiet. */
  afterQuietMs: number;
  /** The sync worker's workflow cache (TANDEM_WORKFLOW_CACHE); a small one makes most workflow tasks replay history. */
  workflowCache?: number;
  /**
   * One conflict policy for every field of Tandem's mapping (a copy of the shipped one); the shipped mapping without
   * it. Under a policy where one side wins, that side's last edit may stand over a later one on the other side.
   */
  conflictPolicy?: ConflictPolicy;
  /** Log file prefix in test-output/. */
  label: string;
  progress?: (line: string) => void;
}

export const DEFAULT_OPTIONS: SoakOptions = {
  durationS: 60,
  projects: 20,
  rate: 2,
  seed: 1,
  conflictShare: 0.2,
  conflictWindowMs: CONFLICT_WINDOW_MS,
  faults: true,
  lateCreateShare: 0.1,
  quietMs: 8000,
  quiescenceTimeoutMs: 180_000,
  afterQuietMs: 10_000,
  label: 'soak',
};

export const USAGE =
  'Usage: npm run soak -- [--duration S] [--projects N] [--rate EDITS_PER_S] [--seed N] [--conflicts SHARE]\n' +
  '  [--conflict-window-ms MS] [--no-faults] [--late-creates SHARE] [--quiet-ms MS] [--quiescence-timeout-ms MS]\n' +
  '  [--temporal HOST:PORT | --cluster] [--workflow-cache N] [--conflict-policy POLICY] [--json FILE]\n' +
  '  --workflow-cache: the sync worker keeps N workflows (a small N replays history on most workflow tasks)\n' +
  `  --conflict-policy: ${CONFLICT_POLICIES.join(', ')} for every field (not with --cluster)\n` +
  '  --cluster: on the production shape (tandem cluster up) with a Temporal server restart, a rolling deploy of the\n' +
  '  workers onto a new workflow build and one ingress killed in the middle of the run\n';

function number(
  value: string | undefined,
  flag: string,
  fallback: number,
  check: (n: number) => boolean,
  what: string,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || !check(n)) throw new Error(`${flag} must be ${what}, not '${value}'`);
  return n;
}

const positive = (n: number) => n > 0;
const positiveInteger = (n: number) => n > 0 && Number.isInteger(n);
const share = (n: number) => n >= 0 && n <= 1;

function conflictPolicy(value: string | undefined): ConflictPolicy | undefined {
  if (value === undefined) return undefined;
  const policy = CONFLICT_POLICIES.find((p) => p === value);
  if (!policy) throw new Error(`--conflict-policy must be one of ${CONFLICT_POLICIES.join(', ')}, not '${value}'`);
  return policy;
}

export function parseSoakArgs(argv: string[]): { options: SoakOptions; jsonPath?: string; help: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      projects: { type: 'string' },
      rate: { type: 'string' },
      seed: { type: 'string' },
      conflicts: { type: 'string' },
      'no-faults': { type: 'boolean' },
      'conflict-window-ms': { type: 'string' },
      'late-creates': { type: 'string' },
      'quiet-ms': { type: 'string' },
      'quiescence-timeout-ms': { type: 'string' },
      temporal: { type: 'string' },
      cluster: { type: 'boolean' },
      'workflow-cache': { type: 'string' },
      'conflict-policy': { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  const d = DEFAULT_OPTIONS;
  const options: SoakOptions = {
    ...d,
    durationS: number(values.duration, '--duration', d.durationS, positive, 'a positive number of seconds'),
    projects: number(values.projects, '--projects', d.projects, positiveInteger, 'a positive integer'),
    rate: number(values.rate, '--rate', d.rate, positive, 'a positive number'),
    seed: number(values.seed, '--seed', Math.floor(Math.random() * 2 ** 31), Number.isInteger, 'an integer'),
    conflictShare: number(values.conflicts, '--conflicts', d.conflictShare, share, 'between 0 and 1'),
    faults: !values['no-faults'],
    conflictWindowMs: number(
      values['conflict-window-ms'],
      '--conflict-window-ms',
      d.conflictWindowMs,
      positive,
      'positive',
    ),
    lateCreateShare: number(values['late-creates'], '--late-creates', d.lateCreateShare, share, 'between 0 and 1'),
    quietMs: number(values['quiet-ms'], '--quiet-ms', d.quietMs, positive, 'a positive number'),
    quiescenceTimeoutMs: number(
      values['quiescence-timeout-ms'],
      '--quiescence-timeout-ms',
      d.quiescenceTimeoutMs,
      positive,
      'a positive number',
    ),
    temporal: values.temporal,
    cluster: values.cluster ?? false,
    workflowCache:
      values['workflow-cache'] === undefined
        ? undefined
        : number(values['workflow-cache'], '--workflow-cache', 0, Number.isInteger, 'an integer'),
    conflictPolicy: conflictPolicy(values['conflict-policy']),
  };
  if (options.cluster && options.temporal) throw new Error('--cluster brings its own Temporal server: drop --temporal');
  if (options.cluster && options.conflictPolicy)
    throw new Error('--conflict-policy runs on the dev server only: the cluster keeps the shipped mapping');
  return { options, jsonPath: values.json, help: values.help ?? false };
}
