/**
 * The Temporal settings against a real TLS-only gRPC endpoint: a Node HTTP/2 server with a private CA that wants a
 * client certificate or an API key, and answers every call UNIMPLEMENTED, which the clients' connection check
 * takes as a server that is there. What the server saw of each connection (client certificate, SNI name,
 * authorization) is what Tandem's settings sent.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../../common/config';
import { temporalConnectionOptions } from '../../workers/temporal/connection-options';
import { ensureTandemNamespace } from '../../workers/temporal/namespace';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-tls-server-'));
const at = (name: string) => path.join(dir, name);
const API_KEY = 'tls-test-api-key-0123';

interface Seen {
  clientCn?: string;
  serverName?: string | false | null;
  authorization?: string;
}

let server: http2.Http2SecureServer;
let address: string;
const seen: Seen[] = [];
const sessions = new Set<http2.ServerHttp2Session>();

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

function makeCertificates(): void {
  const key = ['-newkey', 'rsa:2048', '-nodes'];
  openssl('req', '-x509', ...key, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Tandem test CA');
  writeFileSync(at('server.ext'), 'subjectAltName=DNS:temporal.test\nextendedKeyUsage=serverAuth\n');
  writeFileSync(at('client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, cn] of [
    ['server', 'temporal.test'],
    ['client', 'tandem-worker'],
  ]) {
    openssl('req', ...key, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    );
  }
}

/** Trailers-only gRPC answers: UNAUTHENTICATED without a client certificate or the API key, else UNIMPLEMENTED. */
function answer(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
  const socket = stream.session?.socket as TLSSocket;
  const certificate = socket.getPeerCertificate();
  const clientCn = socket.authorized ? String(certificate.subject?.CN) : undefined;
  const authorization = headers.authorization;
  seen.push({ clientCn, serverName: socket.servername, authorization });
  const allowed = Boolean(clientCn) || authorization === `Bearer ${API_KEY}`;
  stream.respond(
    { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': allowed ? '12' : '16' },
    {
      endStream: true,
    },
  );
}

beforeAll(async () => {
  makeCertificates();
  server = http2.createSecureServer({
    key: readFileSync(at('server.key')),
    cert: readFileSync(at('server.pem')),
    ca: readFileSync(at('ca.pem')),
    requestCert: true,
    rejectUnauthorized: false,
    allowHTTP1: false,
  });
  server.on('stream', answer);
  server.on('session', (session) => sessions.add(session));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  // A refused client keeps retrying on its session: close them all, or the server never finishes closing.
  for (const session of sessions) session.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const settings = (extra: NodeJS.ProcessEnv) =>
  temporalConnectionOptions(
    loadConfig({
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TLS_CA: at('ca.pem'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal.test',
      ...extra,
    }),
  );

async function clientConnects(options: ReturnType<typeof temporalConnectionOptions>): Promise<boolean> {
  try {
    const connection = await Connection.connect({ ...options, connectTimeout: 3000 });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

describe('a TLS-only Temporal endpoint', () => {
  it('refuses plain gRPC (no TLS settings)', async () => {
    expect(await clientConnects(temporalConnectionOptions(loadConfig({ TEMPORAL_ADDRESS: address })))).toBe(false);
  });

  it('refuses TLS without a client certificate or API key', async () => {
    seen.length = 0;
    expect(await clientConnects(settings({}))).toBe(false);
    expect(seen[0]).toEqual({ clientCn: undefined, serverName: 'temporal.test', authorization: undefined });
  });

  it('accepts the client certificate (mTLS), checked against the private CA under the configured name', async () => {
    seen.length = 0;
    const options = settings({ TEMPORAL_TLS_CERT: at('client.pem'), TEMPORAL_TLS_KEY: at('client.key') });
    expect(await clientConnects(options)).toBe(true);
    expect(seen[0]).toMatchObject({ clientCn: 'tandem-worker', serverName: 'temporal.test' });
  });

  it('accepts the API key, sent as a bearer token over TLS', async () => {
    seen.length = 0;
    expect(await clientConnects(settings({ TEMPORAL_API_KEY: API_KEY }))).toBe(true);
    expect(seen[0]).toMatchObject({ authorization: `Bearer ${API_KEY}` });
  });

  it('the workers’ native connection uses the same settings', async () => {
    seen.length = 0;
    // The Rust core insists on a real GetSystemInfo answer, so this stand-in refuses it after the TLS handshake:
    // the call reaching the server at all, with the certificate, shows the settings were used.
    const options = settings({ TEMPORAL_TLS_CERT: at('client.pem'), TEMPORAL_TLS_KEY: at('client.key') });
    await expect(NativeConnection.connect(options)).rejects.toThrow('GetSystemInfo');
    expect(seen[0]).toMatchObject({ clientCn: 'tandem-worker', serverName: 'temporal.test' });
  });

  it('is where `tandem cluster namespace` goes with the same settings (TLS, server name, API key)', async () => {
    seen.length = 0;
    const config = loadConfig({
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TLS_CA: at('ca.pem'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal.test',
      TEMPORAL_API_KEY: API_KEY,
    });
    // This server implements no call, so registering fails; what matters is how the calls arrived.
    await expect(ensureTandemNamespace(config, 'tandem-tls', 1000)).rejects.toThrow();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toMatchObject({ serverName: 'temporal.test', authorization: `Bearer ${API_KEY}` });
  });
});
