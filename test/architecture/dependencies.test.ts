/**
 * The folder rules of docs/architecture.md, checked with dependency-cruiser over the real tree, and shown to bite
 * on a small tree that breaks them (so that a green run means the rules hold, not that they were never read).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '..', '..');
const DEPCRUISE = path.join(ROOT, 'node_modules', '.bin', 'depcruise');
const CONFIG = path.join(ROOT, '.dependency-cruiser.js');
const FOLDERS = [
  'bin',
  'common',
  'mappings',
  'workflows',
  'activities',
  'ingress',
  'workers',
  'cli',
  'demo',
  'sandbox',
  'test',
  'bench',
];

async function cruise(cwd: string, folders: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await promisify(execFile)(DEPCRUISE, ['--config', CONFIG, '--output-type', 'err', ...folders], {
      cwd,
    });
    return { code: 0, output: stdout };
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-architecture-'));
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true } }),
  );
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('folder dependencies', () => {
  it('hold across the whole tree', async () => {
    const { code, output } = await cruise(ROOT, FOLDERS);
    expect(output).toContain('no dependency violations found');
    expect(code).toBe(0);
  }, 60_000);

  it('are enforced: each broken rule is named', async () => {
    const dir = tree({
      'common/errors.ts': 'export const errors = {};\n',
      'common/uses-workers.ts': "import { run } from '../workers/run';\nexport const x = run;\n",
      'workers/run.ts': 'export const run = 1;\n',
      'sandbox/console.ts': "import { errors } from '../common/errors';\nexport const y = errors;\n",
      'workflows/sync.ts': "import { go } from '../activities/procore/calls';\nexport const z = go;\n",
      'activities/procore/calls.ts': 'export const go = 2;\n',
      'ingress/a.ts': "import { b } from './b';\nexport const a = b;\n",
      'ingress/b.ts': "import { a } from './a';\nexport const b = a;\n",
    });
    const { code, output } = await cruise(dir, ['common', 'workers', 'sandbox', 'workflows', 'activities', 'ingress']);
    expect(code).not.toBe(0);
    for (const rule of ['common-is-a-leaf', 'sandbox-stands-alone', 'workflows-only-orchestrate', 'no-circular'])
      expect(output).toContain(rule);
  }, 60_000);
});
