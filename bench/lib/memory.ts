/** Peak resident memory of a process, as the kernel keeps it (VmHWM in /proc/<pid>/status), in MiB. */
import { readFileSync } from 'node:fs';

export function peakRssMiB(pid: number | undefined): number | null {
  if (!pid || pid < 0) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : null;
  } catch {
    // Not Linux, or the process is gone.
    return null;
  }
}
