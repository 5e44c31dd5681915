/** The ProjectSync settings a process hands to each sync it starts, from configuration. */
import type { TandemConfig } from '../common/config';
import type { ProjectSyncSettings } from '../workflows/project-sync/messages';

/** Syncs already running keep the settings they were started with (they carry them across continue-as-new). */
export function syncSettings(config: TandemConfig): Partial<ProjectSyncSettings> {
  return {
    coalesceWindowMs: config.TANDEM_COALESCE_MS,
    retryFirstDelayMs: config.TANDEM_RETRY_FIRST_MS,
    retryMaxDelayMs: Math.max(config.TANDEM_RETRY_FIRST_MS, config.TANDEM_RETRY_MAX_MS),
    recheckRejectedMs: config.TANDEM_RECHECK_REJECTED_MS,
    activityMaxAttempts: config.TANDEM_ACTIVITY_MAX_ATTEMPTS,
    activityMaxIntervalMs: config.TANDEM_ACTIVITY_MAX_INTERVAL_MS,
    createInProcore: config.TANDEM_CREATE_IN_PROCORE === 'on',
  };
}
