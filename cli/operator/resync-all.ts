/**
 * `tandem resync --all`: every linked project, one at a time (each waits for its sync, so the systems' rate caps
 * are not flooded), with a progress bar on stderr so stdout keeps only the summary.
 */
import { Presets, SingleBar } from 'cli-progress';
import type { OperatorClient } from '../../ingress/operator-api/client';

export interface ResyncFailure {
  salesforceId: string;
  reason: string;
}

export interface ResyncOutcome {
  total: number;
  failures: ResyncFailure[];
}

/** A project the workflow parked again is a failure too: the operator has to look at it. */
async function resyncOne(client: OperatorClient, salesforceId: string): Promise<ResyncFailure | undefined> {
  try {
    const state = await client.resync(salesforceId);
    if (state.status !== 'error') return undefined;
    return { salesforceId, reason: `parked: ${state.parked?.code ?? 'error'} ${state.parked?.message ?? ''}`.trim() };
  } catch (err) {
    return { salesforceId, reason: (err as Error).message };
  }
}

export async function resyncAll(
  client: OperatorClient,
  stderr: NodeJS.WriteStream = process.stderr,
): Promise<ResyncOutcome> {
  const linked = (await client.listProjects()).filter((p) => p.procoreProjectId && p.status !== 'deleted');
  const bar = new SingleBar(
    {
      stream: stderr,
      format: 'resync [{bar}] {value}/{total} {salesforceId}',
      noTTYOutput: !stderr.isTTY,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(linked.length, 0, { salesforceId: '' });
  const failures: ResyncFailure[] = [];
  for (const project of linked) {
    bar.update({ salesforceId: project.salesforceId });
    const failure = await resyncOne(client, project.salesforceId);
    if (failure) failures.push(failure);
    bar.increment();
  }
  bar.stop();
  return { total: linked.length, failures };
}

export function summarize({ total, failures }: ResyncOutcome): string {
  const lines = [`Re-synced ${total - failures.length} of ${total} linked projects, ${failures.length} failed`];
  for (const f of failures) lines.push(`  ${f.salesforceId}: ${f.reason}`);
  return `${lines.join('\n')}\n`;
}
