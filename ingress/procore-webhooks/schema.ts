/** The Procore webhook body (legacy "v2" payload format), as Fastify validates it. */
export const procoreWebhookBodySchema = {
  type: 'object',
  required: ['ulid', 'resource_name', 'resource_id', 'event_type', 'company_id'],
  properties: {
    id: { type: ['integer', 'string'] },
    ulid: { type: 'string', minLength: 10, maxLength: 64 },
    timestamp: { type: 'string' },
    user_id: { type: ['integer', 'null'] },
    company_id: { type: 'integer' },
    project_id: { type: ['integer', 'null'] },
    api_version: { type: 'string' },
    event_type: { type: 'string', enum: ['create', 'update', 'delete', 'CREATE', 'UPDATE', 'DELETE'] },
    resource_name: { type: 'string' },
    resource_id: { type: 'integer', minimum: 1 },
    metadata: {
      type: 'object',
      properties: {
        source_application_id: { type: ['string', 'null'] },
        source_user_id: { type: ['integer', 'null'] },
      },
    },
  },
} as const;

export interface ProcoreWebhookBody {
  id?: number | string;
  ulid: string;
  timestamp?: string;
  company_id: number;
  event_type: 'create' | 'update' | 'delete' | 'CREATE' | 'UPDATE' | 'DELETE';
  resource_name: string;
  resource_id: number;
  metadata?: { source_application_id?: string | null; source_user_id?: number | null };
}

export const webhookAcceptedSchema = {
  type: 'object',
  properties: { accepted: { type: 'boolean' }, ignored: { type: 'string' } },
} as const;
