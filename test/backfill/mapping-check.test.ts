/**
 * `tandem mapping check` against both sandboxes run as processes: the shipped mapping fits them, a planted
 * mismatch is named and fails the check, and lookups written by Procore name resolve to the company's ids; a sync
 * worker with such lookups waits for a Procore that does not answer yet instead of exiting.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_MAPPING_FILE } from '../../mappings/validate';
import { freePort } from '../../workers/temporal/dev-server';
import { eventually } from '../support/eventually';
import { startTandemProcess, type TandemProcess } from '../support/process-harness';
import { TEST_NAMESPACES, temporalAddress } from '../support/temporal';

jest.setTimeout(90_000);

const ROOT = path.resolve(__dirname, '../..');

describe('tandem mapping check', () => {
  let salesforce: TandemProcess;
  let procore: TandemProcess;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-mapping-check-'));

  beforeAll(async () => {
    [salesforce, procore] = await Promise.all([
      startTandemProcess('mapcheck-salesforce', ['sandbox', 'salesforce', '--port', '0'], {}, /listening at (\S+)/),
      startTandemProcess('mapcheck-procore', ['sandbox', 'procore', '--port', '0'], {}, /listening at (\S+)/),
    ]);
  });
  afterAll(async () => {
    await Promise.all([salesforce?.stop(), procore?.stop()]);
  });

  function check(mappingFile: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin', 'tandem.js'), 'mapping', 'check', '--mapping', mappingFile],
      {
        env: {
          ...process.env,
          SALESFORCE_LOGIN_URL: salesforce.ready[1],
          PROCORE_LOGIN_URL: procore.ready[1],
          PROCORE_API_URL: procore.ready[1],
        },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  }

  interface EditableMapping {
    fields: Array<{ name: string; salesforce: string }>;
    lookups: Record<string, Array<{ salesforce: string; procore?: number; procoreName?: string }>>;
  }
  const shipped = () => JSON.parse(readFileSync(DEFAULT_MAPPING_FILE, 'utf8')) as EditableMapping;

  function write(name: string, mapping: unknown): string {
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify(mapping));
    return file;
  }

  it('passes the shipped mapping, naming the length differences as warnings', async () => {
    const run = await check(DEFAULT_MAPPING_FILE);
    expect(run.stdout).toContain('0 mismatch(es)');
    expect(run.stdout).toMatch(/warning +countryCode: Country_Code__c holds 10 characters, Procore's country_code 2/);
    expect(run.code).toBe(0);
  });

  it('names every planted mismatch and exits 1', async () => {
    const mapping = shipped();
    mapping.fields.find((f) => f.name === 'city')!.salesforce = 'Town__c';
    mapping.lookups.projectTypes[0]!.procore = 999;
    mapping.lookups.projectStages = mapping.lookups.projectStages!.filter((r) => r.salesforce !== 'Canceled');
    const run = await check(write('planted.json', mapping));
    expect(run.stdout).toContain('MISMATCH city: Salesforce has no field Project__c.Town__c');
    expect(run.stdout).toContain('MISMATCH projectType: Procore has no projectTypes id 999 (for "Commercial")');
    expect(run.stdout).toContain('MISMATCH stage: Stage__c value "Canceled" has no row in lookups.projectStages');
    expect(run.stdout).toContain('3 mismatch(es)');
    expect(run.code).toBe(1);
  });

  it('resolves lookups written by Procore name, and names one that names nothing', async () => {
    const mapping = shipped();
    mapping.lookups.projectTypes = mapping.lookups.projectTypes!.map((r) => ({
      salesforce: r.salesforce,
      procoreName: r.salesforce,
    }));
    const resolved = await check(write('by-name.json', mapping));
    expect(resolved.stdout).toContain('0 mismatch(es)');
    expect(resolved.code).toBe(0);

    mapping.lookups.projectTypes![1]!.procoreName = 'Houses';
    const unknown = await check(write('unknown-name.json', mapping));
    expect(unknown.stderr).toContain('lookups.projectTypes: Procore name "Houses" names nothing in projectTypes');
    expect(unknown.code).toBe(1);
  });
});

describe('a sync worker whose mapping names lookups by Procore name', () => {
  it('waits for a Procore that does not answer yet, saying so, and starts once it does', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-named-lookups-'));
    const mapping = JSON.parse(readFileSync(DEFAULT_MAPPING_FILE, 'utf8')) as {
      lookups: Record<string, Array<{ salesforce: string; procore?: number; procoreName?: string }>>;
    };
    mapping.lookups.projectTypes = mapping.lookups.projectTypes!.map((r) => ({
      salesforce: r.salesforce,
      procoreName: r.salesforce,
    }));
    const file = path.join(dir, 'by-name.json');
    writeFileSync(file, JSON.stringify(mapping));
    const procorePort = await freePort();
    const procoreUrl = `http://127.0.0.1:${procorePort}`;
    let procore: TandemProcess | undefined;
    // "Ready" here is the first word that it waits: the process has not exited on a Procore it cannot reach.
    const worker = await startTandemProcess(
      'named-lookups-worker',
      ['worker'],
      {
        TEMPORAL_ADDRESS: temporalAddress(),
        TEMPORAL_NAMESPACE: TEST_NAMESPACES.workflows,
        TANDEM_MAPPING_FILE: file,
        PROCORE_LOGIN_URL: procoreUrl,
        PROCORE_API_URL: procoreUrl,
        SALESFORCE_LOGIN_URL: 'http://127.0.0.1:9',
        METRICS_PORT: undefined,
      },
      /mapping lookups by name wait for Procore/,
    );
    try {
      let output = '';
      worker.child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      procore = await startTandemProcess(
        'named-lookups-procore',
        ['sandbox', 'procore', '--port', String(procorePort)],
        {},
        /listening at (\S+)/,
      );
      await eventually(
        async () => (/tandem-worker ready/.test(output) ? true : undefined),
        'the worker to start',
        60_000,
      );
      expect(worker.child.exitCode).toBeNull();
    } finally {
      await worker.stop();
      await procore?.stop();
    }
  });
});
