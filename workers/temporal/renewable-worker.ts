/**
 * A worker that can be replaced in place by a new one on the same task queue: the way out of a fault inside the
 * Temporal SDK (sdk-faults.ts) without restarting the process. The new worker polls at once; the old one is asked to
 * shut down and is not waited for (a run the SDK lost never finishes, so its shutdown may not either). Runs the old
 * worker held reach the new one when Temporal times their tasks out (seconds).
 */
import type { Worker } from '@temporalio/worker';
import type { Logger } from '../../common/logger';
import { shutdownIfRunning } from '../lifecycle';

/** Faults closer together than this lead to one renewal, at the end of the gap: a burst is one fault. */
const DEFAULT_MIN_GAP_MS = 30_000;

export interface RenewableWorkerOptions {
  create: () => Promise<Worker>;
  logger: Logger;
  minGapMs?: number;
  /** Called after each renewal (a metric). */
  onRenewed?: (reason: string) => void;
}

export class RenewableWorker {
  /** How many times it was replaced. */
  renewals = 0;
  private running: Promise<void>;
  private replaced: Promise<void>;
  private signalReplaced: () => void = () => undefined;
  private stopping = false;
  private renewing = false;
  private lastRenewedAt = 0;
  private pendingRenewal: NodeJS.Timeout | undefined;

  private constructor(
    private current: Worker,
    private readonly options: RenewableWorkerOptions,
  ) {
    this.running = current.run();
    this.replaced = this.nextReplacement();
  }

  static async start(options: RenewableWorkerOptions): Promise<RenewableWorker> {
    return new RenewableWorker(await options.create(), options);
  }

  get worker(): Worker {
    return this.current;
  }

  /** Whether a renewal waits for the gap since the last one to pass. */
  get renewalPending(): boolean {
    return this.pendingRenewal !== undefined;
  }

  /** Settles when the current worker stops and is not being replaced; rejects if it fails. */
  async run(): Promise<void> {
    for (;;) {
      const running = this.running;
      const replaced = this.replaced;
      await Promise.race([running, replaced]);
      if (this.running === running) return;
    }
  }

  /** Renews now, or once the gap since the last renewal has passed; repeated calls meanwhile add nothing. */
  renewAfterFault(reason: string): void {
    if (this.stopping || this.pendingRenewal) return;
    const wait = Math.max(0, this.lastRenewedAt + (this.options.minGapMs ?? DEFAULT_MIN_GAP_MS) - Date.now());
    this.pendingRenewal = setTimeout(() => {
      this.pendingRenewal = undefined;
      void this.renew(reason);
    }, wait);
    this.pendingRenewal.unref();
  }

  /** Replaces the current worker with a new one; false when stopping, already renewing, or the new one failed. */
  async renew(reason: string): Promise<boolean> {
    if (this.stopping || this.renewing) return false;
    this.renewing = true;
    const { logger } = this.options;
    try {
      const next = await this.options.create();
      if (this.stopping) {
        shutdownIfRunning(next);
        return false;
      }
      const [old, oldRun] = [this.current, this.running];
      this.current = next;
      this.running = next.run();
      this.renewals++;
      this.lastRenewedAt = Date.now();
      oldRun.catch((err: unknown) => logger.warn({ err: String(err) }, 'the replaced worker ended with an error'));
      shutdownIfRunning(old);
      this.signalReplaced();
      this.replaced = this.nextReplacement();
      logger.error({ reason, renewals: this.renewals }, 'workflow worker replaced by a new one');
      this.options.onRenewed?.(reason);
      return true;
    } catch (err) {
      logger.error({ reason, err: String(err) }, 'could not start a new workflow worker; the old one goes on');
      return false;
    } finally {
      this.renewing = false;
    }
  }

  shutdown(): void {
    this.stopping = true;
    clearTimeout(this.pendingRenewal);
    shutdownIfRunning(this.current);
  }

  private nextReplacement(): Promise<void> {
    return new Promise<void>((resolve) => (this.signalReplaced = resolve));
  }
}
