/** One sync under test on its sandbox pair, with its projects, its observers and what it has been seen to do. */
import type { Logger } from '../../common/logger';
import { OwnCalls } from './api-calls';
import type { LinkedProject } from './console-user';
import { observePair, type Observers } from './observers';
import type { SandboxUrls } from './systems';
import { ChangeTracker } from './tracker';

export class Rig {
  /** Replaced at each measured step. */
  tracker = new ChangeTracker();
  readonly ownCalls = new OwnCalls();
  private observers: Observers | undefined;

  constructor(
    readonly name: 'tandem' | 'floor',
    readonly pair: SandboxUrls,
    readonly projects: LinkedProject[],
  ) {}

  /** Starts watching the far sides for the sync's writes (`client=<syncSalesforceClient>` in Salesforce). */
  async observe(syncSalesforceClient: string, logger: Logger): Promise<void> {
    this.observers = await observePair(this.pair, {
      syncSalesforceClient,
      ownCalls: this.ownCalls,
      logger,
      onObservation: (o) => this.tracker.observe(o),
    });
  }

  async stop(): Promise<void> {
    await this.observers?.stop();
  }
}
