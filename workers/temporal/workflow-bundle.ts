/**
 * The workflow bundle. Compiled (npm run build) it is built once into dist/ and production only reads it; from
 * source it is built on a worker's first start and cached under .tools/bundles, keyed by the workflow sources and
 * the Temporal SDK version, so that restarting a worker does not re-run webpack and an SDK upgrade rebuilds it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { errors } from '../../common/errors';
import { PROJECT_ROOT, RUNNING_COMPILED } from '../../common/project-root';

/** Where the compiled tree keeps its bundle (dist/workflow-bundle.js). */
const COMPILED_BUNDLE = path.resolve(__dirname, '..', '..', 'workflow-bundle.js');
const WORKFLOWS_ENTRY = path.resolve(__dirname, '..', '..', 'workflows', RUNNING_COMPILED ? 'index.js' : 'index.ts');
/** Everything workflow code can import from. */
const SOURCES = ['workflows', 'mappings', 'common', 'activities'];
const SDK_PACKAGES = ['@temporalio/workflow', '@temporalio/worker', '@temporalio/common'];

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : /\.(ts|json)$/.test(name) ? [full] : [];
  });
}

function sdkVersion(name: string): string {
  const file = require.resolve(`${name}/package.json`, { paths: [PROJECT_ROOT] });
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** Changes when a workflow source or the SDK that bundles and runs it changes. */
export function bundleKey(): string {
  const hash = createHash('sha256');
  for (const name of SDK_PACKAGES) hash.update(`${name}@${sdkVersion(name)}\n`);
  for (const file of SOURCES.flatMap((d) => filesUnder(path.join(PROJECT_ROOT, d))).sort()) {
    hash.update(path.relative(PROJECT_ROOT, file)).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

/** `interceptorModules`: workflow interceptors built into the bundle (a build that adds behaviour around them). */
async function buildBundle(interceptorModules: string[] = []): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_ENTRY,
    workflowInterceptorModules: interceptorModules,
    logger: new DefaultLogger('WARN'),
  });
  return code;
}

function writeAtomically(file: string, code: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, code);
  renameSync(partial, file);
}

/** `npm run build`: bundles the compiled workflows into dist/, so that production never runs webpack. */
export async function writeCompiledBundle(): Promise<string> {
  writeAtomically(COMPILED_BUNDLE, await buildBundle());
  return COMPILED_BUNDLE;
}

/** A bundle of the workflows at `file`, for a worker to run with TANDEM_WORKFLOW_BUNDLE (a deploy's build). */
export async function writeWorkflowBundle(file: string, interceptorModules: string[] = []): Promise<string> {
  writeAtomically(file, await buildBundle(interceptorModules));
  return file;
}

export async function workflowBundlePath(): Promise<string> {
  if (RUNNING_COMPILED) {
    if (!existsSync(COMPILED_BUNDLE))
      throw errors.CONFIG_INVALID(`no workflow bundle at ${COMPILED_BUNDLE}: run npm run build`);
    return COMPILED_BUNDLE;
  }
  const file = path.join(PROJECT_ROOT, '.tools', 'bundles', `workflows-${bundleKey()}.js`);
  if (!existsSync(file)) writeAtomically(file, await buildBundle());
  return file;
}
