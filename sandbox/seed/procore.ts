/** The Procore half of a seeded world, as stored projects: added to the store directly, so no webhook events. */
import type { Company } from '../procore/company';
import type { ProjectRecord, SandboxStore } from '../procore/store';
import { generateWorld, type SeedOptions, type SeedProcoreProject } from './world';

function toProject(seed: SeedProcoreProject, company: Company): ProjectRecord {
  const p = seed.project;
  const type = company.projectTypes.find((t) => t.name === p.projectType);
  const stage = company.projectStages.find((s) => s.name === p.stage);
  return {
    id: seed.id,
    company_id: company.id,
    created_at: p.modifiedAt,
    updated_at: p.modifiedAt,
    created_by_user_id: company.consoleUser.id,
    attributes: {
      name: p.name,
      project_number: p.projectNumber,
      origin_id: seed.originId,
      active: p.active,
      project_type_id: type?.id ?? null,
      project_stage_id: stage?.id ?? company.defaultProjectStageId,
      address: p.street,
      city: p.city,
      state_code: p.stateCode,
      zip: p.postalCode,
      country_code: p.countryCode,
      start_date: p.startDate,
      completion_date: p.completionDate,
      total_value: `${p.estimatedValue}.0`,
      description: p.description,
    },
  };
}

/** Fills a company without projects with the seeded world's projects; one that has projects is left alone. */
export function seedProcoreStore(store: SandboxStore, company: Company, options: SeedOptions): number {
  if (store.state.projects.length > 0) return 0;
  const world = generateWorld(options);
  for (const seed of world.procore) store.addProject(toProject(seed, company));
  const last = world.procore.at(-1);
  if (last) store.state.counters.projectId = Math.max(store.state.counters.projectId, last.id);
  return world.procore.length;
}
