/** The sObject schema the sandbox serves, read from one data file (`schema/project.json`) and checked on load. */
import { z } from 'zod';
import schemaFile from './schema/project.json';

const fieldType = z.enum([
  'id',
  'reference',
  'boolean',
  'datetime',
  'date',
  'string',
  'textarea',
  'picklist',
  'currency',
]);
export type FieldType = z.infer<typeof fieldType>;

const fieldSpec = z.object({
  name: z.string().min(1),
  label: z.string().min(1),
  type: fieldType,
  length: z.number().int().positive().optional(),
  precision: z.number().int().positive().optional(),
  scale: z.number().int().min(0).optional(),
  required: z.boolean().optional(),
  system: z.boolean().optional(),
  nameField: z.boolean().optional(),
  externalId: z.boolean().optional(),
  unique: z.boolean().optional(),
  idLookup: z.boolean().optional(),
  restrictedPicklist: z.boolean().optional(),
  picklistValues: z.array(z.string()).optional(),
  defaultValue: z.union([z.string(), z.number(), z.boolean()]).optional(),
  referenceTo: z.array(z.string()).optional(),
  relationshipName: z.string().optional(),
});
export type FieldSpec = z.infer<typeof fieldSpec>;

const objectSpec = z.object({
  name: z.string().regex(/__c$/),
  label: z.string(),
  labelPlural: z.string(),
  keyPrefix: z.string().length(3),
  fields: z.array(fieldSpec).min(1),
});

export interface ObjectSchema {
  readonly name: string;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string;
  readonly fields: ReadonlyArray<FieldSpec>;
  /** SOQL and JSON field names are case-insensitive, so lookups go through the lower-cased name. */
  field(name: string): FieldSpec | undefined;
  /** The change-event entity name without `__c`, e.g. `Project` for the channel `/data/Project__ChangeEvent`. */
  readonly changeEventChannel: string;
}

export function loadSchema(raw: unknown = schemaFile): ObjectSchema {
  const spec = objectSpec.parse(raw);
  const byLowerName = new Map(spec.fields.map((f) => [f.name.toLowerCase(), f]));
  return {
    ...spec,
    field: (name) => byLowerName.get(name.toLowerCase()),
    changeEventChannel: `/data/${spec.name.replace(/__c$/, '')}__ChangeEvent`,
  };
}

/** Fields the API may write: everything the sandbox does not maintain itself. */
export function isWritable(field: FieldSpec): boolean {
  return !field.system;
}

export function externalIdField(schema: ObjectSchema, name: string): FieldSpec | undefined {
  const field = schema.field(name);
  return field?.externalId ? field : undefined;
}
