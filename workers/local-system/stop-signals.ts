/**
 * The signals that stop `tandem start`. The first SIGINT or SIGTERM asks for a clean stop; another one ends the
 * process at once (the dev server is killed by its exit hook), as does the first once the system stops on its own
 * (a part failed). One Ctrl-C often arrives twice, though: the
 * terminal sends it to every process of its foreground group, and `npm start` forwards the one it got to its child.
 * So a signal within SAME_REQUEST_MS of the first is the same request, not a second Ctrl-C.
 */

export const SAME_REQUEST_MS = 1_000;
/** Exit code of a stop cut short by a second signal (128 + SIGINT, as a shell reports an interrupted command). */
export const EXIT_INTERRUPTED = 130;

export interface StopSignals {
  /** Resolves with the first signal. */
  requested: Promise<NodeJS.Signals>;
  /** The system stops on its own: from now on even a first signal ends the process at once. */
  stopping(): void;
}

/** Listens from now on; the listeners stay for the life of the process, which ends with the stop. */
export function watchStopSignals(): StopSignals {
  let firstAt: number | undefined;
  let stopping = false;
  let request: (signal: NodeJS.Signals) => void = () => undefined;
  const requested = new Promise<NodeJS.Signals>((resolve) => (request = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    const now = Date.now();
    if (firstAt === undefined) {
      firstAt = now;
      request(signal);
      if (stopping) process.exit(EXIT_INTERRUPTED);
    } else if (now - firstAt >= SAME_REQUEST_MS) process.exit(EXIT_INTERRUPTED);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { requested, stopping: () => void (stopping = true) };
}
