/**
 * How every long-running Tandem process runs: read .env, validate configuration, make a logger, then start its
 * parts and stop them on a signal (see lifecycle.ts). Bad configuration ends it with exit code 2.
 */
import pino from 'pino';
import { loadConfig, loadDotEnv, SECRET_SETTINGS, type TandemConfig } from '../common/config';
import { errors, TandemError } from '../common/errors';
import { createLogger, type Logger } from '../common/logger';
import { serveMetrics } from '../common/metrics-server';
import { assertNoSandboxCredentials, assertTokenBeyondLoopback } from '../common/secure-config';
import { untilSignal, type Running } from './lifecycle';
import { installTemporalRuntime } from './temporal/runtime';

/** Exit code of a process that refused to start on bad configuration (as for a usage error). */
export const EXIT_BAD_CONFIG = 2;

/** `refuseSandboxCredentials`: how the process checks for the sandboxes' credentials against a real system. */
export function processSetup(
  name: string,
  logTo: 'stdout' | 'stderr' = 'stdout',
  refuseSandboxCredentials: (config: TandemConfig) => void = assertNoSandboxCredentials,
): { config: TandemConfig; logger: Logger } {
  loadDotEnv();
  const config = loadConfig();
  refuseSandboxCredentials(config);
  const destination = logTo === 'stderr' ? pino.destination(2) : undefined;
  const secrets = SECRET_SETTINGS.map((setting) => config[setting]);
  return { config, logger: createLogger(name, config.LOG_LEVEL, destination, secrets) };
}

function isConfigurationError(err: unknown): err is TandemError {
  return (
    err instanceof TandemError &&
    [
      errors.CONFIG_INVALID.code,
      errors.MAPPING_INVALID.code,
      errors.PORT_IN_USE.code,
      errors.DATA_DIR_IN_USE.code,
    ].includes(err.code)
  );
}

/** Runs a command; bad configuration, a broken mapping or a taken port ends it with exit code 2 and the message that says what to fix. */
export async function failFastOnConfig(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (err) {
    if (!isConfigurationError(err)) throw err;
    process.stderr.write(`tandem: ${err.message}\n`);
    return EXIT_BAD_CONFIG;
  }
}

export interface ProcessOptions {
  /** It serves /metrics itself (the ingress), so METRICS_PORT is not for it. */
  ownMetrics?: boolean;
  /** Configuration checks of this process, run before anything starts (a refusal is exit code 2). */
  preflight?: (config: TandemConfig) => void;
}

/** A single-part process (`tandem worker`, `cdc`, `ingress`): start, say ready on stdout, stop on a signal or a failure. */
export async function runProcess(
  name: string,
  start: (config: TandemConfig, logger: Logger) => Promise<Running>,
  options: ProcessOptions = {},
): Promise<number> {
  const { config, logger } = processSetup(name);
  const servesMetrics = !options.ownMetrics && config.METRICS_PORT !== undefined;
  if (servesMetrics) assertTokenBeyondLoopback(config, 'METRICS_HOST');
  options.preflight?.(config);
  installTemporalRuntime(logger);
  const running = await start(config, logger);
  const metrics =
    servesMetrics && config.METRICS_PORT !== undefined
      ? await serveMetrics(config.METRICS_HOST, config.METRICS_PORT, config.TANDEM_API_TOKEN)
      : undefined;
  if (metrics) logger.info({ url: metrics.url }, 'serving metrics');
  process.stdout.write(`${name} ready${running.url ? ` at ${running.url}` : ''}\n`);
  const stopped = await Promise.race([
    untilSignal().then(() => 'signal' as const),
    running.done.then(() => 'done' as const),
  ]);
  if (stopped === 'signal') {
    logger.info('shutting down: finishing in-flight work');
    running.shutdown();
    await running.done;
  }
  await metrics?.close();
  // Kept-alive sockets to the systems (closed only when they close them) must not hold a stopped process up.
  setTimeout(() => process.exit(), 3_000).unref();
  return 0;
}
