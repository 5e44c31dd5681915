/**
 * The Temporal SDK runtime of every Tandem process, installed before any worker exists. Two reasons: the SDK's own
 * SIGINT/SIGTERM handler would start draining every worker at the first Ctrl-C, before the ingress has stopped,
 * and its logs (TypeScript and native) should reach the same JSON log as everything else, where the faults it
 * reports only there are noticed (sdk-faults.ts).
 */
import { DefaultLogger, Runtime, type LogEntry, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../../common/logger';
import { noticeSdkLog } from './sdk-faults';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * SDK warnings about what Tandem does on purpose, logged at debug. Each system's activities and the CDC stream run
 * on workers of their own, with no workflows: the SDK warns, once for each such worker, that it polls none.
 */
const EXPECTED_SDK_WARNINGS = new Set(['No workflows registered, not polling for workflow tasks']);

function levelOf(entry: LogEntry): 'trace' | 'debug' | 'info' | 'warn' | 'error' {
  return entry.level === 'WARN' && EXPECTED_SDK_WARNINGS.has(entry.message) ? 'debug' : PINO_LEVEL[entry.level];
}

export function installTemporalRuntime(logger: Logger): void {
  const sdk = logger.child({ component: 'temporal-sdk' });
  Runtime.install({
    shutdownSignals: [],
    // Warnings and errors only: the worker lifecycle chatter would hide what matters.
    logger: new DefaultLogger('WARN', (entry) => {
      sdk[levelOf(entry)](entry.meta ?? {}, entry.message);
      noticeSdkLog(entry.message);
    }),
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
  });
}
