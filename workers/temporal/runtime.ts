/**
 * The Temporal SDK runtime of every Tandem process, installed before any worker exists. Two reasons: the SDK's own
 * SIGINT/SIGTERM handler would start draining every worker at the first Ctrl-C, before the ingress has stopped,
 * and its logs (TypeScript and native) should reach the same JSON log as everything else, where the faults it
 * reports only there are noticed (sdk-faults.ts).
 */
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../../common/logger';
import { noticeSdkLog } from './sdk-faults';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

export function installTemporalRuntime(logger: Logger): void {
  const sdk = logger.child({ component: 'temporal-sdk' });
  Runtime.install({
    shutdownSignals: [],
    // Warnings and errors only: the worker lifecycle chatter would hide what matters.
    logger: new DefaultLogger('WARN', (entry) => {
      sdk[PINO_LEVEL[entry.level]](entry.meta ?? {}, entry.message);
      noticeSdkLog(entry.message);
    }),
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
  });
}
