/**
 * Which Salesforce record each Procore project belongs to, as the projects' routers know it. With the link known,
 * the ingress signals the record's ProjectSync itself and a Procore change skips the router's workflow task and
 * its signal on (bench/README.md: about 75 ms). The router stays the path for projects not yet known here.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { procoreRouterWorkflowId, routedToQuery } from '../workflows/procore-router/procore-router';

/** Links kept per ingress (about 100 bytes each); the oldest learned is forgotten first. */
const LINK_LIMIT = 100_000;
/**
 * A router started by a webhook (a project's creation) hears the link from ProjectSync a moment later, later still
 * on a busy worker: ask again after these pauses, then only on the project's next webhook.
 */
const ASK_AGAIN_MS = [2000, 10_000, 60_000];

export class ProcoreLinks {
  private readonly links = new Map<string, string>();
  private readonly asking = new Set<string>();

  constructor(
    private readonly client: Client,
    private readonly onError: (procoreProjectId: string, err: unknown) => void = () => undefined,
  ) {}

  salesforceIdOf(procoreProjectId: string): string | undefined {
    return this.links.get(procoreProjectId);
  }

  /** Asks the project's router in the background; at most one question per project at a time. */
  learn(procoreProjectId: string): void {
    if (this.links.has(procoreProjectId) || this.asking.has(procoreProjectId)) return;
    this.asking.add(procoreProjectId);
    void this.ask(procoreProjectId).finally(() => this.asking.delete(procoreProjectId));
  }

  private async ask(procoreProjectId: string): Promise<void> {
    const handle = this.client.workflow.getHandle(procoreRouterWorkflowId(procoreProjectId));
    for (const pause of [0, ...ASK_AGAIN_MS]) {
      if (pause > 0) await delay(pause, undefined, { ref: false });
      try {
        const salesforceId = await handle.query(routedToQuery);
        if (salesforceId) return this.remember(procoreProjectId, salesforceId);
      } catch (err) {
        // Not started yet, or busy: the next pause may find it.
        this.onError(procoreProjectId, err);
      }
    }
  }

  private remember(procoreProjectId: string, salesforceId: string): void {
    if (this.links.size >= LINK_LIMIT) this.links.delete(this.links.keys().next().value as string);
    this.links.set(procoreProjectId, salesforceId);
  }
}
