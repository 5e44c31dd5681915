/** The folder holding package.json: the same whether code runs from source or compiled into dist/. */
import { existsSync } from 'node:fs';
import path from 'node:path';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No package.json above ${from}`);
  }
}

export const PROJECT_ROOT = findRoot(__dirname);

/** Whether this process runs the compiled JavaScript (npm run build) rather than TypeScript through tsx. */
export const RUNNING_COMPILED = __filename.endsWith('.js');
