/**
 * When the API handed out each project's state (`GET` or `PATCH /rest/v1.0/projects/:id` answered 2xx), behind
 * `GET /sandbox/project-reads`: a test can tell which people's edits a client's read can have seen, e.g. whether two
 * edits reached it in one read. Each entry is the request's span, received to answered, in epoch ms.
 */
import type { FastifyInstance } from 'fastify';

export interface ReadSpan {
  from: number;
  to: number;
}

/** Enough for a long soak's project; older spans are dropped first. */
const KEPT_A_PROJECT = 2_000;
const PROJECT_ROUTE = '/rest/v1.0/projects/:id';

export class ProjectReads {
  private readonly spans = new Map<number, ReadSpan[]>();

  record(projectId: number, span: ReadSpan): void {
    const spans = this.spans.get(projectId) ?? [];
    spans.push(span);
    if (spans.length > KEPT_A_PROJECT) spans.shift();
    this.spans.set(projectId, spans);
  }

  report(): Record<string, ReadSpan[]> {
    return Object.fromEntries([...this.spans].map(([id, spans]) => [String(id), spans]));
  }

  /** Records every answered read or update of one project (the update answers with the project too). */
  watch(app: FastifyInstance): void {
    app.addHook('onResponse', async (request, reply) => {
      if (request.routeOptions.url !== PROJECT_ROUTE || reply.statusCode >= 300) return;
      if (request.method !== 'GET' && request.method !== 'PATCH') return;
      const { id } = request.params as { id?: string };
      const to = Date.now();
      this.record(Number(id), { from: to - reply.elapsedTime, to });
    });
  }
}
