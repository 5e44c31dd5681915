/** Resident memory of a process as the kernel keeps it (/proc/<pid>/status), in MiB. */
import { readFileSync } from 'node:fs';

function statusMiB(pid: number | undefined, field: 'VmHWM' | 'VmRSS'): number | null {
  if (!pid || pid < 0) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : null;
  } catch {
    // Not Linux, or the process is gone.
    return null;
  }
}

/** The peak so far (VmHWM). */
export const peakRssMiB = (pid: number | undefined) => statusMiB(pid, 'VmHWM');

/** The resident set now (VmRSS). */
export const rssMiB = (pid: number | undefined) => statusMiB(pid, 'VmRSS');

/** One point of the sync workers' memory against the number of linked projects. */
export interface LinkedMemoryPoint {
  linked: number;
  /** Seconds since creation began. */
  atS: number;
  /** RSS now and the peak so far, per sync worker, in MiB. */
  workersRssMiB: Array<number | null>;
  workersPeakMiB: Array<number | null>;
}

/** Samples the workers each time the linked count passes another `every` projects (and at the end). */
export class LinkedMemorySeries {
  readonly points: LinkedMemoryPoint[] = [];
  private readonly startedAt = Date.now();
  private nextAt: number;

  constructor(
    private readonly workerPids: number[],
    private readonly every: number,
  ) {
    this.nextAt = every;
  }

  onLinked(linked: number): void {
    if (linked < this.nextAt) return;
    this.sample(linked);
    while (this.nextAt <= linked) this.nextAt += this.every;
  }

  sample(linked: number): void {
    if (this.points.at(-1)?.linked === linked) return;
    this.points.push({
      linked,
      atS: Math.round((Date.now() - this.startedAt) / 100) / 10,
      workersRssMiB: this.workerPids.map(rssMiB),
      workersPeakMiB: this.workerPids.map(peakRssMiB),
    });
  }
}

/** `getconf CLK_TCK` on Linux (x86 and arm64 alike). */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; null where it cannot be read. */
export function cpuSeconds(pid: number | undefined): number | null {
  if (!pid || pid < 0) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in clock ticks.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** CPU milliseconds each process spends from now until `per(n)` is called, divided by n (a change, a project). */
export function cpuMeter(pids: Record<string, number | undefined>): { per(n: number): Record<string, number | null> } {
  const before = Object.fromEntries(Object.entries(pids).map(([role, pid]) => [role, cpuSeconds(pid)]));
  return {
    per: (n) =>
      Object.fromEntries(
        Object.entries(pids).map(([role, pid]) => {
          const [start, end] = [before[role], cpuSeconds(pid)];
          if (start === null || start === undefined || end === null) return [role, null];
          return [role, Math.round(((end - start) * 1000 * 10) / Math.max(1, n)) / 10];
        }),
      ),
  };
}
