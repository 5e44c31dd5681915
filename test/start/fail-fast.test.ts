/** Bad configuration stops a Tandem process before it starts anything: exit code 2 and a message that says what to fix. */
import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function tandem(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['bin/tandem.js', ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 30_000 },
      (_err, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
    );
  });
}

describe('bad configuration fails fast', () => {
  it('tandem start: a port that is not a number', async () => {
    const { code, stderr } = await tandem(['start'], { INGRESS_PORT: 'abc' });
    expect(code).toBe(2);
    expect(stderr).toContain('INGRESS_PORT: must be a port number from 0 to 65535');
    expect(stderr).toContain('(got "abc"); see .env.example');
  });

  it('tandem worker: a login URL that is not a URL', async () => {
    const { code, stderr } = await tandem(['worker'], { SALESFORCE_LOGIN_URL: 'login.salesforce.com' });
    expect(code).toBe(2);
    expect(stderr).toContain('SALESFORCE_LOGIN_URL: must be an http:// or https:// URL (got "login.salesforce.com")');
  });

  it('tandem start: a port already taken names the setting to change', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as net.AddressInfo;
    try {
      const { code, stderr } = await tandem(['start'], {
        TEMPORAL_UI_PORT: String(port),
        DATA_DIR: path.join(ROOT, 'test-output', 'fail-fast-data'),
      });
      expect(code).toBe(2);
      expect(stderr).toContain(`Port ${port} on 127.0.0.1 is already in use (Temporal UI)`);
      expect(stderr).toContain('set TEMPORAL_UI_PORT to a free port');
    } finally {
      holder.close();
    }
  });
});
