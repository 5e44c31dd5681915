/** `tandem start`: arguments only; the system itself is workers/local-system. */
import { runLocalSystem } from '../../workers/local-system/run';
import { failFastOnConfig } from '../../workers/run-process';

const USAGE =
  'Usage: tandem start\n  Settings come from the environment and .env; see .env.example (ports, DATA_DIR, TANDEM_SANDBOXES).\n';

export function startCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write(USAGE);
    return Promise.resolve(0);
  }
  if (argv.length > 0) {
    process.stderr.write(`tandem start: unexpected argument '${argv[0]}'\n${USAGE}`);
    return Promise.resolve(2);
  }
  return failFastOnConfig(runLocalSystem);
}
