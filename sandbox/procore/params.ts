/** Parameter schemas shared by several endpoint groups. */
import { z } from 'zod';

/** `company_id` may arrive as a number or, from form-minded clients, a numeric string. */
export const companyIdValue = z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]);

/** Query-string integers arrive as text. */
export const queryInt = z.string().regex(/^\d+$/, 'must be a positive integer').transform(Number);

export const pageQuerySchema = z.object({
  company_id: queryInt.optional(),
  page: queryInt.optional(),
  per_page: queryInt.optional(),
});
export type PageQuery = z.output<typeof pageQuerySchema>;
