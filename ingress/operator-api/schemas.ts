/** JSON schemas of the operator API, beside its handlers; they also make the served OpenAPI description. */
import { SALESFORCE_ID_PATTERN } from '../../common/salesforce-id';
import { SYNC_STATUSES } from '../../workflows/project-sync/messages';

const salesforceIdParam = {
  type: 'object',
  required: ['salesforceId'],
  properties: {
    salesforceId: {
      type: 'string',
      pattern: SALESFORCE_ID_PATTERN,
      description: 'Salesforce Project__c record id',
    },
  },
} as const;

const errorBody = {
  type: 'object',
  properties: { code: { type: 'string' }, message: { type: 'string' }, statusCode: { type: 'integer' } },
} as const;

/** The workflow's state as the syncState query returns it; free-form below the top level. */
const syncView = {
  type: 'object',
  additionalProperties: true,
  properties: {
    status: { type: 'string', enum: SYNC_STATUSES },
    link: { type: 'object', additionalProperties: true },
    parked: { type: ['object', 'null'], additionalProperties: true },
    snapshot: { type: 'object', additionalProperties: true },
    pendingWrites: { type: 'object', additionalProperties: true },
    stats: { type: 'object', additionalProperties: true },
    queued: { type: 'integer' },
    mappingVersion: {
      type: 'string',
      description: 'version of the mapping in force (compiled: from before it was data)',
    },
  },
} as const;

const projectSummary = {
  type: 'object',
  properties: {
    salesforceId: { type: 'string' },
    procoreProjectId: { type: ['string', 'null'] },
    status: { type: ['string', 'null'] },
    workflowId: { type: 'string' },
    temporalUiUrl: { type: 'string' },
  },
} as const;

export const getProjectSchema = {
  summary: "A project's sync state: link, agreed values, pending writes, parked reason",
  params: salesforceIdParam,
  response: { 200: syncView, 404: errorBody },
} as const;

export const listProjectsSchema = {
  summary: 'Projects Tandem syncs, optionally only those with a given status (error = parked)',
  querystring: {
    type: 'object',
    properties: { status: { type: 'string', enum: SYNC_STATUSES } },
  },
  response: { 200: { type: 'object', properties: { projects: { type: 'array', items: projectSummary } } } },
} as const;

export const resyncProjectSchema = {
  summary: 'Re-read both sides of one project and sync them; with wait=true answer with the state afterwards',
  params: salesforceIdParam,
  querystring: { type: 'object', properties: { wait: { type: 'boolean', default: false } } },
  response: {
    200: syncView,
    202: { type: 'object', properties: { accepted: { type: 'boolean' }, workflowId: { type: 'string' } } },
    404: errorBody,
  },
} as const;

export const resyncAllSchema = {
  summary: 'Re-sync every linked project',
  response: { 202: { type: 'object', properties: { accepted: { type: 'integer' } } } },
} as const;
