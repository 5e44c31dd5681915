/**
 * Which Procore project each Salesforce record is linked to, learnt as a person would see it: the record's
 * Procore ID field, read from the Salesforce sandbox's record dump (not an API call, so not counted).
 */
import got from 'got';
import { sleep } from './random';

export interface SalesforceRow {
  Id: string;
  IsDeleted?: boolean;
  Procore_ID__c?: string | null;
  [field: string]: unknown;
}

export async function salesforceRows(salesforceUrl: string): Promise<SalesforceRow[]> {
  const rows = await got(`${salesforceUrl}/sandbox/records`, { retry: { limit: 2 } }).json<SalesforceRow[]>();
  return rows.filter((row) => !row.IsDeleted);
}

export class Links {
  private readonly procoreIds = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private following = false;

  constructor(private readonly salesforceUrl: string) {}

  async refresh(): Promise<void> {
    for (const row of await salesforceRows(this.salesforceUrl)) {
      if (row.Procore_ID__c) this.procoreIds.set(row.Id, Number(row.Procore_ID__c));
    }
  }

  procoreId(salesforceId: string): number | undefined {
    return this.procoreIds.get(salesforceId);
  }

  linked(ids: readonly string[]): string[] {
    return ids.filter((id) => this.procoreIds.has(id));
  }

  /** Keeps refreshing in the background until `stop`. */
  follow(everyMs = 500): void {
    this.following = true;
    const again = () => {
      if (this.following) this.timer = setTimeout(tick, everyMs);
    };
    const tick = () => void this.refresh().then(again, again);
    tick();
  }

  stop(): void {
    this.following = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  async waitForAll(ids: readonly string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.refresh();
      const missing = ids.length - this.linked(ids).length;
      if (missing === 0) return;
      if (Date.now() > deadline)
        throw new Error(`${missing} of ${ids.length} projects were not linked within ${timeoutMs} ms`);
      await sleep(500);
    }
  }
}
