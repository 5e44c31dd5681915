/**
 * The Salesforce sandbox: a local org with the `Project__c` object that jsforce talks to unchanged (OAuth, REST
 * sObjects, SOQL, Change Data Capture over CometD), plus controls under `/sandbox/` and a console at `/`.
 */
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { buildApp } from './app';
import { Sessions } from './auth';
import { ChangeLog } from './change-events';
import { CometdEndpoint } from './cometd';
import type { SandboxContext } from './context';
import { Faults } from './faults';
import { Records } from './records';
import { Replication } from './replication';
import { loadSchema } from './schema';
import { ApiStats } from './stats';
import { RecordStore, StateFile } from './store';

export interface SalesforceSandboxOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Where records and retained change events are kept across restarts; in memory only without it. */
  dataFile?: string;
  clientId?: string;
  clientSecret?: string;
  username?: string;
  password?: string;
  /** How long change events stay replayable. */
  retentionHours?: number;
  /** Ids one replication call may return before EXCEEDED_ID_LIMIT (Salesforce: 600,000); lower it to test the limit. */
  replicationIdLimit?: number;
  logger?: Logger | false;
}

export interface SalesforceSandbox {
  /** Both the login URL and the instance URL, e.g. `http://127.0.0.1:4001`. */
  url: string;
  close(): Promise<void>;
}

export const SANDBOX_DEFAULTS = {
  port: 4001,
  host: '127.0.0.1',
  clientId: 'tandem-sandbox-client',
  clientSecret: 'tandem-sandbox-secret',
  username: 'integration@tandem.sandbox',
  password: 'tandem-sandbox',
  retentionHours: 72,
} as const;

function resolveLogger(logger: Logger | false | undefined): Logger {
  if (logger === false) return pino({ enabled: false });
  return logger ?? pino({ name: 'salesforce-sandbox', level: process.env.LOG_LEVEL ?? 'info' });
}

export async function startSalesforceSandbox(options: SalesforceSandboxOptions = {}): Promise<SalesforceSandbox> {
  const logger = resolveLogger(options.logger);
  const host = options.host ?? SANDBOX_DEFAULTS.host;
  const schema = loadSchema();
  const store = new RecordStore(schema.keyPrefix);
  const changes = new ChangeLog(schema, (options.retentionHours ?? SANDBOX_DEFAULTS.retentionHours) * 3_600_000);
  const stateFile = options.dataFile ? new StateFile(options.dataFile, { records: store, changes }, logger) : undefined;
  stateFile?.load();
  // Every committed change (and gap event) publishes exactly one event: the moment to persist.
  changes.onEvent(() => stateFile?.changed());

  const sessions = new Sessions({
    clientId: options.clientId ?? SANDBOX_DEFAULTS.clientId,
    clientSecret: options.clientSecret ?? SANDBOX_DEFAULTS.clientSecret,
    username: options.username ?? SANDBOX_DEFAULTS.username,
    password: options.password ?? SANDBOX_DEFAULTS.password,
  });
  const cometd = new CometdEndpoint({ sessions, changes, entityChannel: schema.changeEventChannel, logger });
  let url = '';
  const ctx: SandboxContext = {
    schema,
    store,
    records: new Records(schema, store, changes),
    replication: new Replication(store, options.replicationIdLimit),
    changes,
    sessions,
    faults: new Faults(),
    stats: new ApiStats(),
    cometd,
    baseUrl: () => url,
  };

  const app = buildApp(ctx, logger);
  await app.listen({ port: options.port ?? SANDBOX_DEFAULTS.port, host });
  const address = app.server.address() as AddressInfo;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  logger.debug({ url }, 'Salesforce sandbox listening');

  let closing: Promise<void> | undefined;
  const close = async () => {
    // Held /meta/connect long-polls are answered first, or the HTTP server would wait up to 110 s for them.
    cometd.close();
    await app.close();
    await stateFile?.flush();
  };
  return { url, close: () => (closing ??= close()) };
}
