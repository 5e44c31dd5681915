/** The company's project types and stages, every page: what lookups point at and what names resolve to. */
import type { ProcoreCatalogs, ProcoreRef } from '../../mappings/live-check';
import type { ProcoreClient } from './client';

const PER_PAGE = 100;

async function allOf(client: ProcoreClient, name: 'project_types' | 'project_stages'): Promise<ProcoreRef[]> {
  const companyId = client.settings.companyId;
  const refs: ProcoreRef[] = [];
  for (let page = 1; ; page++) {
    const batch = await client.request<ProcoreRef[]>('GET', `/rest/v1.0/companies/${companyId}/${name}`, {
      searchParams: { per_page: PER_PAGE, page },
    });
    refs.push(...batch.map(({ id, name: refName }) => ({ id, name: refName })));
    if (batch.length < PER_PAGE) return refs;
  }
}

export async function readProcoreCatalogs(client: ProcoreClient): Promise<ProcoreCatalogs> {
  const [projectTypes, projectStages] = await Promise.all([
    allOf(client, 'project_types'),
    allOf(client, 'project_stages'),
  ]);
  return { projectTypes, projectStages };
}
