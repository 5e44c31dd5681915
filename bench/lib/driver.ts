/**
 * Drives user edits at a steady rate through the consoles, on every sandbox pair at the same moments. Change k goes
 * to project k mod N; directions alternate, shifted by one on each pass over the projects so that every project
 * sees both. In burst mode a change is several edits of the same field of one project within a second; only the
 * last value must arrive (the sync may skip the others).
 */
import { preciseNow, sleep } from './clock';
import { consoleUser, type LinkedProject } from './console-user';
import { DIRECTIONS, EDITED_FIELD, type Direction, type SandboxUrls } from './systems';
import type { ChangeTracker } from './tracker';

export interface DriveTarget {
  pair: SandboxUrls;
  projects: LinkedProject[];
  tracker: ChangeTracker;
}

export interface DriveSettings {
  /** Changes per second. */
  rate: number;
  durationS: number;
  /** Edits per change: 1 is a plain change, more is a burst. */
  editsPerChange: number;
  burstSpacingMs: number;
  /** Makes values unique across the steps of one run. */
  valuePrefix: string;
}

export interface DriveResult {
  changes: number;
  /** Edits per pair. */
  edits: number;
  failedEdits: number;
  startedAt: number;
  endedAt: number;
}

function edit(pair: SandboxUrls, project: LinkedProject, direction: Direction, value: string): Promise<unknown> {
  return direction === 'salesforceToProcore'
    ? consoleUser.editSalesforceProject(pair, project.salesforceId, {
        [EDITED_FIELD.salesforceToProcore.salesforce]: value,
      })
    : consoleUser.editProcoreProject(pair, project.procoreId, { [EDITED_FIELD.procoreToSalesforce.procore]: value });
}

export async function driveEdits(targets: DriveTarget[], settings: DriveSettings): Promise<DriveResult> {
  const projectCount = Math.min(...targets.map((t) => t.projects.length));
  const total = Math.max(1, Math.round(settings.rate * settings.durationS));
  const result: DriveResult = {
    changes: total,
    edits: total * settings.editsPerChange,
    failedEdits: 0,
    startedAt: preciseNow(),
    endedAt: 0,
  };

  const change = async (target: DriveTarget, k: number) => {
    const project = k % projectCount;
    const direction = DIRECTIONS[(k + Math.floor(k / projectCount)) % 2]!;
    for (let j = 0; j < settings.editsPerChange; j++) {
      const value = `${settings.valuePrefix}-${k}-${j}`;
      const last = j === settings.editsPerChange - 1;
      if (last) target.tracker.expect(direction, value, project);
      else target.tracker.supersede(value);
      try {
        await edit(target.pair, target.projects[project]!, direction, value);
        if (last) target.tracker.committed(value, preciseNow());
      } catch {
        result.failedEdits++;
        if (last) target.tracker.abandon(value);
      }
      if (!last) await sleep(settings.burstSpacingMs);
    }
  };

  const inFlight: Array<Promise<void>> = [];
  for (let k = 0; k < total; k++) {
    await sleep(result.startedAt + (k * 1000) / settings.rate - preciseNow());
    for (const target of targets) inFlight.push(change(target, k));
  }
  await Promise.all(inFlight);
  result.endedAt = preciseNow();
  return result;
}
