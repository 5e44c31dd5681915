/**
 * Lookups written by name: a row may give Procore's name (`"procoreName": "Commercial"`) instead of the company's id,
 * and is resolved to the id against the company's project types and stages before the mapping is validated.
 * Pure: the caller fetches the catalogs.
 */
import type { ProcoreCatalogs, ProcoreRef } from './live-check';

interface RawRow {
  salesforce?: unknown;
  procore?: unknown;
  procoreName?: unknown;
}

interface RawMapping {
  fields?: Array<{ lookup?: unknown; procore?: unknown }>;
  lookups?: Record<string, RawRow[]>;
}

/** Which catalog each lookup table draws on, from the fields that use it. */
function catalogsByTable(raw: RawMapping): Map<string, keyof ProcoreCatalogs> {
  const out = new Map<string, keyof ProcoreCatalogs>();
  for (const field of raw.fields ?? []) {
    const write =
      typeof field.procore === 'object' && field.procore ? (field.procore as { write?: unknown }).write : field.procore;
    if (typeof field.lookup !== 'string') continue;
    if (write === 'project_type_id') out.set(field.lookup, 'projectTypes');
    if (write === 'project_stage_id') out.set(field.lookup, 'projectStages');
  }
  return out;
}

export function hasNamedLookups(raw: unknown): boolean {
  const lookups = (raw as RawMapping | null)?.lookups ?? {};
  return Object.values(lookups).some(
    (rows) => Array.isArray(rows) && rows.some((r) => r.procore === undefined && typeof r.procoreName === 'string'),
  );
}

const byName = (refs: ProcoreRef[], name: string) =>
  refs.filter((r) => r.name.trim().toLowerCase() === name.trim().toLowerCase());

/** The mapping with every named row given its id; problems name the table, the row and what went wrong. */
export function resolveLookupNames(raw: unknown, catalogs: ProcoreCatalogs): { mapping: unknown; problems: string[] } {
  const source = raw as RawMapping;
  const tables = catalogsByTable(source);
  const problems: string[] = [];
  const lookups: Record<string, RawRow[]> = {};
  for (const [table, rows] of Object.entries(source.lookups ?? {})) {
    lookups[table] = rows.map((row) => {
      if (row.procore !== undefined || typeof row.procoreName !== 'string') return row;
      const catalog = tables.get(table);
      const matches = catalog ? byName(catalogs[catalog], row.procoreName) : [];
      if (matches.length !== 1) {
        problems.push(
          `lookups.${table}: Procore name "${row.procoreName}" ${matches.length === 0 ? 'names nothing' : 'names several'}${catalog ? ` in ${catalog}` : ''}`,
        );
        return row;
      }
      return { ...row, procore: matches[0]!.id };
    });
  }
  return { mapping: { ...source, lookups }, problems };
}
