/**
 * The one lifecycle every long-running part of Tandem shares: start, report ready, stop in reverse order.
 * Each part depends only on parts started before it, so in `tandem start` the ingress stops taking requests first
 * and the Temporal server goes last; a single process (`tandem worker`) is the same with one part.
 */
import type { Worker } from '@temporalio/worker';
import type { Logger } from '../common/logger';

/** A started process part: workers, the ingress. */
export interface Running {
  /** Resolves when it stopped; rejects if it failed. */
  done: Promise<void>;
  /** Stops taking work, lets in-flight work finish, then resolves `done`. Safe to call when already stopping. */
  shutdown(): void;
  /** Where it can be reached, if it serves HTTP. */
  url?: string;
}

export interface Part {
  name: string;
  stop(): Promise<void>;
  /** Settles when the part stops of its own accord (a worker failed), before anyone asked it to. */
  ended?: Promise<void>;
}

export interface EndedPart {
  name: string;
  error?: unknown;
}

/** A running part as a stoppable part: stop polling, let in-flight tasks finish, resolve when it has. */
export function runningPart(name: string, running: Running): Part {
  return {
    name,
    ended: running.done,
    stop: () => {
      running.shutdown();
      return running.done;
    },
  };
}

/** The Temporal SDK may already be draining a worker; a second shutdown() would throw. */
export function shutdownIfRunning(worker: Worker): void {
  if (worker.getState() === 'RUNNING') worker.shutdown();
}

export class StartedParts {
  private readonly parts: Part[] = [];
  private reportEnd: (ended: EndedPart) => void = () => undefined;
  /** The first part that ended without being asked to; pending while all run. */
  readonly firstEnded = new Promise<EndedPart>((resolve) => (this.reportEnd = resolve));

  constructor(private readonly logger: Logger) {}

  add(part: Part): void {
    this.parts.push(part);
    part.ended?.then(
      () => this.reportEnd({ name: part.name }),
      (error: unknown) => this.reportEnd({ name: part.name, error }),
    );
  }

  /** Stops everything, newest first; resolves with whether every part stopped without an error. */
  async stopAll(): Promise<boolean> {
    let clean = true;
    for (const part of this.parts.splice(0).reverse()) {
      const started = Date.now();
      try {
        await part.stop();
        this.logger.info({ part: part.name, ms: Date.now() - started }, 'stopped');
      } catch (err) {
        clean = false;
        this.logger.error({ part: part.name, err }, 'did not stop cleanly');
      }
    }
    return clean;
  }
}

/** Resolves on the first SIGINT or SIGTERM, so a long-running command can shut down cleanly. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals) => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(signal);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
