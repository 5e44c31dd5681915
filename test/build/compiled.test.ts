/**
 * `npm run build` compiles Tandem to dist/ with its workflow bundle, and every process runs from there as production
 * does: no tsx, no TypeScript, no webpack at start (a preload makes any of them fail the process).
 */
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { TEST_NAMESPACES } from '../support/temporal';
import { consoleUser, linkedPair, startSystem, type RunningSystem } from '../support/system';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '..', '..');
const FORBID_TYPESCRIPT = path.join(__dirname, 'no-typescript-at-runtime.js');

let system: RunningSystem | undefined;

afterAll(async () => {
  await system?.stop();
});

describe('the compiled build', () => {
  it('builds dist/ and its workflow bundle', async () => {
    await promisify(execFile)('npm', ['run', 'build'], { cwd: ROOT });
    for (const file of [
      'dist/cli/main.js',
      'dist/workers/sync-worker.js',
      'dist/workflow-bundle.js',
      'dist/mappings/project.mapping.json',
    ]) {
      expect(existsSync(path.join(ROOT, file))).toBe(true);
    }
    expect(statSync(path.join(ROOT, 'dist/workflow-bundle.js')).size).toBeGreaterThan(100_000);
  });

  it('runs every process from dist/ without TypeScript tooling and syncs a project', async () => {
    system = await startSystem(
      TEST_NAMESPACES.build,
      { TANDEM_RUN_FROM: 'dist', NODE_OPTIONS: `--require ${FORBID_TYPESCRIPT}` },
      { label: 'compiled' },
    );
    const created = await consoleUser.createSalesforceProject(system, { Name: 'Compiled Crossing' });
    const { pc } = await linkedPair(system, created.Id);
    expect(pc.origin_id).toBe(created.Id);
  });
});
