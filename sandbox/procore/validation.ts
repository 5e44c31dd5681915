/**
 * Route schemas are Zod schemas kept beside their handlers; this compiler lets Fastify run them. Zod instead of
 * Fastify's Ajv because Ajv's Fastify defaults coerce types and drop unknown keys, and the sandbox must reject both
 * the way Procore does: unknown fields get 406, wrong types 400.
 */
import type { FastifySchemaCompiler } from 'fastify';
import { type z } from 'zod';
import { procoreErrors, type FieldErrors, type ProcoreError } from './errors';

function issueKey(path: ReadonlyArray<PropertyKey>): string {
  return path.length === 0 ? 'base' : path.map(String).join('.');
}

function addMessage(errors: FieldErrors, key: string, message: string): void {
  (errors[key] ??= []).push(message);
}

/** Unknown keys win over type errors: Procore answers 406 before it looks at values. */
export function zodToProcoreError(error: z.ZodError): ProcoreError {
  const unknown: FieldErrors = {};
  const invalid: FieldErrors = {};
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) addMessage(unknown, issueKey([...issue.path, key]), 'is not a known attribute');
      continue;
    }
    addMessage(invalid, issueKey(issue.path), issue.message);
  }
  if (Object.keys(unknown).length > 0) return procoreErrors.UNKNOWN_FIELDS(unknown);
  return procoreErrors.WRONG_TYPES(invalid);
}

export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema }) => {
  return (data: unknown) => {
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    return { error: zodToProcoreError(result.error) };
  };
};

/** Parses with a schema outside the Fastify route lifecycle (sync items, console bodies). */
export function parseOrThrow<T extends z.ZodType>(schema: T, data: unknown): z.output<T> {
  const result = schema.safeParse(data);
  if (!result.success) throw zodToProcoreError(result.error);
  return result.data;
}
