/**
 * What `tandem start` has started, stopped in reverse order: each part depends only on parts started before it,
 * so the ingress stops taking requests first and the Temporal server goes last.
 */
import type { Logger } from '../../common/logger';
import type { RunningWorkers } from '../../workers/sync-worker';

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

/** A worker group as a part: stop polling, let in-flight tasks finish, resolve when it has. */
export function workersPart(name: string, running: RunningWorkers): Part {
  return {
    name,
    ended: running.done,
    stop: () => {
      running.shutdown();
      return running.done;
    },
  };
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
