import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import got from 'got';
import { CLIENT_ID, CLIENT_SECRET } from './support';

const ROOT = path.resolve(__dirname, '../../..');

describe('tandem sandbox procore', () => {
  it('prints its URL once listening and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['bin/tandem.js', 'sandbox', 'procore', '--port', '0'], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const lines = createInterface({ input: child.stdout });
      const firstLine = await Promise.race([
        new Promise<string>((resolve) => lines.once('line', resolve)),
        exited.then((code) => Promise.reject(new Error(`CLI exited with ${code} before listening: ${stderr}`))),
      ]);
      const match = /^Procore sandbox listening at (http:\/\/127\.0\.0\.1:\d+)$/.exec(firstLine);
      expect(match).not.toBeNull();
      const health = await got(`${match?.[1]}/sandbox/health`, { responseType: 'json', retry: 0 });
      expect(health.body).toEqual({ ok: true });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('takes the rate limits from --hourly-limit and --spike-limit', async () => {
    const args = ['bin/tandem.js', 'sandbox', 'procore', '--port', '0', '--hourly-limit', '2000', '--spike-limit', '3'];
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const firstLine = await new Promise<string>((resolve) =>
        createInterface({ input: child.stdout }).once('line', resolve),
      );
      const url = /listening at (\S+)$/.exec(firstLine)?.[1];
      const token = await got
        .post(`${url}/oauth/token`, {
          json: {
            grant_type: 'client_credentials',
            client_id: CLIENT_ID,
            client_secret: CLIENT_SECRET,
          },
        })
        .json<{ access_token: string }>();
      const list = () =>
        got(`${url}/rest/v1.0/projects`, {
          searchParams: { company_id: 4264807 },
          headers: { authorization: `Bearer ${token.access_token}`, 'procore-company-id': '4264807' },
          throwHttpErrors: false,
          retry: { limit: 0 },
        });
      const answers = [await list(), await list(), await list(), await list()];
      expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 429]);
      expect(answers[0]!.headers['x-rate-limit-limit']).toBe('3');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('refuses a rate limit that is not a number', async () => {
    const child = spawn(process.execPath, ['bin/tandem.js', 'sandbox', 'procore', '--spike-limit', 'many'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(stderr).toContain('--spike-limit must be a non-negative integer');
  });
});
