/** `tandem start`: arguments only; the system itself is workers/local-system. */
import { runLocalSystem } from '../../workers/local-system/run';
import { failFastOnConfig } from '../../workers/run-process';
import { usageOf } from '../command-list';

export function startCommand(argv: string[]): Promise<number> {
  if (argv.length > 0) {
    process.stderr.write(`tandem start: unexpected argument '${argv[0]}'\n${usageOf('start')}`);
    return Promise.resolve(2);
  }
  return failFastOnConfig(runLocalSystem);
}
