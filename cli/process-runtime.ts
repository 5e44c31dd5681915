/** What every long-running Tandem process does first: read .env, validate configuration, make a logger. */
import pino from 'pino';
import { loadConfig, loadDotEnv, type TandemConfig } from '../common/config';
import { errors, TandemError } from '../common/errors';
import { createLogger, type Logger } from '../common/logger';

/** Exit code of a process that refused to start on bad configuration (as for a usage error). */
export const EXIT_BAD_CONFIG = 2;

export function processSetup(name: string, logTo: 'stdout' | 'stderr' = 'stdout'): { config: TandemConfig; logger: Logger } {
  loadDotEnv();
  const config = loadConfig();
  const destination = logTo === 'stderr' ? pino.destination(2) : undefined;
  return { config, logger: createLogger(name, config.LOG_LEVEL, destination) };
}

function isConfigurationError(err: unknown): err is TandemError {
  return err instanceof TandemError && [errors.CONFIG_INVALID.code, errors.MAPPING_INVALID.code, errors.PORT_IN_USE.code].includes(err.code);
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
