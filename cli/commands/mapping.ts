/**
 * `tandem mapping check [--mapping FILE]`: the mapping against the live systems (Salesforce describe, Procore's
 * project types and stages). Names every mismatch and exits 1 on any; warnings alone exit 0.
 */
import { parseArgs } from 'node:util';
import { loadConfig, loadDotEnv } from '../../common/config';
import { readProcoreCatalogs } from '../../activities/procore/catalogs';
import { checkMappingLive, type DescribedField } from '../../mappings/live-check';
import { DEFAULT_MAPPING_FILE } from '../../mappings/validate';
import { loadResolvedMapping } from '../../workers/mapping';
import { procoreClient, salesforceSession } from '../../workers/systems';

const USAGE = 'Usage: tandem mapping check [--mapping FILE]\n';

export async function mappingCommand(argv: string[]): Promise<number> {
  let file: string;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { mapping: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1 || positionals[0] !== 'check') throw new Error('expected: mapping check');
    file = values.mapping ?? DEFAULT_MAPPING_FILE;
  } catch (err) {
    process.stderr.write(`tandem: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  loadDotEnv();
  const config = loadConfig();
  const mapping = await loadResolvedMapping(config, file);
  const conn = await salesforceSession(config).connection();
  const described = await conn.sobject(mapping.salesforceObject).describe();
  const fields: DescribedField[] = described.fields.map((f) => ({
    name: f.name,
    type: f.type,
    length: f.length,
    updateable: f.updateable,
    picklistValues: (f.picklistValues ?? []).map((v) => ({ value: v.value, active: v.active })),
  }));
  const findings = checkMappingLive(mapping, fields, await readProcoreCatalogs(procoreClient(config)));
  const mismatches = findings.filter((f) => f.level === 'mismatch');
  for (const f of findings)
    process.stdout.write(`${f.level === 'mismatch' ? 'MISMATCH' : 'warning '} ${f.field}: ${f.message}\n`);
  process.stdout.write(
    `${file}: ${mismatches.length} mismatch(es), ${findings.length - mismatches.length} warning(s) against ` +
      `${config.SALESFORCE_LOGIN_URL} and Procore company ${config.PROCORE_COMPANY_ID}\n`,
  );
  return mismatches.length > 0 ? 1 : 0;
}
