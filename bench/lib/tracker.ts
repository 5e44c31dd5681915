/**
 * Matches edits with their arrival on the other side. Every edit writes a unique value, so the value alone says
 * which edit an observation belongs to. An observation may even come in before the edit's answer: both orders work.
 */
import type { Direction } from './systems';

export interface Observation {
  direction: Direction;
  value: string;
  /** When the other system held the value (epoch ms, fractional). */
  at: number;
}

export interface ChangeSample {
  direction: Direction;
  value: string;
  /** Which project (index into the population) the change was made on. */
  project: number;
  committedAt: number;
  observedAt: number;
  latencyMs: number;
}

interface Pending {
  direction: Direction;
  project: number;
  committedAt?: number;
  observedAt?: number;
}

export class ChangeTracker {
  private readonly pending = new Map<string, Pending>();
  /** Values of burst edits that a later edit of the same burst supersedes: seeing them is allowed, not awaited. */
  private readonly superseded = new Set<string>();
  private waiters: Array<() => void> = [];
  readonly samples: ChangeSample[] = [];
  intermediateObserved = 0;
  expected = 0;

  expect(direction: Direction, value: string, project: number): void {
    this.pending.set(value, { direction, project });
    this.expected++;
  }

  supersede(value: string): void {
    this.superseded.add(value);
  }

  committed(value: string, at: number): void {
    const entry = this.pending.get(value);
    if (!entry) return;
    entry.committedAt = at;
    this.settle(value, entry);
  }

  /** The edit failed: it will never arrive. */
  abandon(value: string): void {
    if (this.pending.delete(value)) this.expected--;
    this.wake();
  }

  observe(observation: Observation): void {
    if (this.superseded.delete(observation.value)) {
      this.intermediateObserved++;
      return;
    }
    const entry = this.pending.get(observation.value);
    if (!entry || entry.direction !== observation.direction || entry.observedAt !== undefined) return;
    entry.observedAt = observation.at;
    this.settle(observation.value, entry);
  }

  get outstanding(): number {
    return this.pending.size;
  }

  samplesOf(direction: Direction): ChangeSample[] {
    return this.samples.filter((s) => s.direction === direction);
  }

  /** Resolves when every expected change arrived, or at the deadline (then `outstanding` says how many did not). */
  async allObserved(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size > 0 && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private settle(value: string, entry: Pending): void {
    if (entry.committedAt === undefined || entry.observedAt === undefined) return;
    this.pending.delete(value);
    const { direction, project, committedAt, observedAt } = entry;
    this.samples.push({
      direction,
      value,
      project,
      committedAt,
      observedAt,
      latencyMs: Math.max(0, observedAt - committedAt),
    });
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
