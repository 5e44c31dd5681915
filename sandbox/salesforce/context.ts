/** What the route plugins share: the org's state and the sandbox's switches, built once in `index.ts`. */
import type { Sessions } from './auth';
import type { ChangeLog } from './change-events';
import type { CometdEndpoint } from './cometd';
import type { Faults } from './faults';
import type { Records } from './records';
import type { ObjectSchema } from './schema';
import type { ApiStats } from './stats';
import type { RecordStore } from './store';

/** REST and CometD accept API versions from 50.0 up to this one (the org's current release). */
export const LATEST_API_VERSION = 64;
export const MIN_API_VERSION = 50;
/** The org's rolling 24-hour API request allocation, reported in `Sforce-Limit-Info`. */
export const DAILY_API_LIMIT = 15_000;

export interface SandboxContext {
  schema: ObjectSchema;
  store: RecordStore;
  records: Records;
  changes: ChangeLog;
  sessions: Sessions;
  faults: Faults;
  stats: ApiStats;
  cometd: CometdEndpoint;
  /** The sandbox's own URL (login URL and instance URL), known once it listens. */
  baseUrl(): string;
}
