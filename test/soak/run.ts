/**
 * `npm run soak -- [--duration S] [--projects N] [--rate N] [--seed N] [--no-faults] …` (USAGE lists every flag):
 * the whole system under random edits and faults, then the field-by-field comparison. Prints the report on stdout
 * (progress on stderr), writes it as JSON with --json, and exits 1 on any divergence, duplicate or orphan project,
 * unlinked record, lost edit or loop (2 on bad flags).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseSoakArgs, USAGE } from './lib/options';
import { formatReport } from './lib/report';
import { runSoak } from './lib/soak';

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseSoakArgs>;
  try {
    parsed = parseSoakArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`soak: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const report = await runSoak({ ...parsed.options, progress: (line) => process.stderr.write(`[soak] ${line}\n`) });
  if (parsed.jsonPath) {
    mkdirSync(path.dirname(path.resolve(parsed.jsonPath)), { recursive: true });
    writeFileSync(parsed.jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  }
  process.stdout.write(`${formatReport(report)}\n`);
  return report.ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`soak: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
