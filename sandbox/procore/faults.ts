/**
 * The fault switch (`POST /sandbox/faults`, `DELETE /sandbox/faults`): added latency, a share of 500/503 answers
 * with Retry-After, forced 429s for the next N requests, webhook duplication or reordering, and project fields
 * whose written values are stored as null (`nullFields`), which is what Procore does, without failing the request,
 * with a value it cannot read: a client's check of what was stored can be tested with any value. Faults are
 * sandbox-only state and are not persisted.
 */
import { z } from 'zod';
import type { ProjectAttributes } from './projects/schemas';

export const faultsSchema = z.strictObject({
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  force429: z.union([z.boolean(), z.number().int().min(0)]).optional(),
  duplicateWebhooks: z.boolean().optional(),
  reorderWebhooks: z.boolean().optional(),
  nullFields: z
    .array(z.string().regex(/^[a-z_]+$/))
    .max(50)
    .optional(),
});
export type FaultsInput = z.output<typeof faultsSchema>;

export interface FaultsState {
  latencyMs: number;
  errorRate: number;
  force429: number;
  duplicateWebhooks: boolean;
  reorderWebhooks: boolean;
  nullFields: string[];
}

/** Seconds a faulted 5xx or forced 429 asks the client to wait: short, so tests and demos recover quickly. */
export const FAULT_RETRY_AFTER_SECONDS = 1;

function none(): FaultsState {
  return { latencyMs: 0, errorRate: 0, force429: 0, duplicateWebhooks: false, reorderWebhooks: false, nullFields: [] };
}

export class Faults {
  private state: FaultsState = none();

  /** Merges: keys left out keep their current value, so faults can be switched one at a time. */
  set(input: FaultsInput): FaultsState {
    const { force429, ...rest } = input;
    const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    this.state = { ...this.state, ...defined };
    if (force429 !== undefined) this.state.force429 = typeof force429 === 'boolean' ? Number(force429) : force429;
    return this.snapshot();
  }

  clear(): FaultsState {
    this.state = none();
    return this.snapshot();
  }

  snapshot(): FaultsState {
    return { ...this.state, nullFields: [...this.state.nullFields] };
  }

  get latencyMs(): number {
    return this.state.latencyMs;
  }

  get duplicateWebhooks(): boolean {
    return this.state.duplicateWebhooks;
  }

  get reorderWebhooks(): boolean {
    return this.state.reorderWebhooks;
  }

  /** An API write's attributes with the `nullFields` the client sent set to null, as Procore would store them. */
  storeAsNull(attributes: ProjectAttributes): ProjectAttributes {
    const nulled = this.state.nullFields.filter((field) => field in attributes);
    if (nulled.length === 0) return attributes;
    return { ...attributes, ...Object.fromEntries(nulled.map((field) => [field, null])) };
  }

  /** True (and one fewer left) when this request must get a forced 429. */
  takeForced429(): boolean {
    if (this.state.force429 <= 0) return false;
    this.state.force429 -= 1;
    return true;
  }

  /** The 5xx status this request must get, if the error-rate dice say so. */
  rollServerError(): 500 | 503 | null {
    if (this.state.errorRate <= 0 || Math.random() >= this.state.errorRate) return null;
    return Math.random() < 0.5 ? 500 : 503;
  }
}
