/**
 * SOQL over REST: `GET /query?q=` (and `/queryAll` with deleted rows), paged through `nextRecordsUrl` whose last
 * path segment is the query locator, batch size from `Sforce-Query-Options: batchSize=N` (200..2000).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SandboxContext } from '../context';
import { sfErrors } from '../errors';
import { makeId } from '../ids';
import { bindQuery, parseSoql, runQuery } from '../soql';
import { apiVersion } from './common';
import { renderRecord, type RestRecord } from './render';

const DEFAULT_BATCH = 2000;
const MIN_BATCH = 200;
/** Salesforce keeps a query cursor for 15 minutes of inactivity; so does the sandbox, and only the newest few. */
const CURSOR_IDLE_MS = 15 * 60_000;
const MAX_CURSORS = 200;

interface Cursor {
  rows: RestRecord[];
  touchedAt: number;
}

interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: RestRecord[];
}

export function batchSizeFrom(header: string | string[] | undefined): number {
  const match = /batchSize\s*=\s*(\d+)/i.exec(String(header ?? ''));
  if (!match) return DEFAULT_BATCH;
  return Math.min(DEFAULT_BATCH, Math.max(MIN_BATCH, Number(match[1])));
}

class Cursors {
  private readonly cursors = new Map<string, Cursor>();
  private count = 0;

  open(rows: RestRecord[]): string {
    this.evict();
    const id = makeId('01g', ++this.count);
    this.cursors.set(id, { rows, touchedAt: Date.now() });
    return id;
  }

  get(id: string): Cursor | undefined {
    this.evict();
    const cursor = this.cursors.get(id);
    if (cursor) cursor.touchedAt = Date.now();
    return cursor;
  }

  private evict(): void {
    const cutoff = Date.now() - CURSOR_IDLE_MS;
    for (const [id, cursor] of this.cursors) {
      if (cursor.touchedAt < cutoff || this.cursors.size >= MAX_CURSORS) this.cursors.delete(id);
    }
  }
}

const querySchema = {
  querystring: { type: 'object', required: ['q'], properties: { q: { type: 'string', minLength: 1 } } },
} as const;

export async function queryRoutes(app: FastifyInstance, ctx: SandboxContext): Promise<void> {
  const cursors = new Cursors();

  const page = (
    request: FastifyRequest,
    resource: string,
    cursorId: string,
    rows: RestRecord[],
    start: number,
  ): QueryPage => {
    const size = batchSizeFrom(request.headers['sforce-query-options']);
    const end = start + size;
    const result: QueryPage = { totalSize: rows.length, done: end >= rows.length, records: rows.slice(start, end) };
    if (!result.done) result.nextRecordsUrl = `/services/data/v${apiVersion(request)}/${resource}/${cursorId}-${end}`;
    return result;
  };

  const runSoql =
    (resource: 'query' | 'queryAll') => async (request: FastifyRequest<{ Querystring: { q: string } }>) => {
      const version = apiVersion(request);
      const soql = request.query.q;
      const query = bindQuery(soql, parseSoql(soql), ctx.schema);
      const matched = runQuery(query, ctx.store.all(resource === 'queryAll'), ctx.schema);
      if (query.count) return { totalSize: matched.length, done: true, records: [] };
      const rows = matched.map((r) => renderRecord(ctx.schema, version, r, query.selected));
      const cursorId = rows.length > batchSizeFrom(request.headers['sforce-query-options']) ? cursors.open(rows) : '';
      return page(request, resource, cursorId, rows, 0);
    };

  const more = (resource: 'query' | 'queryAll') => async (request: FastifyRequest<{ Params: { locator: string } }>) => {
    const match = /^([0-9A-Za-z]{18})-(\d+)$/.exec(request.params.locator);
    const cursor = match ? cursors.get(match[1]!) : undefined;
    if (!match || !cursor) throw sfErrors.INVALID_QUERY_LOCATOR();
    return page(request, resource, match[1]!, cursor.rows, Number(match[2]));
  };

  for (const resource of ['query', 'queryAll'] as const) {
    app.get(`/services/data/:version/${resource}`, { schema: querySchema }, runSoql(resource));
    app.get(`/services/data/:version/${resource}/:locator`, more(resource));
  }
}
