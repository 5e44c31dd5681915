/**
 * The workflow bundle, built once per source version and cached under .tools/bundles, so that restarting a worker
 * (or starting several) does not re-run webpack each time.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

const ROOT = path.resolve(__dirname, '..', '..');
export const WORKFLOWS_PATH = path.join(ROOT, 'workflows', 'index.ts');
/** Everything workflow code can import from. */
const SOURCES = ['workflows', 'mappings', 'common', 'activities'];

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : /\.(ts|json)$/.test(name) ? [full] : [];
  });
}

function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of SOURCES.flatMap((d) => filesUnder(path.join(ROOT, d))).sort()) {
    hash.update(file).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

export async function workflowBundlePath(): Promise<string> {
  const dir = path.join(ROOT, '.tools', 'bundles');
  const file = path.join(dir, `workflows-${sourceHash()}.js`);
  if (existsSync(file)) return file;
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
  mkdirSync(dir, { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, code);
  renameSync(partial, file);
  return file;
}
