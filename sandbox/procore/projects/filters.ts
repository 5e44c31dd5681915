/**
 * List filters and sorting for `GET /rest/v1.0/projects`. Date ranges use Procore's `start...end` syntax with
 * ISO 8601 date-times or plain dates (a plain end date covers its whole day); both ends are inclusive. The range
 * may be wrapped in double quotes, as the date-time page's own example writes it (`filters[created_at]="…...…"`,
 * shown there with the quotes backslash-escaped, so that spelling is read too).
 */
import { procoreErrors } from '../errors';
import type { ProjectRecord } from '../store';
import type { ListQuery } from './schemas';

interface Range {
  from: number;
  to: number;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function parseBound(text: string, end: boolean, filter: string): number {
  const iso = DATE_ONLY.test(text) ? `${text}T${end ? '23:59:59.999' : '00:00:00.000'}Z` : text;
  const ms = Date.parse(iso);
  if (!text || Number.isNaN(ms))
    throw procoreErrors.BAD_PARAMETER(
      `${filter} must be an ISO 8601 range like 2016-09-23T16:30:00Z...2016-09-23T17:00:00Z`,
    );
  return ms;
}

const QUOTED = /^\\?"(.*?)\\?"$/;

function parseRange(value: string, filter: string): Range {
  const parts = (QUOTED.exec(value)?.[1] ?? value).split('...');
  if (parts.length !== 2) throw procoreErrors.BAD_PARAMETER(`${filter} must use '...' between the start and the end`);
  return { from: parseBound(parts[0], false, filter), to: parseBound(parts[1], true, filter) };
}

function inRange(timestamp: string, range: Range): boolean {
  const ms = Date.parse(timestamp);
  return ms >= range.from && ms <= range.to;
}

type Predicate = (project: ProjectRecord) => boolean;

function statusPredicate(status: ListQuery['filters[by_status]']): Predicate {
  if (status === 'all') return () => true;
  const wanted = status !== 'inactive';
  return (p) => (p.attributes.active ?? true) === wanted;
}

function predicates(query: ListQuery): Predicate[] {
  const list: Predicate[] = [statusPredicate(query['filters[by_status]'])];
  const originId = query['filters[origin_id]'];
  if (originId !== undefined) list.push((p) => p.attributes.origin_id === originId);
  const projectNumber = query['filters[project_number]'];
  if (projectNumber !== undefined) list.push((p) => p.attributes.project_number === projectNumber);
  const name = query['filters[name]']?.toLowerCase();
  if (name !== undefined) list.push((p) => (p.attributes.name ?? '').toLowerCase().includes(name));
  const ids = query['filters[id][]'];
  if (ids !== undefined) {
    const wanted = new Set(Array.isArray(ids) ? ids : [ids]);
    list.push((p) => wanted.has(p.id));
  }
  const updated = query['filters[updated_at]'];
  if (updated !== undefined) {
    const range = parseRange(updated, 'filters[updated_at]');
    list.push((p) => inRange(p.updated_at, range));
  }
  const created = query['filters[created_at]'];
  if (created !== undefined) {
    const range = parseRange(created, 'filters[created_at]');
    list.push((p) => inRange(p.created_at, range));
  }
  return list;
}

const SORT_KEYS: Record<string, (p: ProjectRecord) => string | number> = {
  id: (p) => p.id,
  name: (p) => p.attributes.name ?? '',
  display_name: (p) =>
    (p.attributes.project_number ? `${p.attributes.project_number} - ` : '') + (p.attributes.name ?? ''),
  created_at: (p) => p.created_at,
  updated_at: (p) => p.updated_at,
};

function comparator(sort: string | undefined): (a: ProjectRecord, b: ProjectRecord) => number {
  const descending = sort?.startsWith('-') ?? false;
  const key = SORT_KEYS[(sort ?? 'id').replace(/^-/, '')] ?? SORT_KEYS.id;
  const sign = descending ? -1 : 1;
  return (a, b) => {
    const [x, y] = [key(a), key(b)];
    if (x === y) return a.id - b.id;
    return (x < y ? -1 : 1) * sign;
  };
}

export function filterProjects(projects: readonly ProjectRecord[], query: ListQuery): ProjectRecord[] {
  const tests = predicates(query);
  return projects.filter((p) => tests.every((test) => test(p))).sort(comparator(query.sort));
}
