/** TEMPORAL_TLS_* and TEMPORAL_API_KEY as every Tandem connection to Temporal receives them. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../common/config';
import { temporalConnectionOptions } from '../../workers/temporal/connection-options';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-tls-'));
const file = (name: string, text: string) => {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
};
const CERT = '-----BEGIN CERTIFICATE-----\nclient\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n';
const CA = '-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n';

describe('Temporal connection settings', () => {
  it('plain gRPC to a local server by default', () => {
    expect(temporalConnectionOptions(loadConfig({}))).toEqual({ address: '127.0.0.1:7233', tls: false });
  });

  it('Temporal Cloud with an API key: TLS on with the system CAs, the key passed through', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'acme.a1b2c.tmprl.cloud:7233', TEMPORAL_API_KEY: 'cloud-key' });
    expect(temporalConnectionOptions(config)).toEqual({
      address: 'acme.a1b2c.tmprl.cloud:7233',
      tls: true,
      apiKey: 'cloud-key',
    });
  });

  it('mTLS from PEM files, a private CA and a server name', () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_TLS_CERT: file('client.pem', CERT),
      TEMPORAL_TLS_KEY: file('client.key', KEY),
      TEMPORAL_TLS_CA: file('ca.pem', CA),
      TEMPORAL_TLS_SERVER_NAME: 'temporal.example.com',
    });
    expect(temporalConnectionOptions(config)).toEqual({
      address: 'temporal.internal:7233',
      tls: {
        clientCertPair: { crt: Buffer.from(CERT), key: Buffer.from(KEY) },
        serverRootCACertificate: Buffer.from(CA),
        serverNameOverride: 'temporal.example.com',
      },
    });
  });

  it('PEM text given directly in the setting (a container secret)', () => {
    const options = temporalConnectionOptions(loadConfig({ TEMPORAL_TLS_CERT: CERT, TEMPORAL_TLS_KEY: KEY }));
    expect(options.tls).toEqual({ clientCertPair: { crt: Buffer.from(CERT), key: Buffer.from(KEY) } });
  });

  it('refuses a certificate without its key, and a file it cannot read, naming the setting', () => {
    expect(() => temporalConnectionOptions(loadConfig({ TEMPORAL_TLS_CERT: CERT }))).toThrow(
      'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY: set both',
    );
    expect(() => temporalConnectionOptions(loadConfig({ TEMPORAL_TLS_CA: path.join(dir, 'missing.pem') }))).toThrow(
      /TEMPORAL_TLS_CA: cannot read the PEM file .*missing\.pem" \(ENOENT\)/,
    );
  });
});
