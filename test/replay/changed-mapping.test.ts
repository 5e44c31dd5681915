/**
 * The mapping is data (patch `mapping-as-data`): editing the operator's mapping file must not change how any recorded
 * history replays. Every fixture is replayed by a workflow bundle built with a changed lookup id in
 * mappings/project.mapping.json. The control builds the same change into the frozen copy that runs from before the
 * patch still use, and shows that this change does break their replay: the fixtures do exercise that lookup.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import webpack from 'webpack';
import type { ProjectMapping } from '../../mappings/types';

jest.setTimeout(300_000);

const HISTORIES = path.join(__dirname, 'histories');
const MAPPINGS = path.join(__dirname, '..', '..', 'mappings');
const files = readdirSync(HISTORIES).filter((f) => f.endsWith('.json'));
/** Whether a history holds the `mapping-as-data` patch marker (payloads are base64 in the JSON form). */
function recordedWithPatch(file: string): boolean {
  const json = readFileSync(path.join(HISTORIES, file), 'utf8');
  return [...json.matchAll(/"data":\s*"([A-Za-z0-9+/=]+)"/g)].some((m) =>
    Buffer.from(m[1]!, 'base64').toString('utf8').includes('mapping-as-data'),
  );
}
/** Fixtures recorded with the patch: their mapping is in their history. */
const recordedAsData = files.filter(recordedWithPatch);
const projectSyncsBefore = files.filter((f) => f.startsWith('project-sync-') && !recordedAsData.includes(f));

/** The lookup every recorded ProjectSync reads from Procore (stage "Course of Construction"), given another id. */
function withChangedStageId(file: string): string {
  const mapping = JSON.parse(readFileSync(path.join(MAPPINGS, file), 'utf8')) as ProjectMapping;
  const row = mapping.lookups.projectStages!.find((r) => r.salesforce === 'Course of Construction')!;
  expect(row.procore).toBe(562949953421502);
  row.procore = 562949953421599;
  const changed = path.join(mkdtempSync(path.join(os.tmpdir(), 'tandem-changed-mapping-')), file);
  writeFileSync(changed, JSON.stringify(mapping));
  return changed;
}

/** The workflow bundle with one mapping file replaced by a changed copy. */
async function bundleWithChanged(file: string): Promise<string> {
  const changed = withChangedStageId(file);
  const pattern = new RegExp(`${file.replace(/\./g, '\\.')}$`);
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(__dirname, '..', '..', 'workflows', 'index.ts'),
    logger: new DefaultLogger('WARN'),
    webpackConfigHook: (config) => ({
      ...config,
      plugins: [...(config.plugins ?? []), new webpack.NormalModuleReplacementPlugin(pattern, changed)],
    }),
  });
  return code;
}

async function replay(code: string, file: string): Promise<void> {
  const history = historyFromJSON(JSON.parse(readFileSync(path.join(HISTORIES, file), 'utf8')));
  await Worker.runReplayHistory({ workflowBundle: { code } }, history, file.replace(/\.json$/, ''));
}

async function replayError(code: string, file: string): Promise<unknown> {
  return replay(code, file).then(
    () => undefined,
    (err: unknown) => err,
  );
}

describe('recorded histories under a changed mapping', () => {
  let editedFile: string;
  let editedCompiled: string;

  beforeAll(async () => {
    editedFile = await bundleWithChanged('project.mapping.json');
    editedCompiled = await bundleWithChanged('compiled-before-mapping-as-data.json');
  });

  it('include ProjectSync histories recorded with the mapping as data and from before it', () => {
    expect(recordedAsData.length).toBeGreaterThanOrEqual(1);
    expect(projectSyncsBefore.length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)('%s replays with a lookup id changed in the operator mapping file', async (file) => {
    await replay(editedFile, file);
  });

  it('control: the same change in the compiled mapping breaks histories from before the patch', async () => {
    const errors = await Promise.all(projectSyncsBefore.map((file) => replayError(editedCompiled, file)));
    expect(errors.filter((err) => err instanceof DeterminismViolationError).length).toBeGreaterThan(0);
  });

  it.each(recordedAsData)('%s (mapping as data) replays even with the compiled mapping changed', async (file) => {
    await replay(editedCompiled, file);
  });
});
