/**
 * The faults of a soak run, on a schedule drawn from the seed: windows of 5xx and request-limit answers from
 * Salesforce, of 5xx from Procore and duplicated, reordered or dropped Procore webhook deliveries; bursts of forced
 * 429s from Procore; dropped CometD connections and expired Salesforce sessions; and SIGKILL of the sync worker and
 * of the CDC worker, each started again a few seconds later. Every kind happens at least once per run.
 */
import got from 'got';
import type { Random } from './random';
import { sleep } from './random';
import type { Part, SoakSystem } from './system';

type System = 'salesforce' | 'procore';

interface Window {
  system: System;
  on: Record<string, unknown>;
  off: Record<string, unknown>;
  /** Longest length in ms (drawn between half of it and all of it). */
  maxMs: number;
}

const WINDOWS = {
  salesforce5xx: { system: 'salesforce', on: { errorRate: 0.25 }, off: { errorRate: 0 }, maxMs: 6000 },
  salesforceRequestLimit: {
    system: 'salesforce',
    on: { requestLimitExceeded: true },
    off: { requestLimitExceeded: false },
    maxMs: 2000,
  },
  procore5xx: { system: 'procore', on: { errorRate: 0.25 }, off: { errorRate: 0 }, maxMs: 6000 },
  duplicateWebhooks: {
    system: 'procore',
    on: { duplicateWebhooks: true },
    off: { duplicateWebhooks: false },
    maxMs: 8000,
  },
  reorderWebhooks: { system: 'procore', on: { reorderWebhooks: true }, off: { reorderWebhooks: false }, maxMs: 8000 },
  dropWebhooks: { system: 'procore', on: { dropWebhooks: 0.3 }, off: { dropWebhooks: 0 }, maxMs: 6000 },
} satisfies Record<string, Window>;

const ONE_SHOTS = {
  procore429: { system: 'procore', body: { force429: 8 } },
  dropCometd: { system: 'salesforce', body: { dropCometd: true } },
  expireSessions: { system: 'salesforce', body: { expireSessions: true } },
} satisfies Record<string, { system: System; body: Record<string, unknown> }>;

const KILLS = { killWorker: 'worker', killCdc: 'cdc' } satisfies Record<string, Part>;

type Kind = keyof typeof WINDOWS | keyof typeof ONE_SHOTS | keyof typeof KILLS;
const KINDS = [...Object.keys(WINDOWS), ...Object.keys(ONE_SHOTS), ...Object.keys(KILLS)] as Kind[];

/** One fault every this many seconds on average, and never fewer than one of each kind. */
const SECONDS_PER_FAULT = 4;

/** When a fault was in force (epoch ms); a one-shot's `from` and `to` are the same moment. */
export interface FaultSpan {
  kind: string;
  from: number;
  to: number;
}

interface Planned {
  atMs: number;
  kind: Kind;
}

export class Chaos {
  readonly injected: Record<string, number> = {};
  readonly timeline: FaultSpan[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly busyParts = new Set<Part>();

  private readonly kinds: Kind[];

  constructor(
    private readonly system: SoakSystem,
    private readonly random: Random,
    without: readonly string[] = [],
  ) {
    this.kinds = KINDS.filter((kind) => !without.includes(kind));
  }

  plan(durationMs: number): Planned[] {
    const count = Math.max(this.kinds.length, Math.round(durationMs / 1000 / SECONDS_PER_FAULT));
    const kinds: Kind[] = [];
    while (kinds.length < count) kinds.push(...this.random.shuffle(this.kinds));
    const span = durationMs * 0.85;
    return kinds
      .slice(0, count)
      .map((kind, i) => ({ kind, atMs: durationMs * 0.05 + (span * (i + this.random.next())) / count }));
  }

  /** Carries out the plan until `deadline`; every window closes by then. */
  async run(plan: Planned[], startedAt: number, deadline: number): Promise<void> {
    for (const step of plan) {
      await sleep(startedAt + step.atMs - Date.now());
      if (Date.now() >= deadline) break;
      this.track(this.inject(step.kind, deadline));
    }
    await Promise.all(this.running);
  }

  /** Faults off and every part running again: the start of quiescence. */
  async calm(): Promise<void> {
    await Promise.all(this.running);
    await Promise.all([
      got.delete(`${this.system.salesforceUrl}/sandbox/faults`),
      got.delete(`${this.system.procoreUrl}/sandbox/faults`),
    ]);
    for (const part of ['worker', 'cdc', 'ingress'] as const) await this.system.start(part);
  }

  /** A fault made outside the random schedule (the cluster's restarts and deploy), listed like the others. */
  note(kind: string, from: number, to = Date.now()): void {
    this.injected[kind] = (this.injected[kind] ?? 0) + 1;
    this.timeline.push({ kind, from, to });
  }

  private track(work: Promise<void>): void {
    // A fault that fails to play out (a part that does not come back in time) is listed, not fatal: calm() starts
    // every part again before the judging.
    const tracked = work
      .catch((err: unknown) => this.note(`failed: ${err instanceof Error ? err.message : String(err)}`, Date.now()))
      .finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  private async inject(kind: Kind, deadline: number): Promise<void> {
    if (kind in KILLS) return this.killAndRestart(kind as keyof typeof KILLS);
    this.count(kind);
    const from = Date.now();
    if (kind in ONE_SHOTS) {
      const shot = ONE_SHOTS[kind as keyof typeof ONE_SHOTS];
      await this.setFaults(shot.system, shot.body);
      return void this.timeline.push({ kind, from, to: from });
    }
    const window: Window = WINDOWS[kind as keyof typeof WINDOWS];
    await this.setFaults(window.system, window.on);
    await sleep(Math.min(this.random.between(window.maxMs / 2, window.maxMs), deadline - Date.now()));
    await this.setFaults(window.system, window.off);
    this.timeline.push({ kind, from, to: Date.now() });
  }

  /** SIGKILL, down for one to four seconds, started again; a part is never killed while it restarts. */
  private async killAndRestart(kind: keyof typeof KILLS): Promise<void> {
    const part = KILLS[kind];
    if (this.busyParts.has(part)) return;
    this.busyParts.add(part);
    this.count(kind);
    const from = Date.now();
    try {
      await this.system.kill(part);
      await sleep(this.random.between(1000, 4000));
      await this.system.start(part);
    } finally {
      this.busyParts.delete(part);
      this.timeline.push({ kind, from, to: Date.now() });
    }
  }

  private count(kind: Kind): void {
    this.injected[kind] = (this.injected[kind] ?? 0) + 1;
  }

  private async setFaults(system: System, body: Record<string, unknown>): Promise<void> {
    const url = system === 'salesforce' ? this.system.salesforceUrl : this.system.procoreUrl;
    await got.post(`${url}/sandbox/faults`, { json: body });
  }
}
