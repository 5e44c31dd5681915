/**
 * v1.x list paging: `page` (1-based) and `per_page`, answered with `Link` (first/prev/next/last; page 1 has only
 * next and last, the last page only first and prev), `Total` and `Per-Page` headers.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export const DEFAULT_PER_PAGE = 100;
/** The hard maximum an older version of Procore's docs gave. */
export const MAX_PER_PAGE = 10_000;

export interface PageRequest {
  page?: number;
  per_page?: number;
}

function pageUrl(request: FastifyRequest, page: number, perPage: number): string {
  const url = new URL(request.url, `${request.protocol}://${request.host}`);
  url.searchParams.set('page', String(page));
  url.searchParams.set('per_page', String(perPage));
  return url.toString();
}

function linkHeader(request: FastifyRequest, page: number, lastPage: number, perPage: number): string | null {
  const links: string[] = [];
  const add = (target: number, rel: string) => links.push(`<${pageUrl(request, target, perPage)}>; rel="${rel}"`);
  if (page > 1) {
    add(1, 'first');
    add(Math.min(page - 1, lastPage), 'prev');
  }
  if (page < lastPage) {
    add(page + 1, 'next');
    add(lastPage, 'last');
  }
  return links.length > 0 ? links.join(', ') : null;
}

/** Slices one page and sets the paging headers on the reply; `maxPerPage` is the endpoint's own cap. */
export function paginate<T>(
  items: readonly T[],
  query: PageRequest,
  request: FastifyRequest,
  reply: FastifyReply,
  maxPerPage = MAX_PER_PAGE,
): T[] {
  const perPage = Math.min(Math.max(query.per_page ?? DEFAULT_PER_PAGE, 1), maxPerPage);
  const page = Math.max(query.page ?? 1, 1);
  const lastPage = Math.max(Math.ceil(items.length / perPage), 1);
  reply.header('Total', String(items.length)).header('Per-Page', String(perPage));
  const link = linkHeader(request, page, lastPage, perPage);
  if (link) reply.header('Link', link);
  return items.slice((page - 1) * perPage, page * perPage);
}
