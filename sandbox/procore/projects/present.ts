/**
 * The read forms of a project. Show (also the create, update and sync answer) is the full record with
 * `project_type {id,name}` and no `project_type_id`; the v1.0 list item is a different, narrower shape without
 * description, project_type, square_feet, flag or code, but with `stage` as a plain name.
 */
import type { Company } from '../company';
import type { ProjectRecord } from '../store';

type Json = Record<string, unknown>;

function displayName(project: ProjectRecord): string {
  const { name, project_number: number } = project.attributes;
  return number ? `${number} - ${name ?? ''}` : (name ?? '');
}

function createdBy(project: ProjectRecord, company: Company): Json {
  const user = company.user(project.created_by_user_id);
  return { id: user.id, name: user.name, login: user.login };
}

function stageRef(project: ProjectRecord, company: Company): Json | null {
  const stage = company.projectStage(project.attributes.project_stage_id);
  return stage ? { id: stage.id, name: stage.name } : null;
}

function value<K extends keyof ProjectRecord['attributes']>(
  project: ProjectRecord,
  key: K,
): ProjectRecord['attributes'][K] | null {
  return project.attributes[key] ?? null;
}

/** Fields both shapes share, in the order Procore lists them. */
function common(project: ProjectRecord, company: Company): Json {
  const a = (key: keyof ProjectRecord['attributes']) => value(project, key);
  return {
    id: project.id,
    name: a('name'),
    display_name: displayName(project),
    project_number: a('project_number'),
    address: a('address'),
    city: a('city'),
    county: a('county'),
    state_code: a('state_code'),
    country_code: a('country_code'),
    zip: a('zip'),
    phone: a('phone'),
    fax: a('fax'),
    latitude: a('latitude'),
    longitude: a('longitude'),
    time_zone: a('time_zone'),
    start_date: a('start_date'),
    completion_date: a('completion_date'),
    projected_finish_date: null,
    total_value: a('total_value'),
    estimated_value: a('total_value'),
    estimated_budget: a('estimated_budget'),
    active: project.attributes.active ?? true,
    origin_id: a('origin_id'),
    origin_data: a('origin_data'),
    origin_code: a('origin_code'),
    owners_project_id: null,
    store_number: a('store_number'),
    accounting_project_number: a('accounting_project_number'),
    designated_market_area: a('designated_market_area'),
    sector: a('sector'),
    project_sector_id: a('project_sector_id'),
    work_scope: a('work_scope'),
    delivery_method: a('delivery_method'),
    priority: a('priority'),
    project_region_id: a('project_region_id'),
    project_bid_type_id: a('project_bid_type_id'),
    project_owner_type_id: a('project_owner_type_id'),
    photo_id: a('image_id'),
    is_demo: false,
    parent_job_id: a('parent_job_id'),
    // Only the id: the parent's name would need the store, and nothing the sandbox serves reads it.
    parent_job: project.attributes.parent_job_id ? { id: project.attributes.parent_job_id } : null,
    project_stage: stageRef(project, company),
    company: company.ref(),
    created_by: createdBy(project, company),
    custom_fields: {},
    created_at: project.created_at,
    updated_at: project.updated_at,
  };
}

export function presentShow(project: ProjectRecord, company: Company): Json {
  const a = (key: keyof ProjectRecord['attributes']) => value(project, key);
  return {
    ...common(project, company),
    description: a('description'),
    public_notes: a('public_notes'),
    square_feet: a('square_feet'),
    flag: a('flag'),
    code: a('code'),
    locale: a('locale'),
    tz_name: a('time_zone'),
    estimated_start_date: a('start_date'),
    estimated_completion_date: a('completion_date'),
    actual_start_date: null,
    warranty_start_date: a('warranty_start_date'),
    warranty_end_date: a('warranty_end_date'),
    project_type: company.projectType(project.attributes.project_type_id),
    project_stage_id: a('project_stage_id'),
    template: false,
    is_erp_integrated: project.attributes.erp_integrated ?? false,
    dictionary_type: null,
    office: company.reference('offices', project.attributes.office_id),
    program: company.reference('programs', project.attributes.program_id),
    project_region: company.reference('projectRegions', project.attributes.project_region_id),
    project_bid_type: company.reference('projectBidTypes', project.attributes.project_bid_type_id),
    project_owner_type: company.reference('projectOwnerTypes', project.attributes.project_owner_type_id),
    departments: (project.attributes.department_ids ?? [])
      .map((id) => company.reference('departments', id))
      .filter(Boolean),
    logo_url: null,
    photo_url: null,
    inbound_email: null,
    standard_cost_code_list_id: a('standard_cost_code_list_id'),
    from_project_template_id: null,
    persistent_message: null,
  };
}

export function presentListItem(project: ProjectRecord, company: Company): Json {
  const stage = company.projectStage(project.attributes.project_stage_id);
  return { ...common(project, company), stage: stage?.name ?? null, project_template: null };
}

/** `serializer_view=compact`. */
export function presentCompact(project: ProjectRecord): Json {
  return { id: project.id, name: project.attributes.name ?? null, display_name: displayName(project) };
}
