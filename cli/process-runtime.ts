/** What every long-running Tandem process does first: read .env, validate configuration, make a logger. */
import { loadConfig, loadDotEnv, type TandemConfig } from '../common/config';
import { createLogger, type Logger } from '../common/logger';

export function processSetup(name: string): { config: TandemConfig; logger: Logger } {
  loadDotEnv();
  const config = loadConfig();
  return { config, logger: createLogger(name, config.LOG_LEVEL) };
}
