/**
 * Tandem refuses to start in a shape that leaves a door open: the sandboxes' published credentials against a real
 * system, an operator API or /metrics beyond loopback with no token, a real Procore with no public webhook URL.
 * Each is exit code 2 with the settings named, before anything starts, and no secret value in the output.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

const REAL_SYSTEMS = {
  SALESFORCE_LOGIN_URL: 'https://login.salesforce.com',
  PROCORE_LOGIN_URL: 'https://login.procore.com',
  PROCORE_API_URL: 'https://api.procore.com',
};
const OWN_CREDENTIALS = {
  SALESFORCE_CLIENT_ID: '3MVG9-own-consumer-key',
  SALESFORCE_CLIENT_SECRET: 'own-salesforce-secret-9f8e7d',
  PROCORE_CLIENT_ID: 'own-procore-client',
  PROCORE_CLIENT_SECRET: 'own-procore-secret-1a2b3c',
  PROCORE_WEBHOOK_SECRET: 'own-webhook-secret-4d5e6f',
};

function tandem(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['bin/tandem.js', ...args],
      // Nothing may be reachable: a start that got past its checks would fail differently (or hang on Temporal).
      { cwd: ROOT, env: { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:9', ...env }, timeout: 30_000 },
      (_err, stdout, stderr) => resolve({ code: child.exitCode, output: stdout + stderr }),
    );
  });
}

describe('refused configurations', () => {
  it('tandem start: real systems with the sandboxes’ default credentials, every one named, before anything starts', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tandem-secure-'));
    const { code, output } = await tandem(['start'], { ...REAL_SYSTEMS, DATA_DIR: dataDir });
    expect(code).toBe(2);
    for (const setting of Object.keys(OWN_CREDENTIALS))
      expect(output).toContain(`${setting}: is the sandbox's published default, and the system is real`);
    for (const value of ['tandem-sandbox-secret', 'tandem-procore-secret', 'tandem-webhook-secret-change-me'])
      expect(output).not.toContain(value);
    // No Temporal dev server was started: its database and log would be here.
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('tandem worker: only a real system’s defaults are refused (a real Procore with the default webhook secret)', async () => {
    const { code, output } = await tandem(['worker'], {
      ...REAL_SYSTEMS,
      ...OWN_CREDENTIALS,
      PROCORE_WEBHOOK_SECRET: 'tandem-webhook-secret-change-me',
    });
    expect(code).toBe(2);
    expect(output).toContain('PROCORE_WEBHOOK_SECRET: is the sandbox');
    expect(output).not.toContain('SALESFORCE_CLIENT_SECRET');
  });

  it('tandem ingress: beyond loopback without TANDEM_API_TOKEN', async () => {
    const { code, output } = await tandem(['ingress'], { INGRESS_HOST: '0.0.0.0', TANDEM_API_TOKEN: undefined });
    expect(code).toBe(2);
    expect(output).toContain('TANDEM_API_TOKEN: required when INGRESS_HOST is beyond loopback (it is "0.0.0.0")');
  });

  it('tandem start: beyond loopback without TANDEM_API_TOKEN', async () => {
    const { code, output } = await tandem(['start'], {
      INGRESS_HOST: '0.0.0.0',
      TANDEM_API_TOKEN: undefined,
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'tandem-secure-')),
    });
    expect(code).toBe(2);
    expect(output).toContain('TANDEM_API_TOKEN: required when INGRESS_HOST is beyond loopback');
  });

  it('tandem worker: /metrics beyond loopback without TANDEM_API_TOKEN', async () => {
    const { code, output } = await tandem(['worker'], {
      METRICS_PORT: '0',
      METRICS_HOST: '0.0.0.0',
      TANDEM_API_TOKEN: undefined,
    });
    expect(code).toBe(2);
    expect(output).toContain('TANDEM_API_TOKEN: required when METRICS_HOST is beyond loopback');
  });

  it('tandem ingress: a real Procore with no INGRESS_PUBLIC_URL', async () => {
    const { code, output } = await tandem(['ingress'], {
      ...REAL_SYSTEMS,
      ...OWN_CREDENTIALS,
      INGRESS_PUBLIC_URL: undefined,
    });
    expect(code).toBe(2);
    expect(output).toContain('INGRESS_PUBLIC_URL: required with a real Procore company');
  });

  it('a secret that fails validation is described by its length, never shown', async () => {
    const { code, output } = await tandem(['worker'], {
      TANDEM_API_TOKEN: 'short-token',
      PROCORE_WEBHOOK_SECRET: 'tiny-secret',
    });
    expect(code).toBe(2);
    expect(output).toContain('TANDEM_API_TOKEN: must be at least 16 characters (got a value of 11 characters)');
    expect(output).toContain('PROCORE_WEBHOOK_SECRET: must be at least 16 characters (got a value of 11 characters)');
    expect(output).not.toContain('short-token');
    expect(output).not.toContain('tiny-secret');
  });
});
