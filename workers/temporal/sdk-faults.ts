/**
 * Faults the Temporal SDK reports only in its log, and that Tandem acts on. The SDK's core (1.24) can lose a
 * workflow activation when its workflow cache is full and two tasks of one run wait for a slot together; it logs
 * "Extra buffered run should not have produced an activation", and that run never completes a workflow task on
 * this worker again (Temporal times each attempt out): its project stops syncing, and each such run holds one of the
 * worker's task slots until none is left (bench/README.md, "A sync worker that stopped"). A new worker has neither.
 */
const LOST_ACTIVATION = /Extra buffered run should not have produced an activation/;

type Listener = () => void;
const lostActivationListeners = new Set<Listener>();

/** Calls `listener` on each lost activation the SDK reports; returns the call that stops it. */
export function onLostActivation(listener: Listener): () => void {
  lostActivationListeners.add(listener);
  return () => lostActivationListeners.delete(listener);
}

/** Every SDK log message passes here (workers/temporal/runtime.ts). */
export function noticeSdkLog(message: string): void {
  if (!LOST_ACTIVATION.test(message)) return;
  for (const listener of lostActivationListeners) listener();
}
