/**
 * sObject REST resources: describe, create, retrieve (with `?fields=`), update (204), delete (204), retrieve and
 * upsert by external id (201 created / 200 updated / 300 several matches), and the collection retrieve jsforce
 * uses for `conn.retrieve(type, ids[])`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context';
import { describeGlobalEntry, describeObject } from '../describe';
import { sfErrors } from '../errors';
import { isValidId, normalizeId } from '../ids';
import type { FieldSpec } from '../schema';
import { parseRecordInput } from '../values';
import { apiActor, apiVersion } from './common';
import { checkWritePreconditions, readPrecondition } from './conditional';
import { recordUrl, renderRecord } from './render';

interface ObjectParams {
  version: string;
  sobject: string;
}
interface RecordParams extends ObjectParams {
  id: string;
}
interface ExternalIdParams extends ObjectParams {
  field: string;
  value: string;
}

const retrieveManyBody = z.object({ ids: z.array(z.string()).min(1).max(2000), fields: z.array(z.string()).min(1) });

export async function sobjectRoutes(app: FastifyInstance, ctx: SandboxContext): Promise<void> {
  const { schema, records } = ctx;

  /** Only the one object exists; any other name is NOT_FOUND, as for an object the user cannot see. */
  const checkObject = (request: FastifyRequest<{ Params: ObjectParams }>): string => {
    const version = apiVersion(request);
    if (request.params.sobject !== schema.name) throw sfErrors.NOT_FOUND();
    return version;
  };

  const resolveFields = (names: string[]): FieldSpec[] =>
    names.map((name) => {
      const field = schema.field(name.trim());
      if (!field) throw sfErrors.INVALID_FIELD(name.trim(), schema.name);
      return field;
    });

  /** `?fields=Name,City__c`: those fields, with Id always first. */
  const fieldsParam = (raw: unknown): FieldSpec[] | undefined => {
    if (typeof raw !== 'string' || raw === '') return undefined;
    const fields = resolveFields(raw.split(',')).filter((f) => f.name !== 'Id');
    return [schema.field('Id')!, ...fields];
  };

  app.get('/services/data/:version/sobjects', async (request) => ({
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: [describeGlobalEntry(schema, apiVersion(request))],
  }));

  app.get<{ Params: ObjectParams }>('/services/data/:version/sobjects/:sobject/describe', async (request) =>
    describeObject(schema, checkObject(request)),
  );

  app.get<{ Params: ObjectParams }>('/services/data/:version/sobjects/:sobject', async (request) => ({
    objectDescribe: describeGlobalEntry(schema, checkObject(request)),
    recentItems: [],
  }));

  app.post<{ Params: ObjectParams }>('/services/data/:version/sobjects/:sobject', async (request, reply) => {
    checkObject(request);
    const record = records.create(parseRecordInput(schema, request.body), apiActor(request));
    return reply.code(201).send({ id: record.Id, success: true, errors: [] });
  });

  app.get<{ Params: RecordParams; Querystring: { fields?: string } }>(
    '/services/data/:version/sobjects/:sobject/:id',
    async (request, reply) => {
      const version = checkObject(request);
      const record = records.visible(request.params.id);
      if (readPrecondition(request, record) === 'not-modified') return reply.code(304).send();
      return renderRecord(schema, version, record, fieldsParam(request.query.fields));
    },
  );

  app.patch<{ Params: RecordParams }>('/services/data/:version/sobjects/:sobject/:id', async (request, reply) => {
    checkObject(request);
    const current = records.visible(request.params.id);
    checkWritePreconditions(request, current);
    const input = parseRecordInput(schema, request.body, String(current.Id));
    records.update(String(current.Id), input, apiActor(request));
    return reply.code(204).send();
  });

  app.delete<{ Params: RecordParams }>('/services/data/:version/sobjects/:sobject/:id', async (request, reply) => {
    checkObject(request);
    records.delete(request.params.id, apiActor(request));
    return reply.code(204).send();
  });

  app.get<{ Params: ExternalIdParams; Querystring: { fields?: string } }>(
    '/services/data/:version/sobjects/:sobject/:field/:value',
    async (request, reply) => {
      const version = checkObject(request);
      const field = schema.field(request.params.field);
      if (!field?.externalId) throw sfErrors.EXTERNAL_ID_NOT_FOUND(request.params.field);
      const matches = ctx.store.findBy(field.name, request.params.value);
      if (matches.length > 1) return reply.code(300).send(matches.map((r) => recordUrl(schema, version, String(r.Id))));
      const [match] = matches;
      if (!match) throw sfErrors.NOT_FOUND();
      return renderRecord(schema, version, match, fieldsParam(request.query.fields));
    },
  );

  app.patch<{ Params: ExternalIdParams; Querystring: { updateOnly?: string } }>(
    '/services/data/:version/sobjects/:sobject/:field/:value',
    async (request, reply) => {
      const version = checkObject(request);
      const input = parseRecordInput(schema, request.body);
      const { field, value } = request.params;
      const result = records.upsert(field, value, input, apiActor(request), request.query.updateOnly === 'true');
      if (result.kind === 'multiple')
        return reply.code(300).send(result.ids.map((id) => recordUrl(schema, version, id)));
      const body = { id: result.record.Id, success: true, errors: [], created: result.kind === 'created' };
      return reply.code(result.kind === 'created' ? 201 : 200).send(body);
    },
  );

  app.post<{ Params: ObjectParams }>('/services/data/:version/composite/sobjects/:sobject', async (request) => {
    const version = checkObject(request);
    const { ids, fields } = retrieveManyBody.parse(request.body);
    const wanted = resolveFields(fields);
    return ids.map((id) => {
      const record = isValidId(id) ? ctx.store.get(normalizeId(id)) : undefined;
      return record && record.IsDeleted !== true ? renderRecord(schema, version, record, wanted) : null;
    });
  });
}
