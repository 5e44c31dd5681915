/**
 * Every edit people made, with when it was sent and answered (the system committed it in between), so the end state
 * can be checked against them: each field's final value must come from the last edit of that field on one side, and
 * the last edit on a side may only have lost to the other side's last edit if that one was certainly made more than
 * the conflict window later (either may win a closer conflict: docs/sync-semantics.md, `latest`).
 */
import type { CanonicalFields, CanonicalValue, Side } from '../../../mappings';
import { DEFAULT_MERGE_SETTINGS } from '../../../workflows/project-sync/merge';
import type { Channel } from './people';

export interface Edit {
  salesforceId: string;
  channel: Channel | 'salesforceCreate';
  side: Side;
  field: string;
  value: CanonicalValue;
  /** Epoch ms when the system answered: the edit is committed by then. */
  at: number;
  /** Epoch ms when the request was sent: the edit is committed after this. */
  sentAt: number;
}

/**
 * Edits of one field on both sides closer than this are a conflict either of which may win. `latest` counts changes
 * within the clock tolerance (2 s) as simultaneous, and both systems stamp whole seconds (1 s more), so a later edit
 * is certain to win only when it was committed more than 3 s after the other (the soak's systems share one clock;
 * add the skew between them otherwise).
 */
export const CONFLICT_WINDOW_MS = DEFAULT_MERGE_SETTINGS.clockToleranceMs + 1000;

export const sideOf = (channel: Edit['channel']): Side => (channel === 'procoreConsole' ? 'procore' : 'salesforce');

export class Ledger {
  private readonly byField = new Map<string, Edit[]>();
  private readonly moments = new Map<Edit['channel'], number>();
  conflicts = 0;
  failed = 0;

  constructor(private readonly conflictWindowMs = CONFLICT_WINDOW_MS) {}

  /** One edit moment (one request, sent at `sentAt` and answered at `at`) that set `values` on one record. */
  record(salesforceId: string, channel: Edit['channel'], values: CanonicalFields, at: number, sentAt = at): void {
    this.moments.set(channel, (this.moments.get(channel) ?? 0) + 1);
    for (const [field, value] of Object.entries(values)) {
      const key = `${salesforceId}/${field}`;
      const edits = this.byField.get(key) ?? [];
      edits.push({ salesforceId, channel, side: sideOf(channel), field, value, at, sentAt });
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

  /** Every edit of the field, oldest first. */
  all(salesforceId: string, field: string): Edit[] {
    return [...(this.byField.get(`${salesforceId}/${field}`) ?? [])].sort((a, b) => a.at - b.at);
  }

  /** The moments a person edited the record's Procore project (any field), oldest first: one entry per request. */
  procoreMoments(salesforceId: string): Array<Pick<Edit, 'at' | 'sentAt'>> {
    const moments = new Map<string, Pick<Edit, 'at' | 'sentAt'>>();
    for (const [key, edits] of this.byField) {
      if (!key.startsWith(`${salesforceId}/`)) continue;
      for (const { side, at, sentAt } of edits) if (side === 'procore') moments.set(`${sentAt}/${at}`, { at, sentAt });
    }
    return [...moments.values()].sort((a, b) => a.at - b.at);
  }

  /** The field's last few edits, oldest first: what a diverged or lost field is explained by. */
  history(salesforceId: string, field: string, last = 3): Array<Pick<Edit, 'channel' | 'value' | 'at'>> {
    const edits = [...(this.byField.get(`${salesforceId}/${field}`) ?? [])].sort((a, b) => a.at - b.at);
    return edits.slice(-last).map(({ channel, value, at }) => ({ channel, value, at }));
  }

  /**
   * The values the field may end with: the last edit on each side, unless the other side's last edit was sent more
   * than the conflict window after it was answered (then it was certainly committed more than the window later).
   * The `winner` of the field's policy keeps its last edit in any case: the other side's later edit may have been
   * made before that value reached it, and then the two were concurrent.
   */
  acceptable(salesforceId: string, field: string, winner?: Side): CanonicalValue[] | undefined {
    const edits = this.byField.get(`${salesforceId}/${field}`);
    if (!edits?.length) return undefined;
    const lastOn = (side: Side) => edits.filter((e) => e.side === side).sort((a, b) => b.at - a.at)[0];
    const values: CanonicalValue[] = [];
    for (const side of ['salesforce', 'procore'] as const) {
      const last = lastOn(side);
      const other = lastOn(side === 'salesforce' ? 'procore' : 'salesforce');
      if (last && (side === winner || !other || other.sentAt - last.at <= this.conflictWindowMs))
        values.push(last.value);
    }
    return values;
  }
}
