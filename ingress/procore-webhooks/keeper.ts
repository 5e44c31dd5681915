/**
 * Keeps the ingress's Procore webhook registered, in the background: the ingress serves from the start whether or
 * not Procore answers, registers as soon as it does (retrying with growing back-off, at most 30 s apart), and
 * re-checks every `recheckMs` so a hook deleted in Procore (by an admin, or by Procore after failed deliveries)
 * comes back. `/readyz` reports the state through `readinessCheck`.
 */
import type { ProcoreClient } from '../../activities/procore/client';
import type { Logger } from '../../common/logger';
import { registerProcoreWebhook } from './register';

export interface WebhookKeeperOptions {
  procore: ProcoreClient;
  authorization: string;
  recheckMs: number;
  logger: Logger;
  /** First retry delay after a failed attempt; doubles up to maxRetryMs (30 s), never beyond recheckMs. */
  firstRetryMs?: number;
  maxRetryMs?: number;
}

/** A Procore back after an outage gets its hook (and the ingress its readiness) within this long. */
const MAX_RETRY_MS = 30_000;

export interface WebhookState {
  registered: boolean;
  hookId?: number;
  /** When the hook was last confirmed in place. */
  confirmedAt?: string;
  lastError?: string;
}

export class WebhookKeeper {
  private state: WebhookState = { registered: false };
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failures = 0;
  private stopped = false;
  private destinationUrl = '';

  constructor(private readonly options: WebhookKeeperOptions) {}

  /**
   * `destinationUrl`: where Procore delivers, known once the ingress listens. Resolves when the first attempt has
   * settled, whatever its outcome (later ones run in the background), so a caller may wait briefly for it.
   */
  start(destinationUrl: string): Promise<void> {
    this.destinationUrl = destinationUrl;
    const first = this.check();
    this.running = first.finally(() => (this.running = undefined));
    return first;
  }

  status(): WebhookState {
    return { ...this.state };
  }

  /** For /readyz: fails while the hook is not (yet) confirmed in place. */
  readonly readinessCheck = async (): Promise<void> => {
    if (this.state.registered) return;
    throw new Error(`Procore webhook not registered yet${this.state.lastError ? `: ${this.state.lastError}` : ''}`);
  };

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.check().finally(() => (this.running = undefined));
    }, delayMs);
    this.timer.unref();
  }

  private async check(): Promise<void> {
    const { procore, authorization, logger, recheckMs } = this.options;
    try {
      const { hookId, created } = await registerProcoreWebhook(procore, this.destinationUrl, authorization);
      if (created || !this.state.registered) logger.info({ hookId, hookCreated: created }, 'Procore webhook in place');
      this.state = { registered: true, hookId, confirmedAt: new Date().toISOString() };
      this.failures = 0;
      this.schedule(recheckMs);
    } catch (err) {
      this.failures += 1;
      const message = (err as Error).message;
      // Unconfirmed while Procore does not answer: /readyz says so until a check succeeds again.
      this.state = { ...this.state, lastError: message, registered: false };
      const cap = Math.min(recheckMs, this.options.maxRetryMs ?? MAX_RETRY_MS);
      const retryMs = Math.min(cap, (this.options.firstRetryMs ?? 1000) * 2 ** Math.min(this.failures - 1, 16));
      logger.warn({ err: message, retryMs }, 'Procore webhook registration failed; retrying');
      this.schedule(retryMs);
    }
  }
}
