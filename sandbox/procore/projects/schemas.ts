/**
 * Input schemas for the Projects endpoints, in Procore's write form (`project_type_id`, `total_value` as a number),
 * with every writable key the Create and Update references list (facts file, Projects: Create / Update).
 * Attribute objects are strict: an unknown key is a 406, a wrong type a 400 (see validation.ts). Date fields take
 * any string here: what Procore makes of it is dates.ts's business (a malformed one is stored as null, not refused).
 */
import { z } from 'zod';
import { companyIdValue, queryInt } from '../params';

const text = (max = 255) => z.string().max(max).nullable().optional();
const date = z.string().max(64).nullable().optional();
const referenceId = z.number().int().positive().nullable().optional();
const flag = z.boolean().optional();
/** Procore reads decimals back as strings, so a client may well send one back as a string: accept both. */
const decimal = z
  .union([z.number().finite(), z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal number')])
  .nullable()
  .optional();

const createAttributeShape = {
  name: z.string().max(255).optional(),
  project_number: text(),
  origin_id: text(),
  origin_data: text(4000),
  origin_code: text(),
  active: z.boolean().optional(),
  address: text(),
  city: text(),
  state_code: text(10),
  country_code: text(2),
  zip: text(20),
  phone: text(40),
  latitude: z.number().min(-90).max(90).nullable().optional(),
  longitude: z.number().min(-180).max(180).nullable().optional(),
  time_zone: text(),
  description: text(65535),
  public_notes: text(65535),
  square_feet: z.number().int().nonnegative().nullable().optional(),
  start_date: date,
  completion_date: date,
  warranty_start_date: date,
  warranty_end_date: date,
  total_value: decimal,
  estimated_budget: decimal,
  flag: z.enum(['Red', 'Yellow', 'Green']).nullable().optional(),
  // Deprecated names that mirror total_value, start_date and completion_date (projects/service.ts).
  estimated_value: decimal,
  estimated_start_date: date,
  estimated_completion_date: date,
  override_start_date: date,
  override_start_date_check: flag,
  override_end_date: date,
  override_end_date_check: flag,
  /** The complete list: what is not in it is removed. */
  department_ids: z.array(z.number().int().positive()).max(500).nullable().optional(),
  erp_integrated: flag,
  enable_copy_of_standard_cost_codes: flag,
  image_id: referenceId,
  office_id: referenceId,
  parent_job_id: referenceId,
  program_id: referenceId,
  project_bid_type_id: referenceId,
  project_owner_type_id: referenceId,
  project_region_id: referenceId,
  project_template_id: referenceId,
  project_sector_id: referenceId,
  currency_configuration: z
    .strictObject({
      currency_iso_code: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'),
      exchange_rate_override: z.number().positive().optional(),
    })
    .optional(),
  priority: z.enum(['low', 'medium', 'high']).nullable().optional(),
  project_stage_id: referenceId,
  project_type_id: referenceId,
  code: text(),
  store_number: text(),
  accounting_project_number: text(),
  designated_market_area: text(),
  locale: text(10),
  sector: text(),
  work_scope: text(),
  delivery_method: text(),
};

/** Create has no `county`, `fax` or `standard_cost_code_list_id`; update accepts them (facts file, Create/Update). */
export const createAttributesSchema = z.strictObject(createAttributeShape);
export const updateAttributesSchema = z.strictObject({
  ...createAttributeShape,
  county: text(),
  fax: text(40),
  standard_cost_code_list_id: referenceId,
});

export type ProjectAttributes = z.output<typeof updateAttributesSchema>;
export type ProjectAttributeName = keyof ProjectAttributes;

export const createBodySchema = z.strictObject({
  company_id: companyIdValue.optional(),
  project: createAttributesSchema.optional(),
});
export type CreateBody = z.output<typeof createBodySchema>;

export const updateBodySchema = z.strictObject({
  company_id: companyIdValue.optional(),
  project: updateAttributesSchema.optional(),
});
export type UpdateBody = z.output<typeof updateBodySchema>;

export const SYNC_MAX_ITEMS = 1000;

export const syncBodySchema = z.strictObject({
  company_id: companyIdValue.optional(),
  updates: z.array(z.unknown()).max(SYNC_MAX_ITEMS).optional(),
});
export type SyncBody = z.output<typeof syncBodySchema>;

/** One item of a sync call: update attributes plus the optional `id` that picks the record. */
export const syncItemSchema = updateAttributesSchema.extend({ id: z.number().int().positive().optional() });
export type SyncItem = z.output<typeof syncItemSchema>;

/** Path ids stay strings here: a non-numeric id is a 404, as for any unknown project, not a 400. */
export const idParamsSchema = z.object({ id: z.string() });
export type IdParams = z.output<typeof idParamsSchema>;

export const companyQuerySchema = z.object({ company_id: queryInt.optional(), view: z.string().optional() });
export type CompanyQuery = z.output<typeof companyQuerySchema>;

const byStatus = z
  .string()
  .transform((v) => v.toLowerCase())
  .pipe(z.enum(['active', 'inactive', 'all']));

/** Unknown query parameters are ignored, as Rails does; the known ones are typed. */
export const listQuerySchema = z.object({
  company_id: queryInt.optional(),
  page: queryInt.optional(),
  per_page: queryInt.optional(),
  sort: z.string().optional(),
  serializer_view: z.string().optional(),
  'filters[by_status]': byStatus.optional(),
  'filters[origin_id]': z.string().optional(),
  'filters[name]': z.string().optional(),
  'filters[project_number]': z.string().optional(),
  'filters[updated_at]': z.string().optional(),
  'filters[created_at]': z.string().optional(),
  'filters[id][]': z.union([queryInt, z.array(queryInt)]).optional(),
});
export type ListQuery = z.output<typeof listQuerySchema>;

/** v1.1 adds `view` and sorts by name or display_name only (its reference's enums); anything else is a 400. */
export const listV11QuerySchema = listQuerySchema.extend({
  view: z.enum(['ids', 'compact', 'normal', 'extended']).optional(),
  sort: z.enum(['name', 'display_name', '-name', '-display_name']).optional(),
});
export type ListV11Query = z.output<typeof listV11QuerySchema>;
