/**
 * Editing the operator's mapping file must never change how a recorded history replays: a ProjectSync applies the
 * mapping its history holds (the sync worker's answer to the activity `currentMapping`, or the mapping its input
 * carried over from the run before), never a copy built into the workflow code. Every fixture is replayed by a
 * workflow bundle built with a changed lookup id in mappings/project.mapping.json, and every ProjectSync fixture is
 * checked to hold its mapping, with the lookup as it was, so that the replay cannot pass without meeting it.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { History } from '@temporalio/common/lib/proto-utils';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import webpack from 'webpack';
import type { ProjectMapping } from '../../mappings/types';

jest.setTimeout(300_000);

const HISTORIES = path.join(__dirname, 'histories');
const MAPPINGS = path.join(__dirname, '..', '..', 'mappings');
const files = readdirSync(HISTORIES).filter((f) => f.endsWith('.json'));
const projectSyncs = files.filter((f) => f.startsWith('project-sync.'));

/** The lookup every recorded ProjectSync reads from Procore: stage "Course of Construction". */
const STAGE = 'Course of Construction';
const STAGE_ID = 562949953421502;
const CHANGED_STAGE_ID = 562949953421599;

function history(file: string): History {
  return historyFromJSON(JSON.parse(readFileSync(path.join(HISTORIES, file), 'utf8')));
}

function decode(payload: { data?: Uint8Array | null } | undefined): unknown {
  return payload?.data ? JSON.parse(Buffer.from(payload.data).toString('utf8')) : undefined;
}

/**
 * The mapping a ProjectSync history holds, and where: the answer of its `currentMapping` activity (a fresh run), or
 * its input's (a run continued as new).
 */
function mappingIn(file: string): { from: 'activity' | 'input'; mapping: ProjectMapping } | undefined {
  const events = history(file).events ?? [];
  const input = decode(events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]) as
    { mapping?: { mapping: ProjectMapping } } | undefined;
  if (input?.mapping) return { from: 'input', mapping: input.mapping.mapping };
  const asked = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'currentMapping');
  if (!asked) return undefined;
  const answer = events.find(
    (e) => String(e.activityTaskCompletedEventAttributes?.scheduledEventId) === String(asked.eventId),
  );
  const result = decode(answer?.activityTaskCompletedEventAttributes?.result?.payloads?.[0]) as
    { mapping: ProjectMapping } | undefined;
  return result && { from: 'activity', mapping: result.mapping };
}

const stageIdOf = (mapping: ProjectMapping) =>
  mapping.lookups.projectStages?.find((r) => r.salesforce === STAGE)?.procore;

/** The mapping file with the stage's Procore id changed, in a directory of its own. */
function changedMappingFile(file: string): string {
  const mapping = JSON.parse(readFileSync(path.join(MAPPINGS, file), 'utf8')) as ProjectMapping;
  const row = mapping.lookups.projectStages!.find((r) => r.salesforce === STAGE)!;
  expect(row.procore).toBe(STAGE_ID);
  row.procore = CHANGED_STAGE_ID;
  const changed = path.join(mkdtempSync(path.join(os.tmpdir(), 'tandem-changed-mapping-')), file);
  writeFileSync(changed, JSON.stringify(mapping));
  return changed;
}

/** The workflow bundle with one mapping file replaced by a changed copy. */
async function bundleWithChanged(file: string): Promise<string> {
  const changed = changedMappingFile(file);
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

describe('recorded histories under a changed mapping', () => {
  let edited: string;

  beforeAll(async () => {
    edited = await bundleWithChanged('project.mapping.json');
  });

  it('include ProjectSync histories of fresh runs, which asked the sync worker for their mapping', () => {
    const asked = projectSyncs.filter((file) => mappingIn(file)?.from === 'activity');
    expect(asked.length).toBeGreaterThanOrEqual(3);
  });

  it.each(projectSyncs)('%s holds its mapping, with the stage lookup as recorded', (file) => {
    const held = mappingIn(file);
    expect(held).toBeDefined();
    expect(stageIdOf(held!.mapping)).toBe(STAGE_ID);
  });

  it('the workflow code holds no mapping of its own: the changed bundle has neither stage id', () => {
    expect(edited).not.toContain(String(STAGE_ID));
    expect(edited).not.toContain(String(CHANGED_STAGE_ID));
  });

  it.each(files)('%s replays with a lookup id changed in the operator mapping file', async (file) => {
    await Worker.runReplayHistory({ workflowBundle: { code: edited } }, history(file), file.replace(/\.json$/, ''));
  });
});
