/** State across restarts with a data file, the 300 answer for duplicate external ids, and the CLI as a process. */
import { eventually } from '../../support/eventually';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Subscriber, connect, startSandbox } from './helpers';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sf-sandbox-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('persistence', () => {
  it('keeps records, retained events and the replayId counter across a restart', async () => {
    const dataFile = path.join(dir, 'org.json');
    const first = await startSandbox({ dataFile });
    const conn = await connect(first.url);
    const { id } = await conn.sobject('Project__c').create({ Name: 'Persistent', Procore_ID__c: '424242' });
    await conn.sobject('Project__c').update({ Id: id!, City__c: 'Denver' });
    await first.close();
    const saved = JSON.parse(await readFile(dataFile, 'utf8')) as {
      version: number;
      records: unknown;
      changes: { lastReplayId: number };
    };
    expect(saved).toMatchObject({ version: 1, changes: { lastReplayId: 2 } });

    const second = await startSandbox({ dataFile });
    try {
      const again = await connect(second.url);
      expect(await again.sobject('Project__c').retrieve(id!)).toMatchObject({ Name: 'Persistent', City__c: 'Denver' });
      const replay = new Subscriber(again, -2);
      await replay.subscription;
      await replay.waitForEvents(2);
      const { id: next } = await again.sobject('Project__c').create({ Name: 'After restart' });
      await eventually(
        () => replay.events.find((e) => (e.payload.ChangeEventHeader.recordIds as string[]).includes(next!)),
        'condition',
        5000,
        20,
      );
      expect(replay.events.map((e) => e.event.replayId)).toEqual([1, 2, 3]);
      expect(replay.events.map((e) => e.payload.ChangeEventHeader.changeType)).toEqual(['CREATE', 'UPDATE', 'CREATE']);
      await expect(again.sobject('Project__c').create({ Name: 'Dup', Procore_ID__c: '424242' })).rejects.toMatchObject({
        errorCode: 'DUPLICATE_VALUE',
      });
      await replay.stop();
    } finally {
      await second.close();
    }
  });

  it('answers 300 Multiple Choices when an external id matches several records (seeded data)', async () => {
    const dataFile = path.join(dir, 'dupes.json');
    const base = {
      IsDeleted: false,
      Name: 'Twin',
      Active__c: true,
      CreatedDate: '2024-01-01T00:00:00.000Z',
      LastModifiedDate: '2024-01-01T00:00:00.000Z',
    };
    const records = ['a0X8d0000000001EAA', 'a0X8d0000000002EAA'].map((Id) => ({
      ...base,
      Id,
      Procore_ID__c: 'TWIN-1',
    }));
    await writeFile(dataFile, JSON.stringify({ version: 1, records: { nextRecordNumber: 3, records } }));
    const sandbox = await startSandbox({ dataFile });
    try {
      const conn = await connect(sandbox.url);
      await expect(
        conn.upsert('Project__c', { Procore_ID__c: 'TWIN-1', Name: 'Which one?' }, 'Procore_ID__c'),
      ).rejects.toMatchObject({
        errorCode: 'MULTIPLE_CHOICES',
        data: records.map((r) => `/services/data/v60.0/sobjects/Project__c/${r.Id}`),
      });
    } finally {
      await sandbox.close();
    }
  });
});

describe('CLI', () => {
  it('prints its URL once listening and stops cleanly on SIGTERM', async () => {
    const root = path.resolve(__dirname, '../../..');
    const child = spawn(
      process.execPath,
      [path.join(root, 'bin/tandem.js'), 'sandbox', 'salesforce', '--port', '0', '--data', path.join(dir, 'cli.json')],
      {
        cwd: root,
        env: { ...process.env, LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const lines: string[] = [];
      createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
      const line = await eventually(() => lines[0], 'the CLI to print its URL', 20_000, 20);
      const match = /^Salesforce sandbox listening at (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      expect(match).not.toBeNull();
      const health = await fetch(`${match![1]}/sandbox/health`);
      expect(await health.json()).toEqual({ ok: true });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      // Exactly one line on stdout: logs go to stderr.
      expect(lines).toEqual([line]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
