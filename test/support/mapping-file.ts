/** The shipped mapping with one conflict policy for every field, written to a file of its own (TANDEM_MAPPING_FILE). */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConflictPolicy, ProjectMapping } from '../../mappings/types';
import { DEFAULT_MAPPING_FILE } from '../../mappings/validate';

export function mappingWithPolicy(policy: ConflictPolicy): ProjectMapping {
  const mapping = JSON.parse(readFileSync(DEFAULT_MAPPING_FILE, 'utf8')) as ProjectMapping;
  mapping.conflictPolicy = policy;
  for (const field of mapping.fields) delete field.conflict;
  return mapping;
}

export function mappingFileWithPolicy(policy: ConflictPolicy): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'tandem-mapping-')), 'project.mapping.json');
  writeFileSync(file, `${JSON.stringify(mappingWithPolicy(policy), null, 2)}\n`);
  return file;
}
