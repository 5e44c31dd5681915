/**
 * Every edit people made, with when it was answered, so the end state can be checked against them: each field's
 * final value must come from the last edit of that field, or from a same-field edit on the other side made within
 * the conflict window before it (either may win a conflict, depending on the field's policy and the systems' clocks).
 */
import type { CanonicalFields, CanonicalValue, Side } from '../../../mappings';
import type { Channel } from './people';

export interface Edit {
  salesforceId: string;
  channel: Channel | 'salesforceCreate';
  side: Side;
  field: string;
  value: CanonicalValue;
  /** Epoch ms when the system answered: the edit is committed by then. */
  at: number;
}

/**
 * Edits of one field on both sides closer than this are a conflict either of which may win: both systems stamp
 * whole seconds, so 2 s is the least; raise it to the clock skew the sync semantics say Tandem tolerates.
 */
export const CONFLICT_WINDOW_MS = 2000;

export const sideOf = (channel: Edit['channel']): Side => (channel === 'procoreConsole' ? 'procore' : 'salesforce');

export class Ledger {
  private readonly byField = new Map<string, Edit[]>();
  private readonly moments = new Map<Edit['channel'], number>();
  conflicts = 0;
  failed = 0;

  constructor(private readonly conflictWindowMs = CONFLICT_WINDOW_MS) {}

  /** One edit moment (one request) that set `values` on one record. */
  record(salesforceId: string, channel: Edit['channel'], values: CanonicalFields, at: number): void {
    this.moments.set(channel, (this.moments.get(channel) ?? 0) + 1);
    for (const [field, value] of Object.entries(values)) {
      const key = `${salesforceId}/${field}`;
      const edits = this.byField.get(key) ?? [];
      edits.push({ salesforceId, channel, side: sideOf(channel), field, value, at });
      this.byField.set(key, edits);
    }
  }

  /** Edits made by people after creation, by channel. */
  editsByChannel(): Record<string, number> {
    return Object.fromEntries([...this.moments].filter(([channel]) => channel !== 'salesforceCreate'));
  }

  get edits(): number {
    return Object.values(this.editsByChannel()).reduce((sum, n) => sum + n, 0);
  }

  /** The field's last few edits, oldest first: what a diverged or lost field is explained by. */
  history(salesforceId: string, field: string, last = 3): Array<Pick<Edit, 'channel' | 'value' | 'at'>> {
    const edits = [...(this.byField.get(`${salesforceId}/${field}`) ?? [])].sort((a, b) => a.at - b.at);
    return edits.slice(-last).map(({ channel, value, at }) => ({ channel, value, at }));
  }

  /** The values the field may end with: the last edit on each side, if within the conflict window of the last. */
  acceptable(salesforceId: string, field: string): CanonicalValue[] | undefined {
    const edits = this.byField.get(`${salesforceId}/${field}`);
    if (!edits?.length) return undefined;
    const latest = Math.max(...edits.map((e) => e.at));
    const values: CanonicalValue[] = [];
    for (const side of ['salesforce', 'procore'] as const) {
      const last = edits.filter((e) => e.side === side).sort((a, b) => b.at - a.at)[0];
      if (last && latest - last.at <= this.conflictWindowMs) values.push(last.value);
    }
    return values;
  }
}
