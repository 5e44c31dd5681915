import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import got from 'got';

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
});
