/**
 * `tandem mapping check [--mapping FILE]`: the mapping against the live systems (Salesforce describe, Procore's
 * project types and stages). Names every mismatch and exits 1 on any; warnings alone exit 0.
 * `tandem mapping apply [--mapping FILE]`: validates the file, then tells every running ProjectSync to adopt it.
 */
import { parseArgs } from 'node:util';
import { loadConfig, loadDotEnv, type TandemConfig } from '../../common/config';
import { readProcoreCatalogs } from '../../activities/procore/catalogs';
import { checkMappingLive, type DescribedField } from '../../mappings/live-check';
import { DEFAULT_MAPPING_FILE } from '../../mappings/validate';
import { loadResolvedMapping } from '../../workers/mapping';
import { mappingVersion } from '../../workers/mapping-source';
import { procoreClient, salesforceSession } from '../../workers/systems';
import { connectClient } from '../../workers/temporal/connection';
import { signalMappingChanged } from '../mapping/apply';
import { usageOf } from '../command-list';

const USAGE = usageOf('mapping');

export async function mappingCommand(argv: string[]): Promise<number> {
  let file: string | undefined;
  let action: string;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { mapping: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    action = positionals[0] ?? '';
    if (positionals.length !== 1 || !['check', 'apply'].includes(action))
      throw new Error('expected: mapping check or mapping apply');
    file = values.mapping;
  } catch (err) {
    process.stderr.write(`tandem: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  loadDotEnv();
  const config = loadConfig();
  const path = file ?? config.TANDEM_MAPPING_FILE ?? DEFAULT_MAPPING_FILE;
  return action === 'apply' ? applyMapping(config, path) : checkMapping(config, path);
}

async function applyMapping(config: TandemConfig, file: string): Promise<number> {
  const version = mappingVersion(await loadResolvedMapping(config, file));
  const client = await connectClient(config);
  try {
    const { signalled, gone } = await signalMappingChanged(client, version);
    process.stdout.write(
      `${file}: version ${version}; told ${signalled} running ProjectSync workflow(s) to adopt the sync worker's ` +
        `mapping before their next batch${gone ? ` (${gone} closed meanwhile)` : ''}\n`,
    );
    return 0;
  } finally {
    await client.connection.close();
  }
}

async function checkMapping(config: TandemConfig, file: string): Promise<number> {
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
