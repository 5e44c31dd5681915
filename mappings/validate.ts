/** Start-up validation of a mapping file, with errors that name the file, the field and the value. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { errors } from '../common/errors';
import { CONFLICT_POLICIES, type ProjectMapping } from './types';

const fieldSchema = z
  .object({
    name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/, 'must be a camelCase identifier'),
    salesforce: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a Salesforce field API name'),
    procore: z.union([z.string().min(1), z.object({ read: z.string().min(1), write: z.string().min(1) }).strict()]),
    type: z.enum(['text', 'date', 'decimal', 'boolean', 'lookup']),
    lookup: z.string().optional(),
    direction: z.enum(['both', 'salesforce-to-procore', 'procore-to-salesforce']),
    conflict: z.enum(CONFLICT_POLICIES).optional(),
  })
  .strict();

const mappingSchema = z
  .object({
    $comment: z.string().optional(),
    salesforceObject: z.string().min(1),
    conflictPolicy: z.enum(CONFLICT_POLICIES).optional(),
    fields: z.array(fieldSchema).min(1),
    lookups: z.record(
      z.string(),
      z.array(z.object({ salesforce: z.string().min(1), procore: z.number().int().positive() }).strict()),
    ),
  })
  .strict();

/** Cross-field rules zod cannot express: unique names, lookups that exist, tables without duplicates. */
function crossCheck(mapping: ProjectMapping): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  mapping.fields.forEach((field, i) => {
    const at = `fields[${i}] (${field.name})`;
    if (seen.has(field.name)) problems.push(`${at}: name "${field.name}" is used twice`);
    seen.add(field.name);
    if (field.type === 'lookup' && !field.lookup) problems.push(`${at}: type "lookup" needs a "lookup" table name`);
    if (field.lookup && !mapping.lookups[field.lookup])
      problems.push(`${at}: lookup table "${field.lookup}" is not defined in "lookups"`);
    // A one-way field has one source; a policy naming the other side could never apply.
    if (field.conflict && field.conflict !== 'latest' && field.direction !== 'both') {
      const source = field.direction === 'salesforce-to-procore' ? 'salesforce-wins' : 'procore-wins';
      if (field.conflict !== source)
        problems.push(`${at}: conflict "${field.conflict}" contradicts direction "${field.direction}"`);
    }
  });
  for (const [table, rows] of Object.entries(mapping.lookups)) {
    for (const key of ['salesforce', 'procore'] as const) {
      const values = rows.map((r) => r[key]);
      const dup = values.find((v, i) => values.indexOf(v) !== i);
      if (dup !== undefined) problems.push(`lookups.${table}: ${key} value ${JSON.stringify(dup)} appears twice`);
    }
  }
  return problems;
}

function valueAtPath(data: unknown, pathParts: PropertyKey[]): unknown {
  return pathParts.reduce<unknown>(
    (node, key) => (node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined),
    data,
  );
}

/** `fields.2.type` reads better as `fields[2] (projectType).type`: the field's canonical name is what people know. */
function describePath(data: unknown, pathParts: PropertyKey[]): string {
  if (pathParts[0] !== 'fields' || typeof pathParts[1] !== 'number') return pathParts.map(String).join('.') || '(root)';
  const name = valueAtPath(data, ['fields', pathParts[1], 'name']);
  return [
    `fields[${pathParts[1]}]${typeof name === 'string' ? ` (${name})` : ''}`,
    ...pathParts.slice(2).map(String),
  ].join('.');
}

export function validateMapping(data: unknown, file: string): ProjectMapping {
  const parsed = mappingSchema.safeParse(data);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((issue) => {
        const value = valueAtPath(data, issue.path);
        return `${describePath(data, issue.path)}: ${issue.message}${value === undefined ? '' : ` (got ${JSON.stringify(value)})`}`;
      })
      .join('; ');
    throw errors.MAPPING_INVALID(file, detail);
  }
  const mapping = parsed.data as ProjectMapping;
  const problems = crossCheck(mapping);
  if (problems.length) throw errors.MAPPING_INVALID(file, problems.join('; '));
  return mapping;
}

export const DEFAULT_MAPPING_FILE = path.join(__dirname, 'project.mapping.json');

export function loadMappingFile(file = DEFAULT_MAPPING_FILE): ProjectMapping {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw errors.MAPPING_INVALID(file, (err as Error).message);
  }
  return validateMapping(data, file);
}
