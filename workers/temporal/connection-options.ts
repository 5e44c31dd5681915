/**
 * How every Tandem process reaches Temporal: plain gRPC to a local server, mTLS to a self-hosted cluster, or TLS
 * with an API key to Temporal Cloud. Certificates are PEM files, or PEM text given directly in the setting (as a
 * container secret often is).
 */
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { TandemConfig } from '../../common/config';
import { errors } from '../../common/errors';

export type TemporalSettings = Pick<
  TandemConfig,
  | 'TEMPORAL_ADDRESS'
  | 'TEMPORAL_TLS_CERT'
  | 'TEMPORAL_TLS_KEY'
  | 'TEMPORAL_TLS_CA'
  | 'TEMPORAL_TLS_SERVER_NAME'
  | 'TEMPORAL_API_KEY'
>;

export interface TemporalConnectionOptions {
  address: string;
  /** false: plain gRPC; true: TLS with the system's trusted CAs; an object: TLS as configured. */
  tls: TLSConfig | boolean;
  apiKey?: string;
}

function pem(setting: string, value: string): Buffer {
  if (value.trimStart().startsWith('-----BEGIN')) return Buffer.from(value);
  try {
    return readFileSync(value);
  } catch (err) {
    throw errors.CONFIG_INVALID(
      `  ${setting}: cannot read the PEM file "${value}" (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    );
  }
}

function tlsConfig(settings: TemporalSettings): TLSConfig | boolean {
  const { TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key, TEMPORAL_TLS_CA: ca } = settings;
  const serverName = settings.TEMPORAL_TLS_SERVER_NAME;
  if (Boolean(cert) !== Boolean(key))
    throw errors.CONFIG_INVALID(
      '  TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY: set both (the client certificate and its key)',
    );
  if (!cert && !ca && !serverName) return Boolean(settings.TEMPORAL_API_KEY);
  return {
    ...(cert && key
      ? { clientCertPair: { crt: pem('TEMPORAL_TLS_CERT', cert), key: pem('TEMPORAL_TLS_KEY', key) } }
      : {}),
    ...(ca ? { serverRootCACertificate: pem('TEMPORAL_TLS_CA', ca) } : {}),
    ...(serverName ? { serverNameOverride: serverName } : {}),
  };
}

export function temporalConnectionOptions(settings: TemporalSettings): TemporalConnectionOptions {
  return {
    address: settings.TEMPORAL_ADDRESS,
    tls: tlsConfig(settings),
    ...(settings.TEMPORAL_API_KEY ? { apiKey: settings.TEMPORAL_API_KEY } : {}),
  };
}
