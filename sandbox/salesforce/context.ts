/** What the route plugins share: the org's state and the sandbox's switches, built once in `index.ts`. */
import type { Sessions } from './auth';
import type { ChangeLog } from './change-events';
import type { CometdEndpoint } from './cometd';
import type { Faults } from './faults';
import type { Records } from './records';
import type { Replication } from './replication';
import type { ObjectSchema } from './schema';
import type { ApiStats } from './stats';
import type { RecordStore } from './store';

export { LATEST_API_VERSION } from './versions';
/** The org's rolling 24-hour API request allocation, reported in `Sforce-Limit-Info`. */
export const DAILY_API_LIMIT = 15_000;

export interface SandboxContext {
  schema: ObjectSchema;
  store: RecordStore;
  records: Records;
  replication: Replication;
  changes: ChangeLog;
  sessions: Sessions;
  faults: Faults;
  stats: ApiStats;
  cometd: CometdEndpoint;
  /** The sandbox's own URL (login URL and instance URL), known once it listens. */
  baseUrl(): string;
}
