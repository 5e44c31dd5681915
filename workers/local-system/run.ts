/**
 * `tandem start` (`npm start`): the whole system in one process, on the sandboxes unless real systems are
 * configured. Ctrl-C or SIGTERM stops everything it started, newest first, letting in-flight work finish.
 */
import { StartedParts } from '../lifecycle';
import { processSetup } from '../run-process';
import { assertNoSandboxCredentialsAsPlanned, startLocalSystem } from './local-system';
import { readyBanner } from './ready-banner';
import { watchStopSignals } from './stop-signals';

/**
 * Whatever a library left open (the Temporal runtime after a failed start, a retrying socket) must not keep the
 * terminal waiting once everything has stopped; the exit code is the one already set.
 */
function exitSoonAnyway(): void {
  setTimeout(() => {
    process.stderr.write('tandem: an open handle kept the process alive after everything stopped; exiting anyway\n');
    process.exit();
  }, 3_000).unref();
}

async function run(): Promise<number> {
  // Logs go to stderr: stdout carries the summary and the ready line.
  const { config, logger } = processSetup('tandem', 'stderr', (loaded) =>
    assertNoSandboxCredentialsAsPlanned(loaded, process.env),
  );
  // Listening from the very start: a Ctrl-C during start-up must still stop the dev server, which has its own process group.
  let signalled = false;
  const signals = watchStopSignals();
  const signal = signals.requested.then((received) => ((signalled = true), received));
  const parts = new StartedParts(logger);
  try {
    const system = await startLocalSystem(config, process.env, logger, parts);
    if (!signalled) process.stdout.write(readyBanner(system));
  } catch (err) {
    await parts.stopAll();
    throw err;
  }
  const stopped = await Promise.race([
    signal.then((received) => ({ signal: received })),
    parts.firstEnded.then((ended) => ({ ended })),
  ]);
  if ('ended' in stopped) {
    signals.stopping();
    logger.error(
      { part: stopped.ended.name, err: stopped.ended.error },
      'a part stopped on its own: stopping the rest',
    );
  } else logger.info({ signal: stopped.signal }, 'stopping: finishing in-flight work');
  const clean = (await parts.stopAll()) && 'signal' in stopped;
  process.stdout.write(clean ? 'Tandem stopped\n' : 'Tandem stopped, not cleanly; see the log\n');
  return clean ? 0 : 1;
}

export function runLocalSystem(): Promise<number> {
  return run().finally(exitSoonAnyway);
}
