/** `describe` answers (DescribeSObjectResult and the describeGlobal entry), built from the schema data file. */
import type { FieldSpec, FieldType, ObjectSchema } from './schema';

const SOAP_TYPES: Record<FieldType, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  datetime: 'xsd:dateTime',
  date: 'xsd:date',
  string: 'xsd:string',
  textarea: 'xsd:string',
  picklist: 'xsd:string',
  currency: 'xsd:double',
};

function describeField(field: FieldSpec) {
  const writable = !field.system;
  const isText = field.type === 'string' || field.type === 'textarea' || field.type === 'picklist';
  return {
    name: field.name,
    label: field.label,
    type: field.type,
    soapType: SOAP_TYPES[field.type],
    length: isText || field.type === 'id' || field.type === 'reference' ? (field.length ?? 255) : 0,
    byteLength: isText ? (field.length ?? 255) * 3 : 0,
    precision: field.precision ?? 0,
    scale: field.scale ?? 0,
    digits: 0,
    // Checkboxes and system fields always have a value; so does a required field once saved.
    nillable: writable && !field.required && field.type !== 'boolean',
    createable: writable,
    updateable: writable,
    custom: field.name.endsWith('__c'),
    externalId: field.externalId ?? false,
    unique: field.unique ?? false,
    idLookup: field.idLookup ?? (field.type === 'id' || field.nameField === true),
    nameField: field.nameField ?? false,
    calculated: false,
    caseSensitive: field.unique === true,
    defaultedOnCreate: field.system === true || field.defaultValue !== undefined,
    defaultValue: field.defaultValue ?? null,
    filterable: field.type !== 'textarea',
    sortable: field.type !== 'textarea',
    groupable: field.type !== 'textarea' && field.type !== 'currency' && field.type !== 'datetime',
    restrictedPicklist: field.restrictedPicklist ?? false,
    picklistValues: (field.picklistValues ?? []).map((value, i) => ({
      value,
      label: value,
      active: true,
      defaultValue: false,
      validFor: null,
      order: i,
    })),
    referenceTo: field.referenceTo ?? [],
    relationshipName: field.relationshipName ?? null,
    htmlFormatted: false,
    autoNumber: false,
    inlineHelpText: null,
  };
}

function objectUrls(schema: ObjectSchema, version: string) {
  const base = `/services/data/v${version}/sobjects/${schema.name}`;
  return {
    compactLayouts: `${base}/describe/compactLayouts`,
    rowTemplate: `${base}/{ID}`,
    describe: `${base}/describe`,
    sobject: base,
  };
}

function objectFlags(schema: ObjectSchema) {
  return {
    name: schema.name,
    label: schema.label,
    labelPlural: schema.labelPlural,
    keyPrefix: schema.keyPrefix,
    custom: true,
    customSetting: false,
    createable: true,
    updateable: true,
    deletable: true,
    undeletable: true,
    queryable: true,
    retrieveable: true,
    searchable: true,
    layoutable: true,
    replicateable: true,
    triggerable: true,
    mergeable: false,
    feedEnabled: false,
  };
}

/** The entry `GET /sobjects` lists for the object. */
export function describeGlobalEntry(schema: ObjectSchema, version: string) {
  return { ...objectFlags(schema), urls: objectUrls(schema, version) };
}

export function describeObject(schema: ObjectSchema, version: string) {
  return {
    ...objectFlags(schema),
    urls: objectUrls(schema, version),
    fields: schema.fields.map(describeField),
    childRelationships: [],
    recordTypeInfos: [
      {
        name: 'Master',
        developerName: 'Master',
        recordTypeId: '012000000000000AAA',
        active: true,
        available: true,
        defaultRecordTypeMapping: true,
        master: true,
        urls: { layout: `/services/data/v${version}/sobjects/${schema.name}/describe/layouts/012000000000000AAA` },
      },
    ],
  };
}
