/** Runs one `tandem` command as an operator would, against a running system's settings, and collects its output. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { RunningSystem } from './system';

const ROOT = path.resolve(__dirname, '..', '..');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runTandem(system: RunningSystem, args: string[]): Promise<CliRun> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'tandem.js'), ...args], {
    env: { ...process.env, ...system.env, LOG_LEVEL: 'warn' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
