/**
 * Which Salesforce record each Procore project belongs to, as Temporal's visibility store knows it (ProjectSync's
 * `ProcoreProjectId` and `SalesforceId` search attributes). With the link known, the ingress signals the record's
 * ProjectSync itself and a Procore change skips the router's workflow task and its signal on (bench/README.md).
 * Visibility answers without a worker: asking a router instead made the worker replay it whenever it was not cached.
 * The router stays the path for projects not linked yet (a project born in Procore) or not yet visible.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import {
  LINKED_SYNCS_QUERY,
  linkedSyncQuery,
  procoreProjectIdKey,
  salesforceIdKey,
} from '../workflows/search-attributes';

/** Links kept per ingress (about 100 bytes each); the oldest learned is forgotten first. */
const LINK_LIMIT = 100_000;
/**
 * A project linked a moment ago may not be visible yet (visibility is written after the workflow task): ask again
 * after these pauses, then only on the project's next webhook.
 */
const ASK_AGAIN_MS = [2000, 10_000, 60_000];
/** A webhook waits at most this for visibility's answer before it takes the router; the router is never wrong. */
const LOOKUP_WAIT_MS = 1000;

export type LinkLookupFailure = (procoreProjectId: string, err: unknown) => void;

export class ProcoreLinks {
  private readonly links = new Map<string, string>();
  private readonly asking = new Set<string>();

  constructor(
    private readonly client: Client,
    private readonly onError: LinkLookupFailure = () => undefined,
  ) {}

  salesforceIdOf(procoreProjectId: string): string | undefined {
    return this.links.get(procoreProjectId);
  }

  /** Every link visibility holds, read page by page (an ingress's start); returns how many it learnt. */
  async loadAll(): Promise<number> {
    let learnt = 0;
    for await (const run of this.client.workflow.list({ query: LINKED_SYNCS_QUERY })) {
      const procoreProjectId = run.typedSearchAttributes.get(procoreProjectIdKey);
      const salesforceId = run.typedSearchAttributes.get(salesforceIdKey);
      if (!procoreProjectId || !salesforceId) continue;
      this.remember(procoreProjectId, salesforceId);
      learnt++;
    }
    return learnt;
  }

  /** The link, known here or read from visibility; undefined when neither knows it in time. */
  async find(procoreProjectId: string): Promise<string | undefined> {
    const known = this.links.get(procoreProjectId);
    if (known) return known;
    const timeout = new AbortController();
    try {
      return await Promise.race([
        this.lookUp(procoreProjectId),
        delay(LOOKUP_WAIT_MS, undefined, { ref: false, signal: timeout.signal }),
      ]);
    } catch (err) {
      this.onError(procoreProjectId, err);
      return undefined;
    } finally {
      timeout.abort();
    }
  }

  /** Asks visibility again in the background after a webhook took the router; one question per project at a time. */
  learn(procoreProjectId: string): void {
    if (this.links.has(procoreProjectId) || this.asking.has(procoreProjectId)) return;
    this.asking.add(procoreProjectId);
    void this.askAgain(procoreProjectId).finally(() => this.asking.delete(procoreProjectId));
  }

  private async askAgain(procoreProjectId: string): Promise<void> {
    for (const pause of ASK_AGAIN_MS) {
      await delay(pause, undefined, { ref: false });
      try {
        if (await this.lookUp(procoreProjectId)) return;
      } catch (err) {
        this.onError(procoreProjectId, err);
      }
    }
  }

  private async lookUp(procoreProjectId: string): Promise<string | undefined> {
    const query = linkedSyncQuery(procoreProjectId);
    if (!query) return undefined;
    const claimed: string[] = [];
    for await (const run of this.client.workflow.list({ query, pageSize: 2 })) {
      const salesforceId = run.typedSearchAttributes.get(salesforceIdKey);
      if (salesforceId) claimed.push(salesforceId);
      if (claimed.length > 1) break;
    }
    // Two syncs claiming one project is for the router to settle: it links a project once.
    const [only] = claimed;
    return claimed.length === 1 && only ? this.remember(procoreProjectId, only) : undefined;
  }

  private remember(procoreProjectId: string, salesforceId: string): string {
    if (this.links.size >= LINK_LIMIT && !this.links.has(procoreProjectId))
      this.links.delete(this.links.keys().next().value as string);
    this.links.set(procoreProjectId, salesforceId);
    return salesforceId;
  }
}
