/** Connections to Temporal from a Tandem process, from its configuration (TLS and API key included). */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { TandemConfig } from '../../common/config';
import { temporalConnectionOptions, type TemporalSettings } from './connection-options';

export async function connectClient(
  config: TemporalSettings & Pick<TandemConfig, 'TEMPORAL_NAMESPACE'>,
): Promise<Client> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
}

export function connectWorker(config: TemporalSettings): Promise<NativeConnection> {
  return NativeConnection.connect(temporalConnectionOptions(config));
}
